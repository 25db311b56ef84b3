//! Names in any script: file names, tags and owners are read in Unicode's
//! composed form (NFC) and transliterated into addresses (`Über` -> `uber`,
//! `日本` -> `ri-ben`); two different names that still make one address
//! are told apart (`-2`) with a PD024 warning naming both; a name with
//! nothing to make an address from says so.

use crate::common;

use common::{build, build_ok, pilotdeck, read, site, Run};
use std::path::Path;

fn record(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nstage = \"idea\"\n{extra}+++\nText.\n")
}

fn check(root: &Path) -> Run {
    pilotdeck(["--root".as_ref(), root.as_os_str(), "check".as_ref(), "--as-of".as_ref(), "2026-03-20".as_ref()])
}

/// The PD024 warnings of a run, header and note.
fn same_slug(run: &Run) -> Vec<(String, Vec<String>)> {
    run.diagnostics().into_iter().filter(|d| d.code == "PD024").map(|d| (d.header, d.notes)).collect()
}

const CAFE_NFC: &str = "caf\u{e9}";
const CAFE_NFD: &str = "cafe\u{301}";

#[test]
fn cafe_typed_composed_or_decomposed_is_one_id() {
    for name in [CAFE_NFC, CAFE_NFD] {
        let dir = site(&[(&format!("content/pilots/{name}.md"), &record("Café", ""))]);
        build_ok(dir.path(), &[]);
        assert!(dir.path().join("public/pilots/cafe/index.html").exists(), "{name:?}");
    }
}

#[test]
fn cafe_composed_and_decomposed_side_by_side_is_a_clear_error() {
    let dir = site(&[
        (&format!("content/pilots/{CAFE_NFC}.md"), &record("One", "")),
        (&format!("content/pilots/{CAFE_NFD}.md"), &record("Two", "")),
    ]);
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    let dup: Vec<_> = d.iter().filter(|d| d.header.contains("two pilot records have the id `cafe`")).collect();
    assert_eq!(dup.len(), 1, "{}", run.stderr);
    assert_eq!(dup[0].notes.len(), 1, "the other file is named");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn cafe_and_cafe_with_an_accent_are_two_pilots_and_a_warning() {
    let dir = site(&[
        ("content/pilots/cafe.md", &record("Plain", "")),
        (&format!("content/pilots/{CAFE_NFC}.md"), &record("Accent", "")),
    ]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/pilots/cafe/index.html").contains("Plain"));
    assert!(read(dir.path(), "public/pilots/cafe-2/index.html").contains("Accent"));
    let warnings = same_slug(&check(dir.path()));
    assert_eq!(
        warnings,
        vec![(
            format!("content/pilots/{CAFE_NFC}.md:1:1: warning: `café` and `cafe` both make the pilot id `cafe`: this record's id is `cafe-2`"),
            vec!["content/pilots/cafe.md:1:1: note: the other record is here".to_string()]
        )]
    );
}

#[test]
fn a_record_named_in_japanese_is_a_pilot() {
    let dir = site(&[("content/pilots/日本.md", &record("Japan", ""))]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/pilots/ri-ben/index.html").contains("Japan"));
    assert!(read(dir.path(), "public/pilots/index.html").contains("pilots/ri-ben/"));
}

#[test]
fn an_id_that_would_be_empty_says_so() {
    for name in ["!!!", "---", "·"] {
        let dir = site(&[(&format!("content/pilots/{name}.md"), &record("Bang", ""))]);
        let run = build(dir.path(), &[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let d = run.diagnostics();
        assert_eq!(d.len(), 1, "{}", run.stderr);
        assert_eq!(
            d[0].header,
            format!(
                "content/pilots/{name}.md:1:1: error: this record's id would be empty: its name has no letter or digit"
            )
        );
        assert!(d[0].help.as_deref().unwrap().contains("rename it with letters or digits"), "{:?}", d[0].help);
    }
}

#[test]
fn japanese_and_chinese_tags_get_their_own_pages() {
    let dir = site(&[
        ("content/pilots/a.md", &record("Tokyo", "tags = [\"日本\"]\n")),
        ("content/pilots/b.md", &record("Beijing", "tags = [\"中国\"]\n")),
    ]);
    build_ok(dir.path(), &[]);
    let japan = read(dir.path(), "public/tags/ri-ben/index.html");
    let china = read(dir.path(), "public/tags/zhong-guo/index.html");
    assert!(japan.contains("日本") && japan.contains("Tokyo") && !japan.contains("Beijing"));
    assert!(china.contains("中国") && china.contains("Beijing") && !china.contains("Tokyo"));
    assert!(!dir.path().join("public/tags/tag").exists());
}

#[test]
fn uber_with_an_umlaut_and_ber_are_two_tags() {
    let dir = site(&[
        ("content/pilots/a.md", &record("Umlaut", "tags = [\"Über\"]\n")),
        ("content/pilots/b.md", &record("Short", "tags = [\"ber\"]\n")),
    ]);
    build_ok(dir.path(), &[]);
    let uber = read(dir.path(), "public/tags/uber/index.html");
    let ber = read(dir.path(), "public/tags/ber/index.html");
    assert!(uber.contains("Umlaut") && !uber.contains("Short"));
    assert!(ber.contains("Short") && !ber.contains("Umlaut"));
}

#[test]
fn tags_alike_but_for_case_or_encoding_are_one_tag() {
    let dir = site(&[
        ("content/pilots/a.md", &record("One", "tags = [\"Über\"]\n")),
        ("content/pilots/b.md", &record("Two", "tags = [\"über\"]\n")),
        ("content/pilots/c.md", &record("Three", "tags = [\"U\u{308}ber\"]\n")),
    ]);
    build_ok(dir.path(), &[]);
    let tag = read(dir.path(), "public/tags/uber/index.html");
    assert!(tag.contains("One") && tag.contains("Two") && tag.contains("Three"));
    assert!(!dir.path().join("public/tags/uber-2").exists());
    assert!(same_slug(&check(dir.path())).is_empty());
}

#[test]
fn different_tags_with_one_slug_are_told_apart() {
    let dir = site(&[
        ("content/pilots/a.md", &record("Plain", "tags = [\"uber\"]\n")),
        ("content/pilots/b.md", &record("Umlaut", "tags = [\"Über\"]\n")),
    ]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/tags/uber/index.html").contains("Plain"));
    assert!(read(dir.path(), "public/tags/uber-2/index.html").contains("Umlaut"));
    // Links to the tag pages lead to the right one.
    let tags = read(dir.path(), "public/tags/index.html");
    assert!(tags.contains("tags/uber-2/"), "{tags}");
    let warnings = same_slug(&check(dir.path()));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].0.starts_with("content/pilots/b.md:2:9: warning: tags `Über` and `uber` both make the page `/tags/uber/`: `Über` is at `/tags/uber-2/`"),
        "{warnings:?}"
    );
    assert_eq!(warnings[0].1, vec!["content/pilots/a.md:2:9: note: `uber` is here".to_string()]);
}

#[test]
fn owners_with_one_slug_get_two_pages_and_a_warning() {
    let dir = site(&[
        ("content/pilots/a.md", &record("A", "owner = \"Ana Lee\"\n")),
        ("content/pilots/b.md", &record("B", "owner = \"Ana-Lee\"\n")),
    ]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/owners/ana-lee/index.html").contains("Ana Lee"));
    assert!(read(dir.path(), "public/owners/ana-lee-2/index.html").contains("Ana-Lee"));
    let warnings = same_slug(&check(dir.path()));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].0.contains("`Ana-Lee` and `Ana Lee` both make the owner page `/owners/ana-lee/`"),
        "{warnings:?}"
    );
}

#[test]
fn an_owner_typed_composed_or_decomposed_is_one_person() {
    let dir = site(&[
        ("content/pilots/a.md", &record("A", "owner = \"Jos\u{e9}\"\n")),
        ("content/pilots/b.md", &record("B", "owner = \"Jose\u{301}\"\n")),
    ]);
    build_ok(dir.path(), &[]);
    let page = read(dir.path(), "public/owners/jose/index.html");
    assert!(page.contains("pilots/a/") && page.contains("pilots/b/"), "{page}");
    assert!(!dir.path().join("public/owners/jose-2").exists());
}

#[test]
fn a_page_named_in_another_script_gets_an_address() {
    let dir = site(&[("content/playbook/Über uns.md", "+++\ntitle = \"About\"\n+++\nText.\n")]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/playbook/uber-uns/index.html").contains("About"));
}

#[test]
fn new_pilot_with_a_title_in_another_script() {
    let dir = site(&[("pilotdeck.toml", "")]);
    let root = dir.path().as_os_str();
    let run = pilotdeck(["--root".as_ref(), root, "new".as_ref(), "pilot".as_ref(), "日本".as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(dir.path(), "content/pilots/ri-ben.md").contains("title = \"日本\""));
    let run = pilotdeck(["--root".as_ref(), root, "new".as_ref(), "pilot".as_ref(), "!!!".as_ref()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("the id would be empty"), "{}", run.stderr);
}

#[test]
fn pages_whose_names_make_one_address_are_told_apart() {
    let page = |t: &str| format!("+++\ntitle = \"{t}\"\n+++\nText.\n");
    let dir = site(&[
        ("content/playbook/cafe.md", &page("Plain")),
        (&format!("content/playbook/{CAFE_NFC}.md"), &page("Accent")),
        ("content/playbook/Über.md", &page("Umlaut")),
        ("content/playbook/ber.md", &page("Short")),
    ]);
    build_ok(dir.path(), &[]);
    assert!(read(dir.path(), "public/playbook/cafe/index.html").contains("Plain"));
    assert!(read(dir.path(), "public/playbook/cafe-2/index.html").contains("Accent"));
    assert!(read(dir.path(), "public/playbook/uber/index.html").contains("Umlaut"));
    assert!(read(dir.path(), "public/playbook/ber/index.html").contains("Short"));
    let warnings = same_slug(&check(dir.path()));
    assert_eq!(
        warnings,
        vec![(
            format!("content/playbook/{CAFE_NFC}.md:1:1: warning: `playbook/café` and `playbook/cafe` both make the address `/playbook/cafe/`: this page is at `/playbook/cafe-2/`"),
            vec!["content/playbook/cafe.md:1:1: note: the other file is here".to_string()]
        )]
    );
    // One name twice (a page and a section) is still an error.
    let dir = site(&[("content/playbook/x.md", &page("Page")), ("content/playbook/x/_index.md", &page("Section"))]);
    let run = build(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "`content/playbook/x.md` and `content/playbook/x/_index.md` would both be published at `/playbook/x/`"
        ),
        "{}",
        run.stderr
    );
}
