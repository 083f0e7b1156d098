//! `faqbot ask`: the bot's answers on the command line, for curators trying
//! questions and for scripts (`--json`).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::analysis::language::Language;
use crate::content::Faq;
use crate::engine::{Engine, Outcome, Previous, Stages};
use crate::{markdown, reply};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object per question instead of the reply text.
    #[arg(long, conflicts_with = "explain")]
    json: bool,
    /// Show how the question was understood: its words, their weights, and
    /// the best candidate entries with the phrasing that matched.
    #[arg(long)]
    explain: bool,
    /// Read the question as the next message after this one, as `faqbot
    /// chat` and the bot do; with --explain, shows whether the previous
    /// question was used and why.
    #[arg(long, value_name = "PREVIOUS")]
    after: Option<String>,
    /// The question; several words are joined with spaces.
    question: Vec<String>,
}

/// One line of `--json` output (`faqbot chat --json` too).
#[derive(Serialize)]
pub(super) struct JsonAnswer<'a> {
    question: &'a str,
    matched: bool,
    /// The matched entry's id (null when unmatched).
    id: Option<&'a str>,
    /// The best candidate's score, matched or not (0 when nothing is close):
    /// the combined score when the sentence model was consulted.
    score: f32,
    /// The best candidate's word score (the lexical stage).
    lexical: f32,
    /// The best candidate's meaning similarity (the sentence stage), null
    /// when the words alone decided or the model is off.
    semantic: Option<f32>,
    /// The learned decision's probability for the best candidate, null
    /// when the words alone decided or the model is off.
    confidence: Option<f32>,
    /// The nearest entry even when unmatched, to see how close it came.
    nearest: Option<&'a str>,
    /// The matched entry's answer as plain text (null when unmatched).
    answer: Option<String>,
    suggestions: Vec<&'a str>,
    /// The message looked like an emergency and got the urgent reply.
    urgent: bool,
    /// The emergency category when `urgent` (None for a general pattern).
    #[serde(skip_serializing_if = "Option::is_none")]
    urgent_category: Option<&'a str>,
    /// The kind of small talk ("thanks") when the message was not a
    /// question and got the small-talk reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    smalltalk: Option<&'a str>,
    /// Two entries fit equally well: the reply asks which (`suggestions`
    /// holds both).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    choose: bool,
    /// `faqbot chat` only: whether the previous question was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) context: Option<bool>,
    /// The language the message was read in ("en", "es", ...).
    pub(super) language: &'static str,
}

impl<'a> JsonAnswer<'a> {
    /// A reply that is no FAQ answer and names no entry (urgent, small
    /// talk): everything empty.
    fn not_an_answer(question: &'a str) -> JsonAnswer<'a> {
        JsonAnswer {
            question,
            matched: false,
            id: None,
            score: 0.0,
            lexical: 0.0,
            semantic: None,
            confidence: None,
            nearest: None,
            answer: None,
            suggestions: Vec::new(),
            urgent: false,
            urgent_category: None,
            smalltalk: None,
            choose: false,
            context: None,
            language: "en",
        }
    }

    /// A reply about entries (answered, not, or asked which), with the
    /// best candidate's scores; the rest empty.
    fn scored(question: &'a str, score: f32, stages: &Stages) -> JsonAnswer<'a> {
        JsonAnswer {
            score,
            lexical: stages.lexical,
            semantic: stages.semantic,
            confidence: stages.learned,
            ..JsonAnswer::not_an_answer(question)
        }
    }
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let engine = super::load_engine(ctx)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mode = if args.json {
        Mode::Json
    } else if args.explain {
        Mode::Explain
    } else {
        Mode::Text
    };
    // The previous message read as `faqbot chat` reads a conversation's
    // first, so the follow-up sees what the bot would remember.
    let previous = args
        .after
        .as_deref()
        .and_then(|after| engine.ask_after(after, None).next_previous(None));
    let result = if args.question.is_empty() {
        answer_stdin(&engine, mode, previous.as_ref(), &mut out)
    } else {
        answer(
            &engine,
            &args.question.join(" "),
            mode,
            previous.as_ref(),
            &mut out,
        )
    };
    result?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Json,
    Explain,
}

fn answer_stdin(
    engine: &Engine,
    mode: Mode,
    previous: Option<&Previous>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        // Invalid UTF-8 is replaced, not fatal: every line gets an answer.
        let text = String::from_utf8_lossy(&line);
        let question = text.trim_end_matches(['\n', '\r']);
        answer(engine, question, mode, previous, out)?;
        if mode != Mode::Json {
            writeln!(out)?;
        }
        out.flush()?;
    }
}

fn answer(
    engine: &Engine,
    question: &str,
    mode: Mode,
    previous: Option<&Previous>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    if mode == Mode::Explain {
        return explain(engine, question, previous, out);
    }
    let reading = engine.ask_after(question, previous);
    if mode == Mode::Text {
        let text = reply::plain(engine.faq(), reading.language, &reading.outcome);
        return writeln!(out, "{text}");
    }
    let mut line = json_line(engine.faq(), reading.language, question, &reading.outcome);
    line.context = previous.map(|_| reading.context);
    let text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

fn explain(
    engine: &Engine,
    question: &str,
    previous: Option<&Previous>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let (reading, explanation) = engine.explain_after(question, previous, 5);
    writeln!(out, "question: {question}")?;
    if !explanation.language.is_english() {
        writeln!(
            out,
            "language: {} (not English: read by meaning alone, with {}; the words below are not used)",
            explanation.language,
            explanation.model.unwrap_or("the multilingual model")
        )?;
    }
    if let Some(previous) = previous {
        writeln!(out, "previous question: {}", previous.question)?;
        writeln!(out, "{}", reading.why.describe())?;
        if reading.context {
            writeln!(out, "read as: {}", reading.read_as)?;
        }
    }
    // Triage comes first, as in the bot: an urgent message gets no answer.
    if let Some((alarm, category)) = engine.alarm(question) {
        writeln!(
            out,
            "URGENT ({}), alarmed by {}: the urgent reply is sent instead of any answer (if that is wrong, add a look-alike under `ordinary` in triage.yaml)",
            category.unwrap_or("general"),
            alarm.because
        )?;
    }
    if let Some((alarm, category, why)) = engine.alarm_set_aside(question) {
        writeln!(
            out,
            "not urgent: {} ({}) looked like an emergency, but {why}; if it is one, add the message as an example of its category in triage.yaml",
            alarm.because,
            category.unwrap_or("general"),
        )?;
    }
    let outcome = reading.outcome;
    if let Outcome::Choose { entries, .. } = &outcome {
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        writeln!(
            out,
            "ASK WHICH: {} fit equally well, so the reply asks which one is meant (to decide it, add alternates in the asker's words to the right entry)",
            ids.join(" and ")
        )?;
    }
    if let Outcome::SmallTalk { kind, .. } = outcome {
        writeln!(
            out,
            "SMALL TALK ({kind}): the reply from smalltalk.yaml is sent and nothing is logged (if this is a real question, take the example that caught it out of smalltalk.yaml)"
        )?;
    }
    if let Some(sentence) = &explanation.sentence {
        writeln!(out, "the question in it: {sentence}")?;
    }
    write!(out, "words:")?;
    if explanation.words.terms.is_empty() {
        write!(out, " (none the matcher can use)")?;
    }
    for term in &explanation.words.terms {
        let mark = if !term.known {
            " NEW"
        } else if term.confidence < 1.0 {
            " corrected"
        } else {
            ""
        };
        write!(out, " {}({:.1}{mark})", term.stem, term.weight)?;
    }
    writeln!(out)?;
    for word in &explanation.new_words {
        let verdict = if word.subject {
            "a new subject"
        } else {
            "a story word, set aside"
        };
        writeln!(
            out,
            "new word \"{}\": carries {:.2} of the meaning: {verdict}",
            word.word, word.weight
        )?;
    }
    match explanation.model {
        Some(model) => writeln!(
            out,
            "best entries (combined score = words and meaning; model {model}):"
        )?,
        None => writeln!(out, "best entries (words only; the sentence model is off):")?,
    }
    for c in &explanation.ranked {
        let phrasing = c.entry.phrasings().nth(c.phrasing).unwrap_or_default();
        let meaning = c
            .stages
            .semantic
            .map_or(String::new(), |m| format!(" meaning {m:.3}"));
        writeln!(
            out,
            "  {:.3} {:<28} words {:.3}{meaning} via \"{phrasing}\"",
            c.score, c.entry.id, c.stages.lexical
        )?;
    }
    if explanation.ranked.is_empty() {
        writeln!(out, "  no entry comes close")?;
    }
    if !explanation.learned.is_empty() {
        let classes: Vec<String> = explanation
            .learned
            .iter()
            .map(|(class, p)| format!("{class} {p:.2}"))
            .collect();
        writeln!(
            out,
            "learned decision (trained on the phrasings, smalltalk.yaml, triage.yaml and outside.yaml): {}",
            classes.join(", ")
        )?;
    }
    if let Some(o) = &explanation.outside {
        writeln!(
            out,
            "nearest example of what the FAQ does not answer: \"{}\" ({} in outside.yaml) meaning {:.3}",
            o.example, o.reason, o.similarity
        )?;
    }
    match explanation.small_talk {
        Some((kind, p)) => writeln!(
            out,
            "small talk ({kind}): the learned decision gives it {p:.2}, so the bot replies with the {kind} reply and logs nothing"
        ),
        None => writeln!(out, "{}", explanation.reason),
    }
}

/// The `--json` object for one message's outcome, read in `language`
/// (the answer as sent: the translation, when there is one).
pub(super) fn json_line<'a>(
    faq: &Faq,
    language: Language,
    question: &'a str,
    outcome: &'a Outcome<'a>,
) -> JsonAnswer<'a> {
    let line = json_outcome(faq, language, question, outcome);
    JsonAnswer {
        language: language.code(),
        ..line
    }
}

fn json_outcome<'a>(
    faq: &Faq,
    language: Language,
    question: &'a str,
    outcome: &'a Outcome<'a>,
) -> JsonAnswer<'a> {
    match outcome {
        Outcome::Answer {
            entry,
            score,
            suggestions,
            stages,
        } => JsonAnswer {
            matched: true,
            id: Some(&entry.id),
            nearest: Some(&entry.id),
            answer: Some(markdown::to_plain(faq.in_language(entry, language).answer)),
            suggestions: suggestions.iter().map(|e| e.id.as_str()).collect(),
            ..JsonAnswer::scored(question, *score, stages)
        },
        Outcome::NoMatch {
            nearest,
            suggestions,
            stages,
        } => JsonAnswer {
            nearest: nearest.map(|n| n.entry.id.as_str()),
            suggestions: suggestions.iter().map(|e| e.id.as_str()).collect(),
            ..JsonAnswer::scored(question, nearest.map_or(0.0, |n| n.score), stages)
        },
        Outcome::Choose {
            entries,
            score,
            stages,
        } => JsonAnswer {
            nearest: entries.first().map(|e| e.id.as_str()),
            suggestions: entries.iter().map(|e| e.id.as_str()).collect(),
            choose: true,
            ..JsonAnswer::scored(question, *score, stages)
        },
        Outcome::Urgent { category, .. } => JsonAnswer {
            urgent: true,
            urgent_category: *category,
            ..JsonAnswer::not_an_answer(question)
        },
        Outcome::SmallTalk { kind, .. } => JsonAnswer {
            smalltalk: Some(kind),
            ..JsonAnswer::not_an_answer(question)
        },
    }
}
