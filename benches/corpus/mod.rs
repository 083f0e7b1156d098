//! Deterministic synthetic FAQ corpora for benchmarks.
//!
//! Entries look like the real ones: a question and four alternates built
//! from everyday question frames around two topic words, and a 40-word
//! answer. Topic words are drawn from a Zipf distribution over a vocabulary
//! that grows with the corpus, as real vocabularies do, so some words are
//! shared by thousands of entries and most by a few.

use std::path::{Path, PathBuf};

use faqbot::content::{Faq, Settings, entry};
use faqbot::rng::Rng;

const SYLLABLES: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "ha", "ke", "li", "mo", "nu", "pa", "re", "si", "to", "vu", "za",
    "bel", "cor", "dan", "fer", "gil", "hor", "kin", "lum", "mar", "nel", "por", "ras", "sol",
    "tan", "ver", "zin",
];

const FRAMES: &[&str] = &[
    "how much {a} should i take for {b}",
    "what is {a}",
    "when should i take {a} for {b}",
    "does {a} help with {b}",
    "is {a} safe with {b}",
    "what causes {a} in {b}",
    "which {a} is best for {b}",
    "can {a} cure {b}",
    "{a} and {b}",
    "signs of {a} {b}",
    "how long does {a} take to work on {b}",
    "side effects of {a}",
    "where does {a} come from",
    "{a} dose for {b}",
];

const COMMON: &[&str] = &[
    "the",
    "may",
    "help",
    "people",
    "with",
    "often",
    "daily",
    "dose",
    "sleep",
    "night",
    "muscle",
    "nerve",
    "doctor",
    "body",
    "symptoms",
    "levels",
    "food",
    "supplement",
    "studies",
    "research",
    "weeks",
    "days",
    "mild",
    "severe",
];

/// A corpus of `n` entries.
pub struct Corpus {
    /// (id, file text, the two topic words)
    pub entries: Vec<(String, String, [String; 2])>,
}

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// Zipf(1) sample over 0..n by inverse transform on the harmonic CDF
/// approximation: rank = n^u.
fn zipf(rng: &mut Rng, n: usize) -> usize {
    let r = (n as f64).powf(rng.unit()) as usize;
    r.saturating_sub(1).min(n - 1)
}

pub fn generate(n: usize, seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let vocab_size = 500 + n;
    let mut vocabulary = Vec::with_capacity(vocab_size);
    let mut seen = std::collections::HashSet::new();
    while vocabulary.len() < vocab_size {
        let w = word(&mut rng);
        if seen.insert(w.clone()) {
            vocabulary.push(w);
        }
    }
    let mut entries = Vec::with_capacity(n);
    let mut used = std::collections::HashSet::new();
    for i in 0..n {
        let a = vocabulary[zipf(&mut rng, vocab_size)].clone();
        let mut b = vocabulary[zipf(&mut rng, vocab_size)].clone();
        if b == a {
            b = vocabulary[rng.below(vocab_size)].clone();
        }
        let mut phrasings = Vec::new();
        let start = rng.below(FRAMES.len());
        for k in 0..FRAMES.len() {
            if phrasings.len() == 5 {
                break;
            }
            let p = FRAMES[(start + k) % FRAMES.len()]
                .replace("{a}", &a)
                .replace("{b}", &b);
            if used.insert(faqbot::analysis::fold::phrase_key(&p)) {
                phrasings.push(p);
            }
        }
        if phrasings.is_empty() {
            continue;
        }
        let mut answer = format!("About {a} and {b}:");
        for _ in 0..40 {
            answer.push(' ');
            if rng.below(3) == 0 {
                answer.push_str(COMMON[rng.below(COMMON.len())]);
            } else {
                answer.push_str(&vocabulary[zipf(&mut rng, vocab_size)]);
            }
        }
        answer.push('.');
        let mut text = format!("---\nquestion: {}\nalternates:\n", phrasings[0]);
        for p in &phrasings[1..] {
            text.push_str(&format!("  - {p}\n"));
        }
        text.push_str(&format!("---\n{answer}\n"));
        entries.push((format!("entry-{i}"), text, [a, b]));
    }
    Corpus { entries }
}

impl Corpus {
    pub fn faq(&self) -> Faq {
        let entries = self
            .entries
            .iter()
            .map(|(id, text, _)| {
                entry::parse(Path::new(&format!("{id}.md")), text).expect("generated entries parse")
            })
            .collect();
        Faq::from_entries(PathBuf::from("synthetic"), entries, Settings::default())
            .expect("generated corpus is valid")
    }

    pub fn write(&self, dir: &Path) {
        std::fs::create_dir_all(dir).expect("corpus dir");
        for (id, text, _) in &self.entries {
            std::fs::write(dir.join(format!("{id}.md")), text).expect("write entry");
        }
    }

    /// Questions as people would ask them: an entry's topic words in a new
    /// frame, every third with a typo, and some about words the corpus lacks.
    pub fn questions(&self, count: usize, seed: u64) -> Vec<String> {
        let mut rng = Rng::new(seed);
        (0..count)
            .map(|i| {
                if i % 5 == 4 {
                    return "how much potassium should my dog take".to_string();
                }
                let (_, _, [a, b]) = &self.entries[rng.below(self.entries.len())];
                let mut a = a.clone();
                if i % 3 == 0 && a.len() > 4 {
                    // Swap two letters in the middle: a typical typo.
                    let mut chars: Vec<char> = a.chars().collect();
                    let m = chars.len() / 2;
                    chars.swap(m, m + 1);
                    a = chars.into_iter().collect();
                }
                format!("is it ok to take {a} every day for my {b}?")
            })
            .collect()
    }
}
