//! `faqbot check`: every problem in the FAQ folder, with file and line.
//!
//! The rules are [`crate::engine::check`]'s, the same the bot applies at
//! start and on every reload: what `check` calls an error is never served.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::content::{Problem, Severity};
use crate::engine::check::{self, Checked};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON document instead of text, for editors and scripts:
    /// `{"ok", "files", "entries", "phrasings", "translations", "errors", "warnings",
    /// "problems": [{"file", "line", "severity", "message"}]}`.
    #[arg(long)]
    json: bool,
    /// Also check the entry files in this folder (drafts from `new` or
    /// `import`) as if they were moved into the FAQ folder: ids, phrasings
    /// and routing are checked against the live entries. Repeatable.
    #[arg(long, value_name = "DIR")]
    drafts: Vec<PathBuf>,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let checked =
        check::check_with_drafts(&ctx.faq, &args.drafts, ctx.model(), None).map_err(|err| {
            super::failure(
                2,
                format!("cannot check matching: the sentence model failed: {err}"),
            )
        })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &Summary::of(&checked))?;
        writeln!(out)?;
    } else {
        write_text(&mut out, ctx, args, &checked)?;
    }
    // Problems found: a finding, not a failure to run.
    Ok(if checked.engine.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn write_text(
    out: &mut impl Write,
    ctx: &super::Context,
    args: &Args,
    checked: &Checked,
) -> std::io::Result<()> {
    let mut checked_what = ctx.faq.display().to_string();
    for drafts in &args.drafts {
        checked_what.push_str(&format!(" + {}", drafts.display()));
    }
    for problem in &checked.problems {
        writeln!(out, "{problem}")?;
    }
    let (errors, warnings) = (checked.errors(), checked.warnings());
    match &checked.engine {
        Some(engine) => {
            let faq = engine.faq();
            let phrasings: usize = faq.entries.iter().map(|e| e.phrasings().count()).sum();
            let translations = match faq.translations.len() {
                0 => String::new(),
                1 => ", 1 translation".to_string(),
                n => format!(", {n} translations"),
            };
            writeln!(
                out,
                "{checked_what}: {} entries, {phrasings} phrasings{translations}: OK ({warnings} warning(s))",
                faq.entries.len()
            )
        }
        None => writeln!(
            out,
            "{checked_what}: {} file(s) checked: {errors} error(s), {warnings} warning(s). Fix the errors above and run `faqbot check` again.",
            checked.files
        ),
    }
}

/// `check --json`.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    /// True when the bot would serve this content.
    ok: bool,
    files: usize,
    /// Entries and phrasings served (0 when not ok).
    entries: usize,
    phrasings: usize,
    /// Up-to-date translations served (0 when not ok).
    translations: usize,
    errors: usize,
    warnings: usize,
    problems: Vec<JsonProblem<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonProblem<'a> {
    file: String,
    line: Option<usize>,
    severity: &'static str,
    message: &'a str,
}

impl<'a> Summary<'a> {
    fn of(checked: &'a Checked) -> Summary<'a> {
        let faq = checked.engine.as_ref().map(|e| e.faq());
        Summary {
            ok: faq.is_some(),
            files: checked.files,
            entries: faq.map_or(0, |f| f.entries.len()),
            phrasings: faq.map_or(0, |f| f.entries.iter().map(|e| e.phrasings().count()).sum()),
            translations: faq.map_or(0, |f| f.translations.len()),
            errors: checked.errors(),
            warnings: checked.warnings(),
            problems: checked.problems.iter().map(JsonProblem::of).collect(),
        }
    }
}

impl<'a> JsonProblem<'a> {
    fn of(problem: &'a Problem) -> JsonProblem<'a> {
        JsonProblem {
            file: problem.path.display().to_string(),
            line: problem.line,
            severity: match problem.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: &problem.message,
        }
    }
}
