//! What was read from the git history, kept between builds in
//! `.pilotdeck/history.bin` below the site: the history read at a HEAD
//! (`history::read`), where its walk stood, and what each version of a
//! record read as (`model::history::Known`). The pipeline loads it before
//! reading the history and writes it back after; the stages never touch
//! the file. A cache written by another pilotdeck, in another format or
//! for another config is not trusted: the history is read whole again.

use crate::config::Config;
use crate::history::{History, Walk};
use crate::model::history::Known;
use std::hash::Hasher as _;
use std::path::Path;

/// The cache's name in `.pilotdeck/` (see [`crate::cache_file`]).
pub const NAME: &str = "history.bin";

/// Raised when what the cache holds changes meaning or form (3: dates as
/// numbers of days).
const FORMAT: u32 = 3;

/// What the file starts with, read before the rest: whether the rest can
/// be trusted. The rest is `(History, Walk, Known)`, in postcard's compact
/// form (reading a 1,000-pilot history's cache as JSON took as long as
/// modelling it).
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Eq)]
struct Header {
    /// The pilotdeck that wrote it.
    pilotdeck: String,
    format: u32,
    /// [`fingerprint`] of the config the versions were read with.
    config: u64,
}

fn header(fingerprint: u64) -> Header {
    Header { pilotdeck: env!("CARGO_PKG_VERSION").to_string(), format: FORMAT, config: fingerprint }
}

/// What a build before left.
pub struct Cache {
    pub history: History,
    pub walk: Walk,
    pub known: Known,
}

/// A hash of everything in the config (what a record reads as depends on
/// its stages, rubric and categories, and more).
pub fn fingerprint(config: &Config) -> u64 {
    let mut h = crate::hash::Fx::default();
    h.write(&serde_json::to_vec(config).unwrap_or_default());
    h.finish()
}

/// The cache below `root`, if there is one this pilotdeck wrote for a
/// config with this `fingerprint`.
pub fn load(root: &Path, fingerprint: u64) -> Option<Cache> {
    let bytes = crate::cache_file::read(root, NAME)?;
    let (found, rest) = postcard::take_from_bytes::<Header>(&bytes).ok()?;
    if found != header(fingerprint) {
        return None;
    }
    let (history, walk, known) = postcard::from_bytes(rest).ok()?;
    Some(Cache { history, walk, known })
}

/// Writes the cache, if it can: a site folder that cannot be written to
/// reads the whole history each time, and says nothing.
pub fn write(root: &Path, fingerprint: u64, history: &History, walk: &Walk, known: &Known) {
    let Ok(mut bytes) = postcard::to_stdvec(&header(fingerprint)) else { return };
    let Ok(body) = postcard::to_stdvec(&(history, walk, known)) else { return };
    bytes.extend(body);
    crate::cache_file::write(root, NAME, &bytes);
}
