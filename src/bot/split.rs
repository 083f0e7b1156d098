//! Splits a Telegram-HTML reply into messages that each fit Telegram's limit.
//!
//! Telegram counts a message's length after parsing its HTML, in UTF-16 code
//! units, so tags cost nothing and `&amp;` costs one. A reply is cut at the
//! last paragraph break that fits, else the last line break, else the last
//! space, else anywhere between two characters. Tags open at a cut are closed
//! at the end of one part and reopened at the start of the next, so every
//! part is valid HTML on its own (Telegram rejects a message with an
//! unclosed `<b>`).

/// Telegram's limit for one message, in UTF-16 code units.
pub const MESSAGE_LIMIT: usize = crate::content::answer::TELEGRAM_MESSAGE_LIMIT;

/// Splits `html` into parts of at most `limit` visible UTF-16 units each.
/// Whitespace at a cut is dropped; parts with nothing visible are skipped.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(1);
    let mut parts = Vec::new();
    let mut rest = html.trim().to_string();
    while !rest.is_empty() {
        let Some(cut) = find_cut(&rest, limit) else {
            push_part(&mut parts, rest);
            break;
        };
        let mut part = rest[..cut.at].trim_end().to_string();
        for open in cut.open.iter().rev() {
            part.push_str("</");
            part.push_str(tag_name(open));
            part.push('>');
        }
        push_part(&mut parts, part);
        let mut next: String = cut.open.concat();
        next.push_str(rest[cut.at..].trim_start());
        rest = next;
    }
    parts
}

/// Visible length of Telegram HTML: text with tags removed and entities
/// decoded, in UTF-16 code units.
pub fn visible_len(html: &str) -> usize {
    let mut len = 0;
    for token in tokens(html) {
        if let Token::Text(text) = token {
            len += text_len(text);
        }
    }
    len
}

/// The text of Telegram HTML as the reader sees it: tags removed, entities
/// decoded. For sending a reply as plain text when its HTML is refused.
pub fn html_to_text(html: &str) -> String {
    tokens(html)
        .filter_map(|t| match t {
            Token::Text(text) => Some(
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            ),
            _ => None,
        })
        .collect()
}

/// A cut position in bytes and the tags (raw opening tags) open there.
#[derive(Clone)]
struct Cut {
    at: usize,
    open: Vec<String>,
}

/// Where to end the first part, or `None` if everything fits.
fn find_cut(html: &str, limit: usize) -> Option<Cut> {
    // Best break seen so far at each strength: paragraph, line, space.
    let mut breaks: [Option<Cut>; 3] = [None, None, None];
    let mut open: Vec<String> = Vec::new();
    let mut seen = 0;
    let mut offset = 0;
    let mut last_char_end: Option<Cut> = None;
    let mut prev: Option<char> = None;
    for token in tokens(html) {
        let start = offset;
        offset += token.raw().len();
        match token {
            Token::Open(raw) => open.push(raw.to_string()),
            Token::Close(raw) => {
                let name = tag_name(raw);
                if let Some(i) = open.iter().rposition(|o| tag_name(o) == name) {
                    open.truncate(i);
                }
            }
            Token::Text(text) => {
                for (i, unit) in text_units(text) {
                    let at = start + i;
                    // Whitespace is a place to cut *before*: it is dropped
                    // at a cut, so it need not fit.
                    let before = || Cut {
                        at,
                        open: open.clone(),
                    };
                    match unit.ch {
                        '\n' => {
                            if prev == Some('\n') {
                                // Before the first of the two newlines.
                                breaks[0] = breaks[1].take();
                            }
                            breaks[1] = Some(before());
                        }
                        ' ' => breaks[2] = Some(before()),
                        _ => {}
                    }
                    if seen + unit.len > limit {
                        if seen == 0 {
                            // One character wider than the limit: it goes
                            // alone, so that every part makes progress.
                            return Some(Cut {
                                at: at + unit.bytes,
                                open,
                            });
                        }
                        return breaks.into_iter().flatten().next().or(last_char_end);
                    }
                    seen += unit.len;
                    prev = Some(unit.ch);
                    last_char_end = Some(Cut {
                        at: at + unit.bytes,
                        open: open.clone(),
                    });
                }
            }
        }
    }
    None
}

fn push_part(parts: &mut Vec<String>, part: String) {
    if visible_len(&part) > 0 && !strip_tags(&part).trim().is_empty() {
        parts.push(part);
    }
}

fn strip_tags(html: &str) -> String {
    tokens(html)
        .filter_map(|t| match t {
            Token::Text(text) => Some(text),
            _ => None,
        })
        .collect()
}

/// `<a href="x">` -> `a`; `</b>` -> `b`.
fn tag_name(raw: &str) -> &str {
    let inner = raw.trim_start_matches('<').trim_start_matches('/');
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(inner.len());
    &inner[..end]
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Open(&'a str),
    Close(&'a str),
    Text(&'a str),
}

impl<'a> Token<'a> {
    fn raw(&self) -> &'a str {
        match *self {
            Token::Open(s) | Token::Close(s) | Token::Text(s) => s,
        }
    }
}

/// Tags and text runs, in order. Input we make is well formed; anything
/// else (a stray `<`) is treated as text rather than panicking.
fn tokens(html: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with('<')
            && let Some(end) = rest.find('>')
        {
            let (tag, tail) = rest.split_at(end + 1);
            rest = tail;
            return Some(if tag.starts_with("</") {
                Token::Close(tag)
            } else {
                Token::Open(tag)
            });
        }
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        let (text, tail) = rest.split_at(end);
        rest = tail;
        Some(Token::Text(text))
    })
}

/// One visible character: its byte length in the HTML (an entity counts as
/// one character) and its UTF-16 length.
struct Unit {
    ch: char,
    bytes: usize,
    len: usize,
}

fn text_units(text: &str) -> impl Iterator<Item = (usize, Unit)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let rest = &text[i..];
        let ch = rest.chars().next()?;
        let start = i;
        let unit = if ch == '&'
            && let Some(end) = rest.find(';').filter(|&e| e <= 10)
        {
            Unit {
                ch: '&',
                bytes: end + 1,
                len: 1,
            }
        } else {
            Unit {
                ch,
                bytes: ch.len_utf8(),
                len: ch.len_utf16(),
            }
        };
        i += unit.bytes;
        Some((start, unit))
    })
}

fn text_len(text: &str) -> usize {
    text_units(text).map(|(_, u)| u.len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_part() {
        assert_eq!(
            split_html("<b>hi</b> &amp; bye", 4096),
            ["<b>hi</b> &amp; bye"]
        );
        assert_eq!(visible_len("<b>hi</b> &amp; bye"), 8);
        assert_eq!(visible_len("🙂"), 2);
    }

    #[test]
    fn cuts_at_paragraphs_first() {
        let html = "aaaa bbbb\n\ncccc dddd\n\neeee";
        assert_eq!(split_html(html, 21), ["aaaa bbbb\n\ncccc dddd", "eeee"]);
        assert_eq!(split_html(html, 12), ["aaaa bbbb", "cccc dddd", "eeee"]);
    }

    #[test]
    fn falls_back_to_lines_spaces_and_characters() {
        // A line break is preferred to a later space.
        assert_eq!(split_html("aaa\nbbb ccc", 8), ["aaa", "bbb ccc"]);
        assert_eq!(split_html("aaa bbb\nccc", 8), ["aaa bbb", "ccc"]);
        assert_eq!(split_html("aaa bbb ccc", 8), ["aaa bbb", "ccc"]);
        assert_eq!(split_html("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn reopens_tags_across_a_cut() {
        let parts = split_html("<i>one\n\ntwo</i> <a href=\"x\">three four</a>", 6);
        assert_eq!(
            parts,
            [
                "<i>one</i>",
                "<i>two</i>",
                "<a href=\"x\">three</a>",
                "<a href=\"x\">four</a>"
            ]
        );
    }

    #[test]
    fn never_cuts_inside_an_entity_or_a_surrogate_pair() {
        let parts = split_html("&amp;&amp;&amp;", 2);
        assert_eq!(parts, ["&amp;&amp;", "&amp;"]);
        let parts = split_html("🙂🙂🙂", 5);
        assert_eq!(parts, ["🙂🙂", "🙂"]);
    }

    #[test]
    fn every_part_fits_and_nothing_is_lost() {
        let para = "word ".repeat(300);
        let html = format!("<b>Title</b>\n\n{para}\n\n<i>{para}</i>\n\n{para}");
        let parts = split_html(&html, 1000);
        assert!(parts.len() >= 5, "{}", parts.len());
        for p in &parts {
            assert!(visible_len(p) <= 1000);
        }
        let words = |s: &str| strip_tags(s).split_whitespace().count();
        let total: usize = parts.iter().map(|p| words(p)).sum();
        assert_eq!(total, words(&html));
    }

    #[test]
    fn html_to_text_decodes() {
        assert_eq!(
            html_to_text("<b>a &lt;b&gt;</b> &amp;amp; &quot;"),
            "a <b> &amp; \""
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["<", "a < b", "&", "&&&;", "<b", "</b>", "<b>\n\n</b>", ""] {
            for limit in [0, 1, 2, 5] {
                let _ = split_html(s, limit);
            }
        }
    }
}
