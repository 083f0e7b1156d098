//! Curator-editable red-flag settings: `faq/triage.yaml`.
//!
//! Like `settings.yaml`, every key is optional and falls back to the
//! compiled-in defaults, so the urgent reply and patterns can be tuned but
//! never silently lost.

use std::path::Path;

use serde::Deserialize;

use super::problem::Problem;
use crate::text;

pub const DEFAULTS_YAML: &str = include_str!("triage_defaults.yaml");

/// File name inside the FAQ directory.
pub const FILE_NAME: &str = "triage.yaml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageSettings {
    /// Sent instead of an answer when a pattern matches.
    pub reply: String,
    /// Patterns as written; see the defaults file for the syntax.
    pub patterns: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    reply: Option<String>,
    patterns: Option<Vec<String>>,
}

impl Default for TriageSettings {
    fn default() -> TriageSettings {
        let raw: Raw = serde_norway::from_str(DEFAULTS_YAML).unwrap_or_default();
        TriageSettings {
            reply: raw.reply.unwrap_or_else(|| {
                "This may be an emergency: call your local emergency number now.".to_string()
            }),
            patterns: raw.patterns.unwrap_or_default(),
        }
    }
}

impl TriageSettings {
    pub fn parse(path: &Path, text: &str) -> (TriageSettings, Vec<Problem>) {
        let mut settings = TriageSettings::default();
        let mut problems = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: Raw = match serde_norway::from_str::<Option<Raw>>(text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(err) => {
                problems.push(Problem::error(
                    path,
                    err.location().map(|l| l.line()),
                    format!("triage settings are not valid YAML: {err}"),
                ));
                return (settings, problems);
            }
        };
        if let Some(reply) = raw.reply {
            if reply.trim().is_empty() {
                problems.push(Problem::error(
                    path,
                    None,
                    "`reply` is empty: people in an emergency must be told where to get help; write it or delete the line",
                ));
            } else {
                settings.reply = reply.trim().to_string();
            }
        }
        if let Some(patterns) = raw.patterns {
            for pattern in &patterns {
                let empty_part = pattern.split('+').any(|part| text::words(part).is_empty());
                if empty_part {
                    let line = text
                        .lines()
                        .position(|l| l.contains(pattern.as_str()))
                        .map(|i| i + 1);
                    problems.push(Problem::error(
                        path,
                        line,
                        format!("pattern \"{pattern}\" has an empty part: write words on both sides of `+`"),
                    ));
                }
            }
            settings.patterns = patterns;
        }
        (settings, problems)
    }

    /// Reads `triage.yaml` from the FAQ directory; missing means defaults.
    pub fn load(dir: &Path) -> (TriageSettings, Vec<Problem>) {
        let path = dir.join(FILE_NAME);
        match super::read_optional(&path) {
            Ok(Some(text)) => TriageSettings::parse(&path, &text),
            Ok(None) => (TriageSettings::default(), Vec::new()),
            Err(problem) => (TriageSettings::default(), vec![problem]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_cleanly() {
        let (s, problems) = TriageSettings::parse(Path::new("t.yaml"), DEFAULTS_YAML);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(s.reply.contains("emergency"));
        assert!(s.patterns.iter().any(|p| p == "chest pain"));
    }

    #[test]
    fn bad_values_are_reported_and_defaults_kept() {
        let (s, problems) = TriageSettings::parse(
            Path::new("t.yaml"),
            "reply: \"\"\npatterns:\n  - \"a + \"\n",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(s.reply, TriageSettings::default().reply);
        let (_, problems) = TriageSettings::parse(Path::new("t.yaml"), "patern: [x]\n");
        assert!(
            problems[0].message.contains("unknown field"),
            "{problems:?}"
        );
    }
}
