//! `pilotdeck import`: a spreadsheet (CSV or a workbook) and a mapping
//! file -> pilot records, created or merged into the ones there are.
//!
//! The site's config, the mapping ([`map`]) and the sheet ([`read`]) are
//! read first; each row then becomes what it says of the fields the mapping
//! owns ([`merge::Wanted`]), with every problem a diagnostic at its row and
//! column saying what was done (row skipped, blank kept, id made). Each
//! record's new text is made next ([`merge`]), and only when no error was
//! found is anything written: every file first to a temporary name beside
//! it, then each renamed into place. A record whose text would not change
//! is not written.

pub mod map;
pub mod merge;
pub mod read;
pub mod suggest;

use crate::config::Config;
use crate::date::Date;
use crate::diag::{Diagnostic, Loc, Rule, Severity, Span};
use crate::hash::{FastMap, FastSet};
use crate::names::slug;
use crate::source::FileId;
use crate::text::{SourceFile, Sources};
use anyhow::Context;
use map::{Col, Field, Map};
use merge::Wanted;
use rayon::prelude::*;
use read::{Row, Sheet};
use std::path::{Path, PathBuf};

pub struct Options {
    /// The spreadsheet.
    pub file: PathBuf,
    pub map: PathBuf,
    /// The workbook's sheet (else the mapping's `sheet`, else the first).
    pub sheet: Option<String>,
    pub dry_run: bool,
}

/// What the import did, or would do, with one row.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Created,
    /// With the fields changed.
    Updated(Vec<String>),
    Unchanged,
    /// With the reason.
    Skipped(String),
}

#[derive(Debug)]
pub struct Entry {
    /// The row's number in the sheet (the header is row 1).
    pub row: usize,
    /// The record's path relative to the site, when the row has one.
    pub record: Option<String>,
    pub action: Action,
}

pub struct Report {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub entries: Vec<Entry>,
    /// How the sheet was read: `UTF-8 with BOM, delimiter `,``.
    pub read_as: String,
    pub blank_rows: usize,
    /// Whether the records were written (not a dry run, no errors).
    pub written: bool,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, what: fn(&Action) -> bool) -> usize {
        self.entries.iter().filter(|e| what(&e.action)).count()
    }
}

/// Imports `opts.file` into the site at `root`. `Err` for what stops the
/// run (a file that cannot be read or written); problems in the mapping or
/// the rows are the report's diagnostics.
pub fn run(root: &Path, opts: &Options) -> anyhow::Result<Report> {
    crate::pipeline::check_site(root)?;
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let config = crate::pipeline::read_config(root, &mut sources, &mut diags)?;
    let map_text = std::fs::read_to_string(&opts.map)
        .with_context(|| format!("cannot read the mapping file `{}`", opts.map.display()))?;
    let map_file = sources.add(SourceFile::new(shown(&opts.map), map_text));
    let mut map = map::parse(map_file, &sources.get(map_file).text, &config, &mut diags);
    let mut report = Report {
        sources: Sources::default(),
        diagnostics: Vec::new(),
        entries: Vec::new(),
        read_as: String::new(),
        blank_rows: 0,
        written: false,
    };
    let sheet_name = opts.sheet.clone().or_else(|| map.sheet.clone());
    let sheet = read::read(&opts.file, sheet_name.as_deref(), map.delimiter)?;
    report.read_as = sheet.read_as.clone();
    report.blank_rows = sheet.blank_rows;
    let sheet_file = sources.add(SourceFile::new(shown(&opts.file), sheet.text.clone()));
    map.resolve(map_file, &sheet.header, &shown(&opts.file), &mut diags);
    if map.column(Field::Stage).is_none() {
        diags.push(
            Diagnostic::new(Rule::BadConfig, Loc::start(map_file), "the mapping names no column for `stage`")
                .hint("add `stage = \"...\"` to `[columns]`: a record needs its stage"),
        );
    }
    if diags.iter().any(Diagnostic::is_error) {
        crate::diag::tidy(&mut diags, &sources);
        report.sources = sources;
        report.diagnostics = diags;
        return Ok(report);
    }
    let rows = Rows { sheet: &sheet, map: &map, config: &config, file: sheet_file };
    let plans = rows.plan(&mut diags);
    let existing = existing_records(root)?;
    let made: Vec<Made> = plans.into_par_iter().map(|p| make(root, &existing, &rows, p)).collect();
    let mut files = Vec::new();
    for (entry, file, diag) in made {
        report.entries.push(entry);
        files.extend(file);
        diags.extend(diag);
    }
    report.entries.sort_by_key(|e| e.row);
    crate::diag::tidy(&mut diags, &sources);
    if !opts.dry_run && !diags.iter().any(Diagnostic::is_error) {
        write_all(&files)?;
        report.written = true;
    }
    report.sources = sources;
    report.diagnostics = diags;
    Ok(report)
}

/// A path as the user gave it, for the report.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A row that will become a record, or that is skipped.
enum Plan {
    /// `index` into the sheet's rows; `row` its number.
    Record {
        index: usize,
        row: usize,
        id: String,
        stage: String,
        wanted: Wanted,
    },
    Skipped {
        row: usize,
        reason: String,
    },
}

struct Rows<'a> {
    sheet: &'a Sheet,
    map: &'a Map,
    config: &'a Config,
    file: FileId,
}

impl Rows<'_> {
    /// The cell's text, trimmed; empty when it is one of the mapping's
    /// `blank_values`.
    fn cell<'r>(&self, row: &'r Row, col: &Col) -> &'r str {
        let v = row.cell(col.index).trim();
        if self.map.blank_values.iter().any(|b| same_text(b, v)) {
            ""
        } else {
            v
        }
    }

    /// A warning at `row`'s cell in `col` (or the row, without one).
    fn warn(&self, rule: Rule, row: &Row, col: Option<&Col>, message: String, hint: String) -> Diagnostic {
        let span = col.map_or(Span::new(row.start, row.start), |c| self.sheet.cell_at(row, c.index));
        let mut d =
            Diagnostic::new(rule, Loc::at(self.file, span), format!("row {}: {message}", row.number)).hint(hint);
        d.severity = Severity::Warning;
        d
    }

    /// Each row's plan, in order; ids are given in two passes, those
    /// written in the id column first, then those made from titles, so
    /// that a made id never takes a written one.
    fn plan(&self, diags: &mut Vec<Diagnostic>) -> Vec<Plan> {
        let mut kept: Vec<(usize, &Row, String, Option<String>)> = Vec::new();
        let mut plans = Vec::new();
        for (index, row) in self.sheet.rows.iter().enumerate() {
            self.ragged(row, diags);
            match self.keep(row, diags) {
                Ok((stage, id)) => kept.push((index, row, stage, id)),
                Err(reason) => plans.push(Plan::Skipped { row: row.number, reason }),
            }
        }
        let mut taken: FastMap<String, usize> = FastMap::default();
        let mut next: FastMap<String, usize> = FastMap::default();
        let mut ids: Vec<Option<String>> = vec![None; kept.len()];
        let id_col = self.map.column(Field::Id);
        for pass in [true, false] {
            for (i, (_, row, _, written)) in kept.iter().enumerate() {
                if written.is_some() != pass {
                    continue;
                }
                let base = match written {
                    Some(w) => w.clone(),
                    None => self.made_id(row, id_col, diags),
                };
                ids[i] = Some(self.free_id(row, base, &mut taken, &mut next, diags));
            }
        }
        for ((index, row, stage, _), id) in kept.into_iter().zip(ids) {
            let wanted = self.wanted(row, &stage, diags);
            plans.push(Plan::Record { index, row: row.number, id: id.unwrap_or_default(), stage, wanted });
        }
        plans
    }

    fn ragged(&self, row: &Row, diags: &mut Vec<Diagnostic>) {
        let Some(n) = row.ragged else { return };
        let width = self.sheet.header.len();
        let (message, hint) = if n < width {
            (format!("has {n} cells, the header {width}"), "the missing cells are read as blank".to_string())
        } else {
            (
                format!("has {n} cells, the header {width}"),
                "the cells past the header's last column are left out".into(),
            )
        };
        diags.push(self.warn(Rule::Unreadable, row, None, message, hint));
    }

    /// The row's stage, and its id as written in the id column (slugged),
    /// or why it is skipped.
    fn keep(&self, row: &Row, diags: &mut Vec<Diagnostic>) -> Result<(String, Option<String>), String> {
        for s in &self.map.skip {
            let v = self.cell(row, &s.column);
            if (s.blank && v.is_empty()) || (!v.is_empty() && s.equals.iter().any(|e| same_text(e, v))) {
                let said = if v.is_empty() { "blank".to_string() } else { format!("`{v}`") };
                return Err(format!("`{}` is {said} (a skip rule)", s.column.name));
            }
        }
        let title_col = self.map.column(Field::Title);
        if title_col.is_none_or(|c| self.cell(row, c).is_empty()) {
            let name = title_col.map_or("title", |c| c.name.as_str());
            diags.push(self.warn(
                Rule::Missing,
                row,
                title_col,
                format!("`{name}` is blank: the row is skipped"),
                "a record needs a title; to skip such rows without a word, add `[[skip]]` with `blank = true`".into(),
            ));
            return Err(format!("`{name}` is blank"));
        }
        let stage_col = self.map.column(Field::Stage);
        let value = stage_col.map_or("", |c| self.cell(row, c));
        let stage = match self.map.stage(value, self.config) {
            Some(s) => s.to_string(),
            None => {
                let name = stage_col.map_or("stage", |c| c.name.as_str());
                let (message, hint) = if value.is_empty() {
                    (
                        format!("`{name}` is blank: the row is skipped"),
                        "to give such rows a stage, map the blank value in the mapping's `[stages]`: `\"\" = \"idea\"`"
                            .to_string(),
                    )
                } else {
                    (
                        format!("`{value}` in `{name}` is no stage of the site: the row is skipped"),
                        format!(
                            "say which stage it means in the mapping's `[stages]`: `\"{value}\" = \"...\"`, one of: {}",
                            self.config.stages.join(", ")
                        ),
                    )
                };
                diags.push(self.warn(Rule::UnknownName, row, stage_col, message, hint));
                return Err(if value.is_empty() {
                    format!("`{name}` is blank")
                } else {
                    format!("unknown stage `{value}`")
                });
            }
        };
        let written = self.map.column(Field::Id).map(|c| slug(self.cell(row, c))).filter(|id| !id.is_empty());
        Ok((stage, written))
    }

    /// An id made from the row's title (said, when the row has an id
    /// column whose cell is blank), else `row-N`.
    fn made_id(&self, row: &Row, id_col: Option<&Col>, diags: &mut Vec<Diagnostic>) -> String {
        let title = self.map.column(Field::Title).map_or("", |c| self.cell(row, c));
        let made = slug(title);
        let made = if made.is_empty() { format!("row-{}", row.number) } else { made };
        if let Some(c) = id_col {
            let v = self.cell(row, c);
            let what = if v.is_empty() { "blank".to_string() } else { format!("`{v}`, which has no letter or digit") };
            diags.push(
                self.warn(
                    Rule::Missing,
                    row,
                    Some(c),
                    format!("`{}` is {what}: the id `{made}` is made from the title", c.name),
                    "the record keeps this id as long as the title does; write an id in the sheet to fix it for good"
                        .into(),
                ),
            );
        }
        made
    }

    /// `base`, or `base-2`, `base-3`, ... when an earlier row took it.
    fn free_id(
        &self,
        row: &Row,
        base: String,
        taken: &mut FastMap<String, usize>,
        next: &mut FastMap<String, usize>,
        diags: &mut Vec<Diagnostic>,
    ) -> String {
        let Some(&first) = taken.get(&base) else {
            taken.insert(base.clone(), row.number);
            return base;
        };
        let n = next.entry(base.clone()).or_insert(1);
        let id = loop {
            *n += 1;
            let id = format!("{base}-{n}");
            if !taken.contains_key(&id) {
                break id;
            }
        };
        taken.insert(id.clone(), row.number);
        diags.push(self.warn(
            Rule::Duplicate,
            row,
            self.map.column(Field::Id),
            format!("the id `{base}` is row {first}'s too: this row's record is `{id}`"),
            "give each row its own id in the sheet".into(),
        ));
        id
    }

    /// What the row says of each owned field; a date no format reads is
    /// said and left blank.
    fn wanted(&self, row: &Row, stage: &str, diags: &mut Vec<Diagnostic>) -> Wanted {
        let mut w = Wanted::default();
        for (field, cols) in &self.map.columns {
            let Some(col) = cols.first() else { continue };
            let v = self.cell(row, col);
            let text = (!v.is_empty()).then(|| one_line(v));
            match field {
                Field::Id | Field::Tags => {}
                Field::Stage => w.text.push(("stage", Some(stage.to_string()))),
                Field::Started | Field::Target => w.dates.push((field.key(), self.date(row, col, diags))),
                _ => w.text.push((field.key(), text)),
            }
        }
        w.text.sort_by_key(|(k, _)| crate::import::map::FIELDS.iter().position(|(f, _)| f == k));
        // The tags, when a tag column or a `[tag_when]` column of the row
        // has text (else the record keeps its own).
        let mut tags: Vec<String> = Vec::new();
        let mut seen: FastSet<String> = FastSet::default();
        let mut said = false;
        let mut add = |t: String, tags: &mut Vec<String>| {
            if seen.insert(crate::model::tag_key(&t).into_owned()) {
                tags.push(t);
            }
        };
        for c in self.map.tag_columns() {
            let v = self.cell(row, c);
            said |= !v.is_empty();
            for t in v.split([',', ';', '\n']).map(one_line).filter(|t| !t.is_empty()) {
                add(t, &mut tags);
            }
        }
        for t in &self.map.tag_when {
            let v = self.cell(row, &t.column);
            said |= !v.is_empty();
            if !v.is_empty() && t.met.iter().any(|m| same_text(m, v)) {
                add(t.tag.clone(), &mut tags);
            }
        }
        w.tags = said.then_some(tags);
        for (s, col) in &self.map.stage_dates {
            let d = self.date(row, col, diags);
            w.stage_dates.push((s.clone(), d));
        }
        w.stage_dates.sort_by_key(|(s, _)| self.config.stage_index(s));
        for r in &self.map.readiness {
            let v = self.cell(row, &r.column);
            let met = (!v.is_empty()).then(|| r.met.iter().any(|m| same_text(m, v)));
            w.readiness.push((r.dimension.clone(), r.item.clone(), met));
        }
        for (heading, col) in &self.map.sections {
            let text = if self.cell(row, col).is_empty() { "" } else { row.cell(col.index) };
            w.sections.push((heading.clone(), text.to_string()));
        }
        w
    }

    fn date(&self, row: &Row, col: &Col, diags: &mut Vec<Diagnostic>) -> Option<Date> {
        let v = self.cell(row, col);
        if v.is_empty() {
            return None;
        }
        let d = self.map.date(v);
        if d.is_none() {
            let mut tried: Vec<String> = self.map.date_formats.iter().map(|f| format!("`{f}`")).collect();
            if !self.map.date_formats.iter().any(|f| f == "%Y-%m-%d") {
                tried.push("`%Y-%m-%d`".into());
            }
            diags.push(self.warn(
                Rule::BadDate,
                row,
                Some(col),
                format!("`{v}` in `{}` is not a date: left blank", col.name),
                format!(
                    "the formats tried are {}; add this one to the mapping's `date_formats` (dates run from {} to {})",
                    tried.join(", "),
                    Date::FIRST_YEAR,
                    Date::LAST_YEAR
                ),
            ));
        }
        d
    }
}

/// Whether `lower` (lowercased) and `text` are one text in any case.
fn same_text(lower: &str, text: &str) -> bool {
    if text.is_ascii() {
        lower.eq_ignore_ascii_case(text)
    } else {
        lower == text.to_lowercase()
    }
}

/// A cell's text on one line: runs of white space with a line break in
/// them are one space.
fn one_line(text: &str) -> String {
    let text = text.trim();
    if text.contains(['\n', '\r', '\t']) {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        text.to_string()
    }
}

/// The records the site has, by id, as the model finds them.
fn existing_records(root: &Path) -> anyhow::Result<FastMap<String, PathBuf>> {
    let dir = root.join("content/pilots");
    let mut out = FastMap::default();
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(out) };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let (parts, file) = if path.is_dir() {
            (vec!["pilots".to_string(), name, "index.md".into()], path.join("index.md"))
        } else {
            (vec!["pilots".to_string(), name], path)
        };
        if !file.is_file() {
            continue;
        }
        if let Some(id) = crate::model::record_id(&parts).filter(|id| !id.is_empty()) {
            out.entry(id).or_insert(file);
        }
    }
    Ok(out)
}

/// A row's entry, the file to write (path and text), and a warning when
/// the record there cannot be updated.
type Made = (Entry, Option<(PathBuf, String)>, Option<Diagnostic>);

/// What becomes of one row.
fn make(root: &Path, existing: &FastMap<String, PathBuf>, rows: &Rows, plan: Plan) -> Made {
    let (index, row, id, stage, wanted) = match plan {
        Plan::Skipped { row, reason } => {
            return (Entry { row, record: None, action: Action::Skipped(reason) }, None, None)
        }
        Plan::Record { index, row, id, stage, wanted } => (index, row, id, stage, wanted),
    };
    let at = rows.sheet.rows.get(index);
    let Some(path) = existing.get(&id) else {
        let path = root.join("content/pilots").join(format!("{id}.md"));
        let record = Some(crate::source::display_path(root, &path));
        let diag = at.and_then(|r| rows.no_owner(r, &stage, &wanted));
        return (
            Entry { row, record, action: Action::Created },
            Some((path.clone(), merge::new_record(&wanted))),
            diag,
        );
    };
    let record = crate::source::display_path(root, path);
    let skipped = |why: String, hint: &str| {
        let d = at.map(|r| {
            rows.warn(
                Rule::Unreadable,
                r,
                None,
                format!("the record `{record}` {why}: it is left as it is"),
                hint.into(),
            )
        });
        (Entry { row, record: Some(record.clone()), action: Action::Skipped(format!("`{record}` {why}")) }, None, d)
    };
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return skipped("is not UTF-8".into(), "save it as UTF-8, then import again"),
        Err(e) => return skipped(format!("cannot be read ({e})"), "check its permissions, then import again"),
    };
    match merge::update_record(&text, &wanted) {
        Ok(None) => (Entry { row, record: Some(record), action: Action::Unchanged }, None, None),
        Ok(Some((new, changed))) => {
            (Entry { row, record: Some(record), action: Action::Updated(changed) }, Some((path.clone(), new)), None)
        }
        Err(merge::Unmergeable::NotToml) => skipped(
            "has no TOML front matter (`+++`)".into(),
            "the import edits TOML front matter only; convert the record's front matter to TOML",
        ),
        Err(merge::Unmergeable::Unreadable(e)) => skipped(
            format!("has front matter that cannot be read ({})", e.trim()),
            "`pilotdeck check` shows where; fix it, then import again",
        ),
    }
}

impl Rows<'_> {
    /// A new record at `bridge` or later with no owner fails `check`
    /// (PD010): said at the row, which the import cannot fill in.
    fn no_owner(&self, row: &Row, stage: &str, w: &Wanted) -> Option<Diagnostic> {
        let bridge = self.config.stage_index("bridge")?;
        let later =
            self.config.stage_index(stage).is_some_and(|i| i >= bridge) && !crate::model::OFF_PATH.contains(&stage);
        let has_owner = w.text.iter().any(|(k, v)| *k == "owner" && v.is_some());
        if !later || has_owner {
            return None;
        }
        let col = self.map.column(Field::Owner);
        let said = col.map_or("the mapping names no owner column".to_string(), |c| format!("`{}` is blank", c.name));
        Some(self.warn(
            Rule::NoOwner,
            row,
            col,
            format!(
                "the pilot is at `{stage}` and {said}: the record is written without an owner, which `check` reports"
            ),
            "a pilot at bridge or later needs a production owner: fill it in the sheet or the record".into(),
        ))
    }
}

/// Writes every file or none: each to a temporary file beside it first
/// (removed again if any fails), then each renamed over its path.
fn write_all(files: &[(PathBuf, String)]) -> anyhow::Result<()> {
    if let Some((path, _)) = files.first() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        }
    }
    let temps: Vec<anyhow::Result<PathBuf>> = files.par_iter().map(|(path, text)| write_temp(path, text)).collect();
    if let Some(failed) = temps.iter().position(Result::is_err) {
        for t in temps.iter().flatten() {
            let _ = std::fs::remove_file(t);
        }
        let mut temps = temps;
        return temps.swap_remove(failed).map(|_| ());
    }
    for ((path, _), temp) in files.iter().zip(temps.into_iter().flatten()) {
        std::fs::rename(&temp, path).with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(())
}

fn write_temp(path: &Path, text: &str) -> anyhow::Result<PathBuf> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.pilotdeck-import"));
    // Left by a run that was stopped: ours by its name.
    let _ = std::fs::remove_file(&temp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .with_context(|| format!("cannot write `{}`", temp.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).with_context(|| format!("cannot write `{}`", temp.display()))?;
    Ok(temp)
}
