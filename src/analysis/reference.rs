//! Whether a message points back at an earlier one: "could **that** be
//! causing my rls?", "**and** if it doesn't work?", "what's better
//! **then**", "**why?**".
//!
//! Such a message may not stand on its own even when its words match an
//! entry: "could that be causing my rls?" after a question about the signs
//! of low magnesium asks whether low magnesium causes RLS, not what causes
//! RLS. A message without them does stand on its own: "what is sleep
//! apnea" after a question about RLS is a question about sleep apnea, and
//! reading it with the previous question would only bend it toward RLS.
//! The engine reads a message in its conversation only when it points back
//! (see `engine::conversation`).
//!
//! English by the FAQ's own filler and question words; the eight other
//! languages faqbot reads by short lists of the same kinds of word
//! ([`refers_back_in`]): "¿y cuándo lo tomo?", "a czy to jest
//! dziedziczne?", "peki ne zaman?". A follow-up is short, and its
//! pointers are among the commonest words of a language, so a few words
//! each catch most; a missed one only leaves a message read alone, as
//! every message in another language was before.

use super::language::Language;
use super::{fold, stopwords};

/// Pronouns, demonstratives and adverbs standing for something said
/// before ("though" and "tho": "who shouldn't take it though").
const POINTERS: &[&str] = &[
    "else", "instead", "it", "that", "them", "then", "these", "they", "this", "those", "tho",
    "though",
];

/// Words that open a message carrying on from the one before ("and how
/// much?", "but for my mum?", "what about coffee").
const OPENERS: &[&str] = &["also", "and", "but", "so", "what about", "how about"];

/// Words that may come before an opener ("ok but what brand").
const INTERJECTIONS: &[&str] = &[
    "ok", "okay", "oh", "hmm", "right", "yes", "yeah", "no", "well",
];

/// Words asking how much, how long or how often, which name nothing by
/// themselves ("how much?").
const MEASURES: &[&str] = &["long", "many", "much", "often", "soon"];

/// Whether `message` refers back to an earlier message: a word of it
/// points back, it opens by carrying on, or it names nothing at all
/// ("why?", "how much?").
pub fn refers_back(message: &str) -> bool {
    refers_back_words(&fold::words(message))
}

/// [`refers_back`] for a message's folded words ([`fold::words`]), as the
/// engine's analysed query holds them.
pub fn refers_back_words(words: &[String]) -> bool {
    refers_back_by(
        words,
        |w| POINTERS.contains(&w),
        OPENERS,
        |w| INTERJECTIONS.contains(&w),
        |w| {
            stopwords::is_stopword(w)
                || stopwords::is_question_word(w)
                || MEASURES.contains(&w)
                || INTERJECTIONS.contains(&w)
        },
    )
}

/// The rule, in any language: a word of `words` points back, the message
/// opens by carrying on (after any interjections), or every word names
/// nothing.
fn refers_back_by(
    words: &[String],
    points: impl Fn(&str) -> bool,
    openers: &[&str],
    interjection: impl Fn(&str) -> bool,
    names_nothing: impl Fn(&str) -> bool,
) -> bool {
    if words.is_empty() {
        return false;
    }
    let start = words
        .iter()
        .position(|w| !interjection(w))
        .unwrap_or(words.len());
    let rest = words[start..].join(" ");
    let opens = openers
        .iter()
        .any(|o| rest == *o || rest.starts_with(&format!("{o} ")));
    opens || words.iter().all(|w| names_nothing(w) || points(w)) || words.iter().any(|w| points(w))
}

/// What tells, in one language other than English, that a message points
/// back. Words as [`fold::words`] gives them: lowercase, without accents
/// ("cuándo" is "cuando", "какой" is "какои").
struct Cues {
    /// Words standing for something said before ("eso", "davon", "это").
    pointers: &'static [&'static str],
    /// Openings carrying on from the message before ("y", "und", "peki").
    openers: &'static [&'static str],
    /// Words that name nothing by themselves: question words, measures,
    /// small verbs and particles, interjections. A message of these alone
    /// asks about something said before ("¿por qué?", "ile?").
    empty: &'static [&'static str],
}

/// The cues of each language faqbot reads besides English (see
/// [`crate::analysis::language`]). Articles that are also pronouns ("la",
/// "le", "das" in "das Magnesium") are left out where the article is
/// the commoner: they would send questions with their own subject to be
/// read in context. "das" is kept for German: "ist das sicher?" is the
/// common short follow-up, and "das" before a noun comes with that noun.
const CUES: [(&str, Cues); 8] = [
    (
        "es",
        Cues {
            pointers: &[
                "eso", "esto", "ese", "esa", "este", "esta", "esos", "esas", "estos", "lo",
                "entonces",
            ],
            openers: &["y", "pero", "entonces", "que tal", "ademas", "tambien"],
            empty: &[
                "que", "como", "cuando", "cuanto", "cuanta", "cuantos", "cuantas", "donde", "por",
                "porque", "quien", "cual", "cuales", "para", "es", "hay", "se", "puedo", "debo",
                "tomar", "tomo", "ok", "vale", "bueno", "si", "no", "pues", "y", "mas", "mucho",
                "tiempo",
            ],
        },
    ),
    (
        "pt",
        Cues {
            pointers: &[
                "isso", "isto", "esse", "essa", "este", "esta", "entao", "ele", "ela",
            ],
            openers: &["e", "mas", "entao", "e se", "tambem"],
            empty: &[
                "que", "como", "quando", "quanto", "quanta", "quantos", "onde", "por", "porque",
                "quem", "qual", "quais", "para", "e", "tem", "posso", "devo", "tomar", "ok", "sim",
                "nao", "bom", "mais", "muito", "tempo",
            ],
        },
    ),
    (
        "it",
        Cues {
            pointers: &[
                "questo", "questa", "quello", "quella", "cio", "lo", "allora", "invece",
            ],
            openers: &["e", "ma", "allora", "quindi", "e se"],
            empty: &[
                "che", "cosa", "come", "quando", "quanto", "quanta", "quanti", "dove", "perche",
                "chi", "quale", "quali", "per", "e", "ci", "sono", "posso", "devo", "prendere",
                "ok", "si", "no", "bene", "piu", "molto", "tempo",
            ],
        },
    ),
    (
        "fr",
        Cues {
            pointers: &["ca", "cela", "ceci", "celui", "celle", "alors", "sinon"],
            openers: &["et", "mais", "alors", "donc", "et si"],
            empty: &[
                "que", "qu", "quoi", "quand", "comment", "combien", "pourquoi", "ou", "qui",
                "quel", "quelle", "quels", "quelles", "est", "ce", "c", "il", "y", "a", "je",
                "dois", "peux", "prendre", "ok", "oui", "non", "bon", "plus", "temps",
            ],
        },
    ),
    (
        "de",
        Cues {
            pointers: &[
                "es", "das", "dies", "dieses", "diese", "davon", "dafur", "damit", "dagegen",
                "dann", "sonst",
            ],
            openers: &["und", "aber", "also", "und wenn", "was ist mit"],
            empty: &[
                "was", "wie", "wann", "warum", "wieso", "weshalb", "wo", "wer", "welche",
                "welcher", "welches", "viel", "lange", "oft", "ist", "ich", "soll", "kann",
                "nehmen", "ok", "okay", "ja", "nein", "gut", "mehr",
            ],
        },
    ),
    (
        "pl",
        Cues {
            pointers: &[
                "to", "tego", "tym", "ten", "ta", "te", "go", "jej", "je", "wtedy", "tez",
            ],
            openers: &["a", "i", "ale", "wiec"],
            empty: &[
                "co", "jak", "kiedy", "ile", "dlaczego", "czemu", "gdzie", "kto", "ktory", "ktora",
                "czy", "jaki", "jaka", "jakie", "jest", "moge", "mam", "brac", "ok", "tak", "nie",
                "no", "dlugo", "czesto",
            ],
        },
    ),
    (
        "tr",
        Cues {
            pointers: &[
                "bu", "bunu", "bunun", "bunlar", "o", "onu", "onun", "su", "sunu", "ayrica",
            ],
            openers: &["peki", "ve", "ama", "ya"],
            empty: &[
                "ne", "nasil", "neden", "niye", "nerede", "kim", "hangi", "kac", "mi", "mı", "mu",
                "zaman", "kadar", "var", "tamam", "evet", "hayir", "ok", "sure",
            ],
        },
    ),
    (
        "ru",
        Cues {
            pointers: &[
                "это",
                "этот",
                "эта",
                "эти",
                "его",
                "ее",
                "их",
                "тогда",
                "еще",
            ],
            openers: &["а", "и", "но", "так"],
            empty: &[
                "что",
                "как",
                "когда",
                "сколько",
                "почему",
                "зачем",
                "где",
                "кто",
                "какои",
                "какая",
                "какие",
                "ли",
                "можно",
                "нужно",
                "принимать",
                "ок",
                "да",
                "нет",
                "ну",
                "долго",
                "часто",
            ],
        },
    ),
];

/// [`refers_back_words`] for a message in `language`: English by the
/// rules above, another language by its [`Cues`]; false for a language
/// without them.
pub fn refers_back_in(words: &[String], language: Language) -> bool {
    if language.is_english() {
        return refers_back_words(words);
    }
    let Some((_, cues)) = CUES.iter().find(|(code, _)| *code == language.code()) else {
        return false;
    };
    refers_back_by(
        words,
        |w| cues.pointers.contains(&w),
        cues.openers,
        |_| false,
        |w| cues.empty.contains(&w),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_openers_and_bare_questions_refer_back() {
        for message in [
            "could that be causing my rls?",
            "And how much?",
            "what else helps",
            "whats better then",
            "ok but for my mum?",
            "what about coffee",
            "why?",
            "how many mg then",
            "and the other kind?",
            // "thats" folds to "that is".
            "thats too much?",
        ] {
            assert!(refers_back(message), "{message}");
        }
    }

    #[test]
    fn a_question_with_its_own_subject_stands_alone() {
        for message in [
            "how much magnesium should i take",
            "what is sleep apnea",
            "how much protein do i need per day",
            "",
        ] {
            assert!(!refers_back(message), "{message}");
        }
    }

    fn in_language(message: &str, code: &str) -> bool {
        let language = Language::from_code(code).expect("a supported language");
        refers_back_in(&fold::words(message), language)
    }

    #[test]
    fn follow_ups_in_other_languages_refer_back() {
        for (message, code) in [
            ("¿y cuándo lo tomo?", "es"),
            ("¿por qué?", "es"),
            ("und wann soll ich es nehmen?", "de"),
            ("ist das sicher?", "de"),
            ("et ça marche en combien de temps ?", "fr"),
            ("e isso tem efeitos colaterais?", "pt"),
            ("e quando devo prenderlo?", "it"),
            ("a kiedy go brać?", "pl"),
            ("ile?", "pl"),
            ("peki ne zaman almalıyım?", "tr"),
            ("а когда его принимать?", "ru"),
            ("сколько?", "ru"),
        ] {
            assert!(in_language(message, code), "{message}");
        }
    }

    #[test]
    fn questions_in_other_languages_with_their_own_subject_stand_alone() {
        for (message, code) in [
            ("¿qué alimentos tienen mucho magnesio?", "es"),
            ("Welche Lebensmittel enthalten viel Magnesium?", "de"),
            ("quels sont les effets secondaires du magnésium ?", "fr"),
            ("qu'est-ce que le syndrome des jambes sans repos ?", "fr"),
            ("o magnésio ajuda a dormir melhor?", "pt"),
            ("il magnesio aiuta a dormire meglio?", "it"),
            ("co powoduje zespół niespokojnych nóg?", "pl"),
            ("magnezyum uykuya iyi gelir mi?", "tr"),
            ("что вызывает синдром беспокойных ног?", "ru"),
        ] {
            assert!(!in_language(message, code), "{message}");
        }
    }
}
