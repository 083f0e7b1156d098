//! `faqbot unmatched`: the questions the bot could not answer, grouped,
//! biggest group first, with what to do about each.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::record_args::{self, LogArgs, plural};
use crate::curate::review::handoffs::HandedOff;
use crate::curate::review::{self, Group, show};
use crate::records::reader::BadLine;

/// Damaged lines listed one by one; the rest are counted.
const SHOWN_BAD_LINES: usize = 10;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    log: LogArgs,
    /// Show this many groups, biggest first (0 shows all).
    #[arg(long, default_value_t = 25, value_name = "N")]
    top: usize,
    /// Print one JSON document instead of text, for scripts.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    handoffs: record_args::HandoffLog,
}

#[derive(Serialize)]
struct Json<'a> {
    log: String,
    since: Option<&'a str>,
    questions: usize,
    group_count: usize,
    /// Groups shown (`--top`), numbered as `faqbot new --group N` takes them.
    groups: Vec<JsonGroup<'a>>,
    damaged_lines: &'a [BadLine],
    /// Questions handed to a person, newest first.
    handed_off: &'a [HandedOff],
    /// Questions never put to the FAQ (turned away, no longer fresh), by
    /// reason: not in the groups.
    not_answered: &'a [record_args::MissedCount],
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    group: usize,
    #[serde(flatten)]
    inner: &'a Group,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    let mut reviewed = record_args::review(faq, &args.log).map_err(|msg| super::failure(1, msg))?;
    let shown = if args.top == 0 {
        reviewed.groups.len()
    } else {
        args.top.min(reviewed.groups.len())
    };
    let handed_off = match record_args::handed_off(&args.handoffs.path, args.log.since.as_ref()) {
        Ok(h) => h,
        Err(msg) => {
            eprintln!("faqbot: note: {msg}");
            Vec::new()
        }
    };
    let engine = record_args::engine_or_note(ctx);
    if let Some(engine) = &engine {
        review::attach_nearest(&mut reviewed.groups[..shown], engine);
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = if args.json {
        let json = Json {
            log: args.log.file.path.display().to_string(),
            since: args.log.since.as_ref().map(|s| s.text.as_str()),
            questions: reviewed.questions,
            group_count: reviewed.groups.len(),
            groups: reviewed.groups[..shown]
                .iter()
                .enumerate()
                .map(|(i, inner)| JsonGroup {
                    group: i + 1,
                    inner,
                })
                .collect(),
            damaged_lines: &reviewed.bad,
            handed_off: &handed_off,
            not_answered: &reviewed.missed,
        };
        serde_json::to_string_pretty(&json)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        let ctx = show::Context {
            faq_dir: faq,
            repeat: &args.log.repeat(),
        };
        write_text(&mut out, args, &reviewed, shown, &ctx)
            .and_then(|()| write_missed(&mut out, &reviewed.missed))
            .and_then(|()| write_handed_off(&mut out, &handed_off))
    };
    result?;
    // So that `new --group N` can tell when N has come to mean another group.
    record_args::remember_shown(&args.log.file.path, &reviewed.groups[..shown]);
    Ok(ExitCode::SUCCESS)
}

/// Questions the bot never put to the FAQ, counted by reason.
fn write_missed(out: &mut impl Write, missed: &[record_args::MissedCount]) -> std::io::Result<()> {
    if missed.is_empty() {
        return Ok(());
    }
    let total: usize = missed.iter().map(|m| m.count).sum();
    writeln!(
        out,
        "\nNot answered and not in the groups above: {} the bot never put to the FAQ.",
        plural(total, "question", "questions")
    )?;
    for m in missed {
        writeln!(
            out,
            "  {}: {}",
            plural(m.count, "question", "questions"),
            m.why
        )?;
    }
    writeln!(
        out,
        "  (Many turned away? Raise --person-queue for `faqbot run`. Many dropped? See `faqbot status`.)"
    )
}

/// Questions handed to a person, newest first, with what became of them.
fn write_handed_off(out: &mut impl Write, handed_off: &[HandedOff]) -> std::io::Result<()> {
    if handed_off.is_empty() {
        return Ok(());
    }
    let answered = handed_off.iter().filter(|h| h.answers > 0).count();
    writeln!(
        out,
        "\nHanded to a person (\"Ask a person\"): {}, {answered} answered. Newest first.",
        plural(handed_off.len(), "question", "questions")
    )?;
    for h in handed_off {
        writeln!(
            out,
            "  #{} {} \"{}\": {}",
            h.reference,
            h.asked.format("%Y-%m-%d"),
            show::printable(&h.question),
            h.status()
        )?;
    }
    Ok(())
}

fn write_text(
    out: &mut impl Write,
    args: &Args,
    reviewed: &record_args::Reviewed,
    shown: usize,
    ctx: &show::Context<'_>,
) -> std::io::Result<()> {
    let groups = &reviewed.groups;
    let since = args
        .log
        .since
        .as_ref()
        .map(|s| format!(" since {}", s.text))
        .unwrap_or_default();
    writeln!(
        out,
        "Unmatched questions in {}{since}",
        args.log.file.path.display()
    )?;
    if groups.is_empty() {
        writeln!(out, "None: nothing to review.")?;
    } else {
        let first = groups
            .iter()
            .map(|g| g.first_seen)
            .min()
            .unwrap_or_default();
        let last = groups.iter().map(|g| g.last_seen).max().unwrap_or_default();
        writeln!(
            out,
            "{} in {}, asked {}. Biggest group first.\n",
            plural(reviewed.questions, "question", "questions"),
            plural(groups.len(), "group", "groups"),
            show::span(first, last)
        )?;
        for (i, group) in groups[..shown].iter().enumerate() {
            writeln!(out, "{}", show::group_text(i + 1, group, ctx))?;
        }
        if shown < groups.len() {
            writeln!(
                out,
                "Shown: the {shown} biggest of {} groups. See them all with --top 0.",
                show::thousands(groups.len())
            )?;
        }
    }
    if !reviewed.bad.is_empty() {
        writeln!(
            out,
            "\nSkipped {} in {} (the log itself is left as it is):",
            plural(reviewed.bad.len(), "damaged line", "damaged lines"),
            args.log.file.path.display()
        )?;
        for bad in reviewed.bad.iter().take(SHOWN_BAD_LINES) {
            writeln!(out, "  line {}: {}", bad.line, bad.reason)?;
        }
        if reviewed.bad.len() > SHOWN_BAD_LINES {
            writeln!(
                out,
                "  and {} more (all of them are in --json)",
                reviewed.bad.len() - SHOWN_BAD_LINES
            )?;
        }
    }
    Ok(())
}
