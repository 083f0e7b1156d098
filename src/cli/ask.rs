//! `faqbot ask`: the bot's answers on the command line, for curators trying
//! questions and for scripts (`--json`).

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::engine::{Engine, Outcome};
use crate::{markdown, reply};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object per question instead of the reply text.
    #[arg(long)]
    json: bool,
    /// The question; several words are joined with spaces.
    question: Vec<String>,
}

/// One line of `--json` output.
#[derive(Serialize)]
struct JsonAnswer<'a> {
    question: &'a str,
    matched: bool,
    /// The matched entry's id (null when unmatched).
    id: Option<&'a str>,
    /// The best candidate's score, matched or not (0 when nothing is close).
    score: f32,
    /// The nearest entry even when unmatched, to see how close it came.
    nearest: Option<&'a str>,
    /// The matched entry's answer as plain text (null when unmatched).
    answer: Option<String>,
    suggestions: Vec<&'a str>,
}

pub fn run(faq: &Path, args: &Args) -> ExitCode {
    let engine = match super::load_engine(faq) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = if args.question.is_empty() {
        answer_stdin(&engine, args.json, &mut out)
    } else {
        answer(&engine, &args.question.join(" "), args.json, &mut out)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`faqbot ask | head`) is not an error worth a message.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("faqbot: {err}");
            ExitCode::FAILURE
        }
    }
}

fn answer_stdin(engine: &Engine, json: bool, out: &mut impl Write) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        // Invalid UTF-8 is replaced, not fatal: every line gets an answer.
        let text = String::from_utf8_lossy(&line);
        answer(engine, text.trim_end_matches(['\n', '\r']), json, out)?;
        if !json {
            writeln!(out)?;
        }
        out.flush()?;
    }
}

fn answer(
    engine: &Engine,
    question: &str,
    json: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let outcome = engine.ask(question);
    if !json {
        return writeln!(out, "{}", reply::plain(&outcome, &engine.faq().settings));
    }
    let line = match &outcome {
        Outcome::Answer {
            entry,
            score,
            suggestions,
        } => JsonAnswer {
            question,
            matched: true,
            id: Some(&entry.id),
            score: *score,
            nearest: Some(&entry.id),
            answer: Some(markdown::to_plain(&entry.answer)),
            suggestions: suggestions.iter().map(|e| e.id.as_str()).collect(),
        },
        Outcome::NoMatch { best, suggestions } => JsonAnswer {
            question,
            matched: false,
            id: None,
            score: best.map_or(0.0, |(_, s)| s),
            nearest: best.map(|(e, _)| e.id.as_str()),
            answer: None,
            suggestions: suggestions.iter().map(|e| e.id.as_str()).collect(),
        },
    };
    let text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}
