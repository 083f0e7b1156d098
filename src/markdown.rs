//! The answers' Markdown: parsed once, rendered through a [`Markup`].
//!
//! Curators write answers in simple Markdown. This module walks it and
//! calls a [`Markup`] for each span; the layout (paragraphs, bullet lines,
//! numbered lines) is decided here once for every output, because neither
//! plain text nor Telegram has list markup. [`Plain`] is the markup-free
//! rendering the command line, length checks and matching use; the bot's
//! Telegram HTML flavour lives with the bot (`bot::html`).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// An inline or block span a [`Markup`] may mark up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span<'a> {
    Strong,
    Emphasis,
    /// Inline code.
    Code,
    /// A fenced or indented code block.
    CodeBlock,
    /// A heading of any level (Telegram has none).
    Heading,
    BlockQuote,
    Link(&'a str),
}

/// How spans and text are written into the output.
pub trait Markup {
    fn open(&self, out: &mut String, span: Span<'_>);
    fn close(&self, out: &mut String, span: Span<'_>);
    /// Text from the curator (raw HTML included: it is shown, never
    /// interpreted).
    fn text(&self, out: &mut String, text: &str);
}

/// No markup at all: for the command line, length checks and matching.
/// A link keeps its address in brackets after its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

impl Markup for Plain {
    fn open(&self, _: &mut String, _: Span<'_>) {}

    fn close(&self, out: &mut String, span: Span<'_>) {
        if let Span::Link(url) = span
            && !url.is_empty()
        {
            out.push_str(&format!(" ({url})"));
        }
    }

    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }
}

pub fn to_plain(markdown: &str) -> String {
    render(markdown, &Plain)
}

/// Renders Markdown; paragraphs and lists are separated by blank lines.
pub fn render(markdown: &str, markup: &impl Markup) -> String {
    let mut out = String::new();
    // Stack of open lists: None for bullets, Some(n) for the next number.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link_urls: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => block_end(&mut out, !lists.is_empty()),
            Event::Start(Tag::Heading { .. }) => markup.open(&mut out, Span::Heading),
            Event::End(TagEnd::Heading(_)) => {
                markup.close(&mut out, Span::Heading);
                block_end(&mut out, false);
            }
            Event::Start(Tag::List(start)) => {
                if !lists.is_empty() {
                    newline(&mut out);
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    block_end(&mut out, false);
                }
            }
            Event::Start(Tag::Item) => {
                newline(&mut out);
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::End(TagEnd::Item) => newline(&mut out),
            Event::Start(Tag::Strong) => markup.open(&mut out, Span::Strong),
            Event::End(TagEnd::Strong) => markup.close(&mut out, Span::Strong),
            Event::Start(Tag::Emphasis) => markup.open(&mut out, Span::Emphasis),
            Event::End(TagEnd::Emphasis) => markup.close(&mut out, Span::Emphasis),
            Event::Start(Tag::CodeBlock(_)) => markup.open(&mut out, Span::CodeBlock),
            Event::End(TagEnd::CodeBlock) => {
                trim_trailing_newlines(&mut out);
                markup.close(&mut out, Span::CodeBlock);
                block_end(&mut out, false);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                markup.open(&mut out, Span::Link(&dest_url));
                link_urls.push(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => {
                let url = link_urls.pop().unwrap_or_default();
                markup.close(&mut out, Span::Link(&url));
            }
            Event::Start(Tag::BlockQuote(_)) => markup.open(&mut out, Span::BlockQuote),
            Event::End(TagEnd::BlockQuote(_)) => {
                trim_trailing_newlines(&mut out);
                markup.close(&mut out, Span::BlockQuote);
                block_end(&mut out, false);
            }
            Event::Text(text) => markup.text(&mut out, &text),
            Event::Code(code) => {
                markup.open(&mut out, Span::Code);
                markup.text(&mut out, &code);
                markup.close(&mut out, Span::Code);
            }
            // Raw HTML from a curator is shown as text, never interpreted.
            Event::Html(raw) | Event::InlineHtml(raw) => markup.text(&mut out, &raw),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => {
                out.push_str("———");
                block_end(&mut out, false);
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn trim_trailing_newlines(out: &mut String) {
    while out.ends_with('\n') {
        out.pop();
    }
}

/// Ends a block: a blank line after it, or just a newline inside a list item.
fn block_end(out: &mut String, in_list: bool) {
    trim_trailing_newlines(out);
    if in_list {
        return;
    }
    out.push_str("\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD: &str =
        "Take **200–400 mg** a *day*.\n\n- leafy greens\n- nuts & seeds\n\nSee `doctor`.";

    #[test]
    fn plain_strips_markup() {
        assert_eq!(
            to_plain(MD),
            "Take 200–400 mg a day.\n\n• leafy greens\n• nuts & seeds\n\nSee doctor."
        );
    }

    #[test]
    fn ordered_lists_links_and_headings() {
        assert_eq!(to_plain("1. one\n2. two"), "1. one\n2. two");
        assert_eq!(to_plain("[site](https://x.org)"), "site (https://x.org)");
        assert_eq!(to_plain("# Title\ntext"), "Title\n\ntext");
    }

    #[test]
    fn loose_lists_stay_compact() {
        assert_eq!(to_plain("- a\n\n- b\n\nafter"), "• a\n• b\n\nafter");
    }

    #[test]
    fn nested_lists_are_indented() {
        assert_eq!(to_plain("- a\n  - b\n- c"), "• a\n  • b\n• c");
    }
}
