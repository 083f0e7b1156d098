//! Curator-editable small talk: `faq/smalltalk.yaml`.
//!
//! "hi", "thanks", "👍" and "are you a bot?" are not questions the FAQ
//! should answer, and treating them as misses filled the unmatched log and
//! made the report advise an entry for "ok". Each kind here has a short
//! reply and example messages. Like `triage.yaml`, every key is optional: a
//! kind named in the file overrides only the keys it gives, and a default
//! kind left out is kept, so a curator's edit can tune but never lose them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::problem::Problem;
use crate::analysis::language::{Language, other_codes};

pub const DEFAULTS_YAML: &str = include_str!("smalltalk_defaults.yaml");

/// File name inside the FAQ directory.
pub const FILE_NAME: &str = "smalltalk.yaml";

/// Replies longer than this are refused: small talk is a line, and the
/// reply must leave no room for advice that belongs in an FAQ answer.
pub const MAX_REPLY_CHARS: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmallTalkSettings {
    pub kinds: Vec<Kind>,
}

/// One kind of small talk ("thanks").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// The key in `smalltalk.yaml`.
    pub name: String,
    pub reply: String,
    /// The reply in other languages, by code ("es"): a message read in
    /// one of them gets its own; any other, the English `reply`.
    pub replies: BTreeMap<String, String>,
    pub examples: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    kinds: Option<BTreeMap<String, RawKind>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKind {
    reply: Option<String>,
    replies: Option<BTreeMap<String, String>>,
    examples: Option<Vec<String>>,
}

impl SmallTalkSettings {
    /// The compiled-in kinds (tested to parse; none rather than a panic if
    /// that ever broke).
    pub fn defaults() -> SmallTalkSettings {
        let raw: Raw = serde_norway::from_str(DEFAULTS_YAML).unwrap_or_default();
        let kinds = raw
            .kinds
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(name, k)| {
                Some(Kind {
                    name,
                    reply: k.reply?.trim().to_string(),
                    replies: k
                        .replies
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(code, reply)| (code, reply.trim().to_string()))
                        .collect(),
                    examples: k.examples.unwrap_or_default(),
                })
            })
            .collect();
        SmallTalkSettings { kinds }
    }

    /// Every example with its kind's index.
    pub fn examples(&self) -> impl Iterator<Item = (&str, usize)> {
        self.kinds
            .iter()
            .enumerate()
            .flat_map(|(i, k)| k.examples.iter().map(move |e| (e.as_str(), i)))
    }

    pub fn parse(path: &Path, text: &str) -> (SmallTalkSettings, Vec<Problem>) {
        let mut settings = SmallTalkSettings::defaults();
        let mut problems = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: Raw = match serde_norway::from_str::<Option<Raw>>(text) {
            Ok(raw) => raw.unwrap_or_default(),
            Err(err) => {
                problems.push(Problem::error(
                    path,
                    err.location().map(|l| l.line()),
                    format!(
                        "small talk settings are not valid YAML: {err}. Each kind needs `reply:` and `examples:` under `kinds:` (see the README)"
                    ),
                ));
                return (settings, problems);
            }
        };
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        for (name, given) in raw.kinds.unwrap_or_default() {
            let line = line_of(&format!("{name}:"));
            let index = match settings.kinds.iter().position(|k| k.name == name) {
                Some(i) => i,
                None => {
                    settings.kinds.push(Kind {
                        name: name.clone(),
                        reply: String::new(),
                        replies: BTreeMap::new(),
                        examples: Vec::new(),
                    });
                    settings.kinds.len() - 1
                }
            };
            let kind = &mut settings.kinds[index];
            let mut reply_said = false;
            if let Some(reply) = given.reply {
                reply_said = true;
                let reply = reply.trim();
                if reply.is_empty() {
                    problems.push(Problem::error(
                        path,
                        line_of("reply:").filter(|l| Some(*l) > line).or(line),
                        format!(
                            "small talk `{name}` has an empty `reply`: write a short friendly line, or delete the line to keep the default"
                        ),
                    ));
                } else if reply.chars().count() > MAX_REPLY_CHARS {
                    problems.push(Problem::error(
                        path,
                        line,
                        format!(
                            "small talk `{name}` has a reply of {} characters: keep it under {MAX_REPLY_CHARS}; anything longer belongs in an FAQ entry",
                            reply.chars().count()
                        ),
                    ));
                } else {
                    kind.reply = reply.to_string();
                }
            }
            // Language by language over the defaults, like `reply`.
            for (code, reply) in given.replies.unwrap_or_default() {
                let reply = reply.trim();
                let at = text
                    .lines()
                    .enumerate()
                    .skip(line.unwrap_or(0))
                    .find(|(_, l)| l.trim_start().starts_with(&format!("{code}:")))
                    .map(|(i, _)| i + 1)
                    .or(line);
                let known =
                    Language::from_code(&code).is_some_and(|l| !l.is_english() && l.code() == code);
                if !known {
                    problems.push(Problem::error(
                        path,
                        at,
                        format!(
                            "small talk `{name}` has a reply in `{code}`, which is not a language faqbot replies in: use one of {}",
                            other_codes()
                        ),
                    ));
                } else if reply.is_empty() {
                    problems.push(Problem::error(
                        path,
                        at,
                        format!(
                            "small talk `{name}` has an empty reply in `{code}`: write it, or delete the line to send the English reply"
                        ),
                    ));
                } else if reply.chars().count() > MAX_REPLY_CHARS {
                    problems.push(Problem::error(
                        path,
                        at,
                        format!(
                            "small talk `{name}` has a reply in `{code}` of {} characters: keep it under {MAX_REPLY_CHARS}",
                            reply.chars().count()
                        ),
                    ));
                } else {
                    kind.replies.insert(code, reply.to_string());
                }
            }
            if let Some(examples) = given.examples {
                if examples.iter().any(|e| e.trim().is_empty()) {
                    problems.push(Problem::error(
                        path,
                        line,
                        format!(
                            "small talk `{name}` has an empty example: write a message, or delete the line"
                        ),
                    ));
                }
                kind.examples = examples
                    .into_iter()
                    .filter(|e| !e.trim().is_empty())
                    .collect();
            }
            if kind.reply.is_empty() && !reply_said {
                problems.push(Problem::error(
                    path,
                    line,
                    format!("small talk `{name}` has no `reply`: add `reply: ...` under it"),
                ));
            }
            if kind.examples.is_empty() {
                problems.push(Problem::error(
                    path,
                    line,
                    format!(
                        "small talk `{name}` has no `examples`, so nothing would ever reach it: add example messages"
                    ),
                ));
            }
        }
        settings.kinds.retain(|k| !k.reply.is_empty());
        (settings, problems)
    }

    /// The reply of kind `kind` to a message in `language`: its own in
    /// that language when there is one, else the English reply.
    pub fn reply_in(&self, kind: usize, language: Language) -> Option<&str> {
        let kind = self.kinds.get(kind)?;
        Some(
            kind.replies
                .get(language.code())
                .map_or(kind.reply.as_str(), String::as_str),
        )
    }

    /// Reads `smalltalk.yaml` from the FAQ directory; missing means defaults.
    pub fn load(dir: &Path) -> (SmallTalkSettings, Vec<Problem>) {
        super::load_optional(
            dir,
            FILE_NAME,
            SmallTalkSettings::parse,
            SmallTalkSettings::defaults,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_kind_replies_in_every_language() {
        let s = SmallTalkSettings::defaults();
        for (code, _) in crate::analysis::language::SUPPORTED.iter().skip(1) {
            let language = Language::from_code(code).unwrap();
            for (i, kind) in s.kinds.iter().enumerate() {
                let reply = s.reply_in(i, language).unwrap();
                assert!(kind.replies.contains_key(*code), "{} in {code}", kind.name);
                assert_ne!(reply, kind.reply, "{} in {code}", kind.name);
            }
        }
        let thanks = s.kinds.iter().position(|k| k.name == "thanks").unwrap();
        assert_eq!(
            s.reply_in(thanks, Language::ENGLISH),
            Some(s.kinds[thanks].reply.as_str())
        );
    }

    #[test]
    fn replies_in_other_languages_are_checked_and_merged() {
        let text = "kinds:\n  thanks:\n    replies:\n      es: ¡De nada, de verdad!\n      jp: どういたしまして\n      es_mx: \"hola\"\n      de: \"  \"\n";
        let (s, problems) = SmallTalkSettings::parse(Path::new("smalltalk.yaml"), text);
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 3, "{shown:?}");
        assert!(
            shown
                .iter()
                .any(|p| p.contains("smalltalk.yaml:5") && p.contains("`jp`")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|p| p.contains("smalltalk.yaml:6") && p.contains("`es_mx`")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|p| p.contains("smalltalk.yaml:7") && p.contains("empty reply in `de`")),
            "{shown:?}"
        );
        let thanks = s.kinds.iter().position(|k| k.name == "thanks").unwrap();
        let es = Language::from_code("es").unwrap();
        assert_eq!(s.reply_in(thanks, es), Some("¡De nada, de verdad!"));
        // The other languages keep their defaults.
        let fr = Language::from_code("fr").unwrap();
        assert!(
            s.reply_in(thanks, fr)
                .is_some_and(|r| r.starts_with("Je vous en prie"))
        );
    }

    #[test]
    fn defaults_parse_cleanly_and_cover_the_usual_kinds() {
        let (s, problems) = SmallTalkSettings::parse(Path::new("s.yaml"), DEFAULTS_YAML);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = s.kinds.iter().map(|k| k.name.as_str()).collect();
        for needed in [
            "greeting",
            "thanks",
            "ok",
            "goodbye",
            "who_are_you",
            "are_you_a_bot",
            "are_you_a_doctor",
        ] {
            assert!(names.contains(&needed), "{needed} missing: {names:?}");
        }
        assert!(s.kinds.iter().all(|k| !k.examples.is_empty()));
        assert_eq!(s, SmallTalkSettings::defaults());
    }

    #[test]
    fn kinds_layer_over_the_defaults_and_mistakes_name_the_line() {
        let text = "kinds:\n  thanks:\n    reply: Any time!\n  weather:\n    examples: [nice weather]\n  empty:\n    reply: \"\"\n";
        let (s, problems) = SmallTalkSettings::parse(Path::new("s.yaml"), text);
        let thanks = s.kinds.iter().find(|k| k.name == "thanks").unwrap();
        assert_eq!(thanks.reply, "Any time!");
        assert!(thanks.examples.iter().any(|e| e == "thank you"));
        assert!(
            s.kinds.iter().any(|k| k.name == "greeting"),
            "defaults kept"
        );
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 3, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`empty` has an empty `reply`"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`empty` has no `examples`"))
        );
        let weather = problems
            .iter()
            .find(|p| p.message.contains("`weather` has no `reply`"));
        assert_eq!(weather.and_then(|p| p.line), Some(4), "{problems:?}");
        assert!(
            !s.kinds
                .iter()
                .any(|k| k.name == "weather" || k.name == "empty")
        );
        let (_, problems) = SmallTalkSettings::parse(Path::new("s.yaml"), "kind: {}\n");
        assert!(
            problems[0].message.contains("unknown field"),
            "{problems:?}"
        );
    }
}
