//! The site as `serve` holds it: the plan to make any file the moment it
//! is asked for, and the files made lately. No page is made before it is
//! asked for but the home page and the edited records' pages (so that a
//! template error shows at once), so a rebuild costs what the edit needs
//! and a page nobody opens is never made. The files made are kept up to
//! [`KEEP`] bytes, the oldest dropped first (made again when asked for):
//! at 10,000 pilots the whole site is over 500 MB, which a server that
//! kept every page would hold.

use crate::hash::FastMap as HashMap;
use crate::output::Content;
use crate::render::{Job, Plan};
use crate::search;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// The most bytes of made files kept (see the module's notes).
pub const KEEP: usize = 48 << 20;

/// Files made, and the order they were made in (oldest first).
struct Made {
    files: HashMap<String, Arc<Content>>,
    order: VecDeque<String>,
    bytes: usize,
    /// The most bytes kept ([`KEEP`]).
    cap: usize,
}

impl Default for Made {
    fn default() -> Made {
        Made { files: HashMap::default(), order: VecDeque::new(), bytes: 0, cap: KEEP }
    }
}

fn size(c: &Content) -> usize {
    match c {
        Content::Bytes(b) => b.len(),
        Content::Copy(_) => 0,
    }
}

impl Made {
    fn from(files: HashMap<String, Arc<Content>>) -> Made {
        let mut order: Vec<String> = files.keys().cloned().collect();
        order.sort_unstable();
        let bytes = files.values().map(|c| size(c)).sum();
        let mut made = Made { files, order: order.into(), bytes, cap: KEEP };
        made.trim();
        made
    }

    /// Keeps `content` at `path` (or the file made there first, when two
    /// requests made it at once) and returns it.
    fn keep(&mut self, path: &str, content: Arc<Content>) -> Arc<Content> {
        if let Some(c) = self.files.get(path) {
            return Arc::clone(c);
        }
        self.bytes += size(&content);
        self.files.insert(path.to_string(), Arc::clone(&content));
        self.order.push_back(path.to_string());
        self.trim();
        content
    }

    /// Drops the oldest files until at most `cap` bytes are kept.
    fn trim(&mut self) {
        while self.bytes > self.cap {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some(c) = self.files.remove(&oldest) {
                self.bytes -= size(&c);
            }
        }
    }
}

/// Files of the search index, by output path.
pub type Index = Arc<HashMap<String, Arc<Content>>>;

/// One good build, being served.
pub struct Served {
    plan: Option<Plan>,
    made: RwLock<Made>,
    index: Mutex<Option<Index>>,
}

impl Served {
    /// A site with no files (before the first good build).
    pub fn empty() -> Served {
        Served { plan: None, made: RwLock::default(), index: Mutex::new(None) }
    }

    /// A site to be made from `plan`; `made` are files already made (kept
    /// from an earlier build they are still right for), `index` the search
    /// index if it is kept too.
    pub fn new(plan: Plan, made: HashMap<String, Arc<Content>>, index: Option<Index>) -> Served {
        Served { plan: Some(plan), made: RwLock::new(Made::from(made)), index: Mutex::new(index) }
    }

    /// The job that makes the file at `path`.
    pub fn job(&self, path: &str) -> Option<Job> {
        self.plan.as_ref()?.job_for(path)
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.job(path).is_some() || (path.starts_with(search::DATA) && self.plan.is_some())
    }

    /// Takes the files kept (for the next build to keep what is still
    /// right); a request for one of them after this makes it again.
    pub fn take_made(&self) -> HashMap<String, Arc<Content>> {
        std::mem::take(&mut *self.made.write().unwrap_or_else(|e| e.into_inner())).files
    }

    /// The file at `path`, made now if it was not made yet (and then the
    /// time it took is printed); `None` when the site has no such file.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Content>, String>> {
        self.get_or_make(path, true)
    }

    fn get_or_make(&self, path: &str, report: bool) -> Option<Result<Arc<Content>, String>> {
        if path.starts_with(search::DATA) {
            return match self.index() {
                Ok(index) => index.get(path).cloned().map(Ok),
                Err(e) => Some(Err(e)),
            };
        }
        if let Some(c) = self.made.read().unwrap_or_else(|e| e.into_inner()).files.get(path) {
            return Some(Ok(Arc::clone(c)));
        }
        let job = self.job(path)?;
        let plan = self.plan.as_ref()?;
        let job = &job;
        let start = Instant::now();
        let made = match plan.make(job) {
            Ok(c) => Arc::new(c),
            Err(e) => return Some(Err(e.to_string())),
        };
        if report && path.ends_with(".html") {
            eprintln!("made {path} on request in {} ms", start.elapsed().as_millis());
        }
        Some(Ok(self.made.write().unwrap_or_else(|e| e.into_inner()).keep(path, made)))
    }

    /// Makes the given files now.
    pub fn make(&self, paths: &[String]) -> Result<(), String> {
        for p in paths {
            if let Some(Err(e)) = self.get_or_make(p, false) {
                return Err(e);
            }
        }
        Ok(())
    }

    /// How many files are kept.
    pub fn made_count(&self) -> usize {
        self.made.read().unwrap_or_else(|e| e.into_inner()).files.len()
    }

    /// The search index, built now if it is not there yet.
    pub fn index(&self) -> Result<Index, String> {
        let mut slot = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = &*slot {
            return Ok(Arc::clone(i));
        }
        let Some(plan) = &self.plan else { return Ok(Index::default()) };
        let start = Instant::now();
        let mut out = crate::output::Output::default();
        search::index(&plan.site, &mut out).map_err(|e| format!("cannot build the search index: {e}"))?;
        let index: Index = Arc::new(out.files.into_iter().map(|(k, v)| (k, Arc::new(v))).collect());
        eprintln!("built the search index in {} ms", start.elapsed().as_millis());
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    /// The search index if it was built.
    pub fn index_if_built(&self) -> Option<Index> {
        self.index.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_files_made_are_dropped_past_the_cap() {
        let mut made = Made { cap: 10, ..Made::default() };
        let file = |n: usize| Arc::new(Content::Bytes(vec![b'x'; n]));
        made.keep("a", file(4));
        made.keep("b", file(4));
        let first = made.keep("b", file(9));
        assert_eq!(size(&first), 4, "the file made first is kept and served");
        made.keep("c", file(4));
        assert!(!made.files.contains_key("a") && made.files.contains_key("b") && made.files.contains_key("c"));
        assert_eq!(made.bytes, 8);
        made.keep("big", file(11));
        assert!(made.files.is_empty() && made.bytes == 0, "a file over the cap is served, not kept");
        let back = Made::from(HashMap::from_iter([("x".to_string(), file(3))]));
        assert_eq!((back.bytes, back.order.len()), (3, 1));
    }
}
