//! Getting a `pilotdeck` that stays: `--version` names the commit the binary
//! was built from, and the git hook runs the binary that installed it by
//! its absolute path, with no `pilotdeck` on PATH, and says so plainly when
//! that binary is gone.

use crate::common;

use common::{run, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary folder with HOME inside it and a git repository holding a
/// new site at `repo/`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(s.home()).unwrap();
        let init = run(s.env(&mut Command::new(env!("CARGO_BIN_EXE_pilotdeck"))).arg("init").arg(s.repo()));
        assert_eq!(init.code, 0, "{}", init.stderr);
        s.git(&["init", "-q"]);
        s
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// A clean environment: HOME in the scratch folder, no user or system
    /// git config, and a PATH that holds no `pilotdeck`.
    fn env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env_clear()
            .env("HOME", self.home())
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", self.dir.path())
            .env("NO_COLOR", "1")
    }

    fn git(&self, args: &[&str]) -> Run {
        let run = run(self
            .env(&mut Command::new("git"))
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
            .arg("-C")
            .arg(self.repo())
            .args(args));
        assert_eq!(run.code, 0, "git {args:?}: {}", run.stderr);
        run
    }

    /// `hook install` run by the binary at `exe`, in the site's folder.
    fn install_hook(&self, exe: &Path) -> Run {
        run(self.env(&mut Command::new(exe)).current_dir(self.repo()).args(["hook", "install"]))
    }

    fn hook_text(&self) -> String {
        std::fs::read_to_string(self.repo().join(".git/hooks/post-commit")).unwrap()
    }

    /// Commits everything under content/ and returns what git printed
    /// (the hook's output among it).
    fn commit(&self, message: &str) -> Run {
        self.git(&["add", "pilotdeck.toml", "content"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message])
    }
}

/// The version line: `pilotdeck 0.1.0 (abc1234 2026-12-06)`, with the
/// commit of the checkout the test binary was built from.
#[test]
fn version_names_the_commit_it_was_built_from() {
    let run = run(Command::new(env!("CARGO_BIN_EXE_pilotdeck")).arg("--version"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stdout.trim_end();
    let rest = line.strip_prefix(concat!("pilotdeck ", env!("CARGO_PKG_VERSION"), " (")).expect(line);
    let inside = rest.strip_suffix(')').expect(line);
    let head = Command::new("git")
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string());
    let Some(head) = head else {
        // Built without git: the build still worked and says so.
        assert_eq!(inside, "commit unknown", "{line}");
        return;
    };
    let (short, date) = inside.split_once(' ').expect(line);
    assert_eq!(short, &head[..7], "{line}");
    assert!(date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-', "{line}");
}

#[test]
fn the_hook_runs_the_binary_that_installed_it_by_its_absolute_path() {
    let s = Scratch::new();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_pilotdeck")).unwrap();
    let install = s.install_hook(&exe);
    assert_eq!(install.code, 0, "{}", install.stderr);
    assert!(install.stderr.contains(&exe.display().to_string()), "{}", install.stderr);
    let hook = s.hook_text();
    assert!(hook.contains(&format!("pilotdeck='{}'\n", exe.display())), "{hook}");
    assert!(hook.contains("site='.'\n"), "{hook}");
    // No `pilotdeck` on the PATH the commit runs with: only the path in the
    // hook can rebuild the site.
    let on_path = run(s.env(&mut Command::new("sh")).args(["-c", "command -v pilotdeck"]));
    assert_ne!(on_path.code, 0, "a pilotdeck on PATH would hide the point: {}", on_path.stdout);
    assert!(!s.repo().join("public").exists());
    let commit = s.commit("first");
    assert!(!commit.stderr.contains("not rebuilt"), "{}", commit.stderr);
    assert!(s.repo().join("public/index.html").is_file(), "the commit built the site: {}", commit.stderr);
}

/// A binary at a path with a space and a quote in it is named safely; when
/// it is gone, the hook says what to do and the commit still goes in.
#[test]
fn the_hook_quotes_the_path_and_says_when_the_binary_is_gone() {
    let s = Scratch::new();
    let folder = s.dir.path().join("it's a bin");
    std::fs::create_dir_all(&folder).unwrap();
    let exe = folder.join("pilotdeck");
    std::fs::copy(env!("CARGO_BIN_EXE_pilotdeck"), &exe).unwrap();
    let install = s.install_hook(&exe);
    assert_eq!(install.code, 0, "{}", install.stderr);
    let hook = s.hook_text();
    let quoted =
        format!("pilotdeck='{}/it'\\''s a bin/pilotdeck'\n", std::fs::canonicalize(s.dir.path()).unwrap().display());
    assert!(hook.contains(&quoted), "{hook}");
    let commit = s.commit("first");
    assert!(s.repo().join("public/index.html").is_file(), "{}", commit.stderr);

    std::fs::remove_file(&exe).unwrap();
    let commit = s.commit("second");
    assert!(
        commit.stderr.contains("the site was not rebuilt:") && commit.stderr.contains("is gone"),
        "{}",
        commit.stderr
    );
    assert!(commit.stderr.contains("`pilotdeck hook install`"), "{}", commit.stderr);
    assert!(!commit.stderr.contains("not found"), "{}", commit.stderr);
    let log = s.git(&["log", "--format=%s"]);
    assert_eq!(log.stdout, "second\nfirst\n", "the commit is never blocked");
}

/// The hook of a site in a folder below the repository's top builds that
/// folder, whatever folder git runs it from.
#[test]
fn the_hook_builds_a_site_below_the_top_of_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let s = Scratch { dir };
    std::fs::create_dir_all(s.home()).unwrap();
    std::fs::create_dir_all(s.repo()).unwrap();
    s.git(&["init", "-q"]);
    let site = s.repo().join("docs/portfolio");
    let exe = env!("CARGO_BIN_EXE_pilotdeck");
    assert_eq!(run(s.env(&mut Command::new(exe)).arg("init").arg(&site)).code, 0);
    let install = run(s.env(&mut Command::new(exe)).arg("--root").arg(&site).args(["hook", "install"]));
    assert_eq!(install.code, 0, "{}", install.stderr);
    assert!(s.hook_text().contains("site='docs/portfolio'\n"), "{}", s.hook_text());
    s.git(&["add", "docs"]);
    let commit = s.git(&["commit", "-q", "-m", "first"]);
    assert!(site.join("public/index.html").is_file(), "{}", commit.stderr);
}

#[test]
fn hook_install_outside_a_repository_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = Scratch { dir };
    std::fs::create_dir_all(s.home()).unwrap();
    std::fs::create_dir_all(s.repo()).unwrap();
    let run = s.install_hook(Path::new(env!("CARGO_BIN_EXE_pilotdeck")));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not inside a git repository"), "{}", run.stderr);
}
