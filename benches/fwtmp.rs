use faqbot::semantic::Encoder;
use std::time::Instant;
fn main() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"));
    let s = Instant::now();
    let faq = faqbot::content::load(dir).into_result().unwrap();
    println!("content {:.0} ms", s.elapsed().as_secs_f64() * 1e3);
    let s = Instant::now();
    let enc = Encoder::embedded().unwrap();
    println!("model {:.0} ms", s.elapsed().as_secs_f64() * 1e3);
    let texts: Vec<&str> = faq.entries.iter().flat_map(|e| e.phrasings()).collect();
    let toks: usize = texts.iter().map(|t| t.split_whitespace().count() + 2).sum();
    for threads in ["all", "one"] {
        let s = Instant::now();
        if threads == "all" {
            enc.embed_all(&texts).unwrap();
        } else {
            enc.embed(&texts).unwrap();
        }
        println!(
            "{} phrasings (~{} tokens) {threads}: {:.0} ms",
            texts.len(),
            toks,
            s.elapsed().as_secs_f64() * 1e3
        );
    }
}
