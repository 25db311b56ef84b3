//! The constraint library and the people pages: every constraint of every
//! pilot, overdue first, grouped by category, owner and pilot; and every
//! named person with what they own.

use super::pilot::{constraint_row, link};
use super::views::*;
use crate::config::Config;
use crate::library_order::Order;
use crate::model::{Constraint, Person, Pilot, Site};

/// Every constraint with its pilot.
fn all(site: &Site) -> impl Iterator<Item = (&Pilot, &Constraint)> {
    site.pilots.iter().flat_map(|p| p.constraints.iter().map(move |c| (&**p, c)))
}

/// Open constraints in any of `categories`, most pressing first: at most
/// `limit` rows, and how many more there are.
pub(super) fn open_in<'a>(
    site: &'a Site,
    order: &'a Order,
    categories: &[String],
    limit: usize,
) -> (Vec<ConstraintRow<'a>>, usize) {
    let (found, more) = order.open_in(site, categories, limit);
    (found.into_iter().map(|(p, c)| constraint_row(p, c, site)).collect(), more)
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
        total: order.len(),
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
    PeopleView { people }
}

pub(super) fn person_view(site: &Site, config: &Config, person: &Person, rows: &RenderRows) -> PersonView {
    let pilots = |idx: &[usize]| idx.iter().map(|&i| link(&site.pilots[i])).collect::<Vec<_>>();
    let get = |&(i, j): &(usize, usize)| (&*site.pilots[i], &site.pilots[i].constraints[j]);
    let mut mine = person.constraints.clone();
    crate::library_order::sort_in_order(site, &mut mine);
    let (open, resolved): (Vec<_>, Vec<_>) = mine.into_iter().partition(|r| get(r).1.open);
    let mut per_rung = vec![0; config.escalation.len()];
    let mut own_escalated = 0;
    for &(i, j) in &person.waiting {
        let c = &site.pilots[i].constraints[j];
        let Some(r) = c.rung.filter(|&r| r < per_rung.len()) else { continue };
        per_rung[r] += 1;
        let own = c.owner.as_deref().and_then(|o| site.person(o)).is_some_and(|o| o.slug == person.slug);
        if own && config.escalation[r].to != "owner" {
            own_escalated += 1;
        }
    }
    let waiting_by_rung = (config.escalation.iter().zip(per_rung))
        .filter(|(_, count)| *count > 0)
        .map(|(r, count)| RungRow { to: r.to.clone(), after_days: r.after_days, count })
        .collect();
    PersonView {
        name: person.name.clone(),
        title: person.title.clone().unwrap_or_default(),
        email: person.email.clone().unwrap_or_default(),
        aliases: person.aliases.clone(),
        waiting: rows(&person.waiting),
        waiting_by_rung,
        own_escalated,
        owns: pilots(&person.owns),
        champions: pilots(&person.champions),
        sponsors: pilots(&person.sponsors),
        open: rows(&open),
        resolved: rows(&resolved),
        ladder_days: ladder_days(config),
    }
}
