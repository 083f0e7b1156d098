//! The bot's record files as the curators' commands name and read them:
//! one flag per file everywhere, and the unmatched log read by `unmatched`,
//! `new --group` and `report` with the same options and the same grouping,
//! so group numbers agree between them.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::content::Settings;
use crate::curate::review::{self, Group, show};
use crate::engine::{Engine, EngineError};
use crate::records::reader::{self, BadLine};
use crate::records::unmatched::{Missed, Record};

/// Default place of the log, relative to where the bot runs.
pub const DEFAULT_LOG: &str = "data/unmatched.jsonl";

/// The questions handed to a person, from the handoff log; a missing log
/// (the bot runs without a curators' chat) has none. Damaged lines are
/// skipped, like everywhere else.
pub fn handed_off(
    path: &Path,
    since: Option<&Since>,
) -> Result<Vec<review::handoffs::HandedOff>, String> {
    match reader::read::<crate::records::unmatched::Handoff>(path) {
        Ok(lines) => Ok(review::handoffs::summarize(
            &lines.records,
            since.map(|s| s.start),
        )),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(format!(
            "the handoff log {} cannot be read: {err}",
            path.display()
        )),
    }
}

/// Declares the flag of one record file: a struct holding its path, to
/// flatten into every command that reads or writes the file.
macro_rules! record_file {
    ($(#[$doc:meta])* $name:ident: $id:literal, $long:literal, $env:literal, $default:expr,
     aliases [$($alias:literal),*], $help:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, clap::Args)]
        pub struct $name {
            #[doc = $help]
            #[arg(
                id = $id,
                long = $long,
                $(alias = $alias,)*
                env = $env,
                default_value = $default,
                value_name = "PATH"
            )]
            pub path: PathBuf,
        }
    };
}

record_file! {
    /// The bot's four record files, one flag each, named the same in `run`,
    /// `unmatched`, `new` and `report` and read from the same variables, so a
    /// setting made once reaches every command. The older short names
    /// (`--log`, `--answered`, `--feedback`) are still accepted.
    UnmatchedLog: "unmatched_log", "unmatched-log", "FAQBOT_UNMATCHED_LOG", DEFAULT_LOG,
    aliases ["log"], "The log of questions the FAQ could not answer (JSON Lines)."
}

record_file! {
    /// `--answered-log`: see [`UnmatchedLog`].
    AnsweredLog: "answered_log", "answered-log", "FAQBOT_ANSWERED_LOG", "data/answered.jsonl",
    aliases ["answered"], "The log of answered questions, one line per answer (JSON Lines)."
}

record_file! {
    /// `--feedback-log`: see [`UnmatchedLog`].
    FeedbackLog: "feedback_log", "feedback-log", "FAQBOT_FEEDBACK_LOG", "data/feedback.jsonl",
    aliases ["feedback"], "The log of 👍 / 👎 votes on answers (JSON Lines)."
}

record_file! {
    /// `--handoff-log`: see [`UnmatchedLog`].
    HandoffLog: "handoff_log", "handoff-log", "FAQBOT_HANDOFF_LOG", "data/handoffs.jsonl",
    aliases [],
    "The log of questions handed to a person and their fate (JSON Lines, no ids)."
}

record_file! {
    /// `--journal`: the bot's intake journal, for `run` and `status`.
    Journal: "journal", "journal", "FAQBOT_JOURNAL", "data/journal.redb",
    aliases [],
    "The intake journal: every fetched question is kept here until it is answered, so a crash or a restart loses none; `status` reads it while the bot runs."
}

#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    #[command(flatten)]
    pub file: UnmatchedLog,
    /// Only questions asked on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Since>,
}

/// A `--since` day, kept as typed so hints can repeat it.
#[derive(Debug, Clone)]
pub struct Since {
    pub start: DateTime<Utc>,
    pub text: String,
}

fn parse_since(text: &str) -> Result<Since, String> {
    let start = if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        day.and_hms_opt(0, 0, 0).map(|t| t.and_utc())
    } else {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    start
        .map(|start| Since {
            start,
            text: text.to_string(),
        })
        .ok_or_else(|| format!("`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01"))
}

impl LogArgs {
    /// The options to repeat in a suggested command so that it sees the
    /// same groups, e.g. ` --unmatched-log old.jsonl --since 2026-11-01`.
    pub fn repeat(&self) -> String {
        let mut out = String::new();
        if self.file.path != Path::new(DEFAULT_LOG) {
            out.push_str(&format!(
                " --unmatched-log {}",
                shell_word(&self.file.path.to_string_lossy())
            ));
        }
        if let Some(since) = &self.since {
            out.push_str(&format!(" --since {}", shell_word(&since.text)));
        }
        out
    }
}

fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:+".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The log, read and grouped.
pub struct Reviewed {
    /// Questions considered (after `--since`).
    pub questions: usize,
    pub groups: Vec<Group>,
    pub bad: Vec<BadLine>,
    /// The questions considered, for per-day counts.
    pub records: Vec<Record>,
    /// Questions never put to the FAQ, by reason (turned away, no longer
    /// fresh): not FAQ gaps, so not in the groups, but never unseen.
    pub missed: Vec<MissedCount>,
}

/// How many questions got no answer for one reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MissedCount {
    pub reason: Missed,
    pub count: usize,
    /// In plain words.
    pub why: &'static str,
}

/// Reads and groups the log, or says what to do when there is none.
pub fn review(faq: &Path, args: &LogArgs) -> Result<Reviewed, String> {
    let lines = reader::read::<Record>(&args.file.path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            format!(
                "there is no unmatched-questions log at {}. The bot writes it when it meets a question it cannot answer; point --unmatched-log (or FAQBOT_UNMATCHED_LOG) at the bot's log",
                args.file.path.display()
            )
        } else {
            format!(
                "cannot read the unmatched-questions log {}: {err}",
                args.file.path.display()
            )
        }
    })?;
    let (missed, records): (Vec<Record>, Vec<Record>) = lines
        .records
        .into_iter()
        .filter(|r| {
            args.since
                .as_ref()
                .is_none_or(|since| r.time >= since.start)
        })
        .partition(|r| r.missed.is_some());
    let mut counts: Vec<MissedCount> = Vec::new();
    for reason in missed.iter().filter_map(|r| r.missed) {
        match counts.iter_mut().find(|c| c.reason == reason) {
            Some(c) => c.count += 1,
            None => counts.push(MissedCount {
                reason,
                count: 1,
                why: reason.describe(),
            }),
        }
    }
    // Grouping needs only the settings' synonyms, so it works (and gives
    // the same groups) even while entries have errors.
    let (settings, _) = Settings::load(faq);
    let mut groups = review::group(&records, &settings);
    // Groups in other languages join the group asking the same in
    // English, by meaning (the model is loaded only when there are any).
    let semantic = &settings.semantic;
    if semantic.enabled
        && semantic.other_languages
        && groups.iter().any(|g| g.language.is_some())
        && let Err(err) = review::join_across_languages(&mut groups)
    {
        eprintln!(
            "faqbot: note: questions in other languages are grouped apart from English ones: {err}"
        );
    }
    Ok(Reviewed {
        questions: records.len(),
        groups,
        bad: lines.bad,
        records,
        missed: counts,
    })
}

/// Where `faqbot unmatched` notes which group it showed under which
/// number, so `faqbot new --group N` can tell when N has since come to mean
/// another group: beside the log, `unmatched.shown.json`.
pub fn shown_path(log: &Path) -> PathBuf {
    let stem = log
        .file_stem()
        .map_or_else(|| "unmatched".into(), |s| s.to_string_lossy().into_owned());
    log.with_file_name(format!("{stem}.shown.json"))
}

/// Notes the references of the groups shown, in order (private: the
/// references are digests of what people asked). Failing to is not worth
/// failing the review for: a note on stderr.
pub fn remember_shown(log: &Path, groups: &[Group]) {
    let refs: Vec<&str> = groups.iter().map(|g| g.reference.as_str()).collect();
    let path = shown_path(log);
    let written = serde_json::to_vec(&refs)
        .map_err(std::io::Error::other)
        .and_then(|bytes| crate::private_files::write(&path, &bytes));
    if let Err(err) = written {
        eprintln!(
            "faqbot: note: cannot note the groups shown in {}: {err}; `faqbot new --group` takes the references shown in brackets",
            path.display()
        );
    }
}

/// The references shown last time, by number (index 0 is group 1).
pub fn shown_before(log: &Path) -> Vec<String> {
    std::fs::read(shown_path(log))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// The group `which` names: a reference, or a number as `unmatched`
/// showed it (1-based), refused when it has come to mean another group
/// since. For `new --group` and `outside --group`.
pub fn find_group(faq: &Path, log: &LogArgs, which: &str) -> Result<Group, String> {
    let reviewed = review(faq, log)?;
    let count = reviewed.groups.len();
    let see = format!(
        "Run `faqbot unmatched{}` to see them, and pass the same --unmatched-log and --since here",
        log.repeat()
    );
    let group = if review::is_reference(which) {
        reviewed
            .groups
            .iter()
            .find(|g| g.reference == which)
            .ok_or_else(|| {
                format!(
                    "there is no group [{which}] in the log (it has {}). {see}",
                    plural(count, "group", "groups")
                )
            })?
    } else {
        let n: usize = which.trim().parse().map_err(|_| {
            format!("--group takes a group's reference (in brackets in `faqbot unmatched`, like k7q2f) or its number, not `{which}`")
        })?;
        let group = n
            .checked_sub(1)
            .and_then(|i| reviewed.groups.get(i))
            .ok_or_else(|| {
                format!(
                    "there is no group {n}: the log has {}. {see}",
                    plural(count, "group", "groups")
                )
            })?;
        let shown = shown_before(&log.file.path);
        if let Some(was) = shown.get(n - 1)
            && *was != group.reference
        {
            let then = reviewed.groups.iter().find(|g| g.reference == *was);
            return Err(format!(
                "group {n} has changed since `faqbot unmatched` showed it: more questions came in, and it is now [{}] \"{}\".{} Use the reference instead of the number, e.g. `faqbot new --group {}`",
                group.reference,
                group.question,
                then.map(|g| format!(" The group shown as {n} was [{was}] \"{}\".", g.question))
                    .unwrap_or_default(),
                then.map_or(group.reference.as_str(), |_| was.as_str()),
            ));
        }
        group
    };
    Ok(group.clone())
}

/// The FAQ for nearest-entry lookups, or a note on stderr saying why there
/// is none. Reviews go on without it: finding gaps must not wait for the
/// content to be fixed.
pub fn engine_or_note(ctx: &super::Context) -> Option<Engine> {
    match ctx.engine() {
        Ok(engine) => Some(engine),
        Err(EngineError::Content(err)) => {
            eprintln!(
                "faqbot: note: nearest entries are not shown: {} in {} (run `faqbot check` to see them; drafts still waiting for their answer count too)",
                plural(err.problems.len(), "error", "errors"),
                ctx.faq.display()
            );
            None
        }
        Err(err) => {
            eprintln!("faqbot: note: nearest entries are not shown: {err}");
            None
        }
    }
}

/// "1 question", "3 questions", "12,345 questions".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", show::thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_days_and_timestamps_and_explains_mistakes() {
        let day = parse_since("2026-11-01").unwrap();
        assert_eq!(day.start.to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert!(parse_since("2026-11-01T10:00:00+02:00").is_ok());
        let err = parse_since("1/11/2026").unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn big_counts_read_well() {
        assert_eq!(plural(1, "group", "groups"), "1 group");
        assert_eq!(plural(0, "group", "groups"), "0 groups");
        assert_eq!(plural(100_000, "line", "lines"), "100,000 lines");
    }

    #[test]
    fn repeats_only_non_default_options_quoted_for_the_shell() {
        let mut args = LogArgs {
            file: UnmatchedLog {
                path: PathBuf::from(DEFAULT_LOG),
            },
            since: None,
        };
        assert_eq!(args.repeat(), "");
        args.file.path = PathBuf::from("my logs/it's.jsonl");
        args.since = parse_since("2026-11-01").ok();
        assert_eq!(
            args.repeat(),
            " --unmatched-log 'my logs/it'\\''s.jsonl' --since 2026-11-01"
        );
    }
}
