//! The constraint library and the people pages: every constraint of every
//! pilot, overdue first, grouped by category, owner and pilot; and every
//! named person with what they own.

use super::paging::{self, LibraryLinks};
use super::pilot::{constraint_row, link};
use super::views::*;
use crate::config::Config;
use crate::model::{Constraint, Person, Pilot, Site};

/// Every constraint with its pilot.
fn all(site: &Site) -> impl Iterator<Item = (&Pilot, &Constraint)> {
    site.pilots.iter().flat_map(|p| p.constraints.iter().map(move |c| (&**p, c)))
}

/// Open constraints in any of `categories`, most pressing first: at most
/// `limit` rows, and how many more there are.
pub(super) fn open_in<'a>(
    site: &'a Site,
    library: LibraryLinks<'a>,
    categories: &[String],
    limit: usize,
) -> (Vec<ConstraintRow<'a>>, usize) {
    let (found, more) = library.order.open_in(site, categories, limit);
    (found.into_iter().map(|(p, c)| constraint_row(p, c, site, library.into())).collect(), more)
}

/// The choices of the library's filters: made once for its pages.
pub(super) fn filters(site: &Site, config: &Config) -> Filters {
    // Each name once (a set: a few names recur across 60,000 constraints
    // at 10,000 pilots of the mix, where sorting them all compared names a
    // million times), then sorted.
    let distinct = |names: &mut dyn Iterator<Item = &str>| -> Vec<String> {
        let set: crate::hash::FastSet<&str> = names.collect();
        let mut v: Vec<&str> = set.into_iter().collect();
        v.sort_unstable();
        v.into_iter().map(String::from).collect()
    };
    let functions = distinct(&mut site.pilots.iter().filter_map(|p| p.function.as_deref()));
    let owners = distinct(&mut all(site).filter_map(|(_, c)| c.owner.as_deref()));
    Filters {
        stages: config.stages.clone(),
        functions,
        owners,
        categories: config.categories.clone(),
        statuses: ["overdue", "open", "resolved"].map(String::from).to_vec(),
        rungs: config.escalation.iter().map(|r| r.to.to_string()).collect(),
        ..Filters::default()
    }
}

/// How many of the first `n` constraints of library order are in each
/// group (overdue, open, resolved), where the groups have `sizes`.
fn split(from: usize, to: usize, sizes: [usize; 3]) -> [(usize, usize); 3] {
    let mut start = 0;
    sizes.map(|size| {
        let (a, b) = (start, start + size);
        start = b;
        (from.clamp(a, b), to.clamp(a, b))
    })
}

fn ladder_days(config: &Config) -> String {
    config.escalation.iter().map(|r| r.after_days.to_string()).collect::<Vec<_>>().join(",")
}

/// Per category: counts, pilots hit, median days to resolve, playbook pages.
pub(super) fn categories(site: &Site, config: &Config) -> Vec<CategoryView> {
    /// One category's counts as the walk goes.
    #[derive(Clone, Default)]
    struct Counts {
        open: usize,
        overdue: usize,
        resolved: usize,
        pilots: usize,
        /// The last pilot counted (its constraints come together).
        last: Option<usize>,
        days: Vec<i64>,
    }
    // One walk over every constraint, each counted in the rows of its
    // category (a category the config lists twice has two rows).
    let mut counts = vec![Counts::default(); config.categories.len()];
    let at = config.category_places();
    for (i, p) in site.pilots.iter().enumerate() {
        for c in &p.constraints {
            for &k in at.get(c.category.as_str()).into_iter().flatten() {
                let n = &mut counts[k];
                n.open += usize::from(c.open);
                n.overdue += usize::from(c.overdue_days.is_some());
                n.resolved += usize::from(!c.open);
                if n.last != Some(i) {
                    n.pilots += 1;
                    n.last = Some(i);
                }
                n.days.extend(c.days_to_resolve);
            }
        }
    }
    (config.categories.iter().zip(counts))
        .map(|(cat, n)| {
            let playbook = site
                .pages
                .iter()
                .filter(|pg| pg.addresses.contains(cat))
                .map(|pg| Link { title: pg.title.clone(), url: crate::urls::page(&pg.path) })
                .collect();
            CategoryView {
                url: crate::urls::list_filtered(crate::urls::CONSTRAINTS, "category", cat),
                name: cat.clone(),
                open: n.open,
                overdue: n.overdue,
                resolved: n.resolved,
                pilots: n.pilots,
                median_days_to_resolve: crate::model::median(n.days).map_or("—".into(), |m| {
                    if m.fract() == 0.0 {
                        format!("{m:.0}")
                    } else {
                        format!("{m:.1}")
                    }
                }),
                playbook,
                recurring: n.pilots >= config.recurring_pilots,
            }
        })
        .collect()
}

/// The rows of a constraint table, from pilot and constraint indexes.
pub(super) type RenderRows<'a> = dyn Fn(&[(usize, usize)]) -> Result<RowsHtml, super::TemplateError> + 'a;

/// How many of the people and pilots with the most overdue constraints the
/// library's first page lists.
const TOP: usize = 20;

/// Page `page` (from 0) of the constraint library; the summary (figures,
/// categories, owners and pilots) is on the first page only.
pub(super) fn library_view(
    site: &Site,
    config: &Config,
    library: LibraryLinks,
    page: usize,
    filters: Filters,
    rows: &RenderRows,
) -> Result<LibraryView, super::TemplateError> {
    let order = library.order;
    let groups = order.groups(site);
    let [overdue, open, resolved] = groups.map(<[_]>::len);
    let (from, to) = (page * paging::ROWS, ((page + 1) * paging::ROWS).min(order.len()));
    let [a, b, c] = split(from, to, [overdue, open, resolved]);
    let group_rows = |(x, y): (usize, usize), total: usize| {
        rows(order.slice(x, y)).map(|mut html| {
            html.total = total;
            html
        })
    };
    let first = page == 0;
    let categories = if first { categories(site, config) } else { Vec::new() };
    let mut recurring: Vec<CategoryView> = categories.iter().filter(|c| c.recurring).cloned().collect();
    recurring.sort_by(|a, b| b.pilots.cmp(&a.pilots).then(a.name.cmp(&b.name)));
    let (mut by_owner, by_pilot, pilots) = if first { groups_by(site) } else { (Vec::new(), Vec::new(), 0) };
    let by_owner_more = by_owner.len().saturating_sub(TOP);
    let by_pilot_more = pilots.saturating_sub(TOP);
    by_owner.truncate(TOP);
    let group_page = |name: &str, id: &str, at: usize, count: usize| {
        let address = crate::urls::list_page(crate::urls::CONSTRAINTS, at / paging::ROWS + 1);
        GroupPage { name: name.into(), count, url: [address.as_str(), "#", id].concat() }
    };
    Ok(LibraryView {
        total: order.len(),
        open: overdue + open,
        overdue,
        resolved,
        escalated: site
            .portfolio
            .escalated
            .iter()
            .map(|r| RungRow { to: r.to.to_string(), after_days: r.after_days, count: r.count })
            .collect(),
        ladder_days: ladder_days(config),
        overdue_rows: group_rows(a, overdue)?,
        open_rows: group_rows(b, open)?,
        resolved_rows: group_rows(c, resolved)?,
        categories,
        recurring,
        by_owner,
        by_owner_more,
        by_pilot,
        by_pilot_more,
        pager: paging::pager(crate::urls::CONSTRAINTS, page, paging::ROWS, order.len()),
        group_pages: vec![
            group_page("Overdue", "overdue", 0, overdue),
            group_page("Open, within their due date", "open", overdue, open),
            group_page("Resolved", "resolved", overdue + open, resolved),
        ],
        filters,
    })
}

/// Counts of constraints by owner (everyone) and by pilot (the first
/// [`TOP`], and how many pilots have a constraint), most overdue first.
fn groups_by(site: &Site) -> (Vec<GroupRow>, Vec<GroupRow>, usize) {
    let count = |cs: &mut dyn Iterator<Item = &Constraint>| -> (usize, usize, usize) {
        cs.fold((0, 0, 0), |(o, d, r), c| {
            (o + usize::from(c.open), d + usize::from(c.overdue_days.is_some()), r + usize::from(!c.open))
        })
    };
    let mut by_owner: Vec<GroupRow> = site
        .people
        .iter()
        .filter(|person| !person.constraints.is_empty())
        .map(|person| {
            let (open, overdue, resolved) =
                count(&mut person.constraints.iter().map(|&(p, c)| &site.pilots[p].constraints[c]));
            GroupRow { title: person.name.clone(), url: crate::urls::owner(&person.slug), open, overdue, resolved }
        })
        .collect();
    let nobody = count(&mut all(site).map(|(_, c)| c).filter(|c| c.owner.is_none()));
    if nobody.0 + nobody.2 > 0 {
        let (open, overdue, resolved) = nobody;
        by_owner.push(GroupRow { title: "Nobody named".into(), url: String::new(), open, overdue, resolved });
    }
    by_owner.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)).then(a.title.cmp(&b.title)));
    // Every pilot with a constraint counted, only the first `TOP` (most
    // overdue, most open, by title, then in the records' order) made rows:
    // the rest are counted, not shown.
    let mut counted: Vec<(usize, usize, usize, usize)> = (site.pilots.iter().enumerate())
        .filter(|(_, p)| !p.constraints.is_empty())
        .map(|(i, p)| {
            let (open, overdue, resolved) = count(&mut p.constraints.iter());
            (i, open, overdue, resolved)
        })
        .collect();
    let order = |a: &(usize, usize, usize, usize), b: &(usize, usize, usize, usize)| {
        let title = |i: usize| site.pilots[i].title.as_str();
        (b.2.cmp(&a.2)).then(b.1.cmp(&a.1)).then_with(|| title(a.0).cmp(title(b.0))).then(a.0.cmp(&b.0))
    };
    let all = counted.len();
    if all > TOP {
        counted.select_nth_unstable_by(TOP, order);
        counted.truncate(TOP);
    }
    counted.sort_unstable_by(order);
    let by_pilot = (counted.into_iter())
        .map(|(i, open, overdue, resolved)| {
            let p = &site.pilots[i];
            GroupRow { title: p.title.clone(), url: crate::urls::pilot(&p.id), open, overdue, resolved }
        })
        .collect();
    (by_owner, by_pilot, all)
}

fn overdue_count(site: &Site, person: &Person) -> usize {
    person.constraints.iter().filter(|&&(p, c)| site.pilots[p].constraints[c].overdue_days.is_some()).count()
}

pub(super) fn people_view(site: &Site) -> PeopleView {
    let mut people: Vec<PersonRow> = site
        .people
        .iter()
        .map(|person| PersonRow {
            name: person.name.clone(),
            title: person.title.clone().unwrap_or_default(),
            url: crate::urls::owner(&person.slug),
            waiting: person.waiting.len(),
            owns: person.owns.len(),
            champions: person.champions.len(),
            sponsors: person.sponsors.len(),
            open: person.constraints.iter().filter(|&&(p, c)| site.pilots[p].constraints[c].open).count(),
            overdue: overdue_count(site, person),
        })
        .collect();
    people.sort_by(|a, b| {
        (b.waiting.cmp(&a.waiting))
            .then(b.overdue.cmp(&a.overdue))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    PeopleView { people, filters: Filters::default() }
}

/// A person's constraints (pilot and constraint indexes) in the order their
/// page lists them, and how many of the first are open.
pub(super) type PersonList = (Vec<(usize, usize)>, usize);

/// A person's constraints in the order their page lists them: open ones
/// in library order, then resolved ones.
pub(super) fn person_constraints(site: &Site, person: &Person) -> PersonList {
    let mut mine = person.constraints.clone();
    crate::library_order::sort_in_order(site, &mut mine);
    let open = mine.partition_point(|&(i, j)| site.pilots[i].constraints[j].open);
    (mine, open)
}

/// How many of the pilots a person owns, champions or sponsors their page
/// lists (the pilot list, filtered to them, has them all).
const PILOTS_SHOWN: usize = 50;

/// Page `page` (from 0) of a person's page: what they own on the first,
/// their constraints (`mine`, of which the first `open` are open, from
/// [`person_constraints`]) a page at a time.
pub(super) fn person_view(
    site: &Site,
    config: &Config,
    person: &Person,
    (mine, open): (&[(usize, usize)], usize),
    page: usize,
    filters: Filters,
    rows: &RenderRows,
) -> Result<PersonView, super::TemplateError> {
    let first = page == 0;
    let pilots = |idx: &[usize]| {
        let shown = if first { &idx[..idx.len().min(PILOTS_SHOWN)] } else { &[][..] };
        shown.iter().map(|&i| link(&site.pilots[i])).collect()
    };
    let more = |idx: &[usize]| if first { idx.len().saturating_sub(PILOTS_SHOWN) } else { 0 };
    let filtered = |key: &str| crate::urls::list_filtered(crate::urls::PILOTS, key, &person.name);
    let (from, to) = (page * paging::ROWS, ((page + 1) * paging::ROWS).min(mine.len()));
    let [a, b, _] = split(from, to, [open, mine.len() - open, 0]);
    let group_rows = |(x, y): (usize, usize), total: usize| {
        rows(&mine[x..y]).map(|mut html| {
            html.total = total;
            html
        })
    };
    let waiting_by_rung =
        (config.escalation.iter().zip(person.waiting_by_rung.iter().copied().chain(std::iter::repeat(0))))
            .filter(|(_, count)| *count > 0)
            .map(|(r, count)| RungRow { to: r.to.to_string(), after_days: r.after_days, count })
            .collect();
    // Waiting on them: on the first page, the most overdue first, at most
    // a page of rows.
    let waiting = if first {
        let shown = &person.waiting[..person.waiting.len().min(paging::ROWS)];
        rows(shown).map(|mut html| {
            html.total = person.waiting.len();
            html
        })?
    } else {
        RowsHtml::default()
    };
    Ok(PersonView {
        name: person.name.clone(),
        title: person.title.clone().unwrap_or_default(),
        email: person.email.clone().unwrap_or_default(),
        aliases: person.aliases.clone(),
        waiting,
        waiting_by_rung,
        own_escalated: person.own_escalated,
        owns: pilots(&person.owns),
        champions: pilots(&person.champions),
        sponsors: pilots(&person.sponsors),
        owns_more: more(&person.owns),
        champions_more: more(&person.champions),
        sponsors_more: more(&person.sponsors),
        owns_url: filtered("owner"),
        champions_url: filtered("champion"),
        sponsors_url: filtered("sponsor"),
        open: group_rows(a, open)?,
        resolved: group_rows(b, mine.len() - open)?,
        ladder_days: ladder_days(config),
        pager: paging::pager(&crate::urls::owner(&person.slug), page, paging::ROWS, mine.len()),
        filters,
    })
}
