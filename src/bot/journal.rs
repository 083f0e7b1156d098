//! The intake journal: every update Telegram hands the bot, kept on disk
//! from the moment it is fetched until it is finished.
//!
//! Telegram forgets an update once the bot confirms it (by asking for the
//! next offset). An update is written here (and synced to disk) before its
//! offset is confirmed, and removed only when its reply was accepted by
//! Telegram or it was decided that no reply is due. On start, whatever is
//! still here is handled first.
//!
//! **Seen before is decided by the update itself, never by a high-water
//! mark.** Telegram sends an update again when the bot stopped before
//! confirming it, so the journal remembers each update it admitted (its id
//! and a digest of its JSON) for [`SEEN_FOR`], twice as long as Telegram
//! keeps an undelivered update, and refuses only those. It cannot use "ids
//! below the last one" instead: after a week without updates Telegram picks
//! the next id at random (possibly lower), and a new token starts a new
//! sequence. A bot refusing every id below its old mark goes deaf, with no
//! error and no log line. The stored offset is only a hint for the first
//! poll; ids below it that were never seen are new, and the restart is
//! logged once.
//!
//! Each update waits under a key of the journal's own (a counter), so two
//! updates with one id (two sequences) never overwrite each other.
//!
//! The journal also keeps a few facts about polling (when it last worked,
//! since when it fails and why, when an update last came in) for
//! `faqbot status`, which reads the file while the bot runs.
//!
//! The store is [redb] (see [`super::store`]). The raw JSON is kept, not
//! teloxide's parsed form, so an update teloxide cannot parse is still
//! recorded, and skipped with a log line, never fetched again and again.
//!
//! [redb]: https://www.redb.org

use std::path::Path;
use std::sync::Arc;

use redb::{ReadableTable, ReadableTableMetadata, TableDefinition};

use super::store::{Kind, Reader, Store, StoreError};

pub type JournalError = StoreError;

/// journal key → 8 bytes of admission time (Unix seconds), 8 bytes of
/// update id (both little-endian), then the update's JSON.
const PENDING: TableDefinition<u64, &[u8]> = TableDefinition::new("pending_v2");
/// The table of the journal's first version (keyed by update id, no id in
/// the value). Read once at open and moved into [`PENDING`].
const PENDING_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("pending");
/// update id → 8 bytes of admission time, 8 bytes of the JSON's digest.
const SEEN: TableDefinition<u64, &[u8]> = TableDefinition::new("seen");
/// Named numbers.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Named texts (the last polling error).
const NOTES: TableDefinition<&str, &str> = TableDefinition::new("notes");

/// The offset to ask for first: a hint, see the module docs.
const NEXT_OFFSET: &str = "next_offset";
const NEXT_KEY: &str = "next_key";
const LAST_PURGE: &str = "last_purge";
const STARTED: &str = "started";
const STOPPED: &str = "stopped";
const LAST_POLL: &str = "last_poll";
const FAILING_SINCE: &str = "failing_since";
const LAST_ADMITTED: &str = "last_admitted";
const LAST_ERROR: &str = "last_error";

/// How long an admitted update is remembered: Telegram keeps an update it
/// could not deliver for 24 hours, so one sent again is always younger.
pub const SEEN_FOR: i64 = 48 * 3600;
/// Forgetting old ids walks the table: at most once an hour.
const PURGE_EVERY: i64 = 3600;

const KIND: Kind = Kind {
    what: "the intake journal",
    flag: "--journal / FAQBOT_JOURNAL",
    loss: "the questions in it will not be answered",
    failing: "until it can be written, questions are fetched again instead of answered",
};

/// An update waiting to be finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The journal's own key: what [`Journal::finish`] takes.
    pub key: u64,
    /// Telegram's update id, for logs.
    pub update: u64,
    /// When it was first fetched, Unix seconds.
    pub admitted: i64,
    /// The update as Telegram sent it (JSON).
    pub raw: Vec<u8>,
}

/// What [`Journal::admit`] made of a batch.
#[derive(Debug, Default)]
pub struct Admitted {
    /// Updates not seen before, in the batch's order.
    pub fresh: Vec<Pending>,
    /// Some were below the stored offset and new: Telegram's ids restarted.
    pub ids_restarted: bool,
}

/// The facts `faqbot status` shows. Times are Unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Health {
    /// When the bot last started with this journal.
    pub started: Option<i64>,
    /// When it last stopped cleanly (older than `started` while it runs).
    pub stopped: Option<i64>,
    /// The last `getUpdates` that worked.
    pub last_poll: Option<i64>,
    /// Since when polling fails, if it does now.
    pub failing_since: Option<i64>,
    /// Why the last poll failed (kept after it works again).
    pub last_error: Option<String>,
    /// When an update last came in.
    pub last_admitted: Option<i64>,
    /// Updates waiting to be finished.
    pub waiting: u64,
    /// When the oldest of them came in.
    pub oldest_waiting: Option<i64>,
}

/// The journal on disk. Every method writes through to disk before it
/// returns; async code calls them through [`Journal::call`].
#[derive(Debug)]
pub struct Journal {
    store: Store,
}

impl Journal {
    /// Opens the journal at `path`, creating it (and its folders, readable
    /// by this user only) if it is not there.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let journal = Journal {
            store: Store::open(path, KIND)?,
        };
        // Create the tables, so reads never meet a missing table, and move
        // what a journal of the first version left into today's table.
        journal.store.write(|txn| {
            let mut pending = txn.open_table(PENDING)?;
            txn.open_table(SEEN)?;
            txn.open_table(NOTES)?;
            let mut meta = txn.open_table(META)?;
            let mut old = txn.open_table(PENDING_V1)?;
            let mut key = meta.get(NEXT_KEY)?.map_or(0, |v| v.value());
            for row in old.iter()? {
                let (id, value) = row?;
                let value = value.value();
                let (time, raw) = value.split_at(value.len().min(8));
                pending.insert(key, encode(time, id.value(), raw).as_slice())?;
                key += 1;
            }
            old.retain(|_, _| false)?;
            meta.insert(NEXT_KEY, key)?;
            Ok(())
        })?;
        Ok(journal)
    }

    /// The offset to ask Telegram for first: one past the newest update
    /// admitted (0 for a new journal, meaning "whatever is waiting").
    pub fn next_offset(&self) -> Result<u64, JournalError> {
        self.store
            .read(|txn| meta(&txn.open_table(META)?, NEXT_OFFSET))
            .map(|v| v.unwrap_or(0))
    }

    /// Records a batch of fetched updates (id, JSON) in one transaction and
    /// returns those not seen before. An update is seen before when the
    /// journal admitted one with the same id and the same JSON within
    /// [`SEEN_FOR`]: Telegram sent it again because the bot stopped before
    /// confirming it.
    pub fn admit(&self, batch: &[(u64, Vec<u8>)], now: i64) -> Result<Admitted, JournalError> {
        let Some(newest) = batch.iter().map(|(id, _)| *id).max() else {
            return Ok(Admitted::default());
        };
        self.store.write(|txn| {
            let mut meta_table = txn.open_table(META)?;
            let hint = meta(&meta_table, NEXT_OFFSET)?.unwrap_or(0);
            let mut key = meta(&meta_table, NEXT_KEY)?.unwrap_or(0);
            let mut pending = txn.open_table(PENDING)?;
            let mut seen = txn.open_table(SEEN)?;
            let mut out = Admitted::default();
            for (id, raw) in batch {
                let digest = crate::digest::fnv1a(raw);
                let known = seen.get(*id)?.is_some_and(|v| {
                    let v = v.value();
                    v.get(8..16) == Some(&digest.to_le_bytes()[..])
                });
                if known {
                    continue;
                }
                if *id < hint {
                    out.ids_restarted = true;
                }
                let mut mark = now.to_le_bytes().to_vec();
                mark.extend_from_slice(&digest.to_le_bytes());
                seen.insert(*id, mark.as_slice())?;
                pending.insert(key, encode(&now.to_le_bytes(), *id, raw).as_slice())?;
                out.fresh.push(Pending {
                    key,
                    update: *id,
                    admitted: now,
                    raw: raw.clone(),
                });
                key += 1;
            }
            if now - meta(&meta_table, LAST_PURGE)?.map_or(0, |v| v as i64) >= PURGE_EVERY {
                seen.retain(|_, v| now - time_of(v) < SEEN_FOR)?;
                meta_table.insert(LAST_PURGE, now as u64)?;
            }
            meta_table.insert(NEXT_KEY, key)?;
            meta_table.insert(NEXT_OFFSET, newest + 1)?;
            if !out.fresh.is_empty() {
                meta_table.insert(LAST_ADMITTED, now as u64)?;
            }
            Ok(out)
        })
    }

    /// Every update not yet finished, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, JournalError> {
        self.store.read(|txn| {
            let table = txn.open_table(PENDING)?;
            let mut out = Vec::new();
            for row in table.iter()? {
                let (key, value) = row?;
                out.push(decode(key.value(), value.value()));
            }
            Ok(out)
        })
    }

    /// How many updates wait to be finished.
    pub fn unfinished(&self) -> Result<u64, JournalError> {
        self.store.read(|txn| Ok(txn.open_table(PENDING)?.len()?))
    }

    /// Removes the update under `key`: it was answered, or needs no answer.
    pub fn finish(&self, key: u64) -> Result<(), JournalError> {
        self.store.write(|txn| {
            txn.open_table(PENDING)?.remove(key)?;
            Ok(())
        })
    }

    /// The bot started (`true`) or stopped cleanly (`false`) at `now`.
    pub fn mark_run(&self, started: bool, now: i64) -> Result<(), JournalError> {
        self.store.write(|txn| {
            let mut meta = txn.open_table(META)?;
            meta.insert(if started { STARTED } else { STOPPED }, now as u64)?;
            if started {
                // A failure streak of an earlier run is not this run's.
                meta.remove(FAILING_SINCE)?;
            }
            Ok(())
        })
    }

    /// A `getUpdates` worked at `now`.
    pub fn poll_worked(&self, now: i64) -> Result<(), JournalError> {
        self.store.write(|txn| {
            let mut meta = txn.open_table(META)?;
            meta.insert(LAST_POLL, now as u64)?;
            meta.remove(FAILING_SINCE)?;
            Ok(())
        })
    }

    /// A `getUpdates` failed at `now`, for `why`.
    pub fn poll_failed(&self, now: i64, why: &str) -> Result<(), JournalError> {
        self.store.write(|txn| {
            let mut meta = txn.open_table(META)?;
            if meta.get(FAILING_SINCE)?.is_none() {
                meta.insert(FAILING_SINCE, now as u64)?;
            }
            txn.open_table(NOTES)?.insert(LAST_ERROR, why)?;
            Ok(())
        })
    }

    /// The facts `faqbot status` shows.
    pub fn health(&self) -> Result<Health, JournalError> {
        self.store.read(read_health)
    }

    /// Runs `f` on a blocking thread: for async code.
    pub async fn call<T: Send + 'static>(
        journal: &Arc<Journal>,
        f: impl FnOnce(&Journal) -> Result<T, JournalError> + Send + 'static,
    ) -> Result<T, JournalError> {
        Store::call(journal, |j| &j.store, f).await
    }
}

/// Reads a journal the bot may be writing, without changing it: for
/// `faqbot status`.
pub fn read_health(txn: &redb::ReadTransaction) -> Result<Health, redb::Error> {
    let meta_table = txn.open_table(META)?;
    let time = |name| -> Result<Option<i64>, redb::Error> {
        Ok(meta(&meta_table, name)?.map(|v| v as i64))
    };
    let pending = txn.open_table(PENDING)?;
    let mut oldest: Option<i64> = None;
    for row in pending.iter()? {
        let (_, value) = row?;
        let admitted = time_of(value.value());
        oldest = Some(oldest.map_or(admitted, |o| o.min(admitted)));
    }
    let last_error = txn
        .open_table(NOTES)?
        .get(LAST_ERROR)?
        .map(|v| v.value().to_string());
    Ok(Health {
        started: time(STARTED)?,
        stopped: time(STOPPED)?,
        last_poll: time(LAST_POLL)?,
        failing_since: time(FAILING_SINCE)?,
        last_error,
        last_admitted: time(LAST_ADMITTED)?,
        waiting: pending.len()?,
        oldest_waiting: oldest,
    })
}

/// The journal's facts, read while the bot may be running.
pub fn health_at(path: &Path) -> Result<Health, JournalError> {
    Reader::open(path, KIND)?.read(read_health)
}

fn meta(
    table: &impl ReadableTable<&'static str, u64>,
    name: &str,
) -> Result<Option<u64>, redb::Error> {
    Ok(table.get(name)?.map(|v| v.value()))
}

fn encode(time: &[u8], id: u64, raw: &[u8]) -> Vec<u8> {
    let mut value = Vec::with_capacity(16 + raw.len());
    value.extend_from_slice(time);
    value.resize(8, 0);
    value.extend_from_slice(&id.to_le_bytes());
    value.extend_from_slice(raw);
    value
}

fn decode(key: u64, value: &[u8]) -> Pending {
    let number = |range: std::ops::Range<usize>| {
        value
            .get(range)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    Pending {
        key,
        update: number(8..16),
        admitted: number(0..8) as i64,
        raw: value.get(16..).unwrap_or_default().to_vec(),
    }
}

fn time_of(value: &[u8]) -> i64 {
    value
        .get(0..8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, i64::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(id: u64) -> (u64, Vec<u8>) {
        (id, format!(r#"{{"update_id":{id}}}"#).into_bytes())
    }

    fn ids(admitted: &Admitted) -> Vec<u64> {
        admitted.fresh.iter().map(|p| p.update).collect()
    }

    #[test]
    fn admitted_updates_survive_a_restart_until_finished() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("data/journal.redb");
        {
            let journal = Journal::open(&path).unwrap();
            assert_eq!(journal.next_offset().unwrap(), 0);
            let admitted = journal.admit(&[raw(7), raw(8), raw(9)], 100).unwrap();
            assert_eq!(ids(&admitted), vec![7, 8, 9]);
            journal.finish(admitted.fresh[1].key).unwrap();
        }
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.next_offset().unwrap(), 10);
        let pending = journal.pending().unwrap();
        assert_eq!(
            pending.iter().map(|p| p.update).collect::<Vec<_>>(),
            vec![7, 9]
        );
        assert_eq!(pending[0].admitted, 100);
        assert_eq!(pending[0].raw, raw(7).1);
    }

    #[test]
    fn updates_sent_again_are_not_admitted_twice() {
        let tmp = tempfile::tempdir().unwrap();
        let journal = Journal::open(&tmp.path().join("j.redb")).unwrap();
        let first = journal.admit(&[raw(1), raw(2)], 0).unwrap();
        for p in &first.fresh {
            journal.finish(p.key).unwrap();
        }
        // Telegram re-sends 2 (never confirmed) along with a new one.
        let again = journal.admit(&[raw(2), raw(3)], 0).unwrap();
        assert_eq!(ids(&again), vec![3]);
        assert!(!again.ids_restarted);
        assert_eq!(journal.unfinished().unwrap(), 1);
    }

    #[test]
    fn ids_that_restart_lower_are_new_updates() {
        let tmp = tempfile::tempdir().unwrap();
        let journal = Journal::open(&tmp.path().join("j.redb")).unwrap();
        journal.admit(&[raw(900_000)], 0).unwrap();
        assert_eq!(journal.next_offset().unwrap(), 900_001);
        // A week later (or a new token): ids start again at 100.
        let later = journal.admit(&[raw(100), raw(101)], 0).unwrap();
        assert_eq!(ids(&later), vec![100, 101]);
        assert!(later.ids_restarted);
        // The hint follows the new sequence, so the next poll confirms them.
        assert_eq!(journal.next_offset().unwrap(), 102);
        // One id, other content (a second sequence meeting the first): new,
        // and kept apart from the first under its own key.
        let other = (100, br#"{"update_id":100,"message":{}}"#.to_vec());
        let both = journal.admit(&[other], 0).unwrap();
        assert_eq!(ids(&both), vec![100]);
        assert_eq!(journal.unfinished().unwrap(), 4);
    }

    #[test]
    fn ids_are_forgotten_after_two_days() {
        let tmp = tempfile::tempdir().unwrap();
        let journal = Journal::open(&tmp.path().join("j.redb")).unwrap();
        journal.admit(&[raw(5)], 1_000_000).unwrap();
        let later = 1_000_000 + SEEN_FOR + PURGE_EVERY;
        journal.admit(&[raw(6)], later).unwrap();
        // 5 was purged: the same update now counts as new (Telegram never
        // sends one this old again).
        assert_eq!(ids(&journal.admit(&[raw(5)], later).unwrap()), vec![5]);
    }

    #[test]
    fn polling_facts_are_kept_for_status() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("j.redb");
        let journal = Journal::open(&path).unwrap();
        journal.mark_run(true, 10).unwrap();
        journal.poll_worked(20).unwrap();
        journal.poll_failed(30, "HTTP 502").unwrap();
        journal.poll_failed(40, "connection refused").unwrap();
        journal.admit(&[raw(1)], 35).unwrap();
        let health = health_at(&path).unwrap();
        assert_eq!(health.started, Some(10));
        assert_eq!(health.last_poll, Some(20));
        assert_eq!(health.failing_since, Some(30));
        assert_eq!(health.last_error.as_deref(), Some("connection refused"));
        assert_eq!((health.waiting, health.oldest_waiting), (1, Some(35)));
        journal.poll_worked(50).unwrap();
        let health = journal.health().unwrap();
        assert_eq!((health.last_poll, health.failing_since), (Some(50), None));
    }

    #[test]
    fn a_first_version_journal_keeps_its_waiting_updates() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("j.redb");
        {
            let store = Store::open(&path, KIND).unwrap();
            store
                .write(|txn| {
                    let mut value = 77i64.to_le_bytes().to_vec();
                    value.extend_from_slice(&raw(42).1);
                    txn.open_table(PENDING_V1)?.insert(42, value.as_slice())?;
                    Ok(())
                })
                .unwrap();
        }
        let journal = Journal::open(&path).unwrap();
        let pending = journal.pending().unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!((pending[0].update, pending[0].admitted), (42, 77));
        assert_eq!(pending[0].raw, raw(42).1);
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
