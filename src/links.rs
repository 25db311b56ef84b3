//! Where a relative link of a playbook page leads. GitHub and MkDocs read
//! `x.md`, `../b/README.md#anchor`, `./img/x.png` and `../dir/` against
//! the folder of the source file; pilotdeck publishes a page one folder
//! deeper (`a/page.md` at `a/page/index.html`), so each such link is
//! resolved here to the address it means and written again relative to
//! the published page. A link written for the published folder instead
//! (Jekyll's `../slug/`) still works when that is what it names.

use crate::hash::{FastMap, FastSet};
use crate::markdown::{nfc, slug};
use crate::source::Doc;
use crate::urls::address_of;
use std::borrow::Cow;

/// The file names of a folder's own page: a section page, like `_index.md`.
pub fn is_index_name(name: &str) -> bool {
    name == "_index.md" || name == "index.md" || name.eq_ignore_ascii_case("readme.md")
}

/// What the playbook's source tree holds, for reading its links.
#[derive(Debug, Default)]
pub struct Files {
    /// Each Markdown file, other file and folder, by its path below
    /// `content/` (in NFC, `/` between components, no slash at the end),
    /// with the address it is published at.
    by_source: FastMap<String, String>,
    /// Every address those are published at.
    addresses: FastSet<String>,
}

impl Files {
    /// From the pages' sources, each with the address it is published at
    /// (its path's, or the one its front matter gives), and the files
    /// copied as they are (each with its published address, as
    /// `urls::asset` gives them).
    pub fn new(docs: &[(&Doc, String)], assets: &[(Vec<String>, String)]) -> Files {
        let mut files = Files::default();
        let folder = |parts: &[String], files: &mut Files| {
            for n in 0..parts.len() {
                let dirs: Vec<&str> = parts[..n].iter().map(String::as_str).collect();
                let key = nfc(&dirs.join("/")).into_owned();
                if files.by_source.contains_key(&key) {
                    continue;
                }
                if let Some(a) = address_of(&dirs) {
                    files.addresses.insert(a.clone());
                    files.by_source.insert(key, a);
                }
            }
        };
        for (d, a) in docs {
            folder(&d.parts, &mut files);
            files.addresses.insert(a.clone());
            files.by_source.insert(nfc(&d.parts.join("/")).into_owned(), a.clone());
        }
        for (parts, to) in assets {
            folder(parts, &mut files);
            files.addresses.insert(to.clone());
            files.by_source.insert(nfc(&parts.join("/")).into_owned(), to.clone());
        }
        files
    }

    /// Where `dest` (a relative link, neither `/...` nor with a scheme),
    /// written in the file in folder `dir` (below `content/`) of the page
    /// at `page`, leads: an address without slashes at either end, or
    /// `None` when it leaves the site both ways of reading it.
    ///
    /// Read against the source folder first, as GitHub and MkDocs do;
    /// when that names nothing, against the published folder (permalink
    /// style, `../slug/`) if that names a page or file; else the source
    /// reading, for the link check to report.
    pub fn resolve(&self, dest: &str, dir: &[String], page: &str) -> Option<Target> {
        let path = dest.split(['#', '?']).next().unwrap_or("");
        if path.is_empty() {
            // `?tab=2`: this very page, as the check reads it.
            return None;
        }
        let path = percent_encoding::percent_decode_str(path).decode_utf8().unwrap_or(Cow::Borrowed(path));
        let source = join(dir.iter().map(String::as_str), &path);
        if let Some(s) = &source {
            if let Some(a) = self.by_source.get(nfc(&s.join("/")).as_ref()) {
                return Some(Target { address: a.clone(), found: true, published: false });
            }
        }
        let published = join(page.split('/').filter(|s| !s.is_empty()), &path).map(|mut p| {
            if p.last().is_some_and(|l| crate::urls::is_page_file(l)) {
                p.pop();
            }
            p.join("/")
        });
        match (source, published) {
            (_, Some(p)) if self.addresses.contains(&p) => Some(Target { address: p, found: true, published: true }),
            (None, p) => p.map(|p| Target { address: p, found: false, published: true }),
            (Some(s), _) => {
                // A missing `README.md` is not its folder, which may be there.
                let mut address = address_of(&s)?;
                if let Some(stem) = s.last().filter(|l| is_index_name(l)).and_then(|l| l.strip_suffix(".md")) {
                    if !address.is_empty() {
                        address.push('/');
                    }
                    address.push_str(&slug(stem));
                }
                Some(Target { address, found: false, published: false })
            }
        }
    }
}

/// Where a relative link leads (see [`Files::resolve`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The address, without slashes at either end.
    pub address: String,
    /// Whether the source tree holds it (else the link check decides).
    pub found: bool,
    /// Whether it was read against the published folder (and is left as written).
    pub published: bool,
}

/// `path` read from the folder `base`, `.` and `..` applied; `None` above the root.
pub(crate) fn join<'a>(base: impl Iterator<Item = &'a str>, path: &'a str) -> Option<Vec<&'a str>> {
    let mut parts: Vec<&str> = base.collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn files() -> Files {
        let docs: Vec<Doc> = [
            "playbook/a/page.md",
            "playbook/a/x.md",
            "playbook/b/README.md",
            "playbook/b/c.md",
            "playbook/dir/_index.md",
            "playbook/dir/d.md",
            "playbook/jekyll/first.md",
            "playbook/My Page.md",
        ]
        .iter()
        .map(|p| Doc { file: FileId(0), parts: p.split('/').map(String::from).collect() })
        .collect();
        let docs: Vec<(&Doc, String)> = docs
            .iter()
            .map(|d| (d, address_of(&d.parts.iter().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default()))
            .collect();
        let assets =
            vec![(["playbook", "a", "img", "x.png"].map(String::from).to_vec(), "playbook/a/img/x.png".to_string())];
        Files::new(&docs, &assets)
    }

    #[test]
    fn reads_links_against_the_source_folder() {
        let f = files();
        let dir = ["playbook", "a"].map(String::from);
        let at = |dest: &str| f.resolve(dest, &dir, "playbook/a/page").map(|t| (t.address, t.found));
        assert_eq!(at("x.md"), Some(("playbook/a/x".into(), true)));
        assert_eq!(at("./x.md#top"), Some(("playbook/a/x".into(), true)));
        assert_eq!(at("../b/README.md#anchor"), Some(("playbook/b".into(), true)));
        assert_eq!(at("../b/c.md"), Some(("playbook/b/c".into(), true)));
        assert_eq!(at("./img/x.png"), Some(("playbook/a/img/x.png".into(), true)));
        assert_eq!(at("../dir/"), Some(("playbook/dir".into(), true)));
        assert_eq!(at("../dir/_index.md"), Some(("playbook/dir".into(), true)));
        assert_eq!(at("../My%20Page.md"), Some(("playbook/my-page".into(), true)));
        // Permalink style, against the published folder `playbook/a/page/`.
        assert_eq!(at("../x/"), Some(("playbook/a/x".into(), true)));
        // Missing: the source reading, for the check to report.
        assert_eq!(at("./img/y.png"), Some(("playbook/a/img/y.png".into(), false)));
        assert_eq!(at("README.md"), Some(("playbook/a/readme".into(), false)));
        // Above the source root: the published reading (`/constraints/`).
        assert_eq!(at("../../../constraints/"), Some(("constraints".into(), false)));
        assert_eq!(at("../../../../x"), None);
        assert_eq!(at("?tab=2"), None);
    }
}
