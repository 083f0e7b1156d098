//! Text to token ids, as a model folder's `tokenizer.json` says.
//!
//! The `tokenizers` crate reads every part of that file (normaliser,
//! pre-tokenizer, post-processor). For a SentencePiece Unigram vocabulary
//! its own model is costly in memory: multilingual-e5-small's 250,002
//! pieces become a byte trie with a hash map in every node, about 285 MB
//! (measured), more than the model's weights. So a Unigram vocabulary is
//! run by [`LeanUnigram`] instead, inside the crate's own pipeline: the
//! same Viterbi search over the pieces' scores (the crate's
//! `encode_optimized`, ties and unknown characters alike), with the pieces
//! in one hash map (about 20 MB). Tests check both give the same ids.
//! Every other kind of vocabulary (all-MiniLM-L6-v2's WordPiece) is run by
//! the crate as it is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::Deserialize;
use tokenizers::models::unigram::UnigramTrainer;
use tokenizers::{
    DecoderWrapper, Model, NormalizerWrapper, PostProcessorWrapper, PreTokenizerWrapper, Token,
    Tokenizer, TokenizerBuilder, TokenizerImpl, TruncationParams,
};

/// How much less than the least likely piece an unknown character scores
/// (the crate's and SentencePiece's `kUnkPenalty`).
const UNKNOWN_PENALTY: f64 = 10.0;

/// A tokenizer read from a `tokenizer.json`.
#[derive(Clone)]
pub enum TextTokenizer {
    /// Run by the `tokenizers` crate as it is.
    Crate(Box<Tokenizer>),
    /// The crate's pipeline around [`LeanUnigram`].
    Lean(Box<LeanTokenizer>),
}

type LeanTokenizer = TokenizerImpl<
    LeanUnigram,
    NormalizerWrapper,
    PreTokenizerWrapper,
    PostProcessorWrapper,
    DecoderWrapper,
>;

/// The parts of a `tokenizer.json` a Unigram vocabulary is run with.
#[derive(Deserialize)]
struct File {
    normalizer: Option<NormalizerWrapper>,
    pre_tokenizer: Option<PreTokenizerWrapper>,
    post_processor: Option<PostProcessorWrapper>,
    decoder: Option<DecoderWrapper>,
    model: ModelFile,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum ModelFile {
    Unigram {
        vocab: Vec<(String, f64)>,
        unk_id: Option<usize>,
        #[serde(default)]
        byte_fallback: bool,
    },
    #[serde(other)]
    Other,
}

impl TextTokenizer {
    /// Reads a `tokenizer.json`; the error says what is wrong with it.
    pub fn from_bytes(bytes: &[u8]) -> Result<TextTokenizer, String> {
        // A file whose parts this reading does not know is left to the
        // crate, which reads every kind (and words its own errors).
        if let Ok(File {
            normalizer,
            pre_tokenizer,
            post_processor,
            decoder,
            model:
                ModelFile::Unigram {
                    vocab,
                    unk_id,
                    byte_fallback: false,
                },
        }) = serde_json::from_slice::<File>(bytes)
        {
            let model = LeanUnigram::new(vocab, unk_id)?;
            let tokenizer = TokenizerBuilder::new()
                .with_model(model)
                .with_normalizer(normalizer)
                .with_pre_tokenizer(pre_tokenizer)
                .with_post_processor(post_processor)
                .with_decoder(decoder)
                .build()
                .map_err(|err| err.to_string())?;
            return Ok(TextTokenizer::Lean(Box::new(tokenizer)));
        }
        Tokenizer::from_bytes(bytes)
            .map(|t| TextTokenizer::Crate(Box::new(t)))
            .map_err(|err| err.to_string())
    }

    /// No padding (batches pad themselves), at most `max_length` tokens.
    pub fn set_limits(&mut self, max_length: usize) -> Result<(), String> {
        let truncation = Some(TruncationParams {
            max_length,
            ..Default::default()
        });
        match self {
            TextTokenizer::Crate(t) => {
                t.with_padding(None);
                t.with_truncation(truncation).map(|_| ())
            }
            TextTokenizer::Lean(t) => {
                t.with_padding(None);
                t.with_truncation(truncation).map(|_| ())
            }
        }
        .map_err(|err| err.to_string())
    }

    /// The ids of `text`, special tokens included.
    pub fn ids(&self, text: &str) -> Result<Vec<u32>, String> {
        match self {
            TextTokenizer::Crate(t) => t.encode(text, true),
            TextTokenizer::Lean(t) => t.encode(text, true),
        }
        .map(|encoding| encoding.get_ids().to_vec())
        .map_err(|err| err.to_string())
    }
}

/// A SentencePiece Unigram vocabulary: pieces and their log-probabilities,
/// searched for the likeliest split of each word.
#[derive(Clone)]
pub struct LeanUnigram {
    ids: FxHashMap<Box<str>, u32>,
    scores: Vec<f64>,
    unknown: Option<u32>,
    unknown_score: f64,
    /// Longest piece, in bytes.
    longest: usize,
}

impl LeanUnigram {
    fn new(vocab: Vec<(String, f64)>, unknown: Option<usize>) -> Result<LeanUnigram, String> {
        if vocab.is_empty() {
            return Err("the Unigram vocabulary is empty".to_string());
        }
        if unknown.is_some_and(|u| u >= vocab.len()) {
            return Err("the Unigram model's unk_id is outside its vocabulary".to_string());
        }
        let min = vocab.iter().map(|(_, s)| *s).fold(f64::INFINITY, f64::min);
        let mut ids = FxHashMap::default();
        ids.reserve(vocab.len());
        let mut scores = Vec::with_capacity(vocab.len());
        let mut longest = 1;
        for (i, (piece, score)) in vocab.into_iter().enumerate() {
            longest = longest.max(piece.len());
            // The first of two equal pieces keeps its id, as in the crate.
            ids.entry(piece.into_boxed_str()).or_insert(i as u32);
            scores.push(score);
        }
        Ok(LeanUnigram {
            ids,
            scores,
            unknown: unknown.map(|u| u as u32),
            unknown_score: min - UNKNOWN_PENALTY,
            longest,
        })
    }

    /// The likeliest pieces of `word` (byte ranges and ids), runs of
    /// unknown characters fused into one unknown piece.
    fn split(&self, word: &str) -> Result<Vec<(usize, usize, u32)>, String> {
        #[derive(Clone, Copy)]
        struct Best {
            score: f64,
            from: usize,
            id: u32,
            set: bool,
        }
        let size = word.len();
        let mut best = vec![
            Best {
                score: 0.0,
                from: 0,
                id: 0,
                set: false,
            };
            size + 1
        ];
        for (start, c) in word.char_indices() {
            let here = best[start].score;
            let one = c.len_utf8();
            let mut single = false;
            let mut end = start;
            for c in word[start..].chars() {
                end += c.len_utf8();
                if end - start > self.longest {
                    break;
                }
                if let Some(&id) = self.ids.get(&word[start..end]) {
                    let score = here + self.scores[id as usize];
                    let node = &mut best[end];
                    if !node.set || score > node.score {
                        *node = Best {
                            score,
                            from: start,
                            id,
                            set: true,
                        };
                    }
                    single |= end - start == one;
                }
            }
            if !single {
                let unknown = self
                    .unknown
                    .ok_or("a character is not in the vocabulary, which has no unk_id")?;
                let score = here + self.unknown_score;
                let node = &mut best[start + one];
                if !node.set || score > node.score {
                    *node = Best {
                        score,
                        from: start,
                        id: unknown,
                        set: true,
                    };
                }
            }
        }
        let mut pieces = Vec::new();
        let mut end = size;
        while end > 0 {
            let node = best[end];
            let fused = node.id == self.unknown.unwrap_or(u32::MAX)
                && pieces
                    .last()
                    .is_some_and(|&(_, _, id)| Some(id) == self.unknown);
            match pieces.last_mut() {
                Some((from, _, _)) if fused => *from = node.from,
                _ => pieces.push((node.from, end, node.id)),
            }
            end = node.from;
        }
        pieces.reverse();
        Ok(pieces)
    }
}

impl Model for LeanUnigram {
    // Never trained here; the trait asks for a trainer type.
    type Trainer = UnigramTrainer;

    fn tokenize(&self, sequence: &str) -> tokenizers::Result<Vec<Token>> {
        Ok(self
            .split(sequence)?
            .into_iter()
            .map(|(from, to, id)| Token::new(id, sequence[from..to].to_string(), (from, to)))
            .collect())
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        self.ids
            .iter()
            .find(|(_, i)| **i == id)
            .map(|(piece, _)| piece.to_string())
    }

    fn get_vocab(&self) -> HashMap<String, u32> {
        self.ids.iter().map(|(p, i)| (p.to_string(), *i)).collect()
    }

    fn get_vocab_size(&self) -> usize {
        self.scores.len()
    }

    fn save(&self, _folder: &Path, _prefix: Option<&str>) -> tokenizers::Result<Vec<PathBuf>> {
        Err("faqbot does not write tokenizers".into())
    }

    fn get_trainer(&self) -> UnigramTrainer {
        UnigramTrainer::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> LeanUnigram {
        let vocab = [
            ("<unk>", 0.0),
            ("▁a", -1.0),
            ("b", -2.0),
            ("▁ab", -2.5),
            ("c", -3.0),
        ];
        LeanUnigram::new(
            vocab.iter().map(|(p, s)| (p.to_string(), *s)).collect(),
            Some(0),
        )
        .expect("vocabulary")
    }

    #[test]
    fn the_likeliest_split_wins() {
        let m = model();
        // "▁ab" (-2.5) beats "▁a" + "b" (-3.0).
        let ids: Vec<u32> = m.split("▁ab").expect("split").iter().map(|p| p.2).collect();
        assert_eq!(ids, vec![3]);
        let ids: Vec<u32> = m
            .split("▁abc")
            .expect("split")
            .iter()
            .map(|p| p.2)
            .collect();
        assert_eq!(ids, vec![3, 4]);
    }

    #[test]
    fn unknown_characters_fuse_into_one_piece() {
        let pieces = model().split("▁axyc").expect("split");
        assert_eq!(pieces, vec![(0, 4, 1), (4, 6, 0), (6, 7, 4)]);
    }

    #[test]
    fn matches_the_crate_on_a_unigram_file() {
        let json = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
            "normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"query: "},{"type":"NFKC"}]},
            "pre_tokenizer":{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true},
            "post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"</s>","type_id":0}}],
              "pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],
              "special_tokens":{"<s>":{"id":"<s>","ids":[0],"tokens":["<s>"]},"</s>":{"id":"</s>","ids":[2],"tokens":["</s>"]}}},
            "decoder":null,
            "model":{"type":"Unigram","unk_id":1,"vocab":[["<s>",0.0],["<unk>",0.0],["</s>",0.0],["▁query",-2.0],[":",-3.0],["▁mag",-4.0],["nesium",-4.5],["▁magnesium",-8.0],["▁",-3.5],["m",-6.0],["a",-6.0],["g",-6.0]]}}"#;
        let lean = TextTokenizer::from_bytes(json.as_bytes()).expect("reads");
        assert!(matches!(lean, TextTokenizer::Lean(_)));
        let full = Tokenizer::from_bytes(json.as_bytes()).expect("crate reads");
        for text in ["magnesium", "mag  mag", "magnesium ¿x?", ""] {
            let want = full.encode(text, true).expect("encodes").get_ids().to_vec();
            assert_eq!(lean.ids(text).expect("encodes"), want, "{text:?}");
        }
    }

    #[test]
    fn other_vocabularies_are_left_to_the_crate() {
        let bytes = include_bytes!("../../models/all-minilm-l6-v2/tokenizer.json");
        let t = TextTokenizer::from_bytes(bytes).expect("reads");
        assert!(matches!(t, TextTokenizer::Crate(_)));
        assert!(TextTokenizer::from_bytes(b"{not json").is_err());
    }
}
