//! Every rule FAQ content must pass, in one place.
//!
//! [`content::load`] finds what is wrong in the files themselves (syntax,
//! missing answers, shared phrasings, too few alternates, answer length).
//! Some rules can only be judged by the engine that will serve the content:
//! where each phrasing actually leads, and which phrasings of different
//! entries mean the same. [`check`] runs both, and `faqbot check`, the bot
//! (at start and on every reload) and the tests all call it, so they cannot
//! disagree about what is served: content with an error never is.

use std::path::{Path, PathBuf};

use super::{Engine, Model};
use crate::content::{self, Problem, problem};
use crate::semantic::ModelError;

/// Phrasings of two entries this close in meaning ask the same question.
pub const TWIN_SIMILARITY: f32 = 0.97;

/// The content of a folder, checked.
#[derive(Debug)]
pub struct Checked {
    /// Errors and warnings, sorted by file and line.
    pub problems: Vec<Problem>,
    /// Entry files looked at.
    pub files: usize,
    /// The engine, when the content has no errors (it may have warnings).
    pub engine: Option<Engine>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }

    /// The engine, or every error joined into one message.
    pub fn into_engine(self) -> Result<Engine, content::LoadError> {
        match self.engine {
            Some(engine) => Ok(engine),
            None => Err(content::LoadError {
                problems: self
                    .problems
                    .into_iter()
                    .filter(Problem::is_error)
                    .collect(),
            }),
        }
    }
}

/// Loads `dir` and checks it by every rule. `previous` lends the vectors of
/// unchanged phrasings (a reload). Only a sentence model that cannot run is
/// an `Err`; everything wrong with the content is in [`Checked::problems`].
pub fn check(dir: &Path, model: &Model, previous: Option<&Engine>) -> Result<Checked, ModelError> {
    check_with_drafts(dir, &[], model, previous)
}

/// [`check`] with the entry files of `drafts` folders added, as if they
/// had been moved into `dir` (see [`content::load_with_drafts`]).
pub fn check_with_drafts(
    dir: &Path,
    drafts: &[PathBuf],
    model: &Model,
    previous: Option<&Engine>,
) -> Result<Checked, ModelError> {
    let loaded = content::load_with_drafts(dir, drafts);
    let mut problems = loaded.problems;
    let mut engine = match loaded.faq {
        Some(faq) => Some(Engine::build(faq, model, previous)?),
        None => None,
    };
    if let Some(built) = &engine {
        problems.extend(routing_problems(built));
        problems.extend(twin_warnings(built));
        problem::sort(&mut problems);
    }
    if problems.iter().any(Problem::is_error) {
        engine = None;
    }
    Ok(Checked {
        problems,
        files: loaded.files,
        engine,
    })
}

/// Phrasings the bot would answer from another entry are errors: the
/// asker gets an answer to a different question, and the curator never
/// meant it. A phrasing that gets no answer at all is a warning: the bot
/// says honestly that it does not know, and the question is logged.
fn routing_problems(engine: &Engine) -> Vec<Problem> {
    let faq = engine.faq();
    engine
        .misroutes()
        .into_iter()
        .map(|m| {
            let path = m.entry.file(&faq.dir);
            let line = Some(m.entry.phrasing_line(m.phrasing));
            let phrasing = m.entry.phrasings().nth(m.phrasing).unwrap_or_default();
            match m.leads_to {
                Some((other, via)) => Problem::error(
                    &path,
                    line,
                    format!(
                        "asking \"{phrasing}\" gets the answer of `{}` (through its \"{}\" at {}:{}), not this entry: delete the phrasing from the entry it does not belong to, or reword one of the two so they differ",
                        other.id,
                        other.phrasings().nth(via).unwrap_or_default(),
                        other.file(&faq.dir).display(),
                        other.phrasing_line(via)
                    ),
                ),
                None => Problem::warning(
                    &path,
                    line,
                    format!(
                        "asking \"{phrasing}\" gets no answer: it is too vague or uses words no other phrasing shares; reword it"
                    ),
                ),
            }
        })
        .collect()
}

/// Two entries with phrasings that mean the same: the bot can only ever
/// answer one of them, and which one is down to small wording changes.
fn twin_warnings(engine: &Engine) -> Vec<Problem> {
    let faq = engine.faq();
    engine
        .twin_phrasings(TWIN_SIMILARITY)
        .into_iter()
        .map(|((a, pa), (b, pb), score)| {
            let path = a.file(&faq.dir);
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
