//! The answer engine: content, triage and both matching stages behind one
//! call.
//!
//! Front ends (the command line, the Telegram bot) ask questions here and get
//! back entries, never scores to interpret: thresholds and the meaning of a
//! score stay in here. Matching runs in two stages, the lexical matcher
//! ([`crate::matcher`]) first and the sentence model ([`crate::semantic`])
//! when words alone do not decide; [`fusion`] turns both into one decision.

pub mod check;
pub mod fusion;
pub mod learned;
mod model;

pub use model::{Model, TuningInUse};

use std::path::Path;
use std::sync::Arc;

pub use crate::analysis::Typing;
use crate::content::{self, Entry, Faq, LoadError};
use crate::matcher::{Explanation as Words, Matcher, Scored};
use crate::semantic::{self, Encoder, ModelError, SemanticIndex};
use crate::smalltalk::{self, SmallTalk};
use crate::triage::{self, Alarm, Examples, Triage};
use fusion::{NewWord, Reason};
use learned::Class;

/// The two stages' scores for one entry, for `ask --json` and curators.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stages {
    /// The word score, 0..1.
    pub lexical: f32,
    /// The meaning similarity, when the sentence model was consulted.
    pub semantic: Option<f32>,
    /// The learned decision's probability for the entry, when the model
    /// was consulted ([`learned`]).
    pub learned: Option<f32>,
}

/// What to do with a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'a> {
    /// The message suggests an emergency: send the urgent reply (from
    /// `faq/triage.yaml`, by category) instead of any answer, and log
    /// nothing.
    Urgent {
        reply: &'a str,
        /// The category's name ("overdose"); None for a general pattern.
        category: Option<&'a str>,
    },
    /// A confident answer, with close runners-up to offer.
    Answer {
        entry: &'a Entry,
        score: f32,
        suggestions: Vec<&'a Entry>,
        stages: Stages,
    },
    /// Not a question: a greeting, thanks, "👍", "are you a bot?". Gets
    /// the short reply from `faq/smalltalk.yaml`, and is not a miss.
    SmallTalk {
        reply: &'a str,
        /// The kind's name in `smalltalk.yaml` ("thanks").
        kind: &'a str,
    },
    /// Nothing fits well enough. `nearest` is the closest entry, for the
    /// unmatched log and curators; `suggestions` are worth offering as
    /// "did you mean".
    NoMatch {
        nearest: Option<Nearest<'a>>,
        suggestions: Vec<&'a Entry>,
        stages: Stages,
    },
}

/// The entry nearest to a question no entry answers, with the engine's
/// reading of how near: front ends show these, never compare them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest<'a> {
    pub entry: &'a Entry,
    /// Its score, 0..1.
    pub score: f32,
    /// The score it would have needed to answer (the thresholds differ
    /// when the sentence model took part).
    pub needed: f32,
    /// Near enough that the question is probably this entry's, asked in
    /// words its alternates lack: add them, rather than a new entry.
    pub close: bool,
}

/// A nearest entry at least this share of the score needed is close
/// enough that the question may just be missing alternates.
pub const CLOSE_SHARE: f32 = 0.7;

impl<'a> Nearest<'a> {
    fn new(entry: &'a Entry, score: f32, needed: f32) -> Nearest<'a> {
        Nearest {
            entry,
            score,
            needed,
            close: score >= needed * CLOSE_SHARE,
        }
    }
}

impl Outcome<'_> {
    pub fn is_answer(&self) -> bool {
        matches!(self, Outcome::Answer { .. })
    }
}

/// One entry as both stages saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub entry: &'a Entry,
    /// The score that ranks and decides: the combined score when the
    /// sentence model was consulted, else the word score.
    pub score: f32,
    pub stages: Stages,
    /// The phrasing that matched best (by meaning when consulted).
    pub phrasing: usize,
}

/// How the engine saw a question: for `faqbot ask --explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation<'a> {
    /// The lexical stage: words, weights and its own threshold.
    pub words: Words,
    /// The best candidates, best first.
    pub ranked: Vec<Candidate<'a>>,
    /// New words as the sentence model weighed them.
    pub new_words: Vec<WeighedWord>,
    /// The sentence of a longer message that matched, when not the whole.
    pub sentence: Option<String>,
    /// The nearest example of what the FAQ does not answer
    /// (`outside.yaml`), when the sentence model was consulted.
    pub outside: Option<fusion::Outside>,
    /// When the message is small talk by the learned decision (not by
    /// form or by its nearest example): the kind and its probability.
    pub small_talk: Option<(&'a str, f32)>,
    /// The learned decision's likeliest classes (an entry's id, or
    /// "outside") with their probabilities, best first.
    pub learned: Vec<(String, f32)>,
    /// Whether the best candidate answers, and why, in plain words.
    pub answers: bool,
    pub reason: String,
}

/// A word the FAQ has never seen, as the engine judged it.
#[derive(Debug, Clone, PartialEq)]
pub struct WeighedWord {
    /// The word as the question wrote it.
    pub word: String,
    /// How much of the question's meaning it carries.
    pub weight: f32,
    /// True: it makes the question about something else (refused); false:
    /// a story word set aside ("my husband").
    pub subject: bool,
}

/// One candidate inside the engine: an entry index, the score that ranks
/// it, both stages' scores and the phrasing that matched.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    entry: usize,
    score: f32,
    stages: Stages,
    phrasing: usize,
}

/// The engine's full judgement of one question, before it becomes an
/// [`Outcome`] or an [`Explanation`].
struct Judgement {
    /// Candidates best first (entry indices).
    ranked: Vec<Ranked>,
    reason: Reason,
    new_words: Vec<NewWord>,
    sentence: Option<String>,
    /// Whether scores are combined (else word scores, already cut to
    /// the matcher's own suggestions).
    combined: bool,
    /// The nearest outside example, when the model was consulted.
    outside: Option<fusion::Outside>,
    /// The learned decision's likeliest classes (see [`Engine::class_name`])
    /// with their probabilities, best first.
    learned: Vec<(usize, f32)>,
    /// The small-talk kind the learned decision finds likeliest, when a
    /// small-talk class is its best class, with its probability.
    small_talk: Option<(usize, f32)>,
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

/// Why content could not be turned into an engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Content(#[from] LoadError),
    #[error("the sentence model could not be used: {0}")]
    Model(#[from] ModelError),
}

/// Two phrasings (entry, which phrasing) of different entries that mean
/// nearly the same, and their similarity.
pub type Twin<'a> = ((&'a Entry, usize), (&'a Entry, usize), f32);

/// Loaded content and its indexes; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Engine {
    faq: Faq,
    matcher: Matcher,
    /// None when `semantic: false`.
    semantic: Option<SemanticIndex>,
    triage: Triage,
    /// Triage examples by meaning; None when `semantic: false`.
    examples: Option<Examples>,
    smalltalk: SmallTalk,
    /// The small-talk examples' vectors and kinds; None when `semantic:
    /// false`.
    smalltalk_vectors: Option<Vec<(Vec<f32>, usize)>>,
    /// The outside examples' vectors, with (reason, example) indices;
    /// None when `semantic: false`.
    outside_vectors: Option<Vec<(Vec<f32>, usize, usize)>>,
    /// The learned decision: a class per entry, then `outside`; None when
    /// `semantic: false`.
    head: Option<learned::Head>,
    /// What tuning the sentence model has; None when untuned or off.
    tuning: Option<TuningInUse>,
}

/// Triage's verdict on one message.
struct Triaged {
    alarm: Option<Alarm>,
    /// An alarm the learned decision set aside, and its share for
    /// emergencies.
    set_aside: Option<(Alarm, f32)>,
    /// The parts triage embedded, for matching to reuse.
    known: Embedded,
}

/// Texts of the message already embedded (by triage), so matching does not
/// embed them again.
type Known = [(String, Vec<f32>)];
/// Texts and their vectors, as triage hands them to matching.
type Embedded = Vec<(String, Vec<f32>)>;

impl Engine {
    /// Builds the engine for `faq` with the built-in sentence model (unless
    /// the settings turn it off).
    pub fn new(faq: Faq) -> Result<Engine, ModelError> {
        Engine::build(faq, &Model::built_in(), None)
    }

    /// Builds the engine; with `previous` (live reload), phrasings whose
    /// text did not change keep their vectors instead of being embedded
    /// again.
    pub fn build(faq: Faq, model: &Model, previous: Option<&Engine>) -> Result<Engine, ModelError> {
        let matcher = Matcher::new(&faq);
        let triage = Triage::new(&faq.triage);
        let smalltalk = SmallTalk::new(&faq.smalltalk);
        let mut tuning = None;
        let (semantic, examples, smalltalk_vectors, outside_vectors) =
            if faq.settings.semantic.enabled {
                let (encoder, in_use) = model.encoder_for(&faq)?;
                tuning = in_use;
                let index = previous.and_then(|p| p.semantic.as_ref());
                let index = SemanticIndex::build(Arc::clone(&encoder), &faq, index)?;
                // A reload that left the examples alone keeps their vectors
                // (about a second of embedding on a 2-core machine).
                let kept = previous
                    .filter(|p| p.model_is(&encoder) && p.faq.triage.same_examples(&faq.triage))
                    .and_then(|p| p.examples.clone());
                let examples = match kept {
                    Some(examples) => examples,
                    None => embed_examples(&encoder, &faq.triage)?,
                };
                let (texts, kinds): (Vec<&str>, Vec<usize>) = faq.smalltalk.examples().unzip();
                let smalltalk_vectors: Vec<(Vec<f32>, usize)> =
                    encoder.embed_all(&texts)?.into_iter().zip(kinds).collect();
                let outside = outside_examples(&faq);
                let texts: Vec<&str> = outside.iter().map(|(t, _, _)| *t).collect();
                let outside_vectors: Vec<(Vec<f32>, usize, usize)> = encoder
                    .embed_all(&texts)?
                    .into_iter()
                    .zip(outside)
                    .map(|(v, (_, reason, example))| (v, reason, example))
                    .collect();
                encoder.save_vectors(&start_up_texts(&faq));
                (
                    Some(index),
                    Some(examples),
                    Some(smalltalk_vectors),
                    Some(outside_vectors),
                )
            } else {
                (None, None, None, None)
            };
        let head = match (&semantic, &smalltalk_vectors, &examples, &outside_vectors) {
            (Some(index), Some(smalltalk), Some(triage), Some(outside)) => {
                train_head(&faq, index, smalltalk, triage, outside)
            }
            _ => None,
        };
        Ok(Engine {
            faq,
            matcher,
            semantic,
            triage,
            examples,
            smalltalk,
            smalltalk_vectors,
            outside_vectors,
            head,
            tuning,
        })
    }

    /// The tuning the sentence model uses, if any.
    pub fn tuning(&self) -> Option<&TuningInUse> {
        self.tuning.as_ref()
    }

    /// Whether this engine's sentence model is `encoder`.
    fn model_is(&self, encoder: &Arc<Encoder>) -> bool {
        self.semantic
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s.encoder(), encoder))
    }

    /// Loads and checks `dir` with the built-in model; content with errors
    /// is refused.
    pub fn load(dir: &Path) -> Result<Engine, EngineError> {
        Engine::load_with(dir, &Model::built_in())
    }

    pub fn load_with(dir: &Path, model: &Model) -> Result<Engine, EngineError> {
        let faq = content::load(dir).into_result()?;
        Ok(Engine::build(faq, model, None)?)
    }

    pub fn faq(&self) -> &Faq {
        &self.faq
    }

    /// The sentence model in use, if any (for logs).
    pub fn model_name(&self) -> Option<&str> {
        self.semantic.as_ref().map(|s| s.encoder().name())
    }

    /// How many phrasings were embedded when this engine was built (the
    /// rest were reused from the previous version).
    pub fn phrasings_embedded(&self) -> usize {
        self.semantic.as_ref().map_or(0, SemanticIndex::embedded)
    }

    pub fn ask(&self, question: &str) -> Outcome<'_> {
        self.ask_typed(question, Typing::Complete)
    }

    /// Like [`Engine::ask`], for text still being typed (inline mode).
    pub fn ask_typed(&self, question: &str, typing: Typing) -> Outcome<'_> {
        let Triaged { alarm, known, .. } = self.triage(question);
        if let Some(alarm) = alarm {
            let (reply, category) = self.urgent(&alarm);
            return Outcome::Urgent { reply, category };
        }
        if let Some(kind) = self.smalltalk.by_form(question) {
            return self.small_talk(kind);
        }
        let judgement = self.judge(question, typing, &known);
        if !judgement.reason.answers()
            && typing == Typing::Complete
            && let Some(kind) = self
                .small_talk_by_meaning(question, &known)
                .or_else(|| self.small_talk_learned(question, &judgement))
        {
            return self.small_talk(kind);
        }
        let entries = &self.faq.entries;
        let answers = judgement.reason.answers();
        let Some(&Ranked {
            entry: best,
            score,
            stages,
            ..
        }) = judgement.ranked.first()
        else {
            return Outcome::NoMatch {
                nearest: None,
                suggestions: Vec::new(),
                stages: Stages::default(),
            };
        };
        let suggestions = self.suggestions(&judgement, answers);
        if answers {
            Outcome::Answer {
                entry: &entries[best],
                score,
                suggestions,
                stages,
            }
        } else {
            let settings = &self.faq.settings;
            let needed = if judgement.combined {
                settings.semantic.threshold
            } else {
                settings.threshold
            };
            Outcome::NoMatch {
                nearest: Some(Nearest::new(&entries[best], score, needed)),
                suggestions,
                stages,
            }
        }
    }

    fn small_talk(&self, kind: usize) -> Outcome<'_> {
        match self.faq.smalltalk.kinds.get(kind) {
            Some(k) => Outcome::SmallTalk {
                reply: &k.reply,
                kind: &k.name,
            },
            None => Outcome::NoMatch {
                nearest: None,
                suggestions: Vec::new(),
                stages: Stages::default(),
            },
        }
    }

    /// The kind of small talk a short message no entry answers is, by
    /// meaning (see [`crate::smalltalk`]). Reuses triage's vector of the
    /// whole message, so it costs no model run.
    fn small_talk_by_meaning(&self, question: &str, known: &Known) -> Option<usize> {
        let (Some(semantic), Some(examples)) = (&self.semantic, &self.smalltalk_vectors) else {
            return None;
        };
        if !SmallTalk::short_enough(question) {
            return None;
        }
        let vector = embed_known(semantic, &[question.trim()], known)
            .ok()?
            .into_iter()
            .next()?;
        let (similarity, kind) = examples
            .iter()
            .map(|(v, kind)| (semantic::dot(v, &vector), *kind))
            .max_by(|a, b| a.0.total_cmp(&b.0))?;
        let faq = semantic.closest(&vector);
        tracing::debug!(similarity, faq, kind, "small talk by meaning?");
        smalltalk::by_meaning(similarity, faq).then_some(kind)
    }

    /// Small talk by the learned decision: a short message the head gives
    /// to a small-talk kind with probability at least
    /// [`fusion::LEARNED_SMALL_TALK`] ("thanks heaps", "love it, really
    /// helpful"), so a curator teaches a new way of saying thanks by adding
    /// it to `smalltalk.yaml`.
    fn small_talk_learned(&self, question: &str, judgement: &Judgement) -> Option<usize> {
        let (kind, p) = judgement.small_talk.filter(|_| self.head_may_decide())?;
        let words = crate::analysis::fold::words(question).len();
        (p >= fusion::LEARNED_SMALL_TALK && words <= fusion::LEARNED_SMALL_TALK_WORDS)
            .then_some(kind)
    }

    /// Runners-up worth offering: after an answer, close seconds; after a
    /// refusal, the best guesses (but never for a new subject, where every
    /// entry would be about something else).
    fn suggestions(&self, judgement: &Judgement, answered: bool) -> Vec<&Entry> {
        if matches!(
            judgement.reason,
            Reason::NewSubject(_) | Reason::Outside(_) | Reason::LearnedOutside(_)
        ) {
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

    /// Both stages and the decision, for one question.
    fn judge(&self, question: &str, typing: Typing, known: &Known) -> Judgement {
        let verdict = self.matcher.find_typed(question, typing);
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
        let settings = &self.faq.settings.semantic;
        if let Some(best) = &verdict.best
            && verdict.matched
            && best.score >= settings.words_decide
            && self
                .matcher
                .words_foreign_to(question, typing, best.entry)
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
        match self.judge_with_model(semantic, question, typing, by_words, known) {
            Ok(judgement) => judgement,
            Err(err) => {
                // The model ran at start-up, so this is not expected; an
                // answer by words alone beats no answer.
                tracing::warn!(error = %err, "sentence model failed; matching by words alone");
                words_only(Reason::WordsOnly)
            }
        }
    }

    fn judge_with_model(
        &self,
        semantic: &SemanticIndex,
        question: &str,
        typing: Typing,
        by_words: Option<usize>,
        known: &Known,
    ) -> Result<Judgement, ModelError> {
        let settings = &self.faq.settings.semantic;
        let parts = semantic::parts(question);
        let vectors = embed_known(semantic, &parts, known)?;
        let meanings = semantic.rank(&vectors);
        let Some(top) = meanings.first().copied() else {
            return Ok(Judgement {
                ranked: Vec::new(),
                reason: Reason::NothingClose,
                new_words: Vec::new(),
                sentence: None,
                combined: true,
                outside: None,
                learned: Vec::new(),
                small_talk: None,
            });
        };
        // The sentence of a long message that asks the question.
        let text = parts[top.part];
        let all = self
            .head
            .as_ref()
            .map(|h| h.probabilities(&vectors[top.part]));
        let small_talk = all.as_deref().and_then(|p| self.small_talk_class(p));
        // An entry's probability among the classes a question can have
        // (entries and outside).
        let layout = layout(&self.faq);
        let probabilities = all.as_deref().map(|p| layout.questions(p));
        let new_words = self.weigh_new_words(semantic, text, typing, &vectors[top.part], &top)?;
        let story: Vec<String> = new_words
            .iter()
            .filter(|w| !w.is_subject(settings))
            .map(|w| w.stem.clone())
            .collect();
        let lexical = self.matcher.rank_without(text, typing, &story);
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
    fn head_may_decide(&self) -> bool {
        self.faq
            .outside
            .reasons
            .iter()
            .any(|r| !r.examples.is_empty())
    }

    /// A class's name for curators: an entry's id, "small talk: thanks",
    /// "emergency: overdose", "ordinary" or "outside".
    fn class_name(&self, class: usize) -> String {
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
    fn small_talk_class(&self, probabilities: &[f32]) -> Option<(usize, f32)> {
        let (class, p) = learned::likeliest(probabilities, 1).first().copied()?;
        match layout(&self.faq).class(class) {
            Class::SmallTalk(kind) => Some((kind, p)),
            _ => None,
        }
    }

    /// The rules' decision, overruled where the learned decision is sure:
    /// a refusal of a question the head gives, with probability at least
    /// [`fusion::LEARNED_ANSWER`], to one of the best candidates (which
    /// then leads the ranking); an answer to a question with a word the
    /// entry lacks (`new_words`) that the head gives to `outside` with at
    /// least [`fusion::LEARNED_OUTSIDE`]. `learned`: the head's best class
    /// among the entries and outside (the last), and its probability. Only
    /// with outside examples to learn from.
    fn with_learned(
        &self,
        reason: Reason,
        mut ranked: Vec<Ranked>,
        learned: Option<(usize, f32)>,
        new_words: bool,
    ) -> (Reason, Vec<Ranked>) {
        if !self.head_may_decide() {
            return (reason, ranked);
        }
        let refused_by_rules = matches!(
            reason,
            Reason::BelowThreshold | Reason::NewSubject(_) | Reason::MeaningTooFar
        );
        let Some((class, p)) = learned.filter(|&(_, p)| p >= fusion::LEARNED_ANSWER) else {
            return (reason, ranked);
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
    fn nearest_outside(&self, vector: &[f32]) -> Option<fusion::Outside> {
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
    /// the learned decision (see [`fusion::LEARNED_OUTSIDE`]).
    fn weigh_new_words(
        &self,
        semantic: &SemanticIndex,
        text: &str,
        typing: Typing,
        text_vector: &[f32],
        top: &semantic::Similarity,
    ) -> Result<Vec<NewWord>, ModelError> {
        let mut words = self.matcher.words_foreign_to(text, typing, top.entry);
        words.truncate(fusion::MAX_NEW_WORDS);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // The model reads the word as written ("migraines"), not the
        // matcher's folded stem ("migrain"), which it would not recognise.
        let surface: Vec<String> = words.iter().map(|w| surface_word(text, w)).collect();
        let inputs: Vec<&str> = surface.iter().map(String::as_str).collect();
        let inputs = semantic.embed(&inputs)?;
        Ok(words
            .iter()
            .zip(surface)
            .zip(inputs)
            .map(|((stem, word), vector)| NewWord {
                word,
                stem: stem.clone(),
                weight: semantic::dot(&vector, text_vector),
            })
            .collect())
    }

    /// Every phrasing that, asked as a question, is not answered from its
    /// own entry: the sign that two entries overlap or a phrasing is too
    /// vague. `faqbot check` shows these, and a test keeps `faq/` free of them.
    pub fn misroutes(&self) -> Vec<Misroute<'_>> {
        let mut found = Vec::new();
        for entry in &self.faq.entries {
            for (n, phrasing) in entry.phrasings().enumerate() {
                let judgement = self.judge(phrasing, Typing::Complete, &[]);
                let leads_to = match judgement.ranked.first() {
                    Some(best) if judgement.reason.answers() => {
                        let (got, via) = (&self.faq.entries[best.entry], best.phrasing);
                        if got.id == entry.id {
                            continue;
                        }
                        Some((got, via))
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

    /// Pairs of phrasings in different entries that mean nearly the same
    /// (similarity at least `min`): two entries answering one question.
    /// Empty when the sentence model is off.
    pub fn twin_phrasings(&self, min: f32) -> Vec<Twin<'_>> {
        let Some(semantic) = &self.semantic else {
            return Vec::new();
        };
        let entries = &self.faq.entries;
        semantic
            .close_pairs(min)
            .into_iter()
            .map(|(ea, pa, eb, pb, score)| ((&entries[ea], pa), (&entries[eb], pb), score))
            .collect()
    }

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
    /// [`fusion::LEARNED_URGENT`]), with the category's name and the
    /// share the head gave emergencies, for `ask --explain`.
    pub fn alarm_set_aside(&self, message: &str) -> Option<(Alarm, Option<&str>, f32)> {
        let (alarm, share) = self.triage(message).set_aside?;
        let category = self.urgent(&alarm).1;
        Some((alarm, category, share))
    }

    /// Triage: both signals (see [`crate::triage`]), confirmed by the
    /// learned decision. Returns the texts it embedded too, for matching
    /// to reuse.
    fn triage(&self, message: &str) -> Triaged {
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
        match (alarm, self.urgent_share(&known)) {
            (Some(alarm), Some(share)) if !always && share < fusion::LEARNED_URGENT => {
                tracing::debug!(share, because = %alarm.because, "alarm set aside by the learned decision");
                Triaged {
                    alarm: None,
                    set_aside: Some((alarm, share)),
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

    /// The learned decision's share for emergencies (the triage categories
    /// together), on the part of the message where it is highest; None
    /// when the head may not decide.
    fn urgent_share(&self, parts: &Known) -> Option<f32> {
        let head = self.head.as_ref().filter(|_| self.head_may_decide())?;
        let layout = layout(&self.faq);
        parts
            .iter()
            .map(|(_, v)| layout.urgent(&head.probabilities(v)))
            .max_by(f32::total_cmp)
    }

    /// How each part of a message compares with the triage examples, and
    /// the parts' vectors; None without the sentence model.
    fn triage_scores(
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
    fn urgent(&self, alarm: &Alarm) -> (&str, Option<&str>) {
        let settings = &self.faq.triage;
        match alarm.category.and_then(|i| settings.categories.get(i)) {
            Some(category) => (category.reply.as_str(), Some(category.name.as_str())),
            None => (settings.reply.as_str(), None),
        }
    }

    /// How the engine saw `question`, for curators.
    pub fn explain(&self, question: &str, top: usize) -> Explanation<'_> {
        let words = self.matcher.explain(question, top);
        let judgement = self.judge(question, Typing::Complete, &[]);
        let settings = &self.faq.settings;
        let answers = judgement.reason.answers();
        let reason = judgement
            .reason
            .describe(&settings.semantic, settings.threshold);
        let small_talk = (!answers)
            .then(|| self.small_talk_learned(question, &judgement))
            .flatten()
            .and_then(|kind| {
                let p = judgement.small_talk.map_or(0.0, |(_, p)| p);
                Some((self.faq.smalltalk.kinds.get(kind)?.name.as_str(), p))
            });
        Explanation {
            small_talk,
            words,
            ranked: judgement
                .ranked
                .into_iter()
                .take(top)
                .map(|c| Candidate {
                    entry: &self.faq.entries[c.entry],
                    score: c.score,
                    stages: c.stages,
                    phrasing: c.phrasing,
                })
                .collect(),
            new_words: judgement
                .new_words
                .into_iter()
                .map(|w| WeighedWord {
                    subject: w.is_subject(&self.faq.settings.semantic),
                    word: w.word,
                    weight: w.weight,
                })
                .collect(),
            sentence: judgement.sentence,
            outside: judgement.outside,
            learned: judgement
                .learned
                .into_iter()
                .map(|(class, p)| (self.class_name(class), p))
                .collect(),
            answers,
            reason,
        }
    }

    /// Entries best matching `query`, matched or not, best first: for
    /// inline results, where a list of candidates is what the user sees.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Entry> {
        if self.semantic.is_none() {
            return self
                .matcher
                .rank(query, Typing::Partial)
                .into_iter()
                .take(limit)
                .map(|s| &self.faq.entries[s.entry])
                .collect();
        }
        let judgement = self.judge(query, Typing::Partial, &[]);
        if matches!(
            judgement.reason,
            Reason::NewSubject(_) | Reason::Outside(_) | Reason::LearnedOutside(_)
        ) {
            return Vec::new();
        }
        let Some(best) = judgement.ranked.first().map(|c| c.score) else {
            return Vec::new();
        };
        let floor = (best * 0.5).max(fusion::SUGGEST_FLOOR);
        judgement
            .ranked
            .iter()
            .filter(|c| c.score >= floor)
            .take(limit)
            .map(|c| &self.faq.entries[c.entry])
            .collect()
    }
}

/// The triage examples' vectors, in one call for both lists so they share
/// batches and threads.
fn embed_examples(
    encoder: &Encoder,
    settings: &crate::content::TriageSettings,
) -> Result<Examples, ModelError> {
    let (urgent, ordinary) = Examples::texts(settings);
    let texts: Vec<&str> = urgent.iter().map(|(t, _)| *t).chain(ordinary).collect();
    let mut urgent_vectors = encoder.embed_all(&texts)?;
    let ordinary_vectors = urgent_vectors.split_off(urgent.len());
    Ok(Examples::new(
        encoder.dim(),
        urgent_vectors
            .into_iter()
            .zip(urgent.iter().map(|(_, c)| *c))
            .collect(),
        ordinary_vectors,
    ))
}

/// Every text an engine embeds when it is built: the phrasings, the
/// triage and the small-talk examples (what the vector cache keeps).
fn start_up_texts(faq: &Faq) -> Vec<&str> {
    let (urgent, ordinary) = Examples::texts(&faq.triage);
    faq.entries
        .iter()
        .flat_map(|e| e.phrasings())
        .chain(urgent.into_iter().map(|(t, _)| t))
        .chain(ordinary)
        .chain(faq.smalltalk.examples().map(|(t, _)| t))
        .chain(outside_examples(faq).into_iter().map(|(t, _, _)| t))
        .collect()
}

/// Trains the learned decision (see [`learned::Layout`]) on every phrasing
/// (its entry's class), every small-talk example (its kind's), every
/// triage example (its category's), the ordinary look-alikes and the
/// outside examples.
fn train_head(
    faq: &Faq,
    index: &SemanticIndex,
    smalltalk: &[(Vec<f32>, usize)],
    triage: &Examples,
    outside: &[(Vec<f32>, usize, usize)],
) -> Option<learned::Head> {
    let layout = layout(faq);
    let mut examples: Vec<(&[f32], usize)> = Vec::new();
    for (e, entry) in faq.entries.iter().enumerate() {
        for p in 0..entry.phrasings().count() {
            if let Some(v) = index.phrasing_vector(e, p) {
                examples.push((v, layout.index(Class::Entry(e))));
            }
        }
    }
    examples.extend(
        smalltalk
            .iter()
            .filter(|(_, kind)| *kind < layout.small_talk)
            .map(|(v, kind)| (v.as_slice(), layout.index(Class::SmallTalk(*kind)))),
    );
    examples.extend(
        triage
            .urgent()
            .filter(|(_, category)| *category < layout.triage)
            .map(|(v, category)| (v, layout.index(Class::Triage(category)))),
    );
    examples.extend(
        triage
            .ordinary()
            .map(|v| (v, layout.index(Class::Ordinary))),
    );
    examples.extend(
        outside
            .iter()
            .map(|(v, _, _)| (v.as_slice(), layout.index(Class::Outside))),
    );
    learned::Head::train(&examples, layout.len())
}

/// The learned decision's classes for `faq`.
fn layout(faq: &Faq) -> learned::Layout {
    learned::Layout {
        entries: faq.entries.len(),
        small_talk: faq.smalltalk.kinds.len(),
        triage: faq.triage.categories.len(),
    }
}

/// Every outside example: (text, reason index, example index).
fn outside_examples(faq: &Faq) -> Vec<(&str, usize, usize)> {
    faq.outside
        .reasons
        .iter()
        .enumerate()
        .flat_map(|(r, reason)| {
            reason
                .examples
                .iter()
                .enumerate()
                .map(move |(e, example)| (example.text.as_str(), r, e))
        })
        .collect()
}

/// Vectors of `texts`, taken from `known` where triage already embedded
/// them.
fn embed_known(
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

fn lexical_candidate(s: &Scored) -> Ranked {
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
fn surface_word(text: &str, stem: &str) -> String {
    text.split_whitespace()
        .find(|w| folds_to(w, stem))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| stem.to_string())
}

/// Whether a written word folds to `stem`, as the matcher folds words.
fn folds_to(word: &str, stem: &str) -> bool {
    crate::analysis::fold::words(word)
        .iter()
        .any(|f| f == stem || (f.starts_with(stem) && f.len() <= stem.len() + 3))
}
