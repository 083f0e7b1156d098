//! `faqbot unmatched` on real files: grouping, damaged lines, a missing
//! log, `--since`, `--json`, and a 100,000-line log.

use crate::common::{faq_dir, faqbot, log_line, stderr, stdout};

fn sample_log() -> String {
    let mut log = String::new();
    for (day, q) in [
        (1, "How much potassium should I take?"),
        (2, "how much potassium should i take"),
        (3, "how much potasium should I take"),
        (4, "is melatonin addictive"),
        (5, "Is melatonin addictive?"),
        (6, "what is the weather in london"),
    ] {
        log.push_str(&log_line(&format!("2026-11-{day:02}T09:30:00Z"), q));
    }
    log
}

#[test]
fn groups_questions_and_reports_damaged_lines_by_number() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("unmatched.jsonl");
    let mut text = sample_log();
    text.insert_str(0, "this is not json\n");
    // Two questions the bot never put to the FAQ: counted, not grouped.
    for why in ["turned_away", "turned_away", "not_fresh"] {
        text.push_str(&format!(
            "{{\"time\":\"2026-11-06T10:00:00Z\",\"question\":\"and zinc?\",\"best\":null,\"score\":0.0,\"chat\":\"group\",\"missed\":\"{why}\"}}\n"
        ));
    }
    text.push_str("{\"time\":\"2026-11-07T00:00:00Z\",\"question\":\"cut o");
    std::fs::write(&log, text).unwrap();

    let out = faqbot(
        &faq_dir(),
        &["unmatched", "--unmatched-log", log.to_str().unwrap()],
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(
        text.contains("6 questions in 3 groups, asked 2026-11-01 to 2026-11-06"),
        "{text}"
    );
    let first = text
        .lines()
        .find(|l| l.starts_with("1. ["))
        .unwrap_or_default();
    assert!(
        first.ends_with(
            "] \"how much potassium should i take\" asked 3 times, 2026-11-01 to 2026-11-03"
        ),
        "{text}"
    );
    let reference = &first[4..9];
    assert!(
        text.contains("\"how much potasium should I take\" (once)"),
        "{text}"
    );
    assert!(text.contains("nearest entry: "), "{text}");
    assert!(
        text.contains(&format!("faqbot new --group {reference} --unmatched-log ")),
        "{text}"
    );
    assert!(text.contains("Skipped 2 damaged lines"), "{text}");
    assert!(text.contains("line 1: not valid JSON"), "{text}");
    assert!(text.contains("line 11: cut off"), "{text}");
    assert!(
        text.contains(
            "Not answered and not in the groups above: 3 questions the bot never put to the FAQ."
        ),
        "{text}"
    );
    assert!(
        text.contains("2 questions: turned away: the person had too many questions waiting"),
        "{text}"
    );
    assert!(
        text.contains("1 question: dropped: it waited too long"),
        "{text}"
    );
    assert!(!text.contains("and zinc"), "not grouped: {text}");
}

#[test]
fn json_output_for_scripts_and_since() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("unmatched.jsonl");
    std::fs::write(&log, sample_log()).unwrap();
    let out = faqbot(
        &faq_dir(),
        &[
            "unmatched",
            "--unmatched-log",
            log.to_str().unwrap(),
            "--since",
            "2026-11-04",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["questions"], 3);
    assert_eq!(json["group_count"], 2);
    let first = &json["groups"][0];
    assert_eq!(first["group"], 1);
    assert_eq!(first["count"], 2);
    assert_eq!(first["question"], "is melatonin addictive");
    assert_eq!(first["variants"].as_array().unwrap().len(), 1, "{first}");
    assert_eq!(first["first_seen"], "2026-11-04T09:30:00Z");
    assert!(first["nearest"]["id"].is_string(), "{first}");
    assert!(first["suggestion"].is_string(), "{first}");
    assert_eq!(json["damaged_lines"].as_array().unwrap().len(), 0);
}

#[test]
fn a_missing_log_says_where_it_looked_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("nope.jsonl");
    let out = faqbot(
        &faq_dir(),
        &["unmatched", "--unmatched-log", log.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("there is no unmatched-questions log at"),
        "{err}"
    );
    assert!(err.contains("--unmatched-log"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_bad_since_date_is_explained() {
    let out = faqbot(&faq_dir(), &["unmatched", "--since", "last tuesday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("YYYY-MM-DD"), "{}", stderr(&out));
}

#[test]
fn an_empty_log_has_nothing_to_review_and_a_broken_faq_still_reviews() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("empty.jsonl");
    std::fs::write(&log, "").unwrap();
    let out = faqbot(
        &faq_dir(),
        &["unmatched", "--unmatched-log", log.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("None: nothing to review."),
        "{}",
        stdout(&out)
    );

    // A FAQ with errors (here: a draft awaiting its answer) hides the
    // nearest entries but not the groups.
    let faq = tmp.path().join("faq");
    std::fs::create_dir(&faq).unwrap();
    std::fs::write(
        faq.join("draft.md"),
        "---\nquestion: Q?\n---\nTODO: write the answer\n",
    )
    .unwrap();
    std::fs::write(&log, sample_log()).unwrap();
    let out = faqbot(
        &faq,
        &["unmatched", "--unmatched-log", log.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("unknown until the FAQ has no errors"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("run `faqbot check`"),
        "{}",
        stderr(&out)
    );
}

/// A deterministic 100,000-line log: popular questions in several wordings
/// and typos, plus a long tail of one-off questions, and a few damaged
/// lines. The review must finish and count every line (no timing asserted:
/// the README gives the measured figure).
#[test]
fn reviews_a_100000_line_log() {
    const LINES: usize = 100_000;
    let popular = [
        "how much potassium should i take",
        "how much potasium should i take",
        "potassium dose",
        "is magnesium safe for dogs",
        "magnesium for my dog",
        "can restless legs affect my arms",
        "is melatonin addictive",
        "is melatonin adictive",
        "does calcium help with leg cramps",
    ];
    let tail = [
        "iron", "zinc", "vitamin", "folate", "ferritin", "arm", "night", "pain", "cramp",
        "tingling", "yoga", "stretch", "bath", "massage", "coffee", "tea", "wine", "diet", "sugar",
        "salt", "walk", "swim", "kids", "elderly", "pregnant", "doctor", "test", "blood",
        "morning",
    ];
    let mut seed: u64 = 42;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let mut log = String::with_capacity(LINES * 110);
    let mut damaged = 0;
    for i in 0..LINES {
        let time = format!("2026-10-{:02}T{:02}:00:00Z", 1 + i * 30 / LINES, next(24));
        if i % 10_000 == 9_999 {
            log.push_str("{\"time\": oops\n");
            damaged += 1;
        } else if next(10) < 7 {
            log.push_str(&log_line(&time, popular[next(popular.len())]));
        } else {
            let words: Vec<&str> = (0..2 + next(4)).map(|_| tail[next(tail.len())]).collect();
            log.push_str(&log_line(&time, &format!("{}?", words.join(" "))));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.jsonl");
    std::fs::write(&path, log).unwrap();

    let out = faqbot(
        &faq_dir(),
        &[
            "unmatched",
            "--unmatched-log",
            path.to_str().unwrap(),
            "--json",
            "--top",
            "5",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["questions"], LINES - damaged);
    assert_eq!(json["damaged_lines"].as_array().unwrap().len(), damaged);
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 5);
    // The popular wordings and their typos land in a few big groups.
    let biggest = groups[0]["count"].as_u64().unwrap();
    assert!(biggest > 10_000, "{}", groups[0]);
    let group_count = json["group_count"].as_u64().unwrap();
    assert!(group_count < (LINES as u64) / 2, "{group_count} groups");
}

#[test]
fn escape_sequences_in_questions_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("unmatched.jsonl");
    let mut text = sample_log();
    text.push_str(&log_line(
        "2026-11-07T09:30:00Z",
        "what is \u{1b}[2J\u{1b}]0;pwned\u{7} this",
    ));
    text.push_str(&log_line("2026-11-08T09:30:00Z", &"long ".repeat(20_000)));
    std::fs::write(&log, text).unwrap();
    let out = faqbot(
        &faq_dir(),
        &["unmatched", "--unmatched-log", log.to_str().unwrap()],
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("what is \\u{1b}[2J"), "{text}");
    assert!(text.contains("more characters in --json"), "{text}");
    assert!(text.len() < 20_000, "a 100 KB question is cut");
}

#[test]
fn questions_handed_to_a_person_are_listed_with_their_fate() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("unmatched.jsonl");
    std::fs::write(&log, sample_log()).unwrap();
    let handoffs = tmp.path().join("handoffs.jsonl");
    std::fs::write(
        &handoffs,
        concat!(
            "{\"time\":\"2026-11-04T10:00:00Z\",\"reference\":\"K7Q2FA\",\"event\":\"asked\",\"question\":\"is melatonin addictive\"}\n",
            "{\"time\":\"2026-11-05T10:00:00Z\",\"reference\":\"ABC234\",\"event\":\"asked\",\"question\":\"how much potassium\"}\n",
            "{\"time\":\"2026-11-05T11:00:00Z\",\"reference\":\"K7Q2FA\",\"event\":\"answered\"}\n",
            "{\"time\":\"2026-11-05T12:00:00Z\",\"reference\":\"K7Q2FA\",\"event\":\"drafted\",\"draft\":\"is-melatonin-addictive.md\"}\n",
            "half a line\n",
        ),
    )
    .unwrap();
    let args = [
        "unmatched",
        "--unmatched-log",
        log.to_str().unwrap(),
        "--handoff-log",
        handoffs.to_str().unwrap(),
    ];
    let out = faqbot(&faq_dir(), &args);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(
        text.contains("Handed to a person (\"Ask a person\"): 2 questions, 1 answered."),
        "{text}"
    );
    assert!(
        text.contains("#K7Q2FA 2026-11-04 \"is melatonin addictive\": answered by a person; draft is-melatonin-addictive.md"),
        "{text}"
    );
    assert!(
        text.contains("#ABC234 2026-11-05 \"how much potassium\": no answer yet"),
        "{text}"
    );

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let out = faqbot(&faq_dir(), &json_args);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["handed_off"][1]["reference"], "K7Q2FA");
    assert_eq!(
        json["handed_off"][1]["drafts"][0],
        "is-melatonin-addictive.md"
    );

    // Without a handoff log (no curators' chat) nothing is said of it.
    let out = faqbot(
        &faq_dir(),
        &[
            "unmatched",
            "--unmatched-log",
            log.to_str().unwrap(),
            "--handoff-log",
            "/nonexistent/h.jsonl",
        ],
    );
    assert!(!stdout(&out).contains("Handed to a person"));
}

#[test]
fn questions_in_other_languages_show_their_language_and_join_the_same_question_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("unmatched.jsonl");
    let mut text = sample_log();
    for (day, q, language) in [
        (7, "¿cuánto potasio debo tomar?", "es"),
        (8, "Wie viel Kalium soll ich nehmen?", "de"),
        (9, "¿Dónde puedo comprar magnesio barato?", "es"),
    ] {
        let line = log_line(&format!("2026-11-{day:02}T09:30:00Z"), q);
        let line = line.trim_end().trim_end_matches('}').to_string();
        text.push_str(&format!("{line},\"language\":\"{language}\"}}\n"));
    }
    std::fs::write(&log, text).unwrap();
    let out = faqbot(
        &faq_dir(),
        &[
            "unmatched",
            "--unmatched-log",
            log.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let groups = json["groups"].as_array().unwrap();
    // The Spanish and German potassium questions count with the English.
    let potassium = &groups[0];
    assert_eq!(potassium["count"], 5, "{potassium:#}");
    assert!(potassium.get("language").is_none(), "{potassium:#}");
    let languages: Vec<&str> = potassium["variants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["language"].as_str())
        .collect();
    assert_eq!(languages.len(), 2, "{potassium:#}");
    // A question asked in Spanish only stays a group of its own, in Spanish.
    let buy = groups
        .iter()
        .find(|g| {
            g["question"]
                .as_str()
                .is_some_and(|q| q.contains("comprar"))
        })
        .expect("the Spanish group");
    assert_eq!(buy["language"], "es");
    assert_eq!(buy["count"], 1);
    // The text names the language.
    let out = faqbot(
        &faq_dir(),
        &["unmatched", "--unmatched-log", log.to_str().unwrap()],
    );
    let text = stdout(&out);
    assert!(
        text.contains("\"¿Dónde puedo comprar magnesio barato?\" (in Spanish) asked once"),
        "{text}"
    );
}
