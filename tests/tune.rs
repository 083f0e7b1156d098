//! `faqbot tune`: a curator retunes a folder in one command; every command
//! given that folder then uses its tuning; `check` says when the content
//! has changed since, and names a damaged tuning file.

use std::path::{Path, PathBuf};

use crate::common::{faq_dir, faqbot, stderr, stdout};

/// A small FAQ of four real entries (with their alternates) and no
/// outside examples, so tuning it takes seconds.
fn small_faq(tmp: &Path) -> PathBuf {
    let dir = tmp.join("faq");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(faq_dir().join("settings.yaml"), dir.join("settings.yaml")).unwrap();
    for name in [
        "rls-dosage.md",
        "magnesium-citrate.md",
        "iron-deficiency.md",
        "rls-causes.md",
    ] {
        // Without their links: the entries they name are not here.
        let text = std::fs::read_to_string(faq_dir().join(name)).unwrap();
        let mut kept = Vec::new();
        let mut in_related = false;
        for line in text.lines() {
            if line.starts_with("related:") {
                in_related = true;
                continue;
            }
            if in_related && line.starts_with("  -") {
                continue;
            }
            in_related = false;
            kept.push(line);
        }
        std::fs::write(dir.join(name), kept.join("\n") + "\n").unwrap();
    }
    dir
}

fn tune(faq: &Path) -> String {
    let out = faqbot(faq, &["--vector-cache", "off", "tune", "--epochs", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_tuned_folder_is_used_and_check_says_when_it_is_out_of_date() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = small_faq(tmp.path());
    let summary = tune(&faq);
    assert!(summary.contains("Tuned all-MiniLM-L6-v2"), "{summary}");
    assert!(summary.contains("before"), "{summary}");
    let weights = faq.join("tuning/lora.safetensors");
    let size = std::fs::metadata(&weights).unwrap().len();
    assert!(
        size < 1024 * 1024,
        "a tuning is kilobytes, not the model: {size}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(faq.join("tuning/manifest.json")).unwrap()).unwrap();
    for key in [
        "base_checksum",
        "content_digest",
        "created",
        "settings",
        "figures",
    ] {
        assert!(manifest.get(key).is_some(), "{key} in {manifest}");
    }

    let out = faqbot(&faq, &["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(!stdout(&out).contains("faqbot tune"), "{}", stdout(&out));
    let out = faqbot(&faq, &["ask", "--json", "how much magnesium should i take"]);
    let reply: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(reply["id"], "rls-dosage", "{reply}");

    // Tuning learns from the entries only: examples of what the FAQ does
    // not answer are for the learned decision, and adding them leaves the
    // tuning up to date.
    assert!(summary.contains("in 4 classes"), "{summary}");
    std::fs::write(
        faq.join("outside.yaml"),
        "reasons:\n  other_supplements:\n    about: Other supplements.\n    examples:\n      - how much zinc should i take\n      - is turmeric good for joints\n",
    )
    .unwrap();
    let out = faqbot(&faq, &["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(!stdout(&out).contains("faqbot tune"), "{}", stdout(&out));

    // A curator adds a phrasing: the tuning is still used, and check says
    // to tune again, naming the manifest.
    let entry = faq.join("rls-dosage.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    let text = text.replacen(
        "alternates:\n",
        "alternates:\n  - how many milligrams of magnesium a day\n",
        1,
    );
    std::fs::write(&entry, text).unwrap();
    let out = faqbot(&faq, &["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let shown = stdout(&out);
    assert!(shown.contains("tuning/manifest.json"), "{shown}");
    assert!(shown.contains("run `faqbot tune`"), "{shown}");

    // A damaged weights file is named, with the way out.
    std::fs::write(&weights, b"not weights").unwrap();
    let out = faqbot(&faq, &["check"]);
    assert!(!out.status.success());
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    assert!(shown.contains("lora.safetensors"), "{shown}");
    assert!(shown.contains("faqbot tune"), "{shown}");
}

#[test]
fn tuning_twice_gives_identical_weights() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = small_faq(tmp.path());
    tune(&faq);
    let first = std::fs::read(faq.join("tuning/lora.safetensors")).unwrap();
    tune(&faq);
    let second = std::fs::read(faq.join("tuning/lora.safetensors")).unwrap();
    assert!(first == second, "two runs gave different weights");
}

#[test]
fn content_with_errors_is_not_tuned() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = small_faq(tmp.path());
    std::fs::write(faq.join("broken.md"), "---\nquestion: [\n---\n").unwrap();
    let out = faqbot(&faq, &["tune"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("broken.md"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was tuned"),
        "{}",
        stderr(&out)
    );
    assert!(!faq.join("tuning").exists());
}
