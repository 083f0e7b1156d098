//! Wording checks for medical safety, run by `faqbot check` on every answer.
//!
//! An answer is matched to many phrasings, some of them asked the other way
//! round ("is taking magnesium daily bad?"): an answer that opens with a
//! bare "Yes." or "No." then says the opposite of what is true. And a dose
//! read on its own must come with the articles' caveats. Both are warnings,
//! with the line and the fix, since only a person can reword an answer.

use std::path::Path;

use super::entry::Entry;
use super::problem::Problem;
use crate::markdown;

/// Words that, somewhere in an answer with a dose, show the caveat is there.
const CAVEATS: &[&str] = &["healthcare provider", "doctor", "pharmacist", "kidney"];

/// The yes or no an answer opens with, if it opens with one.
pub fn opens_with_yes_or_no(answer: &str) -> Option<&'static str> {
    let plain = markdown::to_plain(answer);
    let first = plain
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?
        .to_lowercase();
    match first.as_str() {
        "yes" => Some("Yes"),
        "no" | "nope" => Some("No"),
        _ => None,
    }
}

/// Whether the answer gives an amount in mg without any caveat.
pub fn dose_without_caveat(answer: &str) -> bool {
    let plain = markdown::to_plain(answer).to_lowercase();
    let has_dose = plain.match_indices("mg").any(|(i, _)| {
        let before = plain[..i].trim_end();
        let after_ok = plain[i + 2..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        after_ok && before.ends_with(|c: char| c.is_ascii_digit())
    });
    has_dose && !CAVEATS.iter().any(|c| plain.contains(c))
}

/// Both checks on one entry.
pub fn check(entry: &Entry, path: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(word) = opens_with_yes_or_no(&entry.answer) {
        problems.push(Problem::warning(
            path,
            Some(entry.lines.answer),
            format!(
                "the answer opens with \"{word}\": the same answer is given to questions asked the other way round (\"is it bad...\"), where \"{word}\" says the opposite. Lead with the fact instead"
            ),
        ));
    }
    if dose_without_caveat(&entry.answer) {
        problems.push(Problem::warning(
            path,
            Some(entry.lines.answer),
            "the answer gives a dose in mg but no caveat: add that people should talk to a healthcare provider first (and that people with kidney disease must ask their doctor)",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_yes_and_no_are_found() {
        assert_eq!(opens_with_yes_or_no("Yes. It helps."), Some("Yes"));
        assert_eq!(
            opens_with_yes_or_no("**Yes, when taken within doses.**"),
            Some("Yes")
        );
        assert_eq!(opens_with_yes_or_no("No, it does not."), Some("No"));
        assert_eq!(opens_with_yes_or_no("Yesterday's dose counts."), None);
        assert_eq!(opens_with_yes_or_no("Not everyone needs it."), None);
        assert_eq!(opens_with_yes_or_no(""), None);
    }

    #[test]
    fn doses_need_a_caveat() {
        assert!(dose_without_caveat(
            "Most people take **200–400 mg** a day."
        ));
        assert!(dose_without_caveat("Take 300mg."));
        assert!(!dose_without_caveat(
            "Most people take 200–400 mg a day; talk to a healthcare provider first."
        ));
        assert!(!dose_without_caveat("Magnesium helps muscles relax."));
        assert!(!dose_without_caveat("mg is short for magnesium"));
    }
}
