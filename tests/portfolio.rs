//! The portfolio page and its charts: chart data against the model, valid
//! SVG with title and description, a snapshot of one chart, and portfolios
//! of none, one and many pilots.

use crate::common;

use common::{build_ok, read, site, AS_OF};
use pilotdeck::date::Date;
use pilotdeck::pipeline::{analyse, Options};
use pilotdeck::render::portfolio::{self, ChartsData};
use std::path::Path;

const CHARTS: [&str; 6] = [
    "stage-funnel",
    "readiness-heatmap",
    "time-to-production",
    "constraints-by-age",
    "confidence-gap",
    "updates-per-week",
];

fn pilot(id: &str, front: &str) -> (String, String) {
    (format!("content/pilots/{id}.md"), format!("+++\ntitle = \"{id}\"\n{front}+++\nBody of {id}.\n"))
}

/// Three pilots with known facts as of 2026-03-20.
fn three() -> Vec<(String, String)> {
    vec![
        pilot(
            "alpha",
            "stage = \"production\"\nowner = \"A\"\nstarted = 2025-06-01\n\
             [stages]\npilot = 2025-07-01\nproduction = 2026-01-27\n\
             [readiness.technical]\nlatency = true\nmonitoring = true\nfallback = true\nintegration = true\n\
             [[updates]]\nweek = 2026-03-16\nconfidence = { leader = 4, team = 4 }\n",
        ),
        pilot(
            "beta",
            "stage = \"bridge\"\nowner = \"B\"\nstarted = 2025-09-01\n\
             [stages]\npilot = 2025-10-01\nbridge = 2026-02-01\n\
             [readiness.technical]\nlatency = true\nmonitoring = \"https://x.example\"\n\
             [[constraints]]\ntitle = \"Schema\"\ncategory = \"integration\"\nowner = \"O\"\nraised = 2026-01-01\ndue = 2026-03-10\n\
             [[constraints]]\ntitle = \"Risk review\"\ncategory = \"governance\"\nowner = \"O\"\nraised = 2026-03-15\ndue = 2026-04-10\n\
             [[updates]]\nweek = 2026-03-09\nconfidence = { leader = 5, team = 2 }\n\
             [[updates]]\nweek = 2026-03-16\nconfidence = { leader = 5, team = 2 }\n",
        ),
        pilot(
            "gamma",
            "stage = \"pilot\"\nowner = \"C\"\n\
             [[constraints]]\ntitle = \"Old one\"\ncategory = \"integration\"\nowner = \"O\"\nraised = 2025-11-01\ndue = 2026-03-20\n\
             [[updates]]\nweek = 2026-03-16\nconfidence = { leader = 5, team = 2 }\n",
        ),
    ]
}

fn site_of(files: &[(String, String)]) -> tempfile::TempDir {
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    site(&refs)
}

fn data(root: &Path) -> ChartsData {
    let a = analyse(&Options {
        root: root.to_path_buf(),
        as_of: Date::parse(AS_OF).map(pilotdeck::config::AsOf::Date),
        ..Options::default()
    })
    .unwrap();
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
    portfolio::data(&a.site, &a.config)
}

/// Parses an SVG file and returns its title and description.
fn svg_title_desc(text: &str) -> (String, String) {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("invalid SVG: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let find = |name: &str| {
        root.children().find(|n| n.tag_name().name() == name).and_then(|n| n.text()).unwrap_or_default().to_string()
    };
    (find("title"), find("desc"))
}

#[test]
fn chart_data_matches_the_model() {
    let dir = site_of(&three());
    let d = data(dir.path());
    let stages: Vec<(&str, usize)> = d.funnel.stages.iter().map(|s| (s.stage.as_str(), s.now)).collect();
    assert_eq!(
        stages,
        [("idea", 0), ("scoping", 0), ("pilot", 1), ("bridge", 1), ("production", 1), ("stalled", 0), ("retired", 0)]
    );
    // All three reached pilot; beta and alpha bridge (alpha passed it
    // without a date); only alpha production.
    let reached: Vec<(usize, Option<u32>)> = d.funnel.stages.iter().map(|s| (s.reached, s.went_on)).collect();
    assert_eq!(reached[2..5], [(3, Some(67)), (2, Some(50)), (1, None)]);
    assert!(d.funnel.stages[5].off_path && d.funnel.stages[6].off_path);
    // Heatmap: one row per pilot in stage order; technical readiness of the
    // default rubric (4 items): alpha 4/4, beta 2/4, gamma 0/4.
    assert!(!d.heatmap.by_stage);
    let rows: Vec<(&str, u32)> = d.heatmap.rows.iter().map(|r| (r.label.as_str(), r.cells[0])).collect();
    assert_eq!(rows, [("gamma", 0), ("beta", 50), ("alpha", 100)]);
    assert_eq!(d.heatmap.rows[0].url, "pilots/gamma/");
    // Cohorts: alpha entered pilot in 2025 Q3 and reached production 210
    // days later; beta entered in 2025 Q4 and is still in flight (170 days).
    // Gamma has no start date and is in no cohort.
    let cohorts: Vec<String> = d
        .learning
        .cohorts
        .iter()
        .map(|c| format!("{} {:?} {:?} {:?}", c.name, c.reached, c.in_flight, c.median))
        .collect();
    assert_eq!(cohorts, ["2025 Q3 [210] [] Some(210)", "2025 Q4 [] [170] None"]);
    // Open constraints: integration has beta's overdue "Schema" (raised 78
    // days ago) and gamma's "Old one" (due today: open, not overdue, 139
    // days old); governance has the new "Risk review".
    let integration = d.age.rows.iter().find(|r| r.category == "integration").unwrap();
    assert_eq!((integration.counts, integration.total, integration.overdue), ([0, 0, 1, 1, 0], 2, 1));
    let governance = d.age.rows.iter().find(|r| r.category == "governance").unwrap();
    assert_eq!((governance.counts, governance.total, governance.overdue), ([1, 0, 0, 0, 0], 1, 0));
    // Confidence: beta and gamma share (5, 2); alpha agrees (4, 4).
    let cells: Vec<(i64, i64, usize)> = d.confidence.cells.iter().map(|c| (c.leader, c.team, c.pilots)).collect();
    assert_eq!(cells, [(5, 2, 2), (4, 4, 1)]);
    assert_eq!(d.confidence.cells[0].names, ["beta", "gamma"]);
    // Weekly: 26 weeks ending with the as-of week (Monday 2026-03-16).
    // In flight: gamma (no stage dates) throughout; alpha until it entered
    // production on 2026-01-27; beta from 2025-10-01.
    let weeks: Vec<(&str, usize, usize, u32)> =
        d.weekly.weeks.iter().map(|w| (w.start.as_str(), w.updates, w.in_flight, w.days)).collect();
    assert_eq!(weeks.len(), 26);
    assert_eq!(weeks[0], ("2025-09-22", 0, 2, 7));
    assert_eq!(weeks[1], ("2025-09-29", 0, 3, 7));
    assert_eq!(weeks[18], ("2026-01-26", 0, 2, 7));
    assert_eq!(weeks[24], ("2026-03-09", 1, 2, 7));
    // 2026-03-20 is a Friday: the current week has 5 days so far.
    assert_eq!(weeks[25], ("2026-03-16", 3, 2, 5));
}

#[test]
fn every_chart_is_valid_svg_with_title_desc_and_a_table() {
    let dir = site_of(&three());
    build_ok(dir.path(), &[]);
    let page = read(dir.path(), "public/portfolio/index.html");
    for chart in CHARTS {
        let svg = read(dir.path(), &format!("public/portfolio/{chart}.svg"));
        let (title, desc) = svg_title_desc(&svg);
        assert!(!title.is_empty() && desc.len() > 20, "{chart}: {title:?} {desc:?}");
        assert!(page.contains(&format!("src=\"../portfolio/{chart}.svg\"")), "{chart} not on the page");
        assert!(page.contains(&format!("id=\"{chart}\"")), "{chart} has no section");
    }
    // The funnel's table carries the same numbers as the chart.
    let funnel_svg = read(dir.path(), "public/portfolio/stage-funnel.svg");
    assert!(svg_title_desc(&funnel_svg).1.contains("pilot 1, bridge 1, production 1"));
    assert!(page.contains("<th scope=\"row\">production</th><td>1</td><td>33%</td>"), "funnel table row");
    // A short alt text; the table is the long description.
    assert!(page.contains("aria-describedby=\"stage-funnel-table\""));
    assert!(page.contains("id=\"stage-funnel-table\""));
    // Headline figures link to the lists behind them.
    assert!(page.contains("href=\"../portfolio/#overdue\""));
    assert!(page.contains("href=\"../portfolio/#stale\""));
}

#[test]
fn stage_funnel_snapshot() {
    let dir = site_of(&three());
    build_ok(dir.path(), &[]);
    let svg = read(dir.path(), "public/portfolio/stage-funnel.svg");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/stage-funnel.svg");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || (!path.exists() && std::env::var_os("CI").is_none()) {
        std::fs::write(&path, &svg).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(svg == expected, "the stage funnel changed; review it and run with UPDATE_SNAPSHOTS=1 to accept");
}

#[test]
fn empty_portfolio_says_so() {
    let dir = site(&[]);
    std::fs::create_dir(dir.path().join("content")).unwrap();
    build_ok(dir.path(), &[]);
    let page = read(dir.path(), "public/portfolio/index.html");
    assert!(page.contains("No pilot records yet"));
    for chart in CHARTS {
        let svg = read(dir.path(), &format!("public/portfolio/{chart}.svg"));
        svg_title_desc(&svg);
    }
}

#[test]
fn one_pilot_portfolio() {
    let dir = site_of(&three()[..1]);
    build_ok(dir.path(), &[]);
    let d = data(dir.path());
    assert_eq!(d.heatmap.rows.len(), 1);
    assert_eq!(d.learning.cohorts.len(), 1);
    for chart in CHARTS {
        svg_title_desc(&read(dir.path(), &format!("public/portfolio/{chart}.svg")));
    }
}

#[test]
fn large_portfolios_aggregate_instead_of_listing() {
    // 45 pilots in production, each 100 + i days from pilot to production.
    let files: Vec<(String, String)> = (0..45)
        .map(|i| {
            let start = Date::parse("2024-01-01").unwrap().plus_days(i);
            let prod = start.plus_days(100 + i);
            pilot(
                &format!("p{i:02}"),
                &format!("stage = \"production\"\nowner = \"O\"\n[stages]\npilot = {start}\nproduction = {prod}\n"),
            )
        })
        .collect();
    let dir = site_of(&files);
    let d = data(dir.path());
    assert!(d.heatmap.by_stage, "45 pilots are shown by stage");
    assert!(d.heatmap.rows.is_empty());
    assert_eq!(d.heatmap.stages.len(), 1);
    assert_eq!((d.heatmap.stages[0].stage.as_str(), d.heatmap.stages[0].pilots), ("production", 45));
    // No readiness recorded: every dimension of every pilot is "not started".
    assert!(d.heatmap.stages[0].dims.iter().all(|bins| *bins == [0, 0, 0, 45]));
    // Starts 2024-01-01 + i days: 2024 Q1 (i < 91) holds all 45, each
    // 100 + i days to production: the median is the 23rd, 122 days.
    assert_eq!(d.learning.cohorts.len(), 1);
    assert_eq!((d.learning.cohorts[0].name.as_str(), d.learning.cohorts[0].median), ("2024 Q1", Some(122)));
    build_ok(dir.path(), &[]);
    let svg = read(dir.path(), "public/portfolio/readiness-heatmap.svg");
    assert!(!svg.contains("p44"), "single pilots are not labelled at this size");
}
