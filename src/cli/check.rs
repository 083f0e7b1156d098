//! `faqbot check`: every problem in the FAQ folder, with file and line.

use std::path::Path;
use std::process::ExitCode;

use crate::content;

pub fn run(faq: &Path) -> ExitCode {
    let loaded = content::load(faq);
    for problem in &loaded.problems {
        println!("{problem}");
    }
    let errors = loaded.errors().count();
    let warnings = loaded.problems.len() - errors;
    match &loaded.faq {
        Some(faq_content) => {
            let phrasings: usize = faq_content
                .entries
                .iter()
                .map(|e| e.phrasings().count())
                .sum();
            println!(
                "{}: {} entries, {phrasings} phrasings: OK ({warnings} warning(s))",
                faq.display(),
                faq_content.entries.len()
            );
            ExitCode::SUCCESS
        }
        None => {
            println!(
                "{}: {} file(s) checked: {errors} error(s), {warnings} warning(s). Fix the errors above and run `faqbot check` again.",
                faq.display(),
                loaded.files
            );
            ExitCode::FAILURE
        }
    }
}
