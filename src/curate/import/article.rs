//! Articles (plain text or Markdown) as question-and-answer pairs.
//!
//! Source articles are written for reading, not as FAQs, but they are built
//! the same way: a heading or a question, then the paragraphs that answer
//! it. A *question* is a line ending in "?" (numbered or not: "2. How long
//! does it take?"); a *heading* is a Markdown `#` heading or, in plain text,
//! a short line with no closing punctuation ("Daily Magnesium
//! Requirements"). Everything up to the next question or heading is the
//! answer.
//!
//! Articles also have parts that are not answers, and drafting them would
//! only give curators entries to delete; these are skipped, with the reason:
//! the introduction before the first question (in Markdown, the article's
//! `# Title` and the text under it), section titles with nothing
//! under them, a heading whose only text is a one-line lead-in to the
//! sections below it ("Not all supplements are created equal."), and the
//! conclusion (a "Conclusion" heading or an "In conclusion, ..." paragraph).

use super::{Candidate, Parsed, Skipped};

/// A heading with fewer words than this under it, and no question mark, is
/// a lead-in to the sections below it, not an answer.
const MIN_ANSWER_WORDS: usize = 8;
/// Longer lines are prose, not headings or questions.
const MAX_HEADING_WORDS: usize = 14;
const MAX_QUESTION_WORDS: usize = 30;

/// Headings that name a part of the article rather than a topic.
const NOT_TOPICS: &[&str] = &[
    "conclusion",
    "conclusions",
    "summary",
    "in summary",
    "introduction",
    "references",
    "sources",
    "further reading",
    "table of contents",
    "contents",
    "disclaimer",
    "final thoughts",
    "key takeaways",
];

/// Paragraphs opening like this close the article's last section.
const CLOSINGS: &[&str] = &[
    "in conclusion",
    "in summary",
    "to sum up",
    "to conclude",
    "in closing",
];

/// What a line is, before sections are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Question,
    Heading,
    Body,
}

/// A run of text lines: one paragraph or list.
#[derive(Debug)]
struct Block<'a> {
    line: usize,
    lines: Vec<&'a str>,
}

#[derive(Debug)]
struct Section<'a> {
    line: usize,
    title: String,
    question: bool,
    body: Vec<Block<'a>>,
    /// Set when a closing paragraph ended the section.
    closed: bool,
    /// A Markdown article's `# Title` before any other heading: its text is
    /// the introduction.
    title_of_article: bool,
}

/// Parses an article. `markdown` says whether to keep the body as Markdown
/// (`.md` files) or treat it as plain text (`.txt`), where every line is a
/// paragraph unless the file separates paragraphs with blank lines.
pub fn parse(text: &str, markdown: bool) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .collect();
    let blocks = blocks(&lines, markdown);

    let mut parsed = Parsed::default();
    let mut intro: Option<(usize, usize)> = None;
    let mut current: Option<Section<'_>> = None;
    let mut closing: Option<(usize, usize)> = None;
    for block in blocks {
        let mut rest = &block.lines[..];
        let mut line = block.line;
        while let Some((&first, tail)) = rest.split_first() {
            let after_question = current
                .as_ref()
                .is_some_and(|s| s.question && s.body.is_empty() && s.line + 1 == line);
            let kind = if after_question {
                // The line right after a question answers it, however short
                // ("Yes, within the recommended dose").
                Kind::Body
            } else {
                classify(
                    first,
                    rest.len() == block.lines.len() && tail.is_empty(),
                    markdown,
                )
            };
            if kind == Kind::Body {
                let body = Block {
                    line,
                    lines: rest.to_vec(),
                };
                if starts_closing(first) {
                    if let Some(s) = current.as_mut() {
                        s.closed = true;
                    }
                    let end = line + rest.len() - 1;
                    closing = Some(closing.map_or((line, end), |(a, _)| (a, end)));
                } else if let Some(s) = current.as_mut().filter(|s| !s.closed) {
                    s.body.push(body);
                } else if current.is_none() {
                    let end = line + rest.len() - 1;
                    intro = Some(intro.map_or((line, end), |(a, _)| (a, end)));
                } else {
                    let end = line + rest.len() - 1;
                    closing = Some(closing.map_or((line, end), |(a, _)| (a, end)));
                }
                break;
            }
            let first_section =
                current.is_none() && parsed.candidates.is_empty() && parsed.skipped.is_empty();
            if let Some(done) = current.take() {
                finish(done, markdown, &mut parsed);
            }
            current = Some(Section {
                line,
                title: clean_title(first),
                question: kind == Kind::Question,
                body: Vec::new(),
                closed: false,
                title_of_article: markdown
                    && first_section
                    && kind == Kind::Heading
                    && first.trim_start().starts_with("# "),
            });
            rest = tail;
            line += 1;
        }
    }
    if let Some(done) = current.take() {
        finish(done, markdown, &mut parsed);
    }
    if let Some(lines) = intro {
        parsed.skipped.push(Skipped {
            lines: Some(lines),
            text: String::new(),
            why: "the introduction before the first question".into(),
        });
    }
    if let Some(lines) = closing {
        parsed.skipped.push(Skipped {
            lines: Some(lines),
            text: String::new(),
            why: "the article's closing paragraph, not an answer".into(),
        });
    }
    parsed.skipped.sort_by_key(|s| s.lines);
    parsed
}

/// Splits the lines into blocks. Markdown, and plain text that separates
/// paragraphs with blank lines, split at blank lines; plain text without
/// blank lines has one paragraph per line, with list items kept together.
fn blocks<'a>(lines: &[(usize, &'a str)], markdown: bool) -> Vec<Block<'a>> {
    let first = lines.iter().position(|(_, l)| !l.trim().is_empty());
    let last = lines.iter().rposition(|(_, l)| !l.trim().is_empty());
    let content = match (first, last) {
        (Some(a), Some(b)) => &lines[a..=b],
        _ => return Vec::new(),
    };
    let by_blank_lines = markdown || content.iter().any(|(_, l)| l.trim().is_empty());
    let mut blocks: Vec<Block<'a>> = Vec::new();
    let mut in_fence = false;
    for &(n, line) in content {
        let blank = line.trim().is_empty();
        let fence = markdown && line.trim_start().starts_with("```");
        let continues = match blocks.last() {
            None => false,
            Some(_) if in_fence => true,
            // A Markdown heading is a block of its own.
            Some(prev) if by_blank_lines => {
                prev.line + prev.lines.len() == n
                    && !(markdown
                        && (is_atx_heading(line)
                            || prev.lines.last().is_some_and(|l| is_atx_heading(l))))
            }
            Some(prev) => {
                prev.line + prev.lines.len() == n
                    && list_item(line).is_some()
                    && prev.lines.last().is_some_and(|l| list_item(l).is_some())
            }
        };
        if fence {
            in_fence = !in_fence;
        }
        if blank && !in_fence {
            continue;
        }
        match blocks.last_mut() {
            Some(prev) if continues => prev.lines.push(line),
            _ => blocks.push(Block {
                line: n,
                lines: vec![line],
            }),
        }
    }
    blocks
}

fn classify(line: &str, alone: bool, markdown: bool) -> Kind {
    if markdown && is_atx_heading(line) {
        return if clean_title(line).ends_with('?') {
            Kind::Question
        } else {
            Kind::Heading
        };
    }
    if is_question_line(line) {
        return Kind::Question;
    }
    // In Markdown only `#` lines are headings; in plain text a short line
    // standing alone, with no closing punctuation, is one.
    if !markdown && alone && is_plain_heading(line) {
        return Kind::Heading;
    }
    Kind::Body
}

fn is_atx_heading(line: &str) -> bool {
    let t = line.trim_start();
    let hashes = t.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && t[hashes..].starts_with(' ')
}

/// A line asking one question: ends in "?", is short, and holds no other
/// sentence ("Sound familiar? Many of these overlap." is prose). Bullet
/// items are part of answers; numbered ones can be questions (FAQ lists).
fn is_question_line(line: &str) -> bool {
    if bullet(line).is_some() {
        return false;
    }
    let q = clean_title(line);
    let Some(body) = q.strip_suffix('?').or_else(|| q.strip_suffix('？')) else {
        return false;
    };
    let words = q.split_whitespace().count();
    (2..=MAX_QUESTION_WORDS).contains(&words)
        && !body.contains(". ")
        && !body.contains("? ")
        && !body.contains("! ")
}

/// "Daily Magnesium Requirements", "Frequently Asked Questions (FAQs)".
fn is_plain_heading(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    let starts_well = t
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let ends_well = !t.ends_with(['.', ',', ';', ':', '!', '…']);
    (1..=MAX_HEADING_WORDS).contains(&words)
        && starts_well
        && ends_well
        && list_item(t).is_none()
        && !t.contains(". ")
}

/// The text of a bullet item ("- ", "* ", "• ", "– ").
fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    ["- ", "* ", "• ", "– ", "+ "]
        .iter()
        .find_map(|b| t.strip_prefix(b))
}

/// The text of a bullet or numbered item ("1. ", "2) ").
fn list_item(line: &str) -> Option<&str> {
    bullet(line).or_else(|| strip_number(line.trim_start()))
}

fn strip_number(t: &str) -> Option<&str> {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    t[digits..]
        .strip_prefix(". ")
        .or_else(|| t[digits..].strip_prefix(") "))
}

/// A heading or question without its markup: `#`s, emphasis, numbering and
/// "Q:" prefixes.
fn clean_title(line: &str) -> String {
    let mut t = line.trim();
    if is_atx_heading(t) {
        t = t
            .trim_start_matches('#')
            .trim()
            .trim_end_matches('#')
            .trim();
    }
    for mark in ["**", "__", "*", "_"] {
        if let Some(inner) = t.strip_prefix(mark).and_then(|s| s.strip_suffix(mark)) {
            t = inner.trim();
        }
    }
    if let Some(rest) = strip_number(t) {
        t = rest.trim();
    }
    for prefix in ["Q:", "Q.", "Question:"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim();
        }
    }
    crate::analysis::fold::squash_whitespace(t)
}

fn starts_closing(line: &str) -> bool {
    let lower = line.trim_start().to_lowercase();
    CLOSINGS.iter().any(|c| lower.starts_with(c))
}

/// Turns a finished section into a candidate, or says why it is skipped.
fn finish(section: Section<'_>, markdown: bool, parsed: &mut Parsed) {
    let skip = |why: String| Skipped::at(section.line, section.title.clone(), why);
    let words: usize = section
        .body
        .iter()
        .flat_map(|b| &b.lines)
        .map(|l| l.split_whitespace().count())
        .sum();
    let topic = section.title.to_lowercase();
    let topic = topic.trim_end_matches(|c: char| !c.is_alphanumeric());
    if section.title_of_article {
        parsed
            .skipped
            .push(skip("the article's title and its introduction".into()));
    } else if !section.question && NOT_TOPICS.contains(&topic) {
        parsed
            .skipped
            .push(skip("a part of the article, not a question".into()));
    } else if section.body.is_empty() {
        parsed.skipped.push(skip(
            "a section title with no text of its own under it".into(),
        ));
    } else if !section.question && words < MIN_ANSWER_WORDS && section.body.len() == 1 {
        parsed.skipped.push(skip(format!(
            "only {words} words under it: a lead-in to the sections below it, not an answer"
        )));
    } else {
        let notes = if section.question {
            Vec::new()
        } else {
            vec!["the question is the article's heading: reword it as people would ask it".into()]
        };
        parsed.candidates.push(Candidate {
            line: section.line,
            question: section.title.clone(),
            alternates: Vec::new(),
            answer: Some(answer(&section.body, markdown)),
            notes,
        });
    }
}

/// The answer as Markdown: blocks separated by blank lines. Plain-text
/// bullets become Markdown list items; an "A:" label is dropped.
fn answer(body: &[Block<'_>], markdown: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    for block in body {
        let lines: Vec<String> = block
            .lines
            .iter()
            .map(|l| {
                if markdown {
                    l.to_string()
                } else {
                    match bullet(l) {
                        Some(item) => format!("- {}", item.trim()),
                        None => l.trim().to_string(),
                    }
                }
            })
            .collect();
        out.push(lines.join("\n"));
    }
    let mut text = out.join("\n\n");
    for label in ["A:", "A.", "Answer:"] {
        if let Some(rest) = text.strip_prefix(label) {
            text = rest.trim_start().to_string();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions(p: &Parsed) -> Vec<&str> {
        p.candidates.iter().map(|c| c.question.as_str()).collect()
    }

    #[test]
    fn plain_text_with_one_paragraph_per_line() {
        let text = "Intro paragraph that sets the scene for everything.\nWhat Causes RLS?\nThe exact cause is unknown, but several factors may contribute:\n- Genetics: it runs in families.\n• Iron: low levels.\nDaily Magnesium Requirements\nAdults typically need between 310–420 mg of magnesium daily.\nBest Types of Magnesium\nNot all supplements are equal.\nMagnesium Glycinate\nHighly absorbable and gentle on the stomach, often recommended.\nIn conclusion, magnesium may help some people a lot.\n";
        let p = parse(text, false);
        assert_eq!(
            questions(&p),
            [
                "What Causes RLS?",
                "Daily Magnesium Requirements",
                "Magnesium Glycinate"
            ]
        );
        assert_eq!(
            p.candidates[0].answer.as_deref(),
            Some(
                "The exact cause is unknown, but several factors may contribute:\n\n- Genetics: it runs in families.\n- Iron: low levels."
            )
        );
        assert_eq!(p.candidates[0].line, 2);
        let skipped: Vec<(String, &str)> = p
            .skipped
            .iter()
            .map(|s| (s.place(), s.why.as_str()))
            .collect();
        assert_eq!(skipped.len(), 3, "{skipped:#?}");
        assert_eq!(skipped[0].0, "line 1");
        assert!(skipped[0].1.contains("introduction"));
        assert_eq!(skipped[1].0, "line 8");
        assert!(skipped[1].1.contains("a lead-in"), "{skipped:?}");
        assert_eq!(skipped[2].0, "line 12");
        assert!(skipped[2].1.contains("closing paragraph"));
    }

    #[test]
    fn numbered_faq_with_short_answers() {
        let text = "Frequently Asked Questions (FAQs)\n1. Can magnesium cure RLS?\nNo, but it may reduce symptoms.\n2. Is magnesium safe to take every day?\nYes, when taken within recommended doses.\n3) Q: Which one is best?\nA: Glycinate.\n";
        let p = parse(text, false);
        assert_eq!(
            questions(&p),
            [
                "Can magnesium cure RLS?",
                "Is magnesium safe to take every day?",
                "Which one is best?"
            ]
        );
        assert_eq!(
            p.candidates[1].answer.as_deref(),
            Some("Yes, when taken within recommended doses.")
        );
        assert_eq!(p.candidates[2].answer.as_deref(), Some("Glycinate."));
        assert!(
            p.skipped[0].why.contains("no text of its own"),
            "{:?}",
            p.skipped
        );
    }

    #[test]
    fn prose_with_question_marks_is_not_a_question() {
        let text = "What is RLS?\nEver tried to relax at night? It is hard. Sound familiar?\nMuscle cramps are common. Sound familiar? Many overlap.\n- Are bullets questions?\n";
        let p = parse(text, false);
        assert_eq!(questions(&p), ["What is RLS?"]);
        assert!(
            p.candidates[0]
                .answer
                .as_deref()
                .unwrap()
                .contains("- Are bullets questions?")
        );
    }

    #[test]
    fn wrapped_plain_text_splits_at_blank_lines() {
        let text = "How long does magnesium take to work\nfor restless legs?\n\nSome people notice a change within days,\nothers need a few weeks\n\nWhy Deficiency Matters\n\nLow magnesium can overstimulate nerves and\nmuscles, making them twitchy.\n";
        let p = parse(text, false);
        // A question wrapped over two lines is not recognised; its first
        // line is prose. The heading standing alone is.
        assert_eq!(questions(&p), ["Why Deficiency Matters"]);
        assert_eq!(
            p.candidates[0].answer.as_deref(),
            Some("Low magnesium can overstimulate nerves and\nmuscles, making them twitchy.")
        );
    }

    #[test]
    fn markdown_headings_and_bold_questions() {
        let text = "# Magnesium and RLS\n\nSome intro.\n\n## What is magnesium glycinate?\n\nA **gentle** form.\n\n- absorbs well\n- calm\n\n**Is it safe every day?**\nYes, within the recommended dose.\n\n## Magnesium Citrate\nAbsorbs well but may have a mild laxative effect for some people.\n\n```\n# not a heading?\n```\n\n## Conclusion\n\nThat's all.\n";
        let p = parse(text, true);
        assert_eq!(
            questions(&p),
            [
                "What is magnesium glycinate?",
                "Is it safe every day?",
                "Magnesium Citrate"
            ]
        );
        assert_eq!(
            p.candidates[0].answer.as_deref(),
            Some("A **gentle** form.\n\n- absorbs well\n- calm")
        );
        assert_eq!(p.candidates[0].line, 5);
        assert!(
            p.candidates[2]
                .answer
                .as_deref()
                .unwrap()
                .contains("# not a heading?")
        );
        let why: Vec<&str> = p.skipped.iter().map(|s| s.why.as_str()).collect();
        assert_eq!(why[0], "the article's title and its introduction");
        assert!(
            why.iter().any(|w| w.contains("a part of the article")),
            "{why:?}"
        );
    }

    #[test]
    fn empty_and_odd_input() {
        assert!(parse("", false).candidates.is_empty());
        assert!(parse("\u{feff}\n\n  \n", true).candidates.is_empty());
        let p = parse("Just one line of prose without any question.", false);
        assert!(p.candidates.is_empty());
        assert_eq!(p.skipped.len(), 1);
        let p = parse("Lonely question at the end?", false);
        assert!(p.skipped[0].why.contains("no text of its own"));
    }
}
