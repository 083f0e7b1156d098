//! What tuning learned, as low-rank changes to the model's weights (LoRA).
//!
//! `faqbot tune` does not rewrite the sentence model's 22 million weights:
//! it learns, for some of its linear layers, two thin matrices `A` (rank ×
//! inputs) and `B` (outputs × rank) whose product is added to the layer's
//! weight. Stored as f16 they take a few hundred kilobytes beside the
//! FAQ, so a retune adds that much to the repository, not the model's
//! 45 MB. At load the products are added into the weights once, so a
//! tuned model costs exactly as much per question as the untuned one.
//!
//! The file is safetensors: for each tuned weight `W` of the base model,
//! `W.lora_a` and `W.lora_b` (B already multiplied by the scale training
//! used).

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor};

/// Suffixes of the two matrices of one tuned weight.
const A: &str = ".lora_a";
const B: &str = ".lora_b";

/// Low-rank changes to named weights of a base model.
#[derive(Clone)]
pub struct Lora {
    /// Base weight name -> (A: rank × in, B: out × rank), as f32.
    deltas: Vec<(String, Tensor, Tensor)>,
    /// Digest of the file's bytes: equal checksums, equal tuning.
    checksum: u64,
}

impl std::fmt::Debug for Lora {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lora")
            .field("weights", &self.deltas.len())
            .field("checksum", &format_args!("{:016x}", self.checksum))
            .finish()
    }
}

impl Lora {
    /// Reads a tuning file's bytes; the message says what is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Result<Lora, String> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|err| format!("is not a safetensors file: {err}"))?;
        let mut deltas = Vec::new();
        for (name, a) in &tensors {
            let Some(weight) = name.strip_suffix(A) else {
                if !name.ends_with(B) {
                    return Err(format!("holds {name}, which is not a tuned weight"));
                }
                continue;
            };
            let b = tensors
                .get(&format!("{weight}{B}"))
                .ok_or_else(|| format!("has {name} but not {weight}{B}"))?;
            let (a, b) = (widen(a)?, widen(b)?);
            match (a.dims(), b.dims()) {
                (&[rank, _], &[_, rank_b]) if rank == rank_b => {}
                (da, db) => {
                    return Err(format!(
                        "{weight}: the shapes {da:?} and {db:?} do not multiply"
                    ));
                }
            }
            deltas.push((weight.to_string(), a, b));
        }
        for name in tensors.keys() {
            if let Some(weight) = name.strip_suffix(B)
                && !tensors.contains_key(&format!("{weight}{A}"))
            {
                return Err(format!("has {name} but not {weight}{A}"));
            }
        }
        deltas.sort_by(|x, y| x.0.cmp(&y.0));
        Ok(Lora {
            deltas,
            checksum: crate::digest::fnv1a(bytes),
        })
    }

    /// Builds a tuning from trained matrices (B already scaled).
    pub fn from_parts(mut deltas: Vec<(String, Tensor, Tensor)>) -> Result<Lora, String> {
        deltas.sort_by(|x, y| x.0.cmp(&y.0));
        let bytes = Lora::encode(&deltas)?;
        Lora::from_bytes(&bytes)
    }

    /// The file's bytes: every matrix as f16, in name order (so equal
    /// weights give equal bytes).
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        Lora::encode(&self.deltas)
    }

    fn encode(deltas: &[(String, Tensor, Tensor)]) -> Result<Vec<u8>, String> {
        let mut map = HashMap::new();
        for (name, a, b) in deltas {
            let half = |t: &Tensor| t.to_dtype(DType::F16).map_err(|e| e.to_string());
            map.insert(format!("{name}{A}"), half(a)?);
            map.insert(format!("{name}{B}"), half(b)?);
        }
        // safetensors orders tensors by name, so equal weights give equal
        // bytes. candle writes safetensors to a path only: through a temporary
        // file, read back at once.
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("lora.safetensors");
        candle_core::safetensors::save(&map, &path).map_err(|e| e.to_string())?;
        std::fs::read(&path).map_err(|e| e.to_string())
    }

    pub fn checksum(&self) -> u64 {
        self.checksum
    }

    /// How many numbers the tuning holds.
    pub fn parameters(&self) -> usize {
        self.deltas
            .iter()
            .map(|(_, a, b)| a.elem_count() + b.elem_count())
            .sum()
    }

    /// Adds each `B·A` to its base weight in `tensors` (f32, `[out, in]`).
    /// A weight the base model lacks, or of another shape, is an error:
    /// the tuning was made for another model.
    pub fn apply(&self, tensors: &mut HashMap<String, Tensor>) -> Result<(), String> {
        for (name, a, b) in &self.deltas {
            let weight = tensors
                .get(name)
                .ok_or_else(|| format!("tunes {name}, which this model does not have"))?;
            let delta = b.matmul(a).map_err(|e| e.to_string())?;
            if delta.dims() != weight.dims() {
                return Err(format!(
                    "tunes {name} as {:?}, but this model's is {:?}",
                    delta.dims(),
                    weight.dims()
                ));
            }
            let tuned = (weight + delta).map_err(|e| e.to_string())?;
            // The same memory layout as the base weights (see
            // `encoder::lay_out_for_cpu`).
            let tuned = tuned
                .t()
                .and_then(|t| t.contiguous())
                .and_then(|t| t.t())
                .map_err(|e| e.to_string())?;
            tensors.insert(name.clone(), tuned);
        }
        Ok(())
    }
}

fn widen(t: &Tensor) -> Result<Tensor, String> {
    t.to_dtype(DType::F32).map_err(|e| e.to_string())
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
