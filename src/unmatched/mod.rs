//! The unmatched-question log: what people asked that the FAQ could not
//! answer, for curators to review.
//!
//! Health questions are sensitive, so a record holds no user ids, names or
//! usernames, and e-mail addresses and phone numbers in the question are
//! redacted before anything is written.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// Where a question was asked. Kind only, never which chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatKind {
    Private,
    Group,
    Inline,
}

/// One line of the log (JSON Lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// When it was asked, UTC, written as RFC 3339.
    pub time: DateTime<Utc>,
    /// The question, redacted.
    pub question: String,
    /// The nearest entry's id, if any entry shared a word with it.
    pub best: Option<String>,
    /// The nearest entry's score (0 when there was none).
    pub score: f32,
    pub chat: ChatKind,
}

impl Record {
    /// A record for `question`, redacting personal details.
    pub fn new(
        time: DateTime<Utc>,
        question: &str,
        best: Option<(&str, f32)>,
        chat: ChatKind,
    ) -> Record {
        Record {
            time,
            question: redact(question),
            best: best.map(|(id, _)| id.to_string()),
            score: best.map_or(0.0, |(_, s)| s),
            chat,
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+").expect("email pattern is valid")
});

/// A run of digits with the usual phone separators; checked for at least
/// seven digits so doses like "200-400 mg" are left alone.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d[\d\s().\-/]{5,}\d").expect("phone pattern is valid"));

/// Replaces e-mail addresses with `[email]` and phone numbers with `[phone]`.
pub fn redact(text: &str) -> String {
    let text = EMAIL.replace_all(text, "[email]");
    PHONE
        .replace_all(&text, |caps: &regex::Captures<'_>| {
            let m = &caps[0];
            if m.chars().filter(char::is_ascii_digit).count() >= 7 {
                "[phone]".to_string()
            } else {
                m.to_string()
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_emails_and_phones_but_not_doses() {
        assert_eq!(
            redact("mail me at jo.doe+x@mail.example.com pls"),
            "mail me at [email] pls"
        );
        assert_eq!(redact("call +44 20 7946 0958 now"), "call [phone] now");
        assert_eq!(
            redact("my number is (555) 123-4567"),
            "my number is [phone]"
        );
        assert_eq!(
            redact("is 200-400 mg ok? or 310–420 mg"),
            "is 200-400 mg ok? or 310–420 mg"
        );
        assert_eq!(redact("1000 mg"), "1000 mg");
    }

    #[test]
    fn record_round_trips_as_one_json_line() {
        let time = DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let r = Record::new(
            time,
            "potassium dose? a@b.co",
            Some(("rls-dosage", 0.31)),
            ChatKind::Group,
        );
        let line = serde_json::to_string(&r).unwrap();
        assert_eq!(
            line,
            r#"{"time":"2026-11-21T10:00:00Z","question":"potassium dose? [email]","best":"rls-dosage","score":0.31,"chat":"group"}"#
        );
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r);
    }
}
