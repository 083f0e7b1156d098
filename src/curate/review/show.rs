//! The review as plain text, for curators who are not programmers: each
//! group reads as a short paragraph ending in what to do about it.

use std::fmt::Write;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{Group, Suggestion};
use crate::analysis::language::Language;

/// Other wordings shown per group; the rest are counted (all are in --json).
pub const SHOWN_VARIANTS: usize = 3;

/// What a group's advice needs to know beyond the group.
pub struct Context<'a> {
    /// The FAQ folder, to name the file to edit.
    pub faq_dir: &'a Path,
    /// Options to repeat in `faqbot new --group N...` so it sees the same
    /// groups (see `LogArgs::repeat`).
    pub repeat: &'a str,
}

/// One group as a paragraph, e.g.
///
/// ```text
/// 1. [k7q2f] "potassium dose" asked 12 times, 2026-11-02 to 2026-11-20
///    also asked as:
///      "how much potassium should I take" (5 times)
///    nearest entry: rls-dosage "How much magnesium should I take for RLS?"
///      (score 0.31; the bot answers from 0.50)
///    → needs a new entry: faqbot new --group k7q2f
/// ```
pub fn group_text(number: usize, group: &Group, ctx: &Context<'_>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{number}. [{}] \"{}\"{} asked {}, {}",
        group.reference,
        printable(&group.question),
        in_language(group.language.as_deref()),
        times(group.count),
        span(group.first_seen, group.last_seen)
    );
    for previous in &group.after {
        let _ = writeln!(s, "   asked after: \"{}\"", printable(previous));
    }
    let others = &group.variants[1.min(group.variants.len())..];
    if !others.is_empty() {
        let _ = writeln!(s, "   also asked as:");
        for v in others.iter().take(SHOWN_VARIANTS) {
            let language = v.language.as_deref().and_then(Language::from_code);
            let _ = writeln!(
                s,
                "     \"{}\" ({}{})",
                printable(&v.question),
                language.map_or(String::new(), |l| format!("{}, ", l.name())),
                times(v.count)
            );
        }
        if others.len() > SHOWN_VARIANTS {
            let more = others.len() - SHOWN_VARIANTS;
            let _ = writeln!(
                s,
                "     and {more} more wording{} (all of them are in --json)",
                if more == 1 { "" } else { "s" }
            );
        }
    }
    // The reference, not the number: numbers move as the log grows.
    let new = format!("faqbot new --group {}{}", group.reference, ctx.repeat);
    let Some(suggestion) = group.suggestion else {
        let _ = writeln!(
            s,
            "   nearest entry: unknown until the FAQ has no errors\n   → to draft a new entry: {new}"
        );
        return s;
    };
    match &group.nearest {
        Some(n) => {
            let _ = write!(
                s,
                "   nearest entry: {} \"{}\" (score {:.2}",
                n.id, n.question, n.score
            );
            if suggestion != Suggestion::AnsweredNow {
                let _ = write!(s, "; the bot answers from {:.2}", n.needed);
            }
            let _ = writeln!(s, ")");
        }
        None => {
            let _ = writeln!(s, "   nearest entry: none, no entry shares a word with it");
        }
    }
    match (suggestion, &group.nearest) {
        (Suggestion::AnsweredNow, Some(n)) => {
            let _ = writeln!(
                s,
                "   → the bot now answers it with {}: if that is the wrong answer, it needs a new entry: {new}",
                n.id
            );
        }
        (Suggestion::AddAlternates, Some(n)) => {
            let _ = writeln!(
                s,
                "   → close: if it asks what {} answers, add these wordings as alternates in {}\n     if not, draft a new entry: {new}",
                n.id,
                alternates_files(group, &n.id, ctx)
            );
        }
        _ => {
            let _ = writeln!(s, "   → needs a new entry: {new}");
        }
    }
    // Some questions are not for this FAQ at all (another supplement, a
    // pet): filed as outside, the bot refuses questions like them.
    let _ = writeln!(
        s,
        "     or, if this FAQ should not answer it: faqbot outside --group {}{} --reason REASON",
        group.reference, ctx.repeat
    );
    s
}

/// " (in Spanish)" after a question read in another language; nothing for
/// English.
fn in_language(code: Option<&str>) -> String {
    code.and_then(Language::from_code)
        .filter(|l| !l.is_english())
        .map_or(String::new(), |l| format!(" (in {})", l.name()))
}

/// Where a group's wordings go as alternates of entry `id`: English ones
/// in its file, those in another language in its translation into that
/// language (`id.es.md`, see the README).
fn alternates_files(group: &Group, id: &str, ctx: &Context<'_>) -> String {
    let mut languages: Vec<Language> = group
        .variants
        .iter()
        .map(|v| {
            v.language
                .as_deref()
                .and_then(Language::from_code)
                .unwrap_or(Language::ENGLISH)
        })
        .collect();
    languages.sort_by_key(|l| (!l.is_english(), l.code()));
    languages.dedup();
    let file = |l: Language| {
        let name = if l.is_english() {
            format!("{id}.md")
        } else {
            format!("{id}.{}.md", l.code())
        };
        ctx.faq_dir.join(name).display().to_string()
    };
    match languages.as_slice() {
        [only] if only.is_english() => file(*only),
        [only] => format!("{} (its {} translation)", file(*only), only.name()),
        several => several
            .iter()
            .map(|l| format!("{}: the {} ones", file(*l), l.name()))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Longest question shown in the text review; the whole is in `--json`.
pub const SHOWN_CHARS: usize = 300;

/// A user's question made safe to print on a curator's terminal. Control
/// characters (escape sequences that recolour or clear the screen, the
/// bell, carriage returns that overwrite a line) and the invisible
/// direction overrides that reorder text are shown as `\u{..}` instead of
/// acting; a very long question is cut with a note of how much is left.
pub fn printable(question: &str) -> String {
    let mut out = String::new();
    for (shown, c) in question.chars().enumerate() {
        if shown == SHOWN_CHARS {
            let rest = question.chars().count() - SHOWN_CHARS;
            let _ = write!(out, "… ({} more characters in --json)", thousands(rest));
            break;
        }
        let hidden =
            c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if hidden {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// "once", "2 times".
pub fn times(n: usize) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// 12345 as "12,345": big counts are read by people, not parsed.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "on 2026-11-02" or "2026-11-02 to 2026-11-20".
pub fn span(first: DateTime<Utc>, last: DateTime<Utc>) -> String {
    let (a, b) = (first.date_naive(), last.date_naive());
    if a == b {
        format!("on {a}")
    } else {
        format!("{a} to {b}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Nearest, Variant};
    use super::*;

    fn group(variants: &[(&str, usize)]) -> Group {
        let t = |d: &str| d.parse::<DateTime<Utc>>().unwrap();
        Group {
            reference: super::super::reference(variants[0].0),
            count: variants.iter().map(|v| v.1).sum(),
            question: variants[0].0.into(),
            variants: variants
                .iter()
                .map(|(q, c)| Variant {
                    question: q.to_string(),
                    count: *c,
                    language: None,
                })
                .collect(),
            first_seen: t("2026-11-02T08:00:00Z"),
            last_seen: t("2026-11-20T22:00:00Z"),
            after: Vec::new(),
            language: None,
            nearest: Some(Nearest {
                id: "rls-dosage".into(),
                question: "How much magnesium?".into(),
                score: 0.41,
                needed: 0.5,
            }),
            suggestion: Some(Suggestion::AddAlternates),
        }
    }

    fn ctx(repeat: &str) -> Context<'_> {
        Context {
            faq_dir: Path::new("faq"),
            repeat,
        }
    }

    #[test]
    fn questions_cannot_drive_the_curators_terminal() {
        assert_eq!(printable("how much magnesium"), "how much magnesium");
        assert_eq!(
            printable("hi\u{1b}[2J\u{7}there\r\u{202e}x"),
            "hi\\u{1b}[2J\\u{7}there\\u{d}\\u{202e}x"
        );
        let long = "a".repeat(SHOWN_CHARS + 1234);
        let shown = printable(&long);
        assert!(shown.starts_with(&"a".repeat(SHOWN_CHARS)));
        assert!(
            shown.ends_with("… (1,234 more characters in --json)"),
            "{shown}"
        );
        assert_eq!(printable(&"é".repeat(SHOWN_CHARS)), "é".repeat(SHOWN_CHARS));
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn close_groups_point_at_the_file_to_edit() {
        let g = group(&[("potassium dose", 5), ("potasium dose", 1)]);
        let text = group_text(3, &g, &ctx(" --since 2026-11-01"));
        let reference = super::super::reference("potassium dose");
        assert_eq!(
            text.replace(&reference, "REF"),
            "3. [REF] \"potassium dose\" asked 6 times, 2026-11-02 to 2026-11-20\n   also asked as:\n     \"potasium dose\" (once)\n   nearest entry: rls-dosage \"How much magnesium?\" (score 0.41; the bot answers from 0.50)\n   → close: if it asks what rls-dosage answers, add these wordings as alternates in faq/rls-dosage.md\n     if not, draft a new entry: faqbot new --group REF --since 2026-11-01\n     or, if this FAQ should not answer it: faqbot outside --group REF --since 2026-11-01 --reason REASON\n"
        );
    }

    #[test]
    fn other_languages_are_named_with_the_files_their_wordings_go_to() {
        let mut g = group(&[("dosis de potasio", 2), ("potassium dose", 1)]);
        g.language = Some("es".into());
        g.variants[0].language = Some("es".into());
        let text = group_text(1, &g, &ctx(""));
        assert!(
            text.contains("\"dosis de potasio\" (in Spanish) asked 3 times"),
            "{text}"
        );
        assert!(
            text.contains("alternates in faq/rls-dosage.md: the English ones; faq/rls-dosage.es.md: the Spanish ones"),
            "{text}"
        );
        g.variants.truncate(1);
        g.variants.push(Variant {
            question: "potasio dosis".into(),
            count: 1,
            language: Some("es".into()),
        });
        let text = group_text(1, &g, &ctx(""));
        assert!(text.contains("\"potasio dosis\" (Spanish, once)"), "{text}");
        assert!(
            text.contains("alternates in faq/rls-dosage.es.md (its Spanish translation)"),
            "{text}"
        );
    }

    #[test]
    fn many_wordings_are_counted_and_far_groups_need_an_entry() {
        let mut g = group(&[("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1)]);
        g.suggestion = Some(Suggestion::NewEntry);
        g.nearest = None;
        let text = group_text(1, &g, &ctx(""));
        assert!(
            text.contains("and 1 more wording (all of them are in --json)"),
            "{text}"
        );
        assert!(text.contains("none, no entry shares a word"), "{text}");
        assert!(
            text.ends_with(&format!(
                "→ needs a new entry: faqbot new --group {r}\n     or, if this FAQ should not answer it: faqbot outside --group {r} --reason REASON\n",
                r = g.reference
            )),
            "{text}"
        );
        g.suggestion = None;
        let text = group_text(1, &g, &ctx(""));
        assert!(
            text.contains("unknown until the FAQ has no errors"),
            "{text}"
        );
    }
}
