//! `faqbot status`: is the bot hearing Telegram? Read from its journal
//! while it runs, for an operator or a monitoring check.
//!
//! A bot that cannot poll crashes nothing: it just answers nobody. The
//! journal keeps when polling last worked, since when it fails and why,
//! and what waits; this prints them and exits 1 when the bot has not
//! heard Telegram for longer than `--max-silence`, so a systemd timer or a
//! monitoring system can alert.

use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::bot::journal::{self, Health};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    journal: super::record_args::Journal,
    /// Exit 1 when the bot has not heard Telegram for longer than this,
    /// in seconds (polling failing, or no poll at all: the bot is stopped
    /// or stuck). An idle bot polls every 10 seconds.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    max_silence: u64,
    /// One JSON object: the journal's facts, `hearing` and `problem`.
    #[arg(long)]
    json: bool,
}

/// What the facts add up to.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Hearing,
    /// Not heard for too long, and why, in plain words.
    Deaf(String),
}

pub fn run(args: &Args) -> super::CommandResult {
    let journal = &args.journal.path;
    let health = journal::health_at(journal)?;
    let now = Utc::now().timestamp();
    let verdict = judge(&health, now, args.max_silence as i64);
    let mut out = std::io::stdout().lock();
    if args.json {
        let problem = match &verdict {
            Verdict::Hearing => None,
            Verdict::Deaf(why) => Some(why.as_str()),
        };
        let mut value = serde_json::to_value(&health)?;
        value["hearing"] = (verdict == Verdict::Hearing).into();
        value["problem"] = problem.into();
        value["journal"] = journal.display().to_string().into();
        writeln!(out, "{value}")?;
    } else {
        write!(out, "{}", describe(&health, &verdict, now, journal))?;
    }
    out.flush()?;
    Ok(match verdict {
        Verdict::Hearing => ExitCode::SUCCESS,
        Verdict::Deaf(_) => ExitCode::from(1),
    })
}

use std::io::Write;

fn judge(health: &Health, now: i64, max_silence: i64) -> Verdict {
    let running = health
        .started
        .is_some_and(|s| health.stopped.is_none_or(|t| s > t));
    if !running {
        return Verdict::Deaf(match health.stopped {
            Some(at) => format!("the bot is not running: it stopped {}", ago(now, at)),
            None => "the bot has never run with this journal".to_string(),
        });
    }
    if let Some(since) = health.failing_since
        && now - since > max_silence
    {
        return Verdict::Deaf(format!(
            "getting updates has failed for {}: {}",
            span(now - since),
            health.last_error.as_deref().unwrap_or("no reason recorded")
        ));
    }
    // Polled lately, or started lately and still trying to reach Telegram.
    let heard = health
        .last_poll
        .into_iter()
        .chain(health.started)
        .max()
        .unwrap_or(0);
    if now - heard > max_silence {
        return Verdict::Deaf(format!(
            "no poll of Telegram for {}: the bot is stuck, or stopped without a clean shutdown",
            span(now - heard)
        ));
    }
    Verdict::Hearing
}

fn describe(health: &Health, verdict: &Verdict, now: i64, path: &std::path::Path) -> String {
    let when = |t: Option<i64>| t.map_or_else(|| "never".to_string(), |t| ago(now, t));
    let mut text = format!("journal {}\n", path.display());
    let running = health
        .started
        .is_some_and(|s| health.stopped.is_none_or(|t| s > t));
    if running {
        text += &format!("  started            {}\n", when(health.started));
    } else {
        text += &format!("  stopped            {}\n", when(health.stopped));
    }
    text += &format!("  last poll          {}\n", when(health.last_poll));
    if let Some(since) = health.failing_since {
        text += &format!(
            "  polling            failing since {}: {}\n",
            ago(now, since),
            health.last_error.as_deref().unwrap_or("no reason recorded")
        );
    } else {
        text += "  polling            works\n";
    }
    text += &format!("  last update in     {}\n", when(health.last_admitted));
    text += &match health.oldest_waiting {
        Some(oldest) => format!(
            "  waiting            {} update(s), the oldest came in {}\n",
            health.waiting,
            ago(now, oldest)
        ),
        None => "  waiting            nothing\n".to_string(),
    };
    text += &match verdict {
        Verdict::Hearing => "OK: the bot is hearing Telegram\n".to_string(),
        Verdict::Deaf(why) => format!("NOT HEARING: {why}\n"),
    };
    text
}

/// "2026-12-06 03:50:00 UTC (12 min ago)".
fn ago(now: i64, then: i64) -> String {
    let at = DateTime::<Utc>::from_timestamp(then, 0).map_or_else(
        || then.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    );
    format!("{at} ({} ago)", span(now - then))
}

/// "45 s", "12 min", "3 h 5 min", "2 days".
fn span(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..120 => format!("{secs} s"),
        120..7200 => format!("{} min", secs / 60),
        7200..172_800 => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
        _ => format!("{} days", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running() -> Health {
        Health {
            started: Some(1000),
            last_poll: Some(1990),
            ..Health::default()
        }
    }

    #[test]
    fn a_polling_bot_is_hearing() {
        assert_eq!(judge(&running(), 2000, 300), Verdict::Hearing);
        // Just started, still trying to reach Telegram: not yet an alarm.
        let starting = Health {
            started: Some(1900),
            failing_since: Some(1900),
            ..Health::default()
        };
        assert_eq!(judge(&starting, 2000, 300), Verdict::Hearing);
    }

    #[test]
    fn long_failures_silence_and_stops_are_deaf() {
        let failing = Health {
            failing_since: Some(1000),
            last_error: Some("HTTP 502".into()),
            ..running()
        };
        let Verdict::Deaf(why) = judge(&failing, 2000, 300) else {
            panic!("failing for 1000 s should be deaf");
        };
        assert!(why.contains("16 min") && why.contains("HTTP 502"), "{why}");
        let Verdict::Deaf(why) = judge(&running(), 9000, 300) else {
            panic!("silent for 7000 s should be deaf");
        };
        assert!(why.contains("no poll"), "{why}");
        let stopped = Health {
            stopped: Some(1995),
            ..running()
        };
        assert!(
            matches!(judge(&stopped, 2000, 300), Verdict::Deaf(w) if w.contains("not running"))
        );
        assert!(
            matches!(judge(&Health::default(), 2000, 300), Verdict::Deaf(w) if w.contains("never run"))
        );
    }

    #[test]
    fn the_description_names_what_waits() {
        let health = Health {
            waiting: 2,
            oldest_waiting: Some(1960),
            ..running()
        };
        let text = describe(
            &health,
            &Verdict::Hearing,
            2000,
            std::path::Path::new("j.redb"),
        );
        assert!(text.contains("2 update(s), the oldest came in"), "{text}");
        assert!(text.contains("(40 s ago)"), "{text}");
        assert!(
            text.ends_with("OK: the bot is hearing Telegram\n"),
            "{text}"
        );
    }
}
