//! Reading a message in its conversation: "and when should I take it?"
//! after a question about the best form of magnesium.
//!
//! A follow-up does not stand on its own: alone, it is refused for lack of
//! anything close, or answered as another question ("could that be causing
//! my rls?" after the signs of low magnesium is not a question about the
//! causes of RLS). Read after the previous question it is an ordinary
//! question, and both stages and the learned decision judge it as one.
//! The design choices:
//!
//! - **Only a message that points back.** A word standing for something
//!   said before, an opening "and", or no word naming anything
//!   ([`crate::analysis::reference`]), in a short message
//!   ([`fusion::FOLLOW_UP_WORDS`]). Anything else has its own subject and
//!   is never bent toward the previous topic; nor are emergencies and
//!   small talk.
//! - **Its own meaning kept.** In context the meaning is the joined text's
//!   vector plus the message's own: the previous question's words would
//!   otherwise drown a short follow-up's.
//! - **Another subject stays refused.** A message refused alone because it
//!   names a subject the FAQ does not cover ("what brand then?", "and for
//!   my dog?": a new subject, or one of the kinds `outside.yaml` lists) is
//!   refused in context too: the previous question would only hide that
//!   subject behind its own words.
//! - **Not the same answer for a new question.** The entry the asker
//!   already got is a follow-up's answer only when it asks nothing that
//!   entry does not say; of two equally likely entries, it is the other.
//! - **Only what the engine is given.** The engine keeps no memory: front
//!   ends (the bot, `faqbot chat`) hold the previous question and its
//!   entry, for as long as they choose, and pass them in.

use crate::analysis::language::Language;
use crate::analysis::{Typing, fold, reference, stopwords};

use super::build::layout;
use super::fusion::{self, Reason};
use super::judge::{Embedded, Known, embed_known, folds_to, words_alone};
use super::learned::Class;
use super::query::{Asked, Query};
use super::{Engine, Explanation, Outcome};

/// The previous question of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The question as it was read: a follow-up's text joined with the
    /// question before it, so a conversation's thread carries on.
    pub question: String,
    /// The id of the entry it was answered with, if any: a follow-up
    /// rarely asks for the answer the asker already has.
    pub entry: Option<String>,
    /// The language it was read in: a follow-up too short to tell its own
    /// ("y cuanto?") is in the same language, unless its words say
    /// otherwise.
    pub language: Language,
}

/// A message's outcome, and whether it was read with the previous question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<'a> {
    pub outcome: Outcome<'a>,
    /// The language the message was read in: replies use the settings'
    /// texts for it (see [`crate::content::Settings::in_language`]).
    pub language: Language,
    /// The previous question was used.
    pub context: bool,
    /// Why the message was read as it was, for `ask --explain`.
    pub why: Why,
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
    /// The meaning the outcome was judged by, when read in context (see
    /// [`Engine::in_context`]), so an explanation shows the same ranking.
    known: Embedded,
}

/// Why a message was read alone or in context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// There was no previous question.
    NoPrevious,
    /// An emergency, small talk, or a question about something the FAQ
    /// does not cover: never bent toward the previous topic.
    NotAFollowUp,
    /// No word of it points back at the previous question, or it is long
    /// enough to carry its own context (see
    /// [`fusion::FOLLOW_UP_WORDS`]).
    StandsAlone,
    /// Read in context, the FAQ had no answer either.
    NothingInContext,
    /// Read in context, it still names a subject the entry lacks.
    AnotherSubject,
    /// Read in context, it found the entry the asker already got, but
    /// asks something that entry does not say.
    NothingNew,
    /// Read after the previous question.
    InContext,
    /// Read after the previous question, which already had one of two
    /// equally likely entries: answered with the other.
    InContextTheOther,
}

impl Why {
    /// In plain words, for curators.
    pub fn describe(self) -> &'static str {
        match self {
            Why::NoPrevious => "read alone: there was no previous question",
            Why::NotAFollowUp => {
                "read alone: an emergency, small talk or another subject is never read with the previous question"
            }
            Why::StandsAlone => {
                "read alone: it stands on its own (no word points back to the previous question, or it is long enough to say what it means)"
            }
            Why::NothingInContext => {
                "read alone: read after the previous question, the FAQ has no answer either"
            }
            Why::AnotherSubject => {
                "read alone: even after the previous question, it names a subject the FAQ does not cover"
            }
            Why::NothingNew => {
                "read alone: read after the previous question, it leads back to the answer already given, which does not cover what it asks"
            }
            Why::InContext => "read after the previous question",
            Why::InContextTheOther => {
                "read after the previous question; of two equally likely entries, the one the asker did not already get"
            }
        }
    }
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
        let entry = match &self.outcome {
            Outcome::Answer { entry, .. } => Some(entry.id.clone()),
            Outcome::NoMatch { .. } | Outcome::Choose { .. } => None,
            Outcome::SmallTalk { .. } => return previous.cloned(),
            Outcome::Urgent { .. } => return None,
        };
        // A long thread of follow-ups keeps its last message only.
        let question = if self.read_as.chars().count() <= MAX_THREAD {
            self.read_as.clone()
        } else {
            self.message.clone()
        };
        Some(Previous {
            question,
            entry,
            language: self.language,
        })
    }
}

impl Engine {
    /// Answers `message` in its conversation: alone, or, when it does not
    /// stand on its own, read after `previous` (see the module docs).
    pub fn ask_after<'m>(
        &self,
        message: impl Into<Asked<'m>>,
        previous: Option<&Previous>,
    ) -> Reading<'_> {
        // A message too short to tell its language is in the language of
        // the question before it, when that was not English (after an
        // English one, the sender's setting still decides, as it does
        // alone). A message in another language is read by the
        // multilingual model, in its conversation too.
        let said = message.into();
        let said = Asked {
            hint: previous
                .map(|p| p.language)
                .filter(|l| !l.is_english())
                .or(said.hint),
            ..said
        };
        let (reader, language) = self.reader_for(said);
        if !std::ptr::eq(reader, self) {
            return reader.ask_after(said.read_in(language), previous);
        }
        let message = said.text;
        // A message that may be read in context has that reading's texts
        // embedded in its own forward pass.
        let read = self.read_with(said, Typing::Complete, |query| {
            match previous.filter(|p| !p.question.trim().is_empty()) {
                Some(p) if points_back(message, &query.words, query.language) => {
                    self.texts_in_context(&joined(&p.question, message), query.language)
                }
                _ => Vec::new(),
            }
        });
        debug_assert_eq!(read.language, language);
        let (alone, reason, known, words) = (
            read.outcome,
            read.judgement.map(|j| j.reason),
            read.known,
            read.words,
        );
        let alone_reading = |outcome, why| Reading {
            outcome,
            language,
            context: false,
            why,
            read_as: message.trim().to_string(),
            message: message.trim().to_string(),
            refused_after: None,
            known: Vec::new(),
        };
        let Some(previous) = previous.filter(|p| !p.question.trim().is_empty()) else {
            return alone_reading(alone, Why::NoPrevious);
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
            // In another language, by meaning alone: a short follow-up is
            // rarely closer to an entry than to every outside example
            // alone ("¿y cuándo lo tomo?"). Read in context it is judged
            // the same way again, so a subject outside.yaml lists ("¿y
            // para mi perro?") is still refused.
            Some(Reason::OtherLanguageNotCloser(_) | Reason::OtherLanguageUnjudged) => (true, None),
            Some(Reason::Outside(o)) => (o.similarity < fusion::CONTEXT_OUTSIDE, None),
            _ => (false, None),
        };
        // Answered alone too: pointing back ("could that be causing my
        // rls?"), the answer alone may be to another question; it stands
        // when the conversation finds nothing.
        let question = match alone {
            Outcome::NoMatch { .. } => answerable,
            Outcome::Answer { .. } | Outcome::Choose { .. } => true,
            Outcome::SmallTalk { .. } | Outcome::Urgent { .. } => false,
        };
        if !question {
            return alone_reading(alone, Why::NotAFollowUp);
        }
        // A message that does not point back stands on its own ("what is
        // sleep apnea" after a question about RLS), and so does a long one.
        if !points_back(message, &words, language) {
            return alone_reading(alone, Why::StandsAlone);
        }
        let refused_in_context = |alone, why| match alone {
            Outcome::NoMatch { .. } => Reading {
                refused_after: Some(previous.question.clone()),
                ..alone_reading(alone, why)
            },
            _ => alone_reading(alone, why),
        };
        let read_as = joined(&previous.question, message);
        let (mixed, joined_only) = self.in_context(&read_as, message.trim(), &known);
        let answered = |context: Embedded| {
            // The meaning in context first, so it is the whole text's.
            let vectors = context.iter().chain(&known).cloned().collect();
            let query =
                Query::new(self, &read_as, Typing::Complete, language).with_vectors(vectors);
            let known = context;
            let judgement = self.judge(&query);
            judgement.reason.answers().then_some((judgement, known))
        };
        // The message's own meaning first; the joined text alone when that
        // finds nothing ("why that one?" asks only of the previous answer).
        let Some((judgement, known)) = answered(mixed).or_else(|| answered(joined_only)) else {
            return refused_in_context(alone, Why::NothingInContext);
        };
        let Some(best) = judgement.ranked.first().cloned() else {
            return refused_in_context(alone, Why::NothingInContext);
        };
        // A word that named another subject alone still does, when the
        // entry found in context lacks it too ("ok but what brand"). In a
        // message of one word and a few small ones, any new word carries
        // its meaning ("whats better then"): it names another subject when
        // the learned decision, given the word alone, finds it outside.
        if let Some(word) = subject
            && self
                .matcher
                .words_foreign_to(
                    &self.matcher.analyse(&read_as, Typing::Complete),
                    best.entry,
                )
                .iter()
                .any(|stem| folds_to(word, stem))
            && self.names_outside(word, &known)
        {
            return refused_in_context(alone, Why::AnotherSubject);
        }
        // The entry the asker already got, again: right when the message
        // asks nothing new of it ("why that one?", "what about coffee"
        // after alcohol), a repeat when it does ("and if that doesnt work?
        // are there meds" after natural remedies). Then the answer is the
        // runner-up, when it comes close and the learned decision prefers
        // it to every other entry; otherwise a refusal.
        let mut judgement = judgement;
        let asks_more = || {
            let rest: Vec<String> = fold::words(message)
                .into_iter()
                .filter(|w| !stopwords::is_question_word(w))
                .collect();
            !self
                .matcher
                .words_foreign_to(
                    &self.matcher.analyse(&rest.join(" "), Typing::Complete),
                    best.entry,
                )
                .is_empty()
        };
        if previous.entry.as_ref() == Some(&self.faq.entries[best.entry].id) && asks_more() {
            // The runner-up the learned decision clearly prefers (see
            // fusion::CONTEXT_PREFERRED), if one comes close.
            let mut others: Vec<(usize, f32)> = judgement
                .ranked
                .iter()
                .enumerate()
                .take(fusion::LEARNED_AMONG)
                .skip(1)
                .filter_map(|(at, r)| r.stages.learned.map(|p| (at, p)))
                .collect();
            others.sort_by(|a, b| b.1.total_cmp(&a.1));
            let clear = match others.as_slice() {
                [(at, p), rest @ ..] => rest
                    .first()
                    .is_none_or(|(_, q)| *p >= q * fusion::CONTEXT_PREFERRED)
                    .then_some(*at),
                [] => None,
            };
            let Some(at) = clear
                .filter(|&at| judgement.ranked[at].score >= best.score * fusion::SUGGEST_RATIO)
            else {
                return refused_in_context(alone, Why::NothingNew);
            };
            let chosen = judgement.ranked.remove(at);
            judgement.ranked.insert(0, chosen);
        }
        let (outcome, why) = match self.outcome(&judgement) {
            // Two entries fit equally well and the asker already has one
            // of them: the follow-up asks for the other ("whats better
            // then" after an answer about magnesium oxide).
            Outcome::Choose { entries, .. }
                if entries
                    .iter()
                    .any(|e| Some(&e.id) == previous.entry.as_ref()) =>
            {
                let other = judgement
                    .ranked
                    .iter()
                    .take(2)
                    .find(|r| Some(&self.faq.entries[r.entry].id) != previous.entry.as_ref());
                match other {
                    Some(r) => (
                        Outcome::Answer {
                            entry: &self.faq.entries[r.entry],
                            score: r.score,
                            suggestions: Vec::new(),
                            stages: r.stages,
                        },
                        Why::InContextTheOther,
                    ),
                    None => (
                        Outcome::Choose {
                            entries,
                            score: best.score,
                            stages: best.stages,
                        },
                        Why::InContext,
                    ),
                }
            }
            outcome => (outcome, Why::InContext),
        };
        Reading {
            outcome,
            language,
            context: true,
            why,
            read_as,
            message: message.trim().to_string(),
            refused_after: None,
            known,
        }
    }

    /// How the engine read `message` after `previous`, for curators: the
    /// reading, and the explanation of the text it was judged as.
    pub fn explain_after<'m>(
        &self,
        message: impl Into<Asked<'m>>,
        previous: Option<&Previous>,
        top: usize,
    ) -> (Reading<'_>, Explanation<'_>) {
        let said = message.into();
        let reading = self.ask_after(said, previous);
        let read_as = Asked {
            text: &reading.read_as,
            ..said
        };
        let explanation = self.explain_known(read_as, &reading.known, top);
        (reading, explanation)
    }
}

impl Engine {
    /// Whether `word`, alone, is most likely something the FAQ does not
    /// cover ("brand", "melatonin") rather than an entry, small talk or an
    /// emergency ("better"); true when the learned decision cannot say.
    /// The word's vector is the FAQ's or was weighed with the message
    /// (`known`), so this costs no pass of its own.
    fn names_outside(&self, word: &str, known: &Known) -> bool {
        let (Some(semantic), Some(head)) = (&self.semantic, &self.head) else {
            return true;
        };
        if !self.head_may_decide() {
            return true;
        }
        match words_alone(semantic, &[word], known) {
            Ok(v) => v.first().is_none_or(|v| {
                let (class, _) = head.best(v);
                layout(&self.faq).class(class) == Class::Outside
            }),
            Err(_) => true,
        }
    }

    /// What reading `read_as` (a follow-up joined to the question before
    /// it) will embed: its parts and the words to weigh in it.
    fn texts_in_context(&self, read_as: &str, language: Language) -> Vec<String> {
        let query = Query::new(self, read_as, Typing::Complete, language);
        let mut texts: Vec<String> = query.parts.iter().map(|(p, _)| p.to_string()).collect();
        texts.extend(self.words_to_weigh(&query));
        texts
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
        let joined = match embed_known(semantic, &[read_as], known) {
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

/// Whether `message` (folded into `words`, in `language`) may be a
/// follow-up: short, and pointing back ("and when?", "is it safe").
fn points_back(message: &str, words: &[String], language: Language) -> bool {
    message.split_whitespace().count() <= fusion::FOLLOW_UP_WORDS
        && reference::refers_back_in(words, language)
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
