//! The constraint library, owners, feed and data exports: the same numbers
//! in the HTML, the CSV and the JSON for one as-of date.

use crate::common;

use common::{build, build_ok, read, site, text_of};

/// As of 2026-03-20 (the tests' as-of date):
/// - `late`: due 2026-03-10, open -> overdue 10 days, rung 1 (sponsor);
/// - `today`: due 2026-03-20, open -> due today, not overdue;
/// - `slow`: due 2026-03-01, resolved 2026-03-05 (4 days late) after 14 days;
/// - `ancient`: due 2026-02-20, open -> 28 days, rung 2 (leadership);
/// - `orphan`: no owner, due 2026-03-19 -> 1 day, rung 0 (owner).
fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "content/pilots/alpha.md",
            "+++\ntitle = \"Alpha\"\nstage = \"bridge\"\nowner = \"Dana Ruiz\"\nsponsor = \"Maria Gomez, CFO\"\n\
             [[constraints]]\nid = \"late\"\ntitle = \"Schema, \\\"approval\\\"\"\ncategory = \"integration\"\nowner = \"Priya Natarajan\"\nraised = 2026-02-01\ndue = 2026-03-10\nimpact = \"Two weeks\\nof slip\"\n\
             [[constraints]]\nid = \"today\"\ntitle = \"Due today\"\ncategory = \"data\"\nowner = \"priya natarajan \"\ndue = 2026-03-20\n\
             [[constraints]]\nid = \"slow\"\ntitle = \"Slow one\"\ncategory = \"integration\"\nowner = \"Dana Ruiz\"\nraised = 2026-02-19\ndue = 2026-03-01\nresolved = 2026-03-05\n\
             [[updates]]\nweek = 2026-03-16\ncompleted = \"Rules\"\nconfidence = { leader = 4, team = 2 }\n+++\n",
        ),
        (
            "content/pilots/beta.md",
            "+++\ntitle = \"Beta\"\nstage = \"pilot\"\nowner = \"DANA RUIZ\"\n\
             [[constraints]]\nid = \"ancient\"\ntitle = \"Ancient\"\ncategory = \"integration\"\nowner = \"Sam\"\ndue = 2026-02-20\n\
             [[constraints]]\nid = \"orphan\"\ntitle = \"Orphan\"\ncategory = \"governance\"\ndue = 2026-03-19\n\
             [[updates]]\nweek = 2026-03-09\ncompleted = \"Set-up\"\n+++\n",
        ),
        (
            "content/playbook/integration-map.md",
            "+++\ntitle = \"Integration map\"\naddresses = [\"integration\"]\n+++\nMap it.\n",
        ),
    ]
}

/// Parses RFC 4180 CSV (quoted fields with doubled quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a CR outside quotes must start CRLF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF ends a record: CSV lines must end with CRLF"),
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "the last record must end with CRLF");
    rows
}

#[test]
fn csv_has_every_constraint_with_status_days_and_rung() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let text = read(dir.path(), "public/constraints.csv");
    let text = text.strip_prefix('\u{feff}').expect("a UTF-8 byte order mark for spreadsheets");
    let rows = parse_csv(text);
    let h = &rows[0];
    let col = |name: &str| h.iter().position(|x| x == name).unwrap_or_else(|| panic!("no column {name}"));
    let pick = |r: &Vec<String>| {
        (r[col("id")].clone(), r[col("status")].clone(), r[col("overdue_days")].clone(), r[col("rung")].clone())
    };
    let got: Vec<(String, String, String, String)> = rows[1..].iter().map(pick).collect();
    let want = [
        ("ancient", "overdue", "28", "leadership"),
        ("late", "overdue", "10", "sponsor"),
        ("orphan", "overdue", "1", "owner"),
        ("today", "open", "", ""),
        ("slow", "resolved", "", ""),
    ];
    let want: Vec<(String, String, String, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
    assert_eq!(got, want);
    let late = &rows[2];
    assert_eq!(late[col("title")], "Schema, \"approval\"");
    assert_eq!(late[col("impact")], "Two weeks\nof slip");
    assert_eq!(late[col("pilot")], "alpha");
    let slow = &rows[5];
    assert_eq!((slow[col("resolved")].as_str(), slow[col("days_to_resolve")].as_str()), ("2026-03-05", "14"));
    assert_eq!(rows[3][col("owner")], "", "the orphan has no owner");
}

#[test]
fn json_matches_the_csv() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let v: serde_json::Value = serde_json::from_str(&read(dir.path(), "public/portfolio.json")).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["as_of"], "2026-03-20");
    assert_eq!(v["ladder"].as_array().unwrap().len(), 3);
    assert_eq!(v["rubric"].as_array().unwrap().len(), 4);
    let cs = v["constraints"].as_array().unwrap();
    assert_eq!(cs.len(), 5);
    let find = |id: &str| cs.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!((find("late")["overdue_days"].as_i64(), find("late")["rung_to"].as_str()), (Some(10), Some("sponsor")));
    assert_eq!(find("today")["overdue_days"], serde_json::Value::Null);
    assert_eq!(find("today")["status"], "open");
    assert_eq!(find("slow")["days_to_resolve"], 14);
    assert_eq!(find("orphan")["owner"], serde_json::Value::Null);
    let alpha = v["pilots"].as_array().unwrap().iter().find(|p| p["id"] == "alpha").unwrap();
    assert_eq!(alpha["facts"]["overdue_constraints"], 1);
    assert_eq!(alpha["facts"]["confidence_gap"], 2);
    assert_eq!(alpha["constraints"], serde_json::json!(["late", "today", "slow"]));
}

#[test]
fn library_page_orders_and_groups() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/constraints/index.html");
    let text = text_of(&html);
    // Overdue first, most days first; then open; then resolved.
    let pos = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle} missing"));
    assert!(pos("Ancient") < pos("Schema, \"approval\"") && pos("Schema, \"approval\"") < pos("Orphan"));
    assert!(pos("Orphan") < pos("Due today") && pos("Due today") < pos("Slow one"));
    for needle in [
        "overdue by 28 days",
        "overdue by 10 days",
        "overdue by 1 day",
        "due today",
        "resolved 2026-03-05, 4 days late",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(text.contains("sponsor (Maria Gomez, CFO)"), "the rung names the pilot's sponsor");
    assert!(text.contains("nobody named"));
    // A row is what was built for the as-of date: no script recomputes it.
    assert!(html.contains("id=\"alpha--late\" class=\"status-overdue\" data-status=\"overdue\""));
    assert!(!html.contains("data-due") && !html.contains("data-targets") && !html.contains("js-status"));
    // Integration hit two pilots: a recurring category, with its playbook page.
    assert!(html.contains("<a href=\"#cat-integration\"><strong>integration</strong></a>: 2 pilots"));
    assert!(html.contains("href=\"../playbook/integration-map/\">Integration map</a>"));
    assert!(!html.contains("#cat-governance\"><strong>"), "governance hit one pilot only");
}

#[test]
fn a_ladder_with_one_rung() {
    let mut f = files();
    f.push(("pilotdeck.toml", "[[escalation]]\nafter_days = 3\nto = \"steering group\"\n"));
    let dir = site(&f);
    build_ok(dir.path(), &[]);
    let rows = parse_csv(read(dir.path(), "public/constraints.csv").trim_start_matches('\u{feff}'));
    let rungs: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[3].as_str(), r[12].as_str())).collect();
    assert_eq!(
        rungs,
        [("ancient", "steering group"), ("late", "steering group"), ("orphan", ""), ("today", ""), ("slow", "")]
    );
}

#[test]
fn owners_are_matched_case_insensitively() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let list = text_of(&read(dir.path(), "public/owners/index.html"));
    // "Dana Ruiz" and "DANA RUIZ" are one person, shown as first written.
    assert_eq!(list.matches("Dana Ruiz").count(), 1, "{list}");
    assert!(!list.contains("DANA RUIZ"));
    // Priya owns the overdue "late": she comes before people with none.
    assert!(list.find("Priya Natarajan").unwrap() < list.find("Dana Ruiz").unwrap());
    let dana = text_of(&read(dir.path(), "public/owners/dana-ruiz/index.html"));
    assert!(dana.contains("Alpha") && dana.contains("Beta") && dana.contains("Slow one"));
    let priya = text_of(&read(dir.path(), "public/owners/priya-natarajan/index.html"));
    assert!(priya.contains("Schema, \"approval\"") && priya.contains("Due today"));
}

#[test]
fn feed_is_atom_with_stable_ids_newest_first() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let text = read(dir.path(), "public/feed.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    for required in ["id", "title", "updated", "author"] {
        assert!(feed.children().any(|n| n.tag_name().name() == required), "feed has no {required}");
    }
    let entries: Vec<_> = feed.children().filter(|n| n.tag_name().name() == "entry").collect();
    let child = |e: &roxmltree::Node, name: &str| {
        e.children().find(|n| n.tag_name().name() == name).and_then(|n| n.text()).unwrap_or_default().to_string()
    };
    let ids: Vec<String> = entries.iter().map(|e| child(e, "id")).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    let dates: Vec<String> = entries.iter().map(|e| child(e, "updated")).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    // Two updates, and escalations: ancient crossed 3 rungs, late 2, orphan 1.
    assert_eq!(ids.iter().filter(|i| i.contains(":update:")).count(), 2);
    assert_eq!(ids.iter().filter(|i| i.contains(":rung:")).count(), 6);
    assert!(ids.contains(&"urn:pilotdeck:alpha:constraint:late:rung:1".to_string()));
    // The late constraint reached the sponsor 7 days after its due date.
    let sponsor = entries.iter().find(|e| child(e, "id").ends_with("late:rung:1")).unwrap();
    assert_eq!(child(sponsor, "updated"), "2026-03-17T00:00:00Z");
    // Stable: a second build gives the same feed.
    build_ok(dir.path(), &[]);
    assert_eq!(read(dir.path(), "public/feed.xml"), text);
}

#[test]
fn pages_link_to_the_library_and_back() {
    let dir = site(&files());
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pilot = read(dir.path(), "public/pilots/alpha/index.html");
    assert!(pilot.contains("href=\"../../constraints/#alpha--late\""));
    let page = text_of(&read(dir.path(), "public/playbook/integration-map/index.html"));
    assert!(page.contains("Open constraints this page helps with"));
    assert!(page.contains("Ancient") && page.contains("Schema, \"approval\""));
    assert!(!page.contains("Orphan"), "governance is not addressed by this page");
    assert!(!page.contains("Slow one"), "resolved constraints are not listed");
}
