//! A new user's first hour: `init` writes a site of one's own that checks
//! clean on the day it is made, and `new` adds records and pages with the
//! titles as written. Each case runs in a fresh temporary folder that is
//! also the home folder.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};

/// A temporary folder with a home folder inside it.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        Scratch { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `pilotdeck ARGS` run in `cwd`, with HOME in the scratch folder.
    fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        run(command().current_dir(cwd).env("HOME", self.path("home")).args(args))
    }

    /// `pilotdeck init site ARGS` in the scratch folder; the site's folder.
    fn init(&self, args: &[&str]) -> PathBuf {
        let mut all = vec!["init", "site"];
        all.extend(args);
        let run = self.run_in(self.dir.path(), &all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        self.path("site")
    }
}

/// `check` found nothing: exit 0 and the summary `0 errors, 0 warnings`.
fn assert_clean(run: &Run) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert_eq!(run.stdout.lines().last().unwrap_or(""), "0 errors, 0 warnings", "{}", run.stdout);
}

/// The front matter of a `+++` record or page, parsed.
fn front_matter(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    let inner = text.strip_prefix("+++\n").and_then(|t| t.split_once("\n+++\n")).map(|(fm, _)| fm).unwrap();
    inner.parse().unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

// ------------------------------------------------------------------ init

#[test]
fn init_writes_a_site_that_checks_and_builds_clean_today() {
    let s = Scratch::new();
    let run = s.run_in(s.dir.path(), &["init", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The next commands, on standard output, in the order they are typed.
    let out = &run.stdout;
    let (cd, new, serve) =
        (out.find("cd site").unwrap(), out.find("pilotdeck new pilot").unwrap(), out.find("pilotdeck serve").unwrap());
    assert!(cd < new && new < serve, "{out}");

    let root = s.path("site");
    for rel in [
        "pilotdeck.toml",
        ".gitignore",
        "content/_index.md",
        "content/pilots/example-pilot.md",
        "content/playbook/how-we-run-pilots.md",
    ] {
        assert!(root.join(rel).is_file(), "{rel} missing");
    }
    assert_eq!(std::fs::read_dir(root.join("content/pilots")).unwrap().count(), 1, "one example record");
    assert!(read(&root, ".gitignore").lines().any(|l| l == "public/"));
    let config = read(&root, "pilotdeck.toml");
    assert!(!config.to_lowercase().contains("northwind"), "{config}");
    assert!(config.contains("\ntitle = \"AI Pilot Portfolio\"\n"), "{config}");

    // The example shows every part of a record.
    let record = front_matter(&root.join("content/pilots/example-pilot.md"));
    for key in ["owner", "started", "target", "success", "stages", "readiness", "integration", "constraints", "updates"]
    {
        assert!(record.contains_key(key), "the example record has no `{key}`");
    }
    let open = &record["constraints"].as_array().unwrap()[0];
    assert!(open.get("owner").is_some() && open.get("due").is_some() && open.get("resolved").is_none());

    // Clean for the config's as-of (`today`) and for `--as-of today`.
    assert_clean(&s.run_in(&root, &["check"]));
    assert_clean(&s.run_in(&root, &["check", "--as-of", "today"]));
    for extra in [&[][..], &["--as-of", "today"][..]] {
        let mut args = vec!["build"];
        args.extend(extra);
        let run = s.run_in(&root, &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        assert!(run.last_line().starts_with("built 1 pilots and "), "{}", run.stderr);
    }
    assert!(read(&root, "public/pilots/example-pilot/index.html").contains("first-draft replies"));
    assert!(read(&root, "public/playbook/how-we-run-pilots/index.html").contains("How we run pilots"));
}

#[test]
fn init_takes_the_title_and_address() {
    let s = Scratch::new();
    let root = s.init(&["--title", "Acme \"AI\" — Piloten", "--base-url", "https://wiki.acme.example/ai"]);
    let config: toml::Table = read(&root, "pilotdeck.toml").parse().unwrap();
    assert_eq!(config["title"].as_str(), Some("Acme \"AI\" — Piloten"));
    assert_eq!(config["base_url"].as_str(), Some("https://wiki.acme.example/ai"));
    assert_eq!(front_matter(&root.join("content/_index.md"))["title"].as_str(), Some("Acme \"AI\" — Piloten"));
    assert_clean(&s.run_in(&root, &["check"]));
    let run = s.run_in(&root, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&root, "public/index.html");
    assert!(home.contains("Acme &quot;AI&quot; — Piloten"), "{home}");
    assert!(read(&root, "public/sitemap.xml").contains("https://wiki.acme.example/ai/pilots/example-pilot/"));

    // An address that is not one is refused before anything is written.
    let run = s.run_in(s.dir.path(), &["init", "other", "--base-url", "intranet/ai"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("PD009"), "{}", run.stderr);
    assert!(!s.path("other").exists());
}

#[test]
fn init_adds_public_to_a_gitignore_that_is_there() {
    let s = Scratch::new();
    write(&s.path("a"), &[(".gitignore", "target/\n*.log")]);
    assert_eq!(s.run_in(s.dir.path(), &["init", "a"]).code, 0);
    assert_eq!(read(&s.path("a"), ".gitignore"), "target/\n*.log\npublic/\n");
    write(&s.path("b"), &[(".gitignore", "/public\n")]);
    assert_eq!(s.run_in(s.dir.path(), &["init", "b"]).code, 0);
    assert_eq!(read(&s.path("b"), ".gitignore"), "/public\n", "left as it was");
}

#[test]
fn init_example_writes_the_example_organisation() {
    let s = Scratch::new();
    let root = s.init(&["--example"]);
    assert_eq!(std::fs::read_dir(root.join("content/pilots")).unwrap().count(), 12);
    assert!(read(&root, "pilotdeck.toml").contains("Northwind"));
    assert!(read(&root, ".gitignore").lines().any(|l| l == "public/"));
    assert!(!root.join("content/pilots/example-pilot.md").exists());
    let run = s.run_in(&root, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `--empty` and `--example` are two different sites.
    let run = s.run_in(s.dir.path(), &["init", "x", "--example", "--empty"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!s.path("x").exists());
}

#[test]
fn init_overwrites_nothing() {
    let s = Scratch::new();
    let root = s.init(&[]);
    let before = snapshot(&root);
    let run = s.run_in(s.dir.path(), &["init", "site"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("already holds a site"), "{}", run.stderr);
    assert_eq!(snapshot(&root), before);
}

// ------------------------------------------------------------------ new

#[test]
fn new_pilot_keeps_the_title_and_transliterates_the_id() {
    let s = Scratch::new();
    let root = s.init(&[]);
    let run = s.run_in(&root, &["new", "pilot", "Über café — étude"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "content/pilots/uber-cafe-etude.md\n");
    let record = front_matter(&root.join("content/pilots/uber-cafe-etude.md"));
    assert_eq!(record["title"].as_str(), Some("Über café — étude"));
    assert_eq!(record["stage"].as_str(), Some("idea"));

    // A title in Japanese is transliterated, not refused.
    let run = s.run_in(&root, &["new", "pilot", "請求書の自動照合"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = run.stdout.trim();
    let id = rel.strip_prefix("content/pilots/").and_then(|r| r.strip_suffix(".md")).unwrap();
    assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{id}");
    assert_eq!(front_matter(&root.join(rel))["title"].as_str(), Some("請求書の自動照合"));

    // Quotes and backslashes are escaped, not cut.
    let run = s.run_in(&root, &["new", "pilot", "The \"quoted\" \\ one", "--id", "quoted"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(front_matter(&root.join("content/pilots/quoted.md"))["title"].as_str(), Some("The \"quoted\" \\ one"));

    // Every one of them is a record the site reads without a problem.
    assert_clean(&s.run_in(&root, &["check"]));
    let run = s.run_in(&root, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(&root, "public/pilots/uber-cafe-etude/index.html").contains("Über café — étude"));
}

#[test]
fn new_pilot_with_stage_and_owner_checks_clean_in_a_new_site() {
    let s = Scratch::new();
    let root = s.init(&[]);
    let run = s.run_in(&root, &["new", "pilot", "Invoice matching", "--stage", "bridge", "--owner", "Zoë O'Brien"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let record = front_matter(&root.join("content/pilots/invoice-matching.md"));
    assert_eq!(record["stage"].as_str(), Some("bridge"));
    assert_eq!(record["owner"].as_str(), Some("Zoë O'Brien"));
    assert!(record["stages"].as_table().unwrap().contains_key("bridge"));
    assert_clean(&s.run_in(&root, &["check"]));
    assert_clean(&s.run_in(&root, &["check", "--as-of", "today"]));
    // With the defaults too.
    assert_eq!(s.run_in(&root, &["new", "pilot", "Contract review"]).code, 0);
    assert_clean(&s.run_in(&root, &["check"]));
}

#[test]
fn new_pilot_refuses_an_id_the_site_has() {
    let s = Scratch::new();
    let root = s.init(&[]);
    let example = read(&root, "content/pilots/example-pilot.md");
    let run = s.run_in(&root, &["new", "pilot", "Mine", "--id", "example-pilot"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.first_line(), "error: the site already has a pilot with the id `example-pilot`");
    assert_eq!(read(&root, "content/pilots/example-pilot.md"), example, "untouched");

    // The same id from another name: a folder record, a name that makes it.
    write(&root, &[("content/pilots/Café/index.md", "+++\ntitle = \"Café\"\nstage = \"idea\"\n+++\n")]);
    let run = s.run_in(&root, &["new", "pilot", "cafe"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("the id `cafe`") && run.stderr.contains("--id"), "{}", run.stderr);
    assert!(!root.join("content/pilots/cafe.md").exists());

    // Twice the same title: the second is refused, the first kept.
    assert_eq!(s.run_in(&root, &["new", "pilot", "Alpha"]).code, 0);
    let first = read(&root, "content/pilots/alpha.md");
    assert_eq!(s.run_in(&root, &["new", "pilot", "ALPHA"]).code, 2);
    assert_eq!(read(&root, "content/pilots/alpha.md"), first);
}

#[test]
fn new_pilot_refuses_a_bad_id_or_stage() {
    let s = Scratch::new();
    let root = s.init(&[]);
    let before = snapshot(&root);
    let run = s.run_in(&root, &["new", "pilot", "X", "--id", "Über Uns"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.first_line(), "error: `Über Uns` is not a pilot id");
    assert!(run.stderr.contains("such as `uber-uns`"), "{}", run.stderr);
    let run = s.run_in(&root, &["new", "pilot", "X", "--stage", "piolt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.first_line(), "error: `piolt` is not a stage of this site");
    assert!(run.stderr.contains("`pilot`"), "{}", run.stderr);
    let run = s.run_in(&root, &["new", "pilot", "— ※ —"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.first_line().starts_with("error: cannot make an id from `— ※ —`"), "{}", run.stderr);
    assert!(run.stderr.contains("--id"), "{}", run.stderr);
    assert_eq!(snapshot(&root), before, "nothing written");

    // A stage the site's config adds is taken.
    let config = read(&root, "pilotdeck.toml").replace("\"pilot\", \"bridge\"", "\"pilot\", \"trial\", \"bridge\"");
    write(&root, &[("pilotdeck.toml", &config)]);
    assert_eq!(s.run_in(&root, &["new", "pilot", "X", "--stage", "trial"]).code, 0);
    assert_eq!(front_matter(&root.join("content/pilots/x.md"))["stage"].as_str(), Some("trial"));
}

#[test]
fn new_page_writes_a_page_with_its_title() {
    let s = Scratch::new();
    let root = s.init(&[]);
    let run = s.run_in(&root, &["new", "page", "playbook/01-scoping/Über uns"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "content/playbook/01-scoping/uber-uns.md\n");
    assert_eq!(front_matter(&root.join("content/playbook/01-scoping/uber-uns.md"))["title"].as_str(), Some("Über uns"));
    let run = s.run_in(&root, &["new", "page", "playbook/kick-off", "--title", "Kick-off: «day one»"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(front_matter(&root.join("content/playbook/kick-off.md"))["title"].as_str(), Some("Kick-off: «day one»"));
    assert_clean(&s.run_in(&root, &["check"]));

    let before = snapshot(&root);
    let run = s.run_in(&root, &["new", "page", "playbook/kick-off"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    let run = s.run_in(&root, &["new", "page", "pilots/x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("new pilot"), "{}", run.stderr);
    assert_eq!(snapshot(&root), before, "nothing written");
}

#[test]
fn new_outside_a_site_is_refused() {
    let s = Scratch::new();
    for args in [&["new", "pilot", "A"][..], &["new", "page", "playbook/a"][..]] {
        let run = s.run_in(s.dir.path(), args);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("not a pilotdeck site"), "{}", run.stderr);
    }
    assert!(!s.path("content").exists());
}

#[test]
fn help_documents_init_and_new() {
    let s = Scratch::new();
    let init = s.run_in(s.dir.path(), &["init", "--help"]).stdout;
    for word in ["--title", "--base-url", "--example", "--empty", "--ci"] {
        assert!(init.contains(word), "init --help lacks {word}:\n{init}");
    }
    let pilot = s.run_in(s.dir.path(), &["new", "pilot", "--help"]).stdout;
    for word in ["--id", "--stage", "--owner", "uber-cafe-etude"] {
        assert!(pilot.contains(word), "new pilot --help lacks {word}:\n{pilot}");
    }
    let page = s.run_in(s.dir.path(), &["new", "page", "--help"]).stdout;
    assert!(page.contains("--title"), "{page}");
}
