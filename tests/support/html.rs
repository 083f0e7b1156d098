//! Telegram's HTML parse mode, as strictly as Telegram applies it: only its
//! few tags, every `<`, `>` and `&` in text escaped, tags properly nested.

const TAGS: [&str; 15] = [
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
];

/// The text a reader sees, or Telegram's complaint.
pub fn parse(html: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or_else(|| {
                    format!(
                        "Can't find end of the tag at byte offset {}",
                        html.len() - rest.len()
                    )
                })?;
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match open.pop() {
                        Some(o) if o == name => {}
                        _ => {
                            return Err(format!(
                                "Can't find end tag corresponding to start tag \"{name}\""
                            ));
                        }
                    }
                } else {
                    let name: String = tag
                        .split(|c: char| c.is_whitespace())
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if !TAGS.contains(&name.as_str()) {
                        return Err(format!("Unsupported start tag \"{name}\""));
                    }
                    let attrs = tag[name.len()..].trim();
                    if name == "a" && !attrs.starts_with("href=\"") {
                        return Err("Can't parse entities: bad link".into());
                    }
                    let expandable = name == "blockquote" && attrs == "expandable";
                    if name != "a"
                        && name != "span"
                        && name != "pre"
                        && name != "code"
                        && !expandable
                        && !attrs.is_empty()
                    {
                        return Err(format!("Unsupported attribute in tag \"{name}\""));
                    }
                    open.push(name);
                }
            }
            '>' => return Err("Unexpected end tag character '>'".into()),
            '&' => {
                let end = rest
                    .find(';')
                    .filter(|&e| e <= 10)
                    .ok_or("Can't find end of the entity")?;
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or("Unsupported entity")?,
                    e if e.starts_with('#') => e[1..]
                        .parse()
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or("Unsupported entity")?,
                    _ => return Err(format!("Unsupported entity \"{entity}\"")),
                };
                out.push(decoded);
                rest = &rest[end + 1..];
            }
            c => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(tag) = open.pop() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{tag}\""
        ));
    }
    Ok(out)
}

#[test]
fn parses_like_telegram() {
    assert_eq!(parse("<b>a</b> &lt;&amp;&gt;").unwrap(), "a <&>");
    assert!(parse("a < b").is_err());
    assert!(parse("a & b").is_err());
    assert!(parse("<b>x").is_err());
    assert!(parse("<script>x</script>").is_err());
    assert!(parse("<b><i>x</b></i>").is_err());
    assert_eq!(
        parse("<a href=\"https://x.org/?a=1&amp;b=2\">x</a>").unwrap(),
        "x"
    );
}
