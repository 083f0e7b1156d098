//! Phrasing and example vectors kept on disk between runs.
//!
//! Embedding every FAQ phrasing and triage example is most of start-up:
//! about 700 short texts, two seconds on a 2-core machine, and the work
//! is the model's arithmetic, which batching cannot shrink further. Yet a
//! text's vector depends only on the model and the text, so a restart,
//! a deploy, or a curator's `faqbot ask` need not repeat it: the vectors
//! of the texts in use are written to one file and read back next time
//! (a few milliseconds).
//!
//! The file is a cache, never a source of truth. It is keyed by a
//! fingerprint of the model files and of this code's pooling, so another
//! model never reads it; a file that is damaged, truncated, from another
//! model or another version is ignored with one log line and rewritten.
//! It is replaced atomically (written beside, then renamed), so a crash
//! or a second process never leaves half a file. It holds FAQ phrasings
//! and triage examples only, never anything a user wrote.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

/// First bytes of every cache file; the digit is the layout's version.
const MAGIC: &[u8; 8] = b"FAQBOTV1";

/// The vectors one model gave for texts, loaded from and saved to a file.
#[derive(Debug)]
pub struct VectorCache {
    path: PathBuf,
    fingerprint: u64,
    dim: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    vectors: FxHashMap<String, Vec<f32>>,
    /// Whether memory holds something the file does not, or the reverse.
    changed: bool,
}

impl VectorCache {
    /// The cache at `path` for the model with this fingerprint. A missing
    /// file is an empty cache; an unusable one is logged and ignored.
    pub fn open(path: &Path, fingerprint: u64, dim: usize) -> VectorCache {
        let vectors = match std::fs::read(path) {
            Ok(bytes) => match decode(&bytes, fingerprint, dim) {
                Ok(vectors) => vectors,
                Err(why) => {
                    tracing::warn!(
                        path = %path.display(),
                        "ignoring the vector cache ({why}); it will be rebuilt"
                    );
                    FxHashMap::default()
                }
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => FxHashMap::default(),
            Err(err) => {
                tracing::warn!(path = %path.display(), error = %err, "cannot read the vector cache");
                FxHashMap::default()
            }
        };
        VectorCache {
            path: path.to_path_buf(),
            fingerprint,
            dim,
            state: Mutex::new(State {
                vectors,
                changed: false,
            }),
        }
    }

    /// How many vectors the cache holds.
    pub fn len(&self) -> usize {
        self.lock().vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The vector of `text`, if cached.
    pub fn get(&self, text: &str) -> Option<Vec<f32>> {
        self.lock().vectors.get(text).cloned()
    }

    /// Remembers a vector (kept in memory until [`VectorCache::save`]).
    pub fn put(&self, text: &str, vector: &[f32]) {
        if vector.len() != self.dim {
            return;
        }
        let mut state = self.lock();
        state.vectors.insert(text.to_string(), vector.to_vec());
        state.changed = true;
    }

    /// Keeps only the vectors of `in_use` and writes the file when that
    /// changes what it holds. Failing to write costs only the next
    /// start-up's time, so it is logged, not returned.
    pub fn save(&self, in_use: &[&str]) {
        let keep: rustc_hash::FxHashSet<&str> = in_use.iter().copied().collect();
        let mut state = self.lock();
        let before = state.vectors.len();
        state.vectors.retain(|text, _| keep.contains(text.as_str()));
        if !state.changed && state.vectors.len() == before {
            return;
        }
        let bytes = encode(&state.vectors, self.fingerprint, self.dim);
        match write_atomically(&self.path, &bytes) {
            Ok(()) => state.changed = false,
            Err(err) => tracing::warn!(
                path = %self.path.display(),
                error = %err,
                "cannot save the vector cache; the next start-up will embed every phrasing again"
            ),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the map half-updated (inserts are
        // whole), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Layout: magic, fingerprint (u64), dimension (u32), count (u32), then per
/// vector the text's length (u32), its UTF-8 bytes and `dim` f32s; last, a
/// hash of everything before it. Little-endian throughout.
fn encode(vectors: &FxHashMap<String, Vec<f32>>, fingerprint: u64, dim: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + vectors.len() * (dim * 4 + 48));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&fingerprint.to_le_bytes());
    out.extend_from_slice(&(dim as u32).to_le_bytes());
    out.extend_from_slice(&(vectors.len() as u32).to_le_bytes());
    // Sorted, so the same vectors always give the same file.
    let mut texts: Vec<&String> = vectors.keys().collect();
    texts.sort();
    for text in texts {
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
        for x in &vectors[text] {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fn decode(
    bytes: &[u8],
    fingerprint: u64,
    dim: usize,
) -> Result<FxHashMap<String, Vec<f32>>, &'static str> {
    let body_len = bytes.len().checked_sub(8).ok_or("the file is too short")?;
    let (body, sum) = bytes.split_at(body_len);
    let mut r = Reader(body);
    if r.take(8)? != MAGIC {
        return Err("not a faqbot vector cache, or from another version");
    }
    if r.u64()? != fingerprint {
        return Err("made with another sentence model");
    }
    if r.u32()? as usize != dim {
        return Err("made with another vector size");
    }
    if u64::from_le_bytes(sum.try_into().map_err(|_| "the file is too short")?) != checksum(body) {
        return Err("the file is damaged");
    }
    let count = r.u32()? as usize;
    let mut vectors = FxHashMap::default();
    for _ in 0..count {
        let len = r.u32()? as usize;
        let text = std::str::from_utf8(r.take(len)?).map_err(|_| "the file is damaged")?;
        let vector = r
            .take(dim * 4)?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        vectors.insert(text.to_string(), vector);
    }
    if !r.0.is_empty() {
        return Err("the file is damaged");
    }
    Ok(vectors)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if self.0.len() < n {
            return Err("the file is cut short");
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, &'static str> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, &'static str> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
}

/// A fast hash of `bytes`: to notice damage, not tampering (the file
/// holds nothing secret, and whoever can write it can write the FAQ).
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    for chunk in bytes.chunks(8) {
        let mut a = [0u8; 8];
        a[..chunk.len()].copy_from_slice(chunk);
        h.write_u64(u64::from_le_bytes(a));
    }
    h.write_usize(bytes.len());
    h.finish()
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`, creating the folder if needed.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_in(dir: &Path, fingerprint: u64) -> VectorCache {
        VectorCache::open(&dir.join("sub/vectors.bin"), fingerprint, 3)
    }

    #[test]
    fn vectors_survive_a_restart_and_only_texts_in_use_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = cache_in(dir.path(), 7);
        assert!(cache.is_empty());
        cache.put("how much magnesium", &[0.1, 0.2, 0.3]);
        cache.put("an old phrasing", &[1.0, 0.0, 0.0]);
        cache.put("wrong size", &[1.0]);
        cache.save(&["how much magnesium", "not embedded yet"]);
        let again = cache_in(dir.path(), 7);
        assert_eq!(again.len(), 1);
        assert_eq!(again.get("how much magnesium"), Some(vec![0.1, 0.2, 0.3]));
        assert_eq!(again.get("an old phrasing"), None);
    }

    #[test]
    fn another_model_or_a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = cache_in(dir.path(), 7);
        cache.put("a", &[0.1, 0.2, 0.3]);
        cache.save(&["a"]);
        assert!(cache_in(dir.path(), 8).is_empty(), "another model");
        let path = dir.path().join("sub/vectors.bin");
        let mut bytes = std::fs::read(&path).expect("read");
        let n = bytes.len();
        bytes[n - 12] ^= 0x40;
        std::fs::write(&path, &bytes).expect("write");
        assert!(cache_in(dir.path(), 7).is_empty(), "a flipped bit");
        std::fs::write(&path, &bytes[..n / 2]).expect("write");
        assert!(cache_in(dir.path(), 7).is_empty(), "cut short");
        std::fs::write(&path, b"").expect("write");
        assert!(cache_in(dir.path(), 7).is_empty(), "empty");
        assert_eq!(decode(b"FAQ", 7, 3), Err("the file is too short"));
        assert_eq!(decode(b"FAQBOTV1", 7, 3), Err("the file is cut short"));
        // A damaged cache is rewritten whole on the next save.
        let fresh = cache_in(dir.path(), 7);
        fresh.put("a", &[0.1, 0.2, 0.3]);
        fresh.save(&["a"]);
        assert_eq!(cache_in(dir.path(), 7).len(), 1);
    }

    #[test]
    fn an_unwritable_place_costs_nothing_but_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").expect("write");
        let cache = VectorCache::open(&blocker.join("vectors.bin"), 1, 3);
        cache.put("a", &[0.0, 0.0, 1.0]);
        cache.save(&["a"]);
        assert_eq!(cache.get("a"), Some(vec![0.0, 0.0, 1.0]));
    }
}
