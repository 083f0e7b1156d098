//! `faqbot list`: every entry, for curators and scripts.

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

pub fn run(ctx: &super::Context, args: &Args) -> ExitCode {
    let engine = match super::load_engine(ctx) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
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
        match serde_json::to_string_pretty(&list) {
            Ok(text) => println!("{text}"),
            Err(err) => {
                eprintln!("faqbot: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for e in entries {
            println!(
                "{:<32} {} ({} alternates)",
                e.id,
                e.question,
                e.alternates.len()
            );
        }
    }
    ExitCode::SUCCESS
}
