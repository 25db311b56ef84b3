//! `pilotdeck check`: every problem in the content, errors and warnings.

use super::CheckArgs;
use crate::diag::{render_human, summary};
use crate::pipeline::{self, Options};
use std::path::Path;

pub fn run(root: &Path, args: CheckArgs) -> anyhow::Result<u8> {
    let opts = Options { root: root.to_path_buf(), as_of: args.as_of, drafts: args.drafts, ..Options::default() };
    let a = pipeline::analyse(&opts)?;
    for n in &a.notes {
        eprintln!("{n}");
    }
    eprint!("{}", render_human(&a.diagnostics, &a.sources));
    eprintln!("{}", summary(&a.diagnostics));
    Ok(u8::from(a.has_errors()))
}
