//! Judging a question: the word stage, the sentence stage and the learned
//! decision ([`super::learned`]) read together into one [`Judgement`], from
//! which [`Engine::ask_typed`](super::Engine::ask_typed) makes an outcome
//! and [`Engine::explain`](super::Engine::explain) an explanation. Small
//! talk by meaning is judged here too, from the same vectors.

use crate::analysis::language::Language;
use crate::content::Entry;
use crate::matcher::{Analysed, Scored};
use crate::semantic::{self, ModelError, SemanticIndex};

use super::fusion::{self, NewWord, Reason};
use super::learned::{self, Class};
use super::query::Query;
use super::{Engine, Outcome, Reads, Stages, build::layout};

/// One candidate inside the engine: an entry index, the score that ranks
/// it, both stages' scores and the phrasing that matched.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ranked {
    pub(super) entry: usize,
    pub(super) score: f32,
    pub(super) stages: Stages,
    pub(super) phrasing: usize,
}

/// The engine's full judgement of one question, before it becomes an
/// [`Outcome`] or an [`super::Explanation`].
pub(super) struct Judgement {
    /// Candidates best first (entry indices).
    pub(super) ranked: Vec<Ranked>,
    pub(super) reason: Reason,
    pub(super) new_words: Vec<NewWord>,
    pub(super) sentence: Option<String>,
    /// Whether scores are combined (else word scores, already cut to
    /// the matcher's own suggestions).
    pub(super) combined: bool,
    /// The nearest outside example, when the model was consulted.
    pub(super) outside: Option<fusion::Outside>,
    /// The learned decision's likeliest classes (see [`Engine::class_name`])
    /// with their probabilities, best first.
    pub(super) learned: Vec<(usize, f32)>,
    /// The small-talk kind the learned decision finds likeliest, when a
    /// small-talk class is its best class, with its probability.
    pub(super) small_talk: Option<(usize, f32)>,
}

impl Judgement {
    /// Nothing the sentence model could compare (no phrasing at all).
    fn nothing_close() -> Judgement {
        Judgement {
            ranked: Vec::new(),
            reason: Reason::NothingClose,
            new_words: Vec::new(),
            sentence: None,
            combined: true,
            outside: None,
            learned: Vec::new(),
            small_talk: None,
        }
    }
}

/// Texts of the message already embedded (by triage), so matching does not
/// embed them again.
pub(super) type Known = [(String, Vec<f32>)];

/// The word stage's verdict on one question (see
/// [`Engine::words_verdict`]).
pub(super) struct WordsVerdict {
    /// The best candidate, matched or not (None when nothing shares a word).
    pub(super) best: Option<Scored>,
    /// Whether `best` is good enough to answer with on words alone.
    pub(super) matched: bool,
    /// Close runners-up (when matched) or the best guesses (when not).
    pub(super) suggestions: Vec<Scored>,
}

/// Texts and their vectors, as triage hands them to matching.
pub(super) type Embedded = Vec<(String, Vec<f32>)>;

impl Engine {
    pub(super) fn small_talk(&self, kind: usize, language: Language) -> Outcome<'_> {
        let smalltalk = &self.faq.smalltalk;
        match (
            smalltalk.kinds.get(kind),
            smalltalk.reply_in(kind, language),
        ) {
            (Some(k), Some(reply)) => Outcome::SmallTalk {
                reply,
                kind: &k.name,
            },
            _ => Outcome::NoMatch {
                nearest: None,
                suggestions: Vec::new(),
                stages: Stages::default(),
            },
        }
    }

    /// The kind of small talk a short message no entry answers is, by
    /// meaning (see [`crate::smalltalk`]). Reuses triage's vector of the
    /// whole message, so it costs no model run.
    pub(super) fn small_talk_by_meaning(&self, query: &Query<'_>) -> Option<usize> {
        let (Some(semantic), Some(examples)) = (&self.semantic, &self.smalltalk_vectors) else {
            return None;
        };
        if !(1..=fusion::SMALL_TALK_WORDS).contains(&query.words.len()) {
            return None;
        }
        let vector = embed_known(semantic, &[query.text.trim()], &query.vectors)
            .ok()?
            .into_iter()
            .next()?;
        let (similarity, kind) = examples
            .iter()
            .map(|(v, kind)| (semantic::dot(v, &vector), *kind))
            .max_by(|a, b| a.0.total_cmp(&b.0))?;
        let faq = semantic.closest(&vector);
        tracing::debug!(similarity, faq, kind, "small talk by meaning?");
        if self.reads == Reads::Other {
            // Only differences carry over between languages (see
            // fusion::OTHER_LANGUAGE_SMALL_TALK_LEAD).
            let outside = self.nearest_outside(&vector).map_or(-1.0, |o| o.similarity);
            return fusion::other_language_small_talk(similarity, faq.max(outside)).then_some(kind);
        }
        fusion::small_talk_by_meaning(similarity, faq).then_some(kind)
    }

    /// Small talk by the learned decision: a short message the head gives
    /// to a small-talk kind with probability at least
    /// [`fusion::LEARNED_SMALL_TALK`] ("thanks heaps", "love it, really
    /// helpful"), so a curator teaches a new way of saying thanks by adding
    /// it to `smalltalk.yaml`.
    pub(super) fn small_talk_learned(
        &self,
        query: &Query<'_>,
        judgement: &Judgement,
    ) -> Option<usize> {
        let (kind, p) = judgement.small_talk.filter(|_| self.head_may_decide())?;
        let words = query.words.len();
        (p >= fusion::LEARNED_SMALL_TALK && words <= fusion::LEARNED_SMALL_TALK_WORDS)
            .then_some(kind)
    }

    /// Runners-up worth offering: after an answer, close seconds; after a
    /// refusal, the best guesses (but never for a new subject, where every
    /// entry would be about something else).
    pub(super) fn suggestions(&self, judgement: &Judgement, answered: bool) -> Vec<&Entry> {
        if judgement.reason.names_another_subject() {
            return Vec::new();
        }
        let Some(best) = judgement.ranked.first().map(|c| c.score) else {
            return Vec::new();
        };
        let floor = if judgement.combined {
            (best * fusion::SUGGEST_RATIO).max(fusion::SUGGEST_FLOOR)
        } else {
            0.0
        };
        judgement
            .ranked
            .iter()
            .skip(usize::from(answered))
            // Ranked by meaning first, so a lower combined score may come
            // before a higher one: filter, do not stop at the first.
            .filter(|c| c.score >= floor)
            .take(fusion::MAX_SUGGESTIONS)
            .map(|c| &self.faq.entries[c.entry])
            .collect()
    }

    /// The word stage's verdict: its best candidate, whether that is good
    /// enough to answer with on words alone (the curators' `threshold`),
    /// and the runners-up worth offering.
    pub(super) fn words_verdict(&self, question: &Analysed) -> WordsVerdict {
        let ranked = self.matcher.ranked(question, fusion::WORDS_SUGGEST_RATIO);
        let Some(best) = ranked.first().cloned() else {
            return WordsVerdict {
                best: None,
                matched: false,
                suggestions: Vec::new(),
            };
        };
        let matched = best.score >= self.faq.settings.threshold;
        let floor = (best.score * fusion::WORDS_SUGGEST_RATIO).max(fusion::WORDS_SUGGEST_FLOOR);
        let suggestions = ranked
            .into_iter()
            .skip(usize::from(matched))
            .take_while(|s| s.score >= floor)
            .take(fusion::MAX_SUGGESTIONS)
            .collect();
        WordsVerdict {
            best: Some(best),
            matched,
            suggestions,
        }
    }

    /// Both stages and the decision, for one question.
    pub(super) fn judge(&self, query: &Query<'_>) -> Judgement {
        let analysed = &query.terms;
        let verdict = self.words_verdict(analysed);
        let words_only = |reason_if_matched: Reason| {
            let ranked: Vec<Ranked> = verdict
                .best
                .iter()
                .chain(&verdict.suggestions)
                .map(lexical_candidate)
                .collect();
            let reason = if verdict.matched {
                reason_if_matched
            } else if ranked.is_empty() {
                Reason::NothingClose
            } else {
                Reason::BelowThreshold
            };
            Judgement {
                ranked,
                reason,
                new_words: Vec::new(),
                sentence: None,
                combined: false,
                outside: None,
                learned: Vec::new(),
                small_talk: None,
            }
        };
        let Some(semantic) = &self.semantic else {
            return words_only(Reason::WordsOnly);
        };
        if self.reads == Reads::Other {
            return self
                .judge_other_language(semantic, query)
                .unwrap_or_else(|err| {
                    tracing::warn!(error = %err, "multilingual model failed; nothing answered");
                    words_only(Reason::NothingClose)
                });
        }
        let settings = &self.faq.settings.semantic;
        if let Some(best) = &verdict.best
            && verdict.matched
            && best.score >= settings.words_decide
            && self
                .matcher
                .words_foreign_to(analysed, best.entry)
                .is_empty()
        {
            return words_only(Reason::WordsDecide);
        }
        // The entry the words alone would answer with, if any.
        let by_words = verdict
            .best
            .as_ref()
            .filter(|_| verdict.matched)
            .map(|b| b.entry);
        match self.judge_with_model(semantic, query, by_words) {
            Ok(judgement) => judgement,
            Err(err) => {
                // The model ran at start-up, so this is not expected; an
                // answer by words alone beats no answer.
                tracing::warn!(error = %err, "sentence model failed; matching by words alone");
                words_only(Reason::WordsOnly)
            }
        }
    }

    /// A message in another language, by meaning alone: its words cannot
    /// be compared with the English content, and the multilingual model's
    /// similarities are judged against the outside examples (see
    /// [`fusion::other_language`]). The learned decision's probabilities
    /// are shown, not used: trained on English examples only, it is unsure
    /// of other languages.
    fn judge_other_language(
        &self,
        semantic: &SemanticIndex,
        query: &Query<'_>,
    ) -> Result<Judgement, ModelError> {
        let parts: Vec<&str> = query.parts.iter().map(|(p, _)| *p).collect();
        let vectors = embed_known(semantic, &parts, &query.vectors)?;
        let meanings = semantic.rank(&vectors);
        let Some(top) = meanings.first().copied() else {
            return Ok(Judgement::nothing_close());
        };
        let all = self
            .head
            .as_ref()
            .map(|h| h.probabilities(&vectors[top.part]));
        let layout = layout(&self.faq);
        let probabilities = all.as_deref().map(|p| layout.questions(p));
        let mut ranked: Vec<Ranked> = meanings
            .iter()
            .map(|m| Ranked {
                entry: m.entry,
                // A cosine of unit vectors, which rounding may put a hair
                // outside 0..1; scores are shares.
                score: m.score.clamp(0.0, 1.0),
                stages: Stages {
                    lexical: 0.0,
                    semantic: Some(m.score),
                    learned: probabilities.as_ref().and_then(|p| p.get(m.entry).copied()),
                },
                phrasing: m.phrasing,
            })
            .collect();
        // Entries nearly as close as the closest are told apart by the
        // learned decision, which has seen every phrasing of each.
        let near = ranked
            .iter()
            .take_while(|c| c.score >= top.score - fusion::OTHER_LANGUAGE_NEAR)
            .count();
        ranked[..near].sort_by(|a, b| {
            b.stages
                .learned
                .unwrap_or(0.0)
                .total_cmp(&a.stages.learned.unwrap_or(0.0))
        });
        let outside = self.nearest_outside(&vectors[top.part]);
        let reason = fusion::other_language(top.score, outside.as_ref().map(|o| o.similarity));
        Ok(Judgement {
            ranked,
            reason,
            new_words: Vec::new(),
            sentence: (top.part > 0).then(|| parts[top.part].to_string()),
            combined: true,
            outside,
            learned: all
                .as_deref()
                .map(|p| learned::likeliest(p, 3))
                .unwrap_or_default(),
            small_talk: all.as_deref().and_then(|p| self.small_talk_class(p)),
        })
    }

    pub(super) fn judge_with_model(
        &self,
        semantic: &SemanticIndex,
        query: &Query<'_>,
        by_words: Option<usize>,
    ) -> Result<Judgement, ModelError> {
        let settings = &self.faq.settings.semantic;
        let parts: Vec<&str> = query.parts.iter().map(|(p, _)| *p).collect();
        let vectors = embed_known(semantic, &parts, &query.vectors)?;
        let meanings = semantic.rank(&vectors);
        let Some(top) = meanings.first().copied() else {
            return Ok(Judgement::nothing_close());
        };
        // The sentence of a long message that asks the question, and its
        // words (the question's own analysis when it is the whole).
        let Some((text, text_words)) = query.parts.get(top.part) else {
            return Ok(Judgement::nothing_close());
        };
        let text = *text;
        let all = self
            .head
            .as_ref()
            .map(|h| h.probabilities(&vectors[top.part]));
        let small_talk = all.as_deref().and_then(|p| self.small_talk_class(p));
        // An entry's probability among the classes a question can have
        // (entries and outside).
        let layout = layout(&self.faq);
        let probabilities = all.as_deref().map(|p| layout.questions(p));
        let new_words = self.weigh_new_words(
            semantic,
            (text, text_words),
            &vectors[top.part],
            &top,
            &query.vectors,
        )?;
        let story: Vec<String> = new_words
            .iter()
            .filter(|w| !w.is_subject(settings))
            .map(|w| w.stem.clone())
            .collect();
        let lexical = self.matcher.rank_without(text_words, &story);
        let word_score = |entry: usize| {
            lexical
                .iter()
                .find(|s| s.entry == entry)
                .map_or(0.0, |s| s.score)
        };
        let mut ranked: Vec<(f32, Ranked)> = meanings
            .iter()
            .map(|m| {
                let lexical = word_score(m.entry);
                let stages = Stages {
                    lexical,
                    semantic: Some(m.score),
                    learned: probabilities.as_ref().and_then(|p| p.get(m.entry).copied()),
                };
                let key = fusion::rank_key(lexical, m.score, by_words == Some(m.entry));
                let candidate = Ranked {
                    entry: m.entry,
                    score: fusion::combine(lexical, m.score),
                    stages,
                    phrasing: m.phrasing,
                };
                (key, candidate)
            })
            .collect();
        ranked.sort_by(|(a, x), (b, y)| b.total_cmp(a).then(x.entry.cmp(&y.entry)));
        let ranked: Vec<Ranked> = ranked.into_iter().map(|(_, c)| c).collect();
        // Both stages agree when the words alone would answer with the
        // entry the meaning is closest to (it then leads the ranking).
        let agree = by_words == Some(top.entry);
        let outside = self.nearest_outside(&vectors[top.part]);
        let reason = match ranked.first() {
            Some(Ranked { stages, .. }) => fusion::decide(
                stages.lexical,
                stages.semantic.unwrap_or(0.0),
                agree,
                &new_words,
                // Closer than every entry, not only the best candidate.
                outside
                    .clone()
                    .filter(|o| o.similarity >= top.score + fusion::OUTSIDE_LEAD),
                settings,
            ),
            None => Reason::NothingClose,
        };
        let (reason, ranked) = self.with_learned(
            reason,
            ranked,
            probabilities
                .as_deref()
                .and_then(|p| learned::likeliest(p, 1).first().copied()),
            !new_words.is_empty(),
        );
        let learned = all
            .as_deref()
            .map(|p| learned::likeliest(p, 3))
            .unwrap_or_default();
        Ok(Judgement {
            ranked,
            reason,
            new_words,
            sentence: (top.part > 0).then(|| text.to_string()),
            combined: true,
            outside,
            learned,
            small_talk,
        })
    }

    /// Whether the learned decision may overrule the rules. Without
    /// examples of what the FAQ does not answer, the head has only ever
    /// seen questions it answers (and small talk), and would give any
    /// question to some class ("is potassium good for rls" to the
    /// magnesium entry).
    pub(super) fn head_may_decide(&self) -> bool {
        self.faq
            .outside
            .reasons
            .iter()
            .any(|r| !r.examples.is_empty())
    }

    /// A class's name for curators: an entry's id, "small talk: thanks",
    /// "emergency: overdose", "ordinary" or "outside".
    pub(super) fn class_name(&self, class: usize) -> String {
        let faq = &self.faq;
        let name = match layout(faq).class(class) {
            Class::Entry(i) => faq.entries.get(i).map(|e| e.id.clone()),
            Class::SmallTalk(i) => faq
                .smalltalk
                .kinds
                .get(i)
                .map(|k| format!("small talk: {}", k.name)),
            Class::Triage(i) => faq
                .triage
                .categories
                .get(i)
                .map(|c| format!("emergency: {}", c.name)),
            Class::Ordinary => Some("ordinary (triage.yaml)".to_string()),
            Class::Outside => None,
        };
        name.unwrap_or_else(|| "outside".to_string())
    }

    /// The small-talk kind that is the head's best class, if one is.
    pub(super) fn small_talk_class(&self, probabilities: &[f32]) -> Option<(usize, f32)> {
        let (class, p) = learned::likeliest(probabilities, 1).first().copied()?;
        match layout(&self.faq).class(class) {
            Class::SmallTalk(kind) => Some((kind, p)),
            _ => None,
        }
    }

    /// The rules' decision, overruled where the learned decision is sure:
    /// a refusal of a question the head gives, with probability at least
    /// [`fusion::LEARNED_ANSWER`] ([`fusion::LEARNED_OVER_OUTSIDE`] when an
    /// outside example refused it), to one of the best candidates (which
    /// then leads the ranking); an answer to a question with a word the
    /// entry lacks (`new_words`) that the head gives to `outside` with at
    /// least [`fusion::LEARNED_OUTSIDE`]. `learned`: the head's best class
    /// among the entries and outside (the last), and its probability. Only
    /// with outside examples to learn from.
    pub(super) fn with_learned(
        &self,
        reason: Reason,
        mut ranked: Vec<Ranked>,
        learned: Option<(usize, f32)>,
        new_words: bool,
    ) -> (Reason, Vec<Ranked>) {
        if !self.head_may_decide() {
            return (reason, ranked);
        }
        let Some((class, p)) = learned.filter(|&(_, p)| p >= fusion::LEARNED_ANSWER) else {
            return (reason, ranked);
        };
        let refused_by_rules = match &reason {
            Reason::BelowThreshold | Reason::NewSubject(_) | Reason::MeaningTooFar => true,
            // The nearest outside example is one example; the head has
            // weighed them all against every phrasing.
            Reason::Outside(_) => p >= fusion::LEARNED_OVER_OUTSIDE,
            _ => false,
        };
        // The probabilities are of the entries, then outside.
        let outside = self.faq.entries.len();
        if reason.answers() && new_words && class == outside && p >= fusion::LEARNED_OUTSIDE {
            return (Reason::LearnedOutside(p), ranked);
        }
        if refused_by_rules
            && let Some(at) = ranked
                .iter()
                .take(fusion::LEARNED_AMONG)
                .position(|r| r.entry == class)
        {
            let chosen = ranked.remove(at);
            ranked.insert(0, chosen);
            return (Reason::Learned(p), ranked);
        }
        (reason, ranked)
    }

    /// The outside example closest in meaning to `vector`, if any.
    pub(super) fn nearest_outside(&self, vector: &[f32]) -> Option<fusion::Outside> {
        let (similarity, reason, example) = self
            .outside_vectors
            .as_ref()?
            .iter()
            .map(|(v, r, e)| (semantic::dot(v, vector), *r, *e))
            .max_by(|a, b| a.0.total_cmp(&b.0))?;
        let reason = self.faq.outside.reasons.get(reason)?;
        Some(fusion::Outside {
            reason: reason.name.clone(),
            example: reason.examples.get(example)?.text.clone(),
            similarity,
        })
    }

    /// Weighs each word of `text` the FAQ has never seen (see [`fusion`]):
    /// its own similarity with the text. A word that carries much of the
    /// meaning ("calcium") names another subject; lighter ones are left to
    /// the learned decision (see [`fusion::LEARNED_OUTSIDE`]). A word's
    /// vector alone is the FAQ's (see [`SemanticIndex::word_vector`]) or
    /// was embedded with the message (see [`Engine::words_to_weigh`]).
    pub(super) fn weigh_new_words(
        &self,
        semantic: &SemanticIndex,
        (text, words): (&str, &Analysed),
        text_vector: &[f32],
        top: &semantic::Similarity,
        known: &Known,
    ) -> Result<Vec<NewWord>, ModelError> {
        let mut words = self.matcher.words_foreign_to(words, top.entry);
        words.truncate(fusion::MAX_NEW_WORDS);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // The model reads the word as written ("migraines"), not the
        // matcher's folded stem ("migrain"), which it would not recognise.
        let surface: Vec<String> = words.iter().map(|w| surface_word(text, w)).collect();
        let inputs: Vec<&str> = surface.iter().map(String::as_str).collect();
        let vectors = words_alone(semantic, &inputs, known)?;
        Ok(words
            .iter()
            .zip(surface)
            .zip(vectors)
            .map(|((stem, word), vector)| NewWord {
                word,
                stem: stem.clone(),
                weight: semantic::dot(&vector, text_vector),
            })
            .collect())
    }

    /// The words of `query` the new-word check may weigh that the FAQ's
    /// own words give no vector for: triage embeds them with the message's
    /// parts, so a message takes one forward pass through the model. The
    /// check weighs at most [`fusion::MAX_NEW_WORDS`] words of a part, so
    /// a part's words after that many words the FAQ never uses are left
    /// out. Only the English engine weighs words.
    pub(super) fn words_to_weigh(&self, query: &Query<'_>) -> Vec<String> {
        let Some(semantic) = self
            .semantic
            .as_ref()
            .filter(|_| self.reads == Reads::English)
        else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for (part, terms) in &query.parts {
            let mut never_used = 0;
            for (stem, used) in self.matcher.content_words(terms) {
                let word = surface_word(part, stem);
                if semantic.word_vector(&word).is_none() && !out.contains(&word) {
                    out.push(word);
                }
                never_used += usize::from(!used);
                if never_used == fusion::MAX_NEW_WORDS {
                    break;
                }
            }
        }
        out
    }
}

/// Vectors of `texts`, taken from `known` where triage already embedded
/// them.
pub(super) fn embed_known(
    semantic: &SemanticIndex,
    texts: &[&str],
    known: &Known,
) -> Result<Vec<Vec<f32>>, ModelError> {
    let find = |t: &str| known.iter().find(|(k, _)| k == t).map(|(_, v)| v.clone());
    let missing: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| find(t).is_none())
        .collect();
    let mut fresh = semantic.embed(&missing)?.into_iter();
    Ok(texts
        .iter()
        .map(|t| find(t).or_else(|| fresh.next()).unwrap_or_default())
        .collect())
}

/// The vectors of `words`, each alone: the FAQ's own (see
/// [`SemanticIndex::word_vector`]), else the one embedded with the message
/// (`known`, see [`Engine::words_to_weigh`]); a word in neither is embedded
/// now.
pub(super) fn words_alone(
    semantic: &SemanticIndex,
    words: &[&str],
    known: &Known,
) -> Result<Vec<Vec<f32>>, ModelError> {
    let faqs: Vec<Option<&[f32]>> = words.iter().map(|w| semantic.word_vector(w)).collect();
    let unseen: Vec<&str> = words
        .iter()
        .zip(&faqs)
        .filter(|(_, v)| v.is_none())
        .map(|(w, _)| *w)
        .collect();
    let mut embedded = embed_known(semantic, &unseen, known)?.into_iter();
    Ok(faqs
        .into_iter()
        .map(|v| match v {
            Some(v) => v.to_vec(),
            None => embedded.next().unwrap_or_default(),
        })
        .collect())
}

pub(super) fn lexical_candidate(s: &Scored) -> Ranked {
    Ranked {
        entry: s.entry,
        score: s.score,
        stages: Stages {
            lexical: s.score,
            semantic: None,
            learned: None,
        },
        phrasing: s.phrasing,
    }
}

/// The word of `text` as written whose folded form is `stem`, or `stem`
/// itself when none is (it always should be).
pub(super) fn surface_word(text: &str, stem: &str) -> String {
    semantic::written_words(text)
        .find(|w| folds_to(w, stem))
        .unwrap_or(stem)
        .to_string()
}

/// Whether a written word folds to `stem`, as the matcher folds words.
pub(super) fn folds_to(word: &str, stem: &str) -> bool {
    crate::analysis::fold::words(word)
        .iter()
        .any(|f| f == stem || (f.starts_with(stem) && f.len() <= stem.len() + 3))
}
