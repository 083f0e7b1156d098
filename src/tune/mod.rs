//! `faqbot tune`: fitting the sentence model to the FAQ's own examples.
//!
//! all-MiniLM-L6-v2 has never seen this FAQ: to it "how much calcium
//! should I take" and "how much magnesium should I take" are nearly the
//! same sentence. Tuning shows it the entries' own examples (each entry's
//! phrasings; its answer, when it has no alternates) and trains it, with
//! candle, to put the examples of one entry closer together than those of
//! different entries: pairs from one entry, the other pairs of the batch
//! as negatives (the "multiple negatives ranking" loss of
//! sentence-transformers), in both directions.
//!
//! Only the entries: the other classes of examples (the reasons in
//! `outside.yaml`, triage categories, small-talk kinds) are told apart by
//! the learned decision over the vectors, and pulling each of them together
//! in the model itself did harm. Measured (release, 2 cores): on a public
//! COVID-19 FAQ imported without alternates, right entry first 0.621 with
//! every class against 0.640-0.642 with the entries alone (three seeds),
//! in 17-19 s instead of 51 s; on the shipped FAQ, tuned, `chat_dev`
//! answers 0.667 against 0.833 and triage false alarms 0.130 against 0.069
//! (the entries and `outside.yaml` together: 0.712 and 0.122). Outside
//! reasons group unlike questions by why they are refused ("how much
//! zinc", "how much vitamin D"), which drew them toward the entries' own;
//! tight triage clusters drew calm messages toward emergencies.
//!
//! Only low-rank deltas on the attention layers are trained (LoRA, see
//! [`crate::semantic::Lora`]): a few hundred kilobytes to store, nothing
//! to pay per question once added into the weights. Everything is seeded
//! and sequential, so two runs on the same content give the same bytes.
//!
//! - [`forward`]: the model's forward pass from differentiable operations.
//! - [`pairs`]: which examples are trained together.
//! - [`stored`]: the `tuning/` folder beside the FAQ, and its manifest.

mod forward;
mod pairs;
pub mod stored;

use std::time::Instant;

use candle_core::{DType, Device, Tensor};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use serde::{Deserialize, Serialize};

use crate::content::Faq;
use crate::content::examples::{self, ClassKind};
use crate::semantic::{Base, Encoder, Lora, ModelError, padded};

pub use stored::{Manifest, Stored, TUNING_DIR};

/// How tuning trains. The defaults were chosen on the shipped FAQ and on
/// an imported one without alternates (see the README for the figures).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Rank of each weight's delta.
    pub rank: usize,
    /// The delta is scaled by alpha / rank.
    pub alpha: f64,
    /// Passes over the examples.
    pub epochs: usize,
    /// Pairs per step (each pair's partner is every other anchor's
    /// negative).
    pub batch: usize,
    pub learning_rate: f64,
    /// Similarities are multiplied by this before the softmax.
    pub temperature_scale: f64,
    pub seed: u64,
    /// Longest example in tokens (longer ones are cut).
    pub max_tokens: usize,
    /// Whether an entry without alternates learns from its answer (its
    /// only other example). Entries with alternates never do: measured on
    /// the shipped FAQ, answers as examples made its ranking worse.
    pub answers: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            rank: 8,
            alpha: 16.0,
            epochs: 2,
            batch: 32,
            learning_rate: 1e-3,
            temperature_scale: 20.0,
            seed: 1,
            max_tokens: 32,
            answers: true,
        }
    }
}

/// What one tuning run did, for the summary and the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Example texts trained on.
    pub examples: usize,
    /// Classes with at least two examples.
    pub classes: usize,
    pub epochs: usize,
    pub steps: usize,
    /// Mean loss of the first and the last epoch.
    pub first_loss: f32,
    pub last_loss: f32,
    pub seconds: f32,
    /// Share of entry phrasings whose nearest other phrasing belongs to
    /// their own entry, before and after tuning (None: no entry has two
    /// phrasings).
    pub leave_one_out_before: Option<f32>,
    pub leave_one_out_after: Option<f32>,
    /// Numbers the tuning holds.
    pub parameters: usize,
}

/// Progress of a run, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// Measuring the model before or after training.
    Measuring,
    /// Training starts: this many steps in all.
    Training { steps: usize },
    /// One step done, with its loss.
    Step { done: usize, loss: f32 },
}

#[derive(Debug, thiserror::Error)]
pub enum TuneError {
    #[error("the sentence model could not be used: {0}")]
    Model(#[from] ModelError),
    #[error("training failed: {0}")]
    Training(String),
    #[error(
        "there is nothing to learn from: no entry has two examples (a question and an \
         alternate, or a question and an answer)"
    )]
    NothingToLearn,
}

impl From<candle_core::Error> for TuneError {
    fn from(err: candle_core::Error) -> TuneError {
        TuneError::Training(err.to_string())
    }
}

/// A finished run: the tuning and what it did.
#[derive(Debug)]
pub struct Tuned {
    pub lora: Lora,
    pub summary: Summary,
}

/// Tunes `base` to `faq`'s examples.
pub fn tune(
    faq: &Faq,
    base: &Base,
    settings: &Settings,
    progress: &mut dyn FnMut(Progress),
) -> Result<Tuned, TuneError> {
    let started = Instant::now();
    let (texts, classes) = training_texts(faq, settings);
    let trained_classes = classes.iter().filter(|c| c.len() >= 2).count();
    if trained_classes == 0 {
        return Err(TuneError::NothingToLearn);
    }
    progress(Progress::Measuring);
    let untuned = Encoder::new(base, None)?;
    let before = leave_one_out(&untuned, faq)?;
    drop(untuned);

    let mut tokenizer = (*base.tokenizer).clone();
    tokenizer
        .set_limits(
            settings
                .max_tokens
                .clamp(8, base.config.max_position_embeddings),
        )
        .map_err(TuneError::Training)?;
    let ids: Vec<Vec<u32>> = texts
        .iter()
        .map(|t| {
            tokenizer
                .ids(t)
                .map_err(|e| TuneError::Training(format!("tokenizing failed: {e}")))
        })
        .collect::<Result<_, _>>()?;

    let mut rng = crate::rng::Rng::new(settings.seed);
    let model = forward::Trainable::new(
        &base.tensors,
        &base.words,
        &base.config,
        settings.rank.max(1),
        settings.alpha,
        &mut rng,
    )?;
    let mut optimiser = AdamW::new(
        model.vars(),
        ParamsAdamW {
            lr: settings.learning_rate,
            weight_decay: 0.0,
            ..Default::default()
        },
    )?;
    let epochs: Vec<Vec<Vec<pairs::Pair>>> = (0..settings.epochs)
        .map(|_| {
            pairs::batches(
                pairs::epoch(&classes, settings.batch, &mut rng),
                settings.batch,
            )
        })
        .collect();
    let steps = epochs.iter().map(Vec::len).sum();
    progress(Progress::Training { steps });
    let mut done = 0;
    let mut epoch_losses = Vec::new();
    for batches in &epochs {
        let mut total = 0.0;
        for batch in batches {
            let loss = step(&model, &mut optimiser, &ids, batch, settings)?;
            total += loss;
            done += 1;
            progress(Progress::Step { done, loss });
        }
        epoch_losses.push(total / batches.len().max(1) as f32);
    }
    let lora = Lora::from_parts(model.deltas()?).map_err(TuneError::Training)?;
    drop(model);
    progress(Progress::Measuring);
    let tuned = Encoder::new(base, Some(&lora))?;
    let after = leave_one_out(&tuned, faq)?;
    let summary = Summary {
        examples: texts.len(),
        classes: trained_classes,
        epochs: settings.epochs,
        steps,
        first_loss: epoch_losses.first().copied().unwrap_or(0.0),
        last_loss: epoch_losses.last().copied().unwrap_or(0.0),
        seconds: started.elapsed().as_secs_f32(),
        leave_one_out_before: before,
        leave_one_out_after: after,
        parameters: lora.parameters(),
    };
    Ok(Tuned { lora, summary })
}

/// The classes tuning learns from: the entries (see the module docs for
/// why not the others).
fn learned_classes(faq: &Faq) -> Vec<examples::Class<'_>> {
    let mut classes = faq.classes();
    classes.retain(|c| c.kind == ClassKind::Entry);
    classes
}

/// Every example text, and each class as indices into them.
fn training_texts(faq: &Faq, settings: &Settings) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut texts = Vec::new();
    let mut classes = Vec::new();
    for class in learned_classes(faq) {
        let mut members = Vec::new();
        for text in &class.texts {
            members.push(texts.len());
            texts.push(text.to_string());
        }
        if settings.answers
            && class.texts.len() < 2
            && let Some(answer) = class.answer.as_deref().filter(|a| !a.trim().is_empty())
        {
            members.push(texts.len());
            texts.push(answer.to_string());
        }
        classes.push(members);
    }
    (texts, classes)
}

/// One optimiser step on one batch; returns its loss.
fn step(
    model: &forward::Trainable,
    optimiser: &mut AdamW,
    ids: &[Vec<u32>],
    batch: &[pairs::Pair],
    settings: &Settings,
) -> Result<f32, TuneError> {
    let rows: Vec<&[u32]> = batch
        .iter()
        .map(|p| ids[p.anchor].as_slice())
        .chain(batch.iter().map(|p| ids[p.partner].as_slice()))
        .collect();
    let vectors = embed_rows(model, &rows)?;
    let n = batch.len();
    let anchors = vectors.narrow(0, 0, n)?;
    let partners = vectors.narrow(0, n, n)?;
    let logits = (anchors.matmul(&partners.t()?)? * settings.temperature_scale)?;
    let targets = Tensor::arange(0u32, n as u32, &Device::Cpu)?;
    let forward = candle_nn::loss::cross_entropy(&logits, &targets)?;
    let backward = candle_nn::loss::cross_entropy(&logits.t()?.contiguous()?, &targets)?;
    let loss = ((forward + backward)? / 2.0)?;
    optimiser.backward_step(&loss)?;
    Ok(loss.to_dtype(DType::F32)?.to_scalar::<f32>()?)
}

/// Rows embedded in groups of similar length, so a long answer in a
/// batch of short phrasings does not make each of them as costly.
fn embed_rows(model: &forward::Trainable, rows: &[&[u32]]) -> Result<Tensor, TuneError> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].len(), i));
    let mut parts = Vec::new();
    for chunk in order.chunks(LENGTH_GROUP) {
        let group: Vec<&[u32]> = chunk.iter().map(|&i| rows[i]).collect();
        let (ids, mask) = padded(&group, &Device::Cpu)?;
        parts.push(model.embed(&ids, &mask)?);
    }
    let sorted = Tensor::cat(&parts, 0)?;
    // Back to the rows' order: row i is at its place in `order`.
    let mut place = vec![0u32; rows.len()];
    for (at, &i) in order.iter().enumerate() {
        place[i] = at as u32;
    }
    let place = Tensor::from_vec(place, rows.len(), &Device::Cpu)?;
    Ok(sorted.index_select(&place, 0)?)
}

/// Rows embedded together in [`embed_rows`].
const LENGTH_GROUP: usize = 16;

/// Share of entry phrasings (of entries with two or more) whose nearest
/// other phrasing belongs to their own entry.
pub fn leave_one_out(encoder: &Encoder, faq: &Faq) -> Result<Option<f32>, ModelError> {
    let mut texts = Vec::new();
    let mut owners = Vec::new();
    for (e, entry) in faq.entries.iter().enumerate() {
        for phrasing in entry.phrasings() {
            texts.push(phrasing);
            owners.push(e);
        }
    }
    let vectors = encoder.embed_all(&texts)?;
    let mut asked = 0;
    let mut right = 0;
    for (i, v) in vectors.iter().enumerate() {
        if faq.entries[owners[i]].alternates.is_empty() {
            continue;
        }
        let nearest = vectors
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, w)| (j, v.iter().zip(w).map(|(a, b)| a * b).sum::<f32>()))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        asked += 1;
        if nearest.is_some_and(|(j, _)| owners[j] == owners[i]) {
            right += 1;
        }
    }
    Ok((asked > 0).then(|| right as f32 / asked as f32))
}

/// The digest tuning records of the examples it learns from (see
/// [`examples::digest`]), as text: editing triage.yaml or outside.yaml
/// does not make a tuning out of date.
pub fn content_digest(faq: &Faq) -> String {
    format!("{:016x}", examples::digest(&learned_classes(faq)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With nothing learned yet, the training forward gives the inference
    /// model's vectors: the two compute the same function.
    #[test]
    fn training_forward_matches_the_inference_model() {
        let base = crate::semantic::builtin_base().expect("built-in model");
        let encoder = Encoder::new(&base, None).expect("encoder");
        let texts = [
            "how much magnesium should I take",
            "wat causes restles legs",
            "my legs crawl at night and I can't sleep, what helps?",
        ];
        let expected = encoder.embed(&texts).expect("embed");
        let model = forward::Trainable::new(
            &base.tensors,
            &base.words,
            &base.config,
            4,
            8.0,
            &mut crate::rng::Rng::new(1),
        )
        .expect("trainable");
        let ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| base.tokenizer.ids(t).expect("tokens"))
            .collect();
        let rows: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        let (ids, mask) = padded(&rows, &Device::Cpu).expect("padded");
        let got = model
            .embed(&ids, &mask)
            .expect("forward")
            .to_vec2::<f32>()
            .expect("vectors");
        for (g, e) in got.iter().zip(&expected) {
            let cosine: f32 = g.iter().zip(e).map(|(a, b)| a * b).sum();
            assert!(cosine > 0.99999, "cosine {cosine}");
            let worst = g
                .iter()
                .zip(e)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(worst < 1e-4, "largest difference {worst}");
        }
    }
}
