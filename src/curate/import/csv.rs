//! Spreadsheet exports: CSV with a header row naming the columns
//! `question`, `answer` and optionally `alternates` (separated by `|`).
//!
//! Spreadsheets export CSV in their locale's habits, so the delimiter may be
//! a comma, a semicolon or a tab, and the file may start with a byte-order
//! mark. A structural problem (a row with more or fewer fields than the
//! header, usually an answer with a comma that lost its quotes) shifts every
//! field after it, so it refuses the whole file rather than draft garbage.

use super::{Candidate, Parsed, Skipped};

const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// Parses a CSV export, or says what is wrong with it and how to fix it.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty: export the sheet with a header row `question,answer` and one row per entry".into());
    }
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = DELIMITERS
        .into_iter()
        .find(|&d| {
            header_line
                .split(d as char)
                .any(|f| column_name(f) == "question")
        })
        .unwrap_or(b',');
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|err| describe(&err))?
        .iter()
        .map(column_name)
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(question), Some(answer)) = (column("question"), column("answer")) else {
        return Err(format!(
            "the first row is `{}`, but it must name the columns `question` and `answer` (and optionally `alternates`): add that header row and export again",
            header_line.trim()
        ));
    };
    for name in ["question", "answer", "alternates"] {
        if headers.iter().filter(|h| *h == name).count() > 1 {
            return Err(format!(
                "the header names the column `{name}` twice: rename or delete one"
            ));
        }
    }
    let alternates = column("alternates");
    let mut parsed = Parsed::default();
    for (i, name) in headers.iter().enumerate() {
        if ![Some(question), Some(answer), alternates].contains(&Some(i)) {
            parsed.skipped.push(Skipped::at(
                1,
                format!("column `{name}`"),
                "not a column faqbot uses (question, answer, alternates)",
            ));
        }
    }
    for row in reader.records() {
        let row = row.map_err(|err| describe(&err))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| row.get(i).unwrap_or_default().trim();
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let q = field(question)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if q.is_empty() {
            parsed
                .skipped
                .push(Skipped::at(line, "", "the question is empty"));
            continue;
        }
        let a = field(answer);
        parsed.candidates.push(Candidate {
            line,
            question: q,
            alternates: alternates
                .map(|i| {
                    field(i)
                        .split('|')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            answer: (!a.is_empty()).then(|| a.replace("\r\n", "\n")),
            notes: Vec::new(),
        });
    }
    Ok(parsed)
}

fn column_name(field: &str) -> String {
    field.trim().trim_matches('"').trim().to_lowercase()
}

/// A CSV error as a curator can act on it.
fn describe(err: &::csv::Error) -> String {
    match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {} has {len} field(s) but the header has {expected_len}. Text containing a comma must be in double quotes, which spreadsheets add when they export CSV: fix that line (or export the sheet again) and import again",
            pos.as_ref().map_or(0, |p| p.line())
        ),
        _ => format!("the CSV cannot be read: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_questions_answers_and_alternates() {
        let text = "\u{feff}Question,Answer,Alternates,Notes\n\"How do I store it?\",\"Cool, dry place.\nAway from kids.\",mag storage | storing magnesium|,x\n,no question,,\n,,,\nWhat about zinc?,,,\n";
        let p = parse(text).unwrap();
        assert_eq!(p.candidates.len(), 2);
        let c = &p.candidates[0];
        assert_eq!(c.question, "How do I store it?");
        assert_eq!(
            c.answer.as_deref(),
            Some("Cool, dry place.\nAway from kids.")
        );
        assert_eq!(c.alternates, ["mag storage", "storing magnesium"]);
        assert_eq!(c.line, 2);
        assert_eq!(
            p.candidates[1].answer, None,
            "an empty answer makes a placeholder"
        );
        let why: Vec<(String, &str)> = p
            .skipped
            .iter()
            .map(|s| (s.place(), s.why.as_str()))
            .collect();
        assert_eq!(
            why[0],
            (
                "line 1".into(),
                "not a column faqbot uses (question, answer, alternates)"
            )
        );
        assert_eq!(why[1], ("line 4".into(), "the question is empty"));
    }

    #[test]
    fn semicolon_and_tab_exports() {
        for d in [";", "\t"] {
            let text = format!("question{d}answer\nWhat is it?{d}A thing, really.\n");
            let p = parse(&text).unwrap();
            assert_eq!(p.candidates[0].answer.as_deref(), Some("A thing, really."));
        }
    }

    #[test]
    fn malformed_files_are_refused_whole_with_the_fix() {
        let err = parse("question,answer\nOk?,Fine\nBroken?,one, two\n").unwrap_err();
        assert!(
            err.starts_with("line 3 has 3 field(s) but the header has 2"),
            "{err}"
        );
        assert!(err.contains("double quotes"), "{err}");
        let err = parse("q,a\nx,y\n").unwrap_err();
        assert!(
            err.contains("must name the columns `question` and `answer`"),
            "{err}"
        );
        let err = parse("question,answer,answer\nx,y,z\n").unwrap_err();
        assert!(err.contains("twice"), "{err}");
        assert!(parse("").unwrap_err().contains("empty"));
        let err = parse("question,answer\n\"unclosed,quote\n").unwrap_err();
        assert!(!err.is_empty());
    }
}
