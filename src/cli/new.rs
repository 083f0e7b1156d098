//! `faqbot new`: scaffolds an entry file from a question, or from one group
//! of `faqbot unmatched` (its wordings become the alternates), with a
//! placeholder answer that `faqbot check` flags until a curator writes it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::record_args::{self, LogArgs, plural};
use crate::content::entry::id_from_path;
use crate::curate::draft::{self, Draft, Dropped, Taken, WriteError};

/// A group's rarest wordings beyond this many are left out: alternates are
/// for the ways people really ask, and a curator reads every one.
const MAX_GROUP_ALTERNATES: usize = 20;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["question", "group"])))]
pub struct Args {
    /// The question the entry answers; several words are joined with spaces.
    question: Vec<String>,
    /// Another way people ask it (repeat for more).
    #[arg(long = "alternate", value_name = "TEXT")]
    alternates: Vec<String>,
    /// Draft the entry from a group of `faqbot unmatched`: its reference
    /// (in brackets, like k7q2f) or its number (same --unmatched-log and
    /// --since). Its most common wording becomes the question, the others
    /// alternates. A number that has come to mean another group since
    /// `faqbot unmatched` showed it is refused.
    #[arg(long, value_name = "REF|N", conflicts_with = "question")]
    group: Option<String>,
    #[command(flatten)]
    log: LogArgs,
    /// File name for the entry (its id, without `.md`) instead of one made
    /// from the question.
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Where the draft is written. Not the FAQ folder: the bot serves
    /// only finished entries, so the draft waits here until its answer is
    /// written and checked (`faqbot check --drafts DIR`), then is moved in.
    #[arg(
        long,
        env = "FAQBOT_DRAFTS_DIR",
        default_value = "drafts",
        value_name = "DIR"
    )]
    out: PathBuf,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    let made = make_entry(faq, &args.out, args)
        .map_err(|msg| super::failure(1, format!("{msg}\nNothing was written.")))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Wrote {} with the question \"{}\" and {}.",
        made.path.display(),
        made.draft.question,
        plural(made.draft.alternates.len(), "alternate", "alternates")
    )?;
    for d in &made.dropped {
        writeln!(out, "Left out the alternate \"{}\": {}.", d.text, d.why)?;
    }
    if made.left_out > 0 {
        writeln!(
            out,
            "Left out the {} (see `faqbot unmatched --json`).",
            plural(made.left_out, "rarest wording", "rarest wordings")
        )?;
    }
    writeln!(
        out,
        "Next: open it, replace the line starting \"TODO\" with the answer (facts from the source articles only) and add or trim alternates. Then check it together with the FAQ: `faqbot --faq {faq} check --drafts {drafts}`, and when it passes, move it in: `mv {path} {faq}/`. The bot does not serve it before.",
        faq = faq.display(),
        drafts = args.out.display(),
        path = made.path.display(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What was written, for the summary.
struct Made {
    path: std::path::PathBuf,
    draft: Draft,
    dropped: Vec<Dropped>,
    /// Rarest wordings of a group left out.
    left_out: usize,
}

fn make_entry(faq: &Path, out: &Path, args: &Args) -> Result<Made, String> {
    if !faq.is_dir() {
        return Err(format!(
            "there is no FAQ folder at {}: point --faq (or FAQBOT_FAQ_DIR) at the folder holding the entry files",
            faq.display()
        ));
    }
    let (question, alternates) = match &args.group {
        Some(which) => from_group(faq, &args.log, which)?,
        None => (args.question.join(" "), args.alternates.clone()),
    };
    let question = crate::analysis::fold::squash_whitespace(&question);
    if crate::analysis::fold::phrase_key(&question).is_empty() {
        return Err("the question has no words: write it as people would ask it, e.g. `faqbot new \"How should I store magnesium?\"`".into());
    }
    // Wordings of the FAQ and of the other drafts are both taken: drafts
    // are moved in together.
    let taken = Taken::in_dirs(&[faq, out]);
    if let Some(owner) = taken.owner(&question) {
        return Err(format!(
            "\"{question}\" is already a phrasing of {}: a question can lead to only one entry. Edit that entry instead, or ask it differently",
            faq.join(format!("{owner}.md")).display()
        ));
    }
    let id = match &args.id {
        Some(id) => id_from_path(Path::new(&format!("{id}.md")))
            .map_err(|_| format!("--id `{id}` cannot be a file name: use letters a-z, digits, `-` and `_`, e.g. --id {}", draft::id_for(id)))?,
        None => draft::id_for(&question),
    };
    let (mut alternates, dropped) = draft::usable_alternates(&question, alternates, &taken);
    let left_out = alternates.len().saturating_sub(MAX_GROUP_ALTERNATES);
    if args.group.is_some() {
        alternates.truncate(MAX_GROUP_ALTERNATES);
    }
    let draft = Draft {
        id,
        question,
        alternates,
        answer: None,
        status: None,
    };
    let in_faq = draft.path_in(faq);
    if in_faq.exists() {
        return Err(format!(
            "{} already exists, and faqbot never writes over an entry. If it answers the same question, add the wordings there as alternates; otherwise choose another file name with --id NEW-ID",
            in_faq.display()
        ));
    }
    std::fs::create_dir_all(out)
        .map_err(|err| format!("cannot create the drafts folder {}: {err}", out.display()))?;
    let path = draft.write_new(out).map_err(|err| match err {
        WriteError::Exists(path) => format!(
            "{} already exists, and faqbot never writes over an entry. If it answers the same question, add the wordings there as alternates; otherwise choose another file name with --id NEW-ID",
            path.display()
        ),
        other => other.to_string(),
    })?;
    Ok(Made {
        path,
        draft,
        dropped,
        left_out: if args.group.is_some() { left_out } else { 0 },
    })
}

/// The question and alternates of the group `which` names.
fn from_group(faq: &Path, log: &LogArgs, which: &str) -> Result<(String, Vec<String>), String> {
    let group = record_args::find_group(faq, log, which)?;
    // An entry is written in English: a group joined across languages
    // gives its English wordings; the others belong in translations.
    let (english, other): (Vec<_>, Vec<_>) =
        group.variants.iter().partition(|v| v.language.is_none());
    if english.is_empty() {
        let alternates = group.variants.iter().skip(1).map(|v| v.question.clone());
        return Ok((group.question, alternates.collect()));
    }
    if !other.is_empty() {
        eprintln!(
            "faqbot: note: {} in other languages left out of the draft: once the entry is written, add {} to its translations (see \"Other languages\" in the README)",
            record_args::plural(other.len(), "wording", "wordings"),
            if other.len() == 1 { "it" } else { "them" }
        );
    }
    let mut wordings = english.into_iter().map(|v| v.question.clone());
    let question = wordings.next().unwrap_or_default();
    Ok((question, wordings.collect()))
}
