//! Merging near-identical group keys, without comparing every pair.
//!
//! A key is a question's sorted terms (see [`super::key`]). Two keys are
//! "near" when almost all their terms are equal or typos of each other
//! ([`near`]). Comparing all pairs is quadratic, which at 100,000 distinct
//! questions means billions of comparisons, so keys are only compared within
//! *blocks*: the keys sharing one term. Near keys share most of their terms,
//! so they meet in the block of one of their rarest terms. Small blocks are
//! compared pair by pair; a big block (a term many questions use) is sorted
//! and each key is compared with its next few neighbours only, which finds
//! the typo-and-word-order variants that matter while bounding the work to
//! a few comparisons per key and block.

use std::collections::HashMap;

/// Blocks up to this size are compared pair by pair.
const ALL_PAIRS_MAX: usize = 40;
/// In bigger blocks, each key is compared with this many following keys.
const WINDOW: usize = 6;
/// Each key joins the blocks of this many of its rarest terms. Two near keys
/// then share a block unless they differ (typos included) in this many.
const BLOCKS_PER_KEY: usize = 3;
/// Share of terms that must agree for two keys to be near.
const MIN_AGREEMENT: f64 = 0.8;

/// What keys are blocked on: a term, or the first letters of a one-term key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Block<'a> {
    Term(&'a str),
    Prefix(&'a str),
}

/// Assigns a cluster number to each key; near keys get the same number.
/// Numbers are indices of one member, so they are deterministic.
pub fn cluster(keys: &[Vec<String>]) -> Vec<usize> {
    let mut sets = DisjointSets::new(keys.len());
    let mut blocks: Vec<(Block<'_>, Vec<usize>)> = blocks(keys).into_iter().collect();
    blocks.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (block, members) in &mut blocks {
        if members.len() <= ALL_PAIRS_MAX {
            for (n, &a) in members.iter().enumerate() {
                for &b in &members[n + 1..] {
                    join_if_near(&mut sets, keys, a, b);
                }
            }
        } else {
            // Sorting on the other terms puts keys differing in one late
            // term, or by a typo, next to each other.
            let rest = |i: usize| -> Vec<&str> {
                keys[i]
                    .iter()
                    .map(String::as_str)
                    .filter(|t| Block::Term(t) != *block)
                    .collect()
            };
            members.sort_by_cached_key(|&i| (rest(i), i));
            for (n, &a) in members.iter().enumerate() {
                for &b in members.iter().skip(n + 1).take(WINDOW) {
                    join_if_near(&mut sets, keys, a, b);
                }
            }
        }
    }
    (0..keys.len()).map(|i| sets.find(i)).collect()
}

/// Keys by block. A key joins the blocks of its rarest terms: near keys
/// share most terms, so they share one of those, and the common terms
/// ("magnesium", "how") that would put everything in one block are left
/// out wherever a key has rarer ones.
fn blocks(keys: &[Vec<String>]) -> HashMap<Block<'_>, Vec<usize>> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for term in keys.iter().flatten() {
        *df.entry(term).or_default() += 1;
    }
    let mut blocks: HashMap<Block<'_>, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let mut terms: Vec<&str> = key.iter().map(String::as_str).collect();
        terms.sort_by_key(|t| (df.get(t).copied().unwrap_or(0), *t));
        for term in terms.into_iter().take(BLOCKS_PER_KEY) {
            blocks.entry(Block::Term(term)).or_default().push(i);
        }
        // A one-term key with a typo shares no term with its correct
        // spelling; its first letters usually still agree.
        if let [only] = key.as_slice()
            && let Some((cut, _)) = only.char_indices().nth(3)
        {
            blocks
                .entry(Block::Prefix(&only[..cut]))
                .or_default()
                .push(i);
        }
    }
    blocks
}

fn join_if_near(sets: &mut DisjointSets, keys: &[Vec<String>], a: usize, b: usize) {
    if sets.find(a) != sets.find(b) && near(&keys[a], &keys[b]) {
        sets.union(a, b);
    }
}

/// Do two keys ask the same thing? At least 80% of the longer key's terms
/// must be in the other, exactly or as a typo ([`same_word`]). Keys are
/// sorted, so exact agreement is a binary search; typos are only looked for
/// when they could still tip the balance, which keeps edit distances rare.
pub fn near(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return false;
    }
    let needed = (MIN_AGREEMENT * long.len() as f64).ceil() as usize;
    if short.len() < needed {
        return false;
    }
    let exact = short
        .iter()
        .filter(|t| long.binary_search(t).is_ok())
        .count();
    if exact >= needed {
        return true;
    }
    let long_left: Vec<&String> = long
        .iter()
        .filter(|u| short.binary_search(u).is_err())
        .collect();
    let typos = short
        .iter()
        .filter(|t| long.binary_search(t).is_err())
        .filter(|t| long_left.iter().any(|u| same_word(t, u)))
        .count();
    exact + typos >= needed
}

/// Equal, or one typo apart (two for long words). Short words and numbers
/// must be equal: "iron" and "ion", or 200 and 400 mg, are different things.
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let allowed = match la.min(lb) {
        0..=3 => return false,
        4..=7 => 1,
        _ => 2,
    };
    la.abs_diff(lb) <= allowed
        && !a.bytes().chain(b.bytes()).any(|c| c.is_ascii_digit())
        && strsim::osa_distance(a, b) <= allowed
}

/// Union-find with path halving: merging is near-constant time.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins two sets; the smaller index becomes the root, so results do
    /// not depend on the order of comparisons.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Vec<String> {
        let mut k: Vec<String> = text.split(' ').map(str::to_string).collect();
        k.sort();
        k
    }

    #[test]
    fn near_tolerates_typos_and_order_but_not_other_topics() {
        assert!(near(&key("magnesium dose"), &key("dose magnesium")));
        assert!(near(&key("magnesium dose"), &key("magnesiun dose")));
        assert!(near(
            &key("how long magnesium work"),
            &key("how long magnesum work")
        ));
        assert!(!near(&key("magnesium dose"), &key("iron dose")));
        assert!(!near(&key("potassium"), &key("potassium dose")));
        assert!(!near(&key("iron"), &key("ion")));
        assert!(
            !near(&key("how long work"), &key("how long wrk")),
            "short words must agree"
        );
        assert!(!near(&[], &[]));
    }

    #[test]
    fn clusters_typos_word_order_and_one_word_typos() {
        let keys: Vec<Vec<String>> = [
            "dose potassium",
            "dose potasium",
            "potassium dose",
            "dog",
            "magnesium",
            "magnesum",
            "iron",
        ]
        .iter()
        .map(|k| key(k))
        .collect();
        let c = cluster(&keys);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[0], c[2]);
        assert_eq!(c[4], c[5]);
        assert_ne!(c[0], c[3]);
        assert_ne!(c[4], c[6]);
        assert_ne!(c[3], c[6]);
    }

    #[test]
    fn big_blocks_still_find_typo_neighbours() {
        // 500 distinct keys share "dose": the block is compared by window.
        let mut keys: Vec<Vec<String>> = (0..500).map(|i| key(&format!("dose {i}"))).collect();
        keys.push(key("dose potassium"));
        keys.push(key("potasium dose"));
        let c = cluster(&keys);
        assert_eq!(c[500], c[501]);
        assert_ne!(c[122], c[123], "numbers must be equal to agree");
    }
}
