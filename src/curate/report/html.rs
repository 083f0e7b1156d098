//! The report as one HTML page: inline CSS, an inline SVG chart, no
//! scripts, nothing fetched. The page is a maud template: every spliced
//! value is escaped unless it is marked pre-escaped (only the style sheet
//! and the chart, which `chart` builds from numbers and dates alone), so a
//! question typed by a stranger cannot become markup.

use maud::{DOCTYPE, Markup, PreEscaped, display, html};

use super::{Report, chart};
use crate::curate::review::show::{self, thousands};
use crate::curate::review::{Group, Suggestion};

/// Marks a page as made by `faqbot report`, so a later run may replace it
/// but never any other file. The template writes exactly this tag.
pub const GENERATOR: &str = r#"<meta name="generator" content="faqbot report">"#;

/// Wordings shown per unmatched group.
const SHOWN_VARIANTS: usize = 3;

const STYLE: &str = "
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #222; background: #fafafa; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 36px 0 8px; font-size: 20px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta, .hint { color: #666; margin: 4px 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 12px 16px; min-width: 150px; }
.card b { display: block; font-size: 26px; }
.card span { color: #555; }
.chart { width: 100%; height: auto; background: #fff; border: 1px solid #ddd; border-radius: 8px; }
.legend span { display: inline-block; margin-right: 16px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.n { text-align: right; white-space: nowrap; }
.variants { color: #666; font-size: 13px; }
code { background: #eee; padding: 1px 4px; border-radius: 3px; white-space: nowrap; }
ul.notes li { color: #8a4b00; }
";

/// The whole page.
pub fn render(report: &Report) -> String {
    let period = match (report.days.first(), report.days.last()) {
        (Some(a), Some(b)) => format!("{} to {}", a.date, b.date),
        _ => "no questions logged".into(),
    };
    let since = report
        .since
        .map(|d| format!(" (since {d})"))
        .unwrap_or_default();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="faqbot report";
                title { "faqbot report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    h1 { "faqbot report" }
                    p.meta {
                        "Made " (display(report.generated.format("%Y-%m-%d %H:%M")))
                        " UTC. Period: " (period) (since) "."
                    }
                    (cards(report))
                    (daily(report))
                    (groups(report))
                    (handed_off(report))
                    (disliked(report))
                    (never_asked(report))
                    @if !report.notes.is_empty() {
                        h2 { "Notes" }
                        ul.notes {
                            @for note in &report.notes { li { (note) } }
                        }
                    }
                }
            }
        }
    };
    page.into_string()
}

/// A table's header row.
fn header(cells: &[&str]) -> Markup {
    html! { tr { @for cell in cells { th { (cell) } } } }
}

fn cards(report: &Report) -> Markup {
    let (answered, unmatched) = (report.answered(), report.unmatched());
    let rate = if answered + unmatched == 0 {
        "–".to_string()
    } else {
        format!(
            "{:.0}%",
            100.0 * answered as f64 / (answered + unmatched) as f64
        )
    };
    let card = |value: String, label: &str| html! { div.card { b { (value) } span { (label) } } };
    html! {
        section.cards {
            (card(thousands(answered), "questions answered"))
            (card(thousands(unmatched), "questions unmatched"))
            (card(rate, "answered"))
            (card(thousands(report.group_count), "unmatched topics"))
            @if let Some(entries) = report.entries {
                (card(thousands(entries), "FAQ entries"))
            }
        }
    }
}

fn daily(report: &Report) -> Markup {
    html! {
        h2 { "Questions per day" }
        @if report.days.is_empty() {
            p { "No questions were logged in this period." }
        } @else {
            p.legend {
                span { i.swatch style={ "background:" (chart::ANSWERED_COLOUR) } {} "answered" }
                span {
                    i.swatch style={ "background:" (chart::UNMATCHED_COLOUR) } {}
                    "unmatched (the bot had no answer)"
                }
            }
            // Numbers and dates only: no text from the logs goes in.
            (PreEscaped(chart::svg(&report.days)))
            details {
                summary { "The numbers per day" }
                table {
                    (header(&["Day", "Answered", "Unmatched"]))
                    @for d in &report.days {
                        tr {
                            td { (display(d.date)) }
                            td.n { (d.answered) }
                            td.n { (d.unmatched) }
                        }
                    }
                }
            }
        }
    }
}

fn groups(report: &Report) -> Markup {
    html! {
        h2 { "Biggest unmatched groups" }
        @if report.groups.is_empty() {
            p { "No unmatched questions in this period." }
        } @else {
            p.hint {
                "Questions the bot could not answer, grouped by topic, biggest first ("
                (report.groups.len()) " of " (thousands(report.group_count)) "). "
                code { "faqbot unmatched" } " lists them all; "
                code { "faqbot new --group N" } " drafts an entry from group N."
            }
            table {
                (header(&["#", "Question", "Times", "Asked", "Nearest entry", "What to do"]))
                @for (i, g) in report.groups.iter().enumerate() {
                    tr {
                        td.n { (i + 1) }
                        td {
                            (g.question)
                            @if let Some(language) = language_name(g.language.as_deref()) {
                                " (in " (language) ")"
                            }
                            @if let Some(others) = other_wordings(g) {
                                div.variants { "also: " (others) }
                            }
                        }
                        td.n { (g.count) }
                        td { (show::span(g.first_seen, g.last_seen)) }
                        td {
                            @match &g.nearest {
                                Some(n) => { (n.id) " (" (format!("{:.2}", n.score)) ")" }
                                None => "–",
                            }
                        }
                        td { (advice(g)) }
                    }
                }
            }
        }
    }
}

/// The name of a language other than English, by its code.
fn language_name(code: Option<&str>) -> Option<&'static str> {
    code.and_then(crate::analysis::language::Language::from_code)
        .filter(|l| !l.is_english())
        .map(|l| l.name())
}

/// The group's other wordings, the most asked first, and how many more.
fn other_wordings(g: &Group) -> Option<String> {
    let others: Vec<String> = g
        .variants
        .iter()
        .skip(1)
        .take(SHOWN_VARIANTS)
        .map(|v| match language_name(v.language.as_deref()) {
            Some(language) => format!("“{}” ({language}, {})", v.question, v.count),
            None => format!("“{}” ({})", v.question, v.count),
        })
        .collect();
    if others.is_empty() {
        return None;
    }
    let more = g.variants.len().saturating_sub(1 + SHOWN_VARIANTS);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!("{}{more}", others.join(", ")))
}

fn advice(g: &Group) -> String {
    let nearest = g.nearest.as_ref().map(|n| n.id.as_str()).unwrap_or("");
    match g.suggestion {
        Some(Suggestion::AnsweredNow) => {
            format!("Answered now by {nearest}: check that it is the right answer")
        }
        Some(Suggestion::AddAlternates) => {
            format!("Close to {nearest}: add these wordings as its alternates if it answers them")
        }
        Some(Suggestion::NewEntry) => "Needs a new entry".into(),
        None => "Unknown until the FAQ has no errors".into(),
    }
}

fn handed_off(report: &Report) -> Markup {
    // Empty when the bot runs without a curators' chat, or nobody asked a
    // person: then the section is left out.
    if report.handed_off.is_empty() {
        return html! {};
    }
    let answered = report.handed_off.iter().filter(|h| h.answers > 0).count();
    html! {
        h2 { "Questions handed to a person" }
        p.hint {
            "People pressed \"Ask a person\" on these (" (answered) " of "
            (report.handed_off.len()) " answered). They are not counted as unmatched twice: each is also in the groups above. Drafts made with "
            code { "/draft" }
            " are marked needs-review until someone checks them against the source articles."
        }
        table {
            (header(&["Reference", "Asked", "Question", "What became of it"]))
            @for h in &report.handed_off {
                tr {
                    td { "#" (h.reference) }
                    td { (display(h.asked.format("%Y-%m-%d"))) }
                    td { (h.question) }
                    td { (h.status()) }
                }
            }
        }
    }
}

fn disliked(report: &Report) -> Markup {
    html! {
        // Votes are named in words too: not every computer has an emoji font.
        h2 { "Entries with the most 👎 (unhelpful votes)" }
        @if report.disliked.is_empty() {
            p { "No entry got a 👎 in this period." }
        } @else {
            p.hint {
                "Answers people marked as unhelpful: reread them, and check that their alternates do not catch questions they do not answer."
            }
            table {
                (header(&["Entry", "Question", "👎 unhelpful", "👍 helpful"]))
                @for v in &report.disliked {
                    tr {
                        td { (v.id) }
                        td { (v.question.as_deref().unwrap_or("(no longer in the FAQ)")) }
                        td.n { (v.down) }
                        td.n { (v.up) }
                    }
                }
            }
        }
    }
}

fn never_asked(report: &Report) -> Markup {
    html! {
        h2 { "Entries never asked about" }
        @match &report.never_asked {
            None => p { "Unknown: the FAQ could not be loaded (see the notes)." },
            Some(unasked) if unasked.is_empty() => {
                p { "Every entry answered at least one question in this period." }
            }
            Some(unasked) => {
                p.hint {
                    @if unasked.len() == 1 { "This entry" } @else { "These " (unasked.len()) " entries" }
                    " answered no question in this period. People may ask about them in words their alternates lack, or not at all."
                }
                ul {
                    @for u in unasked { li { b { (u.id) } ": " (u.question) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Day, Unasked, Votes};
    use super::*;
    use crate::curate::review::{Nearest, Variant};
    use chrono::NaiveDate;

    fn report() -> Report {
        let t = "2026-11-02T10:00:00Z".parse().unwrap();
        Report {
            generated: t,
            since: None,
            days: vec![Day {
                date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                answered: 3,
                unmatched: 1,
            }],
            groups: vec![Group {
                reference: "abcde".into(),
                count: 1,
                question: "<script>alert('x')</script> & more".into(),
                variants: vec![
                    Variant {
                        question: "<script>alert('x')</script> & more".into(),
                        count: 1,
                        language: None,
                    },
                    Variant {
                        question: "\"quoted\" <b>".into(),
                        count: 1,
                        language: Some("es".into()),
                    },
                ],
                first_seen: t,
                last_seen: t,
                after: Vec::new(),
                language: None,
                nearest: Some(Nearest {
                    id: "rls-dosage".into(),
                    question: "Q".into(),
                    score: 0.4,
                    needed: 0.5,
                }),
                suggestion: Some(Suggestion::AddAlternates),
            }],
            group_count: 1,
            disliked: vec![Votes {
                id: "dose".into(),
                question: Some("How <much>?".into()),
                up: 1,
                down: 2,
            }],
            never_asked: Some(vec![Unasked {
                id: "foods".into(),
                question: "Foods & drinks?".into(),
            }]),
            entries: Some(3),
            handed_off: vec![crate::curate::review::handoffs::HandedOff {
                reference: "K7Q2FA".into(),
                asked: t,
                question: "is <potassium> ok".into(),
                answers: 1,
                drafts: vec!["is-potassium-ok.md".into()],
            }],
            notes: vec!["a <note>".into()],
        }
    }

    #[test]
    fn escapes_everything_and_loads_nothing() {
        let page = render(&report());
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"));
        assert!(page.contains("is &lt;potassium&gt; ok"), "{page}");
        assert!(page.contains("answered by a person; draft is-potassium-ok.md"));
        assert!(page.contains("&quot;quoted&quot; &lt;b&gt;"));
        assert!(page.contains("How &lt;much&gt;?"));
        assert!(page.contains("Foods &amp; drinks?"));
        assert!(page.contains("a &lt;note&gt;"));
        assert!(!page.contains("src="), "nothing is loaded");
        assert!(!page.contains("<link"), "nothing is loaded");
        assert!(!page.contains("@import"), "nothing is loaded");
        assert!(page.contains(GENERATOR), "{page}");
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(page.contains("<b>75%</b><span>answered</span>"), "{page}");
    }

    #[test]
    fn empty_reports_say_so() {
        let mut r = report();
        r.days.clear();
        r.groups.clear();
        r.disliked.clear();
        r.never_asked = None;
        let page = render(&r);
        assert!(page.contains("No questions were logged in this period."));
        assert!(page.contains("No unmatched questions in this period."));
        assert!(page.contains("No entry got a 👎"));
        assert!(page.contains("Unknown: the FAQ could not be loaded"));
        assert!(!page.contains("<svg"));
    }
}
