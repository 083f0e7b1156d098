//! Fetching updates: long polling straight into the journal.
//!
//! teloxide's own polling confirmed an update to Telegram as soon as it was
//! queued in memory, and its stop token reached the dispatcher only while
//! the dispatcher sat in its main loop. This loop is small and owns both
//! ends: each batch is written to the [`Journal`] before the next request
//! confirms it, and a stop signal drops the request in flight at once.
//!
//! Updates are fetched as raw JSON and handed on as written, so an update
//! teloxide cannot parse (or panics on) is still journaled, and the job
//! runner skips it with a log line instead of fetching it forever.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use super::journal::{Journal, Pending};
use super::{Tg, send};

/// Long-polling timeout: how long Telegram holds a `getUpdates` open when
/// there is nothing new.
const POLL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the HTTP request may take in all: the poll plus slack.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(25);
/// Pauses between failed polls double from one second up to this.
const MAX_POLL_PAUSE: Duration = Duration::from_secs(30);
/// The updates faqbot handles; Telegram sends no others.
const ALLOWED: [&str; 5] = [
    "message",
    "edited_message",
    "callback_query",
    "inline_query",
    "chosen_inline_result",
];

/// Why a poll failed.
#[derive(Debug)]
struct PollError {
    message: String,
    retry_after: Option<Duration>,
}

/// Hands unfinished updates from the last run to `jobs`, then polls until
/// `stop` turns true, journaling each batch before passing it on.
pub async fn run(
    bot: Tg,
    journal: Arc<Journal>,
    jobs: mpsc::Sender<Pending>,
    mut stop: watch::Receiver<bool>,
) {
    let resume = Journal::call(&journal, |j| Ok((j.pending()?, j.next_offset()?))).await;
    // Kept here from now on: this loop is the journal's only writer of it.
    let mut offset = match resume {
        Ok((left, offset)) => {
            if !left.is_empty() {
                tracing::info!(
                    updates = left.len(),
                    "answering what was left unfinished last time first"
                );
            }
            for pending in left {
                if jobs.send(pending).await.is_err() {
                    return;
                }
            }
            offset
        }
        Err(err) => {
            // Opening it just worked, so this is rare; polling from
            // Telegram's own position loses nothing (updates seen before
            // are still refused by `admit`).
            tracing::error!(error = %err, "cannot read unfinished updates");
            0
        }
    };

    let mut failures = Failures::default();
    loop {
        if *stop.borrow() {
            return;
        }
        let fetched = tokio::select! {
            fetched = fetch(&bot, offset) => fetched,
            _ = stop.wait_for(|s| *s) => return,
        };
        let batch = match fetched {
            Ok(batch) => batch,
            Err(err) => {
                let wait = failures.failed(&err, &journal).await;
                if pause(&mut stop, wait).await {
                    return;
                }
                continue;
            }
        };
        failures.worked(&journal).await;
        let now = chrono::Utc::now().timestamp();
        match Journal::call(&journal, move |j| j.admit(&batch, now)).await {
            Ok(admitted) => {
                if admitted.ids_restarted {
                    tracing::info!(
                        previous_offset = offset,
                        "Telegram's update ids started again lower (after a quiet week, or a new token): taking them as new updates"
                    );
                }
                // The next poll confirms this batch, whatever the ids were
                // before: the journal stored the new offset with it.
                if let Ok(next) = Journal::call(&journal, |j| j.next_offset()).await {
                    offset = next;
                }
                for pending in admitted.fresh {
                    if jobs.send(pending).await.is_err() {
                        return;
                    }
                }
            }
            Err(err) => {
                // Not confirmed to Telegram either: the next poll asks for
                // the same offset, and Telegram sends them again.
                tracing::error!(error = %err, "cannot journal fetched updates; they will be fetched again");
                failures.count += 1;
                if pause(&mut stop, poll_pause(failures.count)).await {
                    return;
                }
            }
        }
    }
}

/// The current streak of failed polls, and what was said about it.
#[derive(Default)]
struct Failures {
    count: u32,
    /// When the streak began.
    since: Option<tokio::time::Instant>,
    /// When it was last logged at warn.
    told: Option<tokio::time::Instant>,
    /// When a working poll was last written to the journal.
    recorded_ok: Option<tokio::time::Instant>,
}

/// A working poll is written to the journal at most this often (an idle
/// bot polls every [`POLL_TIMEOUT`]; `faqbot status` needs no finer time).
const RECORD_OK_EVERY: Duration = Duration::from_secs(5);
/// While polling fails, a warning this often: a bot that cannot hear says
/// so, without flooding the log.
const TELL_EVERY: Duration = Duration::from_secs(60);

impl Failures {
    /// Counts a failed poll, logs it when due, records it in the journal;
    /// returns how long to wait before the next.
    async fn failed(&mut self, err: &PollError, journal: &Arc<Journal>) -> Duration {
        self.count += 1;
        let now = tokio::time::Instant::now();
        let since = *self.since.get_or_insert(now);
        let wait = err.retry_after.unwrap_or_else(|| poll_pause(self.count));
        if self.told.is_none_or(|told| now - told >= TELL_EVERY) {
            self.told = Some(now);
            if self.count == 1 {
                tracing::warn!(error = %err.message, retry_in_ms = wait.as_millis() as u64, "getting updates failed; polling again");
            } else {
                tracing::warn!(
                    error = %err.message,
                    failing_secs = (now - since).as_secs(),
                    attempts = self.count,
                    "still cannot get updates; nobody is being answered. Polling again"
                );
            }
        } else {
            tracing::debug!(error = %err.message, attempt = self.count, "getting updates failed again");
        }
        let at = chrono::Utc::now().timestamp();
        let why = err.message.clone();
        if let Err(e) = Journal::call(journal, move |j| j.poll_failed(at, &why)).await {
            tracing::debug!(error = %e, "cannot record the failed poll");
        }
        wait
    }

    /// A poll worked.
    async fn worked(&mut self, journal: &Arc<Journal>) {
        let now = tokio::time::Instant::now();
        let recovered = self.count > 0;
        if recovered {
            let secs = self.since.map_or(0, |s| (now - s).as_secs());
            tracing::info!(failed_for_secs = secs, "getting updates works again");
        }
        if recovered
            || self
                .recorded_ok
                .is_none_or(|at| now - at >= RECORD_OK_EVERY)
        {
            self.recorded_ok = Some(now);
            let at = chrono::Utc::now().timestamp();
            if let Err(e) = Journal::call(journal, move |j| j.poll_worked(at)).await {
                tracing::debug!(error = %e, "cannot record the working poll");
            }
        }
        self.count = 0;
        self.since = None;
        self.told = None;
    }
}

/// Sleeps `wait`, or less if `stop` turns true; says whether it did.
async fn pause(stop: &mut watch::Receiver<bool>, wait: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(wait) => false,
        _ = stop.wait_for(|s| *s) => true,
    }
}

/// The pause after `failures` failed polls (also the start-up's, while
/// Telegram cannot be reached).
pub fn poll_pause(failures: u32) -> Duration {
    send::backoff(Duration::from_secs(1), MAX_POLL_PAUSE, failures)
}

/// One `getUpdates`: (update id, the update's JSON) for each update.
async fn fetch(bot: &Tg, offset: u64) -> Result<Vec<(u64, Vec<u8>)>, PollError> {
    let inner = bot.inner();
    // As teloxide builds its method URLs (a token holds a colon, so it
    // cannot be joined as a relative path).
    let mut url = inner.api_url();
    url.path_segments_mut()
        .map_err(|()| PollError {
            message: "the API URL cannot take a path".into(),
            retry_after: None,
        })?
        .pop_if_empty()
        .push(&format!("bot{}", inner.token()))
        .push("GetUpdates");
    let body = json!({
        "offset": offset,
        "timeout": POLL_TIMEOUT.as_secs(),
        "allowed_updates": ALLOWED,
    });
    let failed = |message: String| PollError {
        message,
        retry_after: None,
    };
    let response = inner
        .client()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await
        // Without the URL: it holds the token.
        .map_err(|e| failed(e.without_url().to_string()))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| failed(e.without_url().to_string()))?;
    let reply: Value = serde_json::from_slice(&bytes).map_err(|_| {
        failed(format!(
            "HTTP {status}, and the reply is not Telegram's JSON"
        ))
    })?;
    if reply["ok"] != json!(true) {
        let description = reply["description"].as_str().unwrap_or("no description");
        return Err(PollError {
            message: format!("HTTP {status}: {description}"),
            retry_after: reply["parameters"]["retry_after"]
                .as_u64()
                .map(Duration::from_secs),
        });
    }
    let updates = reply["result"].as_array().cloned().unwrap_or_default();
    let mut batch = Vec::with_capacity(updates.len());
    for update in updates {
        match update["update_id"].as_u64() {
            Some(id) => batch.push((id, serde_json::to_vec(&update).unwrap_or_default())),
            None => tracing::warn!("skipped an update without an update_id"),
        }
    }
    Ok(batch)
}
