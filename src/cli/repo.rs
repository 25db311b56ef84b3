//! Where a site sits in its git repository: the repository's top, where
//! hooks and CI files are looked for, and the site's folder below it, which
//! the hook and the CI workflows build.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// The top of the git repository that holds `site`, and the site's folder
/// below it (`.` at the top), or `None` outside a repository or without git.
/// `site` need not exist yet: its nearest folder that does is asked.
pub(super) fn site_in_repo(site: &Path) -> anyhow::Result<Option<(PathBuf, String)>> {
    let abs = std::path::absolute(site).with_context(|| format!("cannot resolve `{}`", site.display()))?;
    let Some(existing) = abs.ancestors().find(|a| a.is_dir()) else {
        return Ok(None);
    };
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(existing)
        .args(["rev-parse", "--show-toplevel"])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output();
    let top = match out {
        Ok(out) if out.status.success() => PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        _ => return Ok(None),
    };
    let canonical = |p: &Path| std::fs::canonicalize(p).with_context(|| format!("cannot resolve `{}`", p.display()));
    let top = canonical(&top)?;
    let here = canonical(existing)?.join(abs.strip_prefix(existing).unwrap_or(Path::new("")));
    let Ok(below) = here.strip_prefix(&top) else {
        return Ok(None);
    };
    let Some(below) = below.to_str() else {
        bail!("the site's folder `{}` is not valid UTF-8, which a hook or a CI file cannot name", below.display());
    };
    let below = if below.is_empty() { ".".to_string() } else { below.replace('\\', "/") };
    Ok(Some((top, below)))
}
