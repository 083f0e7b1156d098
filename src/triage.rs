//! Red-flag triage: messages that suggest an emergency get the urgent reply
//! instead of an FAQ answer.
//!
//! This runs before matching, and errs on the side of safety: a pattern
//! anywhere in the message is enough, whatever else it says. Words are
//! compared whole, after folding and stemming, with the matcher's typo rule
//! (see [`crate::matcher::lexicon::same_word`]), so "chest pains" and "chets
//! pain" match "chest pain" but "chestnut" never matches "chest".

use rust_stemmers::{Algorithm, Stemmer};

use crate::content::TriageSettings;
use crate::matcher::lexicon::same_word;
use crate::text;

/// Other words allowed between two words of a pattern part.
const MAX_GAP: usize = 2;

/// A word as typed and as stemmed: stems catch other forms ("pains",
/// "fainted"), the typed form catches typos that stemming would garble.
#[derive(Debug)]
struct Word {
    typed: String,
    stem: String,
    /// Length in chars and first char, computed once: triage compares
    /// every word of a message with every pattern, on every message.
    len: usize,
    first: Option<char>,
}

/// One pattern: parts that must all appear; each part's words in order.
#[derive(Debug)]
struct Pattern {
    source: String,
    parts: Vec<Vec<Word>>,
}

pub struct Triage {
    stemmer: Stemmer,
    patterns: Vec<Pattern>,
}

impl std::fmt::Debug for Triage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Triage")
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

impl Triage {
    pub fn new(settings: &TriageSettings) -> Triage {
        let stemmer = Stemmer::create(Algorithm::English);
        let patterns = settings
            .patterns
            .iter()
            .filter_map(|source| {
                let parts: Vec<Vec<Word>> = source
                    .split('+')
                    .map(|part| analyze(&stemmer, part))
                    .collect();
                // Checked by `faqbot check`; an empty part would match everything.
                if parts.iter().any(Vec::is_empty) {
                    return None;
                }
                Some(Pattern {
                    source: source.clone(),
                    parts,
                })
            })
            .collect();
        Triage { stemmer, patterns }
    }

    /// The first pattern the message matches, if any.
    pub fn check(&self, message: &str) -> Option<&str> {
        let mut words = analyze(&self.stemmer, message);
        // Generous for a message that names an emergency after a long
        // preamble, but bounded.
        words.truncate(256);
        self.patterns
            .iter()
            .find(|p| p.parts.iter().all(|part| contains_part(&words, part)))
            .map(|p| p.source.as_str())
    }
}

fn analyze(stemmer: &Stemmer, text: &str) -> Vec<Word> {
    text::words(text)
        .into_iter()
        .map(|typed| Word {
            stem: stemmer.stem(&typed).into_owned(),
            len: typed.chars().count(),
            first: typed.chars().next(),
            typed,
        })
        .collect()
}

/// Typo-tolerant, but stricter than the matcher for short words: a short
/// pattern word only forgives swapped or changed letters, never a missing
/// or extra one, so "take" (an ordinary question) is not "taken" (an alarm).
fn similar(typed: &Word, pattern: &Word) -> bool {
    if typed.stem == pattern.stem {
        return true;
    }
    // Cheap rejections before the edit distance in `same_word`: the first
    // letter must match, and lengths may differ by at most 2.
    typed.first == pattern.first
        && (typed.len == pattern.len || pattern.len >= 6)
        && typed.len.abs_diff(pattern.len) <= 2
        && same_word(&typed.typed, &pattern.typed)
}

/// Do the part's words occur in order, each within `MAX_GAP` words of the last?
fn contains_part(stems: &[Word], part: &[Word]) -> bool {
    (0..stems.len()).any(|start| {
        if !similar(&stems[start], &part[0]) {
            return false;
        }
        let mut at = start;
        part[1..].iter().all(|word| {
            let window = at + 1..(at + 2 + MAX_GAP).min(stems.len());
            match window.clone().find(|&i| similar(&stems[i], word)) {
                Some(i) => {
                    at = i;
                    true
                }
                None => false,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triage() -> Triage {
        Triage::new(&TriageSettings::default())
    }

    #[test]
    fn emergencies_are_caught() {
        let t = triage();
        for message in [
            "I think I overdosed on magnesium",
            "i took too much magnesium and feel awful",
            "I've taken too many of my pills",
            "I have chest pain after taking magnesium",
            "my chest hurts",
            "severe chets pain",
            "I can't breathe properly",
            "having trouble breathing since this morning",
            "I fainted after my supplement",
            "my husband passed out",
            "I want to kill myself",
            "i want to die, the rls is unbearable",
            "I've been thinking about suicide",
            "I'm pregnant and bleeding",
            "pregnant with severe leg pain, is that normal?",
            "I'm pregnant and worried about these cramps",
            "CHEST PAIN!!!",
        ] {
            assert!(t.check(message).is_some(), "missed: {message:?}");
        }
    }

    #[test]
    fn ordinary_questions_are_not_alarms() {
        let t = triage();
        for message in [
            "are chestnuts high in magnesium",
            "what happens if i take too much magnesium",
            "is magnesium safe during pregnancy",
            "restless legs during pregnancy",
            "is rls linked to pregnancy",
            "does magnesium help me breathe better at night",
            "how much magnesium should i take",
            "magnesium for leg pain",
            "can i die from rls",
            "what is the best time to take magnesium",
            "does stretching help",
        ] {
            assert_eq!(t.check(message), None, "false alarm: {message:?}");
        }
    }

    #[test]
    fn curator_patterns_are_used() {
        let t = Triage::new(&TriageSettings {
            reply: "call".into(),
            patterns: vec!["allergic reaction".into(), "swollen + throat".into()],
        });
        assert_eq!(
            t.check("I think it's an allergic reaction"),
            Some("allergic reaction")
        );
        assert_eq!(t.check("my throat is swollen"), Some("swollen + throat"));
        assert_eq!(t.check("chest pain"), None, "only the curator's patterns");
    }

    #[test]
    fn odd_input_is_safe() {
        let t = triage();
        for message in ["", "🙂", "\u{0}", &"word ".repeat(10_000)] {
            assert_eq!(t.check(message), None);
        }
    }
}
