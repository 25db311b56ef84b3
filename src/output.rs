//! The built site, and writing it. [`replace_dir`] writes the new site's
//! new and changed files beside the old site and puts them in place only
//! once all are written, so that a failed build leaves the previous output
//! whole; files that did not change are not written again.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// What tells a file of the output from another without reading it: its
/// length, time of last change and inode. A file written again gets
/// another; one kept or linked keeps it (see `crate::page_memo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Stamp {
    len: u64,
    modified: i128,
    inode: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp { len: meta.len(), modified, inode }
    }
}

/// The folder a new site's new and changed files are written into before
/// they replace the old ones. A file whose bytes are those of the same file
/// in the previous output is not written again: it is kept (see
/// [`replace_dir`]), so a rebuild writes only the files that changed, and
/// unchanged files keep their time stamps (for `rsync` and other tools
/// that copy what changed).
pub struct Stage {
    dir: PathBuf,
    previous: Option<PathBuf>,
    /// The files whose bytes are those of the previous output's file.
    kept: Mutex<Vec<String>>,
    /// The files written into `dir` (new or changed).
    staged: Mutex<Vec<String>>,
}

impl Stage {
    /// The path of `rel` in the staging folder, its folder made.
    fn place(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).with_context(|| format!("cannot create `{}`", p.display()))?;
        }
        Ok(path)
    }

    /// Keeps the previous output's file at `rel`, unread, if it has the
    /// `stamp` it had when a build before found it to hold what this one
    /// would make (see `crate::page_memo`).
    pub fn keep_stamped(&self, rel: &str, stamp: &Stamp) -> bool {
        let Some(prev) = &self.previous else { return false };
        match fs::symlink_metadata(prev.join(rel)) {
            Ok(m) if m.is_file() && Stamp::of(&m) == *stamp => {
                self.keep(rel);
                true
            }
            _ => false,
        }
    }

    /// The previous output's file at `rel`, open, if it has the `stamp` a
    /// build before noted (see [`Stage::keep_stamped`]): for copying from.
    pub fn previous_file(&self, rel: &str, stamp: &Stamp) -> Option<fs::File> {
        let file = fs::File::open(self.previous.as_ref()?.join(rel)).ok()?;
        let meta = file.metadata().ok()?;
        (meta.is_file() && Stamp::of(&meta) == *stamp).then_some(file)
    }

    /// Notes `rel` as the previous output's file, unchanged.
    fn keep(&self, rel: &str) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_owned());
    }

    /// Notes `rel` as written into the staging folder.
    fn wrote(&self, rel: &str) {
        self.staged.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_owned());
    }

    /// Puts one file into the new site as `write` makes it, so that a large
    /// file is never whole in memory (may be called from many threads). A
    /// file that comes out the same as in the previous output is kept: it
    /// is compared with the previous file as it is made, and written only
    /// from where it differs (with the bytes before, which are the old
    /// file's).
    pub fn put_with(&self, rel: &str, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<Stamp> {
        let old = self.previous.as_ref().map(|prev| prev.join(rel));
        let old = old.filter(|old| fs::symlink_metadata(old).is_ok_and(|m| m.is_file()));
        let old = old.and_then(|path| {
            Some(Old { reader: std::io::BufReader::new(fs::File::open(&path).ok()?), path, agreed: 0 })
        });
        let mut out = Comparing { stage: self, rel, old, new: None, scratch: Vec::new() };
        write(&mut out)?;
        match out.finish()? {
            Made::Written(path) => {
                self.wrote(rel);
                stamp_of(&path)
            }
            Made::Kept(old) => {
                self.keep(rel);
                stamp_of(&old)
            }
        }
    }

    /// Puts one file into the new site (may be called from many threads).
    /// A file copied from the site is opened once, through no link
    /// ([`crate::nofollow::open`]): one swapped in after the site was read
    /// is refused, not followed.
    /// Returns the file's [`Stamp`] in the new site.
    pub fn put(&self, rel: &str, content: &Content) -> Result<Stamp> {
        let old = self.previous.as_ref().map(|prev| prev.join(rel));
        let path = match content {
            Content::Bytes(bytes) => {
                if let Some(stamp) = old.as_deref().and_then(|old| same_bytes(old, bytes)) {
                    self.keep(rel);
                    return Ok(stamp);
                }
                let path = self.place(rel)?;
                fs::write(&path, bytes).with_context(|| format!("cannot write `{}`", path.display()))?;
                path
            }
            Content::Copy(from) => {
                let mut src =
                    crate::nofollow::open(from).with_context(|| format!("cannot copy `{}`", from.display()))?;
                if let Some(old) = &old {
                    if same_file_bytes(old, &mut src) {
                        self.keep(rel);
                        return stamp_of(old);
                    }
                    use std::io::Seek;
                    src.rewind().with_context(|| format!("cannot copy `{}`", from.display()))?;
                }
                let path = self.place(rel)?;
                let mut to = fs::File::create(&path).with_context(|| format!("cannot write `{}`", path.display()))?;
                std::io::copy(&mut src, &mut to).with_context(|| format!("cannot copy `{}`", from.display()))?;
                path
            }
        };
        self.wrote(rel);
        stamp_of(&path)
    }
}

/// A file of the new site as it is made ([`Stage::put_with`]): read
/// against the previous file while the two agree, written into the new
/// site once they differ.
struct Comparing<'a> {
    stage: &'a Stage,
    rel: &'a str,
    /// The previous file, while the new one agrees with it.
    old: Option<Old>,
    /// The new file, once it differs from the previous one (or there is
    /// none), and its path.
    new: Option<(std::io::BufWriter<fs::File>, PathBuf)>,
    /// The previous file's bytes read for one write.
    scratch: Vec<u8>,
}

/// The previous file a new one is read against ([`Comparing`]).
struct Old {
    path: PathBuf,
    reader: std::io::BufReader<fs::File>,
    /// How many of its bytes the new file agrees with so far.
    agreed: u64,
}

/// Where a file made by [`Comparing`] is.
enum Made {
    /// The previous file, at this path: the new one is its bytes.
    Kept(PathBuf),
    /// The new file, at this path in the staging folder.
    Written(PathBuf),
}

impl Comparing<'_> {
    /// Starts the new file with the `agreed` bytes that agreed with the
    /// previous file (read again from it).
    fn diverge(&mut self) -> std::io::Result<()> {
        let path = self.stage.place(self.rel).map_err(std::io::Error::other)?;
        let mut new = std::io::BufWriter::with_capacity(1 << 16, fs::File::create(&path)?);
        if let Some(Old { reader, agreed, .. }) = self.old.take() {
            let mut file = reader.into_inner();
            use std::io::{Read as _, Seek as _};
            file.rewind()?;
            std::io::copy(&mut file.take(agreed), &mut new)?;
        }
        self.new = Some((new, path));
        Ok(())
    }

    /// Where the file's bytes are: the new file, or the previous one when
    /// the two agree to the end.
    fn finish(mut self) -> Result<Made> {
        if self.new.is_none() {
            if let Some(old) = &mut self.old {
                use std::io::Read as _;
                let mut byte = [0u8; 1];
                if matches!(old.reader.read(&mut byte), Ok(0)) {
                    return Ok(Made::Kept(std::mem::take(&mut old.path)));
                }
            }
            self.diverge().with_context(|| format!("cannot write `{}`", self.rel))?;
        }
        let Some((mut new, path)) = self.new else { unreachable!("made above") };
        new.flush().with_context(|| format!("cannot write `{}`", path.display()))?;
        Ok(Made::Written(path))
    }
}

impl Write for Comparing<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.new.is_none() {
            let agrees = match &mut self.old {
                Some(old) => {
                    use std::io::Read as _;
                    self.scratch.resize(bytes.len(), 0);
                    let same = old.reader.read_exact(&mut self.scratch).is_ok() && self.scratch == bytes;
                    if same {
                        old.agreed += bytes.len() as u64;
                    }
                    same
                }
                None => false,
            };
            if agrees {
                return Ok(bytes.len());
            }
            self.diverge()?;
        }
        match &mut self.new {
            Some((new, _)) => new.write(bytes),
            None => unreachable!("made above"),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.new {
            Some((new, _)) => new.flush(),
            None => Ok(()),
        }
    }
}

/// The [`Stamp`] of the file at `path`.
fn stamp_of(path: &Path) -> Result<Stamp> {
    let meta = fs::symlink_metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(Stamp::of(&meta))
}

/// The file at `path`'s [`Stamp`], if it holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<Stamp> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes).then(|| Stamp::of(&m))
        }
        _ => None,
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

/// Builds a new `dir` with `fill`, writing its new and changed files into a
/// fresh sibling folder, then puts them in place. `dir` must have passed
/// [`check_output_dir`]; it is checked again once this build holds the
/// lock on it. On any error in `fill` the new folder is removed and `dir`
/// is as it was.
///
/// - The folder that holds `dir` is locked for the whole write, so that two
///   builds into one output take turns (the second waits).
/// - Staging folders that builds killed part way left behind
///   (`.NAME.new-PID`, `.NAME.old-PID`) are removed first.
/// - The new site is written with its [`MARKER`] (`marker`).
/// - When `dir` is pilotdeck's and few of its files change
///   ([`in_place`]), the files that did not change stay where they are:
///   the changed ones are moved over the old ones one by one (each file is
///   whole at every moment) and the ones the new site lacks are removed.
/// - Otherwise the unchanged files are linked into the new folder, which is
///   swapped in with one atomic exchange where the system has one (Linux),
///   so that `dir` is never missing; elsewhere with two renames.
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
    let ours = has_marker(dir);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.new-{pid}"));
    let stage = Stage {
        dir: staging.clone(),
        previous: dir.is_dir().then(|| dir.to_path_buf()),
        kept: Mutex::new(Vec::new()),
        staged: Mutex::new(Vec::new()),
    };
    // What `dir` holds is listed beside the build, for `in_place`: some
    // 10,000 folders cost a tenth of a second to read.
    let (filled, listing) = std::thread::scope(|scope| {
        let listing = scope.spawn(|| ours.then(|| listing(dir)).flatten());
        // The marker first: a staging folder is the build's from its first file.
        let filled = fs::create_dir(&staging)
            .with_context(|| format!("cannot create `{}`", staging.display()))
            .and_then(|()| stage.put(MARKER, &Content::Bytes(target.marker.as_bytes().to_vec())))
            .and_then(|_| fill(&stage));
        (filled, listing.join().ok().flatten())
    });
    if let Err(e) = filled {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let kept = stage.kept.into_inner().unwrap_or_else(|e| e.into_inner());
    let staged = stage.staged.into_inner().unwrap_or_else(|e| e.into_inner());
    let written = Written { files: kept.len() + staged.len(), written: staged.len(), warnings: Vec::new() };
    if !dir.exists() {
        if let Err(e) = fs::rename(&staging, dir) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e).with_context(|| format!("cannot put the new site in `{}`", dir.display()));
        }
        return Ok(Written { warnings, ..written });
    }
    let timer = crate::timing::Timer::new();
    let start = std::time::Instant::now();
    let in_place = listing.and_then(|listing| in_place(dir, &listing, &kept, &staged));
    timer.note("output: what changed", start);
    if let Some(stale) = in_place {
        let start = std::time::Instant::now();
        for (path, is_dir) in stale {
            let removed = if is_dir { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            if let Err(e) = removed {
                warnings.push(format!("cannot remove `{}`, which the new site no longer has: {e}", path.display()));
            }
        }
        for rel in &staged {
            let to = dir.join(rel);
            let moved = match to.parent() {
                Some(p) => fs::create_dir_all(p),
                None => Ok(()),
            }
            .and_then(|()| fs::rename(staging.join(rel), &to));
            moved.with_context(|| {
                format!("cannot put `{}` in place (the next build puts the rest of the site in place)", to.display())
            })?;
        }
        if let Err(e) = fs::remove_dir_all(&staging) {
            warnings.push(format!("cannot remove `{}`: {e}; the next build removes it", staging.display()));
        }
        timer.note("output: put in place", start);
        return Ok(Written { warnings, ..written });
    }
    let start = std::time::Instant::now();
    if let Err(e) = link_kept(dir, &staging, &kept) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    timer.note("output: unchanged files linked", start);
    let start = std::time::Instant::now();
    let old = match exchange(&staging, dir) {
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
    };
    if let Err(e) = fs::remove_dir_all(&old) {
        warnings.push(format!(
            "the new site is in place, but the previous one at `{}` could not be removed ({e}); the next build removes it",
            old.display()
        ));
    }
    timer.note("output: swapped in", start);
    Ok(Written { warnings, ..written })
}

/// Whether the new site may be put in place in `dir` file by file, and if
/// so what in `dir` it no longer has (each path, and whether it is a
/// folder). It may when few files change: `staged` and the stale together
/// at most one in 16 of the site's files, or 64 (beyond that the window in
/// which the site is part old, part new grows, and linking the unchanged
/// files into the new folder and swapping it in whole costs about as much).
/// It may not when a link (or anything else that is neither a file nor a
/// folder) in `dir` stands where the new site has a folder: what a kept
/// file was compared with may lie behind it, so the new folder is built
/// whole. A file where the new site has a folder, or a folder where it has
/// a file, is stale, and removed before the new files are moved in.
fn in_place(
    dir: &Path,
    listing: &[(PathBuf, fs::FileType)],
    kept: &[String],
    staged: &[String],
) -> Option<Vec<(PathBuf, bool)>> {
    let limit = 64.max((kept.len() + staged.len()) / 16);
    if staged.len() > limit {
        return None;
    }
    let produced: crate::hash::FastSet<&str> = kept.iter().chain(staged).map(String::as_str).collect();
    let mut folders: crate::hash::FastSet<&str> = crate::hash::FastSet::default();
    for rel in &produced {
        for (i, b) in rel.bytes().enumerate() {
            if b == b'/' {
                folders.insert(&rel[..i]);
            }
        }
    }
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for (path, kind) in listing {
        // What a stale folder holds goes with it.
        if stale.last().is_some_and(|(folder, is_dir)| *is_dir && path.starts_with(folder)) {
            continue;
        }
        let rel = path.strip_prefix(dir).ok().and_then(Path::to_str);
        match rel {
            Some(rel) if kind.is_dir() && folders.contains(rel) => continue,
            Some(rel) if !kind.is_dir() && produced.contains(rel) => continue,
            // A link where the new site has a folder: what a kept file
            // was compared with may lie behind it.
            Some(rel) if !kind.is_dir() && !kind.is_file() && folders.contains(rel) => return None,
            _ => stale.push((path.clone(), kind.is_dir())),
        }
        if staged.len() + stale.len() > limit {
            return None;
        }
    }
    Some(stale)
}

/// Every entry below `dir`, a folder before what it holds, and its type
/// (links are not followed); `None` if any cannot be read.
fn listing(dir: &Path) -> Option<Vec<(PathBuf, fs::FileType)>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.ok().map(|e| (e.path().to_path_buf(), e.file_type())))
        .collect()
}

/// Links each of the `kept` files of `dir` into the new site at `staging`
/// (copies it where it cannot be linked), side by side.
fn link_kept(dir: &Path, staging: &Path, kept: &[String]) -> Result<()> {
    use rayon::prelude::*;
    kept.par_iter().try_for_each(|rel| {
        let (from, to) = (dir.join(rel), staging.join(rel));
        if let Some(p) = to.parent() {
            fs::create_dir_all(p).with_context(|| format!("cannot create `{}`", p.display()))?;
        }
        if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to).with_context(|| format!("cannot copy `{}`", from.display()))?;
        }
        Ok(())
    })
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
            replace_dir(&target(&dir), |stage| {
                stage.put_with("big.json", |w| Ok(w.write_all(text.as_bytes())?)).map(|_| ())
            })
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

    /// Every file below `dir` and its text, by path.
    fn files_of(dir: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_str().unwrap().to_string();
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    /// A site of 100 files in ten folders, and the same site with `edit` done.
    fn hundred(edit: impl FnOnce(&mut Output)) -> (Output, Output) {
        let mut out = Output::default();
        for i in 0..100 {
            out.add(format!("f{}/{i}.html", i % 10), format!("page {i}"));
        }
        let mut next = Output { files: out.files.clone() };
        edit(&mut next);
        (out, next)
    }

    #[test]
    fn few_changes_are_put_in_place_and_what_is_gone_removed() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let (mut first, next) = hundred(|next| {
            next.add("f0/0.html", "changed");
            next.files.remove("f1/1.html");
            for i in (2..100).step_by(10) {
                next.files.remove(&format!("f2/{i}.html"));
            }
            // A file where a folder was, and a folder where a file was.
            for i in (3..100).step_by(10) {
                next.files.remove(&format!("f3/{i}.html"));
            }
            next.add("f3", "now a file");
            next.files.remove("top.html");
            next.add("top.html/index.html", "now a folder");
            next.add("new/deep/page.html", "new");
        });
        first.add("top.html", "a file");
        write_atomically(&first, &target(&dir)).unwrap();
        let inode = |p: &str| fs::metadata(dir.join(p)).unwrap().ino();
        let (root, same, folder) = (inode(""), inode("f5/5.html"), inode("f5"));
        let written = write_atomically(&next, &target(&dir)).unwrap();
        assert_eq!(written, Written { files: 83, written: 4, warnings: vec![] });
        let mut want: BTreeMap<String, String> = next
            .files
            .iter()
            .map(|(k, c)| match c {
                Content::Bytes(b) => (k.clone(), String::from_utf8(b.clone()).unwrap()),
                Content::Copy(_) => unreachable!(),
            })
            .collect();
        want.insert(MARKER.into(), marker_text("test"));
        assert_eq!(files_of(&dir), want);
        assert_eq!((inode(""), inode("f5/5.html"), inode("f5")), (root, same, folder), "the folder is the same folder");
        assert!(!dir.join("f2").exists(), "a folder the new site lacks is removed");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left");
    }

    #[test]
    fn many_changes_swap_the_folder_whole() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let (first, next) = hundred(|next| {
            for i in 0..70 {
                next.add(format!("f{}/{i}.html", i % 10), format!("changed {i}"));
            }
        });
        write_atomically(&first, &target(&dir)).unwrap();
        let inode = |p: &str| fs::metadata(dir.join(p)).unwrap().ino();
        let (root, same) = (inode(""), inode("f5/75.html"));
        let written = write_atomically(&next, &target(&dir)).unwrap();
        assert_eq!(written, Written { files: 101, written: 70, warnings: vec![] });
        assert_ne!(inode(""), root, "swapped in whole");
        assert_eq!(inode("f5/75.html"), same, "an unchanged file is linked");
        assert_eq!(files_of(&dir).len(), 101);
        assert_eq!(fs::read_to_string(dir.join("f3/63.html")).unwrap(), "changed 63");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_link_where_the_new_site_has_a_folder_is_replaced_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let (first, next) = hundred(|next| next.add("f0/0.html", "changed"));
        write_atomically(&first, &target(&dir)).unwrap();
        // Someone's folder, linked into the output where `f1/` was.
        let theirs = tmp.path().join("theirs");
        fs::rename(dir.join("f1"), &theirs).unwrap();
        std::os::unix::fs::symlink(&theirs, dir.join("f1")).unwrap();
        fs::write(theirs.join("1.html"), "theirs").unwrap();
        write_atomically(&next, &target(&dir)).unwrap();
        assert!(fs::symlink_metadata(dir.join("f1")).unwrap().is_dir(), "a folder of its own");
        assert_eq!(fs::read_to_string(dir.join("f1/1.html")).unwrap(), "page 1");
        assert_eq!(fs::read_to_string(theirs.join("1.html")).unwrap(), "theirs", "not written through the link");
        assert_eq!(fs::read_dir(&theirs).unwrap().count(), 10);
    }

    #[test]
    fn a_file_keeps_its_stamp_until_it_is_written_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let put = |text: &str| {
            let mut stamp = None;
            replace_dir(&target(&dir), |stage| {
                stamp = Some(stage.put("a.html", &Content::Bytes(text.as_bytes().to_vec()))?);
                Ok(())
            })
            .unwrap();
            stamp.unwrap()
        };
        let first = put("one");
        assert_eq!(put("one"), first, "kept");
        let second = put("two");
        assert_ne!(second, first, "written again");
        let keep = |stamp: &Stamp| {
            let mut kept = false;
            replace_dir(&target(&dir), |stage| {
                kept = stage.keep_stamped("a.html", stamp);
                if !kept {
                    stage.put("a.html", &Content::Bytes(b"three".to_vec()))?;
                }
                Ok(())
            })
            .unwrap();
            kept
        };
        assert!(!keep(&first));
        assert_eq!(fs::read_to_string(dir.join("a.html")).unwrap(), "three");
        let third = stamp_of(&dir.join("a.html")).unwrap();
        assert!(keep(&third));
        assert_eq!(fs::read_to_string(dir.join("a.html")).unwrap(), "three");
    }

    #[test]
    fn a_streamed_file_is_written_from_where_it_differs_with_what_came_before() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        // Written in parts of 3 bytes, as a buffered writer hands them on.
        let put = |text: &str| {
            replace_dir(&target(&dir), |stage| {
                stage
                    .put_with("big.json", |w| {
                        for part in text.as_bytes().chunks(3) {
                            w.write_all(part)?;
                        }
                        Ok(())
                    })
                    .map(|_| ())
            })
            .unwrap()
            .written
        };
        assert_eq!(put("abcdefghij"), 2);
        for (text, written) in [
            ("abcdefghij", 0),
            ("abcdefXhij", 1),
            ("abcdefXhijklm", 1),
            ("abcdefXh", 1),
            ("abcdefXh", 0),
            ("", 1),
            ("abc", 1),
        ] {
            assert_eq!(put(text), written, "{text}");
            assert_eq!(fs::read_to_string(dir.join("big.json")).unwrap(), text);
        }
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left");
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
