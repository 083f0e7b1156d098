//! The answer engine: content, triage and both matching stages behind one
//! call.
//!
//! Front ends (the command line, the Telegram bot) ask questions here and get
//! back entries, never scores to interpret: thresholds and the meaning of a
//! score stay in here. Matching runs in two stages, the lexical matcher
//! ([`crate::matcher`]) first and the sentence model ([`crate::semantic`])
//! when words alone do not decide; [`fusion`] turns both into one decision,
//! which the learned decision ([`learned`]) may overrule.
//!
//! The files: `query` analyses a message once into the value every stage
//! reads; `outcome` holds what front ends get back; `build` makes an
//! engine from content; `alarm` triages a message before anything else;
//! `judge` reads a question with both stages and the learned decision;
//! `conversation` reads a follow-up after the previous question; `fusion`
//! holds every cut-off; this file ties them into the public calls (`ask`,
//! `ask_after`, `inline`, `explain`, `search`, the curators' checks).

pub mod across;
mod alarm;
mod build;
pub mod check;
mod conversation;
pub mod fusion;
mod judge;
pub mod learned;
mod model;
mod outcome;
mod query;

pub use conversation::{Previous, Reading, Why};
pub use model::{Model, TuningInUse};
pub use outcome::{
    CLOSE_SHARE, Candidate, EngineError, Explanation, Misroute, Nearest, Outcome, Stages, Twin,
    WeighedWord,
};

pub use crate::analysis::Typing;
use crate::analysis::language::{self, Language};
use crate::content::{Entry, Faq};
use crate::matcher::Matcher;
use crate::semantic::SemanticIndex;
use crate::smalltalk::SmallTalk;
use crate::triage::{Examples, Triage};
use alarm::Triaged;
use judge::{Judgement, Ranked};
pub use query::Asked;
use query::Query;

/// A message read once (see [`Engine::read`]).
struct Read<'a> {
    outcome: Outcome<'a>,
    /// The language it was read in.
    language: Language,
    /// None for an emergency or small talk by form (not judged).
    judgement: Option<Judgement>,
    /// The texts triage embedded, the whole message first.
    known: judge::Embedded,
    /// Its folded words (see [`Query::words`]), for the follow-up check.
    words: Vec<String>,
}

/// Inline mode's reading of a query (see [`Engine::inline`]).
#[derive(Debug)]
pub struct Inline<'a> {
    /// The entries to list; empty for an emergency (the outcome is
    /// [`Outcome::Urgent`]: send its reply instead) or another subject.
    pub entries: Vec<&'a Entry>,
    pub outcome: Outcome<'a>,
    /// The language the query was read in.
    pub language: Language,
}

/// Loaded content and its indexes; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Engine {
    faq: Faq,
    matcher: Matcher,
    /// None when `semantic: false`.
    semantic: Option<SemanticIndex>,
    triage: Triage,
    /// Triage examples by meaning; None when `semantic: false`.
    examples: Option<Examples>,
    smalltalk: SmallTalk,
    /// The small-talk examples' vectors and kinds; None when `semantic:
    /// false`.
    smalltalk_vectors: Option<Vec<(Vec<f32>, usize)>>,
    /// The outside examples' vectors, with (reason, example) indices;
    /// None when `semantic: false`.
    outside_vectors: Option<Vec<(Vec<f32>, usize, usize)>>,
    /// The learned decision (see [`learned::Layout`] for its classes);
    /// None when `semantic: false`.
    head: Option<learned::Head>,
    /// What tuning the sentence model has; None when untuned or off.
    tuning: Option<TuningInUse>,
    /// Which messages this engine reads.
    reads: Reads,
    /// The same content read by the multilingual model, for messages in
    /// the other supported languages; None when `other_languages: false`,
    /// without the sentence model, or in that engine itself.
    other_languages: Option<OtherLanguages>,
}

/// The engine for other languages, built when first needed: an English
/// question never pays for the multilingual model (about a second to load
/// with a warm vector cache, several to embed the content without; the
/// first question in another language after a start or a reload waits
/// for it).
#[derive(Debug)]
struct OtherLanguages {
    model: Model,
    engine: std::sync::OnceLock<Option<Box<Engine>>>,
}

/// Which messages an engine reads, and so how it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// English, the language of the content: the word stage and the
    /// sentence stage together, calibrated on chat-style English.
    English,
    /// Other languages, with the multilingual model: words cannot be
    /// compared with the English content, so meaning alone decides, by how
    /// much closer a message is to an entry than to anything `outside.yaml`
    /// lists (see [`fusion::other_language`]).
    Other,
}

impl Engine {
    /// The tuning the sentence model uses, if any.
    pub fn tuning(&self) -> Option<&TuningInUse> {
        self.tuning.as_ref()
    }

    pub fn faq(&self) -> &Faq {
        &self.faq
    }

    /// The sentence model in use, if any (for logs).
    pub fn model_name(&self) -> Option<&str> {
        self.semantic.as_ref().map(|s| s.encoder().name())
    }

    /// How many phrasings were embedded when this engine was built (the
    /// rest were reused from the previous version).
    pub fn phrasings_embedded(&self) -> usize {
        self.semantic.as_ref().map_or(0, SemanticIndex::embedded)
    }

    pub fn ask<'m>(&self, question: impl Into<Asked<'m>>) -> Outcome<'_> {
        self.ask_typed(question, Typing::Complete)
    }

    /// Like [`Engine::ask`], for text still being typed (inline mode).
    pub fn ask_typed<'m>(&self, question: impl Into<Asked<'m>>, typing: Typing) -> Outcome<'_> {
        self.read(question.into(), typing).outcome
    }

    /// The language of a message (see [`crate::analysis::language`]), with
    /// the FAQ's own English words as what English looks like.
    pub fn language_of<'m>(&self, message: impl Into<Asked<'m>>) -> Language {
        let message = message.into();
        language::detect(message.text, message.hint, |w| {
            self.matcher.knows_english(w)
        })
    }

    /// The engine that reads `message`, and the language it reads it in:
    /// the multilingual engine for a message in another supported
    /// language, this one (in English) otherwise.
    fn reader_for(&self, message: Asked<'_>) -> (&Engine, Language) {
        match self.reads {
            Reads::Other => (
                self,
                message.read_in.unwrap_or_else(|| self.language_of(message)),
            ),
            Reads::English if self.other_languages.is_none() => (self, Language::ENGLISH),
            Reads::English => {
                // English first: an English message never builds the
                // engine for other languages.
                let language = self.language_of(message);
                if language.is_english() {
                    return (self, Language::ENGLISH);
                }
                match self.other_languages_engine() {
                    Some(other) => (other, language),
                    None => (self, Language::ENGLISH),
                }
            }
        }
    }

    /// Whether the engine for other languages has been built (it is, on
    /// the first message in another language; never for English ones).
    pub fn other_languages_built(&self) -> bool {
        self.other_languages
            .as_ref()
            .is_some_and(|o| o.engine.get().is_some_and(Option::is_some))
    }

    /// Builds the engine for other languages now, if the settings ask for
    /// one and it is not built yet; whether there is one (the benchmark
    /// times it).
    pub fn prepare_other_languages(&self) -> bool {
        self.other_languages_engine().is_some()
    }

    /// The engine for other languages, built on first use. If the
    /// multilingual model cannot be loaded (it is built in, so this is not
    /// expected), every message is read as English, and the log says why.
    fn other_languages_engine(&self) -> Option<&Engine> {
        let other = self.other_languages.as_ref()?;
        other
            .engine
            .get_or_init(|| {
                let started = std::time::Instant::now();
                let faq = self.faq.with_translated_phrasings();
                match Engine::build_reading(faq, &other.model, None, Reads::Other) {
                    Ok(engine) => {
                        tracing::info!(
                            seconds = started.elapsed().as_secs_f32(),
                            "ready for questions in other languages"
                        );
                        Some(Box::new(engine))
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "the multilingual model failed; every message is read as English");
                        None
                    }
                }
            })
            .as_deref()
    }

    /// A message read once: triage, small talk by form, both stages and
    /// the learned decision, small talk by meaning. Every public reading
    /// (`ask`, `ask_after`, `inline`) starts here, so a message is triaged
    /// and embedded once whatever it is used for.
    fn read(&self, message: Asked<'_>, typing: Typing) -> Read<'_> {
        self.read_with(message, typing, |_| Vec::new())
    }

    /// [`Engine::read`], embedding the texts `also` names for the analysed
    /// message in the same forward pass (the text a follow-up is read as
    /// in context, see `conversation`).
    fn read_with(
        &self,
        message: Asked<'_>,
        typing: Typing,
        also: impl FnOnce(&Query<'_>) -> Vec<String>,
    ) -> Read<'_> {
        let (reader, language) = self.reader_for(message);
        if !std::ptr::eq(reader, self) {
            return reader.read(message.read_in(language), typing);
        }
        let question = message.text;
        let query = Query::new(self, question, typing, language);
        // One forward pass: the parts triage reads, the sentence stage's
        // parts (triage's own, unless a long message has more sentences
        // than triage reads), the words matching may weigh and what `also`
        // asks for go through the model together.
        let mut extra: Vec<String> = query.parts.iter().map(|(p, _)| p.to_string()).collect();
        extra.extend(self.words_to_weigh(&query));
        extra.extend(also(&query));
        let Triaged { alarm, known, .. } = self.triage_with(&query, &extra);
        let query = query.with_vectors(known);
        let language = query.language;
        if let Some(alarm) = alarm {
            let (reply, category) = self.urgent(&alarm);
            // An emergency is met in the asker's language.
            let reply = self.faq.settings.urgent_in(language).unwrap_or(reply);
            return Read {
                language,
                outcome: Outcome::Urgent { reply, category },
                judgement: None,
                known: query.vectors,
                words: query.words,
            };
        }
        if let Some(kind) = self.smalltalk.by_form_words(question, &query.words) {
            return Read {
                language,
                outcome: self.small_talk(kind, language),
                judgement: None,
                known: query.vectors,
                words: query.words,
            };
        }
        let judgement = self.judge(&query);
        // Small talk by meaning only for a finished message no entry
        // answers.
        let small_talk = (!judgement.reason.answers() && typing == Typing::Complete)
            .then(|| {
                self.small_talk_by_meaning(&query)
                    .or_else(|| self.small_talk_learned(&query, &judgement))
            })
            .flatten();
        let outcome = match small_talk {
            Some(kind) => self.small_talk(kind, language),
            None => self.outcome(&judgement),
        };
        Read {
            language,
            outcome,
            judgement: Some(judgement),
            known: query.vectors,
            words: query.words,
        }
    }

    /// Inline mode's reading of a query still being typed, from one triage
    /// and one judgement: the urgent reply (an emergency never gets a list
    /// of entries), or the entries worth listing (see [`Engine::search`]),
    /// and the outcome the query would get as a message, for the unmatched
    /// log.
    pub fn inline<'m>(&self, query: impl Into<Asked<'m>>, limit: usize) -> Inline<'_> {
        let query = query.into();
        let read = self.read(query, Typing::Partial);
        let entries = match (&read.outcome, &read.judgement) {
            (Outcome::Urgent { .. }, _) => Vec::new(),
            (_, Some(judgement)) if self.semantic.is_some() => self.listed(judgement, limit),
            _ => self.search(query, limit),
        };
        Inline {
            entries,
            outcome: read.outcome,
            language: read.language,
        }
    }

    /// The outcome of a question's judgement: its best candidate answered
    /// or not.
    fn outcome(&self, judgement: &Judgement) -> Outcome<'_> {
        let entries = &self.faq.entries;
        let answers = judgement.reason.answers();
        let Some(&Ranked {
            entry: best,
            score,
            stages,
            ..
        }) = judgement.ranked.first()
        else {
            return Outcome::NoMatch {
                nearest: None,
                suggestions: Vec::new(),
                stages: Stages::default(),
            };
        };
        let suggestions = self.suggestions(judgement, answers);
        if answers
            && let Some(second) = judgement.ranked.get(1)
            && fusion::tied(
                &judgement.reason,
                (score, stages.learned),
                (second.score, second.stages.learned),
            )
        {
            return Outcome::Choose {
                entries: vec![&entries[best], &entries[second.entry]],
                score,
                stages,
            };
        }
        if answers {
            Outcome::Answer {
                entry: &entries[best],
                score,
                suggestions,
                stages,
            }
        } else {
            let settings = &self.faq.settings;
            let needed = if judgement.combined {
                settings.semantic.threshold
            } else {
                settings.threshold
            };
            Outcome::NoMatch {
                nearest: Some(Nearest::new(&entries[best], score, needed)),
                suggestions,
                stages,
            }
        }
    }

    /// Every phrasing that, asked as a question, is not answered from its
    /// own entry: the sign that two entries overlap or a phrasing is too
    /// vague. `faqbot check` shows these, and a test keeps `faq/` free of them.
    pub fn misroutes(&self) -> Vec<Misroute<'_>> {
        let mut found = Vec::new();
        for entry in &self.faq.entries {
            for (n, phrasing) in entry.phrasings().enumerate() {
                let judgement = self.judge(&Query::new(
                    self,
                    phrasing,
                    Typing::Complete,
                    Language::ENGLISH,
                ));
                let leads_to = match judgement.ranked.first() {
                    Some(best) if judgement.reason.answers() => {
                        let (got, via) = (&self.faq.entries[best.entry], best.phrasing);
                        if got.id == entry.id {
                            continue;
                        }
                        Some((got, via))
                    }
                    _ => None,
                };
                found.push(Misroute {
                    entry,
                    phrasing: n,
                    leads_to,
                });
            }
        }
        found
    }

    /// Pairs of phrasings in different entries that mean nearly the same
    /// (similarity at least `min`): two entries answering one question.
    /// Empty when the sentence model is off.
    pub fn twin_phrasings(&self, min: f32) -> Vec<Twin<'_>> {
        let Some(semantic) = &self.semantic else {
            return Vec::new();
        };
        let entries = &self.faq.entries;
        semantic
            .close_pairs(min)
            .into_iter()
            .map(|(ea, pa, eb, pb, score)| ((&entries[ea], pa), (&entries[eb], pb), score))
            .collect()
    }

    /// How the engine saw `question`, for curators.
    pub fn explain<'m>(&self, question: impl Into<Asked<'m>>, top: usize) -> Explanation<'_> {
        self.explain_known(question.into(), &[], top)
    }

    /// [`Engine::explain`], judging with the vectors in `known` (a
    /// follow-up's meaning in context).
    fn explain_known(
        &self,
        message: Asked<'_>,
        known: &judge::Known,
        top: usize,
    ) -> Explanation<'_> {
        let (reader, language) = self.reader_for(message);
        if !std::ptr::eq(reader, self) {
            return reader.explain_known(message.read_in(language), known, top);
        }
        let question = message.text;
        let words = self.matcher.explain(question, top);
        let query =
            Query::new(self, question, Typing::Complete, language).with_vectors(known.to_vec());
        let judgement = self.judge(&query);
        let settings = &self.faq.settings;
        let answers = judgement.reason.answers();
        let reason = judgement
            .reason
            .describe(&settings.semantic, settings.threshold);
        let small_talk = (!answers)
            .then(|| self.small_talk_learned(&query, &judgement))
            .flatten()
            .and_then(|kind| {
                let p = judgement.small_talk.map_or(0.0, |(_, p)| p);
                Some((self.faq.smalltalk.kinds.get(kind)?.name.as_str(), p))
            });
        Explanation {
            language,
            model: self.model_name(),
            small_talk,
            words,
            ranked: judgement
                .ranked
                .into_iter()
                .take(top)
                .map(|c| Candidate {
                    entry: &self.faq.entries[c.entry],
                    score: c.score,
                    stages: c.stages,
                    phrasing: c.phrasing,
                })
                .collect(),
            new_words: judgement
                .new_words
                .into_iter()
                .map(|w| WeighedWord {
                    subject: w.is_subject(&self.faq.settings.semantic),
                    word: w.word,
                    weight: w.weight,
                })
                .collect(),
            sentence: judgement.sentence,
            outside: judgement.outside,
            learned: judgement
                .learned
                .into_iter()
                .map(|(class, p)| (self.class_name(class), p))
                .collect(),
            answers,
            reason,
        }
    }

    /// Entries best matching `query`, matched or not, best first: for
    /// inline results, where a list of candidates is what the user sees.
    pub fn search<'m>(&self, query: impl Into<Asked<'m>>, limit: usize) -> Vec<&Entry> {
        let message = query.into();
        let (reader, language) = self.reader_for(message);
        if !std::ptr::eq(reader, self) {
            return reader.search(message.read_in(language), limit);
        }
        let query = message.text;
        if self.semantic.is_none() {
            // Words alone: at least SEARCH_RATIO of the best score and of
            // the threshold.
            let floor = self.faq.settings.threshold * fusion::SEARCH_RATIO;
            return self
                .matcher
                .ranked(
                    &self.matcher.analyse(query, Typing::Partial),
                    fusion::SEARCH_RATIO,
                )
                .into_iter()
                .filter(|s| s.score >= floor)
                .take(limit)
                .map(|s| &self.faq.entries[s.entry])
                .collect();
        }
        let judgement = self.judge(&Query::new(self, query, Typing::Partial, language));
        self.listed(&judgement, limit)
    }

    /// The entries of a judgement worth listing: none for another subject,
    /// else those within [`fusion::SEARCH_RATIO`] of the best.
    fn listed(&self, judgement: &Judgement, limit: usize) -> Vec<&Entry> {
        if judgement.reason.names_another_subject() {
            return Vec::new();
        }
        let Some(best) = judgement.ranked.first().map(|c| c.score) else {
            return Vec::new();
        };
        let floor = (best * fusion::SEARCH_RATIO).max(fusion::SUGGEST_FLOOR);
        judgement
            .ranked
            .iter()
            .filter(|c| c.score >= floor)
            .take(limit)
            .map(|c| &self.faq.entries[c.entry])
            .collect()
    }
}
