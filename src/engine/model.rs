//! Which sentence model an engine uses: the base model (built in, or
//! `--model DIR`) with the FAQ folder's own tuning added, if it fits.
//!
//! A tuning is looked for in the FAQ folder (`tuning/`, written by
//! `faqbot tune`); a folder without one uses the base model as it is. A
//! tuning made from older content is still used (the bot keeps working
//! with the last tuning; `faqbot check` says to retune); one made for
//! another base model is not.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::content::Faq;
use crate::semantic::{self, Base, Encoder, ModelError};
use crate::tune::{self, Stored, stored::Fit};

/// The base sentence model engines use, and the encoders made from it.
#[derive(Debug, Clone, Default)]
pub struct Model {
    source: Source,
    /// Where encoders keep start-up vectors between runs.
    vector_cache: Option<PathBuf>,
    /// The last encoders made, by tuning checksum (0: untuned), so a
    /// reload with the same tuning reuses its encoder.
    encoders: Arc<Mutex<Encoders>>,
}

/// Encoders made, by tuning checksum (0: untuned), oldest first.
type Encoders = Vec<(u64, Arc<Encoder>)>;

#[derive(Debug, Clone, Default)]
enum Source {
    /// The model compiled into the binary (read once per process).
    #[default]
    BuiltIn,
    /// The multilingual model compiled into the binary, which reads
    /// messages in other languages beside the main model. It is never
    /// tuned: the FAQ's tuning is made for the main model.
    BuiltInMultilingual,
    /// A model read from a folder (`--model DIR`), or read anew.
    Loaded(Arc<Base>),
}

/// The tuning an engine uses, and how it relates to the content.
#[derive(Debug, Clone)]
pub struct TuningInUse {
    pub manifest: tune::Manifest,
    /// The `tuning/` folder it was read from.
    pub dir: PathBuf,
    /// Current, or made from content that changed since.
    pub fit: Fit,
}

/// Encoders kept at once: the one in use and the one before a reload.
const KEPT: usize = 2;

impl Model {
    /// The model compiled into the binary.
    pub fn built_in() -> Model {
        Model::default()
    }

    /// `--model DIR`, or the built-in model without one.
    pub fn from_dir(dir: Option<&Path>) -> Result<Model, ModelError> {
        match dir {
            Some(dir) => Ok(Model::from_base(Base::from_dir(dir)?)),
            None => Ok(Model::built_in()),
        }
    }

    /// A model from weights already read (benchmarks read the built-in
    /// one afresh to time it).
    pub fn from_base(base: Base) -> Model {
        Model {
            source: Source::Loaded(Arc::new(base)),
            ..Model::default()
        }
    }

    /// Keeps start-up vectors in the file at `path` between runs (see
    /// [`semantic::VectorCache`]).
    pub fn keep_vectors_in(&mut self, path: &Path) {
        self.vector_cache = Some(path.to_path_buf());
    }

    /// The model that reads messages in other languages beside this one:
    /// the built-in multilingual model, keeping its start-up vectors in a
    /// file of its own beside this model's.
    pub fn multilingual(&self) -> Model {
        Model {
            source: Source::BuiltInMultilingual,
            vector_cache: self.vector_cache.as_ref().map(|path| {
                let mut name = path.file_name().unwrap_or_default().to_os_string();
                name.push(".multilingual");
                path.with_file_name(name)
            }),
            encoders: Arc::default(),
        }
    }

    pub fn base(&self) -> Result<Arc<Base>, ModelError> {
        match &self.source {
            Source::BuiltIn => semantic::builtin_base(),
            Source::BuiltInMultilingual => semantic::builtin_multilingual_base(),
            Source::Loaded(base) => Ok(Arc::clone(base)),
        }
    }

    /// The tuning `faq` gets with this model: its folder's, if it has one
    /// made for this base model.
    pub fn tuning_for(&self, faq: &Faq) -> Result<Option<(Stored, Fit)>, ModelError> {
        if matches!(self.source, Source::BuiltInMultilingual) {
            return Ok(None);
        }
        let base = self.base()?;
        let stored = match Stored::read(&faq.dir) {
            Ok(Some(stored)) => stored,
            Ok(None) => return Ok(None),
            Err(err) => return Err(tuning_error(err)),
        };
        let fit = stored.fit(base.checksum, &tune::content_digest(faq));
        if fit == Fit::OtherModel {
            tracing::warn!(
                tuning = %faq.dir.join(tune::TUNING_DIR).display(),
                made_for = %stored.manifest.base_model,
                model = %base.name,
                "the FAQ's tuning was made for another sentence model and is not used; run `faqbot tune` to tune this one"
            );
            return Ok(None);
        }
        Ok(Some((stored, fit)))
    }

    /// The encoder for `faq`: the base model with the tuning that fits.
    pub fn encoder_for(
        &self,
        faq: &Faq,
    ) -> Result<(Arc<Encoder>, Option<TuningInUse>), ModelError> {
        let tuning = self.tuning_for(faq)?;
        let encoder = self.encoder(tuning.as_ref().map(|(s, _)| s))?;
        let in_use = tuning.map(|(stored, fit)| TuningInUse {
            manifest: stored.manifest,
            dir: stored.dir,
            fit,
        });
        Ok((encoder, in_use))
    }

    /// The base model with `tuning` added (made once per tuning).
    pub fn encoder(&self, tuning: Option<&Stored>) -> Result<Arc<Encoder>, ModelError> {
        let key = tuning.map_or(0, |t| t.lora.checksum());
        let mut encoders = self
            .encoders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, encoder)) = encoders.iter().find(|(k, _)| *k == key) {
            return Ok(Arc::clone(encoder));
        }
        let encoder = match (&self.source, tuning) {
            (Source::BuiltIn, None) => semantic::builtin()?,
            (_, tuning) => Arc::new(Encoder::new(&*self.base()?, tuning.map(|t| &t.lora))?),
        };
        if let Some(path) = &self.vector_cache {
            encoder.keep_vectors_in(path);
        }
        encoders.push((key, Arc::clone(&encoder)));
        if encoders.len() > KEPT {
            encoders.remove(0);
        }
        Ok(encoder)
    }
}

fn tuning_error(err: tune::stored::StoredError) -> ModelError {
    ModelError::File {
        path: err.path,
        what: format!("{} (run `faqbot tune` to make it again)", err.what),
    }
}
