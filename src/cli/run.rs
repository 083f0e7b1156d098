//! `faqbot run`: the Telegram bot.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::bot::{self, Config, StartError};
use crate::logging;

use super::record_args;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    unmatched_log: record_args::UnmatchedLog,
    #[command(flatten)]
    feedback_log: record_args::FeedbackLog,
    #[command(flatten)]
    answered_log: record_args::AnsweredLog,
    #[command(flatten)]
    journal: record_args::Journal,
    /// After a stop signal, how long replies in flight get to finish, in
    /// seconds. What is left is answered after the next start.
    #[arg(
        long,
        env = "FAQBOT_DRAIN_SECS",
        default_value_t = 10.0,
        value_name = "SECONDS"
    )]
    drain: f64,
    /// How long each person's last question is kept, in seconds, so a
    /// follow-up ("and when should I take it?") is read after it. In
    /// memory only, never on disk or in the logs; 0 reads every message
    /// alone.
    #[arg(
        long,
        env = "FAQBOT_FOLLOW_UP_SECS",
        default_value_t = 300.0,
        value_name = "SECONDS"
    )]
    follow_up_for: f64,
    /// How long a question stays worth answering, in seconds: replies are
    /// retried through outages for this long, then dropped with a log line.
    #[arg(
        long,
        env = "FAQBOT_FRESH_SECS",
        default_value_t = 3600.0,
        value_name = "SECONDS"
    )]
    fresh_for: f64,
    /// Questions waiting per person in each chat (10 when not given); more
    /// are turned away with one note, replying to the person, asking to send
    /// them again, and logged as unmatched with the reason. Urgent messages
    /// always get in. Was --chat-queue / FAQBOT_CHAT_QUEUE, still accepted.
    #[arg(
        long,
        alias = "chat-queue",
        env = "FAQBOT_PERSON_QUEUE",
        value_name = "N"
    )]
    person_queue: Option<usize>,
    /// How often to look for edits to the FAQ folder, in seconds; 0 turns
    /// live reload off.
    #[arg(
        long,
        env = "FAQBOT_RELOAD_SECS",
        default_value_t = 1.0,
        value_name = "SECONDS"
    )]
    reload_every: f64,
    /// The curators' chat (a group's id, like -1001234567890): turns on the
    /// "Ask a person" button for questions the FAQ cannot answer. The bot
    /// must be a member. Find the id with @RawDataBot, or in the bot's log
    /// when someone writes there.
    #[arg(
        long,
        env = "FAQBOT_CURATOR_CHAT",
        value_name = "CHAT_ID",
        allow_negative_numbers = true
    )]
    curator_chat: Option<i64>,
    /// Which chat asked which handed-off question, kept only until
    /// --handoff-for runs out (so answers survive a restart).
    #[arg(
        long,
        env = "FAQBOT_HANDOFFS",
        default_value = "data/handoffs.redb",
        value_name = "PATH"
    )]
    handoffs: PathBuf,
    /// How long a handed-off question can be answered, in seconds (7 days).
    #[arg(
        long,
        env = "FAQBOT_HANDOFF_SECS",
        default_value_t = 604_800.0,
        value_name = "SECONDS"
    )]
    handoff_for: f64,
    #[command(flatten)]
    handoff_log: record_args::HandoffLog,
    /// Where `/draft` in the curators' chat writes draft entries.
    #[arg(
        long,
        env = "FAQBOT_DRAFTS_DIR",
        default_value = "drafts",
        value_name = "DIR"
    )]
    drafts: PathBuf,
}

/// Jobs running at once. Most of a job's time is waiting for its chat's
/// send slot or for Telegram, so a few more than the cores.
const JOBS_AT_ONCE: usize = 16;

/// Seconds as a duration; negative, NaN or absurd values are clamped to
/// 0 s..1 day.
fn seconds(value: f64) -> Duration {
    if value.is_finite() {
        Duration::from_secs_f64(value.clamp(0.0, 86_400.0))
    } else {
        Duration::ZERO
    }
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    let token = std::env::var("TELOXIDE_TOKEN").unwrap_or_default();
    logging::init(&[token.trim()]);
    let reload_every = (args.reload_every.is_finite() && args.reload_every > 0.0)
        .then(|| Duration::from_secs_f64(args.reload_every.min(86_400.0)));
    let model = ctx.model().clone();
    let config = Config {
        faq_dir: faq.to_path_buf(),
        model,
        unmatched_log: args.unmatched_log.path.clone(),
        feedback_log: args.feedback_log.path.clone(),
        answered_log: args.answered_log.path.clone(),
        journal: args.journal.path.clone(),
        jobs: bot::runner::Settings {
            workers: JOBS_AT_ONCE,
            person_queue: args
                .person_queue
                .or_else(|| std::env::var("FAQBOT_CHAT_QUEUE").ok()?.trim().parse().ok())
                .unwrap_or(10),
            fresh_for: seconds(args.fresh_for),
            drain: seconds(args.drain),
        },
        reload_every,
        inline_settle: Duration::from_secs(3),
        follow_up_for: seconds(args.follow_up_for),
        handoff: args.curator_chat.map(|curators| bot::HandoffConfig {
            curators,
            book: args.handoffs.clone(),
            log: args.handoff_log.path.clone(),
            keep_for: if args.handoff_for.is_finite() {
                Duration::from_secs_f64(args.handoff_for.clamp(1.0, 366.0 * 86_400.0))
            } else {
                Duration::from_secs(604_800)
            },
            drafts: args.drafts.clone(),
        }),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| super::failure(1, format!("cannot start: {err}")))?;
    let result = runtime.block_on(bot::run(config));
    // Don't wait for tasks still sleeping (retries, the signal listener).
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) => {
            let code = match err {
                StartError::Content(_) | StartError::Model(_) => 2,
                StartError::NoToken | StartError::BadApiUrl(_) | StartError::TokenRejected => 3,
                _ => 1,
            };
            // The token never reaches the terminal, whatever the error says.
            Err(super::failure(
                code,
                logging::scrub(&err.to_string(), &[token.trim()]),
            ))
        }
    }
}
