//! Development aid: the language `analysis::language` finds for each line
//! of standard input, with the shipped FAQ's vocabulary as the English it
//! knows, as "CODE<TAB>LINE".
//!
//! cargo run --release --example language [FAQ_DIR] < messages.txt

use std::io::BufRead;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "faq".to_string());
    let faq = faqbot::content::load(std::path::Path::new(&dir)).into_result()?;
    let matcher = faqbot::matcher::Matcher::new(&faq);
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let language =
            faqbot::analysis::language::detect(&line, None, |w| matcher.knows_english(w));
        println!("{language}\t{line}");
    }
    Ok(())
}
