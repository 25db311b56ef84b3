//! What the search index of the last build made of each run of records,
//! kept between builds in `.pilotdeck/search.bin` below the site (see
//! [`crate::search::index_remembering`]): each run's inputs digest, its
//! `d/` file, words and postings, and filters. A run whose inputs are the
//! same is taken as it is instead of made again. What a run is made of is
//! a function of its inputs alone, so the memo holds whatever output
//! folder the site is built into; it is trusted only when a pilotdeck
//! built from the very same code (`PILOTDECK_SOURCE`) wrote it.
//!
//! The file is the key, each run one after the other (borsh: its inputs,
//! its `d/` file, its [`Part`]), and the place and length of each run as
//! the index at its end ([`crate::cache_file::write_index`]). A build reads a run
//! only when its inputs are asked for, so that no more than the runs it
//! keeps is in memory.

use crate::search::Part;
use borsh::{BorshDeserialize, BorshSerialize};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Where the memo is, below the site.
pub const NAME: &str = "search.bin";

/// Raised when what the memo holds changes meaning or form.
const FORMAT: u32 = 1;

#[derive(BorshSerialize, BorshDeserialize, PartialEq, Eq)]
struct Key {
    source: String,
    format: u32,
}

fn key() -> Key {
    Key { source: env!("PILOTDECK_SOURCE").to_string(), format: FORMAT }
}

/// The memo of a build before, opened.
pub struct Previous {
    file: Mutex<std::fs::File>,
    /// Where each run is in the file, and how long.
    runs: Vec<(u64, u64)>,
    /// Which runs an index took (see [`write()`]).
    took: Vec<AtomicBool>,
}

/// The memo below `root`, if this pilotdeck wrote one.
pub fn open(root: &Path) -> Option<Previous> {
    let mut file = std::fs::File::open(crate::cache_file::path(root, NAME)).ok()?;
    let key = key();
    if Key::deserialize_reader(&mut std::io::BufReader::new(&mut file)).ok()? != key {
        return None;
    }
    let runs_start = borsh::to_vec(&key).ok()?.len() as u64;
    let (runs, start) = crate::cache_file::read_index::<Vec<(u64, u64)>>(&mut file, runs_start)?;
    if runs.iter().any(|&(at, len)| at.checked_add(len).is_none_or(|e| e > start) || len < 16) {
        return None;
    }
    let took = runs.iter().map(|_| AtomicBool::new(false)).collect();
    Some(Previous { file: Mutex::new(file), runs, took })
}

impl Previous {
    /// The run `n` and its `d/` file, if it was made from `inputs`.
    pub fn get(&self, n: usize, inputs: u128) -> Option<(Part, Vec<u8>)> {
        let mut bytes = Vec::new();
        self.read_run(n, &mut bytes)?;
        if bytes.get(..16)? != inputs.to_le_bytes() {
            return None;
        }
        let (_, docs, mut part) = <(u128, Vec<u8>, Part)>::try_from_slice(&bytes).ok()?;
        part.shrink_to_fit();
        (part.inputs() == inputs).then(|| {
            self.took[n].store(true, Ordering::Relaxed);
            (part, docs)
        })
    }

    /// The bytes of run `n` as the file holds them, into `bytes`.
    fn read_run(&self, n: usize, bytes: &mut Vec<u8>) -> Option<()> {
        let &(at, len) = self.runs.get(n)?;
        bytes.resize(usize::try_from(len).ok()?, 0);
        let mut file = self.file.lock().ok()?;
        file.seek(SeekFrom::Start(at)).ok()?;
        file.read_exact(bytes).ok()
    }

    /// How many runs an index took from this memo.
    pub fn taken(&self) -> usize {
        self.took.iter().filter(|t| t.load(Ordering::Relaxed)).count()
    }

    /// Whether an index of `parts` took every run of this memo, and
    /// nothing else: the memo need not be written again.
    pub fn is_all_of(&self, parts: &[Part]) -> bool {
        self.runs.len() == parts.len() && self.taken() == parts.len()
    }
}

/// Writes the memo of `parts` below `root`, each run with its `d/` file
/// (`docs(n)`, read from the site just built), if it can. A run taken
/// from `previous` (the memo this build read) is copied from it as its
/// bytes are: after one record changed, every run but one or two, which
/// borsh wrote a number at a time (about 17 MB at 10,000 pilots of the
/// realistic mix).
pub fn write(root: &Path, parts: &[Part], docs: impl Fn(usize) -> Option<Vec<u8>>, previous: Option<&Previous>) {
    crate::cache_file::write_with(root, NAME, |out| {
        let mut out = crate::cache_file::Counted { out, written: 0 };
        key().serialize(&mut out)?;
        let mut runs = Vec::with_capacity(parts.len());
        let mut bytes = Vec::new();
        for (n, part) in parts.iter().enumerate() {
            let at = out.written;
            let took = previous.filter(|p| p.took.get(n).is_some_and(|t| t.load(Ordering::Relaxed)));
            match took.and_then(|p| p.read_run(n, &mut bytes)) {
                Some(()) => std::io::Write::write_all(&mut out, &bytes)?,
                None => {
                    let docs = docs(n).ok_or_else(|| std::io::Error::other("a `d/` file of the index is missing"))?;
                    (part.inputs(), docs, part).serialize(&mut out)?;
                }
            }
            runs.push((at, out.written - at));
        }
        crate::cache_file::write_index(&mut out, &runs)
    });
}
