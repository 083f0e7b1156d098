//! The daily chart as inline SVG: one stacked bar per day, answered below
//! and unmatched on top, so both the volume and the share of questions the
//! FAQ could not answer are visible at a glance. Each bar carries a
//! `<title>` with the exact numbers, which browsers show on hover without
//! any script.

use std::fmt::Write;

use super::Day;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;
/// At most this many dates are written under the bars.
const MAX_LABELS: usize = 10;

pub const ANSWERED_COLOUR: &str = "#2e7d4f";
pub const UNMATCHED_COLOUR: &str = "#e07b24";

/// The chart for `days` (which should not be empty: say so in words then).
pub fn svg(days: &[Day]) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let top = nice_ceiling(
        days.iter()
            .map(|d| d.answered + d.unmatched)
            .max()
            .unwrap_or(0),
    );
    let y = |v: usize| TOP + plot_h - plot_h * v as f64 / top as f64;
    let slot = plot_w / days.len().max(1) as f64;
    let bar = (slot * 0.8).max(1.0);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Questions answered and unmatched per day" class="chart">"#
    );
    // Grid lines and their values.
    for i in 0..=4 {
        let v = top * i / 4;
        let gy = y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{gy:.1}" y2="{gy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#555">{v}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            gy + 4.0
        );
    }
    let every = days.len().div_ceil(MAX_LABELS).max(1);
    let years_differ = days.first().map(|d| d.date.format("%Y").to_string())
        != days.last().map(|d| d.date.format("%Y").to_string());
    for (i, day) in days.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let total = day.answered + day.unmatched;
        let _ = write!(
            s,
            "<g><title>{}: {} answered, {} unmatched</title>",
            day.date, day.answered, day.unmatched
        );
        if day.answered > 0 {
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="{ANSWERED_COLOUR}"/>"#,
                y(day.answered),
                y(0) - y(day.answered)
            );
        }
        if day.unmatched > 0 {
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="{UNMATCHED_COLOUR}"/>"#,
                y(total),
                y(day.answered) - y(total)
            );
        }
        s.push_str("</g>");
        if i % every == 0 {
            let label = if years_differ {
                day.date.format("%Y-%m-%d")
            } else {
                day.date.format("%b %-d")
            };
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#555">{label}</text>"##,
                x + bar / 2.0,
                HEIGHT - BOTTOM + 16.0
            );
        }
    }
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#999"/></svg>"##,
        WIDTH - RIGHT,
        y(0),
        y(0)
    );
    s
}

/// The chart's top value: four grid steps of 1, 2 or 5 times a power of
/// ten, the smallest reaching `max`, so grid lines read 0, 5, 10, 15, 20.
fn nice_ceiling(max: usize) -> usize {
    let mut power = 1;
    loop {
        for m in [1, 2, 5] {
            if m * power * 4 >= max {
                return m * power * 4;
            }
        }
        power *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: u32, answered: usize, unmatched: usize) -> Day {
        Day {
            date: NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
            answered,
            unmatched,
        }
    }

    #[test]
    fn nice_ceilings_have_four_whole_steps() {
        assert_eq!(nice_ceiling(0), 4);
        assert_eq!(nice_ceiling(3), 4);
        assert_eq!(nice_ceiling(7), 8);
        assert_eq!(nice_ceiling(20), 20);
        assert_eq!(nice_ceiling(21), 40);
        assert_eq!(nice_ceiling(130), 200);
        for max in 0..3000 {
            let c = nice_ceiling(max);
            assert!(c >= max && c.is_multiple_of(4), "{max} -> {c}");
        }
    }

    #[test]
    fn bars_stack_and_carry_their_numbers() {
        let s = svg(&[day(1, 3, 1), day(2, 0, 0), day(3, 0, 2)]);
        assert!(s.starts_with("<svg ") && s.ends_with("</svg>"));
        assert!(s.contains("<title>2026-11-01: 3 answered, 1 unmatched</title>"));
        assert!(s.contains("<title>2026-11-02: 0 answered, 0 unmatched</title>"));
        assert_eq!(s.matches(ANSWERED_COLOUR).count(), 1);
        assert_eq!(s.matches(UNMATCHED_COLOUR).count(), 2);
        assert!(s.contains(">Nov 1</text>"));
        // A single day, and a very long period, still draw.
        assert!(svg(&[day(1, 0, 0)]).contains("</svg>"));
        let year: Vec<Day> = (0..400)
            .map(|i| Day {
                date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i),
                answered: 1,
                unmatched: 0,
            })
            .collect();
        let s = svg(&year);
        assert!(
            s.matches("<text").count() <= 5 + MAX_LABELS,
            "labels stay readable"
        );
        assert!(s.contains(">2025-01-01</text>"));
    }
}
