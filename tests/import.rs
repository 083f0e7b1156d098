//! `faqbot import` on real files: both source articles, CSV exports, and
//! bad input (a malformed CSV, a missing file, existing files).

use faqbot::curate::draft::ALTERNATES_HELP;
use std::path::{Path, PathBuf};

use crate::common::{faq_dir, faqbot, stderr, stdout};

/// The source articles, kept beside the repository in `shared/seeds`.
fn seeds() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    (seeds.len() == 2).then_some(seeds)
}

fn draft(out: &Path, id: &str) -> String {
    std::fs::read_to_string(out.join(format!("{id}.md"))).unwrap_or_else(|e| panic!("{id}.md: {e}"))
}

#[test]
#[ignore = "needs ../shared/seeds beside the checkout; .ci/run runs it there"]
fn both_source_articles_import_into_drafts_that_pass_check() {
    let seeds =
        seeds().expect("../shared/seeds with the two source articles beside the repository");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("drafts");
    // A new FAQ: the live one already asks most of these questions (see
    // the next test).
    let new_faq = tmp.path().join("faq");
    std::fs::create_dir(&new_faq).unwrap();
    let mut args = vec!["import"];
    args.extend(seeds.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap()]);
    let run = faqbot(&new_faq, &args);
    let text = stdout(&run);
    assert!(run.status.success(), "{text}\n{}", stderr(&run));
    assert!(
        text.contains("000_f675e27adde3d7b2.txt: 9 entries drafted"),
        "{text}"
    );
    assert!(
        text.contains("skipped  lines 1-3: the introduction before the first question"),
        "{text}"
    );
    assert!(
        text.contains("\"Conclusion\": a part of the article"),
        "{text}"
    );

    // Questions ending in "?" with their paragraphs and lists.
    assert_eq!(
        draft(&out, "what-causes-rls"),
        format!(
            "---\nquestion: What Causes RLS?\nalternates:\n{ALTERNATES_HELP}---\nThe exact cause of RLS is still not fully understood, but several factors may contribute to its development:\n\n- Genetics: There is evidence suggesting that RLS can run in families.\n- Iron Deficiency: Low levels of iron in the brain may be linked to RLS symptoms.\n- Chronic Conditions: Conditions such as kidney failure, diabetes, and peripheral neuropathy have been associated with RLS.\n- Medications: Certain medications, such as antihistamines and antidepressants, may trigger or worsen RLS symptoms.\n"
        )
    );
    // The closing "In conclusion" paragraph is not part of the last answer.
    assert!(!draft(&out, "are-there-other-treatments-for-rls").contains("In conclusion"));
    // Headings with their paragraph.
    assert!(draft(&out, "daily-magnesium-requirements").contains("310–420 mg"));
    assert!(text.contains("reword it as people would ask it"), "{text}");
    // The numbered FAQ at the end of the second article, all five.
    for (id, answer) in [
        ("can-magnesium-cure-restless-leg-syndrome", "isn’t a cure"),
        (
            "how-long-does-magnesium-take-to-work-for-rls",
            "within days",
        ),
        (
            "is-magnesium-safe-to-take-every-day",
            "Yes, when taken within recommended doses.",
        ),
        ("can-i-get-enough-magnesium-from-food-alone", "dietary gaps"),
        ("which-magnesium-is-best-for-sleep-and-rls", "glycinate"),
    ] {
        let d = draft(&out, id);
        assert!(d.contains(answer), "{id}: {d}");
    }
    assert!(!out.join("frequently-asked-questions-faqs.md").exists());
    assert!(!out.join("conclusion.md").exists());

    let check = faqbot(&out, &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));

    // Importing again changes nothing and says why.
    let before: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let again = faqbot(&new_faq, &args);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("Drafted 0 entries"),
        "{}",
        stdout(&again)
    );
    assert!(
        stdout(&again).contains("already asks this question"),
        "{}",
        stdout(&again)
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), before.len());
}

/// Drafts are made to be moved into `faq/`: none is named like an entry
/// there (moving it would replace that entry), none repeats a wording
/// already there, and the suggested check sees both folders together.
#[test]
fn imports_never_collide_with_or_repeat_the_live_faq() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("sheet.csv");
    std::fs::write(
        &csv,
        concat!(
            "question,answer,alternates\n",
            // Its name would be best-type.md, an entry of faq/.
            "Best type?,Glycinate is gentle on the stomach.,gentlest magnesium|does magnesium help rls\n",
            // Asked word for word by faq/what-is-rls.md.
            "What is Restless Legs Syndrome (RLS)?,A condition.,\n",
        ),
    )
    .unwrap();
    let out = tmp.path().join("drafts");
    let run = faqbot(
        &faq_dir(),
        &[
            "import",
            csv.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let text = stdout(&run);
    assert!(run.status.success(), "{text}\n{}", stderr(&run));
    assert!(out.join("best-type-2.md").exists(), "{text}");
    assert!(!out.join("best-type.md").exists(), "{text}");
    assert!(
        text.contains("note: left out the alternate \"does magnesium help rls\": the entry `can-magnesium-help` already uses it"),
        "{text}"
    );
    assert!(
        text.contains("\"What is Restless Legs Syndrome (RLS)?\": the entry `what-is-rls` already asks this question"),
        "{text}"
    );
    let suggested = format!(
        "faqbot --faq {} check --drafts {}",
        faq_dir().display(),
        out.display()
    );
    assert!(text.contains(&suggested), "{text}");
    let check = faqbot(&faq_dir(), &["check", "--drafts", out.to_str().unwrap()]);
    let report = stdout(&check);
    assert!(!report.contains("duplicate id"), "{report}");
    assert!(
        report.contains("44 entries"),
        "the live 43 and the draft: {report}"
    );
}

/// A Word file is a zip: "importing" it as text made drafts of its bytes.
#[test]
fn binary_and_unknown_formats_are_refused_with_the_way_out() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("notes.docx");
    std::fs::write(&docx, b"PK\x03\x04\x14\x00\x06\x00word/document.xml").unwrap();
    let disguised = tmp.path().join("notes.txt");
    std::fs::write(&disguised, b"PK\x03\x04\x14\x00\x06\x00Is it safe?\nYes.\n").unwrap();
    let out = tmp.path().join("drafts");
    let run = faqbot(
        &faq_dir(),
        &[
            "import",
            docx.to_str().unwrap(),
            disguised.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("notes.docx: faqbot cannot read `.docx` files; it reads .txt, .md"),
        "{err}"
    );
    assert!(err.contains("\"Plain text (.txt)\""), "{err}");
    assert!(
        err.contains("notes.txt: it is not a text file (it holds binary data"),
        "{err}"
    );
    assert!(
        stdout(&run).contains("Drafted 0 entries"),
        "{}",
        stdout(&run)
    );
    assert_eq!(std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn csv_exports_with_alternates_and_missing_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("sheet.csv");
    std::fs::write(
        &csv,
        "question,answer,alternates\n\"How should I store magnesium?\",\"In a cool, dry place.\",mag storage|storing magnesium\nDoes zinc help RLS?,,zinc for rls\n",
    )
    .unwrap();
    let out = tmp.path().join("drafts");
    let run = faqbot(
        &faq_dir(),
        &[
            "import",
            csv.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let text = stdout(&run);
    assert!(
        text.contains("1 draft has no answer in the source"),
        "{text}"
    );
    assert_eq!(
        draft(&out, "how-should-i-store-magnesium"),
        format!(
            "---\nquestion: How should I store magnesium?\nalternates:\n  - mag storage\n  - storing magnesium\n{ALTERNATES_HELP}---\nIn a cool, dry place.\n"
        )
    );
    assert!(draft(&out, "does-zinc-help-rls").contains("TODO: write the answer"));
    let check = faqbot(&out, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = stdout(&check);
    assert!(
        report.contains("does-zinc-help-rls.md:9: error: the answer is still the placeholder"),
        "{report}"
    );
    assert!(report.contains("1 error(s)"), "{report}");
}

#[test]
fn a_malformed_csv_is_refused_whole_and_other_files_still_import() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.csv");
    std::fs::write(
        &bad,
        "question,answer\nFine?,Yes.\nBroken?,Yes, it has a comma\n",
    )
    .unwrap();
    let good = tmp.path().join("good.md");
    std::fs::write(
        &good,
        "## Does magnesium go off?\n\nIt keeps for years in a dry place.\n",
    )
    .unwrap();
    let out = tmp.path().join("drafts");
    let run = faqbot(
        &faq_dir(),
        &[
            "import",
            bad.to_str().unwrap(),
            good.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("bad.csv: line 3 has 3 field(s) but the header has 2"),
        "{err}"
    );
    assert!(err.contains("double quotes"), "{err}");
    assert!(err.contains("Nothing was drafted from this file."), "{err}");
    assert!(!out.join("fine.md").exists(), "nothing from the bad file");
    assert!(
        out.join("does-magnesium-go-off.md").exists(),
        "{}",
        stdout(&run)
    );

    let header = tmp.path().join("header.csv");
    std::fs::write(&header, "q;a\nx;y\n").unwrap();
    let run = faqbot(
        &faq_dir(),
        &[
            "import",
            header.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("must name the columns `question` and `answer`"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn missing_files_and_existing_drafts_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("drafts");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(
        out.join("does-magnesium-go-off.md"),
        "my own notes, not an entry",
    )
    .unwrap();
    let doc = tmp.path().join("article.txt");
    std::fs::write(
        &doc,
        "Does magnesium go off?\nIt keeps for years in a dry place.\n",
    )
    .unwrap();
    let run = faqbot(
        &faq_dir(),
        &[
            "import",
            doc.to_str().unwrap(),
            "/definitely/not/here.txt",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("here.txt: there is no such file"),
        "{}",
        stderr(&run)
    );
    assert!(
        stdout(&run).contains("does-magnesium-go-off.md already exists and was left as it is"),
        "{}",
        stdout(&run)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("does-magnesium-go-off.md")).unwrap(),
        "my own notes, not an entry"
    );
    let run = faqbot(&faq_dir(), &["import", doc.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "--out is required");
}
