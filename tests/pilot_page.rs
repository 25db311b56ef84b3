//! The pilot page answers first: the header, then the sponsor's four
//! questions, then readiness, then the facts and the tables; and the
//! questions are asked in the words of the pilot's stage (#22 item 5).

use crate::common;

use common::{build_ok, read, site, text_of};

const CONFIG: &str = "title = \"Pages\"\n";

fn record(stage: &str, stages: &str, target: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"A {stage} pilot\"\nstage = \"{stage}\"\nowner = \"Dana Ruiz\"\nsponsor = \"Maria Gomez\"\n\
         success = \"Half the invoices matched by hand\"\n{target}\n[stages]\n{stages}\n{extra}+++\nBody.\n"
    )
}

/// The text of the four answers on the page of `id`, question by question.
fn answers(root: &std::path::Path, id: &str) -> Vec<String> {
    let html = read(root, &format!("public/pilots/{id}/index.html"));
    let at = html.find("id=\"pilot-questions\"").unwrap();
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    section.split("<div class=\"answer").skip(2).map(text_of).collect()
}

fn built(files: &[(&str, &str)]) -> tempfile::TempDir {
    let mut all = vec![("pilotdeck.toml", CONFIG)];
    all.extend_from_slice(files);
    let dir = site(&all);
    build_ok(dir.path(), &[]);
    dir
}

#[test]
fn the_questions_come_before_readiness_and_the_facts() {
    let rec = record("pilot", "idea = 2026-01-05\npilot = 2026-02-02", "target = 2026-12-01", "");
    let dir = built(&[("content/pilots/a.md", &rec)]);
    let html = read(dir.path(), "public/pilots/a/index.html");
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle} not on the page"));
    assert!(at("</header>") < at("id=\"pilot-questions\""));
    assert!(at("id=\"pilot-questions\"") < at("id=\"pilot-readiness\""));
    assert!(at("id=\"pilot-readiness\"") < at("class=\"pilot-overview\""));
    assert!(at("class=\"pilot-overview\"") < at("id=\"pilot-constraints\""));
}

#[test]
fn a_pilot_on_its_way_is_told_its_target_has_passed() {
    let late = "[[constraints]]\ntitle = \"Schema review\"\ncategory = \"data\"\nowner = \"Lee Chen\"\n\
                raised = 2026-02-01\ndue = 2026-03-01\nimpact = \"Blocks the bridge\"\n";
    let rec =
        record("bridge", "idea = 2025-10-06\npilot = 2026-01-05\nbridge = 2026-02-02", "target = 2026-03-10", late);
    let quiet = record("pilot", "idea = 2025-10-06\npilot = 2026-01-05", "target = 2026-03-13", "");
    let dir = built(&[("content/pilots/late.md", &rec), ("content/pilots/quiet.md", &quiet)]);
    let a = answers(dir.path(), "late");
    assert!(a[0].contains("What constraint is preventing the next stage now?"), "{a:?}");
    assert!(a[2].contains("The target date 2026-03-10 passed 10 days ago, and the pilot is still in bridge."), "{a:?}");
    assert!(a[2].contains("Blocks the bridge"), "{a:?}");
    let a = answers(dir.path(), "quiet");
    assert!(a[2].contains("The target date 2026-03-13 passed 7 days ago, and the pilot is still in pilot."), "{a:?}");
    assert!(a[2].contains('⚠'), "a passed target needs attention: {a:?}");
}

#[test]
fn a_production_pilot_is_asked_what_keeps_it_running() {
    let open = "[[constraints]]\ntitle = \"Runbook missing\"\ncategory = \"other\"\nowner = \"Lee Chen\"\n\
                raised = 2026-02-01\ndue = 2026-03-01\n\n[[updates]]\nweek = 2026-03-16\ncompleted = \"Matched 61%\"\n";
    let rec = record(
        "production",
        "idea = 2025-06-02\npilot = 2025-09-01\nproduction = 2026-01-05",
        "target = 2026-06-01",
        open,
    );
    let dir = built(&[("content/pilots/p.md", &rec)]);
    let a = answers(dir.path(), "p");
    let all = a.join(" | ");
    assert!(a[0].contains("What keeps it running, and what is open?"), "{all}");
    assert!(a[0].contains("In production since 2026-01-05, 126 days after it entered pilot."), "{all}");
    assert!(a[0].contains("“Runbook missing” (other), overdue by 19 days."), "{all}");
    assert!(
        a[1].contains("Dana Ruiz owns it in production.") && a[1].contains("“Runbook missing”: Lee Chen owns it."),
        "{all}"
    );
    assert!(a[2].contains("Is it doing what it set out to do?"), "{all}");
    assert!(a[2].contains("It set out to achieve: Half the invoices matched by hand"), "{all}");
    assert!(a[2].contains("Latest update (week of 2026-03-16): Matched 61%"), "{all}");
    // Never the questions of a pilot on its way.
    assert!(!all.contains("next stage") && !all.contains("cannot hold"), "{all}");
}

#[test]
fn a_stalled_or_retired_pilot_is_asked_what_happened_and_since_when() {
    let blocker = "[[updates]]\nweek = 2026-02-09\nblocker = \"No data owner\"\n";
    let stalled = record(
        "stalled",
        "idea = 2025-10-06\npilot = 2026-01-05\nstalled = 2026-02-16",
        "target = 2026-03-01",
        blocker,
    );
    let waiting = record("stalled", "idea = 2025-10-06\nstalled = 2026-03-02", "target = 2026-09-01", "");
    let retired =
        record("retired", "idea = 2025-10-06\npilot = 2025-11-03\nretired = 2026-01-12", "target = 2026-02-01", "");
    let dir = built(&[
        ("content/pilots/stalled.md", &stalled),
        ("content/pilots/waiting.md", &waiting),
        ("content/pilots/retired.md", &retired),
    ]);
    let a = answers(dir.path(), "stalled");
    let all = a.join(" | ");
    assert!(a[0].contains("What happened, and since when?"), "{all}");
    assert!(a[0].contains("Stalled on 2026-02-16 (32 days ago), after pilot."), "{all}");
    assert!(a[0].contains("Last blocker reported (week of 2026-02-09): No data owner"), "{all}");
    assert!(a[1].contains("Who decides whether it restarts or retires?"), "{all}");
    assert!(a[2].contains("The target date 2026-03-01 passed 19 days ago while the pilot is stalled."), "{all}");
    let a = answers(dir.path(), "waiting");
    assert!(
        a[2].contains("The target date 2026-09-01 is 165 days away, and cannot be met while the pilot is stalled."),
        "{a:?}"
    );
    let a = answers(dir.path(), "retired");
    let all = a.join(" | ");
    assert!(a[0].contains("Retired on 2026-01-12 (67 days ago), after pilot."), "{all}");
    assert!(a[1].contains("Who owned it?") && a[1].contains("Maria Gomez sponsors it; Dana Ruiz owns it."), "{all}");
    assert!(a[2].contains("It was retired; the target date 2026-02-01 no longer applies."), "{all}");
    assert!(!all.contains("next stage"), "{all}");
}

#[test]
fn a_record_with_many_open_constraints_names_five_and_counts_the_rest() {
    let constraints: String = (0..9)
        .map(|i| {
            format!(
                "[[constraints]]\ntitle = \"Blocker {i}\"\ncategory = \"data\"\nowner = \"Lee Chen\"\n\
                 raised = 2026-01-05\ndue = 2026-02-{:02}\n\n",
                i + 1
            )
        })
        .collect();
    let rec = record("pilot", "idea = 2026-01-05\npilot = 2026-02-02", "target = 2026-12-01", &constraints);
    let dir = built(&[("content/pilots/a.md", &rec)]);
    let all = answers(dir.path(), "a").join("\n");
    // The most overdue first, then five more named, then a count.
    assert!(all.contains("“Blocker 0” (data), overdue by"), "{all}");
    assert!(all.contains("Also open: “Blocker 1”, “Blocker 2”, “Blocker 3”, “Blocker 4”, “Blocker 5”, and 3 more, under Constraints below."), "{all}");
    // Nine overdue: five escalation lines, then how many more.
    let escalate = all.split("What must be escalated").nth(1).unwrap();
    assert_eq!(escalate.matches(": escalate to the").count(), 5, "{escalate}");
    assert!(escalate.contains("And 4 more, under Constraints below."), "{escalate}");
    // Every one is in the table.
    let html = read(dir.path(), "public/pilots/a/index.html");
    assert_eq!(html.matches("<tr id=\"c-").count(), 9);
}
