//! The one orchestrator: load -> model -> check -> render -> output.
//! Each stage is a plain function of the previous stage's value; this file
//! only sequences them and decides when to stop.

use crate::config::{self, AsOf, Config};
use crate::date::Date;
use crate::diag::{tidy, Diagnostic, Loc, Rule};
use crate::model::{self, BuildOptions, Site};
use crate::source::{self, SourceFile, Sources};
use crate::timing::Timer;
use crate::{check, output, render, search, theme};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Output folder; `public/` below the root when not given.
    pub output: Option<PathBuf>,
    /// `--as-of`: a date, `today` or `commit`, instead of the config's.
    pub as_of: Option<AsOf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Replace an output folder that pilotdeck did not write (never one of
    /// the folders [`output::check_output_dir`] always refuses).
    pub force: bool,
}

/// The site read and checked, before anything is rendered.
pub struct Analysis {
    pub sources: Sources,
    pub config: Arc<Config>,
    pub site: Arc<Site>,
    /// Sorted, every problem in every file.
    pub diagnostics: Vec<Diagnostic>,
    /// Remarks about the run itself (such as an as-of date fallback).
    pub notes: Vec<String>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Result of a build that ran to the end or stopped at content errors.
/// When the site was written, the texts of the sources are forgotten
/// (warnings can be counted, not shown with their lines).
pub struct Report {
    pub analysis: Analysis,
    /// Set when the site was written.
    pub written: Option<Written>,
    /// What the build made on the way and no longer needs.
    pub spent: Spent,
}

/// What a build made on the way and no longer needs: what an analysis
/// leaves for the next (the versions the history cache holds among it).
/// Handed to the caller rather than dropped, so that a command that ends
/// after the build can leave it to the system: freeing it one allocation
/// at a time made the build after one commit of a 1,000-pilot repository
/// wait about 3 ms (callgrind: 14 M instructions, 3% of the build). The
/// plan of the pages is dropped before the search index is made, which
/// uses the memory it held.
#[derive(Default)]
pub struct Spent {
    _reuse: Reuse,
}

/// Where a site was written and how much of it.
pub struct Written {
    pub dir: PathBuf,
    /// HTML pages.
    pub pages: usize,
    /// Files in the output, and how many of them were written (the others
    /// were unchanged).
    pub files: output::Written,
}

/// Load, model and check: everything but rendering.
pub fn analyse(opts: &Options) -> Result<Analysis> {
    Ok(analyse_loaded(opts, load(opts)?, Reuse::default())?.0)
}

/// [`analyse`] with the record cache (see [`load_remembering`]), which it
/// leaves up to date, as `pilotdeck check` runs it: every file a problem
/// is in has its text, to show the problem's lines.
pub fn analyse_remembering(opts: &Options) -> Result<Analysis> {
    let (loaded, remembered) = load_remembering(opts, false)?;
    let mut analysis = analyse_with(opts, loaded, remembered, false)?.0;
    restore_texts(&mut analysis.sources, &opts.root, &analysis.diagnostics);
    Ok(analysis)
}

/// Reads the site's `content/` folder (the load stage).
pub fn load(opts: &Options) -> Result<source::Loaded> {
    check_site(&opts.root)?;
    let mut timer = Timer::new();
    let loaded = source::load_content(&opts.root);
    timer.lap("load");
    Ok(loaded)
}

/// Refuses a folder that is not a site: one with neither `pilotdeck.toml`
/// nor `content/` (so that a build run in the wrong folder writes nothing).
pub fn check_site(root: &Path) -> Result<()> {
    if !root.is_dir() {
        bail!(
            "the site folder `{}` does not exist\n  = help: pass the site's folder with `--root DIR`",
            root.display()
        );
    }
    if !root.join("pilotdeck.toml").is_file() && !root.join("content").is_dir() {
        let shown =
            if root == Path::new(".") { "the current folder".to_string() } else { format!("`{}`", root.display()) };
        bail!(
            "{shown} is not a pilotdeck site: it has neither `pilotdeck.toml` nor `content/`\n  \
             = help: run it in the site's folder or pass `--root DIR`; `pilotdeck init` starts a new site"
        );
    }
    Ok(())
}

/// What one analysis leaves for the next (of the same config and as-of
/// date): `serve` keeps it, so that an edit to one record reads, models
/// and checks that record only.
#[derive(Default)]
pub struct Reuse {
    pub model: model::ModelCache,
    pub checks: check::Findings,
    /// The history read last, with the HEAD it was read at, and what its
    /// versions read as.
    pub history: Option<(Arc<crate::history::History>, Arc<model::history::Known>)>,
    /// What the model made of that history, for the as-of date: made
    /// again only when the history or the date moves (the config is the
    /// same while a `Reuse` is kept).
    pub site_history: Option<(Date, Arc<model::history::SiteHistory>)>,
    /// The history cache being written, on a thread of its own (waited
    /// for when this is dropped).
    cache_written: Joined,
    /// The record cache being written, likewise.
    records_written: Joined,
    /// The record cache `model` was loaded from (see [`load_remembering`]).
    remembered: Option<Remembered>,
}

/// The record cache a load consulted: the key it was looked for by (none:
/// no cache was looked for, but one is to be written), and how many
/// records it held.
struct Remembered {
    key: Option<crate::record_cache::Key>,
    found: usize,
    /// How many of its files have a stamp it does not keep yet.
    restamped: usize,
    /// The cache opened, for its writer (which writes only what changed).
    opened: Option<crate::record_cache::Opened>,
}

/// The config as a run uses it, and the dates it reads the records for.
struct Settings {
    config: Config,
    /// `history_cache::fingerprint` of the config as written.
    fingerprint: u64,
    as_of: Date,
    looking_back: bool,
}

/// Reads the config into `sources` (its problems into `diags`) and
/// applies the command line to it.
fn settings(
    opts: &Options,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    notes: &mut Vec<String>,
) -> Result<Settings> {
    let mut config = read_config(&opts.root, sources, diags)?;
    let fingerprint = crate::history_cache::fingerprint(&config);
    if let Some(url) = &opts.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let given = opts.as_of.as_ref().unwrap_or(&config.as_of);
    let as_of = resolve_as_of(given, &opts.root, &config.timezone, notes);
    let looking_back = matches!(given, AsOf::Date(_));
    Ok(Settings { config, fingerprint, as_of, looking_back })
}

/// [`load`], with the records a run before read with the same settings
/// (the record cache below the site, see [`crate::record_cache`]), for
/// [`analyse_with`]: the text of a record file it knows is let go as soon
/// as it is read and known (with `release_texts`, unless reading it found
/// errors; else unless reading it found anything, whose lines are shown).
pub fn load_remembering(opts: &Options, release_texts: bool) -> Result<(source::Loaded, Reuse)> {
    check_site(&opts.root)?;
    let mut timer = Timer::new();
    let Settings { config, fingerprint, as_of, looking_back } =
        settings(opts, &mut Sources::default(), &mut Vec::new(), &mut Vec::new())?;
    let options = BuildOptions { as_of, looking_back, drafts: opts.drafts, release_texts };
    let key = crate::record_cache::key(fingerprint, &options);
    let opened = crate::record_cache::open(&opts.root, &key);
    let known: crate::hash::FastMap<&str, source::KnownFile> =
        opened.iter().flat_map(|o| o.known(release_texts)).collect();
    // The records decoded beside the content read: each waits on memory
    // and the disk in turns, and neither needs the other.
    let (model, loaded) = rayon::join(
        || opened.as_ref().and_then(|o| o.decode(&config)),
        || source::load_content_knowing(&opts.root, &|path| known.get(path).copied()),
    );
    let knew = !known.is_empty();
    drop(known);
    let (model, loaded, opened) = match model {
        Some(model) => (model, loaded, opened),
        // The texts the index knew were let go, and the records are not
        // there: read everything (and write the cache whole).
        None if knew => (model::ModelCache::default(), load(opts)?, None),
        None => (model::ModelCache::default(), loaded, None),
    };
    timer.lap("record cache and content loaded");
    let unread = format!("of which record files known by their stamps, not read ({})", loaded.unread);
    timer.note(&unread, std::time::Instant::now());
    let found = model.records().len();
    let remembered = Remembered { key: Some(key), found, restamped: loaded.restamped, opened };
    Ok((loaded, Reuse { model, remembered: Some(remembered), ..Reuse::default() }))
}

/// A thread waited for when this is dropped: one that writes a file, so
/// that the file is whole when the function that started it returns.
#[derive(Default)]
struct Joined(Option<std::thread::JoinHandle<()>>);

impl Drop for Joined {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// Model and check content already loaded, reusing the pilot records of
/// `previous` whose files did not change since the analysis that made it,
/// and what the rules found in them; returns what the next may reuse.
pub fn analyse_loaded(opts: &Options, loaded: source::Loaded, previous: Reuse) -> Result<(Analysis, Reuse)> {
    analyse_with(opts, loaded, previous, false)
}

/// [`analyse_loaded`], releasing the text of each record read without an
/// error (`serve`: its texts were most of what it held; a problem's lines
/// are read again from disk when it is shown, see
/// [`crate::text::Sources::restore`]).
pub fn analyse_releasing(opts: &Options, loaded: source::Loaded, previous: Reuse) -> Result<(Analysis, Reuse)> {
    analyse_with(opts, loaded, previous, true)
}

/// Model and check; with `release_texts`, the text of each record read
/// without an error is released as it is read (for a build, which shows
/// errors only; [`build`] reads the files with errors again to show them).
fn analyse_with(
    opts: &Options,
    mut loaded: source::Loaded,
    mut previous: Reuse,
    release_texts: bool,
) -> Result<(Analysis, Reuse)> {
    // One writer of each cache at a time.
    drop(std::mem::take(&mut previous.cache_written));
    drop(std::mem::take(&mut previous.records_written));
    let root = &opts.root;
    let mut timer = Timer::new();
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let mut notes = Vec::new();
    let Settings { config, fingerprint, as_of, looking_back } =
        settings(opts, &mut loaded.sources, &mut diagnostics, &mut notes)?;
    let options = BuildOptions { as_of, looking_back, drafts: opts.drafts, release_texts };
    let key = crate::record_cache::key(fingerprint, &options);
    // The records a run before read, as `load_remembering` found them:
    // when they were read with other settings than these (the config
    // changed since), the texts they know were let go, so all is read
    // again, without them.
    let remembered = match previous.remembered.take() {
        Some(Remembered { key: Some(found), .. }) if found != key => {
            let nothing = Remembered { key: None, found: 0, restamped: 0, opened: None };
            let again = Reuse { remembered: Some(nothing), ..Reuse::default() };
            return analyse_with(opts, load(opts)?, again, release_texts);
        }
        remembered => remembered,
    };
    // The records as they are and as they were: independent of each
    // other, so made side by side.
    let past = PastInput {
        root,
        config: &config,
        fingerprint,
        options: BuildOptions { as_of, looking_back, drafts: opts.drafts, release_texts: false },
        history: previous.history,
        site_history: previous.site_history,
    };
    let (built, (history, known, made, cache_written)) =
        rayon::join(|| model::build_reusing(loaded, &config, &options, previous.model), || past_of(past));
    let (mut site, sources, model) = (built.site, built.sources, built.reuse);
    // The record cache is written again when a record was read or one is
    // gone, or a file has a stamp it does not keep yet, on a thread of its
    // own beside the rest of the run.
    let records_written = match remembered {
        Some(r) if model.read() > 0 || r.found != model.records().len() || r.restamped > 0 => {
            let records = model.records_only();
            let root = root.to_path_buf();
            let write = move || crate::record_cache::write(&root, &key, &records, r.opened.as_ref());
            Joined(std::thread::Builder::new().name("record cache".into()).spawn(write).ok())
        }
        _ => Joined(None),
    };
    site.history = made;
    timer.lap("model");
    match &history.status {
        crate::history::Status::Shallow => notes.push(format!(
            "warning: this is a shallow clone: the history shows only its {} commits that changed a record; \
             clone the whole history (`fetch-depth: 0` in GitHub Actions, `GIT_DEPTH: \"0\"` in GitLab CI)",
            history.commits.len()
        )),
        crate::history::Status::Unreadable(why) => {
            notes.push(format!("warning: the git history could not be read ({why}); the pages say so"))
        }
        _ => {}
    }
    diagnostics.extend(built.diagnostics);
    let (found, checks) = check::check_reusing(&site, &config, previous.checks);
    diagnostics.extend(found);
    timer.lap("check");
    check::apply_config(&mut diagnostics, &config);
    tidy(&mut diagnostics, &sources);
    timer.lap("sort diagnostics");
    let analysis = Analysis { sources, config: Arc::new(config), site: Arc::new(site), diagnostics, notes };
    let site_history = Some((as_of, Arc::clone(&analysis.site.history)));
    let history = Some((history, known));
    Ok((analysis, Reuse { model, checks, history, site_history, cache_written, records_written, remembered: None }))
}

/// What [`past_of`] works from.
struct PastInput<'a> {
    root: &'a Path,
    config: &'a Config,
    /// `history_cache::fingerprint` of the config as written.
    fingerprint: u64,
    options: BuildOptions,
    /// What an analysis before left (`Reuse`).
    history: Option<(Arc<crate::history::History>, Arc<model::history::Known>)>,
    site_history: Option<(Date, Arc<model::history::SiteHistory>)>,
}

/// The records' history and what the model makes of it: read again only
/// when HEAD moved (`serve`), and then only the commits since the cache's
/// HEAD; modelled again only when the history or the date moved. Keeps
/// what it read for the next build in the cache, when it holds anything
/// new: written on a thread of its own, beside the rest of the build
/// (the handle given back), since nothing of this build waits for it.
#[allow(clippy::type_complexity)]
fn past_of(
    input: PastInput<'_>,
) -> (Arc<crate::history::History>, Arc<model::history::Known>, Arc<model::history::SiteHistory>, Joined) {
    let PastInput { root, config, fingerprint, options, history: previous, site_history } = input;
    let mut timer = Timer::new();
    let mut walked = None;
    let (history, known) = if !config.history {
        let off = crate::history::History { status: crate::history::Status::Off, ..Default::default() };
        (Arc::new(off), Arc::default())
    } else {
        match previous.clone() {
            Some((h, known)) if crate::history::head(root).is_some_and(|head| head == h.head) => (h, known),
            _ => {
                let cache = crate::history_cache::load(root, fingerprint);
                timer.lap("history: cache loaded");
                let cached_head = cache.as_ref().map(|c| c.history.head.clone());
                let (earlier, known) = match cache {
                    Some(c) => (Some((c.history, c.walk)), c.known),
                    None => (None, Default::default()),
                };
                let (history, walk) = crate::history::read(root, earlier);
                let changed = cached_head.as_deref() != Some(history.head.as_str());
                walked = walk.map(|w| (w, changed));
                (Arc::new(history), Arc::new(known))
            }
        }
    };
    timer.lap("history read");
    let same_history = previous.as_ref().is_some_and(|(h, _)| Arc::ptr_eq(h, &history));
    let made = match site_history {
        Some((date, made)) if same_history && date == options.as_of => (history, known, made, Joined(None)),
        _ => {
            // The cache's versions are added to in place: its own when no
            // one else holds them (a build), else a copy (`serve` keeps them).
            let known = Arc::try_unwrap(known).unwrap_or_else(|shared| (*shared).clone());
            let (made, after, moved) = model::history::derive(&history, config, &options, known);
            let after = Arc::new(after);
            let writing = match walked {
                Some((walk, changed)) if changed || moved => {
                    let (root, history, after) = (root.to_path_buf(), Arc::clone(&history), Arc::clone(&after));
                    let write = move || crate::history_cache::write(&root, fingerprint, &history, &walk, &after);
                    // Not written when no thread can be made (as when the
                    // folder cannot be written to): read whole next time.
                    std::thread::Builder::new().name("history cache".into()).spawn(write).ok()
                }
                _ => None,
            };
            (history, after, Arc::new(made), Joined(writing))
        }
    };
    timer.lap("history modelled");
    made
}

pub(crate) fn read_config(root: &Path, sources: &mut Sources, diags: &mut Vec<Diagnostic>) -> Result<Config> {
    let path = root.join("pilotdeck.toml");
    if !path.exists() {
        return Ok(Config::default());
    }
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
    match source::decode(bytes) {
        Ok(text) => {
            let id = sources.add(SourceFile::new("pilotdeck.toml".into(), text));
            let (config, problems) = config::parse(id, sources.get(id));
            diags.extend(problems);
            Ok(config)
        }
        Err((prefix, bad)) => {
            let id = sources.add(SourceFile::new("pilotdeck.toml".into(), prefix));
            let end = sources.get(id).text.len() as u32;
            diags.push(
                Diagnostic::new(
                    Rule::Unreadable,
                    Loc::at(id, crate::diag::Span::new(end, end)),
                    format!("this file is not valid UTF-8 (byte 0x{bad:02x})"),
                )
                .hint("save the file as UTF-8 in your editor"),
            );
            Ok(Config::default())
        }
    }
}

/// The as-of date of the command line or the config: today in the site's
/// time zone, the HEAD commit's date, or a date.
pub fn resolve_as_of(as_of: &AsOf, root: &Path, zone: &jiff::tz::TimeZone, notes: &mut Vec<String>) -> Date {
    match as_of {
        AsOf::Date(d) => *d,
        AsOf::Today => Date::today_in(zone),
        AsOf::Commit => match commit_date(root) {
            Some(d) => d,
            None => {
                let today = Date::today_in(zone);
                notes.push(format!("warning: cannot read the HEAD commit's date; figures are as of today, {today}"));
                today
            }
        },
    }
}

fn commit_date(root: &Path) -> Option<Date> {
    crate::history::head_date(root)
}

/// The whole build. Content errors stop it before anything is written, and
/// the previous output stays as it was. Pages are made in parallel and each
/// is written as soon as it is made (the whole site is never in memory),
/// then the search index is built.
pub fn build(opts: &Options) -> Result<Report> {
    check_site(&opts.root)?;
    // Refused before any work; checked again when the site is swapped in.
    let out_dir = output::check_output_dir(
        &opts.root,
        &opts.output.clone().unwrap_or_else(|| opts.root.join("public")),
        opts.force,
    )?;
    let (loaded, remembered) = load_remembering(opts, true)?;
    let (mut analysis, mut reuse) = analyse_with(opts, loaded, remembered, true)?;
    // The history cache is written beside the rendering, and is whole
    // when the build returns (the reuse may be left undropped).
    let _cache_written = std::mem::take(&mut reuse.cache_written);
    let _records_written = std::mem::take(&mut reuse.records_written);
    let spent = Spent { _reuse: reuse };
    let mut timer = Timer::new();
    let theme = Arc::new(theme::load(&opts.root, analysis.config.theme.as_deref())?);
    check_addresses(&mut analysis, &theme, &opts.root);

    if analysis.has_errors() {
        let errors = analysis.diagnostics.iter().filter(|d| d.is_error());
        restore_texts(&mut analysis.sources, &opts.root, errors);
        return Ok(Report { analysis, written: None, spent });
    }
    // Only errors are shown with their lines, and there are none.
    analysis.sources.forget_texts();
    let renderer = match render::Renderer::new(&theme) {
        Ok(r) => Arc::new(r),
        Err(e) => {
            template_error(&mut analysis, &theme, e);
            return Ok(Report { analysis, written: None, spent });
        }
    };
    let plan =
        render::Plan::new(Arc::clone(&analysis.site), Arc::clone(&analysis.config), Arc::clone(&theme), renderer);
    let jobs = plan.jobs();
    let memo_key = crate::page_memo::key(&out_dir, &theme);
    let memo = crate::page_memo::take(&opts.root, &memo_key).unwrap_or_default();
    timer.lap("plan");
    let target =
        output::Target { dir: out_dir.clone(), marker: output::marker_text(&analysis.config.title), force: opts.force };
    // Each page's inputs and its file's stamp, for the next build.
    let mut memo_pages: Vec<(&str, u128, output::Stamp)> = Vec::new();
    // The search index's parts, when they differ from the memo's, and
    // the memo the index read (its runs taken are copied from it).
    let mut search_parts: Vec<search::Part> = Vec::new();
    let mut search_previous = None;
    let written = output::replace_dir(&target, |stage| {
        // Moved in, to be dropped once the pages are made.
        let memo = memo;
        let start = std::time::Instant::now();
        plan.prepare();
        timer.note("shared views", start);
        let start = std::time::Instant::now();
        // Pages kept unmade: pilot pages, the library's and people's, the
        // decisions and tag pages, the pilot index's.
        let unmade: [std::sync::atomic::AtomicUsize; 4] = Default::default();
        // How many elements of the large files were copied.
        let copied = std::sync::atomic::AtomicUsize::new(0);
        let pages: Result<Vec<Option<(u128, output::Stamp)>>> = {
            use rayon::prelude::*;
            jobs.par_iter()
                .map(|(path, job)| {
                    if render::Plan::streams(job) {
                        // The previous file, if it is the one the memo lists.
                        let memo = crate::page_memo::take_stream(&opts.root, &memo_key, path);
                        let previous =
                            memo.as_ref().and_then(|(stamp, table)| Some((stage.previous_file(path, stamp)?, table)));
                        let reuse = match previous {
                            Some((file, table)) => plan.reuse().from(file, table),
                            None => plan.reuse(),
                        };
                        let mut table = crate::exports::Table::default();
                        let stamp = stage.put_with(path, |out| {
                            table = plan.write_streamed(job, &reuse, out).map_err(|e| match e {
                                render::Streamed::Template(e) => anyhow::Error::new(e),
                                render::Streamed::Io(e) => {
                                    anyhow::Error::new(e).context(format!("cannot write `{path}`"))
                                }
                            })?;
                            Ok(())
                        })?;
                        copied.fetch_add(reuse.copied.into_inner(), std::sync::atomic::Ordering::Relaxed);
                        crate::page_memo::write_stream(&opts.root, &memo_key, path, &stamp, &table);
                        return Ok(None);
                    }
                    // A page with no digest to compare (a first build): made
                    // once with its inputs, where it can be.
                    if !memo.contains_key(path.as_str()) {
                        if let Some(made) = plan.made_with_inputs(job) {
                            let (inputs, page) = made?;
                            return Ok(Some((inputs, stage.put(path, &page)?)));
                        }
                    }
                    let Some(inputs) = plan.inputs(job) else {
                        stage.put(path, &plan.make(job)?)?;
                        return Ok(None);
                    };
                    // A page the previous build made from the same inputs,
                    // still in its file, is kept unmade.
                    if let Some((known, stamp)) = memo.get(path.as_str()) {
                        if *known == inputs && stage.keep_stamped(path, stamp) {
                            let kind = match job {
                                render::Job::Pilot(_) => 0,
                                render::Job::Library(_) | render::Job::Owner(..) => 1,
                                render::Job::Pilots(_) => 3,
                                _ => 2,
                            };
                            unmade[kind].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            return Ok(Some((inputs, *stamp)));
                        }
                    }
                    let stamp = stage.put(path, &plan.make(job)?)?;
                    Ok(Some((inputs, stamp)))
                })
                .collect()
        };
        drop(memo);
        timer.note("pages made and written", start);
        let [pilots, others, lists, index] = unmade.map(std::sync::atomic::AtomicUsize::into_inner);
        timer.note(&format!("of which pilot pages kept unmade ({pilots})"), start);
        timer.note(&format!("of which library and people's pages kept unmade ({others})"), start);
        timer.note(&format!("of which decisions and tag pages kept unmade ({lists})"), start);
        timer.note(&format!("of which pilot index pages kept unmade ({index})"), start);
        let copied = copied.into_inner();
        timer.note(
            &format!("of which elements of portfolio.json, constraints.csv and pilots.csv copied ({copied})"),
            start,
        );
        memo_pages =
            jobs.iter().zip(pages?).filter_map(|((path, _), made)| Some((path.as_str(), made?.0, made?.1))).collect();
        // The search index after the pages, in the memory they freed: the
        // plan (its shared views) is dropped first. On a thread of its own
        // beside the pages its parallel parts queued behind every page and
        // it finished last; in the same pool beside them the two peaks of
        // memory met.
        let site = Arc::clone(&plan.site);
        let records = plan.records().to_vec();
        drop(plan);
        let start = std::time::Instant::now();
        let put = |path: String, bytes: Vec<u8>| {
            stage.put(&path, &output::Content::Bytes(bytes)).map(|_| ()).map_err(|e| format!("{e:#}"))
        };
        let previous = crate::search_memo::open(&opts.root);
        let taken = |n, inputs| previous.as_ref().and_then(|p| p.get(n, inputs));
        let (_, parts) = search::index_remembering(&site, &records, &taken, &put)
            .map_err(|e| anyhow::anyhow!("cannot build the search index: {e}"))?;
        let taken = previous.as_ref().map_or(0, crate::search_memo::Previous::taken);
        timer.note(&format!("search index, of which runs of records taken as they were ({taken})"), start);
        if !previous.as_ref().is_some_and(|p| p.is_all_of(&parts)) {
            search_parts = parts;
            search_previous = previous;
        }
        Ok(())
    });
    if written.is_ok() {
        let start = std::time::Instant::now();
        crate::page_memo::write(&opts.root, &memo_key, &memo_pages);
        if !search_parts.is_empty() {
            let docs = |n: usize| std::fs::read(out_dir.join(format!("{}d/{n}.{}", search::DATA, search::PACKED))).ok();
            crate::search_memo::write(&opts.root, &search_parts, docs, search_previous.as_ref());
        }
        timer.note("memos written", start);
    }
    let written = match written {
        Ok(w) => w,
        Err(e) => match e.downcast::<render::TemplateError>() {
            Ok(e) => {
                template_error(&mut analysis, &theme, e);
                return Ok(Report { analysis, written: None, spent });
            }
            Err(e) => return Err(e),
        },
    };
    timer.lap("render and write");
    let pages = jobs.iter().filter(|(p, _)| p.ends_with(".html")).count();
    Ok(Report { analysis, written: Some(Written { dir: out_dir, pages, files: written }), spent })
}

/// Puts back the texts of the files `shown` points into (where it is and
/// what it relates), read again below `root`: an analysis that released
/// texts shows the problems it prints with their lines.
pub(crate) fn restore_texts<'d>(sources: &mut Sources, root: &Path, shown: impl IntoIterator<Item = &'d Diagnostic>) {
    let files: Vec<_> = shown
        .into_iter()
        .flat_map(|d| std::iter::once(d.loc.file).chain(d.related.iter().map(|(loc, _)| loc.file)))
        .collect();
    sources.restore(files, |path| source::read(&root.join(path)).ok()?.ok());
}

/// A file of the site's at an address where pilotdeck makes a page (see
/// [`render::collisions`]) is an error (PD008) naming both: left alone, it
/// would replace the generated page without a word.
pub fn check_addresses(analysis: &mut Analysis, theme: &theme::Theme, root: &Path) {
    let found = render::collisions(&analysis.site, theme);
    if found.is_empty() {
        return;
    }
    for c in found {
        let url = crate::urls::address_of_file(&c.path);
        let (loc, what) = match c.by {
            render::Collider::Page(loc) => (loc, analysis.sources.get(loc.file).path.clone()),
            render::Collider::File(path) => {
                let shown = Path::new(&path).strip_prefix(root).map_or(path.clone(), |p| p.display().to_string());
                let id = analysis.sources.add(SourceFile::new(shown.clone(), String::new()));
                (Loc::start(id), shown)
            }
        };
        let d = Diagnostic::new(
            Rule::Duplicate,
            loc,
            format!("`{what}` would be published at `/{url}`, where pilotdeck makes {}", c.generated),
        );
        analysis.diagnostics.push(match c.page {
            Some(page) => d
                .hint("rename or remove one of them (an HTML template of another tool is not used)")
                .related(page, "the page is made from this file"),
            None => d.hint(
                "that address belongs to the generated page: move or rename the file (for example into `content/playbook/`)",
            ),
        });
    }
    tidy(&mut analysis.diagnostics, &analysis.sources);
}

/// A template that failed to compile or render becomes a diagnostic.
fn template_error(analysis: &mut Analysis, theme: &theme::Theme, e: render::TemplateError) {
    let text = theme.templates.iter().find(|t| t.origin == e.origin || t.name == e.origin).map(|t| t.text.clone());
    let origin = theme.templates.iter().find(|t| t.name == e.origin).map_or(e.origin.clone(), |t| t.origin.clone());
    let text = text.unwrap_or_default();
    // Tera's message is its own report: `error: what`, ` --> name:line:col`
    // and the line. Its first line is the message; its place, the place.
    let what = e.message.lines().next().unwrap_or_default().trim_start_matches("error: ").trim();
    let span = (e.message.lines()).find_map(|l| l.trim_start().strip_prefix("--> ")).and_then(|at| {
        let mut it = at.rsplitn(3, ':');
        let col: usize = it.next()?.trim().parse().ok()?;
        let line: usize = it.next()?.trim().parse().ok()?;
        let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
        let in_line = text[start..].lines().next().unwrap_or_default();
        let at = start + in_line.char_indices().nth(col.saturating_sub(1)).map_or(in_line.len(), |(i, _)| i);
        let end = at + in_line[at - start..].chars().next().map_or(0, char::len_utf8);
        Some(crate::diag::Span::new(at as u32, end as u32))
    });
    let id = analysis.sources.add(SourceFile::new(origin, text));
    let loc = span.map_or(Loc::start(id), |span| Loc { file: id, span });
    analysis.diagnostics.push(
        Diagnostic::new(Rule::Template, loc, format!("template error: {what}"))
            .hint("fix the template, or remove it to use the built-in one"),
    );
}
