//! A new user's first hour: `init` writes a site of one's own that checks
//! clean on the day it is made. Each case runs in a fresh temporary folder that is
//! also the home folder.

#![allow(clippy::unwrap_used)]

mod common;

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
    assert_eq!(run.last_line(), "0 errors, 0 warnings", "{}", run.stderr);
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

#[test]
fn help_documents_init() {
    let s = Scratch::new();
    let init = s.run_in(s.dir.path(), &["init", "--help"]).stdout;
    for word in ["--title", "--base-url", "--example", "--empty", "--ci"] {
        assert!(init.contains(word), "init --help lacks {word}:\n{init}");
    }
}
