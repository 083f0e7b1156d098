//! Training pairs: two examples of one class, batched so that no class
//! appears twice in a batch.
//!
//! Contrastive training (in-batch negatives) teaches the model that an
//! anchor is closer to its partner than to every other partner in the
//! batch. Two pairs of the same class in one batch would teach it to push
//! apart texts that belong together, so batches are filled class by class.

use crate::rng::Rng;

/// An anchor text, its partner, and their class (indices into the
/// trainer's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub anchor: usize,
    pub partner: usize,
    pub class: usize,
}

/// One epoch's pairs: every text of a class with at least two is an anchor
/// once, with a partner drawn from the rest of its class; shuffled. A
/// class cannot be in a batch twice, so one with more texts than the epoch
/// has batches (of `batch` pairs) gives a random share of them, one per
/// batch: otherwise its leftovers would make batches of one, which teach
/// nothing (no other pair to tell apart).
pub fn epoch(classes: &[Vec<usize>], batch: usize, rng: &mut Rng) -> Vec<Pair> {
    let total: usize = classes.iter().filter(|t| t.len() >= 2).map(Vec::len).sum();
    let batches = total.div_ceil(batch.max(2)).max(1);
    let mut pairs = Vec::new();
    for (class, texts) in classes.iter().enumerate() {
        if texts.len() < 2 {
            continue;
        }
        let mut anchors: Vec<usize> = (0..texts.len()).collect();
        rng.shuffle(&mut anchors);
        anchors.truncate(batches);
        anchors.sort_unstable();
        for i in anchors {
            let anchor = texts[i];
            let mut j = rng.below(texts.len() - 1);
            if j >= i {
                j += 1;
            }
            pairs.push(Pair {
                anchor,
                partner: texts[j],
                class,
            });
        }
    }
    rng.shuffle(&mut pairs);
    pairs
}

/// Splits pairs into batches of at most `size` with distinct classes,
/// keeping their order as far as that allows.
pub fn batches(pairs: Vec<Pair>, size: usize) -> Vec<Vec<Pair>> {
    let size = size.max(2);
    let mut out = Vec::new();
    let mut left = pairs;
    while !left.is_empty() {
        let mut batch: Vec<Pair> = Vec::with_capacity(size);
        let mut rest = Vec::new();
        for pair in left {
            if batch.len() < size && batch.iter().all(|p| p.class != pair.class) {
                batch.push(pair);
            } else {
                rest.push(pair);
            }
        }
        out.push(batch);
        left = rest;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_never_hold_a_class_twice_and_keep_every_pair() {
        let classes: Vec<Vec<usize>> = vec![(0..10).collect(), (10..13).collect(), vec![13]];
        let mut rng = Rng::new(3);
        let pairs = epoch(&classes, 4, &mut rng);
        // 13 texts in classes of two or more: 4 batches of 4, so the class
        // of ten gives 4 anchors and the class of three all three.
        assert_eq!(pairs.len(), 7, "a class of one gives no pair");
        for p in &pairs {
            assert_ne!(p.anchor, p.partner);
            assert!(classes[p.class].contains(&p.partner));
        }
        let batches = batches(pairs.clone(), 4);
        assert_eq!(batches.iter().map(Vec::len).sum::<usize>(), pairs.len());
        for batch in &batches {
            let mut seen: Vec<usize> = batch.iter().map(|p| p.class).collect();
            seen.dedup();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), batch.len());
        }
        assert_eq!(epoch(&classes, 4, &mut Rng::new(3)), pairs);
    }
}
