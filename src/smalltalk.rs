//! Small talk: "hi", "thanks!!", "👍", "are you a bot?" get a short
//! friendly reply from `faq/smalltalk.yaml` instead of counting as a
//! question nobody could answer.
//!
//! Two ways in, both deliberately narrow, because a real question taken for
//! small talk would go unanswered:
//!
//! - **By form**, before any matching: the whole message, folded (case,
//!   accents, punctuation; runs of a repeated letter, as in "thanksss" or
//!   "hiii"), is an example, or one typo away from one of at least five
//!   letters ("thank yuo"). A message of only emoji is small talk when each
//!   emoji is an example. Anything with more words than the longest
//!   example is never small talk by form.
//! - **By meaning**, only for a short message that no entry answers: the
//!   sentence model finds it close to an example and clearly closer to it
//!   than to any FAQ phrasing (the engine decides, with the cut-offs in
//!   `engine::fusion`). This catches "hey, who am I talking to" and
//!   "cheers mate".
//!
//! Triage runs before both, so "thanks, but my chest hurts" is never small
//! talk. This module recognises the form; [`crate::engine`] runs the
//! model and decides by meaning.

use crate::analysis::fold;
use crate::content::SmallTalkSettings;

/// The examples in the forms the recogniser compares.
#[derive(Debug, Clone, Default)]
pub struct SmallTalk {
    /// Folded word keys of the examples, with their kind.
    words: Vec<(String, usize)>,
    /// Emoji of the emoji-only examples, with their kind.
    emoji: Vec<(char, usize)>,
    /// The most words any example has.
    longest: usize,
}

impl SmallTalk {
    pub fn new(settings: &SmallTalkSettings) -> SmallTalk {
        let mut talk = SmallTalk::default();
        for (example, kind) in settings.examples() {
            match key(example, &fold::words(example)) {
                Key::Words(words) => {
                    talk.longest = talk.longest.max(words.split(' ').count());
                    talk.words.push((words, kind));
                }
                Key::Emoji(emoji) => talk.emoji.extend(emoji.into_iter().map(|e| (e, kind))),
                Key::Nothing => {}
            }
        }
        talk
    }

    /// The kind of small talk `message` is by its form, if any.
    pub fn by_form(&self, message: &str) -> Option<usize> {
        self.by_form_words(message, &fold::words(message))
    }

    /// [`SmallTalk::by_form`] with the message's folded words
    /// ([`crate::analysis::fold::words`]) already made.
    pub fn by_form_words(&self, message: &str, folded: &[String]) -> Option<usize> {
        match key(message, folded) {
            Key::Words(words) => {
                if words.split(' ').count() > self.longest {
                    return None;
                }
                let variants = [
                    words.clone(),
                    squash_repeats(&words, 1),
                    squash_repeats(&words, 2),
                ];
                if let Some(kind) = self
                    .words
                    .iter()
                    .find(|(k, _)| variants.iter().any(|v| v == k))
                    .map(|(_, kind)| *kind)
                {
                    return Some(kind);
                }
                // One typo, only for keys long enough that one letter
                // cannot turn a word into another ("hey" / "hemp").
                self.words
                    .iter()
                    .filter(|(k, _)| k.chars().count() >= 5)
                    .find(|(k, _)| {
                        variants.iter().any(|v| {
                            v.chars().next() == k.chars().next()
                                && strsim::damerau_levenshtein(v, k) <= 1
                        })
                    })
                    .map(|(_, kind)| *kind)
            }
            Key::Emoji(emoji) => {
                let kinds: Vec<usize> = emoji
                    .iter()
                    .map(|e| self.emoji.iter().find(|(x, _)| x == e).map(|(_, k)| *k))
                    .collect::<Option<_>>()?;
                kinds.first().copied()
            }
            Key::Nothing => None,
        }
    }
}

/// A message as the recogniser compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// Folded words joined by spaces.
    Words(String),
    /// No letters or digits: the emoji and symbols in it, each once,
    /// without skin tones or variation selectors.
    Emoji(Vec<char>),
    Nothing,
}

fn key(message: &str, folded: &[String]) -> Key {
    if !folded.is_empty() {
        return Key::Words(folded.join(" "));
    }
    let mut emoji: Vec<char> = Vec::new();
    for c in message.chars() {
        let ignored = c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(
                c,
                '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}'
            );
        if !ignored && !emoji.contains(&c) {
            emoji.push(c);
        }
    }
    if emoji.is_empty() {
        Key::Nothing
    } else {
        Key::Emoji(emoji)
    }
}

/// Runs of three or more of the same letter cut to `keep` ("hiii" with 1
/// is "hi"; "cooool" with 2 is "cool").
fn squash_repeats(text: &str, keep: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        let n = if run >= 3 && c.is_alphabetic() {
            keep
        } else {
            run
        };
        out.extend(std::iter::repeat_n(c, n));
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk() -> (SmallTalk, SmallTalkSettings) {
        let settings = SmallTalkSettings::defaults();
        (SmallTalk::new(&settings), settings)
    }

    fn kind(message: &str) -> Option<String> {
        let (talk, settings) = talk();
        talk.by_form(message)
            .map(|k| settings.kinds[k].name.clone())
    }

    #[test]
    fn greetings_thanks_and_emoji_are_small_talk_by_form() {
        for (message, expected) in [
            ("hi", "greeting"),
            ("Hiii!!", "greeting"),
            ("Hello there :)", "greeting"),
            ("thanks", "thanks"),
            ("Thanksss!", "thanks"),
            ("thank yuo", "thanks"),
            ("Ok, thank you.", "thanks"),
            ("👍", "ok"),
            ("👍🏽👍🏽", "ok"),
            ("🙏", "thanks"),
            ("❤️", "thanks"),
            ("OK", "ok"),
            ("cooool", "ok"),
            ("Are you a bot?", "are_you_a_bot"),
            ("are you a doctor??", "are_you_a_doctor"),
            ("who are you", "who_are_you"),
            ("bye!", "goodbye"),
        ] {
            assert_eq!(kind(message).as_deref(), Some(expected), "{message}");
        }
    }

    #[test]
    fn questions_and_unknown_emoji_are_not() {
        for message in [
            "hi, how much magnesium should I take?",
            "thanks but my legs still hurt at night",
            "help",
            "hemp",
            "what is rls",
            "is magnesium ok",
            "ok so what dose",
            "😭",
            "👍 🤔",
            "...",
            "",
        ] {
            assert_eq!(kind(message), None, "{message}");
        }
    }
}
