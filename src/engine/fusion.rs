//! One decision from two stages: the word score and the meaning similarity.
//!
//! The design choice is honesty first. The lexical stage is exact about
//! words: a word the FAQ has never seen is evidence the question is about
//! something else. The sentence stage understands rewording ("kicks in" for
//! "starts working") but will happily call "how much calcium do adults need"
//! close to the magnesium entry. So:
//!
//! 1. A confident word score with no new word answers at once; the model is
//!    not consulted (most questions, at lexical speed).
//! 2. Otherwise each word the FAQ has never seen is weighed by the sentence
//!    model. It is a *new subject* when it carries much of the question's
//!    meaning (its own vector is close to the question's: "calcium",
//!    "melatonin", "ibuprofen") or when dropping it moves the question
//!    clearly closer to the best entry ("dogs" in "is magnesium good for
//!    dogs"). A new subject means the FAQ does not answer this question.
//!    Other new words are story words ("husband", "till", "lol") and are
//!    set aside, so they no longer sink the word score.
//! 3. When the word stage on its own would answer (its threshold) and the
//!    sentence stage's closest entry is the same one, the two independent
//!    stages agree and that entry answers ("Recommended Dosage").
//! 4. Otherwise each entry gets a combined score, a weighted mean of its word score
//!    (story words set aside) and its meaning similarity; the best answers
//!    when it reaches `meaning_threshold` and its meaning similarity is not
//!    far below (a word match alone cannot answer what the model says is
//!    unrelated: "what is the meaning of life" shares "what is" and
//!    "meaning" with the FAQ but nothing of its sense). With the default
//!    threshold the weights already ensure this; the floor keeps it true
//!    when a curator lowers the threshold.
//!
//! Every figure below was chosen on the shared development sets only.

use crate::content::settings::SemanticSettings;

/// Weight of the word score in the combined score; the meaning similarity
/// has the rest. Meaning generalises to rewordings; words keep typos, rare
/// terms and exact phrasings decisive.
pub const LEXICAL_WEIGHT: f32 = 0.3;
/// How far the word stage's own pick may trail in meaning and still lead
/// the ranking (times its word score): enough for "magnesium dosage" to
/// reach the dosage entry rather than side effects, small enough that a
/// clear difference in meaning wins.
pub const WORDS_PICK_LEAD: f32 = 0.1;
/// An answer needs at least this meaning similarity, whatever its words.
pub const MIN_MEANING: f32 = 0.45;
/// When both stages pick the same entry, the meaning similarity it needs:
/// agreement on a loose topic ("symptoms of diabetes" and the entry on
/// chronic conditions) is not enough.
pub const AGREE_MEANING: f32 = 0.6;
/// An outside example ([`crate::content::outside`]) refuses a question
/// when it is closer in meaning than every entry's phrasings by at least
/// this much: a tie is no evidence either way.
pub const OUTSIDE_LEAD: f32 = 0.02;
/// A message in another language answers from the entry closest in
/// meaning when that entry is closer than every example of what the FAQ
/// does not answer by at least this much (see [`other_language`]).
///
/// The multilingual model puts a message in another language further from
/// every English text than an English message would be, by an amount that
/// depends on the language and the message: no fixed similarity can be the
/// bar. The outside examples are English too, so the distance to them
/// carries the same shift, and the difference does not. Measured on
/// `multilingual_dev` (eight languages): every question to refuse stayed
/// below +0.009, every answerable one reached +0.019; the bar is between.
pub const OTHER_LANGUAGE_LEAD: f32 = 0.013;
/// In another language, entries within this similarity of the closest are
/// ranked by the learned decision instead.
pub const OTHER_LANGUAGE_NEAR: f32 = 0.01;

/// The review of unmatched questions joins a group in another language to
/// a group in English (or a third language) asking the same, with the
/// multilingual model: when that group is its closest in every other
/// language, by at least this similarity, and it is in turn that group's
/// closest among the groups of its language (see [`super::across`]). The
/// model finds "how much potassium" closer to "how much iron" (0.94) than
/// to its Spanish translation (0.91): similarity alone cannot say "the
/// same question", so the closest is taken only when it is mutual and
/// close. Measured on 24 questions of the kinds unmatched logs hold,
/// written in English, Spanish, German and Russian for this (none from the
/// development sets): with every English wording there, 51 of the 72
/// others joined theirs and none joined another; with its own English
/// left out, none joined anything, and 5 of 72 would have where no other
/// question of its language was there to be closer (0.87: 57 right, 11
/// wrong that way). A group asked twice in English in other words is not
/// a reason to leave the other language apart, so there is no margin
/// over the runner-up.
pub const ACROSS_LANGUAGES_SAME: f32 = 0.88;

/// Triage of a message in another language (see
/// [`super::alarm`]): a part alarms when its nearest urgent example is
/// closer than every ordinary text (look-alike, FAQ phrasing, outside
/// example) by at least this much; or closer at all when the learned
/// decision's likeliest class for the whole message is an emergency. As
/// with [`OTHER_LANGUAGE_LEAD`], only differences between similarities to
/// English texts carry over between languages. Measured on
/// `multilingual_dev`: the eight emergencies led by +0.009 to +0.033 (those
/// below +0.015 with an emergency as the learned decision's likeliest
/// class), the 64 calm messages by at most +0.011, none of those with an
/// emergency likeliest.
pub const OTHER_LANGUAGE_URGENT_LEAD: f32 = 0.015;

/// The learned decision ([`super::learned`]) answers a question the rules
/// refused when it gives one of the [`LEARNED_AMONG`] best candidates at
/// least this probability: likelier than every other class together.
/// Measured on the development sets: 0.5 to 0.65 refuse the same
/// `dev.jsonl` questions; chat-style answers rose from 0.712 (0.6) to
/// 0.758 (0.5) with the same refusals; 0.45 refused one formal
/// out-of-domain question less.
pub const LEARNED_ANSWER: f32 = 0.5;
/// A refusal because an outside example came closer than every entry is
/// overruled by the learned decision only at this probability: "what if my
/// iron is low, does that matter" is a hair nearer "what iron dose should
/// i take for low ferritin" than to the iron entry, which the head gives
/// 0.83. Measured on the development sets: 0.6 to 0.8 decide alike; at 0.5
/// one chat-style question the FAQ cannot answer was answered.
pub const LEARNED_OVER_OUTSIDE: f32 = 0.7;
/// How far down the ranking the learned decision may pick its entry: the
/// words and the meaning must still place it among the likely ones.
/// 5 and 10 decided alike on the development sets; 3 left out one right
/// answer the rules ranked fourth.
pub const LEARNED_AMONG: usize = 5;
/// A short message that is not a question the FAQ answers is small talk
/// when the learned decision gives a small-talk kind this probability.
/// Measured on the development sets (see the README).
pub const LEARNED_SMALL_TALK: f32 = 0.5;
/// ... and when it has at most this many words: the small-talk examples
/// are short, and a long message is a question more often than not.
pub const LEARNED_SMALL_TALK_WORDS: usize = 12;
/// Triage by meaning (see [`super::alarm`]): an urgent example must be at
/// least this close to a part.
pub const MIN_URGENT: f32 = 0.4;
/// A lone clause must be this much closer still...
pub const CLAUSE_EXTRA: f32 = 0.15;
/// ...and lead the nearest ordinary message by this much.
pub const CLAUSE_LEAD: f32 = 0.1;
/// A pattern's alarm stands unless the message is this much closer to one
/// of triage's `ordinary` look-alikes than to any urgent example (0: closer
/// at all).
pub const PATTERN_VETO: f32 = 0.0;
/// A sentence or clause must also beat the whole message's nearest ordinary
/// look-alike less this much. Taken out of a calm question ("my son had a
/// seizure as a baby, is magnesium ok for him now?"), a clause can look
/// like an emergency; it alarms only when it is clearly closer to one than
/// the message as a whole is to anything ordinary. A real emergency inside
/// a long story still stands out by more than this.
pub const CONTEXT_SLACK: f32 = 0.2;
/// Small talk by meaning: only a message of at most this many words...
pub const SMALL_TALK_WORDS: usize = 6;
/// ...this close to a small-talk example...
pub const SMALL_TALK_SIMILARITY: f32 = 0.6;
/// ...and closer to it than to the closest FAQ phrasing by this much.
pub const SMALL_TALK_LEAD: f32 = 0.2;
/// An alarm by meaning, or by a pattern look-alikes may set aside, stands
/// only when the learned decision gives the triage categories together at
/// least this probability on some part of the message (the whole, a
/// sentence or a clause). Nearest examples alone alarm on calm messages
/// that share an emergency's words ("bye for now" near "I wrote goodbye
/// letters"); the head has learned from every calm example the FAQ has.
/// Measured on the development sets (see the README): from 0.3 to 0.4 no
/// emergency was lost; the lowest real one had 0.40, so 0.3 keeps a margin
/// on the side of safety. `always_patterns` are never set aside. The same
/// in other languages, with the multilingual model's head: the lowest of
/// 36 emergencies written in the eight languages had 0.41.
pub const LEARNED_URGENT: f32 = 0.3;
/// An alarm a look-alike may set aside is also set aside when the learned
/// decision, given the whole message, finds it more like the `ordinary`
/// look-alikes of triage.yaml than like all emergencies together, with at
/// least this probability. A part of a calm message can read as an
/// emergency on its own ("my grandma is dying", before "(in hospice) ...
/// can she use magnesium lotion for comfort?"); the whole says what it is.
/// On the development sets the calm messages set aside so gave ordinary
/// 0.28 and 0.32; no real emergency gave ordinary more than 0.21, nor
/// more than its emergency share.
pub const LEARNED_ORDINARY: f32 = 0.2;

/// The decision by meaning for small talk: the closest example's
/// similarity and the closest FAQ phrasing's.
pub fn small_talk_by_meaning(example: f32, faq: f32) -> bool {
    example >= SMALL_TALK_SIMILARITY && example >= faq + SMALL_TALK_LEAD
}

/// Small talk in another language, by meaning: the closest small-talk
/// example must be closer than every FAQ phrasing and every outside
/// example by at least this much (only differences carry over between
/// languages, see [`OTHER_LANGUAGE_LEAD`]). Measured with the multilingual
/// model on 31 short messages of small talk in the eight languages (thanks,
/// greetings, farewells, "are you a bot?", written for this): 29 led by
/// +0.045 to +0.133 (to three places); 9 short questions ("¿y el hierro?", "что такое
/// СБН?") by at most +0.037. The examples stay English: every English
/// example serves every language this way, while an example in another
/// language would be noise to the English model and to its tuning (the
/// commonest words of thanks, greeting and farewell in the eight
/// languages, added as examples, moved covidfaq's tuned P@1 from 0.621 to
/// 0.545 on the default seed).
pub const OTHER_LANGUAGE_SMALL_TALK_LEAD: f32 = 0.045;

/// The decision by meaning for small talk in another language: the
/// closest example's similarity and the closest FAQ phrasing's or outside
/// example's.
pub fn other_language_small_talk(example: f32, nearest_other: f32) -> bool {
    example >= nearest_other + OTHER_LANGUAGE_SMALL_TALK_LEAD
}

/// What the learned decision says of a message triage alarmed on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearnedTriage {
    /// The emergencies' share on the part of the message where it is
    /// highest.
    pub urgent: f32,
    /// On the whole message: the `ordinary` class, and the emergencies'
    /// share.
    pub whole_ordinary: f32,
    pub whole_urgent: f32,
}

impl LearnedTriage {
    /// Whether an alarm that may be set aside stands (see
    /// [`LEARNED_URGENT`], [`LEARNED_ORDINARY`]).
    pub fn alarm_stands(&self) -> bool {
        self.urgent >= LEARNED_URGENT
            && !(self.whole_ordinary >= LEARNED_ORDINARY && self.whole_ordinary > self.whole_urgent)
    }

    /// Why an alarm was set aside, in plain words for curators.
    pub fn describe(&self) -> String {
        if self.urgent < LEARNED_URGENT {
            format!(
                "the learned decision gives emergencies only {:.2} (it alarms from {LEARNED_URGENT:.2})",
                self.urgent
            )
        } else {
            format!(
                "the learned decision finds the whole message more like the ordinary look-alikes in triage.yaml ({:.2}) than like an emergency ({:.2})",
                self.whole_ordinary, self.whole_urgent
            )
        }
    }
}
/// A follow-up refused alone for being closer to an outside example than
/// to any entry is still read in context when that example is less
/// similar than this: loosely nearest to "tell me a joke" is no subject
/// ("why that one?"); "whats a normal melatonin dose then" at 0.65 is.
pub const CONTEXT_OUTSIDE: f32 = 0.5;
/// A message pointing back (see [`crate::analysis::reference`]) is read in
/// its conversation only when it has at most this many words. A follow-up
/// that leans on the previous question is short ("could that be causing
/// my rls?"); in a longer message the pointers mostly point inside it
/// ("my nan keeps saying she has rls. what actually is it"). On the
/// development sets the follow-ups have 3 to 11 words (those over 8 stand
/// alone); chat messages of 10 to 23 words with such a pointer, asked
/// after an unrelated question, were bent to its topic.
pub const FOLLOW_UP_WORDS: usize = 8;
/// A follow-up read in context that leads back to the entry the asker
/// already got, while asking something that entry does not say, is
/// answered with a runner-up only when the learned decision gives it at
/// least this many times the probability of the next: "and if that doesn't
/// work? are there meds" after natural remedies finds other treatments;
/// "can it be cured" after the causes of RLS, with two runners-up alike,
/// is refused, offering both.
pub const CONTEXT_PREFERRED: f32 = 1.5;
/// Two entries are equally likely, and the asker is asked which (see
/// [`tied`]), when the runner-up's learned probability is at least this
/// share of the best's...
pub const TIE_SHARE: f32 = 0.9;
/// ...their combined scores are at most this far apart...
pub const TIE_SCORE: f32 = 0.03;
/// ...and the learned decision gives the best less than this.
pub const TIE_BELOW: f32 = 0.4;

/// Whether an answer chosen by the combined score (not by the words
/// alone, nor by both stages agreeing, nor by a sure learned decision) has
/// a runner-up just as likely: each is (combined score, learned
/// probability). Then guessing would give half of those askers an answer
/// to another question; asking costs them one tap.
pub fn tied(reason: &Reason, best: (f32, Option<f32>), second: (f32, Option<f32>)) -> bool {
    let (Some(p1), Some(p2)) = (best.1, second.1) else {
        return false;
    };
    matches!(reason, Reason::Combined)
        && p1 < TIE_BELOW
        && p2 >= p1 * TIE_SHARE
        && (best.0 - second.0).abs() <= TIE_SCORE
}

/// By words alone (the model off, or the words decide), runners-up within
/// this share of the best word score are offered as "did you mean"...
pub const WORDS_SUGGEST_RATIO: f32 = 0.75;
/// ...when they reach at least this word score.
pub const WORDS_SUGGEST_FLOOR: f32 = 0.25;
/// Runners-up within this share of the best combined score are offered as
/// "did you mean"...
pub const SUGGEST_RATIO: f32 = 0.8;
/// ...when they reach at least this combined score.
pub const SUGGEST_FLOOR: f32 = 0.4;
/// Inline mode lists entries within this share of the best one's combined
/// score (a list of candidates is what the user sees there).
pub const SEARCH_RATIO: f32 = 0.5;
/// At most this many suggestions.
pub const MAX_SUGGESTIONS: usize = 3;
/// Most new words weighed per question (each embedded alone: the FAQ's
/// words at start-up, others in the message's own forward pass).
pub const MAX_NEW_WORDS: usize = 6;
/// The learned decision refuses a question the rules would answer, and
/// that has a word the entry lacks, when it gives `outside` at least this
/// probability: the words and the meaning found an entry, but the question
/// is one of the kinds `outside.yaml` lists ("does vitamin d help
/// depression" beside "does vitamin d help magnesium"). Without a new word
/// the rules' answer stands: on a short generic question ("recommended
/// dosage") the head leans to outside, which weighs as much as 15
/// entries. It replaced leaving each new word out and embedding the
/// question again (a forward pass more on many questions), which refused
/// "legs" as "a new subject" for "any natural remedies for rls". Measured
/// on the development sets: 0.5 to 0.9 decide alike.
pub const LEARNED_OUTSIDE: f32 = 0.7;

/// A word of the question the FAQ has never seen, as the sentence model
/// weighed it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWord {
    /// The word as the question wrote it ("migraines").
    pub word: String,
    /// The word as the lexical matcher folds it ("migrain").
    pub stem: String,
    /// Similarity of the word alone with the question: how much of the
    /// question's meaning it carries.
    pub weight: f32,
}

impl NewWord {
    /// Whether the word makes it a question about something else.
    pub fn is_subject(&self, settings: &SemanticSettings) -> bool {
        self.weight >= settings.new_word_weight
    }
}

/// The combined score of an entry.
pub fn combine(lexical: f32, meaning: f32) -> f32 {
    (LEXICAL_WEIGHT * lexical + (1.0 - LEXICAL_WEIGHT) * meaning.max(0.0)).clamp(0.0, 1.0)
}

/// The order of candidates once the model is consulted: by meaning, with
/// a small lead ([`WORDS_PICK_LEAD`] × its word score) for the entry the
/// word stage would answer with on its own. Other word scores mostly
/// measure how many of the question's words an entry happens to share,
/// which on long, chatty questions ranks worse than meaning alone
/// (covidfaq P@1: 0.40 ranked by the combined score, 0.475 this way).
/// The decision itself still uses [`combine`] on the real word score.
pub fn rank_key(lexical: f32, meaning: f32, words_pick: bool) -> f32 {
    meaning
        + if words_pick {
            WORDS_PICK_LEAD * lexical
        } else {
            0.0
        }
}

/// The outside example nearest a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Outside {
    /// Its reason's name in `outside.yaml`.
    pub reason: String,
    pub example: String,
    pub similarity: f32,
}

/// Why the engine answered or refused: shown by `faqbot ask --explain`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The word score alone was decisive (the model was not consulted).
    WordsDecide,
    /// Matched by words alone: the sentence model is off.
    WordsOnly,
    /// The combined score reached the threshold.
    Combined,
    /// Both stages on their own pick this entry.
    StagesAgree,
    /// A new word names another subject.
    NewSubject(String),
    /// Closer to an example of what the FAQ does not answer than to the
    /// best entry.
    Outside(Outside),
    /// The learned decision recognises the entry's question, with this
    /// probability, where the rules alone would have refused.
    Learned(f32),

    /// In another language: closer to the entry than to every outside
    /// example, by this much (see [`OTHER_LANGUAGE_LEAD`]).
    OtherLanguage(f32),
    /// In another language: not enough closer to the entry than to the
    /// nearest outside example (the lead, which may be negative).
    OtherLanguageNotCloser(f32),
    /// In another language, with no outside example to judge it against.
    OtherLanguageUnjudged,

    /// The learned decision gives `outside` this probability: the words
    /// and the meaning found an entry, but the question is one of the
    /// kinds `outside.yaml` lists.
    LearnedOutside(f32),
    /// The best combined score stayed below the threshold.
    BelowThreshold,
    /// The words matched but the meaning is too far.
    MeaningTooFar,
    /// No entry came anywhere near.
    NothingClose,
}

impl Reason {
    /// Refused because the question is about something the FAQ does not
    /// cover: no entry is worth suggesting, every one would be about
    /// something else.
    pub fn names_another_subject(&self) -> bool {
        matches!(
            self,
            Reason::NewSubject(_)
                | Reason::Outside(_)
                | Reason::LearnedOutside(_)
                | Reason::OtherLanguageNotCloser(_)
                | Reason::OtherLanguageUnjudged
        )
    }

    pub fn answers(&self) -> bool {
        matches!(
            self,
            Reason::WordsDecide
                | Reason::WordsOnly
                | Reason::Combined
                | Reason::StagesAgree
                | Reason::Learned(_)
                | Reason::OtherLanguage(_)
        )
    }

    /// In plain words, for curators.
    pub fn describe(&self, settings: &SemanticSettings, threshold: f32) -> String {
        match self {
            Reason::WordsDecide => format!(
                "answered: the words alone match well (at least {:.2}), so the sentence model was not needed",
                settings.words_decide
            ),
            Reason::WordsOnly => format!(
                "answered by words alone (the sentence model is off): score at least {threshold:.2}"
            ),
            Reason::Combined => format!(
                "answered: words and meaning together reach {:.2}",
                settings.threshold
            ),
            Reason::NewSubject(word) => format!(
                "refused: \"{word}\" names a subject the nearest entry does not cover, so its answer would be to a different question"
            ),
            Reason::Outside(o) => format!(
                "refused: closer to \"{}\" (similarity {:.2}), an example of what this FAQ does not answer ({} in outside.yaml), than to any entry",
                o.example, o.similarity, o.reason
            ),
            Reason::Learned(p) => format!(
                "answered: the decision learned from the FAQ's own phrasings recognises this entry's question (probability {p:.2})"
            ),
            Reason::LearnedOutside(p) => format!(
                "refused: the decision learned from the FAQ's examples finds it most like the questions outside.yaml lists (probability {p:.2}), which this FAQ does not answer"
            ),
            Reason::StagesAgree => format!(
                "answered: the words alone reach {threshold:.2} and the meaning points at the same entry"
            ),
            Reason::BelowThreshold => format!(
                "refused: words and meaning together stay below {:.2}",
                settings.threshold
            ),
            Reason::MeaningTooFar => format!(
                "refused: the words look alike but the meaning is too far (similarity below {MIN_MEANING:.2})"
            ),
            Reason::NothingClose => "refused: no entry comes close".to_string(),
            Reason::OtherLanguage(lead) => format!(
                "answered: in another language, read by the multilingual model; the entry is closer in meaning than any example of what this FAQ does not answer, by {lead:.3} (at least {OTHER_LANGUAGE_LEAD:.3} needed)"
            ),
            Reason::OtherLanguageUnjudged => "refused: in another language, meaning alone decides, by how much closer a message is to an entry than to the questions outside.yaml lists, and this FAQ lists none: add some to outside.yaml".to_string(),
            Reason::OtherLanguageNotCloser(lead) => format!(
                "refused: in another language, read by the multilingual model; the nearest entry is not clearly closer in meaning than the nearest example of what this FAQ does not answer (by {lead:.3}, at least {OTHER_LANGUAGE_LEAD:.3} needed)"
            ),
        }
    }
}

/// The decision on a message in another language: `best_meaning`, the
/// similarity of the closest entry; `outside`, that of the closest outside
/// example. Without any there is nothing to judge by, and it is refused
/// (a similarity alone says nothing across languages).
pub fn other_language(best_meaning: f32, outside: Option<f32>) -> Reason {
    let Some(outside) = outside else {
        return Reason::OtherLanguageUnjudged;
    };
    let lead = best_meaning - outside;
    if lead >= OTHER_LANGUAGE_LEAD {
        Reason::OtherLanguage(lead)
    } else {
        Reason::OtherLanguageNotCloser(lead)
    }
}

/// The decision on the best candidate. `stages_agree`: the word stage alone
/// would answer with it, and it is the sentence stage's closest entry.
/// `outside`: an outside example closer in meaning than every entry (by
/// [`OUTSIDE_LEAD`]), if there is one.
pub fn decide(
    best_lexical: f32,
    best_meaning: f32,
    stages_agree: bool,
    new_words: &[NewWord],
    outside: Option<Outside>,
    settings: &SemanticSettings,
) -> Reason {
    if let Some(w) = new_words.iter().find(|w| w.is_subject(settings)) {
        return Reason::NewSubject(w.word.clone());
    }
    // The caller passes only an example closer than every entry.
    if let Some(outside) = outside {
        return Reason::Outside(outside);
    }
    if stages_agree && best_meaning >= AGREE_MEANING {
        return Reason::StagesAgree;
    }
    let combined = combine(best_lexical, best_meaning);
    if combined < SUGGEST_FLOOR.min(settings.threshold) && best_lexical == 0.0 {
        return Reason::NothingClose;
    }
    if combined < settings.threshold {
        return Reason::BelowThreshold;
    }
    if best_meaning < MIN_MEANING {
        return Reason::MeaningTooFar;
    }
    Reason::Combined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_language_answers_only_clearly_closer_than_outside() {
        assert!(other_language(0.90, Some(0.88)).answers());
        let refused = other_language(0.90, Some(0.895));
        assert!(!refused.answers());
        assert!(refused.names_another_subject());
        // Without outside examples nothing can be judged.
        let unjudged = other_language(0.99, None);
        assert!(!unjudged.answers());
        assert!(
            unjudged
                .describe(&SemanticSettings::default(), 0.45)
                .contains("outside.yaml")
        );
        let s = SemanticSettings::default();
        assert!(
            other_language(0.9, Some(0.85))
                .describe(&s, 0.45)
                .contains("multilingual model")
        );
    }

    fn word(word: &str, weight: f32) -> NewWord {
        NewWord {
            word: word.into(),
            stem: word.into(),
            weight,
        }
    }

    #[test]
    fn an_alarm_stands_unless_the_learned_decision_finds_it_calm() {
        let learned = |urgent, whole_ordinary, whole_urgent| LearnedTriage {
            urgent,
            whole_ordinary,
            whole_urgent,
        };
        assert!(learned(0.5, 0.05, 0.4).alarm_stands());
        // Too little for emergencies on every part.
        assert!(!learned(0.2, 0.0, 0.2).alarm_stands());
        // One part reads as an emergency; the whole is an ordinary
        // look-alike ("my grandma is dying (in hospice) ... lotion?").
        let calm = learned(0.66, 0.32, 0.07);
        assert!(!calm.alarm_stands());
        assert!(
            calm.describe().contains("ordinary look-alikes"),
            "{}",
            calm.describe()
        );
        // Ordinary, but the emergencies together still weigh more.
        assert!(learned(0.6, 0.21, 0.49).alarm_stands());
        // Ordinary above the emergencies, but unsure of either.
        assert!(learned(0.7, 0.05, 0.04).alarm_stands());
    }

    #[test]
    fn small_talk_by_meaning_needs_closeness_and_a_lead_over_the_faq() {
        assert!(small_talk_by_meaning(0.8, 0.5));
        assert!(!small_talk_by_meaning(0.8, 0.7));
        assert!(!small_talk_by_meaning(0.55, 0.1));
    }

    #[test]
    fn two_entries_tie_only_when_both_stages_cannot_tell_them_apart() {
        let combined = Reason::Combined;
        assert!(tied(&combined, (0.70, Some(0.30)), (0.69, Some(0.29))));
        // The learned decision prefers one, or is sure of it.
        assert!(!tied(&combined, (0.70, Some(0.30)), (0.69, Some(0.20))));
        assert!(!tied(&combined, (0.70, Some(0.45)), (0.70, Some(0.44))));
        // The combined scores differ.
        assert!(!tied(&combined, (0.75, Some(0.30)), (0.69, Some(0.29))));
        // Decided by the words, or by both stages agreeing; no model.
        assert!(!tied(
            &Reason::WordsDecide,
            (0.70, Some(0.3)),
            (0.69, Some(0.3))
        ));
        assert!(!tied(
            &Reason::StagesAgree,
            (0.70, Some(0.3)),
            (0.69, Some(0.3))
        ));
        assert!(!tied(&combined, (0.70, None), (0.69, None)));
    }

    #[test]
    fn new_subjects_refuse_story_words_do_not() {
        let s = SemanticSettings::default();
        // Figures as the built-in model gives them. A lighter subject
        // ("dog", 0.29) is the learned decision's to refuse, from the
        // animals in outside.yaml.
        let calcium = word("calcium", 0.56);
        let husband = word("husband", 0.24);
        let till = word("till", 0.24);
        assert!(calcium.is_subject(&s));
        assert!(!husband.is_subject(&s) && !till.is_subject(&s));
        assert_eq!(
            decide(0.5, 0.8, false, &[calcium], None, &s),
            Reason::NewSubject("calcium".into())
        );
        assert_eq!(
            decide(0.5, 0.8, false, &[husband, till], None, &s),
            Reason::Combined
        );
    }

    #[test]
    fn words_without_meaning_do_not_answer() {
        let s = SemanticSettings::default();
        assert_eq!(
            decide(1.0, 0.1, false, &[], None, &s),
            Reason::BelowThreshold
        );
        assert_eq!(
            decide(0.2, 0.5, false, &[], None, &s),
            Reason::BelowThreshold
        );
        // A curator who lowers the threshold still never gets an answer
        // the model calls unrelated.
        let lowered = SemanticSettings {
            threshold: 0.3,
            ..s
        };
        assert_eq!(
            decide(1.0, 0.1, false, &[], None, &lowered),
            Reason::MeaningTooFar
        );
        assert_eq!(decide(0.0, 0.1, false, &[], None, &s), Reason::NothingClose);
        assert!(decide(0.6, 0.7, false, &[], None, &s).answers());
    }

    #[test]
    fn an_outside_example_closer_than_every_entry_refuses() {
        let s = SemanticSettings::default();
        let example = Outside {
            reason: "animals".into(),
            example: "is magnesium safe for my dog".into(),
            similarity: 0.9,
        };
        // Even where both stages agree: the example is the closer meaning.
        assert_eq!(
            decide(0.8, 0.85, true, &[], Some(example.clone()), &s),
            Reason::Outside(example)
        );
        assert!(decide(0.8, 0.85, true, &[], None, &s).answers());
    }

    #[test]
    fn ranking_is_by_meaning_with_a_small_lead_for_the_words_pick() {
        // Words alone pick an entry slightly behind in meaning: it leads.
        assert!(rank_key(0.6, 0.70, true) > rank_key(0.9, 0.74, false));
        // A clear difference in meaning wins over the words' pick, and
        // other word scores do not count at all.
        assert!(rank_key(0.6, 0.60, true) < rank_key(0.0, 0.70, false));
        assert_eq!(rank_key(0.9, 0.5, false), rank_key(0.0, 0.5, false));
    }

    #[test]
    fn combined_score_stays_in_range() {
        assert_eq!(combine(0.0, -0.3), 0.0);
        assert!((combine(1.0, 1.0) - 1.0).abs() < 1e-6);
        assert!(combine(0.5, 0.5) > 0.49);
    }
}
