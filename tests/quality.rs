//! Matching quality on a question set of our own (`tests/quality/`), and on
//! the shared development set beside the checkout (an ignored test, run by
//! `.ci/run` where the set is present).
//!
//! The floors are the levels reached when they were set: a change to the
//! matcher, the synonyms or the content that answers fewer of these
//! questions, or answers more of the unanswerable ones, fails here.

use std::path::Path;

use faqbot::engine::{Engine, Outcome};
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    q: String,
    /// Acceptable entry ids (our set).
    #[serde(default)]
    ids: Vec<String>,
    /// Fact groups the answer must contain (the shared set).
    #[serde(default)]
    facts: Vec<Vec<String>>,
    #[serde(default)]
    ood: bool,
}

struct Score {
    answered: usize,
    in_domain: usize,
    refused: usize,
    out_of_domain: usize,
    misses: Vec<String>,
}

fn engine() -> Engine {
    Engine::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"))).expect("faq/ loads")
}

fn score(engine: &Engine, path: &Path) -> Score {
    let text = std::fs::read_to_string(path).expect("question set is readable");
    let mut s = Score {
        answered: 0,
        in_domain: 0,
        refused: 0,
        out_of_domain: 0,
        misses: Vec::new(),
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Row = serde_json::from_str(line).expect("question rows are valid JSON");
        let outcome = engine.ask(&row.q);
        if row.ood {
            s.out_of_domain += 1;
            match outcome {
                Outcome::NoMatch { .. }
                | Outcome::Choose { .. }
                | Outcome::Urgent { .. }
                | Outcome::SmallTalk { .. } => s.refused += 1,
                Outcome::Answer { entry, .. } => s
                    .misses
                    .push(format!("answered {:?} with {}", row.q, entry.id)),
            }
            continue;
        }
        s.in_domain += 1;
        let right = match &outcome {
            Outcome::Answer { entry, .. } if !row.ids.is_empty() => row.ids.contains(&entry.id),
            Outcome::Answer { entry, .. } => {
                let answer = entry.answer.to_lowercase();
                row.facts.iter().all(|group| {
                    group
                        .iter()
                        .any(|fact| answer.contains(&fact.to_lowercase()))
                })
            }
            Outcome::NoMatch { .. }
            | Outcome::Choose { .. }
            | Outcome::Urgent { .. }
            | Outcome::SmallTalk { .. } => false,
        };
        if right {
            s.answered += 1;
        } else {
            let got = match outcome {
                Outcome::Answer { entry, .. } => entry.id.clone(),
                Outcome::NoMatch { .. } => "no match".into(),
                Outcome::Choose { entries, .. } => {
                    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
                    format!("asked which of {}", ids.join(", "))
                }
                Outcome::Urgent { .. } => "urgent reply".into(),
                Outcome::SmallTalk { kind, .. } => format!("small talk ({kind})"),
            };
            s.misses.push(format!("{:?} -> {got}", row.q));
        }
    }
    s
}

fn report(name: &str, s: &Score) {
    eprintln!(
        "{name}: in-domain {}/{}, refused {}/{}\n  {}",
        s.answered,
        s.in_domain,
        s.refused,
        s.out_of_domain,
        s.misses.join("\n  ")
    );
}

#[test]
fn own_question_set_stays_at_its_level() {
    let s = score(
        &engine(),
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/quality/questions.jsonl"
        )),
    );
    report("tests/quality/questions.jsonl", &s);
    assert!(
        s.answered >= 86,
        "in-domain fell to {}/{}",
        s.answered,
        s.in_domain
    );
    assert!(
        s.refused >= 41,
        "out-of-domain rejection fell to {}/{}",
        s.refused,
        s.out_of_domain
    );
}

#[test]
#[ignore = "needs ../shared/eval beside the checkout; .ci/run runs it there"]
fn shared_dev_set_stays_above_target() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/eval/dev.jsonl"
    ));
    assert!(
        path.exists(),
        "{} is not beside this checkout",
        path.display()
    );
    let s = score(&engine(), path);
    report("shared dev set", &s);
    let acc = s.answered as f64 / s.in_domain as f64;
    let rej = s.refused as f64 / s.out_of_domain as f64;
    // The sentence stage's targets (issue 8): at least 0.97 on both.
    assert!(acc >= 0.97, "in-domain accuracy {acc:.3}");
    assert!(rej >= 0.97, "out-of-domain rejection {rej:.3}");
}
