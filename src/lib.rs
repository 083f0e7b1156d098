//! faqbot: a Telegram FAQ bot about restless legs syndrome and magnesium.
//!
//! The crate is split by job, each module usable without the others above it:
//!
//! - [`content`]: FAQ entry files and settings: loading and checking.
//! - [`analysis`]: folding, stemming, stopwords, typos: text into terms.
//! - [`matcher`]: finds the entry a question asks about (no Telegram here).
//! - [`semantic`]: the sentence model and the phrasings' vectors.
//! - [`engine`]: content, triage, small talk and both matching stages behind one `ask` call.
//! - [`triage`], [`smalltalk`]: emergencies first, and "hi" / "thanks" that are not misses.
//! - [`markdown`], [`reply`]: what the bot says, as plain text or HTML.
//! - [`unmatched`]: the log of questions nobody could answer.
//! - [`stats`], [`jsonl`]: usage records and the single writer behind them.
//! - [`private_files`]: data files and folders only this user can read.
//! - [`bot`], [`logging`]: the Telegram bot and its logs.
//! - [`draft`]: new entry files for curators, never overwriting.
//! - [`import`]: drafts from source articles and spreadsheets.
//! - [`log_reader`]: reading the bot's logs, tolerating damaged lines.
//! - [`review`]: the unmatched questions grouped for curators.
//! - [`report`]: the curators' HTML report.
//! - [`cli`]: the `faqbot` command line.

pub mod analysis;
pub mod bot;
pub mod cli;
pub mod content;
pub mod draft;
pub mod engine;
pub mod import;
pub mod jsonl;
pub mod log_reader;
pub mod logging;
pub mod markdown;
pub mod matcher;
pub mod parallel;
pub mod private_files;
pub mod reply;
pub mod report;
pub mod review;
pub mod semantic;
pub mod smalltalk;
pub mod stats;
pub mod triage;
pub mod unmatched;
