//! Writing entry files: the inverse of [`entry::parse`](super::entry::parse).
//!
//! Every entry file faqbot writes goes through [`EntryFile`]: drafts from
//! `faqbot new`, `faqbot import` and `/draft`, and the fixtures of the unit
//! and integration tests. One writer means a change to the format changes in
//! one place, and a test fixture is always a file a curator could have
//! written.

use std::path::{Path, PathBuf};

/// The parts of an entry file, in the order they appear in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFile {
    pub question: String,
    pub alternates: Vec<String>,
    /// A comment written under the alternates (each line starting with
    /// `  #`), such as the help drafts carry.
    pub alternates_comment: Option<String>,
    pub related: Vec<String>,
    pub status: Option<String>,
    /// The answer in Markdown.
    pub answer: String,
}

impl EntryFile {
    pub fn new(question: impl Into<String>, answer: impl Into<String>) -> EntryFile {
        EntryFile {
            question: question.into(),
            answer: answer.into(),
            ..EntryFile::default()
        }
    }

    pub fn alternates<S: AsRef<str>>(mut self, alternates: &[S]) -> EntryFile {
        self.alternates = alternates.iter().map(|a| a.as_ref().to_string()).collect();
        self
    }

    pub fn related<S: AsRef<str>>(mut self, related: &[S]) -> EntryFile {
        self.related = related.iter().map(|r| r.as_ref().to_string()).collect();
        self
    }

    pub fn status(mut self, status: impl Into<String>) -> EntryFile {
        self.status = Some(status.into());
        self
    }

    /// The file's text, in the format `faqbot check` reads. Values are
    /// written plain when YAML reads them back unchanged (as curators write
    /// them by hand) and quoted otherwise.
    pub fn render(&self) -> String {
        let mut out = String::from("---\n");
        out.push_str(&format!("question: {}\n", yaml_scalar(&self.question)));
        // Always a list to extend, never `[]`: a curator adding a line
        // under `alternates: []` writes a YAML error.
        out.push_str("alternates:\n");
        for alt in &self.alternates {
            out.push_str(&format!("  - {}\n", yaml_scalar(alt)));
        }
        if let Some(comment) = &self.alternates_comment {
            out.push_str(comment);
            if !comment.ends_with('\n') {
                out.push('\n');
            }
        }
        if !self.related.is_empty() {
            out.push_str("related:\n");
            for id in &self.related {
                out.push_str(&format!("  - {}\n", yaml_scalar(id)));
            }
        }
        if let Some(status) = &self.status {
            out.push_str(&format!("status: {}\n", yaml_scalar(status)));
        }
        out.push_str("---\n");
        out.push_str(self.answer.trim());
        out.push('\n');
        out
    }

    /// Writes `ID.md` in `dir` (creating `dir`), replacing any file of that
    /// name. For tests and tools that own the folder; drafts use
    /// [`crate::curate::draft::Draft::write_new`], which never replaces.
    pub fn write(&self, dir: &Path, id: &str) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{id}.md"));
        std::fs::write(&path, self.render())?;
        Ok(path)
    }
}

/// A YAML scalar for `text`: plain when YAML reads it back unchanged (the
/// usual case, and what curators write by hand), double-quoted otherwise
/// (text with `: `, ` #`, leading quotes or dashes, YAML keywords...).
fn yaml_scalar(text: &str) -> String {
    // Read back untyped: `null` or `123` would pass as strings where a
    // string is expected, yet not inside a list of alternates.
    let plain = !text.contains('\n')
        && serde_norway::from_str::<serde_norway::Value>(&format!("v: {text}\n"))
            .ok()
            .and_then(|v| v.get("v").and_then(|v| v.as_str().map(|s| s == text)))
            .unwrap_or(false);
    if plain {
        text.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "'")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::entry;

    #[test]
    fn what_is_written_reads_back_the_same() {
        let file = EntryFile::new(
            "Is < 350 mg: a \"safe\" dose? #1",
            "Yes: **100 mg** & up.\n\nSecond paragraph.",
        )
        .alternates(&["- dash first", "null", "123", "plain words", "'quoted'"])
        .related(&["timing"]);
        let text = file.render();
        let parsed = entry::parse(Path::new("faq/x.md"), &text).expect("reads back");
        assert_eq!(parsed.question, file.question);
        assert_eq!(parsed.alternates, file.alternates);
        assert_eq!(parsed.related, file.related);
        assert_eq!(parsed.answer, file.answer);
        // A status is written where `check` finds it (and refuses it).
        let text = file.status("needs-review").render();
        let problems = entry::parse(Path::new("faq/x.md"), &text).unwrap_err();
        assert!(problems[0].message.contains("needs-review"), "{problems:?}");
    }

    #[test]
    fn plain_values_stay_plain_and_comments_follow_the_alternates() {
        let mut file = EntryFile::new("How much magnesium?", "200 mg").alternates(&["mag dose"]);
        file.alternates_comment = Some("  # add more".into());
        assert_eq!(
            file.render(),
            "---\nquestion: How much magnesium?\nalternates:\n  - mag dose\n  # add more\n---\n200 mg\n"
        );
    }
}
