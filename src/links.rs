//! Where a relative link of a playbook page leads. GitHub and MkDocs read
//! `x.md`, `../b/README.md#anchor`, `./img/x.png` and `../dir/` against
//! the folder of the source file; pilotdeck publishes a page one folder
//! deeper (`a/page.md` at `a/page/index.html`), so each such link is
//! resolved here to the address it means and written again relative to
//! the published page. A link written for the published folder instead
//! (Jekyll's `../slug/`) still works when that is what it names.

use crate::hash::{FastMap, FastSet};
use crate::names::{nfc, slug};
use crate::source::Doc;
use crate::urls::address_of;
pub(crate) use crate::urls::{is_index_name, join};
use std::borrow::Cow;

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

    /// The address of the file or folder at `source` (a path below
    /// `content/` in NFC, `/` between components).
    pub fn address(&self, source: &str) -> Option<&str> {
        self.by_source.get(source).map(String::as_str)
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
        if let Some(a) = source.as_deref().and_then(|s| self.source(s)) {
            return Some(Target { address: a.clone(), found: true, published: false });
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
            (Some(mut s), _) => {
                // A missing `x.html` is the page `x` that is not there;
                // `index.html`, its folder's.
                let page;
                if let Some(stem) = s.last().and_then(|l| html_stem(l)) {
                    if stem == "index" {
                        s.pop();
                    } else {
                        page = format!("{stem}.md");
                        s.pop();
                        s.push(&page);
                    }
                }
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

impl Files {
    /// The address of the file or folder at `parts` (below `content/`),
    /// also when the link names a page the way its published file or its
    /// source is named without `.md`: `x.html` (MkDocs without directory
    /// URLs, Jekyll), `dir/index.html`, `x` (GitHub wikis, Jekyll) are
    /// the page `x.md` or the folder `dir` when there is one.
    fn source(&self, parts: &[&str]) -> Option<&String> {
        if let Some(a) = self.by_source.get(nfc(&parts.join("/")).as_ref()) {
            return Some(a);
        }
        let (last, dirs) = parts.split_last()?;
        let mut key = dirs.join("/");
        match html_stem(last) {
            Some("index") => {}
            Some(stem) => push_name(&mut key, &format!("{stem}.md")),
            None if !last.contains('.') && !last.is_empty() => push_name(&mut key, &format!("{last}.md")),
            None => return None,
        }
        self.by_source.get(nfc(&key).as_ref())
    }

    /// Where `dest`, a link written from the site's root (`/guide/`,
    /// `/_docs/x.md`), leads when it names no address of the site as
    /// written: the first reading that names a page, folder or file,
    /// read from `content/` (`/playbook/a/x.md`, `/playbook/a/x.html`),
    /// then from each folder above the page's source file (`dir`),
    /// outermost first, as an address and as a source path: a playbook
    /// copied into `content/playbook/` wrote `/guide/` for its own root,
    /// which is `/playbook/guide/` here. A Jekyll collection's folder
    /// (`/_docs/x.md`) may also be left out (`x.md` moved up). `None`:
    /// the link stays as written, for the link check.
    pub fn resolve_rooted(&self, dest: &str, dir: &[String]) -> Option<Target> {
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let path = percent_encoding::percent_decode_str(path).decode_utf8().unwrap_or(Cow::Borrowed(path));
        let mut parts = join(std::iter::empty(), &path)?;
        if parts.last() == Some(&"index.html") {
            parts.pop();
        }
        let first = *parts.first()?;
        if crate::urls::SITE_PAGES.contains(&first) || self.addresses.contains(&parts.join("/")) {
            return None;
        }
        let found = |address: &String| Some(Target { address: address.clone(), found: true, published: false });
        if let Some(a) = self.source(&parts) {
            return found(a);
        }
        let bare = parts.get(1..).filter(|_| first.starts_with('_') && parts.len() > 1);
        for n in 1..=dir.len() {
            let under = |parts: &[&str]| -> Option<&String> {
                let mut full: Vec<&str> = dir[..n].iter().map(String::as_str).collect();
                full.extend_from_slice(parts);
                let address = full.join("/");
                self.addresses.get(&address).or_else(|| self.source(&full))
            };
            if let Some(a) = under(&parts).or_else(|| bare.and_then(under)) {
                return found(a);
            }
        }
        None
    }
}

/// `x` of `x.html` or `x.htm`.
fn html_stem(name: &str) -> Option<&str> {
    name.strip_suffix(".html").or_else(|| name.strip_suffix(".htm")).filter(|s| !s.is_empty())
}

/// `name` added to the path `key` (`a/b`), with a `/` when needed.
fn push_name(key: &mut String, name: &str) {
    if !key.is_empty() {
        key.push('/');
    }
    key.push_str(name);
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
            "playbook/_docs/intro.md",
            "about.md",
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

    #[test]
    fn reads_html_and_extensionless_names_as_pages() {
        let f = files();
        let dir = ["playbook", "a"].map(String::from);
        let at = |dest: &str| f.resolve(dest, &dir, "playbook/a/page").map(|t| (t.address, t.found));
        assert_eq!(at("x.html"), Some(("playbook/a/x".into(), true)));
        assert_eq!(at("x.htm#top"), Some(("playbook/a/x".into(), true)));
        assert_eq!(at("x"), Some(("playbook/a/x".into(), true)));
        assert_eq!(at("../b/index.html"), Some(("playbook/b".into(), true)));
        assert_eq!(at("../b/README"), Some(("playbook/b".into(), true)));
        assert_eq!(at("../dir/d.html"), Some(("playbook/dir/d".into(), true)));
        // Missing: the page it would be, for the hint.
        assert_eq!(at("y.html"), Some(("playbook/a/y".into(), false)));
        assert_eq!(at("../nowhere/index.html"), Some(("playbook/nowhere".into(), false)));
    }

    #[test]
    fn reads_root_links_from_the_playbook_root_when_the_site_has_none() {
        let f = files();
        let dir = ["playbook", "a"].map(String::from);
        let at = |dest: &str| f.resolve_rooted(dest, &dir).map(|t| t.address);
        // The site's own addresses stay as written.
        assert_eq!(at("/playbook/a/x/"), None);
        assert_eq!(at("/about/"), None);
        assert_eq!(at("/pilots/"), None);
        assert_eq!(at("/tags/x/"), None);
        // Source paths from `content/`.
        assert_eq!(at("/playbook/a/x.md#top"), Some("playbook/a/x".into()));
        assert_eq!(at("/playbook/a/x.html"), Some("playbook/a/x".into()));
        // From the playbook's root: addresses, folders, source paths.
        assert_eq!(at("/b/c/"), Some("playbook/b/c".into()));
        assert_eq!(at("/dir/"), Some("playbook/dir".into()));
        assert_eq!(at("/b/index.html"), Some("playbook/b".into()));
        assert_eq!(at("/a/x.html"), Some("playbook/a/x".into()));
        assert_eq!(at("/_docs/intro.md"), Some("playbook/_docs/intro".into()));
        assert_eq!(at("/_pages/My%20Page.md"), Some("playbook/my-page".into()), "a collection folder left out");
        assert_eq!(at("/nowhere/"), None);
        assert_eq!(at("/"), None);
        assert_eq!(at("/../x"), None);
    }
}
