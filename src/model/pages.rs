//! Playbook, lessons and other pages -> sections nested as their folders
//! are, each with its children in the order and with the titles the nav
//! files give (see `order`), else by weight, leading number, then title.

use super::nav::{self, Nav};
use super::order::{number_prefix, Order, Sortable};
use super::pilot::{tags, Reporter};
use super::raw::RawPage;
use super::{BuildOptions, Child, Page, Section};
use crate::config::Config;
use crate::diag::{Diagnostic, Loc, Rule, Span};
use crate::frontmatter;
use crate::markdown::{self, slug};
use crate::node::{from_node, Kind, Node};
use crate::source::{Asset, Doc, Sources};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub(super) struct Tree {
    pub home: Option<Page>,
    pub sections: Vec<Section>,
    pub roots: Vec<usize>,
    pub pages: Vec<Page>,
}

/// A file or folder name as a title: `01-scoping` -> `Scoping` (the
/// number in front orders it, see [`number_prefix`]).
pub fn humanize(name: &str) -> String {
    let (_, rest) = number_prefix(name);
    let t = rest.replace(['-', '_'], " ");
    let t = if t.trim().is_empty() { name } else { t.trim() };
    crate::names::capitalized(t)
}

/// Whether a file is its folder's own page: `_index.md`, `index.md` or
/// `README.md` (as GitHub, MkDocs and Jekyll read them).
pub(super) use crate::links::is_index_name;

pub(super) fn build(
    docs: &[&Doc],
    navs: &[&Doc],
    sources: &Sources,
    config: &Config,
    opts: &BuildOptions,
    assets: &[(Vec<String>, String)],
    diags: &mut Vec<Diagnostic>,
) -> Tree {
    // First every page's address (front matter may give it), so that the
    // links of every page can be read against the addresses pages end at;
    // then the pages.
    let mut planned: Vec<(&Doc, Front, bool, String)> = Vec::with_capacity(docs.len());
    let mut addresses: Vec<(&Doc, String)> = Vec::with_capacity(docs.len());
    // Each address given, with where and the name it was made from.
    let mut seen: BTreeMap<String, (Loc, String)> = BTreeMap::new();
    let mut next: crate::hash::FastMap<String, usize> = crate::hash::FastMap::default();
    // A `SUMMARY.md` that is a table of contents gives the order and is
    // no page; a link to it leads to its folder.
    let mut summaries: Vec<(&Doc, Nav)> = Vec::new();
    for doc in docs {
        if doc.parts.last().is_some_and(|f| f == "SUMMARY.md") {
            if let Some(nav) = nav::summary(&sources.get(doc.file).text) {
                let dirs: Vec<&str> = doc.parts[..doc.parts.len() - 1].iter().map(String::as_str).collect();
                addresses.push((doc, crate::urls::address_of(&dirs).unwrap_or_default()));
                summaries.push((doc, nav));
                continue;
            }
        }
        let file = doc.parts.last().map_or("", String::as_str);
        let is_index = is_index_name(file);
        let source = sources.get(doc.file);
        let first_line = Span::new(0, source.line_text(1).len() as u32);
        let parts: Vec<&str> = doc.parts.iter().map(String::as_str).collect();
        let Some(address) = crate::urls::address_of(&parts) else {
            let mut r = Reporter { file: doc.file, diags };
            r.error(
                Rule::Unreadable,
                first_line,
                "cannot make a web address from this file's path",
                "use letters, digits and `-` in file and folder names",
            );
            continue;
        };
        let mut comps: Vec<String> = address.split('/').filter(|c| !c.is_empty()).map(String::from).collect();
        let Some(front) = read_front(doc, sources, config, opts, diags) else {
            addresses.push((doc, comps.join("/")));
            continue;
        };
        // The name the address is made from: the path in NFC, without
        // `.md` or the index file (`x.md` and `x/_index.md` are one name),
        // or the address the front matter gives.
        let overridden = if is_index { None } else { address_override(&front, &comps, doc.file, diags) };
        let name = match &overridden {
            Some(o) => o.join("/"),
            None => {
                let name = doc.parts.join("/");
                let name = if is_index {
                    name.strip_suffix(file).map(|n| n.trim_end_matches('/')).unwrap_or(&name)
                } else {
                    name.strip_suffix(".md").unwrap_or(&name)
                };
                markdown::nfc(name).into_owned()
            }
        };
        if let Some(o) = overridden {
            comps = o;
        }
        let mut path = comps.join("/");
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
        let loc = Loc::at(doc.file, first_line);
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
        addresses.push((doc, path.clone()));
        if let Some((prev, _)) = seen.get(&path) {
            diags.push(
                Diagnostic::new(
                    Rule::Duplicate,
                    loc,
                    format!(
                        "`{}` and `{}` would both be published at `/{path}/`",
                        sources.get(doc.file).path,
                        sources.get(prev.file).path
                    ),
                )
                .hint("rename or remove one of them")
                .related(*prev, "the other file is here"),
            );
            continue;
        }
        seen.insert(path.clone(), (loc, name));
        planned.push((doc, front, is_index, path));
    }
    let files = crate::links::Files::new(&addresses, assets);
    let order = Order::read(navs, &summaries, sources, &files, diags);
    let mut home = None;
    let mut section_pages: BTreeMap<String, Page> = BTreeMap::new();
    let mut pages: Vec<Page> = Vec::new();
    for (doc, front, is_index, path) in planned {
        let page = finish(doc, sources, config, front, &path, &files, diags);
        if super::past::written_after(&page, opts.as_of) {
            continue;
        }
        if is_index && path.is_empty() {
            home = Some(page);
        } else if is_index {
            section_pages.insert(path, page);
        } else {
            pages.push(page);
        }
    }
    beside_folders(&mut pages, &section_pages, sources, diags);
    let mut tree = assemble(home, section_pages, pages, &order, sources);
    keep_free_redirects(&mut tree, diags);
    tree
}

/// `foo.md` beside a folder `foo/` without a page of its own: both would be
/// published at `/foo/` (the page and the folder's section page). PD008
/// naming the page and a file in the folder; the page is left out.
fn beside_folders(
    pages: &mut Vec<Page>,
    section_pages: &BTreeMap<String, Page>,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let mut all: Vec<(&str, Loc)> =
        pages.iter().chain(section_pages.values()).map(|p| (p.path.as_str(), p.loc)).collect();
    all.sort_unstable();
    let inside = |path: &str| -> Option<Loc> {
        let prefix = format!("{path}/");
        let i = all.partition_point(|(p, _)| *p < prefix.as_str());
        all.get(i).filter(|(p, _)| p.starts_with(&prefix)).map(|(_, loc)| *loc)
    };
    let mut clashes = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if let Some(other) = inside(&page.path) {
            let folder = sources.get(page.loc.file).path.trim_end_matches(".md").to_string();
            diags.push(
                Diagnostic::new(
                    Rule::Duplicate,
                    page.loc,
                    format!(
                        "`{}` and the folder `{folder}/` (with `{}`) would both be published at `/{}/`",
                        sources.get(page.loc.file).path,
                        sources.get(other.file).path,
                        page.path
                    ),
                )
                .hint(format!("move the page into the folder as `{folder}/_index.md`, or rename one of them"))
                .related(other, "a file in the folder is here"),
            );
            clashes.push(i);
        }
    }
    for i in clashes.into_iter().rev() {
        pages.remove(i);
    }
}

/// A page's front matter as read: the known keys, the others as they are
/// (`page.extra`), and where the body starts.
struct Front {
    raw: RawPage,
    extra: BTreeMap<String, serde_json::Value>,
    redirects: Vec<(String, Loc)>,
    body_start: usize,
}

/// Reads a page's front matter, if it has any. `None` when it cannot be
/// read or the page is a draft left out of this build.
fn read_front(
    doc: &Doc,
    sources: &Sources,
    config: &Config,
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Front> {
    let source = sources.get(doc.file);
    let mut r = Reporter { file: doc.file, diags };
    let mut split = frontmatter::split(&source.text);
    if !split.whole {
        // The front matter could not be read: what it lacks is unknown.
        r.problems(split.problems);
        return None;
    }
    // Problems at values (a date not in the calendar, a word without
    // quotes): the rest is read and checked.
    r.problems(std::mem::take(&mut split.problems));
    // Keys of other tools are kept for templates, and named (PD025) unless
    // the rule is off.
    let mut extra = BTreeMap::new();
    let mut redirects = Vec::new();
    if let Kind::Map(entries) = &mut split.front.kind {
        if entries.iter().any(|e| !RawPage::KEYS.contains(&e.key.as_ref())) {
            let report = config.rules.get(&Rule::ForeignKey) != Some(&None);
            let (known, foreign): (Vec<_>, Vec<_>) =
                std::mem::take(entries).into_iter().partition(|e| RawPage::KEYS.contains(&e.key.as_ref()));
            *entries = known;
            for e in foreign {
                if e.key == "redirect_from" {
                    // Honoured (a page at each old address that sends the
                    // reader on), and kept for templates too.
                    redirect_from(&e.value, doc.file, &mut redirects, r.diags);
                } else if report {
                    let hint = match crate::diag::nearest(&e.key, RawPage::KEYS) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => "templates can read it; turn PD025 off under `[rules]` to keep it quietly".into(),
                    };
                    r.diags.push(
                        Diagnostic::new(
                            Rule::ForeignKey,
                            Loc::at(doc.file, e.key_span),
                            format!("`{}` is not a key pilotdeck uses: kept as `page.extra.{}`", e.key, e.key),
                        )
                        .hint(hint),
                    );
                }
                extra.insert(e.key.into_owned(), json(&e.value));
            }
        }
    }
    let (raw, problems) = from_node::<RawPage>(&split.front);
    r.problems(problems);
    let raw = raw.unwrap_or_default();
    let draft = raw.draft == Some(true) || raw.published == Some(false);
    if draft && !opts.drafts {
        return None;
    }
    Some(Front { raw, extra, redirects, body_start: split.body_start })
}

/// The addresses `redirect_from` names (one, or a list), as paths without
/// slashes at either end; one that cannot be an address of this site is
/// named (PD025) and skipped.
fn redirect_from(
    node: &Node<'_>,
    file: crate::source::FileId,
    out: &mut Vec<(String, Loc)>,
    diags: &mut Vec<Diagnostic>,
) {
    let items = match &node.kind {
        Kind::Seq(items) => items.as_slice(),
        _ => std::slice::from_ref(node),
    };
    for item in items {
        let loc = Loc::at(file, item.span);
        let path = match &item.kind {
            Kind::Str(text) if !text.contains("://") => {
                let t = text.trim().trim_matches('/');
                let t = crate::urls::without_file(t).trim_end_matches('/');
                let comps: Vec<String> = t.split('/').map(slug).collect();
                (!t.is_empty() && comps.iter().all(|c| !c.is_empty())).then(|| comps.join("/"))
            }
            _ => None,
        };
        match path {
            Some(p) => out.push((p, loc)),
            None => diags.push(
                Diagnostic::new(Rule::ForeignKey, loc, "no redirect page made for this `redirect_from` entry")
                    .hint("write the old address of this site, such as `/old/page/`"),
            ),
        }
    }
}

/// Drops each redirect whose address a page or section has, or another
/// redirect took first, with a PD025 warning naming it.
fn keep_free_redirects(tree: &mut Tree, diags: &mut Vec<Diagnostic>) {
    let mut taken: crate::hash::FastSet<String> = tree.sections.iter().map(|s| s.path.clone()).collect();
    taken.extend(tree.pages.iter().map(|p| p.path.clone()));
    taken.insert(String::new());
    for page in &mut tree.pages {
        page.redirect_from.retain(|(from, loc)| {
            if taken.insert(from.clone()) {
                return true;
            }
            diags.push(
                Diagnostic::new(
                    Rule::ForeignKey,
                    *loc,
                    format!("no redirect page made at `/{from}/`: a page or another redirect is there"),
                )
                .hint("remove this entry, or the other one"),
            );
            false
        });
    }
}

/// The address `slug` or `permalink` gives a page, as path components.
fn address_override(
    front: &Front,
    comps: &[String],
    file: crate::source::FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    let (given, absolute) = match (&front.raw.permalink, &front.raw.slug) {
        (Some(p), _) => (p, p.value.trim().starts_with('/')),
        (None, Some(s)) => (s, false),
        (None, None) => return None,
    };
    let text = given.value.trim();
    let text = crate::urls::without_file(text);
    let own: Vec<String> = text.split('/').filter(|c| !c.is_empty()).map(slug).collect();
    if own.is_empty() || own.iter().any(String::is_empty) || text.contains([':', '{']) {
        diags.push(
            Diagnostic::new(
                Rule::ForeignKey,
                Loc::at(file, given.span),
                format!("`{}` cannot be used as this page's address", given.value),
            )
            .hint("the page is published at the address its file name makes"),
        );
        return None;
    }
    let mut out = if absolute { Vec::new() } else { comps[..comps.len() - 1].to_vec() };
    out.extend(own);
    Some(out)
}

/// `text` with the bytes of `range` made spaces (line breaks kept): blanked,
/// not cut, so that every other offset stays put.
fn blanked(text: &str, range: std::ops::Range<usize>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for b in &mut bytes[range] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
    // Every byte of each character in the range became a space.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// A front-matter value as JSON, for templates.
fn json(node: &Node<'_>) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Kind::Str(s) => Value::String(s.to_string()),
        Kind::Seq(items) => Value::Array(items.iter().map(json).collect()),
        Kind::Map(entries) => Value::Object(entries.iter().map(|e| (e.key.to_string(), json(&e.value))).collect()),
    }
}

/// The page itself: its title (from `title`, else its first `#` heading,
/// which is then not shown twice, else its file name) and its body.
fn finish(
    doc: &Doc,
    sources: &Sources,
    config: &Config,
    front: Front,
    path: &str,
    files: &crate::links::Files,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let is_index = doc.parts.last().is_some_and(|f| is_index_name(f));
    let source = sources.get(doc.file);
    let mut r = Reporter { file: doc.file, diags };
    let first_line = Span::new(0, source.line_text(1).len() as u32);
    let Front { raw, extra, redirects, body_start } = front;
    let text = &source.text[body_start..];
    let mut body_text = std::borrow::Cow::Borrowed(text);
    let title = match raw.title.filter(|t| !t.value.trim().is_empty()) {
        Some(t) => {
            let title = t.value.trim().to_string();
            // A `# Title` that repeats the title is not shown twice. Only
            // read for when a line could be one.
            let maybe = text.lines().any(|l| l.strip_prefix("# ").is_some_and(|rest| rest.trim() == title));
            if let Some((_, range)) = markdown::first_h1(text).filter(|(h1, _)| maybe && *h1 == title) {
                body_text = std::borrow::Cow::Owned(blanked(text, range));
            }
            title
        }
        None => match markdown::first_h1(text) {
            Some((title, range)) if !title.is_empty() => {
                body_text = std::borrow::Cow::Owned(blanked(text, range));
                title
            }
            _ => {
                let name = if is_index { doc.parts.iter().rev().nth(1) } else { doc.parts.last() };
                match name {
                    Some(n) => humanize(n.strip_suffix(".md").unwrap_or(n)),
                    None => "Home".to_string(),
                }
            }
        },
    };
    let mut addresses = Vec::new();
    for a in raw.addresses.unwrap_or_default() {
        if r.one_of(Rule::UnknownAddress, &a, &config.categories, "category") {
            addresses.push(a.value);
        }
    }
    let dir = &doc.parts[..doc.parts.len().saturating_sub(1)];
    let base = markdown::LinkBase { page: path, dir, files };
    let body = markdown::render_in(
        &body_text,
        &crate::urls::root_of(path),
        Some(&base),
        &config.lessons_heading,
        config.allow_raw_html,
        config.keep_foreign_tags,
    )
    .shifted(body_start);
    r.diags.extend(markdown::foreign_diagnostics(doc.file, &body.foreign, config.keep_foreign_tags));
    let date = r.date(&raw.date, "date");
    Page {
        loc: Loc::at(doc.file, first_line),
        path: path.to_string(),
        title,
        description: raw.description.filter(|d| !d.trim().is_empty()),
        weight: raw.weight.or(raw.nav_order).or(raw.order),
        tags: tags(raw.tags),
        addresses,
        date,
        body,
        section: None,
        extra,
        redirect_from: redirects,
    }
}

/// Puts pages into sections, creating a section for every folder on the
/// way, each with its children in order (see [`Order`]); the titles the
/// nav files give win.
fn assemble(
    home: Option<Page>,
    mut section_pages: BTreeMap<String, Page>,
    mut pages: Vec<Page>,
    order: &Order,
    sources: &Sources,
) -> Tree {
    // Every folder on the way to a page or a section page is a section
    // (a folder of folders too).
    let mut paths: Vec<String> = Vec::new();
    for path in section_pages.keys().map(|k| k.as_str()).chain(pages.iter().map(|p| p.path.as_str())) {
        let mut rest = path;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            paths.push(parent.to_string());
            rest = parent;
        }
    }
    paths.extend(section_pages.keys().cloned());
    paths.sort();
    paths.dedup();
    let mut sections: Vec<Section> = paths
        .iter()
        .map(|path| {
            let own = section_pages.remove(path);
            let name = path.rsplit('/').next().unwrap_or(path);
            let title = match order.title(path) {
                Some(t) => t.to_string(),
                None => own.as_ref().map_or_else(|| humanize(name), |p| p.title.clone()),
            };
            Section {
                path: path.clone(),
                title,
                description: own.as_ref().and_then(|p| p.description.clone()),
                weight: own.as_ref().and_then(|p| p.weight),
                body: own.as_ref().map(|p| p.body.clone()).unwrap_or_default(),
                parent: None,
                children: Vec::new(),
                extra: own.as_ref().map(|p| p.extra.clone()).unwrap_or_default(),
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
        if let Some(t) = order.title(&page.path) {
            page.title = t.to_string();
        }
    }
    // Pages by the name of their file, sections by their folder's.
    let of = |c: Child| match c {
        Child::Page(i) => {
            let p = &pages[i];
            let file = sources.get(p.loc.file).path.rsplit('/').next().unwrap_or("");
            Sortable { path: &p.path, weight: p.weight, name: file, title: &p.title }
        }
        Child::Section(i) => {
            let s = &sections[i];
            let name = s.path.rsplit('/').next().unwrap_or("");
            Sortable { path: &s.path, weight: s.weight, name, title: &s.title }
        }
    };
    let sorted: Vec<Vec<Child>> = sections
        .iter()
        .map(|s| {
            let mut c = s.children.clone();
            order.sort(&s.path, &mut c, of);
            c
        })
        .collect();
    let mut root_children: Vec<Child> = roots.iter().map(|&i| Child::Section(i)).collect();
    order.sort("", &mut root_children, of);
    for (s, c) in sections.iter_mut().zip(sorted) {
        s.children = c;
    }
    let roots =
        root_children.into_iter().filter_map(|c| if let Child::Section(i) = c { Some(i) } else { None }).collect();
    Tree { home, sections, roots, pages }
}

/// Where each asset is published (see [`crate::urls::asset`]).
pub(super) fn assets(assets: &[Asset]) -> Vec<(PathBuf, String)> {
    assets.iter().filter_map(|a| Some((a.from.clone(), crate::urls::asset(&a.parts)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(humanize("01-scoping"), "Scoping");
        assert_eq!(humanize("lessons"), "Lessons");
        assert_eq!(humanize("2_getting_started"), "Getting started");
        assert_eq!(humanize("10x-faster"), "10x faster");
        assert_eq!(humanize("2024"), "2024");
    }
}
