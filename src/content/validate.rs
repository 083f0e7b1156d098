//! Checks that need all entries at once: ids, shared phrasings, related
//! links, whether each answer fits in one Telegram message, and the
//! safety wording of each answer ([`super::safety`]).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::answer::{self, TELEGRAM_MESSAGE_LIMIT};
use super::entry::Entry;
use super::problem::Problem;
use super::settings::Settings;
use crate::analysis::fold;

/// Alternates an entry should have. Fewer is a warning, not an error: an
/// entry with its question alone still answers questions worded like it,
/// but people ask in their own words and each alternate is one more way
/// in. Five is the floor the shipped FAQ has always kept.
pub const MIN_ALTERNATES: usize = 5;

/// `broken` holds the ids of entry files that exist but have errors of
/// their own (they did not parse, or are left out for their errors): a
/// link to one is not reported again as a link to nothing.
pub fn cross_check(
    entries: &[Entry],
    paths: &[PathBuf],
    settings: &Settings,
    broken: &HashSet<String>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut ids: HashMap<&str, &PathBuf> = HashMap::new();
    for (entry, path) in entries.iter().zip(paths) {
        if let Some(first) = ids.insert(&entry.id, path) {
            problems.push(Problem::error(
                path,
                None,
                format!(
                    "duplicate id `{}`: {} has the same file name apart from case or extension; rename one",
                    entry.id,
                    first.display()
                ),
            ));
        }
    }

    // Who claims which phrasing: (entry index, phrasing index).
    let mut claimed: HashMap<String, (usize, usize)> = HashMap::new();
    for (e, entry) in entries.iter().enumerate() {
        for (n, phrasing) in entry.phrasings().enumerate() {
            let key = fold::phrase_key(phrasing);
            if key.is_empty() {
                problems.push(Problem::error(
                    &paths[e],
                    Some(entry.phrasing_line(n)),
                    format!("the phrasing \"{phrasing}\" has no words the matcher can use: write it in words"),
                ));
                continue;
            }
            match claimed.get(&key) {
                None => {
                    claimed.insert(key, (e, n));
                }
                Some(&(first_e, _)) if first_e == e => problems.push(Problem::warning(
                    &paths[e],
                    Some(entry.phrasing_line(n)),
                    format!("the phrasing \"{phrasing}\" is listed twice in this entry: delete one"),
                )),
                Some(&(first_e, first_n)) => problems.push(Problem::error(
                    &paths[e],
                    Some(entry.phrasing_line(n)),
                    format!(
                        "the phrasing \"{phrasing}\" is also used by {}:{}; a question can lead to only one entry, so keep it in one of them",
                        paths[first_e].display(),
                        entries[first_e].phrasing_line(first_n)
                    ),
                )),
            }
        }
        if entry.alternates.len() < MIN_ALTERNATES {
            let have = match entry.alternates.len() {
                0 => "no alternates".to_string(),
                1 => "only 1 alternate".to_string(),
                n => format!("only {n} alternates"),
            };
            problems.push(Problem::warning(
                &paths[e],
                Some(entry.lines.question),
                format!(
                    "{have}; an entry needs at least {MIN_ALTERNATES} to be found reliably: add the ways people really ask this (short, informal, misspelt, with abbreviations)"
                ),
            ));
        }
    }

    let mut footers: Vec<(Option<&str>, String)> = vec![(None, settings.footer.clone())];
    let other_languages = settings.semantic.enabled && settings.semantic.other_languages;
    for code in settings.languages.keys().filter(|_| other_languages) {
        if let Some(language) = crate::analysis::language::Language::from_code(code) {
            footers.push((
                Some(code.as_str()),
                settings.in_language(language).footer.clone(),
            ));
        }
    }
    for (e, entry) in entries.iter().enumerate() {
        for (n, related) in entry.related.iter().enumerate() {
            let line = entry.lines.related.get(n).copied();
            if related == &entry.id {
                problems.push(Problem::warning(
                    &paths[e],
                    line,
                    "an entry does not need to list itself as related",
                ));
            } else if !ids.contains_key(related.as_str()) && !broken.contains(related) {
                problems.push(Problem::error(
                    &paths[e],
                    line,
                    format!(
                        "related entry `{related}` does not exist: use the file name of another entry, without `.md`"
                    ),
                ));
            }
        }
        problems.extend(super::safety::check(entry, &paths[e]));
        // With the longest footer it is sent with: English, or a
        // language's own (see `languages:` in settings.yaml).
        let (len, language) = footers
            .iter()
            .map(|(language, footer)| (answer::answer_len(&entry.answer, footer), *language))
            .max_by_key(|(len, _)| *len)
            .unwrap_or((0, None));
        if len > TELEGRAM_MESSAGE_LIMIT {
            let which = language.map_or(String::new(), |code| {
                format!(" (as sent to a question in `{code}`, with that language's footer)")
            });
            problems.push(Problem::error(
                &paths[e],
                Some(entry.lines.answer),
                format!(
                    "the answer with the footer{which} is {len} characters, over Telegram's {TELEGRAM_MESSAGE_LIMIT} for one message: shorten it by {} or split it into two entries",
                    len - TELEGRAM_MESSAGE_LIMIT
                ),
            ));
        }
    }
    problems
}

/// Translations whose answer, with the footer of their language, would
/// not fit in one Telegram message.
pub fn translations_fit(translations: &super::Translations, settings: &Settings) -> Vec<Problem> {
    let mut problems: Vec<Problem> = translations
        .iter()
        .filter_map(|t| {
            let footer = settings.in_language_translated(t.language).footer.clone();
            let len = answer::answer_len(&t.entry.answer, &footer);
            (len > TELEGRAM_MESSAGE_LIMIT).then(|| {
                Problem::error(
                    &t.entry.path,
                    Some(t.entry.lines.answer),
                    format!(
                        "the answer with the footer is {len} characters, over Telegram's {TELEGRAM_MESSAGE_LIMIT} for one message: shorten it by {}",
                        len - TELEGRAM_MESSAGE_LIMIT
                    ),
                )
            })
        })
        .collect();
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    problems
}
