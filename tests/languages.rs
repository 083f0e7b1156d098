//! Questions in other languages, on the real `faq/`: read by the built-in
//! multilingual model and answered from the same entries, refused when no
//! entry answers, emergencies caught; with `other_languages: false`, read
//! as English. None of these messages is in `faq/` or in the shared
//! development sets.

use std::path::Path;

use faqbot::engine::{Engine, Outcome};

fn engine(dir: &Path) -> Engine {
    Engine::load(dir).expect("the FAQ loads")
}

fn faq() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/faq"))
}

fn read(engine: &Engine, q: &str) -> String {
    match engine.ask(q) {
        Outcome::Answer { entry, .. } => entry.id.clone(),
        Outcome::Urgent { .. } => "URGENT".to_string(),
        Outcome::NoMatch { .. } => "refused".to_string(),
        Outcome::SmallTalk { kind, .. } => format!("small talk: {kind}"),
        Outcome::Choose { entries, .. } => format!("choose: {}", entries[0].id),
    }
}

#[test]
fn questions_in_other_languages_are_answered_refused_or_alarmed() {
    let engine = engine(faq());
    for (q, expected) in [
        (
            "Welche Lebensmittel enthalten viel Magnesium?",
            "magnesium-rich-foods",
        ),
        (
            "Quels sont les effets secondaires du magnésium ?",
            "side-effects",
        ),
        (
            "Il magnesio aiuta a dormire meglio la notte?",
            "magnesium-and-sleep",
        ),
        ("¿Quién ganó el partido de fútbol ayer?", "refused"),
        ("Wie wird das Wetter morgen in Berlin?", "refused"),
        (
            "Я выпил целую банку таблеток магния, мне очень плохо и сердце бьётся медленно",
            "URGENT",
        ),
        ("quiero morir, ya no aguanto más", "URGENT"),
        ("mio figlio ha ingoiato delle pastiglie", "URGENT"),
        // By meaning alone nearer "the dog and my 3yo got into my meds"
        // than anything calm; the learned decision sets the alarm aside.
        ("e per il mio cane?", "refused"),
    ] {
        assert_eq!(read(&engine, q), expected, "{q}");
    }
    // Why, in plain words, for curators.
    let why = engine
        .explain("Welche Lebensmittel enthalten viel Magnesium?", 3)
        .reason;
    assert!(why.contains("multilingual model"), "{why}");
}

#[test]
fn replies_are_in_the_askers_language_and_emergencies_always() {
    let engine = engine(faq());
    let reading = engine.ask_after("Welche Lebensmittel enthalten viel Magnesium?", None);
    assert_eq!(reading.language.code(), "de");
    let text = faqbot::reply::plain(engine.faq(), reading.language, &reading.outcome);
    assert!(text.contains("Meine Antworten sind auf Englisch"), "{text}");
    assert!(
        text.contains("ruf jetzt deine örtliche Notrufnummer an"),
        "{text}"
    );
    let urgent = engine.ask("quiero morir, ya no aguanto más");
    let Outcome::Urgent { reply, .. } = urgent else {
        panic!("urgent: {urgent:?}");
    };
    assert!(reply.contains("024"), "{reply}");
    let reading = engine.ask_after("what foods are rich in magnesium", None);
    assert!(reading.language.is_english());
}

#[test]
fn english_is_not_read_by_the_multilingual_model() {
    let engine = engine(faq());
    assert_eq!(
        engine.language_of("define restless leg syndrome").code(),
        "en"
    );
    assert_eq!(engine.language_of("wat causes restles legs").code(), "en");
    assert_eq!(
        engine
            .language_of("Welche Lebensmittel enthalten viel Magnesium?")
            .code(),
        "de"
    );
    let why = engine.explain("what foods are rich in magnesium", 3).reason;
    assert!(!why.contains("multilingual"), "{why}");
}

#[test]
fn other_languages_can_be_turned_off() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = crate::common::faq_copy(tmp.path(), &[]);
    let settings = dir.join("settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    let text = text.replace("other_languages: true", "other_languages: false");
    std::fs::write(&settings, text).expect("write settings");
    let engine = engine(&dir);
    assert_eq!(
        read(&engine, "Welche Lebensmittel enthalten viel Magnesium?"),
        "refused"
    );
    assert!(!engine.prepare_other_languages());
}

/// A Spanish translation of `rls-dosage` in `dir`, dated against the
/// English entry as it is (`fresh`) or as it was before an edit.
fn translate_dosage(dir: &Path, fresh: bool) -> std::path::PathBuf {
    let loaded = faqbot::content::load(dir).into_result().expect("loads");
    let english = loaded.get("rls-dosage").expect("the dosage entry");
    let digest = if fresh {
        faqbot::content::translation::digest(english)
    } else {
        "zzzzzzzz".to_string()
    };
    let path = dir.join("rls-dosage.es.md");
    std::fs::write(
        &path,
        format!(
            "---\nquestion: ¿Qué cantidad de magnesio conviene para el SPI?\nalternates:\n  - cantidad diaria de magnesio para las piernas\ntranslated_from: {digest}\n---\nLa mayoría de las personas se benefician de **200–400 mg** de magnesio al día.\n"
        ),
    )
    .expect("write the translation");
    path
}

#[test]
fn a_translation_is_sent_while_it_matches_its_english_entry() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = crate::common::faq_copy(tmp.path(), &[]);
    translate_dosage(&dir, true);
    let engine = engine(&dir);
    assert_eq!(engine.faq().translations.len(), 1);
    let question =
        "¿Cuántos miligramos de magnesio al día debería tomar por mis piernas inquietas?";
    let reading = engine.ask_after(question, None);
    assert_eq!(reading.language.code(), "es");
    let text = faqbot::reply::plain(engine.faq(), reading.language, &reading.outcome);
    assert!(text.starts_with("La mayoría de las personas"), "{text}");
    // Translated: no line saying the answer is in English.
    assert!(!text.contains("inglés"), "{text}");
    assert!(text.contains("no un consejo médico"), "{text}");
    // Other languages still get the English answer, saying so.
    let reading = engine.ask_after(
        "Wie viel Magnesium sollte ich täglich gegen unruhige Beine nehmen?",
        None,
    );
    let text = faqbot::reply::plain(engine.faq(), reading.language, &reading.outcome);
    assert!(text.contains("Englisch"), "{text}");
}

#[test]
fn a_stale_translation_is_not_sent_and_check_says_what_to_do() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = crate::common::faq_copy(tmp.path(), &[]);
    let path = translate_dosage(&dir, false);
    let loaded = faqbot::content::load(&dir);
    let warning = loaded
        .problems
        .iter()
        .find(|p| p.path == path)
        .expect("a warning for the translation");
    assert!(!warning.is_error());
    assert_eq!(warning.line, Some(5), "{warning}");
    assert!(warning.message.contains("has changed since"), "{warning}");
    let faq = loaded.faq.expect("still served");
    assert!(faq.translations.is_empty());
    let engine = Engine::build(faq, &faqbot::engine::Model::built_in(), None).expect("builds");
    let question = "¿Qué dosis de magnesio es la recomendada para las piernas inquietas?";
    let reading = engine.ask_after(question, None);
    let text = faqbot::reply::plain(engine.faq(), reading.language, &reading.outcome);
    assert!(text.starts_with("Most people benefit"), "{text}");
    assert!(text.contains("inglés"), "{text}");
}

#[test]
fn check_warns_when_nothing_can_decide_questions_in_other_languages() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = crate::common::faq_copy(tmp.path(), &["outside.yaml"]);
    let model = faqbot::engine::Model::built_in();
    let checked = faqbot::engine::check::check(&dir, &model, None).expect("checks");
    let warning = checked
        .problems
        .iter()
        .find(|p| p.path.ends_with("outside.yaml"))
        .expect("a warning about outside.yaml");
    assert!(!warning.is_error());
    assert!(warning.message.contains("other languages"), "{warning}");
    assert!(checked.engine.is_some(), "still served");
}

#[test]
fn small_talk_is_answered_in_the_askers_language() {
    use faqbot::engine::Asked;
    let engine = engine(faq());
    let reply = |asked: Asked<'_>| match engine.ask(asked) {
        Outcome::SmallTalk { reply, kind } => format!("{kind}: {reply}"),
        other => panic!("not small talk: {other:?}"),
    };
    // Too short to tell by its words: the sender's setting decides.
    let gracias = reply(Asked::new("gracias", Some("es")));
    assert!(gracias.starts_with("thanks: ¡De nada!"), "{gracias}");
    let thanks = reply(Asked::new("thanks", Some("es")));
    assert!(thanks.starts_with("thanks: You're welcome"), "{thanks}");
    let bot = reply(Asked::from("Bist du ein Bot oder ein Mensch?"));
    assert!(
        bot.starts_with("are_you_a_bot: Ja, ich bin ein Bot"),
        "{bot}"
    );
}

#[test]
fn an_english_question_never_loads_the_multilingual_model() {
    let engine = engine(faq());
    assert_eq!(
        read(&engine, "what foods are rich in magnesium"),
        "magnesium-rich-foods"
    );
    let _ = engine.inline("how much magnesium", 5);
    let _ = engine.explain("wat causes restles legs", 3);
    assert!(!engine.other_languages_built(), "built for English");
    assert_eq!(
        read(&engine, "Welche Lebensmittel enthalten viel Magnesium?"),
        "magnesium-rich-foods"
    );
    assert!(engine.other_languages_built());
}

#[test]
fn follow_ups_in_other_languages_are_read_in_their_conversation() {
    let engine = engine(faq());
    let conversation = |first: &str, then: &str| {
        let first = engine.ask_after(first, None);
        let previous = first.next_previous(None);
        let reading = engine.ask_after(then, previous.as_ref());
        let outcome = match &reading.outcome {
            Outcome::Answer { entry, .. } => entry.id.clone(),
            Outcome::Urgent { .. } => "URGENT".to_string(),
            _ => "refused".to_string(),
        };
        (outcome, reading.context, reading.language.code())
    };
    for (first, then, expected, language) in [
        (
            "¿cuál es el mejor tipo de magnesio para las piernas inquietas?",
            "¿y cuándo lo tomo?",
            "best-time-to-take",
            "es",
        ),
        (
            "Welches Magnesium ist am besten bei unruhigen Beinen?",
            "und wann soll ich es nehmen?",
            "best-time-to-take",
            "de",
        ),
        (
            "Что вызывает синдром беспокойных ног?",
            "а это передаётся по наследству?",
            "rls-genetics",
            "ru",
        ),
        // "a" and "go" are English words, "kiedy" and "brać" Polish: after
        // a question in Polish, Polish.
        (
            "Jaki magnez jest najlepszy na zespół niespokojnych nóg?",
            "a kiedy go brać?",
            "best-time-to-take",
            "pl",
        ),
        // Too short to tell its language alone: the conversation's.
        (
            "Welches Magnesium ist am besten bei unruhigen Beinen?",
            "und wann?",
            "best-time-to-take",
            "de",
        ),
    ] {
        let (outcome, context, code) = conversation(first, then);
        assert_eq!(
            (outcome.as_str(), context, code),
            (expected, true, language),
            "{then}"
        );
    }
    // A subject outside.yaml lists stays refused, read alone or after.
    let (outcome, _, _) = conversation("Quanto magnesio devo prendere?", "e per il mio cane?");
    assert_eq!(outcome, "refused");
}
