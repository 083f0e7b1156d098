//! The unmatched-question log: what people asked that the FAQ could not
//! answer, for curators to review.
//!
//! Health questions are sensitive, so a record holds no user ids, names or
//! usernames, and personal details in the question are redacted before
//! anything is written (see [`super::redact`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::analysis::language::Language;

pub use super::redact::{STORED_CHARS, redact};

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
    /// Set when the question was never put to the FAQ: why it got no
    /// answer. Unset for the FAQ's own misses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed: Option<Missed>,
    /// The question it followed in its conversation, redacted, when it was
    /// read after that one and still refused: "why then?" alone tells a
    /// curator nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The language it was read in, as its code ("es"), when not English:
    /// curators see it beside the question. Absent in older logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Why a question got no answer without being matched at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missed {
    /// Its sender had too many questions waiting (`--person-queue`).
    TurnedAway,
    /// It waited longer than `--fresh-for` (the bot was down or could not
    /// reach Telegram).
    NotFresh,
}

impl Missed {
    /// In plain words, for curators.
    pub fn describe(self) -> &'static str {
        match self {
            Missed::TurnedAway => {
                "turned away: the person had too many questions waiting (they were asked to send it again)"
            }
            Missed::NotFresh => {
                "dropped: it waited too long to be answered (the bot was down or could not reach Telegram)"
            }
        }
    }
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
            missed: None,
            after: None,
            language: None,
        }
    }

    /// The same record, read after `previous` in its conversation.
    pub fn after(self, previous: Option<&str>) -> Record {
        Record {
            after: previous.map(redact),
            ..self
        }
    }

    /// The same record, read in `language` (nothing is written for
    /// English, the content's own language).
    pub fn in_language(self, language: Language) -> Record {
        Record {
            language: (!language.is_english()).then(|| language.code().to_string()),
            ..self
        }
    }

    /// A question that got no answer for `why`, never matched.
    pub fn missed(time: DateTime<Utc>, question: &str, chat: ChatKind, why: Missed) -> Record {
        Record {
            missed: Some(why),
            ..Record::new(time, question, None, chat)
        }
    }
}

/// One line of the handoff log (JSON Lines): a question handed to a
/// person with "Ask a person", and what became of it. Like the unmatched
/// log it holds no ids or names: only the reference the curators' chat saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub time: DateTime<Utc>,
    /// The reference shown in the curators' chat (`K7Q2FA`).
    pub reference: String,
    pub event: HandoffEvent,
    /// The question, redacted (on `asked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The draft's file name (on `drafted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandoffEvent {
    /// The asker pressed "Ask a person"; the question went to the curators.
    Asked,
    /// A curator's reply was delivered to the asker.
    Answered,
    /// A curator turned it into a draft entry with `/draft`.
    Drafted,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let away = Record::missed(time, "dose?", ChatKind::Group, Missed::TurnedAway);
        let line = serde_json::to_string(&away).unwrap();
        assert!(
            line.ends_with(r#""chat":"group","missed":"turned_away"}"#),
            "{line}"
        );
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), away);
        // The language is written when it is not English.
        let spanish = Record::new(time, "dosis de potasio", None, ChatKind::Private);
        let english = spanish.clone().in_language(Language::ENGLISH);
        assert!(
            !serde_json::to_string(&english)
                .unwrap()
                .contains("language")
        );
        let spanish = spanish.in_language(Language::from_code("es").unwrap());
        let line = serde_json::to_string(&spanish).unwrap();
        assert!(line.ends_with(r#""language":"es"}"#), "{line}");
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), spanish);
    }
}
