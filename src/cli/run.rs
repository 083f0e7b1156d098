//! `faqbot run`: the Telegram bot.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::bot::{self, Config, StartError};
use crate::logging;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where questions the FAQ could not answer are logged (JSON Lines;
    /// folders are created).
    #[arg(
        long,
        env = "FAQBOT_UNMATCHED_LOG",
        default_value = "data/unmatched.jsonl",
        value_name = "PATH"
    )]
    unmatched_log: PathBuf,
    /// Where 👍 / 👎 votes on answers are recorded (JSON Lines).
    #[arg(
        long,
        env = "FAQBOT_FEEDBACK_LOG",
        default_value = "data/feedback.jsonl",
        value_name = "PATH"
    )]
    feedback_log: PathBuf,
    /// Where answered questions are counted, one line per answer (JSON Lines).
    #[arg(
        long,
        env = "FAQBOT_ANSWERED_LOG",
        default_value = "data/answered.jsonl",
        value_name = "PATH"
    )]
    answered_log: PathBuf,
    /// How often to look for edits to the FAQ folder, in seconds; 0 turns
    /// live reload off.
    #[arg(
        long,
        env = "FAQBOT_RELOAD_SECS",
        default_value_t = 1.0,
        value_name = "SECONDS"
    )]
    reload_every: f64,
}

pub fn run(ctx: &super::Context, args: &Args) -> ExitCode {
    let faq = ctx.faq.as_path();
    let token = std::env::var("TELOXIDE_TOKEN").unwrap_or_default();
    logging::init(&[token.trim()]);
    let reload_every = (args.reload_every.is_finite() && args.reload_every > 0.0)
        .then(|| Duration::from_secs_f64(args.reload_every.min(86_400.0)));
    let model = match ctx.model() {
        Ok(model) => model.clone(),
        Err(err) => {
            eprintln!("faqbot: cannot load the sentence model: {err}");
            return ExitCode::from(2);
        }
    };
    let config = Config {
        faq_dir: faq.to_path_buf(),
        model,
        unmatched_log: args.unmatched_log.clone(),
        feedback_log: args.feedback_log.clone(),
        answered_log: args.answered_log.clone(),
        reload_every,
        inline_settle: Duration::from_secs(3),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("faqbot: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(bot::run(config));
    // Don't wait for tasks still sleeping (retries, the signal listener).
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = match err {
                StartError::Content(_) | StartError::Model(_) => 2,
                StartError::NoToken | StartError::BadApiUrl(_) | StartError::TokenRejected => 3,
                _ => 1,
            };
            eprintln!(
                "faqbot: {}",
                logging::scrub(&err.to_string(), &[token.trim()])
            );
            ExitCode::from(code)
        }
    }
}
