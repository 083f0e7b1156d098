//! The `tuning/` folder inside an FAQ folder: what `faqbot tune` learned
//! and a manifest saying from what.
//!
//! Kept beside the content it was learned from, so every command given
//! `--faq DIR` finds its own tuning wherever it runs. The manifest records
//! the base model's checksum (a tuning only fits the model it was trained
//! on), a digest of the examples (so `faqbot check` can say when the
//! content changed since), the date, the settings and the figures.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Settings, Summary};
use crate::semantic::{Lora, write_atomically};

/// The folder's name inside the FAQ folder.
pub const TUNING_DIR: &str = "tuning";
const WEIGHTS: &str = "lora.safetensors";
const MANIFEST: &str = "manifest.json";
/// Manifests this faqbot reads.
const FORMAT: u32 = 1;

/// Where `faq_dir`'s tuning manifest is.
pub fn manifest_path(faq_dir: &Path) -> PathBuf {
    faq_dir.join(TUNING_DIR).join(MANIFEST)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The base model's name, for people.
    pub base_model: String,
    /// [`crate::semantic::Base::checksum`] in hex.
    pub base_checksum: String,
    /// [`super::content_digest`] of the content tuned on.
    pub content_digest: String,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
    /// Digest of the weights file, in hex.
    pub weights_checksum: String,
    pub settings: Settings,
    pub figures: Summary,
}

/// A tuning read from disk.
#[derive(Debug, Clone)]
pub struct Stored {
    pub manifest: Manifest,
    pub lora: Lora,
    /// The `tuning/` folder it was read from.
    pub dir: PathBuf,
}

/// Why a tuning folder could not be read, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {what} (run `faqbot tune` to make it again)", path.display())]
pub struct StoredError {
    pub path: PathBuf,
    pub what: String,
}

fn error(path: &Path, what: impl Into<String>) -> StoredError {
    StoredError {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

impl Stored {
    /// The tuning in `faq_dir/tuning/`, if there is one.
    pub fn read(faq_dir: &Path) -> Result<Option<Stored>, StoredError> {
        let dir = faq_dir.join(TUNING_DIR);
        if !dir.exists() {
            return Ok(None);
        }
        let read = |name: &str| -> Result<(PathBuf, Vec<u8>), StoredError> {
            let path = dir.join(name);
            std::fs::read(&path)
                .map(|bytes| (path.clone(), bytes))
                .map_err(|err| error(&path, format!("cannot be read: {err}")))
        };
        let (manifest_path, manifest) = read(MANIFEST)?;
        let (weights_path, weights) = read(WEIGHTS)?;
        Stored::parse((&manifest_path, &manifest), (&weights_path, &weights), dir).map(Some)
    }

    fn parse(
        manifest: (&Path, &[u8]),
        weights: (&Path, &[u8]),
        dir: PathBuf,
    ) -> Result<Stored, StoredError> {
        let parsed: Manifest = serde_json::from_slice(manifest.1)
            .map_err(|err| error(manifest.0, format!("is not a tuning manifest: {err}")))?;
        if parsed.format != FORMAT {
            return Err(error(
                manifest.0,
                format!(
                    "is in format {}, this faqbot reads format {FORMAT}",
                    parsed.format
                ),
            ));
        }
        let checksum = format!("{:016x}", crate::digest::fnv1a(weights.1));
        if checksum != parsed.weights_checksum {
            return Err(error(
                weights.0,
                "is not the file its manifest describes (its checksum differs)",
            ));
        }
        let lora = Lora::from_bytes(weights.1).map_err(|what| error(weights.0, what))?;
        Ok(Stored {
            manifest: parsed,
            lora,
            dir,
        })
    }

    /// Writes a tuning into `faq_dir/tuning/`: the weights first, then the
    /// manifest naming their checksum, each whole or not at all.
    pub fn write(
        faq_dir: &Path,
        lora: &Lora,
        manifest: &mut Manifest,
    ) -> Result<PathBuf, StoredError> {
        let dir = faq_dir.join(TUNING_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|err| error(&dir, format!("cannot be made: {err}")))?;
        let weights_path = dir.join(WEIGHTS);
        let bytes = lora.to_bytes().map_err(|what| error(&weights_path, what))?;
        manifest.weights_checksum = format!("{:016x}", crate::digest::fnv1a(&bytes));
        write_atomically(&weights_path, &bytes)
            .map_err(|err| error(&weights_path, format!("cannot be written: {err}")))?;
        let manifest_path = dir.join(MANIFEST);
        let mut text = serde_json::to_string_pretty(manifest)
            .map_err(|err| error(&manifest_path, err.to_string()))?;
        text.push('\n');
        write_atomically(&manifest_path, text.as_bytes())
            .map_err(|err| error(&manifest_path, format!("cannot be written: {err}")))?;
        Ok(dir)
    }

    /// Why this tuning may not fit: made for another model (then it is
    /// not used), or from other content (then it is used, but out of date).
    pub fn fit(&self, base_checksum: u64, content_digest: &str) -> Fit {
        if self.manifest.base_checksum != format!("{base_checksum:016x}") {
            Fit::OtherModel
        } else if self.manifest.content_digest != content_digest {
            Fit::Stale
        } else {
            Fit::Current
        }
    }
}

/// How a tuning relates to the model and content in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Made from this content, for this model.
    Current,
    /// Made for this model, from content that has changed since.
    Stale,
    /// Made for another base model: not used.
    OtherModel,
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{DType, Device, Tensor};

    fn lora() -> Lora {
        let a = Tensor::ones((2, 4), DType::F32, &Device::Cpu).unwrap();
        let b = (Tensor::ones((3, 2), DType::F32, &Device::Cpu).unwrap() * 0.5).unwrap();
        Lora::from_parts(vec![("layer.weight".into(), a, b)]).unwrap()
    }

    fn manifest() -> Manifest {
        Manifest {
            format: 1,
            base_model: "test".into(),
            base_checksum: format!("{:016x}", 7),
            content_digest: "abc".into(),
            created: "2026-12-06T00:00:00Z".into(),
            weights_checksum: String::new(),
            settings: Settings::default(),
            figures: Summary {
                examples: 0,
                classes: 0,
                epochs: 0,
                steps: 0,
                first_loss: 0.0,
                last_loss: 0.0,
                seconds: 0.0,
                leave_one_out_before: None,
                leave_one_out_after: None,
                parameters: 14,
            },
        }
    }

    #[test]
    fn a_written_tuning_reads_back_and_knows_what_it_fits() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(Stored::read(tmp.path()).unwrap().is_none());
        let mut m = manifest();
        Stored::write(tmp.path(), &lora(), &mut m).unwrap();
        let stored = Stored::read(tmp.path()).unwrap().expect("a tuning");
        assert_eq!(stored.manifest, m);
        assert_eq!(stored.lora.checksum(), lora().checksum());
        assert_eq!(stored.lora.parameters(), 14);
        assert_eq!(stored.fit(7, "abc"), Fit::Current);
        assert_eq!(stored.fit(7, "abd"), Fit::Stale);
        assert_eq!(stored.fit(8, "abc"), Fit::OtherModel);
    }

    #[test]
    fn damaged_files_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        Stored::write(tmp.path(), &lora(), &mut manifest()).unwrap();
        let weights = tmp.path().join(TUNING_DIR).join(WEIGHTS);
        std::fs::write(&weights, b"junk").unwrap();
        let err = Stored::read(tmp.path()).unwrap_err();
        assert_eq!(err.path, weights);
        assert!(err.to_string().contains("faqbot tune"), "{err}");
        std::fs::write(manifest_path(tmp.path()), b"{").unwrap();
        let err = Stored::read(tmp.path()).unwrap_err();
        assert!(err.to_string().contains("manifest.json"), "{err}");
        assert!(
            err.to_string().contains("is not a tuning manifest"),
            "{err}"
        );
    }
}
