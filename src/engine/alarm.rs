//! Triage inside the engine: runs the sentence model for
//! [`crate::triage`], which decides from scores, and has the learned
//! decision confirm an alarm (see [`super::fusion::LEARNED_URGENT`]).
//! Before any matching, in chats and in inline mode alike.

use crate::triage::{self, Alarm, Level, PartScore, PatternHit};

use super::fusion::{
    self, CLAUSE_EXTRA, CLAUSE_LEAD, CONTEXT_SLACK, MIN_URGENT, OTHER_LANGUAGE_URGENT_LEAD,
    PATTERN_VETO,
};
use super::judge::{Embedded, Known};
use super::learned::{self, Class};
use super::query::{Asked, Query};
use super::{Engine, Reads, build::layout};
use crate::analysis::Typing;

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
    pub fn urgent_reply<'m>(&self, message: impl Into<Asked<'m>>) -> Option<&str> {
        let message = message.into();
        let (reader, language) = self.reader_for(message);
        if !std::ptr::eq(reader, self) {
            return reader.urgent_reply(message.read_in(language));
        }
        self.triage(&Query::new(self, message.text, Typing::Complete, language))
            .alarm
            .map(|alarm| self.urgent(&alarm).0)
    }

    /// Why `message` is urgent, if it is, for `ask --explain`.
    pub fn alarm<'m>(&self, message: impl Into<Asked<'m>>) -> Option<(Alarm, Option<&str>)> {
        let message = message.into();
        let (reader, language) = self.reader_for(message);
        if !std::ptr::eq(reader, self) {
            return reader.alarm(message.read_in(language));
        }
        let alarm = self
            .triage(&Query::new(self, message.text, Typing::Complete, language))
            .alarm?;
        let category = self.urgent(&alarm).1;
        Some((alarm, category))
    }

    /// An alarm the learned decision set aside (see
    /// [`fusion::LearnedTriage`]), with the category's name and why, in
    /// plain words, for `ask --explain`.
    pub fn alarm_set_aside<'m>(
        &self,
        message: impl Into<Asked<'m>>,
    ) -> Option<(Alarm, Option<&str>, String)> {
        let message = message.into();
        let (reader, language) = self.reader_for(message);
        if !std::ptr::eq(reader, self) {
            return reader.alarm_set_aside(message.read_in(language));
        }
        let (alarm, learned) = self
            .triage(&Query::new(self, message.text, Typing::Complete, language))
            .set_aside?;
        let category = self.urgent(&alarm).1;
        Some((alarm, category, learned.describe()))
    }

    /// Triage: both signals (see [`crate::triage`]), confirmed by the
    /// learned decision. Returns the texts it embedded too, for matching
    /// to reuse.
    pub(super) fn triage(&self, query: &Query<'_>) -> Triaged {
        self.triage_with(query, &[])
    }

    /// [`Engine::triage`], embedding the `extra` texts matching will read
    /// (see [`Engine::words_to_weigh`]) in the same forward pass as the
    /// message's parts.
    pub(super) fn triage_with(&self, query: &Query<'_>, extra: &[String]) -> Triaged {
        let pattern = self.triage.check_words(&query.words);
        let parts = triage::parts_of(query.text, &query.sentences);
        // Without the model (off, or failing) patterns decide alone.
        let (scores, known) = self.triage_scores(&parts, extra).unwrap_or_default();
        // The parts' vectors, without the extra texts after them.
        let parts_known = &known[..known.len().min(parts.len())];
        let alarm = if self.reads == Reads::Other {
            let emergency_likeliest = self.emergency_likeliest(parts_known);
            decide_other_language(&parts, &scores, pattern.as_ref(), emergency_likeliest)
        } else {
            decide(&parts, &scores, pattern.as_ref())
                // A message that is exactly small talk ("bye", "goodbye") is
                // a farewell: meaning alone put it near "I wrote goodbye
                // letters". A pattern (explicit wording) still alarms.
                .filter(|a| {
                    !(a.by_meaning
                        && self
                            .smalltalk
                            .by_form_words(query.text, &query.words)
                            .is_some())
                })
        };
        // The learned decision confirms an alarm, in every language: in
        // another, "¿y para mi perro?" came closer to "the dog and my 3yo
        // got into my meds" than to anything calm, by meaning alone.
        let always = pattern.as_ref().is_some_and(|p| p.always);
        match (alarm, self.learned_triage(parts_known)) {
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

    /// Whether the learned decision's likeliest class for the whole message
    /// (the first of `parts`) is an emergency.
    fn emergency_likeliest(&self, parts: &Known) -> bool {
        let (Some(head), Some((_, whole))) = (&self.head, parts.first()) else {
            return false;
        };
        let probabilities = head.probabilities(whole);
        learned::likeliest(&probabilities, 1)
            .first()
            .is_some_and(|(class, _)| matches!(layout(&self.faq).class(*class), Class::Triage(_)))
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
    /// the vectors of the parts, then of the `extra` texts that are not
    /// parts (embedded in the same pass, not scored); None without the
    /// sentence model.
    pub(super) fn triage_scores(
        &self,
        parts: &[(&str, triage::Level)],
        extra: &[String],
    ) -> Option<(Vec<triage::PartScore>, Embedded)> {
        let (Some(semantic), Some(examples)) = (&self.semantic, &self.examples) else {
            return None;
        };
        let mut texts: Vec<&str> = parts.iter().map(|(t, _)| *t).collect();
        for text in extra {
            if !texts.contains(&text.as_str()) {
                texts.push(text);
            }
        }
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
                let (urgent, category, look_alike) = examples.closest(vector);
                let mut ordinary = look_alike.max(semantic.closest(vector));
                // In another language only differences carry over (see
                // fusion::OTHER_LANGUAGE_URGENT_LEAD): every ordinary text
                // counts, the outside examples too.
                if self.reads == Reads::Other {
                    ordinary =
                        ordinary.max(self.nearest_outside(vector).map_or(-1.0, |o| o.similarity));
                }
                triage::PartScore {
                    level: *level,
                    urgent,
                    category,
                    ordinary,
                    look_alike,
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

/// Whether a part on its own is urgent.
fn is_urgent(part: &PartScore) -> bool {
    let (min, lead) = match part.level {
        Level::Whole | Level::Sentence => (MIN_URGENT, 0.0),
        Level::Clause => (MIN_URGENT + CLAUSE_EXTRA, CLAUSE_LEAD),
    };
    part.urgent >= min && part.urgent >= part.ordinary + lead
}

/// The decision on a message in another language (see
/// [`fusion::OTHER_LANGUAGE_URGENT_LEAD`]): by meaning, the part leading
/// most (a sentence or clause held against the whole message's nearest
/// ordinary text as well); else a pattern (curators may write patterns in any language),
/// unless the whole message is closer to one of triage's look-alikes.
fn decide_other_language(
    message_parts: &[(&str, Level)],
    scores: &[PartScore],
    pattern: Option<&PatternHit<'_>>,
    emergency_likeliest: bool,
) -> Option<Alarm> {
    // The learned decision speaks of the whole message only.
    let needed = |level: Level| {
        if emergency_likeliest && level == Level::Whole {
            0.0
        } else {
            OTHER_LANGUAGE_URGENT_LEAD
        }
    };
    // A sentence or clause is held against the whole message's nearest
    // ordinary text too: out of a calm question, a piece can look like an
    // emergency ("tengo diabetes" in a question about related diseases).
    let whole_ordinary = scores.first().map_or(-1.0, |w| w.ordinary);
    let lead = |s: &PartScore| s.urgent - s.ordinary.max(whole_ordinary);
    let by_meaning = message_parts
        .iter()
        .zip(scores)
        .filter(|(_, s)| lead(s) >= needed(s.level))
        .max_by(|(_, a), (_, b)| lead(a).total_cmp(&lead(b)));
    let by_meaning =
        by_meaning.map(|((text, _), score)| (format!("\"{text}\" (in another language)"), score));
    alarm_from(by_meaning, scores, pattern)
}

/// The decision from the parts' scores (empty with the sentence model
/// off) and the pattern found, if any.
fn decide(
    message_parts: &[(&str, Level)],
    scores: &[PartScore],
    pattern: Option<&PatternHit<'_>>,
) -> Option<Alarm> {
    // A piece is also held against the whole message's nearest ordinary
    // look-alike, less CONTEXT_SLACK: see there.
    let whole_ordinary = scores.first().map_or(-1.0, |w| w.ordinary);
    let by_meaning = message_parts
        .iter()
        .zip(scores)
        .filter(|(_, s)| {
            let in_context = PartScore {
                ordinary: s.ordinary.max(whole_ordinary - CONTEXT_SLACK),
                ..**s
            };
            is_urgent(&in_context)
        })
        .max_by(|(_, a), (_, b)| (a.urgent - a.ordinary).total_cmp(&(b.urgent - b.ordinary)));
    let by_meaning = by_meaning.map(|((text, _), score)| (format!("\"{text}\""), score));
    alarm_from(by_meaning, scores, pattern)
}

/// The alarm of a decision: an `always` pattern's, whatever else alarmed
/// (wording that is never harmless says which emergency it is: "i'm going
/// to overdose" is a crisis, and gets the crisis lines, not only poison
/// control); else the part that alarmed by meaning (what to say of it, and
/// its score), if one did; else the pattern's, unless the whole message is
/// closer to one of triage's own look-alikes than to any emergency. Only
/// those: the FAQ's phrasings are near any message about the legs, and
/// "just took 40 tablets of magnesium to make the legs stop" was closer to
/// one of them than to an overdose; a look-alike is what a curator adds to
/// set a pattern aside.
fn alarm_from(
    by_meaning: Option<(String, &PartScore)>,
    scores: &[PartScore],
    pattern: Option<&PatternHit<'_>>,
) -> Option<Alarm> {
    let by_meaning = by_meaning.filter(|_| !pattern.is_some_and(|p| p.always));
    if let Some((because, score)) = by_meaning {
        return Some(Alarm {
            category: Some(score.category),
            because,
            by_meaning: pattern.is_none(),
        });
    }
    let pattern = pattern?;
    let vetoed = !pattern.always
        && scores
            .first()
            .is_some_and(|whole| whole.look_alike >= whole.urgent + PATTERN_VETO);
    (!vetoed).then(|| Alarm {
        category: pattern.category,
        because: format!("the pattern \"{}\"", pattern.source),
        by_meaning: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(level: Level, urgent: f32, ordinary: f32) -> PartScore {
        PartScore {
            look_alike: ordinary,
            level,
            urgent,
            category: 3,
            ordinary,
        }
    }

    #[test]
    fn meaning_decides_and_clauses_need_a_clear_lead() {
        let p = [("a b", Level::Whole), ("c d", Level::Clause)];
        let alarm = decide(
            &p,
            &[
                score(Level::Whole, 0.6, 0.5),
                score(Level::Clause, 0.2, 0.1),
            ],
            None,
        );
        assert_eq!(alarm.map(|a| a.category), Some(Some(3)));
        assert_eq!(
            decide(
                &p,
                &[
                    score(Level::Whole, 0.5, 0.6),
                    score(Level::Clause, 0.6, 0.55)
                ],
                None
            ),
            None
        );
        let alarm = decide(
            &p,
            &[
                score(Level::Whole, 0.3, 0.6),
                score(Level::Clause, 0.7, 0.5),
            ],
            None,
        );
        assert_eq!(alarm.map(|a| a.because), Some("\"c d\"".to_string()));
    }

    #[test]
    fn another_language_alarms_on_a_clear_lead_or_the_learned_emergency() {
        let whole = [("a b c", Level::Whole)];
        // Clearly closer to an emergency than to anything ordinary.
        let alarm = decide_other_language(&whole, &[score(Level::Whole, 0.90, 0.88)], None, false);
        assert!(alarm.is_some_and(|a| a.because.contains("another language")));
        // Slightly closer: only when the learned decision's likeliest
        // class is an emergency.
        let slight = [score(Level::Whole, 0.890, 0.885)];
        assert!(decide_other_language(&whole, &slight, None, false).is_none());
        assert!(decide_other_language(&whole, &slight, None, true).is_some());
        // A sentence must beat the whole message's nearest ordinary text
        // too, and the learned decision does not speak for it.
        let p = [("a b c. d e", Level::Whole), ("d e", Level::Sentence)];
        let calm = [
            score(Level::Whole, 0.80, 0.86),
            score(Level::Sentence, 0.85, 0.80),
        ];
        assert!(decide_other_language(&p, &calm, None, true).is_none());
        let urgent = [
            score(Level::Whole, 0.80, 0.82),
            score(Level::Sentence, 0.85, 0.80),
        ];
        assert!(decide_other_language(&p, &urgent, None, false).is_some());
    }

    #[test]
    fn an_always_pattern_is_never_vetoed() {
        let hit = PatternHit {
            source: "kill myself",
            category: Some(0),
            always: true,
        };
        let p = [("kill myself lol", Level::Whole)];
        let alarm = decide(&p, &[score(Level::Whole, 0.45, 0.8)], Some(&hit));
        assert_eq!(
            alarm.map(|a| (a.category, a.by_meaning)),
            Some((Some(0), false))
        );
    }

    #[test]
    fn an_always_pattern_names_the_emergency_over_meaning() {
        let hit = PatternHit {
            source: "i am going to overdose",
            category: Some(7),
            always: true,
        };
        let p = [("im going to overdose tonight", Level::Whole)];
        let urgent = [score(Level::Whole, 0.8, 0.3)];
        let alarm = decide(&p, &urgent, Some(&hit));
        assert_eq!(alarm.map(|a| a.category), Some(Some(7)));
        let vetoable = PatternHit {
            always: false,
            ..hit
        };
        let alarm = decide(&p, &urgent, Some(&vetoable));
        assert_eq!(alarm.map(|a| a.category), Some(Some(3)), "meaning's");
    }

    #[test]
    fn only_triage_look_alikes_veto_a_pattern_not_the_faq_phrasings() {
        let hit = PatternHit {
            source: "10 tablets",
            category: Some(0),
            always: false,
        };
        let p = [("just took 40 tablets to make the legs stop", Level::Whole)];
        // Close to an FAQ phrasing (ordinary), far from every look-alike.
        let near_the_faq = PartScore {
            look_alike: 0.3,
            ..score(Level::Whole, 0.5, 0.7)
        };
        assert!(decide(&p, &[near_the_faq], Some(&hit)).is_some());
        let near_a_look_alike = score(Level::Whole, 0.5, 0.7);
        assert!(decide(&p, &[near_a_look_alike], Some(&hit)).is_none());
    }

    #[test]
    fn an_ordinary_look_alike_vetoes_a_pattern() {
        let hit = PatternHit {
            source: "overdose",
            category: Some(0),
            always: false,
        };
        let p = [("is it possible to overdose", Level::Whole)];
        assert_eq!(
            decide(&p, &[score(Level::Whole, 0.45, 0.8)], Some(&hit)),
            None
        );
        assert!(decide(&p, &[score(Level::Whole, 0.35, 0.3)], Some(&hit)).is_some());
        assert!(
            decide(&[], &[], Some(&hit)).is_some(),
            "model off: patterns decide"
        );
    }
}
