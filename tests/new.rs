//! `faqbot new` on real folders: drafts from a question and from an
//! unmatched group, and refusals that lose nothing.

use faqbot::curate::draft::ALTERNATES_HELP;
use std::path::{Path, PathBuf};

use crate::common::{faq_copy, faqbot, group_reference, log_line, stderr, stdout};

/// `faqbot new ARGS --out <FAQ's folder>/drafts`: never the working
/// folder's `drafts/`.
fn new(faq: &Path, args: &[&str]) -> std::process::Output {
    let drafts = drafts_of(faq);
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", drafts.to_str().unwrap()]);
    faqbot(faq, &all)
}

fn drafts_of(faq: &Path) -> PathBuf {
    faq.parent().unwrap().join("drafts")
}

#[test]
fn drafts_from_a_question_are_flagged_by_check_until_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let out = new(
        &faq,
        &[
            "How should I store magnesium?",
            "--alternate",
            "mag storage",
            "--alternate",
            "magnesium dose for rls",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("how-should-i-store-magnesium.md"), "{text}");
    assert!(text.contains("Left out the alternate \"magnesium dose for rls\": the entry `rls-dosage` already uses it"), "{text}");
    assert!(
        text.contains("check --drafts") && text.contains("mv "),
        "{text}"
    );

    // Into the drafts folder, never into faq/: the bot does not serve it.
    let drafts = drafts_of(&faq);
    assert!(!faq.join("how-should-i-store-magnesium.md").exists());
    let path = drafts.join("how-should-i-store-magnesium.md");
    let drafts_arg = drafts.to_str().unwrap();
    let draft = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        draft,
        format!(
            "---\nquestion: How should I store magnesium?\nalternates:\n  - mag storage\n{ALTERNATES_HELP}---\nTODO: write the answer here, using facts from the source articles, then run `faqbot check`.\n"
        )
    );
    let check = faqbot(&faq, &["check", "--drafts", drafts_arg]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains(
            "how-should-i-store-magnesium.md:9: error: the answer is still the placeholder"
        ),
        "{}",
        stdout(&check)
    );
    // A curator's first added line, under the example, is no YAML error
    // (under the `alternates: []` drafts once had, it was).
    let added = draft.replacen("---\nTODO", "  - keeping magnesium at home\n---\nTODO", 1);
    std::fs::write(&path, added).unwrap();
    let check = faqbot(&faq, &["check", "--drafts", drafts_arg]);
    let text = stdout(&check);
    assert!(text.contains("1 error(s)"), "{text}");
    assert!(
        text.contains(
            "how-should-i-store-magnesium.md:10: error: the answer is still the placeholder"
        ),
        "{text}"
    );

    // Once the curator writes the answer, check passes.
    std::fs::write(&path, draft.replace("TODO: write the answer here, using facts from the source articles, then run `faqbot check`.", "Somewhere cool and dry.")).unwrap();
    let check = faqbot(&faq, &["check", "--drafts", drafts_arg]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let before = std::fs::read_to_string(faq.join("rls-dosage.md")).unwrap();
    let out = new(&faq, &["Dose for potassium?", "--id", "rls-dosage"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("rls-dosage.md already exists, and faqbot never writes over an entry"),
        "{err}"
    );
    assert!(err.contains("--id NEW-ID"), "{err}");
    assert!(err.contains("Nothing was written."), "{err}");
    assert_eq!(
        std::fs::read_to_string(faq.join("rls-dosage.md")).unwrap(),
        before
    );
}

#[test]
fn a_question_another_entry_already_uses_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let files = std::fs::read_dir(&faq).unwrap().count();
    let out = new(&faq, &["What is RLS?"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is already a phrasing of"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(&faq).unwrap().count(), files);
    assert!(!drafts_of(&faq).exists(), "nothing was written");
}

#[test]
fn bad_ids_and_missing_folders_are_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let out = new(&faq, &["Storage?", "--id", "Bad Id!"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("e.g. --id bad-id"),
        "{}",
        stderr(&out)
    );
    let out = new(&tmp.path().join("nowhere"), &["Storage?"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("there is no FAQ folder at"),
        "{}",
        stderr(&out)
    );
    let out = faqbot(&faq, &["new"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a question or --group is required"
    );
}

#[test]
fn drafts_from_an_unmatched_group_take_its_wordings_as_alternates() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let log = tmp.path().join("unmatched.jsonl");
    let mut text = String::new();
    for (day, q) in [
        (1, "is melatonin addictive"),
        (2, "Is melatonin addictive?"),
        (3, "is melatonin adictive"),
        (4, "magnesium dose for rls"),
        (5, "weather in london"),
    ] {
        text.push_str(&log_line(&format!("2026-11-0{day}T12:00:00Z"), q));
    }
    text.push_str("garbage\n");
    std::fs::write(&log, text).unwrap();
    let log = log.to_str().unwrap();

    // `--log`, the older name of `--unmatched-log`, still works.
    let out = new(&faq, &["--group", "1", "--log", log]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = std::fs::read_to_string(drafts_of(&faq).join("is-melatonin-addictive.md")).unwrap();
    assert!(draft.starts_with(&format!("---\nquestion: is melatonin addictive\nalternates:\n  - is melatonin adictive\n{ALTERNATES_HELP}---\nTODO")), "{draft}");

    let out = new(&faq, &["--group", "9", "--unmatched-log", log]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("there is no group 9: the log has 3 groups"),
        "{}",
        stderr(&out)
    );

    let out = new(
        &faq,
        &[
            "--group",
            "1",
            "--unmatched-log",
            "/definitely/not/here.jsonl",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("there is no unmatched-questions log"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn groups_keep_their_reference_and_a_moved_number_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let path = tmp.path().join("unmatched.jsonl");
    let mut text = String::new();
    for (day, q) in [
        (1, "is melatonin addictive"),
        (2, "is melatonin addictive"),
        (3, "potassium dose"),
    ] {
        text.push_str(&log_line(&format!("2026-11-0{day}T12:00:00Z"), q));
    }
    std::fs::write(&path, &text).unwrap();
    let log = path.to_str().unwrap();
    let review = stdout(&faqbot(&faq, &["unmatched", "--unmatched-log", log]));
    let melatonin = group_reference(&review, "is melatonin addictive");
    assert!(
        review.contains(&format!("faqbot new --group {melatonin}")),
        "{review}"
    );

    // Potassium overtakes melatonin: group 1 now means another group.
    for day in 4..=6 {
        text.push_str(&log_line(
            &format!("2026-11-0{day}T12:00:00Z"),
            "potassium dose",
        ));
    }
    std::fs::write(&path, &text).unwrap();
    let out = new(&faq, &["--group", "1", "--unmatched-log", log]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("group 1 has changed since"), "{err}");
    assert!(err.contains(&format!("--group {melatonin}")), "{err}");
    assert!(!drafts_of(&faq).exists(), "nothing was written");

    // The reference still names melatonin's group.
    let out = new(&faq, &["--group", &melatonin, "--unmatched-log", log]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(drafts_of(&faq).join("is-melatonin-addictive.md").exists());
    let review = stdout(&faqbot(&faq, &["unmatched", "--unmatched-log", log]));
    assert_eq!(
        group_reference(&review, "is melatonin addictive"),
        melatonin,
        "{review}"
    );
    let out = new(&faq, &["--group", "zzzzz", "--unmatched-log", log]);
    assert!(
        stderr(&out).contains("there is no group [zzzzz]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_draft_from_a_group_joined_across_languages_is_written_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path(), &[]);
    let log = tmp.path().join("unmatched.jsonl");
    let mut text = String::new();
    for (day, q, language) in [
        (1, "how much potassium should i take", None),
        (2, "how much potassium should i take", None),
        (3, "what dose of potassium", None),
        (4, "¿cuánto potasio debo tomar?", Some("es")),
    ] {
        let line = log_line(&format!("2026-11-0{day}T12:00:00Z"), q);
        match language {
            Some(code) => {
                let line = line.trim_end().trim_end_matches('}');
                text.push_str(&format!("{line},\"language\":\"{code}\"}}\n"));
            }
            None => text.push_str(&line),
        }
    }
    std::fs::write(&log, text).unwrap();
    let out = new(
        &faq,
        &["--group", "1", "--unmatched-log", log.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 wording in other languages left out of the draft"),
        "{}",
        stderr(&out)
    );
    let draft =
        std::fs::read_to_string(drafts_of(&faq).join("how-much-potassium-should-i-take.md"))
            .unwrap();
    assert!(!draft.contains("potasio"), "{draft}");
}
