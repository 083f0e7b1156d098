//! Drafting entry files from documents, so that a new source article
//! becomes content quickly: articles ([`article`], plain text or Markdown)
//! and spreadsheet exports ([`csv`]).
//!
//! Reading a document gives candidates (question, alternates, answer) and
//! the parts skipped with the reason; an [`Importer`] then turns candidates
//! into draft files, never writing over a file and never reusing a phrasing
//! another entry has (which `check` would refuse). Every decision is
//! reported, so the curator knows what to read and what was left behind.

pub mod article;
pub mod csv;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::analysis::fold;
use crate::content::Settings;
use crate::content::answer;
use crate::content::answer::TELEGRAM_MESSAGE_LIMIT;
use crate::curate::draft::{self, Draft, Taken, WriteError};
use crate::engine::{Engine, Outcome};

/// A question found in a document, with what is known of its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Where it starts in the document (1-based).
    pub line: usize,
    pub question: String,
    pub alternates: Vec<String>,
    /// The answer in Markdown; None when the document has none.
    pub answer: Option<String>,
    /// What the curator should look at in this draft.
    pub notes: Vec<String>,
}

/// A part of a document that did not become a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// First and last line (1-based), when it has a place in the document.
    pub lines: Option<(usize, usize)>,
    /// What was skipped, as the curator would recognise it (may be empty
    /// when the reason says it all).
    pub text: String,
    pub why: String,
}

impl Skipped {
    /// A one-line part: a heading, a question, a row.
    pub fn at(line: usize, text: impl Into<String>, why: impl Into<String>) -> Skipped {
        Skipped {
            lines: Some((line, line)),
            text: text.into(),
            why: why.into(),
        }
    }

    /// "line 5", "lines 1-3", or "" when it has no place.
    pub fn place(&self) -> String {
        match self.lines {
            Some((a, b)) if a == b => format!("line {a}"),
            Some((a, b)) => format!("lines {a}-{b}"),
            None => String::new(),
        }
    }
}

/// What a document holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

/// The kinds of document `import` reads, by extension. A file without an
/// extension is read as plain text.
pub const FORMATS: &str = ".txt, .md and .markdown (articles), .csv and .tsv (spreadsheet exports)";

/// Reads a document, choosing the reader by its extension: `.csv` and
/// `.tsv` are spreadsheets, `.md` and `.markdown` Markdown articles, `.txt`
/// (or none) plain-text articles. Anything else, and anything binary, is
/// refused: reading a Word file as text would "import" its zip bytes.
pub fn read(path: &Path) -> Result<Parsed, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let kind = match ext.as_str() {
        "csv" | "tsv" => Kind::Spreadsheet,
        "md" | "markdown" => Kind::Markdown,
        "txt" | "text" | "" => Kind::Text,
        other => return Err(unknown_format(other)),
    };
    let bytes = std::fs::read(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            "there is no such file: check the name and folder".to_string()
        } else {
            format!("cannot read it: {err}")
        }
    })?;
    if bytes.contains(&0) {
        return Err(format!(
            "it is not a text file (it holds binary data, like a Word, PDF or zip file, even though its name ends in `.{ext}`): save the document as plain text or Markdown, or the spreadsheet as CSV, and import that"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        "it is not UTF-8 text: save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\") and import again"
            .to_string()
    })?;
    match kind {
        Kind::Spreadsheet => csv::parse(&text),
        Kind::Markdown => Ok(article::parse(&text, true)),
        Kind::Text => Ok(article::parse(&text, false)),
    }
}

enum Kind {
    Spreadsheet,
    Markdown,
    Text,
}

fn unknown_format(ext: &str) -> String {
    let how = match ext {
        "docx" | "doc" | "odt" | "rtf" | "pages" => {
            "in the word processor, use Save As (or Download as) \"Plain text (.txt)\", and import that"
        }
        "xlsx" | "xls" | "ods" | "numbers" => {
            "in the spreadsheet, use Save As (or Download as) \"CSV UTF-8\", and import that"
        }
        "pdf" => "copy the text into a .txt file (checking that nothing was lost), and import that",
        "html" | "htm" => {
            "save the page as text (.txt), or copy its text into a .md file, and import that"
        }
        _ => "save it in one of those formats and import that",
    };
    format!("faqbot cannot read `.{ext}` files; it reads {FORMATS}: {how}")
}

/// A draft written.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    pub path: PathBuf,
    pub line: usize,
    pub question: String,
    pub alternates: usize,
    /// Whether the answer is the placeholder (the document had none).
    pub placeholder: bool,
    /// Things the curator should know: left-out alternates, an answer too
    /// long for one message, an existing entry asking much the same.
    pub notes: Vec<String>,
}

/// What became of one document's candidates.
#[derive(Debug, Default)]
pub struct Outcomes {
    pub made: Vec<Made>,
    pub skipped: Vec<Skipped>,
    /// Drafts that could not be written (disk errors), as messages.
    pub failed: Vec<String>,
}

/// Writes drafts into one folder across several documents, remembering the
/// ids and phrasings used so far so two documents cannot collide.
pub struct Importer<'a> {
    out: &'a Path,
    taken: Taken,
    /// Ids drafted in this run and ids of the live FAQ's files: a draft
    /// named like an entry would replace it when moved into `faq/`.
    ids: HashSet<String>,
    footer: String,
    /// The live FAQ, to point out drafts it already answers.
    faq: Option<&'a Engine>,
}

impl<'a> Importer<'a> {
    /// Drafts into `out` for the FAQ in `faq_dir`: its phrasings are not
    /// reused and its file names not taken. `engine` is that FAQ loaded,
    /// if it loads, to point out drafts it already answers.
    pub fn new(
        out: &'a Path,
        faq_dir: &Path,
        settings: &Settings,
        faq: Option<&'a Engine>,
    ) -> Importer<'a> {
        Importer {
            out,
            taken: Taken::in_dirs(&[faq_dir, out]),
            ids: draft::entry_paths(faq_dir)
                .iter()
                .map(|p| draft::id_of(p))
                .collect(),
            footer: settings.footer.clone(),
            faq,
        }
    }

    pub fn import(&mut self, parsed: Parsed) -> Outcomes {
        let mut outcomes = Outcomes {
            skipped: parsed.skipped,
            ..Outcomes::default()
        };
        for c in parsed.candidates {
            let skip = |why: String| Skipped::at(c.line, c.question.clone(), why);
            if fold::phrase_key(&c.question).is_empty() {
                outcomes
                    .skipped
                    .push(skip("the question has no words".into()));
                continue;
            }
            if let Some(owner) = self.taken.owner(&c.question) {
                outcomes.skipped.push(skip(format!(
                    "the entry `{owner}` already asks this question"
                )));
                continue;
            }
            let (alternates, dropped) =
                draft::usable_alternates(&c.question, c.alternates, &self.taken);
            let draft = Draft {
                id: self.free_id(&c.question),
                question: c.question.clone(),
                alternates,
                answer: c.answer,
                status: None,
            };
            match draft.write_new(self.out) {
                Ok(path) => {
                    let mut notes = c.notes;
                    notes.extend(
                        dropped
                            .into_iter()
                            .map(|d| format!("left out the alternate \"{}\": {}", d.text, d.why)),
                    );
                    notes.extend(self.notes(&draft));
                    self.taken.claim(&draft);
                    self.ids.insert(draft.id.clone());
                    outcomes.made.push(Made {
                        path,
                        line: c.line,
                        question: draft.question,
                        alternates: draft.alternates.len(),
                        placeholder: draft.answer.is_none(),
                        notes,
                    });
                }
                Err(WriteError::Exists(path)) => outcomes.skipped.push(skip(format!(
                    "{} already exists and was left as it is",
                    path.display()
                ))),
                Err(err) => outcomes.failed.push(err.to_string()),
            }
        }
        outcomes
    }

    /// The question's id, numbered when an earlier draft of this run or an
    /// entry of the live FAQ took it ("magnesium-citrate-2"). Files in the
    /// drafts folder from before the run keep their names: a clash with
    /// one of them is reported, not worked around.
    fn free_id(&self, question: &str) -> String {
        let base = draft::id_for(question);
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn notes(&self, draft: &Draft) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(answer) = &draft.answer {
            let len = answer::answer_len(answer, &self.footer);
            if len > TELEGRAM_MESSAGE_LIMIT {
                notes.push(format!(
                    "the answer with the footer is {len} characters, over Telegram's {TELEGRAM_MESSAGE_LIMIT}: shorten it or split it, or `check` will refuse it"
                ));
            }
        }
        if let Some(Outcome::Answer { entry, score, .. }) =
            self.faq.map(|faq| faq.ask(&draft.question))
        {
            notes.push(format!(
                "the FAQ already answers this question with `{}` (score {score:.2}): merge the two if they say the same",
                entry.id
            ));
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, EntryFile};

    fn candidate(line: usize, q: &str, alts: &[&str], answer: Option<&str>) -> Candidate {
        Candidate {
            line,
            question: q.into(),
            alternates: alts.iter().map(|s| s.to_string()).collect(),
            answer: answer.map(str::to_string),
            notes: Vec::new(),
        }
    }

    #[test]
    fn imports_never_overwrite_collide_or_reuse_phrasings() {
        let tmp = tempfile::tempdir().unwrap();
        // The live FAQ, and a drafts folder with a curator's own file.
        let faq = tmp.path().join("faq");
        let drafts = tmp.path().join("drafts");
        std::fs::create_dir(&faq).unwrap();
        std::fs::create_dir(&drafts).unwrap();
        EntryFile::new("Old question?", "A")
            .alternates(&["old alt"])
            .write(&faq, "old")
            .unwrap();
        EntryFile::new("Something else entirely?", "A")
            .write(&faq, "live-id")
            .unwrap();
        std::fs::write(drafts.join("taken-id.md"), "curator's file").unwrap();
        let settings = Settings::default();
        let mut importer = Importer::new(&drafts, &faq, &settings, None);
        let parsed = Parsed {
            candidates: vec![
                candidate(
                    1,
                    "Magnesium citrate?",
                    &["citrate", "old alt"],
                    Some("Absorbs well."),
                ),
                candidate(2, "Magnesium: citrate?", &[], Some("Same phrasing.")),
                candidate(
                    2,
                    "Magnesium citrate магний",
                    &[],
                    Some("Same id, other words."),
                ),
                candidate(3, "old question", &[], Some("x")),
                candidate(4, "Taken id", &[], None),
                candidate(5, "???", &[], Some("x")),
                candidate(6, "Long?", &[], Some(&"word ".repeat(900))),
                candidate(7, "Live id?", &[], Some("Named like a live entry.")),
            ],
            skipped: vec![],
        };
        let out = importer.import(parsed);
        let made: Vec<String> = out
            .made
            .iter()
            .map(|m| m.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        // live-id.md would replace the live entry when moved into faq/.
        assert_eq!(
            made,
            [
                "magnesium-citrate.md",
                "magnesium-citrate-2.md",
                "long.md",
                "live-id-2.md"
            ]
        );
        assert_eq!(
            out.made[0].notes,
            ["left out the alternate \"old alt\": the entry `old` already uses it"]
        );
        assert!(
            out.made[2].notes[0].contains("over Telegram's 4096"),
            "{:?}",
            out.made[2].notes
        );
        let why: Vec<&str> = out.skipped.iter().map(|s| s.why.as_str()).collect();
        assert_eq!(why.len(), 4, "{why:?}");
        assert_eq!(
            why[0],
            "the entry `magnesium-citrate` already asks this question"
        );
        assert_eq!(why[1], "the entry `old` already asks this question");
        assert!(
            why[2].ends_with("taken-id.md already exists and was left as it is"),
            "{why:?}"
        );
        assert_eq!(why[3], "the question has no words");
        assert_eq!(
            std::fs::read_to_string(drafts.join("taken-id.md")).unwrap(),
            "curator's file"
        );
        assert!(out.failed.is_empty());

        // The drafts with answers are entries `check` accepts beside the
        // live ones.
        std::fs::remove_file(drafts.join("taken-id.md")).unwrap();
        std::fs::remove_file(drafts.join("long.md")).unwrap();
        let loaded = content::load_with_drafts(&faq, &[drafts]);
        assert!(loaded.faq.is_some(), "{:?}", loaded.problems);
        assert_eq!(loaded.files, 5);
    }

    #[test]
    fn reads_by_extension_and_explains_unreadable_files() {
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("sheet.CSV");
        std::fs::write(&csv, "question,answer\nWhat?,That.\n").unwrap();
        assert_eq!(
            read(&csv).unwrap().candidates[0].answer.as_deref(),
            Some("That.")
        );
        let md = tmp.path().join("a.md");
        std::fs::write(&md, "## Why?\nBecause.\n").unwrap();
        assert_eq!(read(&md).unwrap().candidates[0].question, "Why?");
        let latin1 = tmp.path().join("a.txt");
        std::fs::write(&latin1, [b'c', b'a', b'f', 0xe9, b'?']).unwrap();
        assert!(read(&latin1).unwrap_err().contains("not UTF-8"));
        let bin = tmp.path().join("b.txt");
        std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
        assert!(read(&bin).unwrap_err().contains("binary data"));
        let docx = tmp.path().join("c.DOCX");
        assert!(
            read(&docx)
                .unwrap_err()
                .contains("cannot read `.docx` files")
        );
        assert!(
            read(&tmp.path().join("none.txt"))
                .unwrap_err()
                .contains("no such file")
        );
    }
}
