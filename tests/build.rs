//! Valid sites: what a build writes, the facts it derives for an as-of
//! date, and the words a reader finds on the pages.

use crate::common;

use common::*;
use pilotdeck::config::AsOf;
use pilotdeck::date::Date;
use pilotdeck::model::{Constraint, Pilot, Readiness, Site};
use pilotdeck::pipeline::{analyse, Analysis, Options};
use std::path::Path;

// ------------------------------------------------------------------ sites

const CONFIG: &str = r#"title = "Test Portfolio"
base_url = "https://intranet.example/ai"
"#;

const INVOICE: &str = r#"+++
title = "Invoice matching assistant"
summary = "Matches supplier invoices to purchase orders"
stage = "bridge"
function = "Finance"
owner = "Dana Ruiz"
champion = "Lee Chen"
sponsor = "Maria Gomez"
started = 2026-01-12
target = 2026-06-30
success = "88 percent of invoices matched automatically"
tags = ["document-ai", "erp"]

[stages]
pilot = 2026-01-12
bridge = 2026-03-02

[readiness.technical]
latency = true
monitoring = "https://wiki.example/invoice-ai/monitoring"
fallback = true
integration = false

[readiness.governance]
audit-trail = true

[readiness.workforce]
training = true
process-redesign = "Written up in the finance wiki"
support = false

[[integration]]
system = "ERP"
direction = "reads"
status = "built"

[[constraints]]
title = "Data schema approval pending"
category = "integration"
owner = "Priya Natarajan"
raised = 2026-03-01
due = 2026-03-11
impact = "Blocks the bridge phase"
playbook = "playbook/01-scoping/integration-map"

[[updates]]
week = 2026-03-16
completed = "Matching rules for the top 20 suppliers"
blocker = "Schema approval"
escalation = "Ask the CFO to unblock the schema review"
confidence = { leader = 4, team = 2 }
+++
The invoice matching pilot.

## Lessons learned

Agree the schema early.
"#;

const CLAIMS: &str = r#"+++
title = "Claims triage"
stage = "pilot"
owner = "Sam Okafor"

[[updates]]
week = 2026-03-16
completed = "Triage model v2"
+++
Routes claims. See the [notes](notes.txt).
"#;

const HR: &str = r#"+++
title = "HR policy assistant"
stage = "scoping"

[[updates]]
week = 2026-03-09
+++
"#;

/// A small but complete site: three pilots (one a bundle with a file), a
/// home page and a nested playbook.
fn full_site() -> tempfile::TempDir {
    site(&[
        ("pilotdeck.toml", CONFIG),
        ("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nOur AI pilots at a glance.\n"),
        ("content/pilots/invoice-matching.md", INVOICE),
        ("content/pilots/claims-triage/index.md", CLAIMS),
        ("content/pilots/claims-triage/notes.txt", "field notes\n"),
        ("content/pilots/hr-assistant.md", HR),
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\nHow we take pilots to production.\n"),
        ("content/playbook/01-scoping/_index.md", "+++\ntitle = \"Scoping\"\nweight = 1\n+++\nBefore the build.\n"),
        (
            "content/playbook/01-scoping/integration-map.md",
            "+++\ntitle = \"The integration map\"\naddresses = [\"integration\"]\n+++\nMap every system.\n",
        ),
    ])
}

fn as_of() -> Date {
    Date::parse(AS_OF).unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Reads a site through the library, failing on any error.
fn analysed(root: &Path) -> Analysis {
    let a =
        analyse(&Options { root: root.to_path_buf(), as_of: Some(AsOf::Date(as_of())), ..Default::default() }).unwrap();
    let errors: Vec<_> = a.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    a
}

fn pilot<'a>(site: &'a Site, id: &str) -> &'a Pilot {
    site.pilots.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no pilot `{id}`"))
}

fn dim<'a>(p: &'a Pilot, key: &str) -> &'a Readiness {
    p.readiness.iter().find(|d| d.key == key).unwrap_or_else(|| panic!("no dimension `{key}` in `{}`", p.id))
}

fn constraint<'a>(p: &'a Pilot, id: &str) -> &'a Constraint {
    p.constraints.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no constraint `{id}` in `{}`", p.id))
}

// ------------------------------------------------------------ the build

#[test]
fn full_site_writes_every_page() {
    let dir = full_site();
    let root = dir.path();
    let run = build_ok(root, &[]);
    let public = root.join("public");
    for f in [
        "index.html",
        "pilots/index.html",
        "pilots/invoice-matching/index.html",
        "pilots/claims-triage/index.html",
        "pilots/hr-assistant/index.html",
        "playbook/index.html",
        "playbook/01-scoping/index.html",
        "playbook/01-scoping/integration-map/index.html",
        "404.html",
        "sitemap.xml",
        "style.css",
    ] {
        assert!(public.join(f).is_file(), "public/{f} was not written");
    }
    // A bundle's files are published beside its page.
    assert_eq!(read(&public, "pilots/claims-triage/notes.txt"), "field notes\n");
    // The sitemap lists every page under the base URL.
    let sitemap = read(&public, "sitemap.xml");
    for url in [
        "https://intranet.example/ai/",
        "https://intranet.example/ai/pilots/",
        "https://intranet.example/ai/pilots/invoice-matching/",
        "https://intranet.example/ai/pilots/claims-triage/",
        "https://intranet.example/ai/pilots/hr-assistant/",
        "https://intranet.example/ai/playbook/",
        "https://intranet.example/ai/playbook/01-scoping/",
        "https://intranet.example/ai/playbook/01-scoping/integration-map/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url} missing from the sitemap:\n{sitemap}");
    }
    // The summary line counts what was written.
    let html_files = snapshot(&public).keys().filter(|k| k.ends_with(".html")).count();
    let last = run.last_line();
    assert!(last.starts_with(&format!("built 3 pilots and {html_files} pages as of 2026-03-20 into ")), "{last}");
    // Pages carry their titles.
    let page = text_of(&read(&public, "playbook/01-scoping/integration-map/index.html"));
    assert!(page.contains("The integration map"), "{page}");
    assert!(page.contains("Map every system."), "{page}");
    let home = text_of(&read(&public, "index.html"));
    assert!(home.contains("Our AI pilots at a glance."), "{home}");
    // Nothing else is left in the site folder but the caches, which git
    // ignores.
    let hidden: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".pilotdeck")
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
    assert_eq!(read(root, ".pilotdeck/.gitignore").lines().last(), Some("*"));
    let cached: Vec<String> = std::fs::read_dir(root.join(".pilotdeck"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cached.len(), 7, "{cached:?}");
    for name in [
        "records.bin",
        "pages.bin",
        "search.bin",
        "stream.portfolio.json.bin",
        "stream.constraints.csv.bin",
        "stream.pilots.csv.bin",
    ] {
        assert!(cached.iter().any(|n| n == name), "{cached:?}");
    }
}

#[test]
fn pilot_page_shows_the_record_and_its_derived_facts() {
    let dir = full_site();
    let root = dir.path();
    build_ok(root, &[]);
    let html = read(root, "public/pilots/invoice-matching/index.html");
    let text = text_of(&html);
    for fragment in [
        "Invoice matching assistant",
        "Dana Ruiz",
        "Lee Chen",
        "Maria Gomez",
        "Finance",
        "bridge",
        "2026-06-30",
        "Data schema approval pending",
        // status_text of a constraint due 2026-03-11, as of 2026-03-20
        "overdue by 9 days",
        // the sponsor's fourth question, answered from the ladder (rung 7 days)
        "“Data schema approval pending”, overdue by 9 days: escalate to the sponsor (Maria Gomez).",
        "The team asks (week of 2026-03-16): Ask the CFO to unblock the schema review",
        "What constraint is preventing the next stage now?",
        "Blocks the bridge phase",
        "ERP",
        "Agree the schema early.",
    ] {
        assert!(text.contains(fragment), "`{fragment}` not on the pilot page:\n{text}");
    }
    // Readiness as percentages: technical 3/4, governance 1/4, workforce
    // 2/3 (rounded half up), economic 0/3.
    for percent in ["75", "25", "67", "0"] {
        assert!(
            text.split(|c: char| !c.is_ascii_digit()).any(|n| n == percent),
            "readiness {percent} not on the pilot page:\n{text}"
        );
    }
    // The playbook page the constraint names is linked by its title.
    assert!(text.contains("The integration map"), "{text}");
}

#[test]
fn build_is_deterministic() {
    let dir = full_site();
    let root = dir.path();
    let one = root.join("out-one");
    let two = root.join("out-two");
    build_ok(root, &["--output", one.to_str().unwrap()]);
    build_ok(root, &["--output", two.to_str().unwrap()]);
    let a = snapshot(&one);
    let b = snapshot(&two);
    assert!(!a.is_empty());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the two builds wrote different files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    assert!(!root.join("public").exists(), "--output was not respected");
}

#[test]
fn rebuild_replaces_the_previous_output() {
    let dir = full_site();
    let root = dir.path();
    build_ok(root, &[]);
    assert!(root.join("public/pilots/hr-assistant/index.html").exists());
    std::fs::remove_file(root.join("content/pilots/hr-assistant.md")).unwrap();
    build_ok(root, &[]);
    assert!(!root.join("public/pilots/hr-assistant").exists(), "a removed pilot's page survived the rebuild");
    assert!(root.join("public/pilots/invoice-matching/index.html").exists());
}

#[test]
fn a_rebuild_writes_only_the_files_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let dir = full_site();
    let root = dir.path();
    let first = build_ok(root, &[]);
    let files = snapshot(&root.join("public")).len();
    assert!(first.last_line().ends_with(&format!("({files} of {files} files written, the rest unchanged)")));
    let inode = |p: &str| std::fs::metadata(root.join("public").join(p)).unwrap().ino();
    let (playbook, home) = (inode("playbook/index.html"), inode("index.html"));
    let again = build_ok(root, &[]);
    assert!(
        again.last_line().ends_with(&format!("(0 of {files} files written, the rest unchanged)")),
        "{}",
        again.last_line()
    );
    // One record edited: its page and the pages that gather across records
    // are written; the playbook is left as it was.
    let path = root.join("content/pilots/hr-assistant.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("title = \"", "title = \"Renamed ", 1)).unwrap();
    let third = build_ok(root, &[]);
    let written: usize = third.last_line().rsplit_once('(').unwrap().1.split(' ').next().unwrap().parse().unwrap();
    assert!(written > 0 && written < files / 2, "{}", third.last_line());
    assert_eq!(inode("playbook/index.html"), playbook);
    assert_ne!(inode("index.html"), home);
    assert!(read(&root.join("public"), "pilots/hr-assistant/index.html").contains("Renamed "));
}

#[test]
fn base_url_option_overrides_the_config() {
    let dir = full_site();
    let root = dir.path();
    build_ok(root, &["--base-url", "https://preview.example/x/"]);
    let sitemap = read(root, "public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://preview.example/x/pilots/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("intranet.example"), "{sitemap}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let dir = site(&[
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n"),
        ("content/playbook/public-page.md", "+++\ntitle = \"Public page\"\n+++\n"),
        ("content/playbook/secret.md", "+++\ntitle = \"Secret page\"\ndraft = true\n+++\n"),
        ("content/pilots/hidden.md", "+++\ntitle = \"Hidden pilot\"\nstage = \"idea\"\ndraft = true\n+++\n"),
        ("content/pilots/shown.md", "+++\ntitle = \"Shown pilot\"\nstage = \"idea\"\n+++\n"),
    ]);
    let root = dir.path();
    build_ok(root, &[]);
    let public = root.join("public");
    assert!(public.join("playbook/public-page/index.html").exists());
    assert!(!public.join("playbook/secret").exists());
    assert!(public.join("pilots/shown/index.html").exists());
    assert!(!public.join("pilots/hidden").exists());
    let sitemap = read(&public, "sitemap.xml");
    assert!(!sitemap.contains("secret"), "{sitemap}");
    assert!(!sitemap.contains("hidden"), "{sitemap}");
    let list = text_of(&read(&public, "pilots/index.html"));
    assert!(list.contains("Shown pilot"), "{list}");
    assert!(!list.contains("Hidden pilot"), "{list}");

    build_ok(root, &["--drafts"]);
    assert!(public.join("playbook/secret/index.html").exists());
    assert!(public.join("pilots/hidden/index.html").exists());
    let list = text_of(&read(&public, "pilots/index.html"));
    assert!(list.contains("Hidden pilot"), "{list}");
}

#[test]
fn yaml_front_matter_works_like_toml() {
    let toml = r#"+++
title = "Same pilot"
stage = "bridge"
owner = "Dana Ruiz"
sponsor = "Maria Gomez"
started = 2026-01-12
tags = ["a", "b"]

[stages]
pilot = 2026-01-12
bridge = 2026-03-02

[readiness.workforce]
training = true
process-redesign = "wiki"
support = false

[[constraints]]
title = "Schema approval"
category = "data"
owner = "Priya"
due = 2026-03-11

[[updates]]
week = 2026-03-16
confidence = { leader = 4, team = 2 }
+++
Body text.
"#;
    let yaml = r#"---
title: Same pilot
stage: bridge
owner: Dana Ruiz
sponsor: Maria Gomez
started: 2026-01-12
tags: [a, b]
stages:
  pilot: 2026-01-12
  bridge: "2026-03-02"
readiness:
  workforce:
    training: true
    process-redesign: wiki
    support: false
constraints:
  - title: Schema approval
    category: data
    owner: Priya
    due: 2026-03-11
updates:
  - week: 2026-03-16
    confidence: {leader: 4, team: 2}
---
Body text.
"#;
    let a = site(&[("content/pilots/same.md", toml)]);
    let b = site(&[("content/pilots/same.md", yaml)]);
    // Read alike...
    let (fa, fb) = (analysed(a.path()), analysed(b.path()));
    let (pa, pb) = (pilot(&fa.site, "same"), pilot(&fb.site, "same"));
    assert_eq!(pa.title, pb.title);
    assert_eq!(pa.stage, pb.stage);
    assert_eq!(pa.owner, pb.owner);
    assert_eq!(pa.started, pb.started);
    assert_eq!(pa.tags, pb.tags);
    assert_eq!(dim(pb, "workforce").percent, 67);
    assert_eq!(constraint(pb, "schema-approval").overdue_days, Some(9));
    assert_eq!(pb.facts.confidence_gap, Some(2));
    assert_eq!(pb.stages.len(), 2);
    assert_eq!(format!("{:?}", pa.facts), format!("{:?}", pb.facts), "derived facts differ");
    // ...and built alike, byte for byte.
    build_ok(a.path(), &[]);
    build_ok(b.path(), &[]);
    let (sa, sb) = (snapshot(&a.path().join("public")), snapshot(&b.path().join("public")));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (path, bytes) in &sa {
        assert!(bytes == &sb[path], "{path} differs between the TOML and the YAML record");
    }
}

#[test]
fn init_example_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let run = pilotdeck(["--root".into(), root.as_os_str().to_owned(), "init".into(), "--example".into()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(root.join("pilotdeck.toml").is_file());
    assert!(root.join("content").is_dir());
    let a =
        analyse(&Options { root: root.to_path_buf(), as_of: Some(AsOf::Date(as_of())), ..Default::default() }).unwrap();
    assert!(!a.site.pilots.is_empty(), "init wrote no pilot records");
    assert!(!a.site.pages.is_empty(), "init wrote no playbook pages");
    build_ok(root, &[]);
    assert!(root.join("public/index.html").is_file());
    assert!(root.join("public/pilots/index.html").is_file());
    for p in &a.site.pilots {
        assert!(
            root.join(format!("public/pilots/{}/index.html", p.id)).is_file(),
            "no page for the example pilot `{}`",
            p.id
        );
    }

    // A second init into the same folder is refused, and changes nothing.
    let config = read(root, "pilotdeck.toml");
    let run = pilotdeck(["--root".into(), root.as_os_str().to_owned(), std::ffi::OsString::from("init")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.first_line(),
        format!(
            "error: `{}` already holds a site (pilotdeck.toml or content/); choose an empty folder",
            root.display()
        )
    );
    assert_eq!(read(root, "pilotdeck.toml"), config);
}

#[test]
fn init_refuses_a_folder_with_only_a_config() {
    let dir = site(&[("pilotdeck.toml", "title = \"Mine\"\n")]);
    let run = pilotdeck(["--root".into(), dir.path().as_os_str().to_owned(), std::ffi::OsString::from("init")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(read(dir.path(), "pilotdeck.toml"), "title = \"Mine\"\n");
    assert!(!dir.path().join("content").exists());
}

#[test]
fn empty_site_builds_an_empty_portfolio() {
    // An empty `content/` is a site (a folder with neither it nor a config
    // is refused: tests/ownership.rs).
    let dir = site(&[]);
    let root = dir.path();
    std::fs::create_dir(root.join("content")).unwrap();
    let a = analysed(root);
    assert!(a.site.pilots.is_empty());
    assert_eq!(a.site.portfolio.pilots, 0);
    assert_eq!(a.config.title, "AI Pilot Portfolio");
    let run = build_ok(root, &[]);
    assert!(run.last_line().starts_with("built 0 pilots and "), "{}", run.stderr);
    for f in ["index.html", "pilots/index.html", "404.html", "sitemap.xml"] {
        assert!(root.join("public").join(f).is_file(), "public/{f} missing");
    }
}

#[test]
fn site_template_overrides_the_built_in_one() {
    let dir = site(&[
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n"),
        ("content/playbook/my-page.md", "+++\ntitle = \"My page\"\n+++\nHello.\n"),
        ("templates/page.html", "<p>OVERRIDE-7f3a {{ page.title }}</p>\n"),
    ]);
    let root = dir.path();
    build_ok(root, &[]);
    assert_eq!(read(root, "public/playbook/my-page/index.html"), "<p>OVERRIDE-7f3a My page</p>\n");
    // Other pages still use the built-in templates.
    assert!(!read(root, "public/playbook/index.html").contains("OVERRIDE-7f3a"));
}

#[test]
fn site_static_files_are_copied() {
    let dir = site(&[
        ("pilotdeck.toml", "title = \"Static\"\n"),
        ("static/img/logo.svg", "<svg/>\n"),
        ("static/style.css", "/* mine */\n"),
    ]);
    let root = dir.path();
    build_ok(root, &[]);
    assert_eq!(read(root, "public/img/logo.svg"), "<svg/>\n");
    // The site's own style.css replaces the theme's.
    assert_eq!(read(root, "public/style.css"), "/* mine */\n");
}

// ------------------------------------------------------- derived facts

/// A portfolio built to exercise every derived fact, as of 2026-03-20.
fn facts_site() -> tempfile::TempDir {
    let config = r#"title = "Facts"
stale_after_days = 14

[[escalation]]
after_days = 0
to = "owner"
[[escalation]]
after_days = 7
to = "sponsor"
[[escalation]]
after_days = 21
to = "leadership"

[rubric.technical]
items = [
  { key = "a", text = "A" }, { key = "b", text = "B" }, { key = "c", text = "C" },
  { key = "d", text = "D" }, { key = "e", text = "E" }, { key = "f", text = "F" },
  { key = "g", text = "G" }, { key = "h", text = "H" },
]
"#;
    let alpha = r#"+++
title = "Alpha"
stage = "pilot"
owner = "Dana Ruiz"
sponsor = "Maria Gomez"

[readiness.technical]
a = true
b = true
c = true
d = true
e = "https://wiki.example/e"
f = ""
g = false

[readiness.governance]
risk-assessment = true
audit-trail = true
risk-thresholds = true
data-protection = true

[readiness.workforce]
training = true
process-redesign = "documented in the wiki"
support = false

[readiness.economic]
business-case = true
run-cost = true
value-tracking = true

[[constraints]]
title = "Risk sign-off"
category = "governance"
owner = "R"
due = 2026-03-13

[[constraints]]
title = "Budget line"
category = "economic"
owner = "B"
due = 2026-03-20

[[constraints]]
title = "Schema approval"
category = "data"
owner = "S"
due = 2026-03-19

[[constraints]]
title = "ERP access"
category = "integration"
owner = "E"
due = 2026-02-27

[[constraints]]
title = "Vendor contract"
category = "other"
owner = "V"
due = 2026-03-10
resolved = 2026-03-25

[[constraints]]
title = "Training plan"
category = "workforce"
owner = "T"
raised = 2026-02-01
due = 2026-03-01
resolved = 2026-03-05

[[constraints]]
title = "Named owner"
category = "ownership"
owner = "O"
due = 2026-03-14

[[constraints]]
id = "done-today"
title = "Resolved on the as-of date"
category = "data"
owner = "D"
due = 2026-03-01
resolved = 2026-03-20

[[updates]]
week = 2026-03-06
confidence = { leader = 4, team = 2 }

[[updates]]
week = 2026-02-27
confidence = { leader = 1, team = 5 }
+++
"#;
    let beta = r#"+++
title = "Beta"
stage = "scoping"

[[updates]]
week = 2026-03-05
confidence = { leader = 2, team = 4 }
+++
"#;
    let gamma = r#"+++
title = "Gamma"
stage = "production"
owner = "G"
started = 2025-12-01

[stages]
production = 2026-03-01
pilot = 2026-01-01

[[updates]]
week = 2025-12-01
+++
"#;
    let delta = r#"+++
title = "Delta"
stage = "production"
owner = "D"
started = 2026-01-10

[stages]
production = 2026-02-09

[readiness.technical]
a = true
b = true
c = true
d = true
e = true
f = true
g = true
h = true

[readiness.governance]
risk-assessment = true
audit-trail = true
risk-thresholds = true
data-protection = true

[readiness.workforce]
training = true
process-redesign = true
support = true

[readiness.economic]
business-case = true
run-cost = true
value-tracking = true
+++
"#;
    site(&[
        ("pilotdeck.toml", config),
        ("content/pilots/alpha.md", alpha),
        ("content/pilots/beta.md", beta),
        ("content/pilots/gamma.md", gamma),
        ("content/pilots/delta.md", delta),
        ("content/pilots/epsilon.md", "+++\ntitle = \"Epsilon\"\nstage = \"stalled\"\nowner = \"X\"\n+++\n"),
        (
            "content/pilots/zeta.md",
            "+++\ntitle = \"Zeta\"\nstage = \"retired\"\nowner = \"Z\"\n\n[[updates]]\nweek = 2025-06-02\n+++\n",
        ),
        ("content/pilots/eta.md", "+++\ntitle = \"Eta\"\nstage = \"idea\"\n+++\n"),
    ])
}

#[test]
fn readiness_percent_rounds_half_up() {
    let dir = facts_site();
    let a = analysed(dir.path());
    let alpha = pilot(&a.site, "alpha");
    // Dimensions come in the rubric's order.
    let keys: Vec<&str> = alpha.readiness.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["technical", "governance", "workforce", "economic"]);
    // 5 of 8: `true` and a note count, `""`, `false` and nothing do not.
    let t = dim(alpha, "technical");
    assert_eq!((t.met, t.total, t.percent), (5, 8, 63));
    let w = dim(alpha, "workforce");
    assert_eq!((w.met, w.total, w.percent), (2, 3, 67));
    let g = dim(alpha, "governance");
    assert_eq!((g.met, g.total, g.percent), (4, 4, 100));
    let beta = pilot(&a.site, "beta");
    assert_eq!(dim(beta, "technical").percent, 0);
    assert_eq!(pilotdeck::model::percent(1, 8), 13);
    assert_eq!(pilotdeck::model::percent(1, 3), 33);
    assert_eq!(pilotdeck::model::percent(0, 0), 0);
}

#[test]
fn overdue_constraints_hold_back_their_dimension() {
    let dir = facts_site();
    let a = analysed(dir.path());
    let alpha = pilot(&a.site, "alpha");
    // Every item met, but "Risk sign-off" (governance) and "Named owner"
    // (ownership -> governance) are overdue.
    let g = dim(alpha, "governance");
    assert!(!g.ready);
    assert_eq!(g.blocked_by, ["risk-sign-off", "named-owner"]);
    // data and integration -> technical (items are missing too).
    let t = dim(alpha, "technical");
    assert!(!t.ready);
    assert_eq!(t.blocked_by, ["schema-approval", "erp-access"]);
    // Every item met, and its constraint is due today: not overdue.
    let e = dim(alpha, "economic");
    assert!(e.ready, "{e:?}");
    assert!(e.blocked_by.is_empty());
    // Items missing, no overdue constraint.
    let w = dim(alpha, "workforce");
    assert!(!w.ready);
    assert!(w.blocked_by.is_empty());
    assert!(!alpha.facts.production_ready);
    // Everything met and nothing open: production-ready.
    let delta = pilot(&a.site, "delta");
    assert!(delta.readiness.iter().all(|d| d.ready && d.percent == 100));
    assert!(delta.facts.production_ready);
}

#[test]
fn overdue_days_and_escalation_rungs() {
    let dir = facts_site();
    let a = analysed(dir.path());
    let alpha = pilot(&a.site, "alpha");
    let status = |id: &str| {
        let c = constraint(alpha, id);
        (c.open, c.overdue_days, c.rung, c.escalated_to.clone())
    };
    let to = |s: &str| Some(std::sync::Arc::<str>::from(s));
    // Due on the as-of date: open, not overdue.
    assert_eq!(status("budget-line"), (true, None, None, None));
    // One day past due: the first rung.
    assert_eq!(status("schema-approval"), (true, Some(1), Some(0), to("owner")));
    // Six days: still the first rung; seven: the second.
    assert_eq!(status("named-owner"), (true, Some(6), Some(0), to("owner")));
    assert_eq!(status("risk-sign-off"), (true, Some(7), Some(1), to("sponsor")));
    // Twenty-one days: the third.
    assert_eq!(status("erp-access"), (true, Some(21), Some(2), to("leadership")));
    // Resolved after the as-of date: still open then, and overdue.
    assert_eq!(status("vendor-contract"), (true, Some(10), Some(1), to("sponsor")));
    // Resolved before, or on, the as-of date: closed.
    assert_eq!(status("training-plan"), (false, None, None, None));
    assert_eq!(constraint(alpha, "training-plan").days_to_resolve, Some(32));
    assert_eq!(status("done-today"), (false, None, None, None));
    assert_eq!(alpha.facts.open_constraints, 6);
    assert_eq!(alpha.facts.overdue_constraints, 5);
    assert_eq!(alpha.facts.top_rung, Some(2));
    // The portfolio counts them per rung.
    let p = &a.site.portfolio;
    assert_eq!(p.overdue_constraints, 5);
    assert_eq!(p.open_constraints, 6);
    let per_rung: Vec<(&str, usize)> = p.escalated.iter().map(|r| (r.to.as_str(), r.count)).collect();
    assert_eq!(per_rung, [("owner", 2), ("sponsor", 2), ("leadership", 1)]);
}

#[test]
fn a_ladder_with_one_rung() {
    let dir = site(&[
        ("pilotdeck.toml", "[[escalation]]\nafter_days = 3\nto = \"steering group\"\n"),
        (
            "content/pilots/p.md",
            r#"+++
title = "P"
stage = "pilot"

[[constraints]]
title = "Two days"
owner = "A"
due = 2026-03-18

[[constraints]]
title = "Three days"
owner = "A"
due = 2026-03-17

[[constraints]]
title = "Long ago"
owner = "A"
due = 2025-01-01
+++
"#,
        ),
    ]);
    let a = analysed(dir.path());
    assert_eq!(a.config.escalation.len(), 1);
    let p = pilot(&a.site, "p");
    let two = constraint(p, "two-days");
    assert_eq!((two.overdue_days, two.rung), (Some(2), None));
    assert_eq!(two.escalated_to, None);
    let three = constraint(p, "three-days");
    assert_eq!((three.overdue_days, three.rung), (Some(3), Some(0)));
    assert_eq!(three.escalated_to.as_deref(), Some("steering group"));
    let long = constraint(p, "long-ago");
    assert_eq!((long.overdue_days, long.rung), (Some(443), Some(0)));
    // No category given: `other`, which holds back no dimension.
    assert_eq!(long.category, "other");
    assert!(p.readiness.iter().all(|d| d.blocked_by.is_empty()));
}

#[test]
fn stale_pilots() {
    let dir = facts_site();
    let a = analysed(dir.path());
    let fact = |id: &str| {
        let f = &pilot(&a.site, id).facts;
        (f.last_update, f.days_since_update, f.stale)
    };
    // Exactly 14 days: not stale yet. Updates are read by week, not by
    // their order in the file.
    assert_eq!(fact("alpha"), (Some(date("2026-03-06")), Some(14), false));
    // 15 days: stale.
    assert_eq!(fact("beta"), (Some(date("2026-03-05")), Some(15), true));
    // No update at all, in flight: stale.
    assert_eq!(fact("eta"), (None, None, true));
    // Production, stalled and retired pilots are never stale.
    assert!(!fact("gamma").2);
    assert!(!fact("delta").2);
    assert!(!fact("epsilon").2);
    assert!(!fact("zeta").2);
    assert_eq!(a.site.portfolio.stale, 2);
    // Staleness is a warning, not an error.
    let warnings: Vec<&str> = a.diagnostics.iter().filter(|d| !d.is_error()).map(|d| d.message.as_str()).collect();
    assert!(warnings.contains(&"pilot `beta` has had no update for 15 days (stale after 14)"), "{warnings:?}");
    assert!(warnings.contains(&"pilot `eta` has no weekly update"), "{warnings:?}");
}

#[test]
fn time_to_production() {
    let dir = facts_site();
    let a = analysed(dir.path());
    // From stages.pilot (not `started`) to stages.production.
    assert_eq!(pilot(&a.site, "gamma").facts.time_to_production, Some(59));
    // No stages.pilot: from `started`.
    assert_eq!(pilot(&a.site, "delta").facts.time_to_production, Some(30));
    // Not in production.
    assert_eq!(pilot(&a.site, "alpha").facts.time_to_production, None);
    let p = &a.site.portfolio;
    assert_eq!(p.median_time_to_production, Some(44.5));
    assert_eq!(p.in_production, 2);
    assert_eq!(p.pilots, 7);
    // 2 of 7 = 28.57 percent.
    assert_eq!(p.production_share, 29);
    assert_eq!(p.production_ready, 1);
}

#[test]
fn confidence_gap_of_the_latest_update() {
    let dir = facts_site();
    let a = analysed(dir.path());
    // The latest update by week (2026-03-06: 4 and 2), though written first.
    assert_eq!(pilot(&a.site, "alpha").facts.confidence_gap, Some(2));
    assert_eq!(pilot(&a.site, "beta").facts.confidence_gap, Some(-2));
    assert_eq!(pilot(&a.site, "eta").facts.confidence_gap, None);
    // Only positive gaps make the portfolio's list.
    let alpha = a.site.pilots.iter().position(|p| p.id == "alpha").unwrap();
    assert_eq!(a.site.portfolio.largest_gaps, [(alpha, 2)]);
}

#[test]
fn as_of_changes_the_facts_not_the_content() {
    let dir = facts_site();
    let later = analyse(&Options {
        root: dir.path().to_path_buf(),
        as_of: Some(AsOf::Date(date("2026-03-27"))),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(later.site.as_of, date("2026-03-27"));
    let alpha = pilot(&later.site, "alpha");
    // A week later: "Budget line" is 7 days overdue, "Vendor contract" is
    // resolved (2026-03-25).
    let budget = constraint(alpha, "budget-line");
    assert_eq!((budget.overdue_days, budget.rung), (Some(7), Some(1)));
    assert!(!constraint(alpha, "vendor-contract").open);
    assert!(pilot(&later.site, "alpha").facts.stale);
}
