//! The front matter's mistakes, in a curator's words, on the right line.
//!
//! A YAML parser reports what it could not build, where it noticed: a
//! missing colon after `alternates` surfaces lines later as "invalid type:
//! string, expected struct FrontMatter"; a colon inside an alternate as
//! "data did not match any variant of untagged enum"; and an item indented
//! under the one above is no error at all, but silently merged into it.
//! Entry front matter is a tiny language (three keys, two of them lists), so
//! [`lint`] reads it line by line first and names each of these mistakes
//! where it is, with the fix. Anything it does not recognise is left to the
//! parser, whose message [`plain_message`] then rewords.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// The keys an entry's front matter may hold (`translated_from` in a
/// translation only, see [`super::translation`]).
pub const KEYS: [&str; 5] = [
    "question",
    "alternates",
    "related",
    "status",
    "translated_from",
];

/// What a list key's items are called in messages.
fn item_name(key: &str) -> &'static str {
    match key {
        "related" => "related id",
        _ => "alternate",
    }
}

/// Finds the mistakes in front matter `lines`, whose first line is line
/// `first` of the file. Returns (file line, message) pairs; empty when the
/// lines look right (the parser still has the last word).
pub fn lint(lines: &[&str], first: usize) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    // The key whose value is being read, and the line it is on.
    let mut key: Option<(&str, usize)> = None;
    // Column of the current list's `-`, and the line of its last item.
    let mut list: Option<(usize, usize)> = None;
    // Inside a `key: |` block: lines indented past this belong to it.
    let mut block: Option<usize> = None;
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = first + i;
        let content = raw.trim_start_matches([' ', '\t']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent_text = &raw[..raw.len() - content.len()];
        if indent_text.contains('\t') {
            found.push((
                line,
                "this line is indented with a tab, which YAML does not accept: indent with spaces instead".to_string(),
            ));
            return found;
        }
        let indent = indent_text.len();
        if let Some(block_indent) = block {
            if indent > block_indent {
                continue;
            }
            block = None;
        }
        let item = content == "-" || content.starts_with("- ");
        if item {
            let Some((name, _)) = key else {
                found.push((
                    line,
                    "this list item belongs to no key: put it under `alternates:` (or `related:`)"
                        .to_string(),
                ));
                continue;
            };
            match list {
                None => list = Some((indent, line)),
                Some((column, above)) if indent > column => {
                    found.push((
                        line,
                        format!(
                            "this {} is indented further than the one on line {above}, so it would be joined to that one: line up its `-` with the `-` above",
                            item_name(name)
                        ),
                    ));
                    list = Some((column, line));
                    continue;
                }
                Some((column, above)) if indent < column => {
                    found.push((
                        line,
                        format!(
                            "this {} is indented less than the one on line {above}: line up its `-` with the `-` above",
                            item_name(name)
                        ),
                    ));
                    list = Some((column, line));
                    continue;
                }
                Some((column, _)) => list = Some((column, line)),
            }
            let text = content[1..].trim();
            if !lint_text(text, item_name(name), "- ", line, &mut found) {
                return found;
            }
            continue;
        }
        if let Some((column, above)) = list
            && indent > column
        {
            let what = key.map_or("item", |(name, _)| item_name(name));
            found.push((
                line,
                format!(
                    "this line is indented under the {what} on line {above}, so it would be joined to it: to make it a phrasing of its own, start it with `- ` lined up with the `-` above; otherwise move it onto line {above}"
                ),
            ));
            continue;
        }
        if indent > 0 {
            if let Some(name) = leading_key(content).filter(|k| KEYS.contains(k)) {
                found.push((
                    line,
                    format!("`{name}:` is indented: keys start at the very beginning of the line"),
                ));
                continue;
            }
            // A question wrapped onto the next line: valid YAML.
            if matches!(key, Some(("question", _))) && list.is_none() {
                continue;
            }
            // Anything else is the parser's to judge.
            continue;
        }
        // A line at the margin starts a key.
        list = None;
        let Some(name) = leading_key(content) else {
            found.push((line, no_colon(content)));
            // Read what follows as the key meant, so its items are not
            // reported again as belonging to nothing.
            let word: String = content
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            key = closest_key(&word).map(|k| (k, line));
            continue;
        };
        if !KEYS.contains(&name) {
            found.push((line, unknown_key(name)));
            key = closest_key(name).map(|k| (k, line));
            continue;
        }
        if let Some(&(_, earlier)) = seen.iter().find(|(k, _)| *k == name) {
            found.push((
                line,
                format!(
                    "`{name}:` is written twice (also on line {earlier}): keep one and put everything under it"
                ),
            ));
        }
        seen.push((name, line));
        key = Some((name, line));
        let value = content[name.len()..].trim_start()[1..].trim();
        if value.starts_with('|') || value.starts_with('>') {
            block = Some(indent);
            continue;
        }
        if name != "question" && (value.starts_with('[') || value.starts_with('{')) {
            if !(value.ends_with(']') || value.ends_with('}')) {
                // A list spread over several lines: the parser's to judge.
                return found;
            }
            continue;
        }
        let what = if name == "question" {
            "question"
        } else {
            item_name(name)
        };
        let prefix = format!("{name}: ");
        if !lint_text(value, what, &prefix, line, &mut found) {
            return found;
        }
    }
    found
}

/// Checks one value written after `prefix` (`- ` or `question: `). Returns
/// false when the rest of the front matter cannot be read line by line (a
/// quote left open).
fn lint_text(
    text: &str,
    what: &str,
    prefix: &str,
    line: usize,
    found: &mut Vec<(usize, String)>,
) -> bool {
    if text.starts_with('"') || text.starts_with('\'') {
        let quote = &text[..1];
        // Closed somewhere after the opening quote (a comment may follow).
        if !text[1..].contains(quote) {
            found.push((
                line,
                format!(
                    "this {what} opens a quote ({quote}) that does not close at the end of the line: end it with {quote}"
                ),
            ));
            return false;
        }
        return true;
    }
    let quoted = format!("{prefix}\"{}\"", text.replace('"', "'"));
    if text.contains(": ") || text.ends_with(':') {
        found.push((
            line,
            format!(
                "this {what} contains a colon, which YAML reads as the start of another key: put the whole {what} in double quotes, like {quoted}"
            ),
        ));
    } else if text.contains(" #") {
        found.push((
            line,
            format!(
                "` #` starts a comment in YAML, so everything after it in this {what} would be lost: put the whole {what} in double quotes, like {quoted}"
            ),
        ));
    } else if let Some(first) = text.chars().next()
        && "[]{}&*!|>%@`,".contains(first)
    {
        found.push((
            line,
            format!(
                "this {what} starts with `{first}`, which means something special in YAML: put the whole {what} in double quotes, like {quoted}"
            ),
        ));
    }
    true
}

/// The key a line starts with (`name:` followed by a space or the end).
fn leading_key(content: &str) -> Option<&str> {
    let end = content.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    let name = &content[..end];
    let rest = content[end..].trim_start_matches(' ');
    let after = rest.strip_prefix(':')?;
    (!name.is_empty() && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(name)
}

/// The message for a line at the margin that is not `key: value`.
fn no_colon(content: &str) -> String {
    let word: String = content
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let rest = content[word.len()..].trim_start();
    if let Some(key) = closest_key(&word) {
        if let Some(text) = rest.strip_prefix(':') {
            return format!(
                "`{key}:` needs a space after the colon: write `{key}: {}`",
                text.trim()
            );
        }
        return if rest.is_empty() {
            format!("`{key}` needs a colon after it: write `{key}:`")
        } else {
            format!("`{key}` needs a colon after it: write `{key}: {rest}`")
        };
    }
    "this line is not `key: value`: the front matter holds only `question:`, `alternates:` and `related:` lines, and `- ` items under the last two. If the line continues the one above, join them".to_string()
}

fn unknown_key(name: &str) -> String {
    match closest_key(name) {
        Some(key) => format!(
            "`{name}` is not something an entry can have: did you mean `{key}`? (keys are written in lower case: question, alternates, related)"
        ),
        None => format!(
            "`{name}` is not something an entry can have: the keys are question, alternates and related"
        ),
    }
}

/// The known key `word` is, allowing for case, a missing or extra `s`, and
/// one or two typos.
fn closest_key(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    if lower.is_empty() {
        return None;
    }
    KEYS.iter()
        .map(|key| (strsim::damerau_levenshtein(&lower, key), *key))
        .filter(|(distance, key)| *distance <= if key.len() > 6 { 2 } else { 1 })
        .min()
        .map(|(_, key)| key)
}

/// The parser's message, in plain words and without Rust type names.
pub fn plain_message(message: &str) -> String {
    // serde_norway appends " at line N column M"; the problem names the line.
    let message = message.find(" at line ").map_or(message, |i| &message[..i]);
    if message.contains("expected struct") {
        return "the front matter must be lines of `key: value` (question, alternates, related); one of them is missing its colon".to_string();
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some(name) = rest.split('`').next()
    {
        return unknown_key(name);
    }
    if let Some(rest) = message.strip_prefix("duplicate field `")
        && let Some(name) = rest.split('`').next()
    {
        return format!("`{name}:` is written twice: keep one and put everything under it");
    }
    if message.contains("invalid type: sequence, expected a string") {
        return "the question must be one line of text, not a list: put the other wordings under `alternates:`".to_string();
    }
    if message.contains("mapping values are not allowed") {
        return "there is a colon where YAML does not expect one: put text that contains `: ` in double quotes".to_string();
    }
    if message.contains("did not find expected") || message.contains("while scanning") {
        return format!(
            "YAML could not read this ({message}): check the quotes and the `-` of list items, and put text that contains `: ` or starts with a special character in double quotes"
        );
    }
    format!(
        "{message}: put text that contains `: ` or starts with a special character in double quotes"
    )
}

/// `alternates` and `related`: a list, one text, or nothing at all
/// (`alternates:` with only comments under it). Items that are numbers
/// (`- 2024`) are kept as text; an item that reads as `key: value` gets
/// a message saying why.
#[derive(Debug, Default)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TextList, D::Error> {
        deserializer.deserialize_any(ListVisitor)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = TextList;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of phrasings, one per line starting with `- `")
    }

    fn visit_unit<E: de::Error>(self) -> Result<TextList, E> {
        Ok(TextList::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<TextList, E> {
        Ok(TextList::default())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<TextList, E> {
        Ok(TextList(vec![text.to_string()]))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<TextList, E> {
        Ok(TextList(vec![n.to_string()]))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<TextList, E> {
        Ok(TextList(vec![n.to_string()]))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<TextList, E> {
        Ok(TextList(vec![n.to_string()]))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<TextList, E> {
        Ok(TextList(vec![b.to_string()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TextList, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Item>()? {
            items.push(item.0);
        }
        Ok(TextList(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _map: A) -> Result<TextList, A::Error> {
        Err(de::Error::custom(
            "a list item reads as `key: value` because it contains a colon: put the whole item in double quotes",
        ))
    }
}

/// One list item: any scalar, as text.
struct Item(String);

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one phrasing of text")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Item, E> {
                Ok(Item(text.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
                Ok(Item(String::new()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Item, E> {
                Ok(Item(n.to_string()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Item, E> {
                Ok(Item(n.to_string()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Item, E> {
                Ok(Item(n.to_string()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Item, E> {
                Ok(Item(b.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, _map: A) -> Result<Item, A::Error> {
                Err(de::Error::custom(
                    "a list item reads as `key: value` because it contains a colon: put the whole item in double quotes",
                ))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Item, A::Error> {
                Err(de::Error::custom(
                    "a list item is itself a list (it starts with `[` or is indented under `- `): write each phrasing on its own `- ` line",
                ))
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_text_of(front: &str) -> Vec<(usize, String)> {
        let lines: Vec<&str> = front.lines().collect();
        // As in a file: the opening `---` is line 1.
        lint(&lines, 2)
    }

    #[test]
    fn good_front_matter_has_nothing_to_say() {
        for front in [
            "question: How much magnesium?\nalternates:\n  - mag dose\n  - \"dose: how much\"\nrelated:\n  - best-time",
            "question: How much?\nalternates:\n- indentless\n- items\nrelated: best-time",
            "question: \"Is < 350 mg safe?\"\nalternates: [a, b]\n# a comment\n",
            "question: >\n  folded: text\n  over lines\nalternates:\n  # examples to extend:\n  # - how much mag",
            "question: a long question\n  wrapped onto a second line\nalternates:\n  - x",
        ] {
            assert_eq!(lint_text_of(front), vec![], "{front}");
        }
    }

    #[test]
    fn each_mistake_is_named_on_its_line() {
        let cases: [(&str, usize, &str); 11] = [
            (
                "question: Q?\nalternates\n  - a",
                3,
                "`alternates` needs a colon after it: write `alternates:`",
            ),
            (
                "question How much magnesium?\nalternates:\n  - a",
                2,
                "`question` needs a colon after it: write `question: How much magnesium?`",
            ),
            (
                "question: Q?\nalternates:\n  - dose: how much",
                4,
                "put the whole alternate in double quotes, like - \"dose: how much\"",
            ),
            (
                "question: Q?\nalternates:\n  - a\n    - b",
                5,
                "indented further than the one on line 4",
            ),
            (
                "question: Q?\nalternates:\n  - a\n    b",
                5,
                "indented under the alternate on line 4",
            ),
            (
                "question: Q?\nalternate:\n  - a",
                3,
                "did you mean `alternates`?",
            ),
            ("Question: Q?", 2, "did you mean `question`?"),
            (
                "question: Magnesium: how much?",
                2,
                "put the whole question in double quotes",
            ),
            (
                "question: Q?\nalternates:\n  - mag #1 dose",
                4,
                "` #` starts a comment",
            ),
            ("question: Q?\nalternates:\n\t- a", 4, "tab"),
            (
                "question: Q?\nalternates:\n  - a\nalternates:\n  - b",
                5,
                "written twice (also on line 3)",
            ),
        ];
        for (front, line, words) in cases {
            let found = lint_text_of(front);
            assert!(
                found.iter().any(|(l, m)| *l == line && m.contains(words)),
                "{front:?}: {found:?}"
            );
        }
    }

    #[test]
    fn parser_messages_lose_their_rust_words() {
        for (message, words) in [
            (
                "invalid type: string \"question How\", expected struct FrontMatter at line 1 column 1",
                "missing its colon",
            ),
            (
                "unknown field `alternate`, expected one of `question`, `alternates`",
                "did you mean `alternates`?",
            ),
            (
                "invalid type: sequence, expected a string",
                "one line of text",
            ),
        ] {
            let plain = plain_message(message);
            assert!(plain.contains(words), "{plain}");
            assert!(
                !plain.contains("struct") && !plain.contains("enum"),
                "{plain}"
            );
        }
    }
}
