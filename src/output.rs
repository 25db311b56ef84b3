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

/// The file every build writes into its output folder, naming the generator
/// and the site. A folder holding it was written by pilotdeck and may be
/// replaced by the next build; any other folder that is not empty is not
/// pilotdeck's to replace.
pub const MARKER: &str = ".pilotdeck-output";

/// The marker's text for the site titled `title`.
pub fn marker_text(title: &str) -> String {
    let title: String = title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!(
        "# This folder was written by pilotdeck: every build replaces it whole,\n\
         # so a file put here by hand is lost at the next build.\n\
         generator = \"pilotdeck\"\nsite = {}\n",
        toml::Value::String(title)
    )
}

/// Whether `dir` holds a marker that pilotdeck wrote.
fn has_marker(dir: &Path) -> bool {
    let path = dir.join(MARKER);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() && m.len() < 4096 => {
            fs::read_to_string(&path).is_ok_and(|t| t.lines().any(|l| l == "generator = \"pilotdeck\""))
        }
        _ => false,
    }
}

/// What an output folder holds, as far as replacing it goes.
#[derive(Debug, PartialEq, Eq)]
enum Holds {
    Nothing,
    Empty,
    Ours,
    /// Files pilotdeck did not write: how many entries, and the first few names.
    Foreign(usize, Vec<String>),
}

fn holds(dir: &Path) -> Result<Holds> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Holds::Nothing),
        Err(e) => return Err(e).with_context(|| format!("cannot read the output folder `{}`", dir.display())),
    };
    if has_marker(dir) {
        return Ok(Holds::Ours);
    }
    let mut names: Vec<String> = Vec::new();
    let mut count = 0;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the output folder `{}`", dir.display()))?;
        count += 1;
        names.push(entry.file_name().to_string_lossy().escape_debug().to_string());
    }
    if count == 0 {
        return Ok(Holds::Empty);
    }
    names.sort();
    names.truncate(5);
    Ok(Holds::Foreign(count, names))
}

/// What in the folder `dir` (named `shown`) stops a build from replacing
/// it: `.git`, always; files pilotdeck did not write, unless `force`.
/// Checked before a build and again under its lock, before the swap.
fn check_contents(dir: &Path, shown: &str, force: bool) -> Result<()> {
    if fs::symlink_metadata(dir.join(".git")).is_ok() {
        bail!(
            "the output folder `{shown}` holds `.git` (a repository or a worktree), which a build would delete; \
             choose another folder, and copy the site into the repository after the build"
        );
    }
    if let Holds::Foreign(count, names) = holds(dir)? {
        if !force {
            let more = if count > names.len() { format!(" and {} more", count - names.len()) } else { String::new() };
            bail!(
                "the output folder `{shown}` holds files that pilotdeck did not write ({}{more}); a build replaces \
                 its output folder whole, so it leaves this one alone\n  = help: choose a new or empty folder with \
                 `--output DIR`, or, if everything in `{shown}` may be deleted, pass `--force`",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            );
        }
    }
    Ok(())
}

/// Where and how a build writes its site (see [`replace_dir`]).
#[derive(Debug, Clone)]
pub struct Target {
    /// The output folder, as [`check_output_dir`] returned it.
    pub dir: PathBuf,
    /// The text of the [`MARKER`] ([`marker_text`]).
    pub marker: String,
    /// Replace a folder pilotdeck did not write (within the limits of
    /// [`check_output_dir`]).
    pub force: bool,
}

/// Checks that the build of the site at `root` may replace the folder `out`,
/// and returns the folder to write (absolute, links resolved, so that
/// `--output link/` replaces the folder the link points to).
///
/// pilotdeck replaces only a folder that does not exist, an empty folder,
/// or one that holds its [`MARKER`]. `force` lets it replace another folder,
/// but never `/`, the home folder, the site or a folder that holds it or
/// the working folder, the site's own folders (`content/` and the rest) or
/// a folder that holds `.git`.
pub fn check_output_dir(root: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    let root = absolute(root)?;
    let shown = out.display();
    let out = absolute(out)?;
    if out.parent().is_none() {
        bail!("the output folder `{shown}` is the root of the file system; choose a folder such as `public`");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        if absolute(Path::new(&home))?.starts_with(&out) {
            bail!("the output folder `{shown}` is your home folder or holds it; choose a folder such as `public`");
        }
    }
    if root.starts_with(&out) {
        bail!("the output folder `{shown}` contains the site itself; choose a folder such as `public`");
    }
    if absolute(Path::new("."))?.starts_with(&out) {
        bail!("the output folder `{shown}` holds the working folder; choose a folder such as `public`");
    }
    for own in ["content", "static", "templates", "themes", "pilotdeck.toml", ".git"] {
        if out.starts_with(root.join(own)) {
            bail!("the output folder `{shown}` is inside the site's `{own}`; choose a folder such as `public`");
        }
    }
    if let Ok(meta) = fs::symlink_metadata(&out) {
        if !meta.is_dir() {
            bail!("the output `{shown}` exists and is not a folder; choose a folder such as `public`");
        }
    }
    check_contents(&out, &shown.to_string(), force)?;
    Ok(out)
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
pub fn write_atomically(output: &Output, target: &Target) -> Result<Written> {
    replace_dir(target, |stage| {
        for (rel, content) in &output.files {
            stage.put(rel, content)?;
        }
        Ok(())
    })
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files in the new output.
    pub files: usize,
    /// Files whose bytes were written (new or changed).
    pub written: usize,
    /// What went wrong after the new site was in place (it stays).
    pub warnings: Vec<String>,
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
            let same = fs::File::open(&path).is_ok_and(|mut new| same_file_bytes(&old, &mut new));
            if same && fs::hard_link(&old, &link).is_ok() {
                fs::rename(&link, &path).with_context(|| format!("cannot write `{}`", path.display()))?;
                return Ok(());
            }
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Puts one file into the new site (may be called from many threads).
    /// A file copied from the site is opened once, through no link
    /// ([`crate::nofollow::open`]): one swapped in after the site was read
    /// is refused, not followed.
    pub fn put(&self, rel: &str, content: &Content) -> Result<()> {
        let path = self.place(rel)?;
        let old = self.previous.as_ref().map(|prev| prev.join(rel));
        match content {
            Content::Bytes(bytes) => {
                if old.as_deref().is_some_and(|old| same_bytes(old, bytes) && fs::hard_link(old, &path).is_ok()) {
                    return Ok(());
                }
                fs::write(&path, bytes).with_context(|| format!("cannot write `{}`", path.display()))?;
            }
            Content::Copy(from) => {
                let mut src =
                    crate::nofollow::open(from).with_context(|| format!("cannot copy `{}`", from.display()))?;
                if let Some(old) = &old {
                    if same_file_bytes(old, &mut src) && fs::hard_link(old, &path).is_ok() {
                        return Ok(());
                    }
                    use std::io::Seek;
                    src.rewind().with_context(|| format!("cannot copy `{}`", from.display()))?;
                }
                let mut to = fs::File::create(&path).with_context(|| format!("cannot write `{}`", path.display()))?;
                std::io::copy(&mut src, &mut to).with_context(|| format!("cannot copy `{}`", from.display()))?;
            }
        }
        self.written.fetch_add(1, Ordering::Relaxed);
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

/// Whether the file at `path` holds exactly the bytes of the open file
/// `from` (read a block at a time: such files can be large).
fn same_file_bytes(path: &Path, b: &mut fs::File) -> bool {
    use std::io::Read;
    let (Ok(a), Ok(from)) = (fs::symlink_metadata(path), b.metadata()) else { return false };
    if !a.is_file() || a.len() != from.len() {
        return false;
    }
    let Ok(mut a) = fs::File::open(path) else { return false };
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
/// in. `dir` must have passed [`check_output_dir`]; it is checked again
/// once this build holds the lock on it. On any error the new folder is
/// removed and `dir` is as it was.
///
/// - The folder that holds `dir` is locked for the whole write, so that two
///   builds into one output take turns (the second waits).
/// - Staging folders that builds killed part way left behind
///   (`.NAME.new-PID`, `.NAME.old-PID`) are removed first.
/// - The new site is written with its [`MARKER`] (`marker`) and swapped in
///   with one atomic exchange where the system has one (Linux), so that
///   `dir` is never missing; elsewhere with two renames.
/// - A previous site that cannot be removed afterwards is a warning in
///   [`Written::warnings`], not an error: the new site is in place.
pub fn replace_dir(target: &Target, fill: impl FnOnce(&Stage) -> Result<()>) -> Result<Written> {
    let dir = target.dir.as_path();
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        bail!("the output `{}` has no folder name; choose a folder such as `public`", dir.display());
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create `{}`", parent.display()))?;
    let _lock = lock(&parent, dir)?;
    let mut warnings = remove_stale(&parent, &name);
    // Checked before the build too; checked again now that no other build
    // can write into it.
    check_contents(dir, &dir.display().to_string(), target.force)?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.new-{pid}"));
    let stage = Stage {
        dir: staging.clone(),
        previous: dir.is_dir().then(|| dir.to_path_buf()),
        files: AtomicUsize::new(0),
        written: AtomicUsize::new(0),
    };
    // The marker first: a staging folder is the build's from its first file.
    let filled = fs::create_dir(&staging)
        .with_context(|| format!("cannot create `{}`", staging.display()))
        .and_then(|()| stage.put(MARKER, &Content::Bytes(target.marker.as_bytes().to_vec())))
        .and_then(|()| fill(&stage));
    if let Err(e) = filled {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let written =
        Written { files: stage.files.into_inner(), written: stage.written.into_inner(), warnings: Vec::new() };
    let old = if dir.exists() {
        match exchange(&staging, dir) {
            // The previous site is now where the new one was written.
            Ok(()) => staging,
            Err(_) => {
                let old = parent.join(format!(".{name}.old-{pid}"));
                if let Err(e) = fs::rename(dir, &old) {
                    let _ = fs::remove_dir_all(&staging);
                    return Err(e).with_context(|| format!("cannot move the previous `{}` aside", dir.display()));
                }
                if let Err(e) = fs::rename(&staging, dir) {
                    let _ = fs::rename(&old, dir);
                    let _ = fs::remove_dir_all(&staging);
                    return Err(e).with_context(|| format!("cannot put the new site in `{}`", dir.display()));
                }
                old
            }
        }
    } else {
        if let Err(e) = fs::rename(&staging, dir) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e).with_context(|| format!("cannot put the new site in `{}`", dir.display()));
        }
        return Ok(written);
    };
    if let Err(e) = fs::remove_dir_all(&old) {
        warnings.push(format!(
            "the new site is in place, but the previous one at `{}` could not be removed ({e}); the next build removes it",
            old.display()
        ));
    }
    Ok(Written { warnings, ..written })
}

/// Holds the lock on the folder that holds an output (released on drop).
fn lock(parent: &Path, dir: &Path) -> Result<fs::File> {
    let file = fs::File::open(parent).with_context(|| format!("cannot open `{}`", parent.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build into `{}` to finish", dir.display());
            file.lock().with_context(|| format!("cannot lock `{}`", parent.display()))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock `{}`", parent.display()));
        }
    }
    Ok(file)
}

/// Removes the staging folders of builds into `NAME` that ended before
/// they were done. Called with the lock held, so no such folder belongs to
/// a build still running.
fn remove_stale(parent: &Path, name: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else { return warnings };
    let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else { continue };
        let Some(pid) = n.strip_prefix(new.as_str()).or_else(|| n.strip_prefix(old.as_str())) else { continue };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if let Err(e) = fs::remove_dir_all(entry.path()) {
                warnings.push(format!(
                    "cannot remove `{}`, left by a build that did not finish: {e}",
                    entry.path().display()
                ));
            }
        }
    }
    warnings
}

/// Swaps two folders in one step (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(dir: &Path) -> Target {
        Target { dir: dir.to_path_buf(), marker: marker_text("test"), force: false }
    }

    #[test]
    fn swaps_in_and_keeps_old_on_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut out = Output::default();
        out.add("index.html", "one");
        write_atomically(&out, &target(&dir)).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "one");
        let mut bad = Output::default();
        bad.add("index.html", "two");
        bad.copy("missing.bin", tmp.path().join("does-not-exist"));
        assert!(write_atomically(&bad, &target(&dir)).is_err());
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
        assert_eq!(write_atomically(&out, &target(&dir)).unwrap(), Written { files: 3, written: 3, warnings: vec![] });
        let inode = |p: &str| fs::metadata(dir.join(p)).unwrap().ino();
        let (same, changed) = (inode("same.html"), inode("a/changed.html"));
        out.add("a/changed.html", "after");
        out.add("new.html", "new");
        assert_eq!(write_atomically(&out, &target(&dir)).unwrap(), Written { files: 4, written: 2, warnings: vec![] });
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
            replace_dir(&target(&dir), |stage| stage.put_with("big.json", |w| Ok(w.write_all(text.as_bytes())?)))
                .unwrap()
        };
        assert_eq!(put("[1]"), Written { files: 2, written: 2, warnings: vec![] });
        let inode = fs::metadata(dir.join("big.json")).unwrap().ino();
        assert_eq!(put("[1]"), Written { files: 2, written: 0, warnings: vec![] });
        assert_eq!(fs::metadata(dir.join("big.json")).unwrap().ino(), inode, "linked, not written");
        assert_eq!(put("[2]"), Written { files: 2, written: 1, warnings: vec![] });
        assert_eq!(fs::read_to_string(dir.join("big.json")).unwrap(), "[2]");
        let mut left: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        left.sort();
        assert_eq!(left, [MARKER, "big.json"], "no link left behind");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("f"), "new").unwrap();
        fs::write(b.join("f"), "old").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(b.join("f")).unwrap(), "new");
        assert_eq!(fs::read_to_string(a.join("f")).unwrap(), "old");
    }

    #[test]
    fn a_file_swapped_for_a_link_after_the_site_was_read_is_not_copied() {
        let tmp = tempfile::tempdir().unwrap();
        let site = fs::canonicalize(tmp.path()).unwrap().join("site");
        fs::create_dir_all(site.join("static")).unwrap();
        fs::write(tmp.path().join("secret"), "SECRET").unwrap();
        fs::write(site.join("static/ok.txt"), "ok").unwrap();
        let mut out = Output::default();
        out.copy("ok.txt", site.join("static/ok.txt"));
        fs::remove_file(site.join("static/ok.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("static/ok.txt")).unwrap();
        let e = write_atomically(&out, &target(&tmp.path().join("public"))).unwrap_err();
        assert!(format!("{e:#}").contains("symbolic link"), "{e:#}");
        assert!(!tmp.path().join("public").exists());
    }

    #[test]
    fn refuses_site_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(check_output_dir(root, &root.join("public"), false).is_ok());
        for force in [false, true] {
            assert!(check_output_dir(root, root, force).is_err());
            assert!(check_output_dir(root, &root.join("content"), force).is_err());
            assert!(check_output_dir(root, &root.join("content/x"), force).is_err());
            assert!(check_output_dir(root, &root.join(".."), force).is_err());
            assert!(check_output_dir(root, Path::new("/"), force).is_err());
        }
    }
}
