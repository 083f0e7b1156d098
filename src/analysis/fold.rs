//! Text folding and word splitting shared by content checks, the matcher and
//! the unmatched-question review.
//!
//! People type "What’s RLS?", "whats rls", "WHAT IS RLS" and "ｗhat is rls" and
//! mean the same thing. Folding removes the differences that never carry
//! meaning (case, Unicode compatibility forms, accents, curly quotes,
//! contractions) so that everything downstream compares plain words.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases, applies Unicode compatibility normalisation (NFKD), drops
/// accents and other combining marks, and straightens quotes.
pub fn fold(text: &str) -> String {
    // Most text is ASCII, where folding is just lowercasing: skip the
    // Unicode decomposition, which dominates indexing time otherwise.
    if text.is_ascii() {
        return text
            .bytes()
            .map(|b| match b {
                b'`' => '\'',
                b if b.is_ascii_control() => ' ',
                b => b.to_ascii_lowercase() as char,
            })
            .collect();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{00B4}' | '`' | '\u{2032}' => {
                out.push('\'')
            }
            c if c.is_control() => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Splits folded text into words: runs of letters and digits, with
/// contractions expanded ("what's" -> "what is", "dont" -> "do not") and
/// digits split from letters ("400mg" -> "400", "mg").
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    for raw in folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let raw = raw.trim_matches('\'');
        if raw.is_empty() {
            continue;
        }
        expand(raw, &mut out);
    }
    out
}

/// Collapses every run of whitespace (newlines included) to one space and
/// trims the ends: how a question or phrasing is shown and stored.
pub fn squash_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentences of a message, trimmed, each of at least two words, with
/// whether it ends in a question mark. Both the sentence stage (to find the
/// question in a story) and triage (so a story cannot hide an emergency)
/// look at messages sentence by sentence.
pub fn sentences(message: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = message.trim();
    while !rest.is_empty() {
        let end = rest.find(['.', '!', '?', '\n', ';']).unwrap_or(rest.len());
        let asks = rest[end..].starts_with('?');
        let sentence = rest[..end].trim();
        if sentence.split_whitespace().nth(1).is_some() {
            out.push((sentence, asks));
        }
        rest = rest.get(end + 1..).unwrap_or("");
    }
    out
}

/// A key for "is this the same phrasing?": folded words joined by spaces.
pub fn phrase_key(text: &str) -> String {
    words(text).join(" ")
}

fn expand(word: &str, out: &mut Vec<String>) {
    if let Some(full) = contraction(word) {
        out.extend(full.split(' ').map(str::to_string));
        return;
    }
    if let Some((stem, suffix)) = word.split_once('\'') {
        // Generic suffixes: "magnesium's" -> "magnesium", "they're" -> "they are".
        push_split_digits(stem, out);
        match suffix {
            "re" => out.push("are".into()),
            "ve" => out.push("have".into()),
            "ll" => out.push("will".into()),
            "d" => out.push("would".into()),
            "m" => out.push("am".into()),
            "t" => out.push("not".into()),
            _ => {}
        }
        return;
    }
    push_split_digits(word, out);
}

/// "400mg" -> "400", "mg"; "b12" -> "b", "12".
fn push_split_digits(word: &str, out: &mut Vec<String>) {
    let mut current = String::new();
    let mut digits = false;
    for c in word.chars() {
        let is_digit = c.is_ascii_digit();
        if !current.is_empty() && is_digit != digits {
            out.push(std::mem::take(&mut current));
        }
        digits = is_digit;
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
}

/// Contractions, with and without the apostrophe, as people type them.
/// Looked up for every word of every text, so through a hash map rather
/// than a long `match` of string comparisons.
fn contraction(word: &str) -> Option<&'static str> {
    static TABLE: LazyLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
        LazyLock::new(|| {
            CONTRACTIONS
                .iter()
                .flat_map(|(forms, full)| forms.iter().map(move |f| (*f, *full)))
                .collect()
        });
    if word.len() > 8 {
        return None;
    }
    TABLE.get(word).copied()
}

const CONTRACTIONS: &[(&[&str], &str)] = &[
    (&["what's", "whats"], "what is"),
    (&["where's", "wheres"], "where is"),
    (&["when's"], "when is"),
    (&["how's", "hows"], "how is"),
    (&["who's"], "who is"),
    (&["why's"], "why is"),
    (&["it's", "its"], "it is"),
    (&["that's", "thats"], "that is"),
    (&["there's", "theres"], "there is"),
    (&["don't", "dont"], "do not"),
    (&["doesn't", "doesnt"], "does not"),
    (&["didn't", "didnt"], "did not"),
    (&["can't", "cant"], "can not"),
    (&["cannot"], "can not"),
    (&["won't", "wont"], "will not"),
    (&["isn't", "isnt"], "is not"),
    (&["aren't", "arent"], "are not"),
    (&["shouldn't", "shouldnt"], "should not"),
    (&["wouldn't", "wouldnt"], "would not"),
    (&["i'm", "im"], "i am"),
    (&["i've", "ive"], "i have"),
    (&["i'd"], "i would"),
    (&["i'll"], "i will"),
    (&["let's", "lets"], "let us"),
    // Chat spellings too short to correct as typos.
    (&["wat", "wut", "wht"], "what"),
    (&["hw"], "how"),
    (&["u"], "you"),
    (&["ur"], "your"),
    (&["r"], "are"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_compatibility_forms() {
        assert_eq!(fold("Café ＲＬＳ"), "cafe rls");
        assert_eq!(fold("What’s"), "what's");
        assert_eq!(fold("a\u{0007}b"), "a b");
    }

    #[test]
    fn splits_words_and_expands_contractions() {
        assert_eq!(words("What’s RLS?"), ["what", "is", "rls"]);
        assert_eq!(words("whats rls"), ["what", "is", "rls"]);
        assert_eq!(words("I don't sleep"), ["i", "do", "not", "sleep"]);
        assert_eq!(words("magnesium's role"), ["magnesium", "role"]);
        assert_eq!(words("take 400mg, ok?"), ["take", "400", "mg", "ok"]);
        assert_eq!(words("they're 'quoted'"), ["they", "are", "quoted"]);
    }

    #[test]
    fn odd_input_gives_no_words_without_panicking() {
        assert!(words("").is_empty());
        assert!(words("🙂🙂 !!! \u{0000}").is_empty());
        assert_eq!(words("'''"), Vec::<String>::new());
        assert_eq!(words("магний"), ["магнии"]);
    }

    #[test]
    fn phrase_keys_ignore_punctuation_and_case() {
        assert_eq!(phrase_key("What is RLS?"), phrase_key("what is rls"));
        assert_eq!(phrase_key("What's RLS"), phrase_key("what is rls"));
    }
}
