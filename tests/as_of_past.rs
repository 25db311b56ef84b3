//! Issue 22, item 2: the past is the past. Built with `--as-of D`, the
//! site is the portfolio as it stood on D: no update, constraint,
//! resolution, stage entry or lesson dated after D, no pilot that started
//! after D, and no negative day count, in any page or export. One small
//! site is built at several dates; at two of them the build is compared,
//! file for file, with a site whose records were cut back to that day by
//! hand.

use crate::common;

use common::{pilotdeck, read, site, snapshot, text_of, Run};
use std::collections::BTreeMap;
use std::path::Path;

const CONFIG: &str = "title = \"As of\"\n";

/// Alpha: idea 2026-01-05, pilot 02-02, bridge 03-02, production 04-06; a
/// data constraint raised 02-10, due 02-20, resolved 03-20; an economic
/// one raised 04-15, due 04-30; updates for 02-02, 03-02 and 04-06.
const ALPHA: &str = r#"+++
title = "Alpha"
stage = "production"
function = "Finance"
owner = "Olu Owner"
sponsor = "Sam Sponsor"
started = 2026-01-05
tags = ["alpha-tag"]

[stages]
idea = 2026-01-05
pilot = 2026-02-02
bridge = 2026-03-02
production = 2026-04-06

[[constraints]]
id = "data-feed"
title = "Data feed missing"
category = "data"
owner = "Dee Data"
raised = 2026-02-10
due = 2026-02-20
resolved = 2026-03-20

[[constraints]]
id = "budget-line"
title = "Budget line unsigned"
category = "economic"
owner = "Bea Budget"
raised = 2026-04-15
due = 2026-04-30

[[updates]]
week = 2026-02-02
completed = "Kick-off FEBRUARYWORD"

[[updates]]
week = 2026-03-02
completed = "Bridge plan MARCHWORD"

[[updates]]
week = 2026-04-06
completed = "Went live APRILWORD"
+++
Alpha matches invoices.
"#;

/// Beta: started 2026-03-16 (idea), pilot 03-30; a constraint raised
/// 03-20, due 03-25, open; one update, for 03-16.
const BETA: &str = r#"+++
title = "Beta"
stage = "pilot"
function = "Claims"
owner = "Bo Beta"
started = 2026-03-16
tags = ["beta-tag"]

[stages]
idea = 2026-03-16
pilot = 2026-03-30

[[constraints]]
id = "vendor-contract"
title = "Vendor contract"
category = "governance"
owner = "Vic Vendor"
raised = 2026-03-20
due = 2026-03-25

[[updates]]
week = 2026-03-16
completed = "Beta started BETAWORD"
+++
Beta triages claims.
"#;

const EARLY_LESSON: &str = "+++\ntitle = \"Early lesson\"\ndate = 2026-01-10\n+++\nLearned early.\n";
const LATE_LESSON: &str = "+++\ntitle = \"Late lesson\"\ndate = 2026-04-20\n+++\nLATELESSONWORD learned late.\n";

fn full_site() -> tempfile::TempDir {
    site(&[
        ("pilotdeck.toml", CONFIG),
        ("content/pilots/alpha.md", ALPHA),
        ("content/pilots/beta.md", BETA),
        ("content/lessons/early.md", EARLY_LESSON),
        ("content/lessons/late.md", LATE_LESSON),
    ])
}

/// Builds `root` as of `date` into `root/out-DATE`; fails the test unless
/// the build succeeded. Returns the run and the output folder.
fn build_at(root: &Path, date: &str) -> (Run, std::path::PathBuf) {
    let out = root.join(format!("out-{date}"));
    let run = pilotdeck([
        "--root".as_ref(),
        root.as_os_str(),
        "build".as_ref(),
        "--as-of".as_ref(),
        date.as_ref(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "build as of {date} failed\n{}", run.stderr);
    (run, out)
}

fn portfolio_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read(out, "portfolio.json")).unwrap()
}

/// Each pilot's id and stage, as `portfolio.json` has them.
fn stages(json: &serde_json::Value) -> Vec<(String, String)> {
    json["pilots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap().to_string(), p["stage"].as_str().unwrap().to_string()))
        .collect()
}

fn figure(json: &serde_json::Value, key: &str) -> u64 {
    json["portfolio"][key].as_u64().unwrap_or_else(|| panic!("portfolio.{key}: {}", json["portfolio"]))
}

/// Every text file of the output (pages, JSON, CSV, feed, search index).
fn texts(out: &Path) -> BTreeMap<String, String> {
    snapshot(out).into_iter().filter_map(|(path, bytes)| Some((path, String::from_utf8(bytes).ok()?))).collect()
}

/// Fails the test when `word` is in any file of the output (any case: the
/// search index keeps words lowercased).
fn nowhere(files: &BTreeMap<String, String>, word: &str, date: &str) {
    let lower = word.to_lowercase();
    for (path, text) in files {
        assert!(!text.to_lowercase().contains(&lower), "as of {date}, `{word}` is in {path}");
    }
}

/// A negative day count ("-14 days", "−3 days") anywhere in the output.
fn negative_days(files: &BTreeMap<String, String>) -> Option<String> {
    for (path, text) in files {
        let text = if path.ends_with(".html") { text_of(text) } else { text.clone() };
        for (at, _) in text.match_indices(['-', '−']) {
            let rest = &text[at..];
            let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('−')).unwrap();
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && rest[digits..].trim_start().starts_with("day") {
                let from = text[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
                return Some(format!("{path}: …{}…", &text[from..(at + 20).min(text.len())]));
            }
        }
    }
    None
}

/// A day count below zero in `portfolio.json` (any key with `days` in it).
fn negative_json_days(json: &serde_json::Value, at: &str) -> Option<String> {
    match json {
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = format!("{at}.{k}");
            match v.as_i64() {
                Some(n) if n < 0 && k.contains("days") => Some(format!("{here} = {n}")),
                _ => negative_json_days(v, &here),
            }
        }),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| negative_json_days(v, &format!("{at}[{i}]")))
        }
        _ => None,
    }
}

fn page_text(out: &Path, rel: &str) -> String {
    text_of(&read(out, rel))
}

#[test]
fn before_the_second_pilot_started() {
    let dir = full_site();
    let date = "2026-01-20";
    let (run, out) = build_at(dir.path(), date);
    assert!(run.last_line().contains("built 1 pilots"), "{}", run.stderr);
    let json = portfolio_json(&out);
    assert_eq!(stages(&json), [("alpha".to_string(), "idea".to_string())]);
    assert_eq!(figure(&json, "pilots"), 1);
    assert_eq!(figure(&json, "in_production"), 0);
    assert_eq!(figure(&json, "open_constraints"), 0);
    assert_eq!(json["constraints"].as_array().unwrap().len(), 0);
    assert!(page_text(&out, "pilots/alpha/index.html").contains("Stage: idea"));
    // Beta started on 2026-03-16: on no list, page, chart or export.
    assert!(!out.join("pilots/beta").exists());
    assert!(!out.join("owners/bo-beta").exists());
    assert!(!out.join("tags/beta-tag").exists());
    assert!(!page_text(&out, "pilots/index.html").contains("Beta"));
    let files = texts(&out);
    for word in ["BETAWORD", "Beta triages", "Vendor contract", "FEBRUARYWORD", "Data feed missing", "LATELESSONWORD"] {
        nowhere(&files, word, date);
    }
    assert_eq!(negative_days(&files), None);
    assert_eq!(negative_json_days(&portfolio_json(&out), ""), None);
    // The early lesson (2026-01-10) was written; the late one was not.
    assert!(out.join("lessons/early").exists() && !out.join("lessons/late").exists());
}

#[test]
fn between_raised_and_resolved() {
    let dir = full_site();
    let date = "2026-02-25";
    let (_, out) = build_at(dir.path(), date);
    let json = portfolio_json(&out);
    assert_eq!(stages(&json), [("alpha".to_string(), "pilot".to_string())]);
    assert_eq!(figure(&json, "in_production"), 0);
    // Data feed: raised 02-10, due 02-20, resolved only on 03-20.
    assert_eq!(figure(&json, "open_constraints"), 1);
    assert_eq!(figure(&json, "overdue_constraints"), 1);
    let constraints = json["constraints"].as_array().unwrap();
    assert_eq!(constraints.len(), 1, "{constraints:?}");
    assert_eq!(constraints[0]["id"], "data-feed");
    assert_eq!(constraints[0]["resolved"], serde_json::Value::Null);
    assert_eq!(constraints[0]["overdue_days"], 5);
    let alpha = page_text(&out, "pilots/alpha/index.html");
    assert!(alpha.contains("Stage: pilot"), "{alpha}");
    assert!(alpha.contains("overdue by 5 days"), "{alpha}");
    assert!(alpha.contains("last update for the week of 2026-02-02, 23 days before the as-of date"), "{alpha}");
    assert!(!alpha.contains("Entered bridge") && !alpha.contains("Entered production"), "{alpha}");
    let csv = read(&out, "constraints.csv");
    assert!(csv.contains(",data-feed,") && csv.contains(",,overdue,5,owner,"), "{csv}");
    let files = texts(&out);
    for word in ["MARCHWORD", "APRILWORD", "Budget line unsigned", "BETAWORD", "2026-03-20", "LATELESSONWORD"] {
        nowhere(&files, word, date);
    }
    assert_eq!(negative_days(&files), None);
    assert_eq!(negative_json_days(&portfolio_json(&out), ""), None);
}

#[test]
fn between_two_stage_entries() {
    let dir = full_site();
    let date = "2026-03-25";
    let (run, out) = build_at(dir.path(), date);
    assert!(run.last_line().contains("built 2 pilots"), "{}", run.stderr);
    let json = portfolio_json(&out);
    // Alpha entered bridge on 03-02 and production only on 04-06; Beta
    // entered idea on 03-16 and pilot only on 03-30.
    assert_eq!(stages(&json), [("alpha".into(), "bridge".into()), ("beta".into(), "idea".into())]);
    assert_eq!(figure(&json, "in_production"), 0);
    // Data feed resolved on 03-20; Vendor contract due today, not overdue.
    assert_eq!(figure(&json, "open_constraints"), 1);
    assert_eq!(figure(&json, "overdue_constraints"), 0);
    // Alpha's last update (03-02) is 23 days old: stale; Beta's is not.
    assert_eq!(figure(&json, "stale"), 1);
    let by_stage = &json["portfolio"]["by_stage"];
    let count = |stage: &str| {
        by_stage.as_array().unwrap().iter().find(|s| s["stage"] == stage).unwrap()["count"].as_u64().unwrap()
    };
    assert_eq!((count("idea"), count("bridge"), count("pilot"), count("production")), (1, 1, 0, 0));
    assert!(page_text(&out, "pilots/alpha/index.html").contains("Stage: bridge"));
    assert!(page_text(&out, "pilots/beta/index.html").contains("Stage: idea"));
    let list = page_text(&out, "pilots/index.html");
    assert!(list.contains("Alpha") && list.contains("Beta"), "{list}");
    let files = texts(&out);
    for word in ["APRILWORD", "Budget line unsigned", "LATELESSONWORD", "Entered production"] {
        nowhere(&files, word, date);
    }
    assert!(!out.join("lessons/late").exists());
    assert!(out.join("lessons/early").exists());
    assert_eq!(negative_days(&files), None);
    assert_eq!(negative_json_days(&portfolio_json(&out), ""), None);
}

#[test]
fn after_everything_everything_counts() {
    let dir = full_site();
    let date = "2026-05-10";
    let (_, out) = build_at(dir.path(), date);
    let json = portfolio_json(&out);
    assert_eq!(stages(&json), [("alpha".into(), "production".into()), ("beta".into(), "pilot".into())]);
    assert_eq!(figure(&json, "in_production"), 1);
    // Budget line (due 04-30) and Vendor contract (due 03-25) are open
    // and overdue; Data feed is resolved.
    assert_eq!(figure(&json, "open_constraints"), 2);
    assert_eq!(figure(&json, "overdue_constraints"), 2);
    assert_eq!(json["constraints"].as_array().unwrap().len(), 3);
    let files = texts(&out);
    for word in ["APRILWORD", "MARCHWORD", "FEBRUARYWORD", "BETAWORD", "LATELESSONWORD", "Budget line unsigned"] {
        let lower = word.to_lowercase();
        assert!(files.values().any(|t| t.to_lowercase().contains(&lower)), "as of {date}, `{word}` is nowhere");
    }
    assert!(page_text(&out, "pilots/alpha/index.html").contains("Stage: production"));
    assert!(out.join("lessons/late").exists());
    assert_eq!(negative_days(&files), None);
    assert_eq!(negative_json_days(&portfolio_json(&out), ""), None);
}

/// The records of `full_site` cut back by hand to how they stood on
/// 2026-02-25: Alpha at `pilot`, its data constraint not yet resolved, one
/// update; Beta not started; the late lesson not written.
fn cut_to_february() -> tempfile::TempDir {
    let alpha = ALPHA
        .replace("stage = \"production\"", "stage = \"pilot\"")
        .replace("bridge = 2026-03-02\nproduction = 2026-04-06\n", "")
        .replace("resolved = 2026-03-20\n", "");
    let alpha = without_tables(&alpha, &["id = \"budget-line\"", "week = 2026-03-02", "week = 2026-04-06"]);
    site(&[("pilotdeck.toml", CONFIG), ("content/pilots/alpha.md", &alpha), ("content/lessons/early.md", EARLY_LESSON)])
}

/// As `cut_to_february`, on 2026-03-25: Alpha at `bridge`, without the
/// budget constraint and the April update; Beta at `idea`.
fn cut_to_march() -> tempfile::TempDir {
    let alpha = ALPHA.replace("stage = \"production\"", "stage = \"bridge\"").replace("production = 2026-04-06\n", "");
    let alpha = without_tables(&alpha, &["id = \"budget-line\"", "week = 2026-04-06"]);
    let beta = BETA.replace("stage = \"pilot\"", "stage = \"idea\"").replace("pilot = 2026-03-30\n", "");
    site(&[
        ("pilotdeck.toml", CONFIG),
        ("content/pilots/alpha.md", &alpha),
        ("content/pilots/beta.md", &beta),
        ("content/lessons/early.md", EARLY_LESSON),
    ])
}

/// `record` without each `[[...]]` table that holds one of `lines`.
fn without_tables(record: &str, lines: &[&str]) -> String {
    let (front, body) = record.trim_start_matches("+++\n").split_once("+++\n").unwrap();
    let mut parts: Vec<&str> = front.split("\n\n").collect();
    parts.retain(|part| !lines.iter().any(|l| part.lines().any(|x| x == *l)));
    let front = parts.join("\n\n");
    format!("+++\n{}\n+++\n{body}", front.trim_end())
}

/// The build of the whole site as of a date is the build of the records as
/// they stood then (cut back by hand), file for file.
#[test]
fn the_site_as_of_a_date_is_the_site_as_it_stood_then() {
    for (date, cut) in [("2026-02-25", cut_to_february()), ("2026-03-25", cut_to_march())] {
        let dir = full_site();
        let (_, out) = build_at(dir.path(), date);
        let (_, expected) = build_at(cut.path(), date);
        let (got, want) = (snapshot(&out), snapshot(&expected));
        let names = |s: &BTreeMap<String, Vec<u8>>| s.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&got), names(&want), "as of {date}: not the same files");
        for (path, bytes) in &want {
            assert!(
                got[path] == *bytes,
                "as of {date}, {path} differs:\n--- as of ---\n{}\n--- as it stood ---\n{}",
                String::from_utf8_lossy(&got[path]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// At a date after everything in the site, nothing is cut: the build is the
/// one with the date written in the config, and equals the build of a late
/// date as it was before (today's behaviour): every pilot at its written
/// stage.
#[test]
fn a_late_date_changes_nothing() {
    let dir = full_site();
    let (_, flag) = build_at(dir.path(), "2026-05-10");
    let configured = site(&[
        ("pilotdeck.toml", "title = \"As of\"\nas_of = \"2026-05-10\"\n"),
        ("content/pilots/alpha.md", ALPHA),
        ("content/pilots/beta.md", BETA),
        ("content/lessons/early.md", EARLY_LESSON),
        ("content/lessons/late.md", LATE_LESSON),
    ]);
    let out = configured.path().join("out");
    let run = pilotdeck([
        "--root".as_ref(),
        configured.path().as_os_str(),
        "build".as_ref(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(snapshot(&flag) == snapshot(&out), "`--as-of` and `as_of` in the config differ");
    let json = portfolio_json(&out);
    assert_eq!(stages(&json), [("alpha".into(), "production".into()), ("beta".into(), "pilot".into())]);
}

/// A stage dated after a date looked back at is the future: no error and
/// no warning. With `as_of = "today"`, a stage dated after today is a slip
/// of the pen, and PD017 says so.
#[test]
fn the_future_is_no_mistake_in_the_past() {
    let dir = full_site();
    let run = pilotdeck([
        "--root".as_ref(),
        dir.path().as_os_str(),
        "check".as_ref(),
        "--as-of".as_ref(),
        "2026-01-20".as_ref(),
    ]);
    assert!(!run.stdout.contains("after the as-of date"), "{}", run.stdout);
    assert!(run.diagnostics().iter().all(|d| !d.is_error()), "{}", run.stdout);
    let later = ALPHA.replace("production = 2026-04-06", "production = 2199-04-06");
    let today = site(&[("pilotdeck.toml", "as_of = \"today\"\n"), ("content/pilots/alpha.md", &later)]);
    let run = pilotdeck(["--root".as_ref(), today.path().as_os_str(), "check".as_ref()]);
    let pd017: Vec<_> = run.diagnostics().into_iter().filter(|d| d.code == "PD017").collect();
    assert_eq!(pd017.len(), 1, "{}", run.stdout);
    assert!(pd017[0].header.contains("`production` is dated 2199-04-06, after the as-of date"), "{}", pd017[0].header);
    // Shown at the last stage entered by today, not at `production`.
    let (_, out) = build_at(today.path(), &today_utc());
    assert_eq!(stages(&portfolio_json(&out)), [("alpha".into(), "bridge".into())]);
}

fn today_utc() -> String {
    jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date().to_string()
}
