//! faqbot's integration tests, as one test binary.
//!
//! Each file beside this one is a module: the `bot_*` files run the real
//! binary against the fake Bot API in `support/`; the others run the
//! command line (`common/` holds its helpers) or the library on real files.
//! One binary instead of one per file: each would link candle, tokenizers
//! and teloxide again, and linking is most of a test build. Run one file's
//! tests with `cargo test --test tests bot_reload::`.
//!
//! Tests that need something this machine may lack (Chromium, the shared
//! evaluation sets beside the checkout) are `#[ignore]` with the reason, so
//! `cargo test` lists them as ignored instead of passing silently; `.ci/run`
//! runs them where what they need is present.

mod common;
mod support;

mod bot_chat;
mod bot_durability;
mod bot_follow_up;
mod bot_handoff;
mod bot_hearing;
mod bot_reload;
mod bot_resilience;
mod cli;
mod content;
mod embedding;
mod import;
mod languages;
mod layers;
mod new;
mod outside;
mod properties;
mod quality;
mod report;
mod semantic;
mod triage;
mod tune;
mod unmatched;
