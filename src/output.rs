//! The built site, and writing it. [`replace_dir`] writes the new site
//! beside the old one and swaps it in, so that a failed build leaves the
//! previous output whole; files that did not change are linked, not
//! written again.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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
pub fn write_atomically(output: &Output, dir: &Path) -> Result<Written> {
    replace_dir(dir, |stage| {
        for (rel, content) in &output.files {
            stage.put(rel, content)?;
        }
        Ok(())
    })
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files in the new output.
    pub files: usize,
    /// Files whose bytes were written (new or changed).
    pub written: usize,
}

/// The folder a new site is written into before it replaces the old one.
/// A file whose bytes are those of the same file in the previous output is
/// hard-linked from it rather than written again, so a rebuild writes only
/// the files that changed, and unchanged files keep their time stamps (for
/// `rsync` and other tools that copy what changed).
pub struct Stage {
    dir: PathBuf,
    previous: Option<PathBuf>,
    files: AtomicUsize,
    written: AtomicUsize,
}

impl Stage {
    /// The path of `rel` in the new site, its folder made.
    fn place(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).with_context(|| format!("cannot create `{}`", p.display()))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(path)
    }

    /// Puts one file into the new site as `write` makes it, so that a large
    /// file is never whole in memory (may be called from many threads). A
    /// file that comes out the same as in the previous output is replaced by
    /// a link to that one.
    pub fn put_with(&self, rel: &str, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        let path = self.place(rel)?;
        let file = fs::File::create(&path).with_context(|| format!("cannot write `{}`", path.display()))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)?;
        out.flush().with_context(|| format!("cannot write `{}`", path.display()))?;
        drop(out);
        if let Some(prev) = &self.previous {
            let old = prev.join(rel);
            let link = path.with_extension("pilotdeck-link");
            if same_file_bytes(&old, &path) && fs::hard_link(&old, &link).is_ok() {
                fs::rename(&link, &path).with_context(|| format!("cannot write `{}`", path.display()))?;
                return Ok(());
            }
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Puts one file into the new site (may be called from many threads).
    pub fn put(&self, rel: &str, content: &Content) -> Result<()> {
        let path = self.place(rel)?;
        if let Some(prev) = &self.previous {
            let old = prev.join(rel);
            let same = match content {
                Content::Bytes(bytes) => same_bytes(&old, bytes),
                Content::Copy(from) => same_file_bytes(&old, from),
            };
            if same && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        match content {
            Content::Bytes(b) => fs::write(&path, b).with_context(|| format!("cannot write `{}`", path.display()))?,
            Content::Copy(from) => {
                fs::copy(from, &path).with_context(|| format!("cannot copy `{}`", from.display()))?;
            }
        }
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

/// Whether the file at `path` holds exactly the bytes of the file `from`
/// (read a block at a time: such files can be large).
fn same_file_bytes(path: &Path, from: &Path) -> bool {
    use std::io::Read;
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(path), fs::metadata(from)) else { return false };
    if !a.is_file() || a.len() != b.len() {
        return false;
    }
    let (Ok(mut a), Ok(mut b)) = (fs::File::open(path), fs::File::open(from)) else { return false };
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match a.read(&mut x) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return true;
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

/// Builds a new `dir` with `fill` in a fresh sibling folder, then swaps it
/// in. On any error the new folder is removed and `dir` is as it was.
pub fn replace_dir(dir: &Path, fill: impl FnOnce(&Stage) -> Result<()>) -> Result<Written> {
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
    if dir.exists() {
        let meta = fs::symlink_metadata(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
        if !meta.is_dir() {
            bail!("`{}` exists and is not a folder", dir.display());
        }
    }
    let stage = Stage {
        dir: staging.clone(),
        previous: dir.is_dir().then(|| dir.to_path_buf()),
        files: AtomicUsize::new(0),
        written: AtomicUsize::new(0),
    };
    let filled = fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create `{}`", staging.display()))
        .and_then(|()| fill(&stage));
    if let Err(e) = filled {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let written = Written { files: stage.files.into_inner(), written: stage.written.into_inner() };
    if dir.exists() {
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
    Ok(written)
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
    fn rewrites_only_changed_files() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut out = Output::default();
        out.add("same.html", "same");
        out.add("a/changed.html", "before");
        assert_eq!(write_atomically(&out, &dir).unwrap(), Written { files: 2, written: 2 });
        let inode = |p: &str| fs::metadata(dir.join(p)).unwrap().ino();
        let (same, changed) = (inode("same.html"), inode("a/changed.html"));
        out.add("a/changed.html", "after");
        out.add("new.html", "new");
        assert_eq!(write_atomically(&out, &dir).unwrap(), Written { files: 3, written: 2 });
        assert_eq!(inode("same.html"), same, "an unchanged file is the same file");
        assert_ne!(inode("a/changed.html"), changed);
        assert_eq!(fs::read_to_string(dir.join("a/changed.html")).unwrap(), "after");
        assert_eq!(fs::read_to_string(dir.join("same.html")).unwrap(), "same");
    }

    #[test]
    fn streamed_files_are_linked_when_unchanged() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let put = |text: &'static str| {
            replace_dir(&dir, |stage| stage.put_with("big.json", |w| Ok(w.write_all(text.as_bytes())?))).unwrap()
        };
        assert_eq!(put("[1]"), Written { files: 1, written: 1 });
        let inode = fs::metadata(dir.join("big.json")).unwrap().ino();
        assert_eq!(put("[1]"), Written { files: 1, written: 0 });
        assert_eq!(fs::metadata(dir.join("big.json")).unwrap().ino(), inode, "linked, not written");
        assert_eq!(put("[2]"), Written { files: 1, written: 1 });
        assert_eq!(fs::read_to_string(dir.join("big.json")).unwrap(), "[2]");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["big.json"], "no link left behind");
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
