//! The intake journal: every update Telegram hands the bot, kept on disk
//! from the moment it is fetched until it is finished.
//!
//! Telegram forgets an update once the bot confirms it (by asking for the
//! next offset). Before this journal the bot confirmed updates as soon as
//! they were queued in memory, so a crash, a kill or a second Ctrl-C lost
//! every question fetched but not yet answered. Now an update is written
//! here (and synced to disk) before its offset is confirmed, and removed
//! only when its reply was accepted by Telegram or it was decided that no
//! reply is due. On start, whatever is still here is handled first.
//!
//! The store is [redb]: a pure-Rust, crash-safe (copy-on-write, checksummed,
//! fsync on commit) embedded key-value store. It needs no C toolchain,
//! unlike SQLite's bundled build, and a key-value table is all the journal
//! needs: update id → (time admitted, the update's JSON as Telegram sent it).
//! The raw JSON is kept, not teloxide's parsed form, so an update teloxide
//! cannot parse is still recorded, and skipped with a log line, never
//! fetched again and again.
//!
//! One more number is kept: the next update id to ask for. Telegram may
//! send an update again if the bot stopped before confirming it; anything
//! below that number was journaled already and is not admitted twice.
//!
//! [redb]: https://www.redb.org

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

/// update id → 8 bytes of admission time (Unix seconds, little-endian),
/// then the update's JSON.
const PENDING: TableDefinition<u64, &[u8]> = TableDefinition::new("pending");
/// Named numbers; only [`NEXT_OFFSET`] for now.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const NEXT_OFFSET: &str = "next_offset";

/// An update waiting to be finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: u64,
    /// When it was first fetched, Unix seconds.
    pub admitted: i64,
    /// The update as Telegram sent it (JSON).
    pub raw: Vec<u8>,
}

/// The journal could not be opened, read or written. The message names the
/// file and says what to do.
#[derive(Debug, thiserror::Error)]
#[error("the intake journal {path} {doing}: {reason}. {advice}")]
pub struct JournalError {
    path: PathBuf,
    doing: &'static str,
    reason: String,
    advice: &'static str,
}

/// The journal on disk. Every method writes through to disk before it
/// returns; they block for a few milliseconds, so async code calls them
/// from `spawn_blocking`.
#[derive(Debug)]
pub struct Journal {
    db: Database,
    path: PathBuf,
}

impl Journal {
    /// Opens the journal at `path`, creating it (and its folders, readable
    /// by this user only) if it is not there.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let fail = |doing, reason: String, advice| JournalError {
            path: path.to_path_buf(),
            doing,
            reason,
            advice,
        };
        crate::private_files::create_dir(path).map_err(|e| {
            fail(
                "cannot be created",
                e.to_string(),
                "Check that the folder can be written, or set --journal / FAQBOT_JOURNAL to another place",
            )
        })?;
        let file = crate::private_files::open_rw(path).map_err(|e| {
            fail(
                "cannot be opened",
                e.to_string(),
                "Check that the file can be written, or set --journal / FAQBOT_JOURNAL to another place",
            )
        })?;
        let backend = redb::backends::FileBackend::new(file);
        let db = backend.and_then(|b| Database::builder().create_with_backend(b)).map_err(|e| {
            fail(
                "cannot be read",
                e.to_string(),
                "If another faqbot is running with the same journal, stop it first. If the file is damaged, move it aside and start again: the questions in it will not be answered",
            )
        })?;
        let journal = Journal {
            db,
            path: path.to_path_buf(),
        };
        // Create the tables, so reads never meet a missing table.
        journal.write(|txn| {
            txn.open_table(PENDING)?;
            txn.open_table(META)?;
            Ok(())
        })?;
        Ok(journal)
    }

    /// The offset to ask Telegram for next: one past the newest update
    /// ever admitted (0 for a new journal, meaning "whatever is waiting").
    pub fn next_offset(&self) -> Result<u64, JournalError> {
        self.read(|txn| {
            let meta = txn.open_table(META)?;
            Ok(meta.get(NEXT_OFFSET)?.map_or(0, |v| v.value()))
        })
    }

    /// Records a batch of fetched updates (id, JSON) in one transaction and
    /// returns those not seen before, oldest first. Ids below
    /// [`Journal::next_offset`] were admitted already (Telegram sent them
    /// again because the bot stopped before confirming them) and are left
    /// out.
    pub fn admit(&self, batch: &[(u64, Vec<u8>)], now: i64) -> Result<Vec<Pending>, JournalError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|txn| {
            let mut meta = txn.open_table(META)?;
            let mut next = meta.get(NEXT_OFFSET)?.map_or(0, |v| v.value());
            let mut pending = txn.open_table(PENDING)?;
            let mut fresh = Vec::new();
            for (id, raw) in batch {
                if *id < next {
                    continue;
                }
                let mut value = Vec::with_capacity(8 + raw.len());
                value.extend_from_slice(&now.to_le_bytes());
                value.extend_from_slice(raw);
                pending.insert(*id, value.as_slice())?;
                next = id + 1;
                fresh.push(Pending {
                    id: *id,
                    admitted: now,
                    raw: raw.clone(),
                });
            }
            meta.insert(NEXT_OFFSET, next)?;
            Ok(fresh)
        })
    }

    /// Every update not yet finished, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, JournalError> {
        self.read(|txn| {
            let table = txn.open_table(PENDING)?;
            let mut out = Vec::new();
            for row in table.iter()? {
                let (id, value) = row?;
                let value = value.value();
                let (time, raw) = value.split_at(value.len().min(8));
                let admitted = time.try_into().map_or(0, i64::from_le_bytes);
                out.push(Pending {
                    id: id.value(),
                    admitted,
                    raw: raw.to_vec(),
                });
            }
            Ok(out)
        })
    }

    /// How many updates wait to be finished.
    pub fn unfinished(&self) -> Result<u64, JournalError> {
        self.read(|txn| Ok(txn.open_table(PENDING)?.len()?))
    }

    /// Removes update `id`: it was answered, or needs no answer.
    pub fn finish(&self, id: u64) -> Result<(), JournalError> {
        self.write(|txn| {
            txn.open_table(PENDING)?.remove(id)?;
            Ok(())
        })
    }

    /// Runs `f` on a blocking thread: for async code.
    pub async fn call<T: Send + 'static>(
        journal: &Arc<Journal>,
        f: impl FnOnce(&Journal) -> Result<T, JournalError> + Send + 'static,
    ) -> Result<T, JournalError> {
        let shared = Arc::clone(journal);
        match tokio::task::spawn_blocking(move || f(&shared)).await {
            Ok(result) => result,
            Err(err) => Err(JournalError {
                path: journal.path.clone(),
                doing: "could not be used",
                reason: err.to_string(),
                advice: "This is a bug; the update stays in the journal",
            }),
        }
    }

    fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, JournalError> {
        let txn = self.db.begin_read().map_err(|e| self.io_error(e.into()))?;
        f(&txn).map_err(|e| self.io_error(e))
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&redb::WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T, JournalError> {
        let txn = self.db.begin_write().map_err(|e| self.io_error(e.into()))?;
        let out = f(&txn).map_err(|e| self.io_error(e))?;
        txn.commit().map_err(|e| self.io_error(e.into()))?;
        Ok(out)
    }

    fn io_error(&self, err: redb::Error) -> JournalError {
        JournalError {
            path: self.path.clone(),
            doing: "cannot be written",
            reason: err.to_string(),
            advice: "Check free disk space and the file's permissions",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(id: u64) -> (u64, Vec<u8>) {
        (id, format!(r#"{{"update_id":{id}}}"#).into_bytes())
    }

    #[test]
    fn admitted_updates_survive_a_restart_until_finished() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("data/journal.redb");
        {
            let journal = Journal::open(&path).unwrap();
            assert_eq!(journal.next_offset().unwrap(), 0);
            let fresh = journal.admit(&[raw(7), raw(8), raw(9)], 100).unwrap();
            assert_eq!(fresh.len(), 3);
            journal.finish(8).unwrap();
        }
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.next_offset().unwrap(), 10);
        let pending = journal.pending().unwrap();
        assert_eq!(pending.iter().map(|p| p.id).collect::<Vec<_>>(), vec![7, 9]);
        assert_eq!(pending[0].admitted, 100);
        assert_eq!(pending[0].raw, raw(7).1);
    }

    #[test]
    fn updates_sent_again_are_not_admitted_twice() {
        let tmp = tempfile::tempdir().unwrap();
        let journal = Journal::open(&tmp.path().join("j.redb")).unwrap();
        journal.admit(&[raw(1), raw(2)], 0).unwrap();
        journal.finish(1).unwrap();
        journal.finish(2).unwrap();
        // Telegram re-sends 2 (never confirmed) along with a new one.
        let fresh = journal.admit(&[raw(2), raw(3)], 0).unwrap();
        assert_eq!(fresh.iter().map(|p| p.id).collect::<Vec<_>>(), vec![3]);
        assert_eq!(journal.unfinished().unwrap(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("new/journal.redb");
        Journal::open(&path).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn a_damaged_file_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("journal.redb");
        std::fs::write(&path, b"this is not a database, just some text").unwrap();
        let err = Journal::open(&path).unwrap_err().to_string();
        assert!(err.contains("journal.redb"), "{err}");
        assert!(err.contains("move it aside"), "{err}");
    }
}
