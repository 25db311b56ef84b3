//! Embeds the default theme and the example site into the binary, so that
//! a site needs no theme folder and `pilotdeck init` needs no network.
//! Writes `$OUT_DIR/embedded.rs`: two sorted `(relative path, bytes)` tables.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut code = String::new();
    table(&mut code, "THEME", &root.join("themes/default"), &[]);
    table(&mut code, "EXAMPLE_SITE", &root, &["pilotdeck.toml", "content"]);
    fs::write(out.join("embedded.rs"), code).expect("write embedded.rs");
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=pilotdeck.toml");
}

/// Writes `pub static NAME: &[(&str, &[u8])]` for every file below `base`
/// (or, when `only` is not empty, below those entries of `base`).
fn table(code: &mut String, name: &str, base: &Path, only: &[&str]) {
    let roots: Vec<PathBuf> =
        if only.is_empty() { vec![base.to_path_buf()] } else { only.iter().map(|p| base.join(p)).collect() };
    let mut files = Vec::new();
    for r in roots {
        for entry in walkdir::WalkDir::new(&r).sort_by_file_name() {
            let entry = entry.expect("walk embedded folder");
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").expect("write to string");
    for f in files {
        let rel = f.strip_prefix(base).expect("below base").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", f.display().to_string()).expect("write to string");
    }
    writeln!(code, "];").expect("write to string");
}
