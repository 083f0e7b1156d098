//! Reading the bot's JSON Lines logs, tolerating damage.
//!
//! The bot appends to its logs while curators read them, a crash can leave
//! half a line behind, and people open logs in editors. So a line that does
//! not parse is counted and reported by its number, never fatal: one bad line
//! must not hide a month of questions. Nothing here writes to a log.

use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::de::DeserializeOwned;

/// The readable records of a log and the lines that were not.
#[derive(Debug)]
pub struct Lines<T> {
    pub records: Vec<T>,
    /// Damaged lines, in file order.
    pub bad: Vec<BadLine>,
}

/// A line that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadLine {
    /// 1-based line number, as editors show it.
    pub line: usize,
    pub reason: String,
}

/// Reads `path`. Only an unreadable file is an error; damaged lines are
/// returned in [`Lines::bad`].
pub fn read<T: DeserializeOwned>(path: &Path) -> std::io::Result<Lines<T>> {
    let file = std::fs::File::open(path)?;
    parse(BufReader::new(file))
}

/// Like [`read`], for a log already open (tests, standard input).
pub fn parse<T: DeserializeOwned>(mut reader: impl BufRead) -> std::io::Result<Lines<T>> {
    let mut lines = Lines {
        records: Vec::new(),
        bad: Vec::new(),
    };
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(lines);
        }
        number += 1;
        let complete = buf.last() == Some(&b'\n');
        let text = match std::str::from_utf8(&buf) {
            Ok(text) => text.trim(),
            Err(_) => {
                lines.bad.push(BadLine {
                    line: number,
                    reason: "not UTF-8 text".into(),
                });
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str(text) {
            Ok(record) => lines.records.push(record),
            Err(err) => lines.bad.push(BadLine {
                line: number,
                reason: if complete {
                    describe(&err)
                } else {
                    "cut off at the end of the file (the bot may have stopped while writing it)"
                        .into()
                },
            }),
        }
    }
}

/// serde_json's message without its " at line 1 column N" tail: every log
/// line is line 1 to serde_json, and the real line number is shown anyway.
fn describe(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    match err.classify() {
        serde_json::error::Category::Data => format!("not a log record: {msg}"),
        _ => format!("not valid JSON: {msg}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct R {
        n: u32,
    }

    fn parse_str(bytes: &[u8]) -> Lines<R> {
        parse(bytes).unwrap()
    }

    #[test]
    fn reads_good_lines_and_skips_blank_ones() {
        let lines = parse_str(b"{\"n\":1}\n\n  \r\n{\"n\":2}\r\n");
        assert_eq!(lines.records, vec![R { n: 1 }, R { n: 2 }]);
        assert!(lines.bad.is_empty());
    }

    #[test]
    fn damaged_lines_are_counted_by_number_and_reading_goes_on() {
        let lines = parse_str(b"{\"n\":1}\nnot json\n{\"x\":2}\n\xff\xfe\n{\"n\":3}\n{\"n\":");
        assert_eq!(lines.records, vec![R { n: 1 }, R { n: 3 }]);
        let bad: Vec<(usize, &str)> = lines
            .bad
            .iter()
            .map(|b| (b.line, b.reason.as_str()))
            .collect();
        assert_eq!(bad.len(), 4, "{bad:?}");
        assert_eq!(bad[0].0, 2);
        assert!(bad[0].1.starts_with("not valid JSON"), "{bad:?}");
        assert_eq!(bad[1].0, 3);
        assert!(bad[1].1.contains("missing field `n`"), "{bad:?}");
        assert_eq!(bad[2], (4, "not UTF-8 text"));
        assert_eq!(bad[3].0, 6);
        assert!(bad[3].1.starts_with("cut off"), "{bad:?}");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let err = read::<R>(Path::new("/definitely/not/here.jsonl")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    }
}
