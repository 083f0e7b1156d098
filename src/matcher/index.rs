//! The inverted index and the scoring formula.
//!
//! Scoring a question touches only entries that share one of its rarer
//! terms: before looking at postings, the question's terms are split into
//! the rare ones (walked through postings) and the common rest (checked by
//! binary search on the few candidates). The split is chosen so that an
//! entry containing none of the rare terms could not reach [`MIN_SCORE`]
//! even if it contained all the others, so skipping it changes no result.
//! This is what keeps a 100,000-entry FAQ fast when a question contains
//! "take" or "daily", which thousands of entries share.

use std::cell::RefCell;
use std::ops::Range;

use super::Scored;

/// Credit for a question term found in the entry but not in the phrasing.
pub const ELSEWHERE_CREDIT: f32 = 0.5;
/// Penalty share for phrasing terms the question does not contain.
pub const MISSING_PENALTY: f32 = 1.0;
/// Phrasing terms the question lacks weigh at least this share of the
/// rarest term's weight: the FAQ's subject words ("magnesium") are frequent
/// in the FAQ, so their IDF is low, but a question about "iron" instead of
/// "magnesium" is a different question.
pub const MISSING_FLOOR: f32 = 0.39;
/// This share of the rarest term's weight is added to every question's
/// total: a prior against confident answers to questions that say little
/// ("what time is it"). Both are shares, not absolute weights, because IDF
/// grows with the number of entries.
pub const EVIDENCE_PRIOR: f32 = 0.19;
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
/// Entries scoring below this are never returned, not even as suggestions.
pub const MIN_SCORE: f32 = 0.2;

/// A question term, resolved against the index.
#[derive(Debug, Clone, Copy)]
pub struct QueryTerm {
    /// None for a term the FAQ has never seen.
    pub id: Option<u32>,
    /// Whole digits ("500"): unknown numbers weigh half an unknown word.
    pub numeric: bool,
    /// Below 1 for corrected typos and completed words.
    pub confidence: f32,
}

#[derive(Debug)]
struct Phrasing {
    /// Position among the entry's phrasings.
    local: u32,
    /// Sum of the phrasing's term weights (each at least the floor).
    weight: f32,
    /// Sorted term ids.
    terms: Box<[u32]>,
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

    pub fn build(self) -> Index {
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
        let floor = MISSING_FLOOR * rarest;
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
            prior: EVIDENCE_PRIOR * rarest,
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

/// An index over one FAQ's content, built once and shared read-only.
#[derive(Debug)]
pub struct Index {
    terms: rustc_hash::FxHashMap<String, u32>,
    weights: Vec<f32>,
    unknown_weight: f32,
    /// MISSING_FLOOR and EVIDENCE_PRIOR as weights for this FAQ.
    floor: f32,
    prior: f32,
    phrasings: Vec<Phrasing>,
    /// entry -> its phrasings (contiguous).
    entry_phrasings: Vec<Range<u32>>,
    /// entry -> sorted ids of every term in its phrasings and answer.
    entry_terms: Vec<Box<[u32]>>,
    /// term -> entries containing it anywhere.
    entry_postings: Vec<Box<[u32]>>,
}

thread_local! {
    /// Per-thread "already scored" marks, one per entry, reused across
    /// questions so that ranking allocates nothing proportional to the FAQ.
    static SEEN: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
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

    /// Entries scoring at least [`MIN_SCORE`] and at least `ratio` times
    /// the best score, best first.
    ///
    /// Terms are walked rarest first; each entry containing a walked term
    /// is scored exactly. After each term the cut-off rises to `ratio` times
    /// the best score so far, and walking stops once the terms not yet
    /// walked could not, even all together, lift an unseen entry to the
    /// cut-off. The result is the same as scoring every entry.
    pub fn rank(&self, query: &[QueryTerm], ratio: f32) -> Vec<Scored> {
        let mut total = self.prior;
        let mut known: Vec<Known> = Vec::with_capacity(query.len());
        for term in query {
            match term.id {
                Some(id) => {
                    let weight = self.weights[id as usize];
                    total += weight;
                    if !known.iter().any(|k| k.id == id) {
                        known.push(Known {
                            id,
                            weight,
                            credit: weight * term.confidence,
                        });
                    }
                }
                None if term.numeric => total += self.unknown_weight / 2.0,
                None => total += self.unknown_weight,
            }
        }
        known.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
        // rest[i]: the most an entry containing none of known[..i] can reach.
        let mut rest = vec![0.0_f32; known.len() + 1];
        for i in (0..known.len()).rev() {
            rest[i] = rest[i + 1] + known[i].credit / total;
        }
        SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            if seen.len() < self.entries() {
                seen.resize(self.entries(), false);
            }
            let mut touched: Vec<u32> = Vec::new();
            let mut ranked: Vec<Scored> = Vec::new();
            let mut cutoff = MIN_SCORE;
            for (walked, term) in known.iter().enumerate() {
                if rest[walked] < cutoff {
                    break;
                }
                for &e in self.entry_postings[term.id as usize].iter() {
                    if std::mem::replace(&mut seen[e as usize], true) {
                        continue;
                    }
                    touched.push(e);
                    if let Some(scored) = self.score_entry(e, &known, total, cutoff)
                        && scored.score >= cutoff
                    {
                        cutoff = cutoff.max(scored.score * ratio);
                        ranked.push(scored);
                    }
                }
            }
            for e in touched {
                seen[e as usize] = false;
            }
            ranked.retain(|s| s.score >= cutoff);
            ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
            ranked
        })
    }

    /// The entry's score: its best phrasing's.
    /// The entry's score (its best phrasing's), or None when it cannot
    /// reach `cutoff`.
    fn score_entry(&self, e: u32, known: &[Known], total: f32, cutoff: f32) -> Option<Scored> {
        let entry_terms = &self.entry_terms[e as usize];
        // The question's terms this entry has anywhere, on the stack: this
        // runs for every candidate entry.
        let mut present = [Known::default(); MAX_TERMS];
        let mut n = 0;
        for k in known.iter().take(MAX_TERMS) {
            if entry_terms.binary_search(&k.id).is_ok() {
                present[n] = *k;
                n += 1;
            }
        }
        let present = &present[..n];
        let anywhere: f32 = present.iter().map(|k| k.credit).sum();
        // No phrasing can do better than covering all of them.
        if anywhere / total < cutoff {
            return None;
        }
        let mut best: Option<(f32, u32)> = None;
        for p in self.entry_phrasings[e as usize].clone() {
            let phrasing = &self.phrasings[p as usize];
            let (mut covered, mut covered_raw) = (0.0_f32, 0.0_f32);
            for k in present {
                if phrasing.terms.binary_search(&k.id).is_ok() {
                    covered += k.credit;
                    covered_raw += k.weight.max(self.floor);
                }
            }
            if covered == 0.0 {
                continue;
            }
            let elsewhere = (anywhere - covered).max(0.0);
            let missing = (phrasing.weight - covered_raw).max(0.0);
            let score =
                (covered + ELSEWHERE_CREDIT * elsewhere) / (total + MISSING_PENALTY * missing);
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, phrasing.local));
            }
        }
        best.map(|(score, local)| Scored {
            entry: e as usize,
            score: score.clamp(0.0, 1.0),
            phrasing: local as usize,
        })
    }
}

/// Questions are cut to this many words before analysis, so they never
/// have more distinct terms.
const MAX_TERMS: usize = crate::analysis::analyzer::MAX_WORDS;

/// A known question term with its weight and its credit (weight times
/// confidence).
#[derive(Debug, Clone, Copy, Default)]
struct Known {
    id: u32,
    weight: f32,
    credit: f32,
}
