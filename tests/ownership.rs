//! The output folder belongs to pilotdeck only when pilotdeck wrote it:
//! folders with other files, the home folder, folders holding `.git` or the
//! site are refused and left byte for byte as they were; a folder that is
//! not a site is not built; the swap leaves a whole site and nothing else,
//! whatever kills or races it. Every case runs in a fresh temporary folder
//! with `HOME` pointed into it.

use crate::common;

use common::{command, run, snapshot, write, Run, AS_OF};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const RECORD: &str = "+++\ntitle = \"A\"\nstage = \"idea\"\n+++\n";

/// A scratch folder with `home/` (the `HOME` of every run) and `site/`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("home")).unwrap();
        write(&dir.path().join("site"), &[("content/pilots/a.md", RECORD)]);
        Scratch { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn home(&self) -> PathBuf {
        self.path("home")
    }

    fn site(&self) -> PathBuf {
        self.path("site")
    }

    /// `pilotdeck ARGS` run in `cwd` with `HOME` in the scratch folder.
    fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        run(command().args(args).current_dir(cwd).env("HOME", self.home()))
    }

    /// `pilotdeck --root SITE build --as-of AS_OF --output OUT EXTRA...`, run in the scratch folder.
    fn build_into(&self, out: &str, extra: &[&str]) -> Run {
        let site = self.site();
        let mut args = vec!["--root", site.to_str().unwrap(), "build", "--as-of", AS_OF, "--output", out];
        args.extend_from_slice(extra);
        self.run_in(self.dir.path(), &args)
    }
}

/// A folder of someone else's files: returns what it held, to compare.
fn fill_foreign(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    write(dir, &[("notes.txt", "mine"), (".bashrc", "export X=1\n"), ("app/index.html", "<h1>my app</h1>")]);
    snapshot(dir)
}

/// Every entry of `dir` whose name starts with `.` and holds `.new-` or `.old-`.
fn staging_left(dir: &Path) -> Vec<String> {
    let mut left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && (n.contains(".new-") || n.contains(".old-")))
        .collect();
    left.sort();
    left
}

/// A whole built site: its marker, its home page and its search index.
fn assert_whole_site(dir: &Path) {
    for f in [".pilotdeck-output", "index.html", "pilots/a/index.html", "portfolio.json"] {
        assert!(dir.join(f).is_file(), "{} lacks {f}", dir.display());
    }
}

#[test]
fn a_folder_with_other_files_is_refused_and_left_intact() {
    let s = Scratch::new();
    let out = s.path("webapp/public");
    let before = fill_foreign(&out);
    let run = s.build_into(out.to_str().unwrap(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("`{}`", out.display())), "names the folder: {}", run.stderr);
    assert!(run.stderr.contains("`notes.txt`") && run.stderr.contains("`app`"), "names what is in it: {}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(snapshot(&out), before, "nothing touched");
    assert_eq!(staging_left(&s.path("webapp")), Vec::<String>::new());
}

#[test]
fn force_replaces_a_folder_without_the_marker() {
    let s = Scratch::new();
    let out = s.path("old-site");
    fill_foreign(&out);
    let run = s.build_into(out.to_str().unwrap(), &["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_whole_site(&out);
    assert!(!out.join("notes.txt").exists());
    // Now it is pilotdeck's: the next build needs no `--force`.
    let run = s.build_into(out.to_str().unwrap(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn empty_and_missing_folders_are_built_and_marked() {
    let s = Scratch::new();
    fs::create_dir_all(s.path("empty")).unwrap();
    for out in ["empty", "missing/deeper"] {
        let run = s.build_into(s.path(out).to_str().unwrap(), &[]);
        assert_eq!(run.code, 0, "{out}: {}", run.stderr);
        assert_whole_site(&s.path(out));
        let marker = fs::read_to_string(s.path(out).join(".pilotdeck-output")).unwrap();
        assert!(marker.contains("generator = \"pilotdeck\""), "{marker}");
        assert!(marker.contains("site = \"AI Pilot Portfolio\""), "names the site: {marker}");
    }
}

#[test]
fn the_home_folder_is_refused_even_with_force() {
    let s = Scratch::new();
    let home = s.home();
    let before = fill_foreign(&home);
    for extra in [&[][..], &["--force"][..]] {
        let run = s.build_into(home.to_str().unwrap(), extra);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains("home folder"), "{}", run.stderr);
        assert_eq!(snapshot(&home), before, "{extra:?}: nothing touched");
    }
    // `~` as the shell would expand it, and a parent of the home folder.
    let run = s.build_into(s.dir.path().to_str().unwrap(), &["--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(snapshot(&home), before);
}

#[test]
fn folders_the_build_must_never_replace_are_refused_with_force() {
    let s = Scratch::new();
    // A folder holding `.git`: a repository, or a worktree (a `.git` file).
    let repo = s.path("repo");
    let mut before = fill_foreign(&repo);
    write(&repo, &[(".git/HEAD", "ref: refs/heads/main\n")]);
    before.insert(".git/HEAD".into(), b"ref: refs/heads/main\n".to_vec());
    let worktree = s.path("worktree");
    write(&worktree, &[(".git", "gitdir: /elsewhere\n")]);
    let site = s.site();
    for (out, why) in [
        (repo.clone(), ".git"),
        (worktree.clone(), ".git"),
        (site.clone(), "contains the site"),
        (site.join("content"), "inside the site's `content`"),
        (site.join("content/pilots"), "inside the site's `content`"),
        (s.dir.path().to_path_buf(), "home folder"),
        (PathBuf::from("/"), "root of the file system"),
    ] {
        let site_before = snapshot(&site);
        let run = s.build_into(out.to_str().unwrap(), &["--force"]);
        assert_eq!(run.code, 2, "{}: {}", out.display(), run.stderr);
        assert!(run.stderr.contains(why), "{}: {}", out.display(), run.stderr);
        assert_eq!(snapshot(&site), site_before);
    }
    assert_eq!(snapshot(&repo), before);
    assert_eq!(fs::read_to_string(worktree.join(".git")).unwrap(), "gitdir: /elsewhere\n");
    // A parent of the working folder.
    let cwd = s.path("work/here");
    fs::create_dir_all(&cwd).unwrap();
    let run =
        s.run_in(&cwd, &["--root", site.to_str().unwrap(), "build", "--as-of", AS_OF, "--output", "..", "--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("working folder"), "{}", run.stderr);
    assert!(cwd.is_dir());
}

#[test]
fn a_folder_that_is_not_a_site_is_not_built_checked_or_served() {
    let s = Scratch::new();
    let cwd = s.path("not-a-site");
    let before = fill_foreign(&cwd.join("public"));
    write(&cwd, &[("README.md", "# my project\n")]);
    for args in [&["build"][..], &["check"][..], &["serve", "--port", "0"][..]] {
        let run = s.run_in(&cwd, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("not a pilotdeck site"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("pilotdeck init") && run.stderr.contains("--root"), "{}", run.stderr);
    }
    assert_eq!(snapshot(&cwd.join("public")), before);
    // The same through `--root`.
    let run = s.run_in(s.dir.path(), &["--root", cwd.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(snapshot(&cwd.join("public")), before);
}

#[test]
fn a_config_alone_or_content_alone_is_a_site() {
    let s = Scratch::new();
    let only_config = s.path("only-config");
    write(&only_config, &[("pilotdeck.toml", "title = \"T\"\n")]);
    let run = s.run_in(&only_config, &["build", "--as-of", AS_OF]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(only_config.join("public/.pilotdeck-output").is_file());
    let run = s.run_in(&s.site(), &["check", "--as-of", AS_OF]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn stale_staging_folders_of_killed_builds_are_cleaned() {
    let s = Scratch::new();
    let parent = s.path("out");
    let out = parent.join("public");
    assert_eq!(s.build_into(out.to_str().unwrap(), &[]).code, 0);
    // What a build killed while writing, or while removing the old site, leaves.
    write(&parent, &[(".public.new-99999999/index.html", "half"), (".public.old-12345/index.html", "old")]);
    // Not ours: other names stay.
    write(&parent, &[(".public.new-abc/keep.txt", "keep"), (".other.new-1/keep.txt", "keep")]);
    let run = s.build_into(out.to_str().unwrap(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(staging_left(&parent), [".other.new-1", ".public.new-abc"]);
    assert_whole_site(&out);
}

#[test]
fn output_through_a_link_with_a_trailing_slash_replaces_the_target() {
    let s = Scratch::new();
    let target = s.path("real/site-out");
    fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&target, s.path("link")).unwrap();
    for _ in 0..2 {
        let run = s.build_into(&format!("{}/", s.path("link").display()), &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(fs::symlink_metadata(s.path("link")).unwrap().file_type().is_symlink(), "the link stays a link");
    assert_whole_site(&target);
    assert_eq!(staging_left(s.dir.path()), Vec::<String>::new());
    assert_eq!(staging_left(&s.path("real")), Vec::<String>::new());
}

#[test]
fn a_file_or_a_dangling_link_as_output_is_refused() {
    let s = Scratch::new();
    write(s.dir.path(), &[("file.txt", "data")]);
    let run = s.build_into(s.path("file.txt").to_str().unwrap(), &["--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(fs::read_to_string(s.path("file.txt")).unwrap(), "data");
}

/// A site large enough that a debug build takes a while to write.
fn big_site(s: &Scratch) -> PathBuf {
    let root = s.path("big");
    pilotdeck::synth::write_site(&root, 150, 7).unwrap();
    root
}

#[test]
fn concurrent_builds_into_one_output_take_turns() {
    let s = Scratch::new();
    let root = big_site(&s);
    let out = s.path("shared-out");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_pilotdeck"))
            .args(["--root", root.to_str().unwrap(), "build", "--as-of", AS_OF, "--output", out.to_str().unwrap()])
            .env("HOME", s.home())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let builds: Vec<_> = (0..3).map(|_| spawn()).collect();
    for b in builds {
        let done = b.wait_with_output().unwrap();
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    }
    assert!(out.join("index.html").is_file() && out.join(".pilotdeck-output").is_file());
    assert_eq!(staging_left(s.dir.path()), Vec::<String>::new());
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_whole() {
    let s = Scratch::new();
    let root = big_site(&s);
    let out = s.path("killed-out");
    let args = ["--root", root.to_str().unwrap(), "build", "--as-of", AS_OF, "--output", out.to_str().unwrap()];
    let first = s.run_in(s.dir.path(), &args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let whole = snapshot(&out);
    // How long one build takes here, to spread the kills over it.
    let start = std::time::Instant::now();
    assert_eq!(s.run_in(s.dir.path(), &args).code, 0);
    let took = start.elapsed();
    for k in 1..=8u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pilotdeck"))
            .args(args)
            .env("HOME", s.home())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took * k / 8);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever the moment, the output is a whole site, the same one.
        assert_eq!(snapshot(&out), whole, "after a kill at {k}/8 of a build");
    }
    let run = s.run_in(s.dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(snapshot(&out), whole);
    assert_eq!(staging_left(s.dir.path()), Vec::<String>::new(), "the next build cleaned up");
}

#[test]
fn init_overwrites_nothing_that_is_there() {
    let s = Scratch::new();
    let dir = s.path("half");
    write(&dir, &[("static/style.css", "/* mine */"), (".gitlab-ci.yml", "stages: [mine]\n")]);
    let before = snapshot(&dir);
    let run = s.run_in(s.dir.path(), &["init", dir.to_str().unwrap(), "--ci", "gitlab"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`.gitlab-ci.yml`"), "{}", run.stderr);
    assert_eq!(snapshot(&dir), before, "nothing written");
}

#[test]
fn refusals_show_control_characters_escaped() {
    let s = Scratch::new();
    let out = s.path("evil\u{1b}[2Jname");
    write(&out, &[("x\u{1b}]0;title\u{7}.txt", "mine")]);
    let run = s.build_into(out.to_str().unwrap(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'), "{:?}", run.stderr);
    assert!(run.stderr.contains("evil\\u{1b}[2Jname"), "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.trim_start().starts_with("= help:")),
        "the hint keeps its line: {}",
        run.stderr
    );
}
