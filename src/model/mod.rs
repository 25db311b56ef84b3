//! The site as data. Takes the loaded files and the config; returns a
//! [`Site`]: pages in their sections, pilot records with their constraints
//! and updates, the people named in them, and every derived fact for one
//! as-of date. Problems are collected as diagnostics; nothing here renders
//! HTML pages or touches the disk.

mod facts;
mod pages;
mod pilot;
pub mod raw;

pub use facts::{dimension_of, Portfolio, StageCount};
pub use pages::{humanize, root_of};
pub use pilot::percent;

use crate::config::Config;
use crate::date::Date;
use crate::diag::{Diagnostic, Loc};
use crate::markdown::Rendered;
use crate::source::Loaded;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything the site is made of, for one as-of date.
#[derive(Debug)]
pub struct Site {
    pub as_of: Date,
    /// `content/_index.md`.
    pub home: Option<Page>,
    /// Sorted by id; shared with the next build of a `serve` session when
    /// the record did not change.
    pub pilots: Vec<Arc<Pilot>>,
    /// The id of every pilot record file, read or not (links to a record
    /// that has errors are not broken links too).
    pub record_ids: std::collections::BTreeSet<String>,
    /// Every section; a section's children point into `sections` and `pages`.
    pub sections: Vec<Section>,
    /// Top-level sections (`playbook`, `lessons`, ...), in order.
    pub roots: Vec<usize>,
    /// Every page that is not a section index.
    pub pages: Vec<Page>,
    /// People named as owner, champion or sponsor of a pilot or owner of a
    /// constraint, sorted by slug.
    pub people: Vec<Person>,
    /// Trimmed, lowercased name -> index into `people`.
    pub people_index: crate::hash::FastMap<String, usize>,
    /// Page and section titles by path (a page's over a section's): a
    /// constraint row names the playbook page it links to.
    pub titles: crate::hash::FastMap<String, String>,
    pub portfolio: Portfolio,
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
}

#[derive(Debug)]
pub struct Section {
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub body: Rendered,
    pub parent: Option<usize>,
    /// Pages and subsections, by weight then title.
    pub children: Vec<Child>,
    pub loc: Option<Loc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "lowercase")]
pub enum Child {
    Page(usize),
    Section(usize),
}

#[derive(Debug, Clone)]
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
}

#[derive(Debug, Clone, Serialize)]
pub struct StageEntry {
    pub stage: String,
    pub date: Date,
    /// Where the stage's date is written.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The rubric item's key and text, shared with the config.
    pub key: std::sync::Arc<str>,
    pub text: std::sync::Arc<str>,
    pub met: bool,
    /// The note or link given as evidence.
    pub note: Option<String>,
    /// `false` was written (as opposed to nothing at all).
    pub said_no: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Integration {
    pub system: String,
    pub direction: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Constraint {
    pub id: String,
    #[serde(skip)]
    pub loc: Loc,
    pub title: String,
    pub category: String,
    pub owner: Option<String>,
    pub raised: Option<Date>,
    pub due: Option<Date>,
    pub resolved: Option<Date>,
    pub impact: Option<String>,
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
    pub escalated_to: Option<String>,
    /// Days from raised to resolved.
    pub days_to_resolve: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub week: Date,
    pub completed: Option<String>,
    pub blocker: Option<String>,
    pub risk: Option<String>,
    pub escalation: Option<String>,
    pub confidence: Option<Confidence>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Confidence {
    pub leader: i64,
    pub team: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
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
    pub name: String,
    pub slug: String,
    /// Indexes into `Site::pilots`.
    pub owns: Vec<usize>,
    pub champions: Vec<usize>,
    pub sponsors: Vec<usize>,
    /// (pilot index, constraint index).
    pub constraints: Vec<(usize, usize)>,
}

/// Options of one build that change the model.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub as_of: Date,
    pub drafts: bool,
    /// Release the text of each record once it is read without an error
    /// (see `source::Sources::put_released`).
    pub release_texts: bool,
}

/// Pilot records read in an earlier build of the same config and as-of
/// date, by path: the file, the record, and its diagnostics. `serve` keeps
/// one so that an edit reads and models one record only.
#[derive(Debug, Default)]
pub struct PilotCache {
    entries: crate::hash::FastMap<String, CacheEntry>,
}

type CacheEntry = (Arc<crate::source::SourceFile>, Option<Arc<Pilot>>, Vec<Diagnostic>);

/// Whether a file read earlier is the file now loaded: the same shared
/// file, or the same text.
fn same_file(cached: &Arc<crate::source::SourceFile>, now: &Arc<crate::source::SourceFile>) -> bool {
    Arc::ptr_eq(cached, now) || cached.text == now.text
}

/// Builds the site model from loaded files.
pub fn build(loaded: &mut Loaded, config: &Config, opts: &BuildOptions) -> (Site, Vec<Diagnostic>) {
    build_cached(loaded, config, opts, &mut PilotCache::default())
}

/// Builds the site model, reusing the records of unchanged files.
pub fn build_cached(
    loaded: &mut Loaded,
    config: &Config,
    opts: &BuildOptions,
    cache: &mut PilotCache,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut pilots = Vec::new();
    let mut page_docs = Vec::new();
    let mut record_ids = std::collections::BTreeSet::new();
    let is_record = |doc: &&crate::source::Doc| {
        doc.parts.first().map(String::as_str) == Some("pilots") && doc.parts.len() > 1 && doc.parts[1] != "_index.md"
    };
    // Records not in the cache are read in parallel (Markdown dominates);
    // the order of the results is the order of the files.
    let misses: Vec<&crate::source::Doc> = loaded
        .docs
        .iter()
        .filter(is_record)
        .filter(|doc| {
            let source = loaded.sources.shared(doc.file);
            cache.entries.get(&source.path).is_none_or(|(f, _, _)| !same_file(f, source))
        })
        .collect();
    let mut read: crate::hash::FastMap<crate::source::FileId, (Option<Arc<Pilot>>, Vec<Diagnostic>)> =
        crate::hash::FastMap::default();
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
                let p = pilot::read(doc, source, config, opts, &mut found);
                let released = if opts.release_texts && !found.iter().any(Diagnostic::is_error) {
                    source.released().map(Arc::new)
                } else {
                    None
                };
                (doc.file, (p.map(Arc::new), found), released)
            })
            .collect();
        for (file, read_now, released) in done {
            if let Some(released) = released {
                loaded.sources.put_released(file, released);
            }
            read.insert(file, read_now);
        }
    }
    // The cache is brought up to date in place: at thousands of records,
    // most of them unchanged, a new map per analysis is most of its cost.
    let mut records = 0;
    for doc in loaded.docs.iter() {
        if !is_record(&doc) {
            page_docs.push(doc);
            continue;
        }
        records += 1;
        record_ids.extend(pilot::id_of(&doc.parts));
        let source = loaded.sources.shared(doc.file);
        let entry = match read.remove(&doc.file) {
            Some((p, found)) => {
                let entry = cache.entries.entry(source.path.clone());
                Some(entry.insert_entry((Arc::clone(source), p, found)).into_mut())
            }
            None => cache.entries.get_mut(&source.path),
        };
        let Some((file, pilot, found)) = entry else { continue };
        *file = Arc::clone(source);
        // A full load gives out new file ids.
        for d in found.iter_mut() {
            d.loc.file = doc.file;
        }
        if let Some(p) = pilot.as_mut().filter(|p| p.loc.file != doc.file) {
            Arc::make_mut(p).reloc(doc.file);
        }
        diags.extend(found.iter().cloned());
        if let Some(p) = pilot {
            pilots.push(Arc::clone(p));
        }
    }
    // Records no longer there.
    if cache.entries.len() > records {
        let paths: crate::hash::FastSet<&str> =
            loaded.docs.iter().filter(is_record).map(|d| loaded.sources.get(d.file).path.as_str()).collect();
        cache.entries.retain(|path, _| paths.contains(path.as_str()));
    }
    pilot::reject_duplicates(&mut pilots, &mut diags);
    // Three passes over every record, each bound by memory latency at
    // thousands of records: side by side.
    let ((tree, people), portfolio) = rayon::join(
        || {
            rayon::join(
                || pages::build(&page_docs, &loaded.sources, config, opts, &mut diags),
                || facts::people(&pilots),
            )
        },
        || facts::portfolio(&pilots, config, opts.as_of),
    );
    let assets = pages::assets(&loaded.assets);
    let people_index = people.iter().enumerate().map(|(i, p)| (person_key(&p.name), i)).collect();
    let titles = (tree.sections.iter().map(|s| (&s.path, &s.title)))
        .chain(tree.pages.iter().map(|p| (&p.path, &p.title)))
        .map(|(path, title)| (path.clone(), title.clone()))
        .collect();
    let site = Site {
        as_of: opts.as_of,
        home: tree.home,
        pilots,
        record_ids,
        sections: tree.sections,
        roots: tree.roots,
        pages: tree.pages,
        people,
        people_index,
        titles,
        portfolio,
        assets,
    };
    (site, diags)
}

impl Pilot {
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

/// A tag's key (tags are matched case-insensitively) and page address.
pub fn tag_slug(tag: &str) -> String {
    let s = crate::markdown::slug(tag);
    if s.is_empty() {
        "tag".into()
    } else {
        s
    }
}

/// How names are matched: trimmed and lowercased.
pub fn person_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Site {
    /// The person a name refers to, matched case-insensitively.
    pub fn person(&self, name: &str) -> Option<&Person> {
        // Names are short and mostly ASCII: lowercased on the stack, as
        // this is asked for every row of the long tables.
        let name = name.trim();
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

    /// The title of the page or section at `path` (no slashes at either end).
    pub fn title(&self, path: &str) -> Option<&str> {
        self.titles.get(path).map(String::as_str)
    }
}
