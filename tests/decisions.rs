//! Leaders' decisions: a constraint's optional `ask` (the recommended
//! action) is read from TOML and YAML front matter and exported; the home
//! and portfolio pages show the open constraints at the top rung of the
//! ladder, grouped by the pilot's sponsor, with impact and ask, at most
//! eight, and "… and N more" linking to the full list.

use crate::common;

use common::{build_ok, pilotdeck, read, site, text_of};

/// A TOML record at `pilot` with a recent update and `extra` front matter.
fn record(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nstage = \"pilot\"\nowner = \"Olu\"\n{extra}\n[[updates]]\nweek = 2026-03-16\ncompleted = \"x\"\n+++\nBody.\n")
}

/// An open constraint due on `due`, with an impact and, when given, an ask.
fn constraint(title: &str, due: &str, ask: Option<&str>) -> String {
    let ask = ask.map(|a| format!("ask = \"{a}\"\n")).unwrap_or_default();
    format!(
        "[[constraints]]\ntitle = \"{title}\"\ncategory = \"data\"\nowner = \"Olu\"\nraised = 2026-01-05\ndue = {due}\nimpact = \"{title} slips\"\n{ask}"
    )
}

const YAML_RECORD: &str = "---\ntitle: Yaml pilot\nstage: pilot\nowner: Olu\nsponsor: Maria Gomez, CFO\n\
constraints:\n  - title: Yaml late\n    category: data\n    owner: Olu\n    raised: 2026-01-05\n    due: 2026-01-20\n    \
impact: The yaml target slips\n    ask: Approve the yaml budget\nupdates:\n  - week: 2026-03-16\n    completed: x\n---\nBody.\n";

#[test]
fn ask_is_read_from_toml_and_yaml_and_exported() {
    let toml = record(
        "Toml pilot",
        &format!(
            "sponsor = \"Sam\"\n{}",
            constraint("Toml late", "2026-01-10", Some("Approve, the \\\"toml\\\" budget"))
        ),
    );
    let dir = site(&[("content/pilots/t.md", &toml), ("content/pilots/y.md", YAML_RECORD)]);
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    let json: serde_json::Value = serde_json::from_str(&read(&out, "portfolio.json")).unwrap();
    assert_eq!(json["version"], 1, "a new field keeps the version");
    let asks: Vec<(String, String)> = json["constraints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].as_str().unwrap().to_string(), c["ask"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(asks.contains(&("Toml late".into(), "Approve, the \"toml\" budget".into())), "{asks:?}");
    assert!(asks.contains(&("Yaml late".into(), "Approve the yaml budget".into())), "{asks:?}");
    let csv = read(&out, "constraints.csv");
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",impact,playbook,ask"));
    assert!(csv.contains(",Approve the yaml budget\r\n"), "{csv}");
    assert!(csv.contains(",\"Approve, the \"\"toml\"\" budget\"\r\n"), "{csv}");
    // Both are at the leadership rung: the home page shows each ask.
    let home = text_of(&read(&out, "index.html"));
    assert!(home.contains("Recommended action Approve the yaml budget"), "{home}");
    assert!(home.contains("Recommended action Approve, the \"toml\" budget"), "{home}");
}

#[test]
fn an_ask_of_the_wrong_type_is_reported() {
    let toml = record("Toml pilot", &constraint("Late", "2026-01-10", None).replace("impact", "ask = 3\nimpact"));
    let dir = site(&[("content/pilots/t.md", &toml)]);
    let run = pilotdeck(["--root", dir.path().to_str().unwrap(), "check", "--as-of", common::AS_OF]);
    assert!(
        run.diagnostics().iter().any(|d| d.code == "PD003" && d.header.contains("content/pilots/t.md:")),
        "{}",
        run.stdout
    );
}

/// As of 2026-03-20 with the default ladder (leadership from 21 days past
/// due): eleven constraints at leadership (five of Sam's pilots, four of
/// Maria's, two of a pilot without a sponsor) and one at the sponsor rung.
fn portfolio() -> tempfile::TempDir {
    let late = |pilot: &str, k: usize| {
        // Due 2026-02-01 less k days: 47 + k days past due.
        let due = format!("2026-01-{:02}", 31 - k);
        constraint(&format!("{pilot} decision {k}"), &due, Some(&format!("Decide {pilot} {k}")))
    };
    let sam: String = (0..5).map(|k| late("Sam", k * 2)).collect();
    let maria: String = (0..4).map(|k| late("Maria", k * 2 + 1)).collect::<String>()
        + &constraint("Only at the sponsor", "2026-03-10", Some("Not for leaders"));
    let nobody: String = (0..2).map(|k| late("Nobody", 20 + k)).collect();
    let dir = site(&[
        ("content/pilots/s.md", &record("Sam's pilot", &format!("sponsor = \"Sam Ortiz, COO\"\n{sam}"))),
        ("content/pilots/m.md", &record("Maria's pilot", &format!("sponsor = \"Maria Gomez\"\n{maria}"))),
        ("content/pilots/n.md", &record("Nobody's pilot", &nobody)),
    ]);
    build_ok(dir.path(), &[]);
    dir
}

/// The text of the decisions block of `html`.
fn block(html: &str) -> String {
    let start = html.find("<section id=\"decisions\"").expect("a decisions block");
    let end = start + html[start..].find("</section>").unwrap();
    text_of(&html[start..end])
}

#[test]
fn home_and_portfolio_show_eight_decisions_by_sponsor_and_link_the_rest() {
    let dir = portfolio();
    let out = dir.path().join("public");
    for (file, link) in [("index.html", "portfolio/decisions/"), ("portfolio/index.html", "../portfolio/decisions/")] {
        let html = read(&out, file);
        let text = block(&html);
        assert!(
            text.starts_with("Decisions needed 11 open constraints are 21 or more days past due"),
            "{file}: {text}"
        );
        // The eight most overdue: both of the pilot without a sponsor
        // (68, 69 days), then Sam's and Maria's alternately down to 51 days.
        assert_eq!(text.matches("Recommended action Decide").count(), 8, "{file}: {text}");
        for gone in ["Sam decision 0", "Maria decision 1", "Sam decision 2", "Not for leaders"] {
            assert!(!text.contains(gone), "{file}: `{gone}` is not among the eight: {text}");
        }
        // Grouped by sponsor, the group with the most overdue first; the
        // sponsor's title beside the name.
        let at = |t: &str| text.find(t).unwrap_or_else(|| panic!("{file}: no `{t}` in {text}"));
        assert!(at("No sponsor named") < at("Sponsor: Sam Ortiz COO"));
        assert!(at("Sponsor: Sam Ortiz COO") < at("Sponsor: Maria Gomez"));
        assert!(at("Nobody decision 21") < at("Nobody decision 20"));
        assert!(at("Maria decision 7") < at("Maria decision 5") && at("Maria decision 5") < at("Maria decision 3"));
        assert!(at("Sam decision 8") < at("Sam decision 6") && at("Sam decision 6") < at("Sam decision 4"));
        // Each with its impact, its ask and a link to the constraint.
        assert!(text.contains("Impact Maria decision 7 slips Recommended action Decide Maria 7"), "{text}");
        assert!(html.contains("href=\"") && html.contains("pilots/m/#c-maria-decision-7\""), "{file}");
        assert!(html.contains("owners/maria-gomez/\">Maria Gomez</a>"), "{file}");
        // "… and 3 more" links to the full list.
        assert!(text.contains("… and 3 more: every decision needed"), "{file}: {text}");
        assert!(html.contains(&format!("<a href=\"{link}\">… and 3 more")), "{file}");
    }
    // Each group links to all of its sponsor's decisions.
    let home = read(&out, "index.html");
    assert!(home.contains("<a href=\"owners/sam-ortiz/decisions/\">all 5 of them →</a>"), "Sam's group shows 3 of 5");
    // The full list: every sponsor counted, the three most overdue of each,
    // and a link to each one's list.
    let html = read(&out, "portfolio/decisions/index.html");
    let text = text_of(&html);
    assert!(text.contains("11 open constraints are 21 or more days past due"), "{text}");
    assert!(text.contains("No sponsor named 2 69") && text.contains("Sam Ortiz COO 5 56"), "{text}");
    assert!(text.contains("Maria Gomez 4 55"), "{text}");
    assert_eq!(text.matches("Recommended action Decide").count(), 2 + 3 + 3, "{text}");
    for list in [
        "../../owners/sam-ortiz/decisions/",
        "../../owners/maria-gomez/decisions/",
        "../../portfolio/decisions/no-sponsor/",
    ] {
        assert!(html.contains(&format!("href=\"{list}\"")), "a link to {list}");
    }
    // Each sponsor's list holds all of theirs, most overdue first.
    for (file, n, first, last) in [
        ("owners/sam-ortiz/decisions/index.html", 5, "Sam decision 8", "Sam decision 0"),
        ("owners/maria-gomez/decisions/index.html", 4, "Maria decision 7", "Maria decision 1"),
        ("portfolio/decisions/no-sponsor/index.html", 2, "Nobody decision 21", "Nobody decision 20"),
    ] {
        let text = text_of(&read(&out, file));
        assert_eq!(text.matches("Recommended action Decide").count(), n, "{file}: {text}");
        assert!(text.find(first).unwrap() < text.find(last).unwrap(), "{file}: {text}");
        assert!(!text.contains("Not for leaders"), "{text}");
    }
}

#[test]
fn a_long_list_of_decisions_is_paged() {
    // 450 decisions of one sponsor: three pages of at most 200.
    let many: String = (0..450).map(|k| constraint(&format!("Item {k:03}"), "2026-01-10", None)).collect();
    let dir = site(&[("content/pilots/s.md", &record("Big", &format!("sponsor = \"Sam\"\n{many}")))]);
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    let count = |file: &str| text_of(&read(&out, file)).matches("Recommended action").count();
    assert_eq!(count("owners/sam/decisions/index.html"), 200);
    assert_eq!(count("owners/sam/decisions/2/index.html"), 200);
    assert_eq!(count("owners/sam/decisions/3/index.html"), 50);
    assert!(!out.join("owners/sam/decisions/4").exists());
    let second = read(&out, "owners/sam/decisions/2/index.html");
    assert!(text_of(&second).contains("Page 2 of 3"), "{}", text_of(&second));
    assert!(second.contains("href=\"../../../../owners/sam/decisions/\""), "a link back to page 1");
    assert!(second.contains("href=\"../../../../owners/sam/decisions/3/\""), "a link on to page 3");
    // The home page shows 8 and links to the full list.
    let home = text_of(&read(&out, "index.html"));
    assert!(home.contains("… and 442 more"), "{home}");
}

#[test]
fn without_decisions_the_block_says_so() {
    let dir = site(&[("content/pilots/a.md", &record("A", &constraint("Fine", "2026-04-30", None)))]);
    build_ok(dir.path(), &[]);
    let text = block(&read(&dir.path().join("public"), "index.html"));
    assert_eq!(text, "Decisions needed ✓ No open constraint has reached the leadership.");
}
