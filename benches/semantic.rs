//! The sentence stage's cost on the real `faq/`, in one run:
//!
//! - start-up to first answer (load the model, load and check content,
//!   embed every phrasing and triage example, answer one question), with
//!   the built-in model, without and with a filled vector cache;
//! - per-question latency, p50 and p99, over our own question set
//!   (`tests/quality/questions.jsonl`, asked three times), and the share of
//!   questions that needed the sentence model;
//! - the same questions with `semantic: false`, side by side;
//! - peak resident memory of this process (VmHWM);
//! - the same for questions in other languages: the multilingual engine's
//!   start-up (built when the first such question comes), without and with
//!   the vector cache, its per-question latency over our own questions in
//!   eight languages, and the peak memory with both models loaded.
//!
//! `cargo bench --bench semantic` prints the figures (no criterion: the
//! percentiles over real questions are the point, not one question's mean).

use std::path::Path;
use std::time::{Duration, Instant};

use faqbot::content;
use faqbot::engine::{Engine, Model, Outcome};
use faqbot::semantic::Base;

fn questions() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/quality/questions.jsonl");
    std::fs::read_to_string(path)
        .expect("question set")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Latencies of every question, and how many consulted the model.
fn run(engine: &Engine, questions: &[String]) -> (Vec<Duration>, usize) {
    let mut times = Vec::new();
    let mut with_model = 0;
    for _ in 0..3 {
        for q in questions {
            let start = Instant::now();
            let outcome = engine.ask(q);
            times.push(start.elapsed());
            let semantic = match &outcome {
                Outcome::Answer { stages, .. }
                | Outcome::NoMatch { stages, .. }
                | Outcome::Choose { stages, .. } => stages.semantic,
                Outcome::Urgent { .. } | Outcome::SmallTalk { .. } => None,
            };
            with_model += usize::from(semantic.is_some());
            std::hint::black_box(outcome);
        }
    }
    times.sort();
    (times, with_model)
}

/// How many times each question runs the model (issue 21: once).
fn forward_passes(engine: &Engine, model: &Model, questions: &[String]) -> Vec<usize> {
    let encoder = model.encoder(None).expect("the engine's model");
    questions
        .iter()
        .map(|q| {
            let before = encoder.forward_passes();
            std::hint::black_box(engine.ask(q));
            encoder.forward_passes() - before
        })
        .collect()
}

/// Our own questions in the eight other languages (two each), for the
/// multilingual engine's latency.
const OTHER_LANGUAGES: [&str; 16] = [
    "¿Qué alimentos tienen mucho magnesio?",
    "¿El magnesio tiene efectos secundarios?",
    "Wann sollte ich Magnesium am besten einnehmen?",
    "Hilft Magnesium beim Schlafen?",
    "Le magnésium aide-t-il contre les crampes la nuit ?",
    "Combien de temps faut-il pour que le magnésium agisse ?",
    "Какая форма магния лучше всего усваивается?",
    "Можно ли принимать магний каждый день?",
    "O magnésio ajuda nas pernas inquietas?",
    "Quem não deve tomar magnésio?",
    "Qual è la dose giornaliera di magnesio?",
    "Il caffè peggiora le gambe senza riposo?",
    "Czy niedobór żelaza może powodować zespół niespokojnych nóg?",
    "Jakie są objawy niedoboru magnezu?",
    "Magnezyum uykuya yardımcı olur mu?",
    "Huzursuz bacak sendromunun nedenleri nelerdir?",
];

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Start-up to first answer: load the model and content, embed what is not
/// in the vector cache (everything, without one), answer one question.
fn start_up(dir: &Path, cache: Option<&Path>) -> (Duration, Engine, Model) {
    let start = Instant::now();
    // The built-in weights read afresh, as a new process would.
    let mut model = Model::from_base(Base::embedded().expect("built-in model"));
    if let Some(path) = cache {
        model.keep_vectors_in(path);
    }
    let faq = content::load(dir).into_result().expect("faq/ loads");
    let engine = Engine::build(faq, &model, None).expect("builds");
    std::hint::black_box(engine.ask("how much magnesium should i take"));
    (start.elapsed(), engine, model)
}

fn main() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"));
    // One model in memory at a time, so the peak RSS is a bot's: each
    // engine is dropped before the next is built.
    let tmp = tempfile::tempdir().expect("temp dir");
    let cache = tmp.path().join("vectors.bin");
    drop(start_up(dir, Some(&cache)));
    let (warm_startup, warm, _) = start_up(dir, Some(&cache));
    drop(warm);
    let (startup, engine, model) = start_up(dir, None);

    let questions = questions();
    let (times, with_model) = run(&engine, &questions);
    let passes = forward_passes(&engine, &model, &questions);
    let mut faq = content::load(dir).into_result().expect("faq/ loads");
    faq.settings.semantic.enabled = false;
    let lexical = Engine::build(faq, &Model::built_in(), None).expect("builds");
    let (lex_times, _) = run(&lexical, &questions);

    println!(
        "semantic/startup_to_first_answer: {:.0} ms without the vector cache, {:.0} ms with it",
        startup.as_secs_f64() * 1e3,
        warm_startup.as_secs_f64() * 1e3
    );
    println!(
        "semantic/question p50: {:.3} ms, p99: {:.3} ms ({} questions)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.len()
    );
    println!(
        "semantic/needed_model: {:.1}% of questions (for matching; triage embeds every message)",
        100.0 * with_model as f64 / times.len() as f64
    );
    println!(
        "semantic/forward_passes: {:.2} per question, at most {} for one",
        passes.iter().sum::<usize>() as f64 / passes.len().max(1) as f64,
        passes.iter().max().unwrap_or(&0)
    );
    println!(
        "lexical_only/question p50: {:.1} µs, p99: {:.1} µs",
        percentile(&lex_times, 0.5).as_secs_f64() * 1e6,
        percentile(&lex_times, 0.99).as_secs_f64() * 1e6
    );
    match peak_rss_mb() {
        Some(mb) => println!("semantic/peak_rss: {mb:.0} MB"),
        None => println!("semantic/peak_rss: not available on this system"),
    }

    // Other languages: the multilingual engine, built on the first such
    // question, without and with its vector cache.
    let other_startup = |cache: &Path| {
        let mut model = Model::built_in();
        model.keep_vectors_in(cache);
        let faq = content::load(dir).into_result().expect("faq/ loads");
        let engine = Engine::build(faq, &model, None).expect("builds");
        let start = Instant::now();
        assert!(
            engine.prepare_other_languages(),
            "the multilingual engine builds"
        );
        std::hint::black_box(engine.ask(OTHER_LANGUAGES[0]));
        (start.elapsed(), engine)
    };
    let other_cache = tmp.path().join("other.bin");
    let (other_cold, first) = other_startup(&other_cache);
    drop(first);
    let (other_warm, other) = other_startup(&other_cache);
    let questions: Vec<String> = OTHER_LANGUAGES.iter().map(|q| q.to_string()).collect();
    let (other_times, _) = run(&other, &questions);
    println!(
        "other_languages/startup_to_first_answer: {:.0} ms without the vector cache, {:.0} ms with it (on top of the English engine's)",
        other_cold.as_secs_f64() * 1e3,
        other_warm.as_secs_f64() * 1e3
    );
    println!(
        "other_languages/question p50: {:.3} ms, p99: {:.3} ms ({} questions)",
        percentile(&other_times, 0.5).as_secs_f64() * 1e3,
        percentile(&other_times, 0.99).as_secs_f64() * 1e3,
        other_times.len()
    );
    match peak_rss_mb() {
        Some(mb) => println!("other_languages/peak_rss: {mb:.0} MB (both models loaded)"),
        None => println!("other_languages/peak_rss: not available on this system"),
    }
}
