//! `pilotdeck init [DIR]`: writes the example site, refusing to overwrite;
//! with `--empty`, a site without the example organisation.

use super::InitArgs;
use anyhow::{bail, Context};
use std::path::Path;

pub fn run(root: &Path, args: InitArgs) -> anyhow::Result<u8> {
    let dir = args.dir.unwrap_or_else(|| root.to_path_buf());
    if dir.join("pilotdeck.toml").exists() || dir.join("content").exists() {
        bail!("`{}` already holds a site (pilotdeck.toml or content/); choose an empty folder", dir.display());
    }
    let config = empty_config();
    let files: Vec<(String, &[u8])> = if args.empty {
        vec![("pilotdeck.toml".to_string(), config.as_bytes())]
    } else {
        crate::theme::example_site().iter().map(|&(rel, bytes)| (rel.to_string(), bytes)).collect()
    };
    // Made (and refused if its file is there) before anything is written.
    let ci = args.ci.map(|ci| super::ci::workflow(&dir, ci, None)).transpose()?;
    // Nothing that is there already is overwritten: every file is checked
    // before the first is written.
    let taken: Vec<String> = files
        .iter()
        .filter(|(rel, _)| std::fs::symlink_metadata(dir.join(rel)).is_ok())
        .map(|(rel, _)| format!("`{rel}`"))
        .collect();
    if !taken.is_empty() {
        bail!("`{}` already holds {}; choose an empty folder", dir.display(), taken.join(", "));
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, bytes))
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    if args.empty {
        // Empty folders: a playbook copied in brings its own index page
        // (`README.md`, `index.md`), which one of ours would clash with.
        for folder in ["content/pilots", "content/playbook"] {
            let path = dir.join(folder);
            std::fs::create_dir_all(&path).with_context(|| format!("cannot create `{}`", path.display()))?;
        }
    }
    if let Some(workflow) = &ci {
        super::ci::write(workflow)?;
    }
    eprintln!("created a new site in {}; build it with `pilotdeck --root {} build`", dir.display(), dir.display());
    Ok(0)
}

/// The example's `pilotdeck.toml`, with its comments, without the example
/// organisation's name and address.
fn empty_config() -> String {
    let example = crate::theme::example_site()
        .iter()
        .find(|(rel, _)| *rel == "pilotdeck.toml")
        .map_or("", |(_, bytes)| std::str::from_utf8(bytes).unwrap_or_default());
    example
        .lines()
        .map(|line| {
            if line.starts_with("# pilotdeck.toml:") {
                "# pilotdeck.toml: site settings for the AI pilot portfolio."
            } else if line.starts_with("title = ") {
                "title = \"AI Pilot Portfolio\""
            } else if line.starts_with("base_url = ") {
                "base_url = \"https://intranet.example/pilots\""
            } else {
                line
            }
        })
        .map(|line| format!("{line}\n"))
        .collect()
}
