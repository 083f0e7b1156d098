//! The learned decision trained as the engine trains it, for the
//! development aids: every phrasing (its entry's class), small-talk example
//! (its kind's), triage example (its category's), ordinary look-alike and
//! outside example (see `faqbot::engine::learned::Layout`). The engine
//! trains from the vectors it keeps; the aids embed the texts themselves.

use faqbot::content::Faq;
use faqbot::engine::learned::{Class, Head, Layout};
use faqbot::semantic::Encoder;

pub fn train(faq: &Faq, encoder: &Encoder) -> anyhow::Result<(Layout, Head)> {
    let layout = Layout {
        entries: faq.entries.len(),
        small_talk: faq.smalltalk.kinds.len(),
        triage: faq.triage.categories.len(),
    };
    let mut texts: Vec<(String, Class)> = Vec::new();
    for (i, e) in faq.entries.iter().enumerate() {
        texts.extend(e.phrasings().map(|p| (p.to_string(), Class::Entry(i))));
    }
    texts.extend(
        faq.smalltalk
            .examples()
            .map(|(t, k)| (t.to_string(), Class::SmallTalk(k))),
    );
    for (i, c) in faq.triage.categories.iter().enumerate() {
        texts.extend(c.examples.iter().map(|e| (e.clone(), Class::Triage(i))));
    }
    texts.extend(
        faq.triage
            .ordinary
            .iter()
            .map(|e| (e.clone(), Class::Ordinary)),
    );
    texts.extend(
        faq.outside
            .examples()
            .map(|(e, _)| (e.text.clone(), Class::Outside)),
    );
    let refs: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).collect();
    let vectors = encoder.embed_all(&refs)?;
    let examples: Vec<(&[f32], usize)> = vectors
        .iter()
        .zip(&texts)
        .map(|(v, (_, c))| (v.as_slice(), layout.index(*c)))
        .collect();
    let head =
        Head::train(&examples, layout.classes()).ok_or_else(|| anyhow::anyhow!("no head"))?;
    Ok((layout, head))
}
