//! The command line: `faqbot ask | check | list | run | status | unmatched |
//! new | import | report`.
//!
//! Each subcommand lives in its own module and returns
//! `anyhow::Result<ExitCode>`: a code for what it found (`check` finding
//! errors exits 1), or an error. [`main`] is the one place that prints
//! errors (`faqbot: error: ...`) and turns them into exit codes, so every
//! command fails the same way, and a closed output pipe (`faqbot list |
//! head -1`) ends every command quietly with 0.
//!
//! Exit codes ([`EXIT_CODES`], also in `--help` and the README):
//! 0 success; 1 the command failed or found problems; 2 a usage mistake, or
//! the FAQ or the sentence model cannot be loaded; 3 Telegram refused the
//! token or its address is wrong (`run`); 130 `run` stopped by a second
//! signal.

mod ask;
mod chat;
mod check;
mod import;
mod list;
mod new;
mod outside;
mod record_args;
mod report;
mod run;
mod status;
mod tune;
mod unmatched;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::engine::{Engine, EngineError, Model};

/// The exit codes, as `--help` shows them.
pub const EXIT_CODES: &str = "Exit codes: 0 success; 1 the command failed or found problems (`check` found errors, a file could not be read or written, `status` found the bot not hearing Telegram); 2 a usage mistake, or the FAQ content or sentence model cannot be loaded; 3 Telegram refused the token or its address (`run`); 130 `run` stopped by a second Ctrl-C or SIGTERM.";

#[derive(Debug, Parser)]
#[command(
    name = "faqbot",
    version,
    about = "A Telegram FAQ bot about restless legs syndrome and magnesium",
    after_help = EXIT_CODES,
    // Our own `help` below: clap's built-in one refuses `help --help`.
    disable_help_subcommand = true
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
    /// A conversation in the terminal, as the bot would hold it: one
    /// message per line, each read after the question before it (a
    /// follow-up such as "and when should I take it?"). A blank line or
    /// /new starts a new conversation; works on piped input too.
    Chat(chat::Args),
    /// Check the FAQ files by every rule the bot applies, and report every
    /// problem with file and line (exit 1 on errors: the bot would not
    /// serve this content).
    Check(check::Args),
    /// List every FAQ entry.
    List(list::Args),
    /// Run the Telegram bot (long polling).
    ///
    /// Needs TELOXIDE_TOKEN (from @BotFather); TELOXIDE_API_URL points it at
    /// another Bot API server. Stops cleanly on Ctrl-C or SIGTERM.
    Run(run::Args),
    /// Is the running bot hearing Telegram? Reads its journal: last poll,
    /// polling failures, updates waiting. Exits 1 when it has not heard
    /// Telegram for longer than --max-silence (for monitoring).
    Status(status::Args),
    /// Review the questions the bot could not answer, grouped by topic,
    /// biggest group first, with the nearest entry and what to do.
    Unmatched(unmatched::Args),
    /// Draft a new entry file from a question or an unmatched group, with a
    /// placeholder answer that `check` flags until you write it.
    New(new::Args),
    /// File questions the FAQ should not answer (a group of `faqbot
    /// unmatched`, or questions given here) as examples in outside.yaml, so
    /// the bot refuses questions like them instead of answering from the
    /// nearest entry.
    Outside(outside::Args),
    /// Fit the sentence model to this FAQ's entries (their phrasings, or
    /// their answers when they have no alternates) and store what it
    /// learned in DIR/tuning/; run it after changing the entries (`faqbot
    /// check` says when).
    Tune(tune::Args),
    /// Draft entry files from source articles (.txt, .md) or spreadsheet
    /// exports (.csv); never overwrites a file.
    Import(import::Args),
    /// Write one self-contained HTML page for curators: answered versus
    /// unmatched per day, the biggest unmatched groups, the most 👎, and
    /// entries never asked about.
    Report(report::Args),
    /// Print the shell completion script for SHELL to standard output.
    ///
    /// For example, in bash: `faqbot completions bash > ~/.local/share/bash-completion/completions/faqbot`.
    Completions {
        /// bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// Print this help, or the help of COMMAND.
    Help {
        /// The command to explain, e.g. `ask`.
        command: Option<String>,
    },
}

/// What every command is given: the FAQ folder and the sentence model.
#[derive(Debug)]
pub struct Context {
    pub faq: PathBuf,
    model: Model,
}

impl Context {
    /// Loads and checks the FAQ with the chosen model.
    pub fn engine(&self) -> Result<Engine, EngineError> {
        Engine::load_with(&self.faq, self.model())
    }

    /// The sentence model, with the vector cache attached: for commands
    /// that build engines (the model itself loads when first used).
    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// What a command returns: its exit code, or an error for [`main`].
pub type CommandResult = anyhow::Result<ExitCode>;

/// An error that asks for a particular exit code (otherwise 1).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

/// An error exiting with `code`.
pub fn failure(code: u8, message: impl Into<String>) -> anyhow::Error {
    Failure {
        code,
        message: message.into(),
    }
    .into()
}

/// Parses the command line and runs it: the CLI's one error boundary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run_command(cli) {
        Ok(code) => code,
        Err(err) => exit_for(&err),
    }
}

/// Prints `err` (unless it is a closed output pipe) and picks its code.
fn exit_for(err: &anyhow::Error) -> ExitCode {
    let broken_pipe = err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        // The reader has what it wanted (`| head`): not an error.
        return ExitCode::SUCCESS;
    }
    eprintln!("faqbot: error: {err:#}");
    ExitCode::from(err.downcast_ref::<Failure>().map_or(1, |f| f.code))
}

fn run_command(cli: Cli) -> CommandResult {
    // These two need neither the FAQ nor the model.
    match &cli.command {
        Command::Completions { shell } => return completions(*shell, &mut std::io::stdout()),
        Command::Help { command } => return help(command.as_deref(), &mut std::io::stdout()),
        Command::Status(args) => return status::run(args),
        _ => {}
    }
    let mut model = Model::from_dir(cli.model.as_deref())
        .map_err(|err| failure(2, format!("cannot load the sentence model: {err}")))?;
    let off = cli.vector_cache.as_os_str().is_empty() || cli.vector_cache.as_os_str() == "off";
    if !off {
        model.keep_vectors_in(&cli.vector_cache);
    }
    let ctx = Context {
        faq: cli.faq,
        model,
    };
    match cli.command {
        Command::Ask(args) => ask::run(&ctx, &args),
        Command::Chat(args) => chat::run(&ctx, &args),
        Command::Check(args) => check::run(&ctx, &args),
        Command::List(args) => list::run(&ctx, &args),
        Command::Run(args) => run::run(&ctx, &args),
        Command::Unmatched(args) => unmatched::run(&ctx, &args),
        Command::New(args) => new::run(&ctx, &args),
        Command::Outside(args) => outside::run(&ctx, &args),
        Command::Tune(args) => tune::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Completions { .. } | Command::Help { .. } | Command::Status(_) => {
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn completions(shell: clap_complete::Shell, out: &mut impl std::io::Write) -> CommandResult {
    let mut command = Cli::command();
    // Into memory first: clap_complete panics when its writer fails, and a
    // closed pipe must end quietly like every other command's output.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "faqbot", &mut script);
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `faqbot help [COMMAND]`: the same text as `--help`.
fn help(name: Option<&str>, out: &mut impl std::io::Write) -> CommandResult {
    let mut command = Cli::command();
    // Built, so that usage lines say `faqbot ask`, not `ask`.
    command.build();
    let text = match name {
        None => command.render_long_help(),
        Some(name) => match command.find_subcommand_mut(name) {
            Some(sub) => sub.render_long_help(),
            None => {
                let known: Vec<String> = Cli::command()
                    .get_subcommands()
                    .map(|c| c.get_name().to_string())
                    .collect();
                return Err(failure(
                    2,
                    format!(
                        "there is no command `{name}`; the commands are: {}",
                        known.join(", ")
                    ),
                ));
            }
        },
    };
    write!(out, "{text}")?;
    Ok(ExitCode::SUCCESS)
}

/// Loads content for commands that need it to be valid; the error says
/// how to fix it (exit 2).
fn load_engine(ctx: &Context) -> anyhow::Result<Engine> {
    ctx.engine().map_err(|err| failure(2, err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn errors_pick_their_code_and_closed_pipes_are_quiet() {
        assert_eq!(exit_for(&failure(2, "x")), ExitCode::from(2));
        assert_eq!(exit_for(&anyhow::anyhow!("plain")), ExitCode::from(1));
        let pipe = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the list");
        assert_eq!(exit_for(&pipe), ExitCode::SUCCESS);
    }
}
