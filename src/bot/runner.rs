//! Running jobs: from journaled updates to replies, fairly, and a shutdown
//! that always ends.
//!
//! Each update the bot acts on becomes a job in its sender's lane in its
//! chat ([`Lanes`]); what it would not answer (group chatter, other bots,
//! service messages) is finished at once and takes no place. Lanes take
//! turns, at most [`Settings::workers`] jobs run at once, and each job runs
//! the dptree handler tree ([`super::schema`]) with an [`Outbox`] that
//! retries and paces its sends. When a job ends, its update is removed from
//! the journal: answered, refused by Telegram, no longer fresh, or needing
//! no answer. A job that panics is logged (update id and kind only), its
//! update removed, and the bot goes on.
//!
//! On stop, no new job starts; running ones get [`Settings::drain`] to
//! finish and are then cancelled. Whatever did not finish stays in the
//! journal and is answered after the next start.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{Me, MessageId, UpdateKind};
use tokio::sync::{mpsc, watch};
use tokio::task::{Id, JoinSet};
use tokio::time::Instant;

use super::Tg;
use super::compose;
use super::handlers::{Addressed, addressed, send_reply};
use super::journal::{Journal, Pending};
use super::lanes::{Admitted, LaneKey, Lanes};
use super::pace::Pacer;
use super::send::{Outbox, SendError};
use super::state::App;
use crate::records::unmatched::Missed;

/// How jobs run; see `faqbot run --help`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Jobs running at once.
    pub workers: usize,
    /// Jobs waiting per person (in each chat) before more are turned away.
    pub person_queue: usize,
    /// How long a question stays worth answering.
    pub fresh_for: Duration,
    /// How long running jobs get to finish after a stop signal.
    pub drain: Duration,
}

/// What became of the jobs, logged at the end.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub handled: u64,
    /// Telegram refused the reply (blocked by the user, bad request...).
    pub refused: u64,
    /// Dropped: no longer fresh.
    pub stale: u64,
    /// Turned away: the person's queue was full.
    pub turned_away: u64,
    /// Not for the bot (group chatter, other bots, service messages).
    pub ignored: u64,
    /// Updates that could not be read or whose handling panicked.
    pub poison: u64,
    /// Left in the journal at shutdown.
    pub left: u64,
}

enum Job {
    Update {
        /// The journal's key.
        key: u64,
        admitted: i64,
        update: Box<Update>,
    },
    /// "Still answering your earlier questions", replying to this message
    /// (chat, message id).
    Note { message: (i64, i32) },
}

/// How a job ended.
enum Ended {
    Handled,
    Failed(SendError),
    Note,
}

/// Everything a job needs, shared.
pub struct Runner {
    pub bot: Tg,
    pub app: Arc<App>,
    pub me: Me,
    pub journal: Arc<Journal>,
    pub settings: Settings,
    pub handler: UpdateHandler<SendError>,
    pub pacer: Arc<Pacer>,
}

impl Runner {
    /// Runs jobs from `incoming` until `stop` turns true, then drains.
    pub async fn run(
        self: Arc<Self>,
        mut incoming: mpsc::Receiver<Pending>,
        mut stop: watch::Receiver<bool>,
    ) -> Tally {
        let mut lanes: Lanes<LaneKey, Job> = Lanes::new(self.settings.person_queue);
        let mut running: JoinSet<Ended> = JoinSet::new();
        let mut jobs: HashMap<Id, (LaneKey, Option<u64>)> = HashMap::new();
        let mut tally = Tally::default();
        let mut open = true;
        loop {
            while running.len() < self.settings.workers.max(1) {
                let Some((key, job)) = lanes.take_next() else {
                    break;
                };
                let update = match &job {
                    Job::Update { key, .. } => Some(*key),
                    Job::Note { .. } => None,
                };
                let handle = running.spawn(Arc::clone(&self).job(job));
                jobs.insert(handle.id(), (key, update));
            }
            tokio::select! {
                biased;
                _ = stop.wait_for(|s| *s) => break,
                Some(joined) = running.join_next_with_id(), if !running.is_empty() => {
                    self.ended(joined, &mut jobs, &mut lanes, &mut tally).await;
                }
                pending = incoming.recv(), if open => match pending {
                    Some(pending) => self.admit(pending, &mut lanes, &mut tally).await,
                    None => open = false,
                },
            }
        }

        let in_flight = running.len();
        tracing::info!(
            in_flight,
            waiting = lanes.waiting(),
            drain_secs = self.settings.drain.as_secs_f64(),
            "stopped taking questions; finishing replies in flight"
        );
        let deadline = Instant::now() + self.settings.drain;
        while !running.is_empty() {
            match tokio::time::timeout_at(deadline, running.join_next_with_id()).await {
                Ok(Some(joined)) => self.ended(joined, &mut jobs, &mut lanes, &mut tally).await,
                Ok(None) => break,
                Err(_) => {
                    tracing::warn!(
                        unfinished = running.len(),
                        "the drain time is up; unfinished replies stay in the journal for the next start"
                    );
                    running.abort_all();
                    while running.join_next().await.is_some() {}
                    break;
                }
            }
        }
        tally.left = Journal::call(&self.journal, |j| j.unfinished())
            .await
            .unwrap_or(0);
        tally
    }

    /// Queues a journaled update as a job, or settles it at once.
    async fn admit(&self, pending: Pending, lanes: &mut Lanes<LaneKey, Job>, tally: &mut Tally) {
        let key = pending.key;
        let update = match parse(&pending.raw) {
            Ok(update) => update,
            Err(kind) => {
                tracing::warn!(
                    update = pending.update,
                    kind = %kind,
                    "skipped an update that cannot be read"
                );
                tally.poison += 1;
                self.finish(key).await;
                return;
            }
        };
        let Some(addressed) = addressed(&update, &self.me, &self.app) else {
            tally.ignored += 1;
            self.finish(key).await;
            return;
        };
        if fresh_until(pending.admitted, self.settings.fresh_for) <= Instant::now() {
            tracing::warn!(
                update = pending.update,
                age_secs = age(pending.admitted).as_secs(),
                "dropped a question that is no longer fresh; it was never answered (it is in the unmatched log)"
            );
            tally.stale += 1;
            self.missed(&addressed, Missed::NotFresh);
            self.finish(key).await;
            return;
        }
        let lane = lane_of(&update);
        // A full lane is someone writing faster than they can be answered.
        // An emergency among those messages still goes first (triage runs
        // here only then: it costs a model pass).
        let urgent = lanes.is_full(lane)
            && addressed
                .question
                .as_deref()
                .is_some_and(|q| self.is_urgent(q));
        let job = Job::Update {
            key,
            admitted: pending.admitted,
            update: Box::new(update),
        };
        if urgent {
            lanes.push_front(lane, job);
            return;
        }
        if let Admitted::Full { first } = lanes.push(lane, job) {
            tracing::info!(
                update = pending.update,
                "turned a message away: its sender has too many questions waiting (it is in the unmatched log)"
            );
            tally.turned_away += 1;
            self.missed(&addressed, Missed::TurnedAway);
            self.finish(key).await;
            if first && let Some(message) = addressed.message {
                lanes.push_front(lane, Job::Note { message });
            }
        }
    }

    /// A question that will get no answer goes to the unmatched log with
    /// the reason, so curators see it.
    fn missed(&self, addressed: &Addressed, why: Missed) {
        if let Some(question) = &addressed.question {
            self.app.missed(question, addressed.chat, why);
        }
    }

    /// Is this a message the engine's triage calls urgent?
    fn is_urgent(&self, text: &str) -> bool {
        tokio::task::block_in_place(|| self.app.engine().urgent_reply(text).is_some())
    }

    async fn job(self: Arc<Self>, job: Job) -> Ended {
        match job {
            Job::Update {
                key,
                admitted,
                update,
            } => {
                let fresh_until = fresh_until(admitted, self.settings.fresh_for);
                let out = Outbox::new(self.bot.clone(), Arc::clone(&self.pacer), fresh_until);
                let deps = dptree::deps![*update, out, Arc::clone(&self.app), self.me.clone()];
                let ended = match self.handler.dispatch(deps).await {
                    ControlFlow::Break(Ok(())) | ControlFlow::Continue(_) => Ended::Handled,
                    ControlFlow::Break(Err(err)) => Ended::Failed(err),
                };
                // Right after the reply was accepted: the shorter this gap,
                // the smaller the chance a kill makes it answered twice.
                self.finish(key).await;
                ended
            }
            Job::Note {
                message: (chat, message),
            } => {
                let out = Outbox::new(
                    self.bot.clone(),
                    Arc::clone(&self.pacer),
                    Instant::now() + Duration::from_secs(60),
                );
                let note = compose::still_answering();
                if let Err(err) =
                    send_reply(&out, ChatId(chat), &note, Some(MessageId(message))).await
                {
                    tracing::debug!(error = %err, "could not send the still-answering note");
                }
                Ended::Note
            }
        }
    }

    async fn ended(
        &self,
        joined: Result<(Id, Ended), tokio::task::JoinError>,
        jobs: &mut HashMap<Id, (LaneKey, Option<u64>)>,
        lanes: &mut Lanes<LaneKey, Job>,
        tally: &mut Tally,
    ) {
        let id = match &joined {
            Ok((id, _)) => *id,
            Err(err) => err.id(),
        };
        let Some((key, update)) = jobs.remove(&id) else {
            return;
        };
        lanes.done(key);
        match joined {
            Ok((_, Ended::Handled)) => tally.handled += 1,
            Ok((_, Ended::Note)) => {}
            Ok((_, Ended::Failed(SendError::Stale(err)))) => {
                tally.stale += 1;
                tracing::warn!(update, error = %err, "dropped a reply: it kept failing until the question was no longer fresh");
            }
            Ok((_, Ended::Failed(SendError::Refused(err)))) => {
                tally.refused += 1;
                tracing::warn!(update, error = %err, "Telegram refused a reply; not retried");
            }
            Err(err) if err.is_panic() => {
                tally.poison += 1;
                tracing::error!(
                    update,
                    "handling an update panicked; skipped it and going on"
                );
                if let Some(update) = update {
                    self.finish(update).await;
                }
            }
            // Cancelled: only at shutdown, and the update stays journaled.
            Err(_) => {}
        }
    }

    async fn finish(&self, id: u64) {
        if let Err(err) = Journal::call(&self.journal, move |j| j.finish(id)).await {
            tracing::error!(update = id, error = %err, "cannot mark an update finished; it may be answered again after a restart");
        }
    }
}

/// `fresh_for` after `admitted` (Unix seconds), as a point on the clock.
fn fresh_until(admitted: i64, fresh_for: Duration) -> Instant {
    Instant::now() + fresh_for.saturating_sub(age(admitted))
}

/// How long ago `admitted` (Unix seconds) was.
fn age(admitted: i64) -> Duration {
    Duration::from_secs((chrono::Utc::now().timestamp() - admitted).max(0) as u64)
}

/// Which lane an update goes to: its sender's in its chat. Without a chat
/// (inline mode), the sender's own; without a sender, the chat's.
fn lane_of(update: &Update) -> LaneKey {
    let person = update.from().map_or(0, |user| user.id.0 as i64);
    let chat = update.chat().map_or(person, |chat| chat.id.0);
    LaneKey { chat, person }
}

/// The update teloxide reads from `raw`, or the update's kind if it cannot.
/// teloxide panics on some malformed updates (a `message_reaction` with
/// neither `user` nor `actor_chat`): that is caught here, so one bad update
/// never stops the bot.
fn parse(raw: &[u8]) -> Result<Update, String> {
    let parsed = std::panic::catch_unwind(|| serde_json::from_slice::<Update>(raw));
    match parsed {
        Ok(Ok(update)) if !matches!(update.kind, UpdateKind::Error(_)) => Ok(update),
        _ => Err(kind_of(raw)),
    }
}

/// The update's kind ("message", "message_reaction"...), for logs: never
/// its content.
fn kind_of(raw: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(raw).unwrap_or_default();
    value
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "update_id").cloned())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_update_is_named_not_fatal() {
        let poison = br#"{"update_id":5,"message_reaction":{"chat":{"id":1,"type":"private","first_name":"A"},"message_id":3,"date":1,"old_reaction":[],"new_reaction":[]}}"#;
        assert_eq!(parse(poison).unwrap_err(), "message_reaction");
        assert_eq!(parse(b"not json").unwrap_err(), "unknown");
        let fine = br#"{"update_id":6,"message":{"message_id":1,"date":1,"chat":{"id":7,"type":"private","first_name":"A"},"from":{"id":7,"is_bot":false,"first_name":"A"},"text":"hi"}}"#;
        let update = parse(fine).unwrap();
        assert_eq!(lane_of(&update), LaneKey { chat: 7, person: 7 });
    }

    #[test]
    fn members_of_one_group_have_lanes_of_their_own() {
        let said = |from: i64| {
            let raw = format!(
                r#"{{"update_id":1,"message":{{"message_id":1,"date":1,"chat":{{"id":-100,"type":"group","title":"G"}},"from":{{"id":{from},"is_bot":false,"first_name":"A"}},"text":"/ask hi"}}}}"#
            );
            lane_of(&parse(raw.as_bytes()).unwrap())
        };
        assert_eq!(
            said(1),
            LaneKey {
                chat: -100,
                person: 1
            }
        );
        assert_ne!(said(1), said(2));
    }

    #[test]
    fn freshness_counts_from_when_the_update_was_fetched() {
        let now = chrono::Utc::now().timestamp();
        let hour = Duration::from_secs(3600);
        assert!(fresh_until(now - 7200, hour) <= Instant::now());
        assert!(fresh_until(now, hour) > Instant::now() + Duration::from_secs(3500));
    }
}
