//! Which language a message is in.
//!
//! faqbot's content is English, and so is everything that reads words
//! (typo correction, stems, triage's patterns). A message in another
//! language is read by the multilingual sentence model instead (see
//! [`crate::engine`]); this module only says which language it is.
//!
//! Three signals, because each alone fails on chat messages:
//! - the share of its words that are English words the FAQ itself uses
//!   (or English filler): "define restless leg syndrome" is English
//!   although its trigrams look French;
//! - the commonest function words of each other language ([`FUNCTION_WORDS`]),
//!   letters only one supported language writes ([`OWN_LETTERS`]: "¿" is
//!   Spanish), and letters English does not use: without any of them, words
//!   the FAQ does not know are unknown English ("zebra quantum physics")
//!   unless the trigrams are sure;
//! - `whatlang`'s trigram profiles, limited to the languages faqbot
//!   supports ([`SUPPORTED`]), and to the tied ones when the function
//!   words tie, for messages the function words leave undecided.
//!
//! English is the default whenever the text is too short to tell, because
//! the English path is the one calibrated on chat-style English (slang,
//! typos, "wat causes restles legs"); there a letter only one language
//! writes decides ("¿eres un bot?"), else the sender's Telegram
//! `language_code`: people often type English with their phone set to
//! another language, but a one-word "gracias" is Spanish.

use super::stopwords;
use whatlang::{Detector, Lang, Script};

/// A language faqbot can read, by its ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(&'static str);

/// The languages faqbot reads: English and those the multilingual model
/// serves with replies written for them.
pub const SUPPORTED: [(&str, Lang); 9] = [
    ("en", Lang::Eng),
    ("es", Lang::Spa),
    ("de", Lang::Deu),
    ("fr", Lang::Fra),
    ("ru", Lang::Rus),
    ("pt", Lang::Por),
    ("it", Lang::Ita),
    ("pl", Lang::Pol),
    ("tr", Lang::Tur),
];

impl Language {
    pub const ENGLISH: Language = Language("en");

    /// A supported language by its code ("es", or Telegram's "pt-br"),
    /// None for any other.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim().to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        SUPPORTED
            .iter()
            .find(|(c, _)| *c == base)
            .map(|(c, _)| Language(c))
    }

    /// The ISO 639-1 code: "en", "es", ...
    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn is_english(self) -> bool {
        self == Language::ENGLISH
    }

    /// Its name in English, for curators ("Spanish").
    pub fn name(self) -> &'static str {
        match self.0 {
            "es" => "Spanish",
            "de" => "German",
            "fr" => "French",
            "ru" => "Russian",
            "pt" => "Portuguese",
            "it" => "Italian",
            "pl" => "Polish",
            "tr" => "Turkish",
            _ => "English",
        }
    }
}

/// The codes of the supported languages other than English, for
/// messages to curators: "es, de, fr, ...".
pub fn other_codes() -> String {
    SUPPORTED
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| *code != Language::ENGLISH.code())
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Common function words of each supported language but English,
/// folded (lowercase, no accents) as `fold::words` gives them. Trigrams
/// tell Spanish, Portuguese and Italian apart poorly in a short message;
/// these words do ("tengo que", "eu tenho", "devo"), and which language
/// a reply is written in depends on it.
const FUNCTION_WORDS: [(&str, &[&str]); 8] = [
    (
        "es",
        &[
            "el", "los", "las", "del", "y", "es", "por", "para", "con", "mi", "tengo", "puedo",
            "debo", "hay", "pero", "muy", "cuanto", "cuantos", "cuando", "donde", "porque",
            "tomar", "esta", "estoy", "sirve", "ayuda", "mucho", "algo", "nada", "tambien",
            "quiero", "ya", "hoy", "ahora", "yo", "la", "que", "en", "un", "una", "lo", "se",
            "este", "su", "al", "le", "mis", "sus", "va",
        ],
    ),
    (
        "pt",
        &[
            "os", "em", "um", "uma", "nao", "meu", "minha", "eu", "tenho", "posso", "das", "dos",
            "na", "pra", "mais", "muito", "voce", "isso", "quanto", "quantos", "quando", "onde",
            "porque", "tomar", "esta", "estou", "ajuda", "tambem", "ou", "ao", "que", "se", "com",
            "sem", "ja", "hoje", "vou", "quero", "ele", "ela", "seu", "sua", "minhas", "meus",
            "da",
        ],
    ),
    (
        "it",
        &[
            "il", "gli", "di", "che", "per", "non", "ho", "posso", "devo", "della", "nel", "nella",
            "piu", "molto", "come", "quanto", "quanti", "quando", "dove", "perche", "prendere",
            "sono", "aiuta", "anche", "ma", "mio", "mia", "questo", "ogni", "al", "mi", "ti", "si",
            "la", "le", "lo", "un", "una", "del", "con", "da", "sto", "voglio", "mie", "miei",
            "fa", "ha",
        ],
    ),
    (
        "fr",
        &[
            "le",
            "les",
            "des",
            "du",
            "et",
            "est",
            "une",
            "pour",
            "avec",
            "ne",
            "pas",
            "je",
            "mon",
            "mes",
            "dois",
            "dans",
            "sur",
            "plus",
            "tres",
            "comment",
            "combien",
            "quand",
            "pourquoi",
            "prendre",
            "suis",
            "aide",
            "aussi",
            "mais",
            "ou",
            "ce",
            "veux",
            "deja",
            "maintenant",
            "moi",
            "j'ai",
            "la",
            "un",
            "que",
            "qui",
            "en",
            "se",
            "va",
            "vais",
            "ai",
            "tout",
            "toute",
            "tous",
            "ma",
            "au",
            "aux",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "ich", "nicht", "mit", "fur", "ein", "eine", "zu",
            "es", "den", "dem", "auf", "bei", "mein", "meine", "wie", "viel", "kann", "soll",
            "sollte", "was", "wann", "habe", "hab", "nehmen", "hilft", "auch", "mich", "mir",
            "noch", "nur", "sehr", "wenn", "aber", "oder", "im", "vom", "zum", "sich", "schon",
            "immer", "nach", "gegen", "jeden",
        ],
    ),
    (
        "pl",
        &[
            "w", "na", "nie", "sie", "jest", "z", "do", "ze", "jak", "czy", "mam", "moge", "ile",
            "co", "dla", "jaki", "jakie", "brac", "pomaga", "mnie", "mi", "tez", "ale", "bo",
            "kiedy", "dlaczego", "moj", "moja", "od", "przy", "ma", "moje", "sa",
        ],
    ),
    (
        "tr",
        &[
            "ve",
            "bir",
            "bu",
            "icin",
            "ne",
            "mi",
            "mu",
            "var",
            "yok",
            "ile",
            "cok",
            "daha",
            "nasil",
            "kadar",
            "ben",
            "benim",
            "olur",
            "mı",
            "mü",
            "almaliyim",
            "neden",
            "zaman",
            "gunde",
            "ama",
            "de",
            "da",
            "gibi",
            "iyi",
            "nedir",
            "misin",
        ],
    ),
    ("ru", &[]),
];

/// Function words above that are also everyday English words ("die",
/// "come", "plus"): in a message without English the FAQ knows, alone they
/// would make "can coronavirus die in heat" German.
const ENGLISH_HOMOGRAPHS: &[&str] = &[
    "die", "come", "plus", "mam", "ale", "ben", "um", "con", "ha", "ai", "lo", "im", "al",
];

/// Letters and marks only one supported language writes: an inverted
/// question mark is Spanish however short the message ("¿eres un bot?"),
/// and settles a tie between two languages' function words.
const OWN_LETTERS: [(&str, &[char]); 5] = [
    ("es", &['¿', '¡', 'ñ']),
    ("pt", &['ã', 'õ']),
    ("pl", &['ł', 'ą', 'ę', 'ś', 'ź', 'ż', 'ć', 'ń']),
    ("tr", &['ı', 'ğ', 'ş']),
    ("de", &['ß']),
];

/// How many of `words` are function words of the language `code` (see
/// [`FUNCTION_WORDS`]): none spelled like English filler, and those
/// spelled like another English word ([`ENGLISH_HOMOGRAPHS`]) only beside
/// one that is not.
fn function_words(words: &[String], code: &str) -> usize {
    let Some((_, list)) = FUNCTION_WORDS.iter().find(|(c, _)| *c == code) else {
        return 0;
    };
    let found: Vec<&String> = words
        .iter()
        .filter(|w| list.contains(&w.as_str()) && !stopwords::is_stopword(w))
        .collect();
    let plain = found
        .iter()
        .filter(|w| !ENGLISH_HOMOGRAPHS.contains(&w.as_str()))
        .count();
    if plain > 0 { found.len() } else { 0 }
}

/// The one language whose own letters `text` has, if exactly one's.
fn by_own_letters(text: &str) -> Option<Language> {
    let lower = text.to_lowercase();
    let mut found = OWN_LETTERS
        .iter()
        .filter(|(_, letters)| lower.contains(*letters))
        .map(|(code, _)| *code);
    match (found.next(), found.next()) {
        (Some(code), None) => Language::from_code(code),
        _ => None,
    }
}

/// Fewer letters than this and the text alone does not decide: the
/// sender's language setting does, else English.
const SHORT: usize = 12;
/// A message at least this share of whose words are English words the FAQ
/// uses (or English filler) is English, whatever its trigrams say.
const ENGLISH_SHARE: f32 = 0.5;

/// The language of `text`, with the sender's language setting as a hint.
/// `english(word)`: whether a folded word is English the FAQ knows.
pub fn detect(text: &str, hint: Option<Language>, english: impl Fn(&str) -> bool) -> Language {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let Some(script) = whatlang::detect_script(text) else {
        return hint.unwrap_or(Language::ENGLISH);
    };
    // Cyrillic is Russian among the supported languages, however short.
    if script == Script::Cyrillic {
        return Language("ru");
    }
    if script != Script::Latin {
        return Language::ENGLISH;
    }
    let words = crate::analysis::fold::words(text);
    let known = words.iter().filter(|w| english(w)).count();
    // The hinted language's own function words, when they are as many as
    // the English words, outweigh them: "a kiedy go brać?" (after a
    // question in Polish) is Polish, though "a" and "go" are English.
    let hinted = hint.filter(|l| !l.is_english()).is_some_and(|l| {
        let own = function_words(&words, l.code());
        own > 0 && own >= known
    });
    if words.is_empty() || (known as f32 >= ENGLISH_SHARE * words.len() as f32 && !hinted) {
        return Language::ENGLISH;
    }
    let own = by_own_letters(text);
    if letters < SHORT {
        return own.or(hint).unwrap_or(Language::ENGLISH);
    }
    // Not English: the language with the most of its function words, when
    // one has more than every other; else the trigrams' choice. A function
    // word spelled like English filler ("do" is Polish, "was" German) is no
    // evidence: "do hamsters hibernate outdoors" is not Polish. One
    // spelled like another English word counts only beside a function word
    // that is not ("can coronavirus die in heat" is not German; "die" with
    // "ist", "ich" or "und" still counts).
    let counts: Vec<(&str, usize)> = FUNCTION_WORDS
        .iter()
        .map(|(code, _)| (*code, function_words(&words, code)))
        .collect();
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let leaders: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| *n == most)
        .map(|(c, _)| *c)
        .collect();
    if most > 0
        && let [code] = leaders.as_slice()
    {
        return Language::from_code(code).unwrap_or(Language::ENGLISH);
    }
    // A tie ("de" is Turkish too, "para" Spanish and Portuguese), or no
    // function word at all: a language's own letters decide (among the
    // tied languages), else the trigrams choose among the tied languages
    // only, never a third.
    if let Some(own) = own.filter(|l| most == 0 || leaders.contains(&l.code())) {
        return own;
    }
    let candidates: Vec<Lang> = SUPPORTED
        .iter()
        .filter(|(code, _)| most == 0 || leaders.contains(code))
        .map(|(_, l)| *l)
        .collect();
    let Some(found) = Detector::with_allowlist(candidates).detect(text) else {
        return Language::ENGLISH;
    };
    // Without one function word of another language and without a letter
    // English does not use, words the FAQ does not know are English it
    // does not know ("zebra quantum physics": the trigrams guess
    // Portuguese, unsure), unless the trigrams are sure ("magnezyumdan
    // zengin yiyecekler neler", Turkish typed without its letters).
    let accented = text.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
    if most == 0 && !accented && !found.is_reliable() {
        return Language::ENGLISH;
    }
    SUPPORTED
        .iter()
        .find(|(_, l)| *l == found.lang())
        .map_or(Language::ENGLISH, |(c, _)| Language(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the FAQ's vocabulary.
    fn english(word: &str) -> bool {
        crate::analysis::stopwords::is_stopword(word)
            || [
                "magnesium",
                "restless",
                "leg",
                "legs",
                "syndrome",
                "causes",
                "define",
                "glycinate",
                "citrate",
                "vs",
            ]
            .contains(&word)
    }

    fn code(text: &str) -> &'static str {
        detect(text, None, english).code()
    }

    #[test]
    fn each_supported_language_is_told_apart() {
        assert_eq!(code("how much magnesium should i take every day"), "en");
        assert_eq!(code("cuánto magnesio tengo que tomar cada día"), "es");
        assert_eq!(code("wie viel Magnesium muss ich jeden Tag nehmen"), "de");
        assert_eq!(
            code("combien de magnésium dois-je prendre chaque jour"),
            "fr"
        );
        assert_eq!(code("сколько магния нужно принимать"), "ru");
        assert_eq!(code("quanto magnésio eu tenho que tomar todo dia"), "pt");
        assert_eq!(code("quanto magnesio devo prendere ogni giorno"), "it");
        assert_eq!(code("ile magnezu muszę brać codziennie"), "pl");
        assert_eq!(code("her gün ne kadar magnezyum almam gerekiyor"), "tr");
    }

    #[test]
    fn a_function_word_spelled_like_english_needs_another_beside_it() {
        assert_eq!(code("can viruses die in heat"), "en");
        assert_eq!(code("flu virus come from bats"), "en");
        assert_eq!(code("die Beine tun weh, was ist da los"), "de");
        assert_eq!(code("come si prende il magnesio"), "it");
        // "es" is German too: not Spanish for want of a German word.
        assert_eq!(code("wie lange dauert es, bis es wirkt"), "de");
    }

    #[test]
    fn chat_english_stays_english() {
        for text in [
            "wat causes restles legs",
            "thx",
            "magnesium glycinate vs citrate??",
            "cant sleep legs jumping all nite wat do i do",
            "ok",
            // "son", "ha" and "al" are small words of other languages too.
            "my son went stiff and is jerking all over, ha, al is calling 911",
        ] {
            assert_eq!(code(text), "en", "{text}");
        }
    }

    #[test]
    fn a_short_message_follows_the_senders_setting() {
        let es = Language::from_code("es");
        assert_eq!(detect("gracias", es, english).code(), "es");
        assert_eq!(detect("gracias", None, english).code(), "en");
        assert_eq!(detect("спасибо", None, english).code(), "ru");
        // The setting never outweighs the words: English typed on a phone
        // set to Spanish is English, however short.
        assert_eq!(detect("magnesium?", es, english).code(), "en");
        assert_eq!(
            detect("how much magnesium should i take", es, english).code(),
            "en"
        );
        // Unless the hinted language's own function words are as many:
        // "a" and "go" are English, "kiedy" and "brać" Polish.
        let pl = Language::from_code("pl");
        assert_eq!(detect("a kiedy go brać?", pl, english).code(), "pl");
        assert_eq!(detect("a kiedy go brać?", None, english).code(), "en");
        assert_eq!(detect("and when do i take it", pl, english).code(), "en");
        let de = Language::from_code("de-at");
        assert_eq!(
            detect("cuánto magnesio tengo que tomar cada día", de, english).code(),
            "es"
        );
    }

    #[test]
    fn unknown_words_alone_are_unknown_english() {
        assert_eq!(code("zebra quantum physics"), "en");
        assert_eq!(code("unicorn taxes please"), "en");
        assert_eq!(code("my doc prescribed pramipexole idk"), "en");
        assert_eq!(code("gabapentin enacarbil vs pregabalin dosing"), "en");
    }

    #[test]
    fn a_language_typed_without_its_letters_is_still_found_when_sure() {
        assert_eq!(code("bacaklarim geceleri cok agriyor"), "tr");
    }

    #[test]
    fn function_words_tell_close_languages_apart() {
        assert_eq!(code("quiero tomar magnesio pero tengo miedo"), "es");
        assert_eq!(code("eu tenho medo de tomar magnesio"), "pt");
        assert_eq!(code("ho paura di prendere il magnesio"), "it");
        assert_eq!(code("quiero morir, ya no aguanto más"), "es");
        // "de" is Turkish as well as a Romance word: among the two tied
        // languages, the trigrams choose Spanish, not a third language.
        assert_eq!(code("dosis de magnesio para piernas inquietas"), "es");
    }

    /// The commonest small words ("de", "la", "mi", "mich") are function
    /// words too: without them, "de" alone made a Spanish message Turkish,
    /// and "mi" an Italian one Polish; an emergency reply in the wrong
    /// language is one its reader may not understand.
    #[test]
    fn the_commonest_small_words_decide_too() {
        for (text, expected) in [
            ("este dolor de piernas me va a matar", "es"),
            ("mi voglio uccidere, non dormo da settimane", "it"),
            ("stanotte mi ammazzo", "it"),
            ("questo dolore mi uccide", "it"),
            ("das Restless-Legs-Syndrom bringt mich noch um", "de"),
            ("j'ai avalé toute la boîte de somnifères", "fr"),
            ("quero me matar hoje", "pt"),
            ("o magnésio me dá diarreia", "pt"),
        ] {
            assert_eq!(code(text), expected, "{text}");
        }
    }

    #[test]
    fn a_language_s_own_letters_decide_a_short_message() {
        assert_eq!(code("¿eres un bot?"), "es");
        assert_eq!(code("¡gracias!"), "es");
        assert_eq!(code("dziękuję"), "pl");
        assert_eq!(code("teşekkürler"), "tr");
        // Without such a letter a short message still follows the setting.
        assert_eq!(code("gracias"), "en");
        assert_eq!(code("¿magnesium?"), "en");
    }

    #[test]
    fn english_words_outweigh_foreign_looking_trigrams() {
        assert_eq!(code("define restless leg syndrome"), "en");
        // "do" is Polish too, but English filler first.
        assert_eq!(code("do hamsters hibernate outdoors"), "en");
    }

    #[test]
    fn codes_are_read_like_telegram_sends_them() {
        assert_eq!(Language::from_code("pt-br").map(Language::code), Some("pt"));
        assert_eq!(Language::from_code("DE").map(Language::code), Some("de"));
        assert_eq!(Language::from_code("ja"), None);
        assert_eq!(Language::from_code(""), None);
    }
}
