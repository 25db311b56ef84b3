//! Internal links: every `playbook` field of a constraint and every
//! Markdown link into the site must reach a page that exists.

use crate::diag::{nearest, Diagnostic, Loc, Rule, Span};
use crate::hash::FastSet as HashSet;
use crate::model::Site;
use std::collections::BTreeSet;

/// Every address the site publishes, without slashes at either end.
struct Known<'a> {
    /// All but the pilot pages.
    fixed: HashSet<String>,
    /// Pilot ids (their pages are `pilots/ID`).
    records: &'a BTreeSet<String>,
}

impl Known<'_> {
    fn new(site: &Site) -> Known<'_> {
        let mut fixed: HashSet<String> =
            ["", "pilots", "portfolio", "constraints", "owners", "lessons", "tags", "search"]
                .into_iter()
                .chain(["feed.xml", "constraints.csv", "portfolio.json", "sitemap.xml", "404.html"])
                .map(String::from)
                .collect();
        fixed.extend(site.people.iter().map(|p| format!("owners/{}", p.slug)));
        fixed.extend(site.sections.iter().map(|s| s.path.clone()));
        fixed.extend(site.pages.iter().map(|p| p.path.clone()));
        fixed.extend(site.assets.iter().map(|(_, to)| to.clone()));
        let tags: HashSet<&String> =
            site.pilots.iter().flat_map(|p| &p.tags).chain(site.pages.iter().flat_map(|p| &p.tags)).collect();
        fixed.extend(tags.into_iter().map(|t| format!("tags/{}", site.tag_slug(t))));
        Known { fixed, records: &site.record_ids }
    }

    fn contains(&self, path: &str) -> bool {
        self.fixed.contains(path) || path.strip_prefix("pilots/").is_some_and(|id| self.records.contains(id))
    }

    /// Every address, in order (for "did you mean" hints, so that a tie
    /// gives the same hint every time).
    fn sorted(&self) -> BTreeSet<String> {
        self.fixed.iter().cloned().chain(self.records.iter().map(|id| format!("pilots/{id}"))).collect()
    }
}

/// Resolves `dest` written on the page at `base` (`playbook/x`) to a site
/// path without slashes at either end; `None` for a path above the root.
fn resolve(dest: &str, base: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> =
        if path.starts_with('/') { Vec::new() } else { base.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    Some(parts.join("/"))
}

pub(super) fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    let known = Known::new(site);
    let pages_only: Vec<&str> =
        site.pages.iter().map(|p| p.path.as_str()).chain(site.sections.iter().map(|s| s.path.as_str())).collect();
    let is_page: HashSet<&str> = pages_only.iter().copied().collect();
    for p in &site.pilots {
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
        markdown_links(&p.body.links, &format!("pilots/{}", p.id), p.loc, &known, out);
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

fn markdown_links(
    links: &[(String, std::ops::Range<usize>)],
    base: &str,
    at: Loc,
    known: &Known,
    out: &mut Vec<Diagnostic>,
) {
    for (dest, range) in links {
        let loc = Loc { file: at.file, span: Span::new(range.start as u32, range.end as u32) };
        let Some(path) = resolve(dest, base) else {
            out.push(
                Diagnostic::new(Rule::BrokenLink, loc, format!("the link `{dest}` leads outside the site"))
                    .hint("link to a page of the site, such as `/playbook/`"),
            );
            continue;
        };
        if known.contains(&path) {
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
        if last.contains('.') && !last.ends_with(".html") && !last.ends_with(".md") {
            // A file: it may come from `static/`, which the model does not list.
            continue;
        }
        let sorted = known.sorted();
        let hint = match nearest(&path, sorted.iter().map(String::as_str)) {
            Some(n) => format!("did you mean `/{n}/`?"),
            None => "check the address; pages are published at `/folder/file-name/`".into(),
        };
        out.push(Diagnostic::new(Rule::BrokenLink, loc, format!("the link `{dest}` leads to no page")).hint(hint));
    }
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
