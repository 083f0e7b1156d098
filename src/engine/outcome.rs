//! What the engine tells front ends: outcomes, the entries nearest a
//! question, and explanations for curators. Plain values, no scores to
//! interpret: the engine decides, these carry the decision.

use crate::content::{Entry, LoadError};
use crate::matcher::Explanation as Words;
use crate::semantic::ModelError;

use super::fusion;

/// The two stages' scores for one entry, for `ask --json` and curators.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stages {
    /// The word score, 0..1.
    pub lexical: f32,
    /// The meaning similarity, when the sentence model was consulted.
    pub semantic: Option<f32>,
    /// The learned decision's probability for the entry, when the model
    /// was consulted ([`super::learned`]).
    pub learned: Option<f32>,
}

/// What to do with a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'a> {
    /// The message suggests an emergency: send the urgent reply (from
    /// `faq/triage.yaml`, by category) instead of any answer, and log
    /// nothing.
    Urgent {
        reply: &'a str,
        /// The category's name ("overdose"); None for a general pattern.
        category: Option<&'a str>,
    },
    /// A confident answer, with close runners-up to offer.
    Answer {
        entry: &'a Entry,
        score: f32,
        suggestions: Vec<&'a Entry>,
        stages: Stages,
    },
    /// Not a question: a greeting, thanks, "👍", "are you a bot?". Gets
    /// the short reply from `faq/smalltalk.yaml`, and is not a miss.
    SmallTalk {
        reply: &'a str,
        /// The kind's name in `smalltalk.yaml` ("thanks").
        kind: &'a str,
    },
    /// Two entries fit equally well (see [`fusion::tied`]): ask which,
    /// offering both, rather than guess. Not a miss.
    Choose {
        entries: Vec<&'a Entry>,
        /// The first entry's combined score and stages.
        score: f32,
        stages: Stages,
    },
    /// Nothing fits well enough. `nearest` is the closest entry, for the
    /// unmatched log and curators; `suggestions` are worth offering as
    /// "did you mean".
    NoMatch {
        nearest: Option<Nearest<'a>>,
        suggestions: Vec<&'a Entry>,
        stages: Stages,
    },
}

/// The entry nearest to a question no entry answers, with the engine's
/// reading of how near: front ends show these, never compare them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest<'a> {
    pub entry: &'a Entry,
    /// Its score, 0..1.
    pub score: f32,
    /// The score it would have needed to answer (the thresholds differ
    /// when the sentence model took part).
    pub needed: f32,
    /// Near enough that the question is probably this entry's, asked in
    /// words its alternates lack: add them, rather than a new entry.
    pub close: bool,
}

/// A nearest entry at least this share of the score needed is close
/// enough that the question may just be missing alternates.
pub const CLOSE_SHARE: f32 = 0.7;

impl<'a> Nearest<'a> {
    pub(super) fn new(entry: &'a Entry, score: f32, needed: f32) -> Nearest<'a> {
        Nearest {
            entry,
            score,
            needed,
            close: score >= needed * CLOSE_SHARE,
        }
    }
}

impl Outcome<'_> {
    pub fn is_answer(&self) -> bool {
        matches!(self, Outcome::Answer { .. })
    }
}

/// One entry as both stages saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub entry: &'a Entry,
    /// The score that ranks and decides: the combined score when the
    /// sentence model was consulted, else the word score.
    pub score: f32,
    pub stages: Stages,
    /// The phrasing that matched best (by meaning when consulted).
    pub phrasing: usize,
}

/// How the engine saw a question: for `faqbot ask --explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation<'a> {
    /// The language the message was read as.
    pub language: crate::analysis::language::Language,
    /// The sentence model that read it (None when off).
    pub model: Option<&'a str>,
    /// The lexical stage: words, weights and its own threshold.
    pub words: Words,
    /// The best candidates, best first.
    pub ranked: Vec<Candidate<'a>>,
    /// New words as the sentence model weighed them.
    pub new_words: Vec<WeighedWord>,
    /// The sentence of a longer message that matched, when not the whole.
    pub sentence: Option<String>,
    /// The nearest example of what the FAQ does not answer
    /// (`outside.yaml`), when the sentence model was consulted.
    pub outside: Option<fusion::Outside>,
    /// When the message is small talk by the learned decision (not by
    /// form or by its nearest example): the kind and its probability.
    pub small_talk: Option<(&'a str, f32)>,
    /// The learned decision's likeliest classes (an entry's id, or
    /// "outside") with their probabilities, best first.
    pub learned: Vec<(String, f32)>,
    /// Whether the best candidate answers, and why, in plain words.
    pub answers: bool,
    pub reason: String,
}

/// A word the FAQ has never seen, as the engine judged it.
#[derive(Debug, Clone, PartialEq)]
pub struct WeighedWord {
    /// The word as the question wrote it.
    pub word: String,
    /// How much of the question's meaning it carries.
    pub weight: f32,
    /// True: it makes the question about something else (refused); false:
    /// a story word set aside ("my husband").
    pub subject: bool,
}

/// A phrasing that does not lead back to its own entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Misroute<'a> {
    pub entry: &'a Entry,
    /// Which phrasing (0 is the main question).
    pub phrasing: usize,
    /// Where it leads instead, and through which of that entry's
    /// phrasings (None: to no answer at all).
    pub leads_to: Option<(&'a Entry, usize)>,
}

/// Why content could not be turned into an engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Content(#[from] LoadError),
    #[error("the sentence model could not be used: {0}")]
    Model(#[from] ModelError),
}

/// Two phrasings (entry, which phrasing) of different entries that mean
/// nearly the same, and their similarity.
pub type Twin<'a> = ((&'a Entry, usize), (&'a Entry, usize), f32);
