//! Playbook, lessons and other pages -> sections nested as their folders
//! are, each with its children ordered by weight, then title.

use super::pilot::{tags, Reporter};
use super::raw::RawPage;
use super::{BuildOptions, Child, Page, Section};
use crate::config::Config;
use crate::diag::{Diagnostic, Loc, Rule, Span};
use crate::frontmatter;
use crate::markdown::{self, slug};
use crate::node::from_node;
use crate::source::{Asset, Doc, Sources};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub(super) struct Tree {
    pub home: Option<Page>,
    pub sections: Vec<Section>,
    pub roots: Vec<usize>,
    pub pages: Vec<Page>,
}

/// `../` once per path component: from a page's folder to the site root.
pub fn root_of(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        "../".repeat(path.split('/').count())
    }
}

/// A folder name as a title: `01-scoping` -> `Scoping`.
pub fn humanize(name: &str) -> String {
    let t = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_').replace(['-', '_'], " ");
    let t = if t.trim().is_empty() { name.to_string() } else { t };
    let mut c = t.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

pub(super) fn build(
    docs: &[&Doc],
    sources: &Sources,
    config: &Config,
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
) -> Tree {
    let mut home = None;
    let mut section_pages: BTreeMap<String, Page> = BTreeMap::new();
    let mut pages: Vec<Page> = Vec::new();
    // Each address given, with where and the name it was made from.
    let mut seen: BTreeMap<String, (Loc, String)> = BTreeMap::new();
    let mut next: crate::hash::FastMap<String, usize> = crate::hash::FastMap::default();
    for doc in docs {
        let is_index = doc.parts.last().is_some_and(|f| f == "_index.md");
        let dirs = &doc.parts[..doc.parts.len() - 1];
        let mut comps: Vec<String> = dirs.iter().map(|d| slug(d)).collect();
        if !is_index {
            let stem = doc.parts.last().and_then(|f| f.strip_suffix(".md")).unwrap_or_default();
            comps.push(slug(stem));
        }
        let source = sources.get(doc.file);
        let first_line = Span::new(0, source.line_text(1).len() as u32);
        if comps.iter().any(String::is_empty) {
            let mut r = Reporter { file: doc.file, diags };
            r.error(
                Rule::Unreadable,
                first_line,
                "cannot make a web address from this file's path",
                "use letters, digits and `-` in file and folder names",
            );
            continue;
        }
        let mut path = comps.join("/");
        // The name the address is made from: the path in NFC, without
        // `.md` or `/_index.md` (`x.md` and `x/_index.md` are one name).
        let name = doc.parts.join("/");
        let name = name.strip_suffix("/_index.md").or(name.strip_suffix(".md")).unwrap_or(&name);
        let name = markdown::nfc(name).into_owned();
        // Two files whose names differ and make one address (`café.md`,
        // `cafe.md`): the later takes a number, as pilot ids do. Folders
        // that make one address share it (their pages are one section).
        let renamed = match seen.get(&path) {
            Some((prev, prev_name)) if !is_index && *prev_name != name => {
                let n = next.entry(path.clone()).or_insert(2);
                let base = std::mem::take(&mut path);
                path = loop {
                    let p = format!("{base}-{}", *n);
                    *n += 1;
                    if !seen.contains_key(&p) {
                        break p;
                    }
                };
                Some((base, *prev, prev_name.clone()))
            }
            _ => None,
        };
        let Some(page) = read_page(doc, sources, config, opts, &path, diags) else {
            continue;
        };
        if let Some((base, prev, prev_name)) = renamed {
            diags.push(
                Diagnostic::new(
                    Rule::SameSlug,
                    Loc::start(doc.file),
                    format!("`{name}` and `{prev_name}` both make the address `/{base}/`: this page is at `/{path}/`"),
                )
                .hint("rename one of the files")
                .related(Loc::start(prev.file), "the other file is here"),
            );
        }
        if let Some((prev, _)) = seen.get(&path) {
            diags.push(
                Diagnostic::new(Rule::Duplicate, page.loc, format!("two files would both be published at `/{path}/`"))
                    .hint("rename one of them")
                    .related(*prev, "the other file is here"),
            );
            continue;
        }
        seen.insert(path.clone(), (page.loc, name));
        if is_index && path.is_empty() {
            home = Some(page);
        } else if is_index {
            section_pages.insert(path, page);
        } else {
            pages.push(page);
        }
    }
    assemble(home, section_pages, pages)
}

fn read_page(
    doc: &Doc,
    sources: &Sources,
    config: &Config,
    opts: &BuildOptions,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let source = sources.get(doc.file);
    let mut r = Reporter { file: doc.file, diags };
    let first_line = Span::new(0, source.line_text(1).len() as u32);
    let split = frontmatter::split(&source.text);
    if !split.problems.is_empty() {
        // The front matter could not be read: what it lacks is unknown.
        r.problems(split.problems);
        return None;
    }
    let (raw, problems) = from_node::<RawPage>(&split.front);
    r.problems(problems);
    let raw = raw.unwrap_or_default();
    if raw.draft == Some(true) && !opts.drafts {
        return None;
    }
    let title = if split.present {
        r.required(raw.title, "title", first_line, "add `title = \"...\"` to the front matter")
    } else {
        r.error(
            Rule::Missing,
            first_line,
            "missing front matter with a `title`",
            "start the file with `+++`, `title = \"...\"`, `+++`",
        );
        None
    };
    let mut addresses = Vec::new();
    for a in raw.addresses.unwrap_or_default() {
        if r.one_of(Rule::UnknownAddress, &a, &config.categories, "category") {
            addresses.push(a.value);
        }
    }
    let body = markdown::render_full(
        &source.text[split.body_start..],
        &root_of(path),
        &config.lessons_heading,
        config.allow_raw_html,
        config.keep_foreign_tags,
    )
    .shifted(split.body_start);
    r.diags.extend(markdown::foreign_diagnostics(doc.file, &body.foreign, config.keep_foreign_tags));
    Some(Page {
        loc: Loc::at(doc.file, first_line),
        path: path.to_string(),
        title: title?,
        description: raw.description.filter(|d| !d.trim().is_empty()),
        weight: raw.weight,
        tags: tags(raw.tags),
        addresses,
        date: r.date(&raw.date, "date"),
        body,
        section: None,
    })
}

/// Puts pages into sections, creating a section for every folder on the way.
fn assemble(home: Option<Page>, mut section_pages: BTreeMap<String, Page>, mut pages: Vec<Page>) -> Tree {
    let mut paths: Vec<String> = section_pages.keys().cloned().collect();
    for p in &pages {
        let mut parts: Vec<&str> = p.path.split('/').collect();
        parts.pop();
        while !parts.is_empty() {
            paths.push(parts.join("/"));
            parts.pop();
        }
    }
    paths.sort();
    paths.dedup();
    let mut sections: Vec<Section> = paths
        .iter()
        .map(|path| {
            let own = section_pages.remove(path);
            let name = path.rsplit('/').next().unwrap_or(path);
            Section {
                path: path.clone(),
                title: own.as_ref().map_or_else(|| humanize(name), |p| p.title.clone()),
                description: own.as_ref().and_then(|p| p.description.clone()),
                weight: own.as_ref().and_then(|p| p.weight),
                body: own.as_ref().map(|p| p.body.clone()).unwrap_or_default(),
                parent: None,
                children: Vec::new(),
                loc: own.map(|p| p.loc),
            }
        })
        .collect();
    let index_of = |path: &str| paths.binary_search_by(|p| p.as_str().cmp(path)).ok();
    let mut roots = Vec::new();
    for i in 0..sections.len() {
        let parent = sections[i].path.rsplit_once('/').and_then(|(p, _)| index_of(p));
        sections[i].parent = parent;
        match parent {
            Some(p) => sections[p].children.push(Child::Section(i)),
            None => roots.push(i),
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for (i, page) in pages.iter_mut().enumerate() {
        page.section = page.path.rsplit_once('/').and_then(|(p, _)| index_of(p));
        if let Some(s) = page.section {
            sections[s].children.push(Child::Page(i));
        }
    }
    let key = |c: &Child| -> (bool, i64, String) {
        let (w, t) = match *c {
            Child::Page(i) => (pages[i].weight, &pages[i].title),
            Child::Section(i) => (sections[i].weight, &sections[i].title),
        };
        (w.is_none(), w.unwrap_or(0), t.to_lowercase())
    };
    let sorted: Vec<Vec<Child>> = sections
        .iter()
        .map(|s| {
            let mut c = s.children.clone();
            c.sort_by_key(|c| key(c));
            c
        })
        .collect();
    let mut root_children: Vec<Child> = roots.iter().map(|&i| Child::Section(i)).collect();
    root_children.sort_by_key(|c| key(c));
    for (s, c) in sections.iter_mut().zip(sorted) {
        s.children = c;
    }
    let roots =
        root_children.into_iter().filter_map(|c| if let Child::Section(i) = c { Some(i) } else { None }).collect();
    Tree { home, sections, roots, pages }
}

/// Where each asset is published: folders as web addresses, the file name
/// as it is.
pub(super) fn assets(assets: &[Asset]) -> Vec<(PathBuf, String)> {
    assets
        .iter()
        .filter_map(|a| {
            let (file, dirs) = a.parts.split_last()?;
            let mut comps: Vec<String> = dirs.iter().map(|d| slug(d)).collect();
            if comps.iter().any(String::is_empty) || file.starts_with('.') {
                return None;
            }
            comps.push(file.clone());
            Some((a.from.clone(), comps.join("/")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(root_of(""), "");
        assert_eq!(root_of("playbook/a"), "../../");
        assert_eq!(humanize("01-scoping"), "Scoping");
        assert_eq!(humanize("lessons"), "Lessons");
    }
}
