//! Development aid: the learned head alone as the decision, tuned and
//! untuned, on a chat-style set (rows with `kind` answer/refuse/smalltalk
//! and `entry`). `SHOW=1` prints every row's decision.
//!
//! cargo run --release --example decide -- FAQ_DIR SET.jsonl

use faqbot::engine::{Model, learned};
use faqbot::semantic::{self, SemanticIndex};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = match (args.get(1), args.get(2)) {
        (Some(d), Some(f)) => (d, f),
        _ => anyhow::bail!("usage: decide FAQ_DIR SET.jsonl"),
    };
    let faq = faqbot::content::load(std::path::Path::new(dir)).into_result()?;
    let mut rows = Vec::new();
    for line in std::fs::read_to_string(file)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let kind = v["kind"].as_str().unwrap_or("").to_string();
        rows.push((
            v["q"].as_str().unwrap_or("").to_string(),
            kind,
            v["entry"].as_str().map(str::to_string),
        ));
    }
    let model = Model::built_in();
    let tuned = model.tuning_for(&faq)?;
    let n = faq.entries.len();
    for (label, tuning) in [("untuned", None), ("tuned", tuned.as_ref().map(|t| &t.0))] {
        let encoder = model.encoder(tuning)?;
        let index = SemanticIndex::build(encoder.clone(), &faq, None)?;
        let outside: Vec<&str> = faq
            .outside
            .examples()
            .map(|(e, _)| e.text.as_str())
            .collect();
        let outside_vectors = encoder.embed_all(&outside)?;
        let mut examples: Vec<(&[f32], usize)> = Vec::new();
        for (e, entry) in faq.entries.iter().enumerate() {
            for p in 0..entry.phrasings().count() {
                if let Some(v) = index.phrasing_vector(e, p) {
                    examples.push((v, e));
                }
            }
        }
        let (st_texts, st_kinds): (Vec<&str>, Vec<usize>) = faq.smalltalk.examples().unzip();
        let st_vectors = encoder.embed_all(&st_texts)?;
        let kinds = faq.smalltalk.kinds.len();
        let with_st = std::env::var_os("SMALLTALK_CLASSES").is_some();
        if with_st {
            examples.extend(
                st_vectors
                    .iter()
                    .zip(&st_kinds)
                    .map(|(v, k)| (v.as_slice(), n + k)),
            );
        }
        // outside last (the head weighs the last class as outside)
        let outside_class = if with_st { n + kinds } else { n };
        examples.extend(
            outside_vectors
                .iter()
                .map(|v| (v.as_slice(), outside_class)),
        );
        let head = learned::Head::train(&examples, outside_class + 1).expect("head");
        let mut decided = Vec::new();
        for (q, kind, entry) in &rows {
            let parts = semantic::parts(q);
            let vectors = index.embed(&parts)?;
            let ranked = index.rank(&vectors);
            let part = ranked.first().map_or(0, |s| s.part);
            let (class, p) = head.best(&vectors[part]);
            decided.push((kind.clone(), entry.clone(), class, p));
            if kind == "smalltalk" || std::env::var_os("SHOW").is_some() {
                let what = if class < n {
                    faq.entries[class].id.clone()
                } else if class < outside_class {
                    format!("smalltalk:{}", faq.smalltalk.kinds[class - n].name)
                } else {
                    "outside".into()
                };
                println!("  {kind:9} {what:30} {p:.2} {q}");
            }
        }
        for t in [0.3, 0.4, 0.5, 0.6, 0.7] {
            let mut answers = 0;
            let mut refusals = 0;
            let (mut na, mut nr) = (0, 0);
            let mut ns = 0;
            for (kind, entry, class, p) in &decided {
                let answers_with = (*class < n && *p >= t).then(|| faq.entries[*class].id.as_str());
                match kind.as_str() {
                    "answer" => {
                        na += 1;
                        if answers_with.is_some() && answers_with == entry.as_deref() {
                            answers += 1;
                        }
                    }
                    "smalltalk" if (n..outside_class).contains(class) && *p >= t => ns += 1,
                    "refuse" => {
                        nr += 1;
                        if answers_with.is_none() {
                            refusals += 1;
                        }
                    }
                    _ => {}
                }
            }
            println!(
                "{label} t={t}: answers {answers}/{na}, refusals {refusals}/{nr}, small talk {ns}"
            );
        }
    }
    Ok(())
}
