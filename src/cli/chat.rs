//! `faqbot chat`: a conversation in the terminal, answered exactly as the
//! bot would answer it: one message per line, each read in the context of
//! the question before it (see [`crate::engine::Engine::ask_after`]). A
//! blank line or `/new` starts a new conversation. Piped input works the
//! same, so scripts can replay conversations; `--json` prints one object
//! per message, as `ask --json` does, plus `context`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use crate::engine::{Engine, Previous};
use crate::reply;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object per message instead of the reply text.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let engine = super::load_engine(ctx)?;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal() && !args.json;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if interactive {
        writeln!(
            out,
            "One message per line, each read after the one before; a blank line or /new starts again; Ctrl-D ends."
        )?;
    }
    converse(&engine, stdin.lock(), args.json, interactive, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

fn converse(
    engine: &Engine,
    mut input: impl BufRead,
    json: bool,
    interactive: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut previous: Option<Previous> = None;
    let mut line = Vec::new();
    loop {
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        // Invalid UTF-8 is replaced, not fatal: every line gets an answer.
        let text = String::from_utf8_lossy(&line);
        let message = text.trim_end_matches(['\n', '\r']);
        if message.trim().is_empty() || message.trim() == "/new" {
            previous = None;
            continue;
        }
        let reading = engine.ask_after(message, previous.as_ref());
        if json {
            let mut object =
                super::ask::json_line(engine.faq(), reading.language, message, &reading.outcome);
            object.context = Some(reading.context);
            let text = serde_json::to_string(&object).map_err(std::io::Error::other)?;
            writeln!(out, "{text}")?;
        } else {
            writeln!(
                out,
                "{}\n",
                reply::plain(engine.faq(), reading.language, &reading.outcome)
            )?;
        }
        out.flush()?;
        previous = reading.next_previous(previous.as_ref());
    }
}
