//! Stemming: "supplements" and "supplement", "cramping" and "cramps" become
//! one term. English Snowball (Porter 2), as tantivy and Lucene use for
//! English: conservative enough that "magnesium" and "magnet" stay apart.
//! The matcher and triage share this one, so a word stems the same in both.

/// The English stemmer.
pub struct Stemmer(rust_stemmers::Stemmer);

impl Stemmer {
    pub fn english() -> Stemmer {
        Stemmer(rust_stemmers::Stemmer::create(
            rust_stemmers::Algorithm::English,
        ))
    }

    /// The stem of a folded word.
    pub fn stem(&self, word: &str) -> String {
        self.0.stem(word).into_owned()
    }
}

impl Default for Stemmer {
    fn default() -> Stemmer {
        Stemmer::english()
    }
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmer(English)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_endings_share_a_stem() {
        let s = Stemmer::english();
        assert_eq!(s.stem("supplements"), s.stem("supplement"));
        assert_eq!(s.stem("cramping"), s.stem("cramps"));
        assert_ne!(s.stem("magnesium"), s.stem("magnet"));
    }
}
