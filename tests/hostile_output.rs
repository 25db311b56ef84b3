//! Well-formed output whatever the input (issue 18, item 5): control
//! characters in every string of the content leave every XML and SVG file
//! parseable and every HTML page free of raw controls; every CSV cell that
//! holds text from the content is inert in a spreadsheet; diagnostics show
//! control characters escaped in every format.

use crate::common;

use common::{build_ok, pilotdeck, site, snapshot, write_bytes};

/// Control characters as TOML escapes: the C0 controls XML forbids, ESC,
/// U+FFFE and U+FFFF, and DEL and a C1 control (allowed in XML 1.0).
const CTRL: &str = r"\u0001\u0008\u000B\u000C\u001B\u001F\uFFFE\uFFFF\u007F\u0085";

/// The characters XML 1.0 forbids.
fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// A site whose every string (and config title) holds control characters.
fn control_site() -> tempfile::TempDir {
    let x = CTRL;
    let record = format!(
        "+++\ntitle = \"T{x}itle\"\nsummary = \"S{x}\"\nstage = \"pilot\"\nfunction = \"F{x}\"\nowner = \"O{x}wner\"\n\
         champion = \"C{x}\"\nsponsor = \"S{x}\"\nsuccess = \"S{x}\"\ntags = [\"t{x}ag\"]\nstarted = 2025-06-02\n\
         [readiness.technical]\nlatency = \"L{x}\"\n\
         [[integration]]\nsystem = \"S{x}\"\nnotes = \"N{x}\"\n\
         [[constraints]]\ntitle = \"C{x}onstraint\"\ncategory = \"data\"\nowner = \"O{x}wner\"\nraised = 2025-12-01\ndue = 2026-01-05\nimpact = \"I{x}\"\n\
         [[constraints]]\nid = \"second\"\ntitle = \"Other{x}\"\ncategory = \"data\"\nraised = 2025-12-01\ndue = 2025-12-20\nresolved = 2026-01-10\n\
         [[updates]]\nweek = 2026-03-16\ncompleted = \"C{x}\"\nblocker = \"B{x}\"\nrisk = \"R{x}\"\nescalation = \"E{x}\"\n\
         confidence = {{ leader = 3, team = 2 }}\n+++\nBody \u{1}\u{b} raw {{x}}\n\n## Head\u{1}ing\n\n| a\u{1} |\n|---|\n| b\u{1b} |\n"
    );
    let yaml = "---\ntitle: \"Y\\x01aml\\x1b\"\nstage: idea\nowner: \"Y\\x01owner\"\n---\nBody\n";
    let page =
        format!("+++\ntitle = \"P{x}age\"\ndescription = \"D{x}\"\ntags = [\"t{x}ag\"]\n+++\nText \u{1}\u{1f}.\n");
    let config = format!("title = \"Site{x}\"\n");
    site(&[
        ("pilotdeck.toml", &config),
        ("content/pilots/ctrl.md", &record),
        ("content/pilots/yaml.md", yaml),
        ("content/playbook/p.md", &page),
    ])
}

#[test]
fn every_xml_and_svg_file_parses_and_no_page_carries_a_raw_control() {
    let dir = control_site();
    build_ok(dir.path(), &[]);
    let files = snapshot(&dir.path().join("public"));
    let mut xml = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8(bytes.clone()).unwrap_or_default();
        if path.ends_with(".xml") || path.ends_with(".svg") {
            xml += 1;
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{path} does not parse: {e}");
            }
        }
        if path.ends_with(".xml") || path.ends_with(".svg") || path.ends_with(".html") {
            assert!(!text.chars().any(forbidden), "{path} holds a character XML forbids");
        }
    }
    assert!(xml >= 8, "feed, sitemap and the charts: {xml}");
    // The text is there, each control character replaced.
    let feed = common::read(&dir.path().join("public"), "feed.xml");
    let replaced = format!("T{}\u{7f}\u{85}itle", "\u{fffd}".repeat(8));
    assert!(feed.contains(&replaced), "{feed}");
    assert!(feed.contains("Site\u{fffd}"), "{feed}");
    let pilot = common::read(&dir.path().join("public"), "pilots/ctrl/index.html");
    assert!(pilot.contains("Body \u{fffd}\u{fffd} raw"), "the Markdown body is cleaned too");
    let charts: String = files
        .iter()
        .filter(|(p, _)| p.ends_with(".svg"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(charts.contains('\u{fffd}'), "chart labels came from the content");
}

/// Every cell of a CSV file, unquoted, row by row (the BOM dropped).
fn cells(csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
}

#[test]
fn every_csv_cell_from_content_is_inert() {
    let payloads =
        ["=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")", "+1+1", "-2+3", "@SUM(A1)", "\\t=1", "\\r=1", "＝1"];
    let mut constraints = String::new();
    for (i, p) in payloads.iter().enumerate() {
        constraints.push_str(&format!(
            "[[constraints]]\nid = \"c{i}\"\ntitle = \"{p}\"\ncategory = \"data\"\nowner = \"{p}\"\nraised = 2026-01-01\ndue = 2026-01-05\nimpact = \"{p}\"\n"
        ));
    }
    let record =
        format!("+++\ntitle = \"=cmd|' /C calc'!A0\"\nstage = \"pilot\"\nowner = \"@owner\"\n{constraints}+++\n");
    let dir = site(&[
        ("content/pilots/-dash.md", &record),
        ("content/pilots/plain.md", "+++\ntitle = \"Plain\"\nstage = \"idea\"\n+++\n"),
    ]);
    build_ok(dir.path(), &[]);
    let csv = common::read(&dir.path().join("public"), "constraints.csv");
    let rows = cells(&csv);
    assert!(rows.len() > payloads.len(), "{csv}");
    let header = &rows[0];
    let mut neutralised = 0;
    for row in &rows[1..] {
        for (name, cell) in header.iter().zip(row) {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
            assert!(!risky, "column {name}: {cell:?} starts like a formula\n{csv}");
            if cell.starts_with('\'') {
                neutralised += 1;
            }
        }
    }
    assert!(neutralised >= payloads.len() * 3, "{csv}");
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
}

#[test]
fn a_quoted_key_cannot_inject_a_workflow_command_nor_reach_the_terminal() {
    let record =
        "+++\ntitle = \"A\"\nstage = \"idea\"\n\"x\\n::error file=a::pwned\\u001b[2J\" = 1\n\"\\u009b31m\" = 2\n+++\n";
    let dir = site(&[("content/pilots/a.md", record)]);
    let root = dir.path().display().to_string();
    let mut seen = 0;
    for format in ["human", "json", "github"] {
        let run = pilotdeck(["--root", &root, "check", "--as-of", common::AS_OF, "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        for out in [&run.stdout, &run.stderr] {
            for line in out.lines() {
                assert!(!line.starts_with("::error file=a"), "{format}: injected line {line:?}");
                assert!(!line.chars().any(char::is_control), "{format}: control character in {line:?}");
            }
            if out.contains(r"\u{1b}[2J") || out.contains(r"\u001b[2J") {
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 3, "each format shows the key, escaped");
    // A file name with a control character is escaped too.
    write_bytes(dir.path(), "content/playbook/b\u{1b}[31m.md", b"+++\ntitle = \"B\"\nunknown = 1\n+++\n");
    let run = pilotdeck(["--root", &root, "check", "--as-of", common::AS_OF]);
    assert!(run.stdout.contains(r"content/playbook/b\u{1b}[31m.md:3:1"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'), "{}", run.stdout);
}
