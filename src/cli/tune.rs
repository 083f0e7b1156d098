//! `faqbot tune`: fit the sentence model to the FAQ folder's examples and
//! store what it learned in `DIR/tuning/` (see [`crate::tune`]).

use std::io::Write;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::content;
use crate::tune::{self, Manifest, Progress, Settings, Stored};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Passes over the examples.
    #[arg(long, value_name = "N", default_value_t = Settings::default().epochs)]
    epochs: usize,
    /// Seed of the random choices (pairs, starting weights): the same
    /// seed and content give the same tuning.
    #[arg(long, value_name = "N", default_value_t = Settings::default().seed)]
    seed: u64,
    /// Rank of the learned deltas (for experiments).
    #[arg(long, hide = true, default_value_t = Settings::default().rank)]
    rank: usize,
    /// Learning rate (for experiments).
    #[arg(long, hide = true, default_value_t = Settings::default().learning_rate)]
    learning_rate: f64,
    /// Pairs per step (for experiments).
    #[arg(long, hide = true, default_value_t = Settings::default().batch)]
    batch: usize,
    /// Leave the answers out of the examples (for experiments).
    #[arg(long, hide = true)]
    no_answers: bool,
    /// Write the tuning here instead of DIR/tuning's folder (for
    /// experiments): DIR is still what is learned from.
    #[arg(long, hide = true, value_name = "DIR")]
    into: Option<std::path::PathBuf>,
}

pub fn run(ctx: &super::Context, args: &Args) -> super::CommandResult {
    let faq = content::load(&ctx.faq).into_result().map_err(|err| {
        super::failure(
            1,
            format!("{err}\nFix the content first (`faqbot check` lists every problem); nothing was tuned."),
        )
    })?;
    let base = ctx.model().base()?;
    let settings = Settings {
        epochs: args.epochs,
        seed: args.seed,
        rank: args.rank,
        learning_rate: args.learning_rate,
        batch: args.batch,
        answers: !args.no_answers,
        ..Settings::default()
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:10} [{bar:30}] {pos}/{len} steps, {elapsed} {prefix}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("measuring");
    let mut report = |p: Progress| match p {
        Progress::Measuring => bar.set_message("measuring"),
        Progress::Training { steps } => {
            bar.set_length(steps as u64);
            bar.set_message("training");
        }
        Progress::Step { done, loss } => {
            bar.set_position(done as u64);
            bar.set_prefix(format!("loss {loss:.3}"));
        }
    };
    let tuned = tune::tune(&faq, &base, &settings, &mut report)
        .map_err(|err| super::failure(1, format!("{err}; nothing was written")))?;
    bar.finish_and_clear();
    let mut manifest = Manifest {
        format: 1,
        base_model: base.name.clone(),
        base_checksum: format!("{:016x}", base.checksum),
        content_digest: tune::content_digest(&faq),
        created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        weights_checksum: String::new(),
        settings,
        figures: tuned.summary.clone(),
    };
    let target = args.into.as_deref().unwrap_or(&ctx.faq);
    let dir = Stored::write(target, &tuned.lora, &mut manifest)?;
    let s = &tuned.summary;
    let size = std::fs::metadata(dir.join("lora.safetensors")).map_or(0, |m| m.len());
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Tuned {} on {} examples in {} classes: {} epochs, {} steps, loss {:.3} -> {:.3}, {:.0} s.",
        base.name, s.examples, s.classes, s.epochs, s.steps, s.first_loss, s.last_loss, s.seconds
    )?;
    match (s.leave_one_out_before, s.leave_one_out_after) {
        (Some(before), Some(after)) => writeln!(
            out,
            "Each phrasing's nearest other phrasing is of its own entry: {:.1}% before, {:.1}% after.",
            before * 100.0,
            after * 100.0
        )?,
        _ => writeln!(
            out,
            "No entry has alternates, so each learned from its answer; add alternates (other ways people ask) and tune again to learn more."
        )?,
    }
    writeln!(
        out,
        "Wrote {} ({} numbers, {} KB) and its manifest. Every command given this FAQ folder uses it from now on; the bot picks it up at its next reload.",
        dir.display(),
        s.parameters,
        size / 1024
    )?;
    Ok(ExitCode::SUCCESS)
}
