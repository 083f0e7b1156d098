//! Every example text in an FAQ folder, grouped by what it teaches.
//!
//! Curators teach faqbot by example: an entry's phrasings say what it
//! answers, `outside.yaml` what the FAQ deliberately does not, the triage
//! categories what an emergency sounds like, `ordinary` what only looks
//! like one, and each small-talk kind what a "thanks" or a "hi" looks like.
//! Tuning the sentence model (`faqbot tune`) and the learned decision both
//! read the examples through this one list, so the two can never disagree
//! about what a class is, and the digest of the list tells whether a tuning
//! was made from today's content.

use super::Faq;

/// What a class of examples stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassKind {
    /// An FAQ entry: its phrasings.
    Entry,
    /// A reason in `outside.yaml`.
    Outside,
    /// A triage category.
    Triage,
    /// Triage's calm look-alikes (`ordinary`).
    Ordinary,
    /// A small-talk kind.
    SmallTalk,
}

impl ClassKind {
    pub fn label(self) -> &'static str {
        match self {
            ClassKind::Entry => "entry",
            ClassKind::Outside => "outside",
            ClassKind::Triage => "triage",
            ClassKind::Ordinary => "ordinary",
            ClassKind::SmallTalk => "small talk",
        }
    }
}

/// One class and its examples.
#[derive(Debug, Clone, PartialEq)]
pub struct Class<'a> {
    pub kind: ClassKind,
    /// The entry's id, the reason's, category's or kind's name.
    pub name: &'a str,
    pub texts: Vec<&'a str>,
    /// For an entry, its answer as plain text: what the phrasings ask
    /// about, said in the FAQ's own words.
    pub answer: Option<String>,
}

impl Faq {
    /// Every class of examples, in a stable order: entries (by id), outside
    /// reasons, triage categories, `ordinary`, small-talk kinds. Classes
    /// without examples are left out.
    pub fn classes(&self) -> Vec<Class<'_>> {
        let mut out = Vec::new();
        for entry in &self.entries {
            out.push(Class {
                kind: ClassKind::Entry,
                name: &entry.id,
                texts: entry.phrasings().collect(),
                answer: Some(crate::markdown::to_plain(&entry.answer)),
            });
        }
        for reason in &self.outside.reasons {
            out.push(Class {
                kind: ClassKind::Outside,
                name: &reason.name,
                texts: reason.examples.iter().map(|e| e.text.as_str()).collect(),
                answer: None,
            });
        }
        for category in &self.triage.categories {
            out.push(Class {
                kind: ClassKind::Triage,
                name: &category.name,
                texts: category.examples.iter().map(String::as_str).collect(),
                answer: None,
            });
        }
        out.push(Class {
            kind: ClassKind::Ordinary,
            name: "ordinary",
            texts: self.triage.ordinary.iter().map(String::as_str).collect(),
            answer: None,
        });
        for kind in &self.smalltalk.kinds {
            out.push(Class {
                kind: ClassKind::SmallTalk,
                name: &kind.name,
                texts: kind.examples.iter().map(String::as_str).collect(),
                answer: None,
            });
        }
        out.retain(|c| !c.texts.is_empty());
        out
    }
}

/// A digest of every class, its examples and answers: equal digests mean
/// tuning would learn from exactly the same content.
pub fn digest(classes: &[Class<'_>]) -> u64 {
    let mut bytes = Vec::new();
    for class in classes {
        bytes.extend_from_slice(class.kind.label().as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(class.name.as_bytes());
        bytes.push(0);
        for text in &class.texts {
            bytes.extend_from_slice(text.as_bytes());
            bytes.push(0);
        }
        if let Some(answer) = &class.answer {
            bytes.extend_from_slice(answer.as_bytes());
        }
        bytes.push(1);
    }
    crate::digest::fnv1a(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_content_has_every_kind_of_class() {
        let faq = crate::content::load(std::path::Path::new("faq"))
            .into_result()
            .expect("shipped faq loads");
        let classes = faq.classes();
        for kind in [
            ClassKind::Entry,
            ClassKind::Outside,
            ClassKind::Triage,
            ClassKind::Ordinary,
            ClassKind::SmallTalk,
        ] {
            assert!(classes.iter().any(|c| c.kind == kind), "{kind:?}");
        }
        let entries = classes.iter().filter(|c| c.kind == ClassKind::Entry);
        assert_eq!(entries.count(), faq.entries.len());
        assert_eq!(digest(&classes), digest(&faq.classes()));
    }

    #[test]
    fn the_digest_changes_with_any_example() {
        let faq = crate::content::load(std::path::Path::new("faq"))
            .into_result()
            .expect("shipped faq loads");
        let before = digest(&faq.classes());
        let mut changed = faq.clone();
        changed.smalltalk.kinds[0]
            .examples
            .push("cheers mate".into());
        assert_ne!(before, digest(&changed.classes()));
    }
}
