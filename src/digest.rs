//! A short, stable digest of bytes: FNV-1a, 64 bits.
//!
//! Kept on disk (the journal's record of updates seen) and shown to people
//! (the stable references of unmatched groups), so it must give the same
//! value in every build and version: std's hashers promise neither.

/// FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Letters and digits nobody misreads for each other (no i, l, o, 0, 1).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// `len` characters of [`ALPHABET`] from `bytes`' digest: a reference a
/// person can read out and type (`k7q2f`).
pub fn short(bytes: &[u8], len: usize) -> String {
    spell(fnv1a(bytes), len, ALPHABET)
}

/// `len` characters of `alphabet` spelling `bits` (its low digits first):
/// a number as a short reference.
pub fn spell(mut bits: u64, len: usize, alphabet: &[u8]) -> String {
    let base = alphabet.len().max(1) as u64;
    (0..len)
        .map(|_| {
            let c = alphabet
                .get((bits % base) as usize)
                .copied()
                .unwrap_or(b'?');
            bits /= base;
            c as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_fixed_values() {
        // FNV-1a's published test vectors: a change here would make old
        // journals and references mean nothing.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(short(b"potassium dose", 5).len(), 5);
        assert_eq!(short(b"x", 5), short(b"x", 5));
        assert_ne!(short(b"x", 5), short(b"y", 5));
    }
}
