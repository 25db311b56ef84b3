//! Pages written for other tools build as they are: no front matter (the
//! title from the first `#` heading or the file name), `README.md` and
//! `index.md` as section pages, a folder of folders with a section page,
//! other generators' keys honoured (`slug`, `permalink`, `description`,
//! `nav_order`, `published: false`) or kept in `page.extra` with a PD025
//! warning, and two sources at one address PD008 naming both. Small
//! fixtures in MkDocs, Jekyll and Eleventy shapes, written here.

use crate::common;

use common::{build, build_ok, pilotdeck, read, site, AS_OF};
use std::path::Path;

const RECORD: &str = "+++\ntitle = \"A\"\nstage = \"pilot\"\n+++\n";

/// A MkDocs-style tree: no front matter, a `README.md` per folder, a
/// folder that holds only folders.
const MKDOCS: &[(&str, &str)] = &[
    ("content/pilots/a.md", RECORD),
    ("content/playbook/README.md", "# Engineering Playbook\n\nWelcome to the playbook.\n"),
    ("content/playbook/engineering/testing/README.md", "# Testing\n\nHow we test.\n"),
    ("content/playbook/engineering/testing/unit-tests.md", "Intro line.\n\n# Unit tests\n\nWrite them first.\n"),
    ("content/playbook/engineering/testing/load_testing.md", "Only text, no heading.\n"),
    ("content/playbook/engineering/code-reviews/index.md", "# Code reviews\n\nTwo approvals.\n"),
];

/// Jekyll and Eleventy shapes: YAML front matter with keys of their own.
const JEKYLL: &[(&str, &str)] = &[
    ("content/pilots/a.md", RECORD),
    ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n"),
    (
        "content/playbook/guide/getting-started.md",
        "---\ntitle: Getting started\nslug: start\ndescription: How to begin\nnav_order: 2\n---\nBegin here.\n",
    ),
    ("content/playbook/guide/advanced.md", "---\ntitle: Advanced\nnav_order: 1\n---\nLater.\n"),
    ("content/playbook/guide/hidden.md", "---\ntitle: Hidden page\npublished: false\n---\nNot yet.\n"),
    ("content/playbook/guide/moved.md", "---\ntitle: Moved\npermalink: /playbook/elsewhere/\n---\nText.\n"),
    (
        "content/playbook/handbook/onboarding.md",
        "---\ntitle: Onboarding\nredirect_from:\n  - /old/onboarding/\nsidebar: main\nkeywords: [people, first week]\n---\nWelcome.\n",
    ),
    ("content/playbook/handbook/order.md", "---\ntitle: Ordered\norder: 3\nweight: 7\n---\nText.\n"),
];

fn check(root: &Path) -> common::Run {
    pilotdeck(["--root", root.to_str().unwrap(), "check", "--as-of", AS_OF])
}

fn errors(run: &common::Run) -> Vec<String> {
    run.diagnostics().into_iter().filter(|d| d.is_error()).map(|d| d.header).collect()
}

/// The headers of the diagnostics by the rule `code`.
fn by_rule(run: &common::Run, code: &str) -> Vec<String> {
    run.diagnostics().into_iter().filter(|d| d.code == code).map(|d| d.header).collect()
}

#[test]
fn pages_without_front_matter_take_their_title_from_the_h1_or_the_file_name() {
    let dir = site(MKDOCS);
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(errors(&run).is_empty(), "{}", run.stderr);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    // The README is the section page, not a child page `readme/`.
    let playbook = read(&public, "playbook/index.html");
    assert!(playbook.contains("<h1>Engineering Playbook</h1>"), "{playbook}");
    assert_eq!(playbook.matches("Engineering Playbook</h1>").count(), 1, "the H1 is not shown twice");
    assert!(playbook.contains("Welcome to the playbook."));
    assert!(!public.join("playbook/readme").exists());
    // The H1 is taken wherever it is, and not repeated.
    let unit = read(&public, "playbook/engineering/testing/unit-tests/index.html");
    assert_eq!(unit.matches(">Unit tests</h1>").count(), 1, "{unit}");
    assert!(unit.contains("Intro line.") && unit.contains("Write them first."));
    // No heading: the file name, humanised.
    let load = read(&public, "playbook/engineering/testing/load_testing/index.html");
    assert!(load.contains("<h1>Load testing</h1>"), "{load}");
    // `index.md` is a section page too.
    let reviews = read(&public, "playbook/engineering/code-reviews/index.html");
    assert!(reviews.contains("<h1>Code reviews</h1>") && reviews.contains("Two approvals."));
    let testing = read(&public, "playbook/engineering/testing/index.html");
    assert!(testing.contains("<h1>Testing</h1>") && testing.contains("Unit tests"));
    // A folder of folders gets its section page, listing its sections.
    let engineering = read(&public, "playbook/engineering/index.html");
    assert!(engineering.contains("<h1>Engineering</h1>"), "{engineering}");
    assert!(engineering.contains("Code reviews") && engineering.contains("Testing"));
}

#[test]
fn a_folder_of_folders_without_any_page_of_its_own_has_a_section_page() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/handbook/people/hiring/README.md", "# Hiring\n"),
        ("content/handbook/people/leave/README.md", "# Leave\n"),
    ]);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    assert!(read(&public, "handbook/index.html").contains("<h1>Handbook</h1>"));
    assert!(read(&public, "handbook/people/index.html").contains("Hiring"));
    assert!(read(&public, "handbook/people/leave/index.html").contains("<h1>Leave</h1>"));
}

#[test]
fn other_generators_keys_are_honoured_and_the_rest_kept_with_a_warning() {
    let dir = site(JEKYLL);
    common::write(
        dir.path(),
        &[(
            "templates/page.html",
            "{% if page.extra.sidebar is defined %}<p id=\"extra\">{{ page.extra.sidebar }}:{% for k in page.extra.keywords %}[{{ k }}]{% endfor %}:{{ page.extra.redirect_from[0] }}</p>{% endif %}",
        )],
    );
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(errors(&run).is_empty(), "{}", run.stderr);
    let warned = by_rule(&run, "PD025");
    let file = "content/playbook/handbook/onboarding.md";
    for (line, key) in [(5, "sidebar"), (6, "keywords")] {
        let want = format!("{file}:{line}:1: warning: `{key}` is not a key pilotdeck uses: kept as `page.extra.{key}`");
        assert!(warned.iter().any(|w| w.starts_with(&want)), "{want}\n{}", run.stderr);
    }
    assert_eq!(warned.len(), 2, "{}", run.stderr);

    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    // `slug` and `permalink` give the address; `description` is used.
    assert!(!public.join("playbook/guide/getting-started").exists());
    let start = read(&public, "playbook/guide/index.html");
    assert!(start.contains("How to begin"), "{start}");
    assert!(public.join("playbook/guide/start/index.html").exists());
    assert!(public.join("playbook/elsewhere/index.html").exists());
    assert!(!public.join("playbook/guide/moved").exists());
    // `published: false` is a draft.
    assert!(!public.join("playbook/guide/hidden").exists());
    // `nav_order` orders like `weight`: Advanced (1) before Getting started (2).
    let (a, g) = (start.find("Advanced").unwrap(), start.find("Getting started").unwrap());
    assert!(a < g, "{start}");
    // The other keys are there for templates.
    let onboarding = read(&public, "playbook/handbook/onboarding/index.html");
    assert!(onboarding.contains("<p id=\"extra\">main:[people][first week]:/old/onboarding/</p>"), "{onboarding}");
    // `redirect_from`: a page at the old address that sends the reader on.
    let old = read(&public, "old/onboarding/index.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../playbook/handbook/onboarding/\">"),
        "{old}"
    );
    assert!(!read(&public, "sitemap.xml").contains("old/onboarding"));
}

#[test]
fn a_redirect_never_replaces_a_page() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/playbook/a.md", "---\ntitle: A\nredirect_from:\n  - /playbook/b/\n  - /old/a/\n---\n"),
        ("content/playbook/b.md", "---\ntitle: B\nredirect_from: /old/a/\n---\n"),
    ]);
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warned = by_rule(&run, "PD025");
    assert_eq!(
        warned,
        [
            "content/playbook/a.md:4:5: warning: no redirect page made at `/playbook/b/`: a page or another redirect is there",
            "content/playbook/b.md:3:16: warning: no redirect page made at `/old/a/`: a page or another redirect is there",
        ],
        "{}",
        run.stderr
    );
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    assert!(read(&public, "playbook/b/index.html").contains("<h1>B</h1>"));
    assert!(read(&public, "old/a/index.html").contains("url=../../playbook/a/"));
    // At an address pilotdeck makes a page at: PD008.
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/playbook/a.md", "---\ntitle: A\nredirect_from: /tags/\n---\n"),
    ]);
    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        by_rule(&run, "PD008"),
        ["content/playbook/a.md:3:16: error: `content/playbook/a.md` would be published at `/tags/`, where pilotdeck makes the tags page"]
    );
}

#[test]
fn foreign_keys_can_be_turned_off_or_made_errors() {
    let dir = site(JEKYLL);
    let config = std::fs::read_to_string(dir.path().join("pilotdeck.toml")).unwrap_or_default();
    std::fs::write(dir.path().join("pilotdeck.toml"), format!("{config}\n[rules]\nPD025 = \"off\"\n")).unwrap();
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("PD025"), "{}", run.stderr);
    std::fs::write(dir.path().join("pilotdeck.toml"), format!("{config}\n[rules]\nPD025 = \"error\"\n")).unwrap();
    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(errors(&run).len(), 2, "{}", run.stderr);
}

#[test]
fn pilot_records_stay_strict() {
    let dir = site(&[("content/pilots/a.md", "---\ntitle: A\nstage: pilot\nsidebar: main\n---\n")]);
    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(by_rule(&run, "PD002"), ["content/pilots/a.md:4:1: error: unknown key `sidebar`"], "{}", run.stderr);
    // A record still needs its front matter.
    let dir = site(&[("content/pilots/a.md", "# A\n")]);
    assert_eq!(check(dir.path()).code, 1);
}

#[test]
fn two_section_pages_in_one_folder_are_pd008_naming_both() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/playbook/README.md", "# One\n"),
        ("content/playbook/index.md", "# Two\n"),
    ]);
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let e = errors(&run);
    assert_eq!(e, by_rule(&run, "PD008"), "{}", run.stderr);
    assert_eq!(
        e,
        ["content/playbook/index.md:1:1: error: `content/playbook/index.md` and `content/playbook/README.md` would both be published at `/playbook/`"]
    );
}

#[test]
fn a_page_beside_a_folder_of_its_name_is_pd008_naming_both() {
    // With and without a section page of the folder's own.
    for inside in ["content/playbook/foo/bar.md", "content/playbook/foo/README.md"] {
        let dir =
            site(&[("content/pilots/a.md", RECORD), ("content/playbook/foo.md", "# Foo\n"), (inside, "# Inside\n")]);
        let run = check(dir.path());
        assert_eq!(run.code, 1, "{}", run.stdout);
        let e = errors(&run);
        assert_eq!(e.len(), 1, "{inside}: {}", run.stdout);
        assert_eq!(e, by_rule(&run, "PD008"), "{}", run.stdout);
        assert!(e[0].contains("/playbook/foo/"), "{}", e[0]);
        assert!(run.stdout.contains("content/playbook/foo.md") && run.stdout.contains(inside), "{}", run.stdout);
        assert!(!dir.path().join("public").exists());
    }
}

#[test]
fn an_index_html_under_content_is_pd008_naming_both() {
    for (html, page) in [
        ("content/playbook/index.html", "content/playbook/README.md"),
        ("content/playbook/x/index.html", "content/playbook/x.md"),
    ] {
        let dir = site(&[("content/pilots/a.md", RECORD), (page, "# Page\n"), (html, "<h1>template</h1>")]);
        let run = build(dir.path(), &[]);
        assert_eq!(run.code, 1, "{html}: {}", run.stderr);
        let e = errors(&run);
        assert_eq!(e.len(), 1, "{html}: {}", run.stderr);
        assert_eq!(e, by_rule(&run, "PD008"), "{}", run.stderr);
        assert!(e[0].starts_with(&format!("{html}:1:1: error: `{html}` would be published at")), "{}", e[0]);
        assert!(run.stderr.contains(page), "{}", run.stderr);
        assert!(!dir.path().join("public").exists());
    }
    // Without a page there, the HTML file is published as it is.
    let dir = site(&[("content/pilots/a.md", RECORD), ("content/files/index.html", "<h1>mine</h1>")]);
    build_ok(dir.path(), &[]);
    assert_eq!(read(&dir.path().join("public"), "files/index.html"), "<h1>mine</h1>");
}

#[test]
fn a_misspelt_key_is_a_warning_with_the_key_meant() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/playbook/a.md", "+++\ntitle = \"A\"\ndescripton = \"x\"\n+++\n"),
        ("content/playbook/b.md", "+++\nweight = 2\n+++\nText.\n"),
        ("content/playbook/c.md", "# Just a heading\n\nText.\n"),
        ("content/playbook/d.md", "---\ntitle: Same title\n---\n# Same title\n\nText.\n"),
        ("content/playbook/e.md", "---\ntitle: Other title\n---\n# A heading\n\nText.\n"),
    ]);
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = run.diagnostics().into_iter().find(|d| d.code == "PD025").unwrap();
    assert_eq!(
        d.header,
        "content/playbook/a.md:3:1: warning: `descripton` is not a key pilotdeck uses: kept as `page.extra.descripton`"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `description`?"));
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    assert!(read(&public, "playbook/b/index.html").contains("<h1>B</h1>"));
    assert!(read(&public, "playbook/c/index.html").contains("<h1>Just a heading</h1>"));
    // A `# heading` that repeats the title is shown once; another is kept.
    assert_eq!(read(&public, "playbook/d/index.html").matches("Same title</h1>").count(), 1);
    let e = read(&public, "playbook/e/index.html");
    assert!(e.contains("<h1>Other title</h1>") && e.contains("A heading</h1>"), "{e}");
}

#[test]
fn init_empty_writes_a_site_without_the_example_organisation() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let run = pilotdeck(["init", "--empty", root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = read(&root, "pilotdeck.toml");
    assert!(config.starts_with("# pilotdeck.toml: site settings"), "{config}");
    assert!(config.contains("\n[rubric.technical]\n") && !config.to_lowercase().contains("northwind"));
    assert!(root.join("content/pilots").is_dir());
    assert_eq!(std::fs::read_dir(root.join("content/pilots")).unwrap().count(), 0);
    assert!(walkdir(&root.join("content")).is_empty(), "no page of ours to clash with a playbook's own");
    assert!(root.join("content/playbook").is_dir());
    // It checks clean, and so does a playbook of another tool dropped in.
    let run = check(&root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    common::write(&root, &MKDOCS[2..]);
    let run = check(&root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    // A playbook whose top folder has its own README.md, copied in as it is.
    common::write(
        &root,
        &[("content/playbook/README.md", "# Our playbook\n\nStart with [engineering](engineering/).\n")],
    );
    let run = check(&root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    build_ok(&root, &[]);
    assert!(read(&root.join("public"), "playbook/engineering/index.html").contains("<h1>Engineering</h1>"));
    assert!(read(&root.join("public"), "playbook/index.html").contains("<h1>Our playbook</h1>"));
    // Twice is refused, and nothing is overwritten.
    let again = pilotdeck(["init", "--empty", root.to_str().unwrap()]);
    assert_ne!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("already holds a site"), "{}", again.stderr);
    assert_eq!(read(&root, "pilotdeck.toml"), config);
}

/// Every file below `dir`, relative, with `/`.
fn walkdir(dir: &Path) -> Vec<String> {
    common::snapshot(dir).into_keys().collect()
}
