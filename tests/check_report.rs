//! `pilotdeck check`'s report for people: on standard output (so that it
//! pipes), with one line per rule and the totals at the end, `--max N` to
//! cap the list, and paths that read from the working folder.

use crate::common;

use common::{command, parse_diagnostics, run, site, Run, AS_OF};
use std::path::Path;

/// Three broken links (errors), one stale pilot (a warning) and a bad date.
fn faulty() -> tempfile::TempDir {
    site(&[
        (
            "content/pilots/old.md",
            "+++\ntitle = \"Old\"\nstage = \"pilot\"\nowner = \"O\"\nstarted = 2026-02-30\n[[updates]]\nweek = 2026-01-05\n+++\n",
        ),
        ("content/playbook/a.md", "+++\ntitle = \"A\"\n+++\n[x](/playbook/gone-1/) [y](/playbook/gone-2/) [z](/playbook/gone-3/)\n"),
    ])
}

/// `pilotdeck ARGS` run in the folder `cwd`.
fn check_in(cwd: &Path, args: &[&str]) -> Run {
    run(command().current_dir(cwd).args(args))
}

#[test]
fn the_report_goes_to_standard_output_with_a_summary_by_rule() {
    let dir = faulty();
    let r = check_in(dir.path(), &["check", "--as-of", AS_OF]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "", "nothing but the report, on standard output");
    assert_eq!(parse_diagnostics(&r.stdout).len(), 5, "{}", r.stdout);
    let tail: Vec<&str> = r.stdout.lines().rev().take(4).collect();
    assert_eq!(
        tail,
        ["4 errors, 1 warning", "PD020 broken link: 3 errors", "PD015 stale: 1 warning", "PD005 bad date: 1 error"],
        "{}",
        r.stdout
    );
    // Exit codes are as they were: warnings alone pass unless denied.
    let clean = site(&[(
        "content/pilots/old.md",
        "+++\ntitle = \"Old\"\nstage = \"pilot\"\nowner = \"O\"\n[[updates]]\nweek = 2026-01-05\n+++\n",
    )]);
    let r = check_in(clean.path(), &["check", "--as-of", AS_OF]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.ends_with("PD015 stale: 1 warning\n0 errors, 1 warning\n"), "{}", r.stdout);
    assert_eq!(check_in(clean.path(), &["check", "--as-of", AS_OF, "--deny", "warnings"]).code, 1);
    let none = site(&[("content/playbook/a.md", "+++\ntitle = \"A\"\n+++\nFine.\n")]);
    let r = check_in(none.path(), &["check", "--as-of", AS_OF]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "0 errors, 0 warnings\n"));
}

#[test]
fn max_caps_the_list_errors_first_and_the_summary_counts_all() {
    let dir = faulty();
    let r = check_in(dir.path(), &["check", "--as-of", AS_OF, "--max", "2"]);
    assert_eq!(r.code, 1);
    let listed = parse_diagnostics(&r.stdout);
    assert_eq!(listed.len(), 2, "{}", r.stdout);
    // The warning comes first in file order; the errors are listed first.
    assert!(listed.iter().all(|d| d.is_error()), "{listed:#?}");
    assert!(r.stdout.contains("3 more not listed (--max 2)"), "{}", r.stdout);
    assert!(r.stdout.ends_with("PD020 broken link: 3 errors\n4 errors, 1 warning\n"), "{}", r.stdout);
    let r = check_in(dir.path(), &["check", "--as-of", AS_OF, "--max", "0"]);
    assert!(parse_diagnostics(&r.stdout).is_empty(), "{}", r.stdout);
    assert!(r.stdout.ends_with("4 errors, 1 warning\n"), "{}", r.stdout);
    // The machine formats are capped the same way; their totals stay on
    // standard error.
    let r = check_in(dir.path(), &["check", "--as-of", AS_OF, "--format", "json", "--max", "3"]);
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    assert_eq!(r.stderr, "4 errors, 1 warning\n");
    let r = check_in(dir.path(), &["check", "--as-of", AS_OF, "--format", "github"]);
    assert_eq!(r.stdout.lines().count(), 5, "{}", r.stdout);
    assert!(r.stdout.lines().all(|l| l.contains("file=content/")), "{}", r.stdout);
}

#[test]
fn paths_read_from_the_working_folder() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("site");
    common::write(&dir, &[("content/playbook/a.md", "+++\ntitle = \"A\"\n+++\n[x](/playbook/gone/)\n")]);
    let header = |r: &Run| parse_diagnostics(&r.stdout).first().map(|d| d.header.clone()).unwrap_or_default();
    // The site's own folder, by `--root .`, by default, or by its full path.
    for args in [&["check"][..], &["--root", ".", "check"], &["--root", dir.to_str().unwrap(), "check"]] {
        let r = check_in(&dir, args);
        assert!(header(&r).starts_with("content/playbook/a.md:4:1: error:"), "{args:?}: {}", r.stdout);
    }
    // From the folder above, relative or absolute.
    for root in ["site", "./site", dir.to_str().unwrap()] {
        let r = check_in(outer.path(), &["--root", root, "check"]);
        assert!(header(&r).starts_with("site/content/playbook/a.md:4:1: error:"), "{root}: {}", r.stdout);
    }
    // From a folder beside it: as given.
    let beside = outer.path().join("elsewhere");
    std::fs::create_dir(&beside).unwrap();
    let r = check_in(&beside, &["--root", "../site", "check"]);
    assert!(header(&r).starts_with("../site/content/playbook/a.md:4:1: error:"), "{}", r.stdout);
    let r = check_in(&beside, &["--root", dir.to_str().unwrap(), "check"]);
    let want = format!("{}/content/playbook/a.md:4:1: error:", dir.display());
    assert!(header(&r).starts_with(&want), "{}", r.stdout);
    // JSON keeps the site's own paths.
    let r = check_in(outer.path(), &["--root", "site", "check", "--format", "json"]);
    assert!(r.stdout.contains("\"file\":\"content/playbook/a.md\""), "{}", r.stdout);
    // GitHub's annotations name files from the top of the repository, the
    // folder a workflow runs in: a site in a subfolder is annotated there.
    let r = check_in(outer.path(), &["--root", "site", "check", "--format", "github"]);
    assert!(r.stdout.starts_with("::error file=site/content/playbook/a.md,line=4,col=1,"), "{}", r.stdout);
    let r = check_in(&dir, &["check", "--format", "github"]);
    assert!(r.stdout.starts_with("::error file=content/playbook/a.md,line=4,col=1,"), "{}", r.stdout);
}
