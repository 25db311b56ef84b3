//! What the model's tests make their sites of.

use super::BuildOptions;
use std::path::PathBuf;

/// The options of an analysis as of `date`, a date looked back at.
pub(super) fn opts(date: &str) -> BuildOptions {
    BuildOptions {
        as_of: crate::date::Date::parse(date).unwrap(),
        looking_back: true,
        drafts: false,
        release_texts: false,
    }
}

/// The file of record `i` in [`records`]' folder.
pub(super) fn record_file(i: usize) -> String {
    format!("p{i:04}.md")
}

/// A site in a temporary folder of `n` records, record `i` written
/// `record(i)`; with its folder of records.
pub(super) fn records(n: usize, record: impl Fn(usize) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("content/pilots");
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..n {
        std::fs::write(folder.join(record_file(i)), record(i)).unwrap();
    }
    (dir, folder)
}
