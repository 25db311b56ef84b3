//! Times a serve rebuild after a one-file edit: `cargo run --release
//! --example rebuild -- DIR` (a site made by the `generate` example). Prints
//! the rebuild itself (what the server reports), then the time to make the
//! edited pilot's page and the pages that gather across pilots when a
//! browser asks for them after the reload. `REBUILD_ONLY=1` times the
//! rebuild alone; `REBUILD_TIMES=N` edits N times (9 by default);
//! `REBUILD_FIELD=owner` (or another quoted field of the record) edits
//! that field instead of the summary: an owner edit names a new person,
//! and the people and decisions are made again.

use pilotdeck::pipeline::Options;
use pilotdeck::serve::session::{Change, Session};
use std::path::PathBuf;
use std::time::Instant;

fn median(mut v: Vec<u128>) -> String {
    if v.is_empty() {
        return "not measured".into();
    }
    v.sort_unstable();
    format!("median {} ms (min {}, max {})", v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: rebuild DIR"));
    let root = std::fs::canonicalize(root).expect("site folder");
    let mut session = Session::new(Options { root: root.clone(), ..Options::default() });
    let first = session.rebuild(Change::Everything, &[]).expect("first build");
    println!("first build (every page made): {} ms", first.millis);
    let file = std::fs::read_dir(root.join("content/pilots"))
        .expect("content/pilots")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a pilot record");
    let id = file.file_stem().expect("a file name").to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&file).expect("read");
    let gathered = ["index.html", "constraints/index.html", "pilots/index.html", "portfolio/index.html"];
    let (mut rebuild, mut page, mut others) = (Vec::new(), Vec::new(), vec![Vec::new(); gathered.len()]);
    let field = std::env::var("REBUILD_FIELD").unwrap_or_else(|_| "summary".into());
    let written = format!("\n{field} = \"");
    assert!(text.contains(&written), "the record has no {field} written as {written:?}");
    for i in 0..std::env::var("REBUILD_TIMES").ok().and_then(|n| n.parse().ok()).unwrap_or(9) {
        std::fs::write(&file, text.replacen(&written, &format!("{written}edit {i} "), 1)).expect("write");
        let r = session.rebuild(Change::Pilots, std::slice::from_ref(&file)).expect("rebuild");
        assert!(r.errors.is_none(), "{:?}", r.errors);
        rebuild.push(r.millis);
        let t = Instant::now();
        let body = session.served.get(&format!("pilots/{id}/index.html")).expect("page").expect("made");
        page.push(t.elapsed().as_millis());
        assert!(
            matches!(&*body, pilotdeck::output::Content::Bytes(b) if String::from_utf8_lossy(b).contains(&format!("edit {i} ")))
        );
        for (k, path) in gathered.iter().enumerate() {
            if std::env::var_os("REBUILD_ONLY").is_some() {
                continue;
            }
            let t = Instant::now();
            session.served.get(path).expect("page").expect("made");
            others[k].push(t.elapsed().as_millis());
        }
    }
    std::fs::write(&file, text).expect("restore");
    println!("one-record edit of its {field}, rebuild as reported by serve: {}", median(rebuild));
    println!("  then the edited page on request (already made): {}", median(page));
    for (k, path) in gathered.iter().enumerate() {
        println!("  then {path} on request: {}", median(others[k].clone()));
    }
}
