//! Curator-editable red-flag settings: `faq/triage.yaml`.
//!
//! Like `settings.yaml`, every key is optional and falls back to the
//! compiled-in defaults, so the urgent replies, patterns and examples can be
//! tuned but never silently lost: a category named in the file overrides
//! only the keys it gives, and a default category left out is kept.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::problem::Problem;
use crate::analysis::fold;

pub const DEFAULTS_YAML: &str = include_str!("triage_defaults.yaml");

/// File name inside the FAQ directory.
pub const FILE_NAME: &str = "triage.yaml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageSettings {
    /// The reply for a general pattern (one outside any category).
    pub reply: String,
    /// General patterns as written; see the defaults file for the syntax.
    pub patterns: Vec<String>,
    /// Kinds of emergency, each with its own reply.
    pub categories: Vec<Category>,
    /// Look-alike messages that are not emergencies.
    pub ordinary: Vec<String>,
}

/// One kind of emergency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The key in `triage.yaml` ("overdose").
    pub name: String,
    pub reply: String,
    pub patterns: Vec<String>,
    /// Example messages, compared by meaning.
    pub examples: Vec<String>,
    /// Patterns that alarm even when the message also looks like an
    /// ordinary look-alike: wording that is never harmless ("kill myself",
    /// "having a stroke"), where a missed emergency costs more than a
    /// false alarm.
    pub always_patterns: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    reply: Option<String>,
    patterns: Option<Vec<String>>,
    categories: Option<BTreeMap<String, RawCategory>>,
    ordinary: Option<Vec<String>>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    reply: Option<String>,
    patterns: Option<Vec<String>>,
    examples: Option<Vec<String>>,
    always_patterns: Option<Vec<String>>,
}

impl Default for TriageSettings {
    fn default() -> TriageSettings {
        // The embedded defaults are tested to parse; a minimal safe reply
        // stands in rather than a panic if that ever broke.
        let raw: Raw = serde_norway::from_str(DEFAULTS_YAML).unwrap_or_default();
        let reply = raw.reply.unwrap_or_else(|| {
            "This may be an emergency: call your local emergency number now.".to_string()
        });
        let categories = raw
            .categories
            .unwrap_or_default()
            .into_iter()
            .map(|(name, c)| Category {
                name,
                reply: c.reply.unwrap_or_else(|| reply.clone()),
                patterns: c.patterns.unwrap_or_default(),
                examples: c.examples.unwrap_or_default(),
                always_patterns: c.always_patterns.unwrap_or_default(),
            })
            .collect();
        TriageSettings {
            reply,
            patterns: raw.patterns.unwrap_or_default(),
            categories,
            ordinary: raw.ordinary.unwrap_or_default(),
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
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        let mut error = |line: Option<usize>, message: String| {
            problems.push(Problem::error(path, line, message));
        };
        if let Some(reply) = raw.reply {
            if reply.trim().is_empty() {
                error(
                    line_of("reply:"),
                    "`reply` is empty: people in an emergency must be told where to get help; write it or delete the line".into(),
                );
            } else {
                settings.reply = reply.trim().to_string();
            }
        }
        let check_patterns = |patterns: &[String], error: &mut dyn FnMut(Option<usize>, String)| {
            for pattern in patterns {
                if pattern.split('+').any(|part| fold::words(part).is_empty()) {
                    error(
                        line_of(pattern.as_str()),
                        format!(
                            "pattern \"{pattern}\" has an empty part: write words on both sides of `+`"
                        ),
                    );
                }
            }
        };
        if let Some(patterns) = raw.patterns {
            check_patterns(&patterns, &mut error);
            settings.patterns = patterns;
        }
        for (name, given) in raw.categories.unwrap_or_default() {
            let line = line_of(&format!("{name}:"));
            let index = match settings.categories.iter().position(|c| c.name == name) {
                Some(i) => i,
                None => {
                    settings.categories.push(Category {
                        name: name.clone(),
                        reply: settings.reply.clone(),
                        patterns: Vec::new(),
                        examples: Vec::new(),
                        always_patterns: Vec::new(),
                    });
                    settings.categories.len() - 1
                }
            };
            let category = &mut settings.categories[index];
            if let Some(reply) = given.reply {
                if reply.trim().is_empty() {
                    error(
                        line,
                        format!(
                            "category `{name}` has an empty `reply`: write where to get help, or delete the line to use the default"
                        ),
                    );
                } else {
                    category.reply = reply.trim().to_string();
                }
            }
            if let Some(patterns) = given.patterns {
                check_patterns(&patterns, &mut error);
                category.patterns = patterns;
            }
            if let Some(always) = given.always_patterns {
                check_patterns(&always, &mut error);
                category.always_patterns = always;
            }
            if let Some(examples) = given.examples {
                for example in &examples {
                    if fold::words(example).is_empty() {
                        error(
                            line,
                            format!(
                                "category `{name}` has an empty example: write a message, or delete the line"
                            ),
                        );
                    }
                }
                category.examples = examples;
            }
            if category.patterns.is_empty()
                && category.always_patterns.is_empty()
                && category.examples.is_empty()
            {
                error(
                    line,
                    format!(
                        "category `{name}` has no `examples` and no `patterns`, so nothing would ever reach it: add example messages"
                    ),
                );
            }
        }
        if let Some(ordinary) = raw.ordinary {
            if ordinary.iter().any(|o| fold::words(o).is_empty()) {
                error(
                    line_of("ordinary:"),
                    "`ordinary` has an empty message: write one, or delete the line".into(),
                );
            }
            settings.ordinary = ordinary;
        }
        (settings, problems)
    }

    /// Whether both have the same example messages in the same categories
    /// (so their vectors can be kept across a reload).
    pub fn same_examples(&self, other: &TriageSettings) -> bool {
        self.ordinary == other.ordinary
            && self.categories.len() == other.categories.len()
            && self
                .categories
                .iter()
                .zip(&other.categories)
                .all(|(a, b)| a.examples == b.examples)
    }

    /// Reads `triage.yaml` from the FAQ directory; missing means defaults.
    pub fn load(dir: &Path) -> (TriageSettings, Vec<Problem>) {
        super::load_optional(
            dir,
            FILE_NAME,
            TriageSettings::parse,
            TriageSettings::default,
        )
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
        let names: Vec<&str> = s.categories.iter().map(|c| c.name.as_str()).collect();
        for needed in [
            "overdose",
            "child_swallowed",
            "chest_pain",
            "heart_rhythm",
            "breathing",
            "collapse",
            "allergic_reaction",
            "suicidal",
            "stroke",
            "seizure",
            "leg_weakness",
            "pregnancy",
            "dehydration",
            "bleeding",
        ] {
            assert!(names.contains(&needed), "{needed} missing: {names:?}");
        }
        assert!(s.categories.iter().all(|c| !c.examples.is_empty()));
        assert!(!s.ordinary.is_empty());
        let chest = s.categories.iter().find(|c| c.name == "chest_pain");
        assert!(chest.is_some_and(|c| c.patterns.iter().any(|p| p == "chest pain")));
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

    #[test]
    fn categories_layer_over_the_defaults() {
        let text = "categories:\n  overdose:\n    reply: Call poison control.\n  hiccups:\n    examples: [\"i cannot stop hiccuping for days\"]\n  empty:\n    reply: Call.\n";
        let (s, problems) = TriageSettings::parse(Path::new("t.yaml"), text);
        let overdose = s.categories.iter().find(|c| c.name == "overdose");
        assert!(
            overdose.is_some_and(|c| c.reply == "Call poison control." && !c.examples.is_empty())
        );
        assert!(s.categories.iter().any(|c| c.name == "hiccups"));
        assert!(
            s.categories.iter().any(|c| c.name == "suicidal"),
            "defaults kept"
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("`empty` has no `examples`"));
        assert_eq!(problems[0].line, Some(6));
    }
}
