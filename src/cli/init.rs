//! `pilotdeck init [DIR]`: writes the example site, refusing to overwrite.

use super::InitArgs;
use anyhow::{bail, Context};
use std::path::Path;

pub fn run(root: &Path, args: InitArgs) -> anyhow::Result<u8> {
    let dir = args.dir.unwrap_or_else(|| root.to_path_buf());
    if dir.join("pilotdeck.toml").exists() || dir.join("content").exists() {
        bail!("`{}` already holds a site (pilotdeck.toml or content/); choose an empty folder", dir.display());
    }
    let mut files: Vec<(String, &[u8])> =
        crate::theme::example_site().iter().map(|&(rel, bytes)| (rel.to_string(), bytes)).collect();
    let ci = args.ci.map(|ci| match ci {
        super::Ci::Github => (".github/workflows/pilotdeck.yml", include_str!("../../ci/github-workflow.yml")),
        super::Ci::Gitlab => (".gitlab-ci.yml", include_str!("../../ci/gitlab-ci.yml")),
    });
    files.extend(ci.map(|(rel, text)| (rel.to_string(), text.as_bytes())));
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
    if let Some((rel, _)) = ci {
        eprintln!("wrote {}", dir.join(rel).display());
    }
    eprintln!("created a new site in {}; build it with `pilotdeck --root {} build`", dir.display(), dir.display());
    Ok(0)
}
