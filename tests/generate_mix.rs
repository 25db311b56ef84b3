//! The generator's realistic mix (`pilotdeck::synth::Mix`): a site with
//! YAML records, titled names, long bodies, crowded records and pages
//! without front matter checks without an error, is the same for the same
//! seed, and differs from its all-TOML twin only in how records are
//! written; the plain site is the one the generator wrote before.

use crate::common;

use common::*;
use pilotdeck::synth::{write_site, write_site_with, Mix};
use std::collections::BTreeMap;
use std::path::Path;

fn generated(pilots: usize, seed: u64, mix: &Mix) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    write_site_with(dir.path(), pilots, seed, mix).unwrap();
    let files = snapshot(dir.path());
    (dir, files)
}

fn text(files: &BTreeMap<String, Vec<u8>>, prefix: &str) -> Vec<String> {
    files.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(_, v)| String::from_utf8(v.clone()).unwrap()).collect()
}

#[test]
fn the_realistic_mix_at_300_pilots_checks_without_an_error() {
    let (dir, files) = generated(300, 42, &Mix::REALISTIC);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", "2026-11-20"]);
    let errors: Vec<_> = run.diagnostics().into_iter().filter(Diag::is_error).map(|d| d.header).collect();
    assert!(errors.is_empty(), "errors: {errors:#?}");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    // Every shape is there, in about its share.
    let pilots = text(&files, "content/pilots/");
    assert_eq!(pilots.len(), 300);
    let yaml = pilots.iter().filter(|p| p.starts_with("---\n")).count();
    assert!((70..=130).contains(&yaml), "{yaml} of 300 records in YAML");
    let crowded = pilots.iter().filter(|p| p.matches("id: c29\n").count() + p.matches("id = \"c29\"").count() == 1);
    assert!(crowded.count() >= 3, "records with 30 constraints");
    let long = pilots.iter().filter(|p| p.contains("| --- | ---: |") && p.contains("```sql") || p.len() > 12_000);
    assert!(long.count() >= 30, "long records with tables and code");
    assert!(pilots.iter().any(|p| p.contains("owner: Dana Ruiz, Head of Claims\n")), "a YAML owner with a title");
    assert!(pilots.iter().any(|p| p.contains("owner = \"Dana Ruiz, Head of Claims\"")), "a TOML owner with a title");
    let pages = text(&files, "content/playbook/");
    let bare = pages.iter().filter(|p| p.starts_with("# Page ")).count();
    assert!((15..=45).contains(&bare), "{bare} of 100 pages without front matter");
    assert!(pages.iter().any(|p| p.starts_with("---\ntitle: Page")), "a page in YAML");
}

#[test]
fn the_same_seed_writes_the_same_site() {
    let (_a, first) = generated(40, 9, &Mix::REALISTIC);
    let (_b, second) = generated(40, 9, &Mix::REALISTIC);
    assert_eq!(first, second);
    let (_c, other) = generated(40, 10, &Mix::REALISTIC);
    assert_ne!(first, other);
}

/// The built site, its files by path.
fn built(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = root.join("public");
    common::build_at(root, "2026-11-20", &out);
    snapshot(&out)
}

#[test]
fn a_yaml_share_of_zero_is_the_same_site_in_toml() {
    let all_toml = Mix { yaml_share: 0.0, ..Mix::REALISTIC };
    let (yaml_dir, yaml_files) = generated(60, 5, &Mix::REALISTIC);
    let (toml_dir, toml_files) = generated(60, 5, &all_toml);
    assert!(text(&toml_files, "content/").iter().all(|p| !p.starts_with("---\n")));
    let differ = yaml_files.iter().filter(|(k, v)| toml_files.get(*k) != Some(v)).count();
    assert!(differ >= 15, "{differ} files differ");
    // What the records say is the same: the built sites are byte for byte.
    assert_eq!(built(yaml_dir.path()), built(toml_dir.path()));
}

/// FNV-1a over every file's path and bytes.
fn fingerprint(files: &BTreeMap<String, Vec<u8>>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, v) in files {
        for b in k.bytes().chain([0]).chain(v.iter().copied()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}

#[test]
fn the_plain_site_is_the_one_written_before_the_mix() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), 50, 42).unwrap();
    let plain = snapshot(dir.path());
    assert_eq!(plain.len(), 50 + 110 + 1);
    // Written by the generator as it was before `Mix` (commit 1e857cf).
    assert_eq!(fingerprint(&plain), PLAIN_50_42, "{:#x}", fingerprint(&plain));
    let (_d, same) = generated(50, 42, &Mix::PLAIN);
    assert_eq!(plain, same);
}

const PLAIN_50_42: u64 = 0x101e_6f1c_383e_4e20;
