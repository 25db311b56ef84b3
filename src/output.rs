//! The built site in memory, and writing it. [`write_atomically`] writes
//! the new site beside the old one and swaps it in, so that a failed build
//! leaves the previous output whole.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One output file's content.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file copied as it is (images, PDFs): not read into memory.
    Copy(PathBuf),
}

/// Every file of the site, by path relative to the output folder.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Content::Bytes(bytes.into()));
    }

    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.files.insert(path.into(), Content::Copy(from));
    }

    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }
}

/// Refuses an output folder that would overwrite the site's own files.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let root = absolute(root)?;
    let out = absolute(out)?;
    if root.starts_with(&out) {
        bail!("the output folder `{}` contains the site itself; choose a folder such as `public`", out.display());
    }
    for own in ["content", "static", "templates", "themes", "pilotdeck.toml", ".git"] {
        if out.starts_with(root.join(own)) {
            bail!(
                "the output folder `{}` is inside the site's `{own}`; choose a folder such as `public`",
                out.display()
            );
        }
    }
    Ok(())
}

/// The absolute, normalised form of `p` (which may not exist yet).
fn absolute(p: &Path) -> Result<PathBuf> {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve links in the part that exists, so `a/../b` and links agree.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for n in rest.into_iter().rev() {
        resolved.push(n);
    }
    Ok(resolved)
}

/// Writes `output` to `dir`: into a fresh sibling folder first, then swapped
/// in. On any error the new folder is removed and `dir` is as it was.
pub fn write_atomically(output: &Output, dir: &Path) -> Result<()> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.new-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&staging);
    if let Err(e) = write_all(output, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        let meta = fs::symlink_metadata(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
        if !meta.is_dir() {
            let _ = fs::remove_dir_all(&staging);
            bail!("`{}` exists and is not a folder", dir.display());
        }
        fs::rename(dir, &old).with_context(|| format!("cannot move the previous `{}` aside", dir.display()))?;
        if let Err(e) = fs::rename(&staging, dir) {
            let _ = fs::rename(&old, dir);
            let _ = fs::remove_dir_all(&staging);
            return Err(e).with_context(|| format!("cannot put the new site in `{}`", dir.display()));
        }
        fs::remove_dir_all(&old).with_context(|| format!("cannot remove the previous site at `{}`", old.display()))?;
    } else {
        fs::rename(&staging, dir).with_context(|| format!("cannot put the new site in `{}`", dir.display()))?;
    }
    Ok(())
}

fn write_all(output: &Output, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    for (rel, content) in &output.files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).with_context(|| format!("cannot create `{}`", p.display()))?;
        }
        match content {
            Content::Bytes(b) => fs::write(&path, b).with_context(|| format!("cannot write `{}`", path.display()))?,
            Content::Copy(from) => {
                fs::copy(from, &path).with_context(|| format!("cannot copy `{}`", from.display()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_and_keeps_old_on_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut out = Output::default();
        out.add("index.html", "one");
        write_atomically(&out, &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "one");
        let mut bad = Output::default();
        bad.add("index.html", "two");
        bad.copy("missing.bin", tmp.path().join("does-not-exist"));
        assert!(write_atomically(&bad, &dir).is_err());
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "one");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn refuses_site_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, &root.join("..")).is_err());
    }
}
