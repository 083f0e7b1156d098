//! Test support shared by the `bot_*` end-to-end tests: a fake Telegram Bot
//! API server and the real `faqbot run` binary pointed at it.

#![allow(dead_code, unused_imports)]

pub mod fake;
pub mod html;
pub mod process;

pub use fake::{BOT_USERNAME, FakeTelegram, Fault, Sent, TOKEN};
pub use process::{BotProcess, Options};

/// The disclaimer footer as it appears to the reader.
pub fn footer() -> String {
    faqbot::content::Settings::default().footer
}

/// The secret half of the token: must never appear in any log line.
pub fn token_secret() -> &'static str {
    TOKEN.split_once(':').unwrap().1
}
