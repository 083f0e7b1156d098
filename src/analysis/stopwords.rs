//! Words that carry no meaning in a question.
//!
//! Question words ("what", "when", "how", "which", "much", "long") are
//! deliberately *not* here: "when should I take magnesium" and "how much
//! magnesium should I take" differ only in them. Filler and chat words are,
//! so that "hey, please tell me about RLS" is not refused for having words
//! the FAQ has never seen.

const WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "actually",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "are",
    "as",
    "at",
    "basically",
    "be",
    "because",
    "been",
    "being",
    "bit",
    "bot",
    "but",
    "by",
    "can",
    "could",
    "dear",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "each",
    "eh",
    "etc",
    "even",
    "ever",
    "exactly",
    "for",
    "from",
    "generally",
    "get",
    "gets",
    "getting",
    "go",
    "going",
    "gonna",
    "got",
    "guy",
    "guys",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "hey",
    "hi",
    "him",
    "his",
    "hiya",
    "hm",
    "hmm",
    "honestly",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "kind",
    "kinda",
    "let",
    "like",
    "literally",
    "lot",
    "lots",
    "maybe",
    "me",
    "mine",
    "my",
    "myself",
    "no",
    "not",
    "now",
    "of",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "or",
    "our",
    "ours",
    "out",
    "perhaps",
    "please",
    "pls",
    "plz",
    "pretty",
    "quite",
    "really",
    "seriously",
    "she",
    "should",
    "so",
    "some",
    "somebody",
    "someone",
    "something",
    "sort",
    "still",
    "such",
    "sure",
    "tell",
    "than",
    "thank",
    "thanks",
    "thanx",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "thx",
    "to",
    "today",
    "too",
    "u",
    "uh",
    "um",
    "us",
    "very",
    "wanna",
    "want",
    "was",
    "we",
    "well",
    "were",
    "will",
    "with",
    "wonder",
    "wondering",
    "would",
    "ya",
    "yeah",
    "yep",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
];

/// Words that shape a question without naming its topic. They count when
/// the FAQ uses them ("when" tells timing from dosage), but one the FAQ never
/// uses is no sign that the question is about something new.
const QUESTION_WORDS: &[&str] = &[
    "how", "what", "whatever", "when", "whenever", "where", "which", "who", "whom", "whose", "why",
];

pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.contains(&word)
}

/// Is this (folded, unstemmed) word filler?
pub fn is_stopword(word: &str) -> bool {
    WORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        let mut sorted = WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, WORDS, "keep WORDS sorted and unique");
    }

    #[test]
    fn question_words_are_kept() {
        for w in [
            "what", "when", "why", "how", "which", "much", "many", "long", "who", "where",
        ] {
            assert!(!is_stopword(w), "{w}");
        }
        assert!(is_stopword("the"));
        assert!(is_stopword("please"));
        assert!(is_stopword("exactly"));
        assert!(!is_stopword("up"), "'how do i up my magnesium' needs it");
    }
}
