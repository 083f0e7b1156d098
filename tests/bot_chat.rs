//! End to end: private chats, buttons, groups, inline mode, odd input.

use crate::support::{self, BOT_USERNAME, BotProcess, FakeTelegram, footer, token_secret};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_registers_commands_and_introduces_the_bot() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chat = tg.private_chat(101);
    tg.user_says(chat, 101, "/start");
    let sent = tg.wait_sent(chat, 1).await;
    let text = &sent[0].text;
    assert!(text.contains("not a doctor"), "{text}");
    assert!(
        text.contains("How much magnesium should I take for RLS?"),
        "{text}"
    );
    assert!(text.contains("/topics"), "{text}");

    let commands = tg.calls("setMyCommands");
    let names: Vec<&str> = commands[0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ask", "topics", "help", "start"]);

    tg.user_says(chat, 101, "/help");
    let sent = tg.wait_sent(chat, 2).await;
    assert!(sent[1].text.contains("/topics"), "{}", sent[1].text);

    // /topics lists every entry; a topic button sends its answer.
    tg.user_says(chat, 101, "/topics");
    let sent = tg.wait_sent(chat, 3).await;
    let buttons = sent[2].buttons();
    assert_eq!(buttons.len(), 5, "{buttons:?}");
    let (_, data) = buttons
        .iter()
        .find(|(label, _)| label.starts_with("What are the side effects"))
        .unwrap();
    tg.user_presses(chat, 101, sent[2].message_id, data);
    let sent = tg.wait_sent(chat, 4).await;
    assert!(sent[3].text.contains("Too much can cause diarrhea"));
    assert!(sent[3].text.contains(&footer()));

    assert!(
        tg.read(|s| s.rejections.is_empty()),
        "{:?}",
        tg.read(|s| s.rejections.clone())
    );
    assert!(!bot.logs().contains(token_secret()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_is_answered_with_footer_buttons_and_votes() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chat = tg.private_chat(102);
    tg.user_says(chat, 102, "how much magnesium should i take for rls?");
    let sent = tg.wait_sent(chat, 1).await;
    let answer = &sent[0];
    assert!(answer.text.contains("200–400 mg"), "{}", answer.text);
    assert!(answer.text.ends_with(&footer()), "{}", answer.text);
    assert!(answer.html.contains("<b>200–400 mg</b>"), "{}", answer.html);
    let data: Vec<String> = answer.buttons().into_iter().map(|(_, d)| d).collect();
    assert!(
        data.contains(&"a:best-time-to-take".to_string()),
        "{data:?}"
    );
    assert!(data.contains(&"a:side-effects".to_string()), "{data:?}");
    assert!(data.ends_with(&["u:rls-dosage".to_string(), "d:rls-dosage".to_string()]));
    let counted = bot.wait_records("answered.jsonl", 1).await;
    assert_eq!(counted[0]["entry"], "rls-dosage");
    assert_eq!(
        counted[0].as_object().unwrap().len(),
        2,
        "date and entry only"
    );

    // A related-question button: its answer, and the spinner stopped.
    let cb = tg.user_presses(chat, 102, answer.message_id, "a:best-time-to-take");
    let sent = tg.wait_sent(chat, 2).await;
    assert!(
        sent[1].text.contains("Evening or bedtime"),
        "{}",
        sent[1].text
    );
    assert!(sent[1].text.ends_with(&footer()));
    tg.wait_for("the button press answered", |s| {
        s.answered_callbacks
            .iter()
            .any(|a| a["callback_query_id"] == cb.as_str())
            .then_some(())
    })
    .await;
    bot.wait_records("answered.jsonl", 2).await;

    // Forged callback data (a client can send any): not a vote.
    let forged = tg.user_presses(chat, 102, answer.message_id, "u:i-am-not-an-entry");
    let reply = tg
        .wait_for("the forged press answered", |s| {
            s.answered_callbacks
                .iter()
                .find(|a| a["callback_query_id"] == forged.as_str())
                .cloned()
        })
        .await;
    assert!(
        reply["text"].as_str().unwrap().contains("no longer"),
        "{reply}"
    );

    // One vote per message: the 👍 counts, the later 👎 does not.
    let up = tg.user_presses(chat, 102, answer.message_id, "u:rls-dosage");
    let votes = bot.wait_records("feedback.jsonl", 1).await;
    assert_eq!(votes[0]["entry"], "rls-dosage");
    assert_eq!(votes[0]["vote"], "up");
    assert_eq!(
        votes[0].as_object().unwrap().len(),
        3,
        "time, entry, vote only"
    );
    tg.wait_for("the vote buttons removed", |s| {
        let m = s.sent.iter().find(|m| m.message_id == answer.message_id)?;
        (!m.buttons().iter().any(|(_, d)| d.starts_with("u:"))).then_some(())
    })
    .await;
    let down = tg.user_presses(chat, 102, answer.message_id, "d:rls-dosage");
    let replies = tg
        .wait_for("both votes answered", |s| {
            let find = |id: &str| {
                s.answered_callbacks
                    .iter()
                    .find(|a| a["callback_query_id"] == id)
                    .cloned()
            };
            Some((find(&up)?, find(&down)?))
        })
        .await;
    assert!(replies.0["text"].as_str().unwrap().contains("Thank you"));
    assert!(replies.1["text"].as_str().unwrap().contains("already"));
    assert_eq!(bot.records("feedback.jsonl").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unmatched_questions_are_logged_without_who_asked() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chat = tg.private_chat(4_455_667);
    let question = "can zebras fly to the moon? my name is John Smith, write to jo@example.com or john(at)example(dot)com or +44 20 7946 0958 or @jsmith_secret";
    tg.user_says(chat, 4_455_667, question);
    let sent = tg.wait_sent(chat, 1).await;
    assert!(sent[0].text.contains("/topics"), "{}", sent[0].text);
    assert!(!sent[0].text.contains(&footer()));

    let lines = bot.wait_records("unmatched.jsonl", 1).await;
    let record = &lines[0];
    assert_eq!(
        record["question"],
        "can zebras fly to the moon? my name is [name], write to [email] or [email] or [phone] or [handle]"
    );
    assert_eq!(record["chat"], "private");
    assert!(record["score"].is_number());
    assert!(record.get("best").is_some());
    chrono::DateTime::parse_from_rfc3339(record["time"].as_str().unwrap()).unwrap();
    let raw = std::fs::read_to_string(bot.data.join("unmatched.jsonl")).unwrap();
    for who in ["4455667", "user4455667", "User4455667"] {
        assert!(!raw.contains(who), "{raw}");
    }
    // Counted answers hold no question text either.
    assert!(bot.records("answered.jsonl").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_hear_only_what_is_addressed_to_the_bot() {
    let tg = FakeTelegram::start().await;
    let _bot = BotProcess::start(&tg);
    let group = tg.group_chat(-100_777);
    tg.user_says(group, 201, "how much magnesium should i take for rls?");
    tg.user_says(
        group,
        202,
        "/ask@OtherBot how much magnesium should i take for rls?",
    );
    tg.user_says(group, 203, "/unknown");
    tg.user_sends_sticker(group, 201);
    let ask = tg.user_says(group, 201, "/ask how much magnesium should i take for rls?");
    let sent = tg.wait_sent(group, 1).await;
    assert!(sent[0].text.contains("200–400 mg"), "{}", sent[0].text);
    assert_eq!(sent[0].reply_to, Some(ask), "replies to the question");

    let mention = tg.user_says(
        group,
        202,
        &format!("@{BOT_USERNAME} when is the best time to take magnesium?"),
    );
    let sent = tg.wait_sent(group, 2).await;
    assert!(
        sent[1].text.contains("Evening or bedtime"),
        "{}",
        sent[1].text
    );
    assert_eq!(sent[1].reply_to, Some(mention));

    tg.user_replies(group, 203, sent[1].message_id, "magnesium side effects");
    let sent = tg.wait_sent(group, 3).await;
    assert!(
        sent[2].text.contains("Too much can cause"),
        "{}",
        sent[2].text
    );

    tg.user_says(group, 203, &format!("/help@{BOT_USERNAME}"));
    let sent = tg.wait_sent(group, 4).await;
    assert!(sent[3].text.contains("/ask"), "{}", sent[3].text);
    // Updates of one chat are handled in order, so nothing else is coming.
    assert_eq!(tg.sent_to(group).len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_mode_offers_answers_and_logs_the_question_settled_on() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let id = tg.user_types_inline(301, "magnesium dose");
    let answer = tg.wait_inline_answer(&id).await;
    let results = answer["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert_eq!(results[0]["id"], "a:rls-dosage", "{results:#?}");
    let text = results[0]["input_message_content"]["message_text"]
        .as_str()
        .unwrap();
    let visible = support::html::parse(text).expect("Telegram would accept it");
    assert!(
        visible.contains("200–400 mg") && visible.contains(&footer()),
        "{text}"
    );
    let votes = support::fake::buttons(Some(&results[0]["reply_markup"]));
    assert_eq!(votes.len(), 2);

    // Sending a result counts as an answer.
    tg.user_chooses_inline(301, "a:rls-dosage", "magnesium dose");
    let counted = bot.wait_records("answered.jsonl", 1).await;
    assert_eq!(counted[0]["entry"], "rls-dosage");

    // A vote on the sent inline message counts once.
    tg.user_presses_inline(301, "inline-msg-1", &votes[0].1);
    bot.wait_records("feedback.jsonl", 1).await;
    let again = tg.user_presses_inline(301, "inline-msg-1", &votes[1].1);
    tg.wait_for("the second vote answered", |s| {
        s.answered_callbacks
            .iter()
            .any(|a| a["callback_query_id"] == again.as_str())
            .then_some(())
    })
    .await;
    assert_eq!(bot.records("feedback.jsonl").len(), 1);

    // Typing an unanswerable question: only the final query is logged.
    for partial in ["zeb", "zebra quan", "zebra quantum physics"] {
        tg.user_types_inline(302, partial);
    }
    let lines = bot.wait_records("unmatched.jsonl", 1).await;
    assert_eq!(lines[0]["question"], "zebra quantum physics");
    assert_eq!(lines[0]["chat"], "inline");
    // A later question from someone else settles after the first one did.
    tg.user_types_inline(303, "unicorn taxes");
    let lines = bot.wait_records("unmatched.jsonl", 2).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1]["question"], "unicorn taxes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stickers_markup_long_answers_and_edits() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chat = tg.private_chat(401);

    tg.user_sends_sticker(chat, 401);
    tg.user_sends_photo(chat, 401);
    let sent = tg.wait_sent(chat, 2).await;
    assert!(sent[0].text.contains("I can only read text questions"));
    assert!(sent[1].text.contains("I can only read text questions"));

    // `< > &` from the user and from the curator reach Telegram escaped.
    tg.user_says(
        chat,
        401,
        "Is < 350 mg & > 100 mg of magnesium a <safe> range?",
    );
    let sent = tg.wait_sent(chat, 3).await;
    assert!(
        sent[2]
            .text
            .contains("100 mg < dose < 350 mg is <b>usual</b> & <script>alert(1)</script> safe."),
        "{}",
        sent[2].text
    );
    tg.user_says(chat, 401, "<b>zebra</b> & <i>quantum</i> > physics?");
    let sent = tg.wait_sent(chat, 4).await;
    assert!(sent[3].text.contains("/topics"));
    let lines = bot.wait_records("unmatched.jsonl", 1).await;
    assert_eq!(
        lines[0]["question"],
        "<b>zebra</b> & <i>quantum</i> > physics?"
    );

    // An answer over Telegram's limit arrives in parts, each within it.
    tg.user_says(
        chat,
        401,
        "What does the research on magnesium and restless legs say in detail?",
    );
    let sent = tg.wait_sent(chat, 6).await;
    let parts = &sent[4..6];
    assert!(parts.iter().all(|p| p.text.encode_utf16().count() <= 4096));
    assert!(parts[0].text.starts_with("What does the research"));
    assert!(
        parts[0].buttons().is_empty(),
        "buttons go under the last part"
    );
    assert!(parts[1].text.ends_with(&footer()));
    assert!(!parts[1].buttons().is_empty());

    // An edited question is answered again, as a reply to it.
    let q = tg.user_says(chat, 401, "zebra?");
    tg.wait_sent(chat, 7).await;
    tg.user_edits(chat, 401, q, "magnesium side effects");
    let sent = tg.wait_sent(chat, 8).await;
    assert!(
        sent[7].text.contains("Too much can cause"),
        "{}",
        sent[7].text
    );
    assert_eq!(sent[7].reply_to, Some(q));

    assert!(
        tg.read(|s| s.rejections.is_empty()),
        "{:?}",
        tg.read(|s| s.rejections.clone())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergencies_get_the_urgent_reply_in_chats_and_inline() {
    let tg = FakeTelegram::start().await;
    let bot = BotProcess::start(&tg);
    let chat = tg.private_chat(909);
    tg.user_says(
        chat,
        909,
        "I took too much magnesium and now I have chest pain",
    );
    let sent = tg.wait_sent(chat, 1).await;
    assert!(sent[0].text.contains("emergency"), "{}", sent[0].text);
    assert!(!sent[0].text.contains(&footer()), "{}", sent[0].text);
    assert!(sent[0].buttons().is_empty());

    let id = tg.user_types_inline(909, "i want to kill myself");
    let answer = tg.wait_inline_answer(&id).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(results[0]["id"], "urgent");

    // A plain unmatched question afterwards is logged; the emergencies never are.
    tg.user_says(chat, 909, "can zebras fly");
    bot.wait_records("unmatched.jsonl", 1).await;
    let raw = std::fs::read_to_string(bot.data.join("unmatched.jsonl")).unwrap();
    assert!(!raw.contains("chest") && !raw.contains("kill"), "{raw}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_languages_get_their_own_footer_and_urgent_reply() {
    let tg = FakeTelegram::start().await;
    let _bot = BotProcess::start_real_faq(&tg);
    let chat = tg.private_chat(990);
    // An answer (in English) with the Spanish note, disclaimer and
    // emergency line.
    tg.user_says(chat, 990, "¿Qué alimentos tienen mucho magnesio?");
    let sent = tg.wait_sent(chat, 1).await;
    let text = &sent[0].text;
    assert!(
        text.contains("Mis respuestas están escritas en inglés"),
        "{text}"
    );
    assert!(
        text.contains("Si es una emergencia, llama ahora a tu número local de emergencias"),
        "{text}"
    );
    assert!(text.contains("no un consejo médico"), "{text}");
    // An emergency in Russian gets the Russian urgent reply.
    tg.user_says(
        chat,
        990,
        "Я выпил целую банку таблеток магния, мне очень плохо и сердце бьётся медленно",
    );
    let sent = tg.wait_sent(chat, 2).await;
    let text = &sent[1].text;
    assert!(
        text.contains("Немедленно позвоните в экстренную службу"),
        "{text}"
    );
    assert!(sent[1].buttons().is_empty());
    // English stays English.
    tg.user_says(chat, 990, "what foods are rich in magnesium");
    let sent = tg.wait_sent(chat, 3).await;
    assert!(sent[2].text.contains(&footer()), "{}", sent[2].text);
    assert!(!sent[2].text.contains("inglés"), "{}", sent[2].text);
    // A message too short to tell by its words follows the sender's
    // Telegram language: Spanish for a phone set to Spanish...
    let spanish = tg.private_chat(991);
    tg.set_language(991, "es");
    tg.user_says(spanish, 991, "y el hierro?");
    let text = &tg.wait_sent(spanish, 1).await[0].text;
    assert!(
        text.contains("inglés") || text.contains("Lo siento"),
        "{text}"
    );
    // ... English without that setting...
    let english = tg.private_chat(992);
    tg.user_says(english, 992, "y el hierro?");
    let text = &tg.wait_sent(english, 1).await[0].text;
    assert!(
        !text.contains("inglés") && !text.contains("Lo siento"),
        "{text}"
    );
    // ... unless it has a letter only one language writes: "¿" is Spanish.
    tg.user_says(english, 992, "¿y el hierro?");
    let text = &tg.wait_sent(english, 2).await[1].text;
    assert!(
        text.contains("inglés") || text.contains("Lo siento"),
        "{text}"
    );
}
