//! Text analysis: from what someone typed to the terms compared.
//!
//! One layer under everything that compares words (the matcher, triage,
//! small talk, the review of unmatched questions, content checks), so that
//! all of them see "What’s RLS??", "whats rls" and "WHAT IS RLS" alike. The
//! steps, in the order they run:
//!
//! - [`fold`]: case, Unicode forms, accents, curly quotes, contractions,
//!   chat spellings ("u" = "you"); word and sentence splitting; the key
//!   two phrasings share when they are the same words.
//! - [`stem`]: English Snowball stems ("supplements" = "supplement").
//! - [`stopwords`]: filler words that carry no meaning in a question.
//! - [`lexicon`]: the words a FAQ knows, for typo correction and for
//!   completing a word still being typed.
//! - [`language`]: which language a message is in.
//! - [`reference`](mod@reference): words that point back at an earlier message, for
//!   reading a follow-up in its conversation.
//! - [`analyzer`]: the pipeline: fold, correct typos (questions only),
//!   stem, replace synonyms, drop filler, giving weighted [`Term`]s.
//!
//! Nothing here knows about entries, scores or Telegram.

pub mod analyzer;
pub mod fold;
pub mod language;
pub mod lexicon;
pub mod reference;
pub mod stem;
pub mod stopwords;

pub use analyzer::{Analyzer, SynonymGroup, Term, Typing};
