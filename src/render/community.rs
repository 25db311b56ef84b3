//! The community of practice: lessons learned gathered from every pilot
//! record and lesson page, tags across pilots, pages and lessons, and the
//! related content of playbook pages.

use super::pilot::link;
use super::views::*;
use crate::markdown::slug;
use crate::model::Site;

fn tag_links(site: &Site, tags: &[String]) -> Vec<Link> {
    tags.iter().map(|t| Link { title: t.clone(), url: crate::urls::tag(&site.tag_slug(t)) }).collect()
}

/// Every lesson, newest first (undated last), then by title. The order is
/// found on small keys and the rows are made after, in parallel: a row is a
/// dozen strings and a section of HTML.
pub(super) fn lessons(site: &Site) -> Vec<LessonRow> {
    use rayon::prelude::*;
    /// A lessons section of a pilot record, or a lesson page.
    enum From {
        Pilot(usize, usize),
        Page(usize),
    }
    let pilot_date = |p: &crate::model::Pilot| p.facts.last_update.or(p.stages.last().map(|s| s.date)).or(p.started);
    let mut keys: Vec<(Option<crate::date::Date>, &str, From)> = Vec::new();
    for (i, p) in site.pilots.iter().enumerate() {
        let date = pilot_date(p);
        keys.extend((0..p.body.lessons.len()).map(|j| (date, p.title.as_str(), From::Pilot(i, j))));
    }
    for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.path.starts_with(crate::urls::LESSONS)) {
        keys.push((page.date, page.title.as_str(), From::Page(i)));
    }
    keys.sort_by(|a, b| a.0.is_none().cmp(&b.0.is_none()).then(b.0.cmp(&a.0)).then(a.1.cmp(b.1)));
    keys.par_iter()
        .map(|(date, _, from)| match *from {
            From::Pilot(i, j) => {
                let p = &site.pilots[i];
                let mut categories: Vec<String> = p.constraints.iter().map(|c| c.category.clone()).collect();
                categories.sort();
                categories.dedup();
                LessonRow {
                    title: p.title.clone(),
                    url: crate::urls::pilot_section(&p.id, &p.body.lessons[j].0),
                    kind: "pilot".into(),
                    pilot: p.title.clone(),
                    stage: p.stage.clone(),
                    function: p.function.clone().unwrap_or_default(),
                    date: date.map(crate::date::Date::text).unwrap_or_default(),
                    tags: tag_links(site, &p.tags),
                    tag_keys: filter_keys(&p.tags),
                    category_keys: filter_keys(&categories),
                    categories,
                    html: crate::urls::rebase(
                        &p.body.lessons[j].1,
                        &crate::urls::pilot_path(&p.id),
                        crate::urls::path_of(crate::urls::LESSONS),
                    ),
                }
            }
            From::Page(i) => {
                let page = &site.pages[i];
                LessonRow {
                    title: page.title.clone(),
                    url: crate::urls::page(&page.path),
                    kind: "page".into(),
                    pilot: String::new(),
                    stage: String::new(),
                    function: String::new(),
                    date: date.map(crate::date::Date::text).unwrap_or_default(),
                    tags: tag_links(site, &page.tags),
                    tag_keys: filter_keys(&page.tags),
                    category_keys: filter_keys(&page.addresses),
                    categories: page.addresses.clone(),
                    html: page
                        .description
                        .clone()
                        .map(|d| format!("<p>{}</p>", crate::escape::escaped(&d)))
                        .unwrap_or_else(|| {
                            crate::urls::rebase(
                                &page.body.html.text(),
                                &page.path,
                                crate::urls::path_of(crate::urls::LESSONS),
                            )
                        }),
                }
            }
        })
        .collect()
}

/// Names as a list's filter matches them: `|a|b|`.
fn filter_keys(names: &[String]) -> String {
    let mut out = String::from("|");
    for n in names {
        out.push_str(n);
        out.push('|');
    }
    out
}

/// How many lessons [`lessons`] finds, without making them.
pub(super) fn lesson_count(site: &Site) -> usize {
    let sections: usize = site.pilots.iter().map(|p| p.body.lessons.len()).sum();
    sections + site.pages.iter().filter(|p| p.path.starts_with(crate::urls::LESSONS)).count()
}

/// The lessons under each of the names `names` gives a lesson, grouped by
/// `key` of the name (so names that differ only as their key does share a
/// group, under the first one met), in the order of the keys. Each name is
/// keyed once: a few names recur across thousands of lessons.
fn group<'a, I: Iterator<Item = &'a str>>(
    lessons: &'a [LessonRow],
    names: impl Fn(&'a LessonRow) -> I,
    key: impl Fn(&str) -> String,
) -> Vec<LessonGroup> {
    let mut by_name: crate::hash::FastMap<&str, usize> = crate::hash::FastMap::default();
    let mut by_key: crate::hash::FastMap<String, usize> = crate::hash::FastMap::default();
    let mut groups: Vec<LessonGroup> = Vec::new();
    for (i, l) in lessons.iter().enumerate() {
        for name in names(l) {
            let g = *by_name.entry(name).or_insert_with(|| {
                *by_key.entry(key(name)).or_insert_with_key(|id| {
                    groups.push(LessonGroup {
                        name: name.to_string(),
                        id: id.clone(),
                        url: String::new(),
                        lessons: Vec::new(),
                    });
                    groups.len() - 1
                })
            });
            let g = &mut groups[g];
            if g.lessons.last() != Some(&i) {
                g.lessons.push(i);
            }
        }
    }
    groups.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    groups
}

pub(super) fn lessons_view(site: &Site) -> LessonsView {
    let lessons = lessons(site);
    let mut by_tag =
        group(&lessons, |l| l.tags.iter().map(|t| t.title.as_str()), |t| format!("tag-{}", site.tag_slug(t)));
    let mut by_category =
        group(&lessons, |l| l.categories.iter().map(String::as_str), |c| format!("category-{}", slug(c)));
    for g in &mut by_tag {
        g.url = crate::urls::tag(g.id.trim_start_matches("tag-"));
    }
    for g in &mut by_category {
        g.url = crate::urls::list_filtered(crate::urls::LESSONS, "category", &g.name);
    }
    let intro_html = site.section_at(crate::urls::LESSONS).map(|s| s.body.html.text().into_owned()).unwrap_or_default();
    let mut stages: Vec<&str> = lessons.iter().map(|l| l.stage.as_str()).filter(|s| !s.is_empty()).collect();
    let mut functions: Vec<&str> = lessons.iter().map(|l| l.function.as_str()).filter(|s| !s.is_empty()).collect();
    for v in [&mut stages, &mut functions] {
        v.sort_unstable();
        v.dedup();
    }
    let filters = Filters {
        stages: stages.into_iter().map(String::from).collect(),
        functions: functions.into_iter().map(String::from).collect(),
        categories: by_category.iter().map(|g| g.name.clone()).collect(),
        tags: by_tag.iter().map(|g| g.name.clone()).collect(),
        ..Filters::default()
    };
    LessonsView { intro_html, lessons, by_tag, by_category, filters }
}

/// Every tag: its name as first written, and what carries it.
pub(super) struct Tag {
    pub name: String,
    pub slug: String,
    pub pilots: Vec<usize>,
    pub pages: Vec<usize>,
}

pub(super) fn tags(site: &Site) -> Vec<Tag> {
    // Each tag as written is looked up once by its slug: the same few tags
    // recur across thousands of records.
    let mut written: crate::hash::FastMap<&str, usize> = crate::hash::FastMap::default();
    let mut by_slug: crate::hash::FastMap<String, usize> = crate::hash::FastMap::default();
    let mut tags: Vec<Tag> = Vec::new();
    let pilots = site.pilots.iter().enumerate().flat_map(|(i, p)| p.tags.iter().map(move |t| (t, true, i)));
    let pages = site.pages.iter().enumerate().flat_map(|(i, p)| p.tags.iter().map(move |t| (t, false, i)));
    for (t, is_pilot, i) in pilots.chain(pages) {
        let k = match written.get(t.as_str()) {
            Some(&k) => k,
            None => {
                let slug = site.tag_slug(t);
                let k = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    tags.push(Tag { name: t.to_string(), slug, pilots: Vec::new(), pages: Vec::new() });
                    tags.len() - 1
                });
                written.insert(t, k);
                k
            }
        };
        let list = if is_pilot { &mut tags[k].pilots } else { &mut tags[k].pages };
        // Tags come in index order: a repeat is the last one.
        if list.last() != Some(&i) {
            list.push(i);
        }
    }
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

/// The lessons that carry the tag `slug` (indexes into `lessons.lessons`,
/// ascending): the lessons page's group of that tag, made once per build,
/// rather than a walk over every lesson.
fn tagged<'a>(lessons: &'a LessonsView, slug: &str) -> &'a [usize] {
    let key = format!("tag-{slug}");
    lessons.by_tag.binary_search_by(|g| g.id.as_str().cmp(&key)).map_or(&[][..], |i| &lessons.by_tag[i].lessons[..])
}

pub(super) fn tags_view(tags: &[Tag], lessons: &LessonsView) -> TagsView {
    TagsView {
        tags: tags
            .iter()
            .map(|t| {
                // Lessons sections of pilot records count too (lesson pages
                // are among the tag's pages already).
                let sections = tagged(lessons, &t.slug).iter().filter(|&&i| lessons.lessons[i].kind == "pilot").count();
                let count = t.pilots.len() + t.pages.len() + sections;
                TagRow { name: t.name.clone(), url: crate::urls::tag(&t.slug), count }
            })
            .collect(),
    }
}

pub(super) fn tag_view(site: &Site, config: &crate::config::Config, tag: &Tag, lessons: &LessonsView) -> TagView {
    let group = tagged(lessons, &tag.slug);
    let sort = |value: &str, words: &str| Link { url: value.into(), title: words.into() };
    TagView {
        filters: Filters {
            stages: if tag.pilots.is_empty() { Vec::new() } else { config.stages.clone() },
            sorts: vec![sort("title:asc", "Title"), sort("stage:asc", "Stage")],
            ..Filters::default()
        },
        name: tag.name.clone(),
        pilots: tag.pilots.iter().map(|&i| link(&site.pilots[i])).collect(),
        pages: tag
            .pages
            .iter()
            .map(|&i| Link { title: site.pages[i].title.clone(), url: crate::urls::page(&site.pages[i].path) })
            .collect(),
        lessons: group
            .iter()
            .map(|&i| &lessons.lessons[i])
            .map(|l| Link { title: l.title.clone(), url: l.url.clone() })
            .collect(),
    }
}

/// Lessons and pilots that share a page's tags or the categories it addresses.
pub(super) fn related(
    site: &Site,
    page: &crate::model::Page,
    lessons: &LessonsView,
    tags: &[Tag],
    by_category: &crate::hash::FastMap<String, Vec<usize>>,
) -> (Vec<Link>, Vec<PilotLink>, Vec<Link>) {
    let slugs: Vec<String> = page.tags.iter().map(|t| site.tag_slug(t)).collect();
    // The lessons and pilots of each of the page's tags and categories, from
    // the lists made once for the site; the first ten of their union.
    let lesson_lists = slugs
        .iter()
        .map(|s| tagged(lessons, s))
        .chain(lessons.by_category.iter().filter(|g| page.addresses.contains(&g.name)).map(|g| &g.lessons[..]));
    let own = crate::urls::page(&page.path);
    let rel_lessons = first(lesson_lists, 11, |&i| lessons.lessons[i].url != own)
        .into_iter()
        .take(10)
        .map(|i| Link { title: lessons.lessons[i].title.clone(), url: lessons.lessons[i].url.clone() })
        .collect();
    let pilot_lists = tags
        .iter()
        .filter(|t| slugs.contains(&t.slug))
        .map(|t| &t.pilots[..])
        .chain(page.addresses.iter().filter_map(|c| by_category.get(c)).map(|v| &v[..]));
    let rel_pilots = first(pilot_lists, 10, |_| true).into_iter().map(|i| link(&site.pilots[i])).collect();
    (rel_lessons, rel_pilots, tag_links(site, &page.tags))
}

/// The `n` smallest of the indexes in `lists` (each ascending) that `keep`.
fn first<'a>(lists: impl Iterator<Item = &'a [usize]>, n: usize, keep: impl Fn(&usize) -> bool) -> Vec<usize> {
    let mut all: Vec<usize> = lists.flat_map(|l| l.iter().filter(|i| keep(i)).take(n).copied()).collect();
    all.sort_unstable();
    all.dedup();
    all.truncate(n);
    all
}

/// The pilots with a constraint in each category, ascending.
pub(super) fn pilots_by_category(site: &Site) -> crate::hash::FastMap<String, Vec<usize>> {
    let mut out: crate::hash::FastMap<String, Vec<usize>> = crate::hash::FastMap::default();
    for (i, p) in site.pilots.iter().enumerate() {
        for c in &p.constraints {
            let list = match out.get_mut(&c.category) {
                Some(list) => list,
                None => out.entry(c.category.clone()).or_default(),
            };
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::first;

    #[test]
    fn first_of_a_union_of_ascending_lists() {
        let (a, b) = (vec![1, 4, 9, 12], vec![2, 4, 5, 30]);
        assert_eq!(first([&a[..], &b[..]].into_iter(), 4, |_| true), [1, 2, 4, 5]);
        assert_eq!(first([&a[..], &b[..]].into_iter(), 3, |&i| i != 2), [1, 4, 5]);
        assert!(first(std::iter::empty(), 10, |_| true).is_empty());
    }
}
