//! Development aid: triage's meaning scores of messages in other languages
//! with the multilingual model: for each line of a JSONL set (`q`,
//! `urgent`), the whole message's nearest urgent example, nearest ordinary
//! example, nearest FAQ phrasing and nearest outside example.
//!
//! cargo run --release --example triage_other -- FAQ_DIR SET.jsonl

use faqbot::semantic::{Base, Encoder, SemanticIndex, dot};
use faqbot::triage::Examples;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = match (args.get(1), args.get(2)) {
        (Some(d), Some(f)) => (d, f),
        _ => anyhow::bail!("usage: triage_other FAQ_DIR SET.jsonl"),
    };
    let faq = faqbot::content::load(std::path::Path::new(dir)).into_result()?;
    let encoder = std::sync::Arc::new(Encoder::new(&Base::embedded_multilingual()?, None)?);
    let index = SemanticIndex::build(encoder.clone(), &faq, None)?;
    let (urgent, ordinary) = Examples::texts(&faq.triage);
    let urgent_texts: Vec<&str> = urgent.iter().map(|(t, _)| *t).collect();
    let uv = encoder.embed_all(&urgent_texts)?;
    let ov = encoder.embed_all(&ordinary)?;
    let outside: Vec<&str> = faq
        .outside
        .examples()
        .map(|(e, _)| e.text.as_str())
        .collect();
    let xv = encoder.embed_all(&outside)?;
    let examples = Examples::new(
        encoder.dim(),
        uv.into_iter().zip(urgent.iter().map(|(_, c)| *c)).collect(),
        ov.clone(),
    );
    for line in std::fs::read_to_string(file)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let q = v["q"].as_str().unwrap_or("");
        let urgent = v["urgent"].as_bool().unwrap_or(false);
        let vector = &encoder.embed(&[q])?[0];
        let (u, cat, o) = examples.closest(vector);
        let faq_sim = index.closest(vector);
        let out = xv.iter().map(|x| dot(x, vector)).fold(f32::MIN, f32::max);
        println!(
            "{}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{}\t{}",
            if urgent { "URG" } else { "-" },
            u,
            o,
            faq_sim,
            out,
            faq.triage
                .categories
                .get(cat)
                .map_or("", |c| c.name.as_str()),
            q.chars().take(60).collect::<String>()
        );
    }
    Ok(())
}
