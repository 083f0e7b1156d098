//! End to end: follow-up questions read after the asker's own previous
//! question, in a private chat and in a group, in another language too
//! (the conversation's language decides a message too short to tell its
//! own); the memory is per person,
//! forgotten on /start and after `--follow-up-for`, and never logged; a
//! follow-up refused in context goes to the unmatched log with its context.

use std::time::Duration;

use crate::support::{BotProcess, FakeTelegram, Options};

const WHEN: &str = "when is the best time to take magnesium";
const HOW_MUCH: &str = "how much magnesium should i take for rls";
/// Means nothing alone: answered only after a question.
const WHY: &str = "why then";
/// Names a subject the FAQ does not cover, alone and in context.
const BRAND: &str = "ok but which brand then";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_is_read_after_the_askers_own_previous_question() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);

    // A private chat: the follow-up gets the answer its context asks for;
    // after /start it means nothing again.
    let chat = tg.private_chat(301);
    tg.user_says(chat, 301, WHEN);
    tg.wait_sent(chat, 1).await;
    tg.user_says(chat, 301, WHY);
    let sent = tg.wait_sent(chat, 2).await;
    assert!(
        sent[1].text.contains("Evening or bedtime"),
        "{}",
        sent[1].text
    );
    // Refused in context too: logged with the question it followed.
    tg.user_says(chat, 301, BRAND);
    tg.wait_sent(chat, 3).await;
    tg.user_says(chat, 301, "/start");
    tg.wait_sent(chat, 4).await;
    tg.user_says(chat, 301, WHY);
    let sent = tg.wait_sent(chat, 5).await;
    assert!(
        !sent[4].text.contains("Evening or bedtime"),
        "{}",
        sent[4].text
    );
    let logged: Vec<(String, Option<String>)> = bot
        .wait_records("unmatched.jsonl", 2)
        .await
        .iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().map(str::to_string);
            (text("question").unwrap_or_default(), text("after"))
        })
        .collect();
    assert_eq!(
        logged,
        [
            (BRAND.to_string(), Some(format!("{WHEN}, {WHY}"))),
            // After /start a follow-up has nothing to follow.
            (WHY.to_string(), None)
        ]
    );

    // Two people in one group, interleaving: each follow-up is read after
    // its own asker's question.
    let group = tg.group_chat(-100_888);
    tg.user_says(group, 401, &format!("/ask {WHEN}"));
    tg.user_says(group, 402, &format!("/ask {HOW_MUCH}"));
    tg.wait_sent(group, 2).await;
    let first = tg.user_says(group, 401, &format!("/ask {WHY}"));
    let second = tg.user_says(group, 402, &format!("/ask {WHY}"));
    let sent = tg.wait_sent(group, 4).await;
    let reply_to = |id: i64| {
        sent.iter()
            .find(|s| s.reply_to == Some(id))
            .map(|s| s.text.clone())
            .expect("a reply to each follow-up")
    };
    assert!(
        reply_to(first).contains("Evening or bedtime"),
        "{}",
        reply_to(first)
    );
    assert!(
        reply_to(second).contains("200–400 mg"),
        "{}",
        reply_to(second)
    );

    // What people asked is not in the logs.
    let logs = bot.logs();
    assert!(!logs.contains(WHEN) && !logs.contains(WHY), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_memory_of_a_question_expires() {
    let tg = FakeTelegram::start().await;
    let options = Options {
        vars: vec![("FAQBOT_FOLLOW_UP_SECS", "1".to_string())],
        ..Options::default()
    };
    let _bot = BotProcess::start_with(&tg, options);
    let chat = tg.private_chat(302);
    tg.user_says(chat, 302, WHEN);
    tg.wait_sent(chat, 1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    tg.user_says(chat, 302, WHY);
    let sent = tg.wait_sent(chat, 2).await;
    assert!(
        !sent[1].text.contains("Evening or bedtime"),
        "{}",
        sent[1].text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_in_another_language_is_read_in_its_conversation() {
    let tg = FakeTelegram::start().await;
    let _bot = BotProcess::start_real_faq(&tg);
    // Too short to tell its language alone, and no language setting sent:
    // the conversation's German decides, and the German question decides
    // what "when?" asks about.
    let chat = tg.private_chat(305);
    tg.user_says(
        chat,
        305,
        "Welches Magnesium ist am besten bei unruhigen Beinen?",
    );
    tg.wait_sent(chat, 1).await;
    tg.user_says(chat, 305, "und wann?");
    let sent = tg.wait_sent(chat, 2).await;
    assert!(
        sent[1].text.contains("Evening or bedtime"),
        "{}",
        sent[1].text
    );
    assert!(
        sent[1].text.contains("Meine Antworten sind auf Englisch"),
        "{}",
        sent[1].text
    );
}
