//! `faqbot new` on real folders: drafts from a question and from an
//! unmatched group, and refusals that lose nothing.

use faqbot::curate::draft::ALTERNATES_HELP;
use std::path::{Path, PathBuf};

use crate::common::{faq_dir, faqbot, log_line, stderr, stdout};

/// A copy of the real FAQ to add drafts to.
fn faq_copy(tmp: &Path) -> PathBuf {
    let dir = tmp.join("faq");
    std::fs::create_dir(&dir).unwrap();
    for item in std::fs::read_dir(faq_dir()).unwrap() {
        let path = item.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn drafts_from_a_question_are_flagged_by_check_until_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path());
    let out = faqbot(
        &faq,
        &[
            "new",
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

    let path = faq.join("how-should-i-store-magnesium.md");
    let draft = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        draft,
        format!(
            "---\nquestion: How should I store magnesium?\nalternates:\n  - mag storage\n{ALTERNATES_HELP}---\nTODO: write the answer here, using facts from the source articles, then run `faqbot check`.\n"
        )
    );
    let check = faqbot(&faq, &["check"]);
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
    let check = faqbot(&faq, &["check"]);
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
    let check = faqbot(&faq, &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path());
    let before = std::fs::read_to_string(faq.join("rls-dosage.md")).unwrap();
    let out = faqbot(&faq, &["new", "Dose for potassium?", "--id", "rls-dosage"]);
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
    let faq = faq_copy(tmp.path());
    let files = std::fs::read_dir(&faq).unwrap().count();
    let out = faqbot(&faq, &["new", "What is RLS?"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is already a phrasing of"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(&faq).unwrap().count(), files);
}

#[test]
fn bad_ids_and_missing_folders_are_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_copy(tmp.path());
    let out = faqbot(&faq, &["new", "Storage?", "--id", "Bad Id!"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("e.g. --id bad-id"),
        "{}",
        stderr(&out)
    );
    let out = faqbot(&tmp.path().join("nowhere"), &["new", "Storage?"]);
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
    let faq = faq_copy(tmp.path());
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
    let out = faqbot(&faq, &["new", "--group", "1", "--log", log]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = std::fs::read_to_string(faq.join("is-melatonin-addictive.md")).unwrap();
    assert!(draft.starts_with(&format!("---\nquestion: is melatonin addictive\nalternates:\n  - is melatonin adictive\n{ALTERNATES_HELP}---\nTODO")), "{draft}");

    let out = faqbot(&faq, &["new", "--group", "9", "--unmatched-log", log]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("there is no group 9: the log has 3 groups"),
        "{}",
        stderr(&out)
    );

    let out = faqbot(
        &faq,
        &[
            "new",
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
