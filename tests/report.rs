//! `faqbot report` on real files, and the page rendered by headless
//! Chromium (an ignored test: it needs `apt-get install chromium`, and
//! `.ci/run` runs it where Chromium is installed).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{faq_dir, faqbot, log_line, stderr, stdout};

/// Logs as the bot writes them, with damage and a hostile question.
fn logs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let unmatched = dir.join("unmatched.jsonl");
    let mut text = String::new();
    for (day, q) in [
        (1, "is melatonin addictive"),
        (1, "Is melatonin addictive?"),
        (2, "is melatonin adictive"),
        (
            3,
            "<script>document.title='pwned'</script> potassium & iron?",
        ),
        (3, "how much potassium should i take"),
    ] {
        text.push_str(&log_line(&format!("2026-11-0{day}T10:00:00Z"), q));
    }
    text.push_str("{not json\n");
    text.push_str("{\"time\":\"2026-11-03T10:00:00Z\",\"question\":\"and zinc?\",\"best\":null,\"score\":0.0,\"chat\":\"group\",\"missed\":\"turned_away\"}\n");
    std::fs::write(&unmatched, text).unwrap();

    let answered = dir.join("answered.jsonl");
    let mut text = String::new();
    for (day, entry, n) in [
        (1, "rls-dosage", 5),
        (2, "what-is-rls", 3),
        (4, "rls-dosage", 2),
    ] {
        for _ in 0..n {
            text.push_str(&format!(
                "{{\"date\":\"2026-11-0{day}\",\"entry\":\"{entry}\"}}\n"
            ));
        }
    }
    std::fs::write(&answered, text).unwrap();

    let feedback = dir.join("feedback.jsonl");
    let vote = |entry: &str, vote: &str| {
        format!("{{\"time\":\"2026-11-02T10:00:00Z\",\"entry\":\"{entry}\",\"vote\":\"{vote}\"}}\n")
    };
    let text = [
        vote("side-effects", "down"),
        vote("side-effects", "down"),
        vote("rls-dosage", "down"),
        vote("rls-dosage", "up"),
        "{\"time\":\"2026-11-02T10:00:00Z\",\"entry\":\"x\",\"vote\":\"meh\"}\n".to_string(),
    ]
    .concat();
    std::fs::write(&feedback, text).unwrap();
    (unmatched, answered, feedback)
}

/// `faqbot report` on the sample logs written into `dir`.
fn report(dir: &Path, out: &Path) -> std::process::Output {
    let (unmatched, answered, feedback) = logs(dir);
    report_from(out, &unmatched, &answered, &feedback)
}

fn report_from(
    out: &Path,
    unmatched: &Path,
    answered: &Path,
    feedback: &Path,
) -> std::process::Output {
    let path = |p: &Path| p.to_str().unwrap().to_string();
    faqbot(
        &faq_dir(),
        &[
            "report",
            "--out",
            &path(out),
            "--unmatched-log",
            &path(unmatched),
            "--answered-log",
            &path(answered),
            "--feedback-log",
            &path(feedback),
        ],
    )
}

#[test]
fn writes_a_self_contained_escaped_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    let run = report(tmp.path(), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stdout(&run).contains("10 questions answered, 5 questions unmatched in 4 days"),
        "{}",
        stdout(&run)
    );
    let page = std::fs::read_to_string(&out).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the page holds what people asked");
    }
    // Sections.
    for needle in [
        "<h2>Questions per day</h2>",
        "<svg ",
        "<title>2026-11-01: 5 answered, 2 unmatched</title>",
        "<title>2026-11-04: 2 answered, 0 unmatched</title>",
        "<h2>Biggest unmatched groups</h2>",
        "<td>is melatonin addictive<div class=\"variants\">also: “is melatonin adictive” (1)</div>",
        "<h2>Entries with the most 👎 (unhelpful votes)</h2>",
        "<tr><td>side-effects</td><td>Does magnesium have side effects?</td><td class=\"n\">2</td><td class=\"n\">0</td></tr>",
        "<h2>Entries never asked about</h2>",
        "<li><b>best-type</b>:",
        "unmatched.jsonl: skipped 1 damaged line (line 6: not valid JSON",
        "feedback.jsonl: skipped 1 damaged line (line 5: not a log record",
        "1 question was never put to the FAQ, so not in the groups: turned away",
    ] {
        assert!(page.contains(needle), "missing {needle:?} in\n{page}");
    }
    assert!(
        !page.contains("<li><b>rls-dosage</b>"),
        "rls-dosage was asked about"
    );
    // Escaped, and loading nothing.
    assert!(
        page.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt; potassium &amp; iron?")
    );
    for banned in ["<script", "src=", "href=", "url(", "@import", "<link"] {
        assert!(
            !page.contains(banned),
            "the page must not contain {banned:?}"
        );
    }
}

#[test]
fn missing_logs_are_noted_and_no_logs_at_all_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    let (unmatched, _, _) = logs(tmp.path());
    let run = report_from(
        &out,
        &unmatched,
        Path::new("/definitely/not/answered.jsonl"),
        Path::new("/definitely/not/feedback.jsonl"),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(
        page.contains("There is no answered-questions log at /definitely/not/answered.jsonl"),
        "{page}"
    );
    assert!(page.contains("No entry got a 👎"), "{page}");

    let elsewhere = tmp.path().join("nothing.html");
    let run = report_from(
        &elsewhere,
        Path::new("/definitely/not/unmatched.jsonl"),
        Path::new("/definitely/not/answered.jsonl"),
        Path::new("/definitely/not/feedback.jsonl"),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("none of the logs is there"),
        "{}",
        stderr(&run)
    );
    assert!(!elsewhere.exists());
}

#[test]
fn replaces_an_earlier_report_but_no_other_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("notes.html");
    std::fs::write(&out, "<p>my notes</p>").unwrap();
    let run = report(tmp.path(), &out);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("exists and is not a faqbot report"),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "<p>my notes</p>");

    let out = tmp.path().join("report.html");
    assert!(report(tmp.path(), &out).status.success());
    assert!(
        report(tmp.path(), &out).status.success(),
        "a report replaces a report"
    );
}

/// The first Chromium-like browser on PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

/// Runs the browser headless, giving up after a minute.
fn headless(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the browser starts");
    let start = Instant::now();
    while child
        .try_wait()
        .expect("the browser can be waited for")
        .is_none()
    {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "headless {} did not finish within a minute",
                browser.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("the browser's output")
}

#[test]
#[ignore = "needs chromium on PATH (apt-get install chromium); .ci/run runs it there"]
fn renders_in_headless_chromium() {
    let browser = chromium().expect(
        "chromium on PATH (install it with `apt-get install chromium` to render the report)",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    assert!(report(tmp.path(), &out).status.success());
    let url = format!("file://{}", out.display());
    let profile = tmp.path().join("profile");

    let dom = headless(&browser, &profile, &["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<h1>faqbot report</h1>"), "{dom}");
    assert!(dom.contains("<svg"), "the chart is in the page");
    assert!(
        dom.contains("<title>faqbot report</title>"),
        "no injected script ran"
    );
    assert!(!dom.contains("<script"), "the hostile question stayed text");

    // A screenshot, kept for a person to look at.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &browser,
        &profile,
        &[
            "--window-size=1100,1800",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert!(
        png.len() > 20_000,
        "a page with content, not a blank one ({} bytes)",
        png.len()
    );
    eprintln!("screenshot of the report: {}", shot.display());
}
