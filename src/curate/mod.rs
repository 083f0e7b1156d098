//! The curators' tools: everything that helps people who are not
//! programmers keep `faq/` good, apart from the bot that serves it.
//!
//! - [`review`]: the unmatched questions grouped by topic, with the
//!   nearest entry and what to do (`faqbot unmatched`).
//! - [`draft`]: new entry files that never overwrite and never reuse a
//!   wording (`faqbot new`, the curators' chat's `/draft`).
//! - [`import`]: drafts from source articles and spreadsheets.
//! - [`report`]: the one-page HTML report.
//! - [`outside`]: questions filed as outside the FAQ in `outside.yaml`
//!   (`faqbot outside`).

pub mod draft;
pub mod import;
pub mod outside;
pub mod report;
pub mod review;
