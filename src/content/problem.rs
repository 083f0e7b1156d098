//! Problems found while loading FAQ content.
//!
//! Curators are not programmers, so every problem names the file and line to
//! open and says what to change. Loading never stops at the first problem:
//! `faqbot check` shows them all at once, so one edit-check cycle fixes many.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors make `check` fail and stop content from
/// being served; warnings are shown but do not block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One thing wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line number, when the problem has a place in the file.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn error(path: &Path, line: Option<usize>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    pub fn warning(path: &Path, line: Option<usize>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(
                f,
                "{}:{line}: {kind}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(f, "{}: {kind}: {}", self.path.display(), self.message),
        }
    }
}

/// Sorts problems the way a curator reads them: file by file, top to bottom.
pub fn sort(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        (&a.path, a.line.unwrap_or(0), &a.message).cmp(&(&b.path, b.line.unwrap_or(0), &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_kind() {
        let p = Problem::error(Path::new("faq/dose.md"), Some(3), "missing answer");
        assert_eq!(p.to_string(), "faq/dose.md:3: error: missing answer");
        let w = Problem::warning(Path::new("faq/x.txt"), None, "not an entry");
        assert_eq!(w.to_string(), "faq/x.txt: warning: not an entry");
    }
}
