//! A playbook keeps the order and titles its own tool gave it: MkDocs'
//! `nav:` in `mkdocs.yml` (with `docs_dir`), the awesome-pages plugin's
//! `.pages`, mdBook's and GitBook's `SUMMARY.md`, and numbers in front of
//! file and folder names (`2-x` before `10-y`). Pages a nav leaves out come
//! after the others; an entry naming no file is a PD027 warning with its
//! line; the nav files themselves are not published. Small fixtures of
//! each shape, written here.

use crate::common;

use common::{build_ok, pilotdeck, read, site, snapshot, unescape, AS_OF};
use std::path::Path;

const RECORD: &str = "+++\ntitle = \"A\"\nstage = \"pilot\"\n+++\n";

fn check(root: &Path) -> common::Run {
    pilotdeck(["--root", root.to_str().unwrap(), "check", "--as-of", AS_OF])
}

/// The headers of the diagnostics by the rule `code`.
fn by_rule(run: &common::Run, code: &str) -> Vec<String> {
    run.diagnostics().into_iter().filter(|d| d.code == code).map(|d| d.header).collect()
}

/// Every diagnostic but the record's "no weekly update" (PD015).
fn said(run: &common::Run) -> Vec<String> {
    run.diagnostics().into_iter().filter(|d| d.code != "PD015").map(|d| d.header).collect()
}

/// The text of each link in the elements of `html` that open with `open`,
/// in order.
fn link_texts(html: &str, open: &str) -> Vec<String> {
    html.split(open)
        .skip(1)
        .filter_map(|item| {
            let end = item.find("</a>")?;
            let text = &item[..end];
            Some(unescape(&text[text.rfind('>')? + 1..]))
        })
        .collect()
}

/// The titles listed under "In this section" of a section page.
fn listed(html: &str) -> Vec<String> {
    link_texts(html, "class=\"child-title\"")
}

/// The titles of the sidebar, in order.
fn sidebar(html: &str) -> Vec<String> {
    link_texts(html, "<li class=\"sidebar-item")
}

const MKDOCS_YML: &str = "site_name: Team handbook
repo_url: https://example.com/handbook
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
nav:
  - Home: index.md
  - Scoping:
      - scoping/README.md
      - Why we scope: scoping/why.md
      - scoping/how.md
  - Zeta comes first: zeta.md
  - Delivery:
      - delivery/b.md
      - delivery/a.md
  - Gone: nope.md
  - Source: https://example.com/handbook
extra:
  version: !ENV [VERSION, '1']
";

/// A MkDocs project copied as it is: `mkdocs.yml` beside `docs/`.
const MKDOCS: &[(&str, &str)] = &[
    ("content/pilots/a.md", RECORD),
    ("content/playbook/mkdocs.yml", MKDOCS_YML),
    ("content/playbook/docs/index.md", "# Handbook\n\nStart here.\n"),
    ("content/playbook/docs/scoping/README.md", "# About scoping\n\nText.\n"),
    ("content/playbook/docs/scoping/why.md", "# Why\n\nText.\n"),
    ("content/playbook/docs/scoping/how.md", "# How to scope\n\nText.\n"),
    ("content/playbook/docs/scoping/aardvark.md", "# Aardvark notes\n\nNot in the nav.\n"),
    ("content/playbook/docs/zeta.md", "# Zeta\n\nText.\n"),
    ("content/playbook/docs/delivery/a.md", "# A page\n\nText.\n"),
    ("content/playbook/docs/delivery/b.md", "# B page\n\nText.\n"),
    ("content/playbook/docs/alpha.md", "# Alpha\n\nNot in the nav either.\n"),
];

#[test]
fn mkdocs_nav_gives_the_order_and_the_titles() {
    let dir = site(MKDOCS);
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let docs = read(&public, "playbook/index.html");
    // As the nav lists them, with its titles; the page not in it after.
    assert_eq!(listed(&docs), ["Scoping", "Zeta comes first", "Delivery", "Alpha"], "{docs}");
    let scoping = read(&public, "playbook/scoping/index.html");
    assert_eq!(listed(&scoping), ["Why we scope", "How to scope", "Aardvark notes"]);
    assert!(scoping.contains("<h1>Scoping</h1>"), "the nav's section title wins over the H1");
    let delivery = read(&public, "playbook/delivery/index.html");
    assert_eq!(listed(&delivery), ["B page", "A page"]);
    // The sidebar of a page follows the same order.
    let why = read(&public, "playbook/scoping/why/index.html");
    assert!(why.contains("<h1>Why we scope</h1>"), "{why}");
    let side = sidebar(&why);
    let at = |t: &str| side.iter().position(|s| s == t).unwrap_or_else(|| panic!("{t} not in {side:?}"));
    assert!(at("Scoping") < at("Why we scope") && at("Why we scope") < at("How to scope"));
    assert!(at("Aardvark notes") < at("Zeta comes first") && at("Zeta comes first") < at("Delivery"));
    assert!(at("B page") < at("A page") && at("A page") < at("Alpha"));
    // The pages of `docs/` are published at the folder of `mkdocs.yml`,
    // as MkDocs publishes them: `docs/index.md` is its page, and
    // `site_name` its title (`Home: index.md` does not rename it).
    assert!(docs.contains("<h1>Team handbook</h1>"), "{docs}");
    assert!(docs.contains("Start here."), "{docs}");
    assert!(!public.join("playbook/docs").exists());
    // The nav file is read, not published.
    assert!(!public.join("playbook/mkdocs.yml").exists());
}

/// The rest of a MkDocs repository (its README, licence, CI files) is not
/// part of the MkDocs site: not published, and named in one warning.
#[test]
fn files_beside_mkdocs_yml_outside_docs_dir_are_not_published() {
    let mut files = MKDOCS.to_vec();
    files.push(("content/playbook/README.md", "# The repository\n\nRun `mkdocs serve`.\n"));
    files.push(("content/playbook/LICENSE", "MIT\n"));
    files.push(("content/playbook/docs/img/flow.png", "PNG"));
    files.push(("content/playbook/docs/zeta.md", "# Zeta\n\n![flow](img/flow.png) and [why](scoping/why.md#why)\n"));
    let dir = site(&files);
    let run = check(dir.path());
    let found = by_rule(&run, "PD027");
    assert_eq!(found.len(), 2, "{}", run.stdout);
    let outside = found.iter().find(|f| f.contains("outside its `docs_dir`")).expect("the warning");
    assert!(outside.starts_with("content/playbook/mkdocs.yml:1:1: warning: 2 files"), "{outside}");
    assert!(outside.contains("`README.md`, `LICENSE`"), "{outside}");
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    assert!(!public.join("playbook/LICENSE").exists());
    assert!(read(&public, "playbook/index.html").contains("Start here."), "docs/index.md, not the README");
    // Links and images inside `docs/` lead where they did.
    let zeta = read(&public, "playbook/zeta/index.html");
    assert!(zeta.contains("src=\"../img/flow.png\""), "{zeta}");
    assert!(zeta.contains("href=\"../scoping/why/#why\""), "{zeta}");
    assert!(public.join("playbook/img/flow.png").exists());
}

#[test]
fn a_nav_entry_naming_no_file_is_a_warning_with_its_line() {
    let dir = site(MKDOCS);
    let run = check(dir.path());
    let found = by_rule(&run, "PD027");
    let line = MKDOCS_YML.lines().position(|l| l.contains("nope.md")).unwrap() + 1;
    assert_eq!(found.len(), 1, "{}", run.stderr);
    assert!(found[0].starts_with(&format!("content/playbook/mkdocs.yml:{line}:")), "{found:?}");
    assert!(found[0].contains("warning") && found[0].contains("`nope.md`"), "{found:?}");
    // Nothing else is said about the file: the tags of other keys are not read.
    assert_eq!(said(&run).len(), 1, "{}", run.stderr);
}

#[test]
fn a_broken_nav_is_a_warning_and_the_site_still_builds() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/handbook/mkdocs.yml", "site_name: x\nnav:\n  - b.md\n  - [unclosed\n"),
        // No `docs/`: the pages are beside `mkdocs.yml`.
        ("content/handbook/a.md", "# A\n"),
        ("content/handbook/b.md", "# B\n"),
    ]);
    let run = check(dir.path());
    let found = by_rule(&run, "PD027");
    assert_eq!(found.len(), 1, "{}", run.stderr);
    assert!(found[0].starts_with("content/handbook/mkdocs.yml:4:"), "{found:?}");
    build_ok(dir.path(), &[]);
    let listing = read(&dir.path().join("public"), "handbook/index.html");
    assert_eq!(listed(&listing), ["A", "B"], "no nav read: the default order");
}

#[test]
fn mkdocs_yml_beside_its_pages_without_docs_folder() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/handbook/mkdocs.yml", "site_name: x\nnav:\n  - Second first: b.md\n  - a.md\n"),
        ("content/handbook/a.md", "# A\n"),
        ("content/handbook/b.md", "# B\n"),
    ]);
    let run = check(dir.path());
    assert!(said(&run).is_empty(), "{}", run.stderr);
    build_ok(dir.path(), &[]);
    let listing = read(&dir.path().join("public"), "handbook/index.html");
    assert_eq!(listed(&listing), ["Second first", "A"]);
}

#[test]
fn pages_files_give_title_order_and_the_rest() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/playbook/_index.md", "# Playbook\n"),
        (
            "content/playbook/guides/.pages",
            "title: The guides\nnav:\n  - intro.md\n  - Tooling: tools\n  - ...\n  - Last words: end.md\n",
        ),
        ("content/playbook/guides/intro.md", "# Introduction\n"),
        ("content/playbook/guides/end.md", "# The end\n"),
        ("content/playbook/guides/b.md", "# Bravo\n"),
        ("content/playbook/guides/a.md", "# Alpha\n"),
        ("content/playbook/guides/tools/x.md", "# Tool x\n"),
        ("content/playbook/desc/.pages", "order: desc\n"),
        ("content/playbook/desc/a.md", "# Alpha\n"),
        ("content/playbook/desc/b.md", "# Bravo\n"),
    ]);
    let run = check(dir.path());
    assert!(said(&run).is_empty(), "{}", run.stderr);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let guides = read(&public, "playbook/guides/index.html");
    assert!(guides.contains("<h1>The guides</h1>"), "{guides}");
    assert_eq!(listed(&guides), ["Introduction", "Tooling", "Alpha", "Bravo", "Last words"]);
    let playbook = read(&public, "playbook/index.html");
    assert_eq!(listed(&playbook), ["Desc", "The guides"]);
    assert_eq!(listed(&read(&public, "playbook/desc/index.html")), ["Bravo", "Alpha"]);
    assert!(!public.join("playbook/guides/.pages").exists());
}

const SUMMARY: &str = "# Summary

[Introduction](README.md)

# Getting started

- [Setting up](setup/README.md)
    - [Install it](setup/install.md)
    - [Configure it](setup/configure.md)
- [Using it](usage.md)
- [Not written yet]()

---

- [Appendix](zz-appendix.md)
- [Missing](missing.md)
";

#[test]
fn summary_md_gives_the_order_and_titles_and_is_no_page() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/book/SUMMARY.md", SUMMARY),
        ("content/book/README.md", "# The book\n\nSee the [contents](SUMMARY.md).\n"),
        ("content/book/zz-appendix.md", "# Appendix A\n"),
        ("content/book/usage.md", "# Usage\n"),
        ("content/book/aaa-unlisted.md", "# Unlisted\n"),
        ("content/book/setup/README.md", "# Setup\n"),
        ("content/book/setup/install.md", "# Installation\n"),
        ("content/book/setup/configure.md", "# Configuration\n"),
    ]);
    let run = check(dir.path());
    let found = by_rule(&run, "PD027");
    let line = SUMMARY.lines().position(|l| l.contains("missing.md")).unwrap() + 1;
    assert_eq!(found.len(), 1, "{}", run.stderr);
    assert!(found[0].starts_with(&format!("content/book/SUMMARY.md:{line}:")), "{found:?}");
    assert_eq!(said(&run).len(), 1, "the link to SUMMARY.md leads to its folder\n{}", run.stderr);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let book = read(&public, "book/index.html");
    assert_eq!(listed(&book), ["Setting up", "Using it", "Appendix", "Unlisted"], "{book}");
    assert_eq!(listed(&read(&public, "book/setup/index.html")), ["Install it", "Configure it"]);
    assert!(!public.join("book/summary").exists(), "the table of contents is not a page");
}

#[test]
fn numbers_in_front_of_names_order_numerically() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/playbook/_index.md", "# Playbook\n"),
        ("content/playbook/10-tenth.md", "Text.\n"),
        ("content/playbook/2_second.md", "Text.\n"),
        ("content/playbook/1-first.md", "Text.\n"),
        ("content/playbook/appendix.md", "Text.\n"),
        ("content/playbook/weighted.md", "---\nweight: 1\n---\nText.\n"),
        ("content/playbook/10-later/x.md", "# X\n"),
        ("content/playbook/9-earlier/y.md", "# Y\n"),
    ]);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let playbook = read(&public, "playbook/index.html");
    assert_eq!(listed(&playbook), ["Weighted", "First", "Second", "Earlier", "Later", "Tenth", "Appendix"]);
    assert!(public.join("playbook/10-tenth/index.html").exists());
}

#[test]
fn the_same_navs_build_the_same_bytes() {
    let dir = site(MKDOCS);
    build_ok(dir.path(), &[]);
    let first = snapshot(&dir.path().join("public"));
    build_ok(dir.path(), &[]);
    assert!(first == snapshot(&dir.path().join("public")));
}
