//! Draft entry files, as `faqbot new` and `faqbot import` write them.
//!
//! A draft is a valid entry file in every way but one: when no answer is
//! known, the answer is [`PLACEHOLDER_ANSWER`], which `faqbot check` reports
//! as an error until a curator writes it, so a draft can never be served by
//! accident. Drafts are only ever created, never written over: a curator's
//! work in an existing file is worth more than any draft.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analysis::fold;
use crate::content::entry::{PLACEHOLDER_ANSWER, suggest_id};
use crate::content::entry_file::EntryFile;

/// Ids longer than this are cut at a word boundary: file names stay
/// readable, and a long question still gives a recognisable id.
const MAX_ID_LEN: usize = 48;

/// What to put in a new entry file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub question: String,
    pub alternates: Vec<String>,
    /// The answer in Markdown, or None for a placeholder.
    pub answer: Option<String>,
    /// `needs-review` for a draft whose answer did not come from the
    /// source articles (a curator's reply in Telegram): `check` refuses it
    /// until a curator has checked it and deleted the line.
    pub status: Option<String>,
}

/// The answer of a draft whose answer is not known yet.
pub fn placeholder() -> String {
    format!(
        "{PLACEHOLDER_ANSWER} here, using facts from the source articles, then run `faqbot check`."
    )
}

/// The id for a question: its words (folded, contractions expanded, so
/// "What’s" gives "what-is") as made by [`suggest_id`], cut to a readable
/// length at a word boundary.
pub fn id_for(question: &str) -> String {
    let id = suggest_id(&fold::phrase_key(question));
    if id.len() <= MAX_ID_LEN {
        return id;
    }
    match id[..=MAX_ID_LEN].rfind('-') {
        Some(cut) if cut > 0 => id[..cut].to_string(),
        _ => id[..MAX_ID_LEN].to_string(),
    }
}

/// The comment under `alternates:` in every draft: how to add one, shown
/// in place. Comments are ignored by `check` and the bot.
pub const ALTERNATES_HELP: &str = "  # Add more ways people really ask this, one per line, starting with \"- \"\n  # (short, informal, misspelt, abbreviated; 5 or more), like:\n  # - how much mag should i take\n";

impl Draft {
    /// The file's text, in the format `faqbot check` reads, with the help
    /// comment under the alternates.
    pub fn render(&self) -> String {
        EntryFile {
            question: self.question.clone(),
            alternates: self.alternates.clone(),
            alternates_comment: Some(ALTERNATES_HELP.to_string()),
            status: self.status.clone(),
            answer: self.answer.clone().unwrap_or_else(placeholder),
            ..EntryFile::default()
        }
        .render()
    }

    /// Where this draft goes in `dir`.
    pub fn path_in(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.md", self.id))
    }

    /// Creates the file in `dir`; an existing file is never replaced.
    pub fn write_new(&self, dir: &Path) -> Result<PathBuf, WriteError> {
        let path = self.path_in(dir);
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(WriteError::Exists(path));
            }
            Err(err) => return Err(WriteError::Io(path, err)),
        };
        if let Err(err) = file.write_all(self.render().as_bytes()) {
            // Don't leave half a draft behind: it was ours, nothing else is lost.
            drop(file);
            let _ = std::fs::remove_file(&path);
            return Err(WriteError::Io(path, err));
        }
        Ok(path)
    }
}

/// Writes the draft `/draft` makes from a question handed to a person:
/// the question, the curator's answer (or the placeholder), and `status:
/// needs-review`. Its id comes from the question and never names a file in
/// `faq_dir` or `drafts`, so moving it into the FAQ cannot replace an
/// entry. Returns the file written.
pub fn from_handoff(
    drafts: &Path,
    faq_dir: &Path,
    question: &str,
    answer: Option<&str>,
) -> Result<PathBuf, WriteError> {
    crate::private_files::create_dir(&drafts.join("x"))
        .map_err(|e| WriteError::Io(drafts.to_path_buf(), e))?;
    let base = id_for(question);
    let base = if base.is_empty() {
        "handed-off-question".to_string()
    } else {
        base
    };
    for n in 1..1000 {
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if faq_dir.join(format!("{id}.md")).exists() {
            continue;
        }
        let draft = Draft {
            id,
            question: fold::squash_whitespace(question),
            alternates: Vec::new(),
            answer: answer.map(str::to_string).filter(|a| !a.trim().is_empty()),
            status: Some(NEEDS_REVIEW.to_string()),
        };
        match draft.write_new(drafts) {
            Err(WriteError::Exists(_)) => continue,
            other => return other,
        }
    }
    Err(WriteError::Io(
        drafts.to_path_buf(),
        std::io::Error::other("a thousand drafts of this question exist already"),
    ))
}

/// The status of a draft nobody has checked against the sources yet.
pub const NEEDS_REVIEW: &str = crate::content::entry::NEEDS_REVIEW;

/// Why a draft was not written.
#[derive(Debug)]
pub enum WriteError {
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Exists(path) => {
                write!(f, "{} already exists and was left as it is", path.display())
            }
            WriteError::Io(path, err) => write!(f, "cannot write {}: {err}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// The entry files in `dir`, sorted; none when it cannot be read.
pub fn entry_paths(dir: &Path) -> Vec<PathBuf> {
    let Ok(read_dir) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read_dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| crate::content::is_entry_file(p))
        .collect();
    paths.sort();
    paths
}

/// The id an entry file has (its name, lower case, without `.md`).
pub fn id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Phrasings (questions and alternates) already used, by
/// [`crate::analysis::fold::phrase_key`], with the id of the entry using each. A phrasing may
/// lead to only one entry, and `check` refuses a second one, so drafts must
/// not reuse one.
#[derive(Debug, Default, Clone)]
pub struct Taken {
    by_key: HashMap<String, String>,
}

impl Taken {
    /// Every phrasing of the entry files in `dir`, drafts and files with
    /// errors included (they will be entries once fixed). A missing folder
    /// has none.
    pub fn in_dir(dir: &Path) -> Taken {
        Taken::in_dirs(&[dir])
    }

    /// [`Taken::in_dir`] over several folders (`faq/` and a drafts folder).
    pub fn in_dirs(dirs: &[&Path]) -> Taken {
        let mut taken = Taken::default();
        for dir in dirs {
            for path in entry_paths(dir) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let id = id_of(&path);
                for phrasing in crate::content::entry::declared_phrasings(&text) {
                    taken.add(&phrasing, &id);
                }
            }
        }
        taken
    }

    /// The id of the entry already using this phrasing, if any.
    pub fn owner(&self, phrasing: &str) -> Option<&str> {
        self.by_key
            .get(&fold::phrase_key(phrasing))
            .map(String::as_str)
    }

    /// Records the phrasings of a draft about to be written.
    pub fn claim(&mut self, draft: &Draft) {
        for phrasing in std::iter::once(&draft.question).chain(&draft.alternates) {
            self.add(phrasing, &draft.id);
        }
    }

    fn add(&mut self, phrasing: &str, id: &str) {
        let key = fold::phrase_key(phrasing);
        if !key.is_empty() {
            self.by_key.entry(key).or_insert_with(|| id.to_string());
        }
    }
}

/// An alternate left out of a draft, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub text: String,
    pub why: String,
}

/// The alternates that can go with `question`: without blanks, repeats of
/// the question or of each other (ignoring case and punctuation), wordings
/// with no words the matcher can use, and phrasings other entries already
/// use. What is left out is returned with the reason.
pub fn usable_alternates(
    question: &str,
    alternates: impl IntoIterator<Item = String>,
    taken: &Taken,
) -> (Vec<String>, Vec<Dropped>) {
    let mut seen = std::collections::HashSet::from([fold::phrase_key(question)]);
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for alt in alternates {
        let alt = crate::analysis::fold::squash_whitespace(&alt);
        let key = fold::phrase_key(&alt);
        let why = if key.is_empty() {
            Some("it has no words the matcher can use".to_string())
        } else if !seen.insert(key) {
            Some("it repeats the question or another alternate".to_string())
        } else {
            taken
                .owner(&alt)
                .map(|id| format!("the entry `{id}` already uses it"))
        };
        match why {
            Some(why) => {
                if !alt.is_empty() {
                    dropped.push(Dropped { text: alt, why });
                }
            }
            None => kept.push(alt),
        }
    }
    (kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::entry;

    fn draft(question: &str, alternates: &[&str], answer: Option<&str>) -> Draft {
        Draft {
            id: id_for(question),
            question: question.into(),
            alternates: alternates.iter().map(|s| s.to_string()).collect(),
            answer: answer.map(str::to_string),
            status: None,
        }
    }

    #[test]
    fn ids_are_readable_slugs() {
        assert_eq!(id_for("What’s RLS?"), "what-is-rls");
        assert_eq!(
            id_for("Magnesium’s Role in Muscle Relaxation"),
            "magnesium-role-in-muscle-relaxation"
        );
        assert_eq!(id_for("🙂"), "entry");
        let long = id_for(&"magnesium and sleep ".repeat(10));
        assert!(long.len() <= MAX_ID_LEN && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn rendered_drafts_parse_back_exactly() {
        let awkward = [
            "What: is this? # not a comment",
            "- starts with a dash",
            "\"quoted\" and 'single'",
            "yes",
            "null",
            "123",
            "Is 200–400 mg ok?",
            "[brackets] {braces}",
            "  padded  ",
        ];
        for text in awkward {
            let d = draft(
                text,
                &[text, "plain alternate"],
                Some("An **answer**.\n\n- a list"),
            );
            let rendered = d.render();
            let e = entry::parse(Path::new("faq/x.md"), &rendered)
                .unwrap_or_else(|p| panic!("{text:?}: {p:?}\n{rendered}"));
            let squashed = crate::analysis::fold::squash_whitespace(text);
            assert_eq!(e.question, squashed, "{rendered}");
            assert_eq!(e.alternates[0], squashed, "{rendered}");
            assert_eq!(e.answer, "An **answer**.\n\n- a list");
        }
    }

    #[test]
    fn placeholder_drafts_are_flagged_by_check() {
        let d = draft("How do I store magnesium?", &[], None);
        let problems = entry::parse(Path::new("faq/x.md"), &d.render()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("still the placeholder"));
    }

    #[test]
    fn never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let d = draft("How do I store magnesium?", &[], None);
        let path = d.write_new(tmp.path()).unwrap();
        std::fs::write(&path, "curator's work").unwrap();
        let err = d.write_new(tmp.path()).unwrap_err();
        assert!(matches!(err, WriteError::Exists(_)), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "curator's work");
    }

    #[test]
    fn finds_phrasings_even_in_drafts_and_broken_files() {
        let tmp = tempfile::tempdir().unwrap();
        draft("How do I store magnesium?", &["mag storage"], None)
            .write_new(tmp.path())
            .unwrap();
        std::fs::write(
            tmp.path().join("one.md"),
            "---\nquestion: Q one\nalternates: single\n---\n",
        )
        .unwrap();
        std::fs::write(tmp.path().join("bad.md"), "---\nquestion: [\n---\n").unwrap();
        std::fs::write(tmp.path().join("README.md"), "---\nquestion: readme\n---\n").unwrap();
        let taken = Taken::in_dir(tmp.path());
        assert_eq!(
            taken.owner("Mag storage!"),
            Some("how-do-i-store-magnesium")
        );
        assert_eq!(
            taken.owner("how do I store magnesium"),
            Some("how-do-i-store-magnesium")
        );
        assert_eq!(taken.owner("single"), Some("one"));
        assert_eq!(taken.owner("readme"), None);
        assert_eq!(taken.owner("🙂"), None);
        assert_eq!(
            Taken::in_dir(Path::new("/definitely/not/here")).owner("single"),
            None
        );
    }

    #[test]
    fn alternates_are_tidied_with_reasons() {
        let mut taken = Taken::default();
        taken.claim(&draft("Potassium dose?", &[], None));
        let (kept, dropped) = usable_alternates(
            "How much potassium?",
            [
                "how much  potassium",
                "potassium dose",
                "",
                "🙂",
                "pot  dose",
                "Pot dose!",
            ]
            .map(String::from),
            &taken,
        );
        assert_eq!(kept, ["pot dose"]);
        let why: Vec<&str> = dropped.iter().map(|d| d.why.as_str()).collect();
        assert_eq!(
            why,
            [
                "it repeats the question or another alternate",
                "the entry `potassium-dose` already uses it",
                "it has no words the matcher can use",
                "it repeats the question or another alternate",
            ]
        );
    }
}
