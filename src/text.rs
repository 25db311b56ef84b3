//! The site's text files, each addressed by a [`FileId`]: the text,
//! normalised, and its lines and columns found on demand for diagnostics.
//! Shared by every stage and by the diagnostics printer; it depends on
//! neither.

use std::sync::Arc;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, borsh::BorshDeserialize)]
pub struct FileId(pub u32);

thread_local! {
    /// Set while [`digest_unplaced`] encodes a value on this thread.
    static UNPLACED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl borsh::BorshSerialize for FileId {
    fn serialize<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        let id = if UNPLACED.with(std::cell::Cell::get) { u32::MAX } else { self.0 };
        id.serialize(out)
    }
}

/// Writes `value` into `d` as borsh encodes it, but for the places of
/// files among the sources (each [`FileId`] written as one value): a
/// record's page never shows them, and they move for every record after
/// one added or removed.
pub fn digest_unplaced<T: borsh::BorshSerialize>(value: &T, d: &mut Digester) {
    UNPLACED.with(|u| u.set(true));
    let _ = borsh::to_writer(&mut *d, value);
    UNPLACED.with(|u| u.set(false));
}

/// One text file of the site, normalised: no BOM, `\n` line endings.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to the user, relative to the site root, `/`-separated.
    pub path: String,
    pub text: String,
    /// Set when the text was released to save memory: its length and hash,
    /// to know it again on disk ([`Sources::restore`]).
    released: Option<Known>,
    /// The file's stamp on disk when its text was read, if it was read
    /// from a file a while after its last change (see [`FileStamp`]).
    stamp: Option<FileStamp>,
    /// Where the last position asked for was found, to go on from.
    cursor: std::sync::Mutex<Cursor>,
}

/// What tells a file on disk from another without reading it: its length,
/// inode, and times of last change of its text and of the file (the
/// second a tool that sets the first back cannot set, as `git` counts on).
/// Taken only of a file last changed over a second before (see
/// [`FileStamp::of`]): a file changed again within the same tick of the
/// file system's clock would keep its stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct FileStamp {
    len: u64,
    modified: i128,
    changed: i128,
    inode: u64,
}

impl FileStamp {
    /// The stamp of a file of `meta` taken at `now`; `None` when the file
    /// changed less than a second before `now` (or after it), or the
    /// system does not tell.
    pub fn of(meta: &std::fs::Metadata, now: std::time::SystemTime) -> Option<FileStamp> {
        let nanos = |t: std::time::SystemTime| -> Option<i128> {
            Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos() as i128)
        };
        let (now, modified) = (nanos(now)?, nanos(meta.modified().ok()?)?);
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()), meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (modified, 0);
        const SECOND: i128 = 1_000_000_000;
        (now - modified.max(changed) > SECOND).then_some(FileStamp { len: meta.len(), modified, changed, inode })
    }
}

/// The last position and the last line looked up in a file. Diagnostics
/// are printed in order of position, so each lookup goes on from the last
/// one and a file is read through once however many problems it has
/// (counting from the start each time made 20,000 problems in one record
/// take minutes). A lookup before the cursor counts from the start.
#[derive(Debug, Default, Clone, Copy)]
struct Cursor {
    /// A byte offset at a character boundary; line breaks before it; where
    /// its line starts; characters from there to it.
    end: u32,
    line: u32,
    line_start: u32,
    col: u32,
    /// The last line asked for by number (0-based), and where it starts.
    nth: u32,
    nth_start: u32,
}

/// Lines are found by counting line breaks when a position is asked for,
/// from the last one asked for: no table of line starts is kept for
/// thousands of files.
impl SourceFile {
    pub fn new(path: String, text: String) -> SourceFile {
        SourceFile { path, text, released: None, stamp: None, cursor: Default::default() }
    }

    /// A file read from disk, with its [`FileStamp`] when it was read.
    pub fn read(path: String, text: String, stamp: Option<FileStamp>) -> SourceFile {
        SourceFile { stamp, ..SourceFile::new(path, text) }
    }

    /// The file's stamp on disk when it was read, if one was taken.
    pub fn stamp(&self) -> Option<FileStamp> {
        self.stamp
    }

    fn cursor(&self) -> std::sync::MutexGuard<'_, Cursor> {
        // A panic elsewhere while the lock was held leaves a valid cursor.
        self.cursor.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The file without its text, and with what is needed to know the text
    /// again on disk; `None` when it was released already.
    pub fn released(&self) -> Option<SourceFile> {
        self.released.is_none().then(|| SourceFile {
            path: self.path.clone(),
            text: String::new(),
            released: Some(known(&self.text)),
            stamp: self.stamp,
            cursor: Default::default(),
        })
    }

    /// A file known only by its path, what [`SourceFile::known`] gave for
    /// its text, and its stamp on disk if one was taken (as the record
    /// cache remembers a file).
    pub fn remembered(path: String, known: Known, stamp: Option<FileStamp>) -> SourceFile {
        SourceFile { path, text: String::new(), released: Some(known), stamp, cursor: Default::default() }
    }

    /// What tells this file's text from another: its length and digest.
    pub fn known(&self) -> Known {
        self.released.unwrap_or_else(|| known(&self.text))
    }

    /// Whether `now` holds the text this file held: the same text, or,
    /// when either text was released, the same length and digest.
    pub fn same_text(&self, now: &SourceFile) -> bool {
        match (self.released, now.released) {
            (None, None) => self.text == now.text,
            _ => self.known() == now.known(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let mut end = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let mut cursor = self.cursor();
        let mut c = *cursor;
        if end < c.end as usize || c.end as usize > self.text.len() {
            c = Cursor { nth: c.nth, nth_start: c.nth_start, ..Cursor::default() };
        }
        let from = c.end as usize;
        let between = &self.text.as_bytes()[from..end];
        let breaks = between.iter().filter(|&&b| b == b'\n').count() as u32;
        let (col_from, col) = match between.iter().rposition(|&b| b == b'\n') {
            Some(i) => {
                c.line_start = (from + i + 1) as u32;
                (from + i + 1, 0)
            }
            None => (from, c.col),
        };
        c.line += breaks;
        c.col = col + self.text[col_from..end].chars().count() as u32;
        c.end = end as u32;
        cursor.end = c.end;
        cursor.line = c.line;
        cursor.line_start = c.line_start;
        cursor.col = c.col;
        (c.line + 1, c.col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(start) = self.nth_line_start(line) else {
            return "";
        };
        let end = self.text[start..].find('\n').map_or(self.text.len(), |e| start + e);
        &self.text[start..end]
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.nth_line_start(line).unwrap_or_else(|| self.text.rfind('\n').map_or(0, |i| i + 1)) as u32
    }

    /// Byte offset where a 1-based line starts, if the file has that line.
    fn nth_line_start(&self, line: u32) -> Option<usize> {
        let n = line.saturating_sub(1);
        let mut cursor = self.cursor();
        let (mut at, mut start) = (cursor.nth, cursor.nth_start as usize);
        if n < at || start > self.text.len() {
            (at, start) = (0, 0);
        }
        // From the line asked for last, as many line breaks on.
        while at < n {
            start += self.text[start..].find('\n')? + 1;
            at += 1;
        }
        cursor.nth = n;
        cursor.nth_start = start as u32;
        Some(start)
    }
}

/// Every text file read for one build, addressed by [`FileId`]. Files are
/// shared, so that a rebuild after an edit keeps every file it did not read
/// again (and can tell them apart from the ones it did).
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    /// Puts `file` in the place of the file `id` (an edited file keeps its id).
    pub fn replace(&mut self, id: FileId, file: Arc<SourceFile>) {
        self.files[id.0 as usize] = file;
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(Arc::new(file));
        FileId(self.files.len() as u32 - 1)
    }

    /// Forgets the text of every file (their paths stay). For a build that
    /// found no errors: nothing after it shows a snippet of the content, and
    /// rendering needs the memory.
    pub fn forget_texts(&mut self) {
        for f in &mut self.files {
            *f = Arc::new(SourceFile::new(f.path.clone(), String::new()));
        }
    }

    /// Puts in the place of a file what [`SourceFile::released`] made of it.
    /// A build releases the text of each record once it is read: only
    /// errors are shown with their lines, and the texts of thousands of
    /// records would otherwise be held through the whole build.
    pub fn put_released(&mut self, id: FileId, file: Arc<SourceFile>) {
        debug_assert_eq!(self.files[id.0 as usize].path, file.path);
        self.files[id.0 as usize] = file;
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Keeps the first `len` files (those an analysis added after are let go).
    pub fn truncate(&mut self, len: usize) {
        self.files.truncate(len);
    }

    /// Puts back the released texts of `ids`, as `read` gives them by path,
    /// when they are still what was read (else the files stay without text,
    /// and a problem in them is shown without its line).
    pub fn restore(&mut self, ids: impl IntoIterator<Item = FileId>, read: impl Fn(&str) -> Option<String>) {
        for id in ids {
            let f = &self.files[id.0 as usize];
            let Some(was) = f.released else { continue };
            let Some(text) = read(&f.path) else { continue };
            if known(&text) == was {
                self.files[id.0 as usize] = Arc::new(SourceFile::new(f.path.clone(), text));
            }
        }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The shared file (to compare with the one an earlier build read).
    pub fn shared(&self, id: FileId) -> &Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), &**f))
    }
}

/// A text's length and [`digest`].
pub type Known = (usize, u128);

/// What tells `text` from another: its length and digest.
pub fn known(text: &str) -> Known {
    (text.len(), digest(text))
}

/// A text's digest: SipHash-1-3, 128 bits, with fixed keys (the same in
/// every run and every build of pilotdeck), so that a text known by it,
/// even from a file written by an earlier run (the record cache), is
/// never taken for another by accident, as a 64-bit FxHash could be.
fn digest(text: &str) -> u128 {
    let mut d = Digester::new();
    d.add(text.as_bytes());
    d.finish()
}

/// A [`digest`] of bytes written a part at a time (it is a writer, so
/// that a value can be encoded straight into it). Written `a` then `b`
/// gives the digest of `a` and `b` joined: a part whose length varies is
/// best followed by something that ends it.
///
/// Short parts are gathered and given to SipHash together: borsh and
/// serde_json write a value a field at a time, and SipHash takes many
/// small writes at a fraction of its speed on one long one (the digest is
/// the same: SipHash reads its input as one stream).
pub struct Digester {
    sip: siphasher::sip128::SipHasher13,
    short: [u8; SHORT],
    len: usize,
}

/// How many bytes of short parts a [`Digester`] gathers.
const SHORT: usize = 512;

impl Digester {
    pub fn new() -> Digester {
        let sip = siphasher::sip128::SipHasher13::new_with_keys(0x7069_6c6f_7464_6563, 0x6b2d_7465_7874_7331);
        Digester { sip, short: [0; SHORT], len: 0 }
    }

    pub fn add(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() <= SHORT {
            self.short[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
            return;
        }
        std::hash::Hasher::write(&mut self.sip, &self.short[..self.len]);
        self.len = 0;
        if bytes.len() < SHORT {
            self.short[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        } else {
            std::hash::Hasher::write(&mut self.sip, bytes);
        }
    }

    /// `text` and a byte no text holds, to end it.
    pub fn add_str(&mut self, text: &str) {
        self.add(text.as_bytes());
        self.add(&[0xff]);
    }

    /// Whether there is a text, and the text ([`Digester::add_str`]).
    pub fn add_opt(&mut self, text: Option<&str>) {
        self.add(&[u8::from(text.is_some())]);
        self.add_str(text.unwrap_or(""));
    }

    /// How many texts, and each ([`Digester::add_str`]).
    pub fn add_list<S: AsRef<str>>(&mut self, list: &[S]) {
        self.add(&(list.len() as u64).to_le_bytes());
        list.iter().for_each(|t| self.add_str(t.as_ref()));
    }

    pub fn finish(&self) -> u128 {
        let mut sip = self.sip;
        std::hash::Hasher::write(&mut sip, &self.short[..self.len]);
        siphasher::sip128::Hasher128::finish128(&sip).as_u128()
    }
}

impl Default for Digester {
    fn default() -> Self {
        Digester::new()
    }
}

impl std::io::Write for Digester {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.add(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Parts of any lengths, gathered or not, give the digest of the
        /// bytes joined, which is SipHash's of them.
        #[test]
        fn parts_give_the_digest_of_the_bytes_joined(parts in proptest::collection::vec(proptest::collection::vec(0u8..=255, 0..1200), 0..12)) {
            let mut d = Digester::new();
            for part in &parts {
                d.add(part);
            }
            let joined: Vec<u8> = parts.concat();
            let mut whole = Digester::new();
            whole.add(&joined);
            let mut sip = Digester::new().sip;
            std::hash::Hasher::write(&mut sip, &joined);
            let expected = siphasher::sip128::Hasher128::finish128(&sip).as_u128();
            proptest::prop_assert_eq!(d.finish(), expected);
            proptest::prop_assert_eq!(whole.finish(), expected);
        }
    }
}
