//! Filing questions as outside the FAQ: adding examples to
//! `faq/outside.yaml` without disturbing what curators wrote there.
//!
//! The file is edited as text, not re-serialised: its comments, order and
//! quoting stay as the curators left them. New examples go at the end of
//! their reason's list (a new reason at the end of the file), each as a
//! double-quoted scalar, which YAML reads back exactly whatever the
//! question holds (`:`, `#`, quotes). The result is parsed again before
//! anything is written, so a file this could break is refused instead.

use std::path::Path;

use crate::content::outside::OutsideSettings;

/// What [`file()`] needs to know.
pub struct Filing<'a> {
    /// The reason's key (`other_supplements`).
    pub reason: &'a str,
    /// Its `about:` line, needed when the reason is new.
    pub about: Option<&'a str>,
    pub examples: &'a [String],
}

/// `text` (the current `outside.yaml`, empty when there is none) with the
/// examples added; an error in plain words when that cannot be done.
pub fn file(path: &Path, text: &str, filing: &Filing<'_>) -> Result<String, String> {
    let name = filing.reason;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "`{name}` cannot be a reason: use lowercase letters, digits and `_`, like other_supplements"
        ));
    }
    let (before, problems) = OutsideSettings::parse(path, text);
    if let Some(p) = problems
        .iter()
        .find(|p| p.is_error() && p.message.contains("YAML"))
    {
        return Err(format!("{p}\nFix it first; nothing was changed."));
    }
    let items: String = filing
        .examples
        .iter()
        .map(|e| format!("      - {}\n", quoted(e)))
        .collect();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = format!("  {name}:");
    let out = match lines.iter().position(|l| l.trim_end() == header) {
        Some(at) => {
            // The end of the reason's block: the next line indented no
            // deeper than its key (another reason), or the end.
            let end = lines
                .iter()
                .enumerate()
                .skip(at + 1)
                .find(|(_, l)| !l.trim().is_empty() && indent(l) <= 2)
                .map_or(lines.len(), |(i, _)| i);
            let has_examples = lines[at..end].iter().any(|l| l.trim() == "examples:");
            // After the last non-blank line of the block.
            let last = (at..end)
                .rev()
                .find(|&i| !lines[i].trim().is_empty())
                .unwrap_or(at);
            let insert = if has_examples {
                items
            } else {
                format!("    examples:\n{items}")
            };
            let tail = lines.split_off(last + 1);
            let mut out = lines.join("\n");
            out.push('\n');
            out.push_str(&insert);
            if !tail.is_empty() {
                out.push_str(&tail.join("\n"));
                out.push('\n');
            }
            out
        }
        None => {
            let about = filing.about.map(str::trim).filter(|a| !a.is_empty()).ok_or_else(|| {
                format!(
                    "there is no reason `{name}` in {} yet: say what it covers with --about \"...\" (the reasons there: {})",
                    path.display(),
                    names(&before)
                )
            })?;
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if before.reasons.is_empty() && !text.lines().any(|l| l.trim_end() == "reasons:") {
                out.push_str("reasons:\n");
            }
            out.push_str(&format!(
                "{header}\n    about: {}\n    examples:\n{items}",
                quoted(about)
            ));
            out
        }
    };
    let (after, problems) = OutsideSettings::parse(path, &out);
    let added = after
        .reasons
        .iter()
        .find(|r| r.name == name)
        .is_some_and(|r| {
            filing
                .examples
                .iter()
                .all(|e| r.examples.iter().any(|x| x.text == e.trim()))
        });
    if !added || problems.iter().any(|p| p.message.contains("YAML")) {
        return Err(format!(
            "{} is laid out in a way this command cannot extend safely; add the examples by hand under `{name}:`",
            path.display()
        ));
    }
    Ok(out)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn names(settings: &OutsideSettings) -> String {
    let names: Vec<&str> = settings.reasons.iter().map(|r| r.name.as_str()).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// A double-quoted YAML scalar: JSON's string syntax is valid YAML.
fn quoted(text: &str) -> String {
    serde_json::to_string(text.trim()).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# keep me\nreasons:\n  animals:\n    about: Pets.\n    examples:\n      - is magnesium ok for my dog\n\n  off_topic:\n    about: Else.\n    examples:\n      - tell me a joke\n";

    fn examples(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn examples_go_at_the_end_of_their_reason_and_comments_stay() {
        let new = examples(&["can cats: take it?", "horse # dose"]);
        let out = file(
            Path::new("o.yaml"),
            FILE,
            &Filing {
                reason: "animals",
                about: None,
                examples: &new,
            },
        )
        .unwrap();
        assert!(out.starts_with("# keep me\n"));
        assert!(out.contains("      - is magnesium ok for my dog\n      - \"can cats: take it?\"\n      - \"horse # dose\"\n\n  off_topic:"), "{out}");
        let (s, problems) = OutsideSettings::parse(Path::new("o.yaml"), &out);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.reasons[0].examples.len(), 3);
        assert_eq!(s.reasons[0].examples[2].text, "horse # dose");
    }

    #[test]
    fn a_new_reason_needs_its_about_and_a_new_file_is_made() {
        let new = examples(&["price of magnesium"]);
        let filing = Filing {
            reason: "buying",
            about: None,
            examples: &new,
        };
        let err = file(Path::new("o.yaml"), FILE, &filing).unwrap_err();
        assert!(
            err.contains("--about") && err.contains("animals, off_topic"),
            "{err}"
        );
        let out = file(
            Path::new("o.yaml"),
            "",
            &Filing {
                about: Some("Shops and prices."),
                ..filing
            },
        )
        .unwrap();
        let (s, problems) = OutsideSettings::parse(Path::new("o.yaml"), &out);
        assert!(problems.is_empty(), "{problems:?}\n{out}");
        assert_eq!(s.reasons[0].about, "Shops and prices.");
        assert_eq!(s.reasons[0].examples[0].text, "price of magnesium");
    }

    #[test]
    fn a_broken_file_or_a_bad_name_changes_nothing() {
        let new = examples(&["x"]);
        let filing = |reason| Filing {
            reason,
            about: Some("a"),
            examples: &new,
        };
        let err = file(Path::new("o.yaml"), "reasons: [oops", &filing("animals")).unwrap_err();
        assert!(
            err.contains("not valid YAML") && err.contains("nothing was changed"),
            "{err}"
        );
        let err = file(Path::new("o.yaml"), FILE, &filing("Bad Name")).unwrap_err();
        assert!(err.contains("lowercase"), "{err}");
    }
}
