//! An answer as it is sent: the answer's text, a blank line, the footer;
//! and its length as Telegram counts it, which content must keep under one
//! message's limit. Here, below both `content`'s checks and the replies
//! that use it, so that checking content needs nothing from the engine.

use crate::markdown;

/// Telegram's limit for one message, in UTF-16 code units.
pub const TELEGRAM_MESSAGE_LIMIT: usize = 4096;

/// Length as Telegram counts it: UTF-16 code units.
pub fn telegram_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// An answer as the user reads it: the answer, a blank line, the footer.
pub fn answer_text(answer_markdown: &str, footer: &str) -> String {
    format!("{}\n\n{}", markdown::to_plain(answer_markdown), footer)
}

/// The answer's length with the footer, as Telegram counts it. Rendering
/// never lengthens Markdown except for links (the URL is shown), and UTF-16
/// never has more units than UTF-8 has bytes, so short link-free answers
/// are known to fit without rendering them.
pub fn answer_len(answer: &str, footer: &str) -> usize {
    let upper = answer.len() + 2 + footer.len();
    if upper <= TELEGRAM_MESSAGE_LIMIT && !answer.contains('[') {
        return upper.min(telegram_len(answer) + 2 + telegram_len(footer));
    }
    telegram_len(&answer_text(answer, footer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Settings;

    #[test]
    fn answers_carry_the_footer() {
        let s = Settings::default();
        let text = answer_text("Take **200 mg**.", &s.footer);
        assert!(text.starts_with("Take 200 mg.\n\n"));
        assert!(text.ends_with(&s.footer));
    }

    #[test]
    fn answer_len_matches_the_rendered_length() {
        let footer = Settings::default().footer;
        for answer in [
            "Take **200 mg**.\n\n- a\n- b",
            "See [the site](https://example.org) & more",
            "é🙂",
        ] {
            let rendered = telegram_len(&answer_text(answer, &footer));
            let len = answer_len(answer, &footer);
            assert!(len >= rendered, "{answer:?}: {len} < {rendered}");
            if answer.contains('[') {
                assert_eq!(len, rendered, "links are measured rendered");
            }
        }
    }

    #[test]
    fn telegram_counts_utf16_units() {
        assert_eq!(telegram_len("ab"), 2);
        assert_eq!(telegram_len("🙂"), 2);
    }
}
