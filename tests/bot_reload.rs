//! End to end: curators edit `faq/` while the bot runs.

use std::path::Path;
use std::time::Duration;

use crate::support::{BotProcess, FakeTelegram, footer};
use faqbot::content::EntryFile;

fn entry(question: &str, alternate: &str, answer: &str) -> String {
    EntryFile::new(question, answer)
        .alternates(&[alternate])
        .render()
}

fn write(dir: &Path, name: &str, text: &str) {
    // Write then rename, as editors do, so the bot never reads half a file.
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, dir.join(name)).unwrap();
}

const SIDE_EFFECTS: &str = "What are the side effects of magnesium?";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_are_served_and_broken_edits_refused() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start_reloading(&tg);
    let chat = tg.private_chat(501);
    tg.user_says(chat, 501, "magnesium side effects");
    let sent = tg.wait_sent(chat, 1).await;
    assert!(
        sent[0].text.contains("Too much can cause"),
        "{}",
        sent[0].text
    );

    // Edit one entry, add one, remove one.
    write(
        &bot.faq,
        "side-effects.md",
        &entry(
            SIDE_EFFECTS,
            "magnesium side effects",
            "EDITED: mostly an upset stomach.",
        ),
    );
    write(
        &bot.faq,
        "iron.md",
        &entry(
            "Does iron help restless legs?",
            "iron and rls",
            "Ask your doctor to check your **ferritin**.",
        ),
    );
    std::fs::remove_file(bot.faq.join("symbols.md")).unwrap();
    // Usually one reload; on a stalled machine the changes may land in two.
    for change in [
        r#"added=["iron"]"#,
        r#"removed=["symbols"]"#,
        r#"edited=["side-effects"]"#,
    ] {
        let logs = bot.wait_log(change).await;
        let line = logs.lines().find(|l| l.contains(change)).unwrap();
        assert!(line.contains("FAQ reloaded"), "{line}");
    }

    tg.user_says(chat, 501, "magnesium side effects");
    let sent = tg.wait_sent(chat, 2).await;
    assert!(
        sent[1].text.contains("EDITED: mostly an upset stomach."),
        "{}",
        sent[1].text
    );
    tg.user_says(chat, 501, "does iron help restless legs?");
    let sent = tg.wait_sent(chat, 3).await;
    assert!(sent[2].text.contains("ferritin"), "{}", sent[2].text);

    // A broken edit is logged with its errors; the entry's last good
    // version stays served meanwhile.
    let reloads = bot.logs().matches("FAQ reloaded").count();
    write(
        &bot.faq,
        "side-effects.md",
        "---\nquestion: [unclosed\n---\nBROKEN\n",
    );
    bot.wait_for_reloads(reloads + 1).await;
    let logs = bot.logs();
    assert!(logs.contains("last good version"), "{logs}");
    assert!(
        logs.lines()
            .any(|l| l.contains("ERROR") && l.contains("side-effects.md")),
        "the error names the file:\n{logs}"
    );
    tg.user_says(chat, 501, "magnesium side effects");
    let sent = tg.wait_sent(chat, 3 + 1).await;
    assert!(sent[3].text.contains("EDITED"), "{}", sent[3].text);
    assert!(!sent[3].text.contains("BROKEN"));

    // Fixing it is picked up again.
    let reloads = bot.logs().matches("FAQ reloaded").count();
    write(
        &bot.faq,
        "side-effects.md",
        &entry(
            SIDE_EFFECTS,
            "magnesium side effects",
            "FIXED: take it with food.",
        ),
    );
    bot.wait_for_reloads(reloads + 1).await;
    tg.user_says(chat, 501, "magnesium side effects");
    let sent = tg.wait_sent(chat, 5).await;
    assert!(sent[4].text.contains("FIXED"), "{}", sent[4].text);

    // A valid file that steals another entry's question: one stray
    // alternate would answer "magnesium side effects" with anxiety. The
    // same rule as `faqbot check`: an error, and the new file, not the
    // entry it would take the question from, is left out.
    write(
        &bot.faq,
        "anxiety.md",
        &entry(
            "Does magnesium calm anxiety?",
            "side effects of magnesium",
            "ANXIETY: maybe.",
        ),
    );
    let logs = bot.wait_log("gets the answer of `anxiety`").await;
    let line = logs
        .lines()
        .find(|l| l.contains("gets the answer of `anxiety`"))
        .unwrap();
    assert!(line.contains("side-effects.md:"), "{line}");
    assert!(line.contains("anxiety.md:4"), "{line}");
    assert!(line.contains("ERROR"), "{line}");
    let logs = bot.wait_log("NOT served").await;
    let line = logs.lines().find(|l| l.contains("NOT served")).unwrap();
    assert!(
        line.contains("anxiety.md") && !line.contains("side-effects.md"),
        "{line}"
    );
    tg.user_says(chat, 501, "magnesium side effects");
    let sent = tg.wait_sent(chat, 6).await;
    assert!(sent[5].text.contains("FIXED"), "{}", sent[5].text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_during_reloads_are_each_answered_from_one_version() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start_reloading(&tg);
    let chats: Vec<i64> = (0..20).map(|i| tg.private_chat(600 + i)).collect();
    for round in 0..4 {
        let version = if round % 2 == 0 {
            "VERSION A"
        } else {
            "VERSION B"
        };
        write(
            &bot.faq,
            "side-effects.md",
            &entry(
                SIDE_EFFECTS,
                "magnesium side effects",
                &format!("{version}: an upset stomach."),
            ),
        );
        for &chat in &chats[round * 5..round * 5 + 5] {
            tg.user_says(chat, chat, "magnesium side effects");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    for &chat in &chats {
        tg.wait_sent(chat, 1).await;
    }
    for &chat in &chats {
        let sent = tg.sent_to(chat);
        assert_eq!(sent.len(), 1, "{sent:?}");
        let text = &sent[0].text;
        let a = text.contains("VERSION A: an upset stomach.");
        let b = text.contains("VERSION B: an upset stomach.");
        let original = text.contains("Too much can cause");
        assert!(a as u8 + b as u8 + original as u8 == 1, "{text}");
        assert!(text.ends_with(&footer()), "{text}");
    }
}
