//! End to end: load, Telegram's faults, tokens, and shutdown.

use crate::support::{BotProcess, FakeTelegram, Fault, Options, footer, token_secret};

const MATCHED: &str = "how much magnesium should i take for rls?";

/// Every chat got exactly one reply.
fn assert_once_each(tg: &FakeTelegram, chats: &[i64]) {
    for &chat in chats {
        assert_eq!(
            tg.sent_to(chat).len(),
            1,
            "chat {chat}: {:?}",
            tg.sent_to(chat)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_chats_asking_at_once_are_each_answered_once() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chats: Vec<i64> = (0..50).map(|i| tg.private_chat(10_000 + i)).collect();
    for (i, &chat) in chats.iter().enumerate() {
        let question = if i % 2 == 0 {
            MATCHED.to_string()
        } else {
            format!("zebra question number {i}")
        };
        tg.user_says(chat, chat, &question);
    }
    tg.wait_every_chat_answered(&chats).await;
    let unmatched = bot.wait_records("unmatched.jsonl", 25).await;
    let answered = bot.wait_records("answered.jsonl", 25).await;
    // A last question in each of two chats: replies come in order per chat,
    // so once these are in, any duplicate would have been too.
    tg.user_says(chats[0], chats[0], MATCHED);
    tg.user_says(chats[1], chats[1], MATCHED);
    tg.wait_sent(chats[0], 2).await;
    tg.wait_sent(chats[1], 2).await;
    assert_once_each(&tg, &chats[2..]);
    assert_eq!(tg.sent_to(chats[0]).len(), 2);
    // Within Telegram's limits: under 30 a second in all (they are spaced
    // evenly, not sent in bursts) and a second apart in one chat (less a
    // little for the network's jitter).
    let (most, gap) = tg.send_rhythm();
    eprintln!("most messages in one second: {most}; shortest gap in one chat: {gap:?}");
    assert!(most <= 30, "{most} messages within one second");
    assert!(gap >= std::time::Duration::from_millis(900), "{gap:?}");
    assert_eq!(unmatched.len(), 25);
    assert_eq!(answered.len(), 25);
    let mut questions: Vec<String> = unmatched
        .iter()
        .map(|r| r["question"].as_str().unwrap().to_string())
        .collect();
    questions.sort();
    questions.dedup();
    assert_eq!(questions.len(), 25, "every line whole and distinct");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_on_polling_and_sending_are_survived() {
    let tg = FakeTelegram::start().await;
    // The first polls fail three ways, then the first replies do.
    tg.fail_next("getUpdates", Fault::RetryAfter(1));
    tg.fail_next("getUpdates", Fault::Drop);
    tg.fail_next("getUpdates", Fault::ServerError);
    tg.fail_next("sendMessage", Fault::RetryAfter(1));
    tg.fail_next("sendMessage", Fault::Drop);
    tg.fail_next("sendMessage", Fault::ServerError);
    let mut bot = BotProcess::start(&tg);
    let chats: Vec<i64> = (0..3).map(|i| tg.private_chat(20_000 + i)).collect();
    for &chat in &chats {
        tg.user_says(chat, chat, MATCHED);
    }
    tg.wait_every_chat_answered(&chats).await;
    assert_eq!(tg.read(|s| s.faults_served.len()), 6);
    // Still running and still answering, each question once.
    let late = tg.private_chat(20_100);
    tg.user_says(late, late, MATCHED);
    let sent = tg.wait_sent(late, 1).await;
    assert!(sent[0].text.ends_with(&footer()));
    for &chat in &chats {
        tg.user_says(chat, chat, "zebra?");
        tg.wait_sent(chat, 2).await;
    }
    for &chat in &chats {
        let sent = tg.sent_to(chat);
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert!(sent[0].text.contains("200–400 mg"));
    }
    assert!(bot.running());
    let logs = bot.logs();
    assert!(logs.contains("retrying"), "{logs}");
    assert!(!logs.contains(token_secret()), "the token leaked:\n{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_replies_in_flight_and_exits_zero() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    let chats: Vec<i64> = (0..5).map(|i| tg.private_chat(30_000 + i)).collect();
    for &chat in &chats[..4] {
        tg.user_says(chat, chat, &format!("zebra number {chat}"));
    }
    tg.wait_for("four replies", |s| (s.sent.len() >= 4).then_some(()))
        .await;
    // The last reply is held up by flood control when the signal comes.
    tg.fail_next("sendMessage", Fault::RetryAfter(2));
    tg.user_says(chats[4], chats[4], "zebra number five");
    tg.wait_for("the held-up reply", |s| {
        s.faults_served
            .iter()
            .any(|(m, _)| m == "sendmessage")
            .then_some(())
    })
    .await;
    bot.terminate();
    let status = bot.wait_exit().await;
    assert_eq!(status.code(), Some(0), "logs:\n{}", bot.logs());
    assert_eq!(
        tg.sent_to(chats[4]).len(),
        1,
        "the reply in flight was sent"
    );
    let raw = std::fs::read_to_string(bot.data.join("unmatched.jsonl")).unwrap();
    assert!(raw.ends_with('\n'));
    assert_eq!(bot.records("unmatched.jsonl").len(), 5);
    let logs = bot.logs();
    assert!(
        logs.contains("SIGTERM") && logs.contains("stopped"),
        "{logs}"
    );
    assert!(logs.ends_with('\n'), "the last log line is complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_also_stops_cleanly() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    tg.wait_for("polling", |s| {
        s.calls
            .iter()
            .any(|c| c.method == "getupdates")
            .then_some(())
    })
    .await;
    let status = std::process::Command::new("kill")
        .args(["-INT", &bot.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(bot.wait_exit().await.code(), Some(0), "{}", bot.logs());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_rejected_tokens_say_what_to_do() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start_with(
        &tg,
        Options {
            token: None,
            ..Options::default()
        },
    );
    let status = bot.wait_exit().await;
    assert_ne!(status.code(), Some(0));
    let logs = bot.logs();
    assert!(logs.contains("TELOXIDE_TOKEN is not set"), "{logs}");
    assert!(logs.contains("@BotFather"), "{logs}");

    const WRONG: &str = "1111111111:AAWrongWrongWrongWrongWrongWrongWrong";
    let mut bot = BotProcess::start_with(
        &tg,
        Options {
            token: Some(WRONG),
            ..Options::default()
        },
    );
    let status = bot.wait_exit().await;
    assert_ne!(status.code(), Some(0));
    let logs = bot.logs();
    assert!(logs.contains("rejected the token"), "{logs}");
    assert!(!logs.contains("AAWrongWrong"), "the token leaked:\n{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_log_is_a_warning_not_an_outage() {
    let tg = FakeTelegram::start().await;
    // The log's folder would have to be inside a regular file.
    let bot = BotProcess::start_with(
        &tg,
        Options {
            env: vec![("FAQBOT_UNMATCHED_LOG", "blocker/unmatched.jsonl".into())],
            ..Options::default()
        },
    );
    std::fs::write(bot.tmp.path().join("blocker"), "not a folder").unwrap();
    let chat = tg.private_chat(40_000);
    tg.user_says(chat, chat, "zebra?");
    tg.wait_sent(chat, 1).await;
    bot.wait_log("cannot write").await;
    tg.user_says(chat, chat, MATCHED);
    let sent = tg.wait_sent(chat, 2).await;
    assert!(sent[1].text.contains("200–400 mg"));
}
