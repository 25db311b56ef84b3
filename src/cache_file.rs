//! The files pilotdeck keeps between runs below a site, in `.pilotdeck/`
//! (the history cache, the record cache).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder below the site. It holds a `.gitignore` of its own that
/// ignores it all.
pub const DIR: &str = ".pilotdeck";

/// Where the file `name` of the cache folder below `root` is.
pub fn path(root: &Path, name: &str) -> PathBuf {
    root.join(DIR).join(name)
}

/// The bytes of the file `name` in the cache folder below `root`, if any.
pub fn read(root: &Path, name: &str) -> Option<Vec<u8>> {
    std::fs::read(path(root, name)).ok()
}

/// Writes `bytes` as the file `name` in the cache folder below `root` (see
/// [`write_with`]).
pub fn write(root: &Path, name: &str, bytes: &[u8]) {
    let _ = write_with(root, name, |out| out.write_all(bytes));
}

/// Writes the file `name` in the cache folder below `root` as `fill` makes
/// it, if it can (a site folder that cannot be written to keeps no cache,
/// and nothing says so): written beside, then renamed over, so that a
/// cache file is whole or absent. Says whether it was written.
pub fn write_with(root: &Path, name: &str, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> bool {
    let dir = root.join(DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return false;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# pilotdeck's cache: never committed\n*\n");
    }
    // A name of this process's own: two runs writing at once never write
    // into one file.
    let tmp = dir.join(format!("{name}.tmp-{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        fill(&mut out)?;
        out.flush()
    });
    match written {
        Ok(()) => std::fs::rename(&tmp, dir.join(name)).is_ok(),
        Err(_) => {
            let _ = std::fs::remove_file(&tmp);
            false
        }
    }
}

/// A writer that counts what goes through it.
pub(crate) struct Counted<'a> {
    pub out: &'a mut dyn std::io::Write,
    pub written: u64,
}

impl std::io::Write for Counted<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Ends a cache file with its `index` and where the index starts (8 bytes,
/// little endian), so that a reader finds it from the end
/// ([`read_index`]) and can read the rest a part at a time.
pub(crate) fn write_index<T: borsh::BorshSerialize>(out: &mut Counted, index: &T) -> std::io::Result<()> {
    use std::io::Write as _;
    let start = out.written;
    index.serialize(out)?;
    out.write_all(&start.to_le_bytes())
}

/// The index at the end of `file` ([`write_index`]) and where it starts;
/// `None` when it cannot be read, or starts before `from` (the end of what
/// the file holds before its parts) or past its end.
pub(crate) fn read_index<T: borsh::BorshDeserialize>(file: &mut std::fs::File, from: u64) -> Option<(T, u64)> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let (start, end) = index_at(file, from)?;
    file.seek(SeekFrom::Start(start)).ok()?;
    let index = T::deserialize_reader(&mut std::io::BufReader::new(file).take(end - start)).ok()?;
    Some((index, start))
}

/// Where the index at the end of `file` ([`write_index`]) starts and ends,
/// read from its last 8 bytes, without reading the index; `None` as
/// [`read_index`] says.
pub(crate) fn index_at(file: &mut std::fs::File, from: u64) -> Option<(u64, u64)> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let end = file.seek(SeekFrom::End(-8)).ok()?;
    let mut at = [0u8; 8];
    file.read_exact(&mut at).ok()?;
    let start = u64::from_le_bytes(at);
    (from <= start && start <= end).then_some((start, end))
}
