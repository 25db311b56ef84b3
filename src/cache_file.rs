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
    write_with(root, name, |out| out.write_all(bytes));
}

/// Writes the file `name` in the cache folder below `root` as `fill` makes
/// it, if it can (a site folder that cannot be written to keeps no cache,
/// and nothing says so): written beside, then renamed over, so that a
/// cache file is whole or absent.
pub fn write_with(root: &Path, name: &str, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let dir = root.join(DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
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
        Ok(()) => {
            let _ = std::fs::rename(&tmp, dir.join(name));
        }
        Err(_) => {
            let _ = std::fs::remove_file(&tmp);
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
