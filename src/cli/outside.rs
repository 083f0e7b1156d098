//! `faqbot outside`: file questions as outside the FAQ, in
//! `faq/outside.yaml`: a group from `faqbot unmatched`, or questions given
//! on the command line. The bot then refuses questions like them honestly
//! instead of answering them from the nearest entry.

use std::io::Write;
use std::process::ExitCode;

use super::record_args::{self, LogArgs, plural};
use crate::analysis::fold;
use crate::content::outside::{self, OutsideSettings};
use crate::curate::draft::Taken;
use crate::curate::outside::{Filing, file};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["question", "group"])))]
pub struct Args {
    /// Questions to file (each one argument: quote it).
    question: Vec<String>,
    /// File a group of `faqbot unmatched`, every wording of it: its
    /// reference (in brackets, like k7q2f) or its number (same
    /// --unmatched-log and --since).
    #[arg(long, value_name = "REF|N", conflicts_with = "question")]
    group: Option<String>,
    /// Why the FAQ does not answer them: a reason in outside.yaml
    /// (other_supplements, medicines, animals...) or a new one.
    #[arg(long, value_name = "NAME")]
    reason: String,
    /// What a new reason covers, in a line for curators.
    #[arg(long, value_name = "TEXT")]
    about: Option<String>,
    #[command(flatten)]
    log: LogArgs,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    if !faq.is_dir() {
        return Err(super::failure(
            1,
            format!(
                "there is no FAQ folder at {}: point --faq (or FAQBOT_FAQ_DIR) at the folder holding the entry files",
                faq.display()
            ),
        ));
    }
    let wordings: Vec<String> = match &args.group {
        Some(which) => record_args::find_group(faq, &args.log, which)
            .map_err(|msg| super::failure(1, format!("{msg}\nNothing was changed.")))?
            .variants
            .into_iter()
            .map(|v| v.question)
            .collect(),
        None => args
            .question
            .iter()
            .map(|q| fold::squash_whitespace(q))
            .collect(),
    };
    let path = faq.join(outside::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => {
            return Err(super::failure(
                1,
                format!("cannot read {}: {err}", path.display()),
            ));
        }
    };
    // An entry's phrasing filed as outside would refuse what that entry
    // answers (`check` calls it an error), and one filed twice is noise.
    let taken = Taken::in_dir(faq);
    let (present, _) = OutsideSettings::parse(&path, &text);
    let mut seen: Vec<String> = present
        .examples()
        .map(|(e, _)| fold::phrase_key(&e.text))
        .collect();
    let mut out = std::io::stdout().lock();
    let mut filed = Vec::new();
    for wording in wordings {
        let key = fold::phrase_key(&wording);
        if key.is_empty() {
            continue;
        }
        if let Some(owner) = taken.owner(&wording) {
            writeln!(
                out,
                "Left out \"{wording}\": it is a phrasing of {}, which answers it.",
                faq.join(format!("{owner}.md")).display()
            )?;
        } else if seen.contains(&key) {
            writeln!(out, "Left out \"{wording}\": outside.yaml has it already.")?;
        } else {
            seen.push(key);
            filed.push(wording);
        }
    }
    if filed.is_empty() {
        writeln!(out, "Nothing to add; {} is unchanged.", path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    let filing = Filing {
        reason: &args.reason,
        about: args.about.as_deref(),
        examples: &filed,
    };
    let changed = file(&path, &text, &filing).map_err(|msg| super::failure(1, msg))?;
    write_whole(&path, &changed)
        .map_err(|err| super::failure(1, format!("cannot write {}: {err}", path.display())))?;
    writeln!(
        out,
        "Added {} to {} under `{}`. The running bot picks it up within a second; try `faqbot ask \"{}\"`.",
        plural(filed.len(), "example", "examples"),
        path.display(),
        args.reason,
        filed[0]
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes beside the file and renames, so the bot's reload never reads
/// half of it. Content is not private: the file keeps ordinary modes.
fn write_whole(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
