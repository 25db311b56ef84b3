//! Lessons learned, tags and search: extraction from records and lesson
//! pages, tag pages matched case-insensitively, and the search index.

use crate::common;

use common::{build_ok, read, site, text_of};

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "content/pilots/alpha.md",
            "+++\ntitle = \"Alpha\"\nstage = \"bridge\"\nowner = \"O\"\nfunction = \"Finance\"\ntags = [\"ERP\", \"document-ai\"]\n\
             [[constraints]]\ntitle = \"Schema\"\ncategory = \"integration\"\nowner = \"O\"\ndue = 2026-04-01\n\
             [[updates]]\nweek = 2026-03-16\n+++\nIntro.\n\n## Lessons learned\n\n- Map the write side early.\n\n## Next\n\nNot a lesson.\n\n### Lessons learned\n\nA second section: zebrafish.\n",
        ),
        (
            "content/pilots/beta.md",
            "+++\ntitle = \"Beta\"\nstage = \"pilot\"\nowner = \"O\"\ntags = [\"erp\"]\n[[updates]]\nweek = 2026-03-09\n+++\nNo lessons in this record.\n",
        ),
        ("content/lessons/_index.md", "+++\ntitle = \"Lessons learned\"\n+++\nWhat we learned.\n"),
        (
            "content/lessons/retire-well.md",
            "+++\ntitle = \"Retire well\"\ndate = 2026-03-18\ntags = [\"Erp\"]\naddresses = [\"integration\"]\n+++\nStop early.\n",
        ),
        (
            "content/playbook/integration-map.md",
            "+++\ntitle = \"Integration map\"\ntags = [\"erp\"]\naddresses = [\"integration\"]\n+++\nMap it.\n",
        ),
    ]
}

#[test]
fn lessons_are_gathered_newest_first_with_their_sections() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let html = read(dir.path(), "public/lessons/index.html");
    let text = text_of(&html);
    // Two sections from alpha (any heading level), none from beta, one page.
    assert!(html.contains("href=\"../pilots/alpha/#lessons-learned\""));
    assert!(html.contains("href=\"../pilots/alpha/#lessons-learned-1\""));
    assert!(text.contains("Map the write side early") && text.contains("zebrafish"));
    assert!(!text.contains("Not a lesson"));
    assert!(!text.contains("No lessons in this record"));
    // The page (2026-03-18) is newer than alpha's last update (2026-03-16).
    assert!(text.find("Retire well").unwrap() < text.find("Map the write side early").unwrap());
    // Grouped by tag (case-insensitive, each linking to the tag's page)
    // and by constraint category (the list filtered to it); each lesson
    // carries its tags and categories for the filters.
    assert!(html.contains("href=\"../tags/erp/\"") && html.contains("href=\"../lessons/?category=integration\""));
    assert!(html.contains("data-tag=\"|Erp|\"") && html.contains("data-category=\"|integration|\""));
    // The pilot page anchors exist for the links.
    let alpha = read(dir.path(), "public/pilots/alpha/index.html");
    assert!(alpha.contains("id=\"lessons-learned\"") && alpha.contains("id=\"lessons-learned-1\""));
}

#[test]
fn tags_match_case_insensitively_and_show_as_first_written() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let tags = text_of(&read(dir.path(), "public/tags/index.html"));
    assert!(tags.contains("ERP"), "first written: {tags}");
    assert!(!tags.contains("Erp") && !tags.contains(" erp "));
    let erp = text_of(&read(dir.path(), "public/tags/erp/index.html"));
    for needle in ["Alpha", "Beta", "Integration map", "Retire well"] {
        assert!(erp.contains(needle), "{needle} missing from the erp tag page: {erp}");
    }
    assert!(read(dir.path(), "public/tags/document-ai/index.html").contains("Alpha"));
    // Related content on the playbook page: lessons and pilots sharing its tags.
    let page = text_of(&read(dir.path(), "public/playbook/integration-map/index.html"));
    assert!(page.contains("Related lessons and pilots") && page.contains("Retire well") && page.contains("Beta"));
}

#[test]
fn the_search_index_is_written_into_the_site() {
    let dir = site(&files());
    build_ok(dir.path(), &[]);
    let json = |path: &str| -> serde_json::Value {
        let bytes = std::fs::read(dir.path().join(path)).unwrap();
        let text = if path.ends_with(".zlib") {
            pilotdeck::search::unpack(&bytes).unwrap()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        serde_json::from_str(&text).unwrap()
    };
    let postings = |path: &str, word: &str| pilotdeck::search::postings(json(path)[word].as_str().unwrap()).unwrap();
    let meta = json("public/search/data/meta.json");
    // Two pilots, alpha's two lessons sections, the playbook page and the
    // lesson page (the section pages have no text of their own), alpha's
    // constraint and its owner.
    assert_eq!(meta["records"], 8);
    assert_eq!(meta["kinds"], serde_json::json!(["pilot", "lesson", "playbook", "constraint", "person"]));
    assert_eq!(meta["tags"], serde_json::json!(["document-ai", "ERP"]), "by name, as first written");
    // The stages some record is at, in the configured order.
    assert_eq!(meta["stages"], serde_json::json!(["pilot", "bridge"]));
    // Alpha: a pilot at bridge tagged ERP and document-ai; its constraint,
    // at its pilot's stage; its owner.
    let filters = json("public/search/data/f.zlib");
    assert_eq!(filters[0], serde_json::json!([0, 1, 0, 1]));
    assert_eq!(filters[6], serde_json::json!([3, 1]));
    assert_eq!(filters[7], serde_json::json!([4, -1]));
    // A word of alpha's second lessons section is in alpha's record (0) and
    // that section's (2), once each and not in a title; record numbers are
    // differences in the file.
    assert_eq!(postings("public/search/data/w/ze.zlib", "zebrafish"), [(0, 1, false), (2, 1, false)]);
    assert_eq!(json("public/search/data/w/ze.zlib")["zebrafish"], "ACCC", "0 1*2 2 1*2, one digit each");
    let docs = json("public/search/data/d/0.zlib");
    assert_eq!(docs[2][0], "pilots/alpha/#lessons-learned-1");
    assert_eq!(docs[2][1], "Alpha: lessons learned");
    assert_eq!(docs[2][2], 1, "a lesson");
    assert_eq!(docs[2][3], "A second section: zebrafish.");
    // A constraint lands on its row on its pilot's page, a person on their page.
    assert_eq!(docs[6][0], "pilots/alpha/#c-schema");
    assert_eq!(docs[6][1], "Schema");
    assert_eq!(docs[7][0], "owners/o/");
    assert_eq!(docs[7][1], "O");
    // "Alpha" is in the title of records 0-2.
    let alpha = postings("public/search/data/w/al.zlib", "alpha");
    assert_eq!(alpha.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>(), [(0, true), (1, true), (2, true)]);
    let search = read(dir.path(), "public/search/index.html");
    assert!(search.contains("search.js") && search.contains("data-index=\"../search/data/\""));
    assert!(!search.contains("http://") && !search.contains("https://"), "no outside resources");
}
