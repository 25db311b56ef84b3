//! One `serve` session's builds: the last good site in memory, and what is
//! needed to rebuild only what an edit changed. An edit to pilot records
//! re-reads those files, recomputes the model, and re-renders the changed
//! records' pages and every page that gathers across pilots (indexes,
//! charts, exports); anything else re-renders everything.

use crate::diag::{render_human, summary, Style};
use crate::model::PilotCache;
use crate::output::Output;
use crate::pipeline::{self, Options};
use crate::render::{self, Reuse};
use crate::theme;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub millis: u128,
    /// Pilot pages rendered anew (the others were reused).
    pub pilot_pages: usize,
    /// The diagnostics as text when the content has errors (the last good
    /// site is kept), else `None`.
    pub errors: Option<String>,
}

pub struct Session {
    pub opts: Options,
    cache: PilotCache,
    /// The last good site, shared with the server.
    pub output: Arc<Output>,
    /// Pilot id -> hash of its record's text, for the last good site.
    pilots: BTreeMap<String, u64>,
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session { opts, cache: PilotCache::default(), output: Arc::new(Output::default()), pilots: BTreeMap::new() }
    }

    /// Rebuilds; `only_pilots` says that nothing but pilot records changed.
    pub fn rebuild(&mut self, only_pilots: bool) -> anyhow::Result<Rebuilt> {
        let start = Instant::now();
        if !only_pilots {
            self.cache = PilotCache::default();
            self.pilots.clear();
        }
        let analysis = pipeline::analyse_cached(&self.opts, &mut self.cache)?;
        if analysis.has_errors() {
            let errors: Vec<_> = analysis.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            let text = format!("{}{}", render_human(&errors, &analysis.sources, Style::Plain), summary(&errors));
            return Ok(Rebuilt { millis: start.elapsed().as_millis(), pilot_pages: 0, errors: Some(text) });
        }
        let theme = theme::load(&self.opts.root, analysis.config.theme.as_deref())?;
        let hashes: BTreeMap<String, u64> = analysis
            .site
            .pilots
            .iter()
            .map(|p| (p.id.clone(), crate::model::text_hash(&analysis.sources.get(p.loc.file).text)))
            .collect();
        let unchanged: BTreeSet<String> =
            hashes.iter().filter(|(id, h)| self.pilots.get(*id) == Some(h)).map(|(id, _)| id.clone()).collect();
        let reuse = Reuse { previous: &self.output, unchanged: &unchanged };
        let mut output = match render::render(&analysis.site, &analysis.config, &theme, Some(&reuse)) {
            Ok(o) => o,
            Err(e) => {
                let text = format!("{}: error: {}\n", e.origin, e.message);
                return Ok(Rebuilt { millis: start.elapsed().as_millis(), pilot_pages: 0, errors: Some(text) });
            }
        };
        // The search index is rebuilt when anything but pilot records
        // changed; an edit to a record keeps the previous index (search
        // results catch up at the next full rebuild).
        if only_pilots && self.output.files.keys().any(|k| k.starts_with("pagefind/")) {
            for (k, v) in self.output.files.range("pagefind/".to_string().."pagefind0".to_string()) {
                output.files.insert(k.clone(), v.clone());
            }
        } else {
            render::search::index(&analysis.site, &mut output)
                .map_err(|e| anyhow::anyhow!("cannot build the search index: {e}"))?;
        }
        let pilot_pages = hashes.len() - unchanged.len();
        self.output = Arc::new(output);
        self.pilots = hashes;
        Ok(Rebuilt { millis: start.elapsed().as_millis(), pilot_pages, errors: None })
    }
}
