//! Links and images written for GitHub or MkDocs (issue 19, items 4 and 8):
//! a relative link is read against the source file's folder (`x.md`,
//! `../b/README.md#anchor`, `./img/x.png`, `../dir/`), a Jekyll-style
//! `../slug/` against the published folder, and each is written as the
//! right relative URL from the published page; the files beside a page
//! are published where those URLs lead; a link to a missing file is PD020
//! with the nearest existing path.

use crate::common;

use common::{build_ok, pilotdeck, read, site, write_bytes, Run};
use std::path::Path;

/// A small playbook in the shapes MkDocs and GitHub wikis have: a
/// `README.md` in each folder, images and a PDF beside the pages, links
/// between folders with anchors, and a Jekyll-style folder.
fn playbook() -> tempfile::TempDir {
    let dir = site(&[
        ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\nStart with [the guide](guide/README.md).\n"),
        (
            "content/playbook/guide/README.md",
            "+++\ntitle = \"Guide\"\n+++\n\
             See [setup](setup.md), [rolling back](./deploy/index.md#rolling-back),\n\
             [the deploy folder](deploy/) and [its index](deploy/index.md).\n\n\
             ![the flow](./img/flow.png)\n",
        ),
        (
            "content/playbook/guide/setup.md",
            "+++\ntitle = \"Setup\"\n+++\n\
             ## What's new? (2024)\n\n\
             Back to [the guide](README.md), on to [deploying](../guide/deploy/#rolling-back),\n\
             the [checklist](files/check%20list.pdf), ![flow](img/flow.png) and\n\
             [this page's news](#whats-new-2024). Pilots are [here](../../pilots/).\n\n\
             <p align=\"center\"><img src=\"./img/flow.png\" width=\"300\"></p>\n",
        ),
        (
            "content/playbook/guide/deploy/index.md",
            "+++\ntitle = \"Deploy\"\n+++\n## Rolling back\n\nUndo with [setup](../setup.md#whats-new-2024).\n\n\
             ![rollback](../img/flow.png)\n",
        ),
        (
            "content/playbook/guide/deploy/steps.md",
            "+++\ntitle = \"Steps\"\n+++\nUp to [deploy](./), [the guide](../) and [the playbook](../../).\n",
        ),
        ("content/playbook/jekyll/first.md", "+++\ntitle = \"First\"\n+++\nNext: [second](../second/).\n"),
        (
            "content/playbook/jekyll/second.md",
            "+++\ntitle = \"Second\"\n+++\nBack: [first](../first/).\n\n## Next steps\n",
        ),
    ]);
    write_bytes(dir.path(), "content/playbook/guide/img/flow.png", b"\x89PNG\r\n\x1a\n");
    write_bytes(dir.path(), "content/playbook/guide/files/check list.pdf", b"%PDF-1.4\n");
    dir
}

fn check(root: &Path) -> Run {
    pilotdeck(["--root", &root.display().to_string(), "check", "--as-of", "2026-03-20"])
}

/// Every `href="..."` and `src="..."` of `html`, as written.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// The file a relative URL on the page at `page` (below `public/`) opens.
fn opened(public: &Path, page: &str, url: &str) -> std::path::PathBuf {
    let path = url.split(['#', '?']).next().unwrap();
    let path = path.replace("%20", " ");
    let mut at = public.join(page);
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                at.pop();
            }
            s => at.push(s),
        }
    }
    if at.is_dir() {
        at.push("index.html");
    }
    at
}

#[test]
fn source_relative_links_check_clean_and_lead_to_published_files() {
    let dir = playbook();
    let run = check(dir.path());
    assert_eq!((run.code, run.stdout.as_str()), (0, "0 errors, 0 warnings\n"), "{}", run.stdout);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    // The files beside the pages are published beside them.
    assert!(public.join("playbook/guide/img/flow.png").is_file());
    assert!(public.join("playbook/guide/files/check list.pdf").is_file());
    let setup = read(&public, "playbook/guide/setup/index.html");
    for (written, expected) in [
        ("the guide", "../\""),
        ("deploying", "../deploy/#rolling-back\""),
        ("checklist", "../files/check%20list.pdf\""),
        ("flow", "../img/flow.png\""),
        ("this page", "#whats-new-2024\""),
        ("Pilots", "../../../pilots/\""),
        ("raw HTML", "<img src=\"../img/flow.png\" width"),
    ] {
        assert!(setup.contains(expected), "{written}: `{expected}` not in {setup}");
    }
    assert!(setup.contains("id=\"whats-new-2024\""), "GitHub's anchor: {setup}");
    let first = read(&public, "playbook/jekyll/first/index.html");
    assert!(first.contains("href=\"../second/\""), "{first}");
    // Every relative URL written in a playbook page opens a published file.
    let pages = [
        "playbook",
        "playbook/guide/setup",
        "playbook/guide/deploy",
        "playbook/guide/deploy/steps",
        "playbook/jekyll/first",
        "playbook/jekyll/second",
    ];
    for page in pages {
        let html = read(&public, &format!("{page}/index.html"));
        let body = &html[html.find("<main").unwrap_or(0)..html.find("</main>").unwrap_or(html.len())];
        for url in urls(body) {
            if url.contains(':') || url.starts_with('#') || url.starts_with('/') || url.is_empty() {
                continue;
            }
            let at = opened(&public, page, &url);
            assert!(at.is_file(), "`{url}` on /{page}/ opens {}, which is not there", at.display());
        }
    }
}

#[test]
fn a_missing_image_is_pd020_with_the_nearest_file() {
    let dir = playbook();
    common::write(
        dir.path(),
        &[(
            "content/playbook/guide/deploy/gone.md",
            "+++\ntitle = \"Gone\"\n+++\nSee\n![a diagram](./img/flow.png)\n\n<img src=\"../img/flw.png\">\n",
        )],
    );
    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.stdout);
    let diags = run.diagnostics();
    assert_eq!(diags.len(), 2, "{}", run.stdout);
    assert!(diags[1].header.starts_with("content/playbook/guide/deploy/gone.md:7:"), "{}", diags[1].header);
    assert!(diags[1].header.contains("`../img/flw.png` leads to no file"), "{}", diags[1].header);
    let d = &diags[0];
    assert!(d.header.starts_with("content/playbook/guide/deploy/gone.md:5:1: error:"), "{}", d.header);
    assert!(d.header.contains("[PD020]") || run.stdout.contains("PD020"), "{}", run.stdout);
    assert!(d.header.contains("./img/flow.png"), "{}", d.header);
    assert!(run.stdout.contains("/playbook/guide/img/flow.png"), "the nearest file: {}", run.stdout);
}

#[test]
fn a_broken_page_link_names_the_page_in_its_folder() {
    let dir = playbook();
    common::write(
        dir.path(),
        &[(
            "content/playbook/guide/typo.md",
            "+++\ntitle = \"Typo\"\n+++\nSee [setup](stup.md) and [x](../../guide/setup.md).\n",
        )],
    );
    let run = check(dir.path());
    let diags = run.diagnostics();
    assert_eq!(diags.len(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("did you mean `/playbook/guide/setup/`?"), "{}", run.stdout);
    assert!(run.stdout.contains("`../../guide/setup.md` leads to no page"), "{}", run.stdout);
}

#[test]
fn turned_off_the_rule_reports_nothing() {
    let dir = playbook();
    common::write(
        dir.path(),
        &[
            ("pilotdeck.toml", "[rules]\nPD020 = \"off\"\n"),
            ("content/playbook/guide/gone.md", "+++\ntitle = \"Gone\"\n+++\n![a](nothing.png) [b](nowhere.md)\n"),
        ],
    );
    let run = check(dir.path());
    assert_eq!((run.code, run.stdout.as_str()), (0, "0 errors, 0 warnings\n"), "{}", run.stdout);
}

/// 250 pages with two broken links each: `check` answers quickly (the
/// hints are indexed, not every link against every address).
#[test]
fn many_broken_links_are_checked_quickly() {
    let mut files: Vec<(String, String)> = Vec::new();
    for s in 0..10 {
        files.push((format!("content/playbook/s{s}/README.md"), format!("+++\ntitle = \"S{s}\"\n+++\n")));
        for p in 0..25 {
            files.push((
                format!("content/playbook/s{s}/page-{p}.md"),
                format!(
                    "+++\ntitle = \"P{p}\"\n+++\n[a](page-{}.md) [b](../s{}/pgae-{p}.md) ![c](img/p{p}.png)\n",
                    (p + 1) % 25,
                    (s + 1) % 10
                ),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    let start = std::time::Instant::now();
    let run = check(dir.path());
    let took = start.elapsed();
    assert_eq!(run.diagnostics().len(), 500, "{}", &run.stdout[..run.stdout.len().min(2000)]);
    assert!(run.stdout.contains("did you mean `/playbook/s1/page-0/`?"), "{}", &run.stdout[..2000]);
    // A debug build on a shared machine: generous, and still far from the
    // seconds that every-link-times-every-address took.
    assert!(took.as_secs_f64() < 5.0, "check took {took:?}");
}

#[test]
fn an_anchor_must_name_a_heading_of_the_page() {
    let dir = playbook();
    common::write(
        dir.path(),
        &[
            (
                "content/playbook/guide/anchors.md",
                "+++\ntitle = \"Anchors\"\n+++\n[ok](../jekyll/second.md#next-steps) [old](../jekyll/second.md#next-step)\n\
                 [gone](deploy/README.md)\n",
            ),
        ],
    );
    let run = check(dir.path());
    let diags = run.diagnostics();
    assert_eq!(diags.len(), 2, "{}", run.stdout);
    assert!(
        diags[0].header.contains("warning: `/playbook/jekyll/second/` has no heading `#next-step`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("did you mean `#next-steps`?"), "{}", run.stdout);
    // A `README.md` that is not there is not its folder.
    assert!(diags[1].header.contains("error: the link `deploy/README.md` leads to no page"), "{}", run.stdout);
}

/// A page whose front matter gives its address (`slug`, `permalink`), or
/// that takes `-2` because its name collides, is linked at the address it
/// ends at: the links are read after every page's address is known.
#[test]
fn links_lead_to_the_address_front_matter_gives() {
    let dir = site(&[
        ("content/playbook/a.md", "# A\n\n[moved](b.md) [permalinked](c.md) [second](caf\u{e9}.md)\n"),
        ("content/playbook/b.md", "---\nslug: elsewhere\n---\n# B\n"),
        ("content/playbook/c.md", "---\npermalink: /playbook/guide/c-page/\n---\n# C\n"),
        ("content/playbook/cafe.md", "# Cafe\n"),
        ("content/playbook/caf\u{e9}.md", "# Caf\u{e9}\n"),
    ]);
    let run = check(dir.path());
    assert!(run.stdout.contains("0 errors") && !run.stdout.contains("PD020"), "{}", run.stdout);
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let a = read(&public, "playbook/a/index.html");
    for (what, url) in [("moved", "../elsewhere/"), ("permalinked", "../guide/c-page/"), ("second", "../cafe-2/")] {
        assert!(a.contains(&format!("href=\"{url}\">{what}<")), "{what} -> {url}: {a}");
        assert!(opened(&public, "playbook/a", url).is_file(), "{url} opens a page");
    }
}
