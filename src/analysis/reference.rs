//! Whether a message points back at an earlier one: "could **that** be
//! causing my rls?", "**and** if it doesn't work?", "what's better
//! **then**", "**why?**".
//!
//! Such a message may not stand on its own even when its words match an
//! entry: "could that be causing my rls?" after a question about the signs
//! of low magnesium asks whether low magnesium causes RLS, not what causes
//! RLS. A message without them does stand on its own: "what is sleep
//! apnea" after a question about RLS is a question about sleep apnea, and
//! reading it with the previous question would only bend it toward RLS.
//! The engine reads a message in its conversation only when it points back
//! (see `engine::conversation`). English only, like the stemmer and the
//! filler words.

use super::{fold, stopwords};

/// Pronouns, demonstratives and adverbs standing for something said
/// before ("though" and "tho": "who shouldn't take it though").
const POINTERS: &[&str] = &[
    "else", "instead", "it", "that", "them", "then", "these", "they", "this", "those", "tho",
    "though",
];

/// Words that open a message carrying on from the one before ("and how
/// much?", "but for my mum?", "what about coffee").
const OPENERS: &[&str] = &["also", "and", "but", "so", "what about", "how about"];

/// Words that may come before an opener ("ok but what brand").
const INTERJECTIONS: &[&str] = &[
    "ok", "okay", "oh", "hmm", "right", "yes", "yeah", "no", "well",
];

/// Words asking how much, how long or how often, which name nothing by
/// themselves ("how much?").
const MEASURES: &[&str] = &["long", "many", "much", "often", "soon"];

/// Whether `message` refers back to an earlier message: a word of it
/// points back, it opens by carrying on, or it names nothing at all
/// ("why?", "how much?").
pub fn refers_back(message: &str) -> bool {
    refers_back_words(&fold::words(message))
}

/// [`refers_back`] for a message's folded words ([`fold::words`]), as the
/// engine's analysed query holds them.
pub fn refers_back_words(words: &[String]) -> bool {
    if words.is_empty() {
        return false;
    }
    let start = words
        .iter()
        .position(|w| !INTERJECTIONS.contains(&w.as_str()))
        .unwrap_or(words.len());
    let rest = words[start..].join(" ");
    let opens = OPENERS
        .iter()
        .any(|o| rest == *o || rest.starts_with(&format!("{o} ")));
    let names_nothing = words.iter().all(|w| {
        stopwords::is_stopword(w)
            || stopwords::is_question_word(w)
            || MEASURES.contains(&w.as_str())
            || INTERJECTIONS.contains(&w.as_str())
    });
    opens || names_nothing || words.iter().any(|w| POINTERS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_openers_and_bare_questions_refer_back() {
        for message in [
            "could that be causing my rls?",
            "And how much?",
            "what else helps",
            "whats better then",
            "ok but for my mum?",
            "what about coffee",
            "why?",
            "how many mg then",
            "and the other kind?",
            // "thats" folds to "that is".
            "thats too much?",
        ] {
            assert!(refers_back(message), "{message}");
        }
    }

    #[test]
    fn a_question_with_its_own_subject_stands_alone() {
        for message in [
            "how much magnesium should i take",
            "what is sleep apnea",
            "how much protein do i need per day",
            "",
        ] {
            assert!(!refers_back(message), "{message}");
        }
    }
}
