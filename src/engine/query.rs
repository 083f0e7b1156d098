//! A message analysed once, as tantivy analyses a query once: every stage
//! (triage's patterns and parts, small talk's forms, the word stage, the
//! sentence stage, the follow-up check) reads this one value instead of
//! folding, stemming or embedding the text again.

use crate::analysis::language::Language;
use crate::analysis::{Typing, fold};
use crate::matcher::Analysed;

use super::Engine;
use super::judge::Embedded;

/// One message, analysed.
#[derive(Debug, Clone)]
pub(super) struct Query<'q> {
    /// The text as written.
    pub(super) text: &'q str,
    /// Whether its last word may be unfinished (inline mode).
    pub(super) typing: Typing,
    /// Its folded words (case, accents, contractions, chat spellings), as
    /// triage's patterns and small talk's forms compare them.
    pub(super) words: Vec<String>,
    /// Its terms, as the word stage ranks them.
    pub(super) terms: Analysed,
    /// The language it is read in: English in the English engine, the
    /// language found in the engine for other languages.
    pub(super) language: Language,

    /// The texts embedded for it so far (the whole message first) and
    /// their vectors: triage embeds the message's parts, and matching
    /// reuses every one of them.
    pub(super) vectors: Embedded,
}

impl<'q> Query<'q> {
    pub(super) fn new(engine: &Engine, text: &'q str, typing: Typing) -> Query<'q> {
        Query {
            text,
            typing,
            words: fold::words(text),
            terms: engine.matcher.analyse(text, typing),
            language: match engine.reads {
                super::Reads::English => Language::ENGLISH,
                super::Reads::Other => engine.language_of(text),
            },
            vectors: Vec::new(),
        }
    }

    /// The same query with these vectors known (a follow-up's meaning in
    /// context, see `conversation`).
    pub(super) fn with_vectors(self, vectors: Embedded) -> Query<'q> {
        Query { vectors, ..self }
    }
}
