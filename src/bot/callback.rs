//! What a button means, packed into Telegram's 64-byte callback data.
//!
//! Buttons name entries by id, not by position, so a button pressed after a
//! reload still means the entry it showed (or is recognised as stale). An
//! id too long to fit is sent as a hash of the id and found again by
//! hashing every id: curators name files freely, Telegram's limit is fixed.
//! The same encoding serves as the id of inline-mode results, which Telegram
//! limits to 64 bytes as well.

use crate::analysis::language::Language;
use crate::content::{Entry, Faq};
use crate::records::usage::Vote;

/// Telegram's limit for callback data and inline result ids, in bytes.
pub const DATA_LIMIT: usize = 64;

/// A button's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send this entry's answer, in this language (the language of the
    /// reply the button was under: its translation, or the English answer
    /// with that language's footer).
    Answer(EntryKey, Language),
    /// A 👍 / 👎 on an answer of this entry.
    Vote(EntryKey, Vote),
    /// Show this page of `/topics`.
    Topics(usize),
    /// "Ask a person": hand the question this no-match reply quotes to the
    /// curators' chat. The question travels with the pressed message (the
    /// reply quotes it), so the button needs no data of its own.
    AskPerson,
}

/// An entry as a button names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKey {
    Id(String),
    Hash(u64),
}

impl EntryKey {
    pub fn of(entry: &Entry) -> EntryKey {
        EntryKey::Id(entry.id.clone())
    }

    /// The entry, if it still exists.
    pub fn resolve<'a>(&self, faq: &'a Faq) -> Option<&'a Entry> {
        match self {
            EntryKey::Id(id) => faq.get(id),
            EntryKey::Hash(h) => faq.entries.iter().find(|e| fnv1a(&e.id) == *h),
        }
    }

    fn encode(&self, prefix: &str) -> String {
        match self {
            EntryKey::Id(id) if prefix.len() + 1 + id.len() <= DATA_LIMIT => {
                format!("{prefix}:{id}")
            }
            EntryKey::Id(id) => format!("{prefix}#{:016x}", fnv1a(id)),
            EntryKey::Hash(h) => format!("{prefix}#{h:016x}"),
        }
    }
}

impl Action {
    /// Callback data, always 1 to 64 bytes.
    pub fn encode(&self) -> String {
        match self {
            Action::Answer(key, language) if language.is_english() => key.encode("a"),
            Action::Answer(key, language) => key.encode(&format!("a-{language}")),
            Action::Vote(key, Vote::Up) => key.encode("u"),
            Action::Vote(key, Vote::Down) => key.encode("d"),
            Action::Topics(page) => format!("t:{page}"),
            Action::AskPerson => "p".to_string(),
        }
    }

    /// Reads callback data; `None` for anything this bot did not make.
    pub fn decode(data: &str) -> Option<Action> {
        if data == "p" {
            return Some(Action::AskPerson);
        }
        if let Some(page) = data.strip_prefix("t:") {
            return page.parse().ok().map(Action::Topics);
        }
        let (kind, key) = if let Some((kind, id)) = data.split_once(':') {
            (kind, EntryKey::Id(id.to_string()))
        } else {
            let (kind, hash) = data.split_once('#')?;
            (kind, EntryKey::Hash(u64::from_str_radix(hash, 16).ok()?))
        };
        if matches!(&key, EntryKey::Id(id) if id.is_empty()) {
            return None;
        }
        match kind {
            "a" => Some(Action::Answer(key, Language::ENGLISH)),
            // A button under a reply in another language: "a-es".
            _ if kind.starts_with("a-") => Language::from_code(&kind[2..])
                .filter(|l| !l.is_english())
                .map(|language| Action::Answer(key, language)),
            "u" => Some(Action::Vote(key, Vote::Up)),
            "d" => Some(Action::Vote(key, Vote::Down)),
            _ => None,
        }
    }
}

/// FNV-1a: a hash that is the same in every build and on every machine,
/// unlike `std`'s, so buttons sent before a restart still work after it.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for action in [
            Action::Answer(EntryKey::Id("rls-dosage".into()), Language::ENGLISH),
            Action::Answer(
                EntryKey::Id("rls-dosage".into()),
                Language::from_code("es").unwrap(),
            ),
            Action::Vote(EntryKey::Id("best-type".into()), Vote::Up),
            Action::Vote(EntryKey::Id("best-type".into()), Vote::Down),
            Action::Topics(3),
            Action::AskPerson,
            Action::Answer(EntryKey::Hash(0xdead_beef), Language::ENGLISH),
            Action::Answer(
                EntryKey::Hash(0xdead_beef),
                Language::from_code("tr").unwrap(),
            ),
        ] {
            let data = action.encode();
            assert!(!data.is_empty() && data.len() <= DATA_LIMIT, "{data}");
            assert_eq!(Action::decode(&data), Some(action));
        }
    }

    #[test]
    fn long_ids_are_hashed_to_fit() {
        let id = "é".repeat(40);
        let data = Action::Vote(EntryKey::Id(id.clone()), Vote::Up).encode();
        assert!(data.len() <= DATA_LIMIT, "{data}");
        assert_eq!(
            Action::decode(&data),
            Some(Action::Vote(EntryKey::Hash(fnv1a(&id)), Vote::Up))
        );
        let fits = "x".repeat(DATA_LIMIT - 2);
        assert_eq!(
            Action::Answer(EntryKey::Id(fits.clone()), Language::ENGLISH).encode(),
            format!("a:{fits}")
        );
    }

    #[test]
    fn foreign_data_is_refused() {
        for data in [
            "", "a:", "zz:x", "t:x", "a#nothex", "hello", "a-ja:x", "a-en:x", "a-:x",
        ] {
            assert_eq!(Action::decode(data), None, "{data}");
        }
    }
}
