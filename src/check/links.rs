//! Internal links: every `playbook` field of a constraint and every
//! Markdown link into the site must reach a page that exists.

use crate::diag::{nearest, Diagnostic, Loc, Rule, Span};
use crate::hash::{FastMap, FastSet as HashSet};
use crate::markdown::Link;
use crate::model::Site;
use crate::urls;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Every address the site publishes, without slashes at either end.
struct Known<'a> {
    /// All but the pilot pages and the tag pages.
    fixed: HashSet<String>,
    /// The tag pages: made at the first link into `tags/`, as they take a
    /// walk over every record's tags (at 10,000 pilots of the mix, most
    /// of the link check's 10 ms, for sites that seldom link to a tag).
    tags: OnceLock<HashSet<String>>,
    /// Pilot ids (their pages are `pilots/ID`).
    records: &'a BTreeSet<String>,
    /// Made at the first broken link.
    hints: OnceLock<Hints>,
    /// The heading ids of each playbook page, by address (made at the
    /// first link with an anchor).
    anchors: OnceLock<FastMap<&'a str, &'a [String]>>,
    site: &'a Site,
}

impl Known<'_> {
    fn new(site: &Site) -> Known<'_> {
        let mut fixed: HashSet<String> = (urls::FIXED_PAGES.iter().chain([&urls::SEARCH]))
            .map(|a| urls::path_of(a))
            .chain([urls::FEED, urls::CSV, urls::JSON, urls::SITEMAP, urls::NOT_FOUND])
            .map(String::from)
            .collect();
        fixed.extend(site.people.iter().map(|p| urls::path_of(&urls::owner(&p.slug)).to_string()));
        fixed.extend(site.sections.iter().map(|s| s.path.clone()));
        fixed.extend(site.pages.iter().map(|p| p.path.clone()));
        fixed.extend(site.assets.iter().map(|(_, to)| to.clone()));
        Known {
            fixed,
            tags: OnceLock::new(),
            records: &site.record_ids,
            hints: OnceLock::new(),
            anchors: OnceLock::new(),
            site,
        }
    }

    /// The address of each tag's page.
    fn tags(&self) -> &HashSet<String> {
        self.tags.get_or_init(|| {
            let site = self.site;
            let tags: HashSet<&String> =
                site.pilots.iter().flat_map(|p| &p.tags).chain(site.pages.iter().flat_map(|p| &p.tags)).collect();
            tags.into_iter().map(|t| urls::path_of(&urls::tag(&site.tag_slug(t))).to_string()).collect()
        })
    }

    fn contains(&self, path: &str) -> bool {
        self.fixed.contains(path)
            || path.strip_prefix(urls::PILOTS).is_some_and(|id| self.records.contains(id))
            || (path.starts_with(urls::TAGS) && self.tags().contains(path))
    }

    /// The heading ids of the page at `path`, when known.
    fn anchors(&self, path: &str) -> Option<&[String]> {
        let site = self.site;
        let by_path = self.anchors.get_or_init(|| {
            let pages = site.pages.iter().map(|p| (p.path.as_str(), &p.body));
            let sections = site.sections.iter().map(|s| (s.path.as_str(), &s.body));
            let home = site.home.iter().map(|h| ("", &h.body));
            pages.chain(sections).chain(home).filter_map(|(p, b)| Some((p, b.anchors.as_deref()?))).collect()
        });
        by_path.get(path).copied()
    }

    /// The nearest address to `path`, which is none (see [`Hints`]).
    fn nearest(&self, path: &str) -> Option<&str> {
        let hints = self.hints.get_or_init(|| {
            let pilots = self.records.iter().map(|id| urls::pilot_path(id));
            Hints::new(self.fixed.iter().chain(self.tags()).cloned().chain(pilots))
        });
        hints.nearest(path)
    }
}

/// Every address indexed for "did you mean" hints, so that a broken link
/// is compared with a few addresses, not all of them: those with its last
/// component (a file or page moved to another folder), those in its
/// folder (a typo in the name), and last the addresses whose last
/// component is about as long as its own (a typo in a folder's name is
/// then found by its name). In order, so that a tie gives the same hint
/// every time.
struct Hints {
    by_name: FastMap<String, Vec<String>>,
    by_folder: FastMap<String, Vec<String>>,
    /// Each last component, by length in characters, then name.
    names: Vec<(usize, String)>,
}

impl Hints {
    fn new(addresses: impl Iterator<Item = String>) -> Hints {
        let sorted: BTreeSet<String> = addresses.collect();
        let mut by_name: FastMap<String, Vec<String>> = FastMap::default();
        let mut by_folder: FastMap<String, Vec<String>> = FastMap::default();
        for a in sorted {
            let (folder, name) = split(&a);
            by_folder.entry(folder.to_string()).or_default().push(a.clone());
            by_name.entry(name.to_string()).or_default().push(a);
        }
        let mut names: Vec<(usize, String)> = by_name.keys().map(|n| (n.chars().count(), n.clone())).collect();
        names.sort();
        Hints { by_name, by_folder, names }
    }

    fn nearest(&self, path: &str) -> Option<&str> {
        let (folder, name) = split(path);
        if let Some(same) = self.by_name.get(name) {
            return nearest(path, same.iter().map(String::as_str)).or(same.first().map(String::as_str));
        }
        // In its folder, the names alone are compared (the rest is the same).
        if let Some(f) = self.by_folder.get(folder) {
            if let Some(n) = nearest(name, f.iter().map(|a| split(a).1)) {
                return f.iter().find(|a| split(a).1 == n).map(String::as_str);
            }
        }
        let len = name.chars().count();
        let limit = (len / 3).max(2);
        let from = self.names.partition_point(|(l, _)| *l + limit < len);
        let near = self.names[from..].iter().take_while(|(l, _)| *l <= len + limit).map(|(_, n)| n.as_str());
        let n = nearest(name, near)?;
        let same = self.by_name.get(n)?;
        // The one whose folder is nearest (by the whole path, with no limit).
        same.iter().min_by_key(|a| (strsim::levenshtein(path, a), a.as_str())).map(String::as_str)
    }
}

/// An address's folder and last component.
fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// Resolves `dest` written on the page at `base` (`playbook/x`) to a site
/// path without slashes at either end; `None` for a path above the root.
fn resolve(dest: &str, base: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let from = if path.starts_with('/') { "" } else { base };
    let mut parts = crate::links::join(from.split('/').filter(|s| !s.is_empty()), path)?;
    if parts.last().is_some_and(|l| urls::is_page_file(l)) {
        parts.pop();
    }
    Some(parts.join("/"))
}

pub(super) fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    let known = Known::new(site);
    let pages_only: Vec<&str> =
        site.pages.iter().map(|p| p.path.as_str()).chain(site.sections.iter().map(|s| s.path.as_str())).collect();
    let is_page: HashSet<&str> = pages_only.iter().copied().collect();
    for p in site.pilots.iter().chain(&site.incomplete) {
        for c in &p.constraints {
            let (Some(target), Some(loc)) = (&c.playbook, c.playbook_loc) else { continue };
            let path = target.trim().trim_matches('/');
            if !is_page.contains(path) {
                let hint = match nearest(path, pages_only.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "write the path of a playbook page, such as `playbook/01-scoping/integration-map`".into(),
                };
                out.push(
                    Diagnostic::new(Rule::BrokenLink, loc, format!("`playbook` names `{target}`, which is not a page"))
                        .hint(hint),
                );
            }
        }
        markdown_links(&p.body.links, &urls::pilot_path(&p.id), p.loc, &known, out);
    }
    for page in &site.pages {
        markdown_links(&page.body.links, &page.path, page.loc, &known, out);
    }
    for s in &site.sections {
        if let Some(loc) = s.loc {
            markdown_links(&s.body.links, &s.path, loc, &known, out);
        }
    }
    if let Some(home) = &site.home {
        markdown_links(&home.body.links, "", home.loc, &known, out);
    }
}

fn markdown_links(links: &[Link], base: &str, at: Loc, known: &Known, out: &mut Vec<Diagnostic>) {
    for Link { dest, range, to } in links {
        let loc = Loc { file: at.file, span: Span::new(range.start as u32, range.end as u32) };
        let Some(path) = to.clone().or_else(|| resolve(dest, base)) else {
            out.push(
                Diagnostic::new(Rule::BrokenLink, loc, format!("the link `{dest}` leads outside the site"))
                    .hint("link to a page of the site, such as `/playbook/`"),
            );
            continue;
        };
        if known.contains(&path) {
            if to.is_some() {
                anchor(dest, &path, loc, known, out);
            }
            continue;
        }
        if let Some(stem) = path.strip_suffix(".md") {
            let page = stem.strip_prefix("content/").unwrap_or(stem);
            let page = page.strip_suffix("/_index").or_else(|| page.strip_suffix("/index")).unwrap_or(page);
            if known.contains(page) {
                out.push(
                    Diagnostic::new(Rule::BrokenLink, loc, format!("the link `{dest}` points at a Markdown file"))
                        .hint(format!("link to the page's address: `/{page}/`")),
                );
                continue;
            }
        }
        let last = path.rsplit('/').next().unwrap_or("");
        let file = last.contains('.') && !last.ends_with(".html") && !last.ends_with(".md");
        if file && to.is_none() {
            // A file: it may come from `static/`, which the model does not list.
            continue;
        }
        // A file next to the page, read from its source folder, is one
        // of `content/` (not of `static/`): it must be there.
        let (what, hint) = match known.nearest(&path) {
            Some(n) if n.rsplit('/').next().is_some_and(|l| l.contains('.')) => {
                ("file", format!("the nearest file is `/{n}`"))
            }
            Some(n) => (if file { "file" } else { "page" }, format!("did you mean `/{n}/`?")),
            None if file => ("file", "check the path; files beside a page are read from its folder".into()),
            None => ("page", "check the address; pages are published at `/folder/file-name/`".into()),
        };
        out.push(Diagnostic::new(Rule::BrokenLink, loc, format!("the link `{dest}` leads to no {what}")).hint(hint));
    }
}

/// A link's `#anchor` to a playbook page must name one of its headings
/// (by GitHub's ids, see `markdown::anchor`): a warning, as the page is
/// there.
fn anchor(dest: &str, path: &str, loc: Loc, known: &Known, out: &mut Vec<Diagnostic>) {
    let Some((_, fragment)) = dest.split_once('#') else { return };
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    if fragment.is_empty() {
        return;
    }
    let Some(ids) = known.anchors(path) else { return };
    if ids.iter().any(|id| *id == fragment) {
        return;
    }
    let hint = match nearest(&fragment, ids.iter().map(String::as_str)) {
        Some(n) => format!("did you mean `#{n}`?"),
        None => {
            "link to one of its headings: an id is the heading in lowercase, spaces as `-`, without punctuation".into()
        }
    };
    let mut d = Diagnostic::new(Rule::BrokenLink, loc, format!("`/{path}/` has no heading `#{fragment}`")).hint(hint);
    d.severity = crate::diag::Severity::Warning;
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_absolute() {
        assert_eq!(resolve("/playbook/x/", "pilots/a").as_deref(), Some("playbook/x"));
        assert_eq!(resolve("../b/", "pilots/a").as_deref(), Some("pilots/b"));
        assert_eq!(resolve("../../../constraints/", "playbook/04/x").as_deref(), Some("constraints"));
        assert_eq!(resolve("x/index.html#top", "playbook").as_deref(), Some("playbook/x"));
        assert_eq!(resolve("../../..", "a/b").as_deref(), None);
    }
}
