//! Finds the FAQ entry a question is asking about, or says none fits.
//!
//! The matcher knows nothing about Telegram. It compares a question with
//! every phrasing of every entry (main question and alternates) as bags of
//! weighted terms:
//!
//! - **Weights.** A term's weight is its inverse document frequency over
//!   entries, so words that tell entries apart ("citrate", "when", "kidney")
//!   count and words every entry shares ("magnesium") barely do.
//! - **Coverage.** The score is the weight of the question's terms the
//!   phrasing covers, over the weight of all the question's terms plus half
//!   the weight of the phrasing's terms the question lacks. Terms found
//!   elsewhere in the same entry (other phrasings, the answer) count half.
//! - **Honesty.** A term the FAQ has never seen ("potassium", "dogs") gets
//!   the highest weight and can never be covered, so a question about
//!   something new scores low and is refused instead of answered wrongly.
//! - **Typos.** Unknown words within a small edit distance of a known word
//!   are corrected first (see [`lexicon`]), with slightly less credit.
//!
//! Scores are in 0..1; below the curator-set threshold the question is
//! unmatched, and close runners-up are offered as suggestions.

pub mod analyzer;
pub mod lexicon;
mod stopwords;

use std::collections::HashMap;

pub use analyzer::Typing;
use analyzer::{Analyzer, Term};
use lexicon::Lexicon;

use crate::content::Faq;

/// Credit for a question term found in the entry but not in the phrasing.
const ELSEWHERE_CREDIT: f32 = 0.5;
/// Penalty share for phrasing terms the question does not contain.
const MISSING_PENALTY: f32 = 0.5;
/// Document frequency given to terms the FAQ has never seen: rarer than
/// anything it knows, so they weigh the most.
const UNKNOWN_DF: f32 = 0.25;
/// Terms seen only in answers count as this fraction of an entry for
/// document frequency: known to the FAQ, but not what it is about.
const ANSWER_DF: f32 = 0.25;
/// Runners-up within this fraction of the best score are suggested.
const SUGGEST_RATIO: f32 = 0.75;
/// Nothing below this is ever suggested.
const SUGGEST_FLOOR: f32 = 0.25;
/// At most this many suggestions.
const MAX_SUGGESTIONS: usize = 3;

/// An entry and how well the question matches it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Index into `Faq::entries`.
    pub entry: usize,
    pub score: f32,
}

/// The matcher's verdict on one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The best candidate, matched or not (None when nothing shares a word).
    pub best: Option<Scored>,
    /// Whether `best` is good enough to answer with.
    pub matched: bool,
    /// Close runners-up (when matched) or the best guesses (when not).
    pub suggestions: Vec<Scored>,
}

#[derive(Debug)]
struct Phrasing {
    entry: u32,
    /// Sum of the phrasing's term weights.
    weight: f32,
}

/// An index over one FAQ's content, built once and shared read-only.
#[derive(Debug)]
pub struct Matcher {
    analyzer: Analyzer,
    lexicon: Lexicon,
    terms: HashMap<String, u32>,
    weights: Vec<f32>,
    unknown_weight: f32,
    phrasings: Vec<Phrasing>,
    /// term -> phrasings containing it.
    phrasing_postings: Vec<Vec<u32>>,
    /// term -> entries containing it anywhere (phrasings or answer).
    entry_postings: Vec<Vec<u32>>,
    entries: usize,
    threshold: f32,
}

impl Matcher {
    pub fn new(faq: &Faq) -> Matcher {
        let settings = &faq.settings;
        let analyzer = Analyzer::new(&settings.synonyms, &settings.ignore_words);
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut intern = |stem: &str| -> u32 {
            let next = terms.len() as u32;
            *terms.entry(stem.to_string()).or_insert(next)
        };
        let mut lexicon_counts: HashMap<String, u32> = HashMap::new();
        let mut phrasings = Vec::new();
        let mut phrasing_terms: Vec<Vec<u32>> = Vec::new();
        // Per entry: terms in its phrasings, and terms only in its answer.
        let mut entry_phrasing_terms: Vec<Vec<u32>> = Vec::new();
        let mut entry_answer_terms: Vec<Vec<u32>> = Vec::new();

        for (e, entry) in faq.entries.iter().enumerate() {
            let mut in_phrasings = Vec::new();
            for phrasing in entry.phrasings() {
                for word in analyzer.content_words(phrasing) {
                    *lexicon_counts.entry(word).or_default() += 1;
                }
                let mut ids: Vec<u32> = analyzer
                    .analyze(phrasing)
                    .iter()
                    .map(|t| intern(&t.stem))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                in_phrasings.extend(&ids);
                phrasings.push(Phrasing {
                    entry: e as u32,
                    weight: 0.0,
                });
                phrasing_terms.push(ids);
            }
            in_phrasings.sort_unstable();
            in_phrasings.dedup();
            let answer = crate::markdown::to_plain(&entry.answer);
            for word in analyzer.content_words(&answer) {
                lexicon_counts.entry(word).or_default();
            }
            let mut answer_only: Vec<u32> = analyzer
                .analyze(&answer)
                .iter()
                .map(|t| intern(&t.stem))
                .filter(|id| in_phrasings.binary_search(id).is_err())
                .collect();
            answer_only.sort_unstable();
            answer_only.dedup();
            entry_phrasing_terms.push(in_phrasings);
            entry_answer_terms.push(answer_only);
        }
        for word in Analyzer::synonym_words(&settings.synonyms) {
            lexicon_counts.entry(word).or_default();
        }

        let n_terms = terms.len();
        let n_entries = faq.entries.len();
        let mut df = vec![0.0_f32; n_terms];
        let mut entry_postings: Vec<Vec<u32>> = vec![Vec::new(); n_terms];
        for e in 0..n_entries {
            for &t in &entry_phrasing_terms[e] {
                df[t as usize] += 1.0;
                entry_postings[t as usize].push(e as u32);
            }
            for &t in &entry_answer_terms[e] {
                df[t as usize] += ANSWER_DF;
                entry_postings[t as usize].push(e as u32);
            }
        }
        let n = n_entries.max(1) as f32;
        let idf = |df: f32| (1.0 + n / df.max(UNKNOWN_DF)).ln();
        let weights: Vec<f32> = df.iter().map(|&d| idf(d)).collect();
        let mut phrasing_postings: Vec<Vec<u32>> = vec![Vec::new(); n_terms];
        for (p, ids) in phrasing_terms.iter().enumerate() {
            phrasings[p].weight = ids.iter().map(|&t| weights[t as usize]).sum();
            for &t in ids {
                phrasing_postings[t as usize].push(p as u32);
            }
        }
        Matcher {
            analyzer,
            lexicon: Lexicon::new(lexicon_counts),
            terms,
            weights,
            unknown_weight: idf(UNKNOWN_DF),
            phrasings,
            phrasing_postings,
            entry_postings,
            entries: n_entries,
            threshold: settings.threshold,
        }
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Matches a finished question.
    pub fn find(&self, question: &str) -> Verdict {
        self.find_typed(question, Typing::Complete)
    }

    /// Matches a question, saying whether its last word may be unfinished.
    pub fn find_typed(&self, question: &str, typing: Typing) -> Verdict {
        let ranked = self.rank(question, typing);
        let Some(best) = ranked.first().cloned() else {
            return Verdict {
                best: None,
                matched: false,
                suggestions: Vec::new(),
            };
        };
        let matched = best.score >= self.threshold;
        let floor = (best.score * SUGGEST_RATIO).max(SUGGEST_FLOOR);
        let skip = usize::from(matched);
        let suggestions = ranked
            .into_iter()
            .skip(skip)
            .take_while(|s| s.score >= floor)
            .take(MAX_SUGGESTIONS)
            .collect();
        Verdict {
            best: Some(best),
            matched,
            suggestions,
        }
    }

    /// Every entry sharing a term with the question, best first.
    pub fn rank(&self, question: &str, typing: Typing) -> Vec<Scored> {
        let terms = self.analyzer.analyze_question(
            question,
            &self.lexicon,
            |stem| self.terms.contains_key(stem),
            typing,
        );
        self.rank_terms(&terms)
    }

    fn rank_terms(&self, terms: &[Term]) -> Vec<Scored> {
        let mut total = 0.0_f32;
        let mut known: Vec<(u32, f32, f32)> = Vec::with_capacity(terms.len());
        for term in terms {
            match self.terms.get(&term.stem) {
                Some(&id) => {
                    let w = self.weights[id as usize];
                    total += w;
                    known.push((id, w, w * term.confidence));
                }
                None if term.stem.chars().all(|c| c.is_ascii_digit()) => {
                    total += self.unknown_weight / 2.0
                }
                None => total += self.unknown_weight,
            }
        }
        if known.is_empty() {
            return Vec::new();
        }
        // Per phrasing: covered weight with and without typo discount.
        let mut direct: HashMap<u32, (f32, f32)> = HashMap::new();
        let mut anywhere = vec![0.0_f32; self.entries];
        for &(id, w, credit) in &known {
            for &p in &self.phrasing_postings[id as usize] {
                let slot = direct.entry(p).or_default();
                slot.0 += credit;
                slot.1 += w;
            }
            for &e in &self.entry_postings[id as usize] {
                anywhere[e as usize] += credit;
            }
        }
        let mut best: HashMap<u32, f32> = HashMap::new();
        for (&p, &(covered, covered_raw)) in &direct {
            let phrasing = &self.phrasings[p as usize];
            let elsewhere = (anywhere[phrasing.entry as usize] - covered).max(0.0);
            let missing = (phrasing.weight - covered_raw).max(0.0);
            let score =
                (covered + ELSEWHERE_CREDIT * elsewhere) / (total + MISSING_PENALTY * missing);
            let slot = best.entry(phrasing.entry).or_default();
            *slot = slot.max(score);
        }
        let mut ranked: Vec<Scored> = best
            .into_iter()
            .map(|(entry, score)| Scored {
                entry: entry as usize,
                score: score.clamp(0.0, 1.0),
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        ranked
    }
}
