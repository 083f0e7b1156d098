//! Curator-editable examples of what the FAQ deliberately does not
//! answer: `faq/outside.yaml`.
//!
//! An FAQ written from two articles about RLS and magnesium cannot answer
//! "how much potassium should I take" or "is magnesium safe for my dog",
//! but the sentence model finds both close to entries it can answer. A
//! similarity threshold alone cannot tell them apart. Examples can: the
//! engine refuses a question that is closer to an example here than to
//! any phrasing of the entry it would answer with. So a curator who sees
//! a wrong answer in the logs fixes it by adding an example, never by
//! asking for code, just as a wrong refusal is fixed by adding an
//! alternate to the right entry.
//!
//! Examples are grouped by why the FAQ does not answer them (`reasons`),
//! each with a line for curators (`about`). Unlike triage and small talk
//! there are no built-in examples: what is outside depends on the FAQ.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::problem::Problem;

/// File name inside the FAQ directory.
pub const FILE_NAME: &str = "outside.yaml";

/// The examples, by reason.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutsideSettings {
    pub reasons: Vec<Reason>,
}

/// One reason the FAQ does not answer something ("other_supplements").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The key in `outside.yaml`.
    pub name: String,
    /// What it covers, for curators.
    pub about: String,
    pub examples: Vec<Example>,
}

/// One example and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub text: String,
    /// 1-based line in `outside.yaml`.
    pub line: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    reasons: Option<BTreeMap<String, RawReason>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReason {
    about: Option<String>,
    examples: Option<Vec<String>>,
}

impl OutsideSettings {
    /// Every example with its reason's index.
    pub fn examples(&self) -> impl Iterator<Item = (&Example, usize)> {
        self.reasons
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.examples.iter().map(move |e| (e, i)))
    }

    /// Parses `outside.yaml`; every mistake is a problem on its line.
    pub fn parse(path: &Path, text: &str) -> (OutsideSettings, Vec<Problem>) {
        let mut problems = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: Raw = match serde_norway::from_str::<Option<Raw>>(text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(err) => {
                problems.push(Problem::error(
                    path,
                    err.location().map(|l| l.line()),
                    format!(
                        "the outside examples are not valid YAML: {err}. Each reason needs `about:` and `examples:` under `reasons:` (see the README)"
                    ),
                ));
                return (OutsideSettings::default(), problems);
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        let line_of = |needle: &str, from: usize| {
            lines
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, l)| l.contains(needle))
                .map(|(i, _)| i + 1)
        };
        let mut reasons = Vec::new();
        for (name, given) in raw.reasons.unwrap_or_default() {
            let line = line_of(&format!("{name}:"), 0);
            let start = line.unwrap_or(1) - 1;
            let examples: Vec<Example> = given
                .examples
                .unwrap_or_default()
                .into_iter()
                .filter_map(|e| {
                    let text = e.trim().to_string();
                    if text.is_empty() {
                        problems.push(Problem::error(
                            path,
                            line,
                            format!("`{name}` has an empty example: write a question, or delete the line"),
                        ));
                        return None;
                    }
                    Some(Example {
                        line: line_of(&text, start),
                        text,
                    })
                })
                .collect();
            if examples.is_empty() {
                problems.push(Problem::error(
                    path,
                    line,
                    format!(
                        "`{name}` has no `examples`: add questions the FAQ does not answer for this reason, or delete it"
                    ),
                ));
            }
            reasons.push(Reason {
                about: given.about.unwrap_or_default().trim().to_string(),
                name,
                examples,
            });
        }
        (OutsideSettings { reasons }, problems)
    }

    /// Reads `outside.yaml` from the FAQ directory; missing means none.
    pub fn load(dir: &Path) -> (OutsideSettings, Vec<Problem>) {
        super::load_optional(
            dir,
            FILE_NAME,
            OutsideSettings::parse,
            OutsideSettings::default,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_examples_and_their_lines() {
        let text = "# why\nreasons:\n  animals:\n    about: Pets.\n    examples:\n      - is magnesium safe for my dog\n      - \"can cats take it?\"\n  empty:\n    about: Nothing.\n";
        let (s, problems) = OutsideSettings::parse(Path::new("o.yaml"), text);
        let animals = s.reasons.iter().find(|r| r.name == "animals").unwrap();
        assert_eq!(animals.about, "Pets.");
        assert_eq!(animals.examples[0].text, "is magnesium safe for my dog");
        assert_eq!(animals.examples[0].line, Some(6));
        assert_eq!(animals.examples[1].line, Some(7));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("`empty` has no `examples`"));
        assert_eq!(problems[0].line, Some(8));
        assert_eq!(s.examples().count(), 2);
    }

    #[test]
    fn mistakes_are_problems_not_panics() {
        let (_, problems) = OutsideSettings::parse(Path::new("o.yaml"), "reasons: [oops");
        assert!(
            problems[0].message.contains("not valid YAML"),
            "{problems:?}"
        );
        let (_, problems) = OutsideSettings::parse(Path::new("o.yaml"), "reason: {}\n");
        assert!(
            problems[0].message.contains("unknown field"),
            "{problems:?}"
        );
        let (s, problems) = OutsideSettings::parse(Path::new("o.yaml"), "");
        assert!(problems.is_empty() && s.reasons.is_empty());
    }
}
