//! "Ask a person": the book of questions handed to the curators' chat.
//!
//! When no entry answers, an asker may press "Ask a person". The question
//! (redacted) is posted to the curators' chat with a short reference like
//! `#K7Q2FA`, never with the asker's name, username or id. A curator's
//! reply to that post is delivered to the asker. To deliver it, the bot
//! must remember which chat the reference belongs to, and only that long:
//! an entry here expires after `--handoff-for` (7 days by default) and is
//! then deleted, answered or not.
//!
//! The book is a small [redb] file of its own (`data/handoffs.redb`, mode
//! 0600), so a restart between the question and the curator's answer loses
//! nothing. It is kept apart from the logs: the unmatched log never learns
//! which chat asked what.
//!
//! [redb]: https://www.redb.org

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::store::{Kind, Store, StoreError};
use crate::records::unmatched;
use crate::records::writer::Appender;

/// reference → the handoff as JSON.
const HANDOFFS: TableDefinition<&str, &[u8]> = TableDefinition::new("handoffs");

/// Letters and digits that cannot be misread for each other (no I, O, 0, 1).
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a reference: 32^6, about a billion.
pub const REF_LEN: usize = 6;

/// One question handed to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    /// The asker's private chat: where the answer goes.
    pub chat: i64,
    /// The asker's message, so the answer can quote it.
    pub message: i32,
    /// The question, redacted, as the curators saw it.
    pub question: String,
    /// When it was handed off, Unix seconds.
    pub asked: i64,
    /// The latest answer a curator gave, for `/draft`.
    pub answer: Option<String>,
}

pub type BookError = StoreError;

const KIND: Kind = Kind {
    what: "the handoff book",
    flag: "--handoffs / FAQBOT_HANDOFFS",
    loss: "answers to the questions in it can then no longer be delivered",
    failing: "questions handed off meanwhile cannot be answered",
};

/// The book on disk. Methods block for a disk write; async code calls
/// them through [`Book::call`].
#[derive(Debug)]
pub struct Book {
    store: Store,
    /// How long a reference lives, in seconds.
    keep_for: i64,
    counter: AtomicU64,
}

impl Book {
    /// Opens the book at `path`, creating it (and its folders, readable by
    /// this user only) if it is not there.
    pub fn open(path: &Path, keep_for: i64) -> Result<Book, BookError> {
        let book = Book {
            store: Store::open(path, KIND)?,
            keep_for,
            counter: AtomicU64::new(0),
        };
        book.store.write(|txn| {
            txn.open_table(HANDOFFS)?;
            Ok(())
        })?;
        Ok(book)
    }

    /// Seconds a reference lives.
    pub fn keep_for(&self) -> i64 {
        self.keep_for
    }

    /// Records a handoff and returns its new reference.
    pub fn create(&self, handoff: &Handoff) -> Result<String, BookError> {
        let value = serde_json::to_vec(handoff).map_err(|e| self.store.error(e))?;
        self.store.write(|txn| {
            let mut table = txn.open_table(HANDOFFS)?;
            loop {
                let reference = self.new_reference();
                if table.get(reference.as_str())?.is_none() {
                    table.insert(reference.as_str(), value.as_slice())?;
                    return Ok(reference);
                }
            }
        })
    }

    /// The handoff `reference` names, unless unknown or expired at `now`.
    pub fn get(&self, reference: &str, now: i64) -> Result<Option<Handoff>, BookError> {
        let found = self.store.read(|txn| {
            let table = txn.open_table(HANDOFFS)?;
            Ok(table.get(reference)?.map(|v| v.value().to_vec()))
        })?;
        Ok(found
            .and_then(|raw| serde_json::from_slice::<Handoff>(&raw).ok())
            .filter(|h| now < h.asked + self.keep_for))
    }

    /// Remembers the latest answer to `reference` (for `/draft`).
    pub fn answered(&self, reference: &str, answer: &str) -> Result<(), BookError> {
        self.store.write(|txn| {
            let mut table = txn.open_table(HANDOFFS)?;
            let current = table
                .get(reference)?
                .and_then(|v| serde_json::from_slice::<Handoff>(v.value()).ok());
            if let Some(mut handoff) = current {
                handoff.answer = Some(answer.to_string());
                if let Ok(value) = serde_json::to_vec(&handoff) {
                    table.insert(reference, value.as_slice())?;
                }
            }
            Ok(())
        })
    }

    /// Forgets a handoff (its post never reached the curators).
    pub fn remove(&self, reference: &str) -> Result<(), BookError> {
        self.store.write(|txn| {
            txn.open_table(HANDOFFS)?.remove(reference)?;
            Ok(())
        })
    }

    /// Deletes every handoff expired at `now`; returns how many.
    pub fn purge(&self, now: i64) -> Result<usize, BookError> {
        let keep_for = self.keep_for;
        self.store.write(|txn| {
            let mut table = txn.open_table(HANDOFFS)?;
            let mut expired = Vec::new();
            for item in table.iter()? {
                let (key, raw) = item?;
                let done = serde_json::from_slice::<Handoff>(raw.value())
                    .map_or(true, |h| now >= h.asked + keep_for);
                if done {
                    expired.push(key.value().to_string());
                }
            }
            for key in &expired {
                table.remove(key.as_str())?;
            }
            Ok(expired.len())
        })
    }

    /// Runs `f` on the book off the async workers.
    pub async fn call<T: Send + 'static>(
        book: &Arc<Book>,
        f: impl FnOnce(&Book) -> Result<T, BookError> + Send + 'static,
    ) -> Result<T, BookError> {
        Store::call(book, |b| &b.store, f).await
    }

    /// A fresh reference: random enough that two never meet in practice
    /// (and [`Book::create`] checks anyway); not a secret, since only the
    /// curators' chat can use one.
    fn new_reference(&self) -> String {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(self.counter.fetch_add(1, Ordering::Relaxed));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        hasher.write_u128(nanos);
        crate::digest::spell(hasher.finish(), REF_LEN, ALPHABET)
    }
}

/// The reference at the start of `text` (`K7Q2FA...`), if it has one:
/// exactly [`REF_LEN`] characters of the alphabet, not followed by another
/// letter or digit.
pub fn reference_at(text: &str) -> Option<&str> {
    let candidate = text.get(..REF_LEN)?;
    let whole = candidate.bytes().all(|b| ALPHABET.contains(&b))
        && !text[REF_LEN..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
    whole.then_some(candidate)
}

/// Handoffs each asker may make in a window, and the window: so one person
/// (or a script) cannot flood the curators' chat.
pub const PER_ASKER: usize = 3;
pub const WINDOW: Duration = Duration::from_secs(3600);
/// Pressed messages remembered before the memory starts over.
const PRESS_MEMORY: usize = 100_000;

/// Everything "Ask a person" needs while the bot runs.
#[derive(Debug)]
pub struct Desk {
    /// The curators' chat (`FAQBOT_CURATOR_CHAT`).
    pub curators: i64,
    pub book: Arc<Book>,
    /// Where `/draft` writes.
    pub drafts: PathBuf,
    log: Appender<unmatched::Handoff>,
    /// Recent handoffs per asker (user id, in memory only).
    recent: Mutex<HashMap<u64, VecDeque<Instant>>>,
    /// Answers already handed off (chat, message): one press each.
    pressed: Mutex<HashSet<(i64, i32)>>,
}

/// Whether an asker may hand off another question now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Yes,
    /// This message's question was handed off already.
    AlreadySent,
    /// Too many in the window.
    TooMany,
}

impl Desk {
    pub fn new(
        curators: i64,
        book: Arc<Book>,
        drafts: PathBuf,
        log: Appender<unmatched::Handoff>,
    ) -> Desk {
        Desk {
            curators,
            book,
            drafts,
            log,
            recent: Mutex::new(HashMap::new()),
            pressed: Mutex::new(HashSet::new()),
        }
    }

    /// Claims a handoff for `user` pressing under `message`; the claim
    /// counts against the user's window. [`Desk::release`] undoes it if
    /// the post could not be made.
    pub fn claim(&self, user: u64, message: (i64, i32)) -> Allowed {
        let now = Instant::now();
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        let mut pressed = self.pressed.lock().unwrap_or_else(|p| p.into_inner());
        if pressed.contains(&message) {
            return Allowed::AlreadySent;
        }
        let times = recent.entry(user).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        if times.len() >= PER_ASKER {
            return Allowed::TooMany;
        }
        times.push_back(now);
        if pressed.len() >= PRESS_MEMORY {
            // Their buttons were removed when pressed; this set only stops
            // a double press racing the removal.
            pressed.clear();
        }
        pressed.insert(message);
        // Forget quiet askers, so the table does not grow without end.
        recent.retain(|_, t| t.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        Allowed::Yes
    }

    /// Gives back a claim whose post failed, so the asker can try again.
    pub fn release(&self, user: u64, message: (i64, i32)) {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(times) = recent.get_mut(&user) {
            times.pop_back();
        }
        let mut pressed = self.pressed.lock().unwrap_or_else(|p| p.into_inner());
        pressed.remove(&message);
    }

    /// Writes a line of the handoff log.
    pub fn record(
        &self,
        reference: &str,
        event: unmatched::HandoffEvent,
        question: Option<&str>,
        draft: Option<&str>,
    ) {
        self.log.append(unmatched::Handoff {
            time: Utc::now(),
            reference: reference.to_string(),
            event,
            question: question.map(str::to_string),
            draft: draft.map(str::to_string),
        });
    }

    /// Days a reference lives, for what people are told.
    pub fn days(&self) -> i64 {
        (self.book.keep_for() + 86_399) / 86_400
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handoff(asked: i64) -> Handoff {
        Handoff {
            chat: 42,
            message: 7,
            question: "is potassium good for rls".into(),
            asked,
            answer: None,
        }
    }

    #[test]
    fn references_survive_reopening_and_expire() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("handoffs.redb");
        let reference = {
            let book = Book::open(&path, 100).unwrap();
            let r = book.create(&handoff(1000)).unwrap();
            assert_eq!(r.len(), REF_LEN);
            assert_eq!(reference_at(&format!("{r}: x")), Some(r.as_str()));
            book.answered(&r, "Ask your doctor.").unwrap();
            r
        };
        let book = Book::open(&path, 100).unwrap();
        let found = book.get(&reference, 1050).unwrap().unwrap();
        assert_eq!(found.answer.as_deref(), Some("Ask your doctor."));
        assert_eq!(book.get(&reference, 1100).unwrap(), None, "expired");
        assert_eq!(book.get("ZZZZZZ", 1050).unwrap(), None);
        let other = book.create(&handoff(1090)).unwrap();
        assert_ne!(other, reference);
        assert_eq!(book.purge(1100).unwrap(), 1);
        assert!(book.get(&other, 1100).unwrap().is_some());
        book.remove(&other).unwrap();
        assert_eq!(book.get(&other, 1100).unwrap(), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn references_are_found_only_whole() {
        assert_eq!(reference_at("ABC234, which"), Some("ABC234"));
        assert_eq!(reference_at("ABC2345"), None);
        assert_eq!(reference_at("abc234"), None);
        assert_eq!(reference_at("AB"), None);
        assert_eq!(reference_at("ÉÉÉ"), None);
        assert_eq!(reference_at("no tag"), None);
    }
}
