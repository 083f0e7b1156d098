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

/// A copy of the real FAQ in `tmp/faq`, without the files named in
/// `leave_out`, for tests that change it.
pub fn faq_copy(tmp: &Path, leave_out: &[&str]) -> PathBuf {
    let dir = tmp.join("faq");
    std::fs::create_dir(&dir).unwrap();
    for item in std::fs::read_dir(faq_dir()).unwrap() {
        let path = item.unwrap().path();
        let name = path.file_name().unwrap();
        if path.is_file() && !leave_out.iter().any(|l| name == *l) {
            std::fs::copy(&path, dir.join(name)).unwrap();
        }
    }
    dir
}

/// The reference `faqbot unmatched` shows in brackets for the group whose
/// main wording is `question`.
pub fn group_reference(review: &str, question: &str) -> String {
    let line = review
        .lines()
        .find(|l| l.contains(&format!("] \"{question}\"")))
        .unwrap_or_else(|| panic!("no group \"{question}\" in {review}"));
    line.split('[').nth(1).unwrap()[..5].to_string()
}
