//! The real `faqbot run` binary, pointed at the fake Bot API, with its own
//! FAQ folder and data folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use faqbot::content::EntryFile;
use serde_json::Value;

use super::fake::{FakeTelegram, PATIENCE, TOKEN};

/// id, question, alternates, related, answer.
type Fixture = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    String,
);

/// The test FAQ: small, and ours, so the tests don't depend on the real
/// content (which curators change). The last entry is as long as `check`
/// allows, so its reply (with the question as a title) must be split; one
/// entry has `<`, `>` and `&` in its question and answer.
pub fn write_faq(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let entries: [Fixture; 5] = [
        (
            "rls-dosage",
            "How much magnesium should I take for RLS?",
            &["magnesium dose for rls", "how many mg of magnesium"],
            &["best-time-to-take", "side-effects"],
            "Most people benefit from **200–400 mg** per day. Start low & go slow.".into(),
        ),
        (
            "best-time-to-take",
            "When is the best time to take magnesium?",
            &["best time to take magnesium", "magnesium morning or night"],
            &["rls-dosage"],
            "**Evening or bedtime** is ideal, especially if RLS disrupts your sleep.".into(),
        ),
        (
            "side-effects",
            "What are the side effects of magnesium?",
            &["magnesium side effects", "can magnesium upset my stomach"],
            &[],
            "Too much can cause diarrhea, nausea or cramps.".into(),
        ),
        (
            "symbols",
            "Is < 350 mg & > 100 mg of magnesium a <safe> range?",
            &["safe range of magnesium in mg"],
            &[],
            "Yes: 100 mg < dose < 350 mg is <b>usual</b> & <script>alert(1)</script> safe.".into(),
        ),
        (
            "long-answer",
            "What does the research on magnesium and restless legs say in detail?",
            &["research on magnesium and restless legs in detail"],
            &[],
            long_answer(),
        ),
    ];
    // Every message read as English: the tests of other languages serve
    // the real FAQ (`Options::real_faq`).
    std::fs::write(dir.join("settings.yaml"), "other_languages: false\n").unwrap();
    for (id, question, alternates, related, answer) in entries {
        EntryFile::new(question, answer)
            .alternates(alternates)
            .related(related)
            .write(dir, id)
            .unwrap();
    }
}

/// Paragraphs adding up to Telegram's limit with the footer, exactly as
/// long as `check` allows (the test FAQ reads every message as English, so
/// no other language's longer footer is sent with it).
fn long_answer() -> String {
    let footer = faqbot::content::Settings::default().footer;
    let budget = 4096 - 2 - faqbot::content::answer::telegram_len(&footer);
    let sentence = "Studies of magnesium in restless legs are small and their results are mixed. ";
    let paragraph = sentence.repeat(5);
    let mut answer = String::new();
    while answer.len() < budget {
        answer.push_str(paragraph.trim());
        answer.push_str("\n\n");
    }
    answer.truncate(budget);
    answer.trim().to_string()
}

pub struct BotProcess {
    child: Child,
    pub tmp: tempfile::TempDir,
    pub faq: PathBuf,
    pub data: PathBuf,
    stderr: PathBuf,
    url: String,
    options: Options,
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How to start the bot.
#[derive(Clone)]
pub struct Options {
    pub token: Option<&'static str>,
    pub reload: bool,
    /// Extra environment holding paths, relative to the test's folder.
    pub env: Vec<(&'static str, PathBuf)>,
    /// Extra environment as given (numbers, words).
    pub vars: Vec<(&'static str, String)>,
    /// Serve a copy of the real `faq/` instead of the small test FAQ.
    pub real_faq: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            token: Some(TOKEN),
            reload: false,
            env: Vec::new(),
            vars: Vec::new(),
            real_faq: false,
        }
    }
}

/// Starts `faqbot run` in `dir` (which holds `faq/` and `data/`), its
/// stderr appended to `stderr`.
fn spawn(url: &str, options: &Options, dir: &Path, stderr: &Path) -> Child {
    let data = dir.join("data");
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(stderr)
        .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    command
        .arg("--faq")
        .arg(dir.join("faq"))
        .arg("run")
        .arg("--reload-every")
        .arg(if options.reload { "0.2" } else { "0" })
        .env("TELOXIDE_API_URL", url)
        .env("FAQBOT_UNMATCHED_LOG", data.join("unmatched.jsonl"))
        .env("FAQBOT_FEEDBACK_LOG", data.join("feedback.jsonl"))
        .env("FAQBOT_ANSWERED_LOG", data.join("answered.jsonl"))
        .env("FAQBOT_JOURNAL", data.join("journal.redb"))
        .env("FAQBOT_HANDOFFS", data.join("handoffs.redb"))
        .env("FAQBOT_HANDOFF_LOG", data.join("handoffs.jsonl"))
        .env_remove("FAQBOT_CURATOR_CHAT")
        .env("RUST_LOG", "debug")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELOXIDE_PROXY")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    if let Some(token) = options.token {
        command.env("TELOXIDE_TOKEN", token);
    }
    for (key, value) in &options.env {
        command.env(key, dir.join(value));
    }
    for (key, value) in &options.vars {
        command.env(key, value);
    }
    command.spawn().expect("faqbot starts")
}

impl BotProcess {
    pub fn start(fake: &FakeTelegram) -> BotProcess {
        BotProcess::start_with(fake, Options::default())
    }

    /// A bot that watches its FAQ folder and reloads it.
    pub fn start_reloading(fake: &FakeTelegram) -> BotProcess {
        BotProcess::start_with(
            fake,
            Options {
                reload: true,
                ..Options::default()
            },
        )
    }

    /// A bot serving a copy of the real `faq/`: its outside examples are
    /// what a question in another language is judged against.
    pub fn start_real_faq(fake: &FakeTelegram) -> BotProcess {
        BotProcess::start_with(
            fake,
            Options {
                real_faq: true,
                ..Options::default()
            },
        )
    }

    pub fn start_with(fake: &FakeTelegram, options: Options) -> BotProcess {
        let tmp = tempfile::tempdir().unwrap();
        let faq = if options.real_faq {
            crate::common::faq_copy(tmp.path(), &[])
        } else {
            let faq = tmp.path().join("faq");
            write_faq(&faq);
            faq
        };
        let data = tmp.path().join("data");
        let stderr = tmp.path().join("stderr.log");
        let child = spawn(&fake.url, &options, tmp.path(), &stderr);
        BotProcess {
            child,
            tmp,
            faq,
            data,
            stderr,
            url: fake.url.clone(),
            options,
        }
    }

    /// Kills the bot with SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Starts the bot again on the same FAQ and data (after it exited or
    /// was killed). Its logs go on in the same file.
    pub fn restart(&mut self) {
        assert!(!self.running(), "restart after the bot has stopped");
        self.child = spawn(&self.url, &self.options, self.tmp.path(), &self.stderr);
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The folder the bot runs in (`faq/`, `data/`, `drafts/`).
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// What the bot logged so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Sends SIGTERM (through kill(1): no libc binding needed).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to end, failing after [`PATIENCE`].
    pub async fn wait_exit(&mut self) -> ExitStatus {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "faqbot did not exit; logs:\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Is it still running?
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Lines of a data file (`unmatched.jsonl`, ...), each parsed.
    pub fn records(&self, file: &str) -> Vec<Value> {
        let text = std::fs::read_to_string(self.data.join(file)).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
            .collect()
    }

    /// Waits until `file` has at least `n` lines.
    pub async fn wait_records(&self, file: &str, n: usize) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let records = self.records(file);
            if records.len() >= n {
                return records;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited for {n} line(s) in {file}, have {records:?}; logs:\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the logs show `n` successful reloads.
    pub async fn wait_for_reloads(&self, n: usize) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let logs = self.logs();
            if logs.matches("FAQ reloaded").count() >= n {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited for {n} reload(s):\n{logs}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the logs contain `needle`.
    pub async fn wait_log(&self, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let logs = self.logs();
            if logs.contains(needle) {
                return logs;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited for {needle:?} in the logs:\n{logs}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
