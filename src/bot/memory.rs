//! The bot's short memory of conversations: the last question each person
//! asked in each chat, so a follow-up ("and when should I take it?") is
//! read in its context (see [`crate::engine::Engine::ask_after`]).
//!
//! Kept in memory only, for a few minutes (`--follow-up-for`), never
//! written to disk or to the logs: it is what people wrote. Keyed by chat
//! and person, so two people in one group never share a thread. /start
//! forgets it; so does a restart.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::engine::Previous;

/// Threads kept at most; past this, the oldest are dropped first. A bound
/// so a flood of new people cannot grow memory without end.
const MAX_THREADS: usize = 10_000;

/// The last question per person per chat.
pub struct Memory {
    keep_for: Duration,
    threads: Mutex<HashMap<(i64, u64), (Previous, Instant)>>,
}

// Hand-written so a debug print of the app never shows what people asked.
impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("keep_for", &self.keep_for)
            .finish_non_exhaustive()
    }
}

impl Memory {
    /// A memory keeping each question for `keep_for`; zero keeps nothing
    /// (every message is read alone).
    pub fn new(keep_for: Duration) -> Memory {
        Memory {
            keep_for,
            threads: Mutex::new(HashMap::new()),
        }
    }

    /// The person's previous question in this chat, if still fresh.
    pub fn recall(&self, chat: i64, person: u64) -> Option<Previous> {
        let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        match threads.get(&(chat, person)) {
            Some((previous, at)) if at.elapsed() < self.keep_for => Some(previous.clone()),
            Some(_) => {
                threads.remove(&(chat, person));
                None
            }
            None => None,
        }
    }

    /// Keeps `previous` as the person's thread in this chat (None forgets).
    pub fn remember(&self, chat: i64, person: u64, previous: Option<Previous>) {
        let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        match previous.filter(|_| !self.keep_for.is_zero()) {
            Some(previous) => {
                if threads.len() >= MAX_THREADS {
                    let keep_for = self.keep_for;
                    threads.retain(|_, (_, at)| at.elapsed() < keep_for);
                    if threads.len() >= MAX_THREADS
                        && let Some(oldest) = threads
                            .iter()
                            .min_by_key(|(_, (_, at))| *at)
                            .map(|(key, _)| *key)
                    {
                        threads.remove(&oldest);
                    }
                }
                threads.insert((chat, person), (previous, Instant::now()));
            }
            None => {
                threads.remove(&(chat, person));
            }
        }
    }

    /// Forgets the person's thread in this chat (/start).
    pub fn forget(&self, chat: i64, person: u64) {
        self.remember(chat, person, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn previous(q: &str) -> Option<Previous> {
        Some(Previous {
            question: q.to_string(),
            entry: None,
            language: crate::analysis::language::Language::ENGLISH,
        })
    }

    #[test]
    fn threads_are_per_person_per_chat_and_expire() {
        let memory = Memory::new(Duration::from_millis(200));
        memory.remember(-1, 7, previous("a"));
        memory.remember(-1, 8, previous("b"));
        memory.remember(5, 7, previous("c"));
        assert_eq!(memory.recall(-1, 7), previous("a"));
        assert_eq!(memory.recall(-1, 8), previous("b"));
        assert_eq!(memory.recall(5, 7), previous("c"));
        memory.forget(-1, 7);
        assert_eq!(memory.recall(-1, 7), None);
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(memory.recall(-1, 8), None, "expired");
    }

    #[test]
    fn zero_keeps_nothing() {
        let memory = Memory::new(Duration::ZERO);
        memory.remember(1, 1, previous("a"));
        assert_eq!(memory.recall(1, 1), None);
    }
}
