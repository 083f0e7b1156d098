//! The sentence stage: how close a question is in meaning to each entry.
//!
//! The lexical matcher ([`crate::matcher`]) sees words; this stage sees
//! meaning, so "how long till magnesium kicks in" finds "how long does it
//! take for magnesium to work" although they share one word. Every phrasing
//! (main question and alternates) is embedded once when content loads; a
//! question is embedded when it is asked, and an entry's similarity is that
//! of its closest phrasing. The decision what to do with the similarity is
//! not made here but in [`crate::engine`], together with the lexical score.
//!
//! Long messages are split into sentences and each is compared as well as
//! the whole, so a question inside a story is still found.

mod cache;
mod encoder;
mod tokens;
mod tuning;
mod words;

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

pub use cache::VectorCache;
pub use encoder::{Base, EMBEDDED_NAME, Encoder, MULTILINGUAL_NAME, ModelError, padded};
pub use tokens::TextTokenizer;
pub use tuning::{Lora, write_atomically};
pub use words::{Blocks, WordTable};

use crate::content::Faq;

/// The built-in model's weights, read once per process on first use
/// (about a tenth of a second), then shared by every engine and reload.
pub fn builtin_base() -> Result<Arc<Base>, ModelError> {
    static BUILTIN: OnceLock<Result<Arc<Base>, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| Base::embedded().map(Arc::new).map_err(|e| e.to_string()))
        .clone()
        .map_err(ModelError::Run)
}

/// The built-in multilingual model's weights, read once per process on
/// first use, like [`builtin_base`].
pub fn builtin_multilingual_base() -> Result<Arc<Base>, ModelError> {
    static BUILTIN: OnceLock<Result<Arc<Base>, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            Base::embedded_multilingual()
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(ModelError::Run)
}

/// The built-in model, untuned, shared like its weights.
pub fn builtin() -> Result<Arc<Encoder>, ModelError> {
    static BUILTIN: OnceLock<Result<Arc<Encoder>, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            builtin_base()
                .and_then(|base| Encoder::new(&base, None))
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(ModelError::Run)
}

/// Texts of a message compared with the phrasings: the whole message, and
/// when it has several sentences, each sentence of at least two words (at
/// most [`MAX_PARTS`] of them, so one message bounds its own cost). When
/// some sentences end in a question mark, only those are taken: in "His
/// doctor mentioned magnesium. When should he take it?" the question is
/// the second sentence, and the first would match the doctor entry.
pub fn parts(message: &str) -> Vec<&str> {
    parts_of(message, &crate::analysis::fold::sentences(message))
}

/// [`parts`] of `message` split into `sentences` already
/// ([`crate::analysis::fold::sentences`], as the engine's query holds them).
pub fn parts_of<'a>(message: &'a str, sentences: &[(&'a str, bool)]) -> Vec<&'a str> {
    let whole = message.trim();
    let mut parts = vec![whole];
    if sentences.len() > 1 {
        let questions = sentences.iter().filter(|(_, asks)| *asks).count();
        parts.extend(
            sentences
                .iter()
                .filter(|(_, asks)| *asks || questions == 0)
                .map(|(s, _)| *s)
                .take(MAX_PARTS),
        );
    }
    parts
}

/// Sentences of one message compared at most.
pub const MAX_PARTS: usize = 8;

/// The words of `text` as written, without the punctuation around them:
/// how a word is handed to the model to be weighed on its own.
pub fn written_words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// How close a question came to one entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Index into `Faq::entries`.
    pub entry: usize,
    /// Cosine similarity with the closest phrasing, -1..1 (in practice
    /// 0..1; unrelated texts score about 0.1).
    pub score: f32,
    /// Which phrasing was closest (0 is the main question).
    pub phrasing: usize,
    /// Which part of the message was closest (0 is the whole message).
    pub part: usize,
}

/// Every phrasing's vector, built once per content version.
#[derive(Debug)]
pub struct SemanticIndex {
    encoder: Arc<Encoder>,
    dim: usize,
    /// Phrasing vectors, one row each, entry by entry.
    vectors: Vec<f32>,
    /// Row -> (entry, phrasing within the entry).
    owners: Vec<(u32, u32)>,
    /// Phrasing text -> row, so a reload re-embeds only what changed.
    rows: FxHashMap<String, u32>,
    /// Entry -> its first row (its phrasings are contiguous).
    first_row: Vec<u32>,
    /// How many phrasings this build embedded (the rest were reused).
    embedded: usize,
    /// Words embedded alone, by their token ids (so "Iron" and "iron"
    /// are one word to a model that ignores case): see
    /// [`SemanticIndex::with_words`].
    words: FxHashMap<Vec<u32>, Vec<f32>>,
}

impl SemanticIndex {
    /// Embeds every phrasing of `faq`, reusing the vectors `previous` has
    /// for the same text and model (live reload).
    pub fn build(
        encoder: Arc<Encoder>,
        faq: &Faq,
        previous: Option<&SemanticIndex>,
    ) -> Result<SemanticIndex, ModelError> {
        let dim = encoder.dim();
        let reuse = previous.filter(|p| Arc::ptr_eq(&p.encoder, &encoder));
        let mut owners = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        let mut first_row = Vec::with_capacity(faq.entries.len());
        for (e, entry) in faq.entries.iter().enumerate() {
            first_row.push(owners.len() as u32);
            for (p, phrasing) in entry.phrasings().enumerate() {
                owners.push((e as u32, p as u32));
                texts.push(phrasing);
            }
        }
        let mut vectors = vec![0.0_f32; texts.len() * dim];
        let mut fresh: Vec<usize> = Vec::new();
        for (row, text) in texts.iter().enumerate() {
            match reuse.and_then(|p| p.vector_of(text)) {
                Some(v) => vectors[row * dim..(row + 1) * dim].copy_from_slice(v),
                None => fresh.push(row),
            }
        }
        let fresh_texts: Vec<&str> = fresh.iter().map(|&r| texts[r]).collect();
        for (row, v) in fresh.iter().zip(encoder.embed_all(&fresh_texts)?) {
            vectors[row * dim..(row + 1) * dim].copy_from_slice(&v);
        }
        let rows = texts
            .iter()
            .enumerate()
            .map(|(row, t)| (t.to_string(), row as u32))
            .collect();
        Ok(SemanticIndex {
            encoder,
            dim,
            vectors,
            owners,
            rows,
            first_row,
            embedded: fresh.len(),
            words: FxHashMap::default(),
        })
    }

    /// This index, holding the vectors of `words` embedded alone (those
    /// `previous` holds for the same model are reused). The engine weighs
    /// a message's words this way, each against the message; with the
    /// FAQ's own words at hand, a message's forward pass carries only the
    /// words the FAQ never uses.
    pub fn with_words(
        mut self,
        words: &[&str],
        previous: Option<&SemanticIndex>,
    ) -> Result<SemanticIndex, ModelError> {
        let reuse = previous.filter(|p| Arc::ptr_eq(&p.encoder, &self.encoder));
        let mut fresh: Vec<(Vec<u32>, &str)> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for word in words {
            let ids = self.encoder.token_ids(word)?;
            if !seen.insert(ids.clone()) {
                continue;
            }
            match reuse.and_then(|p| p.words.get(&ids)) {
                Some(v) => {
                    self.words.insert(ids, v.clone());
                }
                None => fresh.push((ids, word)),
            }
        }
        let texts: Vec<&str> = fresh.iter().map(|(_, w)| *w).collect();
        for ((ids, _), v) in fresh.into_iter().zip(self.encoder.embed_all(&texts)?) {
            self.words.insert(ids, v);
        }
        Ok(self)
    }

    /// The vector of `word` alone, if [`SemanticIndex::with_words`] was
    /// given it (or a word the model reads the same).
    pub fn word_vector(&self, word: &str) -> Option<&[f32]> {
        let ids = self.encoder.token_ids(word).ok()?;
        self.words.get(&ids).map(Vec::as_slice)
    }

    fn vector_of(&self, text: &str) -> Option<&[f32]> {
        let row = *self.rows.get(text)? as usize;
        Some(&self.vectors[row * self.dim..(row + 1) * self.dim])
    }

    pub fn encoder(&self) -> &Arc<Encoder> {
        &self.encoder
    }

    /// How many phrasings this build embedded anew (a reload reuses the
    /// vectors of unchanged phrasings): for the reload log.
    pub fn embedded(&self) -> usize {
        self.embedded
    }

    /// The vector of one phrasing of one entry.
    pub fn phrasing_vector(&self, entry: usize, phrasing: usize) -> Option<&[f32]> {
        let row = *self.first_row.get(entry)? as usize + phrasing;
        match self.owners.get(row) {
            Some(&(e, _)) if e as usize == entry => {
                Some(&self.vectors[row * self.dim..(row + 1) * self.dim])
            }
            _ => None,
        }
    }

    /// Embeds texts with this index's model: parts of a message (see
    /// [`parts`]), or words being weighed.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        self.encoder.embed(texts)
    }

    /// Each entry's best similarity over the message parts, best first.
    pub fn rank(&self, parts: &[Vec<f32>]) -> Vec<Similarity> {
        let mut best: Vec<Similarity> = (0..self.first_row.len())
            .map(|entry| Similarity {
                entry,
                score: -1.0,
                phrasing: 0,
                part: 0,
            })
            .collect();
        for (row, &(entry, phrasing)) in self.owners.iter().enumerate() {
            let v = &self.vectors[row * self.dim..(row + 1) * self.dim];
            for (part, q) in parts.iter().enumerate() {
                let score = dot(v, q);
                let slot = &mut best[entry as usize];
                if score > slot.score {
                    *slot = Similarity {
                        entry: entry as usize,
                        score,
                        phrasing: phrasing as usize,
                        part,
                    };
                }
            }
        }
        best.sort_by(|a, b| b.score.total_cmp(&a.score));
        best
    }

    /// The similarity of `vector` with the closest phrasing of any entry.
    pub fn closest(&self, vector: &[f32]) -> f32 {
        self.vectors
            .chunks(self.dim.max(1))
            .map(|v| dot(v, vector))
            .fold(-1.0, f32::max)
    }

    /// Pairs of phrasings of different entries that mean nearly the same
    /// (similarity at least `min`), closest first: for `faqbot check`.
    pub fn close_pairs(&self, min: f32) -> Vec<(usize, usize, usize, usize, f32)> {
        let mut pairs = Vec::new();
        for a in 0..self.owners.len() {
            let va = &self.vectors[a * self.dim..(a + 1) * self.dim];
            for b in a + 1..self.owners.len() {
                if self.owners[a].0 == self.owners[b].0 {
                    continue;
                }
                let score = dot(va, &self.vectors[b * self.dim..(b + 1) * self.dim]);
                if score >= min {
                    let (ea, pa) = self.owners[a];
                    let (eb, pb) = self.owners[b];
                    pairs.push((ea as usize, pa as usize, eb as usize, pb as usize, score));
                }
            }
        }
        pairs.sort_by(|x, y| y.4.total_cmp(&x.4));
        pairs
    }
}

/// Cosine similarity of two unit vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_the_whole_and_its_sentences() {
        assert_eq!(parts("  how much magnesium "), vec!["how much magnesium"]);
        let story = "My husband has RLS. He cant sleep at all! What helps";
        assert_eq!(
            parts(story),
            vec![
                story,
                "My husband has RLS",
                "He cant sleep at all",
                "What helps"
            ]
        );
        let asked = "His doctor mentioned magnesium. When should he take it? Thanks";
        assert_eq!(parts(asked), vec![asked, "When should he take it"]);
        let many = "one two. ".repeat(20);
        assert_eq!(parts(&many).len(), 1 + MAX_PARTS);
        assert_eq!(parts(""), vec![""]);
    }
}
