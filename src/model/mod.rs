//! The site as data. Takes the loaded files and the config; returns a
//! [`Site`]: pages in their sections, pilot records with their constraints
//! and updates, the people named in them, and every derived fact for one
//! as-of date. Problems are collected as diagnostics; nothing here renders
//! HTML pages or touches the disk.

mod facts;
pub mod history;
mod nav;
mod order;
mod pages;
mod past;
mod people;
mod pilot;
pub mod raw;
mod runs;
#[cfg(test)]
mod testing;

pub use crate::names::{person_key, split_title};
pub use facts::percent;
pub use facts::{dimension_of, Portfolio, StageCount};
pub use order::number_prefix;
pub use pages::humanize;
pub use people::{holder, role_holder, sort_waiting as most_overdue_first, Holder};

use crate::config::Config;
use crate::date::Date;
use crate::diag::{Diagnostic, Loc, Rule};
use crate::markdown::Rendered;
use crate::source::Loaded;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// A pilot record's id from its path below `content/` (`pilots/ID.md` or
/// `pilots/ID/index.md`): the rule the model reads records by, for the
/// importer, which finds the records a sheet's rows update.
pub fn record_id(parts: &[String]) -> Option<String> {
    pilot::id_of(parts)
}

/// Everything the site is made of, for one as-of date.
#[derive(Debug)]
pub struct Site {
    pub as_of: Date,
    /// `content/_index.md`.
    pub home: Option<Page>,
    /// Sorted by id; shared with the next build of a `serve` session when
    /// the record did not change.
    pub pilots: Vec<Arc<Pilot>>,
    /// The digest of each of `pilots` as the model holds it (its facts
    /// too; not where its file is among the sources: see
    /// [`crate::text::digest_unplaced`]): two records with one digest are
    /// the same record. What the pages' and the search index's inputs are
    /// made from. Each is made once, when its record is read (or its facts
    /// derived again), and kept with it in the model's cache and the record
    /// cache on disk, so that a build after one record changed makes one.
    pub digests: Vec<u128>,
    /// Records read with errors that leave them without a title or a
    /// configured stage: never published, but what could be read of them
    /// (constraints, stage dates, links) is checked with the others, so
    /// that one run reports every problem. In file order.
    pub incomplete: Vec<Arc<Pilot>>,
    /// The id of every pilot record file, read or not (links to a record
    /// that has errors are not broken links too).
    pub record_ids: Arc<std::collections::BTreeSet<String>>,
    /// Every section; a section's children point into `sections` and `pages`.
    pub sections: Vec<Section>,
    /// Top-level sections (`playbook`, `lessons`, ...), in order.
    pub roots: Vec<usize>,
    /// Every page that is not a section index.
    pub pages: Vec<Page>,
    /// People named as owner, champion or sponsor of a pilot, owner of a
    /// constraint, or on a rung of the escalation ladder, one per person
    /// (see `people::people`), sorted by slug. Shared with `serve`'s next
    /// analysis, which keeps it when no record's people changed.
    pub people: Arc<Vec<Person>>,
    /// [`person_key`] of every name and alias of each person -> index into
    /// `people`.
    pub people_index: Arc<crate::hash::FastMap<String, usize>>,
    /// The decisions leaders are asked for: the open constraints at the
    /// top rung of the escalation ladder, by their pilot's sponsor, the
    /// sponsor with the most overdue one first.
    pub decisions: Arc<Vec<SponsorDecisions>>,
    /// Page and section titles by path (a page's over a section's): a
    /// constraint row names the playbook page it links to.
    pub titles: crate::hash::FastMap<String, String>,
    /// The page address of every tag, by [`tag_key`]: two tags that are
    /// not the same tag never share one (see [`distinct_slugs`]).
    pub tag_slugs: crate::hash::FastMap<String, String>,
    pub portfolio: Portfolio,
    /// What the records' git history says (empty outside git or with
    /// `history = false`): set by the pipeline from `history::read`.
    pub history: Arc<history::SiteHistory>,
    /// Files to copy from `content/`: source and output path.
    pub assets: Vec<(PathBuf, String)>,
}

/// A Markdown page (playbook, lessons, or a section's own text).
#[derive(Debug, Clone)]
pub struct Page {
    pub loc: Loc,
    /// Output path without slashes at either end (`playbook/01-scoping/x`).
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub addresses: Vec<String>,
    /// When the page was written (lessons are listed newest first).
    pub date: Option<Date>,
    pub body: Rendered,
    /// Index of the section the page is in.
    pub section: Option<usize>,
    /// Front-matter keys pilotdeck does not use (other tools'), as written.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// Old addresses (`redirect_from`) that send the reader here, each as a
    /// path like `path` and where it is written.
    pub redirect_from: Vec<(String, Loc)>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub body: Rendered,
    pub parent: Option<usize>,
    /// Pages and subsections: as a nav file lists them, then by weight,
    /// the number the name starts with, and title.
    pub children: Vec<Child>,
    pub loc: Option<Loc>,
    /// The section page's front-matter keys pilotdeck does not use.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "lowercase")]
pub enum Child {
    Page(usize),
    Section(usize),
}

#[derive(Debug, Clone, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Pilot {
    pub id: String,
    pub loc: Loc,
    pub title: String,
    pub summary: Option<String>,
    pub stage: String,
    pub function: Option<String>,
    pub owner: Option<String>,
    pub champion: Option<String>,
    pub sponsor: Option<String>,
    pub started: Option<Date>,
    pub target: Option<Date>,
    pub success: Option<String>,
    pub tags: Vec<String>,
    /// Stages entered, in the configured stage order.
    pub stages: Vec<StageEntry>,
    /// The four dimensions, in the configured rubric's order.
    pub readiness: Vec<Readiness>,
    pub integration: Vec<Integration>,
    pub constraints: Vec<Constraint>,
    /// Oldest first.
    pub updates: Vec<Update>,
    pub body: Rendered,
    pub facts: PilotFacts,
    /// Where the owner was (or should be) written, for checks.
    pub owner_loc: Loc,
    /// Read with errors that leave it without a title or a configured
    /// stage (then `stage` is empty): see [`Site::incomplete`].
    pub incomplete: bool,
}

#[derive(Debug, Clone, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct StageEntry {
    pub stage: String,
    pub date: Date,
    /// Where the stage's date is written.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Readiness {
    pub key: String,
    pub label: String,
    pub items: Vec<Evidence>,
    pub met: usize,
    pub total: usize,
    /// Met items as a whole percentage, rounded half up.
    pub percent: u32,
    /// Every item met and no overdue open constraint in a category that
    /// maps to this dimension.
    pub ready: bool,
    /// Ids of the overdue constraints that hold this dimension back.
    pub blocked_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Evidence {
    /// The rubric item's key and text, shared with the config (not in the
    /// record cache, which gives them back from the config: see
    /// [`Pilot::share`]).
    #[borsh(skip)]
    pub key: std::sync::Arc<str>,
    #[borsh(skip)]
    pub text: std::sync::Arc<str>,
    pub met: bool,
    /// The note or link given as evidence (boxed: 140,000 items at 10,000
    /// pilots of the mix).
    pub note: Option<Box<str>>,
    /// `false` was written (as opposed to nothing at all).
    pub said_no: bool,
}

#[derive(Debug, Clone, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Integration {
    pub system: String,
    pub direction: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Constraint {
    pub id: String,
    #[serde(skip)]
    pub loc: Loc,
    pub title: String,
    pub category: String,
    pub owner: Option<String>,
    pub raised: Option<Date>,
    pub due: Option<Date>,
    /// Whether `due` was written, a date or not (one that is not is PD005,
    /// and is not reported as missing too).
    #[serde(skip)]
    pub due_written: bool,
    pub resolved: Option<Date>,
    // Boxed texts: 8 bytes fewer each than `String` (see `Update`).
    pub impact: Option<Box<str>>,
    /// The recommended action: what whoever it escalates to is asked to
    /// decide or do.
    pub ask: Option<Box<str>>,
    pub playbook: Option<String>,
    /// Where `playbook` is written.
    #[serde(skip)]
    pub playbook_loc: Option<Loc>,
    /// Open as of the as-of date (not resolved, or resolved after it).
    pub open: bool,
    /// Days past due, when open and overdue.
    pub overdue_days: Option<i64>,
    /// Index into the escalation ladder of the rung reached.
    pub rung: Option<usize>,
    /// Who the rung escalates to, if any.
    /// The rung's `to`, shared with the config.
    pub escalated_to: Option<std::sync::Arc<str>>,
    /// Days from raised to resolved.
    pub days_to_resolve: Option<i64>,
}

#[derive(Debug, Clone, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Update {
    pub week: Date,
    // Boxed: 8 bytes fewer a text than `String`, and a record holds
    // dozens of updates (120,000 at 10,000 pilots of the realistic mix).
    pub completed: Option<Box<str>>,
    pub blocker: Option<Box<str>>,
    pub risk: Option<Box<str>>,
    pub escalation: Option<Box<str>>,
    pub confidence: Option<Confidence>,
}

#[derive(Debug, Clone, Copy, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Confidence {
    // 1 to 5: a byte each (120,000 updates at 10,000 pilots of the mix).
    pub leader: u8,
    pub team: u8,
}

#[derive(Debug, Clone, Default, Serialize, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct PilotFacts {
    pub last_update: Option<Date>,
    pub days_since_update: Option<i64>,
    pub stale: bool,
    /// Days from `stages.pilot` (else `started`) to `stages.production`.
    pub time_to_production: Option<i64>,
    /// Leader minus team confidence in the latest update.
    pub confidence_gap: Option<i64>,
    pub production_ready: bool,
    pub open_constraints: usize,
    pub overdue_constraints: usize,
    /// Highest escalation rung reached by any of its constraints.
    pub top_rung: Option<usize>,
}

/// Someone named in the records.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// As `[people]` names them, else as first written, without a title.
    pub name: String,
    /// "Chief People Officer": from `[people]`, else the first written
    /// after a comma.
    pub title: Option<String>,
    pub email: Option<String>,
    /// Other spellings `[people]` gives.
    pub aliases: Vec<String>,
    pub slug: String,
    /// The slug the name makes, when another name made it first and this
    /// one took a number.
    #[serde(skip)]
    pub base_slug: Option<String>,
    /// Indexes into `Site::pilots`.
    pub owns: Vec<usize>,
    pub champions: Vec<usize>,
    pub sponsors: Vec<usize>,
    /// (pilot index, constraint index).
    pub constraints: Vec<(usize, usize)>,
    /// Open constraints whose escalation rung names this person (as the
    /// constraint's owner, the pilot's sponsor, champion or owner, or one
    /// of a rung's `people`), most overdue first: (pilot, constraint).
    pub waiting: Vec<(usize, usize)>,
    /// How many of `waiting` are at each rung of the ladder (by the rung's
    /// index).
    #[serde(skip)]
    pub waiting_by_rung: Vec<usize>,
    /// How many of `waiting` this person also owns, at a rung that names
    /// someone other than the owner (listed once, with this person).
    #[serde(skip)]
    pub own_escalated: usize,
}

/// The open constraints at the top rung of the ladder of the pilots of one
/// sponsor, or of the pilots without one.
#[derive(Debug, Clone)]
pub struct SponsorDecisions {
    /// Index into `Site::people`; `None` for pilots without a sponsor.
    pub sponsor: Option<usize>,
    /// (pilot, constraint), most overdue first.
    pub constraints: Vec<(usize, usize)>,
}

/// Options of one build that change the model.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub as_of: Date,
    /// The as-of date is a date looked back at (given as a date, not as
    /// today or the latest commit's): a stage dated after it is the future,
    /// not a slip of the pen, and is not warned about.
    pub looking_back: bool,
    pub drafts: bool,
    /// Release the text of each record once it is read without an error
    /// (see `source::Sources::put_released`).
    pub release_texts: bool,
}

/// What an earlier build of the same config made: the pilot records in
/// the order of their files (the file, the record, and its diagnostics),
/// and the pages with the files they were made from. `serve` keeps one so
/// that an edit to a record reads and models that record only, and makes
/// no page again.
#[derive(Debug, Default)]
pub struct ModelCache {
    /// The as-of date the records' facts were derived for.
    as_of: Option<Date>,
    /// The records of the analysis before, in the order of their files.
    records: Vec<CacheEntry>,
    pages: Option<PagesEntry>,
    ids: Option<(Arc<Vec<crate::source::Doc>>, Arc<Ids>)>,
    /// What `past::as_it_stood` made of each record, for `as_of`.
    stood: past::Stood,
    /// The people and the decisions of the analysis before, with the
    /// records they were made from.
    people: Option<PeopleEntry>,
    /// How many of `records` the analysis that left this read (the others
    /// it found in the cache it was given).
    read: usize,
}

/// One record as a run before read it, for [`ModelCache::remembered`].
pub struct Remembered {
    /// The file, known by its path and its text's digest
    /// ([`crate::source::SourceFile::remembered`]).
    pub file: crate::source::SourceFile,
    pub pilot: Option<Pilot>,
    /// What reading it found.
    pub diagnostics: Vec<Diagnostic>,
    /// The digest of `pilot` (see [`Site::digests`]), if it was kept.
    pub digest: Option<u128>,
}

impl ModelCache {
    /// A cache of the records a run before read with `config`, in the
    /// order of their files, for the as-of date `as_of` (the record cache
    /// on disk, which holds no pages, people or ids). The texts each record
    /// shares with the config are shared with it again.
    pub fn remembered(as_of: Date, records: Vec<Remembered>, config: &Config) -> ModelCache {
        let records = (records.into_iter())
            .map(|r| {
                let pilot = r.pilot.map(|mut p| {
                    p.share(config);
                    Arc::new(p)
                });
                (Arc::new(r.file), pilot, r.diagnostics, r.digest)
            })
            .collect();
        ModelCache { as_of: Some(as_of), records, ..ModelCache::default() }
    }

    /// The as-of date its records' facts were derived for.
    pub fn as_of(&self) -> Option<Date> {
        self.as_of
    }

    /// Whether it holds no record (as the cache of no analysis before).
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every record file as it was read, in order: the file, the record it
    /// read as (none when it could not be read), what reading it found, and
    /// the record's digest (see [`Site::digests`]) when it is known.
    pub fn records(&self) -> impl ExactSizeIterator<Item = RecordEntry<'_>> {
        self.records.iter().map(|(f, p, d, digest)| (&**f, p.as_deref(), &d[..], *digest))
    }

    /// The records alone (for the record cache, written beside the rest
    /// of a run).
    pub fn records_only(&self) -> ModelCache {
        ModelCache { as_of: self.as_of, records: self.records.clone(), ..ModelCache::default() }
    }

    /// How many records the analysis that made this read, rather than
    /// found in the cache it was given.
    pub fn read(&self) -> usize {
        self.read
    }
}

/// What the people and the decisions were made from, and what they are:
/// kept when every record is the same as then, or differs only in what
/// neither looks at (`people::same_for_people`), as after most edits (a
/// title, a body, an update). At 10,000 records making them again was a
/// third of a `serve` rebuild.
#[derive(Debug)]
struct PeopleEntry {
    pilots: Vec<Arc<Pilot>>,
    people: Arc<Vec<Person>>,
    index: Arc<crate::hash::FastMap<String, usize>>,
    decisions: Arc<Vec<SponsorDecisions>>,
    /// What each run of `pilots` writes (see [`runs`]).
    runs: Arc<Vec<Arc<runs::Run>>>,
}

/// Every record's id by file, the warnings of ids renamed, and the ids.
#[derive(Debug)]
struct Ids {
    by_file: crate::hash::FastMap<crate::source::FileId, String>,
    renamed: Vec<Diagnostic>,
    all: Arc<std::collections::BTreeSet<String>>,
}

/// The pages of an earlier build and what they were made from: each page
/// file (with its id), the files beside them, the as-of date and drafts.
#[derive(Debug)]
struct PagesEntry {
    docs: Vec<(crate::source::FileId, Arc<crate::source::SourceFile>)>,
    /// The nav files, as `docs`.
    navs: Vec<(crate::source::FileId, Arc<crate::source::SourceFile>)>,
    files: Vec<(Vec<String>, String)>,
    as_of: Date,
    drafts: bool,
    tree: pages::Tree,
    diags: Vec<Diagnostic>,
}

impl PagesEntry {
    /// Whether pages made from these inputs would be the pages kept.
    fn holds(
        &self,
        docs: &[&crate::source::Doc],
        navs: &[crate::source::Doc],
        sources: &crate::source::Sources,
        files: &[(Vec<String>, String)],
        opts: &BuildOptions,
    ) -> bool {
        let same = |cached: &[(crate::source::FileId, Arc<crate::source::SourceFile>)],
                    docs: &mut dyn ExactSizeIterator<Item = &crate::source::Doc>| {
            cached.len() == docs.len()
                && cached.iter().zip(docs).all(|((id, cached), doc)| {
                    let now = sources.shared(doc.file);
                    *id == doc.file && cached.path == now.path && same_file(cached, now)
                })
        };
        self.as_of == opts.as_of
            && self.drafts == opts.drafts
            && self.files == files
            && same(&self.docs, &mut docs.iter().copied())
            && same(&self.navs, &mut navs.iter())
    }
}

/// A record file in the cache: the file, the record it read as, what
/// reading it found, and the record's digest (see [`Site::digests`]), if
/// it is known (it is not once the record changed after it was made).
type CacheEntry = (Arc<crate::source::SourceFile>, Option<Arc<Pilot>>, Vec<Diagnostic>, Option<u128>);

/// What a record read as, what reading it found, and its digest.
type Read = (Option<Arc<Pilot>>, Vec<Diagnostic>, Option<u128>);

/// A record file in a [`ModelCache`], as [`ModelCache::records`] gives it.
pub type RecordEntry<'a> = (&'a crate::source::SourceFile, Option<&'a Pilot>, &'a [Diagnostic], Option<u128>);

/// The digest of each of `pilots` (see [`Site::digests`]): the one in its
/// entry of `records` when it is that very record (not changed as it
/// stood), else made now. The entries that lack one (the record's facts
/// derived again, its id changed) are given theirs first, so that the
/// next analysis and the record cache have it. Side by side.
fn digests(pilots: &[Arc<Pilot>], records: &mut [CacheEntry]) -> Vec<u128> {
    use rayon::prelude::*;
    (records.par_iter_mut()).filter(|(.., digest)| digest.is_none()).for_each(|(_, p, _, digest)| {
        *digest = p.as_deref().map(digest_of);
    });
    // By address: a record's entry holds the very record the site has.
    let kept: crate::hash::FastMap<usize, u128> = (records.iter())
        .filter_map(|(_, p, _, digest)| Some((Arc::as_ptr(p.as_ref()?) as usize, (*digest)?)))
        .collect();
    pilots.par_iter().map(|p| kept.get(&(Arc::as_ptr(p) as usize)).copied().unwrap_or_else(|| digest_of(p))).collect()
}

/// The digest of a record as the model holds it (see [`Site::digests`]).
fn digest_of(p: &Pilot) -> u128 {
    let mut d = crate::text::Digester::new();
    crate::text::digest_unplaced(p, &mut d);
    d.finish()
}

/// Where a record's entry in the cache is: at its place (and its text,
/// released, when it was released on the way), changed at its place, or
/// maybe elsewhere.
enum Placed {
    Found(usize, Option<crate::source::SourceFile>),
    Changed,
    Elsewhere,
}

/// Whether a file read earlier is the file now loaded: the same shared
/// file, or the same text.
fn same_file(cached: &Arc<crate::source::SourceFile>, now: &Arc<crate::source::SourceFile>) -> bool {
    Arc::ptr_eq(cached, now) || cached.same_text(now)
}

/// Builds the site model from loaded files.
pub fn build(loaded: Loaded, config: &Config, opts: &BuildOptions) -> (Site, Vec<Diagnostic>) {
    let built = build_reusing(loaded, config, opts, ModelCache::default());
    (built.site, built.diagnostics)
}

/// What the model stage makes of loaded files.
pub struct Built {
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    /// The files as loaded, less the texts of records read without an
    /// error when [`BuildOptions::release_texts`] asks for it.
    pub sources: crate::source::Sources,
    /// What the next build of the same config may reuse.
    pub reuse: ModelCache,
}

/// Builds the site model, reusing what `previous` (what an earlier build
/// of the same config made) holds of the records of unchanged files, and
/// its pages when no page and no file beside them changed; returns, with
/// the model, the files and what the next build may reuse.
pub fn build_reusing(mut loaded: Loaded, config: &Config, opts: &BuildOptions, previous: ModelCache) -> Built {
    let mut cache = previous;
    let mut timer = crate::timing::Timer::new();
    // A record's facts are derived for one as-of date (`serve` running
    // past midnight with `as_of = "today"` moves it; the record cache on
    // disk may be of another day): derived again for this one, from what
    // was read (reading a record does not depend on the date, see
    // `pilot::read`). What stood on the date is made again.
    if cache.as_of != Some(opts.as_of) {
        for (_, p, _, digest) in cache.records.iter_mut() {
            if let Some(p) = p.as_mut().filter(|p| !p.stage.is_empty()) {
                facts::derive(Arc::make_mut(p), config, opts.as_of);
                *digest = None;
            }
        }
        cache.stood.clear();
        cache.as_of = Some(opts.as_of);
    }
    let mut diags = Vec::new();
    let mut pilots = Vec::new();
    let mut incomplete = Vec::new();
    let mut page_docs = Vec::new();
    let is_record = |doc: &&crate::source::Doc| {
        doc.parts.first().map(String::as_str) == Some("pilots")
            && doc.parts.len() > 1
            && !pages::is_index_name(&doc.parts[1])
    };
    // Every record's id, told apart from the others' (a record read
    // earlier keeps its id only while no other name takes it). The same
    // list of files (an edit changes a file's text, not the list) gives
    // the same ids.
    let ids = match cache.ids.take().filter(|(docs, _)| Arc::ptr_eq(docs, &loaded.docs)) {
        Some((_, ids)) => ids,
        None => {
            let record_docs: Vec<&crate::source::Doc> = loaded.docs.iter().filter(is_record).collect();
            let (by_file, renamed) = pilot::ids(&record_docs);
            let all = Arc::new(by_file.values().filter(|id| !id.is_empty()).cloned().collect());
            Arc::new(Ids { by_file, renamed, all })
        }
    };
    cache.ids = Some((Arc::clone(&loaded.docs), Arc::clone(&ids)));
    diags.extend(ids.renamed.iter().cloned());
    timer.lap("model: ids");
    let record_ids = Arc::clone(&ids.all);
    let ids = &ids.by_file;
    // Each record's entry in the cache, if it holds one of the same file:
    // at the record's place, the very same file (`serve`'s partial load
    // keeps the files that did not change: a pointer compared, no path
    // looked up) or the same path with the same text; else, when records
    // moved, the entry of its path with the same text. Texts are compared
    // side by side: a cache from disk knows its files by their digests.
    // A text found again is released here when asked to (as a text read is
    // below), unless its record has errors (shown with their lines).
    let mut before = std::mem::take(&mut cache.records);
    let record_docs: Vec<&crate::source::Doc> = loaded.docs.iter().filter(is_record).collect();
    let release = |entry: &CacheEntry, source: &Arc<crate::source::SourceFile>| {
        let keep = !opts.release_texts || entry.2.iter().any(Diagnostic::is_error);
        let released = if keep { None } else { source.released() };
        match released {
            Some(r) => entry.0.same_text(&r).then_some(Some(r)),
            None => same_file(&entry.0, source).then_some(None),
        }
    };
    let placed: Vec<Placed> = {
        use rayon::prelude::*;
        let sources = &loaded.sources;
        (record_docs.par_iter().enumerate())
            .map(|(k, doc)| {
                let source = sources.shared(doc.file);
                match before.get(k) {
                    Some((f, ..)) if Arc::ptr_eq(f, source) => Placed::Found(k, None),
                    Some(entry) if entry.0.path == source.path => match release(entry, source) {
                        Some(released) => Placed::Found(k, released),
                        None => Placed::Changed,
                    },
                    _ => Placed::Elsewhere,
                }
            })
            .collect()
    };
    let mut by_path: Option<crate::hash::FastMap<&str, usize>> = None;
    let mut found: Vec<Option<usize>> = Vec::with_capacity(placed.len());
    for (doc, placed) in record_docs.iter().zip(placed) {
        let (at, released) = match placed {
            Placed::Found(k, released) => (Some(k), released),
            Placed::Changed => (None, None),
            Placed::Elsewhere => {
                let source = loaded.sources.shared(doc.file);
                let by_path = by_path
                    .get_or_insert_with(|| before.iter().enumerate().map(|(i, e)| (e.0.path.as_str(), i)).collect());
                match by_path.get(source.path.as_str()).and_then(|&i| Some((i, release(&before[i], source)?))) {
                    Some((i, released)) => (Some(i), released),
                    None => (None, None),
                }
            }
        };
        if let Some(released) = released {
            loaded.sources.put_released(doc.file, Arc::new(released));
        }
        found.push(at);
    }
    // Records not in the cache are read in parallel (Markdown dominates);
    // the order of the results is the order of the files.
    let misses: Vec<&crate::source::Doc> =
        record_docs.iter().zip(&found).filter(|(_, at)| at.is_none()).map(|(doc, _)| *doc).collect();
    timer.lap("model: misses");
    let mut read: crate::hash::FastMap<crate::source::FileId, Read> = crate::hash::FastMap::default();
    // In batches, so that texts can be released as their records are read;
    // what stands in for a released text is made beside the reading, and
    // only put in its place between batches.
    for batch in misses.chunks(1024) {
        use rayon::prelude::*;
        let sources = &loaded.sources;
        let done: Vec<_> = batch
            .par_iter()
            .map(|doc| {
                let mut found = Vec::new();
                let source = sources.get(doc.file);
                let mut p = pilot::read(doc, source, config, opts, &mut found);
                // Its id told apart from the others', and its digest made
                // while the record is fresh in memory.
                if let (Some(p), Some(id)) = (&mut p, ids.get(&doc.file)) {
                    if p.id != *id {
                        p.id = id.clone();
                    }
                }
                let digest = p.as_ref().map(digest_of);
                let released = if opts.release_texts && !found.iter().any(Diagnostic::is_error) {
                    source.released().map(Arc::new)
                } else {
                    None
                };
                (doc.file, (p.map(Arc::new), found, digest), released)
            })
            .collect();
        for (file, read_now, released) in done {
            if let Some(released) = released {
                loaded.sources.put_released(file, released);
            }
            read.insert(file, read_now);
        }
    }
    cache.read = misses.len();
    timer.lap("model: records read");
    // The cache as this analysis leaves it: each record's entry, in order
    // (the entries of records no longer there are dropped with `before`).
    let mut now: Vec<CacheEntry> = Vec::with_capacity(record_docs.len());
    let mut at = found.iter();
    for doc in loaded.docs.iter() {
        if !is_record(&doc) {
            page_docs.push(doc);
            continue;
        }
        let source = loaded.sources.shared(doc.file);
        let kept = at.next().copied().flatten();
        let (mut pilot, mut found, mut digest) = match read.remove(&doc.file) {
            Some(read) => read,
            None => match kept.map(|i| (before[i].1.take(), std::mem::take(&mut before[i].2), before[i].3)) {
                Some(entry) => entry,
                None => continue,
            },
        };
        // A full load gives out new file ids (what reading a record finds
        // is in its own file).
        for d in found.iter_mut() {
            d.loc.file = doc.file;
            for (loc, _) in &mut d.related {
                loc.file = doc.file;
            }
        }
        if let Some(p) = pilot.as_mut().filter(|p| p.loc.file != doc.file) {
            Arc::make_mut(p).reloc(doc.file);
        }
        diags.extend(found.iter().cloned());
        if let Some(p) = &mut pilot {
            if let Some(id) = ids.get(&doc.file).filter(|id| **id != p.id) {
                Arc::make_mut(p).id = id.clone();
                digest = None;
            }
            if p.incomplete {
                incomplete.push(Arc::clone(p));
            } else {
                pilots.push(Arc::clone(p));
            }
        }
        now.push((Arc::clone(source), pilot, found, digest));
    }
    cache.records = now;
    timer.lap("model: cache updated");
    pilot::reject_duplicates(&mut pilots, &mut diags);
    // What the site shows is the portfolio as it stood on the as-of date.
    let pilots = past::as_it_stood(pilots, config, opts.as_of, !opts.looking_back, &mut diags, &mut cache.stood);
    if !opts.looking_back {
        for p in &incomplete {
            past::later_stages(p, opts.as_of, &mut diags);
        }
    }
    timer.lap("model: as it stood");
    let digests = digests(&pilots, &mut cache.records);
    timer.lap("model: digests");
    // Three passes over every record, each bound by memory latency at
    // thousands of records: side by side.
    // A playbook copied with its `mkdocs.yml`: the files of its `docs_dir`
    // are published as if they were beside `mkdocs.yml`, and the others
    // there (the repository's README, ...) not at all, as MkDocs does.
    let roots = nav::docs_roots(
        &loaded.navs,
        &loaded.sources,
        page_docs.iter().map(|d| &d.parts[..]).chain(loaded.assets.iter().map(|a| &a.parts[..])),
    );
    let published;
    let (page_docs, loaded_assets, navs): (
        Vec<&crate::source::Doc>,
        &[crate::source::Asset],
        Vec<&crate::source::Doc>,
    ) = if roots.is_empty() {
        (page_docs, &loaded.assets, loaded.navs.iter().collect())
    } else {
        published = nav::published(&roots, &page_docs, &loaded.assets, &loaded.navs);
        diags.extend(published.left_out.iter().cloned());
        (published.docs.iter().collect(), &published.assets, published.navs.iter().collect())
    };
    let assets = pages::assets(loaded_assets);
    // The playbook's files for its links: `assets` keeps the order of
    // `loaded.assets`, less the files it does not publish.
    let files = {
        let mut published = assets.iter().peekable();
        (loaded_assets.iter())
            .filter_map(|a| {
                let (_, to) = published.next_if(|(from, _)| *from == a.from)?;
                Some((a.parts.clone(), to.clone()))
            })
            .collect::<Vec<(Vec<String>, String)>>()
    };
    let kept = cache.pages.take().filter(|p| p.holds(&page_docs, &loaded.navs, &loaded.sources, &files, opts));
    // The people and decisions before: kept whole when no record changed
    // what they are made from, else the names of its unchanged runs.
    let before_people = cache.people.take();
    let known_people = before_people.as_ref().filter(|e| people::unchanged(&e.pilots, &pilots));
    timer.lap("model: roots, assets, kept pages");
    let ((tree, (people, people_index, runs)), portfolio) = rayon::join(
        || {
            rayon::join(
                || match kept {
                    Some(kept) => kept,
                    None => {
                        let mut found = Vec::new();
                        let tree = pages::build(&page_docs, &navs, &loaded.sources, config, opts, &files, &mut found);
                        let shared = |d: &crate::source::Doc| (d.file, Arc::clone(loaded.sources.shared(d.file)));
                        let docs = page_docs.iter().map(|d| shared(d)).collect();
                        let navs = loaded.navs.iter().map(shared).collect();
                        PagesEntry { docs, navs, files, as_of: opts.as_of, drafts: opts.drafts, tree, diags: found }
                    }
                },
                || {
                    let before = before_people.as_ref().map(|e| (&e.pilots[..], &e.runs[..]));
                    let runs = Arc::new(runs::read(&pilots, config.escalation.len(), before));
                    match known_people {
                        Some(e) => (Arc::clone(&e.people), Arc::clone(&e.index), runs),
                        None => {
                            let (people, index) = people::people(&pilots, config, &runs);
                            (Arc::new(people), Arc::new(index), runs)
                        }
                    }
                },
            )
        },
        || facts::portfolio(&pilots, config, opts.as_of),
    );
    timer.lap("model: pages, people, portfolio");
    diags.extend(tree.diags.iter().cloned());
    let (tree, kept) = (tree.tree.clone(), tree);
    cache.pages = Some(kept);
    same_owner_slugs(&people, &pilots, &mut diags);
    // Two more passes over every record, independent: side by side.
    let mut tag_diags = Vec::new();
    let (decisions, (tag_slugs, titles)) = rayon::join(
        || match known_people {
            Some(e) => Arc::clone(&e.decisions),
            None => Arc::new(people::decisions(&pilots, &people, &people_index, config, &runs)),
        },
        || {
            let slugs = tag_slugs(&runs, &tree.pages, tree.home.as_ref(), &mut tag_diags);
            let titles = (tree.sections.iter().map(|s| (&s.path, &s.title)))
                .chain(tree.pages.iter().map(|p| (&p.path, &p.title)))
                .map(|(path, title)| (path.clone(), title.clone()))
                .collect();
            (slugs, titles)
        },
    );
    diags.extend(tag_diags);
    // For the next analysis (`serve`'s; a build leaves it to the system).
    cache.people = Some(PeopleEntry {
        pilots: pilots.clone(),
        people: Arc::clone(&people),
        index: Arc::clone(&people_index),
        decisions: Arc::clone(&decisions),
        runs,
    });
    timer.lap("model: decisions, tags");
    let site = Site {
        history: Arc::default(),
        as_of: opts.as_of,
        home: tree.home,
        pilots,
        digests,
        incomplete,
        record_ids,
        sections: tree.sections,
        roots: tree.roots,
        pages: tree.pages,
        people,
        people_index,
        decisions,
        titles,
        tag_slugs,
        portfolio,
        assets,
    };
    Built { site, diagnostics: diags, sources: loaded.sources, reuse: cache }
}

impl Pilot {
    /// Which of this pilot's constraints `c` is (by address: `c` is one of
    /// them, not an equal copy). Worked out from the addresses, not by
    /// walking the list: every constraint row of a page asks, and a walk
    /// made a pilot of 30 constraints cost 30 x 30 comparisons (1.5% of a
    /// clean build of the realistic mix, in perf).
    pub fn constraint_index(&self, c: &Constraint) -> Option<usize> {
        let size = std::mem::size_of::<Constraint>();
        let offset = (c as *const Constraint as usize).checked_sub(self.constraints.as_ptr() as usize)?;
        let i = offset / size;
        (offset % size == 0 && i < self.constraints.len()).then_some(i)
    }

    /// The day the pilot entered the stage it is at, when its `[stages]`
    /// says.
    pub fn entered(&self) -> Option<crate::date::Date> {
        self.stages.iter().filter(|s| s.stage == self.stage).map(|s| s.date).max()
    }

    /// Shares with `config`, as [`pilot::read`] and [`facts::derive`] do,
    /// the texts a record read from the record cache holds of it: the
    /// rubric's items of its evidence (in the rubric's order, the cache
    /// leaves them out) and the rungs' `to`.
    fn share(&mut self, config: &Config) {
        for (dim, rubric) in self.readiness.iter_mut().zip(&config.rubric) {
            debug_assert_eq!(dim.items.len(), rubric.items.len(), "evidence is read in the rubric's order");
            for (e, item) in dim.items.iter_mut().zip(&rubric.items) {
                e.key = Arc::clone(&item.key);
                e.text = Arc::clone(&item.text);
            }
        }
        for c in &mut self.constraints {
            if let (Some(to), Some(rung)) = (&mut c.escalated_to, c.rung.and_then(|r| config.escalation.get(r))) {
                if **to == *rung.to {
                    *to = Arc::clone(&rung.to);
                }
            }
        }
    }

    /// Points every location of the record at `file`.
    fn reloc(&mut self, file: crate::source::FileId) {
        self.loc.file = file;
        self.owner_loc.file = file;
        for s in &mut self.stages {
            s.loc.file = file;
        }
        for c in &mut self.constraints {
            c.loc.file = file;
            if let Some(l) = &mut c.playbook_loc {
                l.file = file;
            }
        }
    }
}

/// Stages a pilot is no longer expected to move on from (no weekly update,
/// not stuck, not "in flight").
pub const SETTLED: [&str; 3] = ["production", "stalled", "retired"];

/// Stages a pilot can reach from any other, off the path to production.
pub const OFF_PATH: [&str; 2] = ["stalled", "retired"];

/// The median of whole numbers (the mean of the middle two for an even
/// count); `None` for none.
pub fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

/// A name that had to take a number: its slug `base` was kept by
/// `kept_by`, an earlier name in sorted order.
#[derive(Debug, Clone)]
pub struct Renamed {
    pub name: String,
    pub kept_by: String,
    pub base: String,
    pub slug: String,
}

/// One slug for each of `names` (distinct names, each with its slug), no
/// slug for two names: in sorted order, the first name of a slug keeps it,
/// each later one takes the first of `-2`, `-3`, ... that no name has. The
/// slug of each name, and the names that took a number.
pub fn distinct_slugs(mut names: Vec<(String, String)>) -> (crate::hash::FastMap<String, String>, Vec<Renamed>) {
    names.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let mut taken: crate::hash::FastSet<String> = names.iter().map(|(_, s)| s.clone()).collect();
    let mut next: crate::hash::FastMap<String, usize> = crate::hash::FastMap::default();
    let mut out = crate::hash::FastMap::default();
    let mut renamed = Vec::new();
    let mut kept: Option<(String, String)> = None;
    for (name, base) in names {
        match &kept {
            Some((k, s)) if *s == base && !base.is_empty() => {
                let n = next.entry(base.clone()).or_insert(2);
                let slug = loop {
                    let slug = format!("{base}-{}", *n);
                    *n += 1;
                    if taken.insert(slug.clone()) {
                        break slug;
                    }
                };
                renamed.push(Renamed { name: name.clone(), kept_by: k.clone(), base, slug: slug.clone() });
                out.insert(name, slug);
            }
            _ => {
                kept = Some((name.clone(), base.clone()));
                out.insert(name, base);
            }
        }
    }
    (out, renamed)
}

/// The address of each tag's page, two tags never sharing one; a PD024
/// warning for each tag that had to take a number, at the first record or
/// page that carries it.
fn tag_slugs(
    runs: &[Arc<runs::Run>],
    pages: &[Page],
    home: Option<&Page>,
    diags: &mut Vec<Diagnostic>,
) -> crate::hash::FastMap<String, String> {
    // Each tag by key: as first written, and where; the records' from
    // their runs (each tag once a run), then the pages'.
    let mut first: crate::hash::FastMap<String, (&str, Loc)> = crate::hash::FastMap::default();
    for (key, t, loc) in runs.iter().flat_map(|r| &r.tags) {
        if !first.contains_key(&**key) {
            first.insert(key.to_string(), (t, *loc));
        }
    }
    for (t, loc) in pages.iter().chain(home).flat_map(|p| p.tags.iter().map(move |t| (t, p.loc))) {
        let key = tag_key(t);
        if !first.contains_key(key.as_ref()) {
            first.insert(key.into_owned(), (t.as_str(), loc));
        }
    }
    let (slugs, renamed) = distinct_slugs(first.keys().map(|k| (k.clone(), tag_slug(k))).collect());
    for r in renamed {
        let (name, loc) = first[&r.name];
        let (other, other_loc) = first[&r.kept_by];
        diags.push(
            Diagnostic::new(
                Rule::SameSlug,
                loc,
                format!(
                    "tags `{name}` and `{other}` both make the page `/{}`: `{name}` is at `/{}`",
                    crate::urls::tag(&r.base),
                    crate::urls::tag(&r.slug)
                ),
            )
            .hint("write the tag as the other one is written if they are the same tag; otherwise rename one")
            .related(other_loc, format!("`{other}` is here")),
        );
    }
    slugs
}

/// Owners whose names make one slug (`Ana Lee`, `Ana-Lee`): the later ones
/// already have `-2` (see `facts::people`); a PD024 warning for each.
fn same_owner_slugs(people: &[Person], pilots: &[Arc<Pilot>], diags: &mut Vec<Diagnostic>) {
    let loc = |p: &Person| {
        let i = p.owns.first().or(p.champions.first()).or(p.sponsors.first());
        match (i, p.constraints.first()) {
            (Some(&i), _) => pilots.get(i).map(|x| x.owner_loc),
            (None, Some(&(i, j))) => pilots.get(i).and_then(|x| x.constraints.get(j)).map(|c| c.loc),
            _ => None,
        }
    };
    let mut base: crate::hash::FastMap<&str, &Person> = crate::hash::FastMap::default();
    for p in people {
        base.entry(p.slug.as_str()).or_insert(p);
    }
    for p in people {
        let Some(other) = p.base_slug.as_deref().and_then(|b| base.get(b)) else { continue };
        let (Some(at), Some(other_at)) = (loc(p), loc(other)) else { continue };
        diags.push(
            Diagnostic::new(
                Rule::SameSlug,
                at,
                format!(
                    "`{}` and `{}` both make the owner page `/{}`: `{}` is at `/{}`",
                    p.name,
                    other.name,
                    crate::urls::owner(&other.slug),
                    p.name,
                    crate::urls::owner(&p.slug)
                ),
            )
            .hint("write the name as the other one is written if they are the same person; otherwise tell them apart")
            .related(other_at, format!("`{}` is here", other.name)),
        );
    }
}

/// How tags are matched: case-insensitively, in Unicode's composed form
/// (borrowed for a lowercase ASCII tag, as most are).
pub fn tag_key(tag: &str) -> std::borrow::Cow<'_, str> {
    if tag.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(tag)
    } else {
        std::borrow::Cow::Owned(crate::markdown::nfc(tag).to_lowercase())
    }
}

/// The slug a tag's page is named from, before two tags with one slug are
/// told apart (`tag` when nothing is left of it).
pub fn tag_slug(tag: &str) -> String {
    let s = crate::markdown::slug(tag);
    if s.is_empty() {
        "tag".into()
    } else {
        s
    }
}

impl Site {
    /// Where the pilot `id` is in [`Site::pilots`] (sorted by id).
    pub fn pilot_index(&self, id: &str) -> Option<usize> {
        self.pilots.binary_search_by(|p| p.id.as_str().cmp(id)).ok()
    }

    /// The section of the content at `address` (a page pilotdeck makes, such
    /// as `lessons/`, may have one for its title and introduction).
    pub fn section_at(&self, address: &str) -> Option<&Section> {
        let path = crate::urls::path_of(address);
        self.sections.iter().find(|s| s.path == path)
    }

    /// The person a name refers to, matched case-insensitively, without a
    /// title after a comma, or by an alias from `[people]`.
    pub fn person(&self, name: &str) -> Option<&Person> {
        // Names are short and mostly ASCII: lowercased on the stack, as
        // this is asked for every row of the long tables.
        let name = split_title(name).0;
        let mut buf = [0u8; 64];
        let at = match buf.get_mut(..name.len()) {
            Some(key) if name.is_ascii() => {
                key.copy_from_slice(name.as_bytes());
                key.make_ascii_lowercase();
                self.people_index.get(std::str::from_utf8(key).ok()?)
            }
            _ => self.people_index.get(&person_key(name)),
        };
        at.map(|&i| &self.people[i])
    }

    /// The slug of the page of `tag` (its address is [`crate::urls::tag`]).
    pub fn tag_slug(&self, tag: &str) -> String {
        match self.tag_slugs.get(tag_key(tag).as_ref()) {
            Some(slug) => slug.clone(),
            None => tag_slug(tag),
        }
    }

    /// The title of the page or section at `path` (no slashes at either end).
    pub fn title(&self, path: &str) -> Option<&str> {
        self.titles.get(path).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_constraint_index_is_its_place_in_its_pilot_and_nothing_for_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write_site(dir.path(), 20, 3).unwrap();
        let opts = crate::pipeline::Options { root: dir.path().to_path_buf(), ..Default::default() };
        let site = crate::pipeline::analyse(&opts).unwrap().site;
        let mut seen = 0;
        for (n, p) in site.pilots.iter().enumerate() {
            for (j, c) in p.constraints.iter().enumerate() {
                assert_eq!(p.constraint_index(c), Some(j));
                assert_eq!(p.constraint_index(&c.clone()), None, "an equal copy is not one of them");
                // Another pilot's constraint is not one of this pilot's.
                if let Some(other) = site.pilots.get(n + 1) {
                    assert_eq!(other.constraint_index(c), None);
                }
                seen += 1;
            }
        }
        assert!(seen > 20, "{seen} constraints");
    }
}
