//! The report as one HTML page: inline CSS, an inline SVG chart, no
//! scripts, nothing fetched. Every piece of text from logs or entries is
//! escaped: questions are typed by strangers.

use std::fmt::Write;

use super::{Report, chart};
use crate::curate::review::show::{self, thousands};
use crate::curate::review::{Group, Suggestion};
use crate::markdown::escape_html as esc;

/// Marks a page as made by `faqbot report`, so a later run may replace it
/// but never any other file.
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
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n{GENERATOR}\n<title>faqbot report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>faqbot report</h1>\n"
    );
    let period = match (report.days.first(), report.days.last()) {
        (Some(a), Some(b)) => format!("{} to {}", a.date, b.date),
        _ => "no questions logged".into(),
    };
    let since = report
        .since
        .map(|d| format!(" (since {d})"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "<p class=\"meta\">Made {} UTC. Period: {}{}.</p>",
        report.generated.format("%Y-%m-%d %H:%M"),
        esc(&period),
        esc(&since)
    );
    cards(&mut s, report);
    daily(&mut s, report);
    groups(&mut s, report);
    handed_off(&mut s, report);
    disliked(&mut s, report);
    never_asked(&mut s, report);
    if !report.notes.is_empty() {
        s.push_str("<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for note in &report.notes {
            let _ = writeln!(s, "<li>{}</li>", esc(note));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

fn cards(s: &mut String, report: &Report) {
    let (answered, unmatched) = (report.answered(), report.unmatched());
    let rate = if answered + unmatched == 0 {
        "–".to_string()
    } else {
        format!(
            "{:.0}%",
            100.0 * answered as f64 / (answered + unmatched) as f64
        )
    };
    s.push_str("<section class=\"cards\">\n");
    let mut card = |value: String, label: &str| {
        let _ = writeln!(
            s,
            "<div class=\"card\"><b>{}</b><span>{}</span></div>",
            esc(&value),
            esc(label)
        );
    };
    card(thousands(answered), "questions answered");
    card(thousands(unmatched), "questions unmatched");
    card(rate, "answered");
    card(thousands(report.group_count), "unmatched topics");
    if let Some(entries) = report.entries {
        card(thousands(entries), "FAQ entries");
    }
    s.push_str("</section>\n");
}

fn daily(s: &mut String, report: &Report) {
    s.push_str("<h2>Questions per day</h2>\n");
    if report.days.is_empty() {
        s.push_str("<p>No questions were logged in this period.</p>\n");
        return;
    }
    let _ = writeln!(
        s,
        "<p class=\"legend\"><span><i class=\"swatch\" style=\"background:{}\"></i>answered</span><span><i class=\"swatch\" style=\"background:{}\"></i>unmatched (the bot had no answer)</span></p>",
        chart::ANSWERED_COLOUR,
        chart::UNMATCHED_COLOUR
    );
    s.push_str(&chart::svg(&report.days));
    s.push_str("\n<details><summary>The numbers per day</summary>\n<table>\n<tr><th>Day</th><th>Answered</th><th>Unmatched</th></tr>\n");
    for d in &report.days {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            d.date, d.answered, d.unmatched
        );
    }
    s.push_str("</table>\n</details>\n");
}

fn groups(s: &mut String, report: &Report) {
    s.push_str("<h2>Biggest unmatched groups</h2>\n");
    if report.groups.is_empty() {
        s.push_str("<p>No unmatched questions in this period.</p>\n");
        return;
    }
    let _ = writeln!(
        s,
        "<p class=\"hint\">Questions the bot could not answer, grouped by topic, biggest first ({} of {}). <code>faqbot unmatched</code> lists them all; <code>faqbot new --group N</code> drafts an entry from group N.</p>",
        report.groups.len(),
        thousands(report.group_count)
    );
    s.push_str("<table>\n<tr><th>#</th><th>Question</th><th>Times</th><th>Asked</th><th>Nearest entry</th><th>What to do</th></tr>\n");
    for (i, g) in report.groups.iter().enumerate() {
        let _ = write!(
            s,
            "<tr><td class=\"n\">{}</td><td>{}",
            i + 1,
            esc(&g.question)
        );
        let others: Vec<String> = g
            .variants
            .iter()
            .skip(1)
            .take(SHOWN_VARIANTS)
            .map(|v| format!("“{}” ({})", v.question, v.count))
            .collect();
        if !others.is_empty() {
            let more = g.variants.len().saturating_sub(1 + SHOWN_VARIANTS);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let _ = write!(
                s,
                "<div class=\"variants\">also: {}{}</div>",
                esc(&others.join(", ")),
                more
            );
        }
        let nearest = g
            .nearest
            .as_ref()
            .map(|n| format!("{} ({:.2})", n.id, n.score))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            s,
            "</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            g.count,
            esc(&show::span(g.first_seen, g.last_seen)),
            esc(&nearest),
            esc(&advice(g))
        );
    }
    s.push_str("</table>\n");
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

fn handed_off(s: &mut String, report: &Report) {
    if report.handed_off.is_empty() {
        // The bot runs without a curators' chat, or nobody asked a person.
        return;
    }
    let answered = report.handed_off.iter().filter(|h| h.answers > 0).count();
    let _ = writeln!(
        s,
        "<h2>Questions handed to a person</h2>\n<p class=\"hint\">People pressed \"Ask a person\" on these ({answered} of {} answered). They are not counted as unmatched twice: each is also in the groups above. Drafts made with <code>/draft</code> are marked needs-review until someone checks them against the source articles.</p>\n<table>\n<tr><th>Reference</th><th>Asked</th><th>Question</th><th>What became of it</th></tr>",
        report.handed_off.len()
    );
    for h in &report.handed_off {
        let _ = writeln!(
            s,
            "<tr><td>#{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&h.reference),
            h.asked.format("%Y-%m-%d"),
            esc(&h.question),
            esc(&h.status())
        );
    }
    s.push_str("</table>\n");
}

fn disliked(s: &mut String, report: &Report) {
    // Votes are named in words too: not every computer has an emoji font.
    s.push_str("<h2>Entries with the most 👎 (unhelpful votes)</h2>\n");
    if report.disliked.is_empty() {
        s.push_str("<p>No entry got a 👎 in this period.</p>\n");
        return;
    }
    s.push_str("<p class=\"hint\">Answers people marked as unhelpful: reread them, and check that their alternates do not catch questions they do not answer.</p>\n<table>\n<tr><th>Entry</th><th>Question</th><th>👎 unhelpful</th><th>👍 helpful</th></tr>\n");
    for v in &report.disliked {
        let question = v.question.as_deref().unwrap_or("(no longer in the FAQ)");
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&v.id),
            esc(question),
            v.down,
            v.up
        );
    }
    s.push_str("</table>\n");
}

fn never_asked(s: &mut String, report: &Report) {
    s.push_str("<h2>Entries never asked about</h2>\n");
    let Some(unasked) = &report.never_asked else {
        s.push_str("<p>Unknown: the FAQ could not be loaded (see the notes).</p>\n");
        return;
    };
    if unasked.is_empty() {
        s.push_str("<p>Every entry answered at least one question in this period.</p>\n");
        return;
    }
    let _ = writeln!(
        s,
        "<p class=\"hint\">{} answered no question in this period. People may ask about them in words their alternates lack, or not at all.</p>\n<ul>",
        if unasked.len() == 1 {
            "This entry".to_string()
        } else {
            format!("These {} entries", unasked.len())
        }
    );
    for u in unasked {
        let _ = writeln!(s, "<li><b>{}</b>: {}</li>", esc(&u.id), esc(&u.question));
    }
    s.push_str("</ul>\n");
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
                count: 1,
                question: "<script>alert('x')</script> & more".into(),
                variants: vec![
                    Variant {
                        question: "<script>alert('x')</script> & more".into(),
                        count: 1,
                    },
                    Variant {
                        question: "\"quoted\" <b>".into(),
                        count: 1,
                    },
                ],
                first_seen: t,
                last_seen: t,
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
        assert!(page.contains(GENERATOR));
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
