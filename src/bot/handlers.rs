//! Thin handlers: read the update, ask the engine, let [`compose`] word the
//! reply, send it. No wording and no matching decisions live here.

use std::sync::Arc;

use teloxide::payloads::{
    AnswerCallbackQuerySetters, AnswerInlineQuerySetters, EditMessageReplyMarkupSetters,
    EditMessageTextSetters, SendMessageSetters,
};
use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{
    ChatId, ChosenInlineResult, InlineKeyboardButtonKind, InlineQuery, LinkPreviewOptions,
    MaybeInaccessibleMessage, Me, MediaKind, MessageId, MessageKind, ParseMode, ReplyParameters,
};

use super::callback::{Action, EntryKey};
use super::compose::{self, Reply};
use super::intent::{self, Command, Incoming, Intent};
use super::send::{Outbox, SendError, is_bad_markup};
use super::split::html_to_text;
use super::state::{App, VoteKey};
use crate::content::Entry;
use crate::engine::{Engine, Outcome};
use crate::matcher::Typing;
use crate::unmatched::ChatKind;

pub type HandlerResult = Result<(), SendError>;

/// Inline results shown for one query.
const INLINE_RESULTS: usize = 8;
/// Seconds Telegram may cache inline results: short, because content reloads.
const INLINE_CACHE_SECS: u32 = 60;

/// A message or an edited message, in a private chat or a group.
pub async fn message(out: Outbox, msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    let username = me.user.username.as_deref().unwrap_or_default();
    let private = msg.chat.is_private();
    let incoming = Incoming {
        text: msg.text(),
        private,
        reply_to_bot: msg
            .reply_to_message()
            .and_then(|m| m.from.as_ref())
            .is_some_and(|u| u.id == me.user.id),
        has_media: has_media(&msg),
    };
    let intent = intent::classify(incoming, username);
    if intent == Intent::Ignore {
        return Ok(());
    }
    let engine = app.engine();
    let settings = &engine.faq().settings;
    let kind = if private {
        ChatKind::Private
    } else {
        ChatKind::Group
    };
    let mut answered = None;
    let reply = match intent {
        Intent::Ignore => return Ok(()),
        Intent::NotText => compose::not_text(settings),
        Intent::UnknownCommand => compose::unknown_command(),
        Intent::Command(Command::Start) => compose::start(settings, username, private),
        Intent::Command(Command::Help) => compose::help(settings, username, private),
        Intent::Command(Command::Topics) => compose::topics(engine.faq(), 0),
        Intent::Command(Command::Ask(question)) | Intent::Question(question) => {
            // Matching is milliseconds of CPU: off the async workers, so
            // other chats' timers and sends keep their rhythm meanwhile.
            let (reply, entry) =
                tokio::task::block_in_place(|| answer_question(&app, &engine, &question, kind));
            answered = entry;
            reply
        }
    };
    // In groups, and for edited questions, reply to the question itself so
    // it is clear which message is being answered.
    let reply_to = (!private || msg.edit_date().is_some()).then_some(msg.id);
    send_reply(&out, msg.chat.id, &reply, reply_to).await?;
    if let Some(entry) = answered {
        app.answered(&entry);
    }
    Ok(())
}

/// The reply to a question, and the entry it answers with (if matched).
/// Unmatched questions are logged here, whether or not the reply gets out.
fn answer_question(
    app: &App,
    engine: &Engine,
    question: &str,
    kind: ChatKind,
) -> (Reply, Option<String>) {
    let faq = engine.faq();
    if question.trim().is_empty() {
        return (compose::ask_usage(&faq.settings), None);
    }
    match engine.ask(question) {
        Outcome::Answer {
            entry, suggestions, ..
        } => (
            compose::answer(faq, entry, &suggestions),
            Some(entry.id.clone()),
        ),
        Outcome::NoMatch {
            best, suggestions, ..
        } => {
            app.unmatched(question, best.map(|(e, s)| (e.id.as_str(), s)), kind);
            (compose::no_match(&faq.settings, &suggestions), None)
        }
        // An emergency: the urgent-care reply, and nothing logged.
        Outcome::Urgent { reply, category } => {
            // The category only: what people write stays out of the logs.
            tracing::info!(
                category = category.unwrap_or("general"),
                "urgent reply sent"
            );
            (compose::urgent(reply), None)
        }
    }
}

fn has_media(msg: &Message) -> bool {
    match &msg.kind {
        MessageKind::Common(common) => !matches!(common.media_kind, MediaKind::Text(_)),
        _ => false,
    }
}

/// A button under one of the bot's messages.
pub async fn callback(out: Outbox, q: CallbackQuery, app: Arc<App>) -> HandlerResult {
    let engine = app.engine();
    let faq = engine.faq();
    let note = match q.data.as_deref().and_then(Action::decode) {
        None => Some(compose::STALE_BUTTON),
        Some(Action::Answer(key)) => match (key.resolve(faq), &q.message) {
            (Some(entry), Some(message)) => {
                // Stop the button's spinner first: the answer may take a
                // moment behind the rate limiter.
                answer_callback(&out, &q, None).await;
                let reply = compose::answer(faq, entry, &[]);
                send_reply(&out, message.chat().id, &reply, None).await?;
                app.answered(&entry.id);
                return Ok(());
            }
            _ => Some(compose::STALE_BUTTON),
        },
        Some(Action::Vote(key, vote)) => {
            // A vote counts for the entry the answer showed, even if that
            // entry has since been removed: but only if the pressed message
            // really carries that button. Callback data comes from the
            // client, and a forged "vote for i-am-not-an-entry" must not
            // reach the feedback log.
            let id = match (key.resolve(faq), key) {
                (Some(entry), _) => Some(entry.id.clone()),
                (None, EntryKey::Id(id)) if offered(&q) => Some(id),
                (None, _) => None,
            };
            match (id, vote_key(&q)) {
                (Some(id), Some(voted)) => {
                    if app.vote(voted, &id, vote) {
                        remove_vote_buttons(&out, &q).await;
                        Some(compose::THANKS_FOR_VOTING)
                    } else {
                        Some(compose::ALREADY_VOTED)
                    }
                }
                _ => Some(compose::STALE_BUTTON),
            }
        }
        Some(Action::Topics(page)) => {
            if let Some(message) = &q.message {
                show_topics_page(&out, message, &engine, page).await;
            }
            None
        }
    };
    answer_callback(&out, &q, note).await;
    Ok(())
}

/// Is the pressed button's data among the buttons of the message it was
/// pressed under? Telegram sends that message along with the press.
fn offered(q: &CallbackQuery) -> bool {
    let (Some(data), Some(message)) = (q.data.as_deref(), &q.message) else {
        return false;
    };
    message
        .regular_message()
        .and_then(|m| m.reply_markup())
        .is_some_and(|markup| {
            markup.inline_keyboard.iter().flatten().any(|button| {
                matches!(&button.kind, InlineKeyboardButtonKind::CallbackData(d) if d == data)
            })
        })
}

fn vote_key(q: &CallbackQuery) -> Option<VoteKey> {
    match (&q.message, &q.inline_message_id) {
        (Some(message), _) => Some(VoteKey::Message {
            chat: message.chat().id.0,
            message: message.id().0,
        }),
        (None, Some(inline)) => Some(VoteKey::Inline(inline.clone())),
        (None, None) => None,
    }
}

/// After a vote the 👍 / 👎 buttons go, so one message collects one vote.
/// Failing to edit is harmless: the vote book refuses a second vote anyway.
async fn remove_vote_buttons(out: &Outbox, q: &CallbackQuery) {
    let bot = out.bot();
    let result = match (&q.message, &q.inline_message_id) {
        (Some(message), _) => {
            let left = message
                .regular_message()
                .and_then(|m| m.reply_markup())
                .map(compose::without_votes)
                .unwrap_or_default();
            let chat = message.chat().id;
            let req = bot
                .edit_message_reply_markup(chat, message.id())
                .reply_markup(left);
            out.send("editMessageReplyMarkup", Some(chat.0), || req.send_ref())
                .await
                .map(drop)
        }
        (None, Some(inline)) => {
            let req = bot.edit_message_reply_markup_inline(inline.clone());
            out.send("editMessageReplyMarkup", None, || req.send_ref())
                .await
                .map(drop)
        }
        (None, None) => Ok(()),
    };
    if let Err(err) = result {
        tracing::debug!(error = %err, "could not remove the vote buttons");
    }
}

async fn show_topics_page(
    out: &Outbox,
    message: &MaybeInaccessibleMessage,
    engine: &Engine,
    page: usize,
) {
    let reply = compose::topics(engine.faq(), page);
    let Some(text) = reply.parts.first() else {
        return;
    };
    let chat = message.chat().id;
    let mut req = out
        .bot()
        .edit_message_text(chat, message.id(), text.clone())
        .parse_mode(ParseMode::Html);
    if let Some(keyboard) = reply.keyboard {
        req = req.reply_markup(keyboard);
    }
    if let Err(err) = out
        .send("editMessageText", Some(chat.0), || req.send_ref())
        .await
    {
        tracing::debug!(error = %err, "could not show the topics page");
    }
}

/// Answers a callback query, showing `note` briefly if given. A failure
/// only leaves a spinner on the user's button, so it is logged, not raised.
async fn answer_callback(out: &Outbox, q: &CallbackQuery, note: Option<&str>) {
    let mut req = out.bot().answer_callback_query(q.id.clone());
    if let Some(note) = note {
        req = req.text(note);
    }
    if let Err(err) = out
        .send("answerCallbackQuery", None, || req.send_ref())
        .await
    {
        tracing::warn!(error = %err, "could not answer a button press");
    }
}

/// `@bot magnesium dose` typed in any chat.
pub async fn inline(out: Outbox, q: InlineQuery, app: Arc<App>) -> HandlerResult {
    let engine = app.engine();
    let query = q.query.trim().to_string();
    let results = tokio::task::block_in_place(|| inline_results(&app, &engine, &q, query));
    let req = out
        .bot()
        .answer_inline_query(q.id.clone(), results)
        .cache_time(INLINE_CACHE_SECS);
    out.send("answerInlineQuery", None, || req.send_ref())
        .await
        .map(drop)
}

/// The results for an inline query (CPU work: matching).
fn inline_results(
    app: &Arc<App>,
    engine: &Engine,
    q: &InlineQuery,
    query: String,
) -> Vec<teloxide::types::InlineQueryResult> {
    if let Some(reply) = engine.urgent_reply(&query) {
        // An emergency never gets a list of FAQ entries.
        compose::urgent_inline(reply)
    } else {
        let entries = if query.is_empty() {
            starters(engine)
        } else {
            engine.search(&query, INLINE_RESULTS)
        };
        if !query.is_empty() {
            note_inline_question(app, engine, q.from.id.0, query);
        }
        compose::inline_results(&entries, &engine.faq().settings)
    }
}

/// Logs an unmatched inline question once the user has stopped typing it.
fn note_inline_question(app: &Arc<App>, engine: &Engine, user: u64, query: String) {
    let ticket = app.typing(user);
    let Outcome::NoMatch { best, .. } = engine.ask_typed(&query, Typing::Partial) else {
        return;
    };
    let best = best.map(|(e, s)| (e.id.clone(), s));
    let app = Arc::clone(app);
    tokio::spawn(async move {
        tokio::time::sleep(app.inline_settle).await;
        if app.settled(user, ticket) {
            let best = best.as_ref().map(|(id, s)| (id.as_str(), *s));
            app.unmatched(&query, best, ChatKind::Inline);
        }
    });
}

/// Results for an empty inline query: the greeting's example questions.
fn starters(engine: &Engine) -> Vec<&Entry> {
    let faq = engine.faq();
    let mut entries: Vec<&Entry> = Vec::new();
    for example in &faq.settings.examples {
        if let Outcome::Answer { entry, .. } = engine.ask(example)
            && !entries.iter().any(|e| e.id == entry.id)
        {
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        entries = faq.entries.iter().take(INLINE_RESULTS).collect();
    }
    entries
}

/// An inline result was sent (only reported when inline feedback is on in
/// @BotFather): it counts as an answer.
pub async fn chosen(r: ChosenInlineResult, app: Arc<App>) -> HandlerResult {
    if let Some(Action::Answer(key)) = Action::decode(&r.result_id)
        && let Some(entry) = key.resolve(app.engine().faq())
    {
        app.answered(&entry.id);
    }
    Ok(())
}

/// Sends every part of `reply`, the keyboard under the last. A part whose
/// HTML Telegram refuses is sent again as plain text rather than lost.
pub async fn send_reply(
    out: &Outbox,
    chat: ChatId,
    reply: &Reply,
    reply_to: Option<MessageId>,
) -> HandlerResult {
    let last = reply.parts.len().saturating_sub(1);
    for (i, part) in reply.parts.iter().enumerate() {
        let mut req = out
            .bot()
            .send_message(chat, part.clone())
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if i == 0
            && let Some(id) = reply_to
        {
            req = req.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
        }
        if i == last
            && let Some(keyboard) = &reply.keyboard
        {
            req = req.reply_markup(keyboard.clone());
        }
        match out
            .send("sendMessage", Some(chat.0), || req.send_ref())
            .await
        {
            Ok(_) => {}
            Err(err) if is_bad_markup(&err) => {
                tracing::error!(error = %err, "Telegram refused a reply's HTML; sending it as plain text");
                let payload = req.payload_mut();
                payload.text = html_to_text(part);
                payload.parse_mode = None;
                out.send("sendMessage", Some(chat.0), || req.send_ref())
                    .await?;
            }
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}
