//! A BERT-style sentence model run in pure Rust (candle), turning text into
//! unit vectors whose dot product says how close two texts are in meaning.
//!
//! The default model, all-MiniLM-L6-v2, is compiled into the binary (see
//! `models/all-minilm-l6-v2/README.md`), so a deployment is one file and
//! nothing is ever downloaded. Another model of the same shape (a folder
//! with `config.json`, `tokenizer.json` and `model.safetensors`) can be
//! loaded with `--model DIR`.
//!
//! Pooling is the sentence-transformers recipe the model was trained with:
//! the mean of the last hidden state over the real (unpadded) tokens, then
//! L2-normalised. The tokenizer file pads every input to 128 tokens; padding
//! is turned off here and done per batch instead, which makes a short
//! question about ten times cheaper.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use candle_core::{DType, Device, Tensor};
use candle_nn::{LayerNorm, Module, VarBuilder};
use candle_transformers::models::bert::{BertEncoder, Config};

use super::cache::VectorCache;
use super::tokens::TextTokenizer;
use super::tuning::Lora;
use super::words::{Blocks, Q4_NAME, WordTable};

/// The model compiled into the binary.
const EMBEDDED_CONFIG: &[u8] = include_bytes!("../../models/all-minilm-l6-v2/config.json");
const EMBEDDED_TOKENIZER: &[u8] = include_bytes!("../../models/all-minilm-l6-v2/tokenizer.json");
const EMBEDDED_WEIGHTS: &[u8] = include_bytes!("../../models/all-minilm-l6-v2/model.safetensors");
/// How the embedded model is named in logs and `--explain`.
pub const EMBEDDED_NAME: &str = "all-MiniLM-L6-v2 (built in)";

/// The multilingual model compiled into the binary, for messages in other
/// languages (see `models/multilingual-e5-small/README.md`).
const MULTILINGUAL_CONFIG: &[u8] = include_bytes!("../../models/multilingual-e5-small/config.json");
const MULTILINGUAL_TOKENIZER: &[u8] =
    include_bytes!("../../models/multilingual-e5-small/tokenizer.json");
const MULTILINGUAL_WEIGHTS: &[u8] =
    include_bytes!("../../models/multilingual-e5-small/model.safetensors");
/// How the embedded multilingual model is named in logs and `--explain`.
pub const MULTILINGUAL_NAME: &str = "multilingual-e5-small (built in)";

/// Texts embedded together in one forward pass. Larger batches pad more;
/// this size keeps start-up batched without wasting much on padding.
const BATCH: usize = 32;
/// Texts of a packed pass together this long or shorter share one row
/// (see [`Packing::side_by_side`]): a message and its words, usually.
const PACK_TOKENS: usize = 128;
/// Longest input in tokens; longer texts are cut. FAQ phrasings and
/// question sentences are far shorter, and attention costs grow with the
/// square of the length, so this bounds what one message can cost.
const MAX_TOKENS: usize = 128;

/// Changes whenever this file changes what a text's vector is (pooling,
/// truncation), so vectors cached by an older faqbot are not reused.
const VECTOR_RECIPE: u64 = 1;

/// Why a model could not be loaded or run, naming the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{}: {what}", path.display())]
    File { path: PathBuf, what: String },
    #[error("the sentence model failed: {0}")]
    Run(String),
}

fn file_error(path: &Path, what: impl Into<String>) -> ModelError {
    ModelError::File {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

/// A loaded sentence model. `Sync`: one instance serves every thread.
pub struct Encoder {
    embeddings: Embeddings,
    encoder: BertEncoder,
    tokenizer: Arc<TextTokenizer>,
    device: Device,
    dim: usize,
    name: String,
    /// Identifies the model files and [`VECTOR_RECIPE`]: equal
    /// fingerprints give equal vectors.
    fingerprint: u64,
    /// Where start-up vectors are remembered between runs, if anywhere.
    cache: OnceLock<VectorCache>,
    /// Forward passes run so far (see [`Encoder::forward_passes`]).
    passes: AtomicUsize,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("name", &self.name)
            .field("dim", &self.dim)
            .finish()
    }
}

/// A base model read from its files, before any tuning: what an
/// [`Encoder`] is built from, and what `faqbot tune` trains on.
pub struct Base {
    pub config: Config,
    /// Shared by every encoder made from this base: a large vocabulary's
    /// tokenizer is tens of megabytes.
    pub tokenizer: Arc<TextTokenizer>,
    /// Every weight as f32 but the word table, linear layers laid out for
    /// the CPU (see [`lay_out_for_cpu`]).
    pub tensors: std::collections::HashMap<String, Tensor>,
    /// The word-embedding table, dense or 4-bit (see [`super::words`]).
    pub words: WordTable,
    pub name: String,
    /// Digest of the three files: identifies the base model in a tuning's
    /// manifest.
    pub checksum: u64,
    /// The weights file, for errors.
    weights_path: PathBuf,
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Base").field("name", &self.name).finish()
    }
}

impl Base {
    /// The model compiled into the binary.
    pub fn embedded() -> Result<Base, ModelError> {
        let here = Path::new("(built-in model)");
        Base::from_parts(
            EMBEDDED_NAME.to_string(),
            (&here.join("config.json"), EMBEDDED_CONFIG),
            (&here.join("tokenizer.json"), EMBEDDED_TOKENIZER),
            (
                &here.join("model.safetensors"),
                Cow::Borrowed(EMBEDDED_WEIGHTS),
            ),
        )
    }

    /// The multilingual model compiled into the binary.
    pub fn embedded_multilingual() -> Result<Base, ModelError> {
        let here = Path::new("(built-in multilingual model)");
        Base::from_parts(
            MULTILINGUAL_NAME.to_string(),
            (&here.join("config.json"), MULTILINGUAL_CONFIG),
            (&here.join("tokenizer.json"), MULTILINGUAL_TOKENIZER),
            (
                &here.join("model.safetensors"),
                Cow::Borrowed(MULTILINGUAL_WEIGHTS),
            ),
        )
    }

    /// A model folder: `config.json`, `tokenizer.json`, `model.safetensors`.
    pub fn from_dir(dir: &Path) -> Result<Base, ModelError> {
        if !dir.is_dir() {
            return Err(file_error(
                dir,
                "no such model folder (it needs config.json, tokenizer.json and model.safetensors)",
            ));
        }
        let read = |name: &str| -> Result<(PathBuf, Vec<u8>), ModelError> {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => Ok((path, bytes)),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(file_error(
                    &path,
                    "missing: a model folder needs config.json, tokenizer.json and model.safetensors",
                )),
                Err(err) => Err(file_error(&path, format!("cannot be read: {err}"))),
            }
        };
        let config = read("config.json")?;
        let tokenizer = read("tokenizer.json")?;
        let weights = read("model.safetensors")?;
        Base::from_parts(
            dir.display().to_string(),
            (&config.0, &config.1),
            (&tokenizer.0, &tokenizer.1),
            (&weights.0, Cow::Owned(weights.1)),
        )
    }

    fn from_parts(
        name: String,
        config: (&Path, &[u8]),
        tokenizer: (&Path, &[u8]),
        weights: (&Path, Cow<'static, [u8]>),
    ) -> Result<Base, ModelError> {
        let cfg: Config = serde_json::from_slice(config.1).map_err(|err| {
            file_error(
                config.0,
                format!("is not a BERT model configuration: {err}"),
            )
        })?;
        let mut tok = TextTokenizer::from_bytes(tokenizer.1).map_err(|err| {
            file_error(
                tokenizer.0,
                format!("is not a Hugging Face tokenizer file: {err}"),
            )
        })?;
        tok.set_limits(MAX_TOKENS.min(cfg.max_position_embeddings))
            .map_err(|err| file_error(tokenizer.0, format!("cannot set truncation: {err}")))?;
        // Weights may be stored as f16 (the built-in model is, to halve its
        // size); they are widened to f32 once here, which is what runs fast
        // on a CPU.
        let file = candle_core::safetensors::SliceSafetensors::new(&weights.1)
            .map_err(|err| file_error(weights.0, format!("is not a safetensors file: {err}")))?;
        let mut tensors = lay_out_for_cpu(&file, &Device::Cpu)
            .map_err(|err| file_error(weights.0, format!("is not a safetensors file: {err}")))?;
        drop(file);
        let stored = match &weights.1 {
            Cow::Borrowed(bytes) => Stored::InBinary(bytes),
            Cow::Owned(bytes) => Stored::Read(bytes),
        };
        let words =
            word_table(stored, &mut tensors, &cfg).map_err(|what| file_error(weights.0, what))?;
        // FNV-1a, not the cache's faster hash: this one is stored in
        // tunings' manifests and must never change between builds.
        let mut checksum = 0_u64;
        for bytes in [config.1, tokenizer.1, &weights.1] {
            checksum = checksum.rotate_left(17) ^ crate::digest::fnv1a(bytes);
        }
        Ok(Base {
            config: cfg,
            tokenizer: Arc::new(tok),
            tensors,
            words,
            name,
            checksum,
            weights_path: weights.0.to_path_buf(),
        })
    }
}

impl Encoder {
    /// The model compiled into the binary, untuned.
    pub fn embedded() -> Result<Encoder, ModelError> {
        Encoder::new(&Base::embedded()?, None)
    }

    /// A model folder (`config.json`, `tokenizer.json`,
    /// `model.safetensors`), untuned.
    pub fn from_dir(dir: &Path) -> Result<Encoder, ModelError> {
        Encoder::new(&Base::from_dir(dir)?, None)
    }

    /// `base`, with what `tuning` learned added to its weights.
    pub fn new(base: &Base, tuning: Option<&Lora>) -> Result<Encoder, ModelError> {
        let weights = base.weights_path.as_path();
        let device = Device::Cpu;
        let mut fingerprint = base.checksum ^ VECTOR_RECIPE ^ (MAX_TOKENS as u64) << 32;
        let mut tensors = base.tensors.clone();
        if let Some(lora) = tuning {
            lora.apply(&mut tensors).map_err(|what| {
                ModelError::Run(format!("the tuning does not fit {}: {what}", base.name))
            })?;
            fingerprint = fingerprint.rotate_left(29) ^ lora.checksum();
        }
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let (embeddings, encoder) = load_bert(&vb, base).map_err(|err| {
            file_error(
                weights,
                format!("does not hold the weights config.json describes: {err}"),
            )
        })?;
        let name = match tuning {
            Some(_) => format!("{}, tuned", base.name),
            None => base.name.clone(),
        };
        let encoder = Encoder {
            embeddings,
            encoder,
            tokenizer: Arc::clone(&base.tokenizer),
            device,
            dim: base.config.hidden_size,
            name,
            fingerprint,
            cache: OnceLock::new(),
            passes: AtomicUsize::new(0),
        };
        // A model that loads but cannot run (a tokenizer whose ids exceed
        // the vocabulary, say) is found now, not on the first question.
        encoder
            .embed(&["test"])
            .map_err(|err| file_error(weights, format!("loads but cannot embed text: {err}")))?;
        Ok(encoder)
    }

    /// Identifies the model and its tuning: equal fingerprints, equal
    /// vectors.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Keeps the vectors [`Encoder::embed_all`] makes in the file at
    /// `path`, and reads those it already holds (see [`super::cache`]).
    /// The first call decides; later ones are ignored.
    pub fn keep_vectors_in(&self, path: &Path) {
        self.cache
            .get_or_init(|| VectorCache::open(path, self.fingerprint, self.dim));
    }

    /// Writes the cached vectors of `in_use` (every text an engine embeds
    /// at start-up) to the cache file, dropping the rest. Without a
    /// cache, does nothing.
    pub fn save_vectors(&self, in_use: &[&str]) {
        if let Some(cache) = self.cache.get() {
            cache.save(in_use);
        }
    }

    /// The token ids the model reads for `text`, special tokens included.
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        self.tokenizer
            .ids(text)
            .map_err(|err| ModelError::Run(format!("tokenizing failed: {err}")))
    }

    /// Embeds texts as unit vectors, in order, in one forward pass: the
    /// texts lie side by side in a row, or in a few short rows (see
    /// [`Packing::side_by_side`]), each attending only to its own tokens and
    /// counting its positions from 0, so its vector is the one it would
    /// get alone. This is how a message is read: its parts and the words
    /// weighed for it go through the model together. An empty text gets
    /// the embedding of the model's special tokens alone.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self.encode(texts)?;
        let lengths: Vec<usize> = encodings.iter().map(Vec::len).collect();
        let packing = Packing::side_by_side(&lengths, PACK_TOKENS);
        self.passes.fetch_add(1, Ordering::Relaxed);
        self.forward(&encodings, &packing)
            .map_err(|err| ModelError::Run(err.to_string()))
    }

    /// Embeds many texts (start-up, a cache's misses) as batches of texts
    /// of similar length, one text a row: cheaper than packing when
    /// there are hundreds, as attention is paid per row.
    fn embed_batched(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let encodings = self.encode(texts)?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encodings[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in batches(&order, |i| encodings[i].len()) {
            self.passes.fetch_add(1, Ordering::Relaxed);
            let mut vectors = self
                .forward(&encodings, &Packing::one_a_row(chunk))
                .map_err(|err| ModelError::Run(err.to_string()))?;
            for &i in chunk {
                out[i] = std::mem::take(&mut vectors[i]);
            }
        }
        Ok(out)
    }

    /// How many forward passes this model has run (tests and the
    /// benchmark count them per message).
    pub fn forward_passes(&self) -> usize {
        self.passes.load(Ordering::Relaxed)
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>, ModelError> {
        texts.iter().map(|t| self.token_ids(t)).collect()
    }

    /// Embeds `texts` on every core: for many texts at once (every
    /// phrasing at start-up). The model's own matrix products barely use
    /// a second core on inputs this short, so whole batches are split
    /// instead (measured: 431 phrasings in 1.7 s instead of 2.2-2.7 s).
    /// With a vector cache, cached texts are not embedded again.
    pub fn embed_all(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let Some(cache) = self.cache.get() else {
            return self.embed_all_now(texts);
        };
        let mut out: Vec<Option<Vec<f32>>> = texts.iter().map(|t| cache.get(t)).collect();
        let missing: Vec<usize> = (0..texts.len()).filter(|&i| out[i].is_none()).collect();
        let missing_texts: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
        for (&i, vector) in missing.iter().zip(self.embed_all_now(&missing_texts)?) {
            cache.put(texts[i], &vector);
            out[i] = Some(vector);
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn embed_all_now(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // Sorted by length first so each thread gets its share of long
        // and short texts, and each batch stays tightly padded.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let shares: Vec<Vec<usize>> = (0..threads)
            .map(|t| order.iter().copied().skip(t).step_by(threads).collect())
            .collect();
        let results = crate::parallel::map_chunks(&shares, 1, |shares| {
            shares
                .iter()
                .map(|share| {
                    let share_texts: Vec<&str> = share.iter().map(|&i| texts[i]).collect();
                    self.embed_batched(&share_texts)
                })
                .collect::<Vec<_>>()
        });
        let mut out = vec![Vec::new(); texts.len()];
        for (share, vectors) in shares.iter().zip(results.into_iter().flatten()) {
            for (&i, v) in share.iter().zip(vectors?) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// The texts `packing` places (token ids, by index into `texts`),
    /// through the model once; each text's tokens mean-pooled and
    /// normalised, at its index (texts the packing leaves out stay empty).
    fn forward(&self, texts: &[Vec<u32>], packing: &Packing) -> candle_core::Result<Vec<Vec<f32>>> {
        let laid = packing.lay_out(texts, &self.device)?;
        let x = self.embeddings.forward(&laid.ids, &laid.positions)?;
        let hidden = self.encoder.forward(&x, &laid.mask)?;
        // [rows, texts a row, tokens] × [rows, tokens, hidden]: each
        // text's mean.
        let mean = laid.pool.matmul(&hidden)?;
        let norm = mean.sqr()?.sum_keepdim(2)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        let vectors = mean.broadcast_div(&norm)?.to_vec3::<f32>()?;
        let mut out = vec![Vec::new(); texts.len()];
        for (row, members) in packing.rows.iter().enumerate() {
            for (slot, &text) in members.iter().enumerate() {
                if let Some(v) = vectors.get(row).and_then(|r| r.get(slot)) {
                    out[text] = v.clone();
                }
            }
        }
        Ok(out)
    }
}

/// The model's input layer: word, position and token-type vectors added
/// and normalised. candle's `BertModel` keeps its own private one, which
/// can only read a dense word table; the encoder layers after it are
/// candle's.
struct Embeddings {
    words: WordTable,
    position: Tensor,
    token_type: Tensor,
    norm: LayerNorm,
}

impl Embeddings {
    /// `[batch, tokens]` ids, and each token's position in its own text,
    /// to `[batch, tokens, hidden]`.
    fn forward(&self, ids: &Tensor, positions: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, width) = ids.dims2()?;
        let hidden = self.position.dim(1)?;
        let words = self
            .words
            .lookup(&ids.flatten_all()?)?
            .reshape((batch, width, hidden))?;
        let at = self
            .position
            .index_select(&positions.flatten_all()?, 0)?
            .reshape((batch, width, hidden))?;
        let x = (words + at)?.broadcast_add(&self.token_type.narrow(0, 0, 1)?)?;
        self.norm.forward(&x)
    }
}

/// The input layer and candle's encoder layers, from weights named as
/// Hugging Face names BERT's (with or without the `bert.` prefix some
/// files carry).
fn load_bert(vb: &VarBuilder, base: &Base) -> candle_core::Result<(Embeddings, BertEncoder)> {
    let config = &base.config;
    let load = |vb: VarBuilder| -> candle_core::Result<(Embeddings, BertEncoder)> {
        let e = vb.pp("embeddings");
        let hidden = config.hidden_size;
        let embeddings = Embeddings {
            words: base.words.clone(),
            position: e.get(
                (config.max_position_embeddings, hidden),
                "position_embeddings.weight",
            )?,
            token_type: e.get(
                (config.type_vocab_size, hidden),
                "token_type_embeddings.weight",
            )?,
            norm: candle_nn::layer_norm(hidden, config.layer_norm_eps, e.pp("LayerNorm"))?,
        };
        Ok((embeddings, BertEncoder::load(vb.pp("encoder"), config)?))
    };
    load(vb.clone()).or_else(|err| match &config.model_type {
        Some(prefix) => load(vb.pp(prefix)).map_err(|_| err),
        None => Err(err),
    })
}

/// Takes the word table out of the weights: the dense
/// `embeddings.word_embeddings.weight` (as most files have it, maybe with a
/// `bert.` prefix), or a 4-bit [`Q4_NAME`] table, read in place when the
/// weights are the binary's own.
fn word_table(
    weights: Stored<'_>,
    tensors: &mut std::collections::HashMap<String, Tensor>,
    config: &Config,
) -> Result<WordTable, String> {
    for name in [
        "embeddings.word_embeddings.weight",
        "bert.embeddings.word_embeddings.weight",
    ] {
        if let Some(table) = tensors.remove(name) {
            return Ok(WordTable::Dense(table));
        }
    }
    let missing = || format!("has no word table (embeddings.word_embeddings.weight or {Q4_NAME})");
    let (rows, blocks) = match weights {
        Stored::InBinary(bytes) => {
            let file = safetensors::SafeTensors::deserialize(bytes).map_err(|e| e.to_string())?;
            let view = file.tensor(Q4_NAME).map_err(|_| missing())?;
            q4_view_fits(&view)?;
            (view.shape()[0], Blocks::Static(view.data()))
        }
        Stored::Read(bytes) => {
            let file = safetensors::SafeTensors::deserialize(bytes).map_err(|e| e.to_string())?;
            let view = file.tensor(Q4_NAME).map_err(|_| missing())?;
            q4_view_fits(&view)?;
            (view.shape()[0], Blocks::Shared(view.data().into()))
        }
    };
    if rows < config.vocab_size {
        return Err(format!(
            "{Q4_NAME} has {rows} rows; config.json names {} tokens",
            config.vocab_size
        ));
    }
    WordTable::q4(blocks, rows, config.hidden_size)
}

/// Where weights are: in the binary (kept there, used in place) or read
/// from a file (copied out of it).
enum Stored<'a> {
    InBinary(&'static [u8]),
    Read(&'a [u8]),
}

/// A 4-bit table is bytes, one row per token.
fn q4_view_fits(view: &safetensors::tensor::TensorView<'_>) -> Result<(), String> {
    if view.dtype() != safetensors::Dtype::U8 || view.shape().len() != 2 {
        return Err(format!(
            "{Q4_NAME} must be a table of bytes (U8, 2 dimensions), not {:?} {:?}",
            view.dtype(),
            view.shape()
        ));
    }
    Ok(())
}

/// Token ids of `rows` padded to the longest, `[rows, width]`, and the
/// mask of real tokens (1) beside padding (0).
pub fn padded(rows: &[&[u32]], device: &Device) -> candle_core::Result<(Tensor, Tensor)> {
    let width = rows.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
    let mut ids = Vec::with_capacity(rows.len() * width);
    let mut mask = Vec::with_capacity(rows.len() * width);
    for row in rows {
        ids.extend_from_slice(row);
        ids.extend(std::iter::repeat_n(0, width - row.len()));
        mask.extend(std::iter::repeat_n(1u32, row.len()));
        mask.extend(std::iter::repeat_n(0u32, width - row.len()));
    }
    let shape = (rows.len(), width);
    Ok((
        Tensor::from_vec(ids, shape, device)?,
        Tensor::from_vec(mask, shape, device)?,
    ))
}

/// Widens every weight to f32 and stores each linear layer's matrix
/// transposed in memory (still the same `[out, in]` tensor to the model).
///
/// A linear layer multiplies by its weight's transpose. Stored as the file
/// has it, that transpose is a strided view, and the matrix-product kernel
/// first copies the whole weight into its own layout: for a short question
/// (a few tokens) that copy, repeated for 36 matrices, cost more than the
/// arithmetic. Laid out this way the transpose is contiguous and is read
/// in place (measured: a 384×1536 layer on 3 tokens, 227 µs → 79 µs).
/// Embedding tables are looked up by row and stay as they are. Tensors are
/// read one at a time, so the file's f16 copy never sits in memory whole
/// beside the f32 one.
pub(crate) fn lay_out_for_cpu(
    file: &candle_core::safetensors::SliceSafetensors<'_>,
    device: &Device,
) -> candle_core::Result<std::collections::HashMap<String, Tensor>> {
    file.tensors()
        .into_iter()
        .filter(|(name, _)| name != Q4_NAME)
        .map(|(name, _)| {
            let tensor = file.load(&name, device)?.to_dtype(DType::F32)?;
            let linear =
                tensor.rank() == 2 && name.ends_with(".weight") && !name.contains("embeddings");
            let tensor = if linear {
                tensor.t()?.contiguous()?.t()?
            } else {
                tensor
            };
            Ok((name, tensor))
        })
        .collect()
}

/// Where each text sits in one forward pass: `rows[r]` lists the texts
/// (by index) lying side by side in row `r`, in order.
#[derive(Debug, PartialEq)]
struct Packing {
    rows: Vec<Vec<usize>>,
}

/// A [`Packing`] as the model reads it.
struct LaidOut {
    /// `[rows, width]` token ids, padded with 0.
    ids: Tensor,
    /// `[rows, width]` each token's position within its own text.
    positions: Tensor,
    /// `[rows, 1, width, width]` added to attention scores: 0 where both
    /// tokens belong to one text, the lowest f32 elsewhere (a padding
    /// token attends to itself only).
    mask: Tensor,
    /// `[rows, texts a row, width]`: 1/len on a text's own tokens, so a
    /// product with the hidden states is each text's mean.
    pool: Tensor,
}

impl Packing {
    /// Texts of these lengths side by side: in one row when together they
    /// fit in `limit` tokens (a message and its words, usually); otherwise
    /// in rows as long as the longest text, longest first, each text in the
    /// first row with room. Every row costs as much as the longest, and
    /// attention costs a row's length squared, so rows are kept short and
    /// full (measured on a 4,000-character story: rows of 512 tokens cost
    /// 2.7 times what batches by length did, rows of 64 padded to the
    /// 128-token whole 2.3 times).
    fn side_by_side(lengths: &[usize], limit: usize) -> Packing {
        let total: usize = lengths.iter().sum();
        let longest = lengths.iter().copied().max().unwrap_or(0);
        let room = if total <= limit { total } else { longest };
        let mut order: Vec<usize> = (0..lengths.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
        let mut rows: Vec<(Vec<usize>, usize)> = Vec::new();
        for i in order {
            let len = lengths[i];
            match rows.iter_mut().find(|(_, used)| *used + len <= room) {
                Some((row, used)) => {
                    row.push(i);
                    *used += len;
                }
                None => rows.push((vec![i], len)),
            }
        }
        Packing {
            rows: rows.into_iter().map(|(row, _)| row).collect(),
        }
    }

    /// These texts, one a row (a batch as usual).
    fn one_a_row(texts: &[usize]) -> Packing {
        Packing {
            rows: texts.iter().map(|&i| vec![i]).collect(),
        }
    }

    fn lay_out(&self, texts: &[Vec<u32>], device: &Device) -> candle_core::Result<LaidOut> {
        let row_len = |row: &Vec<usize>| row.iter().map(|&i| texts[i].len()).sum::<usize>();
        let width = self.rows.iter().map(row_len).max().unwrap_or(0).max(1);
        let slots = self.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let rows = self.rows.len();
        let mut ids = Vec::with_capacity(rows * width);
        let mut positions = Vec::with_capacity(rows * width);
        let mut mask = vec![f32::MIN; rows * width * width];
        let mut pool = vec![0f32; rows * slots * width];
        for (r, row) in self.rows.iter().enumerate() {
            let mut start = 0;
            for (slot, &text) in row.iter().enumerate() {
                let tokens = &texts[text];
                let end = start + tokens.len();
                ids.extend_from_slice(tokens);
                positions.extend((0..tokens.len()).map(|p| p as u32));
                for q in start..end {
                    let at = (r * width + q) * width;
                    mask[at + start..at + end].fill(0.0);
                    pool[(r * slots + slot) * width + q] = 1.0 / tokens.len() as f32;
                }
                start = end;
            }
            for q in start..width {
                ids.push(0);
                positions.push(0);
                mask[(r * width + q) * width + q] = 0.0;
            }
        }
        Ok(LaidOut {
            ids: Tensor::from_vec(ids, (rows, width), device)?,
            positions: Tensor::from_vec(positions, (rows, width), device)?,
            mask: Tensor::from_vec(mask, (rows, 1, width, width), device)?,
            pool: Tensor::from_vec(pool, (rows, slots, width), device)?,
        })
    }
}

/// Splits `order` (sorted by length) into batches of at most [`BATCH`]
/// texts whose longest is at most [`MAX_PAD_RATIO`] times the shortest:
/// every row of a batch costs as much as its longest, so one sentence in
/// a batch of single words would make each word cost a sentence.
fn batches(order: &[usize], len: impl Fn(usize) -> usize) -> Vec<&[usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in 1..=order.len() {
        let full = end - start == BATCH;
        let uneven = end < order.len() && len(order[end]) > len(order[start]) * MAX_PAD_RATIO;
        if end == order.len() || full || uneven {
            out.push(&order[start..end]);
            start = end;
        }
    }
    out
}

/// See [`batches`].
const MAX_PAD_RATIO: usize = 2;

#[cfg(test)]
mod tests {
    #[test]
    fn batches_keep_lengths_alike() {
        let lens = [3, 3, 4, 9, 10, 12, 30];
        let order: Vec<usize> = (0..lens.len()).collect();
        let got = super::batches(&order, |i| lens[i]);
        assert_eq!(got, vec![&[0, 1, 2][..], &[3, 4, 5], &[6]]);
        let many: Vec<usize> = (0..70).collect();
        let got = super::batches(&many, |_| 5);
        assert_eq!(
            got.iter().map(|b| b.len()).collect::<Vec<_>>(),
            vec![32, 32, 6]
        );
        assert!(super::batches(&[], |_| 1).is_empty());
    }

    use super::*;

    #[test]
    fn packing_fills_short_rows_and_keeps_texts_apart() {
        // Everything fits the limit: one row, longest first.
        let packing = Packing::side_by_side(&[3, 4, 2, 5, 1], 15);
        assert_eq!(packing.rows, vec![vec![3, 1, 0, 2, 4]]);
        // It does not: rows as long as the longest text, first fit.
        let packing = Packing::side_by_side(&[3, 4, 2, 5, 1], 9);
        assert_eq!(packing.rows, vec![vec![3], vec![1, 4], vec![0, 2]]);
        assert!(Packing::side_by_side(&[], 9).rows.is_empty());
        let texts = vec![vec![9, 10, 11], vec![7], vec![8]];
        let packing = Packing::side_by_side(&[3, 1, 1], 4);
        assert_eq!(packing.rows, vec![vec![0], vec![1, 2]]);
        let laid = packing.lay_out(&texts, &Device::Cpu).expect("lays out");
        let ids = laid.ids.to_vec2::<u32>().expect("ids");
        assert_eq!(ids, vec![vec![9, 10, 11], vec![7, 8, 0]]);
        let positions = laid.positions.to_vec2::<u32>().expect("positions");
        assert_eq!(positions, vec![vec![0, 1, 2], vec![0, 0, 0]]);
        let mask = laid
            .mask
            .squeeze(1)
            .expect("squeeze")
            .to_vec3::<f32>()
            .expect("mask");
        let open = |r: usize, q: usize, k: usize| mask[r][q][k] == 0.0;
        // Row 0 is one text; in row 1 tokens 0 and 1 are two texts.
        assert!(open(0, 0, 2) && open(0, 2, 0));
        assert!(open(1, 0, 0) && open(1, 1, 1) && !open(1, 0, 1) && !open(1, 1, 0));
        // Padding attends to itself only.
        assert!(open(1, 2, 2) && !open(1, 2, 0) && !open(1, 0, 2));
        let pool = laid.pool.to_vec3::<f32>().expect("pool");
        assert_eq!(pool[0][0], vec![1.0 / 3.0; 3]);
        assert_eq!(pool[0][1], vec![0.0; 3], "row 0 holds one text");
        assert_eq!(pool[1][0], vec![1.0, 0.0, 0.0]);
        assert_eq!(pool[1][1], vec![0.0, 1.0, 0.0]);
    }

    #[test]
    fn missing_folder_and_files_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = Encoder::from_dir(&dir.path().join("nope")).expect_err("no folder");
        assert!(err.to_string().contains("no such model folder"), "{err}");
        let err = Encoder::from_dir(dir.path()).expect_err("empty folder");
        assert!(err.to_string().contains("config.json: missing"), "{err}");
    }

    #[test]
    fn broken_files_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config.json"), EMBEDDED_CONFIG).expect("write");
        std::fs::write(dir.path().join("tokenizer.json"), b"{not json").expect("write");
        std::fs::write(dir.path().join("model.safetensors"), b"junk").expect("write");
        let err = Encoder::from_dir(dir.path()).expect_err("bad tokenizer");
        assert!(
            err.to_string()
                .contains("tokenizer.json: is not a Hugging Face tokenizer"),
            "{err}"
        );
        std::fs::write(dir.path().join("tokenizer.json"), EMBEDDED_TOKENIZER).expect("write");
        let err = Encoder::from_dir(dir.path()).expect_err("bad weights");
        assert!(
            err.to_string()
                .contains("model.safetensors: is not a safetensors file"),
            "{err}"
        );
        std::fs::write(dir.path().join("config.json"), b"{}").expect("write");
        let err = Encoder::from_dir(dir.path()).expect_err("bad config");
        assert!(
            err.to_string()
                .contains("config.json: is not a BERT model configuration"),
            "{err}"
        );
    }
}
