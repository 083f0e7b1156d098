//! The curators' report: one self-contained HTML page showing how the bot
//! is doing and where the FAQ needs work.
//!
//! This module gathers the figures from the logs and the FAQ ([`Report`]);
//! [`html`] renders them and [`chart`] draws the daily chart as inline SVG.
//! The page has no scripts and loads nothing, so it opens offline in any
//! browser and can be mailed as one file.

pub mod chart;
pub mod html;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::content::Faq;
use crate::curate::review::Group;
use crate::records::unmatched::Record;
use crate::records::usage::{Answered, Feedback, Vote};

/// Questions answered and unmatched on one day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub answered: usize,
    pub unmatched: usize,
}

/// Votes on one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Votes {
    pub id: String,
    /// The entry's question, when it still exists.
    pub question: Option<String>,
    pub up: usize,
    pub down: usize,
}

/// An entry nobody asked about in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unasked {
    pub id: String,
    pub question: String,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub generated: DateTime<Utc>,
    /// The `--since` day, if the report covers only part of the logs.
    pub since: Option<NaiveDate>,
    /// Every day from the first to the last with any question, gaps as 0.
    pub days: Vec<Day>,
    /// The biggest unmatched groups, numbered from 1 as `faqbot unmatched`.
    pub groups: Vec<Group>,
    pub group_count: usize,
    /// Entries with at least one 👎, most 👎 first.
    pub disliked: Vec<Votes>,
    /// None when the FAQ could not be loaded.
    pub never_asked: Option<Vec<Unasked>>,
    pub entries: Option<usize>,
    /// Questions handed to a person ("Ask a person"), newest first.
    pub handed_off: Vec<crate::curate::review::handoffs::HandedOff>,
    /// Things the reader should know: missing logs, damaged lines, a FAQ
    /// with errors. Plain sentences.
    pub notes: Vec<String>,
}

impl Report {
    pub fn answered(&self) -> usize {
        self.days.iter().map(|d| d.answered).sum()
    }

    pub fn unmatched(&self) -> usize {
        self.days.iter().map(|d| d.unmatched).sum()
    }
}

/// Counts per day, every day from the first to the last so the chart shows
/// quiet days as quiet rather than skipping them.
pub fn days(answered: &[Answered], unmatched: &[Record]) -> Vec<Day> {
    let mut counts: BTreeMap<NaiveDate, (usize, usize)> = BTreeMap::new();
    for a in answered {
        counts.entry(a.date).or_default().0 += 1;
    }
    for r in unmatched {
        counts.entry(r.time.date_naive()).or_default().1 += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| {
            let (answered, unmatched) = counts.get(&date).copied().unwrap_or_default();
            Day {
                date,
                answered,
                unmatched,
            }
        })
        .collect()
}

/// Entries with 👎 votes, most 👎 first (then fewest 👍, then id).
pub fn disliked(feedback: &[Feedback], faq: Option<&Faq>) -> Vec<Votes> {
    let mut by_entry: HashMap<&str, (usize, usize)> = HashMap::new();
    for f in feedback {
        let v = by_entry.entry(f.entry.as_str()).or_default();
        match f.vote {
            Vote::Up => v.0 += 1,
            Vote::Down => v.1 += 1,
        }
    }
    let mut votes: Vec<Votes> = by_entry
        .into_iter()
        .filter(|(_, (_, down))| *down > 0)
        .map(|(id, (up, down))| Votes {
            id: id.to_string(),
            question: faq.and_then(|f| f.get(id)).map(|e| e.question.clone()),
            up,
            down,
        })
        .collect();
    votes.sort_by(|a, b| {
        b.down
            .cmp(&a.down)
            .then(a.up.cmp(&b.up))
            .then_with(|| a.id.cmp(&b.id))
    });
    votes
}

/// Entries no answered question used, in id order.
pub fn never_asked(faq: &Faq, answered: &[Answered]) -> Vec<Unasked> {
    let asked: HashSet<&str> = answered.iter().map(|a| a.entry.as_str()).collect();
    faq.entries
        .iter()
        .filter(|e| !asked.contains(e.id.as_str()))
        .map(|e| Unasked {
            id: e.id.clone(),
            question: e.question.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Entry, Settings};
    use crate::records::unmatched::ChatKind;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn answered(d: u32, entry: &str) -> Answered {
        Answered {
            date: date(d),
            entry: entry.into(),
        }
    }

    fn vote(entry: &str, vote: Vote) -> Feedback {
        Feedback {
            time: "2026-11-01T10:00:00Z".parse().unwrap(),
            entry: entry.into(),
            vote,
        }
    }

    fn faq() -> Faq {
        let entry = |id: &str| Entry {
            id: id.into(),
            question: format!("{id}?"),
            alternates: vec![format!("{id} alt")],
            answer: "A".into(),
            related: vec![],
            lines: Default::default(),
            path: Default::default(),
        };
        Faq::from_entries(
            "faq".into(),
            vec![entry("dose"), entry("timing"), entry("foods")],
            Settings::default(),
        )
        .unwrap()
    }

    #[test]
    fn days_fill_gaps_and_count_both_kinds() {
        let unmatched = vec![Record::new(
            "2026-11-04T23:59:00Z".parse().unwrap(),
            "q",
            None,
            ChatKind::Group,
        )];
        let d = days(&[answered(1, "dose"), answered(1, "timing")], &unmatched);
        assert_eq!(d.len(), 4);
        assert_eq!((d[0].answered, d[0].unmatched), (2, 0));
        assert_eq!((d[1].answered, d[1].unmatched), (0, 0));
        assert_eq!((d[3].date, d[3].unmatched), (date(4), 1));
        assert!(days(&[], &[]).is_empty());
    }

    #[test]
    fn most_disliked_first_with_questions() {
        let f = faq();
        let votes = disliked(
            &[
                vote("dose", Vote::Down),
                vote("dose", Vote::Up),
                vote("gone", Vote::Down),
                vote("gone", Vote::Down),
                vote("timing", Vote::Up),
            ],
            Some(&f),
        );
        assert_eq!(votes.len(), 2);
        assert_eq!(
            (
                votes[0].id.as_str(),
                votes[0].down,
                votes[0].question.as_deref()
            ),
            ("gone", 2, None)
        );
        assert_eq!(
            (votes[1].up, votes[1].question.as_deref()),
            (1, Some("dose?"))
        );
    }

    #[test]
    fn never_asked_lists_unused_entries() {
        let unasked = never_asked(&faq(), &[answered(1, "dose"), answered(2, "gone")]);
        let ids: Vec<&str> = unasked.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["foods", "timing"]);
    }
}
