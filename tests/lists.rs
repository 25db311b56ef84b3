//! The long lists (constraint library, pilots, people, lessons) at a size
//! where they used to be pages of megabytes: every page stays small, every
//! constraint is reached from the library by following links, and the
//! markup the sorting and filtering script works from is there.

use crate::common;

use common::*;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Built once for the tests of this file: a generated site of 2,000 pilots,
/// as of a day after its records' dates.
fn site() -> &'static (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    static SITE: std::sync::OnceLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        pilotdeck::synth::write_site(dir.path(), 2000, 7).unwrap();
        let out = dir.path().join("public");
        let root = dir.path().to_str().unwrap();
        let run = pilotdeck(["--root", root, "build", "--as-of", "2026-11-20", "--output", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "build should succeed: {}", run.stderr);
        let files = snapshot(&out);
        (dir, files)
    })
}

fn page<'a>(files: &'a BTreeMap<String, Vec<u8>>, file: &str) -> &'a str {
    std::str::from_utf8(files.get(file).unwrap_or_else(|| panic!("no {file}"))).unwrap()
}

/// The values of `attr="..."` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .filter_map(|(i, _)| {
            let rest = &html[i + key.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The file a relative link on the page in `file` leads to, if in the site.
fn follow(file: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next()?;
    if href.is_empty() || href.contains(':') || href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if href.ends_with('/') {
        out.push_str(if out.is_empty() { "index.html" } else { "/index.html" });
    }
    Some(out)
}

#[test]
fn no_page_is_over_500_kb_at_2000_pilots() {
    let (_, files) = site();
    let big: Vec<String> = files
        .iter()
        .filter(|(f, b)| f.ends_with(".html") && b.len() > 500 * 1024)
        .map(|(f, b)| format!("{f}: {} KB", b.len() / 1024))
        .collect();
    assert!(big.is_empty(), "pages over 500 KB:\n{}", big.join("\n"));
    // The lists are split: the library, the pilots and the lessons have
    // further pages.
    for file in ["constraints/page/2/index.html", "pilots/page/2/index.html", "lessons/page/2/index.html"] {
        assert!(files.contains_key(file), "{file} is made");
    }
}

#[test]
fn every_constraint_is_reached_from_the_library_by_links() {
    let (_, files) = site();
    // Every constraint, as its pilot's page lists it (`c-ID` rows).
    let mut every = BTreeSet::new();
    for (file, bytes) in files {
        let Some(id) = file.strip_prefix("pilots/").and_then(|r| r.strip_suffix("/index.html")) else { continue };
        if id.contains('/') {
            continue;
        }
        for row in attrs(std::str::from_utf8(bytes).unwrap(), "id").into_iter().filter(|i| i.starts_with("c-")) {
            every.insert(format!("{id}--{}", &row[2..]));
        }
    }
    assert!(every.len() > 5000, "a generated site of 2,000 pilots has many constraints ({})", every.len());
    // Follow the links of the library's pages from its first page.
    let mut seen = BTreeSet::new();
    let mut found = BTreeSet::new();
    let mut todo = VecDeque::from(["constraints/index.html".to_string()]);
    while let Some(file) = todo.pop_front() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let html = page(files, &file);
        found.extend(attrs(html, "id").into_iter().filter(|i| i.contains("--")).map(String::from));
        for href in attrs(html, "href") {
            if let Some(next) = follow(&file, href).filter(|n| n.starts_with("constraints/")) {
                todo.push_back(next);
            }
        }
    }
    let missing: Vec<&String> = every.difference(&found).take(5).collect();
    assert!(
        missing.is_empty(),
        "{} constraints not reached from the library, e.g. {missing:?}",
        every.len() - found.len()
    );
    assert!(seen.len() > 20, "the library is split into pages ({} reached)", seen.len());
}

#[test]
fn a_link_to_a_constraint_in_the_library_finds_its_row() {
    let (_, files) = site();
    // The first pilot page's "in the library" links each lead to a page of
    // the library that holds the row.
    let (file, html) = files
        .iter()
        .find(|(f, b)| f.starts_with("pilots/") && f.matches('/').count() == 2 && b.len() > 1000)
        .map(|(f, b)| (f.clone(), std::str::from_utf8(b).unwrap()))
        .unwrap();
    let links: Vec<&str> =
        attrs(html, "href").into_iter().filter(|h| h.contains("constraints/") && h.contains("--")).collect();
    assert!(!links.is_empty(), "{file} links its constraints to the library");
    for href in links {
        let target = follow(&file, href).unwrap();
        let anchor = href.rsplit('#').next().unwrap();
        assert!(page(files, &target).contains(&format!("id=\"{anchor}\"")), "{href} from {file}: no row {anchor}");
    }
}

#[test]
fn lists_carry_the_markup_for_sorting_and_filtering() {
    let (_, files) = site();
    for (file, selects) in [
        ("constraints/index.html", &["status", "stage", "function", "owner", "category", "rung"][..]),
        ("constraints/page/3/index.html", &["status", "category"][..]),
        ("pilots/index.html", &["stage", "function", "owner"][..]),
        ("lessons/index.html", &["stage", "category", "tag"][..]),
    ] {
        let html = page(files, file);
        assert!(html.contains("<form class=\"filters list-filters\" data-filters"), "{file}: a filter form");
        assert!(html.contains("name=\"q\""), "{file}: a text filter");
        for name in selects {
            assert!(html.contains(&format!("<select name=\"{name}\">")), "{file}: a filter by {name}");
        }
        assert!(html.contains(" data-list"), "{file}: a list the script works on");
        assert!(html.contains("filter.js"), "{file}: loads the script");
        assert!(html.contains("data-page-url=\""), "{file}: tells the script the addresses of the list's other pages");
        assert!(html.contains("data-count-for="), "{file}: a count that follows the filters");
    }
    let library = page(files, "constraints/index.html");
    assert!(library.contains("data-sort=\"num\" data-key=\"overdue\""), "the library sorts by days overdue");
    for attr in ["data-status=\"", "data-category=\"", "data-owner=\"", "data-rung=\"", "data-stage=\""] {
        assert!(library.contains(attr), "library rows carry {attr}");
    }
    // A person's page is paged too, and filters by status.
    let person = files
        .keys()
        .find(|f| f.starts_with("owners/") && f.ends_with("/page/2/index.html"))
        .expect("a person with more than a page of constraints");
    assert!(page(files, person).contains("<select name=\"status\">"));
    assert!(files.contains_key("filter.js"));
}
