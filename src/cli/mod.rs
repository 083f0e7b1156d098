//! The command line: `faqbot ask | check | list | unmatched | new | import | report`.
//!
//! Each subcommand lives in its own module and returns an exit code, so
//! `main` stays a two-liner and every command is testable by running the
//! binary.

mod ask;
mod check;
mod import;
mod list;
mod log_args;
mod new;
mod report;
mod run;
mod unmatched;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::engine::{Engine, EngineError, Model};
use crate::semantic::ModelError;

#[derive(Debug, Parser)]
#[command(
    name = "faqbot",
    version,
    about = "A Telegram FAQ bot about restless legs syndrome and magnesium"
)]
pub struct Cli {
    /// Folder holding the FAQ entry files and settings.yaml.
    #[arg(
        long,
        global = true,
        env = "FAQBOT_FAQ_DIR",
        default_value = "faq",
        value_name = "DIR"
    )]
    pub faq: PathBuf,

    /// Folder of another BERT-style sentence model (config.json,
    /// tokenizer.json, model.safetensors) to use instead of the built-in
    /// all-MiniLM-L6-v2.
    #[arg(long, global = true, env = "FAQBOT_MODEL_DIR", value_name = "DIR")]
    pub model: Option<PathBuf>,

    /// File where the vectors of FAQ phrasings and triage examples are
    /// kept between runs, so start-up does not embed them again (about two
    /// seconds); "off" embeds every time. Holds nothing users wrote.
    #[arg(
        long,
        global = true,
        env = "FAQBOT_VECTOR_CACHE",
        default_value = "data/vectors.bin",
        value_name = "FILE"
    )]
    pub vector_cache: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer questions exactly as the bot would.
    ///
    /// With no QUESTION, reads one question per line from standard input.
    Ask(ask::Args),
    /// Check the FAQ files and report every problem with file and line.
    Check,
    /// List every FAQ entry.
    List(list::Args),
    /// Run the Telegram bot (long polling).
    ///
    /// Needs TELOXIDE_TOKEN (from @BotFather); TELOXIDE_API_URL points it at
    /// another Bot API server. Stops cleanly on Ctrl-C or SIGTERM.
    Run(run::Args),
    /// Review the questions the bot could not answer, grouped by topic,
    /// biggest group first, with the nearest entry and what to do.
    Unmatched(unmatched::Args),
    /// Draft a new entry file from a question or an unmatched group, with a
    /// placeholder answer that `check` flags until you write it.
    New(new::Args),
    /// Draft entry files from source articles (.txt, .md) or spreadsheet
    /// exports (.csv); never overwrites a file.
    Import(import::Args),
    /// Write one self-contained HTML page for curators: answered versus
    /// unmatched per day, the biggest unmatched groups, the most 👎, and
    /// entries never asked about.
    Report(report::Args),
}

/// What every command is given: the FAQ folder and the sentence model.
#[derive(Debug)]
pub struct Context {
    pub faq: PathBuf,
    model: Model,
    vector_cache: Option<PathBuf>,
}

impl Context {
    /// Loads and checks the FAQ with the chosen model.
    pub fn engine(&self) -> Result<Engine, EngineError> {
        Engine::load_with(&self.faq, self.model()?)
    }

    /// The sentence model, with the vector cache attached: for commands
    /// that build engines (each such command needs the model loaded).
    pub fn model(&self) -> Result<&Model, ModelError> {
        if let Some(path) = &self.vector_cache {
            self.model.keep_vectors_in(path)?;
        }
        Ok(&self.model)
    }
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let model = match Model::from_dir(cli.model.as_deref()) {
        Ok(model) => model,
        Err(err) => {
            eprintln!("faqbot: cannot load the sentence model: {err}");
            return ExitCode::from(2);
        }
    };
    let off = cli.vector_cache.as_os_str().is_empty() || cli.vector_cache.as_os_str() == "off";
    let ctx = Context {
        faq: cli.faq,
        model,
        vector_cache: (!off).then_some(cli.vector_cache),
    };
    match cli.command {
        Command::Ask(args) => ask::run(&ctx, &args),
        Command::Check => check::run(&ctx),
        Command::List(args) => list::run(&ctx, &args),
        Command::Run(args) => run::run(&ctx, &args),
        Command::Unmatched(args) => unmatched::run(&ctx, &args),
        Command::New(args) => new::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
    }
}

/// Loads content for commands that need it to be valid, explaining how to
/// fix it when it is not.
fn load_engine(ctx: &Context) -> Result<Engine, ExitCode> {
    ctx.engine().map_err(|err| {
        eprintln!("faqbot: {err}");
        ExitCode::from(2)
    })
}

/// The exit code for a command that wrote its output: a closed pipe
/// (`faqbot ask | head`) is not an error worth a message.
fn finish_output(result: std::io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("faqbot: {err}");
            ExitCode::FAILURE
        }
    }
}
