//! The pilot records a run read, kept between runs in
//! `.pilotdeck/records.bin` below the site: each record file's path, its
//! text's length and digest, and what it read as (the record and the
//! problems found in it). A build loads it before the model and gives it
//! to the model as the cache of an analysis before, so that only the
//! records whose text changed are read again; the stages never touch the
//! file.
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

/// Raised when what the cache holds changes meaning or form.
const FORMAT: u32 = 4;

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

/// One record file in the file's index: its path, its text's length and
/// digest, its stamp on disk when that text was read (if one was taken:
/// a file that still has it is not read again), how many bytes what it
/// read as takes, what reading it found (so that which texts a run may
/// let go is known before any record is decoded), and the digest of the
/// record it read as (`model::Site::digests`), when the run knew it.
#[derive(BorshSerialize, BorshDeserialize)]
struct Entry {
    path: String,
    len: u64,
    digest: u128,
    stamp: Option<crate::source::FileStamp>,
    bytes: u64,
    found: Found,
    record: Option<u128>,
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

/// The file is the [`Key`], the as-of date of the records' facts, what
/// each record read as (each encoded with borsh, one after the other, in
/// the records' order), the index of the records (a list of [`Entry`])
/// and where the index starts (8 bytes, little endian): written in one
/// pass.
///
/// A cache this run can trust, opened: its index read, no record decoded
/// yet (see [`open`]).
pub struct Opened {
    file: std::fs::File,
    as_of: crate::date::Date,
    records_start: u64,
    index: Vec<Entry>,
}

/// The cache below `root` that a run with this `key` left, opened; `None`
/// when there is none this run can trust.
pub fn open(root: &Path, key: &Key) -> Option<Opened> {
    let mut file = std::fs::File::open(crate::cache_file::path(root, NAME)).ok()?;
    let mut head = std::io::BufReader::new(&mut file);
    if Key::deserialize_reader(&mut head).ok()? != *key {
        return None;
    }
    let as_of = crate::date::Date::deserialize_reader(&mut head).ok()?;
    let records_start = borsh::to_vec(&(key, as_of)).ok()?.len() as u64;
    let (index, index_start) = crate::cache_file::read_index::<Vec<Entry>>(&mut file, records_start)?;
    if index.iter().map(|e| e.bytes).sum::<u64>() != index_start - records_start {
        return None;
    }
    Some(Opened { file, as_of, records_start, index })
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

    /// The records, decoded side by side a batch at a time (the bytes of
    /// one batch are in memory, never the whole file's), as a model
    /// cache; `None` if any does not decode.
    pub fn decode(&self, config: &Config) -> Option<ModelCache> {
        use rayon::prelude::*;
        use std::io::{Read as _, Seek, SeekFrom};
        let mut file = &self.file;
        file.seek(SeekFrom::Start(self.records_start)).ok()?;
        let mut records = Vec::with_capacity(self.index.len());
        let mut buf = Vec::new();
        for batch in self.index.chunks(BATCH) {
            buf.clear();
            let n: u64 = batch.iter().map(|e| e.bytes).sum();
            buf.resize(usize::try_from(n).ok()?, 0);
            file.read_exact(&mut buf).ok()?;
            let mut blobs = Vec::with_capacity(batch.len());
            let mut rest = &buf[..];
            for e in batch {
                let (blob, after) = rest.split_at(e.bytes as usize);
                blobs.push(blob);
                rest = after;
            }
            let decoded = (batch.par_iter().zip(blobs))
                .map(|(e, blob)| {
                    let (pilot, diagnostics) = Read::try_from_slice(blob).ok()?;
                    if Found::of(&diagnostics) != e.found {
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

/// Writes the cache of the records of `cache` below `root`, if it can: a
/// site folder that cannot be written to reads every record each time,
/// and says nothing. Each record is encoded straight into the file, one
/// after the other: the writer holds no record's bytes (it runs beside the
/// pages, when a build holds the most).
pub fn write(root: &Path, key: &Key, cache: &ModelCache) {
    let Some(as_of) = cache.as_of() else { return };
    crate::cache_file::write_with(root, NAME, |out| {
        let mut out = crate::cache_file::Counted { out, written: 0 };
        (key, as_of).serialize(&mut out)?;
        let records_start = out.written;
        let mut index = Vec::with_capacity(cache.records().len());
        for (file, pilot, diagnostics, record) in cache.records() {
            let start = out.written;
            // As `Read` is read: an `Option<Pilot>`, then the list.
            pilot.serialize(&mut out)?;
            diagnostics.serialize(&mut out)?;
            let (len, digest) = file.known();
            let (path, bytes, found) = (file.path.clone(), out.written - start, Found::of(diagnostics));
            index.push(Entry { path, len: len as u64, digest, stamp: file.stamp(), bytes, found, record });
        }
        debug_assert_eq!(out.written - records_start, index.iter().map(|e| e.bytes).sum::<u64>());
        crate::cache_file::write_index(&mut out, &index)
    });
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
        write(root, &key, &read);
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
            let cache = if from_disk { load(root, &key, &config).expect("a cache") } else { ModelCache::default() };
            let built = crate::model::build_reusing(loaded, &config, opts, cache);
            write(root, &key, &built.reuse);
            built
        };
        let clean = build(&opts, false);
        assert_eq!(assert_true_digests(&clean), 41);
        // Every record's digest is kept on disk: none is made again.
        let again = build(&opts, true);
        assert_eq!(again.reuse.read(), 0);
        assert_eq!(again.site.digests, clean.site.digests);
        assert_true_digests(&again);
        // One record changed: its digest changes, no other's.
        let record = root.join("content/pilots/pilot-00003.md");
        let text = std::fs::read_to_string(&record).unwrap();
        std::fs::write(&record, format!("{text}\nOne more line.\n")).unwrap();
        let changed = build(&opts, true);
        assert_eq!(changed.reuse.read(), 1);
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
    }
}
