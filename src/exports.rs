//! Data exports: the constraint library as CSV (RFC 4180), the whole
//! portfolio as JSON, an Atom feed of weekly updates and escalations, and the sitemap.

use crate::config::Config;
use crate::date::Date;
use crate::escape::escaped as xml;
use crate::library_order::Order;
use crate::model::{Constraint, Site};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;

/// Version of the `portfolio.json` format; raised when a field changes
/// meaning or disappears (new fields keep the version).
pub(crate) const JSON_VERSION: u32 = 1;

/// Most entries in the feed, newest first.
pub(crate) const FEED_ENTRIES: usize = 200;

fn status(c: &Constraint) -> &'static str {
    match (c.overdue_days, c.open) {
        (Some(_), _) => "overdue",
        (None, true) => "open",
        (None, false) => "resolved",
    }
}

/// Whether a spreadsheet may read a cell that starts with `value` as a
/// formula (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return; and
/// the full-width `＝ ＋ － ＠`, which some spreadsheets read the same way).
fn formula_like(value: &str) -> bool {
    matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'))
}

/// Writes one text cell: quoted when it holds a comma, a quote or a line
/// break (RFC 4180), and, when a spreadsheet could take it for a formula,
/// quoted with a `'` in front, which spreadsheets read as "this is text"
/// (OWASP's CSV injection rule). Every cell whose text comes from the
/// content is written by this function; the dates and day counts the
/// generator writes itself are numbers, never negative (PD013), and are
/// not written through it.
fn csv_field(out: &mut String, value: &str) {
    use crate::scan::{any_is, first};
    // Eight bytes at a time: most fields are names, ids, dates and words.
    let maybe = |x| any_is(x, b',') || any_is(x, b'"') || any_is(x, b'\n') || any_is(x, b'\r');
    let b = value.as_bytes();
    let formula = formula_like(value);
    if !formula && first(b, maybe, |b| matches!(b, b',' | b'"' | b'\r' | b'\n')) == b.len() {
        out.push_str(value);
    } else {
        out.push('"');
        if formula {
            out.push('\'');
        }
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    }
}

/// `constraints.csv`: a UTF-8 byte order mark (so spreadsheets read the
/// encoding right), a header, one row per constraint, CRLF line ends.
/// Written to `file` as it is made, a window of rows at a time
/// ([`elements`]): at 10,000 pilots of the realistic mix it is 15 MB,
/// which a build held whole beside the pages being made.
pub(crate) fn csv(
    site: &Site,
    config: &Config,
    order: &Order,
    reuse: &Reuse,
    file: &mut dyn std::io::Write,
) -> std::io::Result<Table> {
    let header = [
        "pilot",
        "pilot_title",
        "pilot_stage",
        "id",
        "title",
        "category",
        "owner",
        "raised",
        "due",
        "resolved",
        "status",
        "overdue_days",
        "rung",
        "days_to_resolve",
        "impact",
        "playbook",
        "ask",
    ];
    let mut file = crate::cache_file::Counted { out: file, written: 0 };
    file.write_all(format!("\u{feff}{}\r\n", header.join(",")).as_bytes())?;
    fn text<S: AsRef<str>>(out: &mut String, s: &Option<S>) {
        csv_field(out, s.as_ref().map_or("", AsRef::as_ref));
    }
    // Dates and numbers: digits and dashes, never quoted.
    let date = |out: &mut String, d: Option<Date>| {
        if let Some(d) = d {
            d.push_to(out);
        }
    };
    let number = |out: &mut String, n: Option<i64>| {
        if let Some(n) = n {
            let _ = write!(out, "{n}");
        }
    };
    let row = |out: &mut String, &(i, j): &(usize, usize)| {
        let p = &site.pilots[i];
        let c = &p.constraints[j];
        let owner = c.owner.as_deref().unwrap_or_default();
        for field in [&p.id, &p.title, &p.stage, &c.id, &c.title, &c.category, owner] {
            csv_field(out, field);
            out.push(',');
        }
        for d in [c.raised, c.due, if c.open { None } else { c.resolved }] {
            date(out, d);
            out.push(',');
        }
        out.push_str(status(c));
        out.push(',');
        number(out, c.overdue_days);
        out.push(',');
        csv_field(out, c.rung.map_or("", |r| &*config.escalation[r].to));
        out.push(',');
        number(out, c.days_to_resolve);
        out.push(',');
        text(out, &c.impact);
        out.push(',');
        text(out, &c.playbook);
        out.push(',');
        text(out, &c.ask);
        out.push_str("\r\n");
    };
    let mut table = Table::with_capacity(order.places().len());
    let made = |item: &(usize, usize), buf: &mut Vec<u8>| {
        let mut out = String::with_capacity(256);
        row(&mut out, item);
        buf.extend_from_slice(out.as_bytes());
        Ok(())
    };
    let inputs = |&(i, j): &(usize, usize)| reuse.digest(CSV_ROW, i, j);
    let ahead = |rows: &[(usize, usize)]| crate::library_order::read_ahead(site, rows);
    elements(order.places(), &mut file, b"", reuse, &inputs, &ahead, made, &mut table)?;
    Ok(table)
}

/// What the elements of an export's lists were made from, and where each
/// is in its file, in the file's order: kept in the page memo
/// (`crate::page_memo`), so that the next build copies the bytes of the
/// elements it would make from the same inputs from the file as it stands
/// ([`Reuse`]) rather than making them again. At 10,000 pilots of the
/// realistic mix, making `portfolio.json` and `constraints.csv` was a sixth
/// of the CPU of a build after one record changed.
#[derive(Default, Debug, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Table {
    /// Each element's inputs ([`Reuse::digest`]).
    digests: Vec<u128>,
    /// Each element's first byte in the file (above [`LEN_BITS`]) and its
    /// length (below).
    places: Vec<u64>,
}

/// The bits of a [`Table`]'s place that hold an element's length: a
/// longer element is not listed, and is made each time.
const LEN_BITS: u32 = 24;

impl Table {
    /// A table with room for `n` elements.
    fn with_capacity(n: usize) -> Self {
        Table { digests: Vec::with_capacity(n), places: Vec::with_capacity(n) }
    }

    /// Lets go of room no element fills (borsh grows a list as it reads it).
    pub fn shrink_to_fit(&mut self) {
        self.digests.shrink_to_fit();
        self.places.shrink_to_fit();
    }

    fn push(&mut self, digest: u128, start: u64, len: usize) {
        if len < 1 << LEN_BITS {
            self.digests.push(digest);
            self.places.push(start << LEN_BITS | len as u64);
        }
    }

    /// Where the element `k` is in the file: its first byte and its end.
    fn range(&self, k: usize) -> (u64, u64) {
        let place = self.places[k];
        let start = place >> LEN_BITS;
        (start, start + (place & ((1 << LEN_BITS) - 1)))
    }

    /// How many elements are listed.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether no element is listed.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }
}

/// What tells the elements of the lists apart: a kind, mixed into each
/// element's digest, so that no two kinds share one.
const JSON_PILOT: u8 = 1;
const JSON_CONSTRAINT: u8 = 2;
const CSV_ROW: u8 = 3;
const PILOTS_CSV_ROW: u8 = 4;

/// What an export's elements are made from, and the previous file of the
/// export with its [`Table`], if the build has one: an element made from
/// the same inputs is copied from it, a run of neighbours at a time.
pub struct Reuse<'a> {
    /// What every element is made from: the config and the site's view
    /// (`render::Plan`'s shared inputs).
    shared: u128,
    /// Each pilot record's digest as the model holds it (its facts too);
    /// `None` when no table is wanted (a file made once, by `serve`).
    records: Option<&'a [u128]>,
    /// The previous file, its table, and the table's elements by digest.
    previous: Option<(std::fs::File, &'a Table, Vec<u32>)>,
    /// How many elements were copied.
    pub copied: std::sync::atomic::AtomicUsize,
}

impl<'a> Reuse<'a> {
    /// Nothing to copy from: every element is made.
    pub fn new(shared: u128, records: &'a [u128]) -> Self {
        Reuse { shared, records: Some(records), previous: None, copied: Default::default() }
    }

    /// No digests, nothing to copy from: every element is made, and the
    /// file's table is empty.
    pub fn none() -> Self {
        Reuse { shared: 0, records: None, previous: None, copied: Default::default() }
    }

    /// Copies from `file`, the previous file whose elements `table` lists;
    /// from nothing when the table does not fit the file (a list of places
    /// for each digest, each place within the file), which only a memo
    /// changed by something else than pilotdeck can give.
    pub fn from(mut self, file: std::fs::File, table: &'a Table) -> Self {
        let len = file.metadata().map_or(0, |m| m.len());
        let fits = table.places.len() == table.digests.len() && (0..table.len()).all(|k| table.range(k).1 <= len);
        if !fits {
            return self;
        }
        let mut sorted: Vec<u32> = (0..table.len() as u32).collect();
        sorted.sort_unstable_by_key(|&k| table.digests[k as usize]);
        self.previous = Some((file, table, sorted));
        self
    }

    /// The inputs of the element of `kind` of the pilot `i` and its
    /// constraint `j` (0 for a pilot's own element).
    fn digest(&self, kind: u8, i: usize, j: usize) -> Option<u128> {
        let records = self.records?;
        let mut d = crate::text::Digester::new();
        d.add(&[kind]);
        d.add(&self.shared.to_le_bytes());
        d.add(&records[i].to_le_bytes());
        d.add(&(j as u64).to_le_bytes());
        Some(d.finish())
    }

    /// The inputs of the pilot `i`'s element.
    fn pilot(&self, i: usize) -> Option<u128> {
        self.digest(JSON_PILOT, i, 0)
    }

    /// The previous file's element made from `digest`, if any: looked for
    /// first right `after` the element found before (most are where the
    /// one before them was), then by digest.
    fn find(&self, after: Option<usize>, digest: u128) -> Option<usize> {
        let (_, table, sorted) = self.previous.as_ref()?;
        if let Some(next) = after.map(|k| k + 1).filter(|&k| table.digests.get(k) == Some(&digest)) {
            return Some(next);
        }
        let at = sorted.partition_point(|&k| table.digests[k as usize] < digest);
        sorted.get(at).map(|&k| k as usize).filter(|&k| table.digests[k] == digest)
    }

    /// Whether the previous file's element `m` is right after its element
    /// `last`, `sep` between them: a run of neighbours is copied whole,
    /// and an element between them the table does not list (too long) is
    /// not to be copied with it.
    fn follows(&self, last: usize, m: usize, sep: &[u8]) -> bool {
        let Some((_, table, _)) = &self.previous else { return false };
        m == last + 1 && table.range(m).0 == table.range(last).1 + sep.len() as u64
    }

    /// The bytes of the previous file's elements `first..=last`, and the
    /// separators between them, appended to `buf`.
    fn copy(&self, first: usize, last: usize, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let Some((file, table, _)) = &self.previous else { return Err(std::io::ErrorKind::NotFound.into()) };
        let (start, _) = table.range(first);
        let (_, end) = table.range(last);
        let at = buf.len();
        buf.resize(at + (end - start) as usize, 0);
        read_at(file, &mut buf[at..], start).inspect_err(|_| buf.truncate(at))
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Writes `items` into `out`, `sep` between each two, each as `make`
/// makes it or, when the previous file has an element of the same
/// `inputs`, as that file has it ([`Reuse`]); lists where each is in
/// `table`. A window of chunks at a time, made side by side, so that a
/// long file is made on every thread with at most a window of it in
/// memory; the chunks after the first start with `sep`. With nothing to
/// copy from, `ahead` is given each chunk before its elements are made
/// (constraints in library order: [`crate::library_order::read_ahead`]).
#[allow(clippy::too_many_arguments)]
fn elements<T: Sync>(
    items: &[T],
    out: &mut crate::cache_file::Counted,
    sep: &[u8],
    reuse: &Reuse,
    inputs: &(dyn Fn(&T) -> Option<u128> + Sync),
    ahead: &(dyn Fn(&[T]) + Sync),
    make: impl Fn(&T, &mut Vec<u8>) -> std::io::Result<()> + Sync,
    table: &mut Table,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    // At most 256 pilots of the mix's `portfolio.json` (2 MB) at once.
    const CHUNK: usize = 32;
    const WINDOW: usize = 8 * CHUNK;
    // A chunk: its bytes, and each element's inputs, start and length in them.
    type Made = (Vec<u8>, Vec<(Option<u128>, usize, usize)>);
    let chunk_of = |start: usize, chunk: &[T]| -> std::io::Result<Made> {
        if reuse.previous.is_none() {
            ahead(chunk);
        }
        let mut buf = Vec::with_capacity(chunk.len() * 1024);
        let mut placed = Vec::with_capacity(chunk.len());
        // The elements found in the previous file and not yet copied: the
        // first one's place in `chunk`, and its first and last in the file.
        let mut run: Option<(usize, usize, usize)> = None;
        let flush = |run: (usize, usize, usize), buf: &mut Vec<u8>, placed: &mut Vec<_>| -> std::io::Result<()> {
            let (k, first, last) = run;
            let at = buf.len();
            if reuse.copy(first, last, buf).is_ok() {
                let table = reuse.previous.as_ref().map(|p| p.1).unwrap_or_else(|| unreachable!("copied from it"));
                let (from, _) = table.range(first);
                for m in first..=last {
                    let (s, e) = table.range(m);
                    placed.push((Some(table.digests[m]), at + (s - from) as usize, (e - s) as usize));
                }
                reuse.copied.fetch_add(last - first + 1, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
            // The file could not be read: the elements are made.
            for (n, item) in chunk[k..=k + last - first].iter().enumerate() {
                if n > 0 {
                    buf.extend_from_slice(sep);
                }
                let s = buf.len();
                make(item, buf)?;
                placed.push((inputs(item), s, buf.len() - s));
            }
            Ok(())
        };
        for (k, item) in chunk.iter().enumerate() {
            let digest = inputs(item);
            let found = digest.and_then(|digest| reuse.find(run.map(|(_, _, last)| last), digest));
            if let (Some((_, _, last)), Some(m)) = (&mut run, found) {
                // The next element of the previous file: the separator
                // between them is in the run's bytes.
                if reuse.follows(*last, m, sep) {
                    *last = m;
                    continue;
                }
            }
            if let Some(r) = run.take() {
                flush(r, &mut buf, &mut placed)?;
            }
            if start + k > 0 {
                buf.extend_from_slice(sep);
            }
            match found {
                Some(m) => run = Some((k, m, m)),
                None => {
                    let s = buf.len();
                    make(item, &mut buf)?;
                    placed.push((digest, s, buf.len() - s));
                }
            }
        }
        if let Some(r) = run.take() {
            flush(r, &mut buf, &mut placed)?;
        }
        Ok((buf, placed))
    };
    for (w, window) in items.chunks(WINDOW).enumerate() {
        let parts: Vec<Made> = (window.par_chunks(CHUNK).enumerate())
            .map(|(c, chunk)| chunk_of(w * WINDOW + c * CHUNK, chunk))
            .collect::<std::io::Result<_>>()?;
        for (bytes, placed) in parts {
            for (digest, start, len) in placed {
                if let Some(digest) = digest {
                    table.push(digest, out.written + start as u64, len);
                }
            }
            out.write_all(&bytes)?;
        }
    }
    Ok(())
}

/// The columns of `pilots.csv`, after which come `readiness_` and each
/// dimension's key (the percentage of its rubric met), then [`PILOT_TAIL`].
pub(crate) const PILOT_COLUMNS: [&str; 13] = [
    "id",
    "title",
    "stage",
    "owner",
    "sponsor",
    "champion",
    "function",
    "started",
    "target",
    "stage_entered",
    "days_in_stage",
    "open_constraints",
    "overdue_constraints",
];

/// The last columns of `pilots.csv`.
pub(crate) const PILOT_TAIL: [&str; 5] = ["production_ready", "last_update", "stale", "tags", "url"];

/// `pilots.csv`: one row per pilot with its derived facts for the as-of
/// date, written as `constraints.csv` is (a byte order mark, a header,
/// CRLF line ends, every text cell through [`csv_field`]). Yes/no facts are
/// `yes` or `no`; a date or a count that is not known is empty; tags are
/// joined by `; `; the url is the pilot's page at the site's `base_url`.
/// Written to `file` a window of rows at a time, each row made from its
/// record, the config and the as-of date, or copied from the previous
/// file ([`elements`]).
pub(crate) fn pilots_csv(
    site: &Site,
    config: &Config,
    reuse: &Reuse,
    file: &mut dyn std::io::Write,
) -> std::io::Result<Table> {
    let mut file = crate::cache_file::Counted { out: file, written: 0 };
    let dims: Vec<String> = config.rubric.iter().map(|d| format!("readiness_{}", d.key)).collect();
    let header: Vec<&str> =
        PILOT_COLUMNS.iter().copied().chain(dims.iter().map(String::as_str)).chain(PILOT_TAIL).collect();
    file.write_all(format!("\u{feff}{}\r\n", header.join(",")).as_bytes())?;
    let base = config.base_url.trim_end_matches('/');
    let yes = |b: bool| if b { "yes" } else { "no" };
    let row = |out: &mut String, p: &crate::model::Pilot| {
        for field in [
            Some(&p.id),
            Some(&p.title),
            Some(&p.stage),
            p.owner.as_ref(),
            p.sponsor.as_ref(),
            p.champion.as_ref(),
            p.function.as_ref(),
        ] {
            csv_field(out, field.map_or("", String::as_str));
            out.push(',');
        }
        let entered = p.entered();
        for d in [p.started, p.target, entered] {
            if let Some(d) = d {
                d.push_to(out);
            }
            out.push(',');
        }
        if let Some(d) = entered.filter(|d| *d <= site.as_of) {
            let _ = write!(out, "{}", site.as_of.days_since(d));
        }
        let _ = write!(out, ",{},{},", p.facts.open_constraints, p.facts.overdue_constraints);
        for d in &p.readiness {
            let _ = write!(out, "{},", d.percent);
        }
        out.push_str(yes(p.facts.production_ready));
        out.push(',');
        if let Some(d) = p.facts.last_update {
            d.push_to(out);
        }
        out.push(',');
        out.push_str(yes(p.facts.stale));
        out.push(',');
        csv_field(out, &p.tags.join("; "));
        out.push(',');
        csv_field(out, &crate::urls::absolute(base, &crate::urls::pilot_parts(&p.id)));
        out.push_str("\r\n");
    };
    let pilots: Vec<usize> = (0..site.pilots.len()).collect();
    let mut table = Table::with_capacity(pilots.len());
    let made = |&i: &usize, buf: &mut Vec<u8>| {
        let mut out = String::with_capacity(256);
        row(&mut out, &site.pilots[i]);
        buf.extend_from_slice(out.as_bytes());
        Ok(())
    };
    let inputs = |&i: &usize| reuse.digest(PILOTS_CSV_ROW, i, 0);
    elements(&pilots, &mut file, b"", reuse, &inputs, &|_| {}, made, &mut table)?;
    Ok(table)
}

/// `portfolio.json` but its two long lists, which come after it.
#[derive(Serialize)]
struct JsonHead<'a> {
    version: u32,
    generator: String,
    as_of: Date,
    title: &'a str,
    base_url: &'a str,
    stages: &'a [String],
    categories: &'a [String],
    ladder: &'a [crate::config::Rung],
    rubric: &'a [crate::config::Dimension],
    portfolio: &'a crate::model::Portfolio,
    /// The portfolio at the end of each of the last weeks, from the
    /// records' git history (empty without one), oldest first.
    weeks: &'a [crate::model::history::Week],
}

#[derive(Serialize)]
struct JsonPilot<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    summary: &'a Option<String>,
    stage: &'a str,
    function: &'a Option<String>,
    owner: &'a Option<String>,
    champion: &'a Option<String>,
    sponsor: &'a Option<String>,
    started: Option<Date>,
    target: Option<Date>,
    success: &'a Option<String>,
    tags: &'a [String],
    stages: &'a [crate::model::StageEntry],
    readiness: &'a [crate::model::Readiness],
    integration: &'a [crate::model::Integration],
    /// Ids of its constraints, in `constraints`.
    constraints: Vec<&'a str>,
    updates: &'a [crate::model::Update],
    facts: &'a crate::model::PilotFacts,
}

#[derive(Serialize)]
struct JsonConstraint<'a> {
    pilot: &'a str,
    status: &'static str,
    rung_to: Option<&'a str>,
    #[serde(flatten)]
    constraint: &'a Constraint,
}

/// `portfolio.json`: every pilot with its record and derived facts, every
/// constraint, the as-of date, the rubric and the ladder. Compact: at
/// 10,000 pilots the pretty form is twice the size. The two long lists
/// are made a window at a time on every thread ([`elements`]): the
/// bytes are those serde_json writes of the whole document (a test holds
/// them to it). serde_json itself: a serializer of our own wrote the same
/// bytes for 1.7% fewer instructions in a whole build (callgrind, 1,000
/// pilots), not worth a second JSON writer.
pub(crate) fn json(
    site: &Site,
    config: &Config,
    order: &Order,
    reuse: &Reuse,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Table> {
    let base = config.base_url.trim_end_matches('/');
    let mut out = crate::cache_file::Counted { out, written: 0 };
    let mut table = Table::with_capacity(site.pilots.len() + order.places().len());
    let mut head = serde_json::to_vec(&json_head(site, config))?;
    // The head's object left open for the lists.
    head.pop();
    out.write_all(&head)?;
    out.write_all(br#","pilots":["#)?;
    // The pilots by their place, for their inputs.
    let pilots: Vec<usize> = (0..site.pilots.len()).collect();
    let pilot = |&i: &usize, buf: &mut Vec<u8>| Ok(serde_json::to_writer(buf, &json_pilot(&site.pilots[i], base))?);
    elements(&pilots, &mut out, b",", reuse, &|&i| reuse.pilot(i), &|_| {}, pilot, &mut table)?;
    out.write_all(br#"],"constraints":["#)?;
    let constraint = |&place: &(usize, usize), buf: &mut Vec<u8>| {
        Ok(serde_json::to_writer(buf, &json_constraint(site, config, place))?)
    };
    let inputs = |&(i, j): &(usize, usize)| reuse.digest(JSON_CONSTRAINT, i, j);
    let ahead = |rows: &[(usize, usize)]| crate::library_order::read_ahead(site, rows);
    elements(order.places(), &mut out, b",", reuse, &inputs, &ahead, constraint, &mut table)?;
    out.write_all(b"]}\n")?;
    Ok(table)
}

fn json_head<'a>(site: &'a Site, config: &'a Config) -> JsonHead<'a> {
    JsonHead {
        version: JSON_VERSION,
        generator: format!("pilotdeck {}", env!("CARGO_PKG_VERSION")),
        as_of: site.as_of,
        title: &config.title,
        base_url: &config.base_url,
        stages: &config.stages,
        categories: &config.categories,
        ladder: &config.escalation,
        rubric: &config.rubric,
        portfolio: &site.portfolio,
        weeks: &site.history.weeks,
    }
}

/// A pilot as `portfolio.json` has it; `base`: the site's base URL
/// without its last `/`.
fn json_pilot<'a>(p: &'a crate::model::Pilot, base: &str) -> JsonPilot<'a> {
    JsonPilot {
        id: &p.id,
        url: crate::urls::absolute(base, &crate::urls::pilot_parts(&p.id)),
        title: &p.title,
        summary: &p.summary,
        stage: &p.stage,
        function: &p.function,
        owner: &p.owner,
        champion: &p.champion,
        sponsor: &p.sponsor,
        started: p.started,
        target: p.target,
        success: &p.success,
        tags: &p.tags,
        stages: &p.stages,
        readiness: &p.readiness,
        integration: &p.integration,
        constraints: p.constraints.iter().map(|c| c.id.as_str()).collect(),
        updates: &p.updates,
        facts: &p.facts,
    }
}

/// The constraint `j` of the pilot `i` as `portfolio.json` has it.
fn json_constraint<'a>(site: &'a Site, config: &'a Config, (i, j): (usize, usize)) -> JsonConstraint<'a> {
    let p = &site.pilots[i];
    let c = &p.constraints[j];
    JsonConstraint {
        pilot: &p.id,
        status: status(c),
        rung_to: c.rung.map(|r| &*config.escalation[r].to),
        constraint: c,
    }
}

/// One entry of an Atom feed.
pub(crate) struct Entry {
    pub(crate) id: String,
    pub(crate) date: Date,
    pub(crate) title: String,
    pub(crate) link: String,
    pub(crate) summary: String,
}

/// `feed.xml`: weekly updates, and escalations (each rung a constraint has
/// crossed by the as-of date, dated the day it crossed), newest first.
pub(crate) fn feed(site: &Site, config: &Config) -> String {
    let base = crate::urls::feed_base(&config.base_url);
    // Every entry's date and id first; only the newest are written out.
    enum Source {
        Update(usize, usize),
        Rung(usize, usize, usize),
    }
    // Every entry, in record order, to `f`: walked twice, for the dates
    // and then for the entries new enough, rather than holding every
    // entry (120,000 updates and more escalations at 10,000 pilots of the
    // realistic mix: 10 MB of a build's peak).
    let each = |f: &mut dyn FnMut(Date, Source)| {
        for (pi, p) in site.pilots.iter().enumerate() {
            // The model has no update after the as-of date (see `model::past`).
            for (ui, u) in p.updates.iter().enumerate() {
                f(u.week, Source::Update(pi, ui));
            }
            for (ci, c) in p.constraints.iter().enumerate() {
                let (Some(due), Some(top)) = (c.due, c.rung) else { continue };
                for (i, rung) in config.escalation.iter().enumerate().take(top + 1) {
                    f(due.plus_days(rung.after_days.max(1) as i32), Source::Rung(pi, ci, i));
                }
            }
        }
    };
    let id = |source: &Source| match *source {
        Source::Update(pi, ui) => {
            let p = &site.pilots[pi];
            format!("urn:pilotdeck:{}:update:{}", p.id, p.updates[ui].week)
        }
        Source::Rung(pi, ci, i) => {
            let p = &site.pilots[pi];
            format!("urn:pilotdeck:{}:constraint:{}:rung:{}", p.id, p.constraints[ci].id, i)
        }
    };
    // Only entries at least as new as the newest FEED_ENTRIES-th date can be
    // written out: their ids are made, the others' are not.
    let mut dates: Vec<Date> = Vec::new();
    each(&mut |date, _| dates.push(date));
    let cut = if dates.len() > FEED_ENTRIES {
        let (_, &mut cut, _) = dates.select_nth_unstable_by(FEED_ENTRIES - 1, |a, b| b.cmp(a));
        Some(cut)
    } else {
        None
    };
    drop(dates);
    let mut keys = Vec::new();
    each(&mut |date, source| {
        if cut.is_none_or(|cut| date >= cut) {
            keys.push((date, id(&source), source));
        }
    });
    let newest = |a: &(Date, String, Source), b: &(Date, String, Source)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if keys.len() > FEED_ENTRIES {
        keys.select_nth_unstable_by(FEED_ENTRIES, newest);
        keys.truncate(FEED_ENTRIES);
    }
    keys.sort_by(newest);
    let entries: Vec<Entry> = keys
        .into_iter()
        .map(|(date, id, source)| match source {
            Source::Update(pi, ui) => {
                let (p, u) = (&site.pilots[pi], &site.pilots[pi].updates[ui]);
                let mut summary = String::new();
                for (label, v) in [
                    ("Completed", &u.completed),
                    ("Blocker", &u.blocker),
                    ("Risk", &u.risk),
                    ("Escalation", &u.escalation),
                ] {
                    if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                        let _ = writeln!(summary, "{label}: {v}");
                    }
                }
                if let Some(c) = u.confidence {
                    let _ = writeln!(summary, "Confidence: leader {}/5, team {}/5", c.leader, c.team);
                }
                Entry {
                    id,
                    date,
                    title: format!("{}: update for the week of {}", p.title, u.week),
                    link: [base.as_str(), &crate::urls::pilot(&p.id)].concat(),
                    summary: summary.trim_end().to_string(),
                }
            }
            Source::Rung(pi, ci, i) => {
                let (p, c, rung) = (&site.pilots[pi], &site.pilots[pi].constraints[ci], &config.escalation[i]);
                let due = c.due.map(Date::text).unwrap_or_default();
                Entry {
                    id,
                    date,
                    title: format!("Escalated to {}: {} ({})", rung.to, c.title, p.title),
                    link: [base.as_str(), &crate::urls::constraint_parts(&p.id, &c.id).concat()].concat(),
                    summary: format!(
                        "“{}” was due {due} and is still open; {} days past due it escalates to {}. Owner: {}.",
                        c.title,
                        rung.after_days,
                        rung.to,
                        c.owner.as_deref().unwrap_or("nobody named")
                    ),
                }
            }
        })
        .collect();
    let title = format!("{} — updates and escalations", config.title);
    atom(&base, ("", "feed"), &title, crate::urls::FEED, entries, &config.title, site.as_of)
}

/// An Atom feed of `entries` (newest first) at `self_path` below `base`.
/// Its id is `base` and `id_path`, or `urn:pilotdeck:ID_NAME` without a base.
pub(crate) fn atom(
    base: &str,
    (id_path, id_name): (&str, &str),
    title: &str,
    self_path: &str,
    entries: Vec<Entry>,
    author: &str,
    as_of: Date,
) -> String {
    let updated = entries.first().map_or(as_of, |e| e.date);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let id = if base.is_empty() { format!("urn:pilotdeck:{id_name}") } else { [base, id_path].concat() };
    let _ = writeln!(out, "  <id>{}</id>", xml(&id));
    let _ = writeln!(out, "  <title>{}</title>", xml(title));
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(out, "  <author><name>{}</name></author>", xml(author));
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{}{}\"/>", xml(base), self_path);
    let _ = writeln!(out, "  <link rel=\"alternate\" href=\"{}\"/>", xml(if base.is_empty() { "./" } else { base }));
    let _ = writeln!(out, "  <generator>pilotdeck</generator>");
    for e in entries {
        let _ = writeln!(out, "  <entry>");
        let _ = writeln!(out, "    <id>{}</id>", xml(&e.id));
        let _ = writeln!(out, "    <title>{}</title>", xml(&e.title));
        let _ = writeln!(out, "    <updated>{}T00:00:00Z</updated>", e.date);
        let _ = writeln!(out, "    <link rel=\"alternate\" href=\"{}\"/>", xml(&e.link));
        let _ = writeln!(out, "    <summary>{}</summary>", xml(&e.summary));
        let _ = writeln!(out, "  </entry>");
    }
    out.push_str("</feed>\n");
    out
}

/// `sitemap.xml`: every page's address, sorted.
pub(crate) fn sitemap(site: &crate::model::Site, config: &crate::config::Config) -> String {
    let mut paths: Vec<String> = crate::urls::FIXED_PAGES.iter().map(|p| p.to_string()).collect();
    paths.extend(site.people.iter().map(|p| crate::urls::owner(&p.slug)));
    paths.extend(site.pilots.iter().map(|p| crate::urls::pilot(&p.id)));
    paths.extend(
        site.sections
            .iter()
            .filter(|s| !crate::urls::is_generated_section(&s.path))
            .map(|s| crate::urls::page(&s.path)),
    );
    paths.extend(site.pages.iter().map(|p| crate::urls::page(&p.path)));
    paths.sort();
    let base = if config.base_url.is_empty() { String::new() } else { config.base_url.clone() };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::escape::escaped(&crate::urls::absolute(&base, &[&p])));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole of `portfolio.json` as one value.
    #[derive(Serialize)]
    struct Whole<'a> {
        #[serde(flatten)]
        head: JsonHead<'a>,
        pilots: Vec<JsonPilot<'a>>,
        constraints: Vec<JsonConstraint<'a>>,
    }

    /// The item [`listed`] makes an element too long for a [`Table`] of.
    const LONG: u32 = u32::MAX;

    /// Copies from the file at `path`, which `table` lists.
    #[allow(clippy::unwrap_used)]
    fn from_file<'a>(path: &std::path::Path, table: &'a Table) -> Reuse<'a> {
        Reuse::new(0, &[]).from(std::fs::File::open(path).unwrap(), table)
    }

    /// `items` as `elements` writes them (`item N`, or [`LONG`]'s long
    /// text), made or copied as `reuse` has them.
    #[allow(clippy::unwrap_used)]
    fn listed(items: &[u32], reuse: Reuse) -> (Vec<u8>, Table, usize) {
        let mut bytes = b"[".to_vec();
        let mut table = Table::default();
        let mut out = crate::cache_file::Counted { out: &mut bytes, written: 1 };
        let inputs = |&i: &u32| Some(u128::from(i) * 7919);
        let make = |&i: &u32, buf: &mut Vec<u8>| {
            // `LONG`: an element too long for the table.
            let text = if i == LONG { "x".repeat(1 << LEN_BITS) } else { format!("item {i}") };
            Ok(serde_json::to_writer(buf, &text)?)
        };
        elements(items, &mut out, b",", &reuse, &inputs, &|_| {}, make, &mut table).unwrap();
        bytes.push(b']');
        let copied = reuse.copied.into_inner();
        (bytes, table, copied)
    }

    /// A list made in windows of chunks is the list serde_json writes, for
    /// lengths around a chunk's and a window's ends; made again with the
    /// previous file at hand, its elements of the same inputs are copied
    /// from it (a run of neighbours at a time), whatever moved, and the
    /// bytes are the same as made from nothing.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn elements_are_the_list_serde_json_writes_made_or_copied() {
        let dir = tempfile::tempdir().unwrap();
        let theirs =
            |items: &[u32]| serde_json::to_vec(&items.iter().map(|i| format!("item {i}")).collect::<Vec<_>>()).unwrap();
        for n in [0u32, 1, 2, 31, 32, 33, 255, 256, 257, 3000] {
            let items: Vec<u32> = (0..n).collect();
            let (ours, table, copied) = listed(&items, Reuse::new(0, &[]));
            assert_eq!(ours, theirs(&items));
            assert_eq!((table.len(), copied), (n as usize, 0));
            for (k, &i) in items.iter().enumerate() {
                let (start, end) = table.range(k);
                assert_eq!(&ours[start as usize..end as usize], format!("\"item {i}\"").as_bytes());
            }
            let path = dir.path().join(format!("{n}.json"));
            std::fs::write(&path, &ours).unwrap();
            // One changed, one added at the front, the last two swapped.
            let mut changed = items.clone();
            if let Some(x) = changed.get_mut(n as usize / 2) {
                *x += 100_000;
            }
            changed.insert(0, 200_000);
            let len = changed.len();
            if len > 2 {
                changed.swap(len - 1, len - 2);
            }
            let (again, table, copied) = listed(&changed, from_file(&path, &table));
            assert_eq!(again, theirs(&changed), "{n} items");
            assert_eq!(table.len(), changed.len());
            assert_eq!(copied, (n as usize).saturating_sub(1), "{n} items");
            // A previous file that cannot be read as listed, cut short
            // after it was opened: its elements are made, the same bytes.
            std::fs::write(&path, &again).unwrap();
            let reuse = from_file(&path, &table);
            std::fs::write(&path, b"[]").unwrap();
            let (made, _, copied) = listed(&changed, reuse);
            assert_eq!((made.as_slice(), copied), (theirs(&changed).as_slice(), 0));
            // Shorter than its table says when it is opened, or a table
            // whose lists do not match: not copied from.
            let (made, _, copied) = listed(&changed, from_file(&path, &table));
            assert_eq!((made.as_slice(), copied), (theirs(&changed).as_slice(), 0));
            std::fs::write(&path, &again).unwrap();
            let odd = Table { digests: table.digests.clone(), places: Vec::new() };
            let (made, _, copied) = listed(&changed, from_file(&path, &odd));
            assert_eq!((made.as_slice(), copied), (theirs(&changed).as_slice(), 0));
        }
    }

    /// An element too long for the table is not listed, and is not copied
    /// with the elements around it when a list leaves it out.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn an_element_the_table_does_not_list_is_never_copied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.json");
        let (first, table, _) = listed(&[0, LONG, 2], Reuse::new(0, &[]));
        assert_eq!(table.len(), 2, "the long element is not listed");
        std::fs::write(&path, &first).unwrap();
        let (again, _, copied) = listed(&[0, 2], from_file(&path, &table));
        assert_eq!(again, br#"["item 0","item 2"]"#);
        assert_eq!(copied, 2);
    }

    /// `portfolio.json` is the bytes serde_json writes of the same
    /// document: the example site, and a generated one with hostile text.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn portfolio_json_is_what_serde_json_writes() {
        let example = tempfile::tempdir().unwrap();
        crate::theme::write_example_site(example.path());
        let generated = tempfile::tempdir().unwrap();
        crate::synth::write_site(generated.path(), 40, 3).unwrap();
        let odd = "+++\ntitle = \"Odd \\\" \\\\ \\t \\u0001 \\u001f <é> ✓\"\nstage = \"idea\"\nowner = \"A\\nB\"\n+++\nbody\n";
        std::fs::write(generated.path().join("content/pilots/odd.md"), odd).unwrap();
        for dir in [example.path(), generated.path()] {
            let opts = crate::pipeline::Options { root: dir.to_path_buf(), ..Default::default() };
            let a = crate::pipeline::analyse(&opts).unwrap();
            let order = Order::new(&a.site);
            let mut ours = Vec::new();
            json(&a.site, &a.config, &order, &Reuse::none(), &mut ours).unwrap();
            let base = a.config.base_url.trim_end_matches('/');
            let whole = Whole {
                head: json_head(&a.site, &a.config),
                pilots: a.site.pilots.iter().map(|p| json_pilot(p, base)).collect(),
                constraints: (order.places().iter()).map(|&place| json_constraint(&a.site, &a.config, place)).collect(),
            };
            let mut theirs = serde_json::to_vec(&whole).unwrap();
            theirs.push(b'\n');
            assert!(ours == theirs, "portfolio.json of {} differs from serde_json's", dir.display());
            assert!(ours.len() > 1000);
        }
        let a = crate::pipeline::analyse(&crate::pipeline::Options {
            root: generated.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        let mut ours = Vec::new();
        json(&a.site, &a.config, &Order::new(&a.site), &Reuse::none(), &mut ours).unwrap();
        assert!(String::from_utf8(ours).unwrap().contains(r#""title":"Odd \" \\ \t \u0001 \u001f <é> ✓""#));
    }

    proptest::proptest! {
        /// The eight-byte scan quotes exactly the fields that hold a comma,
        /// a quote or a line break, as the search for them did, and those
        /// that start like a formula, with a `'` in front.
        #[test]
        fn csv_fields_are_quoted_as_before(s in "[-=+@\t\r＝＋－＠]?(\\PC|[,\"\r\n=+@-])*") {
            let mut ours = String::new();
            csv_field(&mut ours, &s);
            let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
            let before = if formula {
                format!("\"'{}\"", s.replace('"', "\"\""))
            } else if s.contains([',', '"', '\r', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.clone()
            };
            proptest::prop_assert_eq!(ours, before);
        }
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        let mut s = String::new();
        csv_field(&mut s, "plain");
        s.push(',');
        csv_field(&mut s, "a, \"b\"\nc");
        assert_eq!(s, "plain,\"a, \"\"b\"\"\nc\"");
        let mut s = String::new();
        for cell in ["=1+1", "-3", "@SUM(A1)", "\tx", "+1", "a=1"] {
            csv_field(&mut s, cell);
            s.push(',');
        }
        assert_eq!(s, "\"'=1+1\",\"'-3\",\"'@SUM(A1)\",\"'\tx\",\"'+1\",a=1,");
    }
}
