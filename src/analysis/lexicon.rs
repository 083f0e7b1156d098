//! The words the FAQ knows, for typo correction and completing a word that
//! is still being typed.
//!
//! A word the FAQ has never seen is either a typo of a word it has seen
//! ("magnesum") or a genuinely new word ("potassium"). Telling them apart is
//! what keeps the matcher both forgiving and honest, so correction is
//! conservative: small edit distances only, scaled to word length.

use std::collections::HashMap;

/// Known content words with how often each occurs in the FAQ's phrasings.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    /// Sorted, unique.
    words: Vec<String>,
    /// Parallel to `words`: occurrences, used to break ties.
    counts: Vec<u32>,
    /// Word indices grouped by first letter and length in chars: a typo
    /// keeps the first letter and changes the length by at most the budget.
    buckets: HashMap<(char, usize), Vec<u32>>,
    /// Parallel to `words`: letter histograms, for a cheap lower bound on
    /// edit distance before the real computation.
    histograms: Vec<Histogram>,
}

/// Letter counts in 32 buckets. Half the L1 distance between two words'
/// histograms (rounded up) never exceeds their edit distance, and folding
/// letters into buckets can only lower it, so it is a safe filter.
type Histogram = [u8; 32];

fn histogram(word: &str) -> Histogram {
    let mut h = [0u8; 32];
    for c in word.chars() {
        let slot = &mut h[(c as u32 % 32) as usize];
        *slot = slot.saturating_add(1);
    }
    h
}

fn histogram_bound(a: &Histogram, b: &Histogram) -> usize {
    let l1: usize = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as usize).sum();
    l1.div_ceil(2)
}

/// A corrected word and how sure the correction is (0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correction<'a> {
    pub word: &'a str,
    pub confidence: f32,
}

impl Lexicon {
    pub fn new(counts: impl IntoIterator<Item = (String, u32)>) -> Lexicon {
        let mut pairs: Vec<(String, u32)> = counts.into_iter().collect();
        pairs.sort_unstable();
        let mut buckets: HashMap<(char, usize), Vec<u32>> = HashMap::new();
        let mut histograms = Vec::with_capacity(pairs.len());
        for (i, (word, _)) in pairs.iter().enumerate() {
            if let Some(first) = word.chars().next() {
                buckets
                    .entry((first, word.chars().count()))
                    .or_default()
                    .push(i as u32);
            }
            histograms.push(histogram(word));
        }
        let (words, counts) = pairs.into_iter().unzip();
        Lexicon {
            words,
            counts,
            buckets,
            histograms,
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|w| w.as_str().cmp(word))
            .is_ok()
    }

    /// The closest known word within a length-scaled edit distance: none for
    /// words under 4 letters, 1 up to 7 letters, 2 beyond. The first letter
    /// must match: people rarely mistype it, and without this rule new words
    /// turn into known ones ("mother" is not a typo of "other").
    pub fn correct(&self, word: &str) -> Option<Correction<'_>> {
        let max = typo_budget(word)?;
        let first = word.chars().next()?;
        let len = word.chars().count();
        let hist = histogram(word);
        let mut best: Option<(usize, f64, u32, usize)> = None;
        for l in len.saturating_sub(max)..=len + max {
            let Some(ids) = self.buckets.get(&(first, l)) else {
                continue;
            };
            for &i in ids {
                if histogram_bound(&hist, &self.histograms[i as usize]) > max {
                    continue;
                }
                let cand = &self.words[i as usize];
                let dist = strsim::damerau_levenshtein(word, cand);
                if dist == 0 || dist > max {
                    continue;
                }
                let jw = strsim::jaro_winkler(word, cand);
                let count = self.counts[i as usize];
                let better = match best {
                    None => true,
                    Some((bd, bjw, bc, _)) => {
                        (dist, -jw, std::cmp::Reverse(count)) < (bd, -bjw, std::cmp::Reverse(bc))
                    }
                };
                if better {
                    best = Some((dist, jw, count, i as usize));
                }
            }
        }
        best.map(|(dist, _, _, i)| Correction {
            word: &self.words[i],
            confidence: 1.0 - 0.1 * dist as f32,
        })
    }

    /// The most common known word starting with `prefix` (at least 3
    /// letters), for questions typed in inline mode one key at a time.
    pub fn complete(&self, prefix: &str) -> Option<&str> {
        if prefix.chars().count() < 3 {
            return None;
        }
        let start = self.words.partition_point(|w| w.as_str() < prefix);
        self.words[start..]
            .iter()
            .zip(&self.counts[start..])
            .take_while(|(w, _)| w.starts_with(prefix))
            .filter(|(w, _)| w.len() > prefix.len())
            .max_by_key(|(w, c)| (**c, std::cmp::Reverse(w.len())))
            .map(|(w, _)| w.as_str())
    }
}

/// How many edits a typo of `word` may have: none under 4 letters or for
/// words with digits, 1 up to 7 letters, 2 beyond.
fn typo_budget(word: &str) -> Option<usize> {
    let len = word.chars().count();
    if len < 4 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    Some(if len <= 7 { 1 } else { 2 })
}

/// Is `typed` the word `known`, allowing for a typo by the same rules as
/// [`Lexicon::correct`] (same first letter, small edit distance)?
pub fn same_word(typed: &str, known: &str) -> bool {
    if typed == known {
        return true;
    }
    let Some(max) = typo_budget(typed) else {
        return false;
    };
    typed.chars().next() == known.chars().next() && strsim::damerau_levenshtein(typed, known) <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(words: &[(&str, u32)]) -> Lexicon {
        Lexicon::new(words.iter().map(|(w, c)| (w.to_string(), *c)))
    }

    #[test]
    fn corrects_typos_by_length() {
        let l = lex(&[
            ("magnesium", 9),
            ("deficiency", 3),
            ("restless", 5),
            ("legs", 4),
            ("glycinate", 2),
        ]);
        assert_eq!(l.correct("magnesum").unwrap().word, "magnesium");
        assert_eq!(l.correct("defficiency").unwrap().word, "deficiency");
        assert_eq!(l.correct("restles").unwrap().word, "restless");
        assert_eq!(l.correct("glycinat").unwrap().word, "glycinate");
        assert_eq!(l.correct("legz").unwrap().word, "legs");
        assert!(
            l.correct("magnesium").is_none(),
            "known words need no correction"
        );
    }

    #[test]
    fn refuses_new_words() {
        let l = lex(&[("dose", 5), ("magnesium", 9), ("iron", 2)]);
        assert!(l.correct("dogs").is_none());
        let l = lex(&[("other", 5)]);
        assert!(l.correct("mother").is_none(), "first letters differ");
        assert!(l.correct("potassium").is_none());
        assert!(l.correct("irn").is_none(), "too short to correct");
        assert!(l.correct("iro7").is_none(), "digits are not typos");
    }

    #[test]
    fn prefers_closer_then_more_common() {
        let l = lex(&[("sleep", 1), ("steep", 9)]);
        assert_eq!(l.correct("sleeep").unwrap().word, "sleep");
        let l = lex(&[("dose", 1), ("dosa", 9)]);
        assert_eq!(l.correct("dosi").unwrap().word, "dosa");
    }

    #[test]
    fn same_word_allows_small_typos_only() {
        assert!(same_word("chest", "chest"));
        assert!(same_word("chets", "chest"));
        assert!(!same_word("chestnut", "chest"));
        assert!(!same_word("pain", "rain"));
        assert!(!same_word("die", "dye"), "short words must be exact");
    }

    #[test]
    fn histogram_bound_never_exceeds_edit_distance() {
        for (a, b) in [
            ("chest", "chets"),
            ("magnesium", "magnesum"),
            ("abc", "xyz"),
            ("sleep", "sleeep"),
            ("", "ab"),
        ] {
            let d = strsim::damerau_levenshtein(a, b);
            assert!(
                histogram_bound(&histogram(a), &histogram(b)) <= d,
                "{a} {b}"
            );
        }
    }

    #[test]
    fn completes_partial_words() {
        let l = lex(&[("magnesium", 9), ("magnet", 1), ("dose", 3)]);
        assert_eq!(l.complete("magnes"), Some("magnesium"));
        assert_eq!(l.complete("mag"), Some("magnesium"));
        assert_eq!(l.complete("do"), None, "too short");
        assert_eq!(l.complete("dose"), None, "already whole");
        assert_eq!(l.complete("xyz"), None);
    }
}
