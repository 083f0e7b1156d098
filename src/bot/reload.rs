//! Live content: the engine being served, and the watcher that swaps in a
//! new one when curators edit `faq/`.
//!
//! A question takes a snapshot (`Arc<Engine>`) when it arrives and answers
//! from it to the end, and a new engine is built and checked completely
//! before it replaces the old one in a single pointer swap. So a reload
//! never drops a question, and no answer mixes old and new content. An
//! entry file with errors is left out of the new content, with its errors
//! logged; the others go live ([`check::serve`]).
//!
//! The watcher polls: it hashes the folder's file names and contents every
//! interval. That costs a few hundred kilobytes of reading per second for a
//! FAQ this size, needs no platform file-event API (which misses changes on
//! network and container mounts and reports every editor's temp file), and
//! debounces for free: content is reloaded once it has looked the same for
//! one whole interval, so a curator saving several files, or an editor
//! writing a file in steps, causes one reload.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use tokio::sync::watch;

use crate::content::Faq;
use crate::engine::{Engine, Model, check};

/// The engine currently served. `ArcSwap` makes taking a snapshot a
/// lock-free load and a reload one atomic store: a question never waits
/// for a reload, and there is no lock to poison.
#[derive(Debug)]
pub struct Content {
    current: ArcSwap<Engine>,
}

impl Content {
    pub fn new(engine: Engine) -> Content {
        Content {
            current: ArcSwap::from_pointee(engine),
        }
    }

    /// A snapshot to answer one question (or one button) from.
    pub fn get(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    fn replace(&self, engine: Arc<Engine>) {
        self.current.store(engine);
    }
}

/// What a reload changed, by entry id.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub edited: Vec<String>,
    pub settings: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.edited.is_empty() && !self.settings
    }
}

/// Compares two versions of the content.
pub fn diff(old: &Faq, new: &Faq) -> Changes {
    let mut changes = Changes::default();
    for entry in &new.entries {
        match old.get(&entry.id) {
            None => changes.added.push(entry.id.clone()),
            Some(before)
                if before.question != entry.question
                    || before.alternates != entry.alternates
                    || before.answer != entry.answer
                    || before.related != entry.related =>
            {
                changes.edited.push(entry.id.clone())
            }
            Some(_) => {}
        }
    }
    for entry in &old.entries {
        if new.get(&entry.id).is_none() {
            changes.removed.push(entry.id.clone());
        }
    }
    changes.settings = old.settings != new.settings;
    changes
}

/// Watches `dir` every `every` until `stop` turns true, swapping in content
/// that passes the checks and refusing (with every error logged) content
/// that does not.
pub async fn watch(
    dir: PathBuf,
    model: Model,
    content: Arc<Content>,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut served = fingerprint_blocking(&dir).await;
    // The last state seen, and whether it has been acted on.
    let mut seen = served;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        let now = fingerprint_blocking(&dir).await;
        if now != seen {
            // Still changing: wait until it has been quiet for an interval.
            seen = now;
            continue;
        }
        if now == served {
            continue;
        }
        served = now;
        reload(&dir, &model, &content).await;
    }
}

/// Logs what is wrong with served content: each file left out with its
/// errors, then the warnings.
pub fn log_problems(serving: &check::Serving) {
    for problem in serving.problems.iter().filter(|p| p.is_error()) {
        tracing::error!("{problem}");
    }
    let names = |paths: &[std::path::PathBuf]| -> Vec<String> {
        paths.iter().map(|p| p.display().to_string()).collect()
    };
    if !serving.kept.is_empty() {
        tracing::error!(
            files = ?names(&serving.kept),
            "these entry files have errors (above): their last good version is served until they are fixed; every other entry is served as edited. `faqbot check` shows the errors too"
        );
    }
    if !serving.left_out.is_empty() {
        tracing::error!(
            left_out = ?names(&serving.left_out),
            "these entry files have errors (above) and are NOT served until they are fixed; every other entry is. `faqbot check` shows the errors too"
        );
    }
    for problem in serving.problems.iter().filter(|p| !p.is_error()) {
        tracing::warn!("{problem}");
    }
}

/// Loads and checks `dir`; swaps in every entry that passes and logs what
/// changed and what was left out.
async fn reload(dir: &Path, model: &Model, content: &Content) {
    let path = dir.to_path_buf();
    let model = model.clone();
    let old = content.get();
    // Every rule `faqbot check` applies; phrasings whose text did not
    // change keep their vectors.
    let loaded = tokio::task::spawn_blocking(move || check::serve(&path, &model, Some(&old))).await;
    let serving = match loaded {
        Ok(Ok(Ok(serving))) => serving,
        Ok(Ok(Err(refused))) => {
            for problem in &refused.problems {
                tracing::error!("{problem}");
            }
            tracing::error!(
                errors = refused.problems.len(),
                "the edited FAQ has errors outside the entry files and was NOT loaded; still serving the previous content. Fix the errors above (`faqbot check` shows them too)"
            );
            return;
        }
        Ok(Err(err)) => {
            tracing::error!(error = %err, "the sentence model could not embed the new phrasings; still serving the previous content");
            return;
        }
        Err(err) => {
            tracing::error!(error = %err, "reloading the FAQ failed; still serving the previous content");
            return;
        }
    };
    log_problems(&serving);
    let engine = serving.engine;
    let old = content.get();
    let changes = diff(old.faq(), engine.faq());
    let entries = engine.faq().entries.len();
    let embedded = engine.phrasings_embedded();
    content.replace(Arc::new(engine));
    if changes.is_empty() {
        tracing::info!(entries, embedded, "FAQ reloaded: no entry changed");
    } else {
        tracing::info!(
            entries,
            added = ?changes.added,
            removed = ?changes.removed,
            edited = ?changes.edited,
            settings_changed = changes.settings,
            embedded,
            "FAQ reloaded"
        );
    }
}

async fn fingerprint_blocking(dir: &Path) -> u64 {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || fingerprint(&dir))
        .await
        .unwrap_or(0)
}

/// A hash of the names and contents of the files in `dir` (not of times:
/// a file saved without changes is no change). Unreadable files hash as
/// their error, so fixing one is a change.
pub fn fingerprint(dir: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut names: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(items) => items.filter_map(|i| i.ok()).map(|i| i.path()).collect(),
        Err(err) => {
            err.kind().hash(&mut hasher);
            return hasher.finish();
        }
    };
    names.sort();
    for path in names {
        path.hash(&mut hasher);
        // Only plain files are read: reading a pipe someone left in the
        // folder would block the watcher for good.
        if !crate::content::is_plain_file(&path) {
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => bytes.hash(&mut hasher),
            Err(err) => err.kind().hash(&mut hasher),
        }
    }
    // A new tuning (`faqbot tune` while the bot runs) is a change too: its
    // manifest names the weights' checksum, and is written after them.
    let manifest = crate::tune::stored::manifest_path(dir);
    if let Ok(bytes) = std::fs::read(&manifest) {
        bytes.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Entry, Settings};

    fn entry(id: &str, answer: &str) -> Entry {
        Entry {
            id: id.into(),
            question: format!("{id}?"),
            alternates: vec![format!("{id} alt")],
            answer: answer.into(),
            related: vec![],
            lines: Default::default(),
            path: Default::default(),
        }
    }

    fn faq(entries: Vec<Entry>) -> Faq {
        Faq::from_entries("faq".into(), entries, Settings::default()).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_in_the_folder_does_not_block_the_watcher() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("a.md"), "x").expect("write");
        let made = std::process::Command::new("mkfifo")
            .arg(tmp.path().join("pipe.md"))
            .status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        let dir = tmp.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(fingerprint(&dir)));
        let first = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("fingerprinting returns although a pipe is in the folder");
        std::fs::write(tmp.path().join("a.md"), "y").expect("write");
        assert_ne!(fingerprint(tmp.path()), first, "an edit is still seen");
    }

    #[test]
    fn diff_names_added_removed_and_edited() {
        let old = faq(vec![entry("a", "1"), entry("b", "2"), entry("c", "3")]);
        let mut edited_b = entry("b", "2");
        edited_b.lines.answer = 99; // moved, not changed
        let new = faq(vec![entry("a", "1 changed"), edited_b, entry("d", "4")]);
        assert_eq!(
            diff(&old, &new),
            Changes {
                added: vec!["d".into()],
                removed: vec!["c".into()],
                edited: vec!["a".into()],
                settings: false,
            }
        );
        assert!(diff(&old, &old).is_empty());
    }

    #[test]
    fn fingerprint_changes_with_content_not_with_saving() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a.md"), "x").unwrap();
        let first = fingerprint(tmp.path());
        std::fs::write(tmp.path().join("a.md"), "x").unwrap();
        assert_eq!(fingerprint(tmp.path()), first);
        std::fs::write(tmp.path().join("a.md"), "y").unwrap();
        assert_ne!(fingerprint(tmp.path()), first);
    }
}
