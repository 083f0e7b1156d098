//! One small redb file: the plumbing the intake journal and the handoff
//! book share. Each keeps only its own tables and rules.
//!
//! A store is a private file (0600 in a 0700 folder) opened by one bot
//! at a time. It is opened in redb's single-writer mode, so other
//! processes may open it read-only while the bot runs: that is how
//! `faqbot status` reads the journal without stopping the bot. Every
//! transaction is committed (synced to disk) before a method returns;
//! methods block for a few milliseconds, so async code goes through
//! [`Store::call`].
//!
//! Errors name the file, what failed and what to do, in plain words.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{ConcurrencyMode, Database, ReadOnlyDatabase, ReadableDatabase};

/// A store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[error("{what} {path} {doing}: {reason}. {advice}")]
pub struct StoreError {
    what: &'static str,
    path: PathBuf,
    doing: &'static str,
    reason: String,
    advice: String,
}

/// What a store is, for its messages.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// "the intake journal".
    pub what: &'static str,
    /// The flag and variable that move it: "--journal / FAQBOT_JOURNAL".
    pub flag: &'static str,
    /// What is lost when the file has to be moved aside.
    pub loss: &'static str,
    /// What a failed write means for the people using the bot.
    pub failing: &'static str,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    db: Database,
    path: PathBuf,
    kind: Kind,
}

impl Store {
    /// Opens the store at `path`, creating it (and its folders, readable
    /// by this user only) if it is not there.
    pub fn open(path: &Path, kind: Kind) -> Result<Store, StoreError> {
        let fail = |doing, reason: String, advice: String| StoreError {
            what: kind.what,
            path: path.to_path_buf(),
            doing,
            reason,
            advice,
        };
        let movable = format!(
            "Check that the file can be written, or set {} to another place",
            kind.flag
        );
        crate::private_files::create_dir(path)
            .map_err(|e| fail("cannot be created", e.to_string(), movable.clone()))?;
        let file = crate::private_files::open_rw(path)
            .map_err(|e| fail("cannot be opened", e.to_string(), movable.clone()))?;
        let db = redb::backends::FileBackend::new(file)
            .and_then(|backend| {
                Database::builder()
                    .set_concurrency_mode(ConcurrencyMode::SingleWriter)
                    .create_with_backend(backend)
            })
            .map_err(|e| {
                fail(
                    "cannot be read",
                    e.to_string(),
                    format!(
                        "If another faqbot is running with the same file, stop it first. If the file is damaged, move it aside and start again: {}",
                        kind.loss
                    ),
                )
            })?;
        Ok(Store {
            db,
            path: path.to_path_buf(),
            kind,
        })
    }

    /// Reads in one transaction.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, StoreError> {
        read_in(&self.db, f, |e| self.error(e))
    }

    /// Writes in one transaction, committed to disk before it returns.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&redb::WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        let out = f(&txn).map_err(|e| self.error(e))?;
        txn.commit().map_err(|e| self.error(e))?;
        Ok(out)
    }

    /// Runs `f` on `owner` (a journal, a book) on a blocking thread: for
    /// async code. `store` picks the owner's store, for the error when the
    /// thread itself fails.
    pub async fn call<O, T>(
        owner: &Arc<O>,
        store: fn(&O) -> &Store,
        f: impl FnOnce(&O) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError>
    where
        O: Send + Sync + 'static,
        T: Send + 'static,
    {
        let shared = Arc::clone(owner);
        match tokio::task::spawn_blocking(move || f(&shared)).await {
            Ok(result) => result,
            Err(err) => {
                Err(store(owner)
                    .error(format!("the thread using it failed ({err}); this is a bug")))
            }
        }
    }

    /// An error about this store, for `reason`.
    pub fn error(&self, reason: impl ToString) -> StoreError {
        StoreError {
            what: self.kind.what,
            path: self.path.clone(),
            doing: "cannot be used",
            reason: reason.to_string(),
            advice: format!(
                "Check free disk space and the file's permissions; {}",
                self.kind.failing
            ),
        }
    }
}

/// A store opened read-only while the bot may be writing it (`faqbot
/// status`). It sees the bot's commits as they land.
pub struct Reader {
    db: ReadOnlyDatabase,
    path: PathBuf,
    kind: Kind,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("path", &self.path).finish()
    }
}

impl Reader {
    /// Opens an existing store without changing it.
    pub fn open(path: &Path, kind: Kind) -> Result<Reader, StoreError> {
        let fail = |doing, reason: String, advice: &str| StoreError {
            what: kind.what,
            path: path.to_path_buf(),
            doing,
            reason,
            advice: advice.to_string(),
        };
        if !path.exists() {
            return Err(fail(
                "does not exist",
                "no such file".into(),
                "Has the bot run with this journal? Give the same --journal (or FAQBOT_JOURNAL) as the bot",
            ));
        }
        let db = Database::builder()
            .set_concurrency_mode(ConcurrencyMode::SingleWriter)
            .open_read_only(path)
            .map_err(|e| {
                fail(
                    "cannot be read",
                    e.to_string(),
                    "If the bot stopped abruptly, the file is repaired the next time the bot starts; otherwise check the file's permissions",
                )
            })?;
        Ok(Reader {
            db,
            path: path.to_path_buf(),
            kind,
        })
    }

    /// Reads in one transaction.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, StoreError> {
        read_in(&self.db, f, |e| self.error(e))
    }

    fn error(&self, reason: impl ToString) -> StoreError {
        StoreError {
            what: self.kind.what,
            path: self.path.clone(),
            doing: "cannot be read",
            reason: reason.to_string(),
            advice: "Check the file's permissions".to_string(),
        }
    }
}

/// One read transaction on `db` (writable or read-only), errors through
/// `error`.
fn read_in<T>(
    db: &impl ReadableDatabase,
    f: impl FnOnce(&redb::ReadTransaction) -> Result<T, redb::Error>,
    error: impl Fn(String) -> StoreError,
) -> Result<T, StoreError> {
    let txn = db.begin_read().map_err(|e| error(e.to_string()))?;
    f(&txn).map_err(|e| error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::TableDefinition;

    const T: TableDefinition<u64, u64> = TableDefinition::new("t");
    const KIND: Kind = Kind {
        what: "the test store",
        flag: "--test",
        loss: "nothing",
        failing: "nothing",
    };

    #[test]
    fn a_reader_sees_the_writers_commits_while_it_is_open() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s/store.redb");
        let store = Store::open(&path, KIND).unwrap();
        store
            .write(|txn| {
                txn.open_table(T)?.insert(1, 10)?;
                Ok(())
            })
            .unwrap();
        let reader = Reader::open(&path, KIND).unwrap();
        let get = |r: &Reader, k: u64| {
            r.read(|txn| Ok(txn.open_table(T)?.get(k)?.map(|v| v.value())))
                .unwrap()
        };
        assert_eq!(get(&reader, 1), Some(10));
        store
            .write(|txn| {
                txn.open_table(T)?.insert(2, 20)?;
                Ok(())
            })
            .unwrap();
        assert_eq!(get(&reader, 2), Some(20));
        // A second writer is refused while the first is open.
        let err = Store::open(&path, KIND).unwrap_err().to_string();
        assert!(err.contains("stop it first"), "{err}");
    }

    #[test]
    fn a_missing_store_is_named_for_the_reader() {
        let tmp = tempfile::tempdir().unwrap();
        let err = Reader::open(&tmp.path().join("none.redb"), KIND)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("none.redb") && err.contains("does not exist"),
            "{err}"
        );
    }
}
