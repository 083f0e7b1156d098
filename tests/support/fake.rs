//! A fake Telegram Bot API server on 127.0.0.1:0.
//!
//! It answers like Telegram where the bot could tell the difference: method
//! names in any case, full Message objects, `getUpdates` honouring `offset`
//! and holding an empty poll for its `timeout`, and 400s for HTML Telegram
//! would refuse, over-long text and bad callback data. Tests queue updates
//! (a user writing, pressing a button, typing inline), inject faults, and
//! wait for what the bot sent.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::html;

pub const TOKEN: &str = "4839574812:AAFD39kkdpWt3ywyRZergyOLMaJhac60qcQ";
pub const BOT_ID: i64 = 4839574812;
pub const BOT_USERNAME: &str = "RlsFaqBot";
/// Telegram's limit for one message, in UTF-16 code units after parsing.
pub const MESSAGE_LIMIT: usize = 4096;
/// How long `wait_for` waits before failing a test. Generous: the machine
/// is shared and slow at times; a passing test never waits this long. 90 s
/// was too close: at 60% send failures, 20 chats' 60 replies paced at one
/// a second per chat, with backoff, took 84 s alone and timed out in a CI
/// run busy with the other tests.
pub const PATIENCE: Duration = Duration::from_secs(180);

/// A fault to answer the next call of a method with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// 429 Too Many Requests with `retry_after`.
    RetryAfter(u32),
    /// The connection breaks before a response body arrives.
    Drop,
    /// 502 Bad Gateway.
    ServerError,
}

/// A message the bot sent (or edited).
#[derive(Debug, Clone)]
pub struct Sent {
    pub message_id: i64,
    pub chat_id: i64,
    /// As sent (HTML).
    pub html: String,
    /// As the reader sees it.
    pub text: String,
    pub reply_markup: Option<Value>,
    pub reply_to: Option<i64>,
    /// The user's message it quotes, as Telegram attaches it.
    pub quoted: Option<Value>,
    /// When the fake accepted it.
    pub at: std::time::Instant,
}

impl Sent {
    /// Every callback data under the message.
    pub fn buttons(&self) -> Vec<(String, String)> {
        buttons(self.reply_markup.as_ref())
    }
}

pub fn buttons(markup: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(rows) = markup.and_then(|m| m["inline_keyboard"].as_array()) {
        for button in rows.iter().filter_map(|r| r.as_array()).flatten() {
            out.push((
                button["text"].as_str().unwrap_or("").to_string(),
                button["callback_data"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

/// One API call as received.
#[derive(Debug, Clone)]
pub struct Call {
    /// Lower-case method name.
    pub method: String,
    pub body: Value,
}

#[derive(Default)]
pub struct Inner {
    updates: VecDeque<Value>,
    next_update: i64,
    next_message: i64,
    chats: HashMap<i64, Value>,
    pub sent: Vec<Sent>,
    pub calls: Vec<Call>,
    faults: HashMap<String, VecDeque<Fault>>,
    pub faults_served: Vec<(String, Fault)>,
    open_callbacks: HashSet<String>,
    pub answered_callbacks: Vec<Value>,
    open_inline: HashSet<String>,
    pub inline_answers: Vec<Value>,
    /// 400 replies the fake gave, so tests can assert there were none.
    pub rejections: Vec<(String, String)>,
    /// Methods failing on every call with this fault, until cleared.
    always: HashMap<String, Fault>,
    /// Methods failing at random: (share of calls, fault).
    random: HashMap<String, (f64, Fault)>,
    /// Every call breaks its connection until then (an outage).
    down_until: Option<tokio::time::Instant>,
    /// Calls refused by `always`, `random` or an outage.
    pub failed_calls: usize,
    /// The highest update id handed to the bot by `getUpdates`.
    pub delivered: i64,
    /// The highest `offset` the bot confirmed with.
    pub confirmed: i64,
    rng: u64,
    /// What users wrote, by message id, so a bot reply quoting one carries
    /// it as `reply_to_message`, as Telegram's do.
    said: HashMap<i64, Value>,
    /// Users' Telegram language settings ("en" unless set).
    languages: HashMap<i64, String>,
    /// Chats the bot is blocked in: sends there get 403.
    pub blocked: HashSet<i64>,
    /// Every update handed out, by id, so one can be sent again.
    handed_out: HashMap<i64, Value>,
    /// Updates to send again with the next `getUpdates`, whatever its
    /// offset (Telegram's at-least-once delivery).
    again: VecDeque<Value>,
}

#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
}

pub struct FakeTelegram {
    pub url: String,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        let shared = Shared {
            inner: Arc::new(Mutex::new(Inner {
                next_update: 1,
                next_message: 1000,
                rng: 0x9E37_79B9_7F4A_7C15,
                ..Inner::default()
            })),
            changed: Arc::new(Notify::new()),
        };
        let app = Router::new()
            .route("/{bot}/{method}", axum::routing::post(api).get(api))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeTelegram {
            url,
            shared,
            server,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let out = f(&mut self.shared.inner.lock().unwrap());
        self.shared.changed.notify_waiters();
        out
    }

    /// Looks at the state.
    pub fn read<T>(&self, f: impl FnOnce(&Inner) -> T) -> T {
        f(&self.shared.inner.lock().unwrap())
    }

    /// Waits until `f` finds something, failing the test after [`PATIENCE`].
    /// Waits until every one of `chats` has been sent something.
    pub async fn wait_every_chat_answered(&self, chats: &[i64]) {
        self.wait_for("every chat answered", |s| {
            chats
                .iter()
                .all(|c| s.sent.iter().any(|m| m.chat_id == *c))
                .then_some(())
        })
        .await
    }

    /// The bot's answer to inline query `id`.
    pub async fn wait_inline_answer(&self, id: &str) -> Value {
        self.wait_for("an inline answer", |s| {
            s.inline_answers
                .iter()
                .find(|a| a["inline_query_id"] == id)
                .cloned()
        })
        .await
    }

    pub async fn wait_for<T>(&self, what: &str, f: impl Fn(&Inner) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let notified = self.shared.changed.notified();
            if let Some(found) = self.read(&f) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let sent = self.read(|s| {
                    s.sent
                        .iter()
                        .map(|m| format!("{}: {:?}", m.chat_id, m.text))
                        .collect::<Vec<_>>()
                });
                panic!("timed out waiting for {what}; sent so far: {sent:#?}");
            }
        }
    }

    /// The most messages accepted within any one second, and the shortest
    /// gap between two messages to one chat.
    pub fn send_rhythm(&self) -> (usize, Duration) {
        self.read(|s| {
            let mut most = 0;
            let mut gap = Duration::MAX;
            for (i, m) in s.sent.iter().enumerate() {
                let within = s.sent[i..]
                    .iter()
                    .take_while(|n| n.at.duration_since(m.at) < Duration::from_secs(1))
                    .count();
                most = most.max(within);
                if let Some(next) = s.sent[i + 1..].iter().find(|n| n.chat_id == m.chat_id) {
                    gap = gap.min(next.at.duration_since(m.at));
                }
            }
            (most, gap)
        })
    }

    /// Messages sent to `chat`, oldest first.
    pub fn sent_to(&self, chat: i64) -> Vec<Sent> {
        self.read(|s| {
            s.sent
                .iter()
                .filter(|m| m.chat_id == chat)
                .cloned()
                .collect()
        })
    }

    /// Waits until `chat` has received at least `n` messages; returns them.
    pub async fn wait_sent(&self, chat: i64, n: usize) -> Vec<Sent> {
        self.wait_for(&format!("{n} message(s) to chat {chat}"), |s| {
            let sent: Vec<Sent> = s
                .sent
                .iter()
                .filter(|m| m.chat_id == chat)
                .cloned()
                .collect();
            (sent.len() >= n).then_some(sent)
        })
        .await
    }

    /// Calls of `method` (any case), oldest first.
    pub fn calls(&self, method: &str) -> Vec<Value> {
        let method = method.to_ascii_lowercase();
        self.read(|s| {
            s.calls
                .iter()
                .filter(|c| c.method == method)
                .map(|c| c.body.clone())
                .collect()
        })
    }

    /// Answers the next call of `method` with `fault` (queued in order).
    pub fn fail_next(&self, method: &str, fault: Fault) {
        self.with(|s| {
            s.faults
                .entry(method.to_ascii_lowercase())
                .or_default()
                .push_back(fault)
        });
    }

    pub fn private_chat(&self, user: i64) -> i64 {
        self.with(|s| {
            s.chats.insert(
                user,
                json!({"id": user, "type": "private", "first_name": format!("User{user}"), "username": format!("user{user}")}),
            )
        });
        user
    }

    /// The user of private chat `chat` blocks the bot: sends there get 403.
    pub fn block(&self, chat: i64) {
        self.with(|s| s.blocked.insert(chat));
    }

    pub fn group_chat(&self, id: i64) -> i64 {
        assert!(id < 0, "group ids are negative");
        self.with(|s| {
            s.chats.insert(
                id,
                json!({"id": id, "type": "supergroup", "title": "RLS support group"}),
            )
        });
        id
    }

    /// User `id` has their Telegram set to `code` ("es").
    pub fn set_language(&self, id: i64, code: &str) {
        self.with(|s| s.languages.insert(id, code.to_string()));
    }

    fn user(s: &Inner, id: i64) -> Value {
        let code = s.languages.get(&id).map_or("en", String::as_str);
        json!({"id": id, "is_bot": false, "first_name": format!("User{id}"), "username": format!("user{id}"), "language_code": code})
    }

    fn bot_user() -> Value {
        json!({"id": BOT_ID, "is_bot": true, "first_name": "RLS FAQ", "username": BOT_USERNAME})
    }

    fn push_update(s: &mut Inner, kind: &str, payload: Value) -> i64 {
        let id = s.next_update;
        s.next_update += 1;
        s.updates.push_back(json!({"update_id": id, kind: payload}));
        id
    }

    fn new_message(s: &mut Inner, chat: i64, from: i64, fields: Value) -> Value {
        s.next_message += 1;
        let mut msg = json!({
            "message_id": s.next_message,
            "from": Self::user(s, from),
            "chat": s.chats.get(&chat).cloned().unwrap_or_else(|| panic!("unknown chat {chat}")),
            "date": now(),
        });
        if let (Some(msg), Some(fields)) = (msg.as_object_mut(), fields.as_object()) {
            for (k, v) in fields {
                msg.insert(k.clone(), v.clone());
            }
        }
        let mut plain = msg.clone();
        if let Some(plain) = plain.as_object_mut() {
            // Telegram never nests a reply inside a quoted reply.
            plain.remove("reply_to_message");
        }
        s.said.insert(s.next_message, plain);
        msg
    }

    /// `from` writes `text` in `chat`; returns the message id.
    pub fn user_says(&self, chat: i64, from: i64, text: &str) -> i64 {
        self.with(|s| {
            let entities = command_entities(text);
            let mut fields = json!({"text": text});
            if !entities.is_empty() {
                fields["entities"] = json!(entities);
            }
            let msg = Self::new_message(s, chat, from, fields);
            let id = msg["message_id"].as_i64().unwrap();
            Self::push_update(s, "message", msg);
            id
        })
    }

    /// `from` replies to the bot's message `to` with `text`.
    pub fn user_replies(&self, chat: i64, from: i64, to: i64, text: &str) -> i64 {
        self.with(|s| {
            let original = s
                .sent
                .iter()
                .find(|m| m.message_id == to)
                .map(|m| {
                    json!({"message_id": m.message_id, "from": Self::bot_user(), "chat": s.chats[&chat], "date": now(), "text": m.text})
                })
                .expect("replying to a message the bot sent");
            let msg = Self::new_message(s, chat, from, json!({"text": text, "reply_to_message": original}));
            let id = msg["message_id"].as_i64().unwrap();
            Self::push_update(s, "message", msg);
            id
        })
    }

    /// `from` edits their message `id` to say `text`.
    pub fn user_edits(&self, chat: i64, from: i64, id: i64, text: &str) {
        self.with(|s| {
            let mut msg =
                Self::new_message(s, chat, from, json!({"text": text, "edit_date": now()}));
            msg["message_id"] = json!(id);
            Self::push_update(s, "edited_message", msg);
        });
    }

    /// `from` sends a sticker.
    pub fn user_sends_sticker(&self, chat: i64, from: i64) {
        self.with(|s| {
            let sticker = json!({"file_id": "CAACAgIAAxkBAAEBsticker", "file_unique_id": "AgADsticker", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "🦵"});
            let msg = Self::new_message(s, chat, from, json!({"sticker": sticker}));
            Self::push_update(s, "message", msg);
        });
    }

    /// `from` sends a photo.
    pub fn user_sends_photo(&self, chat: i64, from: i64) {
        self.with(|s| {
            let photo = json!([{"file_id": "AgACAgIphoto", "file_unique_id": "AQADphoto", "width": 90, "height": 90, "file_size": 1000}]);
            let msg = Self::new_message(s, chat, from, json!({"photo": photo}));
            Self::push_update(s, "message", msg);
        });
    }

    /// `from` presses the button with `data` under the bot's message `on`;
    /// returns the callback query id.
    pub fn user_presses(&self, chat: i64, from: i64, on: i64, data: &str) -> String {
        self.with(|s| {
            let sent = s
                .sent
                .iter()
                .rev()
                .find(|m| m.message_id == on)
                .cloned()
                .expect("pressing a button on a message the bot sent");
            let mut message = json!({"message_id": on, "from": Self::bot_user(), "chat": s.chats[&chat], "date": now(), "text": sent.text});
            if let Some(markup) = &sent.reply_markup {
                message["reply_markup"] = markup.clone();
            }
            if let Some(quoted) = &sent.quoted {
                message["reply_to_message"] = quoted.clone();
            }
            let id = format!("cb{}", s.next_update);
            s.open_callbacks.insert(id.clone());
            Self::push_update(
                s,
                "callback_query",
                json!({"id": id, "from": Self::user(s, from), "message": message, "chat_instance": "ci1", "data": data}),
            );
            id
        })
    }

    /// `from` presses a button under a message sent through inline mode.
    pub fn user_presses_inline(&self, from: i64, inline_message_id: &str, data: &str) -> String {
        self.with(|s| {
            let id = format!("cb{}", s.next_update);
            s.open_callbacks.insert(id.clone());
            Self::push_update(
                s,
                "callback_query",
                json!({"id": id, "from": Self::user(s, from), "inline_message_id": inline_message_id, "chat_instance": "ci2", "data": data}),
            );
            id
        })
    }

    /// `from` types `@bot <query>` somewhere; returns the inline query id.
    pub fn user_types_inline(&self, from: i64, query: &str) -> String {
        self.with(|s| {
            let id = format!("iq{}", s.next_update);
            s.open_inline.insert(id.clone());
            Self::push_update(
                s,
                "inline_query",
                json!({"id": id, "from": Self::user(s, from), "query": query, "offset": "", "chat_type": "sender"}),
            );
            id
        })
    }

    /// `from` picked the inline result `result_id` (reported when inline
    /// feedback is on).
    pub fn user_chooses_inline(&self, from: i64, result_id: &str, query: &str) {
        self.with(|s| {
            Self::push_update(
                s,
                "chosen_inline_result",
                json!({"result_id": result_id, "from": Self::user(s, from), "inline_message_id": "inline-msg-9", "query": query}),
            );
        });
    }

    /// Every call of `method` fails with `fault` until [`Self::heal`].
    pub fn fail_always(&self, method: &str, fault: Fault) {
        self.with(|s| s.always.insert(method.to_ascii_lowercase(), fault));
    }

    /// About `share` of the calls of `method` fail with `fault` (from a
    /// fixed-seed generator, so runs repeat).
    pub fn fail_randomly(&self, method: &str, share: f64, fault: Fault) {
        self.with(|s| s.random.insert(method.to_ascii_lowercase(), (share, fault)));
    }

    /// Every call of every method breaks its connection for `time`.
    pub fn outage(&self, time: Duration) {
        self.with(|s| s.down_until = Some(tokio::time::Instant::now() + time));
    }

    /// Ends `fail_always`, `fail_randomly` and any outage.
    pub fn heal(&self) {
        self.with(|s| {
            s.always.clear();
            s.random.clear();
            s.down_until = None;
        });
    }

    /// Queues an update exactly as given (for malformed ones); returns its id.
    pub fn push_raw_update(&self, kind: &str, payload: Value) -> i64 {
        self.with(|s| Self::push_update(s, kind, payload))
    }

    /// Waits until the bot has fetched update `id` and confirmed it (asked
    /// for a later offset): Telegram would never send it again.
    pub async fn wait_confirmed(&self, id: i64) {
        self.wait_for(&format!("update {id} confirmed"), |s| {
            (s.confirmed > id).then_some(())
        })
        .await
    }

    /// The id of the update queued last.
    pub fn last_update(&self) -> i64 {
        self.read(|s| s.next_update - 1)
    }

    /// Telegram starts update ids again at `from` (after a week without
    /// updates it picks the next id at random; a new token starts a new
    /// sequence). As Telegram does, an `offset` beyond every id of the new
    /// sequence confirms nothing: the new updates keep coming until the
    /// bot asks for an offset inside the sequence.
    pub fn restart_ids(&self, from: i64) {
        self.with(|s| s.next_update = from);
    }

    /// Sends update `id` (handed out before) once more with the next poll,
    /// whatever offset the bot asks for.
    pub fn deliver_again(&self, id: i64) {
        self.with(|s| {
            let update = s
                .handed_out
                .get(&id)
                .cloned()
                .expect("an update handed out before");
            s.again.push_back(update);
        });
    }

    /// Updates not yet confirmed by the bot (through `offset`).
    pub fn pending_updates(&self) -> usize {
        self.read(|s| s.updates.len())
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Telegram marks a leading `/command` with a `bot_command` entity.
fn command_entities(text: &str) -> Vec<Value> {
    if !text.starts_with('/') {
        return Vec::new();
    }
    let len: usize = text
        .split_whitespace()
        .next()
        .map_or(0, |w| w.encode_utf16().count());
    vec![json!({"type": "bot_command", "offset": 0, "length": len})]
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn error(code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        axum::Json(json!({"ok": false, "error_code": code, "description": description})),
    )
        .into_response()
}

fn bad_request(s: &mut Inner, method: &str, description: String) -> Response {
    s.rejections.push((method.to_string(), description.clone()));
    error(400, &format!("Bad Request: {description}"))
}

async fn api(
    State(shared): State<Shared>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let response = handle(&shared, &bot, &method, &body).await;
    shared.changed.notify_waiters();
    response
}

async fn handle(shared: &Shared, bot: &str, method: &str, body: &[u8]) -> Response {
    if bot.strip_prefix("bot") != Some(TOKEN) {
        return error(401, "Unauthorized");
    }
    let method = method.to_ascii_lowercase();
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => return error(400, "Bad Request: invalid JSON"),
        }
    };
    let fault = {
        let mut s = shared.inner.lock().unwrap();
        s.calls.push(Call {
            method: method.clone(),
            body: body.clone(),
        });
        let mut fault = s.faults.get_mut(&method).and_then(|q| q.pop_front());
        if let Some(fault) = fault {
            s.faults_served.push((method.clone(), fault));
        }
        if fault.is_none() {
            let down = s
                .down_until
                .is_some_and(|until| tokio::time::Instant::now() < until);
            let random = s.random.get(&method).copied();
            fault = if down {
                Some(Fault::Drop)
            } else if let Some(always) = s.always.get(&method) {
                Some(*always)
            } else if let Some((share, random)) = random {
                // xorshift64
                s.rng ^= s.rng << 13;
                s.rng ^= s.rng >> 7;
                s.rng ^= s.rng << 17;
                let draw = (s.rng >> 11) as f64 / (1u64 << 53) as f64;
                (draw < share).then_some(random)
            } else {
                None
            };
            if fault.is_some() {
                s.failed_calls += 1;
            }
        }
        fault
    };
    match fault {
        Some(Fault::RetryAfter(secs)) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {secs}"), "parameters": {"retry_after": secs}})),
            )
                .into_response();
        }
        Some(Fault::ServerError) => return error(502, "Bad Gateway"),
        Some(Fault::Drop) => {
            let broken = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped"))
            });
            return Response::new(Body::from_stream(broken));
        }
        None => {}
    }
    if method == "getupdates" {
        return get_updates(shared, &body).await;
    }
    let mut s = shared.inner.lock().unwrap();
    match method.as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "RLS FAQ", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": true, "can_connect_to_business": false, "has_main_web_app": false
        })),
        "getwebhookinfo" => {
            ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "deletewebhook" | "setmycommands" | "setmydescription" | "setmyshortdescription" => {
            ok(json!(true))
        }
        "sendmessage" => send_message(&mut s, &body),
        "editmessagetext" => edit_message(&mut s, &body, true),
        "editmessagereplymarkup" => edit_message(&mut s, &body, false),
        "answercallbackquery" => {
            let id = body["callback_query_id"].as_str().unwrap_or("").to_string();
            if !s.open_callbacks.remove(&id) {
                return bad_request(
                    &mut s,
                    &method,
                    "query is too old and response timeout expired or query ID is invalid".into(),
                );
            }
            s.answered_callbacks.push(body);
            ok(json!(true))
        }
        "answerinlinequery" => {
            let id = body["inline_query_id"].as_str().unwrap_or("").to_string();
            if !s.open_inline.remove(&id) {
                return bad_request(
                    &mut s,
                    &method,
                    "query is too old and response timeout expired or query ID is invalid".into(),
                );
            }
            if let Err(e) = check_inline_results(&body["results"]) {
                return bad_request(&mut s, &method, e);
            }
            s.inline_answers.push(body);
            ok(json!(true))
        }
        _ => error(404, "Not Found"),
    }
}

async fn get_updates(shared: &Shared, body: &Value) -> Response {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let timeout = body["timeout"].as_u64().unwrap_or(0).min(50);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = shared.changed.notified();
        {
            let mut s = shared.inner.lock().unwrap();
            // `offset` confirms every update before it, unless it lies past
            // every id of the current sequence (ids restarted lower).
            if offset <= s.next_update {
                s.confirmed = s.confirmed.max(offset);
                while s
                    .updates
                    .front()
                    .is_some_and(|u| u["update_id"].as_i64().unwrap_or(0) < offset)
                {
                    s.updates.pop_front();
                }
            }
            if !s.updates.is_empty() || !s.again.is_empty() || timeout == 0 {
                let mut batch: Vec<Value> = s.again.drain(..).collect();
                batch.extend(s.updates.iter().take(limit).cloned());
                for update in &batch {
                    let id = update["update_id"].as_i64().unwrap_or(0);
                    s.delivered = s.delivered.max(id);
                    s.handed_out.insert(id, update.clone());
                }
                return ok(json!(batch));
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}

/// The text as the reader sees it, or Telegram's 400.
fn check_text(body: &Value) -> Result<(String, String), String> {
    let html = body["text"].as_str().unwrap_or("").to_string();
    let visible = match body["parse_mode"].as_str() {
        Some(mode) if mode.eq_ignore_ascii_case("html") => {
            html::parse(&html).map_err(|e| format!("can't parse entities: {e}"))?
        }
        Some(other) => return Err(format!("unsupported parse_mode {other}")),
        None => html.clone(),
    };
    if visible.trim().is_empty() {
        return Err("message text is empty".into());
    }
    if visible.encode_utf16().count() > MESSAGE_LIMIT {
        return Err("message is too long".into());
    }
    Ok((html, visible))
}

fn check_markup(markup: &Value) -> Result<(), String> {
    if markup.is_null() {
        return Ok(());
    }
    let rows = markup["inline_keyboard"]
        .as_array()
        .ok_or("reply markup is not an inline keyboard")?;
    for button in rows.iter().filter_map(|r| r.as_array()).flatten() {
        if button["text"].as_str().unwrap_or("").is_empty() {
            return Err("BUTTON_TEXT_EMPTY".into());
        }
        if let Some(data) = button.get("callback_data") {
            let len = data.as_str().map_or(0, str::len);
            if !(1..=64).contains(&len) {
                return Err("BUTTON_DATA_INVALID".into());
            }
        }
    }
    Ok(())
}

fn check_inline_results(results: &Value) -> Result<(), String> {
    let results = results.as_array().ok_or("results must be an array")?;
    let mut ids = HashSet::new();
    for r in results {
        let id = r["id"].as_str().unwrap_or("");
        if !(1..=64).contains(&id.len()) || !ids.insert(id.to_string()) {
            return Err("RESULT_ID_INVALID".into());
        }
        let content = &r["input_message_content"];
        check_text(&json!({"text": content["message_text"], "parse_mode": content["parse_mode"]}))?;
        check_markup(&r["reply_markup"])?;
    }
    Ok(())
}

fn send_message(s: &mut Inner, body: &Value) -> Response {
    let chat_id = body["chat_id"].as_i64().unwrap_or(0);
    let Some(chat) = s.chats.get(&chat_id).cloned() else {
        return bad_request(s, "sendmessage", "chat not found".into());
    };
    if s.blocked.contains(&chat_id) {
        return error(403, "Forbidden: bot was blocked by the user");
    }
    let (html, text) = match check_text(body) {
        Ok(t) => t,
        Err(e) => return bad_request(s, "sendmessage", e),
    };
    if let Err(e) = check_markup(&body["reply_markup"]) {
        return bad_request(s, "sendmessage", e);
    }
    s.next_message += 1;
    let message_id = s.next_message;
    let reply_markup = (!body["reply_markup"].is_null()).then(|| body["reply_markup"].clone());
    let reply_to = body["reply_parameters"]["message_id"].as_i64();
    let quoted = reply_to
        .and_then(|id| s.said.get(&id))
        .filter(|m| m["chat"]["id"].as_i64() == Some(chat_id))
        .cloned();
    s.sent.push(Sent {
        message_id,
        chat_id,
        html,
        text: text.clone(),
        reply_markup: reply_markup.clone(),
        reply_to,
        quoted: quoted.clone(),
        at: std::time::Instant::now(),
    });
    let mut msg = json!({
        "message_id": message_id, "from": FakeTelegram::bot_user(), "chat": chat, "date": now(), "text": text
    });
    if let Some(quoted) = quoted {
        msg["reply_to_message"] = quoted;
    }
    if let Some(markup) = reply_markup {
        msg["reply_markup"] = markup;
    }
    ok(msg)
}

fn edit_message(s: &mut Inner, body: &Value, text: bool) -> Response {
    let method = if text {
        "editmessagetext"
    } else {
        "editmessagereplymarkup"
    };
    if let Err(e) = check_markup(&body["reply_markup"]) {
        return bad_request(s, method, e);
    }
    if body["inline_message_id"].is_string() {
        return ok(json!(true));
    }
    let chat_id = body["chat_id"].as_i64().unwrap_or(0);
    let id = body["message_id"].as_i64().unwrap_or(0);
    let checked = if text { Some(check_text(body)) } else { None };
    let Some(pos) = s
        .sent
        .iter()
        .rposition(|m| m.chat_id == chat_id && m.message_id == id)
    else {
        return bad_request(s, method, "message to edit not found".into());
    };
    let mut edited = s.sent[pos].clone();
    if let Some(checked) = checked {
        match checked {
            Ok((html, visible)) => {
                edited.html = html;
                edited.text = visible;
            }
            Err(e) => return bad_request(s, method, e),
        }
    }
    let markup = (!body["reply_markup"].is_null()).then(|| body["reply_markup"].clone());
    if edited.html == s.sent[pos].html && markup == s.sent[pos].reply_markup {
        return bad_request(s, method, "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message".into());
    }
    edited.reply_markup = markup;
    s.sent[pos] = edited.clone();
    let mut msg = json!({
        "message_id": id, "from": FakeTelegram::bot_user(), "chat": s.chats[&chat_id], "date": now(),
        "edit_date": now(), "text": edited.text
    });
    if let Some(markup) = edited.reply_markup {
        msg["reply_markup"] = markup;
    }
    ok(msg)
}
