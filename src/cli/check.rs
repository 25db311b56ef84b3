//! `pilotdeck check`: every problem in the content, errors and warnings, as
//! text for people, JSON lines for tools, or GitHub workflow commands.

use super::{CheckArgs, Format};
use crate::diag::{render_github, render_human, render_json, summary, Severity, Style};
use crate::pipeline::{self, Options};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(root: &Path, args: CheckArgs) -> anyhow::Result<u8> {
    let opts =
        Options { root: root.to_path_buf(), as_of: args.as_of.clone(), drafts: args.drafts, ..Options::default() };
    let mut a = pipeline::analyse(&opts)?;
    let theme = crate::theme::load(root, a.config.theme.as_deref())?;
    pipeline::check_addresses(&mut a, &theme, root);
    for n in &a.notes {
        eprintln!("{n}");
    }
    match args.format {
        Format::Human => eprint!(
            "{}",
            render_human(&a.diagnostics, &a.sources, Style::for_terminal(std::io::stderr().is_terminal()))
        ),
        Format::Json => print!("{}", render_json(&a.diagnostics, &a.sources)),
        Format::Github => print!("{}", render_github(&a.diagnostics, &a.sources)),
    }
    eprintln!("{}", summary(&a.diagnostics));
    let warnings = a.diagnostics.iter().any(|d| d.severity == Severity::Warning);
    Ok(u8::from(a.has_errors() || (args.deny_warnings() && warnings)))
}
