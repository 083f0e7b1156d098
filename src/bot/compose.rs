//! Everything the bot says: wording, Telegram HTML and buttons.
//!
//! Pure functions from content to replies, so the whole conversation can be
//! read and tested without Telegram. Every character that came from a user
//! or a curator goes through [`escape`] or the Markdown renderer, which
//! escapes too: Telegram rejects a message with a stray `<` or `&`, and a
//! question quoted back must never turn into markup.

use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardButtonKind, InlineKeyboardMarkup, InlineQueryResult,
    InlineQueryResultArticle, InputMessageContent, InputMessageContentText, ParseMode,
};

use super::callback::{Action, EntryKey};
use super::html::{escape, from_markdown};
use super::split::{MESSAGE_LIMIT, split_html, visible_len};
use crate::analysis::language::Language;
use crate::content::{Entry, Faq, Settings};
use crate::markdown::to_plain;
use crate::records::usage::Vote;

/// At most this many "see also" / "did you mean" buttons under a reply.
pub const MAX_OTHERS: usize = 4;
/// Entries per page of `/topics`.
pub const TOPICS_PER_PAGE: usize = 8;
/// Button labels longer than this are shortened: Telegram cuts them anyway,
/// and a long label hides the ones beside it.
const BUTTON_CHARS: usize = 60;

/// A reply: one or more messages (Telegram HTML), the keyboard going under
/// the last one.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub parts: Vec<String>,
    pub keyboard: Option<InlineKeyboardMarkup>,
}

impl Reply {
    /// A reply split into messages that each fit Telegram's limit.
    fn new(html: &str, keyboard: Option<InlineKeyboardMarkup>) -> Reply {
        Reply {
            parts: split_html(html, MESSAGE_LIMIT),
            keyboard,
        }
    }
}

/// An answer: the question as a title, the answer, the disclaimer; buttons
/// for other entries worth a look, and 👍 / 👎.
pub fn answer(faq: &Faq, entry: &Entry, suggestions: &[&Entry]) -> Reply {
    answer_in(faq, Language::ENGLISH, entry, suggestions)
}

/// [`answer`] to a message in `language`: the curators' translation with
/// that language's footer when there is one, else the English answer with
/// the footer saying so (see [`Settings::in_language`]). Its buttons
/// answer in the same language.
pub fn answer_in(faq: &Faq, language: Language, entry: &Entry, suggestions: &[&Entry]) -> Reply {
    let others = others(faq, entry, suggestions);
    let mut rows = entry_rows(faq, language, &others);
    rows.push(vote_row(entry));
    Reply::new(
        &answer_html(faq, language, entry, true),
        Some(InlineKeyboardMarkup::new(rows)),
    )
}

/// An answer's text in `language` (see [`answer_in`]). With `title`, the
/// question leads in bold, so that an answer reached through a button says
/// which question it answers.
pub fn answer_html(faq: &Faq, language: Language, entry: &Entry, title: bool) -> String {
    let text = faq.in_language(entry, language);
    let settings = faq.sent_with(&text, language);
    let mut html = String::new();
    if title {
        html.push_str(&format!("<b>{}</b>\n\n", escape(text.question)));
    }
    html.push_str(&from_markdown(text.answer));
    html.push_str("\n\n");
    html.push_str(&footer_html(&settings));
    html
}

/// The disclaimer footer: the disclaimer in an expandable block quote, so
/// it is set apart from the answer and stays folded until tapped, and
/// the emergency line below it, outside the quote, so it is never folded
/// away.
pub fn footer_html(settings: &Settings) -> String {
    let footer = settings.footer.trim();
    let line = settings.emergency_line.trim();
    let disclaimer = footer.strip_suffix(line).unwrap_or(footer).trim_end();
    match (
        disclaimer.is_empty(),
        footer.ends_with(line) && !line.is_empty(),
    ) {
        (false, true) => format!(
            "<blockquote expandable>{}</blockquote>\n{}",
            escape(disclaimer),
            escape(line)
        ),
        (false, false) => format!("<blockquote expandable>{}</blockquote>", escape(footer)),
        (true, _) => escape(footer),
    }
}

/// Related entries first, then the matcher's runners-up; never the answer
/// itself, never twice.
pub fn others<'a>(faq: &'a Faq, entry: &Entry, suggestions: &[&'a Entry]) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = Vec::new();
    let related = entry.related.iter().filter_map(|id| faq.get(id));
    for other in related.chain(suggestions.iter().copied()) {
        if other.id != entry.id && !out.iter().any(|o| o.id == other.id) {
            out.push(other);
        }
    }
    out.truncate(MAX_OTHERS);
    out
}

/// The honest reply to a question without a good answer, with "did you
/// mean" buttons when some entries came close, and an "Ask a person"
/// button when a curators' chat is set (`ask_person`). The emergency line
/// comes right after the apology, above the buttons.
pub fn no_match(faq: &Faq, language: Language, suggestions: &[&Entry], ask_person: bool) -> Reply {
    let settings = faq.settings.in_language(language);
    let mut html = escape(&settings.no_match);
    html.push_str("\n\n");
    html.push_str(&escape(&settings.emergency_line));
    let mut rows = Vec::new();
    if !suggestions.is_empty() {
        html.push_str(&format!("\n\n<b>{}</b>", escape(&settings.did_you_mean)));
        let shown: Vec<&Entry> = suggestions.iter().copied().take(MAX_OTHERS).collect();
        rows = entry_rows(faq, language, &shown);
    }
    if ask_person {
        html.push_str(ASK_PERSON_HINT);
        rows.push(vec![button(ASK_PERSON, Action::AskPerson)]);
    }
    let keyboard = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    Reply::new(&html, keyboard)
}

/// Two entries fit equally well: ask which, with a button for each (the
/// emergency line before them, as in the no-match reply).
pub fn choose(faq: &Faq, language: Language, entries: &[&Entry]) -> Reply {
    let settings = faq.settings.in_language(language);
    let html = format!(
        "{}\n\n{}",
        escape(&settings.choose),
        escape(&settings.emergency_line)
    );
    let shown: Vec<&Entry> = entries.iter().copied().take(MAX_OTHERS).collect();
    Reply::new(
        &html,
        Some(InlineKeyboardMarkup::new(entry_rows(faq, language, &shown))),
    )
}

/// The "Ask a person" button's label.
pub const ASK_PERSON: &str = "🙋 Ask a person";
const ASK_PERSON_HINT: &str = "\n\nOr tap <b>Ask a person</b> to send your question to the volunteers who write this FAQ. They see only the question, not your name or account.";

/// How a handoff post in the curators' chat begins (in HTML; as text it
/// reads "🙋 Question #K7Q2FA"). Only replies to posts that begin so are
/// answers: the bot's notes there mention references too.
const POST_MARK: &str = "🙋 <b>Question #";

/// The reference of a handoff post, from the post's text as Telegram
/// shows it; None for any other message.
pub fn post_reference(text: &str) -> Option<&str> {
    text.strip_prefix("🙋 Question #")
        .and_then(super::handoff::reference_at)
}

/// The post in the curators' chat: the question (redacted) and its
/// reference, never who asked.
pub fn handoff_post(reference: &str, question: &str, days: i64) -> Reply {
    Reply::new(
        &format!(
            "{POST_MARK}{reference}</b>, which the FAQ could not answer:\n\n<blockquote>{}</blockquote>\n\n<b>Reply to this message</b> to answer: your reply goes to the asker, marked as from a person on the team, with the disclaimer. Reply <code>/draft</code> to turn the question and your answer into a draft entry (answers must still come from the source articles). The asker's name and account are not shared; the link to them is kept {days} {}.",
            escape(question),
            if days == 1 { "day" } else { "days" }
        ),
        None,
    )
}

/// What the asker is told once their question reached the curators.
pub fn handed_off(settings: &Settings, reference: &str, days: i64) -> Reply {
    Reply::new(
        &format!(
            "I've sent your question to the team (reference #{reference}). They are volunteers, not your doctor, and may take a while; if someone answers within {days} {}, their reply will appear here.\n\n{}",
            if days == 1 { "day" } else { "days" },
            escape(&settings.emergency_line)
        ),
        None,
    )
}

/// A curator's answer as the asker receives it: clearly from a person,
/// with the disclaimer.
pub fn person_answer(settings: &Settings, text: &str) -> Reply {
    Reply::new(
        &format!(
            "👤 <b>A person on the FAQ team answered your question:</b>\n\n{}\n\n{}",
            escape(text.trim()),
            footer_html(settings)
        ),
        None,
    )
}

/// Notes in the curators' chat, replying to a curator.
pub mod desk {
    use super::Reply;
    use crate::bot::html::escape;

    pub fn delivered(reference: &str) -> Reply {
        Reply::new(&format!("✅ Delivered to the asker of #{reference}."), None)
    }

    pub fn expired(reference: &str, days: i64) -> Reply {
        Reply::new(
            &format!(
                "⌛ #{reference} can no longer be answered: questions are kept {days} {} and this one is past that (or unknown). Nothing was sent.",
                if days == 1 { "day" } else { "days" }
            ),
            None,
        )
    }

    pub fn not_delivered(reference: &str) -> Reply {
        Reply::new(
            &format!(
                "⚠️ Could not deliver the answer to #{reference}: the asker has blocked the bot or deleted the chat."
            ),
            None,
        )
    }

    pub fn text_only() -> Reply {
        Reply::new(
            "Only text can be passed on to the asker: reply with your answer as a message, or <code>/draft</code> to make a draft entry.",
            None,
        )
    }

    pub fn drafted(path: &str, answered: bool) -> Reply {
        let answer = if answered {
            "with your answer"
        } else {
            "with a placeholder answer (nobody has answered yet; or write <code>/draft your answer</code>)"
        };
        Reply::new(
            &format!(
                "📝 Draft written: <code>{}</code>, {answer}. It is marked <code>status: needs-review</code>, so <code>faqbot check</code> flags it: check every fact against the source articles, delete the status line, then move it into the FAQ folder.",
                escape(path)
            ),
            None,
        )
    }

    pub fn draft_failed(reason: &str) -> Reply {
        Reply::new(
            &format!("⚠️ No draft was written: {}", escape(reason)),
            None,
        )
    }
}

/// Shown briefly when "Ask a person" was pressed.
pub const HANDOFF_SENT: &str = "Sent to the team.";
pub const HANDOFF_AGAIN: &str = "This question was already sent to the team.";
pub const HANDOFF_TOO_MANY: &str = "You have sent several questions to the team in the last hour. Please wait a while before sending another.";
pub const HANDOFF_NO_QUESTION: &str =
    "I can no longer see your question. Please send it again, then tap Ask a person.";
pub const HANDOFF_UNAVAILABLE: &str = "Asking a person is not available right now.";
pub const HANDOFF_FAILED: &str =
    "Sorry, I could not reach the team just now. Please try again later.";

/// `/start`: what the bot is, that it is not a doctor, what to ask.
pub fn start(settings: &Settings, username: &str, private: bool) -> Reply {
    let mut html = escape(&settings.greeting);
    if !settings.examples.is_empty() {
        html.push_str("\n\n<b>You can ask things like:</b>");
        for example in &settings.examples {
            html.push_str("\n• ");
            html.push_str(&escape(example));
        }
    }
    html.push_str("\n\n");
    html.push_str(&how_to_ask(username, private));
    html.push_str("\n\n");
    html.push_str(&footer_html(settings));
    Reply::new(&html, None)
}

/// `/help`: how to ask, here and elsewhere.
pub fn help(settings: &Settings, username: &str, private: bool) -> Reply {
    let mut html = how_to_ask(username, private);
    if let Some(example) = settings.examples.first() {
        html.push_str(&format!("\n\nFor example: <i>{}</i>", escape(example)));
    }
    html.push_str(
        "\n\nI answer from a fixed FAQ written by volunteers. I'm a bot, not a doctor: for advice about your own health, talk to your doctor or pharmacist.",
    );
    Reply::new(&html, None)
}

fn how_to_ask(username: &str, private: bool) -> String {
    let user = escape(username);
    let here = if private {
        "Send me a question in your own words and I'll reply with the answer from the FAQ."
            .to_string()
    } else {
        format!(
            "In this group, ask with <code>/ask your question</code>, mention @{user}, or reply to one of my messages."
        )
    };
    format!(
        "{here}\n\n/topics shows everything I can answer. In any other chat, type <code>@{user} your question</code> to share an answer."
    )
}

/// One page of `/topics`: a button per entry, and arrows between pages.
/// A page number past the end shows the last page.
pub fn topics(faq: &Faq, page: usize) -> Reply {
    let mut entries: Vec<&Entry> = faq.entries.iter().collect();
    entries.sort_by_key(|e| e.question.to_lowercase());
    let pages = entries.len().div_ceil(TOPICS_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let shown: Vec<&Entry> = entries
        .iter()
        .copied()
        .skip(page * TOPICS_PER_PAGE)
        .take(TOPICS_PER_PAGE)
        .collect();
    let mut rows = entry_rows(faq, Language::ENGLISH, &shown);
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(button("◀ Previous", Action::Topics(page - 1)));
    }
    if page + 1 < pages {
        nav.push(button("Next ▶", Action::Topics(page + 1)));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    let html = format!(
        "<b>Topics</b> (page {} of {pages}): tap a question to read the answer, or just ask me in your own words.",
        page + 1
    );
    Reply::new(&html, Some(InlineKeyboardMarkup::new(rows)))
}

/// The urgent-care reply to a message that suggests an emergency: the
/// curator's text alone, no buttons to distract from it.
pub fn urgent(reply: &str) -> Reply {
    Reply::new(&escape(reply), None)
}

/// The reply to small talk ("hi", "thanks", "are you a bot?"): the
/// curator's line alone.
pub fn small_talk(reply: &str) -> Reply {
    Reply::new(&escape(reply), None)
}

/// The urgent-care reply as the single inline result.
pub fn urgent_inline(reply: &str) -> Vec<InlineQueryResult> {
    let content = InputMessageContent::Text(
        InputMessageContentText::new(escape(reply)).parse_mode(ParseMode::Html),
    );
    let mut article =
        InlineQueryResultArticle::new("urgent", "This may be an emergency: get help now", content);
    article.description = Some(shorten(reply, 100));
    vec![InlineQueryResult::Article(article)]
}

/// The reply to a sticker, photo or voice note in a private chat.
pub fn not_text(settings: &Settings) -> Reply {
    let mut html = "I can only read text questions. Please type your question".to_string();
    match settings.examples.first() {
        Some(example) => html.push_str(&format!(", for example: <i>{}</i>", escape(example))),
        None => html.push('.'),
    }
    Reply::new(&html, None)
}

pub fn unknown_command() -> Reply {
    Reply::new(
        "I don't know that command. Send /help to see how to ask, or /topics to browse.",
        None,
    )
}

/// `/ask` with nothing after it, or a bare mention.
pub fn ask_usage(settings: &Settings) -> Reply {
    let example = settings
        .examples
        .first()
        .map_or("how much magnesium should I take?", String::as_str);
    Reply::new(
        &format!(
            "Write your question after /ask, for example: <code>/ask {}</code>",
            escape(example)
        ),
        None,
    )
}

/// Inline-mode results: each sends the entry's answer with the footer and
/// 👍 / 👎 buttons.
pub fn inline_results(faq: &Faq, language: Language, entries: &[&Entry]) -> Vec<InlineQueryResult> {
    entries
        .iter()
        .map(|entry| {
            let mut html = answer_html(faq, language, entry, true);
            if visible_len(&html) > MESSAGE_LIMIT {
                // `check` guarantees answer and footer fit; the title may not.
                html = answer_html(faq, language, entry, false);
            }
            let content = InputMessageContent::Text(
                InputMessageContentText::new(html).parse_mode(ParseMode::Html),
            );
            let text = faq.in_language(entry, language);
            let id = Action::Answer(EntryKey::of(entry), language).encode();
            let mut article = InlineQueryResultArticle::new(id, text.question, content)
                .reply_markup(InlineKeyboardMarkup::new([vote_row(entry)]));
            article.description = Some(preview(text.answer));
            InlineQueryResult::Article(article)
        })
        .collect()
}

/// The first words of an answer, for the line under an inline result.
fn preview(answer_markdown: &str) -> String {
    shorten(
        &to_plain(answer_markdown)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        100,
    )
}

/// The keyboard left after a vote: the same buttons without 👍 / 👎, so one
/// message collects one vote.
pub fn without_votes(markup: &InlineKeyboardMarkup) -> InlineKeyboardMarkup {
    without(markup, |action| matches!(action, Action::Vote(..)))
}

/// The keyboard left once the question was handed to a person.
pub fn without_person(markup: &InlineKeyboardMarkup) -> InlineKeyboardMarkup {
    without(markup, |action| *action == Action::AskPerson)
}

/// Whether a keyboard carries the "Ask a person" button.
pub fn offers_person(markup: &InlineKeyboardMarkup) -> bool {
    markup
        .inline_keyboard
        .iter()
        .flatten()
        .any(|b| button_action(b) == Some(Action::AskPerson))
}

/// `markup` without the buttons whose action `drop` picks; rows left
/// empty go too.
fn without(markup: &InlineKeyboardMarkup, drop: impl Fn(&Action) -> bool) -> InlineKeyboardMarkup {
    let rows = markup
        .inline_keyboard
        .iter()
        .map(|row| {
            row.iter()
                .filter(|b| !button_action(b).is_some_and(|a| drop(&a)))
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

fn button_action(button: &InlineKeyboardButton) -> Option<Action> {
    match &button.kind {
        InlineKeyboardButtonKind::CallbackData(data) => Action::decode(data),
        _ => None,
    }
}

/// Shown briefly after a vote.
pub const THANKS_FOR_VOTING: &str = "Thank you! Your feedback helps us improve the answers.";
/// Shown when a message already has a vote.
pub const ALREADY_VOTED: &str = "You already rated this answer. Thank you!";
/// Shown for a button whose entry no longer exists (the FAQ was edited).
pub const STALE_BUTTON: &str = "That answer is no longer in the FAQ. Please ask again.";

/// Sent once when someone writes faster than the bot may answer them
/// (Telegram allows about one message a second in a chat): the messages
/// past the chat's queue are not answered, and this says so plainly.
pub fn still_answering() -> Reply {
    Reply::new(
        "I'm still answering your earlier questions. I could not take the newest ones: please send them again once my answers have arrived.",
        None,
    )
}

/// A button for each entry, labelled with its question in `language`,
/// answering in it.
fn entry_rows(faq: &Faq, language: Language, entries: &[&Entry]) -> Vec<Vec<InlineKeyboardButton>> {
    entries
        .iter()
        .map(|e| {
            let label = faq.in_language(e, language).question;
            vec![button(label, Action::Answer(EntryKey::of(e), language))]
        })
        .collect()
}

fn vote_row(entry: &Entry) -> Vec<InlineKeyboardButton> {
    vec![
        button("👍", Action::Vote(EntryKey::of(entry), Vote::Up)),
        button("👎", Action::Vote(EntryKey::of(entry), Vote::Down)),
    ]
}

fn button(label: &str, action: Action) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(shorten(label, BUTTON_CHARS), action.encode())
}

/// At most `max` characters, with an ellipsis when something was cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn entry(id: &str, question: &str, answer: &str, related: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            question: question.into(),
            alternates: vec![format!("{question} alt")],
            answer: answer.into(),
            related: related.iter().map(|r| r.to_string()).collect(),
            lines: Default::default(),
            path: Default::default(),
        }
    }

    fn faq(entries: Vec<Entry>) -> Faq {
        Faq::from_entries(PathBuf::from("faq"), entries, Settings::default()).unwrap()
    }

    fn callback_data(markup: &InlineKeyboardMarkup) -> Vec<String> {
        markup
            .inline_keyboard
            .iter()
            .flatten()
            .map(|b| match &b.kind {
                InlineKeyboardButtonKind::CallbackData(d) => d.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn answers_escape_and_carry_title_footer_and_buttons() {
        let faq = faq(vec![
            entry("a", "Is 1 < 2 & 3 > 2?", "Yes **<b>** & more", &["b"]),
            entry("b", "B?", "b", &[]),
            entry("c", "C?", "c", &[]),
        ]);
        let a = faq.get("a").unwrap();
        let c = faq.get("c").unwrap();
        let reply = answer(&faq, a, &[a, c]);
        assert_eq!(reply.parts.len(), 1);
        let text = &reply.parts[0];
        assert!(
            text.starts_with(
                "<b>Is 1 &lt; 2 &amp; 3 &gt; 2?</b>\n\nYes <b>&lt;b&gt;</b> &amp; more\n\n"
            ),
            "{text}"
        );
        assert!(text.ends_with(&footer_html(&faq.settings)), "{text}");
        let data = callback_data(reply.keyboard.as_ref().unwrap());
        assert_eq!(data, ["a:b", "a:c", "u:a", "d:a"]);
    }

    #[test]
    fn long_answers_are_split_with_buttons_under_the_last_part() {
        // As long as `check` allows: the answer and the longest footer it
        // can be sent with (a language's own) fill one message, so the
        // title pushes the reply over.
        let defaults = Settings::default();
        let (language, longest) = crate::analysis::language::SUPPORTED
            .iter()
            .filter_map(|(code, _)| Language::from_code(code))
            .map(|language| (language, defaults.in_language(language).into_owned()))
            .max_by_key(|(_, s)| crate::content::answer::telegram_len(&s.footer))
            .expect("languages");
        let footer = crate::content::answer::telegram_len(&longest.footer);
        let mut long = "word ".repeat(1000);
        long.truncate(MESSAGE_LIMIT - 2 - footer);
        let long = long.trim().to_string();
        let faq = faq(vec![entry(
            "long",
            "How long can an answer be?",
            &long,
            &[],
        )]);
        let reply = answer_in(&faq, language, faq.get("long").unwrap(), &[]);
        assert_eq!(reply.parts.len(), 2, "{:?}", reply.parts);
        assert!(reply.parts.iter().all(|p| visible_len(p) <= MESSAGE_LIMIT));
        assert!(reply.parts[1].ends_with(&footer_html(&longest)));
    }

    #[test]
    fn no_match_offers_suggestions_as_buttons() {
        let faq = faq(vec![entry("a", "A?", "a", &[])]);
        let s = &faq.settings;
        let reply = no_match(&faq, Language::ENGLISH, &[], false);
        assert_eq!(
            reply.parts,
            [format!(
                "{}\n\n{}",
                escape(&s.no_match),
                escape(&s.emergency_line)
            )]
        );
        assert!(reply.keyboard.is_none());
        let reply = no_match(&faq, Language::ENGLISH, &[faq.get("a").unwrap()], false);
        assert!(reply.parts[0].contains("Did you mean"));
        assert_eq!(callback_data(reply.keyboard.as_ref().unwrap()), ["a:a"]);
        let reply = no_match(&faq, Language::ENGLISH, &[faq.get("a").unwrap()], true);
        assert!(reply.parts[0].contains("Ask a person"));
        assert_eq!(
            callback_data(reply.keyboard.as_ref().unwrap()),
            ["a:a", "p"]
        );
        let reply = no_match(&faq, Language::ENGLISH, &[], true);
        assert_eq!(callback_data(reply.keyboard.as_ref().unwrap()), ["p"]);
    }

    #[test]
    fn choosing_asks_which_with_a_button_each_and_the_emergency_line() {
        let faq = faq(vec![entry("a", "A?", "a", &[]), entry("b", "B?", "b", &[])]);
        let s = &faq.settings;
        let reply = choose(
            &faq,
            Language::ENGLISH,
            &[faq.get("a").unwrap(), faq.get("b").unwrap()],
        );
        assert_eq!(
            reply.parts,
            [format!(
                "{}\n\n{}",
                escape(&s.choose),
                escape(&s.emergency_line)
            )]
        );
        assert_eq!(
            callback_data(reply.keyboard.as_ref().unwrap()),
            ["a:a", "a:b"]
        );
    }

    #[test]
    fn start_says_it_is_not_a_doctor_and_gives_examples() {
        let s = Settings::default();
        let text = start(&s, "RlsFaqBot", true).parts.concat();
        assert!(text.contains("not a doctor"), "{text}");
        assert!(text.contains(&escape(&s.examples[0])), "{text}");
        assert!(text.contains("/topics"));
        let text = start(&s, "RlsFaqBot", false).parts.concat();
        assert!(text.contains("/ask"), "{text}");
    }

    #[test]
    fn topics_pages_through_every_entry() {
        let entries: Vec<Entry> = (0..19)
            .map(|i| entry(&format!("e{i:02}"), &format!("Q{i:02}?"), "x", &[]))
            .collect();
        let faq = faq(entries);
        let first = topics(&faq, 0);
        let data = callback_data(first.keyboard.as_ref().unwrap());
        assert_eq!(data.len(), TOPICS_PER_PAGE + 1);
        assert_eq!(data.last().unwrap(), "t:1");
        let last = topics(&faq, 99);
        assert!(last.parts[0].contains("page 3 of 3"));
        let data = callback_data(last.keyboard.as_ref().unwrap());
        assert_eq!(data, ["a:e16", "a:e17", "a:e18", "t:1"]);
    }

    #[test]
    fn the_disclaimer_folds_but_the_emergency_line_never_does() {
        let s = Settings::default();
        let html = footer_html(&s);
        assert!(html.starts_with("<blockquote expandable>"), "{html}");
        let (quote, after) = html.split_once("</blockquote>").unwrap();
        assert!(!quote.contains(&escape(&s.emergency_line)), "{html}");
        assert_eq!(after, format!("\n{}", escape(&s.emergency_line)));
    }

    #[test]
    fn handoff_messages_escape_and_never_name_the_asker() {
        let post = handoff_post("K7Q2FA", "is <b>potassium</b> & co ok", 7);
        let text = &post.parts[0];
        let visible = crate::bot::split::html_to_text(text);
        assert_eq!(post_reference(&visible), Some("K7Q2FA"), "{visible}");
        let note = crate::bot::split::html_to_text(&desk::delivered("K7Q2FA").parts[0]);
        assert_eq!(post_reference(&note), None, "{note}");
        assert!(
            text.contains("is &lt;b&gt;potassium&lt;/b&gt; &amp; co ok"),
            "{text}"
        );
        let s = Settings::default();
        let answer = person_answer(&s, "Ask your <doctor>");
        assert!(answer.parts[0].contains("Ask your &lt;doctor&gt;"));
        assert!(answer.parts[0].contains("person on the FAQ team"));
        assert!(answer.parts[0].ends_with(&footer_html(&s)));
        assert!(handed_off(&s, "K7Q2FA", 1).parts[0].contains("within 1 day,"));
    }

    #[test]
    fn votes_are_removed_after_voting() {
        let faq = faq(vec![
            entry("a", "A?", "a", &["b"]),
            entry("b", "B?", "b", &[]),
        ]);
        let reply = answer(&faq, faq.get("a").unwrap(), &[]);
        let left = without_votes(reply.keyboard.as_ref().unwrap());
        assert_eq!(callback_data(&left), ["a:b"]);
    }

    #[test]
    fn a_translated_answer_and_its_buttons_are_in_the_askers_language() {
        use crate::content::{EntryFile, translation};
        let tmp = tempfile::tempdir().unwrap();
        let dose = EntryFile::new("How much?", "200 mg").related(&["time"]);
        dose.write(tmp.path(), "dose").unwrap();
        EntryFile::new("When?", "Evening")
            .write(tmp.path(), "time")
            .unwrap();
        let english = crate::content::load(tmp.path()).faq.unwrap();
        for (id, question, answer) in [
            ("dose", "¿Cuánto?", "200 mg, en español"),
            ("time", "¿Cuándo?", "Por la noche"),
        ] {
            let digest = translation::digest(english.get(id).unwrap());
            let text =
                format!("---\nquestion: {question}\ntranslated_from: {digest}\n---\n{answer}\n");
            std::fs::write(tmp.path().join(format!("{id}.es.md")), text).unwrap();
        }
        let faq = crate::content::load(tmp.path()).faq.unwrap();
        let es = Language::from_code("es").unwrap();
        let reply = answer_in(&faq, es, faq.get("dose").unwrap(), &[]);
        let text = &reply.parts[0];
        assert!(
            text.starts_with("<b>¿Cuánto?</b>\n\n200 mg, en español"),
            "{text}"
        );
        assert!(
            !text.contains("inglés") && text.contains("no un consejo médico"),
            "{text}"
        );
        let labels: Vec<&str> = reply.keyboard.as_ref().unwrap().inline_keyboard[0]
            .iter()
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(labels, ["¿Cuándo?"]);
        let data = callback_data(reply.keyboard.as_ref().unwrap());
        assert_eq!(data, ["a-es:time", "u:dose", "d:dose"]);
        // A no-match reply offers entries under its language's line.
        let reply = no_match(&faq, es, &[faq.get("time").unwrap()], false);
        assert!(
            reply.parts[0].contains("<b>Quizás buscabas:</b>"),
            "{:?}",
            reply.parts
        );
        assert_eq!(
            callback_data(reply.keyboard.as_ref().unwrap()),
            ["a-es:time"]
        );
        // German has no translation: the English answer, saying so.
        let de = Language::from_code("de").unwrap();
        let text = &answer_in(&faq, de, faq.get("dose").unwrap(), &[]).parts[0];
        assert!(text.starts_with("<b>How much?</b>\n\n200 mg"), "{text}");
        assert!(text.contains("Englisch"), "{text}");
    }

    #[test]
    fn inline_results_fit_telegram() {
        let faq = faq(vec![entry("a", &"Why? ".repeat(30), "x & y", &[])]);
        let results = inline_results(&faq, Language::ENGLISH, &[faq.get("a").unwrap()]);
        let InlineQueryResult::Article(article) = &results[0] else {
            panic!()
        };
        assert_eq!(article.id, "a:a");
        let InputMessageContent::Text(content) = &article.input_message_content else {
            panic!()
        };
        assert!(content.message_text.contains("x &amp; y"));
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
