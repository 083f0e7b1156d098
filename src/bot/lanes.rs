//! Fair queues: one lane per person in each chat, served round robin, one
//! job at a time.
//!
//! Before lanes, one user who sent 120 messages held every other user's
//! answer up for two minutes: updates were handled in arrival order. Then
//! each chat had a lane, and in a group that was still one queue: twenty
//! members asking at once filled it, and half of them were told "still
//! answering your earlier questions" about questions they never sent. Now
//! each person has a lane in each chat ([`LaneKey`]). A lane has at most
//! one job running, so a person's answers arrive in the order asked, and
//! lanes with work take turns, so a busy person delays only themselves.
//! The pace Telegram allows in one chat is the pacer's business.
//!
//! A lane holds at most `cap` waiting jobs. What arrives beyond that is
//! turned away: the caller finishes it without an answer, and the first
//! time a lane overflows the caller is told, so it can send one "still
//! answering your earlier questions" note. The lane's memory of that note
//! lasts until its queue empties.
//!
//! Pure data, no clocks and no tasks, so it is tested directly.

use std::collections::{HashMap, VecDeque};

use std::hash::Hash;

/// Which lane a job belongs to: a person in a chat. Updates without a chat
/// (inline queries) use the person's id as the chat: private chat ids are
/// user ids, so a user's inline queries and private chat share a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LaneKey {
    pub chat: i64,
    /// The sender; 0 when an update has none.
    pub person: i64,
}

/// What happened to a pushed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admitted {
    Queued,
    /// The lane was full; the job was not queued. `first` is true the first
    /// time this lane overflowed since it was last empty.
    Full {
        first: bool,
    },
}

#[derive(Debug)]
struct Lane<J> {
    jobs: VecDeque<J>,
    running: bool,
    told_full: bool,
}

/// Lanes of jobs of type `J`, keyed by `K` (a [`LaneKey`] in the bot).
#[derive(Debug)]
pub struct Lanes<K, J> {
    lanes: HashMap<K, Lane<J>>,
    /// Lanes with a waiting job and none running, in turn order.
    ready: VecDeque<K>,
    cap: usize,
}

impl<K: Copy + Eq + Hash, J> Lanes<K, J> {
    /// Lanes holding at most `cap` waiting jobs each (at least one).
    pub fn new(cap: usize) -> Lanes<K, J> {
        Lanes {
            lanes: HashMap::new(),
            ready: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Queues `job` at the back of lane `key`, unless the lane is full.
    pub fn push(&mut self, key: K, job: J) -> Admitted {
        let cap = self.cap;
        let lane = self.lane(key);
        if lane.jobs.len() >= cap {
            let first = !lane.told_full;
            lane.told_full = true;
            return Admitted::Full { first };
        }
        lane.jobs.push_back(job);
        self.mark_ready(key);
        Admitted::Queued
    }

    /// Does lane `key` hold `cap` waiting jobs?
    pub fn is_full(&self, key: K) -> bool {
        self.lanes
            .get(&key)
            .is_some_and(|l| l.jobs.len() >= self.cap)
    }

    /// Queues `job` first in lane `key`, past the cap: for what must not
    /// wait its turn (an urgent message, the "still answering" note).
    pub fn push_front(&mut self, key: K, job: J) {
        self.lane(key).jobs.push_front(job);
        self.mark_ready(key);
    }

    /// The next job to run: the first job of the lane whose turn it is.
    /// The lane counts as running until [`Lanes::done`].
    pub fn take_next(&mut self) -> Option<(K, J)> {
        while let Some(key) = self.ready.pop_front() {
            let Some(lane) = self.lanes.get_mut(&key) else {
                continue;
            };
            if lane.running {
                continue;
            }
            if let Some(job) = lane.jobs.pop_front() {
                lane.running = true;
                return Some((key, job));
            }
        }
        None
    }

    /// The running job of lane `key` finished: the lane goes to the back of
    /// the line if it has more, and is forgotten if not.
    pub fn done(&mut self, key: K) {
        let Some(lane) = self.lanes.get_mut(&key) else {
            return;
        };
        lane.running = false;
        if lane.jobs.is_empty() {
            self.lanes.remove(&key);
        } else {
            self.ready.push_back(key);
        }
    }

    /// Jobs waiting, all lanes.
    pub fn waiting(&self) -> usize {
        self.lanes.values().map(|l| l.jobs.len()).sum()
    }

    fn lane(&mut self, key: K) -> &mut Lane<J> {
        self.lanes.entry(key).or_insert_with(|| Lane {
            jobs: VecDeque::new(),
            running: false,
            told_full: false,
        })
    }

    fn mark_ready(&mut self, key: K) {
        let idle = self.lanes.get(&key).is_some_and(|l| !l.running);
        if idle && !self.ready.contains(&key) {
            self.ready.push_back(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flooding_chat_takes_turns_with_the_others() {
        let mut lanes = Lanes::new(100);
        for i in 0..50 {
            lanes.push(1, format!("flood {i}"));
        }
        lanes.push(2, "quiet".to_string());
        let (key, job) = lanes.take_next().unwrap();
        assert_eq!((key, job.as_str()), (1, "flood 0"));
        // Chat 1 is busy: chat 2 goes next, not flood 1.
        let (key, job) = lanes.take_next().unwrap();
        assert_eq!((key, job.as_str()), (2, "quiet"));
        assert!(lanes.take_next().is_none(), "one job per lane at a time");
        lanes.done(1);
        lanes.done(2);
        assert_eq!(lanes.take_next().unwrap().1, "flood 1");
        assert_eq!(lanes.waiting(), 48);
    }

    #[test]
    fn a_full_lane_turns_jobs_away_and_says_so_once() {
        let mut lanes = Lanes::new(2);
        assert_eq!(lanes.push(1, 'a'), Admitted::Queued);
        assert_eq!(lanes.push(1, 'b'), Admitted::Queued);
        assert!(lanes.is_full(1));
        assert_eq!(lanes.push(1, 'c'), Admitted::Full { first: true });
        assert_eq!(lanes.push(1, 'd'), Admitted::Full { first: false });
        // Urgent work still gets in, first.
        lanes.push_front(1, '!');
        assert_eq!(lanes.take_next(), Some((1, '!')));
        // Once the lane empties, a new overflow is told again.
        lanes.done(1);
        assert_eq!(lanes.take_next(), Some((1, 'a')));
        lanes.done(1);
        assert_eq!(lanes.take_next(), Some((1, 'b')));
        lanes.done(1);
        assert_eq!(lanes.take_next(), None);
        for c in ['e', 'f'] {
            lanes.push(1, c);
        }
        assert_eq!(lanes.push(1, 'g'), Admitted::Full { first: true });
    }
}
