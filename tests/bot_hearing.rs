//! End to end: a bot that never goes deaf. Update ids that restart lower,
//! Telegram sending an update again, a group whose members each get their
//! turn, a start-up that waits for the network, `faqbot status`, and a
//! reload that one unfinished entry cannot freeze.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{BotProcess, FakeTelegram, Options};
use faqbot::content::EntryFile;
use serde_json::Value;

fn options(vars: &[(&'static str, &str)]) -> Options {
    Options {
        vars: vars.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        ..Options::default()
    }
}

const DOSE: &str = "how much magnesium should i take for rls?";

/// `faqbot status` on the bot's journal: (exit code, stdout).
fn status(bot: &BotProcess, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("status")
        .arg("--journal")
        .arg(bot.data.join("journal.redb"))
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_that_restart_lower_are_answered_once_while_running_and_after_a_restart() {
    let tg = FakeTelegram::start().await;
    tg.restart_ids(900_000);
    let mut bot = BotProcess::start(&tg);
    let chat = tg.private_chat(70_001);
    tg.user_says(chat, chat, DOSE);
    tg.wait_sent(chat, 1).await;

    // While it runs: a quiet week, and Telegram starts again at 5,000.
    tg.restart_ids(5_000);
    tg.user_says(chat, chat, "magnesium side effects");
    tg.wait_sent(chat, 2).await;
    bot.wait_log("update ids started again lower").await;

    // Across a restart with the same journal: a new token, ids from 100.
    bot.terminate();
    assert!(bot.wait_exit().await.success());
    tg.restart_ids(100);
    for question in [
        DOSE,
        "best time to take magnesium",
        "magnesium side effects",
    ] {
        tg.user_says(chat, chat, question);
    }
    bot.restart();
    tg.wait_sent(chat, 5).await;
    // Every question once: nothing more comes.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(tg.sent_to(chat).len(), 5, "{:?}", tg.sent_to(chat));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_telegram_sends_again_is_not_answered_twice() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    let chat = tg.private_chat(70_101);
    // (`kill -9` right after a reply may answer once more: the one gap
    // no bot can close, between Telegram accepting a reply and the
    // journal recording it. Not what this test is about.)
    tg.user_says(chat, chat, DOSE);
    let asked = tg.last_update();
    tg.wait_sent(chat, 1).await;
    // Stopped; Telegram sends the update again to the next poll, below
    // the journal's offset (as after a kill between journaling and
    // confirming).
    bot.terminate();
    assert!(bot.wait_exit().await.success());
    tg.deliver_again(asked);
    bot.restart();
    tg.user_says(chat, chat, "magnesium side effects");
    tg.wait_sent(chat, 2).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = tg.sent_to(chat);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent[1].text.contains("Too much can cause"),
        "{}",
        sent[1].text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_group_every_member_gets_a_turn_and_chatter_gets_nothing() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start_with(&tg, options(&[("FAQBOT_PERSON_QUEUE", "3")]));
    let group = tg.group_chat(-100_700);
    // Chatter under privacy mode: not addressed to the bot, no reply, no
    // place in any queue, no note.
    for i in 0..25 {
        tg.user_says(
            group,
            71_000 + i % 5,
            &format!("evening all, legs bad again {i}"),
        );
    }
    // One member floods.
    let flooder = 71_100;
    let flood: Vec<i64> = (0..30)
        .map(|i| tg.user_says(group, flooder, &format!("/ask zebra question {i}")))
        .collect();
    // Ten members ask one question each.
    let asks: Vec<i64> = (0..10)
        .map(|i| tg.user_says(group, 71_200 + i, &format!("/ask {DOSE}")))
        .collect();
    let started = Instant::now();
    tg.wait_for("every member answered", |s| {
        asks.iter()
            .all(|id| s.sent.iter().any(|m| m.reply_to == Some(*id)))
            .then_some(())
    })
    .await;
    eprintln!("ten members answered in {:?}", started.elapsed());
    let note = tg
        .wait_for("the flooder's note", |s| {
            s.sent
                .iter()
                .find(|m| m.text.contains("still answering your earlier questions"))
                .cloned()
        })
        .await;
    assert!(
        flood.contains(&note.reply_to.unwrap_or(0)),
        "the note replies to the flooder's own message: {note:?}"
    );
    let sent = tg.sent_to(group);
    for m in &sent {
        let to = m.reply_to.unwrap_or(0);
        assert!(
            flood.contains(&to) || asks.contains(&to),
            "every message replies to a question to the bot: {m:?}"
        );
    }
    let notes = sent
        .iter()
        .filter(|m| m.text.contains("still answering"))
        .count();
    assert_eq!(notes, 1, "{sent:?}");
    // Turned-away questions are in the unmatched log, with the reason.
    let turned: Vec<Value> = bot
        .wait_records("unmatched.jsonl", 1)
        .await
        .into_iter()
        .filter(|r| r["missed"] == "turned_away")
        .collect();
    assert!(!turned.is_empty());
    assert!(
        turned[0]["question"]
            .as_str()
            .unwrap()
            .contains("zebra question")
    );
    let logs = bot.logs();
    assert!(
        !logs.contains("legs bad again"),
        "chatter stays out of the logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_tells_a_hearing_bot_from_a_deaf_or_stopped_one() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    let chat = tg.private_chat(70_201);
    tg.user_says(chat, chat, DOSE);
    tg.wait_sent(chat, 1).await;
    let (code, text) = status(&bot, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("OK: the bot is hearing Telegram"), "{text}");

    // Telegram unreachable: after --max-silence, status alarms.
    tg.outage(Duration::from_secs(600));
    bot.wait_log("getting updates failed").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (code, text) = status(&bot, &["--max-silence", "1"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("NOT HEARING: getting updates has failed"),
        "{text}"
    );
    let (code, json) = status(&bot, &["--max-silence", "1", "--json"]);
    assert_eq!(code, 1, "{json}");
    let json: Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(json["hearing"], false);
    assert!(json["last_error"].is_string(), "{json}");

    tg.heal();
    bot.terminate();
    assert!(bot.wait_exit().await.success());
    let (code, text) = status(&bot, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("the bot is not running"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_waits_for_telegram_and_answers_what_waited() {
    let tg = FakeTelegram::start().await;
    tg.outage(Duration::from_secs(20));
    let chat = tg.private_chat(70_301);
    tg.user_says(chat, chat, DOSE);
    let mut bot = BotProcess::start(&tg);
    bot.wait_log("cannot reach the Telegram Bot API; trying again")
        .await;
    assert!(bot.running(), "it waits instead of exiting");
    let sent = tg.wait_sent(chat, 1).await;
    assert!(sent[0].text.contains("200–400 mg"), "{}", sent[0].text);
    assert!(bot.logs().contains("reached Telegram"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_while_waiting_for_telegram_is_at_once_and_a_bad_url_exits_3() {
    let tg = FakeTelegram::start().await;
    tg.outage(Duration::from_secs(600));
    let mut bot = BotProcess::start(&tg);
    bot.wait_log("cannot reach the Telegram Bot API").await;
    let asked = Instant::now();
    bot.terminate();
    assert!(bot.wait_exit().await.success());
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );

    let mut bad = BotProcess::start_with(&tg, options(&[("TELOXIDE_API_URL", "localhost:8081")]));
    let status = bad.wait_exit().await;
    assert_eq!(status.code(), Some(3), "{}", bad.logs());
    let logs = bad.logs();
    assert!(logs.contains("http://"), "{logs}");
    assert!(!logs.contains("panicked"), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unfinished_entry_does_not_stop_another_edit_from_going_live() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start_reloading(&tg);
    let chat = tg.private_chat(70_401);
    tg.user_says(chat, chat, "magnesium side effects");
    tg.wait_sent(chat, 1).await;

    // A curator's unfinished entry, which another entry already links to,
    // and a typo in an entry the bot serves.
    std::fs::write(
        bot.faq.join("storage.md"),
        EntryFile::new(
            "How should I store magnesium?",
            faqbot::curate::draft::placeholder(),
        )
        .render(),
    )
    .unwrap();
    let broken_dose = "---\nquestion: [unclosed\n---\nBROKEN\n";
    std::fs::write(bot.faq.join("rls-dosage.md"), broken_dose).unwrap();
    // Another curator's fix goes live all the same.
    std::fs::write(
        bot.faq.join("side-effects.md"),
        EntryFile::new(
            "What are the side effects of magnesium?",
            "EDITED: an upset stomach.",
        )
        .alternates(&["magnesium side effects", "can magnesium upset my stomach"])
        .related(&["storage"])
        .render(),
    )
    .unwrap();
    let logs = bot.wait_log(r#"edited=["side-effects"]"#).await;
    assert!(
        logs.contains("storage.md"),
        "the unfinished file is named:\n{logs}"
    );
    assert!(logs.contains("NOT served"), "{logs}");
    assert!(logs.contains("last good version"), "{logs}");
    assert!(
        !logs.contains("related entry `storage` does not exist"),
        "no error that only follows from another file's:\n{logs}"
    );
    tg.user_says(chat, chat, "magnesium side effects");
    let sent = tg.wait_sent(chat, 2).await;
    assert!(sent[1].text.contains("EDITED"), "{}", sent[1].text);
    assert!(
        !sent[1]
            .buttons()
            .iter()
            .any(|(text, _)| text.contains("store")),
        "no button leads to the unfinished entry: {:?}",
        sent[1].buttons()
    );
    // The entry with the typo keeps its last good answer meanwhile.
    tg.user_says(chat, chat, DOSE);
    let sent = tg.wait_sent(chat, 3).await;
    assert!(sent[2].text.contains("200–400 mg"), "{}", sent[2].text);
}

/// The systemd unit the README gives operators, checked by systemd itself
/// (with the binary and the environment file pointed at real files).
#[test]
#[ignore = "needs systemd-analyze (part of systemd); .ci/run runs it where present"]
fn the_readme_systemd_unit_passes_systemd_analyze_verify() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("# /etc/systemd/system/faqbot.service")
        .expect("the README has the unit");
    let end = start + readme[start..].find("```").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let env_file = tmp.path().join("faqbot.env");
    std::fs::write(&env_file, "TELOXIDE_TOKEN=x\n").unwrap();
    let unit = readme[start..end]
        .replace("/srv/faqbot/faqbot", env!("CARGO_BIN_EXE_faqbot"))
        .replace("/etc/faqbot.env", env_file.to_str().unwrap());
    let path = tmp.path().join("faqbot.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze runs");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    // Unknown keys and bad values are only warnings: none may be printed.
    assert!(
        !said.contains("faqbot.service:"),
        "systemd has remarks about the unit:\n{said}"
    );
}
