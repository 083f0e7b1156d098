//! One FAQ entry: a Markdown file with YAML front matter.
//!
//! ```text
//! ---
//! question: How much magnesium should I take for RLS?
//! alternates:
//!   - magnesium dose for rls
//!   - how many mg of mag
//! related:
//!   - best-time-to-take
//! ---
//! Most people benefit from **200–400 mg** per day.
//! ```
//!
//! The file name (without `.md`) is the entry's id, so ids are stable and a
//! curator can find an entry by its id. Parsing never panics: whatever is in
//! the file, the result is an entry or a list of problems naming lines.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::front_matter::{self, TextList};
use super::problem::Problem;
use crate::analysis::fold::squash_whitespace;

/// The line that opens and closes the front matter.
const FENCE: &str = "---";

/// Answers starting with this are drafts made by `faqbot new` or
/// `faqbot import`; `check` refuses them until a curator writes the answer.
pub const PLACEHOLDER_ANSWER: &str = "TODO: write the answer";

/// `status: needs-review` marks a draft whose answer came from a curator's
/// reply in Telegram rather than from the source articles; `check`
/// refuses it until someone has checked it and deleted the line.
pub const NEEDS_REVIEW: &str = "needs-review";

/// A parsed, not yet cross-checked, FAQ entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable id: the file name without extension.
    pub id: String,
    /// The file it was read from (empty for entries made in memory), for
    /// problems that name it.
    pub path: PathBuf,
    pub question: String,
    pub alternates: Vec<String>,
    /// The answer as the curator wrote it (Markdown).
    pub answer: String,
    pub related: Vec<String>,
    /// Where each piece sits in the file, for problems found later
    /// (duplicate phrasings, unknown related ids, over-long answers).
    pub lines: EntryLines,
}

/// 1-based line numbers of an entry's parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryLines {
    pub question: usize,
    pub alternates: Vec<usize>,
    pub related: Vec<usize>,
    pub answer: usize,
}

impl Entry {
    /// The main question followed by the alternates: every phrasing that
    /// should route to this entry.
    pub fn phrasings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.question.as_str()).chain(self.alternates.iter().map(String::as_str))
    }

    /// The entry's file: where it was read from, or where it would be in
    /// `dir` when it was made in memory.
    pub fn file(&self, dir: &Path) -> PathBuf {
        if self.path.as_os_str().is_empty() {
            dir.join(format!("{}.md", self.id))
        } else {
            self.path.clone()
        }
    }

    /// Line of the n-th phrasing (0 is the main question).
    pub fn phrasing_line(&self, n: usize) -> usize {
        if n == 0 {
            self.lines.question
        } else {
            self.lines
                .alternates
                .get(n - 1)
                .copied()
                .unwrap_or(self.lines.question)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    question: Option<String>,
    // `related: dosage` and a list mean the same: both are accepted.
    #[serde(default)]
    alternates: TextList,
    #[serde(default)]
    related: TextList,
    status: Option<String>,
    /// Translations only: the digest of the English entry translated.
    translated_from: Option<String>,
}

/// Turns a file name into an entry id, or says why it can't be one.
pub fn id_from_path(path: &Path) -> Result<String, String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| "the file name is not valid UTF-8: rename it".to_string())?;
    let id = stem.to_lowercase();
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if valid {
        Ok(id)
    } else {
        Err(format!(
            "the file name `{stem}` is the entry's id and may only use letters a-z, digits, `-` and `_`: rename it, e.g. `{}.md`",
            suggest_id(stem)
        ))
    }
}

/// Makes an id out of free text: "How much Mg?" -> "how-much-mg".
pub fn suggest_id(text: &str) -> String {
    let mut id = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.to_ascii_lowercase());
    }
    if id.is_empty() {
        "entry".to_string()
    } else {
        id
    }
}

/// Where a file's front matter is, as indices of its lines.
enum Fences {
    /// The opening and closing `---` lines.
    Found { open: usize, close: usize },
    /// Nothing but blank lines.
    Blank,
    /// The first non-blank line (this one) is not `---`.
    NotFirst(usize),
    /// Opened on this line, never closed.
    Unclosed(usize),
}

fn fences(lines: &[&str]) -> Fences {
    let Some(open) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Fences::Blank;
    };
    if lines[open].trim_end() != FENCE {
        return Fences::NotFirst(open);
    }
    match lines[open + 1..].iter().position(|l| l.trim_end() == FENCE) {
        Some(i) => Fences::Found {
            open,
            close: open + 1 + i,
        },
        None => Fences::Unclosed(open),
    }
}

/// The question and alternates a file declares, even when the rest of it
/// has problems (a placeholder or missing answer, an unknown key): drafts
/// must not reuse them, since the file will be an entry once fixed. A file
/// whose front matter cannot be read declares nothing.
pub fn declared_phrasings(text: &str) -> Vec<String> {
    /// Only the keys wanted, ignoring any others.
    #[derive(Deserialize)]
    struct Declared {
        question: Option<String>,
        #[serde(default)]
        alternates: TextList,
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let Fences::Found { open, close } = fences(&lines) else {
        return Vec::new();
    };
    match serde_norway::from_str::<Declared>(&lines[open + 1..close].join("\n")) {
        Ok(d) => d.question.into_iter().chain(d.alternates.0).collect(),
        Err(_) => Vec::new(),
    }
}

/// Parses one entry file's text. `path` is used for problems and the id.
pub fn parse(path: &Path, text: &str) -> Result<Entry, Vec<Problem>> {
    let (id, problems) = match id_from_path(path) {
        Ok(id) => (id, Vec::new()),
        Err(msg) => (String::new(), vec![Problem::error(path, None, msg)]),
    };
    let parsed = parse_as(path, text, id, problems)?;
    if let Some((_, line)) = parsed.translated_from {
        return Err(vec![Problem::error(
            path,
            Some(line),
            "`translated_from:` belongs in a translation, a file named after its entry and language (`iron-deficiency.es.md`): delete the line, or rename the file if it is a translation",
        )]);
    }
    Ok(parsed.entry)
}

/// An entry file read: the entry, and what only a translation may hold.
pub(super) struct Parsed {
    pub(super) entry: Entry,
    /// `translated_from:` and its line.
    pub(super) translated_from: Option<(String, usize)>,
}

/// Parses an entry-shaped file (an entry or a translation) as entry `id`,
/// adding to `problems` found already.
pub(super) fn parse_as(
    path: &Path,
    text: &str,
    id: String,
    mut problems: Vec<Problem>,
) -> Result<Parsed, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        problems.push(Problem::error(
            path,
            None,
            "the file is empty: write front matter (`---`, `question: ...`, `---`) and then the answer",
        ));
        return Err(problems);
    }

    let lines: Vec<&str> = text.lines().collect();
    let (open, close) = match fences(&lines) {
        Fences::Found { open, close } => (open, close),
        Fences::Blank => return Err(problems),
        Fences::NotFirst(line) => {
            problems.push(Problem::error(
                path,
                Some(line + 1),
                "the file must start with front matter: a line `---`, then `question: ...` and `alternates:`, then another `---`, then the answer",
            ));
            return Err(problems);
        }
        Fences::Unclosed(open) => {
            problems.push(Problem::error(
                path,
                Some(open + 1),
                "the front matter opened here is never closed: add a line `---` after the alternates, before the answer",
            ));
            return Err(problems);
        }
    };

    let front_text = lines[open + 1..close].join("\n");
    // Line numbers inside the front matter start after the opening fence.
    let front_offset = open + 1;
    let front: FrontMatter = if front_text.trim().is_empty() {
        FrontMatter {
            question: None,
            alternates: TextList::default(),
            related: TextList::default(),
            status: None,
            translated_from: None,
        }
    } else {
        // Curators' usual mistakes first, each on its own line in plain
        // words; the parser only judges what looks right.
        let mistakes = front_matter::lint(&lines[open + 1..close], open + 2);
        if !mistakes.is_empty() {
            problems.extend(
                mistakes
                    .into_iter()
                    .map(|(line, message)| Problem::error(path, Some(line), message)),
            );
            return Err(problems);
        }
        match serde_norway::from_str(&front_text) {
            Ok(front) => front,
            Err(err) => {
                let line = err.location().map(|l| l.line() + front_offset);
                problems.push(Problem::error(
                    path,
                    line.or(Some(open + 1)),
                    front_matter::plain_message(&err.to_string()),
                ));
                return Err(problems);
            }
        }
    };

    let front_lines = &lines[open + 1..close];
    let line_of = |needle: &str, key: &str| -> usize {
        find_line(front_lines, needle, key).map_or(open + 1, |i| i + front_offset + 1)
    };

    let question = front
        .question
        .map(|q| squash_whitespace(&q))
        .unwrap_or_default();
    let question_line = line_of("", "question");
    if question.is_empty() {
        problems.push(Problem::error(
            path,
            Some(question_line),
            "missing question: add a line `question: ...` to the front matter",
        ));
    }

    let mut alternates = Vec::new();
    let mut alternate_lines = Vec::new();
    for alt in front.alternates.0 {
        let alt = squash_whitespace(&alt);
        let line = line_of(&alt, "alternates");
        if alt.is_empty() {
            problems.push(Problem::error(
                path,
                Some(line),
                "an alternate is empty: delete the line or write a phrasing",
            ));
            continue;
        }
        alternates.push(alt);
        alternate_lines.push(line);
    }

    let mut related = Vec::new();
    let mut related_lines = Vec::new();
    for rel in front.related.0 {
        let rel = rel.trim().to_lowercase();
        let rel = rel.strip_suffix(".md").unwrap_or(&rel).to_string();
        related_lines.push(line_of(&rel, "related"));
        related.push(rel);
    }

    if let Some(status) = &front.status {
        let line = Some(line_of("", "status"));
        let message = if status.trim() == NEEDS_REVIEW {
            "this draft is marked `status: needs-review`: its answer came from a person's reply, not from the source articles. Check every fact against the articles, fix the answer, then delete this line".to_string()
        } else {
            format!(
                "unknown status `{}`: the only status is `{NEEDS_REVIEW}`, for drafts still to be checked; delete the line once the entry is ready",
                status.trim()
            )
        };
        problems.push(Problem::error(path, line, message));
    }

    let answer_line = close + 2;
    let answer = lines
        .get(close + 1..)
        .map(|rest| rest.join("\n"))
        .unwrap_or_default()
        .trim()
        .to_string();
    if answer.is_empty() {
        problems.push(Problem::error(
            path,
            Some(answer_line.min(lines.len().max(1))),
            "missing answer: write the answer below the closing `---`",
        ));
    } else if answer.starts_with(PLACEHOLDER_ANSWER) {
        problems.push(Problem::error(
            path,
            Some(answer_line),
            "the answer is still the placeholder: replace it with the real answer, using facts from the source articles",
        ));
    }

    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let translated_from = front
        .translated_from
        .map(|digest| (digest.trim().to_string(), line_of("", "translated_from")));
    Ok(Parsed {
        entry: Entry {
            id,
            path: path.to_path_buf(),
            question,
            alternates,
            answer,
            related,
            lines: EntryLines {
                question: question_line,
                alternates: alternate_lines,
                related: related_lines,
                answer: answer_line,
            },
        },
        translated_from,
    })
}

/// Finds the line (index into `lines`) holding `needle`, searching after the
/// line that starts `key:`. Good enough to point a curator at the right spot.
fn find_line(lines: &[&str], needle: &str, key: &str) -> Option<usize> {
    let key_line = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))?;
    if needle.is_empty() {
        return Some(key_line);
    }
    // Usually the text stands on its line as written: find it without
    // allocating, and only then try harder (case, folded whitespace).
    if let Some(i) = lines[key_line..].iter().position(|l| l.contains(needle)) {
        return Some(i + key_line);
    }
    let needle = needle.to_lowercase();
    lines[key_line..]
        .iter()
        .position(|l| squash_whitespace(&l.to_lowercase()).contains(&needle))
        .map(|i| i + key_line)
        .or(Some(key_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> &Path {
        Path::new(name)
    }

    fn messages(r: Result<Entry, Vec<Problem>>) -> Vec<String> {
        r.expect_err("expected problems")
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    const GOOD: &str = "---\nquestion: How much magnesium?\nalternates:\n  - mag dose\n  - how many mg\nrelated: [timing]\n---\nTake **200–400 mg**.\n";

    #[test]
    fn drafts_needing_review_are_refused_on_their_status_line() {
        let text = "---\nquestion: Q?\nstatus: needs-review\n---\nAn answer.\n";
        let problems = parse(p("drafts/q.md"), text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(3));
        assert!(problems[0].message.contains("needs-review"));
        let text = "---\nquestion: Q?\nstatus: done\n---\nAn answer.\n";
        let problems = parse(p("drafts/q.md"), text).unwrap_err();
        assert!(problems[0].message.contains("unknown status `done`"));
    }

    #[test]
    fn parses_a_good_entry_with_lines() {
        let e = parse(p("faq/dose.md"), GOOD).unwrap();
        assert_eq!(e.id, "dose");
        assert_eq!(e.question, "How much magnesium?");
        assert_eq!(e.alternates, vec!["mag dose", "how many mg"]);
        assert_eq!(e.related, vec!["timing"]);
        assert_eq!(e.answer, "Take **200–400 mg**.");
        assert_eq!(e.lines.question, 2);
        assert_eq!(e.lines.alternates, vec![4, 5]);
        assert_eq!(e.lines.related, vec![6]);
        assert_eq!(e.lines.answer, 8);
        assert_eq!(e.phrasings().count(), 3);
    }

    #[test]
    fn accepts_bom_crlf_and_single_strings() {
        let text = "\u{feff}---\r\nquestion: Q?\r\nalternates: just one\r\nrelated: other.md\r\n---\r\nA.\r\n";
        let e = parse(p("faq/x.md"), text).unwrap();
        assert_eq!(e.alternates, vec!["just one"]);
        assert_eq!(e.related, vec!["other"]);
        assert_eq!(e.answer, "A.");
    }

    #[test]
    fn empty_file() {
        let m = messages(parse(p("faq/x.md"), "  \n\n"));
        assert!(m[0].contains("the file is empty"), "{m:?}");
    }

    #[test]
    fn no_front_matter() {
        let m = messages(parse(p("faq/x.md"), "Just an answer\n"));
        assert!(
            m[0].starts_with("faq/x.md:1: error: the file must start with front matter"),
            "{m:?}"
        );
    }

    #[test]
    fn unclosed_front_matter() {
        let m = messages(parse(p("faq/x.md"), "---\nquestion: Q?\nanswer here\n"));
        assert!(
            m[0].contains(":1: error: the front matter opened here is never closed"),
            "{m:?}"
        );
    }

    #[test]
    fn invalid_yaml_names_the_line() {
        let text = "---\nquestion: Q?\nalternates:\n  - fine\n  - [broken\n---\nA\n";
        let m = messages(parse(p("faq/x.md"), text));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("faq/x.md:5: error: this alternate starts with `[`"),
            "{m:?}"
        );
        assert!(m[0].contains("like - \"[broken\""), "{m:?}");
        // What the line-by-line reading leaves to the parser still names
        // a line, in plain words.
        let text = "---\nquestion: Q?\nalternates: [fine, not closed\n---\nA\n";
        let m = messages(parse(p("faq/x.md"), text));
        assert!(m[0].starts_with("faq/x.md:"), "{m:?}");
        assert!(m[0].contains("double quotes"), "{m:?}");
    }

    #[test]
    fn unknown_key_is_an_error() {
        let text = "---\nquestion: Q?\nalternate:\n  - typo in key\n---\nA\n";
        let m = messages(parse(p("faq/x.md"), text));
        assert_eq!(
            m,
            [
                "faq/x.md:3: error: `alternate` is not something an entry can have: did you mean `alternates`? (keys are written in lower case: question, alternates, related)"
            ]
        );
    }

    #[test]
    fn missing_question_and_answer_reported_together() {
        let text = "---\nalternates:\n  - a\n---\n\n";
        let m = messages(parse(p("faq/x.md"), text));
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("missing question"));
        assert!(m[1].contains("missing answer"));
    }

    #[test]
    fn blank_question_and_empty_alternate() {
        let text = "---\nquestion: \"  \"\nalternates:\n  - \"\"\n---\nA\n";
        let m = messages(parse(p("faq/x.md"), text));
        assert!(m.iter().any(|m| m.contains("missing question")), "{m:?}");
        assert!(
            m.iter().any(|m| m.contains("an alternate is empty")),
            "{m:?}"
        );
    }

    #[test]
    fn placeholder_answer_is_refused() {
        let text = format!("---\nquestion: Q?\n---\n{PLACEHOLDER_ANSWER}\n");
        let m = messages(parse(p("faq/x.md"), &text));
        assert!(
            m[0].contains(":4: error: the answer is still the placeholder"),
            "{m:?}"
        );
    }

    #[test]
    fn bad_file_name() {
        let m = messages(parse(p("faq/How Much?.md"), GOOD));
        assert!(m[0].contains("rename it, e.g. `how-much.md`"), "{m:?}");
    }

    #[test]
    fn wrong_types_do_not_panic() {
        for text in [
            "---\nquestion: [1, 2]\n---\nA\n",
            "---\nquestion: Q\nalternates: {a: b}\n---\nA\n",
            "---\n- just\n- a list\n---\nA\n",
            "---\n: :\n---\nA\n",
            "---\n---\n",
            "---\n",
        ] {
            assert!(parse(p("faq/x.md"), text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn declared_phrasings_survive_answer_problems() {
        let text =
            format!("---\nquestion: Q?\nalternates: [a, b]\nnotes: x\n---\n{PLACEHOLDER_ANSWER}\n");
        assert_eq!(declared_phrasings(&text), ["Q?", "a", "b"]);
        assert!(declared_phrasings("no front matter").is_empty());
        assert!(declared_phrasings("---\nquestion: [\n---\n").is_empty());
    }

    #[test]
    fn suggest_id_makes_slugs() {
        assert_eq!(suggest_id("How much Mg?"), "how-much-mg");
        assert_eq!(suggest_id("???"), "entry");
    }
}
