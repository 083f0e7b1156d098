//! End to end: no fetched question is lost or answered twice, whatever
//! happens to the process or to Telegram, and one busy chat delays only
//! itself.

use std::time::{Duration, Instant};

use crate::support::{BotProcess, FakeTelegram, Fault, Options};
use serde_json::json;

/// Each chat got exactly `n` messages.
fn assert_each_got(tg: &FakeTelegram, chats: &[i64], n: usize) {
    for &chat in chats {
        let sent = tg.sent_to(chat);
        assert_eq!(sent.len(), n, "chat {chat}: {:#?}", sent);
    }
}

fn options(vars: &[(&'static str, &str)]) -> Options {
    Options {
        vars: vars.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_then_restart_answers_every_fetched_question_exactly_once() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    let chats: Vec<i64> = (0..6).map(|i| tg.private_chat(50_000 + i)).collect();
    for &chat in &chats {
        tg.user_says(chat, chat, &format!("zebra question one from {chat}"));
    }
    tg.wait_every_chat_answered(&chats).await;

    // Replies now fail, so the next questions are fetched (and confirmed to
    // Telegram, which will never send them again) but not answered.
    tg.fail_always("sendMessage", Fault::Drop);
    for &chat in &chats {
        tg.user_says(chat, chat, &format!("zebra question two from {chat}"));
        tg.user_says(chat, chat, &format!("zebra question three from {chat}"));
    }
    tg.wait_confirmed(tg.last_update()).await;
    bot.kill();
    tg.heal();
    assert_each_got(&tg, &chats, 1);

    bot.restart();
    for &chat in &chats {
        tg.wait_sent(chat, 3).await;
    }
    // One more question each: replies come in order per chat, so once these
    // are in, a duplicate would have been too.
    for &chat in &chats {
        tg.user_says(chat, chat, "zebra question four");
    }
    for &chat in &chats {
        tg.wait_sent(chat, 4).await;
    }
    assert_each_got(&tg, &chats, 4);
    let logs = bot.logs();
    assert!(logs.contains("unfinished last time"), "{logs}");

    // Health questions on disk are for this user's eyes only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        bot.wait_records("unmatched.jsonl", 1).await;
        for file in ["journal.redb", "unmatched.jsonl"] {
            let mode = std::fs::metadata(bot.data.join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
        let mode = std::fs::metadata(&bot.data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "data/");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_two_hundred_in_flight_exits_within_the_drain_and_loses_none() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start_with(
        &tg,
        options(&[("FAQBOT_DRAIN_SECS", "2"), ("FAQBOT_CHAT_QUEUE", "1000")]),
    );
    let chats = [tg.private_chat(51_000), tg.private_chat(51_001)];
    for i in 0..100 {
        for &chat in &chats {
            tg.user_says(chat, chat, &format!("zebra number {i}"));
        }
    }
    tg.wait_confirmed(tg.last_update()).await;
    tg.wait_for("a few answers", |s| (s.sent.len() >= 4).then_some(()))
        .await;
    let signalled = Instant::now();
    bot.terminate();
    let status = bot.wait_exit().await;
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{}", bot.logs());
    // Two seconds of drain, and a generous margin for a busy machine.
    assert!(took < Duration::from_secs(12), "took {took:?}");
    let answered = tg.read(|s| s.sent.len());
    assert!(answered < 200, "the backlog outlasts the drain");
    let logs = bot.logs();
    assert!(logs.contains("left_for_next_start"), "{logs}");

    bot.restart();
    // About a second a reply per chat: wait in stretches.
    for n in [25, 50, 75, 100] {
        for &chat in &chats {
            tg.wait_sent(chat, n).await;
        }
    }
    tg.user_says(chats[0], chats[0], "zebra the last");
    tg.wait_sent(chats[0], 101).await;
    assert_eq!(
        tg.sent_to(chats[1]).len(),
        100,
        "each question answered once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_exits_at_once_and_still_loses_nothing() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    let chat = tg.private_chat(52_000);
    tg.fail_always("sendMessage", Fault::Drop);
    tg.user_says(chat, chat, "zebra in a hurry");
    tg.wait_confirmed(tg.last_update()).await;
    bot.wait_log("retrying").await;
    bot.terminate();
    bot.wait_log("finishing replies in flight").await;
    bot.terminate();
    let status = bot.wait_exit().await;
    assert_ne!(
        status.code(),
        Some(0),
        "the second signal exits without draining"
    );
    tg.heal();
    bot.restart();
    tg.wait_sent(chat, 1).await;
    tg.user_says(chat, chat, "zebra again");
    tg.wait_sent(chat, 2).await;
    assert_eq!(tg.sent_to(chat).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_minute_outage_loses_no_question() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chats: Vec<i64> = (0..5).map(|i| tg.private_chat(53_000 + i)).collect();
    tg.fail_always("sendMessage", Fault::Drop);
    for &chat in &chats {
        tg.user_says(chat, chat, &format!("zebra during an outage {chat}"));
    }
    tg.wait_confirmed(tg.last_update()).await;
    // Everything is unreachable for a minute: polling and replies.
    tg.heal();
    tg.outage(Duration::from_secs(60));
    tg.wait_every_chat_answered(&chats).await;
    for &chat in &chats {
        tg.user_says(chat, chat, "zebra after the outage");
    }
    for &chat in &chats {
        tg.wait_sent(chat, 2).await;
    }
    assert_each_got(&tg, &chats, 2);
    assert!(tg.read(|s| s.failed_calls) > 10);
    let logs = bot.logs();
    assert!(logs.contains("getting updates works again"), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_sixty_percent_send_failures_no_reply_is_lost() {
    let tg = FakeTelegram::start().await;
    let _bot = BotProcess::start(&tg);
    let chats: Vec<i64> = (0..20).map(|i| tg.private_chat(54_000 + i)).collect();
    tg.fail_randomly("sendMessage", 0.6, Fault::Drop);
    for round in 0..3 {
        for &chat in &chats {
            tg.user_says(chat, chat, &format!("zebra round {round}"));
        }
    }
    for &chat in &chats {
        tg.wait_sent(chat, 3).await;
    }
    tg.heal();
    for &chat in &chats {
        tg.user_says(chat, chat, "zebra last round");
    }
    for &chat in &chats {
        tg.wait_sent(chat, 4).await;
    }
    assert_each_got(&tg, &chats, 4);
    let failed = tg.read(|s| s.failed_calls);
    assert!(failed > 40, "about 60% of some 150 sends failed: {failed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_flooding_user_delays_others_by_seconds_not_minutes() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let flood = tg.private_chat(55_000);
    for i in 0..120 {
        tg.user_says(flood, flood, &format!("zebra flood {i}"));
    }
    // An emergency in the middle of the flood is not turned away.
    tg.user_says(
        flood,
        flood,
        "I took too much magnesium and now I have chest pain",
    );
    tg.wait_confirmed(tg.last_update()).await;
    let others: Vec<i64> = (1..=4).map(|i| tg.private_chat(55_000 + i)).collect();
    let asked = Instant::now();
    for &chat in &others {
        tg.user_says(chat, chat, "how much magnesium should i take for rls?");
    }
    tg.wait_every_chat_answered(&others).await;
    let waited = asked.elapsed();
    eprintln!("while one user flooded, the others waited {waited:?}");
    assert!(waited < Duration::from_secs(10), "others waited {waited:?}");

    // The flooding chat: its queue, one note for the rest, the emergency.
    tg.wait_for("the emergency reply", |s| {
        s.sent
            .iter()
            .any(|m| m.chat_id == flood && m.text.contains("emergency"))
            .then_some(())
    })
    .await;
    let notes = tg
        .sent_to(flood)
        .iter()
        .filter(|m| m.text.contains("still answering your earlier questions"))
        .count();
    assert_eq!(notes, 1);
    let logs = bot.logs();
    assert!(logs.contains("turned a message away"), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poison_update_is_skipped_and_the_next_question_answered() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start(&tg);
    let chat = tg.private_chat(56_000);
    // A reaction with neither `user` nor `actor_chat`: teloxide panics on it.
    tg.push_raw_update(
        "message_reaction",
        json!({"chat": {"id": chat, "type": "private", "first_name": "A"}, "message_id": 1, "date": 1, "old_reaction": [], "new_reaction": []}),
    );
    tg.push_raw_update("message", json!("not a message at all"));
    tg.user_says(chat, chat, "how much magnesium should i take for rls?");
    let sent = tg.wait_sent(chat, 1).await;
    assert!(sent[0].text.contains("200–400 mg"));
    assert!(bot.running());
    let logs = bot.logs();
    assert_eq!(
        logs.matches("skipped an update that cannot be read")
            .count(),
        2,
        "{logs}"
    );
    assert!(logs.contains("kind=message_reaction"), "{logs}");
    assert!(!logs.contains("not a message at all"), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_that_fails_until_the_question_is_stale_is_dropped_with_a_line() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start_with(&tg, options(&[("FAQBOT_FRESH_SECS", "3")]));
    let chat = tg.private_chat(57_000);
    tg.fail_always("sendMessage", Fault::Drop);
    tg.user_says(chat, chat, "zebra that will go stale");
    bot.wait_log("no longer fresh").await;
    tg.heal();
    tg.user_says(chat, chat, "zebra that gets through");
    let sent = tg.wait_sent(chat, 1).await;
    assert_eq!(sent.len(), 1);
}
