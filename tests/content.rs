//! Guards on the shipped FAQ content in `faq/`.

use std::path::Path;

use faqbot::content;
use faqbot::engine::{Engine, Model, check};

fn faq_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"))
}

/// The shipped FAQ passes `faqbot check` with nothing to say: the same
/// code, so every rule (too few alternates, a phrasing answered from
/// another entry, two entries meaning the same) is checked once, there.
#[test]
fn shipped_faq_passes_check_without_a_warning() {
    let checked = check::check(faq_dir(), &Model::built_in(), None).expect("the model runs");
    let problems: Vec<String> = checked.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        problems.is_empty(),
        "faq/ has problems (run `faqbot check`):\n{}",
        problems.join("\n")
    );
    let engine = checked.engine.expect("faq/ is served");
    assert!(
        engine.faq().entries.len() >= 30,
        "only {} entries",
        engine.faq().entries.len()
    );
}

/// Both articles' own questions, including the FAQ at the end of the
/// second one, are covered.
#[test]
fn the_articles_questions_are_answered() {
    let engine = Engine::load(faq_dir()).expect("faq/ loads");
    for (question, must_contain) in [
        ("Can magnesium cure Restless Leg Syndrome?", "cure"),
        ("How long does magnesium take to work for RLS?", "week"),
        ("Is magnesium safe to take every day?", "recommended doses"),
        ("Can I get enough magnesium from food alone?", "supplements"),
        ("Which magnesium is best for sleep and RLS?", "glycinate"),
        ("How is RLS Diagnosed?", "physical examination"),
        ("Daily Magnesium Requirements", "310–420 mg"),
        ("Recommended Dosage", "200–400 mg"),
    ] {
        let outcome = engine.ask(question);
        let faqbot::engine::Outcome::Answer { entry, .. } = outcome else {
            panic!("{question:?} is not answered");
        };
        assert!(
            entry.answer.contains(must_contain),
            "{question:?} -> {}",
            entry.id
        );
    }
}

/// Every alternate asked as a yes/no question ("is taking magnesium daily
/// bad?") gets its own entry's answer, and that answer leads with the fact,
/// never a bare yes or no that would answer the question the other way
/// round; doses always come with the caveat.
#[test]
fn yes_no_questions_never_get_a_bare_yes_or_no() {
    let engine = Engine::load(faq_dir()).expect("faq/ loads");
    let yes_no = [
        "is ", "are ", "can ", "could ", "does ", "do ", "should ", "will ", "would ",
    ];
    let mut asked = 0;
    for entry in &engine.faq().entries {
        assert_eq!(
            content::safety::opens_with_yes_or_no(&entry.answer),
            None,
            "{}: answer opens with yes or no",
            entry.id
        );
        assert!(
            !content::safety::dose_without_caveat(&entry.answer),
            "{}: a dose without a caveat",
            entry.id
        );
        for phrasing in entry.phrasings() {
            let lower = phrasing.to_lowercase();
            if !yes_no.iter().any(|w| lower.starts_with(w)) {
                continue;
            }
            asked += 1;
            if let faqbot::engine::Outcome::Answer { entry: got, .. } = engine.ask(phrasing) {
                assert_eq!(
                    content::safety::opens_with_yes_or_no(&got.answer),
                    None,
                    "{phrasing:?} -> {}",
                    got.id
                );
            }
        }
    }
    assert!(asked > 30, "only {asked} yes/no phrasings replayed");
}
