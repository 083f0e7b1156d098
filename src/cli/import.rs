//! `faqbot import FILE... --out DIR`: draft entry files from source
//! articles and spreadsheet exports, and say what was made and skipped.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::log_args::plural;
use crate::content::Settings;
use crate::import::{self, Importer, Outcomes};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Documents to draft from: articles (.txt, .md) whose questions are
    /// headings or lines ending in "?", or CSV exports with the columns
    /// question, answer and optionally alternates (separated by |).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Folder to write the drafts into (made if missing). Existing files in
    /// it are never overwritten.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(ctx: &super::Context, args: &Args) -> ExitCode {
    let faq = ctx.faq.as_path();
    if let Err(err) = std::fs::create_dir_all(&args.out) {
        eprintln!(
            "faqbot: cannot make the folder {}: {err}. Choose another --out folder.",
            args.out.display()
        );
        return ExitCode::FAILURE;
    }
    // The live FAQ, if it loads, to point out drafts it already answers.
    let engine = ctx.engine().ok();
    let (settings, _) = Settings::load(faq);
    let mut importer = Importer::new(&args.out, &settings, engine.as_ref());

    let mut failed_files = 0;
    let (mut made, mut skipped, mut placeholders) = (0, 0, 0);
    for file in &args.files {
        match import::read(file) {
            Ok(parsed) => {
                let outcomes = importer.import(parsed);
                print_outcomes(file, &outcomes);
                made += outcomes.made.len();
                skipped += outcomes.skipped.len();
                placeholders += outcomes.made.iter().filter(|m| m.placeholder).count();
                if !outcomes.failed.is_empty() {
                    failed_files += 1;
                }
            }
            Err(msg) => {
                failed_files += 1;
                eprintln!(
                    "faqbot: {}: {msg}\nNothing was drafted from this file.",
                    file.display()
                );
            }
        }
    }

    println!(
        "\nDrafted {} into {}; skipped {}.",
        plural(made, "entry", "entries"),
        args.out.display(),
        plural(skipped, "part", "parts")
    );
    if made > 0 {
        println!(
            "Next: read every draft against its source, add alternates (the ways people really ask), then run `faqbot --faq {} check`.",
            args.out.display()
        );
        if placeholders > 0 {
            println!(
                "{} no answer in the source and {} the placeholder answer: `check` reports {} until you write {}.",
                plural(placeholders, "draft has", "drafts have"),
                if placeholders == 1 { "keeps" } else { "keep" },
                if placeholders == 1 { "it" } else { "them" },
                if placeholders == 1 { "it" } else { "them" },
            );
        }
    }
    if failed_files > 0 {
        eprintln!(
            "faqbot: {} could not be imported (see above); the others were.",
            plural(failed_files, "file", "files")
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn print_outcomes(file: &Path, outcomes: &Outcomes) {
    println!(
        "{}: {} drafted, {} skipped",
        file.display(),
        plural(outcomes.made.len(), "entry", "entries"),
        outcomes.skipped.len()
    );
    for m in &outcomes.made {
        let answer = if m.placeholder { ", no answer yet" } else { "" };
        let alternates = if m.alternates > 0 {
            format!(", {}", plural(m.alternates, "alternate", "alternates"))
        } else {
            String::new()
        };
        println!(
            "  made     {} from line {}: \"{}\"{alternates}{answer}",
            m.path.display(),
            m.line,
            m.question
        );
        for note in &m.notes {
            println!("           note: {note}");
        }
    }
    for s in &outcomes.skipped {
        let mut what = s.place();
        if !s.text.is_empty() {
            what.push_str(&format!(" \"{}\"", s.text));
        }
        println!("  skipped  {}: {}", what.trim_start(), s.why);
    }
    for f in &outcomes.failed {
        eprintln!("faqbot: {f}");
    }
}
