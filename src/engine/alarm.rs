//! Triage inside the engine: runs the sentence model for
//! [`crate::triage`], which decides from scores, and has the learned
//! decision confirm an alarm (see [`super::fusion::LEARNED_URGENT`]).
//! Before any matching, in chats and in inline mode alike.

use crate::triage::{self, Alarm};

use super::fusion;
use super::judge::{Embedded, Known};
use super::learned::Class;
use super::{Engine, build::layout};

/// Triage's verdict on one message.
pub(super) struct Triaged {
    pub(super) alarm: Option<Alarm>,
    /// An alarm the learned decision set aside, and what it said.
    pub(super) set_aside: Option<(Alarm, fusion::LearnedTriage)>,
    /// The parts triage embedded, for matching to reuse.
    pub(super) known: Embedded,
}

impl Engine {
    /// The urgent reply, when the message suggests an emergency. Checked
    /// before any matching; front ends showing lists (inline mode) call it
    /// too, so an emergency never gets a list of FAQ entries.
    pub fn urgent_reply(&self, message: &str) -> Option<&str> {
        self.triage(message)
            .alarm
            .map(|alarm| self.urgent(&alarm).0)
    }

    /// Why `message` is urgent, if it is, for `ask --explain`.
    pub fn alarm(&self, message: &str) -> Option<(Alarm, Option<&str>)> {
        let alarm = self.triage(message).alarm?;
        let category = self.urgent(&alarm).1;
        Some((alarm, category))
    }

    /// An alarm the learned decision set aside (see
    /// [`fusion::LearnedTriage`]), with the category's name and why, in
    /// plain words, for `ask --explain`.
    pub fn alarm_set_aside(&self, message: &str) -> Option<(Alarm, Option<&str>, String)> {
        let (alarm, learned) = self.triage(message).set_aside?;
        let category = self.urgent(&alarm).1;
        Some((alarm, category, learned.describe()))
    }

    /// Triage: both signals (see [`crate::triage`]), confirmed by the
    /// learned decision. Returns the texts it embedded too, for matching
    /// to reuse.
    pub(super) fn triage(&self, message: &str) -> Triaged {
        let pattern = self.triage.check(message);
        let parts = triage::parts(message);
        // Without the model (off, or failing) patterns decide alone.
        let (scores, known) = self.triage_scores(&parts).unwrap_or_default();
        let alarm = triage::decide(&parts, &scores, pattern.as_ref())
            // A message that is exactly small talk ("bye", "goodbye") is a
            // farewell: meaning alone put it near "I wrote goodbye letters".
            // A pattern (explicit wording) still alarms.
            .filter(|a| !(a.by_meaning && self.smalltalk.by_form(message).is_some()));
        let always = pattern.as_ref().is_some_and(|p| p.always);
        match (alarm, self.learned_triage(&known)) {
            (Some(alarm), Some(learned)) if !always && !learned.alarm_stands() => {
                tracing::debug!(?learned, because = %alarm.because, "alarm set aside by the learned decision");
                Triaged {
                    alarm: None,
                    set_aside: Some((alarm, learned)),
                    known,
                }
            }
            (alarm, _) => Triaged {
                alarm,
                set_aside: None,
                known,
            },
        }
    }

    /// What the learned decision says of a message's parts (the whole
    /// first); None when the head may not decide.
    pub(super) fn learned_triage(&self, parts: &Known) -> Option<fusion::LearnedTriage> {
        let head = self.head.as_ref().filter(|_| self.head_may_decide())?;
        let layout = layout(&self.faq);
        let probabilities: Vec<Vec<f32>> =
            parts.iter().map(|(_, v)| head.probabilities(v)).collect();
        let whole = probabilities.first()?;
        Some(fusion::LearnedTriage {
            urgent: probabilities
                .iter()
                .map(|p| layout.urgent(p))
                .fold(0.0, f32::max),
            whole_ordinary: whole
                .get(layout.index(Class::Ordinary))
                .copied()
                .unwrap_or(0.0),
            whole_urgent: layout.urgent(whole),
        })
    }

    /// How each part of a message compares with the triage examples, and
    /// the parts' vectors; None without the sentence model.
    pub(super) fn triage_scores(
        &self,
        parts: &[(&str, triage::Level)],
    ) -> Option<(Vec<triage::PartScore>, Embedded)> {
        let (Some(semantic), Some(examples)) = (&self.semantic, &self.examples) else {
            return None;
        };
        let texts: Vec<&str> = parts.iter().map(|(t, _)| *t).collect();
        let vectors = semantic
            .embed(&texts)
            .inspect_err(|err| {
                tracing::warn!(error = %err, "sentence model failed; triage by patterns alone");
            })
            .ok()?;
        let scores = parts
            .iter()
            .zip(&vectors)
            .map(|((_, level), vector)| {
                let (urgent, category, ordinary) = examples.closest(vector);
                triage::PartScore {
                    level: *level,
                    urgent,
                    category,
                    ordinary: ordinary.max(semantic.closest(vector)),
                }
            })
            .collect();
        let known = texts.iter().map(|t| t.to_string()).zip(vectors).collect();
        Some((scores, known))
    }

    /// The reply for an alarm, and its category's name.
    pub(super) fn urgent(&self, alarm: &Alarm) -> (&str, Option<&str>) {
        let settings = &self.faq.triage;
        match alarm.category.and_then(|i| settings.categories.get(i)) {
            Some(category) => (category.reply.as_str(), Some(category.name.as_str())),
            None => (settings.reply.as_str(), None),
        }
    }
}
