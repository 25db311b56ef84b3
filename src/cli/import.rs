//! `pilotdeck import FILE --map MAP.toml`: pilot records from a
//! spreadsheet (see `crate::import`), with the report `check` prints for
//! the rows' problems, then one line per row and the totals.
//! `--suggest-map` writes a first mapping file instead, never over one.

use super::ImportArgs;
use crate::diag::{render_report, Style};
use crate::import::{self, Action};
use anyhow::bail;
use std::io::IsTerminal;
use std::path::Path;

pub(super) fn run(root: &Path, args: ImportArgs) -> anyhow::Result<u8> {
    if args.suggest_map {
        return suggest(root, &args);
    }
    let Some(map) = args.map else {
        bail!("name the mapping file with `--map MAP.toml`\n  = help: `--suggest-map` writes a first one")
    };
    let opts = import::Options { file: args.file, map, sheet: args.sheet, dry_run: args.dry_run };
    let report = import::run(root, &opts)?;
    let style = Style::for_terminal(std::io::stdout().is_terminal());
    if !report.diagnostics.is_empty() {
        print!("{}", render_report(&report.diagnostics, &report.sources, style, "", None));
    }
    for e in &report.entries {
        let record = e.record.as_deref().unwrap_or_default();
        match &e.action {
            Action::Created => println!("created    {record} (row {})", e.row),
            Action::Updated(fields) => println!("updated    {record} (row {}): {}", e.row, fields.join(", ")),
            Action::Unchanged if args.dry_run => println!("unchanged  {record} (row {})", e.row),
            Action::Unchanged => {}
            Action::Skipped(reason) => println!("skipped    row {}: {reason}", e.row),
        }
    }
    let rows = report.entries.len();
    let blank = if report.blank_rows > 0 { format!(" (and {} blank)", report.blank_rows) } else { String::new() };
    println!(
        "{} ({}): {rows} rows{blank}: {} created, {} updated, {} unchanged, {} skipped",
        opts.file.display(),
        report.read_as,
        report.count(|a| *a == Action::Created),
        report.count(|a| matches!(a, Action::Updated(_))),
        report.count(|a| *a == Action::Unchanged),
        report.count(|a| matches!(a, Action::Skipped(_))),
    );
    if report.has_errors() {
        println!("nothing written: fix the errors above, then import again");
    } else if args.dry_run {
        println!("dry run: nothing written");
    }
    Ok(u8::from(report.has_errors()))
}

/// Writes the suggested mapping to `--map`, else to `FILE-STEM.map.toml`
/// in the site's folder; never over a file that exists.
fn suggest(root: &Path, args: &ImportArgs) -> anyhow::Result<u8> {
    let (config, _) = {
        let mut sources = crate::text::Sources::default();
        let mut diags = Vec::new();
        crate::pipeline::check_site(root)?;
        (crate::pipeline::read_config(root, &mut sources, &mut diags)?, diags)
    };
    let sheet = import::read::read(&args.file, args.sheet.as_deref(), None)?;
    let stem = args.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    let path = args.map.clone().unwrap_or_else(|| root.join(format!("{stem}.map.toml")));
    let name = args.file.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let text = import::suggest::suggest(&sheet, &config, &name);
    if !super::write_new(&path, text.as_bytes())? {
        bail!("`{}` already exists\n  = help: it is never overwritten: name another file with `--map`", path.display());
    }
    println!("{}", path.display());
    eprintln!(
        "read {name} ({}): {} columns, {} rows; check the mapping, then run `pilotdeck import {} --map {} --dry-run`",
        sheet.read_as,
        sheet.header.len(),
        sheet.rows.len(),
        args.file.display(),
        path.display()
    );
    Ok(0)
}
