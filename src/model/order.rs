//! The order of each section's children, and the titles nav files give.
//! Takes the nav files (`mkdocs.yml`, `.pages`, `SUMMARY.md`, read by
//! `nav`) and the playbook's files; returns an [`Order`]: each page's and
//! section's rank among its siblings as the navs list them (a section
//! ranks where its first page does). Children a nav does not list come
//! after, by weight, then the number their name starts with (`2-x` before
//! `10-y`), then title.

use super::nav::{self, Entry, Nav, Target};
use super::Child;
use crate::diag::{Diagnostic, Loc};
use crate::hash::{FastMap, FastSet};
use crate::links::{is_index_name, Files};
use crate::markdown::nfc;
use crate::source::{Doc, FileId, Sources};
use std::cmp::Ordering;

/// What the nav files say, by address (without slashes at either end).
#[derive(Debug, Clone, Default)]
pub(super) struct Order {
    /// Rank among siblings: lower first. Ranks of one nav are comparable.
    rank: FastMap<String, u32>,
    /// A folder's `...` (`.pages`): the rank of the children not listed.
    rest: FastMap<String, u32>,
    /// Folders whose children not listed are in reverse order.
    descending: FastSet<String>,
    titles: FastMap<String, String>,
    next: u32,
}

/// Weight (none last), the numbers the name starts with (none last), the
/// title in lowercase.
type DefaultKey = (bool, i64, bool, Vec<u64>, String);

/// What a child is sorted by when no nav lists it.
pub(super) struct Sortable<'a> {
    pub path: &'a str,
    pub weight: Option<i64>,
    /// The file or folder name (its leading number orders it).
    pub name: &'a str,
    pub title: &'a str,
}

/// The numbers a name starts with and the rest: `01-scoping` is `[1]` and
/// `scoping`, `2024-01-15-notes` is `[2024, 1, 15]` and `notes`. A number
/// counts only when `-`, `_`, `.` or a space follows it (`10x-faster` has
/// none); `-` and `_` before the first are stepped over too.
pub fn number_prefix(name: &str) -> (Vec<u64>, &str) {
    let b = name.as_bytes();
    let sep = |c: u8| matches!(c, b'-' | b'_' | b'.' | b' ');
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b'-' | b'_') {
        i += 1;
    }
    let mut rest = i;
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i == b.len() || !sep(b[i]) {
            break;
        }
        // Up to 19 digits fit; a longer run orders as the largest.
        numbers.push(name[start..i].parse().unwrap_or(u64::MAX));
        while i < b.len() && sep(b[i]) {
            i += 1;
        }
        rest = i;
    }
    (numbers, &name[rest..])
}

impl Order {
    /// Reads the nav files: each `mkdocs.yml` and `.pages` of `navs`, and
    /// the `SUMMARY.md` files read as tables of contents; an entry that
    /// names no file, or a file that cannot be read, is a PD027 warning.
    /// MkDocs navs first, then summaries, then `.pages`: where two rank
    /// one page, the first wins.
    pub(super) fn read(
        navs: &[&Doc],
        summaries: &[(&Doc, Nav)],
        sources: &Sources,
        files: &Files,
        diags: &mut Vec<Diagnostic>,
    ) -> Order {
        let mut order = Order::default();
        let mut read: Vec<(&Doc, Nav, bool)> = Vec::new();
        for doc in navs {
            let name = doc.parts.last().map_or("", String::as_str);
            let mkdocs = nav::is_mkdocs(name);
            let text = &sources.get(doc.file).text;
            let (nav, problems) = if mkdocs { nav::mkdocs(text) } else { nav::pages(text) };
            diags.extend(
                problems
                    .into_iter()
                    .map(|p| Diagnostic::new(p.rule, Loc::at(doc.file, p.span), p.message).maybe_hint(p.hint)),
            );
            read.push((doc, nav, mkdocs));
        }
        let (mkdocs, pages): (Vec<_>, Vec<_>) = read.into_iter().partition(|(_, _, m)| *m);
        for (doc, mut nav, _) in mkdocs {
            let folder = &doc.parts[..doc.parts.len() - 1];
            // `site_name` titles the folder of `mkdocs.yml` (unless a nav
            // titles it), not the folder its paths are read from.
            if let Some(name) = nav.title.take() {
                if let Some(a) = files.address(&nfc(&folder.join("/"))).filter(|a| !a.is_empty()) {
                    order.titles.entry(a.to_string()).or_insert(name);
                }
            }
            let dir = nav.docs_dir.as_deref().unwrap_or("docs");
            // `docs_dir` below the file's folder; a playbook copied without
            // its `docs/` folder (its pages beside `mkdocs.yml`): the folder.
            let base: Vec<String> = crate::links::join(folder.iter().map(String::as_str), dir)
                .map(|p| p.into_iter().map(String::from).collect::<Vec<_>>())
                .filter(|p| !p.is_empty() && files.address(&nfc(&p.join("/"))).is_some())
                .unwrap_or_else(|| folder.to_vec());
            order.apply(&nav, &base, doc.file, files, diags);
        }
        for (doc, nav) in summaries {
            order.apply(nav, &doc.parts[..doc.parts.len() - 1], doc.file, files, diags);
        }
        for (doc, nav, _) in &pages {
            order.apply(nav, &doc.parts[..doc.parts.len() - 1], doc.file, files, diags);
        }
        order
    }

    /// The title a nav gives the page or section at `path`.
    pub(super) fn title(&self, path: &str) -> Option<&str> {
        self.titles.get(path).map(String::as_str)
    }

    /// Sorts the children of the section at `parent` (`""`: the top-level
    /// sections): as the navs rank them, then the rest by weight, the
    /// number their name starts with, and title.
    pub(super) fn sort<'a>(&self, parent: &str, children: &mut Vec<Child>, of: impl Fn(Child) -> Sortable<'a>) {
        let rest = self.rest.get(parent).copied();
        let descending = self.descending.contains(parent);
        let mut keyed: Vec<(Option<u32>, DefaultKey, Child)> = children
            .iter()
            .map(|&c| {
                let s = of(c);
                let (numbers, _) = number_prefix(s.name);
                let rank = self.rank.get(s.path).copied().or(rest);
                let w = s.weight;
                (rank, (w.is_none(), w.unwrap_or(0), numbers.is_empty(), numbers, s.title.to_lowercase()), c)
            })
            .collect();
        keyed.sort_by(|a, b| {
            let by_rank = match (a.0, b.0) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            let by_default = if descending { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) };
            by_rank.then(by_default)
        });
        *children = keyed.into_iter().map(|(_, _, c)| c).collect();
    }

    /// Ranks and titles from one nav whose paths are read from the folder
    /// `base` (path components below `content/`).
    fn apply(&mut self, nav: &Nav, base: &[String], file: FileId, files: &Files, diags: &mut Vec<Diagnostic>) {
        let base_key = nfc(&base.join("/")).into_owned();
        let Some(top) = files.address(&base_key).map(String::from) else { return };
        if let Some(t) = &nav.title {
            self.titles.insert(top.clone(), t.clone());
        }
        if nav.descending {
            self.descending.insert(top.clone());
        }
        let mut flat = Vec::new();
        flatten(&nav.entries, &mut flat);
        let first = self.next;
        self.next = self.next.saturating_add(flat.len() as u32);
        // Each entry's address and the folder it stands for (a page's
        // folder, a section itself).
        let mut places: Vec<Option<String>> = vec![None; flat.len()];
        for (i, f) in flat.iter_mut().enumerate() {
            let rank = first + i as u32;
            let dest = match &f.entry.target {
                Target::Rest => {
                    self.rest.entry(top.clone()).or_insert(rank);
                    continue;
                }
                Target::File(dest) => dest,
                Target::Link | Target::None => continue,
            };
            let path = dest.split(['#', '?']).next().unwrap_or("");
            let path = percent_encoding::percent_decode_str(path).decode_utf8().unwrap_or(path.into());
            let parts = crate::links::join(base.iter().map(String::as_str), &path);
            let address = parts.as_ref().and_then(|p| files.address(&nfc(&p.join("/"))).map(String::from));
            let Some(address) = address else {
                diags.push(
                    Diagnostic::new(
                        crate::diag::Rule::NavEntry,
                        Loc::at(file, f.entry.span),
                        format!("`{dest}` in this nav names no file"),
                    )
                    .hint(format!(
                        "paths here are read from `content/{}`; pages not in the nav come after the others",
                        if base_key.is_empty() { String::new() } else { format!("{base_key}/") }
                    )),
                );
                continue;
            };
            let last = parts.as_ref().and_then(|p| p.last().copied()).unwrap_or("");
            let is_page = last.ends_with(".md") && !is_index_name(last);
            places[i] = Some(if is_page { parent(&address).to_string() } else { address.clone() });
            if address == top {
                continue;
            }
            if let Some(t) = &f.entry.title {
                self.titles.entry(address.clone()).or_insert_with(|| t.clone());
            }
            // The address, and each folder above it up to `top`.
            let mut at = address.as_str();
            loop {
                let r = self.rank.entry(at.to_string()).or_insert(rank);
                *r = (*r).min(rank);
                let up = parent(at);
                if up == at || !below(up, &top) {
                    break;
                }
                at = up;
            }
        }
        self.group_titles(&flat, &places, &top);
    }

    /// A titled group of entries (`- Section: [...]`) titles the folder its
    /// entries share, when it holds every entry in that folder.
    fn group_titles(&mut self, flat: &[Flat<'_>], places: &[Option<String>], top: &str) {
        // The first and last entry in each folder below `top`.
        let mut extent: FastMap<&str, (usize, usize)> = FastMap::default();
        for (j, p) in places.iter().enumerate() {
            let Some(mut at) = p.as_deref() else { continue };
            while below(at, top) {
                let e = extent.entry(at).or_insert((j, j));
                e.0 = e.0.min(j);
                e.1 = e.1.max(j);
                at = parent(at);
            }
        }
        let mut titled: FastSet<String> = FastSet::default();
        for (i, f) in flat.iter().enumerate() {
            let (Some(title), false) = (&f.entry.title, matches!(f.entry.target, Target::File(_))) else { continue };
            let Some(shared) = common(places[i + 1..f.end].iter().flatten().map(String::as_str)) else { continue };
            let owned = extent.get(shared).is_some_and(|&(lo, hi)| lo > i && hi < f.end);
            if owned && below(shared, top) && titled.insert(shared.to_string()) {
                self.titles.insert(shared.to_string(), title.clone());
            }
        }
    }
}

/// An entry of a nav in reading order, with the index after its last
/// descendant.
struct Flat<'e> {
    entry: &'e Entry,
    end: usize,
}

fn flatten<'e>(entries: &'e [Entry], out: &mut Vec<Flat<'e>>) {
    for e in entries {
        let i = out.len();
        out.push(Flat { entry: e, end: 0 });
        flatten(&e.children, out);
        out[i].end = out.len();
    }
}

/// The folder of an address (`""` at the top).
fn parent(address: &str) -> &str {
    address.rsplit_once('/').map_or("", |(p, _)| p)
}

/// Whether `address` is strictly below the folder `top`.
fn below(address: &str, top: &str) -> bool {
    address.len() > top.len() && address.starts_with(top) && (top.is_empty() || address.as_bytes()[top.len()] == b'/')
}

/// The deepest folder all of `places` are in or are.
fn common<'a>(mut places: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut shared = places.next()?;
    for p in places {
        while !(p == shared || below(p, shared)) {
            if shared.is_empty() {
                return Some(shared);
            }
            shared = parent(shared);
        }
    }
    Some(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_front_of_names() {
        assert_eq!(number_prefix("01-scoping"), (vec![1], "scoping"));
        assert_eq!(number_prefix("2_intro"), (vec![2], "intro"));
        assert_eq!(number_prefix("10. Last"), (vec![10], "Last"));
        assert_eq!(number_prefix("2024-01-15-notes"), (vec![2024, 1, 15], "notes"));
        assert_eq!(number_prefix("10x-faster"), (vec![], "10x-faster"));
        assert_eq!(number_prefix("2024"), (vec![], "2024"));
        assert_eq!(number_prefix("_draft"), (vec![], "draft"));
        assert_eq!(number_prefix("lessons"), (vec![], "lessons"));
    }

    #[test]
    fn folders() {
        assert_eq!(parent("a/b/c"), "a/b");
        assert_eq!(parent("a"), "");
        assert!(below("a/b", "a") && below("a", "") && !below("ab", "a") && !below("a", "a"));
        assert_eq!(common(["a/b/c", "a/b", "a/b/d/e"].into_iter()), Some("a/b"));
        assert_eq!(common(["a/b", "c"].into_iter()), Some(""));
        assert_eq!(common(std::iter::empty()), None);
    }
}
