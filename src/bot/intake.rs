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
            // Telegram's own position loses nothing (ids seen before are
            // still refused by `admit`).
            tracing::error!(error = %err, "cannot read unfinished updates");
            0
        }
    };

    let mut failures: u32 = 0;
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
                failures += 1;
                let wait = err.retry_after.unwrap_or_else(|| poll_pause(failures));
                if failures == 1 {
                    tracing::warn!(error = %err.message, retry_in_ms = wait.as_millis() as u64, "getting updates failed; polling again");
                } else {
                    tracing::debug!(error = %err.message, attempt = failures, "getting updates failed again");
                }
                if pause(&mut stop, wait).await {
                    return;
                }
                continue;
            }
        };
        if failures > 0 {
            tracing::info!("getting updates works again");
            failures = 0;
        }
        let now = chrono::Utc::now().timestamp();
        let next = batch.iter().map(|(id, _)| id + 1).max();
        match Journal::call(&journal, move |j| j.admit(&batch, now)).await {
            Ok(admitted) => {
                offset = next.map_or(offset, |next| next.max(offset));
                for pending in admitted {
                    if jobs.send(pending).await.is_err() {
                        return;
                    }
                }
            }
            Err(err) => {
                // Not confirmed to Telegram either: the next poll asks for
                // the same offset, and Telegram sends them again.
                tracing::error!(error = %err, "cannot journal fetched updates; they will be fetched again");
                failures += 1;
                if pause(&mut stop, poll_pause(failures)).await {
                    return;
                }
            }
        }
    }
}

/// Sleeps `wait`, or less if `stop` turns true; says whether it did.
async fn pause(stop: &mut watch::Receiver<bool>, wait: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(wait) => false,
        _ = stop.wait_for(|s| *s) => true,
    }
}

fn poll_pause(failures: u32) -> Duration {
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
