//! Property tests: no input, however strange, makes the parser, the matcher,
//! triage or the renderer panic, and rendered HTML stays within Telegram's
//! tags.

use std::path::Path;
use std::sync::LazyLock;

use faqbot::content::{Settings, TriageSettings, entry};
use faqbot::engine::Engine;
use faqbot::markdown;
use proptest::prelude::*;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"))).expect("faq/ loads")
});

/// Text that looks like an entry file, with random damage.
fn entryish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("---".to_string()),
        Just("question: How much?".to_string()),
        Just("alternates:".to_string()),
        Just("  - mag dose".to_string()),
        Just("related: [x]".to_string()),
        "[ -~]{0,30}",
        any::<String>(),
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn entry_parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = entry::parse(Path::new("faq/x.md"), &text);
    }

    #[test]
    fn entry_parser_never_panics_on_near_entries(text in entryish()) {
        if let Ok(e) = entry::parse(Path::new("faq/x.md"), &text) {
            prop_assert!(!e.question.is_empty());
            prop_assert!(!e.answer.is_empty());
        }
    }

    #[test]
    fn settings_parsers_never_panic(text in any::<String>()) {
        let _ = Settings::parse(Path::new("settings.yaml"), &text);
        let _ = TriageSettings::parse(Path::new("triage.yaml"), &text);
    }

    #[test]
    fn html_contains_only_telegram_tags(text in any::<String>()) {
        let html = faqbot::bot::html::from_markdown(&text);
        let mut rest = html.as_str();
        while let Some(i) = rest.find('<') {
            rest = &rest[i..];
            let allowed = ["<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "<pre>", "</pre>", "<a href=\"", "</a>"];
            prop_assert!(allowed.iter().any(|t| rest.starts_with(t)), "stray tag in {html:?}");
            rest = &rest[1..];
        }
        let _ = markdown::to_plain(&text);
    }
}

// Every question through the engine may run the sentence model (milliseconds
// each, more for long random text), so these take fewer cases.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn matcher_always_gives_a_sane_verdict(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let question = String::from_utf8_lossy(&bytes);
        match ENGINE.ask(&*question) {
            faqbot::engine::Outcome::Answer { score, .. } => prop_assert!((0.0..=1.0).contains(&score)),
            faqbot::engine::Outcome::Choose { entries, score, .. } => {
                prop_assert!(entries.len() >= 2 && (0.0..=1.0).contains(&score))
            }
            faqbot::engine::Outcome::NoMatch { nearest, .. } => {
                prop_assert!(nearest.is_none_or(|n| (0.0..=1.0).contains(&n.score)))
            }
            faqbot::engine::Outcome::Urgent { reply, .. }
            | faqbot::engine::Outcome::SmallTalk { reply, .. } => prop_assert!(!reply.is_empty()),
        }
        let _ = ENGINE.search(&*question, 5);
    }

    #[test]
    fn matcher_handles_wordy_questions(words in prop::collection::vec("[a-zA-Zéü'’ -]{1,12}", 0..80)) {
        let _ = ENGINE.ask(&words.join(" "));
    }
}
