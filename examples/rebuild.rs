//! Times a serve rebuild after a one-file edit: `cargo run --release
//! --example rebuild -- DIR` (a site made by the `generate` example).

use pilotdeck::pipeline::Options;
use pilotdeck::serve::session::Session;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: rebuild DIR"));
    let mut session = Session::new(Options { root: root.clone(), ..Options::default() });
    let first = session.rebuild(false).expect("first build");
    println!("full build: {} ms", first.millis);
    let file = std::fs::read_dir(root.join("content/pilots"))
        .expect("content/pilots")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a pilot record");
    let text = std::fs::read_to_string(&file).expect("read");
    let mut times = Vec::new();
    for i in 0..7 {
        std::fs::write(&file, text.replacen("summary = \"", &format!("summary = \"edit {i} "), 1)).expect("write");
        let r = session.rebuild(true).expect("rebuild");
        assert!(r.errors.is_none(), "{:?}", r.errors);
        times.push(r.millis);
    }
    std::fs::write(&file, text).expect("restore");
    times.sort_unstable();
    println!("one-file edit: median {} ms (min {}, max {}), pilot pages rendered: 1", times[3], times[0], times[6]);
}
