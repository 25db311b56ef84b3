//! The order and titles other tools give a playbook's pages, read from
//! their files: MkDocs' `nav:` in `mkdocs.yml`, the awesome-pages plugin's
//! `.pages`, and mdBook's and GitBook's `SUMMARY.md`. Each is read into the
//! same tree of [`Entry`]s (text in, entries and problems out, nothing
//! else); `pages` applies them to the sections' children.

use crate::diag::{Rule, Span};
use crate::frontmatter::parse_yaml;
use crate::node::{Kind, Node, Problem};

/// What a nav entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A file or folder, as written (relative to the nav's folder).
    File(String),
    /// A link out of the site (`https://...`, `/absolute`): not a page.
    Link,
    /// `...` of a `.pages` nav: every child not listed, here.
    Rest,
    /// A heading with no page of its own (a group of entries).
    None,
}

/// One entry of a nav, with the entries nested below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub title: Option<String>,
    pub target: Target,
    /// Where it is written.
    pub span: Span,
    pub children: Vec<Entry>,
}

/// A nav file as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Nav {
    pub entries: Vec<Entry>,
    /// `.pages`: the title of its folder; `mkdocs.yml`: `site_name`, the
    /// title of the folder it is in.
    pub title: Option<String>,
    /// `.pages`: `order: desc`, the children not listed in reverse order.
    pub descending: bool,
    /// `mkdocs.yml`: `docs_dir` (`docs` when not given).
    pub docs_dir: Option<String>,
}

/// Which reader a nav file (see [`crate::source::is_nav_file`]) takes.
pub(super) fn is_mkdocs(name: &str) -> bool {
    name.starts_with("mkdocs.")
}

/// A folder holding a `mkdocs.yml` whose `docs_dir` is there. MkDocs
/// publishes the files of `docs_dir` at the folder's own address, and
/// nothing else of the folder: so does pilotdeck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DocsRoot {
    /// The folder of `mkdocs.yml`, below `content/`.
    pub folder: Vec<String>,
    /// Its `docs_dir`, one folder name (`docs`).
    pub docs: String,
    /// The `mkdocs.yml` itself.
    pub file: crate::source::FileId,
}

/// Where a file below `content/` is published, given the [`DocsRoot`]s.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Place<'a> {
    /// Where its path says.
    Same,
    /// Inside a `docs_dir`: as if the `docs_dir` were its parent folder.
    Moved(Vec<String>),
    /// Beside a `mkdocs.yml`, outside its `docs_dir`: not published.
    Outside(&'a DocsRoot),
}

/// The folders whose `mkdocs.yml` names a `docs_dir` (default `docs`) of
/// one folder that holds a file of `files`, deepest first. A `docs_dir`
/// of several folders, or one that is not there (a playbook copied with
/// its pages beside `mkdocs.yml`), changes nothing.
pub(super) fn docs_roots<'a>(
    navs: &[crate::source::Doc],
    sources: &crate::source::Sources,
    files: impl Iterator<Item = &'a [String]> + Clone,
) -> Vec<DocsRoot> {
    let mut roots: Vec<DocsRoot> = navs
        .iter()
        .filter(|d| d.parts.last().is_some_and(|n| is_mkdocs(n)))
        .filter_map(|d| {
            let folder = d.parts[..d.parts.len() - 1].to_vec();
            let (nav, _) = mkdocs(&sources.get(d.file).text);
            let docs = nav.docs_dir.as_deref().unwrap_or("docs").trim().trim_start_matches("./").trim_end_matches('/');
            if docs.is_empty() || docs.contains('/') || docs == "." || docs == ".." {
                return None;
            }
            let there =
                files.clone().any(|p| p.len() > folder.len() + 1 && p.starts_with(&folder) && p[folder.len()] == docs);
            there.then(|| DocsRoot { folder, docs: docs.to_string(), file: d.file })
        })
        .collect();
    roots.sort_by(|a, b| b.folder.len().cmp(&a.folder.len()).then(a.folder.cmp(&b.folder)));
    roots
}

/// Where the file at `parts` is published (see [`Place`]).
pub(super) fn place<'a>(parts: &[String], roots: &'a [DocsRoot]) -> Place<'a> {
    for root in roots {
        let n = root.folder.len();
        if parts.len() <= n || !parts.starts_with(&root.folder) {
            continue;
        }
        return if parts.len() > n + 1 && parts[n] == root.docs {
            let mut moved = root.folder.clone();
            moved.extend(parts[n + 1..].iter().cloned());
            Place::Moved(moved)
        } else if parts.len() == n + 1 && is_mkdocs(&parts[n]) {
            Place::Same
        } else {
            Place::Outside(root)
        };
    }
    Place::Same
}

/// The playbook's files as published under `roots` (see [`place`]): the
/// page files, the other files and the nav files, and for each
/// `mkdocs.yml` one PD027 warning naming the files beside it that are not
/// published.
pub struct Published {
    pub docs: Vec<crate::source::Doc>,
    pub assets: Vec<crate::source::Asset>,
    pub navs: Vec<crate::source::Doc>,
    pub left_out: Vec<crate::diag::Diagnostic>,
}

/// The files of `docs`, `assets` and `navs` where [`place`] puts them.
pub fn published(
    roots: &[DocsRoot],
    docs: &[&crate::source::Doc],
    assets: &[crate::source::Asset],
    navs: &[crate::source::Doc],
) -> Published {
    use crate::source::{Asset, Doc};
    let mut outside: Vec<(&DocsRoot, String)> = Vec::new();
    let mut moved = |parts: &[String]| match place(parts, roots) {
        Place::Same => Some(parts.to_vec()),
        Place::Moved(p) => Some(p),
        Place::Outside(root) => {
            outside.push((root, parts[root.folder.len()..].join("/")));
            None
        }
    };
    let docs = docs.iter().filter_map(|d| moved(&d.parts).map(|parts| Doc { file: d.file, parts })).collect();
    let assets =
        assets.iter().filter_map(|a| moved(&a.parts).map(|parts| Asset { from: a.from.clone(), parts })).collect();
    // A nav file outside a `docs_dir` (a `.pages` of the repository) is
    // not read, and not named: it is no page.
    let navs = (navs.iter())
        .filter_map(|d| match place(&d.parts, roots) {
            Place::Same => Some(d.clone()),
            Place::Moved(parts) => Some(Doc { file: d.file, parts }),
            Place::Outside(_) => None,
        })
        .collect();
    let left_out = roots
        .iter()
        .filter_map(|root| {
            let names: Vec<&str> =
                outside.iter().filter(|(r, _)| r.file == root.file).map(|(_, n)| n.as_str()).collect();
            (!names.is_empty()).then(|| left_out(root, &names))
        })
        .collect();
    Published { docs, assets, navs, left_out }
}

/// The warning for the files beside a `mkdocs.yml` that are not published.
fn left_out(root: &DocsRoot, names: &[&str]) -> crate::diag::Diagnostic {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 5 { format!(" and {} more", names.len() - 5) } else { String::new() };
    let (files, are) = if names.len() == 1 { ("file", "is") } else { ("files", "are") };
    crate::diag::Diagnostic::new(
        Rule::NavEntry,
        crate::diag::Loc::start(root.file),
        format!(
            "{} {files} beside this `mkdocs.yml`, outside its `docs_dir` `{}/`, {are} not published, as in MkDocs: {}{more}",
            names.len(),
            root.docs,
            shown.join(", ")
        ),
    )
    .hint(format!(
        "the pages of `{}/` are published at this folder's address; move a file into `{}/` to publish it",
        root.docs, root.docs
    ))
}

/// The `nav:`, `docs_dir` and `site_name` of a `mkdocs.yml`. Only those keys are read,
/// each from its own lines: the rest of the file (`!!python/name:` and
/// `!ENV` tags of plugins and extensions) is not looked at.
pub(super) fn mkdocs(text: &str) -> (Nav, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut nav = Nav::default();
    let scalar = |key: &str| -> Option<String> {
        let (at, block) = top_level(text, key)?;
        let node = parse_yaml(block, at as u32).node;
        match value(&node, key) {
            Some(Node { kind: Kind::Str(v), .. }) => Some(v.trim().to_string()).filter(|v| !v.is_empty()),
            _ => None,
        }
    };
    nav.docs_dir = scalar("docs_dir");
    nav.title = scalar("site_name");
    let Some((at, block)) = top_level(text, "nav") else { return (nav, problems) };
    let crate::frontmatter::Parsed { node, problems: found, .. } = parse_yaml(block, at as u32);
    problems.extend(found.into_iter().map(|p| Problem {
        rule: Rule::NavEntry,
        message: format!("the `nav:` of this file cannot be read: {}", p.message),
        hint: Some("pages are in their default order; write `nav:` as a YAML list of `- Title: page.md`".into()),
        ..p
    }));
    match value(&node, "nav") {
        Some(Node { kind: Kind::Seq(items), .. }) => nav.entries = entries(items, false, &mut problems),
        Some(Node { kind: Kind::Null, .. }) | None => {}
        Some(other) => problems.push(not_a_list(other.span, "nav")),
    }
    (nav, problems)
}

/// A `.pages` file of the awesome-pages plugin: `title`, `nav` (`arrange`
/// in its first version) with `...` for the children not listed, `order`.
pub(super) fn pages(text: &str) -> (Nav, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut nav = Nav::default();
    let crate::frontmatter::Parsed { node, problems: found, .. } = parse_yaml(text, 0);
    problems.extend(found.into_iter().map(|p| Problem {
        rule: Rule::NavEntry,
        message: format!("this `.pages` file cannot be read: {}", p.message),
        hint: Some("the folder's pages are in their default order; `.pages` is YAML: `title:`, `nav:`".into()),
        ..p
    }));
    if let Some(Node { kind: Kind::Str(t), .. }) = value(&node, "title") {
        nav.title = Some(t.trim().to_string()).filter(|t| !t.is_empty());
    }
    if let Some(n) = value(&node, "order") {
        match &n.kind {
            Kind::Str(o) if o.eq_ignore_ascii_case("desc") => nav.descending = true,
            Kind::Str(o) if o.eq_ignore_ascii_case("asc") => {}
            _ => problems.push(Problem {
                rule: Rule::NavEntry,
                span: n.span,
                message: "`order` is `asc` or `desc`".into(),
                hint: Some("the folder's pages are in their default order".into()),
            }),
        }
    }
    match value(&node, "nav").or_else(|| value(&node, "arrange")) {
        Some(Node { kind: Kind::Seq(items), .. }) => nav.entries = entries(items, true, &mut problems),
        Some(Node { kind: Kind::Null, .. }) | None => {}
        Some(other) => problems.push(not_a_list(other.span, "nav")),
    }
    (nav, problems)
}

/// A `SUMMARY.md` (mdBook, GitBook) as a nav: each link in a list item is
/// an entry titled by its text, nested as the lists are; links outside a
/// list (mdBook's prefix and suffix chapters) are entries too; headings
/// (`# Summary`, part titles) and rules are not. `None` when no link names
/// a file: then it is an ordinary page.
pub(super) fn summary(text: &str) -> Option<Nav> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut top: Vec<Entry> = Vec::new();
    // The list items open, innermost last.
    let mut items: Vec<Entry> = Vec::new();
    // The link open: its target, where it is, its text.
    let mut link: Option<(Target, Span, String)> = None;
    for (event, range) in crate::markdown::events(text) {
        let span = Span::new(range.start as u32, range.end as u32);
        match event {
            Event::Start(Tag::Item) => {
                items.push(Entry { title: None, target: Target::None, span, children: Vec::new() });
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = items.pop() {
                    match items.last_mut() {
                        Some(parent) => parent.children.push(item),
                        None => top.push(item),
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let dest = dest_url.trim();
                let target = if dest.is_empty() { Target::None } else { target(dest) };
                link = Some((target, span, String::new()));
            }
            Event::Text(t) | Event::Code(t) => match (&mut link, items.last_mut()) {
                (Some((_, _, title)), _) => title.push_str(&t),
                // An item without a link (GitBook's headings in a list).
                (None, Some(item)) if item.target == Target::None && item.children.is_empty() => {
                    item.title.get_or_insert_with(String::new).push_str(&t);
                }
                _ => {}
            },
            Event::End(TagEnd::Link) => {
                let Some((target, span, title)) = link.take() else { continue };
                let title = Some(title.trim().to_string()).filter(|t| !t.is_empty());
                match items.last_mut() {
                    Some(item) if item.target == Target::None && item.children.is_empty() => {
                        *item = Entry { title, target, span, children: Vec::new() };
                    }
                    // A second link in one item is part of its text.
                    Some(_) => {}
                    None => top.push(Entry { title, target, span, children: Vec::new() }),
                }
            }
            _ => {}
        }
    }
    fn names_a_file(entries: &[Entry]) -> bool {
        entries.iter().any(|e| matches!(e.target, Target::File(_)) || names_a_file(&e.children))
    }
    for item in &mut top {
        trim_titles(item);
    }
    names_a_file(&top).then(|| Nav { entries: top, ..Nav::default() })
}

fn trim_titles(entry: &mut Entry) {
    if let Some(t) = &mut entry.title {
        *t = t.trim().to_string();
    }
    if entry.title.as_deref() == Some("") {
        entry.title = None;
    }
    for c in &mut entry.children {
        trim_titles(c);
    }
}

/// What a path or address as written in a nav names.
fn target(dest: &str) -> Target {
    if dest.starts_with('/') || dest.contains("://") || dest.starts_with("mailto:") {
        Target::Link
    } else {
        Target::File(dest.to_string())
    }
}

/// The entries of a YAML nav list: `- page.md`, `- Title: page.md`,
/// `- Title: [ ... ]`, `- Title: https://...`; in a `.pages` nav also
/// `- ...` (and `- ... | pattern`, read as `...`).
fn entries(items: &[Node<'_>], dots: bool, problems: &mut Vec<Problem>) -> Vec<Entry> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match &item.kind {
            Kind::Str(s) if dots && s.trim().starts_with("...") => {
                out.push(Entry { title: None, target: Target::Rest, span: item.span, children: Vec::new() });
            }
            Kind::Str(s) => {
                out.push(Entry { title: None, target: target(s.trim()), span: item.span, children: Vec::new() })
            }
            Kind::Map(pairs) => {
                for pair in pairs {
                    let title = Some(pair.key.trim().to_string()).filter(|t| !t.is_empty());
                    let (target, children) = match &pair.value.kind {
                        Kind::Str(s) => (target(s.trim()), Vec::new()),
                        Kind::Seq(nested) => (Target::None, entries(nested, dots, problems)),
                        _ => {
                            problems.push(not_an_entry(pair.value.span));
                            continue;
                        }
                    };
                    out.push(Entry { title, target, span: pair.value.span, children });
                }
            }
            _ => problems.push(not_an_entry(item.span)),
        }
    }
    out
}

fn not_an_entry(span: Span) -> Problem {
    Problem {
        rule: Rule::NavEntry,
        span,
        message: "this nav entry is neither a page nor a titled list".into(),
        hint: Some("write `- page.md`, `- Title: page.md` or `- Title:` with a list below".into()),
    }
}

fn not_a_list(span: Span, key: &str) -> Problem {
    Problem {
        rule: Rule::NavEntry,
        span,
        message: format!("`{key}` is not a list"),
        hint: Some(format!("write `{key}:` with one `- page.md` line per entry below it")),
    }
}

/// The value of `key` in a YAML map.
fn value<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    match &node.kind {
        Kind::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
        _ => None,
    }
}

/// The lines of the top-level key `key` of a YAML file, and the byte they
/// start at: from its line to the next line that starts another key at
/// the left margin.
fn top_level<'a>(text: &'a str, key: &str) -> Option<(usize, &'a str)> {
    let mut start = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let at_margin = line.starts_with(|c: char| !c.is_whitespace() && c != '#' && c != '-');
        match start {
            None if at_margin && line.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')) => {
                start = Some(pos);
            }
            Some(s) if at_margin || line.starts_with("---") || line.starts_with("...") => {
                return Some((s, &text[s..pos]));
            }
            _ => {}
        }
        pos += line.len();
    }
    start.map(|s| (s, &text[s..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(title: Option<&str>, path: &str) -> (Option<String>, Target) {
        (title.map(String::from), Target::File(path.into()))
    }

    fn flat(entries: &[Entry]) -> Vec<(Option<String>, Target)> {
        let mut out = Vec::new();
        for e in entries {
            out.push((e.title.clone(), e.target.clone()));
            out.extend(flat(&e.children));
        }
        out
    }

    #[test]
    fn mkdocs_nav_is_read_around_tags_of_other_keys() {
        let text = "site_name: Handbook\ndocs_dir: 'src'\nnav:\n  - index.md\n  - Start: start.md\n  - Guides:\n      - guides/README.md\n      - Testing: guides/testing.md\n  - Source: https://example.com/x\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n  - x: !ENV [X, 1]\n";
        let (nav, problems) = mkdocs(text);
        assert_eq!(nav.docs_dir.as_deref(), Some("src"));
        assert_eq!(nav.title.as_deref(), Some("Handbook"));
        assert_eq!(
            flat(&nav.entries),
            vec![
                file(None, "index.md"),
                file(Some("Start"), "start.md"),
                (Some("Guides".into()), Target::None),
                file(None, "guides/README.md"),
                file(Some("Testing"), "guides/testing.md"),
                (Some("Source".into()), Target::Link),
            ]
        );
        assert_eq!(problems, Vec::new());
        let (s, e) = (nav.entries[1].span.start as usize, nav.entries[1].span.end as usize);
        assert_eq!(&text[s..e], "start.md");
    }

    #[test]
    fn a_broken_nav_is_a_problem_with_its_place() {
        let text = "site_name: x\nnav:\n  - a.md\n  - [unclosed\ntheme: material\n";
        let (nav, problems) = mkdocs(text);
        assert!(nav.entries.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].rule, Rule::NavEntry);
        assert!(problems[0].span.start as usize >= text.find("nav:").unwrap_or(0));
        // No nav at all: nothing to say.
        assert_eq!(mkdocs("theme: x\n"), (Nav::default(), Vec::new()));
    }

    #[test]
    fn pages_files_give_title_rest_and_order() {
        let (nav, problems) = pages("title: Guides\norder: desc\nnav:\n  - intro.md\n  - ...\n  - Last one: z.md\n");
        assert!(problems.is_empty());
        assert_eq!(nav.title.as_deref(), Some("Guides"));
        assert!(nav.descending);
        assert_eq!(
            flat(&nav.entries),
            vec![file(None, "intro.md"), (None, Target::Rest), file(Some("Last one"), "z.md")]
        );
        let (_, problems) = pages("order: sideways\n");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn summary_lists_give_order_nesting_and_titles() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n# Part one\n\n- [Setup](setup/README.md)\n    - [Install `it`](setup/install.md)\n- [Draft]()\n---\n- [Usage](usage.md#top)\n";
        let nav = summary(text).unwrap();
        assert_eq!(
            flat(&nav.entries),
            vec![
                file(Some("Introduction"), "README.md"),
                file(Some("Setup"), "setup/README.md"),
                file(Some("Install it"), "setup/install.md"),
                (Some("Draft".into()), Target::None),
                file(Some("Usage"), "usage.md#top"),
            ]
        );
        assert_eq!(nav.entries[1].children.len(), 1);
        // A page called SUMMARY.md with no list of links is a page.
        assert_eq!(summary("# Summary\n\nWe did well.\n"), None);
    }
}
