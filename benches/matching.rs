//! Speed and memory of the answer engine: `cargo bench`.
//!
//! - match one question on the real `faq/`;
//! - match on synthetic corpora of 1,000, 10,000 and 100,000 entries, next to
//!   the obvious baseline (strsim normalised Levenshtein against every
//!   phrasing), measured side by side in one run;
//! - load and index each corpus from files;
//! - peak memory (high-water RSS) of `faqbot ask` on the 10,000-entry corpus.

mod corpus;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use faqbot::analysis::fold as text;
use faqbot::engine::Engine;

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

/// The baseline: the best normalised Levenshtein similarity between the
/// folded question and every folded phrasing.
struct Baseline {
    phrasings: Vec<(usize, String)>,
}

impl Baseline {
    fn new(engine: &Engine) -> Baseline {
        let phrasings = engine
            .faq()
            .entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.phrasings().map(move |p| (i, text::phrase_key(p))))
            .collect();
        Baseline { phrasings }
    }

    fn best(&self, question: &str) -> Option<(usize, f64)> {
        let q = text::phrase_key(question);
        self.phrasings
            .iter()
            .map(|(i, p)| (*i, strsim::normalized_levenshtein(&q, p)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

fn real_faq(c: &mut Criterion) {
    let engine =
        Engine::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"))).expect("faq/ loads");
    let mut group = c.benchmark_group("real_faq");
    for q in [
        "how much magnesium should i take for restless legs",
        "wat causes restles legs",
        "is magnesium good for anxiety attacks in dogs",
    ] {
        group.bench_with_input(BenchmarkId::new("ask", q), q, |b, q| {
            b.iter(|| black_box(engine.ask(q)).is_answer())
        });
    }
    let baseline = Baseline::new(&engine);
    let q = "how much magnesium should i take for restless legs";
    group.bench_with_input(BenchmarkId::new("baseline", q), q, |b, q| {
        b.iter(|| black_box(baseline.best(q)))
    });
    group.finish();
}

fn synthetic_matching(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic_match");
    for &n in SIZES {
        let corpus = corpus::generate(n, 42);
        let engine = Engine::new(corpus.faq()).expect("engine builds");
        let baseline = Baseline::new(&engine);
        let questions = corpus.questions(64, 7);
        if n >= 100_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        let mut i = 0;
        group.bench_function(BenchmarkId::new("faqbot", n), |b| {
            b.iter(|| {
                i = (i + 1) % questions.len();
                black_box(engine.ask(&questions[i])).is_answer()
            })
        });
        let mut i = 0;
        group.bench_function(BenchmarkId::new("baseline", n), |b| {
            b.iter(|| {
                i = (i + 1) % questions.len();
                black_box(baseline.best(&questions[i]))
            })
        });
    }
    group.finish();
}

fn load_and_index(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_and_index");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    for &n in SIZES {
        let dir = tempfile::tempdir().expect("temp dir");
        corpus::generate(n, 42).write(dir.path());
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(Engine::load(dir.path()).expect("corpus loads")))
        });
    }
    group.finish();
}

/// Peak memory of `faqbot ask` answering ten questions on the 10,000-entry
/// corpus: the child's own high-water RSS (`VmHWM` in /proc), read after it
/// has answered and before its input closes. (`getrusage` would be wrong
/// here: on exec, Linux carries the parent's peak into the child's figure.)
fn peak_memory() {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = corpus::generate(10_000, 42);
    corpus.write(dir.path());
    let questions = corpus.questions(10, 3);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .args([
            "--faq",
            dir.path().to_str().expect("utf-8 temp path"),
            "ask",
            "--json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("faqbot runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    for q in &questions {
        writeln!(stdin, "{q}").expect("question is written");
        let mut line = String::new();
        stdout.read_line(&mut line).expect("answer is read");
    }
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let peak_kb: Option<f64> = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
    drop(stdin);
    let _ = child.wait();
    match peak_kb {
        Some(kb) => println!("peak_memory/faqbot_ask/10000: {:.1} MB", kb / 1024.0),
        None => println!("peak_memory/faqbot_ask/10000: unavailable (no /proc on this system)"),
    }
}

fn main() {
    // First, while this process is still small.
    peak_memory();
    let mut c = Criterion::default().configure_from_args();
    real_faq(&mut c);
    synthetic_matching(&mut c);
    load_and_index(&mut c);
    c.final_summary();
}
