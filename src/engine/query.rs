//! A message analysed once, as tantivy analyses a query once: every stage
//! (triage's patterns and parts, small talk's forms, the word stage, the
//! sentence stage, the follow-up check) reads this one value instead of
//! folding, stemming or embedding the text again.

use crate::analysis::language::Language;
use crate::analysis::{Typing, fold};
use crate::matcher::Analysed;
use crate::semantic;

use super::Engine;
use super::judge::Embedded;

/// A message as a front end hands it over: its text, and the language its
/// sender's Telegram is set to, when known. The setting is only a hint:
/// it decides a message too short to tell by its words ("gracias"), never
/// one whose words say otherwise (people often type English on a phone
/// set to another language). `&str` converts to a message without one.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'m> {
    pub text: &'m str,
    pub hint: Option<Language>,
    /// The language the English engine found, handed to the engine for
    /// other languages with the message: that engine's own vocabulary
    /// includes the translations' words, so it must not judge again.
    pub(super) read_in: Option<Language>,
}

impl<'m> Asked<'m> {
    /// `text`, with the sender's language setting (Telegram's
    /// `language_code`, "es" or "pt-br"); an unsupported or missing code
    /// is no hint.
    pub fn new(text: &'m str, language_code: Option<&str>) -> Asked<'m> {
        Asked {
            text,
            hint: language_code.and_then(Language::from_code),
            read_in: None,
        }
    }

    /// The same message, found to be in `language`.
    pub(super) fn read_in(self, language: Language) -> Asked<'m> {
        Asked {
            read_in: Some(language),
            ..self
        }
    }
}

impl<'m> From<&'m str> for Asked<'m> {
    fn from(text: &'m str) -> Asked<'m> {
        Asked {
            text,
            hint: None,
            read_in: None,
        }
    }
}

impl<'m> From<&'m String> for Asked<'m> {
    fn from(text: &'m String) -> Asked<'m> {
        Asked::from(text.as_str())
    }
}

/// One message, analysed.
#[derive(Debug, Clone)]
pub(super) struct Query<'q> {
    /// The text as written.
    pub(super) text: &'q str,
    /// Its folded words (case, accents, contractions, chat spellings), as
    /// triage's patterns, small talk's forms and the follow-up check
    /// compare them.
    pub(super) words: Vec<String>,
    /// Its sentences, each with whether it asks (ends in "?"): the parts
    /// triage and the sentence stage embed.
    pub(super) sentences: Vec<(&'q str, bool)>,
    /// Its terms, as the word stage ranks them.
    pub(super) terms: Analysed,
    /// The texts the sentence stage compares ([`semantic::parts_of`]: the
    /// whole first), each with its terms, which the new-word check reads
    /// (the whole's are `terms` again).
    pub(super) parts: Vec<(&'q str, Analysed)>,
    /// The language it is read in: English in the English engine, the
    /// language found in the engine for other languages.
    pub(super) language: Language,

    /// The texts embedded for it so far (the whole message first) and
    /// their vectors: triage embeds the message's parts, and matching
    /// reuses every one of them.
    pub(super) vectors: Embedded,
}

impl<'q> Query<'q> {
    /// `text` analysed by `engine`, read in `language` (found once, by
    /// [`Engine::reader_for`]).
    pub(super) fn new(
        engine: &Engine,
        text: &'q str,
        typing: Typing,
        language: Language,
    ) -> Query<'q> {
        let sentences = fold::sentences(text);
        let terms = engine.matcher.analyse(text, typing);
        let parts = semantic::parts_of(text, &sentences)
            .into_iter()
            .enumerate()
            .map(|(i, part)| match i {
                0 => (part, terms.clone()),
                _ => (part, engine.matcher.analyse(part, typing)),
            })
            .collect();
        Query {
            text,
            words: fold::words(text),
            sentences,
            terms,
            parts,
            language,
            vectors: Vec::new(),
        }
    }

    /// The same query with these vectors known (a follow-up's meaning in
    /// context, see `conversation`).
    pub(super) fn with_vectors(self, vectors: Embedded) -> Query<'q> {
        Query { vectors, ..self }
    }
}
