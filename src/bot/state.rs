//! What the handlers share: live content, the record writers, and the
//! little memory the bot keeps (which messages were voted on, which inline
//! queries are still being typed).
//!
//! Nothing here identifies a person on disk: the vote book and the inline
//! typing table live in memory only, and what is written holds entry ids,
//! times and (for unmatched questions) the redacted question.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;

use super::handoff::Desk;
use super::memory::Memory;
use super::reload::Content;
use crate::analysis::language::Language;
use crate::engine::Engine;
use crate::records::unmatched::{ChatKind, Missed, Record};
use crate::records::usage::{Answered, Feedback, Vote};
use crate::records::writer::Appender;

/// How many voted messages to remember. Past this the oldest are forgotten;
/// their vote buttons were removed when they were voted on anyway.
const VOTE_MEMORY: usize = 100_000;

/// State shared by every handler.
#[derive(Debug)]
pub struct App {
    pub content: Arc<Content>,
    unmatched: Appender<Record>,
    feedback: Appender<Feedback>,
    answered: Appender<Answered>,
    votes: Mutex<VoteBook>,
    typing: Mutex<HashMap<u64, u64>>,
    /// How long an inline query must stay unchanged before it counts as the
    /// question the user meant (see `handlers::note_inline_question`).
    pub inline_settle: Duration,
    /// "Ask a person", when a curators' chat is set.
    pub desk: Option<Arc<Desk>>,
    /// Each person's last question per chat, for follow-ups.
    pub memory: Memory,
}

/// The writers for the records the bot keeps.
#[derive(Debug, Clone)]
pub struct Records {
    pub unmatched: Appender<Record>,
    pub feedback: Appender<Feedback>,
    pub answered: Appender<Answered>,
}

impl App {
    pub fn new(content: Arc<Content>, records: Records, inline_settle: Duration) -> App {
        App {
            content,
            unmatched: records.unmatched,
            feedback: records.feedback,
            answered: records.answered,
            votes: Mutex::new(VoteBook::default()),
            typing: Mutex::new(HashMap::new()),
            inline_settle,
            desk: None,
            memory: Memory::new(Duration::ZERO),
        }
    }

    /// Keeps each person's last question for `keep_for`, to read a
    /// follow-up in context.
    pub fn with_memory(mut self, keep_for: Duration) -> App {
        self.memory = Memory::new(keep_for);
        self
    }

    /// Turns "Ask a person" on.
    pub fn with_desk(mut self, desk: Option<Arc<Desk>>) -> App {
        self.desk = desk;
        self
    }

    pub fn engine(&self) -> Arc<Engine> {
        self.content.get()
    }

    /// Counts an answer served from `entry` today (UTC).
    pub fn answered(&self, entry: &str) {
        self.answered.append(Answered {
            date: Utc::now().date_naive(),
            entry: entry.to_string(),
        });
    }

    /// Logs a question nobody could answer (redacted by [`Record::new`]).
    pub fn unmatched(
        &self,
        question: &str,
        best: Option<(&str, f32)>,
        chat: ChatKind,
        language: Language,
    ) {
        self.unmatched_after(question, None, best, chat, language);
    }

    /// Logs an unmatched question that was also read after `previous`, the
    /// question before it in its conversation (both redacted).
    pub fn unmatched_after(
        &self,
        question: &str,
        previous: Option<&str>,
        best: Option<(&str, f32)>,
        chat: ChatKind,
        language: Language,
    ) {
        self.unmatched.append(
            Record::new(Utc::now(), question, best, chat)
                .after(previous)
                .in_language(language),
        );
    }

    /// Logs a question that got no answer without being matched (turned
    /// away, no longer fresh), redacted like every unmatched question.
    pub fn missed(&self, question: &str, chat: ChatKind, why: Missed) {
        self.unmatched
            .append(Record::missed(Utc::now(), question, chat, why));
    }

    /// Records a vote if `message` has none yet; says whether it counted.
    pub fn vote(&self, message: VoteKey, entry: &str, vote: Vote) -> bool {
        let first = match self.votes.lock() {
            Ok(mut book) => book.first(message),
            Err(poisoned) => poisoned.into_inner().first(message),
        };
        if first {
            self.feedback.append(Feedback {
                time: Utc::now(),
                entry: entry.to_string(),
                vote,
            });
        }
        first
    }

    /// Inline queries arrive as the user types ("wh", "what ca", ...). Only
    /// the last one a user settles on is logged as unmatched: this returns a
    /// ticket, and [`App::settled`] says later whether it is still the
    /// user's latest query. The user id is a key in memory, never written.
    pub fn typing(&self, user: u64) -> u64 {
        let mut table = self.typing.lock().unwrap_or_else(|p| p.into_inner());
        let ticket = table.get(&user).map_or(1, |t| t.wrapping_add(1));
        table.insert(user, ticket);
        ticket
    }

    /// Is `ticket` still `user`'s latest inline query? Forgets the user if so.
    pub fn settled(&self, user: u64, ticket: u64) -> bool {
        let mut table = self.typing.lock().unwrap_or_else(|p| p.into_inner());
        if table.get(&user) == Some(&ticket) {
            table.remove(&user);
            true
        } else {
            false
        }
    }
}

/// A message that can be voted on: in a chat, or sent through inline mode.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VoteKey {
    Message { chat: i64, message: i32 },
    Inline(String),
}

/// Which messages have a vote, oldest forgotten first.
#[derive(Debug, Default)]
struct VoteBook {
    voted: HashSet<VoteKey>,
    order: VecDeque<VoteKey>,
}

impl VoteBook {
    fn first(&mut self, key: VoteKey) -> bool {
        if !self.voted.insert(key.clone()) {
            return false;
        }
        self.order.push_back(key);
        if self.order.len() > VOTE_MEMORY
            && let Some(old) = self.order.pop_front()
        {
            self.voted.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_vote_per_message() {
        let mut book = VoteBook::default();
        let key = VoteKey::Message {
            chat: 1,
            message: 2,
        };
        assert!(book.first(key.clone()));
        assert!(!book.first(key));
        assert!(book.first(VoteKey::Inline("x".into())));
    }
}
