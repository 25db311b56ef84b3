//! Walks a site's `content/` folder and reads every file: Markdown files
//! become [`SourceFile`]s (text with line starts, for diagnostics), other
//! files become [`Asset`]s to copy. Unreadable files and invalid UTF-8 are
//! diagnostics, not failures of the run.

use crate::diag::{Diagnostic, Loc, Rule, Span};
pub use crate::text::{FileId, FileStamp, SourceFile, Sources};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct Doc {
    pub file: FileId,
    /// Path components below `content/`, file name last (`["pilots", "a.md"]`).
    pub parts: Vec<String>,
}

/// A file under `content/` that is not Markdown: copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub from: PathBuf,
    /// Path components below `content/`.
    pub parts: Vec<String>,
}

/// What the load stage hands to the model stage.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub sources: Sources,
    /// Shared: `serve` keeps the last load while a new one is analysed,
    /// and an edit to a file changes its text, not this list.
    pub docs: Arc<Vec<Doc>>,
    pub assets: Vec<Asset>,
    /// Files that give the playbook's order and titles (`mkdocs.yml`,
    /// `.pages`): read for the model, not published.
    pub navs: Vec<Doc>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were known by their stamps, and not read (see
    /// [`load_content_knowing`]).
    pub unread: usize,
    /// How many files were read and known by their texts, with a stamp
    /// the run before had not taken (the record cache keeps it for the
    /// next run).
    pub restamped: usize,
}

/// Whether a file below `content/` gives the playbook's order and titles
/// and is read as such, not published: `mkdocs.yml` (MkDocs) or `.pages`
/// (the awesome-pages plugin). A `SUMMARY.md` is Markdown, read as a page
/// unless the model finds it to be a table of contents.
pub fn is_nav_file(name: &str) -> bool {
    matches!(name, "mkdocs.yml" | "mkdocs.yaml" | ".pages")
}

/// Reads `root/content`, in file-name order so that output never depends on
/// the order the file system lists entries in.
pub fn load_content(root: &Path) -> Loaded {
    load_content_knowing(root, &|_| None)
}

/// What a run before knew of a file: its text's length and digest, and
/// the file's stamp when that text was read, if one was taken.
pub type KnownFile = (crate::text::Known, Option<FileStamp>);

/// [`load_content`], keeping no text of a file whose text is the one
/// `known` gives for its path (shown as in [`SourceFile::path`]): such a
/// file is [`SourceFile::remembered`] (what a run before read of it is
/// known, and its text is not needed). A file that still has the stamp
/// `known` gives is not read at all.
pub fn load_content_knowing(root: &Path, known: &(dyn Fn(&str) -> Option<KnownFile> + Sync)) -> Loaded {
    let mut loaded = Loaded::default();
    let content = root.join("content");
    if !content.is_dir() {
        return loaded;
    }
    /// What the walk found, in walk order.
    enum Found {
        Doc(PathBuf, Vec<String>),
        Nav(PathBuf, Vec<String>),
        Unreadable(String, String),
    }
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(&content).follow_links(false).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(|p| display_path(root, p)).unwrap_or_else(|| "content".into());
                let why = err.io_error().map_or_else(|| err.to_string(), |e| e.to_string());
                found.push(Found::Unreadable(path, why));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let nav = is_nav_file(&name);
        if name.starts_with('.') && !nav {
            continue;
        }
        let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if nav {
            found.push(Found::Nav(entry.into_path(), parts));
        } else if name.ends_with(".md") {
            found.push(Found::Doc(entry.into_path(), parts));
        } else {
            loaded.assets.push(Asset { from: entry.into_path(), parts });
        }
    }
    /// A file read, or a record file whose text is known already (and let
    /// go as soon as it was known).
    enum Got {
        Read(Read, Option<FileStamp>),
        Known(crate::text::Known, Option<FileStamp>),
        /// Known by its stamp, not read.
        Unread(crate::text::Known, FileStamp),
    }
    // Stamps are taken only of files last changed a while before this.
    let now = std::time::SystemTime::now();
    // Files are read and decoded in parallel, then added in walk order.
    let texts: Vec<Option<(String, Got)>> = {
        use rayon::prelude::*;
        found
            .par_iter()
            .map(|f| match f {
                Found::Nav(path, _) => Some((display_path(root, path), Got::Read(read(path), None))),
                Found::Doc(path, _) => {
                    let shown = display_path(root, path);
                    let was = known(&shown);
                    if let Some((was, Some(stamp))) = was {
                        let now_stamp = std::fs::metadata(path).ok().and_then(|m| FileStamp::of(&m, now));
                        if now_stamp == Some(stamp) {
                            return Some((shown, Got::Unread(was, stamp)));
                        }
                    }
                    let (text, stamp) = read_stamped(path, now);
                    Some(match (text, was) {
                        (Ok(Ok(text)), Some((was, _))) if crate::text::known(&text) == was => {
                            (shown, Got::Known(was, stamp))
                        }
                        (text, _) => (shown, Got::Read(text, stamp)),
                    })
                }
                Found::Unreadable(..) => None,
            })
            .collect()
    };
    for (f, text) in found.into_iter().zip(texts) {
        match (f, text) {
            (Found::Doc(_, parts), Some((shown, Got::Unread(known, stamp)))) => {
                loaded.unread += 1;
                let file = loaded.sources.add(SourceFile::remembered(shown, known, Some(stamp)));
                Arc::make_mut(&mut loaded.docs).push(Doc { file, parts });
            }
            (Found::Doc(_, parts), Some((shown, Got::Known(known, stamp)))) => {
                loaded.restamped += usize::from(stamp.is_some());
                let file = loaded.sources.add(SourceFile::remembered(shown, known, stamp));
                Arc::make_mut(&mut loaded.docs).push(Doc { file, parts });
            }
            (Found::Doc(_, parts), Some((shown, Got::Read(text, stamp)))) => {
                add_doc(shown, parts, (text, stamp), &mut loaded, false)
            }
            (Found::Nav(_, parts), Some((shown, Got::Read(text, _)))) => {
                add_doc(shown, parts, (text, None), &mut loaded, true)
            }
            (Found::Unreadable(path, why), _) => {
                let id = loaded.sources.add(SourceFile::new(path, String::new()));
                loaded.diagnostics.push(
                    Diagnostic::new(Rule::Unreadable, Loc::start(id), format!("cannot read this folder: {why}"))
                        .hint("check the permissions, or remove the entry"),
                );
            }
            // (No nav file is looked up in `known`.)
            (Found::Doc(..) | Found::Nav(..), None) | (Found::Nav(..), Some((_, Got::Known(..) | Got::Unread(..)))) => {
            }
        }
    }
    loaded
}

impl Loaded {
    /// The content after the files at `changed` (absolute paths) were
    /// edited, added or removed, reading only those files; every other file
    /// is shared with `self`. `None` when a partial read cannot follow the
    /// change (a folder appeared, a file cannot be read, the earlier load
    /// had problems): then the whole folder must be read again.
    pub fn update(&self, root: &Path, changed: &[PathBuf]) -> Option<Loaded> {
        if !self.diagnostics.is_empty() {
            return None;
        }
        let content = root.join("content");
        let mut next = self.clone();
        for path in changed {
            let rel = path.strip_prefix(&content).ok()?;
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if parts.is_empty() {
                return None;
            }
            // A nav file orders every page below it: all are read again.
            if parts.last().is_some_and(|n| is_nav_file(n)) {
                return None;
            }
            if parts.iter().any(|p| p.starts_with('.')) {
                continue;
            }
            match std::fs::symlink_metadata(path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // Gone: the file, or everything below a folder. The
                    // list is copied only when a page goes with it: an
                    // editor's temporary file coming and going leaves the
                    // list, and what was made of it, as it was.
                    if next.docs.iter().any(|d| d.parts.starts_with(&parts)) {
                        Arc::make_mut(&mut next.docs).retain(|d| !d.parts.starts_with(&parts));
                    }
                    next.assets.retain(|a| !a.parts.starts_with(&parts));
                }
                Ok(m) if m.is_file() => {
                    if parts.last().is_some_and(|n| n.ends_with(".md")) {
                        let text = read(path).ok()?.ok()?;
                        let file = SourceFile::new(display_path(root, path), text);
                        match next.docs.binary_search_by(|d| d.parts.cmp(&parts)) {
                            Ok(i) => next.sources.replace(next.docs[i].file, Arc::new(file)),
                            Err(i) => {
                                let id = next.sources.add(file);
                                Arc::make_mut(&mut next.docs).insert(i, Doc { file: id, parts });
                            }
                        }
                    } else if let Err(i) = next.assets.binary_search_by(|a| a.parts.cmp(&parts)) {
                        next.assets.insert(i, Asset { from: path.clone(), parts });
                    }
                }
                Ok(m) if m.file_type().is_symlink() => {}
                // A folder already read (its own time stamp changed).
                Ok(m)
                    if m.is_dir()
                        && (next.docs.iter().any(|d| d.parts.starts_with(&parts) && d.parts.len() > parts.len())
                            || next
                                .assets
                                .iter()
                                .any(|a| a.parts.starts_with(&parts) && a.parts.len() > parts.len())) => {}
                _ => return None,
            }
        }
        Some(next)
    }
}

/// A file as read: its text, or the valid start of it and the first byte
/// that is not UTF-8, or why it could not be read.
type Read = std::io::Result<Result<String, (String, u8)>>;

/// Reads and decodes a text file (see [`decode`]).
pub(crate) fn read(path: &Path) -> Read {
    std::fs::read(path).map(decode)
}

/// [`read`], with the file's stamp as it was opened, taken at `now` (see
/// [`FileStamp::of`]): a change while it is read gives it another.
fn read_stamped(path: &Path, now: std::time::SystemTime) -> (Read, Option<FileStamp>) {
    use std::io::Read as _;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return (Err(e), None),
    };
    let meta = file.metadata();
    let stamp = meta.as_ref().ok().and_then(|m| FileStamp::of(m, now));
    let mut bytes = Vec::with_capacity(meta.map_or(0, |m| m.len() as usize + 1));
    match file.read_to_end(&mut bytes) {
        Ok(_) => (Ok(decode(bytes)), stamp),
        Err(e) => (Err(e), None),
    }
}

/// Adds a Markdown file read, or a nav file (`nav`).
fn add_doc(
    shown: String,
    parts: Vec<String>,
    (text, stamp): (Read, Option<FileStamp>),
    loaded: &mut Loaded,
    nav: bool,
) {
    match text {
        Ok(Ok(text)) => {
            let file = loaded.sources.add(SourceFile::read(shown, text, stamp));
            if nav {
                loaded.navs.push(Doc { file, parts });
            } else {
                Arc::make_mut(&mut loaded.docs).push(Doc { file, parts });
            }
        }
        Ok(Err((valid_prefix, bad))) => {
            let src = SourceFile::new(shown, valid_prefix);
            let end = src.text.len() as u32;
            let id = loaded.sources.add(src);
            loaded.diagnostics.push(
                Diagnostic::new(
                    Rule::Unreadable,
                    Loc { file: id, span: Span::new(end, end) },
                    format!("this file is not valid UTF-8 (byte 0x{bad:02x})"),
                )
                .hint("save the file as UTF-8 in your editor"),
            );
        }
        Err(err) => {
            let id = loaded.sources.add(SourceFile::new(shown, String::new()));
            loaded.diagnostics.push(
                Diagnostic::new(Rule::Unreadable, Loc::start(id), format!("cannot read this file: {err}"))
                    .hint("check that the file exists and that you may read it"),
            );
        }
    }
}

/// UTF-8 text without BOM and with `\n` line ends; on failure the valid
/// prefix (so the error can point at the line) and the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (String, u8)> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let bad = bytes[valid];
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            return Err((normalise(prefix), bad));
        }
    };
    Ok(normalise(text))
}

fn normalise(text: String) -> String {
    let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// `path` relative to `root`, with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_reads_only_what_changed_and_matches_a_full_load() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let put = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        put("content/pilots/a.md", "a");
        put("content/pilots/c.md", "c");
        put("content/playbook/x.md", "x");
        put("content/img.png", "png");
        let before = load_content(&root);
        put("content/pilots/a.md", "a2");
        put("content/pilots/b.md", "b");
        std::fs::remove_file(root.join("content/playbook/x.md")).unwrap();
        put("content/pilots/.c.md.swp", "editor");
        let changed: Vec<PathBuf> = ["pilots/a.md", "pilots/b.md", "playbook/x.md", "pilots/.c.md.swp"]
            .iter()
            .map(|p| root.join("content").join(p))
            .collect();
        let updated = before.update(&root, &changed).unwrap();
        let full = load_content(&root);
        let view = |l: &Loaded| -> Vec<(Vec<String>, String, String)> {
            l.docs
                .iter()
                .map(|d| (d.parts.clone(), l.sources.get(d.file).path.clone(), l.sources.get(d.file).text.clone()))
                .collect()
        };
        assert_eq!(view(&updated), view(&full));
        assert_eq!(updated.assets.len(), full.assets.len());
        // The unchanged record is the very same file.
        let c = |l: &Loaded| Arc::clone(l.sources.shared(l.docs.iter().find(|d| d.parts[1] == "c.md").unwrap().file));
        assert!(Arc::ptr_eq(&c(&before), &c(&updated)));
        // A folder that was never read needs a full load.
        std::fs::create_dir_all(root.join("content/new")).unwrap();
        assert!(updated.update(&root, &[root.join("content/new")]).is_none());
    }

    #[test]
    fn an_editors_temporary_file_coming_and_going_keeps_the_list_of_pages() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let record = root.join("content/pilots/a.md");
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(&record, "a").unwrap();
        let before = load_content(&root);
        // `sed -i`, and editors that save atomically, write a temporary
        // file beside the record and rename it over the record.
        let temporary = root.join("content/pilots/sedX1b2c3");
        std::fs::write(&record, "a2").unwrap();
        let after = before.update(&root, &[temporary, record]).unwrap();
        // The list is the same list (what the model made of it is reused:
        // every record's id), and the edit is read.
        assert!(Arc::ptr_eq(&before.docs, &after.docs));
        assert_eq!(after.sources.get(after.docs[0].file).text, "a2");
        // A record that is gone is gone from the list.
        std::fs::remove_file(root.join("content/pilots/a.md")).unwrap();
        let gone = after.update(&root, &[root.join("content/pilots/a.md")]).unwrap();
        assert!(gone.docs.is_empty());
    }

    #[test]
    fn nav_files_are_read_not_published_and_a_change_reads_all_again() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        for (rel, text) in [
            ("content/playbook/mkdocs.yml", "nav: []\n"),
            ("content/playbook/docs/.pages", "title: T\n"),
            ("content/playbook/docs/a.md", "# A\n"),
            ("content/playbook/docs/.hidden.md", "x"),
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let loaded = load_content(&root);
        let navs: Vec<&str> = loaded.navs.iter().map(|d| loaded.sources.get(d.file).path.as_str()).collect();
        assert_eq!(navs, ["content/playbook/docs/.pages", "content/playbook/mkdocs.yml"]);
        assert!(loaded.assets.is_empty());
        assert_eq!(loaded.docs.len(), 1);
        let pages = root.join("content/playbook/docs/.pages");
        assert!(loaded.update(&root, &[pages]).is_none());
    }

    #[test]
    fn line_and_column() {
        let f = SourceFile::new("a".into(), "ab\nçd\n\nx".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2)); // after the two-byte ç
        assert_eq!(f.line_col(8), (4, 1));
        assert_eq!(f.line_text(2), "çd");
        assert_eq!(f.line_text(3), "");
        assert_eq!(f.line_text(4), "x");
        assert_eq!(f.line_text(5), "", "past the last line");
        assert_eq!((f.line_start(1), f.line_start(2), f.line_start(4), f.line_start(9)), (0, 3, 8, 8));
        assert_eq!(f.line_col(99), (4, 2), "clamped to the end");
        let trailing = SourceFile::new("b".into(), "a\n".into());
        assert_eq!((trailing.line_col(2), trailing.line_text(2), trailing.line_start(5)), ((2, 1), "", 2));
    }

    /// Positions asked for in any order (forwards, as diagnostics are
    /// printed, backwards, and jumping about) are found as a count from the
    /// start finds them.
    #[test]
    fn positions_in_any_order_match_a_count_from_the_start() {
        let text = "ab\nçd\n\nx日本y\n\n\nlast line é";
        let naive = |offset: usize| {
            let mut end = offset.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let before = &text[..end];
            let line = before.matches('\n').count() as u32 + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, text[start..end].chars().count() as u32 + 1)
        };
        let lines = |n: u32| text.split('\n').nth(n.saturating_sub(1) as usize).unwrap_or("");
        let f = SourceFile::new("a".into(), text.into());
        let forwards: Vec<usize> = (0..text.len() + 3).collect();
        let backwards: Vec<usize> = forwards.iter().rev().copied().collect();
        let jumps: Vec<usize> = (0..200).map(|i| (i * 37 + i * i) % (text.len() + 3)).collect();
        for order in [forwards, backwards, jumps] {
            for &o in &order {
                assert_eq!(f.line_col(o as u32), naive(o), "offset {o}");
                let line = (o % 9) as u32 + 1;
                assert_eq!(f.line_text(line), lines(line), "line {line}");
            }
        }
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        assert_eq!(decode(b"\xef\xbb\xbfa\r\nb".to_vec()).unwrap(), "a\nb");
        let (prefix, bad) = decode(b"ok\n\xff".to_vec()).unwrap_err();
        assert_eq!((prefix.as_str(), bad), ("ok\n", 0xff));
    }
}
