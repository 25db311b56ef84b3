//! The site's address scheme, in one place: where each page is published
//! (its address, from the site root, without a leading slash), the file
//! an address is written to, and the way back from a page to the root.
//!
//! Three forms are used:
//! - an *address*: what a link from the root names, `pilots/a/` for a
//!   page (a trailing slash), `feed.xml` for a file, empty for home;
//! - a *path*: a page's address without slashes at either end
//!   (`pilots/a`, `playbook/x`), as the model and the link check keep it;
//! - a *file*: where the output holds it (`pilots/a/index.html`).
//!
//! Every page lives in its own folder (`pilots/a/index.html`), so that its
//! address has no `.html`; every link in the site is relative (`../../`
//! back to the root), so that the site works from any folder. The `*_parts`
//! functions give an address in pieces, for writers that escape each piece
//! into a page as they go, without putting the address together first.

use crate::names::slug;

/// The home page's address.
pub(crate) const HOME: &str = "";
/// The portfolio page (its charts are files below it, see [`chart`]).
pub(crate) const PORTFOLIO: &str = "portfolio/";
/// The decisions leaders are asked for: every open constraint at the top
/// rung of the escalation ladder, by sponsor.
pub(crate) const DECISIONS: &str = "portfolio/decisions/";
/// The decisions of the pilots one person sponsors, page `page` (from 1):
/// `owners/SLUG/decisions/`, then `owners/SLUG/decisions/2/`, ...; of the
/// pilots without a sponsor (`None`): `portfolio/decisions/no-sponsor/`, ...
pub(crate) fn sponsor_decisions(slug: Option<&str>, page: usize) -> String {
    let mut out = match slug {
        Some(s) => [OWNERS, s, "/decisions/"].concat(),
        None => [DECISIONS, "no-sponsor/"].concat(),
    };
    if page > 1 {
        out.push_str(&page.to_string());
        out.push('/');
    }
    out
}

/// The pilot index (each pilot's page is below it, see [`pilot`]).
pub(crate) const PILOTS: &str = "pilots/";
/// The constraint library.
pub(crate) const CONSTRAINTS: &str = "constraints/";
/// The owners page (each owner's page is below it, see [`owner`]).
pub(crate) const OWNERS: &str = "owners/";
/// The lessons page.
pub(crate) const LESSONS: &str = "lessons/";
/// The tags page (each tag's page is below it, see [`tag`]).
pub(crate) const TAGS: &str = "tags/";
/// The search page.
pub(crate) const SEARCH: &str = "search/";
/// The folder of the search index (see `crate::search`).
pub(crate) const SEARCH_DATA: &str = "search/data/";
/// The constraint export.
pub(crate) const CSV: &str = "constraints.csv";
/// The pilot export: one row per pilot, beside the constraint export.
pub(crate) const PILOTS_CSV: &str = "pilots.csv";
/// The portfolio export.
pub(crate) const JSON: &str = "portfolio.json";
/// The feed.
pub(crate) const FEED: &str = "feed.xml";
/// The sitemap.
pub(crate) const SITEMAP: &str = "sitemap.xml";
/// What changed across the portfolio in the week of the as-of date (each
/// earlier week is below it, see [`changes_week`]).
pub(crate) const CHANGES: &str = "changes/";
/// The feed of the weeks' changes.
pub(crate) const CHANGES_FEED: &str = "changes/feed.xml";

/// What changed in the week starting on `monday`: `changes/2026-03-16/`.
pub(crate) fn changes_week(monday: crate::date::Date) -> String {
    [CHANGES, &monday.text(), "/"].concat()
}
/// The page of the `k`-th week of `/changes/`, newest first, whose Monday
/// is `monday`: this week's is `/changes/` itself, each earlier one has a
/// page of its own ([`changes_week`]).
pub(crate) fn changes_page(k: usize, monday: crate::date::Date) -> String {
    if k == 0 {
        CHANGES.to_string()
    } else {
        changes_week(monday)
    }
}
/// The not-found page (a file: a server shows it at any address).
pub(crate) const NOT_FOUND: &str = "404.html";
/// The way back to the root from any pilot page ([`root_of`] of [`pilot`]).
pub(crate) const PILOT_ROOT: &str = "../../";

/// The file a folder's page is written to.
const INDEX: &str = "index.html";
/// The home page's file.
pub(crate) const HOME_FILE: &str = INDEX;

/// The pages pilotdeck makes at fixed addresses, with their paths, in
/// the order the sitemap lists them before sorting.
pub(crate) const FIXED_PAGES: [&str; 9] =
    [HOME, PILOTS, PORTFOLIO, DECISIONS, CONSTRAINTS, OWNERS, LESSONS, TAGS, CHANGES];

/// The first components of the addresses the site makes itself (its
/// home is ``): a link from the root to one of them is the site's.
pub(crate) const SITE_PAGES: [&str; 14] = [
    "pilots",
    "changes",
    "portfolio",
    "constraints",
    "owners",
    "lessons",
    "tags",
    "search",
    "feed.xml",
    "constraints.csv",
    "pilots.csv",
    "portfolio.json",
    "sitemap.xml",
    "404.html",
];

/// The paths (no slashes at either end) of the top-level pages whose
/// content pilotdeck makes: a section of the site's at one of them is not
/// a page of its own (`content/pilots/_index.md`).
pub(crate) fn is_generated_section(path: &str) -> bool {
    path == path_of(PILOTS) || path == path_of(LESSONS)
}

/// A pilot's page, in parts: `pilots/ID/`.
pub(crate) fn pilot_parts(id: &str) -> [&str; 3] {
    [PILOTS, id, "/"]
}

/// A pilot's page: `pilots/ID/`.
pub(crate) fn pilot(id: &str) -> String {
    pilot_parts(id).concat()
}

/// The file of a pilot's page: `pilots/ID/index.html`.
pub(crate) fn pilot_file(id: &str) -> String {
    [PILOTS, id, "/", INDEX].concat()
}

/// A pilot's page as a path: `pilots/ID`.
pub(crate) fn pilot_path(id: &str) -> String {
    [PILOTS, id].concat()
}

/// A section on a pilot's page, by its heading's id: `pilots/ID/#SECTION`.
pub(crate) fn pilot_section(id: &str, section: &str) -> String {
    [PILOTS, id, "/#", section].concat()
}

/// A constraint on its pilot's page, in parts: `pilots/ID/#c-C`.
pub(crate) fn constraint_parts<'a>(pilot: &'a str, constraint: &'a str) -> [&'a str; 4] {
    [PILOTS, pilot, "/#c-", constraint]
}

/// A constraint's row in the library, in parts, on the library's page
/// whose [`list_page_suffix`] is `page`: `constraints/page/3/#ID--C`
/// (the row's id is [`library_anchor_parts`]).
pub(crate) fn library_entry_parts<'a>(page: &'a str, pilot: &'a str, constraint: &'a str) -> [&'a str; 6] {
    [CONSTRAINTS, page, "#", pilot, "--", constraint]
}

/// The folder below a paged list's address that holds its further pages.
const LIST_PAGES: &str = "page/";

/// What follows a paged list's address for its page `n` (from 1): nothing
/// for the first, `page/N/` after it. A list's pages are below its own
/// address (`constraints/page/2/`, `owners/SLUG/page/2/`), so that the
/// first page keeps the address it always had.
pub(crate) fn list_page_suffix(n: usize) -> String {
    if n <= 1 {
        String::new()
    } else {
        format!("{LIST_PAGES}{n}/")
    }
}

/// What stands for a page's number in [`list_page_pattern`].
pub(crate) const PAGE_NUMBER: &str = "{n}";

/// The address of every page after the first of the list at `address`,
/// with [`PAGE_NUMBER`] for the page's number (`constraints/page/{n}/`):
/// for the script that fetches all of a list's pages, so that a page need
/// not link to every other.
pub(crate) fn list_page_pattern(address: &str) -> String {
    [address, LIST_PAGES, PAGE_NUMBER, "/"].concat()
}

/// The list at `address` shown filtered (by its script) to the rows whose
/// `key` is `value`: `lessons/?category=data`.
pub(crate) fn list_filtered(address: &str, key: &str, value: &str) -> String {
    let mut out = format!("{address}?{key}=");
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Page `n` (from 1) of the paged list at `address`: `constraints/page/2/`.
pub(crate) fn list_page(address: &str, n: usize) -> String {
    [address, &list_page_suffix(n)].concat()
}

/// The id of a constraint's row in the library, in parts: `ID--C`.
pub(crate) fn library_anchor_parts<'a>(pilot: &'a str, constraint: &'a str) -> [&'a str; 3] {
    [pilot, "--", constraint]
}

/// An owner's page, in parts: `owners/SLUG/`.
pub(crate) fn owner_parts(slug: &str) -> [&str; 3] {
    [OWNERS, slug, "/"]
}

/// An owner's page: `owners/SLUG/`.
pub(crate) fn owner(slug: &str) -> String {
    owner_parts(slug).concat()
}

/// A tag's page: `tags/SLUG/`.
pub(crate) fn tag(slug: &str) -> String {
    [TAGS, slug, "/"].concat()
}

/// The file of a tag's page: `tags/SLUG/index.html`.
pub(crate) fn tag_file(slug: &str) -> String {
    [TAGS, slug, "/", INDEX].concat()
}

/// A portfolio chart's file: `portfolio/ID.svg`.
pub(crate) fn chart(id: &str) -> String {
    [PORTFOLIO, id, ".svg"].concat()
}

/// The address of the page or section at `path` (no slashes at either
/// end), in parts: `path/`, empty for home.
pub(crate) fn page_parts(path: &str) -> [&str; 2] {
    [path, if path.is_empty() { "" } else { "/" }]
}

/// The address of the page or section at `path`: `path/`, empty for home.
pub(crate) fn page(path: &str) -> String {
    page_parts(path).concat()
}

/// An address (in parts) as a link from outside the site, below the
/// site's `base_url` (no slash at its end): `https://x.example/ai/pilots/a/`,
/// or from the host's root (`/pilots/a/`) when there is none.
pub(crate) fn absolute(base_url: &str, parts: &[&str]) -> String {
    let mut out = String::with_capacity(base_url.len() + 1 + parts.iter().map(|p| p.len()).sum::<usize>());
    out.push_str(base_url);
    out.push('/');
    parts.iter().for_each(|p| out.push_str(p));
    out
}

/// What the feed puts before an address: the base URL and a slash, or
/// nothing (links relative to the feed) when the site has no base URL.
pub(crate) fn feed_base(base_url: &str) -> String {
    if base_url.is_empty() {
        String::new()
    } else {
        absolute(base_url.trim_end_matches('/'), &[])
    }
}

/// The root of the site on its host, for a page shown at any address
/// (the not-found page): the path part of the base URL with slashes at
/// both ends (`/ai/`), or `/`.
pub(crate) fn base_root(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.split_once('/').map_or("", |(_, p)| p).trim_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        ["/", path, "/"].concat()
    }
}

/// The page a constraint's `playbook` field names by its path, in parts:
/// `path/`, as [`page_parts`] but always with the slash (an empty field is
/// no link to home: it stays as written, for the link check to report).
pub(crate) fn named_page_parts(path: &str) -> [&str; 2] {
    [path, "/"]
}

/// The path of a page's `address`: without slashes at either end.
pub(crate) fn path_of(address: &str) -> &str {
    address.trim_matches('/')
}

/// The file an address is written to: a page's `index.html` in its folder
/// (`pilots/a/` -> `pilots/a/index.html`, home -> `index.html`), a file's
/// address as it is.
pub(crate) fn file_of(address: &str) -> String {
    let mut out = String::with_capacity(address.len() + INDEX.len());
    out.push_str(address);
    if address.is_empty() || address.ends_with('/') {
        out.push_str(INDEX);
    }
    out
}

/// The file the page at `path` (no slashes at either end) is written to:
/// `pilots/a` -> `pilots/a/index.html`, home -> `index.html`.
pub(crate) fn file_of_page(path: &str) -> String {
    let [a, b] = page_parts(path);
    [a, b, INDEX].concat()
}

/// The address of the page written to `file`, the way back from
/// [`file_of`]: `pilots/a/index.html` -> `pilots/a/`; any other file's
/// address is its path.
pub(crate) fn address_of_file(file: &str) -> &str {
    match file.strip_suffix(INDEX) {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => file,
    }
}

/// A page's path as a link or a `permalink` may write it: without the
/// `index.html` or `.html` a static site's address may end with.
pub(crate) fn without_file(text: &str) -> &str {
    text.strip_suffix(INDEX).or(text.strip_suffix(".html")).unwrap_or(text)
}

/// Whether the last component of a path read from a link is the page file
/// of its folder (`x/index.html` is the page `x`).
pub(crate) fn is_page_file(name: &str) -> bool {
    name == INDEX
}

/// The way back to the site root from the page at `address` (or path):
/// `../` once per folder, `../../` from `pilots/a/`, empty from home.
pub(crate) fn root_of(address: &str) -> String {
    "../".repeat(address.split('/').filter(|c| !c.is_empty()).count())
}

/// HTML made for the page at path `from` (no slashes at either end), with
/// its relative links (`href`, `src`) written again for the page at path
/// `to`: a lessons-learned section of a pilot record (made for
/// `pilots/ID/`) shown on the lessons page. Links with a scheme, from the
/// host's root or to an anchor stay as they are, and so does one that
/// leaves the site from `from` (it was broken there already).
pub(crate) fn rebase(html: &str, from: &str, to: &str) -> String {
    const ATTRS: [&str; 2] = [" href=\"", " src=\""];
    if from == to || !ATTRS.iter().any(|a| html.contains(a)) {
        return html.to_string();
    }
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    loop {
        let next = ATTRS.iter().filter_map(|a| rest.find(a).map(|i| i + a.len())).min();
        let Some(start) = next else { break };
        let Some(len) = rest[start..].find('"') else { break };
        out.push_str(&rest[..start]);
        let link = &rest[start..start + len];
        match rebased(link, &from, &to) {
            Some(new) => out.push_str(&new),
            None => out.push_str(link),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// One link of [`rebase`]; `None` to leave it as it is.
fn rebased(link: &str, from: &[&str], to: &[&str]) -> Option<String> {
    let cut = link.find(['?', '#']).unwrap_or(link.len());
    let (path, suffix) = link.split_at(cut);
    let scheme = path.split('/').next().is_some_and(|first| first.contains(':'));
    if path.is_empty() || path.starts_with('/') || scheme {
        return None;
    }
    let comps = join(from.iter().copied(), path)?;
    let folder = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") || path == "." || path == "..";
    let common = to.iter().zip(&comps).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(to.len() - common);
    out.push_str(&comps[common..].join("/"));
    if folder && comps.len() > common {
        out.push('/');
    }
    if out.is_empty() {
        out.push_str("./");
    }
    out.push_str(suffix);
    Some(out)
}

/// What the output file `file` is, for a server that finds the page to
/// make from a request (the reverse of the functions above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parsed<'a> {
    /// A pilot's page (`pilots/ID/index.html`), by id.
    Pilot(&'a str),
    /// Any other file.
    Other,
}

/// Reads an output path: see [`Parsed`].
pub(crate) fn parse(file: &str) -> Parsed<'_> {
    let id = file.strip_prefix(PILOTS).and_then(|rest| rest.strip_suffix(INDEX)?.strip_suffix('/'));
    match id {
        Some(id) if !id.is_empty() && !id.contains('/') => Parsed::Pilot(id),
        _ => Parsed::Other,
    }
}

/// The id of the pilot whose page is written to `file`, if it is one.
pub(crate) fn pilot_of(file: &str) -> Option<&str> {
    match parse(file) {
        Parsed::Pilot(id) => Some(id),
        Parsed::Other => None,
    }
}

/// The path (no slashes at either end) a path below `content/` is
/// published at: folders as web addresses, a Markdown file without `.md`
/// (an index file is its folder), any other file by its name. `None` when
/// a folder or page name makes no address. The one rule for the address
/// of a file below `content/`: pages, sections and copied files.
pub(crate) fn address_of(parts: &[&str]) -> Option<String> {
    let Some((last, dirs)) = parts.split_last() else { return Some(String::new()) };
    let mut comps = folders(dirs.iter().copied(), parts.len())?;
    if let Some(stem) = last.strip_suffix(".md") {
        if !is_index_name(last) {
            let s = slug(stem);
            if s.is_empty() {
                return None;
            }
            comps.push(s);
        }
    } else if last.contains('.') {
        comps.push((*last).to_string());
    } else {
        comps.push(slug(last));
    }
    Some(comps.join("/"))
}

/// Folder names as web addresses (slugs); `None` when one makes none.
fn folders<'a>(dirs: impl Iterator<Item = &'a str>, room: usize) -> Option<Vec<String>> {
    let mut comps: Vec<String> = Vec::with_capacity(room);
    for d in dirs {
        let s = slug(d);
        if s.is_empty() {
            return None;
        }
        comps.push(s);
    }
    Some(comps)
}

/// Where a file below `content/` that is copied as it is (an image, a
/// PDF) is published: its folders as [`address_of`] makes them, its name
/// as it is; `None` for a hidden file (`.DS_Store`) or a folder that makes
/// no address.
pub(crate) fn asset(parts: &[String]) -> Option<String> {
    let (file, dirs) = parts.split_last()?;
    if file.starts_with('.') {
        return None;
    }
    let mut comps = folders(dirs.iter().map(String::as_str), parts.len())?;
    comps.push(file.clone());
    Some(comps.join("/"))
}

/// The URL of `address` (a page's or section's path, else a file's) from
/// the page published at `from`, relative: `x` from `a/page` is `../x/`.
pub(crate) fn relative(from: &str, address: &str, is_file: bool) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = address.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    url.push_str(&to[common..].join("/"));
    if !is_file && !url.is_empty() && !url.ends_with('/') {
        url.push('/');
    }
    if url.is_empty() {
        url.push_str("./");
    }
    url
}

/// The file names of a folder's own page: a section page, like `_index.md`.
pub(crate) fn is_index_name(name: &str) -> bool {
    name == "_index.md" || name == "index.md" || name.eq_ignore_ascii_case("readme.md")
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
    /// `SITE_PAGES` lists the first component of every fixed address.
    #[test]
    fn site_pages_are_the_fixed_addresses() {
        let mut made: Vec<&str> = (FIXED_PAGES.iter().chain([&SEARCH]))
            .map(|a| path_of(a).split('/').next().unwrap_or_default())
            .filter(|p| !p.is_empty())
            .chain([FEED, CSV, PILOTS_CSV, JSON, SITEMAP, NOT_FOUND])
            .collect();
        let mut listed = SITE_PAGES.to_vec();
        made.sort_unstable();
        made.dedup();
        listed.sort_unstable();
        assert_eq!(made, listed);
    }

    use super::*;

    #[test]
    fn pages_have_folder_addresses() {
        assert_eq!(pilot("a"), "pilots/a/");
        assert_eq!(pilot_parts("a").concat(), pilot("a"));
        assert_eq!(pilot_path("a"), "pilots/a");
        assert_eq!(pilot_section("a", "lessons-learned"), "pilots/a/#lessons-learned");
        assert_eq!(constraint_parts("a", "c1").concat(), "pilots/a/#c-c1");
        assert_eq!(constraint_parts("a", "c1"), ["pilots/", "a", "/#c-", "c1"]);
        assert_eq!(library_entry_parts(&list_page_suffix(3), "a", "c1").concat(), "constraints/page/3/#a--c1");
        assert_eq!(list_filtered(LESSONS, "category", "data & more"), "lessons/?category=data%20%26%20more");
        assert_eq!(list_page(CONSTRAINTS, 1), "constraints/");
        assert_eq!(list_page(&owner("maria"), 2), "owners/maria/page/2/");
        assert_eq!(file_of(&list_page(PILOTS, 2)), "pilots/page/2/index.html");
        assert_eq!(pilot_of(&file_of(&list_page(PILOTS, 2))), None);
        assert_eq!(owner_parts("maria").concat(), owner("maria"));
        assert_eq!(page_parts("playbook/x").concat(), page("playbook/x"));
        assert_eq!(library_entry_parts("", "a", "c1").concat(), "constraints/#a--c1");
        assert_eq!(library_anchor_parts("a", "c1").concat(), "a--c1");
        assert_eq!(owner("maria"), "owners/maria/");
        assert_eq!(sponsor_decisions(Some("maria"), 1), "owners/maria/decisions/");
        assert_eq!(sponsor_decisions(Some("maria"), 3), "owners/maria/decisions/3/");
        assert_eq!(sponsor_decisions(None, 2), "portfolio/decisions/no-sponsor/2/");
        assert_eq!(tag("ocr"), "tags/ocr/");
        assert_eq!(chart("funnel"), "portfolio/funnel.svg");
        assert_eq!(page("playbook/x"), "playbook/x/");
        assert_eq!(page(""), "");
        assert_eq!(named_page_parts("playbook/x").concat(), "playbook/x/");
        assert_eq!(named_page_parts("").concat(), "/");
        assert_eq!(path_of("pilots/a/"), "pilots/a");
        assert!(is_generated_section("pilots") && is_generated_section("lessons") && !is_generated_section("tags"));
        assert_eq!(FIXED_PAGES.len(), 9);
        assert_eq!(changes_week(crate::date::Date::parse("2026-03-16").unwrap()), "changes/2026-03-16/");
    }

    #[test]
    fn files_of_addresses_and_back() {
        for (address, file) in [
            ("", "index.html"),
            ("pilots/a/", "pilots/a/index.html"),
            ("constraints/", "constraints/index.html"),
            ("feed.xml", "feed.xml"),
            ("playbook/img/x.png", "playbook/img/x.png"),
        ] {
            assert_eq!(file_of(address), file);
            assert_eq!(address_of_file(file), address);
        }
        assert_eq!(file_of_page(""), "index.html");
        assert_eq!(file_of_page("pilots/a"), "pilots/a/index.html");
        assert_eq!(file_of(NOT_FOUND), "404.html");
        assert_eq!(pilot_file("a"), file_of(&pilot("a")));
        assert_eq!(tag_file("a"), file_of(&tag("a")));
        assert_eq!(address_of_file("notindex.html"), "notindex.html");
    }

    #[test]
    fn links_without_a_file_name() {
        assert_eq!(without_file("old/index.html"), "old/");
        assert_eq!(without_file("old.html"), "old");
        assert_eq!(without_file("old/"), "old/");
        assert!(is_page_file("index.html") && !is_page_file("x.html"));
    }

    #[test]
    fn outside_links() {
        assert_eq!(absolute("https://x.example/ai", &pilot_parts("a")), "https://x.example/ai/pilots/a/");
        assert_eq!(absolute("", &[PILOTS]), "/pilots/");
        assert_eq!(feed_base(""), "");
        assert_eq!(feed_base("https://x.example/ai/"), "https://x.example/ai/");
        assert_eq!(base_root(""), "/");
        assert_eq!(base_root("https://intranet.example"), "/");
        assert_eq!(base_root("https://intranet.example/ai/"), "/ai/");
    }

    #[test]
    fn roots() {
        assert_eq!(root_of(""), "");
        assert_eq!(root_of("playbook/a"), "../../");
        assert_eq!(root_of("pilots/a/"), "../../");
        assert_eq!(root_of(&pilot("x")), PILOT_ROOT);
        assert_eq!(root_of(PILOTS), "../");
    }

    #[test]
    fn rebases_links() {
        let html = r##"<p><a href="../../playbook/a/">a</a> <a href="../b/#x">b</a> <img src="img/x.png" alt=""> <a href="https://e.example/">e</a> <a href="#top">t</a> <a href="../../../up">u</a> <a href="./">me</a></p>"##;
        assert_eq!(
            rebase(html, "pilots/a", "lessons"),
            r##"<p><a href="../playbook/a/">a</a> <a href="../pilots/b/#x">b</a> <img src="../pilots/a/img/x.png" alt=""> <a href="https://e.example/">e</a> <a href="#top">t</a> <a href="../../../up">u</a> <a href="../pilots/a/">me</a></p>"##
        );
        assert_eq!(rebase(html, "lessons", "lessons"), html);
        assert_eq!(rebase("<p>no links</p>", "pilots/a", "lessons"), "<p>no links</p>");
        assert_eq!(rebase(r#"<a href="../x/">x</a>"#, "lessons/first", "lessons"), r#"<a href="x/">x</a>"#);
        assert_eq!(rebase(r#"<a href="../">up</a>"#, "lessons/first", "lessons"), r#"<a href="./">up</a>"#);
    }

    #[test]
    fn parses_output_paths() {
        assert_eq!(parse("pilots/a/index.html"), Parsed::Pilot("a"));
        assert_eq!(pilot_of(&file_of(&pilot("a-1"))), Some("a-1"));
        for other in
            ["pilots/index.html", "pilots//index.html", "pilots/a/b/index.html", "pilots/a/x.png", "index.html"]
        {
            assert_eq!(parse(other), Parsed::Other, "{other}");
        }
    }

    #[test]
    fn content_files() {
        assert_eq!(address_of(&[]).as_deref(), Some(""));
        assert_eq!(address_of(&["playbook", "My Page.md"]).as_deref(), Some("playbook/my-page"));
        assert_eq!(address_of(&["playbook", "_index.md"]).as_deref(), Some("playbook"));
        assert_eq!(address_of(&["playbook", "Img", "x.PNG"]).as_deref(), Some("playbook/img/x.PNG"));
        assert_eq!(address_of(&["playbook", "!!", "x.md"]), None);
        let parts = |p: &str| p.split('/').map(String::from).collect::<Vec<_>>();
        assert_eq!(asset(&parts("playbook/Img/x.png")).as_deref(), Some("playbook/img/x.png"));
        assert_eq!(asset(&parts("playbook/.DS_Store")), None);
        assert_eq!(asset(&parts("!!/x.png")), None);
        assert_eq!(asset(&parts("Docs/LICENSE")).as_deref(), Some("docs/LICENSE"));
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative("playbook/a/page", "playbook/a/x", false), "../x/");
        assert_eq!(relative("playbook/a/page", "playbook/a/img/x.png", true), "../img/x.png");
        assert_eq!(relative("playbook/a/page", "playbook/a/page", false), "./");
        assert_eq!(relative("playbook/b", "playbook/b/c", false), "c/");
        assert_eq!(relative("", "", false), "./");
        assert_eq!(relative("playbook/a", "constraints", false), "../../constraints/");
    }
}
