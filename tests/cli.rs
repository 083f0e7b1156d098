//! The `faqbot` binary: ask, check and list, as curators and scripts use them.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use faqbot::content::EntryFile;

const FAQ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/faq");

fn faqbot(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .args(args)
        .env_remove("FAQBOT_FAQ_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("faqbot runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("stdin accepts the questions");
    }
    drop(input);
    child.wait_with_output().expect("faqbot finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn footer() -> String {
    faqbot::content::Settings::load(Path::new(FAQ)).0.footer
}

#[test]
fn ask_answers_with_the_footer() {
    let o = faqbot(
        &[
            "--faq",
            FAQ,
            "ask",
            "does",
            "magnesium",
            "help",
            "restless",
            "legs?",
        ],
        None,
    );
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.trim_end().ends_with(&footer()), "{text}");
    assert!(text.to_lowercase().contains("magnesium"));
}

#[test]
fn ask_json_has_the_documented_fields() {
    let o = faqbot(
        &[
            "--faq",
            FAQ,
            "ask",
            "--json",
            "how much magnesium should i take for rls",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    assert_eq!(v["matched"], true);
    assert_eq!(v["id"], "rls-dosage");
    assert!(v["answer"].as_str().unwrap().contains("200–400 mg"));
    assert!(v["score"].as_f64().unwrap() > 0.0);
    assert!(v["suggestions"].is_array());
    assert_eq!(v["question"], "how much magnesium should i take for rls");
}

#[test]
fn ask_reads_stdin_in_order_and_survives_odd_input() {
    let long = "magnesium ".repeat(1_000);
    let mut input = Vec::new();
    for q in [
        "what causes rls",
        "",
        "   ",
        long.as_str(),
        "🙂🙂🙂",
        "a\u{1}b\u{7f}c\u{1b}[31m",
        "マグネシウムはこむら返りに効きますか",
        "how do i change my phone number",
    ] {
        input.extend_from_slice(q.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"\xff\xfe invalid utf-8\n");
    let o = faqbot(&["--faq", FAQ, "ask", "--json"], Some(&input));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 9, "one reply per question");
    assert_eq!(lines[0]["id"], "rls-causes");
    for reply in &lines[1..] {
        assert_eq!(reply["matched"], false, "{reply}");
        assert!(reply["answer"].is_null());
    }
    // Three smiles are small talk, not a miss.
    assert_eq!(lines[4]["smalltalk"], "ok", "{}", lines[4]);
    assert!(lines[8]["smalltalk"].is_null(), "{}", lines[8]);
}

#[test]
fn ask_unmatched_says_so_honestly() {
    let o = faqbot(&["--faq", FAQ, "ask", "what is bitcoin"], None);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("/topics"), "{text}");
    assert!(
        !text.contains(&footer()),
        "no medical footer on a non-answer"
    );
}

#[test]
fn explain_shows_words_and_candidates() {
    let o = faqbot(
        &["--faq", FAQ, "ask", "--explain", "magnesum for dogs"],
        None,
    );
    let text = stdout(&o);
    assert!(text.contains("dog(") && text.contains("NEW"), "{text}");
    assert!(
        text.contains("magnesium(") && text.contains("corrected"),
        "{text}"
    );
}

#[test]
fn explain_says_why_a_message_is_urgent() {
    let o = faqbot(
        &[
            "--faq",
            FAQ,
            "ask",
            "--explain",
            "my dad is clutching his chest and went grey",
        ],
        None,
    );
    let text = stdout(&o);
    assert!(text.contains("URGENT (chest_pain), alarmed by"), "{text}");
    let o = faqbot(
        &[
            "--faq",
            FAQ,
            "ask",
            "--explain",
            "how much magnesium should i take",
        ],
        None,
    );
    assert!(!stdout(&o).contains("URGENT"), "{}", stdout(&o));
}

#[test]
fn check_passes_on_shipped_content() {
    let o = faqbot(&["--faq", FAQ, "check"], None);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("entries"), "{}", stdout(&o));
}

#[test]
fn check_reports_broken_files_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    EntryFile::new("Q?", "A")
        .alternates(&["a"])
        .write(dir.path(), "good")
        .unwrap();
    std::fs::write(
        dir.path().join("broken.md"),
        "---\nquestion: [oops\n---\nA\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.md"), "").unwrap();
    std::fs::write(
        dir.path().join("no-answer.md"),
        "---\nquestion: Why?\n---\n",
    )
    .unwrap();
    let o = faqbot(&["--faq", dir.path().to_str().unwrap(), "check"], None);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.contains("broken.md:2: error"), "{text}");
    assert!(
        text.contains("empty.md: error: the file is empty"),
        "{text}"
    );
    assert!(
        text.contains("no-answer.md:3: error: missing answer"),
        "{text}"
    );
    assert!(text.contains("3 error(s)"), "{text}");
}

#[test]
fn ask_refuses_broken_content_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.md"), "no front matter").unwrap();
    let o = faqbot(&["--faq", dir.path().to_str().unwrap(), "ask", "hi"], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.md:1: error") && err.contains("faqbot check"),
        "{err}"
    );
    let o = faqbot(&["--faq", "/no/such/dir", "ask", "hi"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read the FAQ directory"));
}

#[test]
fn list_json_lists_every_entry() {
    let o = faqbot(&["--faq", FAQ, "list", "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("a JSON array");
    let entries = v.as_array().unwrap();
    assert!(entries.len() >= 30);
    for key in ["id", "question", "alternates", "answer", "related"] {
        assert!(entries[0].get(key).is_some(), "{key}");
    }
}

#[test]
fn faq_dir_comes_from_the_environment() {
    let o = Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .args(["list"])
        .env("FAQBOT_FAQ_DIR", FAQ)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(stdout(&o).contains("rls-dosage"));
}

#[test]
fn emergencies_get_the_urgent_reply_not_an_answer() {
    let o = faqbot(
        &[
            "--faq",
            FAQ,
            "ask",
            "I took too much magnesium and have chest pain",
        ],
        None,
    );
    let text = stdout(&o);
    assert!(text.contains("emergency"), "{text}");
    assert!(!text.contains(&footer()), "{text}");
    let o = faqbot(
        &["--faq", FAQ, "ask", "--json", "i want to kill myself"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["urgent"], true);
    assert_eq!(v["matched"], false);
}

#[test]
fn check_refuses_a_phrasing_that_leads_to_another_entry() {
    let dir = tempfile::tempdir().unwrap();
    EntryFile::new("What is RLS?", "A condition.")
        .alternates(&["rls meaning"])
        .write(dir.path(), "what")
        .unwrap();
    EntryFile::new("What causes RLS?", "Iron.")
        .alternates(&["what is rls exactly"])
        .write(dir.path(), "causes")
        .unwrap();
    let o = faqbot(&["--faq", dir.path().to_str().unwrap(), "check"], None);
    let text = stdout(&o);
    // One of the two questions is answered from the other entry: an
    // error, which the bot refuses to serve too.
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(".md:2: error: asking \"What is RLS?\" gets the answer of `")
            || text.contains(".md:4: error: asking \"what is rls exactly\" gets the answer of `"),
        "{text}"
    );
    assert!(
        text.contains("only 1 alternate; an entry needs at least 5"),
        "{text}"
    );

    let o = faqbot(
        &["--faq", dir.path().to_str().unwrap(), "check", "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["entries"], 0);
    assert_eq!(v["errors"], 1);
    let misroute = &v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["severity"] == "error")
        .unwrap();
    assert!(misroute["file"].as_str().unwrap().ends_with(".md"));
    assert!(misroute["line"].is_u64(), "{misroute}");
    assert!(
        misroute["message"]
            .as_str()
            .unwrap()
            .contains("gets the answer of")
    );

    let o = faqbot(&["--faq", FAQ, "check", "--json"], None);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ok"], true);
    assert!(v["entries"].as_u64().unwrap() >= 30);
    assert_eq!(v["problems"], serde_json::json!([]));
}

#[test]
fn start_up_vectors_are_cached_and_a_broken_cache_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let ask = |extra: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_faqbot"));
        command
            .args(["--faq", FAQ])
            .args(extra)
            .args(["ask", "--json", "how much magnesium should i take"])
            .env_remove("FAQBOT_VECTOR_CACHE")
            .current_dir(dir.path());
        let o = command.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        v["id"].as_str().unwrap_or_default().to_string()
    };
    // Off: nothing is written.
    let first = ask(&["--vector-cache", "off"]);
    assert!(!dir.path().join("data").exists());
    // By default the cache lands beside the bot's other data files.
    let cache = dir.path().join("data/vectors.bin");
    assert_eq!(ask(&[]), first);
    let written = std::fs::read(&cache).expect("the cache was written");
    assert!(written.len() > 100_000, "{} bytes", written.len());
    // Read back, the same answer; a damaged file is ignored and rewritten.
    assert_eq!(ask(&[]), first);
    std::fs::write(&cache, &written[..written.len() / 3]).unwrap();
    assert_eq!(ask(&[]), first);
    assert_eq!(std::fs::read(&cache).unwrap(), written);
}

/// `faqbot list | head -1`: the reader leaves early. Before the one error
/// boundary this panicked (exit 101); now every command ends quietly with 0.
#[test]
fn a_closed_output_pipe_ends_quietly_with_success() {
    let dir = std::env::temp_dir().join(format!("faqbot-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("unmatched.jsonl");
    let line = r#"{"time":"2026-11-01T10:00:00Z","question":"is melatonin addictive","score":0.1,"chat":"private"}"#;
    std::fs::write(&log, format!("{line}\n").repeat(200)).unwrap();
    let log = log.to_string_lossy().into_owned();
    for args in [
        vec!["--faq", FAQ, "list"],
        vec!["--faq", FAQ, "list", "--json"],
        vec!["--faq", FAQ, "check"],
        vec!["--faq", FAQ, "unmatched", "--unmatched-log", &log],
        vec!["completions", "bash"],
        vec!["help", "run"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_faqbot"))
            .args(&args)
            .env_remove("FAQBOT_FAQ_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("faqbot runs");
        // Close the reading end before a word is read, like `head -0`.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("faqbot finishes");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            out.status.code() == Some(0) || args.contains(&"check"),
            "{args:?}: {:?} {err}",
            out.status
        );
    }
    let help = faqbot(&["--help"], None);
    assert!(
        stdout(&help).contains("Exit codes: 0 success"),
        "{}",
        stdout(&help)
    );
}

/// `help` is a command like the others: `help --help` and `help COMMAND`
/// work, and an unknown command is named with the list of real ones.
#[test]
fn help_and_completions_need_no_faq() {
    let out = faqbot(&["--faq", "/nowhere", "help", "--help"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Usage: faqbot help"),
        "{}",
        stdout(&out)
    );
    let out = faqbot(&["--faq", "/nowhere", "help", "unmatched"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Usage: faqbot unmatched"), "{text}");
    // One name per record file, in every command that reads it.
    assert!(text.contains("--unmatched-log <PATH>"), "{text}");
    assert!(text.contains("--handoff-log <PATH>"), "{text}");
    let run = stdout(&faqbot(&["help", "run"], None));
    let report = stdout(&faqbot(&["help", "report"], None));
    for flag in [
        "--unmatched-log",
        "--answered-log",
        "--feedback-log",
        "--handoff-log",
    ] {
        assert!(run.contains(flag), "run lacks {flag}");
        assert!(report.contains(flag), "report lacks {flag}");
    }
    let out = faqbot(&["help", "nope"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("there is no command `nope`; the commands are: ask, chat, check")
    );

    for shell in ["bash", "zsh", "fish"] {
        let out = faqbot(&["--faq", "/nowhere", "completions", shell], None);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains("unmatched-log"), "{shell}");
    }
}

/// The mistakes curators make in front matter, as `check` reports them:
/// on the line of the mistake, in plain words with the fix, no Rust types.
#[test]
fn yaml_mistakes_are_named_on_their_line_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, front: &str| {
        std::fs::write(
            dir.path().join(name),
            format!("---\n{front}\n---\nAn answer.\n"),
        )
        .unwrap();
    };
    // Line 1 is the opening `---`.
    write(
        "no-colon-alternates.md",
        "question: How much magnesium?\nalternates\n  - mag dose\n  - how many mg",
    );
    write(
        "no-colon-question.md",
        "question When should I take it?\nalternates:\n  - best time for mag",
    );
    write(
        "colon-in-alternate.md",
        "question: Is it safe?\nalternates:\n  - safety: is mag ok\n  - mag safe",
    );
    write(
        "over-indented.md",
        "question: Does it help sleep?\nalternates:\n  - mag for sleep\n    - magnesium and insomnia",
    );
    let out = faqbot(&["--faq", dir.path().to_str().unwrap(), "check"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "no-colon-alternates.md:3: error: `alternates` needs a colon after it: write `alternates:`",
        "no-colon-question.md:2: error: `question` needs a colon after it: write `question: When should I take it?`",
        "colon-in-alternate.md:4: error: this alternate contains a colon, which YAML reads as the start of another key: put the whole alternate in double quotes, like - \"safety: is mag ok\"",
        "over-indented.md:5: error: this alternate is indented further than the one on line 4, so it would be joined to that one",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for rust in ["struct", "enum", "untagged", "invalid type", "FrontMatter"] {
        assert!(!text.contains(rust), "{rust:?} in:\n{text}");
    }
    assert_eq!(text.matches(": error: ").count(), 4, "{text}");
}

/// `faqbot chat` reads each message after the question before it: a
/// follow-up that means nothing alone is answered in context; small talk
/// keeps the thread; a blank line starts a new conversation; a message
/// that stands on its own, or names another subject, is not bent toward
/// the previous topic; one answered alone but pointing back is answered
/// in context.
#[test]
fn chat_reads_follow_ups_in_context() {
    let input = "what is the best form of magnesium for rls\n\
                 why is that\n\
                 thanks\n\
                 can it cure it\n\
                 \n\
                 can it cure it\n\
                 what causes restless legs\n\
                 what brand should i buy\n\
                 what is a migraine\n\
                 \n\
                 what are the symptoms of low magnesium\n\
                 can that cause restless legs?\n\
                 \n\
                 what causes restless legs\n\
                 can it be cured\n";
    let o = faqbot(&["--faq", FAQ, "chat", "--json"], Some(input.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per message"))
        .collect();
    let got: Vec<(String, bool)> = lines
        .iter()
        .map(|l| {
            let what = l["id"]
                .as_str()
                .or(l["smalltalk"].as_str())
                .unwrap_or("no match");
            (what.to_string(), l["context"].as_bool().expect("context"))
        })
        .collect();
    let expected = [
        ("best-type", false),
        ("best-type", true),
        ("thanks", false),
        ("can-magnesium-cure-rls", true),
        // A new conversation: alone, "it" is nothing.
        ("no match", false),
        ("rls-causes", false),
        ("no match", false),
        // Its own subject, no word pointing back: alone.
        ("no match", false),
        ("deficiency-symptoms", false),
        // Alone, the causes of RLS; "that" is low magnesium.
        ("deficiency-and-rls", true),
        ("rls-causes", false),
        // In context it leads back to the causes, which say nothing of a
        // cure: refused rather than the same answer again.
        ("no match", false),
    ];
    let expected: Vec<(String, bool)> = expected.iter().map(|(w, c)| (w.to_string(), *c)).collect();
    assert_eq!(got, expected, "{}", stdout(&o));
    assert_eq!(lines[1]["question"], "why is that");
}

/// `ask --after` reads the question as the next message of a
/// conversation, and `--explain` says whether and why the previous
/// question was used.
#[test]
fn ask_after_explains_how_the_conversation_was_used() {
    let previous = "what is the best form of magnesium for rls";
    let ask_after = |mode: &str, question: &str| {
        let o = faqbot(
            &["--faq", FAQ, "ask", mode, "--after", previous, question],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let text = ask_after("--explain", "when should i take it");
    assert!(
        text.contains(&format!("previous question: {previous}")),
        "{text}"
    );
    assert!(text.contains("read after the previous question"), "{text}");
    assert!(
        text.contains(&format!("read as: {previous}, when should i take it")),
        "{text}"
    );
    let text = ask_after("--explain", "what is a migraine");
    assert!(text.contains("read alone: it stands on its own"), "{text}");
    assert!(!text.contains("read as:"), "{text}");
    let text = ask_after("--json", "when should i take it");
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("JSON");
    assert_eq!(line["id"], "best-time-to-take", "{line}");
    assert_eq!(line["context"], true, "{line}");
}
