//! Appending JSON Lines from many tasks through one writer.
//!
//! The bot answers many chats at once, and each answer may add a line to a
//! log (unmatched questions, votes, answer counts). One thread owns each
//! file and writes whole lines, so lines never interleave, and each line is
//! handed to the operating system as soon as it is written, so a crash or a
//! kill loses at most the line being written. A write the disk cuts short
//! is rolled back, and a half line a crash left is cut off on reopening, so
//! every line in the file is whole. When the file is renamed or removed
//! (logrotate without `copytruncate`), the next line starts a new file at
//! the path. Writing never blocks or fails
//! an answer: if the file cannot be written, the problem is logged and the
//! bot keeps answering.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::thread::JoinHandle;

use serde::Serialize;

/// Lines waiting to be written before new ones are dropped (with a warning).
const QUEUE: usize = 4096;

enum Msg<T> {
    Line(T),
    Close,
}

/// A cheap, cloneable handle for appending records.
pub struct Appender<T> {
    tx: SyncSender<Msg<T>>,
    name: &'static str,
}

impl<T> Clone for Appender<T> {
    fn clone(&self) -> Self {
        Appender {
            tx: self.tx.clone(),
            name: self.name,
        }
    }
}

impl<T> std::fmt::Debug for Appender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appender")
            .field("name", &self.name)
            .finish()
    }
}

/// Finishes the writer: everything appended before [`Writer::close`] is
/// written first.
pub struct Writer<T> {
    tx: SyncSender<Msg<T>>,
    thread: Option<JoinHandle<()>>,
}

impl<T> std::fmt::Debug for Writer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

/// Starts the writer thread for `path`. `name` says what the file is in
/// warnings ("unmatched log"). The file and its folders are created with
/// the first line.
pub fn spawn<T: Serialize + Send + 'static>(
    path: PathBuf,
    name: &'static str,
) -> std::io::Result<(Appender<T>, Writer<T>)> {
    let (tx, rx) = mpsc::sync_channel::<Msg<T>>(QUEUE);
    let thread = std::thread::Builder::new()
        .name(format!("faqbot-{}", name.replace(' ', "-")))
        .spawn(move || {
            let mut file = LineFile::new(path, name);
            for msg in rx {
                match msg {
                    Msg::Line(record) => file.append(&record),
                    Msg::Close => break,
                }
            }
        })?;
    Ok((
        Appender {
            tx: tx.clone(),
            name,
        },
        Writer {
            tx,
            thread: Some(thread),
        },
    ))
}

impl<T> Appender<T> {
    /// Queues `record`; never blocks. A full queue (the disk is stuck) or a
    /// closed writer drops the record with a warning.
    pub fn append(&self, record: T) {
        match self.tx.try_send(Msg::Line(record)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                tracing::warn!(file = self.name, "writer is behind; a line was dropped")
            }
            Err(TrySendError::Disconnected(_)) => {
                tracing::warn!(file = self.name, "writer is closed; a line was dropped")
            }
        }
    }
}

impl<T> Writer<T> {
    /// Writes every line appended so far, then stops the thread.
    pub fn close(mut self) {
        let _ = self.tx.send(Msg::Close);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The file, opened on first use and reopened after a failure.
struct LineFile {
    path: PathBuf,
    name: &'static str,
    file: Option<File>,
    failing: bool,
}

impl LineFile {
    fn new(path: PathBuf, name: &'static str) -> LineFile {
        LineFile {
            path,
            name,
            file: None,
            failing: false,
        }
    }

    fn append<T: Serialize>(&mut self, record: &T) {
        let mut line = match serde_json::to_string(record) {
            Ok(line) => line,
            Err(err) => {
                tracing::warn!(file = self.name, error = %err, "cannot encode a line");
                return;
            }
        };
        line.push('\n');
        if self.file.is_some() && self.moved() {
            // logrotate renamed or removed it: start the file anew.
            tracing::info!(file = self.name, path = %self.path.display(), "the file was moved or removed; starting a new one");
            self.file = None;
        }
        let result = self.file().and_then(|f| {
            let before = f.metadata()?.len();
            let written = f.write_all(line.as_bytes()).and_then(|()| f.flush());
            if written.is_err() {
                // A full disk can take half a line: cut it off, so the file
                // never holds a partial line that the next one runs into.
                let _ = f.set_len(before);
            }
            written
        });
        match result {
            Ok(()) => {
                if self.failing {
                    tracing::info!(file = self.name, path = %self.path.display(), "writing again");
                    self.failing = false;
                }
            }
            Err(err) => {
                // Reopen next time: the folder may come back or the disk free up.
                self.file = None;
                if !self.failing {
                    tracing::warn!(
                        file = self.name,
                        path = %self.path.display(),
                        error = %err,
                        "cannot write; lines are lost until it can be written again, answering goes on"
                    );
                    self.failing = true;
                }
            }
        }
    }

    /// Is the open file no longer the one at the path (renamed, removed
    /// or replaced)?
    fn moved(&self) -> bool {
        let Some(file) = &self.file else {
            return false;
        };
        match (file.metadata(), std::fs::metadata(&self.path)) {
            (Ok(open), Ok(now)) => !same_file(&open, &now),
            _ => true,
        }
    }

    fn file(&mut self) -> std::io::Result<&mut File> {
        if self.file.is_none() {
            self.file = Some(open(&self.path)?);
        }
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("not open"))
    }
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// The longest unfinished last line looked at when opening a file.
const TAIL: u64 = 1 << 20;

/// Opens `path` for appending, creating folders. A last line without its
/// newline is repaired first: ended if it is a whole record (someone
/// edited the file), cut off if it is the half a crash left.
fn open(path: &Path) -> std::io::Result<File> {
    crate::private_files::create_dir(path)?;
    let mut file = crate::private_files::open_append(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(file);
    }
    let start = len.saturating_sub(TAIL);
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    if tail.last() == Some(&b'\n') {
        return Ok(file);
    }
    let line_start = tail.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let last = &tail[line_start..];
    let whole = line_start > 0 || start == 0;
    if whole && serde_json::from_slice::<serde_json::Value>(last).is_ok() {
        file.write_all(b"\n")?;
    } else if whole {
        file.set_len(start + line_start as u64)?;
        tracing::warn!(path = %path.display(), bytes = last.len(), "cut off a half-written last line");
    } else {
        file.write_all(b"\n")?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Line {
        n: usize,
        text: String,
    }

    #[test]
    fn many_threads_write_whole_lines() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a/b/log.jsonl");
        let (appender, writer) = spawn::<Line>(path.clone(), "test log").unwrap();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let appender = appender.clone();
                std::thread::spawn(move || {
                    for i in 0..200 {
                        appender.append(Line {
                            n: t * 1000 + i,
                            text: "x".repeat(500),
                        });
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        writer.close();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1600);
        for line in lines {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["text"].as_str().unwrap().len(), 500);
        }
    }

    fn line(n: usize) -> Line {
        Line {
            n,
            text: "ok".into(),
        }
    }

    #[test]
    fn a_half_written_line_is_cut_and_a_whole_one_ended() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("log.jsonl");
        std::fs::write(&path, "{\"n\":0,\"text\":\"ok\"}\n{\"n\":1,\"te").unwrap();
        let (appender, writer) = spawn::<Line>(path.clone(), "test log").unwrap();
        appender.append(line(2));
        writer.close();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "{\"n\":0,\"text\":\"ok\"}\n{\"n\":2,\"text\":\"ok\"}\n"
        );

        // A whole record someone saved without its newline is kept.
        std::fs::write(&path, "{\"n\":1,\"text\":\"ok\"}").unwrap();
        let (appender, writer) = spawn::<Line>(path.clone(), "test log").unwrap();
        appender.append(line(2));
        writer.close();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
    }

    #[test]
    fn a_rotated_or_removed_file_is_started_anew() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("log.jsonl");
        let rotated = tmp.path().join("log.jsonl.1");
        let (appender, writer) = spawn::<Line>(path.clone(), "test log").unwrap();
        appender.append(line(1));
        // Lines go through a thread: wait until the first is on disk.
        while std::fs::read_to_string(&path).map_or(true, |t| t.is_empty()) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::fs::rename(&path, &rotated).unwrap();
        appender.append(line(2));
        while !path.exists() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::fs::remove_file(&path).unwrap();
        appender.append(line(3));
        writer.close();
        assert_eq!(
            std::fs::read_to_string(&rotated).unwrap().lines().count(),
            1
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "{\"n\":3,\"text\":\"ok\"}\n");
    }

    #[test]
    fn an_unwritable_path_is_not_fatal() {
        let tmp = tempfile::tempdir().unwrap();
        let blocker = tmp.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let (appender, writer) = spawn::<Line>(blocker.join("log.jsonl"), "test log").unwrap();
        appender.append(Line {
            n: 1,
            text: "lost".into(),
        });
        writer.close();
        appender.append(Line {
            n: 2,
            text: "after close".into(),
        });
    }
}
