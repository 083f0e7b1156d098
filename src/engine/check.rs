//! Every rule FAQ content must pass, in one place.
//!
//! [`content::load`] finds what is wrong in the files themselves (syntax,
//! missing answers, shared phrasings, too few alternates, answer length).
//! Some rules can only be judged by the engine that will serve the content:
//! where each phrasing actually leads, and which phrasings of different
//! entries mean the same. [`check`] runs both, and `faqbot check`, the bot
//! (at start and on every reload) and the tests all call it, so they cannot
//! disagree about what is served: content with an error never is.
//!
//! An entry with an error is left out, not the whole FAQ: [`serve`] gives
//! the bot every entry that passes, so one unfinished draft or one typo in
//! one file never holds back another curator's fix. Only errors in the
//! files every answer depends on (settings, triage, small talk) stop the
//! content from being served.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Engine, Model};
use crate::content::{self, Entry, Problem, problem};
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
        problems.extend(tuning_warning(built));
        problems.extend(other_languages_warning(built));
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

/// A warning when questions in other languages are read but nothing can
/// decide them: the engine for other languages answers only questions
/// clearly closer to an entry than to every example in `outside.yaml`
/// (see [`super::fusion::other_language`]), so without one it refuses
/// them all.
fn other_languages_warning(engine: &Engine) -> Option<Problem> {
    let faq = engine.faq();
    let semantic = &faq.settings.semantic;
    if !(semantic.enabled && semantic.other_languages) || faq.outside.examples().next().is_some() {
        return None;
    }
    Some(Problem::warning(
        &faq.dir.join(crate::content::outside::FILE_NAME),
        None,
        "questions in other languages are all refused while this file has no examples: they are answered only when clearly closer to an entry than to the questions listed here. Add questions this FAQ does not answer (see the README), or set `other_languages: false` in settings.yaml",
    ))
}

/// A warning when the sentence model's tuning was made from entries that
/// have changed since: it is still used, but new phrasings are not learned
/// until `faqbot tune` runs again.
fn tuning_warning(engine: &Engine) -> Option<Problem> {
    let tuning = engine.tuning()?;
    if tuning.fit != crate::tune::stored::Fit::Stale {
        return None;
    }
    let manifest = crate::tune::stored::manifest_path(&engine.faq().dir);
    Some(Problem::warning(
        &manifest,
        None,
        format!(
            "the sentence model was tuned on {} and the entries have changed since; \
             it still works, but run `faqbot tune` so it learns them as they are now",
            tuning.manifest.created
        ),
    ))
}

/// What the bot serves from a folder.
#[derive(Debug)]
pub struct Serving {
    pub engine: Engine,
    /// Entry files with errors that are not served (sorted).
    pub left_out: Vec<PathBuf>,
    /// Entry files with errors whose last good version is served instead
    /// (sorted): a curator's half-finished edit does not take a live answer
    /// away from the people asking.
    pub kept: Vec<PathBuf>,
    /// Every problem of the folder as `faqbot check` shows it: the errors
    /// of the files left out, and warnings.
    pub problems: Vec<Problem>,
}

/// Attempts at leaving out entries before giving up: each round leaves out
/// the files with errors, or drops an old version that no longer fits.
const ROUNDS: usize = 6;

/// The content the bot serves from `dir`: all of it when it passes
/// [`check`], else every entry that passes, leaving out the entry files
/// with errors (and the related buttons pointing at them). An entry file
/// that `previous` served keeps being served as it was then, as long as
/// that version still fits with the rest. `Err` with the errors when what
/// is wrong is not confined to entry files, or nothing would be left.
pub fn serve(
    dir: &Path,
    model: &Model,
    previous: Option<&Engine>,
) -> Result<Result<Serving, content::LoadError>, ModelError> {
    let checked = check(dir, model, previous)?;
    if let Some(engine) = checked.engine {
        return Ok(Ok(Serving {
            engine,
            left_out: Vec::new(),
            kept: Vec::new(),
            problems: checked.problems,
        }));
    }
    let refuse = |problems: Vec<Problem>| {
        Ok(Err(content::LoadError {
            problems: problems.into_iter().filter(Problem::is_error).collect(),
        }))
    };
    // Files with errors of their own; a phrasing leading to another entry
    // is judged below, where it is known which of its two files changed.
    let Some(mut left_out) = entry_files_with_errors(dir, &content::load(dir).problems) else {
        return refuse(checked.problems);
    };
    let old: Vec<&Entry> = previous.map_or_else(Vec::new, |e| e.faq().entries.iter().collect());
    let served_before = |p: &PathBuf| old.iter().any(|e| &e.path == p);
    let mut kept: HashSet<PathBuf> = left_out
        .iter()
        .filter(|p| served_before(p))
        .cloned()
        .collect();
    let mut stale: HashSet<PathBuf> = HashSet::new();
    for _ in 0..ROUNDS {
        let carried = old
            .iter()
            .filter(|e| kept.contains(&e.path))
            .map(|e| (*e).clone())
            .collect();
        let loaded = content::load_leaving_out(dir, &left_out, carried);
        let more = match loaded.faq {
            Some(faq) if !faq.entries.is_empty() => {
                let engine = Engine::build(faq, model, previous)?;
                let misrouted = misrouted_files(&engine, previous);
                if misrouted.is_empty() {
                    let sorted = |set: HashSet<PathBuf>| {
                        let mut v: Vec<PathBuf> = set.into_iter().collect();
                        v.sort();
                        v
                    };
                    let not_served = left_out.difference(&kept).cloned().collect();
                    return Ok(Ok(Serving {
                        engine,
                        left_out: sorted(not_served),
                        kept: sorted(kept),
                        problems: checked.problems,
                    }));
                }
                Some(misrouted)
            }
            Some(_) => None,
            None => entry_files_with_errors(dir, &loaded.problems),
        };
        let Some(more) = more else { break };
        // An old version that no longer fits (another entry took its
        // phrasing since) is dropped first; then new files with errors.
        let unfit: Vec<PathBuf> = more.intersection(&kept).cloned().collect();
        if !unfit.is_empty() {
            for path in unfit {
                kept.remove(&path);
                stale.insert(path);
            }
        } else if more.is_subset(&left_out) {
            break;
        } else {
            for path in more {
                if served_before(&path) && !stale.contains(&path) {
                    kept.insert(path.clone());
                }
                left_out.insert(path);
            }
        }
    }
    refuse(checked.problems)
}

/// The files to leave out for phrasings that lead to another entry. Such
/// an error is about two files, and usually one of them was just edited
/// (a stray alternate in a new entry takes an old entry's question): the
/// one `previous` did not serve as it is now is left out. When both or
/// neither changed, both are: neither answer can be trusted.
fn misrouted_files(engine: &Engine, previous: Option<&Engine>) -> HashSet<PathBuf> {
    let unchanged = |entry: &Entry| {
        previous
            .and_then(|p| p.faq().get(&entry.id))
            .is_some_and(|old| {
                old.question == entry.question
                    && old.alternates == entry.alternates
                    && old.answer == entry.answer
                    && old.related == entry.related
            })
    };
    let mut files = HashSet::new();
    for m in engine.misroutes() {
        let Some((other, _)) = m.leads_to else {
            continue;
        };
        match (unchanged(m.entry), unchanged(other)) {
            (true, false) => files.insert(other.path.clone()),
            (false, true) => files.insert(m.entry.path.clone()),
            _ => {
                files.insert(other.path.clone());
                files.insert(m.entry.path.clone())
            }
        };
    }
    files
}

/// The entry files in `dir` that the errors among `problems` are about;
/// `None` when an error is about anything else (settings, triage, the
/// folder itself).
fn entry_files_with_errors(dir: &Path, problems: &[Problem]) -> Option<HashSet<PathBuf>> {
    let mut files = HashSet::new();
    for problem in problems.iter().filter(|p| p.is_error()) {
        let in_dir = problem.path.parent() == Some(dir);
        if !in_dir || !content::is_entry_file(&problem.path) {
            return None;
        }
        files.insert(problem.path.clone());
    }
    Some(files)
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
