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
//!   are corrected first (see [`crate::analysis::lexicon`]), with
//!   slightly less credit.
//!
//! Scores are in 0..1. The matcher ranks; whether the best is good enough
//! to answer with, and which runners-up to offer, is the engine's decision
//! (`engine::judge`, with the cut-offs in `engine::fusion`).
//!
//! [`index`] holds the terms and their weights, [`scoring`] the formula and
//! the ranking walk; words become terms in [`crate::analysis`].

mod index;
mod scoring;

use rustc_hash::FxHashMap;

pub use crate::analysis::Typing;
use crate::analysis::lexicon::Lexicon;
use crate::analysis::{Analyzer, Term};
use index::Index;
use scoring::QueryTerm;

use crate::content::Faq;

/// A text's terms, analysed once (see [`Matcher::analyse`]): a question
/// is ranked, checked for words an entry lacks and ranked again without
/// its story words, all from one analysis.
#[derive(Debug, Clone)]
pub struct Analysed {
    terms: Vec<Term>,
}

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
    /// The question's terms, in order.
    pub terms: Vec<ExplainedTerm>,
    /// The best candidates, best first.
    pub ranked: Vec<Scored>,
}

/// One term of a question as the matcher weighed it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedTerm {
    pub stem: String,
    /// Its weight: rare in the FAQ weighs more; a word the FAQ has never
    /// seen weighs most.
    pub weight: f32,
    /// Below 1 when the word was a corrected typo or completed.
    pub confidence: f32,
    /// Whether the FAQ has the term at all.
    pub known: bool,
}

/// Below this many entries a thread costs more than it saves.
const MIN_ENTRIES_PER_THREAD: usize = 512;

/// One entry's terms, as ids into its worker's local term table.
struct AnalyzedEntry {
    phrasings: Vec<Vec<u32>>,
    answer: Vec<u32>,
}

/// What one analysis worker produces: entries with local term ids, the
/// local term table, and lexicon word counts.
struct Analyzed {
    entries: Vec<AnalyzedEntry>,
    terms: Vec<String>,
    counts: FxHashMap<String, u32>,
}

/// Analyses a run of entries: their stems, and the lexicon's word counts
/// (phrasing words count; answer words are known but counted zero).
fn analyze_entries(analyzer: &Analyzer, entries: &[crate::content::Entry]) -> Analyzed {
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut cache = crate::analysis::analyzer::StemCache::default();
    let mut local = index::Builder::default();
    let mut ids =
        |stems: Vec<String>| -> Vec<u32> { stems.iter().map(|s| local.intern(s)).collect() };
    let entries = entries
        .iter()
        .map(|entry| {
            let phrasings = entry
                .phrasings()
                .map(
                    |p| ids(analyzer.index_text(p, &mut cache, |word| count(&mut counts, word, 1))),
                )
                .collect();
            let answer_text = words_of_markdown(&entry.answer);
            let answer =
                ids(analyzer
                    .index_text(&answer_text, &mut cache, |word| count(&mut counts, word, 0)));
            AnalyzedEntry { phrasings, answer }
        })
        .collect();
    Analyzed {
        entries,
        terms: local.terms_in_order(),
        counts,
    }
}

/// The text of a Markdown answer, for indexing. Emphasis and list markers
/// are punctuation that word splitting drops anyway, so only answers with
/// links, HTML, code or entities (whose markup holds letters) are rendered.
fn words_of_markdown(markdown: &str) -> std::borrow::Cow<'_, str> {
    if markdown.contains(['[', '<', '`', '&']) {
        std::borrow::Cow::Owned(crate::markdown::to_plain(markdown))
    } else {
        std::borrow::Cow::Borrowed(markdown)
    }
}

/// Counts a word for the lexicon without allocating for words seen before.
fn count(counts: &mut FxHashMap<String, u32>, word: &str, by: u32) {
    match counts.get_mut(word) {
        Some(n) => *n += by,
        None => {
            counts.insert(word.to_string(), by);
        }
    }
}

/// Analyzer, vocabulary and index for one FAQ, built once and shared
/// read-only (it is `Sync`; scoring uses per-thread scratch space).
#[derive(Debug)]
pub struct Matcher {
    analyzer: Analyzer,
    lexicon: Lexicon,
    index: Index,
}

impl Matcher {
    pub fn new(faq: &Faq) -> Matcher {
        let settings = &faq.settings;
        let analyzer = settings.analyzer();
        // Analysing the text is most of the work and needs no shared state,
        // so it runs on every core; interning then runs in entry order, so
        // term ids do not depend on the number of threads.
        let analyzed: Vec<Analyzed> =
            crate::parallel::map_chunks(&faq.entries, MIN_ENTRIES_PER_THREAD, |entries| {
                analyze_entries(&analyzer, entries)
            });
        let mut builder = index::Builder::default();
        let mut lexicon_counts: FxHashMap<String, u32> = FxHashMap::default();
        for part in analyzed {
            for (word, n) in part.counts {
                *lexicon_counts.entry(word).or_default() += n;
            }
            // Local ids -> global ids: one lookup per distinct term.
            let global: Vec<u32> = part.terms.iter().map(|t| builder.intern(t)).collect();
            let map = |ids: Vec<u32>| -> Vec<u32> {
                ids.into_iter().map(|i| global[i as usize]).collect()
            };
            for entry in part.entries {
                let phrasings = entry.phrasings.into_iter().map(map).collect();
                builder.add_entry(phrasings, map(entry.answer));
            }
        }
        for word in Analyzer::synonym_words(&settings.synonyms) {
            count(&mut lexicon_counts, &word, 0);
        }
        let lexicon = Lexicon::new(lexicon_counts);
        let index = builder.build(scoring::SHARES);
        Matcher {
            analyzer,
            lexicon,
            index,
        }
    }

    /// Whether a folded word is English this FAQ uses, or English filler
    /// (for telling a message's language, see
    /// [`crate::analysis::language`]).
    pub fn knows_english(&self, word: &str) -> bool {
        self.lexicon.contains(word) || crate::analysis::stopwords::is_stopword(word)
    }

    /// A text analysed once (folded, typos corrected, stemmed, synonyms
    /// replaced, filler dropped), for every ranking and check of it.
    pub fn analyse(&self, text: &str, typing: Typing) -> Analysed {
        Analysed {
            terms: self.terms_of(text, typing),
        }
    }

    /// Every entry scoring at least the scoring's minimum and at least
    /// `ratio` times the best score, best first (the cut is the ranking
    /// walk's: entries below it are never fully scored).
    pub fn ranked(&self, text: &Analysed, ratio: f32) -> Vec<Scored> {
        self.rank_terms(&text.terms, ratio)
    }

    fn terms_of(&self, question: &str, typing: Typing) -> Vec<Term> {
        self.analyzer.analyze_question(
            question,
            &self.lexicon,
            |stem| self.index.term_id(stem).is_some(),
            typing,
        )
    }

    /// The content words of `text` as stems, in order, numbers left out,
    /// each with whether any phrasing uses it: the words
    /// [`Matcher::words_foreign_to`] may find for some entry.
    pub fn content_words<'a>(&self, text: &'a Analysed) -> impl Iterator<Item = (&'a str, bool)> {
        text.terms
            .iter()
            .filter(|t| !t.stem.chars().all(|c| c.is_ascii_digit()))
            .map(|t| (t.stem.as_str(), self.index.term_id(&t.stem).is_some()))
    }

    /// The content words of `question` that no phrasing of `entry` has
    /// (the FAQ's unknown words included), as stems, numbers left out. The
    /// engine weighs these with the sentence model: a word naming another
    /// subject ("calcium" or "iron" where the entry says "magnesium") means
    /// a different question, a story word ("husband", "till") does not.
    pub fn words_foreign_to(&self, text: &Analysed, entry: usize) -> Vec<String> {
        let mut words: Vec<String> = text
            .terms
            .iter()
            .filter(|t| !t.stem.chars().all(|c| c.is_ascii_digit()))
            .filter(|t| match self.index.term_id(&t.stem) {
                None => true,
                Some(id) => !self.index.phrasings_contain(entry, id),
            })
            .map(|t| t.stem.clone())
            .collect();
        words.dedup();
        words
    }

    /// Like [`Matcher::ranked`], with some words of the
    /// question set aside (the story words the engine judged irrelevant):
    /// every entry reaching the minimum score, best first.
    pub fn rank_without(&self, text: &Analysed, ignore: &[String]) -> Vec<Scored> {
        let terms: Vec<Term> = text
            .terms
            .iter()
            .filter(|t| !ignore.contains(&t.stem))
            .cloned()
            .collect();
        self.rank_terms(&terms, 0.0)
    }

    /// The terms the matcher saw and its top candidates.
    pub fn explain(&self, question: &str, top: usize) -> Explanation {
        let terms = self.terms_of(question, Typing::Complete);
        let mut ranked = self.rank_terms(&terms, 0.0);
        ranked.truncate(top);
        let terms = terms
            .into_iter()
            .map(|t| {
                let id = self.index.term_id(&t.stem);
                ExplainedTerm {
                    weight: self.index.weight(id),
                    confidence: t.confidence,
                    known: id.is_some(),
                    stem: t.stem,
                }
            })
            .collect();
        Explanation { terms, ranked }
    }

    fn rank_terms(&self, terms: &[Term], ratio: f32) -> Vec<Scored> {
        let query: Vec<QueryTerm> = terms
            .iter()
            .map(|t| QueryTerm {
                id: self.index.term_id(&t.stem),
                numeric: t.stem.chars().all(|c| c.is_ascii_digit()),
                confidence: t.confidence,
            })
            .collect();
        self.index.rank(&query, ratio)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::content::{EntryFile, Settings, entry};

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
                let alts: Vec<&str> = alts.split('|').collect();
                let text = EntryFile::new(*q, *answer).alternates(&alts).render();
                entry::parse(Path::new(&format!("{id}.md")), &text).expect("test entry parses")
            })
            .collect();
        Faq::from_entries(PathBuf::from("faq"), entries, Settings::default())
            .expect("test FAQ is valid")
    }

    /// The best candidate, as the engine ranks by words.
    fn best(m: &Matcher, q: &str, typing: Typing) -> Option<Scored> {
        m.ranked(&m.analyse(q, typing), 0.75).into_iter().next()
    }

    /// The entry words alone would answer with at the default threshold.
    fn answer(m: &Matcher, faq: &Faq, q: &str) -> Option<String> {
        best(m, q, Typing::Complete)
            .filter(|b| b.score >= faq.settings.threshold)
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
        let b = best(
            &m,
            "When is the best time to take magnesium?",
            Typing::Complete,
        );
        assert!(b.expect("a candidate").score > 0.8);
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
    fn close_runners_up_are_ranked() {
        let faq = faq();
        let m = Matcher::new(&faq);
        let text = m.analyse("magnesium citrate or glycinate", Typing::Complete);
        let ranked = m.ranked(&text, 0.75);
        let ids: Vec<&str> = ranked
            .iter()
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
            let b = best(&m, q, Typing::Complete);
            assert!(
                b.as_ref().is_none_or(|b| b.score < faq.settings.threshold) || q == long,
                "{q:?}"
            );
            assert!(b.is_none_or(|b| (0.0..=1.0).contains(&b.score)));
        }
    }

    #[test]
    fn partial_words_find_entries_while_typing() {
        let faq = faq();
        let m = Matcher::new(&faq);
        assert_eq!(
            best(&m, "how much magnes", Typing::Partial).map(|b| faq.entries[b.entry].id.as_str()),
            Some("dose")
        );
    }

    #[test]
    fn explain_marks_new_and_corrected_words() {
        let faq = faq();
        let m = Matcher::new(&faq);
        let e = m.explain("magnesum for dogs", 3);
        let dogs = e.terms.iter().find(|t| t.stem == "dog").expect("dog term");
        assert!(!dogs.known, "dogs is new to the FAQ");
        let mag = e
            .terms
            .iter()
            .find(|t| t.stem == "magnesium")
            .expect("corrected");
        assert!(mag.confidence < 1.0 && mag.known);
    }
}
