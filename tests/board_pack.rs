//! The board pack: `/portfolio/` printed (#23 item 6). Its first page is a
//! summary (headline figures, the three largest risks, the decisions needed
//! by sponsor), the paper comes from the config, and the long lists say
//! where the rest is. The printed pages themselves are looked at in the
//! end-to-end test (`tests/e2e/e2e.js` prints the example's pack).

use crate::common;

use common::{build, build_ok, read, site, text_of};

fn record(i: usize, due: &str) -> String {
    format!(
        "+++\ntitle = \"Pilot {i}\"\nstage = \"pilot\"\nowner = \"Dana Ruiz\"\nsponsor = \"Maria Gomez\"\n\n\
         [[constraints]]\ntitle = \"Blocker {i}\"\ncategory = \"data\"\nowner = \"Lee Chen\"\nraised = 2026-01-05\n\
         due = {due}\nimpact = \"Impact {i}\"\nask = \"Ask {i}\"\n+++\n"
    )
}

#[test]
fn the_first_page_is_a_summary_with_the_three_largest_risks_and_the_decisions() {
    let records: Vec<(String, String)> = [(0, "2026-01-10"), (1, "2026-02-01"), (2, "2026-01-20"), (3, "2026-03-01")]
        .iter()
        .map(|(i, due)| (format!("content/pilots/p{i}.md"), record(*i, due)))
        .collect();
    let mut files: Vec<(&str, &str)> = records.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    files.push(("pilotdeck.toml", "title = \"Board\"\npaper = \"letter\"\n"));
    let dir = site(&files);
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/portfolio/index.html");
    assert!(html.contains("@page { size: letter;"), "the paper from the config");
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle} not on the page"));
    assert!(
        at("id=\"summary\"") < at("The largest risks") && at("The largest risks") < at("Decisions needed from the")
    );
    let risks = text_of(&html[at("The largest risks")..at("Decisions needed from the")]);
    // The most overdue three, most overdue first (as of 2026-03-20).
    let order: Vec<usize> = ["Blocker 0", "Blocker 2", "Blocker 1"].iter().map(|b| risks.find(b).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{risks}");
    assert!(!risks.contains("Blocker 3"), "{risks}");
    assert!(risks.contains("Impact 0") && risks.contains("Ask: Ask 0"), "{risks}");
    // Decisions by sponsor, in a line each.
    let short = text_of(&html[at("Decisions needed from the")..]);
    assert!(short.contains("Maria Gomez : 3 (69 days past due at most): Blocker 0; Blocker 2; Blocker 1"), "{short}");
    // Four overdue: the printed list holds them all, and says nothing more.
    assert!(!html.contains("The board pack lists the 12 most overdue"), "{html}");
}

#[test]
fn a_long_list_says_where_the_rest_is() {
    let records: Vec<(String, String)> =
        (0..14).map(|i| (format!("content/pilots/p{i:02}.md"), record(i, &format!("2026-02-{:02}", i + 1)))).collect();
    let files: Vec<(&str, &str)> = records.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&files);
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/portfolio/index.html");
    assert!(html.contains("The board pack lists the 12 most overdue of 14; every one is in the constraint library, /constraints/?status=overdue."), "{html}");
    // The two past the twelfth are marked for print to leave out; the
    // number is the template's alone (no CSS counts rows).
    let overdue = &html[html.find("class=\"data overdue-table\"").unwrap()..];
    let overdue = &overdue[..overdue.find("</tbody>").unwrap()];
    let rows: Vec<&str> = overdue.split("<tr class=\"status-").skip(1).collect();
    assert_eq!(rows.len(), 14);
    assert!(rows[..12].iter().all(|r| !r.starts_with("overdue print-cut")), "{overdue}");
    assert!(rows[12..].iter().all(|r| r.starts_with("overdue print-cut")), "{overdue}");
    let css = read(dir.path(), "public/style.css");
    assert!(css.contains(".print-cut { display: none !important; }"));
    assert!(!css.contains("nth-child(n+") && !css.contains("nth-last-child(n+"), "print caps only in templates");
    // The home page's list of the same constraints prints whole.
    assert!(!read(dir.path(), "public/index.html").contains("print-cut"));
}

#[test]
fn the_paper_is_a4_unless_the_config_says_letter() {
    let dir = site(&[("content/pilots/a.md", &record(0, "2026-04-01"))]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/portfolio/index.html").contains("@page { size: A4;"));
    let dir = site(&[("content/pilots/a.md", &record(0, "2026-04-01")), ("pilotdeck.toml", "paper = \"A3\"\n")]);
    let run = build(dir.path(), &[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("`paper` cannot be `A3`") && run.stderr.contains("\"A4\" or \"letter\""),
        "{}",
        run.stderr
    );
}
