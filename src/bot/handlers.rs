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
    ChatId, ChosenInlineResult, InlineKeyboardButtonKind, InlineKeyboardMarkup, InlineQuery,
    LinkPreviewOptions, MaybeInaccessibleMessage, Me, MediaKind, MessageId, MessageKind, ParseMode,
    ReplyParameters, UpdateKind,
};

use super::callback::{Action, EntryKey};
use super::compose::{self, Reply};
use super::handoff::{self, Book};
use super::intent::{self, Command, Incoming, Intent};
use super::send::{Outbox, SendError, is_bad_markup};
use super::split::html_to_text;
use super::state::{App, VoteKey};
use crate::analysis::language::Language;
use crate::content::Entry;
use crate::engine::{Asked, Engine, Outcome, Previous};
use crate::records::unmatched::{ChatKind, HandoffEvent};

pub type HandlerResult = Result<(), SendError>;

/// Inline results shown for one query.
const INLINE_RESULTS: usize = 8;
/// Seconds Telegram may cache inline results: short, because content reloads.
const INLINE_CACHE_SECS: u32 = 60;

/// What the job queue needs to know of an update the bot will act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressed {
    /// The question it asks, if it asks one (for the unmatched log when it
    /// is turned away, and for triage when it must jump the queue).
    pub question: Option<String>,
    /// The message to reply to with a note: (chat, message id).
    pub message: Option<(i64, i32)>,
    pub chat: ChatKind,
}

/// Does the bot act on `update`? `None` for what it would not answer:
/// group chatter not addressed to it, other bots, service messages. Those
/// never take a place in a queue and never cause a note. The same rules
/// as the handler tree: [`intent::classify`] and [`is_desk_reply`].
pub fn addressed(update: &Update, me: &Me, app: &App) -> Option<Addressed> {
    let msg = match &update.kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => m,
        _ => {
            return Some(Addressed {
                question: None,
                message: None,
                chat: ChatKind::Inline,
            });
        }
    };
    if msg.from.as_ref().is_some_and(|u| u.is_bot) {
        return None;
    }
    let message = Some((msg.chat.id.0, msg.id.0));
    let chat = if msg.chat.is_private() {
        ChatKind::Private
    } else {
        ChatKind::Group
    };
    if is_desk_reply(msg, me, app) {
        return Some(Addressed {
            question: None,
            message,
            chat,
        });
    }
    let username = me.user.username.as_deref().unwrap_or_default();
    let question = match intent::classify(incoming(msg, me), username) {
        Intent::Ignore => return None,
        Intent::Command(Command::Ask(q)) | Intent::Question(q) => Some(q),
        _ => None,
    };
    Some(Addressed {
        question: question.filter(|q| !q.trim().is_empty()),
        message,
        chat,
    })
}

/// The parts of `msg` that decide what it asks of the bot.
fn incoming<'a>(msg: &'a Message, me: &Me) -> Incoming<'a> {
    Incoming {
        text: msg.text(),
        private: msg.chat.is_private(),
        reply_to_bot: msg
            .reply_to_message()
            .and_then(|m| m.from.as_ref())
            .is_some_and(|u| u.id == me.user.id),
        has_media: has_media(msg),
    }
}

/// A message or an edited message, in a private chat or a group.
pub async fn message(out: Outbox, msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    let username = me.user.username.as_deref().unwrap_or_default();
    let private = msg.chat.is_private();
    let intent = intent::classify(incoming(&msg, &me), username);
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
        Intent::Command(Command::Start) => {
            // A fresh start: the last question is forgotten.
            if let Some(person) = &msg.from {
                app.memory.forget(msg.chat.id.0, person.id.0);
            }
            compose::start(settings, username, private)
        }
        Intent::Command(Command::Help) => compose::help(settings, username, private),
        Intent::Command(Command::Topics) => compose::topics(engine.faq(), 0),
        Intent::Command(Command::Ask(question)) | Intent::Question(question) => {
            // Matching is milliseconds of CPU: off the async workers, so
            // other chats' timers and sends keep their rhythm meanwhile.
            let asker = Asker {
                chat: msg.chat.id.0,
                person: msg.from.as_ref().map(|u| u.id.0),
                kind,
                language_code: msg.from.as_ref().and_then(|u| u.language_code.as_deref()),
            };
            let (reply, entry) =
                tokio::task::block_in_place(|| answer_question(&app, &engine, &question, asker));
            answered = entry;
            reply
        }
    };
    // In groups, and for edited questions, reply to the question itself so
    // it is clear which message is being answered. So does a reply offering
    // "Ask a person": the button sends the question it quotes.
    let offers_person = reply.keyboard.as_ref().is_some_and(compose::offers_person);
    let reply_to = (!private || msg.edit_date().is_some() || offers_person).then_some(msg.id);
    send_reply(&out, msg.chat.id, &reply, reply_to).await?;
    if let Some(entry) = answered {
        app.answered(&entry);
    }
    Ok(())
}

/// Who asked a question, where.
#[derive(Debug, Clone, Copy)]
struct Asker<'a> {
    chat: i64,
    /// None for a message without a sender (a channel's post).
    person: Option<u64>,
    kind: ChatKind,
    /// The sender's Telegram language setting, a hint for messages too
    /// short to tell by their words.
    language_code: Option<&'a str>,
}

/// The reply to a question, and the entry it answers with (if matched).
/// The question is read after the person's previous one in this chat when
/// it does not stand on its own (see [`crate::bot::memory`]). Unmatched
/// questions are logged here, whether or not the reply gets out.
fn answer_question(
    app: &App,
    engine: &Engine,
    question: &str,
    asker: Asker<'_>,
) -> (Reply, Option<String>) {
    let faq = engine.faq();
    if question.trim().is_empty() {
        return (compose::ask_usage(&faq.settings), None);
    }
    let kind = asker.kind;
    let previous = asker
        .person
        .and_then(|person| app.memory.recall(asker.chat, person));
    let reading = engine.ask_after(Asked::new(question, asker.language_code), previous.as_ref());
    if let Some(person) = asker.person {
        let next = reading.next_previous(previous.as_ref());
        app.memory.remember(asker.chat, person, next);
    }
    if reading.context {
        tracing::debug!("read after the previous question");
    }
    // In the asker's language: the replies' own texts where settings have
    // them, answers where curators translated them (else in English, with
    // a line saying so).
    let language = reading.language;
    match reading.outcome {
        Outcome::Answer {
            entry, suggestions, ..
        } => (
            compose::answer_in(faq, language, entry, &suggestions),
            Some(entry.id.clone()),
        ),
        Outcome::NoMatch {
            nearest,
            suggestions,
            ..
        } => {
            // A follow-up refused in context is logged with the question
            // it followed, or "why then?" would say nothing to a curator.
            app.unmatched_after(
                question,
                reading.refused_after.as_deref(),
                nearest.map(|n| (n.entry.id.as_str(), n.score)),
                kind,
                reading.language,
            );
            // A person can be asked from a private chat only: in a group
            // the question is not the presser's to hand on.
            let ask_person = app.desk.is_some() && kind == ChatKind::Private;
            (
                compose::no_match(faq, language, &suggestions, ask_person),
                None,
            )
        }
        // Two entries fit equally well: the asker picks (a button answers
        // and becomes the conversation's last entry); not a miss.
        Outcome::Choose { entries, .. } => {
            tracing::debug!("asked which of two entries");
            (compose::choose(faq, language, &entries), None)
        }
        // Not a question ("thanks", "👍"): a friendly line, not a miss.
        Outcome::SmallTalk { reply, kind } => {
            tracing::debug!(kind, "small talk");
            (compose::small_talk(reply), None)
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
        Some(Action::Answer(key, language)) => match (key.resolve(faq), &q.message) {
            (Some(entry), Some(message)) => {
                // Stop the button's spinner first: the answer may take a
                // moment behind the rate limiter.
                answer_callback(&out, &q, None).await;
                let reply = compose::answer_in(faq, language, entry, &[]);
                send_reply(&out, message.chat().id, &reply, None).await?;
                app.answered(&entry.id);
                // The entry chosen is what a follow-up refers to now.
                app.memory.remember(
                    message.chat().id.0,
                    q.from.id.0,
                    Some(Previous {
                        question: entry.question.clone(),
                        entry: Some(entry.id.clone()),
                        language,
                    }),
                );
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
                        remove_buttons(&out, &q, compose::without_votes).await;
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
        Some(Action::AskPerson) => {
            let note = ask_person(&out, &q, &app).await?;
            Some(note)
        }
    };
    answer_callback(&out, &q, note).await;
    Ok(())
}

/// "Ask a person" pressed under a no-match reply: post the question it
/// quotes (redacted, with a reference, without the asker) to the curators'
/// chat, and tell the asker. Returns the note for the button.
async fn ask_person(out: &Outbox, q: &CallbackQuery, app: &App) -> Result<&'static str, SendError> {
    let Some(desk) = app.desk.clone() else {
        return Ok(compose::HANDOFF_UNAVAILABLE);
    };
    let Some(message) = q.message.as_ref().and_then(|m| m.regular_message()) else {
        return Ok(compose::HANDOFF_NO_QUESTION);
    };
    if !message.chat.is_private() || !offered(q) {
        return Ok(compose::STALE_BUTTON);
    }
    let Some((asked, question)) = message
        .reply_to_message()
        .and_then(|m| Some((m.id, m.text()?.to_string())))
    else {
        return Ok(compose::HANDOFF_NO_QUESTION);
    };
    let chat = message.chat.id;
    let pressed = (chat.0, message.id.0);
    match desk.claim(q.from.id.0, pressed) {
        handoff::Allowed::Yes => {}
        handoff::Allowed::AlreadySent => return Ok(compose::HANDOFF_AGAIN),
        handoff::Allowed::TooMany => return Ok(compose::HANDOFF_TOO_MANY),
    }
    let question = crate::records::redact::redact(&question);
    let record = handoff::Handoff {
        chat: chat.0,
        message: asked.0,
        question: question.clone(),
        asked: chrono::Utc::now().timestamp(),
        answer: None,
    };
    let reference = match Book::call(&desk.book, move |b| b.create(&record)).await {
        Ok(reference) => reference,
        Err(err) => {
            tracing::error!(error = %err, "could not record a handoff");
            desk.release(q.from.id.0, pressed);
            return Ok(compose::HANDOFF_FAILED);
        }
    };
    let post = compose::handoff_post(&reference, &question, desk.days());
    if let Err(err) = send_reply(out, ChatId(desk.curators), &post, None).await {
        tracing::error!(
            error = %err,
            chat = desk.curators,
            "could not post a question to the curators' chat; is FAQBOT_CURATOR_CHAT right, and is the bot a member?"
        );
        desk.release(q.from.id.0, pressed);
        let gone = reference.clone();
        let _ = Book::call(&desk.book, move |b| b.remove(&gone)).await;
        return Ok(compose::HANDOFF_FAILED);
    }
    desk.record(&reference, HandoffEvent::Asked, Some(&question), None);
    tracing::info!(reference = %reference, "question handed to the curators");
    remove_buttons(out, q, compose::without_person).await;
    let told = compose::handed_off(&app.engine().faq().settings, &reference, desk.days());
    send_reply(out, chat, &told, None).await?;
    Ok(compose::HANDOFF_SENT)
}

/// Does `msg` belong to the curators' desk: a reply, in the curators'
/// chat, to one of the bot's handoff posts? Anything else there (and every
/// reply anywhere else) is handled as usual.
pub fn for_desk(msg: Message, me: Me, app: Arc<App>) -> bool {
    is_desk_reply(&msg, &me, &app)
}

/// [`for_desk`], borrowing.
pub fn is_desk_reply(msg: &Message, me: &Me, app: &App) -> bool {
    let Some(desk) = &app.desk else { return false };
    msg.chat.id.0 == desk.curators
        && !msg.from.as_ref().is_some_and(|u| u.is_bot)
        && msg.reply_to_message().is_some_and(|post| {
            post.from.as_ref().is_some_and(|u| u.id == me.user.id)
                && post.text().and_then(compose::post_reference).is_some()
        })
}

/// A curator replied to a handoff post: deliver the answer to the asker,
/// or with `/draft`, write a draft entry from it.
pub async fn desk_reply(out: Outbox, msg: Message, me: Me, app: Arc<App>) -> HandlerResult {
    let Some(desk) = app.desk.clone() else {
        return Ok(());
    };
    let Some(reference) = msg
        .reply_to_message()
        .and_then(|post| post.text())
        .and_then(compose::post_reference)
        .map(str::to_string)
    else {
        return Ok(());
    };
    let username = me.user.username.as_deref().unwrap_or_default();
    let text = msg.text().map(str::trim).unwrap_or_default();
    let draft = intent::draft_command(text, username);
    if draft.is_none() && text.starts_with('/') {
        // Another command in reply to a post is not an answer.
        return Ok(());
    }
    let now = chrono::Utc::now().timestamp();
    let wanted = reference.clone();
    let found = Book::call(&desk.book, move |b| b.get(&wanted, now)).await;
    let reply = match found {
        Err(err) => {
            tracing::error!(error = %err, "could not read the handoff book");
            compose::desk::draft_failed("the bot could not read its handoff book; see its log")
        }
        Ok(None) => compose::desk::expired(&reference, desk.days()),
        Ok(Some(handoff)) => match draft {
            Some(answer) => tokio::task::block_in_place(|| {
                write_draft(&app, &desk, &reference, &handoff, answer)
            }),
            None if text.is_empty() => compose::desk::text_only(),
            None => deliver(&out, &app, &desk, &reference, &handoff, text).await?,
        },
    };
    send_reply(&out, msg.chat.id, &reply, Some(msg.id)).await
}

/// Sends a curator's answer to the asker, quoting their question.
async fn deliver(
    out: &Outbox,
    app: &App,
    desk: &Arc<handoff::Desk>,
    reference: &str,
    handoff: &handoff::Handoff,
    text: &str,
) -> Result<Reply, SendError> {
    let answer = compose::person_answer(&app.engine().faq().settings, text);
    match send_reply(
        out,
        ChatId(handoff.chat),
        &answer,
        Some(MessageId(handoff.message)),
    )
    .await
    {
        Ok(()) => {}
        Err(SendError::Refused(err)) => {
            tracing::info!(error = %err, reference, "a curator's answer could not be delivered");
            return Ok(compose::desk::not_delivered(reference));
        }
        Err(err) => return Err(err),
    }
    let (wanted, given) = (reference.to_string(), text.to_string());
    if let Err(err) = Book::call(&desk.book, move |b| b.answered(&wanted, &given)).await {
        tracing::warn!(error = %err, "could not keep the answer for /draft");
    }
    desk.record(reference, HandoffEvent::Answered, None, None);
    tracing::info!(reference, "a curator's answer was delivered");
    Ok(compose::desk::delivered(reference))
}

/// `/draft [answer]`: a draft entry from the question and the answer given
/// (or the last one delivered), marked `needs-review`.
fn write_draft(
    app: &App,
    desk: &handoff::Desk,
    reference: &str,
    handoff: &handoff::Handoff,
    given: &str,
) -> Reply {
    let answer = Some(given)
        .filter(|a| !a.is_empty())
        .or(handoff.answer.as_deref());
    let engine = app.engine();
    match crate::curate::draft::from_handoff(
        &desk.drafts,
        &engine.faq().dir,
        &handoff.question,
        answer,
    ) {
        Ok(path) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            desk.record(reference, HandoffEvent::Drafted, None, Some(&name));
            tracing::info!(reference, draft = %path.display(), "draft written from a handoff");
            compose::desk::drafted(&path.display().to_string(), answer.is_some())
        }
        Err(err) => {
            tracing::error!(error = %err, "could not write a draft");
            compose::desk::draft_failed(&err.to_string())
        }
    }
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

/// Takes buttons off the message a button was pressed under: 👍 / 👎 after
/// a vote (one message, one vote), "Ask a person" after a handoff. Failing
/// to edit is harmless: the vote book and the desk refuse a second press
/// anyway. Inline messages carry only votes, so they lose every button.
async fn remove_buttons(
    out: &Outbox,
    q: &CallbackQuery,
    keep: fn(&InlineKeyboardMarkup) -> InlineKeyboardMarkup,
) {
    let bot = out.bot();
    let result = match (&q.message, &q.inline_message_id) {
        (Some(message), _) => {
            let left = message
                .regular_message()
                .and_then(|m| m.reply_markup())
                .map(keep)
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
        tracing::debug!(error = %err, "could not remove the pressed buttons");
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
    if query.is_empty() {
        return compose::inline_results(engine.faq(), Language::ENGLISH, &starters(engine));
    }
    // One reading for the list and for the unmatched log.
    let asked = Asked::new(&query, q.from.language_code.as_deref());
    let reading = engine.inline(asked, INLINE_RESULTS);
    match reading.outcome {
        // An emergency never gets a list of FAQ entries.
        Outcome::Urgent { reply, .. } => compose::urgent_inline(reply),
        outcome => {
            if let Outcome::NoMatch { nearest, .. } = outcome {
                let best = nearest.map(|n| (n.entry.id.clone(), n.score));
                note_inline_question(app, q.from.id.0, query, best, reading.language);
            }
            compose::inline_results(engine.faq(), reading.language, &reading.entries)
        }
    }
}

/// Logs an unmatched inline question once the user has stopped typing it.
fn note_inline_question(
    app: &Arc<App>,
    user: u64,
    query: String,
    best: Option<(String, f32)>,
    language: Language,
) {
    let ticket = app.typing(user);
    let app = Arc::clone(app);
    tokio::spawn(async move {
        tokio::time::sleep(app.inline_settle).await;
        if app.settled(user, ticket) {
            let best = best.as_ref().map(|(id, s)| (id.as_str(), *s));
            app.unmatched(&query, best, ChatKind::Inline, language);
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
    if let Some(Action::Answer(key, _)) = Action::decode(&r.result_id)
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
