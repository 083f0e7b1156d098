//! Spacing sends evenly within Telegram's limits.
//!
//! Telegram allows a bot about 30 messages a second in all, about one a
//! second in one chat, and 20 a minute in one group; past that it answers
//! 429 and pauses the bot. teloxide's `Throttle` kept to those limits by
//! letting a second's worth of messages out at once, about 29 in 30 ms,
//! which invites exactly those 429s. Here each send reserves the next free
//! slot instead: slots are [`GLOBAL_GAP`] apart overall and [`PRIVATE_GAP`]
//! or [`GROUP_GAP`] apart in one chat, so messages leave at an even pace.
//!
//! Reservations are made in the order sends ask for them. Fairness between
//! chats is the job queue's (round robin, one job per chat at a time); the
//! pacer only keeps the rhythm.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Between any two messages: 25 a second, leaving room under Telegram's
/// 30 for the network's jitter and the odd edit.
pub const GLOBAL_GAP: Duration = Duration::from_millis(40);
/// Between two messages to one private chat.
pub const PRIVATE_GAP: Duration = Duration::from_secs(1);
/// Between two messages to one group: 20 a minute.
pub const GROUP_GAP: Duration = Duration::from_secs(3);
/// Chats remembered before the ones whose slot has passed are forgotten.
const REMEMBERED_CHATS: usize = 10_000;

/// The send schedule, shared by every job.
#[derive(Debug)]
pub struct Pacer {
    slots: Mutex<Slots>,
}

#[derive(Debug)]
struct Slots {
    /// The earliest time the next message may leave, any chat.
    global: Instant,
    /// The earliest time the next message to each chat may leave.
    chats: HashMap<i64, Instant>,
    /// When the last send actually started.
    last_sent: Option<Instant>,
}

impl Default for Pacer {
    fn default() -> Pacer {
        Pacer::new()
    }
}

impl Pacer {
    pub fn new() -> Pacer {
        Pacer {
            slots: Mutex::new(Slots {
                global: Instant::now(),
                chats: HashMap::new(),
                last_sent: None,
            }),
        }
    }

    /// Waits for the next slot to send a message to `chat`.
    ///
    /// The reserved slot spaces sends as planned; but a task can wake late
    /// (a busy machine), and several late ones would then leave together.
    /// So after waking, each send also waits until [`GLOBAL_GAP`] has passed
    /// since the last send actually started.
    pub async fn wait(&self, chat: i64) {
        let at = self.reserve(chat, Instant::now());
        tokio::time::sleep_until(at).await;
        loop {
            let next = {
                let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                let earliest = slots.last_sent.map_or(now, |last| last + GLOBAL_GAP);
                if now >= earliest {
                    slots.last_sent = Some(now);
                    return;
                }
                earliest
            };
            tokio::time::sleep_until(next).await;
        }
    }

    /// Reserves the next slot for `chat` and returns when it is.
    pub fn reserve(&self, chat: i64, now: Instant) -> Instant {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let chat_slot = slots.chats.get(&chat).copied().unwrap_or(now);
        let at = now.max(slots.global).max(chat_slot);
        slots.global = at + GLOBAL_GAP;
        if slots.chats.len() >= REMEMBERED_CHATS {
            slots.chats.retain(|_, slot| *slot > now);
        }
        slots.chats.insert(chat, at + gap(chat));
        at
    }
}

/// Group and channel ids are negative; private chats are users' ids.
fn gap(chat: i64) -> Duration {
    if chat < 0 { GROUP_GAP } else { PRIVATE_GAP }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_are_spaced_overall_and_per_chat() {
        let pacer = Pacer::new();
        let now = Instant::now();
        // Ten chats asking at once leave GLOBAL_GAP apart, not in a burst.
        let slots: Vec<Instant> = (1..=10).map(|c| pacer.reserve(c, now)).collect();
        for pair in slots.windows(2) {
            assert_eq!(pair[1] - pair[0], GLOBAL_GAP);
        }
        // A second message to chat 1 waits a second after its first.
        assert_eq!(pacer.reserve(1, now) - slots[0], PRIVATE_GAP);
        // A group waits three.
        let group = pacer.reserve(-100, now);
        assert_eq!(pacer.reserve(-100, now) - group, GROUP_GAP);
    }

    #[test]
    fn an_idle_pacer_sends_at_once() {
        let pacer = Pacer::new();
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(pacer.reserve(1, later), later);
    }
}
