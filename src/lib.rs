//! faqbot: a Telegram FAQ bot about restless legs syndrome and magnesium.
//!
//! The crate is split by job, in layers: each module uses only those listed
//! before it (the bot and the command line are front ends on top).
//!
//! - [`private_files`], [`parallel`], [`digest`], [`rng`]: small helpers any
//!   layer may use.
//! - [`analysis`]: folding, stemming, stopwords, typos, synonyms: text into
//!   terms.
//! - [`markdown`]: the answers' simple Markdown, parsed and rendered plain.
//! - [`content`]: FAQ entry files and settings: loading and checking.
//! - [`matcher`]: the word stage: an index of phrasings and its scoring.
//! - [`semantic`]: the sentence model and the phrasings' vectors.
//! - [`tune`]: fitting the sentence model to the FAQ's own examples.
//! - [`triage`], [`smalltalk`]: emergencies first, and "hi" / "thanks" that
//!   are not misses.
//! - [`engine`]: content, triage, small talk and both matching stages behind
//!   one `ask` call; every decision about scores is made here.
//! - [`reply`]: what the bot says, as plain text.
//! - [`records`]: the logs the bot keeps for curators, written and read.
//! - [`curate`]: the curators' tools: review, drafts, import, report.
//! - [`bot`], [`logging`]: the Telegram front end and its logs.
//! - [`cli`]: the `faqbot` command line.
//!
//! The library exists for the binary, its tests and benchmarks; its docs
//! are for the people working on it, read with `cargo doc
//! --document-private-items`, where links to private items (a module's
//! constants, its private helpers) resolve.

#![allow(rustdoc::private_intra_doc_links)]

pub mod analysis;
pub mod bot;
pub mod cli;
pub mod content;
pub mod curate;
pub mod digest;
pub mod engine;
pub mod logging;
pub mod markdown;
pub mod matcher;
pub mod parallel;
pub mod private_files;
pub mod records;
pub mod reply;
pub mod rng;
pub mod semantic;
pub mod smalltalk;
pub mod triage;
pub mod tune;
