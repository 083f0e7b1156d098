//! Development aid: the learned decision's share for emergencies as a
//! confirmation of the nearest-example rule, swept over cut-offs, on
//! JSON-lines sets with `q` and `urgent` (rows without `urgent` are calm).
//! The head is trained as the engine trains it (see
//! `faqbot::engine::learned::Layout`); the rule is the engine's own triage
//! before confirmation. `SHOW=1` prints each alarm the rule raises with a
//! share below 0.6.
//!
//! cargo run --release --example triage_head -- FAQ_DIR SET.jsonl...

#[path = "common/head.rs"]
mod head;

use faqbot::engine::{Engine, Model, fusion};
use faqbot::triage;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dir, files)) = args.split_first() else {
        anyhow::bail!("usage: triage_head FAQ_DIR SET.jsonl...");
    };
    let faq = faqbot::content::load(std::path::Path::new(dir)).into_result()?;
    let model = Model::built_in();
    let engine = Engine::build(faq.clone(), &model, None)?;
    let (encoder, _) = model.encoder_for(&faq)?;
    let (layout, head) = head::train(&faq, &encoder)?;
    // (urgent, the rule alarms, the head's highest share over the parts)
    let mut rows = Vec::new();
    for file in files {
        for line in std::fs::read_to_string(file)?
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let q = v["q"].as_str().unwrap_or("").replace('\n', " ");
            let urgent = v["urgent"].as_bool().unwrap_or(false);
            let parts: Vec<&str> = triage::parts(&q).into_iter().map(|(t, _)| t).collect();
            let share = encoder
                .embed_all(&parts)?
                .iter()
                .map(|v| layout.urgent(&head.probabilities(v)))
                .fold(0.0f32, f32::max);
            let rule = engine.alarm(&q).is_some() || engine.alarm_set_aside(&q).is_some();
            if std::env::var_os("SHOW").is_some() && rule && share < 0.6 {
                let label = if urgent { "urgent" } else { "calm" };
                println!("{label:6} {share:.2} {q}");
            }
            rows.push((urgent, rule, share));
        }
    }
    let urgent = rows.iter().filter(|r| r.0).count().max(1) as f32;
    let calm = rows.iter().filter(|r| !r.0).count().max(1) as f32;
    let rate = |f: &dyn Fn(&(bool, bool, f32)) -> bool, of_urgent: bool| {
        rows.iter().filter(|r| r.0 == of_urgent && f(r)).count() as f32
            / if of_urgent { urgent } else { calm }
    };
    println!(
        "rule alone: recall {:.3}, false alarms {:.3} ({urgent} urgent, {calm} calm)",
        rate(&|r| r.1, true),
        rate(&|r| r.1, false)
    );
    for t in [0.2, 0.3, 0.4, 0.5, 0.6] {
        let confirmed = |r: &(bool, bool, f32)| r.1 && r.2 >= t;
        let mark = if t == fusion::LEARNED_URGENT {
            " (the engine's)"
        } else {
            ""
        };
        println!(
            "confirmed from {t}: recall {:.3}, false alarms {:.3}{mark}",
            rate(&confirmed, true),
            rate(&confirmed, false)
        );
    }
    Ok(())
}
