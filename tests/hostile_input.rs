//! Input built to crash or stall a build: front matter nested 25,000 levels
//! deep (TOML and YAML, in a record, a page and `pilotdeck.toml`), thousands
//! of identical headings, a record with 100,000 constraints. Each gives a
//! diagnostic or a site, never a stack overflow or a wait. How fast is for
//! the benchmark (`benches/stages.rs`); these tests say what comes out.

use crate::common;

use common::{build, build_ok, pilotdeck, read, site, Run};
use pilotdeck::frontmatter::{self, MAX_DEPTH};
use proptest::prelude::*;

/// How deep the hostile battery nested its front matter.
const DEEP: usize = 25_000;

fn record(front: &str) -> String {
    format!("+++\ntitle = \"Deep\"\nstage = \"idea\"\n{front}+++\nText.\n")
}

/// The one depth diagnostic of a run that failed on it (exit 1, PD001),
/// as `path:line:col`.
fn too_deep(run: &Run) -> String {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    let deep: Vec<_> =
        run.diagnostics().into_iter().filter(|d| d.header.contains("nest more than 64 levels deep")).collect();
    assert_eq!(deep.len(), 1, "{}", run.stderr);
    let d = &deep[0];
    assert!(d.header.contains(": error: "), "{}", d.header);
    assert_eq!(d.code, "PD001", "{:?}", d.snippet);
    assert_eq!(
        d.help.as_deref(),
        Some("write the value flat: a record needs a few levels of lists and tables at most")
    );
    d.header.split(": error: ").next().unwrap().to_string()
}

fn check(root: &std::path::Path) -> Run {
    pilotdeck(["--root".as_ref(), root.as_os_str(), "check".as_ref(), "--as-of".as_ref(), "2026-03-20".as_ref()])
}

#[test]
fn toml_arrays_nested_25000_deep_in_a_record() {
    let text = record(&format!("tags = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)));
    let dir = site(&[("content/pilots/deep.md", &text)]);
    // `tags = ` then the first bracket at column 8 (level 2): level 65 is
    // the 64th bracket.
    assert_eq!(too_deep(&build(dir.path(), &[])), "content/pilots/deep.md:4:71");
    assert_eq!(too_deep(&check(dir.path())), "content/pilots/deep.md:4:71");
    assert!(!dir.path().join("public").exists(), "nothing is published");
}

#[test]
fn toml_inline_tables_nested_25000_deep_in_a_page() {
    let text = format!("+++\ntitle = \"P\"\nx = {}1{}\n+++\nText.\n", "{a=".repeat(DEEP), "}".repeat(DEEP));
    let dir = site(&[("content/playbook/p.md", &text)]);
    // The first `{` at column 5; three bytes a level.
    assert_eq!(too_deep(&build(dir.path(), &[])), format!("content/playbook/p.md:3:{}", 5 + 63 * 3));
}

#[test]
fn toml_headers_and_dotted_keys_25000_parts_long() {
    let keys = vec!["a"; DEEP].join(".");
    for front in [format!("[{keys}]\nx = 1\n"), format!("{keys} = 1\n")] {
        let dir = site(&[("content/pilots/deep.md", &record(&front))]);
        let run = build(dir.path(), &[]);
        too_deep(&run);
    }
}

#[test]
fn yaml_flow_lists_nested_25000_deep_in_a_record() {
    let text = format!("---\ntitle: Deep\nstage: idea\ntags: {}{}\n---\nText.\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let dir = site(&[("content/pilots/deep.md", &text)]);
    // `tags: ` then the first bracket at column 7.
    assert_eq!(too_deep(&build(dir.path(), &[])), "content/pilots/deep.md:4:70");
    assert_eq!(too_deep(&check(dir.path())), "content/pilots/deep.md:4:70");
}

#[test]
fn yaml_flow_maps_and_block_maps_nested_deep_in_a_page() {
    let flow = format!("---\ntitle: P\nx: {}1{}\n---\nText.\n", "{a: ".repeat(DEEP), "}".repeat(DEEP));
    let dir = site(&[("content/playbook/p.md", &flow)]);
    assert_eq!(too_deep(&build(dir.path(), &[])), format!("content/playbook/p.md:3:{}", 4 + 63 * 4));
    // Block maps, one level a line (2,000: the text grows as the square).
    let mut block = "---\ntitle: P\nx:\n".to_string();
    for level in 1..2_000 {
        block.push_str(&format!("{}a:\n", "  ".repeat(level)));
    }
    block.push_str("---\nText.\n");
    let dir = site(&[("content/playbook/p.md", &block)]);
    // `x:` holds level 2 on line 4: level 65 is on line 67.
    assert!(too_deep(&build(dir.path(), &[])).starts_with("content/playbook/p.md:67:"));
}

#[test]
fn pilotdeck_toml_nested_25000_deep() {
    let config = format!("title = \"Site\"\nstages = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let dir = site(&[("pilotdeck.toml", &config), ("content/playbook/p.md", "+++\ntitle = \"P\"\n+++\n")]);
    assert_eq!(too_deep(&build(dir.path(), &[])), "pilotdeck.toml:2:73");
    assert_eq!(too_deep(&check(dir.path())), "pilotdeck.toml:2:73");
}

/// Up to the limit is read; one level more is PD001, in both formats.
#[test]
fn the_limit_is_the_same_in_toml_and_yaml() {
    for (levels, ok) in [(MAX_DEPTH - 1, true), (MAX_DEPTH, false)] {
        // `levels` lists inside the front matter's table: `levels + 1` levels.
        let lists = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        for text in [format!("+++\nx = {lists}\n+++\n"), format!("---\nx: {lists}\n---\n")] {
            // On the test's own thread (2 MiB of stack).
            let problems = frontmatter::split(&text).problems;
            let deep = problems.iter().any(|p| p.message.contains("levels deep"));
            assert_eq!(deep, !ok, "{levels} lists: {problems:?}");
            assert_eq!(problems.is_empty(), ok, "{problems:?}");
        }
    }
}

#[test]
fn four_thousand_identical_headings() {
    let body = "## Step\n\ntext\n\n".repeat(4_000);
    let dir = site(&[("content/playbook/p.md", &format!("+++\ntitle = \"P\"\n+++\n{body}"))]);
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/p/index.html");
    assert!(html.contains("<h2 id=\"step\">"));
    assert!(html.contains("<h2 id=\"step-1\">"));
    assert!(html.contains("<h2 id=\"step-3999\">"));
    assert!(!html.contains("id=\"step-4000\""));
}

/// A record with 100,000 constraints, three of them sharing ids with
/// earlier ones.
#[test]
fn a_hundred_thousand_constraints_in_one_record() {
    let mut front = String::new();
    for i in 0..100_000 {
        let id = if i % 40_000 == 39_999 { 7 } else { i };
        front.push_str(&format!(
            "[[constraints]]\nid = \"c{id}\"\ntitle = \"T\"\ncategory = \"data\"\nowner = \"O\"\ndue = 2026-05-01\n"
        ));
    }
    let dir = site(&[("content/pilots/big.md", &record(&front))]);
    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr.lines().last().unwrap_or(""));
    let dups: Vec<_> = run.diagnostics().into_iter().filter(|d| d.code == "PD022").collect();
    assert_eq!(dups.len(), 2, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    for d in &dups {
        assert!(d.header.contains("two constraints of this pilot have the id `c7`"), "{}", d.header);
        assert_eq!(d.notes.len(), 1);
        // The first `c7` is the eighth constraint: line 4 + 7 * 6.
        assert!(d.notes[0].starts_with("content/pilots/big.md:46:1: note: "), "{}", d.notes[0]);
    }
}

/// The old heading ids, counting from 1 at each heading: the ids must stay
/// what they were.
fn old_ids(bases: &[String]) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for base in bases {
        let base = if base.is_empty() { "section".to_string() } else { base.clone() };
        let mut id = base.clone();
        let mut n = 1;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.push(id);
    }
    used
}

fn heading_ids(html: &str) -> Vec<String> {
    html.split("<h2 id=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Thousands of headings from a few names, some of them written as a
    /// generated id would be (`x-1`): every id is unique, and each is the
    /// id the old counting gave.
    #[test]
    fn heading_ids_are_unique_and_unchanged(names in prop::collection::vec(prop::sample::select(vec!["x", "x-1", "x-2", "y", "x-1-1", "!!"]), 1..300), repeat in 1usize..5) {
        let names: Vec<&str> = names.iter().cycle().take(names.len() * repeat).copied().collect();
        let body: String = names.iter().map(|n| format!("## {n}\n\n")).collect();
        let r = pilotdeck::markdown::render(&body, "", "Lessons learned");
        let ids = heading_ids(&r.html.text());
        prop_assert_eq!(ids.len(), names.len());
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        prop_assert_eq!(unique.len(), ids.len());
        let bases: Vec<String> = names.iter().map(|n| pilotdeck::markdown::slug(n)).collect();
        prop_assert_eq!(ids, old_ids(&bases));
    }

    /// Any mix of lists and inline tables, to any depth up to ten times the
    /// limit, in TOML and YAML: read when within it, PD001 when not.
    #[test]
    fn nesting_of_any_depth_is_read_or_refused(opens in prop::collection::vec(any::<bool>(), 1..(10 * MAX_DEPTH))) {
        let depth = opens.len();
        let (mut toml, mut yaml) = (String::from("+++\nx = "), String::from("---\nx: "));
        for &list in &opens {
            toml.push_str(if list { "[" } else { "{a = " });
            yaml.push_str(if list { "[" } else { "{a: " });
        }
        toml.push('1');
        yaml.push('1');
        for &list in opens.iter().rev() {
            toml.push(if list { ']' } else { '}' });
            yaml.push(if list { ']' } else { '}' });
        }
        toml.push_str("\n+++\n");
        yaml.push_str("\n---\n");
        for text in [toml, yaml] {
            let (problems, len) = (frontmatter::split(&text).problems, text.len());
            let deep = problems.iter().any(|p| p.message.contains("levels deep"));
            prop_assert_eq!(deep, depth + 1 > MAX_DEPTH, "{} levels: {:?}", depth + 1, problems);
            for p in &problems {
                prop_assert!(p.span.end as usize <= len);
            }
        }
    }

    /// Records of thousands of constraints whose ids come from a small
    /// pool: every repeat is reported once, pointing at the first.
    #[test]
    fn every_repeated_constraint_id_is_reported(ids in prop::collection::vec(0u16..2_000, 1..5_000)) {
        let mut front = String::new();
        for id in &ids {
            front.push_str(&format!("[[constraints]]\nid = \"c{id}\"\ntitle = \"T\"\ncategory = \"data\"\nowner = \"O\"\ndue = 2026-05-01\n"));
        }
        let dir = site(&[("content/pilots/p.md", &record(&front))]);
        let a = pilotdeck::pipeline::analyse(&pilotdeck::pipeline::Options {
            root: dir.path().to_path_buf(),
            as_of: pilotdeck::date::Date::parse("2026-03-20").map(pilotdeck::config::AsOf::Date),
            ..Default::default()
        })
        .unwrap();
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        let dups = a.diagnostics.iter().filter(|d| d.rule == pilotdeck::diag::Rule::DuplicateConstraint).count();
        prop_assert_eq!(dups, ids.len() - distinct.len());
        prop_assert_eq!(a.site.pilots[0].constraints.len(), distinct.len());
    }
}

/// 25,000 nested `<div>` (or blockquotes around raw HTML): the HTML parser
/// under the sanitizer takes time as the square of the depth, so past 512
/// levels the raw HTML is shown as text and nothing is parsed.
#[test]
fn raw_html_nested_25000_deep() {
    let divs = format!("{}x{}\n", "<div>".repeat(DEEP), "</div>".repeat(DEEP));
    let quotes = format!("{} x <b onclick=\"alert(1)\">y</b>\n", ">".repeat(DEEP));
    for body in [divs, quotes] {
        let dir = site(&[("content/playbook/p.md", &format!("+++\ntitle = \"P\"\n+++\n{body}"))]);
        build_ok(dir.path(), &[]);
        let html = read(dir.path(), "public/playbook/p/index.html");
        assert!(!html.contains("<div><div>") && !html.contains("<b onclick"), "raw HTML is not markup");
        assert!(html.contains("&lt;div&gt;") || html.contains("&lt;b onclick"));
    }
    // Shallow raw HTML is still sanitized, not escaped.
    let body = format!("{}x{}\n\n<b onclick=\"alert(1)\">y</b>\n", "<div>".repeat(100), "</div>".repeat(100));
    let dir = site(&[("content/playbook/p.md", &format!("+++\ntitle = \"P\"\n+++\n{body}"))]);
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/playbook/p/index.html");
    assert!(html.contains("<div><div>") && html.contains("<b>y</b>") && !html.contains("onclick"));
}

/// Thousands of problems in one file, all on one long line and on lines
/// after it: each is printed (positions are found going on from the last
/// one, not counted from the start), with a window of the long line.
#[test]
fn twenty_thousand_problems_in_one_file() {
    let tags: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    let mut front = format!("tags = [{}]\n", tags.join(", "));
    for i in 0..20_000 {
        front.push_str(&format!("[[constraints]]\nid = \"c{i}\"\ntitle = \"T\"\ncategory = \"data\"\nowner = \"O\"\n"));
    }
    let dir = site(&[("content/pilots/big.md", &record(&front))]);
    let run = check(dir.path());
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.iter().filter(|d| d.header.contains("expected a string, found an integer")).count(), 20_000);
    assert_eq!(d.iter().filter(|d| d.header.contains("has no due date")).count(), 20_000);
    // The 10,001st tag, `10000`, at its column, shown in a window of the line.
    let col = front.find(", 10000,").unwrap() + 3;
    let tag = d.iter().find(|d| d.header.starts_with(&format!("content/pilots/big.md:4:{col}: ")));
    let tag = tag.expect("the diagnostic of tag 10000");
    assert!(tag.snippet.iter().all(|l| l.chars().count() < 300), "{:?}", tag.snippet);
    let shown = &tag.snippet[1];
    let caret = &tag.snippet[2];
    let at = caret.find('^').unwrap();
    assert_eq!(&shown[at..at + 5], "10000", "{shown}\n{caret}");
}

/// `serve`, in this process (threads of 2 MiB of stack), on a site whose
/// record, page and config nest 25,000 deep: it starts and shows the
/// errors over its pages.
#[test]
fn serve_starts_on_deeply_nested_front_matter() {
    let record = format!("---\ntitle: Deep\nstage: idea\ntags: {}{}\n---\nText.\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let page = format!("+++\ntitle = \"P\"\nx = {}1{}\n+++\nText.\n", "{a=".repeat(DEEP), "}".repeat(DEEP));
    let config = format!("title = \"Site\"\nstages = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let dir =
        site(&[("content/pilots/deep.md", &record), ("content/playbook/p.md", &page), ("pilotdeck.toml", &config)]);
    let opts = pilotdeck::pipeline::Options {
        root: dir.path().to_path_buf(),
        as_of: pilotdeck::date::Date::parse("2026-03-20").map(pilotdeck::config::AsOf::Date),
        ..Default::default()
    };
    let h = pilotdeck::serve::start(pilotdeck::serve::ServeOptions {
        site: opts,
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        limits: Default::default(),
    })
    .unwrap();
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(h.addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", h.addr).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(text.contains("nest more than 64 levels deep"), "{}", &text[..text.len().min(3000)]);
    h.stop();
}
