//! Sending with bounded retries.
//!
//! Telegram and the network fail now and then: a flood-control `RetryAfter`,
//! a dropped connection, a 5xx from a gateway. A reply that fails for such a
//! reason is sent again a few times with growing pauses; a reply Telegram
//! refuses for what it is (bad request, blocked by the user) is not, because
//! it would fail the same way again. Each part of a reply is retried on its
//! own, so a failure on the second part never resends the first.
//!
//! One caveat no client can remove: when a connection drops after Telegram
//! received a message but before its answer arrived, a retry may deliver it
//! twice. Telegram's API has no idempotency key; retrying is the lesser evil
//! than leaving a question unanswered.

use std::future::Future;
use std::time::Duration;

use teloxide::{ApiError, RequestError};

/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u32 = 5;
/// The first pause; each later one doubles, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(8);
/// A `RetryAfter` longer than this is not waited for: the answer would
/// arrive too late to be useful, and the wait would hold up shutdown.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Runs `attempt` until it succeeds, fails for good, or has been tried
/// [`MAX_ATTEMPTS`] times. `what` names the request in warnings.
pub async fn with_retry<T, F, Fut>(what: &str, mut attempt: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempts = 0;
    loop {
        attempts += 1;
        let err = match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        let Some(pause) = retry_pause(&err, attempts) else {
            return Err(err);
        };
        tracing::warn!(
            request = what,
            attempt = attempts,
            retry_in_ms = pause.as_millis() as u64,
            error = %err,
            "request failed; retrying"
        );
        tokio::time::sleep(pause).await;
    }
}

/// How long to wait before trying again after the `attempts`-th failure,
/// or `None` to give up.
pub fn retry_pause(err: &RequestError, attempts: u32) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let backoff = FIRST_PAUSE
        .saturating_mul(1 << (attempts.saturating_sub(1)).min(16))
        .min(MAX_PAUSE);
    match err {
        RequestError::RetryAfter(after) => {
            let after = after.duration();
            (after <= MAX_RETRY_AFTER).then_some(after.max(Duration::from_millis(100)))
        }
        RequestError::Network(_) | RequestError::Io(_) => Some(backoff),
        // A gateway's HTML error page instead of Telegram's JSON.
        RequestError::InvalidJson { .. } => Some(backoff),
        RequestError::Api(ApiError::Unknown(description)) if is_server_error(description) => {
            Some(backoff)
        }
        _ => None,
    }
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
pub fn is_bad_markup(err: &RequestError) -> bool {
    matches!(err, RequestError::Api(ApiError::CantParseEntities(_)))
        || matches!(err, RequestError::Api(ApiError::Unknown(d)) if d.to_ascii_lowercase().contains("can't parse entities"))
}

#[cfg(test)]
mod tests {
    use teloxide::types::Seconds;

    use super::*;

    #[test]
    fn transient_errors_are_retried_a_bounded_number_of_times() {
        let after = RequestError::RetryAfter(Seconds::from_seconds(3));
        assert_eq!(retry_pause(&after, 1), Some(Duration::from_secs(3)));
        assert_eq!(retry_pause(&after, MAX_ATTEMPTS), None);
        let long = RequestError::RetryAfter(Seconds::from_seconds(3600));
        assert_eq!(retry_pause(&long, 1), None);

        let gateway = RequestError::Api(ApiError::Unknown("Bad Gateway".into()));
        assert_eq!(retry_pause(&gateway, 1), Some(FIRST_PAUSE));
        assert_eq!(retry_pause(&gateway, 2), Some(FIRST_PAUSE * 2));
        assert_eq!(retry_pause(&gateway, 4), Some(FIRST_PAUSE * 8));
    }

    #[test]
    fn refusals_are_not_retried() {
        assert_eq!(
            retry_pause(&RequestError::Api(ApiError::BotBlocked), 1),
            None
        );
        assert_eq!(
            retry_pause(
                &RequestError::Api(ApiError::Unknown("Bad Request: chat not found".into())),
                1
            ),
            None
        );
        assert!(is_bad_markup(&RequestError::Api(ApiError::Unknown(
            "Bad Request: can't parse entities: Unsupported start tag".into()
        ))));
    }

    #[tokio::test]
    async fn with_retry_stops_at_the_first_success() {
        let mut calls = 0;
        let result = with_retry("test", || {
            calls += 1;
            let n = calls;
            async move {
                if n < 2 {
                    Err(RequestError::RetryAfter(Seconds::from_seconds(0)))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(result.unwrap(), 2);
        assert_eq!(calls, 2);
    }
}
