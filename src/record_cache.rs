//! The pilot records a run read, kept between runs in
//! `.pilotdeck/records.bin` below the site: each record file's path, its
//! text's length and digest, and what it read as (the record and the
//! problems found in it). A build loads it before the model and gives it
//! to the model as the cache of an analysis before, so that only the
//! records whose text changed are read again; the stages never touch the
//! file. A run that read a few records again writes only those, into
//! `.pilotdeck/records.changes.bin` beside it, with the index of all (see
//! [`Opened`]): at 10,000 records the whole file is 64 MB.
//!
//! The cache is trusted only when it was written by a pilotdeck built
//! from the very same code (`PILOTDECK_SOURCE`), in this format, for the
//! same config and `--drafts`: what a record reads as depends on all of
//! them. Anything else (another version, a file cut short, bytes that do
//! not decode) and the records are read as if there were no cache. The
//! as-of date the records' facts were derived for is kept beside the key:
//! for another date the model derives them again (reading a record does
//! not depend on the date; its facts do).

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{BuildOptions, ModelCache, Pilot, Remembered};
use borsh::{BorshDeserialize, BorshSerialize};
use std::path::Path;

/// Where the cache is, below the site.
pub const NAME: &str = "records.bin";

/// The records read since [`NAME`] was written, and the index of them all
/// (see [`Opened`]).
pub const CHANGES: &str = "records.changes.bin";

/// Raised when what the cache holds changes meaning or form.
const FORMAT: u32 = 5;

/// Records of [`NAME`] that may be read again since it was written, over
/// the records, before it is written whole again: a build after a few
/// records changed writes only those, into [`CHANGES`].
const CHANGES_SHARE: usize = 8;

/// What the file starts with, read before the rest: whether the rest can
/// be trusted.
#[derive(BorshSerialize, BorshDeserialize, PartialEq, Eq, Clone, Debug)]
pub struct Key {
    pilotdeck: String,
    /// A digest of the code the running pilotdeck was built from.
    source: String,
    format: u32,
    /// `history_cache::fingerprint` of the config as written (the model
    /// never reads the base URL a command line may set over it: `serve`
    /// and `build` share the cache).
    config: u64,
    drafts: bool,
}

/// The key of records read with the config of this `fingerprint`
/// (`history_cache::fingerprint` of the config as written) and `opts`.
pub fn key(fingerprint: u64, opts: &BuildOptions) -> Key {
    Key {
        pilotdeck: env!("CARGO_PKG_VERSION").to_string(),
        source: env!("PILOTDECK_SOURCE").to_string(),
        format: FORMAT,
        config: fingerprint,
        drafts: opts.drafts,
    }
}

/// What both files start with: the [`Key`], the as-of date the records'
/// facts were derived for, and the generation of [`NAME`] (made anew each
/// time it is written whole; [`CHANGES`] holds the generation it adds to).
#[derive(BorshSerialize, BorshDeserialize, PartialEq, Eq)]
struct Head {
    key: Key,
    as_of: crate::date::Date,
    generation: u128,
}

/// Which file a record's bytes are in.
#[derive(BorshSerialize, BorshDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[borsh(use_discriminant = true)]
enum In {
    Whole = 0,
    Changes = 1,
}

/// One record file in the index: its path, its text's length and digest,
/// its stamp on disk when that text was read (if one was taken: a file
/// that still has it is not read again), what reading it found (so that
/// which texts a run may let go is known before any record is decoded),
/// the digest of the record it read as (`model::Site::digests`), and
/// where what it read as is: which file, from where, how many bytes, and
/// their CRC-32 (checked when they are read back).
#[derive(BorshSerialize, BorshDeserialize, Clone)]
struct Entry {
    path: String,
    len: u64,
    digest: u128,
    stamp: Option<crate::source::FileStamp>,
    found: Found,
    record: Option<u128>,
    file: In,
    at: u64,
    bytes: u64,
    check: u32,
}

/// What reading a record found.
#[derive(BorshSerialize, BorshDeserialize, Clone, Copy, PartialEq, Eq)]
#[borsh(use_discriminant = true)]
enum Found {
    Nothing = 0,
    Warnings = 1,
    Errors = 2,
}

impl Found {
    fn of(diagnostics: &[Diagnostic]) -> Found {
        if diagnostics.iter().any(Diagnostic::is_error) {
            Found::Errors
        } else if diagnostics.is_empty() {
            Found::Nothing
        } else {
            Found::Warnings
        }
    }
}

/// What one record read as.
type Read = (Option<Pilot>, Vec<Diagnostic>);

/// Records decoded side by side at a time: the bytes of one batch are in
/// memory, never the whole file's.
const BATCH: usize = 256;

/// The cache is two files, each a [`Head`], what records read as (each
/// encoded with borsh, one after the other), the index (a list of
/// [`Entry`], one for each record file, in the records' order) and where
/// the index starts (8 bytes, little endian):
///
/// - [`NAME`], every record, written whole (when there is no cache, the
///   as-of date moved, or many records changed since);
/// - [`CHANGES`], the records read since [`NAME`] was written, and the
///   index of every record, each in either file. It counts only while its
///   generation is the one [`NAME`] has: [`NAME`] written whole again
///   makes it void.
///
/// Each is written beside and renamed over, so that each is whole or
/// absent; the bytes of [`NAME`] never change under a [`CHANGES`] that
/// points into them.
///
/// A cache this run can trust, opened: its index read, no record decoded
/// yet (see [`open`]).
pub struct Opened {
    whole: std::fs::File,
    changes: Option<std::fs::File>,
    as_of: crate::date::Date,
    generation: u128,
    index: Vec<Entry>,
}

/// A cache file opened, its index not read yet: the file, its head, and
/// where its records' bytes start and end.
struct File {
    file: std::fs::File,
    head: Head,
    records: std::ops::Range<u64>,
}

/// The cache file `name` below `root`, opened, when its key is `key`.
fn open_file(root: &Path, name: &str, key: &Key) -> Option<File> {
    let mut file = std::fs::File::open(crate::cache_file::path(root, name)).ok()?;
    let head = Head::deserialize_reader(&mut std::io::BufReader::new(&mut file)).ok()?;
    if head.key != *key {
        return None;
    }
    let start = borsh::to_vec(&head).ok()?.len() as u64;
    let (_, end) = crate::cache_file::index_at(&mut file, start)?;
    Some(File { file, head, records: start..end })
}

impl File {
    /// Its index, when every record it lists is where `within` allows
    /// (given the entry and where the file's records start and end).
    fn index(&mut self, within: impl Fn(&Entry, &std::ops::Range<u64>) -> bool) -> Option<Vec<Entry>> {
        let (index, _) = crate::cache_file::read_index::<Vec<Entry>>(&mut self.file, self.records.start)?;
        index.iter().all(|e| within(e, &self.records)).then_some(index)
    }
}

/// Whether the bytes of `e` are within `range`.
fn between(e: &Entry, range: &std::ops::Range<u64>) -> bool {
    e.at >= range.start && e.at.checked_add(e.bytes).is_some_and(|stop| stop <= range.end)
}

/// The cache below `root` that a run with this `key` left, opened; `None`
/// when there is none this run can trust.
pub fn open(root: &Path, key: &Key) -> Option<Opened> {
    // The index of the changes, when they are of this `NAME`, else its own:
    // one index is read.
    let mut whole = open_file(root, NAME, key)?;
    let changes = open_file(root, CHANGES, key)
        .filter(|c| c.head.generation == whole.head.generation && c.head.as_of == whole.head.as_of)
        .and_then(|mut c| {
            let index = c.index(|e, records| match e.file {
                In::Whole => between(e, &whole.records),
                In::Changes => between(e, records),
            })?;
            Some((c.file, index))
        });
    let (changes, index) = match changes {
        Some((file, index)) => (Some(file), index),
        None => (None, whole.index(|e, records| e.file == In::Whole && between(e, records))?),
    };
    Some(Opened { whole: whole.file, changes, as_of: whole.head.as_of, generation: whole.head.generation, index })
}

impl Opened {
    /// Each record file's path, what tells its text (length and digest)
    /// and its stamp when it was read, for the files whose text a run may
    /// let go: those whose reading found no error (with `release_texts`),
    /// else found nothing (their lines are shown).
    pub fn known(&self, release_texts: bool) -> impl Iterator<Item = (&str, crate::source::KnownFile)> {
        let shown = if release_texts { Found::Warnings } else { Found::Nothing };
        (self.index.iter())
            .filter(move |e| e.found as u8 <= shown as u8)
            .filter_map(|e| Some((e.path.as_str(), ((usize::try_from(e.len).ok()?, e.digest), e.stamp))))
    }

    /// The file the bytes of `e` are in.
    fn file_of(&self, e: &Entry) -> Option<&std::fs::File> {
        match e.file {
            In::Whole => Some(&self.whole),
            In::Changes => self.changes.as_ref(),
        }
    }

    /// Reads the bytes of the records `entries` into `buf`, one after the
    /// other: the records that follow each other in one file in one read.
    fn read_into(&self, entries: &[Entry], buf: &mut Vec<u8>) -> Option<()> {
        use std::io::{Read as _, Seek, SeekFrom};
        buf.clear();
        let mut k = 0;
        while k < entries.len() {
            let first = &entries[k];
            let mut end = first.at + first.bytes;
            k += 1;
            while k < entries.len() && entries[k].file == first.file && entries[k].at == end {
                end += entries[k].bytes;
                k += 1;
            }
            let mut file = self.file_of(first)?;
            file.seek(SeekFrom::Start(first.at)).ok()?;
            let from = buf.len();
            buf.resize(from + usize::try_from(end - first.at).ok()?, 0);
            file.read_exact(&mut buf[from..]).ok()?;
        }
        Some(())
    }

    /// The records, decoded side by side a batch at a time (the bytes of
    /// one batch are in memory, never the whole file's), as a model
    /// cache; `None` if any does not decode.
    pub fn decode(&self, config: &Config) -> Option<ModelCache> {
        use rayon::prelude::*;
        let mut records = Vec::with_capacity(self.index.len());
        let mut buf = Vec::new();
        for batch in self.index.chunks(BATCH) {
            self.read_into(batch, &mut buf)?;
            let mut blobs = Vec::with_capacity(batch.len());
            let mut rest = &buf[..];
            for e in batch {
                let (blob, after) = rest.split_at(e.bytes as usize);
                blobs.push(blob);
                rest = after;
            }
            let decoded = (batch.par_iter().zip(blobs))
                .map(|(e, blob)| {
                    if crc32fast::hash(blob) != e.check {
                        return None;
                    }
                    let (pilot, diagnostics) = Read::try_from_slice(blob).ok()?;
                    if Found::of(&diagnostics) != e.found || pilot.is_some() != e.record.is_some() {
                        return None;
                    }
                    let known = (usize::try_from(e.len).ok()?, e.digest);
                    Some(Remembered {
                        file: crate::source::SourceFile::remembered(e.path.clone(), known, e.stamp),
                        pilot,
                        diagnostics,
                        digest: e.record,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            records.extend(decoded);
        }
        Some(ModelCache::remembered(self.as_of, records, config))
    }
}

/// A generation no other writing of [`NAME`] has: the time and the
/// process, digested.
fn new_generation(root: &Path) -> u128 {
    let mut d = crate::text::Digester::new();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    d.add(&now.as_nanos().to_le_bytes());
    d.add(&std::process::id().to_le_bytes());
    d.add(root.as_os_str().as_encoded_bytes());
    d.finish()
}

/// Where the bytes of a record of the cache to write come from.
enum Bytes<'a> {
    /// Where they are in [`NAME`], which is kept.
    Whole(&'a Entry),
    /// Where they are in the [`CHANGES`] before, copied.
    Changes(&'a Entry),
    /// Encoded now.
    Now,
}

/// Writes the cache of the records of `cache` below `root`, if it can: a
/// site folder that cannot be written to reads every record each time,
/// and says nothing. `before` is the cache this run opened, if any: when
/// it is of the same as-of date, and the records read since it was
/// written whole are few, only they are written (into [`CHANGES`]), with
/// the index; else every record is, into [`NAME`]. A record is written
/// again unless it is the one the cache holds for its file (the same
/// text, read as the same record: its digest). Each record is encoded
/// and written in turn: the writer holds one record's bytes at a time,
/// never the file's (it runs beside the pages, when a build holds the
/// most).
pub fn write(root: &Path, key: &Key, cache: &ModelCache, before: Option<&Opened>) {
    let Some(as_of) = cache.as_of() else { return };
    let before = before.filter(|b| b.as_of == as_of);
    let plan: Option<Vec<Bytes>> = before.and_then(|b| {
        let by_path: crate::hash::FastMap<&str, &Entry> = b.index.iter().map(|e| (e.path.as_str(), e)).collect();
        let plan: Vec<Bytes> = (cache.records())
            .map(|(file, _, diagnostics, record)| {
                let (len, digest) = file.known();
                let kept = by_path.get(file.path.as_str()).filter(|e| {
                    (e.len, e.digest) == (len as u64, digest) && e.record == record && e.found == Found::of(diagnostics)
                });
                match kept {
                    Some(e) if e.file == In::Whole => Bytes::Whole(e),
                    Some(e) => Bytes::Changes(e),
                    None => Bytes::Now,
                }
            })
            .collect();
        let changed = plan.iter().filter(|f| !matches!(f, Bytes::Whole(_))).count();
        (changed * CHANGES_SHARE <= plan.len()).then_some(plan)
    });
    match (before, plan) {
        (Some(b), Some(plan)) => write_changes(root, key, cache, b, &plan),
        _ => write_whole(root, key, cache, as_of),
    }
}

/// Writes every record into [`NAME`], of a new generation; the
/// [`CHANGES`] before is void, and removed.
fn write_whole(root: &Path, key: &Key, cache: &ModelCache, as_of: crate::date::Date) {
    let head = Head { key: key.clone(), as_of, generation: new_generation(root) };
    let written = crate::cache_file::write_with(root, NAME, |out| {
        let mut out = crate::cache_file::Counted { out, written: 0 };
        head.serialize(&mut out)?;
        let mut index = Vec::with_capacity(cache.records().len());
        let mut buf = Vec::new();
        for (file, pilot, diagnostics, record) in cache.records() {
            let (at, check) = (out.written, encode(&mut out, pilot, diagnostics, &mut buf)?);
            index.push(entry(file, diagnostics, record, (In::Whole, at, out.written - at, check)));
        }
        crate::cache_file::write_index(&mut out, &index)
    });
    if written {
        let _ = std::fs::remove_file(crate::cache_file::path(root, CHANGES));
    }
}

/// Writes [`CHANGES`] as `plan` says, for the [`NAME`] of `before`.
fn write_changes(root: &Path, key: &Key, cache: &ModelCache, before: &Opened, plan: &[Bytes]) {
    let head = Head { key: key.clone(), as_of: before.as_of, generation: before.generation };
    crate::cache_file::write_with(root, CHANGES, |out| {
        let mut out = crate::cache_file::Counted { out, written: 0 };
        head.serialize(&mut out)?;
        let mut index = Vec::with_capacity(plan.len());
        let mut copied = Vec::new();
        for ((file, pilot, diagnostics, record), from) in cache.records().zip(plan) {
            let at = out.written;
            let place = match from {
                Bytes::Whole(e) => (In::Whole, e.at, e.bytes, e.check),
                Bytes::Changes(e) => {
                    before.read_into(std::slice::from_ref(e), &mut copied).ok_or_else(|| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, "the changes before cannot be read")
                    })?;
                    std::io::Write::write_all(&mut out, &copied)?;
                    (In::Changes, at, e.bytes, e.check)
                }
                Bytes::Now => {
                    let check = encode(&mut out, pilot, diagnostics, &mut copied)?;
                    (In::Changes, at, out.written - at, check)
                }
            };
            index.push(entry(file, diagnostics, record, place));
        }
        crate::cache_file::write_index(&mut out, &index)
    });
}

/// Writes what a record read as into `out` as [`Read`] is read (an
/// `Option<Pilot>`, then the list), and says the CRC-32 of its bytes.
/// Encoded into `buf` first (one record's bytes, a few KB), then summed
/// and written in one go: borsh writes a field at a time, and summing
/// each write on its way to the file cost 2.7% of a clean build's
/// instructions.
fn encode(
    out: &mut dyn std::io::Write,
    pilot: Option<&Pilot>,
    diagnostics: &[Diagnostic],
    buf: &mut Vec<u8>,
) -> std::io::Result<u32> {
    buf.clear();
    pilot.serialize(buf)?;
    diagnostics.serialize(buf)?;
    out.write_all(buf)?;
    Ok(crc32fast::hash(buf))
}

/// The index's entry of a record whose bytes are in the file, from where,
/// how many, with what CRC-32 `place` says.
fn entry(
    file: &crate::source::SourceFile,
    diagnostics: &[Diagnostic],
    record: Option<u128>,
    (file_in, at, bytes, check): (In, u64, u64, u32),
) -> Entry {
    let (len, digest) = file.known();
    Entry {
        path: file.path.clone(),
        len: len as u64,
        digest,
        stamp: file.stamp(),
        found: Found::of(diagnostics),
        record,
        file: file_in,
        at,
        bytes,
        check,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(root: &Path, key: &Key, config: &Config) -> Option<ModelCache> {
        open(root, key)?.decode(config)
    }

    /// Every record of a generated site, read, written to the cache and
    /// loaded back: each the same, to the last field and place, with the
    /// same problems found.
    #[test]
    fn records_come_back_from_the_cache_as_they_were_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::synth::write_site_with(root, 60, 11, &crate::synth::Mix::REALISTIC).unwrap();
        // A record with problems: a key no one reads, a date out of the
        // calendar, a Liquid tag.
        let odd = "+++\ntitle = \"Odd\"\nstage = \"pilot\"\ncolour = \"blue\"\nstarted = \"2026-02-30\"\n+++\nSee {% include x.html %}.\n";
        std::fs::write(root.join("content/pilots/zz-odd.md"), odd).unwrap();
        let mut loaded = crate::source::load_content(root);
        let config = crate::pipeline::read_config(root, &mut loaded.sources, &mut Vec::new()).unwrap();
        let opts = BuildOptions {
            as_of: crate::date::Date::parse("2026-11-20").unwrap(),
            looking_back: true,
            drafts: false,
            release_texts: false,
        };
        let read = crate::model::build_reusing(loaded, &config, &opts, ModelCache::default()).reuse;
        let key = key(crate::history_cache::fingerprint(&config), &opts);
        write(root, &key, &read, None);
        let back = load(root, &key, &config).expect("the cache just written");
        assert_eq!(back.records().len(), 61);
        let mut warned = 0;
        for ((f1, p1, d1, r1), (f2, p2, d2, r2)) in read.records().zip(back.records()) {
            assert_eq!(f1.path, f2.path);
            assert_eq!(r1, r2, "{}", f1.path);
            assert_eq!(f1.known(), f2.known());
            assert_eq!(format!("{p1:?}"), format!("{p2:?}"), "{}", f1.path);
            assert_eq!(d1, d2, "{}", f1.path);
            warned += usize::from(!d1.is_empty());
        }
        assert!(warned > 0, "some records have warnings, cached with them");

        // Another key (drafts read) finds nothing; another date finds the
        // records, for the date they were read for.
        let drafts = BuildOptions { drafts: true, ..opts.clone() };
        assert!(load(root, &super::key(crate::history_cache::fingerprint(&config), &drafts), &config).is_none());
        let later = BuildOptions { as_of: crate::date::Date::parse("2026-11-21").unwrap(), ..opts.clone() };
        let found = load(root, &super::key(crate::history_cache::fingerprint(&config), &later), &config).unwrap();
        assert_eq!(found.as_of(), Some(opts.as_of));
    }

    fn digest(p: &Pilot) -> u128 {
        let mut d = crate::text::Digester::new();
        crate::text::digest_unplaced(p, &mut d);
        d.finish()
    }

    /// Every digest the model gives and keeps in its cache, against the
    /// record's digest made afresh.
    fn assert_true_digests(built: &crate::model::Built) -> usize {
        let site = &built.site;
        assert_eq!(site.digests.len(), site.pilots.len());
        for (p, &d) in site.pilots.iter().zip(&site.digests) {
            assert_eq!(d, digest(p), "{}", p.id);
        }
        for (file, p, _, d) in built.reuse.records() {
            assert_eq!(d, p.map(digest), "{}", file.path);
        }
        site.pilots.len()
    }

    /// The records' digests kept in the cache (on disk and in memory) are
    /// the digests of the records the site has: after a clean build, a
    /// record changed, the as-of date moved (facts derived again, what
    /// stood on it changed), and a record's id taken by another file.
    #[test]
    fn kept_digests_are_the_records_digests() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::synth::write_site_with(root, 40, 5, &crate::synth::Mix::REALISTIC).unwrap();
        std::fs::write(
            root.join("content/pilots/cafe.md"),
            "+++\ntitle = \"Cafe\"\nstage = \"pilot\"\nstarted = 2026-01-05\n+++\nBody.\n",
        )
        .unwrap();
        let opts = BuildOptions {
            as_of: crate::date::Date::parse("2026-11-20").unwrap(),
            looking_back: true,
            drafts: false,
            release_texts: true,
        };
        let build = |opts: &BuildOptions, from_disk: bool| {
            let mut loaded = crate::source::load_content(root);
            let config = crate::pipeline::read_config(root, &mut loaded.sources, &mut Vec::new()).unwrap();
            let key = key(crate::history_cache::fingerprint(&config), opts);
            let opened = if from_disk { open(root, &key) } else { None };
            let cache = match &opened {
                Some(o) => o.decode(&config).expect("a cache"),
                None => ModelCache::default(),
            };
            let built = crate::model::build_reusing(loaded, &config, opts, cache);
            write(root, &key, &built.reuse, opened.as_ref());
            built
        };
        let clean = build(&opts, false);
        assert_eq!(assert_true_digests(&clean), 41);
        // Every record's digest is kept on disk: none is made again.
        let again = build(&opts, true);
        assert_eq!(again.reuse.read(), 0);
        assert_eq!(again.site.digests, clean.site.digests);
        assert_true_digests(&again);
        // One record changed: its digest changes, no other's. It alone is
        // written, into the file of changes; the whole file is kept.
        let whole = std::fs::read(crate::cache_file::path(root, NAME)).unwrap();
        let record = root.join("content/pilots/pilot-00003.md");
        let text = std::fs::read_to_string(&record).unwrap();
        std::fs::write(&record, format!("{text}\nOne more line.\n")).unwrap();
        let changed = build(&opts, true);
        assert_eq!(changed.reuse.read(), 1);
        assert!(std::fs::read(crate::cache_file::path(root, NAME)).unwrap() == whole);
        let changes = crate::cache_file::path(root, CHANGES);
        assert!(std::fs::metadata(&changes).unwrap().len() < whole.len() as u64 / 10);
        let again = build(&opts, true);
        assert_eq!((again.reuse.read(), &again.site.digests), (0, &changed.site.digests));
        assert_true_digests(&changed);
        let differ: Vec<&str> = (clean.site.pilots.iter().zip(&clean.site.digests).zip(&changed.site.digests))
            .filter(|((_, a), b)| a != b)
            .map(|((p, _), _)| p.id.as_str())
            .collect();
        assert_eq!(differ, ["pilot-00003"]);
        // Other as-of dates: facts derived again from the cache's records,
        // later (each record as it was read) and earlier (many as they
        // stood then).
        let later = BuildOptions { as_of: crate::date::Date::parse("2027-06-01").unwrap(), ..opts.clone() };
        let moved = build(&later, true);
        assert_true_digests(&moved);
        assert!(!changes.exists(), "another date: the cache written whole");
        assert!(moved.site.digests.iter().zip(&changed.site.digests).any(|(a, b)| a != b));
        let earlier = BuildOptions { as_of: crate::date::Date::parse("2026-03-01").unwrap(), ..opts.clone() };
        assert_true_digests(&build(&earlier, true));
        // `Cafe.md` takes the id `cafe`: the cached record of `cafe.md`
        // becomes `cafe-2`.
        std::fs::write(root.join("content/pilots/Cafe.md"), "+++\ntitle = \"Cafe too\"\nstage = \"pilot\"\n+++\n")
            .unwrap();
        let renamed = build(&earlier, true);
        assert!(renamed.site.pilots.iter().any(|p| p.id == "cafe-2"));
        assert_true_digests(&renamed);
        assert!(changes.exists());
        // More than an eighth of the records changed: written whole.
        for n in 10..16 {
            let f = root.join(format!("content/pilots/pilot-{n:05}.md"));
            let text = std::fs::read_to_string(&f).unwrap();
            std::fs::write(f, format!("{text}\nOne more line.\n")).unwrap();
        }
        let many = build(&earlier, true);
        assert_eq!(many.reuse.read(), 6);
        assert!(!changes.exists(), "many records changed: the cache written whole");
        assert_eq!(build(&earlier, true).site.digests, many.site.digests);
    }
}
