//! Appending JSON Lines from many tasks through one writer.
//!
//! The bot answers many chats at once, and each answer may add a line to a
//! log (unmatched questions, votes, answer counts). One thread owns each
//! file and writes whole lines, so lines never interleave, and each line is
//! handed to the operating system as soon as it is written, so a crash or a
//! kill loses at most the line being written. Writing never blocks or fails
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
        let result = self.file().and_then(|f| {
            f.write_all(line.as_bytes())?;
            f.flush()
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

    fn file(&mut self) -> std::io::Result<&mut File> {
        if self.file.is_none() {
            self.file = Some(open(&self.path)?);
        }
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("not open"))
    }
}

/// Opens `path` for appending, creating folders, and ends a line left
/// half-written by a crash so the next line starts on its own.
fn open(path: &Path) -> std::io::Result<File> {
    crate::private_files::create_dir(path)?;
    let mut file = crate::private_files::open_append(path)?;
    let len = file.metadata()?.len();
    if len > 0 {
        let mut last = [0u8];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
        }
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

    #[test]
    fn a_half_written_line_is_ended_first() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("log.jsonl");
        std::fs::write(&path, "{\"n\":1,\"te").unwrap();
        let (appender, writer) = spawn::<Line>(path.clone(), "test log").unwrap();
        appender.append(Line {
            n: 2,
            text: "ok".into(),
        });
        writer.close();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "{\"n\":1,\"te\n{\"n\":2,\"text\":\"ok\"}\n");
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
