//! What the pages of the last build into an output were made from, kept
//! between builds in `.pilotdeck/pages.bin` below the site: for each page
//! a build may keep (the pilot pages, and the pages of the library and
//! of each person), the digest of its inputs
//! ([`crate::render::Plan::inputs`]) and the [`Stamp`] its file had in
//! the output once the build was done. A build that finds a page of the
//! same inputs whose file still has that stamp keeps the file without
//! making the page or reading the file.
//!
//! The memo is trusted only for the same output folder, the same
//! templates, and a pilotdeck built from the very same code
//! (`PILOTDECK_SOURCE`). It is removed before a build puts its site in
//! place and written again after: a build that stops between leaves none.
//! A file written again has another stamp (another inode and time), so a
//! page changed since, by a build or by hand, is made again.
//!
//! For each large file a build streams (`portfolio.json`,
//! `constraints.csv`) it keeps, in a file of its own, the file's stamp and
//! where each element of its lists is and what it was made from
//! ([`crate::exports::Table`]): a build copies the elements it would make
//! from the same inputs from the file, if the file still has that stamp,
//! rather than making them again. Each is written as soon as its file is
//! made (not held in memory through the rest of the build): one left by a
//! build that stopped names a stamp no file of the output has.

use crate::output::Stamp;
use crate::theme::Theme;
use borsh::{BorshDeserialize, BorshSerialize};
use std::path::Path;

/// Where the memo is, below the site.
pub const NAME: &str = "pages.bin";

/// Raised when what the memo holds changes meaning or form.
const FORMAT: u32 = 1;

/// What the file starts with: whether the rest can be trusted.
#[derive(BorshSerialize, BorshDeserialize, PartialEq, Eq, Debug)]
pub struct Key {
    source: String,
    format: u32,
    /// The output folder, absolute.
    output: String,
    /// A digest of the theme's templates, by name.
    templates: u128,
}

/// The key of pages built into `output` with `theme`.
pub fn key(output: &Path, theme: &Theme) -> Key {
    let mut d = crate::text::Digester::new();
    for t in &theme.templates {
        d.add_str(&t.name);
        d.add_str(&t.text);
    }
    Key {
        source: env!("PILOTDECK_SOURCE").to_string(),
        format: FORMAT,
        output: output.to_string_lossy().into_owned(),
        templates: d.finish(),
    }
}

/// What each page's file was made from, by its path in the output.
pub type Memo = crate::hash::FastMap<String, (u128, Stamp)>;

/// The memo below `root` for pages of this `key`, if there is one; it is
/// removed from the folder (see the module's notes).
pub fn take(root: &Path, key: &Key) -> Option<Memo> {
    let pages: Vec<(String, u128, Stamp)> = take_file(root, NAME, key)?;
    Some(pages.into_iter().map(|(path, inputs, stamp)| (path, (inputs, stamp))).collect())
}

/// Writes the memo of `pages` (each page's path, inputs and stamp) below
/// `root`, if it can.
pub fn write(root: &Path, key: &Key, pages: &[(&str, u128, Stamp)]) {
    write_file(root, NAME, key, &pages);
}

/// Where the memo of the streamed file `rel` is, below the site.
fn stream_name(rel: &str) -> String {
    format!("stream.{}.bin", rel.replace('/', "_"))
}

/// The memo of the streamed file `rel` below `root` for this `key`, if
/// there is one: the stamp the file had and its table. It is removed from
/// the folder.
pub fn take_stream(root: &Path, key: &Key, rel: &str) -> Option<(Stamp, crate::exports::Table)> {
    let (stamp, mut table): (Stamp, crate::exports::Table) = take_file(root, &stream_name(rel), key)?;
    table.shrink_to_fit();
    Some((stamp, table))
}

/// Writes the memo of the streamed file `rel` (its stamp and table) below
/// `root`, if it can.
pub fn write_stream(root: &Path, key: &Key, rel: &str, stamp: &Stamp, table: &crate::exports::Table) {
    write_file(root, &stream_name(rel), key, &(stamp, table));
}

/// What the memo file `name` below `root` holds after its key, if the key
/// is `key`; the file is removed.
fn take_file<T: BorshDeserialize>(root: &Path, name: &str, key: &Key) -> Option<T> {
    let path = crate::cache_file::path(root, name);
    let bytes = std::fs::read(&path).ok()?;
    let _ = std::fs::remove_file(&path);
    let mut rest = &bytes[..];
    if Key::deserialize(&mut rest).ok()? != *key {
        return None;
    }
    T::deserialize(&mut rest).ok()
}

/// Writes `value` after `key` into the memo file `name` below `root`, if
/// it can.
fn write_file(root: &Path, name: &str, key: &Key, value: &impl BorshSerialize) {
    crate::cache_file::write_with(root, name, |out| {
        let mut out = out;
        key.serialize(&mut out)?;
        value.serialize(&mut out)
    });
}
