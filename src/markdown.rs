//! Renders curators' Markdown answers as plain text or Telegram HTML.
//!
//! Telegram's HTML parse mode accepts only a handful of tags and rejects a
//! message containing a stray `<` or `&`, so the renderer emits only those
//! tags and escapes every character that came from a curator. Lists become
//! bullet lines, because Telegram has no list markup.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// No markup at all: for the command line and length checks.
    Plain,
    /// Telegram's HTML subset (`<b> <i> <code> <pre> <a>`), everything escaped.
    TelegramHtml,
}

/// Escapes text for Telegram HTML: only `&`, `<`, `>` (and `"` for attributes).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

pub fn to_plain(markdown: &str) -> String {
    render(markdown, Flavor::Plain)
}

pub fn to_telegram_html(markdown: &str) -> String {
    render(markdown, Flavor::TelegramHtml)
}

/// Renders Markdown; paragraphs and lists are separated by blank lines.
pub fn render(markdown: &str, flavor: Flavor) -> String {
    let html = flavor == Flavor::TelegramHtml;
    let mut out = String::new();
    // Stack of open lists: None for bullets, Some(n) for the next number.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link_urls: Vec<String> = Vec::new();
    let tag = |out: &mut String, t: &str| {
        if html {
            out.push_str(t);
        }
    };
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => block_end(&mut out, !lists.is_empty()),
            // Telegram has no headings: any level is a bold line.
            Event::Start(Tag::Heading { .. }) => tag(&mut out, "<b>"),
            Event::End(TagEnd::Heading(_)) => {
                tag(&mut out, "</b>");
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
            Event::Start(Tag::Strong) => tag(&mut out, "<b>"),
            Event::End(TagEnd::Strong) => tag(&mut out, "</b>"),
            Event::Start(Tag::Emphasis) => tag(&mut out, "<i>"),
            Event::End(TagEnd::Emphasis) => tag(&mut out, "</i>"),
            Event::Start(Tag::CodeBlock(_)) => tag(&mut out, "<pre>"),
            Event::End(TagEnd::CodeBlock) => {
                while out.ends_with('\n') {
                    out.pop();
                }
                tag(&mut out, "</pre>");
                block_end(&mut out, false);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if html {
                    out.push_str(&format!("<a href=\"{}\">", escape_html(&dest_url)));
                }
                link_urls.push(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => {
                let url = link_urls.pop().unwrap_or_default();
                if html {
                    out.push_str("</a>");
                } else if !url.is_empty() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::Start(Tag::BlockQuote(_)) => tag(&mut out, "<i>"),
            Event::End(TagEnd::BlockQuote(_)) => {
                trim_trailing_newlines(&mut out);
                tag(&mut out, "</i>");
                block_end(&mut out, false);
            }
            Event::Text(text) => push_text(&mut out, &text, html),
            Event::Code(code) => {
                tag(&mut out, "<code>");
                push_text(&mut out, &code, html);
                tag(&mut out, "</code>");
            }
            // Raw HTML from a curator is shown as text, never interpreted.
            Event::Html(raw) | Event::InlineHtml(raw) => push_text(&mut out, &raw, html),
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

fn push_text(out: &mut String, text: &str, html: bool) {
    if html {
        out.push_str(&escape_html(text));
    } else {
        out.push_str(text);
    }
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
    fn html_uses_telegram_tags_and_escapes() {
        assert_eq!(
            to_telegram_html(MD),
            "Take <b>200–400 mg</b> a <i>day</i>.\n\n• leafy greens\n• nuts &amp; seeds\n\nSee <code>doctor</code>."
        );
    }

    #[test]
    fn raw_html_is_escaped_not_interpreted() {
        let html = to_telegram_html("a <script>x</script> & <b>b</b>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    #[test]
    fn ordered_lists_links_and_headings() {
        assert_eq!(to_plain("1. one\n2. two"), "1. one\n2. two");
        assert_eq!(to_plain("[site](https://x.org)"), "site (https://x.org)");
        assert_eq!(
            to_telegram_html("[a&b](https://x.org/?a=1&b=\"2\")"),
            "<a href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\">a&amp;b</a>"
        );
        assert_eq!(to_telegram_html("# Title\ntext"), "<b>Title</b>\n\ntext");
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
