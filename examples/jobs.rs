//! Times every kind of output file of a site, one at a time on one thread:
//! `cargo run --release --example jobs -- DIR [KIND]` (a site made by the
//! `generate` example; KIND, such as `Pilot`, makes only the files of that
//! kind, for a profiler). Prints, per kind of job, the time to make all its
//! files, how many there are and their size, then the search index; for
//! finding what to make faster. `ROUNDS=N` makes the search index N times
//! more before, each timed (a kind no job has, such as `Nothing`, leaves
//! the index alone for a profiler or callgrind).

use pilotdeck::output::Content;
use pilotdeck::pipeline::{analyse, Options};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: jobs DIR"));
    let t = Instant::now();
    let a = analyse(&Options { root: root.clone(), ..Options::default() }).expect("analyse");
    println!("load, model, check: {} ms", t.elapsed().as_millis());
    let theme = Arc::new(pilotdeck::theme::load(&root, a.config.theme.as_deref()).expect("theme"));
    let renderer = Arc::new(pilotdeck::render::Renderer::new(&theme).expect("templates"));
    let plan = pilotdeck::render::Plan::new(Arc::clone(&a.site), Arc::clone(&a.config), theme, renderer);
    let t = Instant::now();
    let listed = plan.jobs().len();
    println!("list of {listed} files: {:.1} ms", t.elapsed().as_micros() as f64 / 1000.0);
    let t = Instant::now();
    let listed = plan.jobs().len();
    println!("list of {listed} files again: {:.1} ms", t.elapsed().as_micros() as f64 / 1000.0);
    // The shared views (library order, lessons, charts), as a build makes
    // them before its pages, so that no kind below pays for them.
    let t = Instant::now();
    plan.prepare();
    println!("shared views: {:.1} ms", t.elapsed().as_micros() as f64 / 1000.0);
    let only = std::env::args().nth(2);
    let mut kinds: BTreeMap<String, (u128, usize, usize)> = BTreeMap::new();
    for (_, job) in plan.jobs() {
        let name = format!("{job:?}");
        let name = name.split('(').next().unwrap_or_default().to_string();
        if only.as_ref().is_some_and(|k| *k != name) {
            continue;
        }
        let t = Instant::now();
        let made = plan.make(&job).expect("make");
        let micros = t.elapsed().as_micros();
        let bytes = match made {
            Content::Bytes(b) => b.len(),
            Content::Copy(_) => 0,
        };
        let k = kinds.entry(name).or_default();
        *k = (k.0 + micros, k.1 + 1, k.2 + bytes);
    }
    for (name, (micros, n, bytes)) in kinds {
        println!("{name:12} {:8.1} ms {n:6} files {:8.1} MB", micros as f64 / 1000.0, bytes as f64 / 1e6);
    }
    for _ in 0..std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(0) {
        let mut index = pilotdeck::output::Output::default();
        let t = Instant::now();
        pilotdeck::search::index(&plan.site, &mut index).expect("search index");
        println!("round {:8.1} ms", t.elapsed().as_micros() as f64 / 1000.0);
    }
    let t = Instant::now();
    let mut index = pilotdeck::output::Output::default();
    let records = pilotdeck::search::index(&plan.site, &mut index).expect("search index");
    println!(
        "search index {:8.1} ms {records} records in {} files",
        t.elapsed().as_micros() as f64 / 1000.0,
        index.files.len()
    );
}
