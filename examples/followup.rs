//! Development aid: the learned decision's best class for a follow-up read
//! four ways (the message alone, joined after the previous question, the
//! two vectors added as the engine does, the previous question's vector
//! added to the message's, the two readings' probabilities averaged) on a
//! JSON-lines set with `prev`, `q` and `entry` (no `entry`: to refuse).
//! `+` marks the right class; the last columns are the probability of
//! `outside` alone, joined and added.
//!
//! cargo run --release --example followup -- FAQ_DIR SET.jsonl

#[path = "common/head.rs"]
mod head;

use faqbot::engine::Model;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, file] = args.as_slice() else {
        anyhow::bail!("usage: followup FAQ_DIR SET.jsonl");
    };
    let faq = faqbot::content::load(std::path::Path::new(dir)).into_result()?;
    let model = Model::built_in();
    let (encoder, _) = model.encoder_for(&faq)?;
    let (layout, head) = head::train(&faq, &encoder)?;
    let name = |q: &[f32]| {
        let (i, p) = q
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        let n = faq
            .entries
            .get(i)
            .map_or("outside".to_string(), |e| e.id.clone());
        (n, p)
    };
    let mut right = [0usize; 5];
    for line in std::fs::read_to_string(file)?
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let prev = v["prev"].as_str().unwrap_or("");
        let q = v["q"].as_str().unwrap_or("");
        let want = v["entry"].as_str().unwrap_or("outside");
        let joined = format!("{}, {q}", prev.trim_end_matches(['?', '.', '!', ' ']));
        let e = encoder.embed_all(&[prev, q, &joined])?;
        let mix = |a: &[f32], b: &[f32], w: f32| {
            let m: Vec<f32> = a.iter().zip(b).map(|(x, y)| x * w + y).collect();
            let n = m.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
            m.into_iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let pq = |v: &[f32]| layout.questions(&head.probabilities(v));
        let alone = pq(&e[1]);
        let joined_p = pq(&e[2]);
        let mixed = pq(&mix(&e[2], &e[1], 1.0));
        let prevmix = pq(&mix(&e[0], &e[1], 1.0));
        let sum: Vec<f32> = alone
            .iter()
            .zip(&joined_p)
            .map(|(a, b)| (a + b) / 2.0)
            .collect();
        let cands = [alone, joined_p, mixed, prevmix, sum];
        let mut row = format!("{want:28}");
        for (k, c) in cands.iter().enumerate() {
            let (n, p) = name(c);
            if n == want {
                right[k] += 1;
            }
            let mark = if n == want { "+" } else { " " };
            row.push_str(&format!(" {mark}{n:.18}:{p:.2}"));
        }
        let out = faq.entries.len();
        println!(
            "{row} out {:.2}/{:.2}/{:.2}  | {q}",
            cands[0][out], cands[1][out], cands[2][out]
        );
    }
    println!(
        "right: alone {} joined {} mixed {} prev+q {} sum {}",
        right[0], right[1], right[2], right[3], right[4]
    );
    Ok(())
}
