//! Long lists split into pages: how many rows a page holds, which rows
//! page `n` shows, and the links between the pages of a list. Each page is
//! a file of its own, so that no page is large at any size of portfolio and
//! every row is reached by following links without JavaScript.

use crate::library_order::Order;
use crate::model::{Constraint, Pilot, Site};
use crate::urls;
use serde::Serialize;

/// Rows of a constraint or pilot table on one page (about 1 KB each).
pub(crate) const ROWS: usize = 250;
/// Lessons on one page of the lessons list (each a section of HTML).
pub(crate) const LESSONS: usize = 100;

/// How many pages a list of `len` items makes, `per` a page: at least one.
pub(crate) fn count(len: usize, per: usize) -> usize {
    len.div_ceil(per).max(1)
}

/// The items page `page` (from 0) of a list shows.
pub(crate) fn slice<T>(items: &[T], page: usize, per: usize) -> &[T] {
    let from = (page * per).min(items.len());
    &items[from..(from + per).min(items.len())]
}

/// Pages a pager links to either side of the one shown (besides the
/// first and the last).
const AROUND: usize = 2;

/// The links between the pages of the list at `address`, on page `page`
/// (from 0) of a list of `total` items, `per` a page: the previous and
/// next, and the first, the last and those within [`AROUND`] of this one.
/// A link to every page from every page would grow as the square of the
/// list (1,270 links on each of 1,271 pages of the library at 50,000
/// pilots); the script that fetches every page makes their addresses
/// from [`Pager::pattern`].
pub(crate) fn pager(address: &str, page: usize, per: usize, total: usize) -> Pager {
    let pages = count(total, per);
    let url = |n: usize| urls::list_page(address, n + 1);
    let mut shown = vec![0, pages - 1];
    shown.extend(page.saturating_sub(AROUND)..(page + AROUND + 1).min(pages));
    shown.sort_unstable();
    shown.dedup();
    let links = (shown.iter().enumerate())
        .map(|(k, &n)| PageLink { number: n + 1, url: url(n), current: n == page, gap: k > 0 && shown[k - 1] + 1 < n })
        .collect();
    Pager {
        page: page + 1,
        pages,
        first: if total == 0 { 0 } else { page * per + 1 },
        last: ((page + 1) * per).min(total),
        total,
        prev: if page > 0 { url(page - 1) } else { String::new() },
        next: if page + 1 < pages { url(page + 1) } else { String::new() },
        links,
        address: address.to_string(),
        pattern: urls::list_page_pattern(address),
    }
}

/// Where each constraint's row is in the paged library, for links to it
/// from other pages (`constraints/page/3/#PILOT--C`).
#[derive(Clone, Copy)]
pub(crate) struct LibraryLinks<'a> {
    pub order: &'a Order,
    /// [`urls::list_page_suffix`] of every page of the library.
    pub suffixes: &'a [String],
}

impl<'a> LibraryLinks<'a> {
    /// The suffixes of the library's pages, for [`LibraryLinks::suffixes`],
    /// when it holds `constraints` rows.
    pub(crate) fn suffixes(constraints: usize) -> Vec<String> {
        (1..=count(constraints, ROWS)).map(urls::list_page_suffix).collect()
    }
}

/// Where a constraint row links in the paged library.
#[derive(Clone, Copy)]
pub(crate) enum RowLinks<'a> {
    /// Every constraint's place, from the library order.
    Library(LibraryLinks<'a>),
    /// The places of one pilot's constraints (in the order of its
    /// constraints), counted by `library_order::count_places` where the
    /// whole order is not made: the same places.
    Counted { pilot: &'a Pilot, places: &'a [usize], suffixes: &'a [String] },
}

impl<'a> From<LibraryLinks<'a>> for RowLinks<'a> {
    fn from(library: LibraryLinks<'a>) -> Self {
        RowLinks::Library(library)
    }
}

impl<'a> RowLinks<'a> {
    /// The suffix of the library page that shows `c`, a constraint of `p`.
    pub(crate) fn page_of(&self, site: &Site, p: &Pilot, c: &Constraint) -> &'a str {
        let (place, suffixes) = match *self {
            RowLinks::Library(LibraryLinks { order, suffixes }) => (order.position_of(site, p, c), suffixes),
            RowLinks::Counted { pilot, places, suffixes } => {
                debug_assert!(std::ptr::eq(pilot, p), "counted places are one pilot's");
                (p.constraint_index(c).and_then(|j| places.get(j).copied()).unwrap_or(0), suffixes)
            }
        };
        suffixes.get(place / ROWS).map_or("", String::as_str)
    }
}

/// The links between the pages of a paged list.
#[derive(Serialize, Clone)]
pub struct Pager {
    /// This page and how many there are, from 1.
    pub page: usize,
    pub pages: usize,
    /// The rows this page shows (from 1; 0 when the list is empty) and how
    /// many the list holds.
    pub first: usize,
    pub last: usize,
    pub total: usize,
    /// The previous and next pages, relative to the root, or empty.
    pub prev: String,
    pub next: String,
    /// The pages linked to, in order (see [`pager`]).
    pub links: Vec<PageLink>,
    /// The first page's address, relative to the root.
    pub address: String,
    /// The address of each later page, relative to the root, with `{n}`
    /// for its number ([`urls::list_page_pattern`]).
    pub pattern: String,
}

#[derive(Serialize, Clone)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out between this link and the one before.
    pub gap: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_list() {
        assert_eq!((count(0, 10), count(10, 10), count(11, 10)), (1, 1, 2));
        let items: Vec<usize> = (0..25).collect();
        assert_eq!(slice(&items, 2, 10), &[20, 21, 22, 23, 24]);
        assert!(slice(&items, 3, 10).is_empty());
        let p = pager("constraints/", 1, 10, 25);
        assert_eq!((p.page, p.pages, p.first, p.last, p.total), (2, 3, 11, 20, 25));
        assert_eq!((p.prev.as_str(), p.next.as_str()), ("constraints/", "constraints/page/3/"));
        assert!(p.links[1].current && p.links.len() == 3 && !p.links.iter().any(|l| l.gap));
        // A long list: the first, the last, and two either side.
        let long = pager("constraints/", 49, 10, 1000);
        let numbers: Vec<(usize, bool)> = long.links.iter().map(|l| (l.number, l.gap)).collect();
        assert_eq!(numbers, [(1, false), (48, true), (49, false), (50, false), (51, false), (52, false), (100, true)]);
        assert_eq!(long.links[3].url, "constraints/page/50/");
        for at in [0, 1, 2, 3, 97, 98, 99] {
            let p = pager("constraints/", at, 10, 1000);
            assert!(p.links.windows(2).all(|w| w[0].number < w[1].number), "page {at}");
            assert_eq!(p.links.iter().filter(|l| l.current).count(), 1);
            assert!(p.links.len() <= 2 * AROUND + 3);
        }
        // Every page's address is the pattern's, the first the list's own.
        assert_eq!(long.address, crate::urls::list_page("constraints/", 1));
        for n in 2..12 {
            let made = long.pattern.replace(crate::urls::PAGE_NUMBER, &n.to_string());
            assert_eq!(made, crate::urls::list_page("constraints/", n));
        }
        let empty = pager("pilots/", 0, 10, 0);
        assert_eq!((empty.first, empty.last, empty.pages, empty.next.as_str()), (0, 0, 1, ""));
    }
}
