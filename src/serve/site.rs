//! The site as `serve` holds it: the files made so far, and the plan to
//! make any other file the moment it is asked for. After an edit to the
//! content, only the edited records' pages are made at once; the pages that
//! gather across records (indexes, charts, exports, the library) are made
//! when a browser asks for them, so a rebuild costs what the edit needs and
//! a page nobody opens is never made.

use crate::hash::FastMap as HashMap;
use crate::output::Content;
use crate::render::{Job, Plan, TemplateError};
use crate::search;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// Files of the search index, by output path.
pub type Index = Arc<HashMap<String, Arc<Content>>>;

/// One good build, being served.
pub struct Served {
    plan: Option<Plan>,
    made: RwLock<HashMap<String, Arc<Content>>>,
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
        Served { plan: Some(plan), made: RwLock::new(made), index: Mutex::new(index) }
    }

    /// The job that makes the file at `path`.
    pub fn job(&self, path: &str) -> Option<Job> {
        self.plan.as_ref()?.job_for(path)
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.job(path).is_some() || (path.starts_with(search::DATA) && self.plan.is_some())
    }

    /// Takes the files made so far (for the next build to keep what is
    /// still right); a request for one of them after this makes it again.
    pub fn take_made(&self) -> HashMap<String, Arc<Content>> {
        std::mem::take(&mut *self.made.write().unwrap_or_else(|e| e.into_inner()))
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
        if let Some(c) = self.made.read().unwrap_or_else(|e| e.into_inner()).get(path) {
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
        let mut all = self.made.write().unwrap_or_else(|e| e.into_inner());
        Some(Ok(Arc::clone(all.entry(path.to_string()).or_insert(made))))
    }

    /// Makes every file not made yet (in parallel).
    pub fn make_all(&self) -> Result<(), TemplateError> {
        use rayon::prelude::*;
        let Some(plan) = &self.plan else { return Ok(()) };
        let todo: Vec<(String, Job)> = {
            let made = self.made.read().unwrap_or_else(|e| e.into_inner());
            plan.jobs().into_iter().filter(|(p, _)| !made.contains_key(p)).collect()
        };
        let fresh: Vec<(String, Arc<Content>)> =
            todo.into_par_iter().map(|(p, j)| plan.make(&j).map(|c| (p, Arc::new(c)))).collect::<Result<_, _>>()?;
        self.made.write().unwrap_or_else(|e| e.into_inner()).extend(fresh);
        Ok(())
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

    /// How many files were made so far.
    pub fn made_count(&self) -> usize {
        self.made.read().unwrap_or_else(|e| e.into_inner()).len()
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
