//! What faqbot says, as plain text: answers with the disclaimer footer, and
//! the honest no-match reply. The Telegram front end renders the same parts
//! as HTML; lengths are checked on this plain form.

use crate::content::{Entry, Settings};
use crate::engine::Outcome;
use crate::{markdown, text};

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
    if upper <= text::TELEGRAM_MESSAGE_LIMIT && !answer.contains('[') {
        return upper.min(text::telegram_len(answer) + 2 + text::telegram_len(footer));
    }
    text::telegram_len(&answer_text(answer, footer))
}

/// The no-match reply, with "did you mean" questions when there are any.
/// The emergency line comes right after the apology, before any list, so
/// it is never lost below the suggestions.
pub fn no_match_text(settings: &Settings, suggestions: &[&Entry]) -> String {
    let mut text = format!("{}\n\n{}", settings.no_match, settings.emergency_line);
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean:");
        for entry in suggestions {
            text.push_str("\n• ");
            text.push_str(&entry.question);
        }
    }
    text
}

/// The whole reply to a question, in plain text.
pub fn plain(outcome: &Outcome<'_>, settings: &Settings) -> String {
    match outcome {
        Outcome::Answer { entry, .. } => answer_text(&entry.answer, &settings.footer),
        Outcome::NoMatch { suggestions, .. } => no_match_text(settings, suggestions),
        Outcome::Urgent { reply, .. } | Outcome::SmallTalk { reply, .. } => reply.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let rendered = text::telegram_len(&answer_text(answer, &footer));
            let len = answer_len(answer, &footer);
            assert!(len >= rendered, "{answer:?}: {len} < {rendered}");
            if answer.contains('[') {
                assert_eq!(len, rendered, "links are measured rendered");
            }
        }
    }

    #[test]
    fn no_match_lists_suggestions() {
        let s = Settings::default();
        assert_eq!(
            no_match_text(&s, &[]),
            format!("{}\n\n{}", s.no_match, s.emergency_line)
        );
        assert!(s.footer.ends_with(&s.emergency_line));
    }
}
