//! The constraint library and the people pages: every constraint of every
//! pilot, overdue first, grouped by category, owner and pilot; and every
//! named person with what they own.

use super::pilot::{constraint_row, link};
use super::views::*;
use crate::config::Config;
use crate::hash::FastMap as HashMap;
use crate::model::{Constraint, Person, Pilot, Site};

/// Every constraint with its pilot.
fn all(site: &Site) -> impl Iterator<Item = (&Pilot, &Constraint)> {
    site.pilots.iter().flat_map(|p| p.constraints.iter().map(move |c| (&**p, c)))
}

/// The library's groups: overdue 0, other open 1, resolved 2.
fn rank(c: &Constraint) -> u8 {
    match (c.overdue_days, c.open) {
        (Some(_), _) => 0,
        (None, true) => 1,
        (None, false) => 2,
    }
}

/// Overdue (most days first), then open by due date, then resolved (latest
/// first): library order, as one comparison (what [`sort_in_order`] does
/// faster; a test holds the two to the same order).
#[cfg(test)]
fn order(a: &(&Pilot, &Constraint), b: &(&Pilot, &Constraint)) -> std::cmp::Ordering {
    let (pa, ca) = a;
    let (pb, cb) = b;
    rank(ca)
        .cmp(&rank(cb))
        .then(cb.overdue_days.cmp(&ca.overdue_days))
        .then(ca.due.is_none().cmp(&cb.due.is_none()))
        .then(if ca.open { ca.due.cmp(&cb.due) } else { cb.resolved.cmp(&ca.resolved) })
        .then(pa.id.cmp(&pb.id))
        .then(ca.id.cmp(&cb.id))
}

/// Sorts pilot and constraint indexes into library order, as `order`
/// does, but by keys of whole numbers made once per constraint: a sort of
/// tens of thousands then does not go to the records (and compare ids) at
/// each comparison. Pilots are sorted by id, so a pilot's index stands for
/// its id; constraint ids break what is left, then their positions.
fn sort_in_order(site: &Site, rows: &mut [(usize, usize)]) {
    use rayon::prelude::*;
    let day = |d: Option<crate::date::Date>| d.map_or(i64::MIN + 1, |d| d.days_since(site.as_of));
    let mut keyed: Vec<([i64; 4], usize, usize)> = rows
        .iter()
        .map(|&(i, j)| {
            let c = &site.pilots[i].constraints[j];
            let when = if c.open { day(c.due) } else { -day(c.resolved) };
            ([i64::from(rank(c)), c.overdue_days.map_or(i64::MAX, |d| -d), i64::from(c.due.is_none()), when], i, j)
        })
        .collect();
    let id = |&(_, i, j): &([i64; 4], usize, usize)| site.pilots[i].constraints[j].id.as_str();
    keyed.par_sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| id(a).cmp(id(b))).then(a.2.cmp(&b.2)));
    for (row, (_, i, j)) in rows.iter_mut().zip(keyed) {
        *row = (i, j);
    }
}

/// Every constraint in library order (overdue, open, resolved), made once
/// for a build and shared by the pages and exports that list constraints.
pub(super) struct Order {
    /// Pilot and constraint indexes.
    all: Vec<(usize, usize)>,
    /// Positions in `all` of the open constraints of each category.
    open_by_category: HashMap<String, Vec<usize>>,
}

impl Order {
    pub(super) fn new(site: &Site) -> Order {
        let mut all: Vec<(usize, usize)> =
            site.pilots.iter().enumerate().flat_map(|(i, p)| (0..p.constraints.len()).map(move |j| (i, j))).collect();
        sort_in_order(site, &mut all);
        let mut open_by_category: HashMap<String, Vec<usize>> = HashMap::default();
        for (pos, &(i, j)) in all.iter().enumerate() {
            let c = &site.pilots[i].constraints[j];
            if c.open {
                match open_by_category.get_mut(&c.category) {
                    Some(list) => list.push(pos),
                    None => {
                        open_by_category.insert(c.category.clone(), vec![pos]);
                    }
                }
            }
        }
        Order { all, open_by_category }
    }

    /// The overdue, the other open and the resolved constraints, each in
    /// library order.
    pub(super) fn groups(&self, site: &Site) -> [&[(usize, usize)]; 3] {
        let rank = |&(i, j): &(usize, usize)| rank(&site.pilots[i].constraints[j]);
        let open = self.all.partition_point(|r| rank(r) < 1);
        let resolved = self.all.partition_point(|r| rank(r) < 2);
        [&self.all[..open], &self.all[open..resolved], &self.all[resolved..]]
    }

    /// Every constraint with its pilot, in library order.
    pub(super) fn iter<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = (&'a Pilot, &'a Constraint)> + 'a {
        self.all.iter().map(move |&(i, j)| (&*site.pilots[i], &site.pilots[i].constraints[j]))
    }

    /// Open constraints in any of `categories`, most pressing first: at
    /// most `limit`, and how many more there are.
    fn open_in<'a>(
        &'a self,
        site: &'a Site,
        categories: &[String],
        limit: usize,
    ) -> (Vec<(&'a Pilot, &'a Constraint)>, usize) {
        let mut cats: Vec<&String> = categories.iter().collect();
        cats.sort();
        cats.dedup();
        let lists: Vec<&Vec<usize>> = cats.iter().filter_map(|c| self.open_by_category.get(*c)).collect();
        let total: usize = lists.iter().map(|l| l.len()).sum();
        let mut first: Vec<usize> = lists.iter().flat_map(|l| l.iter().take(limit).copied()).collect();
        first.sort_unstable();
        first.truncate(limit);
        let more = total - first.len();
        let rows =
            first.into_iter().map(|pos| self.all[pos]).map(|(i, j)| (&*site.pilots[i], &site.pilots[i].constraints[j]));
        (rows.collect(), more)
    }
}

/// Open constraints in any of `categories`, most pressing first: at most
/// `limit` rows, and how many more there are.
pub(super) fn open_in<'a>(
    site: &'a Site,
    config: &Config,
    order: &'a Order,
    categories: &[String],
    limit: usize,
) -> (Vec<ConstraintRow<'a>>, usize) {
    let (found, more) = order.open_in(site, categories, limit);
    (found.into_iter().map(|(p, c)| constraint_row(p, c, site, config)).collect(), more)
}

fn ladder_days(config: &Config) -> String {
    config.escalation.iter().map(|r| r.after_days.to_string()).collect::<Vec<_>>().join(",")
}

/// Per category: counts, pilots hit, median days to resolve, playbook pages.
pub(super) fn categories(site: &Site, config: &Config) -> Vec<CategoryView> {
    config
        .categories
        .iter()
        .map(|cat| {
            let mine: Vec<(&Pilot, &Constraint)> = all(site).filter(|(_, c)| &c.category == cat).collect();
            let mut pilots: Vec<&str> = mine.iter().map(|(p, _)| p.id.as_str()).collect();
            pilots.dedup();
            let days: Vec<i64> = mine.iter().filter_map(|(_, c)| c.days_to_resolve).collect();
            let playbook = site
                .pages
                .iter()
                .filter(|pg| pg.addresses.contains(cat))
                .map(|pg| Link { title: pg.title.clone(), url: crate::urls::page(&pg.path) })
                .collect();
            CategoryView {
                name: cat.clone(),
                open: mine.iter().filter(|(_, c)| c.open).count(),
                overdue: mine.iter().filter(|(_, c)| c.overdue_days.is_some()).count(),
                resolved: mine.iter().filter(|(_, c)| !c.open).count(),
                pilots: pilots.len(),
                median_days_to_resolve: crate::model::median(days).map_or("—".into(), |m| {
                    if m.fract() == 0.0 {
                        format!("{m:.0}")
                    } else {
                        format!("{m:.1}")
                    }
                }),
                playbook,
                recurring: pilots.len() >= config.recurring_pilots,
            }
        })
        .collect()
}

/// The rows of a constraint table, from pilot and constraint indexes.
pub(super) type RenderRows<'a> = dyn Fn(&[(usize, usize)]) -> RowsHtml + 'a;

pub(super) fn library_view(site: &Site, config: &Config, order: &Order, rows: &RenderRows) -> LibraryView {
    let [overdue, open, resolved] = order.groups(site);
    let categories = categories(site, config);
    let mut recurring: Vec<CategoryView> = categories.iter().filter(|c| c.recurring).cloned().collect();
    recurring.sort_by(|a, b| b.pilots.cmp(&a.pilots).then(a.name.cmp(&b.name)));
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
    let mut by_pilot: Vec<GroupRow> = site
        .pilots
        .iter()
        .filter(|p| !p.constraints.is_empty())
        .map(|p| {
            let (open, overdue, resolved) = count(&mut p.constraints.iter());
            GroupRow { title: p.title.clone(), url: crate::urls::pilot(&p.id), open, overdue, resolved }
        })
        .collect();
    by_pilot.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)).then(a.title.cmp(&b.title)));
    LibraryView {
        total: order.all.len(),
        open: overdue.len() + open.len(),
        overdue: overdue.len(),
        resolved: resolved.len(),
        escalated: site
            .portfolio
            .escalated
            .iter()
            .map(|r| RungRow { to: r.to.clone(), after_days: r.after_days, count: r.count })
            .collect(),
        ladder_days: ladder_days(config),
        overdue_rows: rows(overdue),
        open_rows: rows(open),
        resolved_rows: rows(resolved),
        categories,
        recurring,
        by_owner,
        by_pilot,
    }
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
            url: crate::urls::owner(&person.slug),
            owns: person.owns.len(),
            champions: person.champions.len(),
            sponsors: person.sponsors.len(),
            open: person.constraints.iter().filter(|&&(p, c)| site.pilots[p].constraints[c].open).count(),
            overdue: overdue_count(site, person),
        })
        .collect();
    people.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    PeopleView { people }
}

pub(super) fn person_view(site: &Site, config: &Config, person: &Person, rows: &RenderRows) -> PersonView {
    let pilots = |idx: &[usize]| idx.iter().map(|&i| link(&site.pilots[i])).collect::<Vec<_>>();
    let get = |&(i, j): &(usize, usize)| (&*site.pilots[i], &site.pilots[i].constraints[j]);
    let mut mine = person.constraints.clone();
    sort_in_order(site, &mut mine);
    let (open, resolved): (Vec<_>, Vec<_>) = mine.into_iter().partition(|r| get(r).1.open);
    PersonView {
        name: person.name.clone(),
        owns: pilots(&person.owns),
        champions: pilots(&person.champions),
        sponsors: pilots(&person.sponsors),
        open: rows(&open),
        resolved: rows(&resolved),
        ladder_days: ladder_days(config),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keyed sort puts every constraint where the comparison does, in a
    /// generated site (every kind of date, many ties) and the example site.
    #[test]
    fn keyed_sort_is_library_order() {
        for example in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            if example {
                crate::theme::write_example_site(dir.path());
            } else {
                crate::synth::write_site(dir.path(), 400, 3).expect("generate");
            }
            let opts = crate::pipeline::Options { root: dir.path().to_path_buf(), ..Default::default() };
            let site = crate::pipeline::analyse(&opts).expect("analyse").site;
            let all: Vec<(usize, usize)> = site
                .pilots
                .iter()
                .enumerate()
                .flat_map(|(i, p)| (0..p.constraints.len()).map(move |j| (i, j)))
                .collect();
            let get = |&(i, j): &(usize, usize)| (&*site.pilots[i], &site.pilots[i].constraints[j]);
            let mut expected = all.clone();
            expected.sort_by(|a, b| order(&get(a), &get(b)));
            let mut keyed = all.clone();
            keyed.reverse();
            sort_in_order(&site, &mut keyed);
            assert!(all.len() > 20);
            assert_eq!(keyed, expected);
        }
    }
}
