//! Curator-editable settings: `faq/settings.yaml`.
//!
//! Wording (footer, no-match reply, greeting), the match threshold and the
//! synonym table live in a plain file so curators change them without a
//! rebuild. Every key is optional: a missing key falls back to the defaults
//! compiled in from `defaults.yaml`, so an empty or absent file still gives a
//! safe bot (the disclaimer footer can never silently disappear).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::problem::Problem;
pub use crate::analysis::SynonymGroup;

/// The defaults, as a curator would write them.
pub const DEFAULTS_YAML: &str = include_str!("defaults.yaml");

/// Telegram's limits for the bot's profile texts, in characters.
pub const DESCRIPTION_LIMIT: usize = 512;
pub const SHORT_DESCRIPTION_LIMIT: usize = 120;

/// File name of the settings inside the FAQ directory.
pub const FILE_NAME: &str = "settings.yaml";

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Medical disclaimer added under every answer, ending with
    /// `emergency_line` (joined when settings load, so no front end can
    /// leave it out).
    pub footer: String,
    /// The short line that ends every answer's footer and every no-match
    /// reply: where to turn if this is an emergency.
    pub emergency_line: String,
    /// Reply when nothing matches well enough.
    pub no_match: String,
    /// Asked when two entries fit a question equally well, above a button
    /// for each.
    pub choose: String,
    /// Above the entries a no-match reply offers ("Did you mean:").
    pub did_you_mean: String,
    /// Reply to /start and /help.
    pub greeting: String,
    /// Example questions shown with the greeting.
    pub examples: Vec<String>,
    /// The bot's profile text in Telegram (`setMyDescription`).
    pub description: String,
    /// The bot's one-line profile text (`setMyShortDescription`).
    pub short_description: String,
    /// Minimum score (0..1) for an answer.
    pub threshold: f32,
    /// How the sentence model takes part in matching.
    pub semantic: SemanticSettings,
    /// Preferred wording -> other wordings that mean the same.
    pub synonyms: Vec<SynonymGroup>,
    /// Extra words to ignore in questions.
    pub ignore_words: Vec<String>,
    /// Replies to messages in other languages, by ISO 639-1 code ("es"):
    /// the defaults, with what `languages:` in the file gives text by text.
    pub languages: BTreeMap<String, LanguageTexts>,
}

/// The replies to messages in one other language (`languages:` in
/// settings.yaml). Answers stay in the English they are written in; any
/// text left out is sent in English.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageTexts {
    /// Says, in that language, that the answer is in English; shown first
    /// in the footer.
    pub in_english: Option<String>,
    /// The disclaimer (the emergency line is added after it).
    pub footer: Option<String>,
    pub emergency_line: Option<String>,
    pub no_match: Option<String>,
    pub choose: Option<String>,
    pub did_you_mean: Option<String>,
    /// Sent instead of every urgent reply, so an emergency is always met
    /// in the asker's language.
    pub urgent: Option<String>,
}

/// Settings of the sentence stage (see `crate::engine` for how they are
/// used). All are shares or similarities between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticSettings {
    /// `semantic: false` matches by words alone (no sentence model).
    pub enabled: bool,
    /// `meaning_threshold`: the combined score (word score and meaning
    /// similarity) an answer needs when the sentence model is consulted.
    pub threshold: f32,
    /// `words_decide`: a word score at which the answer is given without
    /// consulting the sentence model.
    pub words_decide: f32,
    /// `new_word_weight`: how much a word the FAQ has never seen must
    /// carry of the question's meaning to count as a different subject
    /// ("calcium" where the entry says "magnesium") rather than a story
    /// word ("husband", "till").
    pub new_word_weight: f32,
    /// `other_languages`: whether messages in Spanish, German, French,
    /// Russian, Portuguese, Italian, Polish and Turkish are read by the
    /// built-in multilingual model (with the sentence model on).
    pub other_languages: bool,
}

impl Default for SemanticSettings {
    fn default() -> SemanticSettings {
        SemanticSettings {
            enabled: true,
            threshold: 0.65,
            words_decide: 0.7,
            new_word_weight: 0.5,
            other_languages: true,
        }
    }
}

/// The file as written: every key optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    footer: Option<String>,
    emergency_line: Option<String>,
    no_match: Option<String>,
    choose: Option<String>,
    did_you_mean: Option<String>,
    greeting: Option<String>,
    description: Option<String>,
    short_description: Option<String>,
    examples: Option<Vec<String>>,
    threshold: Option<f32>,
    semantic: Option<bool>,
    meaning_threshold: Option<f32>,
    words_decide: Option<f32>,
    new_word_weight: Option<f32>,
    other_languages: Option<bool>,
    synonyms: Option<BTreeMap<String, Vec<String>>>,
    ignore_words: Option<Vec<String>>,
    languages: Option<BTreeMap<String, LanguageTexts>>,
}

impl Default for Settings {
    fn default() -> Settings {
        // The embedded defaults are tested to parse; fall back to a minimal
        // safe set rather than panic if that ever broke.
        let raw: RawSettings = serde_norway::from_str(DEFAULTS_YAML).unwrap_or_default();
        let (footer, emergency_line) = default_footer();
        Settings {
            footer: join_line(&footer, &emergency_line),
            emergency_line,
            no_match: raw.no_match.unwrap_or_else(|| {
                "Sorry, I don't have an answer to that. Send /topics to see what I can answer."
                    .into()
            }),
            choose: raw
                .choose
                .unwrap_or_else(|| "Two of my answers could fit. Which did you mean?".into()),
            did_you_mean: raw.did_you_mean.unwrap_or_else(|| "Did you mean:".into()),
            greeting: raw.greeting.unwrap_or_default(),
            description: raw.description.unwrap_or_default(),
            short_description: raw.short_description.unwrap_or_default(),
            examples: raw.examples.unwrap_or_default(),
            threshold: raw.threshold.unwrap_or(0.45),
            semantic: {
                let d = SemanticSettings::default();
                SemanticSettings {
                    enabled: raw.semantic.unwrap_or(d.enabled),
                    threshold: raw.meaning_threshold.unwrap_or(d.threshold),
                    words_decide: raw.words_decide.unwrap_or(d.words_decide),
                    new_word_weight: raw.new_word_weight.unwrap_or(d.new_word_weight),
                    other_languages: raw.other_languages.unwrap_or(d.other_languages),
                }
            },
            synonyms: groups(raw.synonyms.unwrap_or_default()),
            ignore_words: raw.ignore_words.unwrap_or_default(),
            languages: raw
                .languages
                .unwrap_or_default()
                .into_iter()
                .map(|(code, texts)| (code, trimmed(texts)))
                .collect(),
        }
    }
}

/// The default disclaimer and emergency line, before joining.
fn default_footer() -> (String, String) {
    let raw: RawSettings = serde_norway::from_str(DEFAULTS_YAML).unwrap_or_default();
    let footer = raw.footer.unwrap_or_else(|| {
        "This is general information, not medical advice. Talk to your doctor or pharmacist before starting supplements.".into()
    });
    let line = raw
        .emergency_line
        .unwrap_or_else(|| "If this is an emergency, call your local emergency number now.".into());
    (footer, line)
}

/// Every problem of a `languages:` section: a code faqbot does not read,
/// an empty text, each with its line.
fn check_languages(
    path: &Path,
    text: &str,
    languages: &BTreeMap<String, LanguageTexts>,
    problems: &mut Vec<Problem>,
) {
    let start = text
        .lines()
        .position(|l| l.starts_with("languages:"))
        .unwrap_or(0);
    let line_of = |key: &str, from: usize| {
        text.lines()
            .enumerate()
            .skip(from)
            .find(|(_, l)| l.starts_with(' ') && l.trim_start().starts_with(&format!("{key}:")))
            .map(|(i, _)| i + 1)
    };
    for (code, texts) in languages {
        let at = line_of(code, start);
        match crate::analysis::language::Language::from_code(code) {
            Some(language) if !language.is_english() && language.code() == code => {}
            _ => problems.push(Problem::error(
                path,
                at,
                format!(
                    "`languages: {code}` is not a language faqbot reads in other languages: use one of {}",
                    crate::analysis::language::other_codes()
                ),
            )),
        }
        for (key, value) in [
            ("in_english", &texts.in_english),
            ("footer", &texts.footer),
            ("emergency_line", &texts.emergency_line),
            ("no_match", &texts.no_match),
            ("choose", &texts.choose),
            ("did_you_mean", &texts.did_you_mean),
            ("urgent", &texts.urgent),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                problems.push(Problem::error(
                    path,
                    line_of(key, at.unwrap_or(start)),
                    format!(
                        "`{key}` of `languages: {code}` is empty: write the text, or delete the line to send the English one"
                    ),
                ));
            }
        }
    }
}

/// Every text of a language trimmed; empty ones (reported) left out.
fn trimmed(texts: LanguageTexts) -> LanguageTexts {
    let keep = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    LanguageTexts {
        in_english: keep(texts.in_english),
        footer: keep(texts.footer),
        emergency_line: keep(texts.emergency_line),
        no_match: keep(texts.no_match),
        choose: keep(texts.choose),
        did_you_mean: keep(texts.did_you_mean),
        urgent: keep(texts.urgent),
    }
}

/// The footer as shown: the disclaimer, then the emergency line.
fn join_line(footer: &str, line: &str) -> String {
    format!("{footer}\n{line}")
}

fn groups(map: BTreeMap<String, Vec<String>>) -> Vec<SynonymGroup> {
    map.into_iter()
        .map(|(canonical, variants)| SynonymGroup {
            canonical,
            variants,
        })
        .collect()
}

impl Settings {
    /// These settings as replies to a message in `language` use them: the
    /// footer, emergency line, no-match and ask-which replies in that
    /// language where `languages:` gives them, and the line saying the
    /// answer is in English first in the footer. English, or a language
    /// without texts: these settings as they are.
    pub fn in_language(
        &self,
        language: crate::analysis::language::Language,
    ) -> std::borrow::Cow<'_, Settings> {
        self.localized(language, true)
    }

    /// [`Settings::in_language`] for an answer a curator translated into
    /// `language` (see [`super::translation`]): without the line saying
    /// the answer is in English.
    pub fn in_language_translated(
        &self,
        language: crate::analysis::language::Language,
    ) -> std::borrow::Cow<'_, Settings> {
        self.localized(language, false)
    }

    fn localized(
        &self,
        language: crate::analysis::language::Language,
        note_english: bool,
    ) -> std::borrow::Cow<'_, Settings> {
        use std::borrow::Cow;
        let Some(texts) = self.languages.get(language.code()) else {
            return Cow::Borrowed(self);
        };
        let mut settings = self.clone();
        let line = texts
            .emergency_line
            .clone()
            .unwrap_or_else(|| self.emergency_line.clone());
        let english = self
            .footer
            .strip_suffix(self.emergency_line.as_str())
            .unwrap_or(&self.footer)
            .trim_end();
        let disclaimer = texts.footer.as_deref().unwrap_or(english);
        let disclaimer = match texts.in_english.as_ref().filter(|_| note_english) {
            Some(note) => format!("{note}\n{disclaimer}"),
            None => disclaimer.to_string(),
        };
        settings.footer = join_line(&disclaimer, &line);
        settings.emergency_line = line;
        if let Some(no_match) = &texts.no_match {
            settings.no_match = no_match.clone();
        }
        if let Some(did_you_mean) = &texts.did_you_mean {
            settings.did_you_mean = did_you_mean.clone();
        }
        if let Some(choose) = &texts.choose {
            settings.choose = choose.clone();
        }
        Cow::Owned(settings)
    }

    /// The urgent reply for a message in `language`, if settings give one.
    pub fn urgent_in(&self, language: crate::analysis::language::Language) -> Option<&str> {
        self.languages
            .get(language.code())
            .and_then(|t| t.urgent.as_deref())
    }

    /// How questions become terms under these settings (their synonyms and
    /// ignored words): the one place the matcher, the review of unmatched
    /// questions and anything else comparing words get their analyzer, so
    /// all of them see the same terms.
    pub fn analyzer(&self) -> crate::analysis::Analyzer {
        crate::analysis::Analyzer::new(&self.synonyms, &self.ignore_words)
    }

    /// Parses settings text, layering it over the defaults. On problems the
    /// defaults are still returned so `check` can go on checking entries.
    pub fn parse(path: &Path, text: &str) -> (Settings, Vec<Problem>) {
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return (settings, problems);
        }
        let raw: RawSettings = match serde_norway::from_str::<Option<RawSettings>>(text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(err) => {
                let line = err.location().map(|l| l.line());
                problems.push(Problem::error(
                    path,
                    line,
                    format!(
                        "settings are not valid YAML: {err}. Tip: put text containing `: ` in double quotes, or use `>-` for long text"
                    ),
                ));
                return (settings, problems);
            }
        };
        let line_of = |key: &str| {
            text.lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
        };
        let mut text_setting = |key: &str, value: Option<String>, slot: &mut String| {
            if let Some(value) = value {
                if value.trim().is_empty() {
                    problems.push(Problem::error(
                        path,
                        line_of(key),
                        format!("`{key}` is empty: write the text, or delete the line to use the default"),
                    ));
                } else {
                    *slot = value.trim().to_string();
                }
            }
        };
        let (mut footer, mut emergency_line) = default_footer();
        text_setting("footer", raw.footer, &mut footer);
        text_setting("emergency_line", raw.emergency_line, &mut emergency_line);
        text_setting("no_match", raw.no_match, &mut settings.no_match);
        text_setting("choose", raw.choose, &mut settings.choose);
        text_setting("did_you_mean", raw.did_you_mean, &mut settings.did_you_mean);
        text_setting("greeting", raw.greeting, &mut settings.greeting);
        text_setting("description", raw.description, &mut settings.description);
        text_setting(
            "short_description",
            raw.short_description,
            &mut settings.short_description,
        );
        for (key, value, limit) in [
            ("description", &settings.description, DESCRIPTION_LIMIT),
            (
                "short_description",
                &settings.short_description,
                SHORT_DESCRIPTION_LIMIT,
            ),
        ] {
            let len = value.chars().count();
            if len > limit {
                problems.push(Problem::error(
                    path,
                    line_of(key),
                    format!(
                        "`{key}` is {len} characters long: Telegram allows {limit}; shorten it by {}",
                        len - limit
                    ),
                ));
            }
        }
        settings.footer = join_line(&footer, &emergency_line);
        settings.emergency_line = emergency_line;
        if let Some(examples) = raw.examples {
            settings.examples = examples;
        }
        let defaults = Settings::default();
        let mut share = |key: &str, value: Option<f32>, default: f32, slot: &mut f32| {
            let Some(value) = value else { return };
            if (0.0..=1.0).contains(&value) {
                *slot = value;
            } else {
                problems.push(Problem::error(
                    path,
                    line_of(key),
                    format!(
                        "`{key}` is {value}: it must be between 0 and 1 (the default is {default})"
                    ),
                ));
            }
        };
        share(
            "threshold",
            raw.threshold,
            defaults.threshold,
            &mut settings.threshold,
        );
        let sem = &mut settings.semantic;
        share(
            "meaning_threshold",
            raw.meaning_threshold,
            defaults.semantic.threshold,
            &mut sem.threshold,
        );
        share(
            "words_decide",
            raw.words_decide,
            defaults.semantic.words_decide,
            &mut sem.words_decide,
        );
        share(
            "new_word_weight",
            raw.new_word_weight,
            defaults.semantic.new_word_weight,
            &mut sem.new_word_weight,
        );
        if let Some(enabled) = raw.semantic {
            sem.enabled = enabled;
        }
        if let Some(other) = raw.other_languages {
            sem.other_languages = other;
        }
        if let Some(languages) = raw.languages {
            check_languages(path, text, &languages, &mut problems);
            // Text by text over the defaults: a curator who rewords one
            // keeps the rest.
            for (code, texts) in languages {
                let texts = trimmed(texts);
                let slot = settings.languages.entry(code).or_default();
                let set = |value: Option<String>, slot: &mut Option<String>| {
                    if value.is_some() {
                        *slot = value;
                    }
                };
                set(texts.in_english, &mut slot.in_english);
                set(texts.footer, &mut slot.footer);
                set(texts.emergency_line, &mut slot.emergency_line);
                set(texts.no_match, &mut slot.no_match);
                set(texts.choose, &mut slot.choose);
                set(texts.did_you_mean, &mut slot.did_you_mean);
                set(texts.urgent, &mut slot.urgent);
            }
        }
        if let Some(synonyms) = raw.synonyms {
            let line = line_of("synonyms");
            check_synonyms(path, line, &synonyms, &mut problems);
            settings.synonyms = groups(synonyms);
        }
        if let Some(words) = raw.ignore_words {
            settings.ignore_words = words;
        }
        (settings, problems)
    }

    /// Reads `settings.yaml` from the FAQ directory; a missing file means
    /// all defaults.
    pub fn load(dir: &Path) -> (Settings, Vec<Problem>) {
        super::load_optional(dir, FILE_NAME, Settings::parse, Settings::default)
    }
}

/// A wording listed under two preferred wordings would make matching depend
/// on file order; empty wordings match nothing. Both are mistakes.
fn check_synonyms(
    path: &Path,
    line: Option<usize>,
    synonyms: &BTreeMap<String, Vec<String>>,
    problems: &mut Vec<Problem>,
) {
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for (canonical, variants) in synonyms {
        if canonical.trim().is_empty() {
            problems.push(Problem::error(
                path,
                line,
                "a synonym group has an empty key",
            ));
        }
        for variant in variants {
            let key = variant.trim().to_lowercase();
            if key.is_empty() {
                problems.push(Problem::error(
                    path,
                    line,
                    format!("synonyms of `{canonical}` contain an empty wording: delete it"),
                ));
                continue;
            }
            if let Some(other) = owner.insert(key.clone(), canonical)
                && other != canonical
            {
                problems.push(Problem::error(
                    path,
                    line,
                    format!("`{key}` is listed as a synonym of both `{other}` and `{canonical}`: keep it under one"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_come_in_the_askers_language_where_settings_have_them() {
        use crate::analysis::language::Language;
        let text = "languages:\n  es:\n    in_english: Esta respuesta está en inglés.\n    emergency_line: Si es una emergencia, llama al 112.\n    footer: Información general.\n    no_match: Lo siento.\n    urgent: Llama al 112 ahora.\n";
        let (s, problems) = Settings::parse(Path::new("settings.yaml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        let es = Language::from_code("es").expect("supported");
        let local = s.in_language(es);
        assert!(local.footer.starts_with("Esta respuesta está en inglés."));
        assert!(
            local
                .footer
                .ends_with("Si es una emergencia, llama al 112.")
        );
        assert!(
            local.footer.contains("\nInformación general.\n"),
            "{}",
            local.footer
        );
        let english = Settings::default();
        assert_eq!(local.no_match, "Lo siento.");
        assert_eq!(s.urgent_in(es), Some("Llama al 112 ahora."));
        // Texts not given keep the shipped ones.
        let shipped = english.in_language(es);
        assert_eq!(local.choose, shipped.choose);
        // English is the settings as they are.
        assert_eq!(*s.in_language(Language::ENGLISH), s);
    }

    #[test]
    fn a_language_section_is_checked_line_by_line() {
        let text =
            "threshold: 0.45\nlanguages:\n  xx:\n    no_match: hola\n  de:\n    urgent: \"  \"\n";
        let (_, problems) = Settings::parse(Path::new("settings.yaml"), text);
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            shown.iter().any(|p| p.contains("settings.yaml:3")
                && p.contains("`languages: xx` is not a language")
                && p.contains("es, de, fr, ru, pt, it, pl, tr")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|p| p.contains("settings.yaml:6")
                && p.contains("`urgent` of `languages: de` is empty")),
            "{shown:?}"
        );
        let text = "languages:\n  es:\n    greeting: hola\n";
        let (_, problems) = Settings::parse(Path::new("settings.yaml"), text);
        assert!(
            problems
                .iter()
                .any(|p| p.to_string().contains("unknown field `greeting`")),
            "{problems:?}"
        );
    }

    #[test]
    fn the_shipped_languages_each_have_every_text() {
        let s = Settings::default();
        for (code, _) in crate::analysis::language::SUPPORTED.iter().skip(1) {
            let texts = s.languages.get(*code).expect("every supported language");
            for text in [
                &texts.in_english,
                &texts.footer,
                &texts.emergency_line,
                &texts.no_match,
                &texts.choose,
                &texts.did_you_mean,
                &texts.urgent,
            ] {
                assert!(text.as_deref().is_some_and(|t| !t.is_empty()), "{code}");
            }
        }
    }

    #[test]
    fn embedded_defaults_parse_and_are_safe() {
        let raw: RawSettings = serde_norway::from_str(DEFAULTS_YAML).expect("defaults.yaml parses");
        assert!(raw.footer.is_some() && raw.no_match.is_some() && raw.greeting.is_some());
        assert!(raw.choose.is_some());
        let s = Settings::default();
        assert!(s.footer.contains("not medical advice"));
        assert!(s.footer.contains("doctor or pharmacist"));
        assert!(s.synonyms.iter().any(|g| g.canonical == "rls"));
        let (_, problems) = Settings::parse(Path::new("defaults.yaml"), DEFAULTS_YAML);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn profile_texts_fit_telegram() {
        let s = Settings::default();
        assert!(!s.description.is_empty() && s.description.chars().count() <= DESCRIPTION_LIMIT);
        assert!(s.short_description.chars().count() <= SHORT_DESCRIPTION_LIMIT);
        let long = format!("threshold: 0.5\nshort_description: {}\n", "x".repeat(130));
        let (_, problems) = Settings::parse(Path::new("s.yaml"), &long);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("shorten it by 10"));
    }

    #[test]
    fn missing_keys_fall_back_to_defaults() {
        let (s, problems) = Settings::parse(Path::new("s.yaml"), "threshold: 0.7\n");
        assert!(problems.is_empty());
        assert_eq!(s.threshold, 0.7);
        assert_eq!(s.footer, Settings::default().footer);
    }

    #[test]
    fn empty_file_is_all_defaults() {
        let (s, problems) = Settings::parse(Path::new("s.yaml"), "\n# nothing\n");
        assert!(problems.is_empty());
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn bad_values_are_reported_with_lines() {
        let text = "footer: \"\"\nthreshold: 3\nsynonyms:\n  a: [x, \"\"]\n  b: [x]\n";
        let (s, problems) = Settings::parse(Path::new("s.yaml"), text);
        let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("s.yaml:1:") && m.contains("`footer` is empty")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("s.yaml:2:") && m.contains("between 0 and 1")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("synonym of both `a` and `b`")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("empty wording")), "{msgs:?}");
        // The footer is never lost to a mistake.
        assert_eq!(s.footer, Settings::default().footer);
    }

    #[test]
    fn invalid_yaml_and_unknown_keys() {
        let (_, p) = Settings::parse(Path::new("s.yaml"), "footer: [unclosed\n");
        assert!(p[0].message.contains("not valid YAML"), "{p:?}");
        let (_, p) = Settings::parse(Path::new("s.yaml"), "fotter: hi\n");
        assert!(p[0].message.contains("unknown field `fotter`"), "{p:?}");
    }
}
