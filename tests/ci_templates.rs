//! The CI workflows `pilotdeck ci github|gitlab` writes, run without a
//! container: each shell step of the generated file, in order, with `sh -e`
//! in a temporary git repository holding a site made by `pilotdeck init`,
//! as the CI service would run it. `cargo` is a stand-in that records how
//! it was called and installs this test's own `pilotdeck`, so a typo in a
//! command, a wrong flag or a wrong output path fails here, not on a
//! user's first push. Also: what the issue asks of the files (full history,
//! a pinned revision, nothing from the crate registry, Pages commented out,
//! the default branch not written in), and `ci` on an existing site.

use crate::common;

use common::{run, Run};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPO_URL: &str = "https://git.example/tools/pilotdeck.git";

/// A temporary folder with HOME inside it, a stand-in `cargo`, and a git
/// repository with one commit of a site made by `pilotdeck init`.
struct Scratch {
    dir: tempfile::TempDir,
    /// The site's folder below the repository's top (`.` at the top).
    site: String,
}

impl Scratch {
    fn new(site: &str) -> Scratch {
        let s = Scratch { dir: tempfile::tempdir().unwrap(), site: site.to_string() };
        std::fs::create_dir_all(s.home()).unwrap();
        std::fs::create_dir_all(s.repo()).unwrap();
        s.git(&["init", "-q"]);
        let init = s.pilotdeck(&["init", s.site_dir().to_str().unwrap()]);
        assert_eq!(init.code, 0, "{}", init.stderr);
        s.git(&["add", "."]);
        s.git(&["commit", "-q", "-m", "the site"]);
        let shims = s.dir.path().join("shims");
        std::fs::create_dir_all(&shims).unwrap();
        // `cargo install ... [--root DIR] pilotdeck`: logs its arguments and
        // puts this test's binary where cargo would put the one it builds.
        let cargo = shims.join("cargo");
        std::fs::write(
            &cargo,
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$HOME/cargo-calls\"\n\
             root=\"${CARGO_HOME:-$HOME/.cargo}\"\n\
             while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=\"$2\"; shift; done\n\
             mkdir -p \"$root/bin\" && ln -sf \"$PILOTDECK_UNDER_TEST\" \"$root/bin/pilotdeck\"\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
        s
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn site_dir(&self) -> PathBuf {
        self.repo().join(&self.site)
    }

    /// A clean environment: HOME in the scratch folder, no git config from
    /// outside, and a PATH on which no `pilotdeck` is found before the
    /// workflow installs one (the CI runner's `~/.cargo/bin` included).
    fn env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        let path = format!(
            "{}:{}/.cargo/bin:/usr/local/bin:/usr/bin:/bin",
            self.dir.path().join("shims").display(),
            self.home().display()
        );
        cmd.env_clear()
            .env("HOME", self.home())
            .env("PATH", path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", self.dir.path())
            .env("NO_COLOR", "1")
            .env("PILOTDECK_UNDER_TEST", env!("CARGO_BIN_EXE_pilotdeck"))
            .current_dir(self.repo())
    }

    fn git(&self, args: &[&str]) -> Run {
        let run = run(self
            .env(&mut Command::new("git"))
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
            .args(args));
        assert_eq!(run.code, 0, "git {args:?}: {}", run.stderr);
        run
    }

    fn pilotdeck(&self, args: &[&str]) -> Run {
        run(self.env(&mut Command::new(env!("CARGO_BIN_EXE_pilotdeck"))).args(args))
    }

    /// `pilotdeck ci KIND --repo URL` in the site's folder; the file it wrote.
    fn add_ci(&self, kind: &str, rel: &str) -> String {
        let run = run(self
            .env(&mut Command::new(env!("CARGO_BIN_EXE_pilotdeck")))
            .current_dir(self.site_dir())
            .args(["ci", kind, "--repo", REPO_URL]));
        assert_eq!(run.code, 0, "{}", run.stderr);
        std::fs::read_to_string(self.repo().join(rel)).unwrap()
    }

    /// Runs `script` as the CI service would: `sh -e` in the repository,
    /// with `env` on top of the clean environment.
    fn sh(&self, script: &str, env: &BTreeMap<String, String>) -> Run {
        run(self.env(&mut Command::new("sh")).envs(env).arg("-e").arg("-c").arg(script))
    }

    /// Every `cargo` call the workflow made, one line each.
    fn cargo_calls(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.home().join("cargo-calls")).unwrap_or_default();
        text.lines().map(str::to_string).collect()
    }
}

/// The commit `pilotdeck --version` names, in full, or `None` when the
/// binary was built without git.
fn built_from() -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let head = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let version = run(Command::new(env!("CARGO_BIN_EXE_pilotdeck")).arg("--version")).stdout;
    version.contains(&format!("({}", &head[..7])).then_some(head)
}

/// The lines of a file that are not comments.
fn live_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).collect()
}

/// The words of a text, split at anything but a letter or digit.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

/// What the two files must say whatever the service.
fn assert_common(text: &str) {
    let live = live_lines(text).join("\n");
    for line in live.lines().filter(|l| l.contains("cargo install")) {
        assert!(
            line.contains("--locked --git \"$PILOTDECK_GIT\" --rev \"$PILOTDECK_REV\""),
            "pilotdeck comes from a pinned revision, never the crate registry: {line}"
        );
    }
    assert!(live.contains("cargo install"), "{text}");
    assert!(live.contains(&format!("PILOTDECK_GIT: \"{REPO_URL}\"")), "{text}");
    match built_from() {
        Some(head) => assert!(live.contains(&format!("PILOTDECK_REV: \"{head}\"")), "{text}"),
        None => assert!(live.contains("REPLACE-WITH-A-PILOTDECK-COMMIT"), "{text}"),
    }
    for word in ["main", "master"] {
        assert!(!words(text).contains(&word), "the default branch is the repository's, not `{word}`");
    }
    assert!(!live.contains("base_url") && !live.contains("--base-url"), "the site's own base_url is used");
    assert!(text.contains("WARNING") && text.contains("public"), "Pages comes with its warning");
}

#[derive(Deserialize)]
struct Workflow {
    #[serde(rename = "on")]
    triggers: BTreeMap<String, Option<serde_json::Value>>,
    #[serde(default)]
    permissions: BTreeMap<String, String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    jobs: BTreeMap<String, Job>,
}

#[derive(Deserialize)]
struct Job {
    steps: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    uses: Option<String>,
    run: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    #[serde(default)]
    with: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// `${{ env.NAME }}` replaced with the workflow's value; any other
/// expression is refused, since this test cannot know its value.
fn expand(value: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = value.to_string();
    for (k, v) in env {
        out = out.replace(&format!("${{{{ env.{k} }}}}"), v);
    }
    assert!(!out.contains("${{"), "an expression this test cannot evaluate: {value}");
    out
}

/// Runs the GitHub workflow's `site` job step by step, as the runner would
/// on a push; returns what each shell step printed.
fn run_github_job(s: &Scratch, wf: &Workflow) -> Vec<Run> {
    let mut env = wf.env.clone();
    env.insert("GITHUB_WORKSPACE".into(), s.repo().display().to_string());
    env.insert("RUNNER_TEMP".into(), s.dir.path().join("runner-temp").display().to_string());
    env.insert("CI".into(), "true".into());
    let mut runs = Vec::new();
    let mut uploaded = false;
    let mut saved = false;
    let mut site_cache = None;
    for step in &wf.jobs["site"].steps {
        if let Some(cond) = &step.condition {
            // The cache is empty on a first run.
            assert_eq!(cond, "steps.cache.outputs.cache-hit != 'true'", "a condition this test does not know");
        }
        match (&step.uses, &step.run) {
            (Some(uses), None) if uses.starts_with("actions/checkout@") => {
                assert_eq!(step.with.get("fetch-depth"), Some(&serde_json::json!(0)), "full history");
            }
            (Some(uses), None) if uses.starts_with("actions/cache@") => {
                // The site's cache folder, restored from the latest run
                // (none on a first run) and saved after this one.
                let path = expand(step.with["path"].as_str().unwrap(), &env);
                assert!(path.ends_with(".pilotdeck"), "{path}");
                assert_eq!(step.with["key"], "pilotdeck-site-${{ runner.os }}-${{ github.sha }}");
                assert_eq!(step.with["restore-keys"], "pilotdeck-site-${{ runner.os }}-");
                site_cache = Some(path);
            }
            (Some(uses), None)
                if uses.starts_with("actions/cache/restore@") || uses.starts_with("actions/cache/save@") =>
            {
                let key = step.with["key"].as_str().unwrap();
                assert_eq!(
                    key, "pilotdeck-${{ runner.os }}-${{ env.PILOTDECK_REV }}",
                    "the cache follows the pinned revision"
                );
                // What is cached is where cargo installs on the runner.
                assert_eq!(step.with["path"], "~/.cargo/bin/pilotdeck");
                if uses.starts_with("actions/cache/save@") {
                    assert!(s.home().join(".cargo/bin/pilotdeck").exists(), "saved after the install");
                    saved = true;
                }
            }
            (Some(uses), None) if uses.starts_with("actions/upload-artifact@") => {
                let path = expand(step.with["path"].as_str().unwrap(), &env);
                assert!(s.repo().join(&path).join("index.html").is_file(), "the artifact `{path}` holds the site");
                uploaded = true;
            }
            (None, Some(script)) => {
                assert!(!script.contains("${{"), "a shell step reads variables, not expressions: {script}");
                let mut step_env = env.clone();
                step_env.extend(step.env.clone());
                let out = s.sh(script, &step_env);
                assert_eq!(out.code, 0, "step `{script}` failed:\n{}\n{}", out.stdout, out.stderr);
                runs.push(out);
            }
            _ => panic!("a step this test does not know: {:?} {:?}", step.uses, step.run),
        }
    }
    assert!(uploaded, "the site is uploaded as an artifact");
    assert!(saved, "the installed pilotdeck is cached");
    let site_cache = site_cache.expect("the site's cache folder is kept between runs");
    assert!(s.repo().join(&site_cache).join("records.bin").is_file(), "the run leaves `{site_cache}` to save");
    runs
}

fn check_github(site: &str) {
    let s = Scratch::new(site);
    let text = s.add_ci("github", ".github/workflows/pilotdeck.yml");
    assert_common(&text);
    let wf: Workflow = serde_saphyr::from_str(&text).unwrap();
    for trigger in ["push", "schedule", "workflow_dispatch"] {
        assert!(wf.triggers.contains_key(trigger), "on: {trigger}");
    }
    assert_eq!(wf.triggers["push"], None, "every push, no branch written in");
    assert_eq!(wf.permissions.get("contents").map(String::as_str), Some("read"));
    assert!(!wf.permissions.contains_key("pages"), "no Pages rights unless chosen");
    let live = live_lines(&text).join("\n");
    assert!(!live.contains("deploy-pages") && !live.contains("upload-pages-artifact"), "Pages is commented out");
    assert!(text.contains("default_branch"), "publishing follows the repository's default branch");
    assert_eq!(wf.env["PILOTDECK_SITE"], site);

    // The cache is empty: the first step that runs is `cargo install`.
    let runs = run_github_job(&s, &wf);
    let rev = &wf.env["PILOTDECK_REV"];
    assert_eq!(s.cargo_calls(), [format!("install --locked --git {REPO_URL} --rev {rev} pilotdeck")]);
    assert!(runs.iter().any(|r| r.stdout.starts_with("pilotdeck ")), "`pilotdeck --version` says which pilotdeck runs");
    assert!(s.site_dir().join("public/index.html").is_file());
    assert!(s.home().join(".cargo/bin/pilotdeck").exists(), "the cached path holds the installed binary");
}

#[test]
fn the_github_workflow_runs_on_its_first_push() {
    check_github(".");
}

#[test]
fn the_github_workflow_builds_a_site_below_the_top_of_the_repository() {
    check_github("docs/portfolio");
}

#[test]
fn the_gitlab_pipeline_runs_on_its_first_push_and_then_from_its_cache() {
    let s = Scratch::new("site");
    let text = s.add_ci("gitlab", ".gitlab-ci.yml");
    assert_common(&text);
    let file: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(&text).unwrap();
    let vars: BTreeMap<String, String> = serde_json::from_value(file["variables"].clone()).unwrap();
    assert_eq!(vars["GIT_DEPTH"], "0", "full history");
    assert_eq!(vars["PILOTDECK_SITE"], "site");
    let jobs: Vec<&String> = file.keys().filter(|k| file[*k].get("script").is_some()).collect();
    assert_eq!(jobs, ["site"], "publishing jobs are commented out");
    assert!(text.contains("# pages:") && text.contains("$CI_DEFAULT_BRANCH"), "{text}");
    let job = &file["site"];
    // pilotdeck, kept whatever the run found; the site's cache folder.
    assert_eq!(job["cache"][0]["key"], "pilotdeck-$PILOTDECK_REV");
    assert_eq!(job["cache"][0]["paths"], serde_json::json!([".pilotdeck-bin/"]));
    assert_eq!(job["cache"][0]["when"], "always");
    assert_eq!(job["cache"][1]["key"], "pilotdeck-site-$CI_COMMIT_REF_SLUG");
    assert_eq!(job["cache"][1]["paths"], serde_json::json!(["$PILOTDECK_SITE/.pilotdeck/"]));
    let script: Vec<String> = serde_json::from_value(job["script"].clone()).unwrap();

    let mut env = vars.clone();
    env.insert("CI_PROJECT_DIR".into(), s.repo().display().to_string());
    env.insert("CI_DEFAULT_BRANCH".into(), "trunk".into());
    env.insert("CI_COMMIT_BRANCH".into(), "trunk".into());
    let rev = &vars["PILOTDECK_REV"];
    for round in 1..=2 {
        // GitLab starts each job from a clean checkout, but for the cache.
        let _ = std::fs::remove_dir_all(s.repo().join("public"));
        let out = s.sh(&script.join("\n"), &env);
        assert_eq!(out.code, 0, "round {round}:\n{}\n{}", out.stdout, out.stderr);
        assert!(out.stdout.starts_with("pilotdeck "), "{}", out.stdout);
        let paths: Vec<String> = serde_json::from_value(job["artifacts"]["paths"].clone()).unwrap();
        for p in paths {
            assert!(s.repo().join(&p).join("index.html").is_file(), "the artifact `{p}` holds the site");
        }
        assert!(s.repo().join("site/.pilotdeck/records.bin").is_file(), "the site's cache folder, to keep");
        // The second run finds pilotdeck in the cache and builds nothing.
        let install = format!("install --locked --git {REPO_URL} --rev {rev} --root .pilotdeck-bin pilotdeck");
        assert_eq!(s.cargo_calls(), [install], "round {round}");
    }
}

#[test]
fn ci_refuses_to_replace_a_workflow_that_is_there() {
    let s = Scratch::new(".");
    let path = s.repo().join(".github/workflows/pilotdeck.yml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "name: mine\n").unwrap();
    let run = s.pilotdeck(&["ci", "github", "--repo", REPO_URL]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("already holds `.github/workflows/pilotdeck.yml`"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "name: mine\n");
}

#[test]
fn ci_needs_a_site() {
    let s = Scratch::new("site");
    let run = s.pilotdeck(&["ci", "gitlab", "--repo", REPO_URL]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("holds no site (no pilotdeck.toml)"), "{}", run.stderr);
    assert!(!s.repo().join(".gitlab-ci.yml").exists());
}

#[test]
fn ci_refuses_an_address_that_is_not_a_repository() {
    let s = Scratch::new(".");
    let run = s.pilotdeck(&["ci", "github", "--repo", "pilotdeck"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not the address of a git repository"), "{}", run.stderr);
    assert!(!s.repo().join(".github").exists());
}

/// Without `--repo`, the `PILOTDECK_REPO` variable; without either (and no
/// https origin when pilotdeck was built), a marked placeholder and a warning.
#[test]
fn ci_takes_the_repository_from_the_environment_or_says_what_to_fill_in() {
    let s = Scratch::new(".");
    let run = run(s
        .env(&mut Command::new(env!("CARGO_BIN_EXE_pilotdeck")))
        .env("PILOTDECK_REPO", REPO_URL)
        .args(["ci", "gitlab"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(s.repo().join(".gitlab-ci.yml")).unwrap();
    assert!(text.contains(&format!("PILOTDECK_GIT: \"{REPO_URL}\"")), "{text}");

    let run = s.pilotdeck(&["ci", "github"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(s.repo().join(".github/workflows/pilotdeck.yml")).unwrap();
    if text.contains("REPLACE-WITH-THE-PILOTDECK-REPOSITORY") {
        assert!(run.stderr.contains("warning: no repository to install pilotdeck from"), "{}", run.stderr);
    }
}

/// `init --ci` writes the same file as `ci`, through the same function.
#[test]
fn init_ci_writes_the_workflow_ci_writes() {
    let s = Scratch::new(".");
    let dir = s.dir.path().join("new");
    std::fs::create_dir_all(&dir).unwrap();
    let init = run(s
        .env(&mut Command::new(env!("CARGO_BIN_EXE_pilotdeck")))
        .env("PILOTDECK_REPO", REPO_URL)
        .arg("init")
        .arg(dir.join("site"))
        .args(["--ci", "github"]));
    assert_eq!(init.code, 0, "{}", init.stderr);
    let from_init = std::fs::read_to_string(dir.join("site/.github/workflows/pilotdeck.yml")).unwrap();
    let from_ci = s.add_ci("github", ".github/workflows/pilotdeck.yml");
    assert_eq!(from_init, from_ci);
}

/// Shell steps run from the repository's top whatever folder `ci` ran in.
#[test]
fn the_site_folder_is_named_from_the_top_of_the_repository() {
    let s = Scratch::new("a/b");
    let text = s.add_ci("github", ".github/workflows/pilotdeck.yml");
    assert!(text.contains("PILOTDECK_SITE: \"a/b\""), "{text}");
    assert!(!Path::new(&s.site_dir().join(".github")).exists());
}
