//! `faqbot list`: every entry, for curators and scripts.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array instead of one line per entry.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    id: &'a str,
    question: &'a str,
    alternates: &'a [String],
    answer: &'a str,
    related: &'a [String],
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let engine = super::load_engine(ctx)?;
    let mut out = std::io::stdout().lock();
    let entries = &engine.faq().entries;
    if args.json {
        let list: Vec<JsonEntry> = entries
            .iter()
            .map(|e| JsonEntry {
                id: &e.id,
                question: &e.question,
                alternates: &e.alternates,
                answer: &e.answer,
                related: &e.related,
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else {
        for e in entries {
            writeln!(
                out,
                "{:<32} {} ({} alternates)",
                e.id,
                e.question,
                e.alternates.len()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
