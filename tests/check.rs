//! `pilotdeck check`: a site seeded with one known fault per file gives each
//! fault once, with the right code, file and line, and nothing else; a clean
//! site gives none; the exact text of every diagnostic in every format is
//! kept as a snapshot.

use crate::common;

use common::{pilotdeck, site, write_bytes, Run};
use std::path::Path;

/// A valid record around one `extra` part (as of 2026-03-20: recent update,
/// an owner, no constraints).
fn ok_pilot(title: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstage = \"pilot\"\nowner = \"Olu\"\n{extra}\n[[updates]]\nweek = 2026-03-16\ncompleted = \"x\"\n+++\nBody.\n"
    )
}

fn seeded() -> tempfile::TempDir {
    let files: Vec<(String, String)> = vec![
        ("pilotdeck.toml".into(), "title = \"Seeded\"\nstuck_after_days = 60\n".into()),
        ("content/pilots/unknown-key.md".into(), ok_pilot("A", "ownr = \"X\"")),
        ("content/pilots/wrong-type.md".into(), ok_pilot("B", "tags = \"x\"")),
        ("content/pilots/missing-stage.md".into(), "+++\ntitle = \"C\"\nowner = \"Olu\"\n+++\n".into()),
        ("content/pilots/bad-date.md".into(), ok_pilot("D", "started = \"2026-02-30\"")),
        ("content/pilots/unknown-stage.md".into(), ok_pilot("E", "").replace("stage = \"pilot\"", "stage = \"pilott\"")),
        ("content/pilots/syntax.md".into(), "+++\ntitle = \"F\"\nstage = \n+++\n".into()),
        ("content/pilots/dup.md".into(), ok_pilot("G1", "")),
        ("content/pilots/dup/index.md".into(), ok_pilot("G2", "")),
        ("content/pilots/no-owner.md".into(), ok_pilot("H", "").replace("stage = \"pilot\"\nowner = \"Olu\"", "stage = \"bridge\"")),
        (
            "content/pilots/constraint-no-owner.md".into(),
            ok_pilot("I", "[[constraints]]\ntitle = \"Nobody\"\ncategory = \"data\"\ndue = 2026-04-30\n"),
        ),
        (
            "content/pilots/constraint-no-due.md".into(),
            ok_pilot("J", "[[constraints]]\ntitle = \"Whenever\"\ncategory = \"data\"\nowner = \"Olu\"\n"),
        ),
        (
            "content/pilots/resolved-early.md".into(),
            ok_pilot(
                "K",
                "[[constraints]]\ntitle = \"Backwards\"\ncategory = \"data\"\nowner = \"Olu\"\nraised = 2026-03-10\ndue = 2026-03-12\nresolved = 2026-03-01\n",
            ),
        ),
        (
            "content/pilots/stale.md".into(),
            "+++\ntitle = \"L\"\nstage = \"pilot\"\nowner = \"Olu\"\n[[updates]]\nweek = 2026-02-02\n+++\n".into(),
        ),
        ("content/pilots/stuck.md".into(), ok_pilot("M", "[stages]\npilot = 2025-12-01\n")),
        (
            "content/pilots/stage-order.md".into(),
            ok_pilot("N", "").replace("stage = \"pilot\"", "stage = \"bridge\"")
                + "",
        ),
        ("content/pilots/confidence.md".into(), ok_pilot("O", "").replace("completed = \"x\"", "confidence = { leader = 9, team = 2 }")),
        ("content/pilots/evidence.md".into(), ok_pilot("P", "[readiness.technical]\nlatencyy = true\n")),
        (
            "content/pilots/broken-playbook.md".into(),
            ok_pilot(
                "Q",
                "[[constraints]]\ntitle = \"Linked\"\ncategory = \"data\"\nowner = \"Olu\"\ndue = 2026-04-30\nplaybook = \"playbook/integraton-map\"\n",
            ),
        ),
        (
            "content/pilots/dup-constraint.md".into(),
            ok_pilot(
                "R",
                "[[constraints]]\ntitle = \"Same\"\ncategory = \"data\"\nowner = \"Olu\"\ndue = 2026-04-30\n[[constraints]]\ntitle = \"Same\"\ncategory = \"data\"\nowner = \"Olu\"\ndue = 2026-04-30\n",
            ),
        ),
        ("content/playbook/integration-map.md".into(), "+++\ntitle = \"Map\"\n+++\nSee [the gone page](/playbook/gone/) and [ok](/pilots/).\n".into()),
        ("content/playbook/addresses.md".into(), "+++\ntitle = \"Addr\"\naddresses = [\"integratoin\"]\n+++\n".into()),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    // stage-order: bridge entered before pilot.
    let p = dir.path().join("content/pilots/stage-order.md");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("owner = \"Olu\"\n", "owner = \"Olu\"\n[stages]\npilot = 2026-03-01\nbridge = 2026-02-01\n");
    std::fs::write(&p, text).unwrap();
    write_bytes(dir.path(), "content/pilots/not-utf8.md", b"+++\ntitle = \"\xff\"\n+++\n");
    dir
}

fn check(root: &Path, extra: &[&str]) -> Run {
    let mut args =
        vec!["--root".to_string(), root.display().to_string(), "check".into(), "--as-of".into(), "2026-03-20".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    pilotdeck(args)
}

#[test]
fn every_seeded_fault_once_with_code_file_and_line() {
    let dir = seeded();
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: Vec<(String, String, u64)> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["code"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(&str, &str, u64)> = vec![
        ("PD020", "content/pilots/broken-playbook.md", 10),
        ("PD011", "content/pilots/constraint-no-owner.md", 5),
        ("PD012", "content/pilots/constraint-no-due.md", 5),
        ("PD018", "content/pilots/confidence.md", 8),
        ("PD022", "content/pilots/dup-constraint.md", 10),
        ("PD008", "content/pilots/dup.md", 2),
        ("PD019", "content/pilots/evidence.md", 6),
        ("PD005", "content/pilots/bad-date.md", 5),
        ("PD004", "content/pilots/missing-stage.md", 1),
        ("PD010", "content/pilots/no-owner.md", 3),
        ("PD007", "content/pilots/not-utf8.md", 2),
        ("PD013", "content/pilots/resolved-early.md", 5),
        ("PD017", "content/pilots/stage-order.md", 7),
        ("PD015", "content/pilots/stale.md", 2),
        ("PD016", "content/pilots/stuck.md", 6),
        ("PD001", "content/pilots/syntax.md", 3),
        ("PD002", "content/pilots/unknown-key.md", 5),
        ("PD006", "content/pilots/unknown-stage.md", 3),
        ("PD003", "content/pilots/wrong-type.md", 5),
        ("PD021", "content/playbook/addresses.md", 3),
        ("PD020", "content/playbook/integration-map.md", 4),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort_by(|a, b| (&a.1, a.2, &a.0).cmp(&(&b.1, b.2, &b.0)));
    let mut want_sorted: Vec<(String, String, u64)> =
        want.iter().map(|(c, f, l)| (c.to_string(), f.to_string(), *l)).collect();
    want_sorted.sort_by(|a, b| (&a.1, a.2, &a.0).cmp(&(&b.1, b.2, &b.0)));
    assert_eq!(got_sorted, want_sorted, "\n{}", run.stdout);
    assert!(run.stderr.ends_with("17 errors, 4 warnings\n"), "{}", run.stderr);
}

/// Compares `text` with `tests/snapshots/NAME`; `UPDATE_SNAPSHOTS=1` rewrites it.
fn snapshot(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || (!path.exists() && std::env::var_os("CI").is_none()) {
        std::fs::write(&path, text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(text == expected, "{name} changed; review it and run with UPDATE_SNAPSHOTS=1 to accept:\n{text}");
}

#[test]
fn exact_text_in_every_format() {
    let dir = seeded();
    let human = check(dir.path(), &[]);
    snapshot("check-human.txt", &human.stdout);
    assert_eq!(human.stderr, "");
    let json = check(dir.path(), &["--format", "json"]);
    snapshot("check-json.txt", &json.stdout);
    let github = check(dir.path(), &["--format", "github"]);
    snapshot("check-github.txt", &github.stdout);
    for line in github.stdout.lines() {
        assert!(line.starts_with("::error file=") || line.starts_with("::warning file="), "{line}");
    }
}

fn clean() -> tempfile::TempDir {
    site(&[
        ("content/pilots/fine.md", &ok_pilot("Fine", "[stages]\npilot = 2026-03-01\n")),
        (
            "content/playbook/_index.md",
            "+++\ntitle = \"Playbook\"\n+++\nSee [fine](/pilots/fine/) and [the library](../constraints/).\n",
        ),
    ])
}

#[test]
fn a_clean_site_has_no_diagnostics() {
    let dir = clean();
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(run.stderr, "0 errors, 0 warnings\n");
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = site(&[(
        "content/pilots/old.md",
        "+++\ntitle = \"Old\"\nstage = \"pilot\"\nowner = \"O\"\n[[updates]]\nweek = 2026-01-05\n+++\n",
    )]);
    assert_eq!(check(dir.path(), &[]).code, 0);
    assert_eq!(check(dir.path(), &["--deny", "warnings"]).code, 1);
    // --as-of applies to the time-based rules: not stale on 2026-01-10.
    let early = pilotdeck(["--root", &dir.path().display().to_string(), "check", "--as-of", "2026-01-10"]);
    assert_eq!(early.stdout, "0 errors, 0 warnings\n");
}

#[test]
fn rules_can_be_promoted_demoted_and_turned_off() {
    let dir = site(&[
        ("pilotdeck.toml", "[rules]\nPD015 = \"off\"\nPD011 = \"error\"\n"),
        (
            "content/pilots/a.md",
            "+++\ntitle = \"A\"\nstage = \"pilot\"\nowner = \"O\"\n[[constraints]]\ntitle = \"X\"\ndue = 2026-04-01\n+++\n",
        ),
    ]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("\"code\":\"PD011\",\"severity\":\"error\""), "{}", run.stdout);
    assert!(!run.stdout.contains("PD015"), "stale is turned off: {}", run.stdout);
    let bad = site(&[("pilotdeck.toml", "[rules]\nPD001 = \"off\"\nPD099 = \"warning\"\nPD015 = \"loud\"\n")]);
    let run = check(bad.path(), &[]);
    let d = run.diagnostics();
    let headers: Vec<&str> = d.iter().map(|d| d.header.as_str()).collect();
    assert_eq!(
        headers,
        [
            "pilotdeck.toml:2:1: error: rule `PD001` cannot be changed",
            "pilotdeck.toml:3:1: error: unknown rule `PD099`",
            "pilotdeck.toml:4:9: error: `loud` is not a rule level",
        ]
    );
}

#[test]
fn build_refuses_on_the_same_errors() {
    let dir = seeded();
    let run = common::build(dir.path(), &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.ends_with("error: the site was not built: 17 errors; the previous output was left as it was\n"),
        "{}",
        run.stderr
    );
}

/// Links to tag pages: a tag of a record or a page has one; a tag written
/// only on the home page has none; a near miss gets a hint.
#[test]
fn links_to_tag_pages_are_checked() {
    let dir = site(&[
        ("content/pilots/tagged.md", &ok_pilot("Tagged", "tags = [\"Gen AI\"]")),
        (
            "content/playbook/scoping.md",
            "+++\ntitle = \"Scoping\"\ntags = [\"Scoping\"]\n+++\n\
             [a](/tags/gen-ai/) [b](/tags/scoping/) [c](/tags/gen-aj/) [d](/tags/front/)\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\ntags = [\"Front\"]\n+++\nHello.\n"),
    ]);
    let run = check(dir.path(), &["--format", "json"]);
    let broken: Vec<&str> = run.stdout.lines().filter(|l| l.contains("PD020")).collect();
    assert_eq!(broken.len(), 2, "{}", run.stdout);
    assert!(broken.iter().any(|l| l.contains("tags/gen-aj") && l.contains("tags/gen-ai")), "{}", run.stdout);
    assert!(broken.iter().any(|l| l.contains("tags/front")), "{}", run.stdout);
}
