//! Questions asking the same across languages, for the review of
//! unmatched questions: "¿cuánto potasio debo tomar?" belongs with "how
//! much potassium should i take". Words cannot tell (the review's keys are
//! English terms), so the multilingual model does, with the cut-offs in
//! [`super::fusion`]. It needs no content: only the built-in model.

use crate::analysis::language::Language;
use crate::semantic::{self, Encoder, ModelError};

use super::fusion::ACROSS_LANGUAGES_SAME;

/// For each question (with the language it was read in), the index of the
/// question it asks the same as in another language, if any (see
/// [`ACROSS_LANGUAGES_SAME`]). Only questions not in English join; each
/// joins a question that does not itself join another.
pub fn same_questions(questions: &[(&str, Language)]) -> Result<Vec<Option<usize>>, ModelError> {
    let mut joins = vec![None; questions.len()];
    if questions.iter().all(|(_, l)| l.is_english()) {
        return Ok(joins);
    }
    let base = semantic::builtin_multilingual_base()?;
    let encoder = Encoder::new(&base, None)?;
    let texts: Vec<&str> = questions.iter().map(|(t, _)| *t).collect();
    let vectors = encoder.embed_all(&texts)?;
    let similarity = |a: usize, b: usize| -> f32 {
        vectors[a].iter().zip(&vectors[b]).map(|(x, y)| x * y).sum()
    };
    let language = |i: usize| questions[i].1;
    for (f, join) in joins.iter_mut().enumerate() {
        if language(f).is_english() {
            continue;
        }
        // The closest question in another language.
        let closest = (0..questions.len())
            .filter(|&o| language(o) != language(f))
            .map(|o| (similarity(f, o), o))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((best, other)) = closest else {
            continue;
        };
        if best < ACROSS_LANGUAGES_SAME {
            continue;
        }
        // Mutual: of the questions in `f`'s language, `other` is closest
        // to `f`.
        let mutual = (0..questions.len())
            .filter(|&g| g != f && language(g) == language(f))
            .all(|g| similarity(other, g) < best);
        if mutual {
            *join = Some(other);
        }
    }
    // A question that others join stays put: joins never chain.
    let joined: Vec<bool> = (0..questions.len())
        .map(|i| joins.contains(&Some(i)))
        .collect();
    for (i, join) in joins.iter_mut().enumerate() {
        if joined[i] {
            *join = None;
        }
    }
    Ok(joins)
}
