//! `faqbot report`: one self-contained HTML page for curators, from the
//! bot's logs and the FAQ.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use serde::de::DeserializeOwned;

use super::record_args::{self, LogArgs, plural};
use crate::curate::report::{self, Report, html};
use crate::curate::review;
use crate::engine::{Engine, EngineError};
use crate::records::reader::{self, BadLine};
use crate::records::usage::{Answered, Feedback};

/// Damaged lines named one by one in a note; the rest are counted.
const NAMED_BAD_LINES: usize = 5;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page to write. An earlier report there is replaced; any other
    /// file is left alone.
    #[arg(long, default_value = "report.html", value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    log: LogArgs,
    #[command(flatten)]
    answered: record_args::AnsweredLog,
    #[command(flatten)]
    feedback: record_args::FeedbackLog,
    #[command(flatten)]
    handoffs: record_args::HandoffLog,
    /// How many unmatched groups to show, biggest first.
    #[arg(long, default_value_t = 15, value_name = "N")]
    top: usize,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    may_write(&args.out)
        .map_err(|msg| super::failure(1, format!("{msg}\nNothing was written.")))?;
    let mut notes = Vec::new();
    let mut found = 0;

    let reviewed = match record_args::review(faq, &args.log) {
        Ok(r) => {
            found += 1;
            note_bad(&mut notes, &args.log.file.path, &r.bad);
            Some(r)
        }
        Err(msg) => {
            notes.push(format!("{msg}."));
            None
        }
    };
    let since = args.log.since.as_ref().map(|s| s.start);
    let mut answered: Vec<Answered> = read_log(
        &args.answered.path,
        "answered-questions",
        &mut notes,
        &mut found,
    );
    let mut feedback: Vec<Feedback> =
        read_log(&args.feedback.path, "votes", &mut notes, &mut found);
    if found == 0 {
        return Err(super::failure(
            1,
            format!(
                "none of the logs is there, so there is nothing to report:\n  {}\nRun this where the bot keeps its data/ folder, or point --unmatched-log, --answered-log and --feedback-log at its logs.\nNothing was written.",
                notes.join("\n  ")
            ),
        ));
    }
    if let Some(since) = since {
        answered.retain(|a| a.date >= since.date_naive());
        feedback.retain(|f| f.time >= since);
    }

    let engine = match ctx.engine() {
        Ok(engine) => Some(engine),
        Err(EngineError::Content(err)) => {
            notes.push(format!(
                "The FAQ in {} has {}, so nearest entries and entries never asked about are not shown: run `faqbot check`.",
                faq.display(),
                plural(err.problems.len(), "error", "errors")
            ));
            None
        }
        Err(err) => {
            notes.push(format!("Nearest entries are not shown: {err}."));
            None
        }
    };
    let (mut groups, records, missed) = reviewed
        .map(|r| (r.groups, r.records, r.missed))
        .unwrap_or_default();
    for m in &missed {
        notes.push(format!(
            "{} never put to the FAQ, so not in the groups: {}.",
            plural(m.count, "question was", "questions were"),
            m.why
        ));
    }
    let group_count = groups.len();
    groups.truncate(args.top);
    if let Some(engine) = &engine {
        review::attach_nearest(&mut groups, engine);
    }
    let handed_off = record_args::handed_off(&args.handoffs.path, args.log.since.as_ref())
        .unwrap_or_else(|msg| {
            notes.push(format!("{msg}: handed-off questions are not shown."));
            Vec::new()
        });
    let faq_content = engine.as_ref().map(Engine::faq);
    let report = Report {
        generated: Utc::now(),
        since: since.map(|s| s.date_naive()),
        days: report::days(&answered, &records),
        groups,
        group_count,
        disliked: report::disliked(&feedback, faq_content),
        never_asked: faq_content.map(|f| report::never_asked(f, &answered)),
        entries: faq_content.map(|f| f.entries.len()),
        handed_off,
        notes,
    };

    if let Err(err) = write_page(&args.out, &html::render(&report)) {
        return Err(super::failure(
            1,
            format!(
                "cannot write {}: {err}. Choose another --out file.",
                args.out.display()
            ),
        ));
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Wrote {}: {} answered, {} unmatched in {}. Open it in any browser (it needs no internet).",
        args.out.display(),
        plural(report.answered(), "question", "questions"),
        plural(report.unmatched(), "question", "questions"),
        plural(report.days.len(), "day", "days"),
    )?;
    for note in &report.notes {
        eprintln!("faqbot: note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A report may replace an earlier report, never another file: `--out` is
/// easy to mistype.
fn may_write(out: &Path) -> Result<(), String> {
    match std::fs::read(out) {
        Ok(bytes) => {
            let marker = html::GENERATOR.as_bytes();
            if bytes.windows(marker.len()).any(|w| w == marker) {
                Ok(())
            } else {
                Err(format!(
                    "{} exists and is not a faqbot report: choose another --out file",
                    out.display()
                ))
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(format!("cannot check {}: {err}", out.display())),
    }
}

/// Writes the page whole (a reader never sees half of it), readable by
/// this user only: it holds what people asked about their health.
fn write_page(out: &Path, page: &str) -> std::io::Result<()> {
    crate::private_files::write(out, page.as_bytes())
}

/// A usage log's records; a missing or unreadable log is a note, not an
/// error, so the rest of the report is still made.
fn read_log<T: DeserializeOwned>(
    path: &Path,
    what: &str,
    notes: &mut Vec<String>,
    found: &mut usize,
) -> Vec<T> {
    match reader::read::<T>(path) {
        Ok(lines) => {
            *found += 1;
            note_bad(notes, path, &lines.bad);
            lines.records
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            notes.push(format!(
                "There is no {what} log at {}: its figures are shown as none.",
                path.display()
            ));
            Vec::new()
        }
        Err(err) => {
            notes.push(format!(
                "The {what} log {} cannot be read ({err}): its figures are shown as none.",
                path.display()
            ));
            Vec::new()
        }
    }
}

fn note_bad(notes: &mut Vec<String>, path: &Path, bad: &[BadLine]) {
    if bad.is_empty() {
        return;
    }
    let named: Vec<String> = bad
        .iter()
        .take(NAMED_BAD_LINES)
        .map(|b| format!("line {}: {}", b.line, b.reason))
        .collect();
    let more = bad.len().saturating_sub(NAMED_BAD_LINES);
    notes.push(format!(
        "{}: skipped {} ({}{}).",
        path.display(),
        plural(bad.len(), "damaged line", "damaged lines"),
        named.join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    ));
}
