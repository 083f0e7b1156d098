//! Development aid: the lean Unigram tokenizer against the `tokenizers`
//! crate's own, on each line of standard input; prints the lines where the
//! ids differ and a count.
//!
//! cargo run --release --example tokens_agree -- models/multilingual-e5-small/tokenizer.json < lines.txt

use std::io::BufRead;

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path)?;
    let lean = faqbot::semantic::TextTokenizer::from_bytes(&bytes).map_err(anyhow::Error::msg)?;
    let full = tokenizers::Tokenizer::from_bytes(&bytes).map_err(anyhow::Error::msg)?;
    let (mut lines, mut differ) = (0, 0);
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        lines += 1;
        let want = full
            .encode(line.as_str(), true)
            .map_err(anyhow::Error::msg)?
            .get_ids()
            .to_vec();
        if lean.ids(&line).map_err(anyhow::Error::msg)? != want {
            differ += 1;
            println!("differs: {line}");
        }
    }
    println!("{differ} of {lines} lines differ");
    Ok(())
}
