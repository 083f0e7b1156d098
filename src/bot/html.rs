//! Telegram's HTML flavour: the only markup the bot sends.
//!
//! Telegram's HTML parse mode accepts only a handful of tags (`<b> <i>
//! <code> <pre> <a>` among them) and rejects a whole message containing a
//! stray `<` or `&`. So every character that came from a curator or a user
//! goes through [`escape`], and answers are rendered by the shared Markdown
//! walk with [`TelegramHtml`], which emits only those tags. Telegram has no
//! headings or quotes the bot relies on: a heading is a bold line, a quote
//! an italic block.

use crate::markdown::{self, Markup, Span};

/// Escapes text for Telegram HTML: `&`, `<`, `>`, and `"` for attributes.
pub fn escape(text: &str) -> String {
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

/// A curator's Markdown answer as Telegram HTML.
pub fn from_markdown(answer: &str) -> String {
    markdown::render(answer, &TelegramHtml)
}

/// The [`Markup`] for Telegram's HTML parse mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct TelegramHtml;

impl Markup for TelegramHtml {
    fn open(&self, out: &mut String, span: Span<'_>) {
        match span {
            Span::Strong | Span::Heading => out.push_str("<b>"),
            Span::Emphasis | Span::BlockQuote => out.push_str("<i>"),
            Span::Code => out.push_str("<code>"),
            Span::CodeBlock => out.push_str("<pre>"),
            Span::Link(url) => out.push_str(&format!("<a href=\"{}\">", escape(url))),
        }
    }

    fn close(&self, out: &mut String, span: Span<'_>) {
        out.push_str(match span {
            Span::Strong | Span::Heading => "</b>",
            Span::Emphasis | Span::BlockQuote => "</i>",
            Span::Code => "</code>",
            Span::CodeBlock => "</pre>",
            Span::Link(_) => "</a>",
        });
    }

    fn text(&self, out: &mut String, text: &str) {
        out.push_str(&escape(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_telegram_tags_and_escapes() {
        assert_eq!(
            from_markdown(
                "Take **200–400 mg** a *day*.\n\n- leafy greens\n- nuts & seeds\n\nSee `doctor`."
            ),
            "Take <b>200–400 mg</b> a <i>day</i>.\n\n• leafy greens\n• nuts &amp; seeds\n\nSee <code>doctor</code>."
        );
    }

    #[test]
    fn raw_html_is_escaped_not_interpreted() {
        let html = from_markdown("a <script>x</script> & <b>b</b>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    #[test]
    fn links_and_headings() {
        assert_eq!(
            from_markdown("[a&b](https://x.org/?a=1&b=\"2\")"),
            "<a href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\">a&amp;b</a>"
        );
        assert_eq!(from_markdown("# Title\ntext"), "<b>Title</b>\n\ntext");
        assert_eq!(
            from_markdown("```\ncode <x>\n```"),
            "<pre>code &lt;x&gt;</pre>"
        );
        assert_eq!(from_markdown("> quoted"), "<i>quoted</i>");
    }
}
