//! Sections and pages: breadcrumbs, the sidebar tree of a top-level
//! section, and previous/next in reading order.

use super::views::*;
use crate::model::{Child, Site};

fn url(path: &str) -> String {
    crate::urls::page(path)
}

/// The top-level section a section belongs to, as a nav url.
pub(super) fn top_url(site: &Site, mut s: usize) -> String {
    while let Some(p) = site.sections[s].parent {
        s = p;
    }
    url(&site.sections[s].path)
}

fn top(site: &Site, mut s: usize) -> usize {
    while let Some(p) = site.sections[s].parent {
        s = p;
    }
    s
}

/// The top section and everything below it in reading order, as children.
fn reading_order(site: &Site, s: usize, depth: usize, out: &mut Vec<(Child, usize)>) {
    out.push((Child::Section(s), depth));
    for &c in &site.sections[s].children {
        match c {
            Child::Page(_) => out.push((c, depth + 1)),
            Child::Section(i) => reading_order(site, i, depth + 1, out),
        }
    }
}

fn title_url(site: &Site, c: Child) -> (String, String) {
    match c {
        Child::Page(i) => (site.pages[i].title.clone(), url(&site.pages[i].path)),
        Child::Section(i) => (site.sections[i].title.clone(), url(&site.sections[i].path)),
    }
}

struct Around {
    sidebar: Vec<NavItem>,
    prev: Option<Link>,
    next: Option<Link>,
    breadcrumbs: Vec<Link>,
}

fn around(site: &Site, me: Child, section: usize) -> Around {
    let mut order = Vec::new();
    reading_order(site, top(site, section), 0, &mut order);
    let pos = order.iter().position(|(c, _)| *c == me);
    let link = |i: usize| {
        let (title, url) = title_url(site, order[i].0);
        Link { title, url }
    };
    let prev = pos.and_then(|p| p.checked_sub(1)).map(link);
    let next = pos.filter(|p| p + 1 < order.len()).map(|p| link(p + 1));
    let sidebar = order
        .iter()
        .map(|&(c, depth)| {
            let (title, url) = title_url(site, c);
            NavItem { title, url, depth, is_section: matches!(c, Child::Section(_)), current: c == me }
        })
        .collect();
    let mut breadcrumbs = Vec::new();
    let mut s = match me {
        Child::Section(i) => site.sections[i].parent,
        Child::Page(_) => Some(section),
    };
    while let Some(i) = s {
        breadcrumbs.push(Link { title: site.sections[i].title.clone(), url: url(&site.sections[i].path) });
        s = site.sections[i].parent;
    }
    breadcrumbs.push(Link { title: "Home".into(), url: String::new() });
    breadcrumbs.reverse();
    Around { sidebar, prev, next, breadcrumbs }
}

pub(super) fn section_view(site: &Site, i: usize) -> SectionView {
    let s = &site.sections[i];
    let a = around(site, Child::Section(i), i);
    SectionView {
        title: s.title.clone(),
        description: s.description.clone().unwrap_or_default(),
        body_html: s.body.html.text().into_owned(),
        toc: s.body.toc.clone(),
        extra: s.extra.clone(),
        children: s
            .children
            .iter()
            .map(|&c| {
                let (title, url) = title_url(site, c);
                let description = match c {
                    Child::Page(p) => site.pages[p].description.clone(),
                    Child::Section(x) => site.sections[x].description.clone(),
                };
                ChildLink {
                    title,
                    url,
                    description: description.unwrap_or_default(),
                    is_section: matches!(c, Child::Section(_)),
                }
            })
            .collect(),
        breadcrumbs: a.breadcrumbs,
        sidebar: a.sidebar,
        prev: a.prev.into(),
        next: a.next.into(),
    }
}

/// `constraints`: the open constraints in the categories the page addresses,
/// and how many more there are.
pub(super) fn page_view<'a>(site: &Site, i: usize, constraints: (Vec<ConstraintRow<'a>>, usize)) -> PageView<'a> {
    let p = &site.pages[i];
    let a = match p.section {
        Some(s) => around(site, Child::Page(i), s),
        None => Around {
            sidebar: Vec::new(),
            prev: None,
            next: None,
            breadcrumbs: vec![Link { title: "Home".into(), url: String::new() }],
        },
    };
    PageView {
        related_lessons: Vec::new(),
        related_pilots: Vec::new(),
        tag_links: Vec::new(),
        constraints: constraints.0,
        constraints_more: constraints.1,
        addresses: p.addresses.clone(),
        title: p.title.clone(),
        description: p.description.clone().unwrap_or_default(),
        body_html: p.body.html.text().into_owned(),
        toc: p.body.toc.clone(),
        tags: p.tags.clone(),
        extra: p.extra.clone(),
        breadcrumbs: a.breadcrumbs,
        sidebar: a.sidebar,
        prev: a.prev.into(),
        next: a.next.into(),
    }
}
