//! The inverted index: terms, their weights, and which entries and
//! phrasings hold them. Built once per content version and shared
//! read-only; the formula that turns it into scores is in
//! [`super::scoring`].
//!
//! A term's weight is its inverse document frequency over entries, so
//! words that tell entries apart count and words every entry shares barely
//! do. Terms seen only in answers count as a fraction of an entry: known to
//! the FAQ, but not what it is about.

use std::ops::Range;

/// Document frequency given to terms the FAQ has never seen: rarer than
/// anything it knows, so they weigh the most.
const UNKNOWN_DF: f32 = 0.25;
/// Unknown words weigh this many times the rarest known word: a word the
/// FAQ has never seen is the strongest sign the question is about
/// something else.
const UNKNOWN_FACTOR: f32 = 1.5;
/// Terms seen only in answers count as this fraction of an entry for
/// document frequency: known to the FAQ, but not what it is about.
const ANSWER_DF: f32 = 0.25;
#[derive(Debug)]
pub(super) struct Phrasing {
    /// Position among the entry's phrasings.
    pub(super) local: u32,
    /// Sum of the phrasing's term weights (each at least the floor).
    pub(super) weight: f32,
    /// Sorted term ids.
    pub(super) terms: Box<[u32]>,
}

/// What the index is built from: per entry, the term ids of each phrasing
/// and of the answer.
#[derive(Debug, Default)]
pub struct Builder {
    terms: rustc_hash::FxHashMap<String, u32>,
    entries: Vec<(Vec<Vec<u32>>, Vec<u32>)>,
}

impl Builder {
    pub fn intern(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.terms.get(stem) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.insert(stem.to_string(), id);
        id
    }

    /// Interned terms, in id order.
    pub fn terms_in_order(&self) -> Vec<String> {
        let mut terms = vec![String::new(); self.terms.len()];
        for (term, &id) in &self.terms {
            terms[id as usize] = term.clone();
        }
        terms
    }

    pub fn add_entry(&mut self, phrasings: Vec<Vec<u32>>, answer: Vec<u32>) {
        self.entries.push((phrasings, answer));
    }

    /// The index, with the scoring's `shares` turned into weights for this
    /// FAQ (they are shares of the rarest term's weight, which grows with
    /// the number of entries). The scoring module owns the formula and its
    /// constants; the index only precomputes what they need.
    pub fn build(self, shares: Shares) -> Index {
        let n_terms = self.terms.len();
        let n_entries = self.entries.len();
        let mut df = vec![0.0_f32; n_terms];
        let mut entry_postings: Vec<Vec<u32>> = vec![Vec::new(); n_terms];
        let mut entry_terms = Vec::with_capacity(n_entries);
        let mut all_phrasing_terms = Vec::new();
        let mut entry_phrasings = Vec::with_capacity(n_entries);
        for (e, (phrasings, answer)) in self.entries.into_iter().enumerate() {
            let mut in_phrasings: Vec<u32> = phrasings.iter().flatten().copied().collect();
            in_phrasings.sort_unstable();
            in_phrasings.dedup();
            let mut everything = in_phrasings.clone();
            for &t in &in_phrasings {
                df[t as usize] += 1.0;
            }
            for t in answer {
                if in_phrasings.binary_search(&t).is_err() && !everything.contains(&t) {
                    df[t as usize] += ANSWER_DF;
                    everything.push(t);
                }
            }
            everything.sort_unstable();
            for &t in &everything {
                entry_postings[t as usize].push(e as u32);
            }
            entry_terms.push(everything.into_boxed_slice());
            let start = all_phrasing_terms.len() as u32;
            for (local, mut ids) in phrasings.into_iter().enumerate() {
                ids.sort_unstable();
                ids.dedup();
                all_phrasing_terms.push((local as u32, ids));
            }
            entry_phrasings.push(start..all_phrasing_terms.len() as u32);
        }
        let n = n_entries.max(1) as f32;
        let idf = |df: f32| (1.0 + n / df.max(UNKNOWN_DF)).ln();
        let weights: Vec<f32> = df.iter().map(|&d| idf(d)).collect();
        let rarest = idf(UNKNOWN_DF);
        let floor = shares.missing_floor * rarest;
        let phrasings = all_phrasing_terms
            .into_iter()
            .map(|(local, ids)| Phrasing {
                local,
                weight: ids.iter().map(|&t| weights[t as usize].max(floor)).sum(),
                terms: ids.into_boxed_slice(),
            })
            .collect();
        Index {
            terms: self.terms,
            weights,
            unknown_weight: rarest * UNKNOWN_FACTOR,
            floor,
            prior: shares.evidence_prior * rarest,
            phrasings,
            entry_phrasings,
            entry_terms,
            entry_postings: entry_postings
                .into_iter()
                .map(Vec::into_boxed_slice)
                .collect(),
        }
    }
}

/// What the scoring formula needs precomputed, as shares of the rarest
/// term's weight (see `scoring::SHARES`).
#[derive(Debug, Clone, Copy)]
pub struct Shares {
    /// Phrasing terms the question lacks weigh at least this much.
    pub missing_floor: f32,
    /// Added to every question's total weight.
    pub evidence_prior: f32,
}

/// An index over one FAQ's content, built once and shared read-only.
#[derive(Debug)]
pub struct Index {
    pub(super) terms: rustc_hash::FxHashMap<String, u32>,
    pub(super) weights: Vec<f32>,
    pub(super) unknown_weight: f32,
    /// The scoring's shares ([`Shares`]) as weights for this FAQ.
    pub(super) floor: f32,
    pub(super) prior: f32,
    pub(super) phrasings: Vec<Phrasing>,
    /// entry -> its phrasings (contiguous).
    pub(super) entry_phrasings: Vec<Range<u32>>,
    /// entry -> sorted ids of every term in its phrasings and answer.
    pub(super) entry_terms: Vec<Box<[u32]>>,
    /// term -> entries containing it anywhere.
    pub(super) entry_postings: Vec<Box<[u32]>>,
}

impl Index {
    pub fn term_id(&self, stem: &str) -> Option<u32> {
        self.terms.get(stem).copied()
    }

    pub fn weight(&self, id: Option<u32>) -> f32 {
        id.map_or(self.unknown_weight, |id| self.weights[id as usize])
    }

    /// Whether any phrasing of entry `e` contains the term.
    pub fn phrasings_contain(&self, e: usize, id: u32) -> bool {
        self.entry_phrasings.get(e).is_some_and(|range| {
            range
                .clone()
                .any(|p| self.phrasings[p as usize].terms.binary_search(&id).is_ok())
        })
    }

    pub fn entries(&self) -> usize {
        self.entry_phrasings.len()
    }
}
