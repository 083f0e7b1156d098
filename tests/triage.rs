//! Red-flag triage on the real `faq/` with the built-in model: every kind
//! of emergency is recognised from its examples and gets its own reply;
//! look-alikes (dose limits, past events, idioms, interaction questions) do
//! not alarm; every reply that is not an emergency carries the emergency
//! line. None of these messages is in `faq/triage.yaml` or in the shared
//! development set.

use std::path::Path;

use faqbot::content;
use faqbot::engine::{Engine, Model, Outcome};

fn faq_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"))
}

fn engine() -> Engine {
    Engine::load(faq_dir()).expect("faq/ loads")
}

fn category(engine: &Engine, message: &str) -> Option<String> {
    match engine.ask(message) {
        Outcome::Urgent { category, .. } => Some(category.unwrap_or("general").to_string()),
        _ => None,
    }
}

#[test]
fn each_kind_of_emergency_gets_its_own_reply() {
    let engine = engine();
    let cases = [
        ("I took 20 magnesium pills what do i do", "overdose"),
        ("my toddler ate my magnesium tablets", "child_swallowed"),
        (
            "my chest is crushing and the pain runs down my arm",
            "chest_pain",
        ),
        (
            "heart going crazy fast and i think im going to faint",
            "heart_rhythm",
        ),
        ("i cant get enough air in, lips going blue", "breathing"),
        (
            "my husband collapsed in the kitchen and isnt answering me",
            "collapse",
        ),
        ("my throat is closing up", "allergic_reaction"),
        ("i can't go on like this anymore", "suicidal"),
        (
            "dads face looks lopsided and he cant talk properly",
            "stroke",
        ),
        ("friend is convulsing on the floor", "seizure"),
        (
            "all of a sudden my legs wont hold me up and they feel dead",
            "leg_weakness",
        ),
        (
            "i'm 34 weeks pregnant and there's a lot of blood",
            "pregnancy",
        ),
        (
            "diarrhoea nonstop since yesterday, too dizzy to stand and i've barely peed",
            "dehydration",
        ),
        ("dad has been vomiting blood since lunch", "bleeding"),
    ];
    let mut replies = Vec::new();
    for (message, expected) in cases {
        assert_eq!(
            category(&engine, message).as_deref(),
            Some(expected),
            "{message}"
        );
        if let Outcome::Urgent { reply, .. } = engine.ask(message) {
            replies.push(reply.to_string());
        }
    }
    replies.sort();
    replies.dedup();
    assert_eq!(
        replies.len(),
        cases.len(),
        "every category has its own reply"
    );
}

#[test]
fn replies_point_to_the_right_help_and_never_touch_medicines() {
    let faq = content::load(faq_dir()).into_result().expect("faq/ loads");
    let faq = &faq.triage;
    let reply = |name: &str| {
        faq.categories
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.reply.clone())
            .unwrap_or_default()
    };
    assert!(reply("overdose").contains("poison control"));
    assert!(reply("child_swallowed").contains("poison control"));
    let suicidal = reply("suicidal");
    assert!(suicidal.contains("988") && suicidal.contains("116 123"));
    assert!(reply("pregnancy").contains("midwife"));
    for category in &faq.categories {
        let text = category.reply.to_lowercase();
        for advice in ["stop taking", "start taking", "stop your", "double your"] {
            assert!(!text.contains(advice), "{}: {advice}", category.name);
        }
    }
}

#[test]
fn a_story_cannot_hide_an_emergency() {
    let engine = engine();
    let story = "Long time reader, first post. My RLS has been bad all winter and magnesium helps a bit. \
                 Tonight though my chest is really tight and my left arm feels heavy and numb.";
    assert_eq!(category(&engine, story).as_deref(), Some("chest_pain"));
}

#[test]
fn look_alikes_do_not_alarm() {
    let engine = engine();
    for message in [
        "is it possible to overdose on magnesium?",
        "grandma had a stroke years ago, can she take magnesium",
        "I'm dying to know if citrate works",
        "these legs are killing me lol",
        "can magnesium interact with my heart pills",
        "how much magnesium can a 10 year old take",
        "does magnesium cause diarrhea",
        "my rls got much worse in pregnancy, is that common",
        "how much magnesium should i take",
        // Who else "had it" is family history, not a child who swallowed
        // something (it alarmed so before the look-alikes of that kind).
        "grandpa had it, dad has it, now me. is it in the family",
    ] {
        assert_eq!(category(&engine, message), None, "false alarm: {message}");
    }
}

#[test]
fn every_non_answer_and_every_answer_ends_with_the_emergency_line() {
    let engine = engine();
    let settings = &engine.faq().settings;
    let line = settings.emergency_line.as_str();
    assert!(line.contains("emergency"));
    let english = faqbot::analysis::language::Language::ENGLISH;
    let plain = |q: &str| faqbot::reply::plain(engine.faq(), english, &engine.ask(q));
    assert!(plain("what is the meaning of life").contains(line));
    assert!(plain("how much magnesium should i take").ends_with(line));
}

#[test]
fn without_the_model_patterns_still_alarm() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in std::fs::read_dir(faq_dir()).expect("faq/") {
        let path = file.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let settings = dir.path().join("settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    std::fs::write(&settings, text.replace("semantic: true", "semantic: false")).expect("write");
    let faq = content::load(dir.path()).into_result().expect("loads");
    assert!(!faq.settings.semantic.enabled);
    let engine = Engine::build(faq, &Model::built_in(), None).expect("builds");
    assert_eq!(
        category(&engine, "severe chest pain").as_deref(),
        Some("chest_pain")
    );
    assert_eq!(category(&engine, "how much magnesium should i take"), None);
}

#[test]
fn a_reload_keeps_triage_working() {
    let first = engine();
    let faq = content::load(faq_dir()).into_result().expect("faq/ loads");
    let reloaded = Engine::build(faq, &Model::built_in(), Some(&first)).expect("rebuilds");
    assert_eq!(
        category(&reloaded, "my throat is closing up").as_deref(),
        Some("allergic_reaction")
    );
    assert_eq!(
        category(&reloaded, "how much magnesium should i take"),
        None
    );
}

#[test]
fn explicit_self_harm_slang_and_a_stroke_now_always_alarm_and_farewells_do_not() {
    let engine = engine();
    for (message, expected) in [
        ("ngl i might kms tonight", "suicidal"),
        ("im about to kms", "suicidal"),
        ("i want to unalive myself honestly", "suicidal"),
        ("pretty sure my husband is having a stroke", "stroke"),
        // Still urgent: more than a farewell.
        ("goodbye everyone, i won't be here tomorrow", "suicidal"),
    ] {
        assert_eq!(
            category(&engine, message).as_deref(),
            Some(expected),
            "{message}"
        );
    }
    // A bare farewell is small talk, not a crisis; "kms" as kilometres and
    // a calm question about research are no emergency.
    for message in [
        "bye",
        "goodbye",
        "cya",
        "I walk 3 kms every evening, does that help rls?",
        "is rls linked to suicide in studies?",
    ] {
        assert_eq!(category(&engine, message), None, "{message}");
    }
    assert!(matches!(
        engine.ask("goodbye"),
        Outcome::SmallTalk {
            kind: "goodbye",
            ..
        }
    ));
}

/// Explicit wording in the other languages faqbot reads alarms as surely
/// as in English: meaning alone missed a short Spanish one, and short
/// Portuguese and Italian ones were read as English. Hyperbole and
/// questions about the word do not alarm.
#[test]
fn explicit_self_harm_in_other_languages_always_alarms() {
    let engine = engine();
    for message in [
        "quiero suicidarme esta noche",
        "quero me matar hoje",
        "voglio uccidermi",
        "bütün ilaçlarımı içeceğim bu gece",
        "я хочу покончить с собой",
    ] {
        assert_eq!(
            category(&engine, message).as_deref(),
            Some("suicidal"),
            "{message}"
        );
    }
    for message in [
        "este dolor de piernas me va a matar",
        "il magnesio può causare pensieri suicidi?",
        "das Restless-Legs-Syndrom bringt mich noch um",
    ] {
        assert_eq!(category(&engine, message), None, "{message}");
    }
}

/// Saying one will take an overdose is intent, whatever an outside
/// example about the same medicine looks like; asking whether a dose would
/// be one is a question.
#[test]
fn an_overdose_someone_says_they_will_take_always_alarms() {
    let engine = engine();
    for message in [
        "im going to overdose on my gabapentin after work",
        "i am gonna overdose this weekend",
        "honestly i want to overdose and be done",
    ] {
        assert_eq!(
            category(&engine, message).as_deref(),
            Some("suicidal"),
            "{message}"
        );
    }
    assert_eq!(
        category(
            &engine,
            "am i going to overdose if i take 400mg with dinner?"
        ),
        None
    );
}

/// Ten or more pills taken is an overdose even when the rest of the
/// message reads like a question the FAQ answers (before the count
/// patterns, the first of these alarmed nowhere and the second was set
/// aside by the learned decision); a count that is a bottle's size, or a
/// dose in milligrams, is not.
#[test]
fn a_count_of_pills_alarms_a_dose_does_not() {
    let engine = engine();
    for message in [
        "ate 20 magnesium gummies to help my legs sleep",
        "took 35 tablets of magnesium to stop the leg jerks",
    ] {
        assert_eq!(
            category(&engine, message).as_deref(),
            Some("overdose"),
            "{message}"
        );
    }
    for message in [
        "how long will a tub of 90 capsules last me",
        "i take 400 mg tablets of magnesium glycinate, is that enough",
    ] {
        assert_eq!(category(&engine, message), None, "{message}");
    }
}

/// Nearest examples alone alarm on calm messages that share an
/// emergency's words; the learned decision, trained on every calm example
/// the FAQ has as well as the urgent ones, sets those alarms aside
/// (`ask --explain` says so). Wording that always alarms is never set
/// aside, even when a look-alike pattern is found in the same message.
#[test]
fn the_learned_decision_sets_aside_look_alike_alarms_but_never_explicit_self_harm() {
    let engine = engine();
    let farewell = "alright, bye for tonight";
    assert!(
        matches!(
            engine.ask(farewell),
            Outcome::SmallTalk {
                kind: "goodbye",
                ..
            }
        ),
        "{:?}",
        engine.ask(farewell)
    );
    let (_, set_aside, why) = engine
        .alarm_set_aside(farewell)
        .expect("meaning alone alarmed, and the learned decision set it aside");
    assert_eq!(set_aside, Some("suicidal"));
    assert!(why.contains("gives emergencies only"), "{why}");
    for message in [
        "cutting myself helps with the leg feeling",
        "been self harming again because of my legs",
    ] {
        assert_eq!(
            category(&engine, message).as_deref(),
            Some("suicidal"),
            "{message}"
        );
        assert!(engine.alarm_set_aside(message).is_none(), "{message}");
    }
}
