//! Sending: retries that outlast outages, paced to Telegram's limits.
//!
//! Telegram and the network fail now and then: a flood-control `RetryAfter`,
//! a dropped connection, a 5xx from a gateway, an outage of a minute. A
//! request that fails for such a reason is sent again after a pause that
//! doubles each time, up to [`MAX_PAUSE`], with random jitter so a bot
//! coming back from an outage does not hit Telegram with every reply at
//! once; a `RetryAfter` is waited out exactly. It keeps trying for as long
//! as the question is fresh (an hour by default, `--fresh-for`): an answer
//! after that would only confuse. A request Telegram refuses for what it is
//! (bad request, blocked by the user) is not retried: it would fail the
//! same way again. Each part of a reply is retried on its own, so a failure
//! on the second part never resends the first.
//!
//! One caveat no client can remove: when a connection drops after Telegram
//! received a message but before its answer arrived, a retry may deliver it
//! twice. Telegram's API has no idempotency key; retrying is the lesser evil
//! than leaving a question unanswered.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

use teloxide::{ApiError, RequestError};
use tokio::time::Instant;

use super::Tg;
use super::pace::Pacer;

/// The first pause; each later one doubles, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(500);
/// The longest pause between two tries: after an outage ends, a reply
/// waits at most this long to go out.
const MAX_PAUSE: Duration = Duration::from_secs(15);

/// Why a request did not go through.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Telegram refused it for what it is; trying again would not help.
    #[error("Telegram refused it: {0}")]
    Refused(RequestError),
    /// It kept failing until the question was no longer fresh.
    #[error("gave up: it kept failing until the question was no longer fresh (last error: {0})")]
    Stale(RequestError),
}

/// What a job sends through: the bot, the shared pacer, and how long the
/// question it answers stays fresh.
#[derive(Debug, Clone)]
pub struct Outbox {
    bot: Tg,
    pacer: Arc<Pacer>,
    fresh_until: Instant,
}

impl Outbox {
    pub fn new(bot: Tg, pacer: Arc<Pacer>, fresh_until: Instant) -> Outbox {
        Outbox {
            bot,
            pacer,
            fresh_until,
        }
    }

    pub fn bot(&self) -> &Tg {
        &self.bot
    }

    /// Runs `attempt` until it succeeds, is refused, or the question is no
    /// longer fresh. With `chat`, each try first waits for the chat's next
    /// send slot. `what` names the request in logs.
    pub async fn send<T, F, Fut>(
        &self,
        what: &str,
        chat: Option<i64>,
        mut attempt: F,
    ) -> Result<T, SendError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        let pacer = &self.pacer;
        with_retry(what, self.fresh_until, || {
            let request = attempt();
            async move {
                if let Some(chat) = chat {
                    pacer.wait(chat).await;
                }
                request.await
            }
        })
        .await
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the next try would
/// come after `deadline`. `what` names the request in logs.
pub async fn with_retry<T, F, Fut>(
    what: &str,
    deadline: Instant,
    mut attempt: F,
) -> Result<T, SendError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut failures = 0;
    loop {
        let err = match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        failures += 1;
        let Some(pause) = retry_pause(&err, failures, jitter()) else {
            return Err(SendError::Refused(err));
        };
        if Instant::now() + pause > deadline {
            return Err(SendError::Stale(err));
        }
        // The first failure is worth a warning; the rest of an outage would
        // only repeat it.
        if failures == 1 {
            tracing::warn!(request = what, retry_in_ms = pause.as_millis() as u64, error = %err, "request failed; retrying until it goes through");
        } else {
            tracing::debug!(request = what, attempt = failures, retry_in_ms = pause.as_millis() as u64, error = %err, "request failed again; retrying");
        }
        tokio::time::sleep(pause).await;
    }
}

/// How long to wait before trying again after the `failures`-th failure,
/// or `None` if trying again would not help. `jitter` is in `[0, 1)`: the
/// pause is between half and all of the doubled backoff.
pub fn retry_pause(err: &RequestError, failures: u32, jitter: f64) -> Option<Duration> {
    let jittered =
        backoff(FIRST_PAUSE, MAX_PAUSE, failures).mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0));
    match err {
        RequestError::RetryAfter(after) => Some(after.duration().max(Duration::from_millis(100))),
        RequestError::Network(_) | RequestError::Io(_) => Some(jittered),
        // A gateway's HTML error page instead of Telegram's JSON.
        RequestError::InvalidJson { .. } => Some(jittered),
        RequestError::Api(ApiError::Unknown(description)) if is_server_error(description) => {
            Some(jittered)
        }
        _ => None,
    }
}

/// `first`, doubled for each failure after the first, at most `cap`.
pub fn backoff(first: Duration, cap: Duration, failures: u32) -> Duration {
    first
        .saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(cap)
}

/// A number in `[0, 1)`, different each call: the standard library's
/// randomly keyed hasher is randomness enough for spreading retries.
fn jitter() -> f64 {
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Telegram's 5xx replies carry a description but teloxide drops the status
/// code, so the description is all there is to go on.
fn is_server_error(description: &str) -> bool {
    const SERVER: [&str; 6] = [
        "internal server error",
        "bad gateway",
        "service unavailable",
        "gateway timeout",
        "gateway time-out",
        "internal error",
    ];
    let lower = description.to_ascii_lowercase();
    SERVER.iter().any(|s| lower.contains(s)) || lower.starts_with('5')
}

/// Did Telegram refuse the message's HTML? Then it is worth sending once
/// more as plain text rather than not at all.
pub fn is_bad_markup(err: &SendError) -> bool {
    let SendError::Refused(err) = err else {
        return false;
    };
    matches!(err, RequestError::Api(ApiError::CantParseEntities(_)))
        || matches!(err, RequestError::Api(ApiError::Unknown(d)) if d.to_ascii_lowercase().contains("can't parse entities"))
}

#[cfg(test)]
mod tests {
    use teloxide::types::Seconds;

    use super::*;

    #[test]
    fn transient_errors_back_off_with_jitter_up_to_a_cap() {
        let after = RequestError::RetryAfter(Seconds::from_seconds(3));
        assert_eq!(retry_pause(&after, 1, 0.3), Some(Duration::from_secs(3)));
        assert_eq!(retry_pause(&after, 40, 0.3), Some(Duration::from_secs(3)));

        let gateway = RequestError::Api(ApiError::Unknown("Bad Gateway".into()));
        assert_eq!(retry_pause(&gateway, 1, 0.0), Some(FIRST_PAUSE / 2));
        assert_eq!(retry_pause(&gateway, 1, 1.0), Some(FIRST_PAUSE));
        assert_eq!(retry_pause(&gateway, 3, 1.0), Some(FIRST_PAUSE * 4));
        // However long the outage, never more than MAX_PAUSE apart.
        assert_eq!(retry_pause(&gateway, 30, 1.0), Some(MAX_PAUSE));
        assert_eq!(retry_pause(&gateway, 30, 0.0), Some(MAX_PAUSE / 2));
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn refusals_are_not_retried() {
        assert_eq!(
            retry_pause(&RequestError::Api(ApiError::BotBlocked), 1, 0.5),
            None
        );
        assert_eq!(
            retry_pause(
                &RequestError::Api(ApiError::Unknown("Bad Request: chat not found".into())),
                1,
                0.5
            ),
            None
        );
        assert!(is_bad_markup(&SendError::Refused(RequestError::Api(
            ApiError::Unknown("Bad Request: can't parse entities: Unsupported start tag".into())
        ))));
    }

    #[tokio::test]
    async fn retries_stop_at_the_first_success() {
        let mut calls = 0;
        let deadline = Instant::now() + Duration::from_secs(60);
        let result = with_retry("test", deadline, || {
            calls += 1;
            let n = calls;
            async move {
                if n < 3 {
                    Err(RequestError::RetryAfter(Seconds::from_seconds(0)))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(result.unwrap(), 3);
    }

    #[tokio::test]
    async fn retries_give_up_when_the_question_is_no_longer_fresh() {
        let deadline = Instant::now() + Duration::from_millis(50);
        let result: Result<(), _> = with_retry("test", deadline, || async {
            Err(RequestError::RetryAfter(Seconds::from_seconds(1)))
        })
        .await;
        assert!(matches!(result, Err(SendError::Stale(_))), "{result:?}");
    }
}
