//! Translations of entries: `faq/<id>.<language>.md` beside `faq/<id>.md`.
//!
//! ```text
//! ---
//! question: ¿Qué alimentos son ricos en magnesio?
//! alternates:
//!   - comida con magnesio
//! translated_from: k7q2f9xa
//! ---
//! Las semillas de calabaza, ...
//! ```
//!
//! Same shape as an entry (question, alternates, answer), without
//! `related:` (a translation links where its English entry links), and
//! with `translated_from:`, a short digest of the English entry's question
//! and answer as they were when it was translated. Facts change in the
//! English entry first; when they do, the digest no longer matches, and
//! the translation is not sent (the English answer is, with the line
//! saying so) until a curator brings it up to date and copies the new
//! digest from `faqbot check`'s warning. A stale translation might
//! contradict the English answer on a dose: sending none is the safe side.
//!
//! A translation's question and alternates are phrasings in its language:
//! the engine for other languages matches questions against them too, so
//! a question in Spanish that was refused is fixed by adding its wording
//! to the Spanish translation.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::entry::{self, Entry};
use super::problem::Problem;
use crate::analysis::language::{Language, other_codes};

/// One entry's answer in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The language it is written in (never English).
    pub language: Language,
    /// Its question, alternates and answer; `id` is the English entry's.
    pub entry: Entry,
    /// The digest of the English entry it was translated from, and its
    /// line; None when the file has none yet.
    pub translated_from: Option<(String, usize)>,
}

/// Characters of a digest: 31^8, about 850 billion, so an edit that
/// leaves the digest as it was is not a worry.
const DIGEST_LEN: usize = 8;

/// The digest of `entry` as a translation names it: its question and
/// answer (alternates come and go without changing what it says).
pub fn digest(entry: &Entry) -> String {
    let text = format!("{}\n{}", entry.question.trim(), entry.answer.trim());
    crate::digest::short(text.as_bytes(), DIGEST_LEN)
}

/// The entry id and language code a translation's file name gives
/// (`iron.es.md` → `("iron", "es")`); None for a name without a second
/// dot, which is an entry's.
pub fn name_parts(path: &Path) -> Option<(String, String)> {
    let stem = path.file_stem()?.to_str()?;
    let (id, code) = stem.rsplit_once('.')?;
    Some((id.to_lowercase(), code.to_lowercase()))
}

/// Parses one translation file. `path` names the entry and the language.
pub fn parse(path: &Path, text: &str) -> Result<Translation, Vec<Problem>> {
    let Some((id, code)) = name_parts(path) else {
        return Err(vec![Problem::error(
            path,
            None,
            "a translation's file name is the entry's id, a dot and the language: `iron-deficiency.es.md`",
        )]);
    };
    let language = match Language::from_code(&code).filter(|l| !l.is_english()) {
        Some(language) => Ok(language),
        None if code == Language::ENGLISH.code() => Err(format!(
            "the English text is `{id}.md` itself: move this text there"
        )),
        None => Err(format!(
            "`{code}` is not a language faqbot replies in: name the file `{id}.LANG.md` with one of {}",
            other_codes()
        )),
    }
    .map_err(|why| Problem::error(path, None, why));
    let mut problems: Vec<Problem> = language.clone().err().into_iter().collect();
    if let Err(why) = entry::id_from_path(Path::new(&format!("{id}.md"))) {
        problems.push(Problem::error(path, None, why));
    }
    let parsed = entry::parse_as(path, text, id, problems)?;
    if let Some(&line) = parsed.entry.lines.related.first() {
        return Err(vec![Problem::error(
            path,
            Some(line),
            "a translation links to the entries its English entry lists: delete `related:` here and edit the English entry's list instead",
        )]);
    }
    let language = language.map_err(|problem| vec![problem])?;
    Ok(Translation {
        language,
        entry: parsed.entry,
        translated_from: parsed.translated_from,
    })
}

/// The translations that are served, by entry id and language.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    by_entry: HashMap<(String, Language), Translation>,
}

impl Translations {
    /// `entry`'s translation into `language`, when there is an up-to-date
    /// one.
    pub fn get(&self, id: &str, language: Language) -> Option<&Translation> {
        self.by_entry.get(&(id.to_string(), language))
    }

    pub fn len(&self) -> usize {
        self.by_entry.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_entry.is_empty()
    }

    /// Every served translation, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Translation> {
        self.by_entry.values()
    }
}

/// Checks `translations` against the entries: those of entries that do
/// not exist are errors (a misspelt file name answers nothing); those
/// without a digest, or whose English entry changed since, are warnings
/// and are not served. `broken` are ids of entry files with errors of
/// their own: their translations wait for them, unreported.
pub fn check(
    translations: Vec<Translation>,
    entries: &[Entry],
    broken: &HashSet<String>,
) -> (Translations, Vec<Problem>) {
    let by_id: HashMap<&str, &Entry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut served = Translations::default();
    let mut problems = Vec::new();
    for translation in translations {
        let path = translation.entry.path.clone();
        let id = translation.entry.id.clone();
        let Some(english) = by_id.get(id.as_str()) else {
            if !broken.contains(&id) {
                problems.push(Problem::error(
                    &path,
                    None,
                    format!(
                        "this translates entry `{id}`, but there is no `{id}.md`: rename the file after an entry's id (the file name without `.md`), or delete it"
                    ),
                ));
            }
            continue;
        };
        let now = digest(english);
        let english_file = english.file(Path::new(""));
        match &translation.translated_from {
            None => problems.push(Problem::warning(
                &path,
                Some(translation.entry.lines.question),
                format!(
                    "not sent yet: a translation says which English text it translates. When it says what {} says now, add the line `translated_from: {now}` to its front matter",
                    english_file.display()
                ),
            )),
            Some((digest, line)) if *digest != now => problems.push(Problem::warning(
                &path,
                Some(*line),
                format!(
                    "not sent: {} has changed since this was translated, so it may now say something else (the English answer is sent instead). Bring the translation up to date, then set `translated_from: {now}`",
                    english_file.display()
                ),
            )),
            Some(_) => {
                let key = (id, translation.language);
                if let Some(first) = served.by_entry.get(&key) {
                    problems.push(duplicate(&path, &first.entry.path));
                } else {
                    served.by_entry.insert(key, translation);
                }
            }
        }
    }
    (served, problems)
}

/// Two files translating one entry into one language (`x.es.md` and
/// `X.ES.md`).
fn duplicate(path: &Path, first: &Path) -> Problem {
    Problem::error(
        path,
        None,
        format!(
            "{} translates the same entry into the same language: keep one of the two files",
            first.display()
        ),
    )
}

/// Where translations are: the `.md` files in `paths` named `id.lang.md`.
pub fn split_paths(paths: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    paths.into_iter().partition(|p| name_parts(p).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Entry {
        entry::parse(
            Path::new("faq/foods.md"),
            "---\nquestion: Which foods are rich in magnesium?\n---\nPumpkin seeds.\n",
        )
        .expect("an entry")
    }

    fn spanish(digest: Option<&str>) -> String {
        let line = digest.map_or(String::new(), |d| format!("translated_from: {d}\n"));
        format!(
            "---\nquestion: ¿Qué alimentos tienen magnesio?\nalternates:\n  - comida con magnesio\n{line}---\nSemillas de calabaza.\n"
        )
    }

    #[test]
    fn names_give_the_entry_and_the_language() {
        assert_eq!(
            name_parts(Path::new("faq/iron.es.md")),
            Some(("iron".into(), "es".into()))
        );
        assert_eq!(name_parts(Path::new("faq/iron.md")), None);
        let (entries, translations) = split_paths(vec![
            PathBuf::from("faq/iron.md"),
            PathBuf::from("faq/iron.de.md"),
        ]);
        assert_eq!(entries, [PathBuf::from("faq/iron.md")]);
        assert_eq!(translations, [PathBuf::from("faq/iron.de.md")]);
    }

    #[test]
    fn an_up_to_date_translation_is_served() {
        let now = digest(&english());
        let t = parse(Path::new("faq/foods.es.md"), &spanish(Some(&now))).expect("parses");
        assert_eq!(t.language.code(), "es");
        assert_eq!(t.entry.id, "foods");
        assert_eq!(t.entry.alternates, ["comida con magnesio"]);
        let (served, problems) = check(vec![t], &[english()], &HashSet::new());
        assert!(problems.is_empty(), "{problems:?}");
        let es = Language::from_code("es").expect("es");
        assert_eq!(
            served.get("foods", es).map(|t| t.entry.answer.as_str()),
            Some("Semillas de calabaza.")
        );
    }

    #[test]
    fn a_stale_or_undated_translation_is_not_served_and_says_what_to_write() {
        let now = digest(&english());
        for (digest, line) in [(Some("aaaaaaaa"), Some(5)), (None, Some(2))] {
            let t = parse(Path::new("faq/foods.es.md"), &spanish(digest)).expect("parses");
            let (served, problems) = check(vec![t], &[english()], &HashSet::new());
            assert!(served.is_empty());
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(!problems[0].is_error());
            assert_eq!(problems[0].line, line, "{problems:?}");
            assert!(
                problems[0]
                    .message
                    .contains(&format!("translated_from: {now}")),
                "{problems:?}"
            );
        }
        // Alternates of the English entry are not part of its digest.
        let mut more = english();
        more.alternates.push("magnesium foods".into());
        assert_eq!(digest(&more), now);
        more.answer.push_str(" And almonds.");
        assert_ne!(digest(&more), now);
    }

    #[test]
    fn unknown_entries_and_languages_are_errors_naming_the_fix() {
        let t = parse(Path::new("faq/food.es.md"), &spanish(Some("x"))).expect("parses");
        let (_, problems) = check(vec![t.clone()], &[english()], &HashSet::new());
        assert!(problems[0].is_error());
        assert!(problems[0].message.contains("no `food.md`"), "{problems:?}");
        // Not when the entry is there but has errors of its own.
        let broken = HashSet::from(["food".to_string()]);
        assert!(check(vec![t], &[english()], &broken).1.is_empty());

        let problems = parse(Path::new("faq/foods.jp.md"), &spanish(None)).unwrap_err();
        assert!(problems[0].message.contains("`jp`"), "{problems:?}");
        assert!(problems[0].message.contains("es, de"), "{problems:?}");
        let problems = parse(Path::new("faq/foods.en.md"), &spanish(None)).unwrap_err();
        assert!(
            problems[0].message.contains("`foods.md` itself"),
            "{problems:?}"
        );
        let related = "---\nquestion: ¿Qué?\nrelated: [iron]\n---\nNada.\n";
        let problems = parse(Path::new("faq/foods.es.md"), related).unwrap_err();
        assert!(problems[0].message.contains("related"), "{problems:?}");
        // And an entry may not say it is a translation.
        let problems = entry::parse(Path::new("faq/foods.md"), &spanish(Some("x"))).unwrap_err();
        assert!(
            problems[0].message.contains("foods.es.md") || problems[0].message.contains(".es.md")
        );
    }
}
