//! The scoring formula: how well an entry covers a question.
//!
//! The score of an entry is its best phrasing's: the weight of the
//! question's terms the phrasing covers, over the weight of all the
//! question's terms (plus a small prior against questions that say little)
//! and the weight of the phrasing's terms the question lacks. Terms found
//! elsewhere in the entry count half; corrected typos count less.
//!
//! Ranking touches only entries that share one of the question's rarer
//! terms: the terms are walked rarest first, each entry holding one is
//! scored exactly, and walking stops once the terms left could not lift an
//! unseen entry to the cut-off, so skipping them changes no result. This is
//! what keeps a 100,000-entry FAQ fast when a question contains "take" or
//! "daily", which thousands of entries share.

use std::cell::RefCell;

use super::Scored;
use super::index::Index;

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
/// The shares the index precomputes as weights ([`super::index::Builder::build`]).
pub const SHARES: super::index::Shares = super::index::Shares {
    missing_floor: MISSING_FLOOR,
    evidence_prior: EVIDENCE_PRIOR,
};
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

thread_local! {
    /// Per-thread "already scored" marks, one per entry, reused across
    /// questions so that ranking allocates nothing proportional to the FAQ.
    static SEEN: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
}

impl Index {
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
