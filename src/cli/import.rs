//! `faqbot import FILE... --out DIR`: draft entry files from source
//! articles and spreadsheet exports, and say what was made and skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::record_args::plural;
use crate::content::Settings;
use crate::curate::import::{self, Importer, Outcomes};

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

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    if let Err(err) = std::fs::create_dir_all(&args.out) {
        return Err(super::failure(
            1,
            format!(
                "cannot make the folder {}: {err}. Choose another --out folder.",
                args.out.display()
            ),
        ));
    }
    let mut out = std::io::stdout().lock();
    // The live FAQ, if it loads, to point out drafts it already answers.
    let engine = ctx.engine().ok();
    let (settings, _) = Settings::load(faq);
    let mut importer = Importer::new(&args.out, faq, &settings, engine.as_ref());

    let mut failed_files = 0;
    let (mut made, mut skipped, mut placeholders) = (0, 0, 0);
    for file in &args.files {
        match import::read(file) {
            Ok(parsed) => {
                let outcomes = importer.import(parsed);
                print_outcomes(&mut out, file, &outcomes)?;
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

    writeln!(
        out,
        "\nDrafted {} into {}; skipped {}.",
        plural(made, "entry", "entries"),
        args.out.display(),
        plural(skipped, "part", "parts")
    )?;
    if made > 0 {
        // The check that sees the drafts beside the live entries, as they
        // will be once moved in.
        let check = if same_folder(&args.out, faq) {
            format!("faqbot --faq {} check", faq.display())
        } else {
            format!(
                "faqbot --faq {} check --drafts {}",
                faq.display(),
                args.out.display()
            )
        };
        writeln!(
            out,
            "Next: read every draft against its source, add alternates (the ways people really ask), then run `{check}`.",
        )?;
        if placeholders > 0 {
            writeln!(
                out,
                "{} no answer in the source and {} the placeholder answer: `check` reports {} until you write {}.",
                plural(placeholders, "draft has", "drafts have"),
                if placeholders == 1 { "keeps" } else { "keep" },
                if placeholders == 1 { "it" } else { "them" },
                if placeholders == 1 { "it" } else { "them" },
            )?;
        }
    }
    if failed_files > 0 {
        return Err(super::failure(
            1,
            format!(
                "{} could not be imported (see above); the others were.",
                plural(failed_files, "file", "files")
            ),
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn print_outcomes(out: &mut impl Write, file: &Path, outcomes: &Outcomes) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} drafted, {} skipped",
        file.display(),
        plural(outcomes.made.len(), "entry", "entries"),
        outcomes.skipped.len()
    )?;
    for m in &outcomes.made {
        let answer = if m.placeholder { ", no answer yet" } else { "" };
        let alternates = if m.alternates > 0 {
            format!(", {}", plural(m.alternates, "alternate", "alternates"))
        } else {
            String::new()
        };
        writeln!(
            out,
            "  made     {} from line {}: \"{}\"{alternates}{answer}",
            m.path.display(),
            m.line,
            m.question
        )?;
        for note in &m.notes {
            writeln!(out, "           note: {note}")?;
        }
    }
    for s in &outcomes.skipped {
        let mut what = s.place();
        if !s.text.is_empty() {
            what.push_str(&format!(" \"{}\"", s.text));
        }
        writeln!(out, "  skipped  {}: {}", what.trim_start(), s.why)?;
    }
    for f in &outcomes.failed {
        eprintln!("faqbot: {f}");
    }
    Ok(())
}
