//! What an incoming message asks of the bot, decided without Telegram.
//!
//! In a private chat every text is a question. In a group the bot speaks
//! only when spoken to: `/ask`, its commands, replies to its messages and
//! mentions of it. Everything else in a group gets silence, because a bot
//! that chimes in on other people's conversations about their health is
//! unwelcome.

/// The parts of a message that decide what to do with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Incoming<'a> {
    /// The text (a caption is not a question).
    pub text: Option<&'a str>,
    pub private: bool,
    /// Is it a reply to one of the bot's own messages?
    pub reply_to_bot: bool,
    /// A sticker, photo, voice note or other media rather than text.
    pub has_media: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Command(Command),
    /// A question, with any mention of the bot removed (may be empty when
    /// someone only mentioned the bot).
    Question(String),
    /// Media in a private chat: explain that only text is read.
    NotText,
    /// A command this bot does not have, in a private chat.
    UnknownCommand,
    /// Not for this bot: say nothing.
    Ignore,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Topics,
    /// `/ask <question>`; the question may be empty.
    Ask(String),
}

/// The commands registered with Telegram (`setMyCommands`), with the text
/// shown in the command menu.
pub const COMMANDS: [(&str, &str); 4] = [
    ("ask", "Ask a question about RLS or magnesium"),
    ("topics", "Browse everything I can answer"),
    ("help", "How to ask me questions"),
    ("start", "What this bot is"),
];

/// Decides what `msg` asks of the bot whose username is `me`.
pub fn classify(msg: Incoming<'_>, me: &str) -> Intent {
    let Some(text) = msg.text else {
        return if msg.private && msg.has_media {
            Intent::NotText
        } else {
            Intent::Ignore
        };
    };
    if let Some(command) = text.trim_start().strip_prefix('/') {
        return classify_command(command, msg.private, me);
    }
    let (stripped, mentioned) = strip_mentions(text, me);
    if msg.private {
        return Intent::Question(stripped);
    }
    if mentioned || msg.reply_to_bot {
        Intent::Question(stripped)
    } else {
        Intent::Ignore
    }
}

/// `command` is the text after the `/`: `ask@bot how much?`.
fn classify_command(command: &str, private: bool, me: &str) -> Intent {
    let (head, args) = match command.find(char::is_whitespace) {
        Some(i) => (&command[..i], command[i..].trim()),
        None => (command, ""),
    };
    let (name, addressee) = match head.split_once('@') {
        Some((name, to)) => (name, Some(to)),
        None => (head, None),
    };
    if addressee.is_some_and(|to| !to.eq_ignore_ascii_case(me)) {
        // `/help@OtherBot`: meant for another bot in the group.
        return Intent::Ignore;
    }
    let command = match name.to_ascii_lowercase().as_str() {
        "start" => Command::Start,
        "help" => Command::Help,
        "topics" => Command::Topics,
        "ask" => Command::Ask(strip_mentions(args, me).0),
        _ if private => return Intent::UnknownCommand,
        _ => return Intent::Ignore,
    };
    Intent::Command(command)
}

/// The answer after `/draft` (or `/draft@me`), empty when none was
/// given; None when `text` is not that command.
pub fn draft_command<'a>(text: &'a str, me: &str) -> Option<&'a str> {
    let rest = text.trim_start().strip_prefix('/')?;
    let (head, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let (name, to) = match head.split_once('@') {
        Some((name, to)) => (name, Some(to)),
        None => (head, None),
    };
    (name.eq_ignore_ascii_case("draft") && to.is_none_or(|to| to.eq_ignore_ascii_case(me)))
        .then_some(args)
}

/// Removes every `@me` (any case, as a whole word) from `text`; says whether
/// there was one. Usernames are ASCII, so a match starts and ends on
/// character boundaries whatever script surrounds it.
fn strip_mentions(text: &str, me: &str) -> (String, bool) {
    if me.is_empty() || !me.is_ascii() {
        return (tidy(text), false);
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut found = false;
    let mut last = 0;
    for (at, _) in text.match_indices('@') {
        let end = at + 1 + me.len();
        let matches = text
            .as_bytes()
            .get(at + 1..end)
            .is_some_and(|name| name.eq_ignore_ascii_case(me.as_bytes()));
        if at < last || !matches {
            continue;
        }
        let starts_word = !text[..at].chars().next_back().is_some_and(is_word);
        let ends_word = !text[end..].chars().next().is_some_and(is_word);
        if starts_word && ends_word {
            out.push_str(&text[last..at]);
            last = end;
            found = true;
        }
    }
    out.push_str(&text[last..]);
    (tidy(&out), found)
}

/// Collapses the gap a removed mention leaves and a leading comma or colon
/// ("@bot, how much?").
fn tidy(text: &str) -> String {
    let joined = crate::analysis::fold::squash_whitespace(text);
    joined
        .trim_start_matches([',', ':', ';'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "RlsFaqBot";

    fn private(text: &str) -> Intent {
        classify(
            Incoming {
                text: Some(text),
                private: true,
                ..Incoming::default()
            },
            ME,
        )
    }

    fn group(text: &str) -> Intent {
        classify(
            Incoming {
                text: Some(text),
                ..Incoming::default()
            },
            ME,
        )
    }

    fn q(text: &str) -> Intent {
        Intent::Question(text.into())
    }

    #[test]
    fn private_text_is_a_question() {
        assert_eq!(private("  how much mag? "), q("how much mag?"));
        assert_eq!(private("@RlsFaqBot how much mag?"), q("how much mag?"));
        assert_eq!(private("/start"), Intent::Command(Command::Start));
        assert_eq!(private("/HELP"), Intent::Command(Command::Help));
        assert_eq!(private("/nope"), Intent::UnknownCommand);
        assert_eq!(
            private("/ask  dose?"),
            Intent::Command(Command::Ask("dose?".into()))
        );
    }

    #[test]
    fn groups_answer_only_when_addressed() {
        assert_eq!(group("anyone tried magnesium?"), Intent::Ignore);
        assert_eq!(group("/nope"), Intent::Ignore);
        assert_eq!(group("mail me@RlsFaqBotx.com"), Intent::Ignore);
        assert_eq!(group("mail me@RlsFaqBot now"), Intent::Ignore);
        assert_eq!(
            group("/ask@rlsfaqbot dose?"),
            Intent::Command(Command::Ask("dose?".into()))
        );
        assert_eq!(group("/ask@OtherBot dose?"), Intent::Ignore);
        assert_eq!(group("/topics"), Intent::Command(Command::Topics));
        assert_eq!(group("@RlsFaqBot, what is RLS?"), q("what is RLS?"));
        assert_eq!(group("what is RLS @rlsfaqbot?"), q("what is RLS ?"));
        assert_eq!(group("@rlsfaqbot"), q(""));
        let reply = Incoming {
            text: Some("and the dose?"),
            reply_to_bot: true,
            ..Incoming::default()
        };
        assert_eq!(classify(reply, ME), q("and the dose?"));
    }

    #[test]
    fn draft_commands_carry_their_answer() {
        assert_eq!(draft_command("/draft", ME), Some(""));
        assert_eq!(
            draft_command("/draft@rlsfaqbot  Ask a GP. ", ME),
            Some("Ask a GP.")
        );
        assert_eq!(draft_command("/draft@OtherBot x", ME), None);
        assert_eq!(draft_command("/drafts", ME), None);
        assert_eq!(draft_command("draft it", ME), None);
    }

    #[test]
    fn media_gets_a_word_only_in_private() {
        let media = Incoming {
            has_media: true,
            private: true,
            ..Incoming::default()
        };
        assert_eq!(classify(media, ME), Intent::NotText);
        let in_group = Incoming {
            private: false,
            ..media
        };
        assert_eq!(classify(in_group, ME), Intent::Ignore);
    }

    #[test]
    fn mentions_among_any_script_never_panic() {
        assert_eq!(group("İİ @RlsFaqBot dose"), q("İİ dose"));
        assert_eq!(group("ẞ@rlsfaqbot"), Intent::Ignore);
        assert_eq!(group("@rlsfaqbotİ"), Intent::Ignore);
        assert_eq!(group("🙂 @RLSFAQBOT🙂 x @"), q("🙂 🙂 x @"));
        assert_eq!(group("@"), Intent::Ignore);
    }
}
