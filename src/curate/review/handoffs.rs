//! Questions handed to a person ("Ask a person" in the bot), as curators
//! review them: one line per question with whether a person answered and
//! which drafts came from it, read from the handoff log (no ids in it).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::records::unmatched::{Handoff, HandoffEvent};

/// One handed-off question and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandedOff {
    /// The reference the curators' chat saw (`K7Q2FA`).
    pub reference: String,
    pub asked: DateTime<Utc>,
    /// The question, redacted (empty if its `asked` line is missing).
    pub question: String,
    /// How many answers a person gave (each was delivered).
    pub answers: usize,
    /// Draft files made from it with `/draft`.
    pub drafts: Vec<String>,
}

impl HandedOff {
    /// Plain words for its state.
    pub fn status(&self) -> String {
        let answered = match self.answers {
            0 => "no answer yet".to_string(),
            1 => "answered by a person".to_string(),
            n => format!("answered by a person ({n} replies)"),
        };
        if self.drafts.is_empty() {
            answered
        } else {
            format!("{answered}; draft {}", self.drafts.join(", "))
        }
    }
}

/// The log's lines folded into one item per reference, newest first;
/// lines before `since` are left out.
pub fn summarize(lines: &[Handoff], since: Option<DateTime<Utc>>) -> Vec<HandedOff> {
    let mut out: Vec<HandedOff> = Vec::new();
    for line in lines {
        let index = match out.iter().position(|h| h.reference == line.reference) {
            Some(i) => i,
            None => {
                out.push(HandedOff {
                    reference: line.reference.clone(),
                    asked: line.time,
                    question: String::new(),
                    answers: 0,
                    drafts: Vec::new(),
                });
                out.len() - 1
            }
        };
        let item = &mut out[index];
        match line.event {
            HandoffEvent::Asked => {
                item.asked = line.time;
                item.question = line.question.clone().unwrap_or_default();
            }
            HandoffEvent::Answered => item.answers += 1,
            HandoffEvent::Drafted => item.drafts.extend(line.draft.clone()),
        }
    }
    out.retain(|h| since.is_none_or(|since| h.asked >= since));
    out.sort_by_key(|h| std::cmp::Reverse(h.asked));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(minute: u32, reference: &str, event: HandoffEvent) -> Handoff {
        Handoff {
            time: DateTime::parse_from_rfc3339(&format!("2026-11-21T10:{minute:02}:00Z"))
                .unwrap()
                .with_timezone(&Utc),
            reference: reference.into(),
            event,
            question: (event == HandoffEvent::Asked).then(|| format!("question {reference}")),
            draft: (event == HandoffEvent::Drafted).then(|| format!("{reference}.md")),
        }
    }

    #[test]
    fn folds_each_reference_into_its_story() {
        let lines = [
            line(1, "AAAAAA", HandoffEvent::Asked),
            line(2, "BBBBBB", HandoffEvent::Asked),
            line(3, "AAAAAA", HandoffEvent::Answered),
            line(4, "AAAAAA", HandoffEvent::Drafted),
        ];
        let items = summarize(&lines, None);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].reference, "BBBBBB", "newest first");
        assert_eq!(items[0].status(), "no answer yet");
        assert_eq!(items[1].question, "question AAAAAA");
        assert_eq!(items[1].status(), "answered by a person; draft AAAAAA.md");
        let since = lines[1].time;
        assert_eq!(summarize(&lines, Some(since)).len(), 1);
    }
}
