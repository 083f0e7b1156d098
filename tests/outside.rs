//! `faq/outside.yaml` and `faqbot outside`: a wrong answer is fixed by
//! adding an example of what the FAQ does not answer, and `check` keeps
//! examples and phrasings apart.

use std::path::{Path, PathBuf};

use crate::common::{faq_copy, faq_dir, faqbot, group_reference, log_line, stderr, stdout};

/// The real FAQ without its outside examples.
fn faq_without_outside(tmp: &Path) -> PathBuf {
    faq_copy(tmp, &["outside.yaml"])
}

fn answer(faq: &Path, question: &str) -> serde_json::Value {
    let out = faqbot(faq, &["ask", "--json", question]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(stdout(&out).trim()).unwrap()
}

const KIDS: &str = "magnesium dose for kids with restless legs";

#[test]
fn an_outside_example_turns_a_wrong_answer_into_an_honest_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_without_outside(tmp.path());
    // Without examples the adult dose answers a question about children.
    let before = answer(&faq, KIDS);
    assert_eq!(before["matched"], true, "{before}");
    assert_eq!(before["id"], "rls-dosage");

    let out = faqbot(
        &faq,
        &[
            "outside",
            "--reason",
            "children",
            "--about",
            "Doses and products for children.",
            "how much magnesium should a child with rls take",
            "magnesium dose for a child with restless legs",
            "What is RLS?",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("Added 2 examples"), "{said}");
    assert!(
        said.contains("Left out \"What is RLS?\": it is a phrasing of"),
        "{said}"
    );

    let after = answer(&faq, KIDS);
    assert_eq!(after["matched"], false, "{after}");
    let explained = stdout(&faqbot(&faq, &["ask", "--explain", KIDS]));
    assert!(
        explained.contains("children in outside.yaml") && explained.contains("refused: closer to"),
        "{explained}"
    );
    // What the FAQ does answer still is.
    assert_eq!(
        answer(&faq, "how much magnesium should i take for rls")["id"],
        "rls-dosage"
    );
    assert!(faqbot(&faq, &["check"]).status.success());
}

#[test]
fn an_example_that_is_also_a_phrasing_is_an_error_naming_both_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_without_outside(tmp.path());
    std::fs::write(
        faq.join("outside.yaml"),
        "reasons:\n  off_topic:\n    about: Else.\n    examples:\n      - tell me a joke\n      - what is rls\n",
    )
    .unwrap();
    let out = faqbot(&faq, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "outside.yaml:6: error: the outside example \"what is rls\" is also a question in"
        ) && text.contains("what-is-rls.md:"),
        "{text}"
    );
}

#[test]
fn a_group_of_unmatched_questions_is_filed_in_one_command() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_without_outside(tmp.path());
    let log = tmp.path().join("unmatched.jsonl");
    let mut text = String::new();
    for (day, q) in [
        (1, "is magnesium ok for my hamster"),
        (2, "is magnesium ok for my hamster?"),
        (3, "magnesium for hamsters"),
    ] {
        text.push_str(&log_line(&format!("2026-11-0{day}T12:00:00Z"), q));
    }
    std::fs::write(&log, text).unwrap();
    let log = log.to_str().unwrap();
    let review = stdout(&faqbot(&faq, &["unmatched", "--unmatched-log", log]));
    let reference = &group_reference(&review, "is magnesium ok for my hamster?");
    let out = faqbot(
        &faq,
        &[
            "outside",
            "--group",
            reference,
            "--unmatched-log",
            log,
            "--reason",
            "animals",
            "--about",
            "Pets.",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let filed = std::fs::read_to_string(faq.join("outside.yaml")).unwrap();
    assert!(
        filed.contains("  animals:\n    about: \"Pets.\"\n    examples:\n"),
        "{filed}"
    );
    assert!(
        filed.contains("- \"is magnesium ok for my hamster")
            && filed.contains("- \"magnesium for hamsters\""),
        "{filed}"
    );
    // Again: nothing new to add, nothing changed.
    let again = faqbot(
        &faq,
        &[
            "outside",
            "--group",
            reference,
            "--unmatched-log",
            log,
            "--reason",
            "animals",
        ],
    );
    assert!(
        stdout(&again).contains("Nothing to add"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        std::fs::read_to_string(faq.join("outside.yaml")).unwrap(),
        filed
    );
}

#[test]
fn the_learned_decision_answers_chat_words_but_only_with_outside_examples() {
    // "mag" and "kick in" are words the FAQ never uses: the rules refuse,
    // the classifier trained on the phrasings recognises the question.
    const CHAT: &str = "how fast does mag kick in";
    let shipped = answer(&faq_dir(), CHAT);
    assert_eq!(shipped["matched"], true, "{shipped}");
    assert_eq!(shipped["id"], "how-long-to-work");
    assert!(shipped["confidence"].as_f64().unwrap() >= 0.6, "{shipped}");
    let explained = stdout(&faqbot(&faq_dir(), &["ask", "--explain", CHAT]));
    assert!(
        explained.contains(
            "learned decision (trained on the phrasings, smalltalk.yaml, triage.yaml and outside.yaml): how-long-to-work"
        ) && explained.contains("answered: the decision learned from the FAQ's own phrasings"),
        "{explained}"
    );
    // Without examples of what it does not answer, the classifier has no
    // way to tell, and the rules' refusal stands.
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_without_outside(tmp.path());
    assert_eq!(answer(&faq, CHAT)["matched"], false);
}

/// The learned decision also refuses: the words and the meaning find the
/// entry on vitamin D and magnesium, but a question with a word that entry
/// lacks, which the classifier finds most like the kinds outside.yaml
/// lists, is refused. Without outside examples the rules' answer stands.
#[test]
fn the_learned_decision_refuses_what_outside_yaml_describes() {
    const OTHER: &str = "does vitamin d help with low mood";
    let shipped = answer(&faq_dir(), OTHER);
    assert_eq!(shipped["matched"], false, "{shipped}");
    let explained = stdout(&faqbot(&faq_dir(), &["ask", "--explain", OTHER]));
    assert!(
        explained.contains("refused: the decision learned from the FAQ's examples finds it most like the questions outside.yaml lists"),
        "{explained}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let faq = faq_without_outside(tmp.path());
    assert_eq!(answer(&faq, OTHER)["matched"], true);
}

/// One outside example a hair nearer than every phrasing does not refuse a
/// question the learned decision, weighing all examples together, gives
/// to an entry with high probability.
#[test]
fn a_near_outside_example_does_not_refuse_what_the_learned_decision_is_sure_of() {
    const IRON: &str = "what if my iron is on the low side, is that important";
    let shipped = answer(&faq_dir(), IRON);
    assert_eq!(shipped["id"], "iron-deficiency", "{shipped}");
    let explained = stdout(&faqbot(&faq_dir(), &["ask", "--explain", IRON]));
    assert!(
        explained.contains("nearest example of what the FAQ does not answer: \"what iron dose")
            && explained.contains("answered: the decision learned from the FAQ's own phrasings"),
        "{explained}"
    );
}
