//! The Telegram bot: start-up, the update handler tree, and shutdown.
//!
//! An update travels: [`intake`] (long polling) → [`journal`] (on disk
//! before Telegram is told it arrived) → [`runner`] (one lane per chat,
//! [`lanes`], taking turns) → the dptree handler tree ([`schema`]) →
//! [`handlers`] → [`send`] (retries while the question is fresh, spaced by
//! [`pace`]) → finished in the journal. So a question fetched is answered
//! once even across a crash or a kill (twice only if the process dies in
//! the moment between Telegram accepting a reply and the journal recording
//! it: Telegram has no idempotency key), an outage of minutes delays
//! answers instead of losing them, and one busy chat delays only itself.
//!
//! - [`intent`]: what a message asks of the bot (pure).
//! - [`compose`], [`split`], [`callback`]: what the bot says and how it fits
//!   Telegram's limits (pure).
//! - [`handlers`]: thin glue from updates to replies.
//! - [`state`], [`reload`]: shared state and live content.

pub mod callback;
pub mod compose;
pub mod handlers;
pub mod handoff;
pub mod html;
pub mod intake;
pub mod intent;
pub mod journal;
pub mod lanes;
pub mod memory;
pub mod pace;
pub mod reload;
pub mod runner;
pub mod send;
pub mod split;
pub mod state;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::CacheMe;
use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};
use teloxide::{ApiError, RequestError};
use tokio::sync::{mpsc, watch};

use crate::content::LoadError;
use crate::engine::{Model, check};
use crate::records::writer;
use crate::semantic::ModelError;
use journal::Journal;
use runner::Runner;
use send::SendError;
use state::{App, Records};
use store::StoreError;

/// The bot as the handlers use it. Sends are paced by [`pace`], not by
/// teloxide's `Throttle`, whose bursts invited 429s.
pub type Tg = CacheMe<Bot>;

/// How the bot runs; see `faqbot run --help`.
#[derive(Debug, Clone)]
pub struct Config {
    pub faq_dir: PathBuf,
    /// The sentence model (built in, or `--model DIR`).
    pub model: Model,
    pub unmatched_log: PathBuf,
    pub feedback_log: PathBuf,
    pub answered_log: PathBuf,
    /// The intake journal.
    pub journal: PathBuf,
    /// Queues, freshness and the shutdown drain.
    pub jobs: runner::Settings,
    /// How often to look for FAQ changes; `None` turns live reload off.
    pub reload_every: Option<Duration>,
    /// How long an inline query must stay unchanged before an unmatched one
    /// is logged.
    pub inline_settle: Duration,
    /// How long a person's last question is kept for reading a follow-up
    /// in context (in memory only); zero reads every message alone.
    pub follow_up_for: Duration,
    /// "Ask a person", when a curators' chat is set.
    pub handoff: Option<HandoffConfig>,
}

/// Where "Ask a person" sends questions and keeps what it must.
#[derive(Debug, Clone)]
pub struct HandoffConfig {
    /// The curators' chat id.
    pub curators: i64,
    /// The handoff book (which chat asked what, until it expires).
    pub book: PathBuf,
    /// The handoff log (no ids).
    pub log: PathBuf,
    /// How long a handed-off question can be answered.
    pub keep_for: Duration,
    /// Where `/draft` writes.
    pub drafts: PathBuf,
}

/// Why the bot could not start. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "TELOXIDE_TOKEN is not set. Create a bot by talking to @BotFather in Telegram (send /newbot), then start faqbot with the token it gives you: TELOXIDE_TOKEN=... faqbot run"
    )]
    NoToken,
    #[error(
        "TELOXIDE_API_URL is not a valid URL ({0}). Unset it to talk to Telegram directly, or set it to your Bot API server, like http://localhost:8081"
    )]
    BadApiUrl(String),
    #[error(
        "Telegram rejected the token in TELOXIDE_TOKEN. Copy it again from @BotFather (/mybots, pick the bot, API Token); if it was revoked, use the new one"
    )]
    TokenRejected,
    #[error("{0}")]
    Content(#[from] LoadError),
    #[error("the sentence model could not be used: {0}")]
    Model(#[from] ModelError),
    #[error("cannot start writing {what}: {err}")]
    Writer {
        what: &'static str,
        err: std::io::Error,
    },
    /// The journal or the handoff book.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The update handler tree: which updates go to which handler. Pure (no
/// I/O), so it is built the same way in production and tests.
pub fn schema() -> UpdateHandler<SendError> {
    dptree::entry()
        .branch(
            Update::filter_message()
                .filter(handlers::for_desk)
                .endpoint(handlers::desk_reply),
        )
        .branch(Update::filter_message().endpoint(handlers::message))
        // An edited answer in the curators' chat is not sent again (the
        // asker has the first version); it is not a question either.
        .branch(
            Update::filter_edited_message()
                .filter(handlers::for_desk)
                .endpoint(|| async { Ok(()) }),
        )
        .branch(Update::filter_edited_message().endpoint(handlers::message))
        .branch(Update::filter_callback_query().endpoint(handlers::callback))
        .branch(Update::filter_inline_query().endpoint(handlers::inline))
        .branch(Update::filter_chosen_inline_result().endpoint(handlers::chosen))
}

/// Reads the token and API URL from the environment and builds the bot.
fn bot_from_env() -> Result<(Tg, String), StartError> {
    let token = std::env::var("TELOXIDE_TOKEN").unwrap_or_default();
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(StartError::NoToken);
    }
    let mut bot = Bot::with_client(token.clone(), teloxide::net::client_from_env());
    if let Ok(url) = std::env::var("TELOXIDE_API_URL")
        && !url.trim().is_empty()
    {
        let url = reqwest_url(url.trim()).map_err(StartError::BadApiUrl)?;
        bot = bot.set_api_url(url);
    }
    let api = bot.api_url().to_string();
    Ok((bot.cache_me(), api))
}

/// The Bot API server's URL: `http` or `https` with a host. Anything else
/// (`localhost:8081` parses as the scheme `localhost`) would make
/// teloxide panic on the first request.
fn reqwest_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "\"{text}\" has no http:// or https:// in front, or no host"
        ));
    }
    Ok(url)
}

/// Runs the bot until SIGINT or SIGTERM. Returns once in-flight replies
/// are sent (or the drain time is up) and every record is written.
pub async fn run(config: Config) -> Result<(), StartError> {
    let mut stop = listen_for_signals();
    let (bot, api_url) = bot_from_env()?;
    // Opened first: a journal another faqbot holds, or a damaged one,
    // should stop the start before anything else is done.
    let journal = Arc::new(Journal::open(&config.journal)?);
    tracing::info!(path = %config.journal.display(), "keeping the intake journal here");
    let started = chrono::Utc::now().timestamp();
    journal.mark_run(true, started)?;
    let book = match &config.handoff {
        Some(h) => {
            let keep_for = i64::try_from(h.keep_for.as_secs()).unwrap_or(i64::MAX);
            let book = Arc::new(handoff::Book::open(&h.book, keep_for)?);
            let expired = book.purge(chrono::Utc::now().timestamp())?;
            tracing::info!(
                curators = h.curators,
                book = %h.book.display(),
                expired,
                "\"Ask a person\" is on: unanswered questions can go to the curators' chat"
            );
            Some(book)
        }
        None => None,
    };

    // Loading embeds every phrasing once (about a second for this FAQ, far
    // less with the vector cache); nothing else runs yet to be held up.
    // The same rules as `faqbot check`: an entry it calls wrong is left
    // out (and said so), the others are served.
    let serving = check::serve(&config.faq_dir, &config.model, None)??;
    reload::log_problems(&serving);
    let engine = serving.engine;
    tracing::info!(
        entries = engine.faq().entries.len(),
        faq = %config.faq_dir.display(),
        model = engine.model_name().unwrap_or("off (words only)"),
        tuned = engine.tuning().map_or("no", |t| t.manifest.created.as_str()),
        "FAQ loaded"
    );

    let Some(me) = connect(&bot, &api_url, &mut stop).await? else {
        let stopped = chrono::Utc::now().timestamp();
        journal.mark_run(false, stopped)?;
        return Ok(());
    };
    let username = me.user.username.clone().unwrap_or_default();
    tracing::info!(bot = %username, "connected to Telegram");
    register_commands(&bot).await;
    describe(&bot, &engine.faq().settings).await;
    if let Err(err) = bot.delete_webhook().await {
        tracing::warn!(error = %err, "could not remove a webhook; polling may be refused while one is set");
    }

    let (unmatched, unmatched_writer) = writer(&config.unmatched_log, "unmatched log")?;
    let (feedback, feedback_writer) = writer(&config.feedback_log, "feedback log")?;
    let (answered, answered_writer) = writer(&config.answered_log, "answered log")?;
    let mut handoff_writer = None;
    let desk = match (&config.handoff, book) {
        (Some(h), Some(book)) => {
            let (log, writer) = writer(&h.log, "handoff log")?;
            handoff_writer = Some(writer);
            tokio::spawn(purge_hourly(Arc::clone(&book), stop.clone()));
            Some(Arc::new(handoff::Desk::new(
                h.curators,
                book,
                h.drafts.clone(),
                log,
            )))
        }
        _ => None,
    };
    let content = Arc::new(reload::Content::new(engine));
    let app = Arc::new(
        App::new(
            Arc::clone(&content),
            Records {
                unmatched,
                feedback,
                answered,
            },
            config.inline_settle,
        )
        .with_desk(desk)
        .with_memory(config.follow_up_for),
    );

    let watcher = config.reload_every.map(|every| {
        tokio::spawn(reload::watch(
            config.faq_dir.clone(),
            config.model.clone(),
            Arc::clone(&content),
            every,
            stop.clone(),
        ))
    });

    let (jobs_tx, jobs_rx) = mpsc::channel(256);
    let intake = tokio::spawn(intake::run(
        bot.clone(),
        Arc::clone(&journal),
        jobs_tx,
        stop.clone(),
    ));
    let runner = Arc::new(Runner {
        bot: bot.clone(),
        app: Arc::clone(&app),
        me,
        journal: Arc::clone(&journal),
        settings: config.jobs.clone(),
        handler: schema(),
        pacer: Arc::new(pace::Pacer::new()),
    });
    tracing::info!("listening for questions; stop with Ctrl-C or SIGTERM");
    let tally = runner.run(jobs_rx, stop.clone()).await;
    intake.abort();
    let _ = intake.await;
    if let Some(watcher) = watcher {
        watcher.abort();
    }
    tracing::info!(
        handled = tally.handled,
        refused = tally.refused,
        dropped_not_fresh = tally.stale,
        turned_away = tally.turned_away,
        not_for_the_bot = tally.ignored,
        unreadable = tally.poison,
        left_for_next_start = tally.left,
        "finished"
    );
    drop(app);
    let stopped = chrono::Utc::now().timestamp();
    if let Err(err) = Journal::call(&journal, move |j| j.mark_run(false, stopped)).await {
        tracing::warn!(error = %err, "could not note the stop in the journal");
    }
    let _ = tokio::task::spawn_blocking(move || {
        unmatched_writer.close();
        feedback_writer.close();
        answered_writer.close();
        if let Some(writer) = handoff_writer {
            writer.close();
        }
    })
    .await;
    tracing::info!("stopped");
    Ok(())
}

fn writer<T: serde::Serialize + Send + 'static>(
    path: &std::path::Path,
    what: &'static str,
) -> Result<(writer::Appender<T>, writer::Writer<T>), StartError> {
    tracing::info!(path = %path.display(), "writing the {what} here");
    writer::spawn(path.to_path_buf(), what).map_err(|err| StartError::Writer { what, err })
}

/// Asks Telegram who the bot is, until it answers: at start the network
/// may not be up yet (a reboot) or Telegram may be briefly away (a deploy
/// during a hiccup), and a bot that exits then stays down under a service
/// manager's start limits. Retries with the polling backoff, logging the
/// first failure and then once a minute; `None` when stopped meanwhile. Only
/// what retrying cannot fix, a refused token, ends the start.
async fn connect(
    bot: &Tg,
    api_url: &str,
    stop: &mut watch::Receiver<bool>,
) -> Result<Option<Me>, StartError> {
    let mut failures: u32 = 0;
    let mut told: Option<tokio::time::Instant> = None;
    loop {
        let answer = tokio::select! {
            answer = bot.get_me() => answer,
            _ = stop.wait_for(|s| *s) => return Ok(None),
        };
        let err = match answer {
            Ok(me) => {
                if failures > 0 {
                    tracing::info!(attempts = failures + 1, "reached Telegram");
                }
                return Ok(Some(me));
            }
            Err(RequestError::Api(ApiError::InvalidToken)) => {
                return Err(StartError::TokenRejected);
            }
            Err(err) => err,
        };
        failures += 1;
        let wait = match &err {
            RequestError::RetryAfter(secs) => secs.duration(),
            _ => intake::poll_pause(failures),
        };
        let now = tokio::time::Instant::now();
        if told.is_none_or(|t| now - t >= Duration::from_secs(60)) {
            told = Some(now);
            tracing::warn!(
                url = %api_url,
                error = %err,
                attempts = failures,
                "cannot reach the Telegram Bot API; trying again (check the network, and TELOXIDE_API_URL or a proxy if set)"
            );
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.wait_for(|s| *s) => return Ok(None),
        }
    }
}

/// Tells Telegram the command menu. Not fatal: commands work without it.
async fn register_commands(bot: &Tg) {
    let commands: Vec<BotCommand> = intent::COMMANDS
        .iter()
        .map(|(name, about)| BotCommand::new(*name, *about))
        .collect();
    let req = bot.set_my_commands(commands);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    if let Err(err) = send::with_retry("setMyCommands", deadline, || req.send_ref()).await {
        tracing::warn!(error = %err, "could not register the command menu");
    }
}

/// Sets the bot's profile texts from the settings, so people see what the
/// bot is (and is not) before they write. Not fatal.
async fn describe(bot: &Tg, settings: &crate::content::Settings) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let long = bot
        .set_my_description()
        .description(settings.description.clone());
    if let Err(err) = send::with_retry("setMyDescription", deadline, || long.send_ref()).await {
        tracing::warn!(error = %err, "could not set the bot's description");
    }
    let short = bot
        .set_my_short_description()
        .short_description(settings.short_description.clone());
    if let Err(err) = send::with_retry("setMyShortDescription", deadline, || short.send_ref()).await
    {
        tracing::warn!(error = %err, "could not set the bot's short description");
    }
}

/// Deletes expired handoffs every hour, so nothing is kept past its time
/// even when nobody answers.
async fn purge_hourly(book: Arc<handoff::Book>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
        let now = chrono::Utc::now().timestamp();
        match handoff::Book::call(&book, move |b| b.purge(now)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "forgot expired handoffs"),
            Err(err) => tracing::warn!(error = %err, "could not forget expired handoffs"),
        }
    }
}

/// A flag that turns true on SIGINT or SIGTERM. teloxide's own Ctrl-C
/// handler covers only SIGINT, and service managers stop with SIGTERM.
/// A second signal ends the process at once.
fn listen_for_signals() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        let name = next_signal().await;
        tracing::info!(
            signal = name,
            "shutting down: no new questions; finishing replies in flight"
        );
        let _ = tx.send(true);
        let name = next_signal().await;
        tracing::warn!(
            signal = name,
            "second signal: exiting now; unfinished questions stay in the journal"
        );
        std::process::exit(130);
    });
    rx
}

#[cfg(unix)]
async fn next_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        },
        _ => {
            let _ = tokio::signal::ctrl_c().await;
            "SIGINT"
        }
    }
}

#[cfg(not(unix))]
async fn next_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}
