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
const MISSING_PENALTY: f32 = 1.0;
/// Phrasing terms the question lacks weigh at least this much: the FAQ's
/// subject words ("magnesium") are frequent in the FAQ, so their IDF is low,
/// but a question about "iron" instead of "magnesium" is a different question.
const MISSING_FLOOR: f32 = 2.0;
/// Weight added to every question's total: a prior against confident
/// answers to questions that say little ("what time is it").
const EVIDENCE_PRIOR: f32 = 1.0;
/// Unknown words weigh this many times the rarest known word: a word the
/// FAQ has never seen is the strongest sign the question is about
/// something else.
const UNKNOWN_FACTOR: f32 = 1.5;
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
    /// Which of the entry's phrasings matched best (0 is the main question).
    pub phrasing: usize,
}

/// How the matcher saw a question: for `faqbot ask --explain`, so curators
/// can see why an entry won and which words it did not know.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Each term: stem, weight, confidence (below 1 when corrected or
    /// completed), and whether the FAQ knows it.
    pub terms: Vec<(String, f32, f32, bool)>,
    /// The best candidates, best first.
    pub ranked: Vec<Scored>,
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
    /// Position among the entry's phrasings.
    local: u32,
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
            for (local, phrasing) in entry.phrasings().enumerate() {
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
                    local: local as u32,
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
            phrasings[p].weight = ids
                .iter()
                .map(|&t| weights[t as usize].max(MISSING_FLOOR))
                .sum();
            for &t in ids {
                phrasing_postings[t as usize].push(p as u32);
            }
        }
        Matcher {
            analyzer,
            lexicon: Lexicon::new(lexicon_counts),
            terms,
            weights,
            unknown_weight: idf(UNKNOWN_DF) * UNKNOWN_FACTOR,
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
        self.rank_terms(&self.terms_of(question, typing))
    }

    fn terms_of(&self, question: &str, typing: Typing) -> Vec<Term> {
        self.analyzer.analyze_question(
            question,
            &self.lexicon,
            |stem| self.terms.contains_key(stem),
            typing,
        )
    }

    /// The terms the matcher saw and its top candidates.
    pub fn explain(&self, question: &str, top: usize) -> Explanation {
        let terms = self.terms_of(question, Typing::Complete);
        let mut ranked = self.rank_terms(&terms);
        ranked.truncate(top);
        let terms = terms
            .into_iter()
            .map(|t| {
                let id = self.terms.get(&t.stem);
                let weight = id.map_or(self.unknown_weight, |&id| self.weights[id as usize]);
                (t.stem, weight, t.confidence, id.is_some())
            })
            .collect();
        Explanation { terms, ranked }
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
                slot.1 += w.max(MISSING_FLOOR);
            }
            for &e in &self.entry_postings[id as usize] {
                anywhere[e as usize] += credit;
            }
        }
        let mut best: HashMap<u32, (f32, u32)> = HashMap::new();
        for (&p, &(covered, covered_raw)) in &direct {
            let phrasing = &self.phrasings[p as usize];
            let elsewhere = (anywhere[phrasing.entry as usize] - covered).max(0.0);
            let missing = (phrasing.weight - covered_raw).max(0.0);
            let score = (covered + ELSEWHERE_CREDIT * elsewhere)
                / (total + MISSING_PENALTY * missing + EVIDENCE_PRIOR);
            let slot = best
                .entry(phrasing.entry)
                .or_insert((score, phrasing.local));
            if score > slot.0 || (score == slot.0 && phrasing.local < slot.1) {
                *slot = (score, phrasing.local);
            }
        }
        let mut ranked: Vec<Scored> = best
            .into_iter()
            .map(|(entry, (score, local))| Scored {
                entry: entry as usize,
                score: score.clamp(0.0, 1.0),
                phrasing: local as usize,
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        ranked
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::content::{Settings, entry};

    /// A small FAQ in the shape of the real one.
    fn faq() -> Faq {
        let files = [
            (
                "dose",
                "How much magnesium should I take for RLS?",
                "how much mag for restless legs|magnesium dose rls|how many mg of magnesium",
                "Most people benefit from 200–400 mg per day.",
            ),
            (
                "timing",
                "When is the best time to take magnesium?",
                "best time for mag|should i take magnesium at bedtime|magnesium morning or evening",
                "Evening or bedtime is ideal.",
            ),
            (
                "citrate",
                "Is magnesium citrate good for RLS?",
                "magnesium citrate|citrate laxative",
                "It absorbs well but may have a mild laxative effect.",
            ),
            (
                "glycinate",
                "Is magnesium glycinate good for RLS?",
                "magnesium glycinate|glycinate for sleep",
                "Highly absorbable and gentle on the stomach.",
            ),
            (
                "causes",
                "What causes RLS?",
                "why do i get restless legs|rls triggers",
                "Iron deficiency, genetics, pregnancy and chronic diseases.",
            ),
            (
                "deficiency",
                "What are the signs of magnesium deficiency?",
                "magnesium deficiency symptoms|low magnesium signs",
                "Muscle cramps, fatigue, insomnia.",
            ),
        ];
        let entries = files
            .iter()
            .map(|(id, q, alts, answer)| {
                let mut text = format!("---\nquestion: {q}\nalternates:\n");
                for a in alts.split('|') {
                    text.push_str(&format!("  - {a}\n"));
                }
                text.push_str(&format!("---\n{answer}\n"));
                entry::parse(Path::new(&format!("{id}.md")), &text).expect("test entry parses")
            })
            .collect();
        Faq::from_entries(PathBuf::from("faq"), entries, Settings::default())
            .expect("test FAQ is valid")
    }

    fn answer(m: &Matcher, faq: &Faq, q: &str) -> Option<String> {
        let v = m.find(q);
        v.best
            .filter(|_| v.matched)
            .map(|b| faq.entries[b.entry].id.clone())
    }

    #[test]
    fn own_phrasings_route_home_with_top_score() {
        let faq = faq();
        let m = Matcher::new(&faq);
        for e in &faq.entries {
            for p in e.phrasings() {
                assert_eq!(answer(&m, &faq, p).as_deref(), Some(e.id.as_str()), "{p}");
            }
        }
        let v = m.find("When is the best time to take magnesium?");
        assert!(v.best.unwrap().score > 0.8);
    }

    #[test]
    fn typos_are_forgiven() {
        let faq = faq();
        let m = Matcher::new(&faq);
        assert_eq!(
            answer(&m, &faq, "how much magnesum for restles legs").as_deref(),
            Some("dose")
        );
        assert_eq!(
            answer(&m, &faq, "signs of magnesium defficiency").as_deref(),
            Some("deficiency")
        );
        assert_eq!(
            answer(&m, &faq, "is magnesium glycinat good").as_deref(),
            Some("glycinate")
        );
    }

    #[test]
    fn synonyms_and_abbreviations() {
        let faq = faq();
        let m = Matcher::new(&faq);
        assert_eq!(
            answer(&m, &faq, "what causes restless leg syndrome").as_deref(),
            Some("causes")
        );
        assert_eq!(
            answer(&m, &faq, "mag dosage for RLS").as_deref(),
            Some("dose")
        );
        assert_eq!(
            answer(&m, &faq, "What’s the best time to take Magnésium?").as_deref(),
            Some("timing")
        );
    }

    #[test]
    fn question_words_and_forms_tell_entries_apart() {
        let faq = faq();
        let m = Matcher::new(&faq);
        assert_eq!(
            answer(&m, &faq, "when should i take magnesium").as_deref(),
            Some("timing")
        );
        assert_eq!(
            answer(&m, &faq, "how much magnesium should i take").as_deref(),
            Some("dose")
        );
        assert_eq!(
            answer(&m, &faq, "is citrate good for rls").as_deref(),
            Some("citrate")
        );
        assert_eq!(
            answer(&m, &faq, "is glycinate good for rls").as_deref(),
            Some("glycinate")
        );
    }

    #[test]
    fn questions_about_new_things_are_refused() {
        let faq = faq();
        let m = Matcher::new(&faq);
        for q in [
            "how much potassium should i take",
            "is magnesium good for anxiety attacks in dogs",
            "does magnesium help migraine",
            "what is bitcoin",
            "hi how are you",
        ] {
            assert_eq!(answer(&m, &faq, q), None, "{q}");
        }
    }

    #[test]
    fn close_runners_up_are_suggested() {
        let faq = faq();
        let m = Matcher::new(&faq);
        let v = m.find("magnesium citrate or glycinate");
        assert!(v.best.is_some());
        let ids: Vec<&str> = v
            .best
            .iter()
            .chain(&v.suggestions)
            .map(|s| faq.entries[s.entry].id.as_str())
            .collect();
        assert!(
            ids.contains(&"citrate") && ids.contains(&"glycinate"),
            "{ids:?}"
        );
    }

    #[test]
    fn odd_input_gets_a_verdict_without_panicking() {
        let faq = faq();
        let m = Matcher::new(&faq);
        let long = "magnesium ".repeat(1_000) + &"x".repeat(10_000);
        for q in [
            "",
            "   ",
            "\u{0}\u{7}\u{1b}[2J",
            "🙂🙂🙂",
            "магний от судорог",
            "？？？",
            &long,
        ] {
            let v = m.find(q);
            assert!(!v.matched || q == long, "{q:?}");
            assert!(v.best.is_none_or(|b| (0.0..=1.0).contains(&b.score)));
        }
    }

    #[test]
    fn partial_words_find_entries_while_typing() {
        let faq = faq();
        let m = Matcher::new(&faq);
        let v = m.find_typed("how much magnes", Typing::Partial);
        assert_eq!(
            v.best.map(|b| faq.entries[b.entry].id.as_str()),
            Some("dose")
        );
    }

    #[test]
    fn explain_marks_new_and_corrected_words() {
        let faq = faq();
        let m = Matcher::new(&faq);
        let e = m.explain("magnesum for dogs", 3);
        let dogs = e.terms.iter().find(|t| t.0 == "dog").expect("dog term");
        assert!(!dogs.3, "dogs is new to the FAQ");
        let mag = e
            .terms
            .iter()
            .find(|t| t.0 == "magnesium")
            .expect("corrected");
        assert!(mag.2 < 1.0 && mag.3);
    }
}
