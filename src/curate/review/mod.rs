//! The unmatched-question review: the log's questions grouped by what they
//! ask, biggest group first, each with the nearest existing entry.
//!
//! Curators act per topic, not per message: "how much potassium", "potasium
//! dose?" and "dose of potassium" are one missing entry. So questions are
//! reduced to a key with the matcher's own normalisation (folding, stems,
//! synonyms, no filler words; see [`key`]), identical keys are grouped in one
//! pass, and only then are near keys merged ([`cluster`]), which keeps a
//! 100,000-line log to a few seconds. The nearest entry is looked up once per
//! group, not per question.

pub mod cluster;
pub mod handoffs;
pub mod show;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::analysis::Analyzer;
use crate::analysis::fold;
use crate::analysis::language::Language;
use crate::content::Settings;
use crate::engine::{Engine, Outcome};
use crate::records::unmatched::Record;
use crate::semantic::ModelError;

/// Questions asking the same thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// A short reference that stays the group's as the log grows (a digest
    /// of its first-asked wording), for `faqbot new --group REF`. Numbers
    /// move when other groups grow; this does not.
    pub reference: String,
    /// How many times it was asked, all wordings together.
    pub count: usize,
    /// The most common wording.
    pub question: String,
    /// Every distinct wording with its count, most common first (the first
    /// is `question`). Wordings differing only in case or punctuation are one.
    pub variants: Vec<Variant>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The nearest entry now, when it was looked up ([`attach_nearest`]).
    pub nearest: Option<Nearest>,
    /// What a curator should do, when the FAQ was available to tell.
    pub suggestion: Option<Suggestion>,
    /// Questions its wordings followed in their conversations, when they
    /// were read after them and still refused (most recent first, each
    /// once, at most [`MAX_AFTER`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// The language of its most common wording, when not English ("es").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Previous questions kept per group.
pub const MAX_AFTER: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub question: String,
    pub count: usize,
    /// The language it was read in, when not English ("es").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The entry the bot comes closest to answering with, and how close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nearest {
    pub id: String,
    pub question: String,
    pub score: f32,
    /// The score an answer needs (the engine's word, per question).
    pub needed: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Suggestion {
    /// The FAQ answers it now (it changed since the question was logged).
    AnsweredNow,
    /// An entry comes close: if it asks the same, add these as alternates.
    AddAlternates,
    /// Nothing comes close: it needs an entry of its own.
    NewEntry,
}

/// A question's key: its sorted, de-duplicated terms as the matcher sees
/// them. "What's the dose of potassium?" and "potassium doses" share one.
/// Questions made only of filler ("hello", "thanks") keep their words, so
/// they do not all fall into one group.
pub fn key(analyzer: &Analyzer, question: &str) -> Vec<String> {
    let mut terms: Vec<String> = analyzer
        .analyze(question)
        .into_iter()
        .map(|t| t.stem)
        .collect();
    if terms.is_empty() {
        terms = fold::words(question);
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// One wording and when it was asked.
struct Seen<'a> {
    text: &'a str,
    count: usize,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    /// The language it was read in, when not English.
    language: Option<&'a str>,
}

impl Seen<'_> {
    fn add(&mut self, other: &Seen<'_>) {
        self.count += other.count;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }
}

/// Groups `records`, biggest group first. Ties go to the more recently
/// asked group, then alphabetically, so group numbers are stable between
/// runs on the same log (`faqbot new --group N` relies on that).
pub fn group<'a>(records: impl IntoIterator<Item = &'a Record>, settings: &Settings) -> Vec<Group> {
    let analyzer = &settings.analyzer();
    let records: Vec<&Record> = records.into_iter().collect();
    // 1. Exact texts: most logs repeat the same few questions.
    let mut texts: HashMap<&str, Seen<'_>> = HashMap::new();
    for record in records.iter().copied() {
        let q = record.question.trim();
        let seen = Seen {
            text: q,
            count: 1,
            first: record.time,
            last: record.time,
            language: record.language.as_deref(),
        };
        texts.entry(q).and_modify(|s| s.add(&seen)).or_insert(seen);
    }

    // 2. Wordings: texts equal apart from case, accents and punctuation.
    // Each shows as its most common text.
    let mut wordings: HashMap<String, (Seen<'_>, usize)> = HashMap::new();
    for seen in texts.into_values() {
        let best = seen.count;
        match wordings.entry(fold::phrase_key(seen.text)) {
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let (w, best_count) = o.get_mut();
                if (best, seen.text) > (*best_count, w.text) {
                    w.text = seen.text;
                    *best_count = best;
                }
                w.add(&seen);
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((seen, best));
            }
        }
    }
    let mut wordings: Vec<Seen<'_>> = wordings.into_values().map(|(w, _)| w).collect();
    wordings.sort_unstable_by(|a, b| a.text.cmp(b.text));

    // 3. Keys: wordings asking the same thing in other words.
    let mut key_index: HashMap<Vec<String>, usize> = HashMap::new();
    let mut keys: Vec<Vec<String>> = Vec::new();
    let mut key_of_wording = Vec::with_capacity(wordings.len());
    for w in &wordings {
        let k = key(analyzer, w.text);
        let next = keys.len();
        let i = *key_index.entry(k.clone()).or_insert(next);
        if i == next {
            keys.push(k);
        }
        key_of_wording.push(i);
    }

    // 4. Near keys: typos and small differences.
    let clusters = cluster::cluster(&keys);
    let mut members: HashMap<usize, Vec<&Seen<'_>>> = HashMap::new();
    for (w, k) in wordings.iter().zip(key_of_wording) {
        members.entry(clusters[k]).or_default().push(w);
    }

    let mut groups: Vec<Group> = members.into_values().map(make_group).collect();
    attach_after(&mut groups, &records);
    sort_groups(&mut groups);
    groups
}

/// Each group's previous questions (see [`Group::after`]), from the
/// records of its wordings.
fn attach_after(groups: &mut [Group], records: &[&Record]) {
    let mut by_text: HashMap<String, Vec<&Record>> = HashMap::new();
    for record in records.iter().filter(|r| r.after.is_some()) {
        let text = crate::analysis::fold::squash_whitespace(record.question.trim());
        by_text.entry(text).or_default().push(record);
    }
    if by_text.is_empty() {
        return;
    }
    for group in groups {
        let mut found: Vec<&Record> = group
            .variants
            .iter()
            .filter_map(|v| by_text.get(&v.question))
            .flatten()
            .copied()
            .collect();
        found.sort_by_key(|r| std::cmp::Reverse(r.time));
        for record in found {
            if let Some(after) = &record.after
                && !group.after.contains(after)
                && group.after.len() < MAX_AFTER
            {
                group.after.push(after.clone());
            }
        }
    }
}

fn make_group(mut wordings: Vec<&Seen<'_>>) -> Group {
    wordings.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.first.cmp(&b.first))
            .then_with(|| a.text.cmp(b.text))
    });
    let count = wordings.iter().map(|w| w.count).sum();
    let first_seen = wordings.iter().map(|w| w.first).min().unwrap_or_default();
    let first_asked = wordings
        .iter()
        .min_by(|a, b| a.first.cmp(&b.first).then_with(|| a.text.cmp(b.text)))
        .map_or("", |w| w.text);
    let last_seen = wordings.iter().map(|w| w.last).max().unwrap_or_default();
    let variants: Vec<Variant> = wordings
        .iter()
        .map(|w| Variant {
            question: crate::analysis::fold::squash_whitespace(w.text),
            count: w.count,
            language: w.language.map(str::to_string),
        })
        .collect();
    let language = variants.first().and_then(|v| v.language.clone());
    Group {
        reference: reference(first_asked),
        count,
        question: variants
            .first()
            .map(|v| v.question.clone())
            .unwrap_or_default(),
        variants,
        first_seen,
        last_seen,
        nearest: None,
        suggestion: None,
        after: Vec::new(),
        language,
    }
}

/// Groups compared across languages, biggest first: the rest are the
/// questions asked once or twice, and embedding every one of a long log
/// would take minutes.
pub const ACROSS_LANGUAGES_MAX: usize = 1000;

/// Joins groups in other languages to the group asking the same in
/// English (or another language), as the engine judges it (see
/// [`crate::engine::across`]): "¿cuánto potasio debo tomar?" is one more
/// wording of "how much potassium should i take", and counts with it.
/// Without a group in another language, the groups are left as they are
/// and no model is loaded; so they are when the model fails.
pub fn join_across_languages(groups: &mut Vec<Group>) -> Result<(), ModelError> {
    let considered = groups.len().min(ACROSS_LANGUAGES_MAX);
    let questions: Vec<(&str, Language)> = groups[..considered]
        .iter()
        .map(|g| {
            let language = g.language.as_deref().and_then(Language::from_code);
            (g.question.as_str(), language.unwrap_or(Language::ENGLISH))
        })
        .collect();
    let joins = crate::engine::across::same_questions(&questions)?;
    *groups = join(std::mem::take(groups), &joins);
    Ok(())
}

/// `groups` with each group `i` that `joins[i]` names another for merged
/// into that one: counts added, wordings together (most asked first),
/// the joined group's reference kept. Biggest first again.
fn join(groups: Vec<Group>, joins: &[Option<usize>]) -> Vec<Group> {
    let mut slots: Vec<Option<Group>> = groups.into_iter().map(Some).collect();
    for (from, to) in joins.iter().enumerate() {
        let Some(to) = *to else { continue };
        if from == to {
            continue;
        }
        let Some(moved) = slots.get_mut(from).and_then(Option::take) else {
            continue;
        };
        let Some(Some(target)) = slots.get_mut(to) else {
            slots[from] = Some(moved);
            continue;
        };
        target.count += moved.count;
        target.first_seen = target.first_seen.min(moved.first_seen);
        target.last_seen = target.last_seen.max(moved.last_seen);
        target.variants.extend(moved.variants);
        target.variants.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.question.cmp(&b.question))
        });
        for after in moved.after {
            if !target.after.contains(&after) && target.after.len() < MAX_AFTER {
                target.after.push(after);
            }
        }
    }
    let mut groups: Vec<Group> = slots.into_iter().flatten().collect();
    sort_groups(&mut groups);
    groups
}

/// Biggest group first; ties to the more recently asked, then
/// alphabetically, so group numbers are stable between runs.
fn sort_groups(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last_seen.cmp(&a.last_seen))
            .then_with(|| a.question.cmp(&b.question))
    });
}

/// Characters in a group's reference: 31^5, about 29 million.
pub const REFERENCE_LEN: usize = 5;

/// The reference of a group whose first-asked wording is `wording`.
pub fn reference(wording: &str) -> String {
    crate::digest::short(fold::phrase_key(wording).as_bytes(), REFERENCE_LEN)
}

/// Does `text` look like a group reference rather than a number?
pub fn is_reference(text: &str) -> bool {
    text.len() == REFERENCE_LEN && text.chars().any(|c| c.is_ascii_alphabetic())
}

/// Looks up the nearest entry for each group, once per group (its most
/// common wording stands for all), and what a curator should do about it.
pub fn attach_nearest(groups: &mut [Group], engine: &Engine) {
    for group in groups {
        let outcome = engine.ask(&group.question);
        let (best, needed, suggestion) = match outcome {
            Outcome::Answer { entry, score, .. } => {
                (Some((entry, score)), score, Suggestion::AnsweredNow)
            }
            Outcome::NoMatch {
                nearest: Some(near),
                ..
            } => {
                let suggestion = if near.close {
                    Suggestion::AddAlternates
                } else {
                    Suggestion::NewEntry
                };
                (Some((near.entry, near.score)), near.needed, suggestion)
            }
            // Outcomes that name no entry (nothing near, or a safety reply
            // taking precedence) need a new entry.
            _ => (None, 0.0, Suggestion::NewEntry),
        };
        group.nearest = best.map(|(entry, score)| Nearest {
            id: entry.id.clone(),
            question: entry.question.clone(),
            score,
            needed,
        });
        group.suggestion = Some(suggestion);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::unmatched::ChatKind;

    fn analyzer() -> Analyzer {
        Settings::default().analyzer()
    }

    fn record(day: u32, q: &str) -> Record {
        let time = format!("2026-11-{day:02}T10:00:00Z")
            .parse::<DateTime<Utc>>()
            .unwrap();
        Record::new(time, q, None, ChatKind::Private)
    }

    #[test]
    fn keys_ignore_wording_and_apply_synonyms() {
        let a = analyzer();
        assert_eq!(
            key(&a, "What's the dose of potassium?"),
            key(&a, "what potassium doses")
        );
        assert_eq!(
            key(&a, "potassium for RLS"),
            key(&a, "restless legs potassium")
        );
        assert_ne!(key(&a, "how much potassium"), key(&a, "when potassium"));
        assert_eq!(key(&a, "hello"), ["hello"]);
        assert!(key(&a, "🙂").is_empty());
    }

    #[test]
    fn a_follow_ups_previous_questions_come_with_its_group() {
        let records = vec![
            record(1, "which brand then").after(Some("best time for magnesium")),
            record(2, "Which brand then?").after(Some("how much magnesium")),
            record(3, "which brand then").after(Some("how much magnesium")),
            record(4, "weather in london"),
        ];
        let groups = group(&records, &Settings::default());
        let brand = groups
            .iter()
            .find(|g| g.question.to_lowercase().contains("brand"))
            .expect("a group");
        assert_eq!(
            brand.after,
            ["how much magnesium", "best time for magnesium"],
            "most recent first, each once"
        );
        let weather = groups.iter().find(|g| g.question.contains("weather"));
        assert!(weather.is_some_and(|g| g.after.is_empty()));
    }

    #[test]
    fn groups_biggest_first_with_variants_and_dates() {
        let records = vec![
            record(1, "Potassium dose?"),
            record(2, "potassium dose"),
            record(3, "dose of potasium"),
            record(4, "dose of potassium"),
            record(5, "Magnesium for my dog?"),
            record(6, "magnesium for dogs"),
            record(7, "weather in london"),
        ];
        let groups = group(&records, &Settings::default());
        assert_eq!(groups.len(), 3, "{groups:#?}");
        let g = &groups[0];
        assert_eq!(g.count, 4);
        assert_eq!(g.question, "potassium dose");
        assert_eq!(g.variants[0].count, 2, "{g:#?}");
        assert_eq!(g.variants.len(), 3);
        assert_eq!(g.first_seen, records[0].time);
        assert_eq!(g.last_seen, records[3].time);
        assert_eq!(groups[1].count, 2);
        assert_eq!(groups[2].question, "weather in london");
    }

    #[test]
    fn a_group_joined_across_languages_counts_with_the_one_it_joins() {
        let records = vec![
            record(1, "how much potassium should i take"),
            record(2, "how much potassium should i take"),
            record(3, "¿cuánto potasio debo tomar?")
                .in_language(Language::from_code("es").unwrap()),
            record(4, "weather in london"),
        ];
        let groups = group(&records, &Settings::default());
        assert_eq!(groups.len(), 3);
        let spanish = groups.iter().position(|g| g.language.is_some()).unwrap();
        let english = groups.iter().position(|g| g.count == 2).unwrap();
        let reference = groups[english].reference.clone();
        let mut joins = vec![None; groups.len()];
        joins[spanish] = Some(english);
        let joined = join(groups, &joins);
        assert_eq!(joined.len(), 2);
        let potassium = &joined[0];
        assert_eq!(potassium.count, 3);
        assert_eq!(
            potassium.reference, reference,
            "the joined group's reference stays"
        );
        assert_eq!(potassium.language, None);
        assert_eq!(potassium.variants.len(), 2);
        assert_eq!(potassium.variants[1].language.as_deref(), Some("es"));
        assert_eq!(potassium.first_seen, records[0].time);
        assert_eq!(potassium.last_seen, records[2].time);
    }

    #[test]
    fn empty_input_gives_no_groups() {
        assert!(group(&[], &Settings::default()).is_empty());
        let odd = vec![record(1, ""), record(1, "🙂"), record(2, "   ")];
        let groups = group(&odd, &Settings::default());
        assert_eq!(groups.iter().map(|g| g.count).sum::<usize>(), 3);
    }
}
