//! Issue 18, item 9: today is the reader's today. `as_of = "today"` and
//! `--as-of today` are today in the site's `timezone`; `--as-of commit` is
//! the HEAD commit's date; an unknown zone is PD009; a date before 1900 or
//! after 2200, wherever it is written, is PD005.

use crate::common;

use common::{pilotdeck, site, Run};
use std::path::Path;
use std::process::Command;

const RECORD: &str =
    "+++\ntitle = \"Alpha\"\nstage = \"pilot\"\nowner = \"O\"\n[[updates]]\nweek = 2026-03-16\n+++\nBody.\n";

fn run(root: &Path, args: &[&str]) -> Run {
    let mut all: Vec<std::ffi::OsString> = vec!["--root".into(), root.into()];
    all.extend(args.iter().map(Into::into));
    pilotdeck(all)
}

/// The date in "built N pilots and M pages as of DATE into ...".
fn built_as_of(run: &Run) -> String {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stderr.lines().find(|l| l.starts_with("built ")).unwrap();
    line.split(" as of ").nth(1).unwrap().split_whitespace().next().unwrap().to_string()
}

fn today_in(zone: &str) -> String {
    jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::get(zone).unwrap()).date().to_string()
}

/// Kiritimati is 14 hours ahead of UTC and Pago Pago 11 behind: for most
/// of every day their dates differ from each other, so a build that used
/// UTC or the machine's zone would be caught by one of the two.
#[test]
fn today_is_today_in_the_configured_zone() {
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let dir = site(&[
            ("pilotdeck.toml", &format!("timezone = \"{zone}\"\nas_of = \"today\"\n")),
            ("content/pilots/a.md", RECORD),
        ]);
        let before = today_in(zone);
        let from_config = built_as_of(&run(dir.path(), &["build"]));
        let from_flag = built_as_of(&run(dir.path(), &["build", "--as-of", "today"]));
        let after = today_in(zone);
        for got in [&from_config, &from_flag] {
            assert!(*got == before || *got == after, "{zone}: built as of {got}, today there is {before}");
        }
    }
}

#[test]
fn the_command_line_overrides_the_config_with_today() {
    let dir =
        site(&[("pilotdeck.toml", "timezone = \"UTC\"\nas_of = \"2026-03-20\"\n"), ("content/pilots/a.md", RECORD)]);
    assert_eq!(built_as_of(&run(dir.path(), &["build"])), "2026-03-20");
    let before = today_in("UTC");
    let got = built_as_of(&run(dir.path(), &["build", "--as-of", "today"]));
    assert!(got == before || got == today_in("UTC"), "{got}");
    // `check` and `serve` take the same values.
    let check = run(dir.path(), &["check", "--as-of", "today"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let check = run(dir.path(), &["check", "--as-of", "commit"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let help = run(dir.path(), &["serve", "--help"]);
    assert!(help.stdout.contains("--as-of <DATE>") && help.stdout.contains("commit"), "{}", help.stdout);
}

#[test]
fn an_unknown_zone_is_pd009_with_a_hint() {
    let dir = site(&[("pilotdeck.toml", "timezone = \"Europe/Berlni\"\n"), ("content/pilots/a.md", RECORD)]);
    let check = run(dir.path(), &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let d = errors(&check);
    assert_eq!(d.len(), 1, "{}", check.stderr);
    assert!(d[0].header.starts_with("pilotdeck.toml:1:12: error: unknown time zone `Europe/Berlni`"), "{:?}", d[0]);
    assert_eq!(d[0].help.as_deref(), Some("did you mean `Europe/Berlin`?"));
    assert!(check.stderr.contains("PD009") || run_json_has(dir.path(), "PD009"), "{}", check.stderr);

    let dir = site(&[("pilotdeck.toml", "timezone = \"Mars/Olympus\"\n"), ("content/pilots/a.md", RECORD)]);
    let check = run(dir.path(), &["check"]);
    assert_eq!(check.code, 1);
    assert!(errors(&check)[0].help.as_deref().unwrap().contains("Europe/Berlin"), "{}", check.stderr);
    let build = run(dir.path(), &["build", "--as-of", "2026-03-20"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(!dir.path().join("public").exists());
}

/// The errors `run` printed (warnings left out).
fn errors(run: &Run) -> Vec<common::Diag> {
    run.diagnostics().into_iter().filter(common::Diag::is_error).collect()
}

fn run_json_has(root: &Path, code: &str) -> bool {
    run(root, &["check", "--format", "json"]).stdout.contains(&format!("\"{code}\""))
}

#[test]
fn dates_before_1900_or_after_2200_are_pd005() {
    for date in ["1899-12-31", "2201-01-01"] {
        // In front matter, as a TOML date and as a string.
        for week in [date.to_string(), format!("\"{date}\"")] {
            let record = RECORD.replace("week = 2026-03-16", &format!("week = {week}"));
            let dir = site(&[("content/pilots/a.md", &record)]);
            let check = run(dir.path(), &["check", "--as-of", "2026-03-20"]);
            assert_eq!(check.code, 1, "{}", check.stderr);
            let d = errors(&check);
            assert!(d[0].header.contains(&format!("`{date}` is not a valid date for `week`")), "{:?}", d);
            assert!(d[0].help.as_deref().unwrap().contains("1900-01-01 to 2200-12-31"), "{:?}", d);
            assert!(run_json_has(dir.path(), "PD005"));
        }
        // In the config.
        let dir = site(&[("pilotdeck.toml", &format!("as_of = \"{date}\"\n")), ("content/pilots/a.md", RECORD)]);
        let check = run(dir.path(), &["check"]);
        assert_eq!(check.code, 1, "{}", check.stderr);
        let d = errors(&check);
        assert!(d[0].header.starts_with(&format!("pilotdeck.toml:1:9: error: `as_of` cannot be `{date}`")), "{:?}", d);
        assert!(d[0].help.as_deref().unwrap().contains("1900-01-01 to 2200-12-31"));
        assert!(run_json_has(dir.path(), "PD005"));
        // On the command line: a usage error naming the rule.
        let dir = site(&[("content/pilots/a.md", RECORD)]);
        for cmd in ["build", "check", "serve"] {
            let r = run(dir.path(), &[cmd, "--as-of", date]);
            assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
            assert!(r.stderr.contains("PD005") && r.stderr.contains("1900-01-01 to 2200-12-31"), "{}", r.stderr);
        }
        assert!(!dir.path().join("public").exists());
    }
    // The first and last days are fine.
    for date in ["1900-01-01", "2200-12-31"] {
        let dir = site(&[("content/pilots/a.md", RECORD)]);
        assert_eq!(built_as_of(&run(dir.path(), &["build", "--as-of", date])), date);
    }
}

/// `git` in `dir` with a HOME of its own and fixed dates.
fn git(dir: &Path, home: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2025-07-04T12:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2025-07-04T12:00:00+00:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn as_of_commit_is_the_head_commits_date() {
    let dir = site(&[("content/pilots/a.md", RECORD)]);
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, home.path(), &["init", "-q"]);
    git(root, home.path(), &["add", "."]);
    git(root, home.path(), &["commit", "-q", "-m", "first"]);
    let run_home =
        |args: &[&str]| common::run(common::command().arg("--root").arg(root).args(args).env("HOME", home.path()));
    assert_eq!(built_as_of(&run_home(&["build", "--as-of", "commit"])), "2025-07-04");
    // The config says the same.
    std::fs::write(root.join("pilotdeck.toml"), "as_of = \"commit\"\n").unwrap();
    assert_eq!(built_as_of(&run_home(&["build"])), "2025-07-04");

    // Outside a repository: today in the site's zone, with a warning.
    let plain = site(&[("pilotdeck.toml", "timezone = \"Pacific/Kiritimati\"\n"), ("content/pilots/a.md", RECORD)]);
    let before = today_in("Pacific/Kiritimati");
    let r = run(plain.path(), &["build", "--as-of", "commit"]);
    let got = built_as_of(&r);
    assert!(got == before || got == today_in("Pacific/Kiritimati"), "{got}");
    assert!(r.stderr.contains("cannot read the HEAD commit's date"), "{}", r.stderr);
}

/// A machine without a time zone database (an empty `TZDIR`, as in a
/// slim container) still knows every zone: the binary carries its own.
#[test]
fn zones_work_without_the_systems_database() {
    let dir = site(&[("pilotdeck.toml", "timezone = \"Pacific/Kiritimati\"\n"), ("content/pilots/a.md", RECORD)]);
    let empty = tempfile::tempdir().unwrap();
    let before = today_in("Pacific/Kiritimati");
    let run = common::run(
        common::command().arg("--root").arg(dir.path()).args(["build", "--as-of", "today"]).env("TZDIR", empty.path()),
    );
    let got = built_as_of(&run);
    assert!(got == before || got == today_in("Pacific/Kiritimati"), "{got}");
}
