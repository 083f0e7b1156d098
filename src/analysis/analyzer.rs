//! Turns text into the terms the matcher compares.
//!
//! The same steps run on FAQ phrasings and on questions, so both sides end
//! up in one vocabulary: fold and split words ([`crate::analysis::fold`]), correct
//! typos (questions only), stem ("supplements" = "supplement"), replace
//! synonyms ("rls" = "restless legs syndrome"), and drop filler words.

use std::collections::HashSet;

use crate::analysis::stem::Stemmer;

use super::lexicon::Lexicon;
use super::stopwords::{is_question_word, is_stopword};
use crate::analysis::fold;

/// Questions longer than this many words are cut: nobody asks a real
/// question that long, and it bounds the work one message can cause.
pub const MAX_WORDS: usize = 64;

/// One analysed term: a stem, and how sure we are it is what was typed
/// (below 1 for corrected typos and completed words).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub stem: String,
    pub confidence: f32,
}

#[derive(Debug, Clone)]
struct Token {
    stem: String,
    stop: bool,
    confidence: f32,
}

/// A synonym variant as stems, and what it is replaced by.
#[derive(Debug)]
struct Rule {
    variant: Vec<String>,
    canonical: Vec<Token>,
}

pub struct Analyzer {
    stemmer: Stemmer,
    /// Rules by the variant's first stem, longest variant first.
    rules: rustc_hash::FxHashMap<String, Vec<Rule>>,
    ignore: HashSet<String>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("rules", &self.rules.len())
            .finish()
    }
}

/// Stems (and whether the word is filler) of words seen so far.
#[derive(Debug, Default)]
pub struct StemCache(rustc_hash::FxHashMap<String, (String, bool)>);

/// Words a curator declared to mean the same (`synonyms:` in
/// `settings.yaml`): every variant is read as the canonical word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymGroup {
    pub canonical: String,
    pub variants: Vec<String>,
}

/// How the question was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Typing {
    /// A finished question.
    #[default]
    Complete,
    /// Still being typed (inline mode): the last word may be cut short.
    Partial,
}

impl Analyzer {
    pub fn new(synonyms: &[SynonymGroup], ignore_words: &[String]) -> Analyzer {
        let stemmer = Stemmer::english();
        let ignore: HashSet<String> = ignore_words.iter().flat_map(|w| fold::words(w)).collect();
        let mut analyzer = Analyzer {
            stemmer,
            rules: rustc_hash::FxHashMap::default(),
            ignore,
        };
        for group in synonyms {
            let canonical: Vec<Token> = analyzer.tokens(&fold::words(&group.canonical));
            for variant in &group.variants {
                let variant: Vec<String> = analyzer
                    .tokens(&fold::words(variant))
                    .into_iter()
                    .map(|t| t.stem)
                    .collect();
                let Some(first) = variant.first().cloned() else {
                    continue;
                };
                if variant == canonical.iter().map(|t| t.stem.clone()).collect::<Vec<_>>() {
                    continue;
                }
                analyzer.rules.entry(first).or_default().push(Rule {
                    variant,
                    canonical: canonical.clone(),
                });
            }
        }
        for rules in analyzer.rules.values_mut() {
            rules.sort_by_key(|r| std::cmp::Reverse(r.variant.len()));
        }
        analyzer
    }

    fn is_filler(&self, word: &str) -> bool {
        is_stopword(word) || self.ignore.contains(word)
    }

    fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word)
    }

    fn tokens(&self, words: &[String]) -> Vec<Token> {
        words
            .iter()
            .map(|w| Token {
                stem: self.stem(w),
                stop: self.is_filler(w),
                confidence: 1.0,
            })
            .collect()
    }

    /// Every surface word the analyzer itself knows (synonym wordings), so
    /// typos of them can be corrected too.
    pub fn synonym_words(synonyms: &[SynonymGroup]) -> impl Iterator<Item = String> + '_ {
        synonyms
            .iter()
            .flat_map(|g| std::iter::once(&g.canonical).chain(&g.variants))
            .flat_map(|s| fold::words(s))
    }

    /// Terms of FAQ text (phrasings, answers): no typo correction.
    pub fn analyze(&self, text: &str) -> Vec<Term> {
        let words = fold::words(text);
        self.finish(self.tokens(&words), true)
    }

    /// Indexes FAQ text: calls `content_word` with each content word as
    /// typed (for the lexicon) and returns the stems of its terms, repeats
    /// included. Stems come from `cache`, which a caller indexing many texts
    /// keeps across calls: the same few thousand words recur all the time.
    pub fn index_text(
        &self,
        text: &str,
        cache: &mut StemCache,
        mut content_word: impl FnMut(&str),
    ) -> Vec<String> {
        let words = fold::words(text);
        let tokens: Vec<Token> = words
            .iter()
            .map(|w| {
                let (stem, stop) = match cache.0.get(w.as_str()) {
                    Some(hit) => hit.clone(),
                    None => {
                        let fresh = (self.stem(w), self.is_filler(w));
                        cache.0.insert(w.clone(), fresh.clone());
                        fresh
                    }
                };
                if !stop {
                    content_word(w);
                }
                Token {
                    stem,
                    stop,
                    confidence: 1.0,
                }
            })
            .collect();
        self.finish(tokens, false)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    /// Terms of a question. Words the FAQ doesn't know are corrected to a
    /// known word when they are a likely typo of one, or completed when
    /// the question is still being typed; otherwise they are kept as they
    /// are, so the matcher can see that the question is about something new.
    pub fn analyze_question(
        &self,
        question: &str,
        lexicon: &Lexicon,
        is_known_stem: impl Fn(&str) -> bool,
        typing: Typing,
    ) -> Vec<Term> {
        let mut words = fold::words(question);
        words.truncate(MAX_WORDS);
        let last = words.len().saturating_sub(1);
        let mut tokens = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let stop = self.is_filler(word);
            let mut token = Token {
                stem: self.stem(word),
                stop,
                confidence: 1.0,
            };
            let known = stop || lexicon.contains(word) || is_known_stem(&token.stem);
            if !known && is_question_word(word) {
                token.stop = true;
            } else if !known {
                let completed = (typing == Typing::Partial && i == last)
                    .then(|| lexicon.complete(word))
                    .flatten();
                if let Some(full) = completed {
                    token.stem = self.stem(full);
                    token.confidence = 0.9;
                } else if let Some(fix) = lexicon.correct(word) {
                    token.stem = self.stem(fix.word);
                    token.confidence = fix.confidence;
                    token.stop = self.is_filler(fix.word);
                }
            }
            tokens.push(token);
        }
        self.finish(tokens, true)
    }

    /// Applies synonyms, drops filler and, with `merge`, merges repeated
    /// terms (questions are short; the index dedupes long texts itself).
    fn finish(&self, tokens: Vec<Token>, merge: bool) -> Vec<Term> {
        let mut out: Vec<Term> = Vec::new();
        let mut push = |t: &Token| {
            if t.stop {
                return;
            }
            let existing = if merge {
                out.iter_mut().find(|o| o.stem == t.stem)
            } else {
                None
            };
            match existing {
                Some(o) => o.confidence = o.confidence.max(t.confidence),
                None => out.push(Term {
                    stem: t.stem.clone(),
                    confidence: t.confidence,
                }),
            }
        };
        let mut i = 0;
        while i < tokens.len() {
            let rule = self.rules.get(&tokens[i].stem).and_then(|rules| {
                rules.iter().find(|r| {
                    r.variant.len() <= tokens.len() - i
                        && r.variant
                            .iter()
                            .zip(&tokens[i..])
                            .all(|(v, t)| *v == t.stem)
                })
            });
            match rule {
                Some(rule) => {
                    let n = rule.variant.len();
                    let confidence = tokens[i..i + n]
                        .iter()
                        .map(|t| t.confidence)
                        .fold(1.0_f32, f32::min);
                    for c in &rule.canonical {
                        push(&Token {
                            confidence,
                            ..c.clone()
                        });
                    }
                    i += n;
                }
                None => {
                    push(&tokens[i]);
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        let groups = vec![
            SynonymGroup {
                canonical: "restless legs syndrome".into(),
                variants: vec!["rls".into(), "restless legs".into(), "restless leg".into()],
            },
            SynonymGroup {
                canonical: "magnesium".into(),
                variants: vec!["mag".into()],
            },
            SynonymGroup {
                canonical: "daily".into(),
                variants: vec!["a day".into(), "per day".into()],
            },
        ];
        Analyzer::new(&groups, &["yo".to_string()])
    }

    fn stems(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|t| t.stem.as_str()).collect()
    }

    #[test]
    fn stems_and_drops_filler() {
        let a = analyzer();
        assert_eq!(
            stems(&a.analyze("Which supplements are the best?")),
            ["which", "supplement", "best"]
        );
        assert_eq!(stems(&a.analyze("yo, what is it")), ["what"]);
    }

    #[test]
    fn synonyms_map_to_one_wording() {
        let a = analyzer();
        let rls = a.analyze("RLS");
        assert_eq!(stems(&rls), ["restless", "leg", "syndrom"]);
        assert_eq!(a.analyze("restless legs"), rls);
        assert_eq!(a.analyze("Restless Leg Syndrome"), rls);
        assert_eq!(stems(&a.analyze("mag a day")), ["magnesium", "daili"]);
    }

    #[test]
    fn question_typos_are_corrected_with_lower_confidence() {
        let a = analyzer();
        let lexicon = Lexicon::new([("magnesium".to_string(), 3), ("restless".to_string(), 3)]);
        let terms = a.analyze_question(
            "how much magnesum for restles legs",
            &lexicon,
            |_| false,
            Typing::Complete,
        );
        // "how" is a question word the lexicon lacks: dropped, not "new".
        assert_eq!(
            stems(&terms),
            ["much", "magnesium", "restless", "leg", "syndrom"]
        );
        assert!(terms[1].confidence < 1.0);
        assert!(
            terms[2].confidence < 1.0,
            "a corrected word inside a synonym lowers it"
        );
        let unknown = a.analyze_question("potassium", &lexicon, |_| false, Typing::Complete);
        assert_eq!(stems(&unknown), ["potassium"]);
    }

    #[test]
    fn partial_last_word_is_completed() {
        let a = analyzer();
        let lexicon = Lexicon::new([("magnesium".to_string(), 3)]);
        let terms = a.analyze_question("much magnes", &lexicon, |_| false, Typing::Partial);
        assert_eq!(stems(&terms), ["much", "magnesium"]);
        let terms = a.analyze_question("much magnes", &lexicon, |_| false, Typing::Complete);
        assert_eq!(stems(&terms), ["much", "magn"]);
    }

    #[test]
    fn very_long_questions_are_cut() {
        let a = analyzer();
        let lexicon = Lexicon::default();
        let long = "word ".repeat(10_000);
        let terms = a.analyze_question(&long, &lexicon, |_| false, Typing::Complete);
        assert_eq!(terms.len(), 1);
    }
}
