//! The answer engine: content plus matcher, behind one call.
//!
//! Front ends (the command line, the Telegram bot) ask questions here and get
//! back entries, never scores to interpret: the threshold and the meaning of
//! a score stay inside the matcher.

use std::path::Path;

use crate::content::{self, Entry, Faq, LoadError};
use crate::matcher::{Explanation, Matcher, Typing};
use crate::triage::Triage;

/// What to do with a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'a> {
    /// The message suggests an emergency: send the urgent reply (from
    /// `faq/triage.yaml`) instead of any answer, and log nothing.
    Urgent { reply: &'a str },
    /// A confident answer, with close runners-up to offer.
    Answer {
        entry: &'a Entry,
        score: f32,
        suggestions: Vec<&'a Entry>,
    },
    /// Nothing fits well enough. `best` is the nearest entry, for the
    /// unmatched log; `suggestions` are worth offering as "did you mean".
    NoMatch {
        best: Option<(&'a Entry, f32)>,
        suggestions: Vec<&'a Entry>,
    },
}

impl Outcome<'_> {
    pub fn is_answer(&self) -> bool {
        matches!(self, Outcome::Answer { .. })
    }
}

/// A phrasing that does not lead back to its own entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Misroute<'a> {
    pub entry: &'a Entry,
    /// Which phrasing (0 is the main question).
    pub phrasing: usize,
    /// Where it leads instead, and through which of that entry's
    /// phrasings (None: to no answer at all).
    pub leads_to: Option<(&'a Entry, usize)>,
}

/// Loaded content and its index; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Engine {
    faq: Faq,
    matcher: Matcher,
    triage: Triage,
}

impl Engine {
    pub fn new(faq: Faq) -> Engine {
        let matcher = Matcher::new(&faq);
        let triage = Triage::new(&faq.triage);
        Engine {
            faq,
            matcher,
            triage,
        }
    }

    /// Loads and checks `dir`; content with errors is refused.
    pub fn load(dir: &Path) -> Result<Engine, LoadError> {
        content::load(dir).into_result().map(Engine::new)
    }

    pub fn faq(&self) -> &Faq {
        &self.faq
    }

    pub fn ask(&self, question: &str) -> Outcome<'_> {
        self.ask_typed(question, Typing::Complete)
    }

    /// Like [`Engine::ask`], for text still being typed (inline mode).
    pub fn ask_typed(&self, question: &str, typing: Typing) -> Outcome<'_> {
        if let Some(reply) = self.urgent_reply(question) {
            return Outcome::Urgent { reply };
        }
        let verdict = self.matcher.find_typed(question, typing);
        let entries = &self.faq.entries;
        let suggestions = verdict
            .suggestions
            .iter()
            .map(|s| &entries[s.entry])
            .collect();
        match verdict.best {
            Some(best) if verdict.matched => Outcome::Answer {
                entry: &entries[best.entry],
                score: best.score,
                suggestions,
            },
            best => Outcome::NoMatch {
                best: best.map(|b| (&entries[b.entry], b.score)),
                suggestions,
            },
        }
    }

    /// Every phrasing that, asked as a question, is not answered from its
    /// own entry: the sign that two entries overlap or a phrasing is too
    /// vague. `faqbot check` shows these, and a test keeps `faq/` free of them.
    pub fn misroutes(&self) -> Vec<Misroute<'_>> {
        let mut found = Vec::new();
        for entry in &self.faq.entries {
            for (n, phrasing) in entry.phrasings().enumerate() {
                let verdict = self.matcher.find(phrasing);
                let leads_to = match verdict.best {
                    Some(best) if verdict.matched => {
                        let got = &self.faq.entries[best.entry];
                        if got.id == entry.id {
                            continue;
                        }
                        Some((got, best.phrasing))
                    }
                    _ => None,
                };
                found.push(Misroute {
                    entry,
                    phrasing: n,
                    leads_to,
                });
            }
        }
        found
    }

    /// The urgent reply, when the message suggests an emergency. Checked
    /// before any matching; front ends showing lists (inline mode) call it
    /// too, so an emergency never gets a list of FAQ entries.
    pub fn urgent_reply(&self, message: &str) -> Option<&str> {
        self.triage
            .check(message)
            .map(|_| self.faq.triage.reply.as_str())
    }

    /// How the matcher saw `question`, for curators.
    pub fn explain(&self, question: &str, top: usize) -> Explanation {
        self.matcher.explain(question, top)
    }

    /// Entries best matching `query`, matched or not, best first: for
    /// inline results, where a list of candidates is what the user sees.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Entry> {
        self.matcher
            .rank(query, Typing::Partial)
            .into_iter()
            .take(limit)
            .map(|s| &self.faq.entries[s.entry])
            .collect()
    }
}
