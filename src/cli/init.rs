//! `pilotdeck init [DIR]`: writes the example site, refusing to overwrite.

use super::InitArgs;
use anyhow::{bail, Context};
use std::path::Path;

pub fn run(root: &Path, args: InitArgs) -> anyhow::Result<u8> {
    let dir = args.dir.unwrap_or_else(|| root.to_path_buf());
    if dir.join("pilotdeck.toml").exists() || dir.join("content").exists() {
        bail!("`{}` already holds a site (pilotdeck.toml or content/); choose an empty folder", dir.display());
    }
    for (rel, bytes) in crate::theme::example_site() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    if let Some(ci) = args.ci {
        let (path, text) = match ci {
            super::Ci::Github => (".github/workflows/pilotdeck.yml", include_str!("../../ci/github-workflow.yml")),
            super::Ci::Gitlab => (".gitlab-ci.yml", include_str!("../../ci/gitlab-ci.yml")),
        };
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    eprintln!("created a new site in {}; build it with `pilotdeck --root {} build`", dir.display(), dir.display());
    Ok(0)
}
