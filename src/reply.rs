//! What faqbot says, as plain text: answers with the disclaimer footer, and
//! the honest no-match reply. The Telegram front end renders the same parts
//! as HTML; lengths are checked on this plain form.

use crate::analysis::language::Language;
use crate::content::answer::answer_text;
use crate::content::{Entry, Faq, Settings};
use crate::engine::Outcome;

/// The no-match reply, with "did you mean" questions when there are any.
/// The emergency line comes right after the apology, before any list, so
/// it is never lost below the suggestions.
pub fn no_match_text(settings: &Settings, suggestions: &[&Entry]) -> String {
    let mut text = format!("{}\n\n{}", settings.no_match, settings.emergency_line);
    if !suggestions.is_empty() {
        text.push_str("\n\n");
        text.push_str(&settings.did_you_mean);
        for entry in suggestions {
            text.push_str("\n• ");
            text.push_str(&entry.question);
        }
    }
    text
}

/// The question back when two entries fit equally well, with the two
/// questions to choose from (buttons in Telegram).
pub fn choose_text(settings: &Settings, entries: &[&Entry]) -> String {
    let mut text = format!("{}\n\n{}\n", settings.choose, settings.emergency_line);
    for entry in entries {
        text.push_str("\n• ");
        text.push_str(&entry.question);
    }
    text
}

/// The whole reply to a message read in `language`, in plain text: an
/// answer as the curators translated it, else in English with the
/// language's footer saying so; the other replies in the language where
/// settings give them.
pub fn plain(faq: &Faq, language: Language, outcome: &Outcome<'_>) -> String {
    let settings = faq.settings.in_language(language);
    match outcome {
        Outcome::Answer { entry, .. } => {
            let text = faq.in_language(entry, language);
            answer_text(text.answer, &faq.sent_with(&text, language).footer)
        }
        Outcome::NoMatch { suggestions, .. } => no_match_text(&settings, suggestions),
        Outcome::Choose { entries, .. } => choose_text(&settings, entries),
        Outcome::Urgent { reply, .. } | Outcome::SmallTalk { reply, .. } => reply.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_match_lists_suggestions() {
        let s = Settings::default();
        assert_eq!(
            no_match_text(&s, &[]),
            format!("{}\n\n{}", s.no_match, s.emergency_line)
        );
        assert!(s.footer.ends_with(&s.emergency_line));
    }

    #[test]
    fn choosing_lists_both_questions_after_the_emergency_line() {
        let s = Settings::default();
        let entry = |id: &str, question: &str| Entry {
            id: id.into(),
            question: question.into(),
            alternates: Vec::new(),
            answer: "x".into(),
            related: Vec::new(),
            lines: Default::default(),
            path: Default::default(),
        };
        let (a, b) = (entry("a", "A?"), entry("b", "B?"));
        assert_eq!(
            choose_text(&s, &[&a, &b]),
            format!("{}\n\n{}\n\n• A?\n• B?", s.choose, s.emergency_line)
        );
    }
}
