//! Logs for operators: `tracing` to standard error, filtered by `RUST_LOG`,
//! with records from crates that use `log` (teloxide, reqwest) bridged in,
//! and the bot token scrubbed from every line.
//!
//! The token is a password: anyone holding it controls the bot. It sits in
//! the path of every Bot API URL, and HTTP client errors quote URLs, so
//! rather than trust every library to hide it, each finished line is
//! scrubbed just before it is written.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use tracing_log::AsLog;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// What a secret becomes in the logs.
pub const REDACTED: &str = "[REDACTED]";

/// Starts logging; `secrets` never appear in any line. The default level
/// is `info`; `RUST_LOG` overrides it (`RUST_LOG=debug`, `RUST_LOG=faqbot=debug`).
/// Calling it twice keeps the first setup.
pub fn init(secrets: &[&str]) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let max = filter
        .max_level_hint()
        .unwrap_or(tracing::level_filters::LevelFilter::TRACE);
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(Scrubbed::new(secrets))
        .finish();
    if tracing::subscriber::set_global_default(subscriber).is_ok() {
        let _ = tracing_log::LogTracer::builder()
            .with_max_level(max.as_log())
            .init();
    }
}

/// The variants of each secret worth hiding: the token itself, its
/// URL-encoded form, and the part after the colon (the bot id before it is
/// public; the rest is what must stay secret).
fn variants(secrets: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for secret in secrets.iter().map(|s| s.trim()).filter(|s| s.len() >= 8) {
        out.push(secret.to_string());
        out.push(secret.replace(':', "%3A"));
        if let Some((_, rest)) = secret.split_once(':')
            && rest.len() >= 8
        {
            out.push(rest.to_string());
        }
    }
    // Longest first, so a whole token is replaced before its parts.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// Replaces every secret in `text`.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    scrub_with(text, &variants(secrets))
}

fn scrub_with(text: &str, variants: &[String]) -> String {
    let mut text = text.to_string();
    for v in variants {
        if text.contains(v.as_str()) {
            text = text.replace(v.as_str(), REDACTED);
        }
    }
    text
}

/// A writer factory for the formatter: each log line is collected whole,
/// scrubbed, and written to standard error in one call, so lines from
/// different threads never mix either.
struct Scrubbed {
    variants: Arc<[String]>,
}

impl Scrubbed {
    fn new(secrets: &[&str]) -> Scrubbed {
        Scrubbed {
            variants: variants(secrets).into(),
        }
    }
}

impl<'a> MakeWriter<'a> for Scrubbed {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line {
            buf: Vec::with_capacity(256),
            variants: Arc::clone(&self.variants),
        }
    }
}

struct Line {
    buf: Vec<u8>,
    variants: Arc<[String]>,
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buf);
        let text = scrub_with(&text, &self.variants);
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    #[test]
    fn scrubs_the_token_in_every_form() {
        let line = format!(
            "error sending request for url (https://api.telegram.org/bot{TOKEN}/GetUpdates) {} {}",
            TOKEN.replace(':', "%3A"),
            TOKEN.split_once(':').unwrap().1
        );
        let clean = scrub(&line, &[TOKEN]);
        assert!(
            !clean.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
            "{clean}"
        );
        assert_eq!(clean.matches(REDACTED).count(), 3, "{clean}");
    }

    #[test]
    fn short_or_empty_secrets_are_ignored() {
        assert_eq!(scrub("a b c", &["", "a"]), "a b c");
    }
}
