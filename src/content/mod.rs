//! FAQ content: entry files and settings in one directory, loaded and
//! checked together.
//!
//! Loading is all-or-nothing for serving (content with errors is never
//! served) but exhaustive for reporting: every problem in every file is
//! collected, so `faqbot check` shows the whole list at once.

pub mod answer;
pub mod entry;
pub mod entry_file;
pub mod examples;
pub mod front_matter;
pub mod outside;
pub mod problem;
pub mod safety;
pub mod settings;
pub mod smalltalk;
pub mod translation;
pub mod triage;
mod validate;

pub use validate::MIN_ALTERNATES;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::analysis::language::Language;
pub use entry::Entry;
pub use entry_file::EntryFile;
pub use outside::OutsideSettings;
pub use problem::{Problem, Severity};
pub use settings::Settings;
pub use smalltalk::SmallTalkSettings;
pub use translation::{Translation, Translations};
pub use triage::TriageSettings;

/// Loaded, validated FAQ content.
#[derive(Debug, Clone)]
pub struct Faq {
    pub dir: PathBuf,
    /// Entries sorted by id.
    pub entries: Vec<Entry>,
    pub settings: Settings,
    /// Red-flag patterns and the urgent reply.
    pub triage: TriageSettings,
    /// Greetings, thanks and the like, with their replies.
    pub smalltalk: SmallTalkSettings,
    /// Questions this FAQ deliberately does not answer.
    pub outside: OutsideSettings,
    /// Entries in other languages (`<id>.<language>.md`), the up-to-date
    /// ones.
    pub translations: Translations,
    by_id: HashMap<String, usize>,
}

/// The result of loading: content when it has no errors, and every problem.
#[derive(Debug)]
pub struct Loaded {
    pub faq: Option<Faq>,
    /// Errors and warnings, sorted by file and line.
    pub problems: Vec<Problem>,
    /// How many entry files were looked at.
    pub files: usize,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }

    /// The content, or every error joined into one message.
    pub fn into_result(self) -> Result<Faq, LoadError> {
        match self.faq {
            Some(faq) => Ok(faq),
            None => Err(LoadError {
                problems: self
                    .problems
                    .into_iter()
                    .filter(Problem::is_error)
                    .collect(),
            }),
        }
    }
}

/// Content that cannot be served, with the reasons.
#[derive(Debug)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the FAQ content has {} error(s):", self.problems.len())?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        write!(
            f,
            "fix them (run `faqbot check` to see them again), then retry"
        )
    }
}

impl std::error::Error for LoadError {}

impl Faq {
    /// Builds content from already-parsed parts, checking them as `load`
    /// does. Used by tests and benchmarks that make content in memory.
    pub fn from_entries(
        dir: PathBuf,
        entries: Vec<Entry>,
        settings: Settings,
    ) -> Result<Faq, LoadError> {
        let paths: Vec<PathBuf> = entries.iter().map(|e| e.file(&dir)).collect();
        let problems: Vec<Problem> =
            validate::cross_check(&entries, &paths, &settings, &HashSet::new())
                .into_iter()
                .filter(Problem::is_error)
                .collect();
        if problems.is_empty() {
            Ok(Faq::new(
                dir,
                entries,
                settings,
                TriageSettings::default(),
                SmallTalkSettings::defaults(),
                OutsideSettings::default(),
                Translations::default(),
            ))
        } else {
            Err(LoadError { problems })
        }
    }

    fn new(
        dir: PathBuf,
        mut entries: Vec<Entry>,
        settings: Settings,
        triage: TriageSettings,
        smalltalk: SmallTalkSettings,
        outside: OutsideSettings,
        translations: Translations,
    ) -> Faq {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Faq {
            dir,
            entries,
            settings,
            triage,
            smalltalk,
            outside,
            translations,
            by_id,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// This content with each translation's question and alternates added
    /// to its entry's phrasings, for the engine that reads other languages
    /// (a question in Spanish is closest to the Spanish wording of its
    /// entry). Their lines are the translation's, in its own file.
    pub fn with_translated_phrasings(&self) -> Faq {
        let mut faq = self.clone();
        let mut translations: Vec<&Translation> = self.translations.iter().collect();
        // Phrasings in a fixed order, whatever the map's.
        translations.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
        for t in translations {
            let Some(&i) = faq.by_id.get(&t.entry.id) else {
                continue;
            };
            let entry = &mut faq.entries[i];
            for (n, phrasing) in t.entry.phrasings().enumerate() {
                entry.alternates.push(phrasing.to_string());
                entry.lines.alternates.push(t.entry.phrasing_line(n));
            }
        }
        faq
    }

    /// `entry` as sent to a message in `language`: its up-to-date
    /// translation when a curator wrote one, else the English entry.
    pub fn in_language<'a>(&'a self, entry: &'a Entry, language: Language) -> Localized<'a> {
        match self.translations.get(&entry.id, language) {
            Some(t) => Localized {
                question: &t.entry.question,
                answer: &t.entry.answer,
                translated: true,
            },
            None => Localized {
                question: &entry.question,
                answer: &entry.answer,
                translated: false,
            },
        }
    }

    /// The settings an answer in `language` is sent with: that language's
    /// footer, with the line saying the answer is in English unless
    /// `text` is a translation.
    pub fn sent_with(
        &self,
        text: &Localized<'_>,
        language: Language,
    ) -> std::borrow::Cow<'_, Settings> {
        if text.translated {
            self.settings.in_language_translated(language)
        } else {
            self.settings.in_language(language)
        }
    }
}

/// An entry's question and answer in the language they are sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<'a> {
    pub question: &'a str,
    /// Markdown, as the curator wrote it.
    pub answer: &'a str,
    /// Whether it is a translation (false: the English entry itself).
    pub translated: bool,
}

/// Is this file name an FAQ entry's? Hidden files are not: editors and
/// systems leave them beside the files people edit (Emacs's `.#x.md` lock,
/// macOS's `._x.md` resource fork, vim's `.x.md.swp`). Neither is a
/// README a curator keeps next to the entries.
pub fn is_entry_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        && !name.starts_with('.')
        && !name.eq_ignore_ascii_case("readme.md")
}

/// Whether `path` is a plain file (or a link to one). Anything else named
/// like an entry (a pipe, a socket, a device) is never opened: reading a
/// pipe would wait forever for someone to write to it.
pub fn is_plain_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Files that live in the FAQ directory without being entries.
fn is_known_other(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.eq_ignore_ascii_case("readme.md")
        || name == settings::FILE_NAME
        || name == triage::FILE_NAME
        || name == smalltalk::FILE_NAME
        || name == outside::FILE_NAME
        || name.starts_with('#')
}

/// Examples in a settings file (`file`) that are also an entry's
/// phrasing, as errors naming both places: each would hide the entry
/// (small talk is recognised first) or refuse what it answers (outside).
/// `why` finishes the sentence.
fn phrasing_overlaps<'a>(
    file: &Path,
    examples: impl Iterator<Item = (&'a str, Option<usize>)>,
    what: &str,
    why: &str,
    entries: &[Entry],
    paths: &[PathBuf],
) -> Vec<Problem> {
    let phrasings: HashMap<String, (usize, usize)> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.phrasings()
                .enumerate()
                .map(move |(n, p)| (crate::analysis::fold::phrase_key(p), (i, n)))
        })
        .collect();
    let text = std::fs::read_to_string(file).unwrap_or_default();
    examples
        .filter_map(|(example, line)| {
            let &(owner, n) = phrasings.get(&crate::analysis::fold::phrase_key(example))?;
            let line = line.or_else(|| {
                text.lines()
                    .position(|l| l.contains(example))
                    .map(|i| i + 1)
            });
            let at = match (paths.get(owner), entries.get(owner)) {
                (Some(p), Some(e)) => format!("{}:{}", p.display(), e.phrasing_line(n)),
                _ => String::new(),
            };
            Some(Problem::error(
                file,
                line,
                format!(
                    "the {what} \"{example}\" is also a question in {at}: {why}. Remove it from one of the two"
                ),
            ))
        })
        .collect()
}

/// Reads and parses an optional settings file in the FAQ folder: a
/// missing file means the defaults; an unreadable one, the defaults and
/// the problem saying why.
fn load_optional<T>(
    dir: &Path,
    name: &str,
    parse: fn(&Path, &str) -> (T, Vec<Problem>),
    default: fn() -> T,
) -> (T, Vec<Problem>) {
    let path = dir.join(name);
    match read_optional(&path) {
        Ok(Some(text)) => parse(&path, &text),
        Ok(None) => (default(), Vec::new()),
        Err(problem) => (default(), vec![problem]),
    }
}

/// Reads an optional UTF-8 file: `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, Problem> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Problem::error(path, None, "not UTF-8 text: save the file as UTF-8")),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(Problem::error(
            path,
            None,
            format!("cannot read the file: {err}"),
        )),
    }
}

/// Removes `entry`'s links to `gone` ids (and their line numbers), so no
/// button points at an entry that is not served.
fn drop_links(entry: &mut Entry, gone: &HashSet<String>) {
    let mut n = 0;
    let lines = &mut entry.lines.related;
    entry.related.retain(|id| {
        let keep = !gone.contains(id);
        if !keep && n < lines.len() {
            lines.remove(n);
        } else {
            n += 1;
        }
        keep
    });
}

/// Reads and parses one entry file.
fn read_entry(path: &Path) -> Result<Entry, Vec<Problem>> {
    match read_optional(path) {
        Ok(Some(text)) => entry::parse(path, &text),
        Ok(None) => Err(vec![Problem::error(
            path,
            None,
            "the file disappeared while loading: run again",
        )]),
        Err(problem) => Err(vec![problem]),
    }
}

/// The entry files in `dir`, noting what else is there; None when the
/// folder cannot be read (the problem says so).
fn entry_files(
    dir: &Path,
    problems: &mut Vec<Problem>,
    (what, hint): (&str, &str),
) -> Option<Vec<PathBuf>> {
    let read_dir = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(err) => {
            problems.push(Problem::error(
                dir,
                None,
                format!("cannot read {what}: {err}. {hint}"),
            ));
            return None;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for item in read_dir {
        let Ok(item) = item else { continue };
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        let is_dir = item.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            if !name.starts_with('.') {
                problems.push(Problem::warning(
                    &path,
                    None,
                    "folders inside the FAQ directory are ignored: move its entries up into the FAQ directory",
                ));
            }
        } else if is_entry_file(&path) {
            if is_plain_file(&path) {
                paths.push(path);
            } else if path.exists() {
                // Listed, so it exists; `exists` follows links, so only a
                // link to nothing gets to the branch below.
                problems.push(Problem::warning(
                    &path,
                    None,
                    "ignored: not a plain file (a pipe, socket or device); entries must be ordinary text files",
                ));
            } else {
                problems.push(Problem::warning(
                    &path,
                    None,
                    "ignored: a link to a file that does not exist; remove it or point it at the entry",
                ));
            }
        } else if !is_known_other(&name) {
            problems.push(Problem::warning(
                &path,
                None,
                "ignored: entry files must end in `.md` (rename it if it is an entry)",
            ));
        }
    }
    Some(paths)
}

/// Loads and checks the FAQ directory.
pub fn load(dir: &Path) -> Loaded {
    load_with_drafts(dir, &[])
}

/// Loads and checks the FAQ directory together with the entry files in
/// `drafts` folders, as if they were moved in: what `check --drafts`
/// shows before a curator moves drafts into `faq/` (an id or a phrasing
/// both use, a phrasing that would answer from the other). Settings come
/// from `dir` alone.
pub fn load_with_drafts(dir: &Path, drafts: &[PathBuf]) -> Loaded {
    load_inner(dir, drafts, &HashSet::new(), Vec::new())
}

/// Loads `dir` as if the entry files in `left_out` were not there, and
/// without the links (`related`) to them: what the bot serves when those
/// files have errors, so that one unfinished entry does not hold back the
/// others. `kept` are entries to serve in place of some of the files left
/// out: their last good versions. Problems are those of the rest.
pub fn load_leaving_out(dir: &Path, left_out: &HashSet<PathBuf>, kept: Vec<Entry>) -> Loaded {
    load_inner(dir, &[], left_out, kept)
}

/// The id an entry file would have: its name without `.md`.
pub fn id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn load_inner(
    dir: &Path,
    drafts: &[PathBuf],
    left_out: &HashSet<PathBuf>,
    kept: Vec<Entry>,
) -> Loaded {
    let mut problems = Vec::new();
    let faq = (
        "the FAQ directory",
        "Point --faq (or FAQBOT_FAQ_DIR) at the folder holding the entry files",
    );
    let Some(mut paths) = entry_files(dir, &mut problems, faq) else {
        return Loaded {
            faq: None,
            problems,
            files: 0,
        };
    };
    for folder in drafts {
        let what = ("the drafts folder", "Check the folder given to --drafts");
        match entry_files(folder, &mut problems, what) {
            Some(more) => paths.extend(more),
            None => {
                return Loaded {
                    faq: None,
                    problems,
                    files: 0,
                };
            }
        }
    }
    paths.retain(|p| !left_out.contains(p));
    paths.sort();
    let (paths, translation_paths) = translation::split_paths(paths);
    let files = paths.len();
    // Ids that exist as files but are not served: left out, or (below)
    // not readable. Links to them are their files' problem, not the
    // linking entry's.
    let mut broken: HashSet<String> = left_out.iter().map(|p| id_of(p)).collect();

    let (settings, settings_problems) = Settings::load(dir);
    problems.extend(settings_problems);
    let (triage, triage_problems) = TriageSettings::load(dir);
    problems.extend(triage_problems);
    let (smalltalk, smalltalk_problems) = SmallTalkSettings::load(dir);
    problems.extend(smalltalk_problems);
    let (outside, outside_problems) = OutsideSettings::load(dir);
    problems.extend(outside_problems);

    // Reading and parsing files is independent per file: spread it over the
    // cores (a large FAQ loads in half the time on two), keeping file order.
    let parsed: Vec<Vec<Result<Entry, Vec<Problem>>>> =
        crate::parallel::map_chunks(&paths, 256, |chunk| {
            chunk.iter().map(|p| read_entry(p)).collect()
        });
    let mut entries: Vec<Entry> = Vec::new();
    let mut entry_paths: Vec<PathBuf> = Vec::new();
    for (path, result) in paths.iter().zip(parsed.into_iter().flatten()) {
        match result {
            Ok(entry) => {
                entries.push(entry);
                entry_paths.push(path.clone());
            }
            Err(found) => {
                broken.insert(id_of(path));
                problems.extend(found);
            }
        }
    }
    for entry in kept {
        broken.remove(&entry.id);
        entry_paths.push(entry.path.clone());
        entries.push(entry);
    }
    if !left_out.is_empty() {
        for entry in &mut entries {
            drop_links(entry, &broken);
        }
    }
    if files == 0 {
        problems.push(Problem::error(
            dir,
            None,
            "no FAQ entries here: entries are `.md` files in this folder (see the README for the format)",
        ));
    }
    problems.extend(validate::cross_check(
        &entries,
        &entry_paths,
        &settings,
        &broken,
    ));
    let mut translations = Vec::new();
    for path in &translation_paths {
        match read_optional(path) {
            Ok(Some(text)) => match translation::parse(path, &text) {
                Ok(t) => translations.push(t),
                Err(found) => problems.extend(found),
            },
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    let (translations, translation_problems) = translation::check(translations, &entries, &broken);
    problems.extend(translation_problems);
    problems.extend(validate::translations_fit(&translations, &settings));
    problems.extend(phrasing_overlaps(
        &dir.join(smalltalk::FILE_NAME),
        smalltalk.examples().map(|(e, _)| (e, None)),
        "small talk example",
        "small talk is recognised first, so that entry would never answer it",
        &entries,
        &entry_paths,
    ));
    problems.extend(phrasing_overlaps(
        &dir.join(outside::FILE_NAME),
        outside.examples().map(|(e, _)| (e.text.as_str(), e.line)),
        "outside example",
        "the bot would refuse the question that entry answers",
        &entries,
        &entry_paths,
    ));
    problem::sort(&mut problems);

    let faq = if problems.iter().any(Problem::is_error) {
        None
    } else {
        Some(Faq::new(
            dir.to_path_buf(),
            entries,
            settings,
            triage,
            smalltalk,
            outside,
            translations,
        ))
    };
    Loaded {
        faq,
        problems,
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn entry(q: &str, alts: &[&str], related: &[&str], answer: &str) -> String {
        EntryFile::new(q, answer)
            .alternates(alts)
            .related(related)
            .render()
    }

    #[test]
    fn loads_a_good_directory() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "dose.md",
            &entry(
                "How much?",
                &["dose"],
                &["timing"],
                "200 mg; ask your doctor first",
            ),
        );
        write(
            tmp.path(),
            "timing.md",
            &entry("When?", &["time"], &[], "Evening"),
        );
        write(tmp.path(), ".dose.md.swp", "junk");
        write(tmp.path(), "settings.yaml", "threshold: 0.6\n");
        let loaded = load(tmp.path());
        // Only "too few alternates" (one each here).
        assert!(
            loaded
                .problems
                .iter()
                .all(|p| !p.is_error() && p.message.contains("at least 5")),
            "{:?}",
            loaded.problems
        );
        let faq = loaded.faq.unwrap();
        assert_eq!(faq.entries.len(), 2);
        assert_eq!(faq.get("timing").unwrap().answer, "Evening");
        assert_eq!(faq.settings.threshold, 0.6);
    }

    #[test]
    fn a_small_talk_example_may_not_hide_an_entry() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "who.md",
            &entry("Who are you?", &["who made this faq"], &[], "Volunteers."),
        );
        let loaded = load(tmp.path());
        let problem = loaded.errors().next().expect("an overlap");
        assert!(problem.path.ends_with("smalltalk.yaml"), "{problem}");
        assert!(problem.message.contains("\"who are you\""), "{problem}");
        assert!(problem.message.contains("who.md"), "{problem}");
        write(
            tmp.path(),
            "smalltalk.yaml",
            "kinds:\n  who_are_you:\n    examples: [what are you]\n",
        );
        let loaded = load(tmp.path());
        assert!(loaded.faq.is_some(), "{:?}", loaded.problems);
    }

    #[cfg(unix)]
    #[test]
    fn side_files_editors_and_systems_leave_never_break_loading() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "a.md",
            &entry("What is RLS?", &["rls meaning"], &[], "A"),
        );
        // Emacs's lock: a link to a file that does not exist.
        std::os::unix::fs::symlink("user@host.1234:1", dir.join(".#a.md")).unwrap();
        // macOS's resource fork: binary.
        std::fs::write(dir.join("._a.md"), [0x00, 0x05, 0x16, 0x07, 0xff]).unwrap();
        write(dir, ".a.md.swp", "swap");
        let loaded = load(dir);
        assert_eq!(
            loaded.problems.len(),
            1,
            "only too few alternates: {:?}",
            loaded.problems
        );
        assert_eq!(loaded.faq.map(|f| f.entries.len()), Some(1));

        // A pipe named like an entry is never opened (that would wait
        // forever), and neither is a dangling link; both are named.
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.join("pipe.md"))
            .status();
        std::os::unix::fs::symlink("gone.md", dir.join("link.md")).unwrap();
        let loaded = load(dir);
        let text: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        assert!(loaded.faq.is_some(), "{text:#?}");
        assert!(
            text.iter()
                .any(|t| t.contains("link.md: warning: ignored: a link")),
            "{text:#?}"
        );
        if fifo.is_ok_and(|s| s.success()) {
            assert!(
                text.iter()
                    .any(|t| t.contains("pipe.md: warning: ignored: not a plain file")),
                "{text:#?}"
            );
        }
    }

    #[test]
    fn reports_every_problem_at_once() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "a.md",
            &entry("What is RLS?", &["rls meaning"], &["nowhere"], "A"),
        );
        write(
            tmp.path(),
            "b.md",
            &entry("what is rls", &["RLS meaning!"], &[], "B"),
        );
        write(tmp.path(), "empty.md", "");
        write(tmp.path(), "broken.md", "---\nquestion: [x\n---\nA\n");
        write(tmp.path(), "bad-utf8.md", "");
        std::fs::write(tmp.path().join("bad-utf8.md"), [0xff, 0xfe, 0x00]).unwrap();
        write(
            tmp.path(),
            "long.md",
            &entry("Long?", &[], &[], &"x".repeat(4100)),
        );
        write(tmp.path(), "notes.txt", "hello");
        write(tmp.path(), "settings.yaml", "threshold: 7\n");
        let loaded = load(tmp.path());
        assert!(loaded.faq.is_none());
        let text: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        let has = |needle: &str| text.iter().any(|t| t.contains(needle));
        assert!(
            has("a.md:6: error: related entry `nowhere` does not exist"),
            "{text:#?}"
        );
        assert!(
            has("b.md:2: error: the phrasing \"what is rls\" is also used by"),
            "{text:#?}"
        );
        assert!(
            has("b.md:4: error: the phrasing \"RLS meaning!\" is also used by"),
            "{text:#?}"
        );
        assert!(has("empty.md: error: the file is empty"), "{text:#?}");
        assert!(
            has("broken.md:2: error: this question starts with `[`"),
            "{text:#?}"
        );
        assert!(has("bad-utf8.md: error: not UTF-8"), "{text:#?}");
        assert!(
            has("long.md:5: error: the answer with the footer"),
            "{text:#?}"
        );
        assert!(has("notes.txt: warning: ignored"), "{text:#?}");
        assert!(has("settings.yaml:1: error: `threshold` is 7"), "{text:#?}");
    }

    #[test]
    fn duplicate_ids_differing_in_case() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "dose.md", &entry("How much?", &[], &[], "A"));
        write(tmp.path(), "Dose.md", &entry("Dose?", &[], &[], "B"));
        let loaded = load(tmp.path());
        // Case-insensitive file systems can't hold both; where they can, it's an error.
        if loaded.files == 2 {
            let text: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
            assert!(
                text.iter().any(|t| t.contains("duplicate id `dose`")),
                "{text:#?}"
            );
        }
    }

    #[test]
    fn missing_or_empty_directory() {
        let loaded = load(Path::new("/definitely/not/here"));
        assert!(
            loaded.problems[0]
                .message
                .contains("cannot read the FAQ directory")
        );
        let tmp = tempfile::tempdir().unwrap();
        let loaded = load(tmp.path());
        assert!(loaded.problems[0].message.contains("no FAQ entries here"));
    }
}
