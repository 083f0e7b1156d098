//! The sentence model's forward pass again, built only from operations
//! candle can differentiate, with trainable low-rank matrices beside the
//! frozen weights.
//!
//! The inference model (`candle_transformers`' BERT) uses a fused layer
//! norm that has no backward pass in candle-nn 0.9, so training cannot run
//! through it. This file computes the same function from primitives: layer
//! norm as mean, variance and division; attention with
//! `candle_nn::ops::softmax`; `gelu_erf`. A test checks that with zero
//! deltas it gives the inference model's vectors.

use std::collections::HashMap;

use candle_core::{D, DType, Device, Result, Tensor, Var};
use candle_transformers::models::bert::Config;

use crate::rng::Rng;
use crate::semantic::WordTable;

/// Which linear layers of each encoder layer get trainable deltas, by the
/// suffix of their weight's name.
pub const TARGETS: [&str; 4] = [
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
];

/// A frozen linear layer and, if tuned, its trainable low-rank delta.
struct Linear {
    /// `[out, in]`.
    weight: Tensor,
    bias: Tensor,
    /// (A: rank × in, B: out × rank); B starts at zero, so training starts
    /// from the untuned model.
    delta: Option<(Var, Var)>,
    name: String,
}

impl Linear {
    /// `x · Wᵀ + b (+ scale · x · Aᵀ · Bᵀ)` over the last dimension.
    ///
    /// The product runs on `x` flattened to rows: candle's backward pass
    /// computes a gradient for both sides of a product, frozen or not, and
    /// a weight broadcast over the batch would get one full-size gradient
    /// per sentence (hundreds of megabytes a step); flattened, it gets one.
    fn forward(&self, x: &Tensor, scale: f64) -> Result<Tensor> {
        let dims = x.dims().to_vec();
        let rows: usize = dims[..dims.len() - 1].iter().product();
        let inputs = dims[dims.len() - 1];
        let flat = x.reshape((rows, inputs))?;
        let mut y = flat.matmul(&self.weight.t()?)?.broadcast_add(&self.bias)?;
        if let Some((a, b)) = &self.delta {
            let low = flat.matmul(&a.as_tensor().t()?)?;
            y = (y + (low.matmul(&b.as_tensor().t()?)? * scale)?)?;
        }
        let mut out = dims;
        if let Some(last) = out.last_mut() {
            *last = self.weight.dim(0)?;
        }
        y.reshape(out)
    }
}

struct Norm {
    weight: Tensor,
    bias: Tensor,
}

impl Norm {
    /// Layer norm over the last dimension, from differentiable primitives.
    fn forward(&self, x: &Tensor, eps: f64) -> Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centred = x.broadcast_sub(&mean)?;
        let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
        let normed = centred.broadcast_div(&(var + eps)?.sqrt()?)?;
        normed
            .broadcast_mul(&self.weight)?
            .broadcast_add(&self.bias)
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// The BERT encoder with trainable deltas.
pub struct Trainable {
    word: WordTable,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    eps: f64,
    /// alpha / rank: how much of `B·A` is added.
    scale: f64,
}

impl Trainable {
    /// The base weights (as `semantic::Base` holds them), with deltas of
    /// `rank` on [`TARGETS`], A drawn from `rng`.
    pub fn new(
        tensors: &HashMap<String, Tensor>,
        words: &WordTable,
        config: &Config,
        rank: usize,
        alpha: f64,
        rng: &mut Rng,
    ) -> Result<Trainable> {
        let get = |name: &str| -> Result<Tensor> {
            tensors
                .get(name)
                .or_else(|| tensors.get(&format!("bert.{name}")))
                .cloned()
                .ok_or_else(|| candle_core::Error::Msg(format!("the model has no {name}")))
        };
        let norm = |prefix: &str| -> Result<Norm> {
            Ok(Norm {
                weight: get(&format!("{prefix}.weight"))?,
                bias: get(&format!("{prefix}.bias"))?,
            })
        };
        let linear = |prefix: &str, rng: &mut Rng| -> Result<Linear> {
            let weight = get(&format!("{prefix}.weight"))?;
            let bias = get(&format!("{prefix}.bias"))?;
            let tuned = TARGETS.iter().any(|t| prefix.ends_with(t));
            let delta = if tuned {
                let (out, input) = weight.dims2()?;
                // LoRA's initialisation: A uniform in ±1/√in, B zero.
                let bound = 1.0 / (input as f64).sqrt();
                let a: Vec<f32> = (0..rank * input)
                    .map(|_| ((rng.unit() * 2.0 - 1.0) * bound) as f32)
                    .collect();
                let a = Var::from_tensor(&Tensor::from_vec(a, (rank, input), &Device::Cpu)?)?;
                let b = Var::zeros((out, rank), DType::F32, &Device::Cpu)?;
                Some((a, b))
            } else {
                None
            };
            Ok(Linear {
                weight,
                bias,
                delta,
                name: format!("{prefix}.weight"),
            })
        };
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            layers.push(Layer {
                query: linear(&format!("{p}.attention.self.query"), rng)?,
                key: linear(&format!("{p}.attention.self.key"), rng)?,
                value: linear(&format!("{p}.attention.self.value"), rng)?,
                attention_out: linear(&format!("{p}.attention.output.dense"), rng)?,
                attention_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                intermediate: linear(&format!("{p}.intermediate.dense"), rng)?,
                output: linear(&format!("{p}.output.dense"), rng)?,
                output_norm: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        Ok(Trainable {
            word: words.clone(),
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?,
            embedding_norm: norm("embeddings.LayerNorm")?,
            layers,
            heads: config.num_attention_heads,
            eps: config.layer_norm_eps,
            scale: alpha / rank.max(1) as f64,
        })
    }

    fn linears(&self) -> impl Iterator<Item = &Linear> {
        self.layers.iter().flat_map(|l| {
            [
                &l.query,
                &l.key,
                &l.value,
                &l.attention_out,
                &l.intermediate,
                &l.output,
            ]
        })
    }

    /// Every trainable matrix, for the optimiser.
    pub fn vars(&self) -> Vec<Var> {
        self.linears()
            .filter_map(|l| l.delta.as_ref())
            .flat_map(|(a, b)| [a.clone(), b.clone()])
            .collect()
    }

    /// What was learned, by base weight name: (A, B·scale).
    pub fn deltas(&self) -> Result<Vec<(String, Tensor, Tensor)>> {
        self.linears()
            .filter_map(|l| l.delta.as_ref().map(|d| (l, d)))
            .map(|(l, (a, b))| {
                Ok((
                    l.name.clone(),
                    a.as_tensor().copy()?,
                    (b.as_tensor() * self.scale)?,
                ))
            })
            .collect()
    }

    /// Unit sentence vectors of a padded batch: `ids` and `mask` are
    /// `[batch, tokens]`, the mask 1 on real tokens.
    pub fn embed(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (batch, width) = ids.dims2()?;
        let hidden = self.position.dim(1)?;
        let words = self
            .word
            .lookup(&ids.flatten_all()?)?
            .reshape((batch, width, hidden))?;
        let positions = self.position.narrow(0, 0, width)?;
        let types = self.token_type.narrow(0, 0, 1)?;
        let x = words.broadcast_add(&positions)?.broadcast_add(&types)?;
        let mut x = self.embedding_norm.forward(&x, self.eps)?;
        let mask = mask.to_dtype(DType::F32)?;
        // Padding gets a large negative score before the softmax: no
        // attention at all, as in the inference model.
        let blocked = ((mask.ones_like()? - &mask)? * -1e9)?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        for layer in &self.layers {
            x = self.layer(layer, &x, &blocked)?;
        }
        let weights = mask.unsqueeze(2)?;
        let summed = x.broadcast_mul(&weights)?.sum(1)?;
        let counts = weights.sum(1)?.clamp(1e-9, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        mean.broadcast_div(&norm)
    }

    fn layer(&self, layer: &Layer, x: &Tensor, blocked: &Tensor) -> Result<Tensor> {
        let (batch, width, hidden) = x.dims3()?;
        let head = hidden / self.heads;
        let split = |t: Tensor| -> Result<Tensor> {
            t.reshape((batch, width, self.heads, head))?
                .transpose(1, 2)?
                .contiguous()
        };
        let q = split(layer.query.forward(x, self.scale)?)?;
        let k = split(layer.key.forward(x, self.scale)?)?;
        let v = split(layer.value.forward(x, self.scale)?)?;
        let scores = (q.matmul(&k.t()?.contiguous()?)? / (head as f64).sqrt())?;
        let scores = scores.broadcast_add(blocked)?;
        let probs = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let context = probs
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((batch, width, hidden))?;
        let attended = layer.attention_out.forward(&context, self.scale)?;
        let x = layer.attention_norm.forward(&(attended + x)?, self.eps)?;
        let inner = layer.intermediate.forward(&x, self.scale)?.gelu_erf()?;
        let out = layer.output.forward(&inner, self.scale)?;
        layer.output_norm.forward(&(out + x)?, self.eps)
    }
}
