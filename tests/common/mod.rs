//! Helpers shared by the binary tests: run the built `faqbot`, make logs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's real FAQ folder.
pub fn faq_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("faq")
}

/// Runs `faqbot ARGS` with `--faq` pointing at `faq`.
pub fn faqbot(faq: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--faq")
        .arg(faq)
        .args(args)
        .env_remove("FAQBOT_UNMATCHED_LOG")
        .env_remove("FAQBOT_ANSWERED_LOG")
        .env_remove("FAQBOT_FEEDBACK_LOG")
        .env_remove("FAQBOT_FAQ_DIR")
        .env_remove("FAQBOT_DRAFTS_DIR")
        .env_remove("FAQBOT_JOURNAL")
        .output()
        .expect("the faqbot binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One unmatched-log line, as the bot writes it.
pub fn log_line(time: &str, question: &str) -> String {
    let record = serde_json::json!({
        "time": time,
        "question": question,
        "best": null,
        "score": 0.0,
        "chat": "private",
    });
    format!("{record}\n")
}
