//! Building an engine from content: the indexes, the examples' vectors
//! (reused from the previous engine on a reload where their text did not
//! change) and the learned decision, trained on every example the FAQ has.

use std::path::Path;
use std::sync::Arc;

use crate::content::{self, Faq};
use crate::matcher::Matcher;
use crate::semantic::{Encoder, ModelError, SemanticIndex};
use crate::smalltalk::SmallTalk;
use crate::triage::{Examples, Triage};

use super::learned::{self, Class};
use super::{Engine, EngineError, Model, OtherLanguages, Reads};

impl Engine {
    /// Builds the engine for `faq` with the built-in sentence model (unless
    /// the settings turn it off).
    pub fn new(faq: Faq) -> Result<Engine, ModelError> {
        Engine::build(faq, &Model::built_in(), None)
    }

    /// Builds the engine; with `previous` (live reload), phrasings whose
    /// text did not change keep their vectors instead of being embedded
    /// again.
    pub fn build(faq: Faq, model: &Model, previous: Option<&Engine>) -> Result<Engine, ModelError> {
        let semantic = &faq.settings.semantic;
        let other_languages =
            (semantic.enabled && semantic.other_languages).then(|| OtherLanguages {
                model: model.multilingual(),
                engine: std::sync::OnceLock::new(),
            });
        Ok(Engine {
            other_languages,
            ..Engine::build_reading(faq, model, previous, Reads::English)?
        })
    }

    /// Builds an engine reading the messages `reads` names.
    pub(super) fn build_reading(
        faq: Faq,
        model: &Model,
        previous: Option<&Engine>,
        reads: Reads,
    ) -> Result<Engine, ModelError> {
        let matcher = Matcher::new(&faq);
        let triage = Triage::new(&faq.triage);
        let smalltalk = SmallTalk::new(&faq.smalltalk);
        let mut tuning = None;
        let (semantic, examples, smalltalk_vectors, outside_vectors) =
            if faq.settings.semantic.enabled {
                let (encoder, in_use) = model.encoder_for(&faq)?;
                tuning = in_use;
                let previous_index = previous.and_then(|p| p.semantic.as_ref());
                let index = SemanticIndex::build(Arc::clone(&encoder), &faq, previous_index)?;
                // Only English is weighed word by word (see judge).
                let index = match reads {
                    Reads::English => index.with_words(&faq_words(&faq), previous_index)?,
                    Reads::Other => index,
                };
                // A reload that left the examples alone keeps their vectors
                // (about a second of embedding on a 2-core machine).
                let kept = previous
                    .filter(|p| p.model_is(&encoder) && p.faq.triage.same_examples(&faq.triage))
                    .and_then(|p| p.examples.clone());
                let examples = match kept {
                    Some(examples) => examples,
                    None => embed_examples(&encoder, &faq.triage)?,
                };
                let (texts, kinds): (Vec<&str>, Vec<usize>) = faq.smalltalk.examples().unzip();
                let smalltalk_vectors: Vec<(Vec<f32>, usize)> =
                    encoder.embed_all(&texts)?.into_iter().zip(kinds).collect();
                let outside = outside_examples(&faq);
                let texts: Vec<&str> = outside.iter().map(|(t, _, _)| *t).collect();
                let outside_vectors: Vec<(Vec<f32>, usize, usize)> = encoder
                    .embed_all(&texts)?
                    .into_iter()
                    .zip(outside)
                    .map(|(v, (_, reason, example))| (v, reason, example))
                    .collect();
                encoder.save_vectors(&start_up_texts(&faq));
                (
                    Some(index),
                    Some(examples),
                    Some(smalltalk_vectors),
                    Some(outside_vectors),
                )
            } else {
                (None, None, None, None)
            };
        let head = match (&semantic, &smalltalk_vectors, &examples, &outside_vectors) {
            (Some(index), Some(smalltalk), Some(triage), Some(outside)) => {
                train_head(&faq, index, smalltalk, triage, outside)
            }
            _ => None,
        };
        Ok(Engine {
            faq,
            matcher,
            semantic,
            triage,
            examples,
            smalltalk,
            smalltalk_vectors,
            outside_vectors,
            head,
            tuning,
            reads,
            other_languages: None,
        })
    }

    /// Loads and checks `dir` with the built-in model; content with errors
    /// is refused.
    pub fn load(dir: &Path) -> Result<Engine, EngineError> {
        Engine::load_with(dir, &Model::built_in())
    }

    pub fn load_with(dir: &Path, model: &Model) -> Result<Engine, EngineError> {
        let faq = content::load(dir).into_result()?;
        Ok(Engine::build(faq, model, None)?)
    }

    /// Whether this engine's sentence model is `encoder`.
    pub(super) fn model_is(&self, encoder: &Arc<Encoder>) -> bool {
        self.semantic
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s.encoder(), encoder))
    }
}

/// The triage examples' vectors, in one call for both lists so they share
/// batches and threads.
pub(super) fn embed_examples(
    encoder: &Encoder,
    settings: &crate::content::TriageSettings,
) -> Result<Examples, ModelError> {
    let (urgent, ordinary) = Examples::texts(settings);
    let texts: Vec<&str> = urgent.iter().map(|(t, _)| *t).chain(ordinary).collect();
    let mut urgent_vectors = encoder.embed_all(&texts)?;
    let ordinary_vectors = urgent_vectors.split_off(urgent.len());
    Ok(Examples::new(
        encoder.dim(),
        urgent_vectors
            .into_iter()
            .zip(urgent.iter().map(|(_, c)| *c))
            .collect(),
        ordinary_vectors,
    ))
}

/// Every text an engine embeds when it is built: the phrasings, the
/// triage, small-talk and outside examples, and the FAQ's words (what the
/// vector cache keeps).
pub(super) fn start_up_texts(faq: &Faq) -> Vec<&str> {
    let (urgent, ordinary) = Examples::texts(&faq.triage);
    faq.entries
        .iter()
        .flat_map(|e| e.phrasings())
        .chain(urgent.into_iter().map(|(t, _)| t))
        .chain(ordinary)
        .chain(faq.smalltalk.examples().map(|(t, _)| t))
        .chain(outside_examples(faq).into_iter().map(|(t, _, _)| t))
        .chain(faq_words(faq))
        .collect()
}

/// The words of the phrasings and the outside examples, each once: the
/// words a question most often shares with the FAQ, embedded alone at
/// start-up so weighing them costs a message nothing (see
/// [`crate::semantic::SemanticIndex::with_words`]).
pub(super) fn faq_words(faq: &Faq) -> Vec<&str> {
    let mut seen = rustc_hash::FxHashSet::default();
    faq.entries
        .iter()
        .flat_map(|e| e.phrasings())
        .chain(outside_examples(faq).into_iter().map(|(t, _, _)| t))
        .flat_map(crate::semantic::written_words)
        .filter(|w| seen.insert(*w))
        .collect()
}

/// Trains the learned decision (see [`learned::Layout`]) on every phrasing
/// (its entry's class), every small-talk example (its kind's), every
/// triage example (its category's), the ordinary look-alikes and the
/// outside examples.
pub(super) fn train_head(
    faq: &Faq,
    index: &SemanticIndex,
    smalltalk: &[(Vec<f32>, usize)],
    triage: &Examples,
    outside: &[(Vec<f32>, usize, usize)],
) -> Option<learned::Head> {
    let layout = layout(faq);
    let mut examples: Vec<(&[f32], usize)> = Vec::new();
    for (e, entry) in faq.entries.iter().enumerate() {
        for p in 0..entry.phrasings().count() {
            if let Some(v) = index.phrasing_vector(e, p) {
                examples.push((v, layout.index(Class::Entry(e))));
            }
        }
    }
    examples.extend(
        smalltalk
            .iter()
            .filter(|(_, kind)| *kind < layout.small_talk)
            .map(|(v, kind)| (v.as_slice(), layout.index(Class::SmallTalk(*kind)))),
    );
    examples.extend(
        triage
            .urgent()
            .filter(|(_, category)| *category < layout.triage)
            .map(|(v, category)| (v, layout.index(Class::Triage(category)))),
    );
    examples.extend(
        triage
            .ordinary()
            .map(|v| (v, layout.index(Class::Ordinary))),
    );
    examples.extend(
        outside
            .iter()
            .map(|(v, _, _)| (v.as_slice(), layout.index(Class::Outside))),
    );
    learned::Head::train(&examples, layout.classes())
}

/// The learned decision's classes for `faq`.
pub(super) fn layout(faq: &Faq) -> learned::Layout {
    learned::Layout {
        entries: faq.entries.len(),
        small_talk: faq.smalltalk.kinds.len(),
        triage: faq.triage.categories.len(),
    }
}

/// Every outside example: (text, reason index, example index).
pub(super) fn outside_examples(faq: &Faq) -> Vec<(&str, usize, usize)> {
    faq.outside
        .reasons
        .iter()
        .enumerate()
        .flat_map(|(r, reason)| {
            reason
                .examples
                .iter()
                .enumerate()
                .map(move |(e, example)| (example.text.as_str(), r, e))
        })
        .collect()
}
