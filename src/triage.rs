//! Red-flag triage: messages that suggest an emergency get an urgent reply
//! (by category: overdose, chest pain, suicidal thoughts...) instead of an
//! FAQ answer.
//!
//! Two signals, both from `faq/triage.yaml`, and it errs on the side of
//! safety:
//!
//! - **Meaning.** Curators keep example messages per category and ordinary
//!   look-alikes. The message, each sentence and each clause (so a long
//!   story cannot hide an emergency) is compared by the sentence model with
//!   every example, and with the FAQ's own questions, which are ordinary
//!   too. A part closer to an urgent example than to anything ordinary is
//!   urgent. A lone clause needs a clearer lead, since out of context
//!   "nearly died" or "can't breathe" is often an idiom. Nearest examples
//!   rather than a trained classifier: curators can see why a message
//!   alarmed (its nearest example) and fix it by adding one.
//! - **Patterns**, a second signal: a few words in order, compared whole
//!   after folding and stemming, with the matcher's typo rule (see
//!   [`crate::analysis::lexicon::same_word`]), so "chest pains" and "chets
//!   pain" match "chest pain" but "chestnut" never matches "chest". A
//!   number stands for that count or more, never a measure (see
//!   [`at_least`]). A pattern alarms unless the message is closer in
//!   meaning to one of the `ordinary` look-alikes ("is it possible to
//!   overdose on magnesium?"). With the sentence model off, patterns alone
//!   decide.
//!
//! This module finds patterns, splits messages into parts and holds the
//! examples' vectors; [`crate::engine`] runs the model and decides from
//! the scores (its cut-offs are in `engine::fusion`).

use crate::analysis::stem::Stemmer;

use crate::analysis::fold;
use crate::analysis::lexicon::same_word;
use crate::content::TriageSettings;

/// Other words allowed between two words of a pattern part.
const MAX_GAP: usize = 2;

/// Parts of one message compared at most (the whole, sentences, clauses).
pub const MAX_PARTS: usize = 24;

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
    /// The word as a whole number, if it is one (see [`at_least`]).
    number: Option<u64>,
}

/// One pattern: parts that must all appear; each part's words in order.
#[derive(Debug)]
struct Pattern {
    source: String,
    /// Index into the settings' categories; None for a general pattern.
    category: Option<usize>,
    /// Its category alarms on a pattern whatever the look-alikes say.
    always: bool,
    parts: Vec<Vec<Word>>,
}

/// A pattern found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternHit<'a> {
    pub source: &'a str,
    pub category: Option<usize>,
    /// Never set aside for an ordinary look-alike (one of the category's
    /// `always_patterns`: wording that is never harmless, "kill myself").
    pub always: bool,
}

/// Why a message is urgent.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    /// Index into the settings' categories; None for a general pattern.
    pub category: Option<usize>,
    /// What alarmed, for curators: the part of the message in quotes, or
    /// the pattern.
    pub because: String,
    /// Whether meaning alone alarmed (no pattern): a farewell that is
    /// exactly small talk ("bye") then stays small talk.
    pub by_meaning: bool,
}

/// Which piece of a message a part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Whole,
    Sentence,
    Clause,
}

/// How one part of a message compares with the examples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartScore {
    pub level: Level,
    /// Similarity with the closest urgent example, and its category.
    pub urgent: f32,
    pub category: usize,
    /// Similarity with the closest ordinary message (look-alike example or
    /// FAQ question).
    pub ordinary: f32,
    /// Similarity with the closest of triage's own `ordinary` look-alikes:
    /// what may set a pattern aside.
    pub look_alike: f32,
}

/// The whole message, its sentences and its clauses (split at commas and
/// at "and"/"but"), each of at least two words, the whole first.
pub fn parts(message: &str) -> Vec<(&str, Level)> {
    parts_of(message, &fold::sentences(message))
}

/// [`parts`] of `message` split into `sentences` already
/// ([`fold::sentences`], as the engine's query holds them).
pub fn parts_of<'a>(message: &'a str, sentences: &[(&'a str, bool)]) -> Vec<(&'a str, Level)> {
    let whole = message.trim();
    let mut out = vec![(whole, Level::Whole)];
    let sentences: Vec<&str> = sentences.iter().map(|(s, _)| *s).collect();
    let clauses = clauses(whole);
    if sentences.len() > 1 {
        out.extend(sentences.iter().map(|s| (*s, Level::Sentence)));
    }
    if clauses.len() > 1 {
        out.extend(
            clauses
                .into_iter()
                .filter(|c| !sentences.contains(c) && *c != whole)
                .map(|c| (c, Level::Clause)),
        );
    }
    out.truncate(MAX_PARTS);
    out
}

/// The clauses of `text`: pieces between punctuation or the words "and",
/// "but" and "so", trimmed, of at least two words.
fn clauses(text: &str) -> Vec<&str> {
    let next = |rest: &str| {
        let punct = rest
            .find([',', '.', '!', '?', '\n', ';', '(', ')'])
            .map(|i| (i, 1));
        let word = [" and ", " but ", " so "]
            .iter()
            .filter_map(|w| rest.find(w).map(|i| (i, w.len())))
            .min();
        punct.into_iter().chain(word).min()
    };
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (end, skip) = next(rest).unwrap_or((rest.len(), 0));
        let piece = rest[..end].trim();
        if piece.split_whitespace().nth(1).is_some() {
            out.push(piece);
        }
        rest = rest.get(end + skip..).unwrap_or("");
    }
    out
}

/// The examples' vectors, one row each (see [`crate::engine`], which embeds
/// them with the sentence model).
#[derive(Debug, Default, Clone)]
pub struct Examples {
    dim: usize,
    urgent: Vec<f32>,
    /// Row of `urgent` -> category.
    categories: Vec<usize>,
    ordinary: Vec<f32>,
}

impl Examples {
    /// The texts to embed: urgent examples with their categories, then the
    /// ordinary look-alikes.
    pub fn texts(settings: &TriageSettings) -> (Vec<(&str, usize)>, Vec<&str>) {
        let urgent = settings
            .categories
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.examples.iter().map(move |e| (e.as_str(), i)))
            .collect();
        let ordinary = settings.ordinary.iter().map(String::as_str).collect();
        (urgent, ordinary)
    }

    pub fn new(dim: usize, urgent: Vec<(Vec<f32>, usize)>, ordinary: Vec<Vec<f32>>) -> Examples {
        Examples {
            dim,
            categories: urgent.iter().map(|(_, c)| *c).collect(),
            urgent: urgent.into_iter().flat_map(|(v, _)| v).collect(),
            ordinary: ordinary.into_iter().flatten().collect(),
        }
    }

    /// Each urgent example's vector and category.
    pub fn urgent(&self) -> impl Iterator<Item = (&[f32], usize)> {
        self.urgent
            .chunks(self.dim.max(1))
            .zip(self.categories.iter().copied())
    }

    /// Each ordinary look-alike's vector.
    pub fn ordinary(&self) -> impl Iterator<Item = &[f32]> {
        self.ordinary.chunks(self.dim.max(1))
    }

    /// The closest urgent example (similarity, category) and the closest
    /// ordinary one's similarity.
    pub fn closest(&self, vector: &[f32]) -> (f32, usize, f32) {
        let dim = self.dim.max(1);
        let mut urgent = (-1.0_f32, 0);
        for (row, v) in self.urgent.chunks(dim).enumerate() {
            let score = crate::semantic::dot(v, vector);
            if score > urgent.0 {
                urgent = (score, self.categories.get(row).copied().unwrap_or(0));
            }
        }
        let ordinary = self
            .ordinary
            .chunks(dim)
            .map(|v| crate::semantic::dot(v, vector))
            .fold(-1.0_f32, f32::max);
        (urgent.0, urgent.1, ordinary)
    }
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
        let stemmer = Stemmer::english();
        let general = settings.patterns.iter().map(|p| (p, None, false));
        let by_category = settings.categories.iter().enumerate().flat_map(|(i, c)| {
            let vetoable = c.patterns.iter().map(move |p| (p, Some(i), false));
            vetoable.chain(c.always_patterns.iter().map(move |p| (p, Some(i), true)))
        });
        let patterns = general
            .chain(by_category)
            .filter_map(|(source, category, always)| {
                let parts: Vec<Vec<Word>> = source
                    .split('+')
                    .map(|part| analyze(&stemmer, &fold::words(part)))
                    .collect();
                // Checked by `faqbot check`; an empty part would match everything.
                if parts.iter().any(Vec::is_empty) {
                    return None;
                }
                Some(Pattern {
                    source: source.clone(),
                    category,
                    always,
                    parts,
                })
            })
            .collect();
        Triage { stemmer, patterns }
    }

    /// The pattern the message matches, if any: an always-pattern before
    /// any other.
    pub fn check(&self, message: &str) -> Option<PatternHit<'_>> {
        self.check_words(&fold::words(message))
    }

    /// [`Triage::check`] on a message's folded words
    /// ([`crate::analysis::fold::words`]).
    pub fn check_words(&self, folded: &[String]) -> Option<PatternHit<'_>> {
        let mut words = analyze(&self.stemmer, folded);
        // Generous for a message that names an emergency after a long
        // preamble, but bounded.
        words.truncate(256);
        let matches = |p: &&Pattern| p.parts.iter().all(|part| contains_part(&words, part));
        // An always-pattern first: found after a vetoable one, it would
        // be vetoed with it.
        let always = self.patterns.iter().filter(|p| p.always).find(matches);
        always
            .or_else(|| self.patterns.iter().find(matches))
            .map(|p| PatternHit {
                source: &p.source,
                category: p.category,
                always: p.always,
            })
    }
}

fn analyze(stemmer: &Stemmer, folded: &[String]) -> Vec<Word> {
    folded
        .iter()
        .map(|typed| Word {
            stem: stemmer.stem(typed),
            len: typed.chars().count(),
            first: typed.chars().next(),
            number: typed.parse().ok(),
            typed: typed.clone(),
        })
        .collect()
}

/// Words after a number that make it a measure, not a count of pills:
/// "took 400 mg" is a dose, "took 40 tablets" may be an overdose.
const UNITS: &[&str] = &[
    "mg",
    "milligram",
    "milligrams",
    "g",
    "gram",
    "grams",
    "mcg",
    "ug",
    "ml",
    "iu",
    "percent",
    "kg",
    "lbs",
    "lb",
    "am",
    "pm",
    "years",
    "year",
    "yo",
    "weeks",
    "week",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "mins",
    "min",
    "times",
    "x",
    "k",
];

/// A pattern word that is a number stands for that count or more: "10
/// pills" matches "took 40 pills" and "had 25 capsules" but not "2 pills",
/// nor a number that measures something ("a 400 mg tablet").
fn at_least(typed: &[Word], at: usize, pattern: &Word) -> Option<bool> {
    let wanted = pattern.number?;
    let count = typed[at].number;
    let measure = typed
        .get(at + 1)
        .is_some_and(|next| UNITS.contains(&next.typed.as_str()));
    Some(count.is_some_and(|n| n >= wanted) && !measure)
}

/// The message's word at `at` stands for the pattern word: a count at
/// least the pattern's number (see [`at_least`]), or a word [`similar`] to it.
fn matches_at(typed: &[Word], at: usize, pattern: &Word) -> bool {
    at_least(typed, at, pattern).unwrap_or_else(|| similar(&typed[at], pattern))
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
        if !matches_at(stems, start, &part[0]) {
            return false;
        }
        let mut at = start;
        part[1..].iter().all(|word| {
            let window = at + 1..(at + 2 + MAX_GAP).min(stems.len());
            match window.clone().find(|&i| matches_at(stems, i, word)) {
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
    fn an_always_pattern_is_found_before_a_look_alike_pattern() {
        let t = triage();
        let hit = t
            .check("cutting myself helps with the leg feeling")
            .expect("a pattern");
        assert!(hit.always, "{hit:?}");
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
            "CHEST PAIN!!!",
        ] {
            assert!(t.check(message).is_some(), "missed: {message:?}");
        }
    }

    #[test]
    fn a_number_in_a_pattern_is_that_count_or_more_never_a_measure() {
        let t = Triage::new(&TriageSettings {
            reply: "call".into(),
            patterns: vec!["10 tablets".into()],
            categories: Vec::new(),
            ordinary: Vec::new(),
        });
        for message in [
            "just took 40 tablets to make it stop",
            "swallowed 10 of my tablets",
            "took 12 magnesium tablets",
        ] {
            assert!(t.check(message).is_some(), "missed: {message:?}");
        }
        for message in [
            "i take 2 tablets a day",
            "took 9 tablets over the week",
            "a 400 mg tablet every night",
            "400mg tablets or 200mg ones?",
            "ten tablets",
        ] {
            assert_eq!(t.check(message), None, "false alarm: {message:?}");
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
            categories: Vec::new(),
            ordinary: Vec::new(),
        });
        let source = |m: &str| t.check(m).map(|h| h.source.to_string());
        assert_eq!(
            source("I think it's an allergic reaction").as_deref(),
            Some("allergic reaction")
        );
        assert_eq!(
            source("my throat is swollen").as_deref(),
            Some("swollen + throat")
        );
        assert_eq!(source("chest pain"), None, "only the curator's patterns");
    }

    #[test]
    fn patterns_carry_their_category() {
        let settings = TriageSettings::default();
        let t = Triage::new(&settings);
        let hit = t.check("crushing chest pain").expect("pattern");
        let name = hit.category.map(|i| settings.categories[i].name.as_str());
        assert_eq!(name, Some("chest_pain"));
    }

    #[test]
    fn parts_find_clauses_inside_a_story() {
        let story =
            "Sorry to bother you, my legs are bad tonight. Also my chest hurts and my arm is numb";
        let got = parts(story);
        assert_eq!(got[0], (story, Level::Whole));
        assert!(got.contains(&("Also my chest hurts and my arm is numb", Level::Sentence)));
        assert!(got.contains(&("my arm is numb", Level::Clause)));
        assert!(got.contains(&("Sorry to bother you", Level::Clause)));
        assert_eq!(parts("help"), vec![("help", Level::Whole)]);
        assert!(parts(&"a b, ".repeat(100)).len() <= MAX_PARTS);
    }

    #[test]
    fn odd_input_is_safe() {
        let t = triage();
        for message in ["", "🙂", "\u{0}", &"word ".repeat(10_000)] {
            assert_eq!(t.check(message), None);
        }
    }
}
