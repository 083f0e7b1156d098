//! The learned decision: a classifier trained on the FAQ's own examples.
//!
//! Similarity thresholds on a general-purpose sentence model cannot tell
//! "how much calcium should I take" from "how much magnesium should I take",
//! and cannot see that "ways to up my mag" asks what an entry answers. A
//! classifier trained on this FAQ's examples can: every phrasing is an
//! example of its entry, every question in `outside.yaml` an example of
//! "not this FAQ". So the decision learns from what curators write, and a
//! curator fixes a wrong refusal by adding an alternate and a wrong answer
//! by adding an outside example, never by editing code.
//!
//! The head is multinomial logistic regression over the sentence model's
//! (normalised) vectors: one weight vector per class. It is trained at
//! every load and reload, from zero weights, with full-batch Adam for a
//! fixed number of steps: no randomness, so two trainings on the same
//! examples give the same weights. Classes are balanced (each class's
//! examples weigh as much in all as any other's), so an entry with five
//! phrasings counts as much as one with twenty; the last class, outside,
//! weighs more ([`OUTSIDE_WEIGHT`]).
//!
//! The classes ([`Layout`]): every entry, every small-talk kind, every
//! triage category, the ordinary look-alikes and outside. The rules of
//! [`super::fusion`] decide first; the head overrules them where they fail
//! most (see the `LEARNED_*` cut-offs there): it answers a refusal when it
//! gives one of the best candidates the probability
//! [`super::fusion::LEARNED_ANSWER`] (chat-style questions in words the FAQ
//! never uses: "mag", "booze", a story around the question), refuses an
//! answer it gives to outside, recognises small talk, and confirms an
//! alarm raised by meaning ([`super::fusion::LEARNED_URGENT`]).

use candle_core::{D, Device, Tensor};

/// Training steps. The loss has flattened well before (checked on the
/// shipped FAQ); more steps only sharpen probabilities that already decide.
const STEPS: usize = 150;
const LEARNING_RATE: f64 = 0.05;
/// The last class, `outside`, weighs as much as this many entries: it
/// stands for everything else people ask, and at one entry's weight any
/// entry could claim far-off questions ("how many calories a day" for the
/// daily magnesium requirement). Chosen on the development sets, in the
/// middle of a plateau (10 to 25 gave the same decisions).
pub const OUTSIDE_WEIGHT: f32 = 15.0;
/// L2 penalty on the weights: keeps the probabilities of questions unlike
/// any example from growing overconfident.
const L2: f64 = 1e-4;
const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;

/// One of the head's classes, by what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An entry (index into the FAQ's entries): its phrasings.
    Entry(usize),
    /// A small-talk kind (index into `smalltalk.yaml`'s kinds).
    SmallTalk(usize),
    /// A triage category (index into `triage.yaml`'s categories).
    Triage(usize),
    /// `triage.yaml`'s ordinary look-alikes: calm messages that share an
    /// emergency's words.
    Ordinary,
    /// `outside.yaml`: what the FAQ deliberately does not answer.
    Outside,
}

/// Where each kind of class sits among the head's classes: the entries,
/// the small-talk kinds, the triage categories, ordinary, then outside
/// (last, as [`Head::train`] weighs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub entries: usize,
    pub small_talk: usize,
    pub triage: usize,
}

impl Layout {
    /// How many classes.
    pub fn classes(&self) -> usize {
        self.entries + self.small_talk + self.triage + 2
    }

    /// The index of `class`.
    pub fn index(&self, class: Class) -> usize {
        let (kinds, triage) = (self.entries, self.entries + self.small_talk);
        match class {
            Class::Entry(i) => i,
            Class::SmallTalk(i) => kinds + i,
            Class::Triage(i) => triage + i,
            Class::Ordinary => triage + self.triage,
            Class::Outside => triage + self.triage + 1,
        }
    }

    /// What the class at `index` stands for (`Outside` past the end).
    pub fn class(&self, index: usize) -> Class {
        let (kinds, triage) = (self.entries, self.entries + self.small_talk);
        if index < kinds {
            Class::Entry(index)
        } else if index < triage {
            Class::SmallTalk(index - kinds)
        } else if index < triage + self.triage {
            Class::Triage(index - triage)
        } else if index == triage + self.triage {
            Class::Ordinary
        } else {
            Class::Outside
        }
    }

    /// The emergencies' share: the triage categories' probabilities
    /// together.
    pub fn urgent(&self, probabilities: &[f32]) -> f32 {
        let start = self.entries + self.small_talk;
        probabilities
            .get(start..start + self.triage)
            .map_or(0.0, |p| p.iter().sum())
    }

    /// The probabilities of the classes a question can have, the entries
    /// then outside (at index `entries`), renormalised among themselves:
    /// small talk's and triage's shares are taken out, so a question that
    /// opens with "thanks" or mentions a scare keeps its entry's odds.
    pub fn questions(&self, probabilities: &[f32]) -> Vec<f32> {
        let mut kept: Vec<f32> = probabilities.iter().take(self.entries).copied().collect();
        kept.push(
            probabilities
                .get(self.index(Class::Outside))
                .copied()
                .unwrap_or(0.0),
        );
        let sum: f32 = kept.iter().sum();
        if sum > 0.0 {
            kept.iter_mut().for_each(|p| *p /= sum);
        }
        kept
    }
}

/// A trained head: class probabilities for a vector.
#[derive(Debug, Clone)]
pub struct Head {
    classes: usize,
    dim: usize,
    /// One row of `dim` weights per class.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

impl Head {
    /// Trains on `examples` (vector, class), classes `0..classes`, the
    /// last (outside) weighing [`OUTSIDE_WEIGHT`]. `None` when there is
    /// nothing to learn (no examples, one class, no vectors) or candle
    /// fails, which would be a bug: the engine then decides without the
    /// head.
    pub fn train(examples: &[(&[f32], usize)], classes: usize) -> Option<Head> {
        let mut weights = vec![1.0; classes];
        if let Some(last) = weights.last_mut() {
            *last = OUTSIDE_WEIGHT;
        }
        Head::train_weighted(examples, &weights)
    }

    /// Like [`Head::train`], one class per weight: a class's examples
    /// together weigh as much as `weight` classes of weight 1.
    pub fn train_weighted(examples: &[(&[f32], usize)], weights: &[f32]) -> Option<Head> {
        let classes = weights.len();
        let dim = examples.first()?.0.len();
        if classes < 2
            || dim == 0
            || examples
                .iter()
                .any(|(v, c)| v.len() != dim || *c >= classes)
        {
            return None;
        }
        match train(examples, weights, dim) {
            Ok(head) => Some(head),
            Err(err) => {
                tracing::warn!(error = %err, "could not train the learned decision; deciding without it");
                None
            }
        }
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Each class's probability for `vector`.
    pub fn probabilities(&self, vector: &[f32]) -> Vec<f32> {
        let logits: Vec<f32> = (0..self.classes)
            .map(|c| {
                let row = &self.weights[c * self.dim..(c + 1) * self.dim];
                crate::semantic::dot(row, vector) + self.bias[c]
            })
            .collect();
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
        let sum: f32 = exp.iter().sum();
        exp.into_iter().map(|e| e / sum).collect()
    }

    /// The likeliest class and its probability.
    pub fn best(&self, vector: &[f32]) -> (usize, f32) {
        likeliest(&self.probabilities(vector), 1)
            .first()
            .copied()
            .unwrap_or((0, 0.0))
    }

    /// The weights, for tests that compare two trainings.
    pub fn weights(&self) -> (&[f32], &[f32]) {
        (&self.weights, &self.bias)
    }
}

/// The `n` likeliest classes of `probabilities` with their probabilities,
/// best first.
pub fn likeliest(probabilities: &[f32], n: usize) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(n);
    ranked
}

fn train(
    examples: &[(&[f32], usize)],
    weights: &[f32],
    dim: usize,
) -> Result<Head, candle_core::Error> {
    let classes = weights.len();
    let device = Device::Cpu;
    let n = examples.len();
    let flat: Vec<f32> = examples
        .iter()
        .flat_map(|(v, _)| v.iter().copied())
        .collect();
    let x = Tensor::from_vec(flat, (n, dim), &device)?;
    // Balanced classes: each entry's examples weigh 1 / classes present in
    // all, outside's OUTSIDE_WEIGHT times that.
    let mut sizes = vec![0usize; classes];
    for (_, c) in examples {
        sizes[*c] += 1;
    }
    let present = sizes.iter().filter(|&&s| s > 0).count() as f32;
    let mut targets = vec![0f32; n * classes];
    for (i, (_, c)) in examples.iter().enumerate() {
        targets[i * classes + c] = weights[*c] / (present * sizes[*c] as f32);
    }
    // Weighted one-hot: row sums are the example weights.
    let y = Tensor::from_vec(targets, (n, classes), &device)?;
    let sample = y.sum_keepdim(D::Minus1)?;
    let mut w = Tensor::zeros((dim, classes), candle_core::DType::F32, &device)?;
    let mut b = Tensor::zeros((1, classes), candle_core::DType::F32, &device)?;
    let (mut mw, mut vw) = (w.zeros_like()?, w.zeros_like()?);
    let (mut mb, mut vb) = (b.zeros_like()?, b.zeros_like()?);
    let xt = x.t()?.contiguous()?;
    for step in 1..=STEPS {
        let logits = x.matmul(&w)?.broadcast_add(&b)?;
        let p = candle_nn::ops::softmax_last_dim(&logits)?;
        // d(loss)/d(logits) for weighted cross-entropy: w_i (p_i - onehot_i).
        let g = (p.broadcast_mul(&sample)? - &y)?;
        let gw = (xt.matmul(&g)? + (&w * L2)?)?;
        let gb = g.sum_keepdim(0)?;
        let t = step as i32;
        let correct1 = 1.0 - BETA1.powi(t);
        let correct2 = 1.0 - BETA2.powi(t);
        let adam = |m: &mut Tensor, v: &mut Tensor, grad: &Tensor| -> candle_core::Result<Tensor> {
            *m = ((&*m * BETA1)? + (grad * (1.0 - BETA1))?)?;
            *v = ((&*v * BETA2)? + (grad.sqr()? * (1.0 - BETA2))?)?;
            let m_hat = (&*m / correct1)?;
            let v_hat = (&*v / correct2)?;
            (m_hat / (v_hat.sqrt()? + EPSILON)?)? * LEARNING_RATE
        };
        w = (&w - adam(&mut mw, &mut vw, &gw)?)?;
        b = (&b - adam(&mut mb, &mut vb, &gb)?)?;
    }
    let weights = w.t()?.contiguous()?.flatten_all()?.to_vec1::<f32>()?;
    let bias = b.flatten_all()?.to_vec1::<f32>()?;
    Ok(Head {
        classes,
        dim,
        weights,
        bias,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: [f32; 3]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn learns_its_examples_and_trains_the_same_twice() {
        let data = [
            (unit([1.0, 0.1, 0.0]), 0),
            (unit([0.9, 0.2, 0.1]), 0),
            (unit([0.1, 1.0, 0.0]), 1),
            (unit([0.0, 0.9, 0.2]), 1),
            (unit([0.1, 0.0, 1.0]), 2),
        ];
        let examples: Vec<(&[f32], usize)> = data.iter().map(|(v, c)| (v.as_slice(), *c)).collect();
        let head = Head::train(&examples, 3).unwrap();
        for (v, c) in &data {
            let (best, p) = head.best(v);
            assert_eq!(best, *c);
            assert!(p > 0.5, "{p}");
        }
        let again = Head::train(&examples, 3).unwrap();
        assert_eq!(head.weights(), again.weights(), "deterministic");
        let probabilities = head.probabilities(&unit([0.5, 0.5, 0.0]));
        assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn the_layout_places_every_class_once() {
        let layout = Layout {
            entries: 3,
            small_talk: 2,
            triage: 2,
        };
        assert_eq!(layout.classes(), 9);
        let classes: Vec<Class> = (0..layout.classes()).map(|i| layout.class(i)).collect();
        assert_eq!(classes[0], Class::Entry(0));
        assert_eq!(classes[3], Class::SmallTalk(0));
        assert_eq!(classes[5], Class::Triage(0));
        assert_eq!(classes[7], Class::Ordinary);
        assert_eq!(classes[8], Class::Outside);
        for (i, class) in classes.iter().enumerate() {
            assert_eq!(layout.index(*class), i);
        }
        let p = [0.1, 0.1, 0.1, 0.05, 0.05, 0.2, 0.1, 0.1, 0.2];
        assert!((layout.urgent(&p) - 0.3).abs() < 1e-6);
        let questions = layout.questions(&p);
        assert_eq!(questions.len(), 4, "the entries, then outside");
        assert!((questions.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((questions[3] - 0.4).abs() < 1e-6, "{questions:?}");
    }

    #[test]
    fn nothing_to_learn_is_no_head() {
        let v = unit([1.0, 0.0, 0.0]);
        assert!(Head::train(&[], 3).is_none());
        assert!(Head::train(&[(&v, 0)], 1).is_none());
        assert!(Head::train(&[(&v, 5)], 3).is_none());
    }
}
