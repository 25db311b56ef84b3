//! One `serve` session's builds: the last good site, and what is needed to
//! rebuild only what an edit changed. An edit to the content re-reads the
//! changed files, recomputes the model, and makes the edited records'
//! pages at once; every other page is made when it is asked for (pilot
//! pages of unchanged records are kept). A change to the config, the
//! templates or the static files makes everything again.

use super::site::Served;
use crate::diag::{path_base, render_human_from, render_report, summary, Diagnostic, Style};
use crate::hash::{FastMap as HashMap, FastSet};
use crate::model::Site;
use crate::output::Content;
use crate::pipeline::{self, Options};
use crate::render::{Plan, Renderer};
use crate::source::Loaded;
use crate::theme::{self, Theme};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// What changed since the last build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Pilot records only (added, edited, removed).
    Pilots,
    /// Anything under `content/`.
    Content,
    /// The config, the templates, the static files: everything is made again.
    Everything,
}

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub millis: u128,
    /// Pilot pages made anew (the others were kept or are made on request).
    pub pilot_pages: usize,
    /// Files made during the rebuild (the rest are made when asked for).
    pub made: usize,
    /// The diagnostics as text when the content has errors (the last good
    /// site is kept), else `None`: the errors in full and the totals of
    /// errors and warnings, as `check` counts them.
    pub errors: Option<String>,
    /// What to print in the terminal, as `check` prints it: after the first
    /// build, `check`'s whole report; after the others, the errors and the
    /// warnings that are new since the build before in full, then the
    /// totals. Empty when a template or an output failed (see `errors`).
    pub report: String,
}

pub struct Session {
    pub opts: Options,
    /// The content as last read.
    loaded: Option<Loaded>,
    reuse: pipeline::Reuse,
    theme: Option<(Arc<Theme>, Arc<Renderer>)>,
    /// The last good site, shared with the server.
    pub served: Arc<Served>,
    /// The model of the last good site.
    site: Option<Arc<Site>>,
    /// The warnings of the last analysis, each by a hash of its file, rule
    /// and message (not its line, which an edit above it moves; a hash, so
    /// that tens of thousands of warnings cost no allocation a rebuild): a
    /// rebuild prints those it does not hold. `None` before the first
    /// analysis.
    warnings: Option<FastSet<u64>>,
    /// What goes before each path printed (see [`path_base`]).
    base: String,
    /// Colour in the terminal's report.
    style: Style,
}

impl Session {
    pub fn new(mut opts: Options) -> Session {
        // Watched paths come absolute and resolved; so is the root.
        let base = path_base(&opts.root);
        if let Ok(root) = std::fs::canonicalize(&opts.root) {
            opts.root = root;
        }
        Session {
            warnings: None,
            base,
            style: Style::for_terminal(std::io::IsTerminal::is_terminal(&std::io::stderr())),
            opts,
            loaded: None,
            reuse: pipeline::Reuse::default(),
            theme: None,
            served: Arc::new(Served::empty()),
            site: None,
        }
    }

    /// Rebuilds after `change` to the files at `paths` (absolute; only
    /// those are read again when the change is to the content).
    pub fn rebuild(&mut self, change: Change, paths: &[PathBuf]) -> anyhow::Result<Rebuilt> {
        let start = Instant::now();
        let failed = |errors: String| Rebuilt {
            millis: start.elapsed().as_millis(),
            pilot_pages: 0,
            made: 0,
            errors: Some(errors),
            report: String::new(),
        };
        if change == Change::Everything {
            self.reuse = pipeline::Reuse::default();
            self.theme = None;
        }
        let content = self.opts.root.join("content");
        let partial = match &self.loaded {
            Some(l) if change != Change::Everything && paths.iter().all(|p| p.starts_with(&content)) => {
                l.update(&self.opts.root, paths)
            }
            _ => None,
        };
        let loaded = match partial {
            Some(l) => l,
            // With no analysis before in memory (at start, or after the
            // config changed), the records a run before read, from the
            // record cache.
            None if self.reuse.model.is_empty() => {
                let (loaded, remembered) = pipeline::load_remembering(&self.opts, true)?;
                self.reuse = remembered;
                loaded
            }
            None => pipeline::load(&self.opts)?,
        };
        let mut timer = crate::timing::Timer::new();
        timer.lap("serve: read the changes");
        // The load is kept for the next rebuild with the files as the
        // analysis leaves them: each record's text released once it is read
        // (what the model's cache holds), not a second copy of every text.
        let files = loaded.sources.len();
        let mut kept = Loaded { sources: Default::default(), ..loaded.clone() };
        self.loaded = None;
        let (mut analysis, reuse) = pipeline::analyse_releasing(&self.opts, loaded, std::mem::take(&mut self.reuse))?;
        self.reuse = reuse;
        kept.sources = analysis.sources.clone();
        kept.sources.truncate(files);
        self.loaded = Some(kept);
        let (theme, renderer) = match &self.theme {
            Some(t) => t.clone(),
            None => {
                let theme = Arc::new(theme::load(&self.opts.root, analysis.config.theme.as_deref())?);
                match Renderer::new(&theme) {
                    Ok(r) => (theme, Arc::new(r)),
                    Err(e) => return Ok(failed(format!("{e}\n"))),
                }
            }
        };
        pipeline::check_addresses(&mut analysis, &theme, &self.opts.root);
        timer.lap("serve: check addresses");
        let report = self.report(&analysis);
        timer.lap("serve: report");
        if analysis.has_errors() {
            let errors: Vec<_> = analysis.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            let sources = self.with_texts(&analysis.sources, &errors);
            let overlay = format!(
                "{}{}",
                render_human_from(&errors, &sources, Style::Plain, &self.base),
                summary(&analysis.diagnostics)
            );
            return Ok(Rebuilt { report, ..failed(overlay) });
        }
        let plan = Plan::new(
            Arc::clone(&analysis.site),
            Arc::clone(&analysis.config),
            Arc::clone(&theme),
            Arc::clone(&renderer),
        );
        timer.lap("serve: plan");
        // Files the previous build made that are still right: the static
        // files, and (when nothing but records changed) the pages of the
        // records that did not change; a pilot page shows playbook titles
        // too.
        let mut kept: HashMap<String, Arc<Content>> = HashMap::default();
        let mut fresh_pilots = Vec::new();
        if change != Change::Everything {
            let (changed, gone) = changed_records(self.site.as_deref(), &analysis.site);
            fresh_pilots = changed.iter().map(|id| crate::urls::pilot_file(id)).collect();
            kept = self.served.take_made();
            // Nothing but a static file or an asset has a pilot page's path,
            // so a kept pilot page is still right while its record is there
            // and unchanged (an asset made over it is unchanged too), and a
            // static file while no asset is made over it: no lookup among
            // thousands of records per kept page.
            let statics = &theme.statics;
            kept.retain(|path, _| {
                if statics.contains_key(path) {
                    change == Change::Pilots || !plan.is_asset(path)
                } else {
                    change == Change::Pilots && crate::urls::pilot_of(path).is_some_and(|id| !gone.contains(id))
                }
            });
        }
        // Search results catch up with a record edit when the index is next
        // rebuilt (after any other change, or a restart).
        let index = if change == Change::Pilots { self.served.index_if_built() } else { None };
        timer.lap("serve: keep what is still right");
        let served = Served::new(plan, kept, index);
        let before = served.made_count();
        // The edited records' pages now, and after any change but to
        // records the home page and the first pilot's, so that a template
        // error shows at once.
        let mut now = fresh_pilots.clone();
        if change == Change::Everything {
            now.push(crate::urls::HOME_FILE.to_string());
            now.extend(analysis.site.pilots.first().map(|p| crate::urls::pilot_file(&p.id)));
        }
        if let Err(e) = served.make(&now) {
            return Ok(failed(format!("{e}\n")));
        }
        let made = served.made_count() - before;
        timer.lap("serve: make the edited pages");
        let pilot_pages =
            fresh_pilots.len() + usize::from(change == Change::Everything && !analysis.site.pilots.is_empty());
        // The previous site is freed on another thread: at thousands of pages
        // that takes longer than the rest of a one-record rebuild.
        let previous = std::mem::replace(&mut self.served, Arc::new(served));
        // When no thread can be started, it is freed here.
        let _ = std::thread::Builder::new().spawn(move || drop(previous));
        self.site = Some(Arc::clone(&analysis.site));
        self.theme = Some((theme, renderer));
        Ok(Rebuilt { millis: start.elapsed().as_millis(), pilot_pages, made, errors: None, report })
    }

    /// The terminal's report of an analysis (see [`Rebuilt::report`]), and
    /// its warnings remembered for the next.
    fn report(&mut self, analysis: &pipeline::Analysis) -> String {
        let sources = &analysis.sources;
        let key = |d: &Diagnostic| {
            use std::hash::{Hash, Hasher};
            let mut h = crate::hash::Fx::default();
            (&sources.get(d.loc.file).path, d.rule, &d.message).hash(&mut h);
            h.finish()
        };
        let now: FastSet<u64> = analysis.diagnostics.iter().filter(|d| !d.is_error()).map(key).collect();
        let report = match &self.warnings {
            None => {
                let sources = self.with_texts(sources, &analysis.diagnostics);
                render_report(&analysis.diagnostics, &sources, self.style, &self.base, None)
            }
            Some(before) => {
                let shown: Vec<Diagnostic> = analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() || !before.contains(&key(d)))
                    .cloned()
                    .collect();
                let sources = self.with_texts(sources, &shown);
                let mut out = render_human_from(&shown, &sources, self.style, &self.base);
                out.push_str(&summary(&analysis.diagnostics));
                out.push('\n');
                out
            }
        };
        self.warnings = Some(now);
        report
    }

    /// `sources` with the texts of the files `shown` points into read
    /// again, for the moment they are printed: an analysis releases the
    /// text of each record it read without an error.
    fn with_texts(&self, sources: &crate::text::Sources, shown: &[Diagnostic]) -> crate::text::Sources {
        let mut sources = sources.clone();
        pipeline::restore_texts(&mut sources, &self.opts.root, shown);
        sources
    }
}

/// The ids of the records of `now` that are new or not the records of
/// `before` (the model shares a record between analyses when its file did
/// not change), in id order, and those ids with the ids of the records of
/// `before` no longer there: both lists are sorted by id.
fn changed_records<'a>(before: Option<&'a Site>, now: &'a Site) -> (Vec<&'a str>, FastSet<&'a str>) {
    let old = before.map_or(&[][..], |s| &s.pilots[..]);
    let mut changed = Vec::new();
    let mut gone = FastSet::default();
    let mut i = 0;
    for p in &now.pilots {
        while i < old.len() && old[i].id < p.id {
            gone.insert(old[i].id.as_str());
            i += 1;
        }
        let same = old.get(i).filter(|o| o.id == p.id);
        if !same.is_some_and(|o| Arc::ptr_eq(o, p)) {
            changed.push(p.id.as_str());
            gone.insert(p.id.as_str());
        }
        if same.is_some() {
            i += 1;
        }
    }
    gone.extend(old[i..].iter().map(|o| o.id.as_str()));
    (changed, gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rebuild keeps no record's text (the model has what it needs of
    /// it), and an edit still reads that one record again.
    #[test]
    fn records_are_kept_without_their_texts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("site");
        crate::synth::write_site(&root, 30, 7).unwrap();
        let as_of = crate::date::Date::parse("2026-11-20").map(crate::config::AsOf::Date);
        let mut s = Session::new(Options { root: root.clone(), as_of, ..Options::default() });
        let texts = |s: &Session| {
            let loaded = s.loaded.as_ref().unwrap();
            let records: Vec<&crate::text::SourceFile> = (loaded.docs.iter())
                .filter(|d| d.parts.first().is_some_and(|p| p == "pilots"))
                .map(|d| loaded.sources.get(d.file))
                .collect();
            assert_eq!(records.len(), 30);
            records.iter().filter(|f| !f.text.is_empty()).count()
        };
        s.rebuild(Change::Everything, &[]).unwrap();
        assert_eq!(texts(&s), 0);
        let file = root.join("content/pilots/pilot-00003.md");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{text}\nEdited.\n")).unwrap();
        let rebuilt = s.rebuild(Change::Pilots, std::slice::from_ref(&file)).unwrap();
        assert_eq!((rebuilt.pilot_pages, rebuilt.errors), (1, None));
        assert_eq!(texts(&s), 0);
        assert!(s.site.as_ref().unwrap().pilots.iter().any(|p| p.body.html.text().contains("Edited.")));
    }
}
