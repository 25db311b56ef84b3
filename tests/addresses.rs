//! Generated addresses belong to the generator: a section, page, static
//! file or asset of the site's at an address where pilotdeck makes a page
//! is PD008 naming both, in `check` and `build`, and nothing is written.

use crate::common;

use common::{build, parse_diagnostics, pilotdeck, site, AS_OF};

const RECORD: &str = "+++\ntitle = \"A\"\nstage = \"pilot\"\ntags = [\"risk\"]\nowner = \"Dana Lee\"\n\n[[constraints]]\ntitle = \"Sign-off\"\nowner = \"Dana Lee\"\ndue = 2026-04-01\n+++\n";
const PAGE: &str = "+++\ntitle = \"Mine\"\n+++\nText.\n";

/// The site with `extra`, checked and built: the PD008 lines of each.
fn clashes(extra: (&str, &str)) -> (Vec<String>, Vec<String>) {
    let dir = site(&[("content/pilots/a.md", RECORD), ("content/playbook/p.md", PAGE), extra]);
    let root = dir.path().to_str().unwrap();
    let check = pilotdeck(["--root", root, "check", "--as-of", AS_OF]);
    let built = build(dir.path(), &[]);
    assert_eq!(built.code, 1, "{}: {}", extra.0, built.stderr);
    assert!(!dir.path().join("public").exists(), "{}: nothing written", extra.0);
    let pd008 = |s: &str| {
        let headers = parse_diagnostics(s).into_iter().map(|d| d.header);
        headers.filter(|l| l.contains(": error: ") && l.contains("where pilotdeck makes")).collect()
    };
    assert_eq!(check.code, 1, "{}: {}", extra.0, check.stderr);
    (pd008(&check.stdout), pd008(&built.stderr))
}

#[test]
fn content_at_a_generated_address_is_pd008_naming_both() {
    for (file, text, url, generated) in [
        ("content/constraints/_index.md", PAGE, "/constraints/", "the constraint library"),
        ("content/tags/_index.md", PAGE, "/tags/", "the tags page"),
        ("content/tags/risk.md", PAGE, "/tags/risk/", "a tag's page"),
        ("content/owners/_index.md", PAGE, "/owners/", "the owners page"),
        ("content/owners/dana-lee.md", PAGE, "/owners/dana-lee/", "an owner's page"),
        ("content/portfolio/_index.md", PAGE, "/portfolio/", "the portfolio page"),
        ("content/lessons.md", PAGE, "/lessons/", "the lessons page"),
        ("content/search.md", PAGE, "/search/", "the search page"),
        ("static/index.html", "<h1>mine</h1>", "/", "the home page"),
        ("static/feed.xml", "<rss/>", "/feed.xml", "the feed"),
        ("static/pilots/a/index.html", "<h1>mine</h1>", "/pilots/a/", "a pilot's page"),
        ("content/playbook/constraints.csv", "a,b", "/playbook/constraints.csv", ""),
    ] {
        if generated.is_empty() {
            // An asset beside a page is not at a generated address.
            let dir = site(&[("content/pilots/a.md", RECORD), ("content/playbook/p.md", PAGE), (file, text)]);
            assert_eq!(build(dir.path(), &[]).code, 0);
            continue;
        }
        let (check, built) = clashes((file, text));
        assert_eq!(check.len(), 1, "{file}: {check:?}");
        assert_eq!(check, built, "{file}: check and build say the same");
        let line = &check[0];
        assert!(line.starts_with(&format!("{file}:")), "{file}: names the file: {line}");
        assert!(line.contains(&format!("`{url}`")), "{file}: names the address: {line}");
        assert!(line.contains(generated), "{file}: names the generated page: {line}");
        assert!(line.contains("PD008") || check.len() == 1, "{line}");
    }
}

#[test]
fn the_lessons_and_pilots_intros_are_not_clashes() {
    let dir = site(&[
        ("content/pilots/a.md", RECORD),
        ("content/pilots/_index.md", "+++\ntitle = \"Our pilots\"\n+++\nIntro.\n"),
        ("content/lessons/_index.md", "+++\ntitle = \"What we learned\"\n+++\nIntro.\n"),
        ("content/lessons/first.md", PAGE),
        ("static/img/logo.svg", "<svg/>"),
    ]);
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
