//! What faqbot says, as plain text: answers with the disclaimer footer, and
//! the honest no-match reply. The Telegram front end renders the same parts
//! as HTML; lengths are checked on this plain form.

use crate::content::{Entry, Settings};
use crate::engine::Outcome;
use crate::markdown;

/// An answer as the user reads it: the answer, a blank line, the footer.
pub fn answer_text(answer_markdown: &str, footer: &str) -> String {
    format!("{}\n\n{}", markdown::to_plain(answer_markdown), footer)
}

/// The no-match reply, with "did you mean" questions when there are any.
pub fn no_match_text(settings: &Settings, suggestions: &[&Entry]) -> String {
    let mut text = settings.no_match.clone();
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
        Outcome::Urgent { reply } => reply.to_string(),
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
    fn no_match_lists_suggestions() {
        let s = Settings::default();
        assert_eq!(no_match_text(&s, &[]), s.no_match);
    }
}
