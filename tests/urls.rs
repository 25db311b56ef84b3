//! One address scheme (`src/urls.rs`): every link a built site holds
//! leads to a file of that site. Each page's `href`, `src`, `action` and
//! search-index address is read relative to the page's folder, as a
//! browser reads it, and must name a file the build wrote (a folder's
//! `index.html` for an address ending in `/`). A page made with one rule
//! and linked with another would fail here.

use crate::common;

use common::{command, run, snapshot, write};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The attributes that hold an address of the site.
const ATTRIBUTES: [&str; 5] = [" href=\"", " src=\"", " action=\"", " data-index=\"", " data-root=\""];

/// Builds the site at `root` into a new folder (HOME pointed into it) and
/// returns every file of the output.
fn built(root: &Path, as_of: &str, extra: &[&str]) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let mut cmd = command();
    cmd.env("HOME", out.path()).arg("--root").arg(root).args(["build", "--as-of", as_of, "--output"]).arg(&public);
    let run = run(cmd.args(extra));
    assert_eq!(run.code, 0, "build: {}", run.stderr);
    let files = snapshot(&public);
    (out, files)
}

/// Every address in an attribute of `html`, entities decoded.
fn addresses(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ATTRIBUTES {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(common::unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// Where `link`, written on the page in file `page`, leads: a path of the
/// output, or `None` for a link out of the site (a scheme, an anchor on
/// the page). Panics on a link above the site's root.
fn resolve(page: &str, link: &str, base_root: &str) -> Option<String> {
    if link.is_empty() || link.starts_with('#') || link.starts_with("//") || link.contains(':') {
        return None;
    }
    let path = link.split(['#', '?']).next().unwrap();
    let path = percent_encoding::percent_decode_str(path).decode_utf8().unwrap();
    // Only the not-found page links from the host's root (it is shown at
    // any address): through the base URL's path.
    let (mut parts, rest): (Vec<&str>, &str) = match path.strip_prefix('/') {
        Some(_) => {
            assert_eq!(page, "404.html", "a link from the host's root on {page}: {link}");
            let rest = path.strip_prefix(base_root).unwrap_or_else(|| panic!("{link} is not below {base_root}"));
            (Vec::new(), rest)
        }
        None => (page.split('/').collect::<Vec<_>>().split_last().unwrap().1.to_vec(), &path),
    };
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{link} on {page} leaves the site");
            }
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if path.is_empty() || path.ends_with('/') || path == "." || path.ends_with("/.") {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

/// Every link of every page of `files` that names no file of the site,
/// as `page -> link`, and how many links were followed.
fn broken(files: &BTreeMap<String, Vec<u8>>, base_root: &str) -> (BTreeSet<String>, usize) {
    let folders: BTreeSet<String> =
        files.keys().flat_map(|f| f.match_indices('/').map(move |(i, _)| f[..=i].to_string())).collect();
    let mut bad = BTreeSet::new();
    let mut followed = 0;
    for (page, bytes) in files.iter().filter(|(f, _)| f.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        for link in addresses(html) {
            let Some(file) = resolve(page, &link, base_root) else { continue };
            followed += 1;
            // The search index's address is a folder the script reads files in.
            let folder = file.strip_suffix("index.html").filter(|f| folders.contains(*f));
            let is_index = html.contains(&format!("data-index=\"{link}\""));
            let found = files.contains_key(&file) || (is_index && folder.is_some());
            if !found {
                bad.insert(format!("{page} -> {link}"));
            }
        }
    }
    (bad, followed)
}

#[test]
fn every_link_of_the_example_site_leads_to_a_file_of_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_out, files) = built(root, "2026-11-20", &[]);
    let (bad, followed) = broken(&files, "/ai/");
    assert!(followed > 3_000, "only {followed} links followed");
    assert!(bad.is_empty(), "{} links lead nowhere:\n{}", bad.len(), bad.into_iter().collect::<Vec<_>>().join("\n"));
}

#[test]
fn every_link_of_a_generated_site_leads_to_a_file_of_it() {
    let dir = tempfile::tempdir().unwrap();
    pilotdeck::synth::write_site(dir.path(), 120, 7).unwrap();
    let (_out, files) = built(dir.path(), "2026-11-20", &[]);
    let (bad, followed) = broken(&files, "/");
    assert!(followed > 20_000, "only {followed} links followed");
    assert!(bad.is_empty(), "{} links lead nowhere:\n{}", bad.len(), bad.into_iter().collect::<Vec<_>>().join("\n"));
}

/// Pages and files at every kind of address a site can give them: nested
/// sections, a page's own `slug` and `permalink`, a `redirect_from`, an
/// image beside a page, names that are not ASCII, owners and tags that
/// share a slug.
#[test]
fn every_link_of_a_site_with_every_kind_of_address_leads_to_a_file_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let record = |owner: &str, tag: &str| {
        format!(
            "+++\ntitle = \"R\"\nstage = \"pilot\"\nowner = \"{owner}\"\ntags = [\"{tag}\"]\n\n[[constraints]]\ntitle = \"Sign-off\"\ncategory = \"data\"\nowner = \"{owner}\"\ndue = 2026-04-01\nplaybook = \"playbook/b/deeper-still\"\n+++\n## Lessons learned\nA lesson, see [the map](/playbook/a/) and [deep](../../playbook/b/deeper-still/).\n"
        )
    };
    let (a, b, c) = (record("Ana Lee", "Risk"), record("Ana-Lee", "risk!"), record("Zoë Ünal", "日本"));
    write(
        dir.path(),
        &[
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [pilots](pilots/) and [a](playbook/a.md).\n"),
            ("content/pilots/a.md", &a),
            ("content/pilots/b.md", &b),
            ("content/pilots/Café Ünïcode.md", &c),
            ("content/playbook/_index.md", "+++\ntitle = \"Playbook\"\n+++\n[A](a.md), [deep](b/deep.md).\n"),
            (
                "content/playbook/a.md",
                "+++\ntitle = \"A\"\ntags = [\"Risk\"]\nredirect_from = [\"/old/a/\", \"older.html\"]\n+++\n![x](img/x.png) [B](b/deep.md) [c](../lessons/first.md) [pdf](files/Report%20One.pdf)\n",
            ),
            ("content/playbook/img/x.png", "png"),
            ("content/playbook/files/Report One.pdf", "pdf"),
            ("content/playbook/b/deep.md", "+++\ntitle = \"Deep\"\nslug = \"deeper-still\"\n+++\n[up](../a.md)\n"),
            ("content/playbook/Ünïcode Folder/page.md", "+++\ntitle = \"U\"\n+++\n[home](../../_index.md)\n"),
            ("content/guides/x.md", "+++\ntitle = \"X\"\npermalink = \"/elsewhere/x/\"\n+++\n[A](../playbook/a.md)\n"),
            ("content/lessons/first.md", "+++\ntitle = \"First\"\ndate = 2026-02-01\ntags = [\"日本\"]\n+++\nText.\n"),
        ],
    );
    let (_out, files) = built(dir.path(), "2026-03-20", &[]);
    for file in ["old/a/index.html", "older/index.html", "elsewhere/x/index.html", "playbook/img/x.png"] {
        assert!(files.contains_key(file), "{file} not built: {:?}", files.keys().collect::<Vec<_>>());
    }
    let (bad, followed) = broken(&files, "/");
    assert!(followed > 500, "only {followed} links followed");
    assert!(bad.is_empty(), "{} links lead nowhere:\n{}", bad.len(), bad.into_iter().collect::<Vec<_>>().join("\n"));
}
