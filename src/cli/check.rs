//! `faqbot check`: every problem in the FAQ folder, with file and line.

use std::io::Write;
use std::process::ExitCode;

use crate::content::{self, Problem};
use crate::engine::Engine;

pub fn run(ctx: &super::Context) -> super::CommandResult {
    let faq = ctx.faq.as_path();
    let mut loaded = content::load(faq);
    // Valid content is indexed once, to look for misroutes; the summary
    // below reads it back from the engine.
    let engine = match loaded.faq.take().map(|faq| {
        ctx.model()
            .and_then(|model| Engine::build(faq, model, None))
    }) {
        Some(Ok(engine)) => Some(engine),
        Some(Err(err)) => {
            return Err(super::failure(
                2,
                format!("cannot check matching: the sentence model failed: {err}"),
            ));
        }
        None => None,
    };
    if let Some(engine) = &engine {
        loaded.problems.extend(routing_warnings(engine));
        loaded.problems.extend(twin_warnings(engine));
        content::problem::sort(&mut loaded.problems);
    }
    let mut out = std::io::stdout().lock();
    for problem in &loaded.problems {
        writeln!(out, "{problem}")?;
    }
    let errors = loaded.errors().count();
    let warnings = loaded.problems.len() - errors;
    match engine.as_ref().map(Engine::faq) {
        Some(faq_content) => {
            let phrasings: usize = faq_content
                .entries
                .iter()
                .map(|e| e.phrasings().count())
                .sum();
            writeln!(
                out,
                "{}: {} entries, {phrasings} phrasings: OK ({warnings} warning(s))",
                faq.display(),
                faq_content.entries.len()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            writeln!(
                out,
                "{}: {} file(s) checked: {errors} error(s), {warnings} warning(s). Fix the errors above and run `faqbot check` again.",
                faq.display(),
                loaded.files
            )?;
            // Problems found: a finding, not a failure to run.
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Phrasings that would be answered from another entry (or not at all):
/// valid files, but the bot would not behave as the curator meant.
fn routing_warnings(engine: &Engine) -> Vec<Problem> {
    let faq = engine.faq();
    engine
        .misroutes()
        .into_iter()
        .map(|m| {
            let path = faq.dir.join(format!("{}.md", m.entry.id));
            let phrasing = m.entry.phrasings().nth(m.phrasing).unwrap_or_default();
            let message = match m.leads_to {
                Some((other, via)) => format!(
                    "asking \"{phrasing}\" gets the answer of `{}` (through its \"{}\"), not this entry: make one of the two more specific",
                    other.id,
                    other.phrasings().nth(via).unwrap_or_default()
                ),
                None => format!(
                    "asking \"{phrasing}\" gets no answer: it is too vague or uses words no other phrasing shares; reword it"
                ),
            };
            Problem::warning(&path, Some(m.entry.phrasing_line(m.phrasing)), message)
        })
        .collect()
}

/// Phrasings of two entries this close in meaning ask the same question.
const TWIN_SIMILARITY: f32 = 0.97;

/// Two entries with phrasings that mean the same: the bot can only ever
/// answer one of them, and which one is down to small wording changes.
fn twin_warnings(engine: &Engine) -> Vec<Problem> {
    let faq = engine.faq();
    engine
        .twin_phrasings(TWIN_SIMILARITY)
        .into_iter()
        .map(|((a, pa), (b, pb), score)| {
            let path = faq.dir.join(format!("{}.md", a.id));
            let message = format!(
                "\"{}\" means nearly the same as \"{}\" in `{}` (similarity {score:.2}): two entries answering one question; move the phrasing to one entry or make them differ",
                a.phrasings().nth(pa).unwrap_or_default(),
                b.phrasings().nth(pb).unwrap_or_default(),
                b.id
            );
            Problem::warning(&path, Some(a.phrasing_line(pa)), message)
        })
        .collect()
}
