//! Reading the site's static files without following a symbolic link that
//! was swapped in after they were found. The theme loader resolves every
//! static file to its real path inside the site folder once
//! ([`resolve_inside`]); from then on the file is opened component by
//! component with `O_NOFOLLOW` ([`open`]), so a link put in place of the
//! file or of any folder on its way (`static/x.txt -> /etc/passwd`) is
//! refused instead of read.

use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The real path of `path` (every link resolved) when it is inside the
/// site folder `root`, else an error naming both.
pub(crate) fn resolve_inside(root: &Path, path: &Path) -> anyhow::Result<PathBuf> {
    let real_root = std::fs::canonicalize(root)
        .map_err(|e| anyhow::anyhow!("cannot resolve the site folder `{}`: {e}", root.display()))?;
    let real = std::fs::canonicalize(path).map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", path.display()))?;
    if !real.starts_with(&real_root) {
        anyhow::bail!(
            "`{}` is a symbolic link to `{}`, outside the site folder: pilotdeck publishes only files inside it \
             (copy the file into the site instead)",
            path.display(),
            real.display()
        );
    }
    Ok(real)
}

/// Opens the regular file at `path` for reading, refusing a symbolic link
/// at any component of the path (and anything but a regular file at its
/// end). A relative path is taken from the working folder, whose own path
/// is not checked.
pub(crate) fn open(path: &Path) -> io::Result<File> {
    let file = open_components(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    Ok(file)
}

/// Reads the whole file at `path` as [`open`] opens it.
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    use io::Read as _;
    let mut out = Vec::new();
    open(path)?.read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(unix)]
fn open_components(path: &Path) -> io::Result<File> {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    // `..` is never a link; `.` and the root are where the walk starts.
    let names: Vec<&std::ffi::OsStr> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            Component::ParentDir => Some(std::ffi::OsStr::new("..")),
            _ => None,
        })
        .collect();
    let Some((last, folders)) = names.split_last() else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "no file name"));
    };
    // `O_PATH` where there is one: a folder needs only to be searchable.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let walk = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let walk = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut dir = openat(CWD, if path.has_root() { "/" } else { "." }, walk, Mode::empty())?;
    for name in folders {
        dir = openat(&dir, *name, walk, Mode::empty()).map_err(symlink_error)?;
    }
    let fd = openat(&dir, *last, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
        .map_err(symlink_error)?;
    Ok(File::from(fd))
}

/// `O_NOFOLLOW` on a link fails with ELOOP (and `O_PATH | O_DIRECTORY`
/// with ENOTDIR); both say the same to a reader.
#[cfg(unix)]
fn symlink_error(e: rustix::io::Errno) -> io::Error {
    if e == rustix::io::Errno::LOOP || e == rustix::io::Errno::NOTDIR {
        io::Error::new(io::ErrorKind::InvalidInput, "a symbolic link is on the way to this file")
    } else {
        e.into()
    }
}

/// Without `openat`: every folder on the way is checked not to be a link,
/// then the file is opened (a swap between the check and the open is not
/// caught here).
#[cfg(not(unix))]
fn open_components(path: &Path) -> io::Result<File> {
    let mut at = PathBuf::new();
    for c in path.components() {
        at.push(c);
        if matches!(c, Component::Normal(_)) && std::fs::symlink_metadata(&at)?.file_type().is_symlink() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "a symbolic link is on the way to this file"));
        }
    }
    File::open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_anywhere_on_the_path() {
        let dir = tempfile::tempdir().expect("temp");
        let root = std::fs::canonicalize(dir.path()).expect("real");
        std::fs::create_dir_all(root.join("static/sub")).expect("dir");
        std::fs::write(root.join("static/sub/a.txt"), "a").expect("file");
        std::fs::write(root.join("secret.txt"), "secret").expect("file");
        assert_eq!(read(&root.join("static/sub/a.txt")).expect("plain file"), b"a");

        // The file swapped for a link.
        std::fs::remove_file(root.join("static/sub/a.txt")).expect("rm");
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("static/sub/a.txt")).expect("link");
        assert!(read(&root.join("static/sub/a.txt")).is_err());
        // A folder on the way swapped for a link.
        std::fs::create_dir(root.join("elsewhere")).expect("dir");
        std::fs::write(root.join("elsewhere/a.txt"), "elsewhere").expect("file");
        std::fs::remove_dir_all(root.join("static/sub")).expect("rm");
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("static/sub")).expect("link");
        assert!(read(&root.join("static/sub/a.txt")).is_err());
        // Not a regular file.
        assert!(read(&root.join("static")).is_err());
        // `..` on the way is fine; the link after it is not.
        assert_eq!(read(&root.join("elsewhere/../elsewhere/a.txt")).expect("dots"), b"elsewhere");
        assert!(read(&root.join("elsewhere/../static/sub/a.txt")).is_err());

        assert!(resolve_inside(&root, &root.join("elsewhere/a.txt")).is_ok());
        std::os::unix::fs::symlink("/etc/hostname", root.join("out.txt")).expect("link");
        assert!(resolve_inside(&root, &root.join("out.txt")).is_err());
    }
}
