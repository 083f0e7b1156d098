//! Reading a message in its conversation: "and when should I take it?"
//! after a question about the best form of magnesium.
//!
//! A follow-up does not stand on its own: alone, it is refused for lack of
//! anything close. Read after the previous question ("what is the best
//! magnesium for rls, and when should i take it?") it is an ordinary
//! question, and both stages and the learned decision judge it as one.
//! The design choices:
//!
//! - **The message alone first.** A message that is answered alone, is an
//!   emergency or is small talk is never bent toward the previous topic.
//! - **Another subject stays refused.** A message refused alone because it
//!   names a subject the FAQ does not cover ("what brand then?", "and for
//!   my dog?": a new subject, or one of the kinds `outside.yaml` lists) is
//!   refused in context too: the previous question would only hide that
//!   subject behind its own words.
//! - **Only what the engine is given.** The engine keeps no memory: front
//!   ends (the bot, `faqbot chat`) hold the previous question, for as long
//!   as they choose, and pass it in.

use crate::analysis::{Typing, reference};

use super::build::layout;
use super::fusion::{self, Reason};
use super::judge::{Embedded, Known, folds_to};
use super::learned::Class;
use super::{Engine, Outcome};

/// The previous question of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The question as it was read: a follow-up's text joined with the
    /// question before it, so a conversation's thread carries on.
    pub question: String,
}

/// A message's outcome, and whether it was read with the previous question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<'a> {
    pub outcome: Outcome<'a>,
    /// The previous question was used.
    pub context: bool,
    /// The text the outcome is for: the message, or the message read after
    /// the previous question. What a front end keeps as the next
    /// [`Previous`] when the message was a question.
    pub read_as: String,
    /// The message itself.
    message: String,
    /// The previous question, when the message was read after it and
    /// still refused: what a curator needs to see beside a follow-up that
    /// means little alone.
    pub refused_after: Option<String>,
}

/// The longest previous question kept, in characters: a thread of
/// follow-ups joined one after the other would otherwise grow without
/// end, and a question this long has its subject.
pub const MAX_THREAD: usize = 400;

impl Reading<'_> {
    /// What to remember for the next message: the question as read, when
    /// the message was a question (answered or not); None for small talk
    /// (the thread goes on past a "thanks") and for an emergency (the
    /// conversation starts again).
    pub fn next_previous(&self, previous: Option<&Previous>) -> Option<Previous> {
        match self.outcome {
            Outcome::Answer { .. } | Outcome::NoMatch { .. } => Some(Previous {
                question: self.read_as.clone(),
            })
            // A long thread of follow-ups keeps its last message only.
            .filter(|p| p.question.chars().count() <= MAX_THREAD)
            .or_else(|| {
                Some(Previous {
                    question: self.message.clone(),
                })
            }),
            Outcome::SmallTalk { .. } => previous.cloned(),
            Outcome::Urgent { .. } => None,
        }
    }
}

impl Engine {
    /// Answers `message` in its conversation: alone, or, when it does not
    /// stand on its own, read after `previous` (see the module docs).
    pub fn ask_after(&self, message: &str, previous: Option<&Previous>) -> Reading<'_> {
        let (alone, reason, known) = self.ask_embedded(message, Typing::Complete);
        let alone_reading = |outcome| Reading {
            outcome,
            context: false,
            read_as: message.trim().to_string(),
            message: message.trim().to_string(),
            refused_after: None,
        };
        let Some(previous) = previous.filter(|p| !p.question.trim().is_empty()) else {
            return alone_reading(alone);
        };
        // Refused alone for lack of anything close, or for a word that
        // may be the previous question's subject ("can it cure it tho"
        // after "can mag help rls"); not when it was closer to a question
        // outside.yaml lists, unless only loosely ("why that one?" is
        // nearest to "tell me a joke").
        let (answerable, subject) = match &reason {
            Some(Reason::BelowThreshold | Reason::MeaningTooFar | Reason::NothingClose) => {
                (true, None)
            }
            Some(Reason::NewSubject(word)) => (true, Some(word.as_str())),
            Some(Reason::Outside(o)) => (o.similarity < fusion::CONTEXT_OUTSIDE, None),
            _ => (false, None),
        };
        // Answered alone, but pointing back ("could that be causing my
        // rls?"): the answer alone is to another question when the
        // conversation gives the pointer its meaning; it stands when the
        // conversation finds nothing.
        // A message that does not point back stands on its own ("what is
        // sleep apnea" after a question about RLS), and so does a long one:
        // read alone only.
        let refused = matches!(alone, Outcome::NoMatch { .. }) && answerable;
        let answered = matches!(alone, Outcome::Answer { .. });
        let short = message.split_whitespace().count() <= fusion::FOLLOW_UP_WORDS;
        if !(refused || answered) || !short || !reference::refers_back(message) {
            return alone_reading(alone);
        }
        let refused_in_context = |alone| match alone {
            Outcome::NoMatch { .. } => Reading {
                refused_after: Some(previous.question.clone()),
                ..alone_reading(alone)
            },
            _ => alone_reading(alone),
        };
        let read_as = joined(&previous.question, message);
        let (mixed, joined_only) = self.in_context(&read_as, message.trim(), &known);
        let answered = |known: &Known| {
            let judgement = self.judge(&read_as, Typing::Complete, known);
            judgement.reason.answers().then_some(judgement)
        };
        // The message's own meaning first; the joined text alone when that
        // finds nothing ("why that one?" asks only of the previous answer).
        let Some(judgement) = answered(&mixed).or_else(|| answered(&joined_only)) else {
            return refused_in_context(alone);
        };
        let Some(best) = judgement.ranked.first() else {
            return refused_in_context(alone);
        };
        // A word that named another subject alone still does, when the
        // entry found in context lacks it too ("ok but what brand"). In a
        // message of one word and a few small ones, any new word carries
        // its meaning ("whats better then"): it names another subject when
        // the learned decision, given the word alone, finds it outside.
        if let Some(word) = subject
            && self
                .matcher
                .words_foreign_to(&read_as, Typing::Complete, best.entry)
                .iter()
                .any(|stem| folds_to(word, stem))
            && self.names_outside(word)
        {
            return refused_in_context(alone);
        }
        Reading {
            outcome: self.outcome(&judgement),
            context: true,
            read_as,
            message: message.trim().to_string(),
            refused_after: None,
        }
    }
}

impl Engine {
    /// Whether `word`, alone, is most likely something the FAQ does not
    /// cover ("brand", "melatonin") rather than an entry, small talk or an
    /// emergency ("better"); true when the learned decision cannot say.
    fn names_outside(&self, word: &str) -> bool {
        let (Some(semantic), Some(head)) = (&self.semantic, &self.head) else {
            return true;
        };
        if !self.head_may_decide() {
            return true;
        }
        match semantic.embed(&[word]) {
            Ok(v) => v.first().is_none_or(|v| {
                let (class, _) = head.best(v);
                layout(&self.faq).class(class) == Class::Outside
            }),
            Err(_) => true,
        }
    }

    /// The meaning of a follow-up in context: the joined text's vector and
    /// the message's own, added and normalised. Joined alone, the previous
    /// question's words outweigh the few of a short follow-up ("daily
    /// magnesium needs for an adult, and which foods have it" stays with
    /// the daily amount); the message alone has no subject ("which foods
    /// have it"). Half of each keeps the subject and what is asked of it.
    /// Empty (the joined text is embedded as it is) without the model.
    fn in_context(&self, read_as: &str, message: &str, known: &Known) -> (Embedded, Embedded) {
        let Some(semantic) = &self.semantic else {
            return (Vec::new(), Vec::new());
        };
        let Some(alone) = known.iter().find(|(t, _)| t == message).map(|(_, v)| v) else {
            return (Vec::new(), Vec::new());
        };
        let joined = match semantic.embed(&[read_as]) {
            Ok(mut v) if !v.is_empty() => v.swap_remove(0),
            _ => return (Vec::new(), Vec::new()),
        };
        let mut sum: Vec<f32> = joined.iter().zip(alone).map(|(a, b)| a + b).collect();
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > f32::EPSILON {
            sum.iter_mut().for_each(|x| *x /= norm);
        }
        (
            vec![(read_as.to_string(), sum)],
            vec![(read_as.to_string(), joined)],
        )
    }
}

/// The previous question and the message as one question: "what is the
/// best magnesium for rls, and when should i take it?". The previous
/// question's closing punctuation goes, so the two read as one sentence
/// (the sentence stage would otherwise pick the previous question alone).
fn joined(previous: &str, message: &str) -> String {
    let previous = previous.trim().trim_end_matches(['?', '.', '!', ' ']);
    format!("{previous}, {}", message.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_question_and_the_message_read_as_one_sentence() {
        assert_eq!(
            joined("what is the best magnesium for rls?? ", " and when? "),
            "what is the best magnesium for rls, and when?"
        );
    }
}
