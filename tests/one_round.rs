//! Every problem at once, inside a file too: a record with the eight
//! classic mistakes gives all eight in one `check`, each once, each by the
//! rule that names its cause, at its line and column; a value TOML cannot
//! read (a date not in the calendar, a word without quotes) is reported at
//! its place and the rest of the front matter is still checked.

use crate::common;

use common::{pilotdeck, site, Run, AS_OF};
use std::path::Path;

fn check(root: &Path, extra: &[&str]) -> Run {
    let mut args =
        vec!["--root".to_string(), root.display().to_string(), "check".into(), "--as-of".into(), AS_OF.into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    pilotdeck(args)
}

/// `(code, file, line, column)` of every diagnostic, from `--format json`.
fn found(root: &Path) -> Vec<(String, String, u64, u64)> {
    let run = check(root, &["--format", "json"]);
    run.stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["code"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn codes_at(found: &[(String, String, u64, u64)]) -> Vec<(&str, u64, u64)> {
    found.iter().map(|(c, _, l, col)| (c.as_str(), *l, *col)).collect()
}

const PLAYBOOK: (&str, &str) = ("content/playbook/integration-map.md", "+++\ntitle = \"Integration map\"\n+++\nMap.\n");

/// No title, an unknown stage, an owner of the wrong type, a date not in
/// the calendar, a misspelt key, a constraint without a due date, one
/// with a due date not in the calendar, and a broken link.
const EIGHT_MISTAKES: &str = "+++
stage = \"pilott\"
owner = 3
started = 2026-13-01
sponser = \"Karen Holt\"

[[constraints]]
title = \"No production data feed\"
category = \"data\"
owner = \"Dana\"
raised = 2026-02-01

[[constraints]]
title = \"Consent wording\"
category = \"governance\"
owner = \"Laura\"
raised = 2026-02-01
due = 2026-02-30
+++
See [the map](/playbook/integraton-map/).
";

const FIXED: &str = "+++
title = \"Claims triage\"
stage = \"pilot\"
owner = \"Olu\"
started = 2026-01-12
sponsor = \"Karen Holt\"

[[constraints]]
title = \"No production data feed\"
category = \"data\"
owner = \"Dana\"
raised = 2026-02-01
due = 2026-04-30

[[constraints]]
title = \"Consent wording\"
category = \"governance\"
owner = \"Laura\"
raised = 2026-02-01
due = 2026-04-28

[[updates]]
week = 2026-03-16
completed = \"Mapped the feed\"
+++
See [the map](/playbook/integration-map/).
";

#[test]
fn eight_mistakes_in_one_record_are_all_reported_in_one_run() {
    let dir = site(&[("content/pilots/claims.md", EIGHT_MISTAKES), PLAYBOOK]);
    let got = found(dir.path());
    assert!(got.iter().all(|d| d.1 == "content/pilots/claims.md"), "{got:?}");
    assert_eq!(
        codes_at(&got),
        vec![
            ("PD004", 1, 1),  // missing `title`
            ("PD006", 2, 9),  // unknown stage `pilott`
            ("PD003", 3, 9),  // owner = 3
            ("PD005", 4, 11), // started = 2026-13-01
            ("PD002", 5, 1),  // sponser
            ("PD012", 7, 1),  // the first constraint has no due date
            ("PD005", 18, 7), // due = 2026-02-30, and not PD012 too
            ("PD020", 20, 5), // the link to a page that is not there
        ]
    );
    // The human report says the same, with the calendar's reason.
    let human = check(dir.path(), &[]);
    assert_eq!(human.code, 1);
    let out = format!("{}{}", human.stdout, human.stderr);
    let headers: Vec<String> = human.diagnostics().into_iter().map(|d| d.header).collect();
    let has = |h: &str| headers.iter().any(|x| x == h);
    assert!(has("content/pilots/claims.md:4:11: error: `2026-13-01` is not a valid date for `started`"), "{out}");
    assert!(out.contains("there is no month 13"), "{out}");
    assert!(has("content/pilots/claims.md:18:7: error: `2026-02-30` is not a valid date for `due`"), "{out}");
    assert!(out.contains("2026-02 has days 01 to 28"), "{out}");
    assert!(!out.contains("PD001"), "{out}");
}

#[test]
fn the_record_with_every_mistake_fixed_is_clean() {
    let dir = site(&[("content/pilots/claims.md", FIXED), PLAYBOOK]);
    let run = check(dir.path(), &["--format", "json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn a_due_date_that_is_not_a_date_is_reported_once_by_the_rule_for_dates() {
    let constraint = |due: &str| FIXED.replace("due = 2026-04-28", due);
    for (due, code, col) in [
        ("due = \"2026-02-30\"", "PD005", 7),
        ("due = \"soon\"", "PD005", 7),
        ("due = \"\"", "PD005", 7),
        ("due = 2026-02-30", "PD005", 7),
        ("due = 2026-1-5", "PD005", 7),
        ("due = 20260105", "PD003", 7),
    ] {
        let dir = site(&[("content/pilots/claims.md", &constraint(due)), PLAYBOOK]);
        let got = found(dir.path());
        assert_eq!(codes_at(&got), vec![(code, 20, col)], "{due}");
    }
}

#[test]
fn a_constraint_without_a_due_date_is_found_beside_errors_that_stop_the_record() {
    // The record cannot be published (no stage), but its constraints are
    // still checked.
    let text = FIXED.replace("stage = \"pilot\"\n", "").replace("due = 2026-04-30\n", "");
    let dir = site(&[("content/pilots/claims.md", &text), PLAYBOOK]);
    let got = found(dir.path());
    assert_eq!(codes_at(&got), vec![("PD004", 1, 1), ("PD012", 7, 1)]);
}

#[test]
fn a_word_without_quotes_is_reported_at_its_place_and_the_rest_is_checked() {
    let text = FIXED.replace("owner = \"Olu\"", "owner = Olu").replace("sponsor =", "sponser =");
    let dir = site(&[("content/pilots/claims.md", &text), PLAYBOOK]);
    let got = found(dir.path());
    assert_eq!(codes_at(&got), vec![("PD001", 4, 9), ("PD002", 6, 1)]);
    let run = check(dir.path(), &[]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(out.contains("string values must be quoted"), "{out}");
    assert!(out.contains("put the text in quotes"), "{out}");
}

#[test]
fn a_syntax_error_that_loses_keys_still_stops_the_record() {
    // `stage = ` has no value: what else the front matter holds is not
    // known, so nothing is reported missing.
    let text = FIXED.replace("stage = \"pilot\"", "stage = ");
    let dir = site(&[("content/pilots/claims.md", &text), PLAYBOOK]);
    let got = found(dir.path());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "PD001");
    assert_eq!(got[0].2, 3);
}

#[test]
fn a_page_with_a_date_not_in_the_calendar_is_still_checked() {
    let page = "+++\ntitle = \"Lesson\"\ndate = 2026-02-30\nweight = \"heavy\"\n+++\nText.\n";
    let dir = site(&[("content/lessons/one.md", page), PLAYBOOK]);
    let got = found(dir.path());
    assert_eq!(codes_at(&got), vec![("PD005", 3, 8), ("PD003", 4, 10)]);
}

#[test]
fn a_bad_date_in_a_list_or_a_table_is_found_with_the_others() {
    let text = FIXED
        .replace("[[updates]]", "[stages]\npilot = 2026-02-31\n\n[[updates]]")
        .replace("week = 2026-03-16", "week = 2026-03-16\nconfidence = { leader = 9, team = 3 }");
    let dir = site(&[("content/pilots/claims.md", &text), PLAYBOOK]);
    let got = found(dir.path());
    assert_eq!(codes_at(&got), vec![("PD005", 23, 9), ("PD018", 27, 25)]);
}

#[test]
fn the_same_mistakes_in_yaml_front_matter_are_all_reported_in_one_run() {
    let record = "---
stage: pilott
owner: 3
started: 2026-13-01
sponser: Karen Holt
constraints:
  - title: No production data feed
    category: data
    owner: Dana
  - title: Consent wording
    category: governance
    owner: Laura
    due: 2026-02-30
---
See [the map](/playbook/integraton-map/).
";
    let dir = site(&[("content/pilots/claims.md", record), PLAYBOOK]);
    let got = found(dir.path());
    assert_eq!(
        codes_at(&got),
        vec![
            ("PD004", 1, 1),
            ("PD006", 2, 8),
            ("PD003", 3, 8),
            ("PD005", 4, 10),
            ("PD002", 5, 1),
            ("PD012", 7, 5),
            ("PD005", 13, 10),
            ("PD020", 15, 5),
        ]
    );
}
