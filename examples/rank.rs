//! Development aid: how often the sentence stage alone ranks the right
//! entry first, for questions in a JSON-lines file (`q` and `entry`), with
//! the FAQ folder's tuning (if any) and without.
//!
//! cargo run --release --example rank -- FAQ_DIR QUESTIONS.jsonl

use faqbot::engine::Model;
use faqbot::semantic::{self, SemanticIndex};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = match (args.get(1), args.get(2)) {
        (Some(d), Some(f)) => (d, f),
        _ => anyhow::bail!("usage: rank FAQ_DIR QUESTIONS.jsonl"),
    };
    let faq = faqbot::content::load(std::path::Path::new(dir)).into_result()?;
    let mut rows = Vec::new();
    for line in std::fs::read_to_string(file)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if let (Some(q), Some(e)) = (v["q"].as_str(), v["entry"].as_str()) {
            rows.push((q.to_string(), e.to_string()));
        }
    }
    let model = Model::built_in();
    let tuned = model.tuning_for(&faq)?;
    for (label, tuning) in [("untuned", None), ("tuned", tuned.as_ref().map(|t| &t.0))] {
        let encoder = model.encoder(tuning)?;
        let index = SemanticIndex::build(encoder, &faq, None)?;
        let mut right = 0;
        for (q, e) in &rows {
            let parts = semantic::parts(q);
            let vectors = index.embed(&parts)?;
            let ranked = index.rank(&vectors);
            if ranked
                .first()
                .is_some_and(|s| &faq.entries[s.entry].id == e)
            {
                right += 1;
            }
        }
        println!("{label}: {right}/{} ranked first", rows.len());
    }
    Ok(())
}
