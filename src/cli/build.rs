//! `pilotdeck build`: the whole site, or every content error and nothing written.

use super::BuildArgs;
use crate::diag::{plural, render_human, Style};
use crate::pipeline::{self, Options};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

pub(super) fn run(root: &Path, args: BuildArgs) -> anyhow::Result<u8> {
    let start = Instant::now();
    let opts = Options {
        root: root.to_path_buf(),
        output: args.output,
        as_of: args.as_of,
        base_url: args.base_url,
        drafts: args.drafts,
        force: args.force,
    };
    let report = pipeline::build(&opts)?;
    let code = print(&report, start);
    // The process ends now: freeing the model of thousands of records (and
    // what the build spent on the way) one allocation at a time would only
    // delay the exit (by a tenth of a second at 10,000 pilots), and the
    // system takes the memory back whole.
    std::mem::forget(report);
    Ok(code)
}

fn print(report: &pipeline::Report, start: Instant) -> u8 {
    let a = &report.analysis;
    for n in &a.notes {
        eprintln!("{n}");
    }
    let errors: Vec<_> = a.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    let warnings = a.diagnostics.len() - errors.len();
    match &report.written {
        None => {
            eprint!("{}", render_human(&errors, &a.sources, Style::for_terminal(std::io::stderr().is_terminal())));
            if warnings > 0 {
                eprintln!("{} (run `pilotdeck check` to see them)", plural(warnings, "warning"));
            }
            eprintln!(
                "error: the site was not built: {}; the previous output was left as it was",
                plural(errors.len(), "error")
            );
            1
        }
        Some(w) => {
            for warning in &w.files.warnings {
                eprintln!("warning: {warning}");
            }
            if warnings > 0 {
                eprintln!("{} (run `pilotdeck check` to see them)", plural(warnings, "warning"));
            }
            eprintln!(
                "built {} pilots and {} pages as of {} into {} in {} ms ({} of {} files written, the rest unchanged)",
                a.site.pilots.len(),
                w.pages,
                a.site.as_of,
                w.dir.display(),
                start.elapsed().as_millis(),
                w.files.written,
                w.files.files,
            );
            0
        }
    }
}
