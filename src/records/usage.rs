//! Usage records for curators: answer counts and 👍/👎 votes.
//!
//! Both are JSON Lines holding entry ids, dates and votes only: no question
//! text, no user or chat ids. The bot appends them; `faqbot report` reads them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One answered question: which entry, which day (`data/answered.jsonl`).
/// Per-day counts are these lines grouped by date and entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answered {
    pub date: NaiveDate,
    pub entry: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vote {
    Up,
    Down,
}

/// One vote on an answer (`data/feedback.jsonl`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub time: DateTime<Utc>,
    pub entry: String,
    pub vote: Vote,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_look_as_documented() {
        let a = Answered {
            date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            entry: "rls-dosage".into(),
        };
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"date":"2026-11-21","entry":"rls-dosage"}"#
        );
        let f: Feedback =
            serde_json::from_str(r#"{"time":"2026-11-21T10:00:00Z","entry":"x","vote":"down"}"#)
                .unwrap();
        assert_eq!(f.vote, Vote::Down);
    }
}
