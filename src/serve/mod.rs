//! `pilotdeck serve`: builds, serves the site from memory, watches the
//! content, config, templates and static files, rebuilds what changed and
//! reloads open pages. A bad edit shows its errors over the last good page.
//! The only shared state of the program lives here.

mod http;
pub mod session;
pub mod site;

use crate::pipeline::Options;
use anyhow::{Context, Result};
use session::Change;
use session::Session;
use site::Served;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

pub use http::{site_path, Hosts, Limits};

/// What the server shows, swapped whole after each rebuild.
pub struct State {
    pub site: Arc<Served>,
    /// The last rebuild's errors, shown over every page.
    pub errors: Option<String>,
    /// Raised after every rebuild; open pages reload when it changes.
    pub generation: u64,
}

pub struct Shared {
    pub state: Mutex<State>,
    pub changed: Condvar,
    /// Set by [`Handle::stop`]: the accepting and rebuilding threads end.
    pub stopped: std::sync::atomic::AtomicBool,
}

pub struct ServeOptions {
    pub site: Options,
    pub bind: IpAddr,
    pub port: u16,
    /// How many connections at once, and for how long.
    pub limits: Limits,
}

/// A running server.
pub struct Handle {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
}

impl Handle {
    /// Stops accepting connections and watching the site, and frees the
    /// port (connections being answered finish by themselves).
    pub fn stop(self) {
        self.shared.stopped.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wakes the accepting thread, which sees the flag and returns.
        let _ = std::net::TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }

    /// The current generation (raised after every rebuild).
    pub fn generation(&self) -> u64 {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner()).generation
    }
}

/// What a changed path changes; `None` when it does not matter to the site.
fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    if first.starts_with('.') || first == "public" || first == "target" {
        return None;
    }
    // Anything below `content/pilots/` (a record, a bundle's file, an
    // editor's temporary file) leaves the other records' pages as they were.
    if rel.starts_with("content/pilots") && !rel.ends_with("_index.md") {
        Some(Change::Pilots)
    } else if rel.starts_with("content") {
        Some(Change::Content)
    } else {
        Some(Change::Everything)
    }
}

/// Builds, binds and starts serving and watching; returns at once.
/// The port is taken before the first build: a port in use fails at once.
pub fn start(opts: ServeOptions) -> Result<Handle> {
    let at = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(at).with_context(|| {
        format!("cannot listen on {at}: is another server using port {}? choose another with --port", opts.port)
    })?;
    let addr = listener.local_addr()?;
    let mut session = Session::new(opts.site);
    let first = session.rebuild(Change::Everything, &[])?;
    give_back_freed_memory();
    report(&first);
    let shared = Arc::new(Shared {
        state: Mutex::new(State { site: Arc::clone(&session.served), errors: first.errors, generation: 0 }),
        changed: Condvar::new(),
        stopped: Default::default(),
    });
    {
        let shared = Arc::clone(&shared);
        let limits = opts.limits;
        std::thread::Builder::new()
            .name("pilotdeck-accept".into())
            .spawn(move || http::serve(listener, shared, limits))
            .context("cannot start the server's thread")?;
    }
    watch(session, Arc::clone(&shared))?;
    Ok(Handle { addr, shared })
}

/// Prints what a rebuild found (the errors, and the warnings that are new,
/// in full; the totals), then what it did.
fn report(r: &session::Rebuilt) {
    match &r.errors {
        None => eprintln!(
            "{}rebuilt in {} ms ({} files made, {} of them pilot pages; other pages are made when opened)",
            r.report, r.millis, r.made, r.pilot_pages
        ),
        Some(e) if r.report.is_empty() => {
            eprintln!("{e}\nthe last edit did not build ({} ms); still serving the last good site", r.millis)
        }
        Some(_) => {
            eprintln!("{}the last edit did not build ({} ms); still serving the last good site", r.report, r.millis)
        }
    }
}

/// Watches the site folder. Opening or reading a file is not a change (a
/// rebuild reads every file); events are gathered for a short quiet spell
/// (editors that save by writing a new file and renaming it send several),
/// then one rebuild runs.
fn watch(mut session: Session, shared: Arc<Shared>) -> Result<()> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let root: PathBuf = std::fs::canonicalize(&session.opts.root).unwrap_or_else(|_| session.opts.root.clone());
    let (tx, rx) = std::sync::mpsc::channel::<notify::Event>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)) {
                let _ = tx.send(event);
            }
        }
    })
    .context("cannot watch the site")?;
    watcher.watch(&root, RecursiveMode::Recursive).with_context(|| format!("cannot watch `{}`", root.display()))?;
    let rebuilds = std::thread::Builder::new().name("pilotdeck-watch".into()).spawn(move || {
        let _keep = watcher;
        loop {
            let first = match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(event) => event,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if shared.stopped.load(std::sync::atomic::Ordering::SeqCst) {
                        return;
                    }
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            };
            let mut events = vec![first];
            while let Ok(more) = rx.recv_timeout(QUIET) {
                events.push(more);
            }
            let changed: Vec<(Change, PathBuf)> = events
                .iter()
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| classify(&root, p).map(|c| (c, p.clone())))
                .collect();
            let Some(change) = changed.iter().map(|(c, _)| *c).max_by_key(|c| *c as u8) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = changed.into_iter().map(|(_, p)| p).collect();
            paths.sort();
            paths.dedup();
            match session.rebuild(change, &paths) {
                Ok(r) => {
                    // What is served changes before the rebuild is told of:
                    // a page asked for once "rebuilt in" is printed shows
                    // what it printed (a test that did so got the page
                    // before the edit's errors, now and then under load).
                    {
                        let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
                        if r.errors.is_none() {
                            state.site = Arc::clone(&session.served);
                        }
                        state.errors = r.errors.clone();
                        state.generation += 1;
                    }
                    report(&r);
                    shared.changed.notify_all();
                }
                Err(e) => eprintln!("error: {e:#}"),
            }
            // After the browsers are told: it takes a few milliseconds.
            give_back_freed_memory();
        }
    });
    rebuilds.context("cannot start the thread that rebuilds the site")?;
    Ok(())
}

/// Hands the memory a rebuild freed back to the system. glibc keeps what
/// is freed for later allocations, and gives back only the top of its
/// heaps: the texts of thousands of records, read and released by the first
/// rebuild, stayed counted in the server's resident memory for as long as it
/// ran (at 10,000 pilots of the realistic mix, 360 MB where 230 MB were in
/// use).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: `malloc_trim` only returns free memory of malloc's own heaps
    // to the system; it takes no pointer and leaves every allocation as it
    // is.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How long the watcher waits for the events of one save to stop coming
/// before it rebuilds: an editor's save (a write, or a temporary file
/// renamed over the record) sends its events within a few milliseconds; a
/// late one starts another rebuild, which finds what changed. Every
/// millisecond here is one the edit takes to reach the browser: 10 ms
/// put an owner edit at 10,000 pilots over the 50 ms of #26.
const QUIET: Duration = Duration::from_millis(4);

/// `serve` from the command line: start, say where, and keep running.
pub fn run(opts: ServeOptions, open: bool) -> Result<()> {
    if !opts.bind.is_loopback() {
        eprintln!("warning: serving on {} makes the site reachable from other machines", opts.bind);
    }
    let handle = start(opts)?;
    let url = format!("http://{}/", handle.addr);
    eprintln!("serving {url} (Ctrl-C to stop)");
    if open {
        let _ =
            std::process::Command::new(if cfg!(target_os = "macos") { "open" } else { "xdg-open" }).arg(&url).spawn();
    }
    loop {
        std::thread::park();
    }
}
