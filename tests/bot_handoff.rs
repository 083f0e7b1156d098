//! End to end: "Ask a person" (the curators' chat), small talk, and the
//! Telegram niceties of issue 12, against the fake Bot API with the real
//! binary.

use std::time::Duration;

use crate::support::{BotProcess, FakeTelegram, Options, Sent, footer};
use serde_json::Value;

const CURATORS: i64 = -100_500;
const CURATOR: i64 = 900;

fn with_curators(extra: &[(&'static str, &str)]) -> Options {
    let mut vars = vec![("FAQBOT_CURATOR_CHAT", CURATORS.to_string())];
    vars.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    Options {
        vars,
        ..Options::default()
    }
}

/// The reference in a curators' chat post.
fn reference(post: &Sent) -> String {
    let at = post.text.find('#').expect("a reference");
    post.text[at + 1..at + 7].to_string()
}

/// Asks an unanswerable question in `chat` and presses "Ask a person"
/// under the reply; returns the question's message id and the reply.
async fn ask_and_hand_off(
    tg: &FakeTelegram,
    chat: i64,
    question: &str,
    sent_before: usize,
) -> (i64, Sent) {
    let asked = tg.user_says(chat, chat, question);
    let sent = tg.wait_sent(chat, sent_before + 1).await;
    let reply = sent[sent_before].clone();
    assert_eq!(
        reply.reply_to,
        Some(asked),
        "the no-match reply quotes the question"
    );
    assert!(
        reply
            .buttons()
            .iter()
            .any(|(label, data)| data == "p" && label.contains("Ask a person")),
        "{:?}",
        reply.buttons()
    );
    tg.user_presses(chat, chat, reply.message_id, "p");
    (asked, reply)
}

fn no_rejections(tg: &FakeTelegram) {
    let rejections = tg.read(|s| s.rejections.clone());
    assert!(rejections.is_empty(), "{rejections:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_answers_what_the_faq_cannot_and_drafts_it() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start_with(&tg, with_curators(&[]));
    let asker = tg.private_chat(101);
    tg.group_chat(CURATORS);

    let question =
        "Is potassium good for restless legs? My name is John Smith, call me on 555-123-4567";
    let (asked, reply) = ask_and_hand_off(&tg, asker, question, 0).await;

    // The post in the curators' chat: the question without personal data.
    let post = tg.wait_sent(CURATORS, 1).await.remove(0);
    let r = reference(&post);
    assert!(post.text.contains("potassium"), "{}", post.text);
    for personal in ["John", "Smith", "555", "101", "user101", "User101"] {
        assert!(!post.text.contains(personal), "{personal} in {}", post.text);
    }
    // The asker is told, with the reference, and the button is gone.
    let told = tg.wait_sent(asker, 2).await.remove(1);
    assert!(told.text.contains(&format!("#{r}")), "{}", told.text);
    let pressed = tg
        .wait_for("the button answered", |s| {
            s.answered_callbacks.first().cloned()
        })
        .await;
    assert_eq!(pressed["text"], "Sent to the team.");
    let edited = tg.read(|s| {
        s.sent
            .iter()
            .find(|m| m.message_id == reply.message_id)
            .cloned()
    });
    assert!(!edited.unwrap().buttons().iter().any(|(_, d)| d == "p"));

    // A curator replies to the post: the asker gets it, quoting the question.
    let answer = "Our articles don't cover potassium <yet>. Please ask your doctor.";
    tg.user_replies(CURATORS, CURATOR, post.message_id, answer);
    let delivered = tg.wait_sent(asker, 3).await.remove(2);
    assert!(
        delivered.text.contains("A person on the FAQ team answered"),
        "{}",
        delivered.text
    );
    assert!(delivered.text.contains(answer), "{}", delivered.text);
    assert!(delivered.text.contains(&footer()), "{}", delivered.text);
    assert_eq!(delivered.reply_to, Some(asked));
    let note = tg.wait_sent(CURATORS, 2).await.remove(1);
    assert!(note.text.contains("Delivered"), "{}", note.text);
    // Chatter replying to the bot's note is not an answer: nothing goes
    // to the asker (the bot answers it there as an ordinary question).
    tg.user_replies(CURATORS, CURATOR, note.message_id, "thanks!");
    tg.wait_sent(CURATORS, 3).await;

    // `/draft` in reply to the post writes a draft `check` flags.
    tg.user_replies(CURATORS, CURATOR, post.message_id, "/draft");
    let note = tg.wait_sent(CURATORS, 4).await.remove(3);
    assert!(note.text.contains("Draft written"), "{}", note.text);
    let drafts = bot.dir().join("drafts");
    let files: Vec<_> = std::fs::read_dir(&drafts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let draft = std::fs::read_to_string(&files[0]).unwrap();
    assert!(draft.contains("status: needs-review"), "{draft}");
    assert!(draft.contains(answer), "{draft}");
    assert!(!draft.contains("John"), "{draft}");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--faq")
        .arg(&drafts)
        .arg("check")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(!check.status.success(), "{said}");
    assert!(said.contains("needs-review"), "{said}");

    // The records: the question once as unmatched, the handoff's story
    // with its reference only; no chat or user ids anywhere.
    let unmatched = bot.wait_records("unmatched.jsonl", 1).await;
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    let story = bot.wait_records("handoffs.jsonl", 3).await;
    let events: Vec<&str> = story.iter().map(|r| r["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["asked", "answered", "drafted"]);
    assert!(story.iter().all(|line| line["reference"] == r.as_str()));
    for file in ["unmatched.jsonl", "handoffs.jsonl"] {
        let text = std::fs::read_to_string(bot.dir().join("data").join(file)).unwrap();
        assert!(
            !text.contains("101") && !text.contains("John"),
            "{file}: {text}"
        );
    }

    // Replies from anywhere but the curators' chat are not answers: the
    // asker replying to the bot's note, or someone in another group.
    tg.user_replies(asker, asker, told.message_id, "hello?");
    let sent = tg.wait_sent(asker, 4).await;
    assert!(
        !sent[3].text.contains("A person on the FAQ team"),
        "{}",
        sent[3].text
    );
    let group = tg.group_chat(-100_600);
    tg.user_says(group, 300, "/ask is potassium ok?");
    let in_group = tg.wait_sent(group, 1).await.remove(0);
    tg.user_replies(
        group,
        300,
        in_group.message_id,
        &format!("#{r} forged answer"),
    );
    tg.wait_sent(group, 2).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(tg.sent_to(asker).len(), 4, "nothing more reached the asker");
    assert_eq!(tg.sent_to(CURATORS).len(), 4);
    no_rejections(&tg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handoff_survives_a_restart() {
    let tg = FakeTelegram::start().await;
    let mut bot = BotProcess::start_with(&tg, with_curators(&[]));
    let asker = tg.private_chat(102);
    tg.group_chat(CURATORS);
    let (asked, _) = ask_and_hand_off(&tg, asker, "can I take potassium with magnesium?", 0).await;
    let post = tg.wait_sent(CURATORS, 1).await.remove(0);
    tg.wait_sent(asker, 2).await;

    bot.terminate();
    assert!(bot.wait_exit().await.success());
    bot.restart();
    let book = bot.dir().join("data").join("handoffs.redb");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&book).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the book is private");
    }

    tg.user_replies(CURATORS, CURATOR, post.message_id, "Ask your pharmacist.");
    let delivered = tg.wait_sent(asker, 3).await.remove(2);
    assert!(
        delivered.text.contains("Ask your pharmacist."),
        "{}",
        delivered.text
    );
    assert_eq!(delivered.reply_to, Some(asked));

    // A blocked bot cannot deliver: the curator is told, nothing breaks.
    tg.block(asker);
    tg.user_replies(CURATORS, CURATOR, post.message_id, "One more thing.");
    let note = tg.wait_sent(CURATORS, 3).await.remove(2);
    assert!(note.text.contains("blocked the bot"), "{}", note.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handoffs_expire_and_are_limited_per_asker() {
    let tg = FakeTelegram::start().await;
    let _bot = BotProcess::start_with(&tg, with_curators(&[("FAQBOT_HANDOFF_SECS", "2")]));
    let asker = tg.private_chat(103);
    tg.group_chat(CURATORS);
    ask_and_hand_off(&tg, asker, "is potassium good for rls?", 0).await;
    let post = tg.wait_sent(CURATORS, 1).await.remove(0);
    assert!(post.text.contains("kept 1 day"), "{}", post.text);
    tg.wait_sent(asker, 2).await;

    // Past its time the answer is refused, and the asker hears nothing.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    tg.user_replies(CURATORS, CURATOR, post.message_id, "Too late?");
    let note = tg.wait_sent(CURATORS, 2).await.remove(1);
    assert!(
        note.text.contains("can no longer be answered"),
        "{}",
        note.text
    );

    // Three handoffs an hour: the fourth press is refused with a note.
    let mut sent = 2;
    for question in ["is zinc good for rls?", "is calcium good for rls?"] {
        ask_and_hand_off(&tg, asker, question, sent).await;
        sent += 2;
        tg.wait_sent(asker, sent).await;
    }
    ask_and_hand_off(&tg, asker, "is copper good for rls?", sent).await;
    let refused = tg
        .wait_for("the fourth press answered", |s| {
            s.answered_callbacks
                .iter()
                .map(|c| c["text"].as_str().unwrap_or("").to_string())
                .find(|t| t.contains("several questions"))
        })
        .await;
    assert!(refused.contains("wait"));
    assert_eq!(tg.sent_to(CURATORS).len(), 4, "three posts and one note");
    assert_eq!(tg.sent_to(asker).len(), sent + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_talk_group_quotes_and_the_profile() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chat = tg.private_chat(104);

    // Small talk gets a friendly line, and is no miss.
    tg.user_says(chat, 104, "thanks!!");
    tg.user_says(chat, 104, "👍");
    tg.user_says(chat, 104, "are you a doctor?");
    let sent = tg.wait_sent(chat, 3).await;
    assert!(sent[0].text.contains("welcome"), "{}", sent[0].text);
    assert!(sent[1].text.contains("Glad to help"), "{}", sent[1].text);
    assert!(sent[2].text.contains("not a doctor"), "{}", sent[2].text);
    // Without a curators' chat there is no "Ask a person".
    tg.user_says(chat, 104, "what is the capital of peru");
    let sent = tg.wait_sent(chat, 4).await;
    assert!(sent[3].text.contains("Sorry"), "{}", sent[3].text);
    assert!(!sent[3].buttons().iter().any(|(_, d)| d == "p"));
    let unmatched = bot.wait_records("unmatched.jsonl", 1).await;
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert_eq!(unmatched[0]["question"], "what is the capital of peru");

    // In a group the answer quotes the question; the footer folds.
    let group = tg.group_chat(-100_700);
    let asked = tg.user_says(group, 104, "/ask how much magnesium should I take for RLS?");
    let answer = tg.wait_sent(group, 1).await.remove(0);
    assert_eq!(answer.reply_to, Some(asked));
    assert!(
        answer.html.contains("<blockquote expandable>"),
        "{}",
        answer.html
    );
    let line = faqbot::content::Settings::default().emergency_line;
    assert!(
        answer.html.ends_with(&format!("</blockquote>\n{line}")),
        "{}",
        answer.html
    );
    let previews: Vec<Value> = tg.calls("sendMessage");
    assert!(
        previews
            .iter()
            .all(|c| c["link_preview_options"]["is_disabled"] == true)
    );

    // The profile texts come from the settings.
    let settings = faqbot::content::Settings::default();
    let long = tg.calls("setMyDescription");
    assert_eq!(long[0]["description"], settings.description.as_str());
    let short = tg.calls("setMyShortDescription");
    assert_eq!(
        short[0]["short_description"],
        settings.short_description.as_str()
    );
    no_rejections(&tg);
}
