//! Taking personal details out of a question before it is written down.
//!
//! People tell a health bot more than it needs: "my name is John Smith",
//! where they live, when they were born, how to reach them. The curators
//! need the question, not the person, so each of these is replaced by a
//! label in brackets (`[name]`, `[address]`, `[date]`, `[handle]`,
//! `[email]`, `[card]`, `[id]`, `[phone]`), and what is kept is cut to
//! [`STORED_CHARS`]. Doses and times stay: "200-400 mg", "at 9 pm" and
//! "3 weeks" are what the question is about.
//!
//! This is pattern matching, not understanding: a name written without a
//! lead-in ("John here, ...") is not found. It errs towards removing.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// The longest question kept, in characters: longer ones are cut, with
/// "…" to show it.
pub const STORED_CHARS: usize = 500;

fn pattern(re: &str) -> Regex {
    Regex::new(re).unwrap_or_else(|e| panic!("redaction pattern {re:?} is invalid: {e}"))
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+"));

/// `john(at)example(dot)com`, `john [at] example [dot] com`, and
/// `john at example dot com` (only with "dot" spelled out too).
static SPELLED_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?ix)
        [a-z0-9._%+-]+ \s*
        (?: [(\[{<] \s* at \s* [)\]}>] | \s at \s )
        \s* [a-z0-9-]+
        (?: \s* (?: [(\[{<] \s* dot \s* [)\]}>] | \s dot \s ) \s* [a-z0-9-]+ )+",
    )
});

/// `@jsmith_secret`, not the `@` inside an address already replaced.
static HANDLE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(^|[^\w@.])@[A-Za-z][A-Za-z0-9_]{3,31}\b"));

/// A lead-in after which a name follows.
static NAME_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(my name is|my name's|my names|name's|i am called|i'm called|im called|call me|this is dr\.?|signed|regards,?|thanks,?)\s+",
    )
});

/// A house number and a street: "12 Baker Street", "221b Elm Rd".
static STREET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b\d{1,5}[a-z]?,?\s+(?:[\p{L}'-]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|crescent|square|sq|strasse|straße|straat|rue|via|calle)\b\.?",
    )
});

/// "I live at ...", "my address is ...": up to the end of the clause.
static ADDRESS_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(i live at|i live on|my address is|address:)\s+[^.;!?\n]{1,80}")
});

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Calendar dates with a year: 12/03/1985, 1985-03-12, 3 March 1985,
/// March 3rd, 1985; and "born in 1985".
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?ix)
        \b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}\b
      | \b(?:19|20)\d{{2}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}\b
      | \b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\.?,?\s+(?:19|20)\d{{2}}\b
      | \b{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b"
    ))
});

/// A birth year or date after "born", "DOB"...: what the lead-in says is
/// kept, the date goes.
static BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(born|birthday|dob|d\.o\.b\.?|date of birth)([:\s]+(?:on\s+|in\s+)?)[^.;!?\n\[]{0,20}?(?:19|20)\d{2}\b",
    )
});

/// National ids with a fixed shape: a US SSN, a UK National Insurance
/// number.
static NATIONAL_ID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b\d{3}-\d{2}-\d{4}\b|\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
});

/// A run of digits with the usual separators; what it is (card, phone) is
/// decided by its digits, so doses like "200-400 mg" are left alone.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| pattern(r"\+?\(?\d[\d\s().\-/]{5,}\d"));

/// Words that end a name after a lead-in ("my name is Ann and ...").
const NOT_NAMES: [&str; 24] = [
    "and", "i", "i'm", "im", "from", "with", "my", "have", "had", "was", "is", "but", "who",
    "here", "and,", "age", "aged", "years", "a", "an", "the", "so", "to", "for",
];

/// The question with personal details replaced by labels, cut to
/// [`STORED_CHARS`].
pub fn redact(text: &str) -> String {
    let text = EMAIL.replace_all(text, "[email]");
    let text = SPELLED_EMAIL.replace_all(&text, "[email]");
    let text = HANDLE.replace_all(&text, "${1}[handle]");
    let text = ADDRESS_LEAD.replace_all(&text, "${1} [address]");
    let text = STREET.replace_all(&text, "[address]");
    let text = DATE.replace_all(&text, "[date]");
    let text = BIRTH.replace_all(&text, "${1}${2}[date]");
    let text = NATIONAL_ID.replace_all(&text, "[id]");
    let text = NUMBER.replace_all(&text, |caps: &Captures<'_>| {
        let m = &caps[0];
        let digits: String = m.chars().filter(char::is_ascii_digit).collect();
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            "[card]".to_string()
        } else if digits.len() >= 7 {
            "[phone]".to_string()
        } else {
            m.to_string()
        }
    });
    let text = names(&text);
    cut(&text)
}

/// Replaces up to three words after a name lead-in with `[name]`.
fn names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lead) = NAME_LEAD.find(rest) {
        out.push_str(&rest[..lead.end()]);
        rest = &rest[lead.end()..];
        let mut taken = 0;
        let mut end = 0;
        for word in rest.split_inclusive(char::is_whitespace).take(3) {
            let bare = word.trim();
            let clean = bare.trim_end_matches([',', '.', '!', '?', ';', ':']);
            if clean.is_empty()
                || NOT_NAMES.contains(&clean.to_lowercase().as_str())
                || !clean
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            {
                break;
            }
            end += word.len();
            taken += 1;
            if clean.len() != bare.len() {
                // The name ends at punctuation; keep the punctuation.
                end -= word.len() - word.find(clean).unwrap_or(0) - clean.len();
                break;
            }
        }
        if taken > 0 {
            let trailing = rest[..end].len() - rest[..end].trim_end().len();
            out.push_str("[name]");
            out.push_str(&rest[end - trailing..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// The Luhn checksum every payment card number passes.
fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let mut d = c.to_digit(10).unwrap_or(0);
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(STORED_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_go() {
        assert_eq!(
            redact("mail me at jo.doe+x@mail.example.com pls"),
            "mail me at [email] pls"
        );
        assert_eq!(
            redact("write to john(at)example(dot)com or j [at] mail [dot] co [dot] uk"),
            "write to [email] or [email]"
        );
        assert_eq!(redact("john at example dot com"), "[email]");
        assert_eq!(redact("call +44 20 7946 0958 now"), "call [phone] now");
        assert_eq!(
            redact("my number is (555) 123-4567"),
            "my number is [phone]"
        );
        assert_eq!(
            redact("dm me @jsmith_secret or on telegram"),
            "dm me [handle] or on telegram"
        );
    }

    #[test]
    fn names_addresses_and_birthdays_go() {
        assert_eq!(
            redact("Hi, my name is John Smith and my legs twitch"),
            "Hi, my name is [name] and my legs twitch"
        );
        assert_eq!(
            redact("i'm called anna, is mg safe?"),
            "i'm called [name], is mg safe?"
        );
        assert_eq!(
            redact("I live at 12 Baker Street, London. Where can I buy magnesium?"),
            "I live at [address]. Where can I buy magnesium?"
        );
        assert_eq!(
            redact("we moved to 221b Elm Rd last year"),
            "we moved to [address] last year"
        );
        assert_eq!(
            redact("I was born on 12/03/1985, is magnesium ok?"),
            "I was born on [date], is magnesium ok?"
        );
        assert_eq!(redact("DOB: 3 March 1985"), "DOB: [date]");
        assert_eq!(
            redact("born in 1961 and have RLS"),
            "born in [date] and have RLS"
        );
        assert_eq!(redact("date of birth 1 2 1961"), "date of birth [date]");
        assert_eq!(redact("since March 3rd, 2019"), "since [date]");
    }

    #[test]
    fn cards_and_national_ids_go() {
        assert_eq!(
            redact("card 4111 1111 1111 1111 was charged"),
            "card [card] was charged"
        );
        assert_eq!(redact("ssn 078-05-1120"), "ssn [id]");
        assert_eq!(redact("NI number AB 12 34 56 C"), "NI number [id]");
    }

    #[test]
    fn doses_times_and_durations_stay() {
        for kept in [
            "is 200-400 mg ok? or 310–420 mg",
            "1000 mg at 9 pm for 3 weeks",
            "took 2 tablets on 3/4 of days",
            "my legs at night are worse since 2019",
            "I am 45 and have restless legs",
            "look at this: magnesium 250mg",
        ] {
            assert_eq!(redact(kept), kept);
        }
    }

    #[test]
    fn long_questions_are_cut() {
        let long = "magnesium ".repeat(200);
        let kept = redact(&long);
        assert_eq!(kept.chars().count(), STORED_CHARS + 1);
        assert!(kept.ends_with('…'));
    }
}
