//! The home page's headline figures and the table of all pilots.

use super::paging::{self, LibraryLinks};
use super::pilot::{constraint_row, link};
use super::views::*;
use crate::config::Config;
use crate::model::history::Week;
use crate::model::{Constraint, Pilot, Site};

/// Decisions shown on the home and portfolio pages; the rest are on the
/// decisions page.
pub(super) const DECISIONS_SHOWN: usize = 8;

fn figure(label: &str, value: String, note: String, url: &str, warn: bool) -> Figure {
    Figure {
        label: label.into(),
        value,
        note,
        url: url.into(),
        tone: if warn { "warn".into() } else { String::new() },
        trend: String::new(),
        spark: String::new(),
    }
}

/// The headline view; lists hold at most `limit` entries. The figures'
/// changes are counted from `since` (the portfolio on an earlier day), else
/// from four weeks before the as-of date.
pub(super) fn view<'a>(
    site: &'a Site,
    config: &'a Config,
    library: LibraryLinks<'a>,
    limit: usize,
    charts: Vec<ChartView>,
    since: Option<&Week>,
) -> HomeView<'a> {
    let pf = &site.portfolio;
    let top_rung = pf.escalated.iter().rev().find(|r| r.count > 0);
    let median = pf.median_time_to_production.map_or("—".to_string(), |m| format!("{} days", fmt_days(m)));
    let reached = site.pilots.iter().filter(|p| p.facts.time_to_production.is_some()).count();
    let gap = pf.largest_gaps.first();
    let mut figures = vec![
        figure(
            "Pilots",
            pf.pilots.to_string(),
            format!("{} with an open constraint", site.pilots.iter().filter(|p| p.facts.open_constraints > 0).count()),
            crate::urls::PILOTS,
            false,
        ),
        figure(
            "In production",
            format!("{} ({}%)", pf.in_production, pf.production_share),
            "share of all pilots".into(),
            &[crate::urls::PILOTS, "?stage=production"].concat(),
            false,
        ),
        figure(
            "Median time to production",
            median,
            format!("from pilot start, over {reached} pilots that reached production"),
            &[crate::urls::PORTFOLIO, "#time-to-production"].concat(),
            false,
        ),
        figure(
            "Overdue constraints",
            pf.overdue_constraints.to_string(),
            match top_rung {
                Some(r) => format!("{} escalated to {}", r.count, r.to),
                None => format!("of {} open", pf.open_constraints),
            },
            &[crate::urls::PORTFOLIO, "#overdue"].concat(),
            pf.overdue_constraints > 0,
        ),
        figure(
            "Stale pilots",
            pf.stale.to_string(),
            format!("no update for more than {} days", config.stale_after_days),
            &[crate::urls::PORTFOLIO, "#stale"].concat(),
            pf.stale > 0,
        ),
        figure(
            "Largest confidence gap",
            gap.map_or("—".into(), |g| format!("{:+}", g.1)),
            gap.map_or("leaders and teams agree".into(), |g| format!("leader over team: {}", site.pilots[g.0].title)),
            &[crate::urls::PORTFOLIO, "#confidence-gap"].concat(),
            gap.is_some_and(|g| g.1 >= 2),
        ),
    ];
    // How the figures moved, from the records' history.
    let production = config.stages.iter().position(|s| s == "production").map(|i| move |w: &Week| w.by_stage[i]);
    type Pick<'p> = &'p dyn Fn(&Week) -> usize;
    let series: [(usize, Option<Pick>, usize); 4] = [
        (0, Some(&|w| w.pilots), pf.pilots),
        (1, production.as_ref().map(|f| f as Pick), pf.in_production),
        (3, Some(&|w| w.overdue), pf.overdue_constraints),
        (4, Some(&|w| w.stale), pf.stale),
    ];
    for (k, pick, now) in series {
        let Some(pick) = pick else { continue };
        let values: Vec<usize> = site.history.weeks.iter().map(pick).collect();
        (figures[k].trend, figures[k].spark) = super::history::trend(&values, now, since.map(|w| (pick(w), w.end)));
    }
    let figures_moved = figures.iter().any(|f| !f.trend.is_empty());
    let total = pf.pilots.max(1);
    let by_stage = pf
        .by_stage
        .iter()
        .map(|s| StageRow { stage: s.stage.clone(), count: s.count, percent: crate::model::percent(s.count, total) })
        .collect();
    // The library's overdue group, most days first.
    let overdue: Vec<ConstraintRow> = library.order.groups(site)[0]
        .iter()
        .take(limit)
        .map(|&(i, j)| constraint_row(&site.pilots[i], &site.pilots[i].constraints[j], site, library.into()))
        .collect();
    let overdue_more = pf.overdue_constraints.saturating_sub(overdue.len());
    let mut stale: Vec<&crate::model::Pilot> = site.pilots.iter().map(|p| &**p).filter(|p| p.facts.stale).collect();
    stale.sort_by(|a, b| a.facts.last_update.cmp(&b.facts.last_update).then(a.id.cmp(&b.id)));
    let gaps = pf
        .largest_gaps
        .iter()
        .filter_map(|&(i, gap)| {
            let p = &site.pilots[i];
            let c = p.updates.last()?.confidence?;
            Some(GapRow { pilot: link(p), leader: c.leader.into(), team: c.team.into(), gap })
        })
        .collect();
    let recent = pf
        .recent_updates
        .iter()
        .map(|&(i, u)| {
            let p = &site.pilots[i];
            let u = &p.updates[u];
            RecentRow {
                pilot: link(p),
                week: u.week.text(),
                completed: u.completed.as_deref().unwrap_or_default().to_string(),
                blocker: u.blocker.as_deref().unwrap_or_default().to_string(),
            }
        })
        .collect();
    HomeView {
        body_html: site.home.as_ref().map(|h| h.body.html.text().into_owned()).unwrap_or_default(),
        figures,
        by_stage,
        escalated: pf
            .escalated
            .iter()
            .map(|r| RungRow { to: r.to.clone(), after_days: r.after_days, count: r.count })
            .collect(),
        overdue,
        overdue_more,
        stale_more: stale.len().saturating_sub(limit),
        stale: stale.into_iter().take(limit).map(link).collect(),
        charts,
        gaps,
        recent,
        empty: site.pilots.is_empty(),
        decisions: decisions(site, config, DECISIONS_SHOWN),
        since: match (figures_moved, since) {
            (true, Some(w)) => w.end.text(),
            (true, None) => site.as_of.plus_days(-28).text(),
            (false, _) => String::new(),
        },
        since_chosen: since.is_some(),
    }
}

/// What leaders are asked to decide: the `limit` most overdue of the open
/// constraints at the top rung of the escalation ladder, grouped by their
/// pilot's sponsor (the group with the most overdue one first).
pub(super) fn decisions(site: &Site, config: &Config, limit: usize) -> DecisionsView {
    let mut found: Vec<(usize, usize)> = Vec::new();
    // The group of each pilot shown (a pilot has one sponsor).
    let mut group_of: crate::hash::FastMap<usize, usize> = crate::hash::FastMap::default();
    for (k, g) in site.decisions.iter().enumerate() {
        for &(i, j) in g.constraints.iter().take(limit) {
            found.push((i, j));
            group_of.insert(i, k);
        }
    }
    crate::model::most_overdue_first(&site.pilots, &mut found);
    let total = site.decisions.iter().map(|g| g.constraints.len()).sum();
    found.truncate(limit);
    let shown = found.len();
    let mut groups: Vec<DecisionGroup> = Vec::new();
    // Each group's place in `groups`, by its index in `site.decisions`.
    let mut at: crate::hash::FastMap<usize, usize> = crate::hash::FastMap::default();
    for (i, j) in found {
        let p = &site.pilots[i];
        let k = group_of[&i];
        let g = *at.entry(k).or_insert_with(|| {
            groups.push(decision_group(site, k, 0));
            groups.len() - 1
        });
        groups[g].decisions.push(decision(site, p, &p.constraints[j]));
    }
    let (rung, after_days) = top_rung(config);
    DecisionsView { rung, after_days, groups, shown, total, more: total - shown, url: crate::urls::DECISIONS.into() }
}

/// Decisions shown per sponsor on the decisions page, and on each page of
/// a sponsor's list.
pub(super) const DECISIONS_PER_GROUP: usize = 3;
pub(super) const DECISIONS_PER_PAGE: usize = 200;

/// The decisions page: every sponsor's decisions, counted.
pub(super) fn decisions_index(site: &Site, config: &Config) -> DecisionsIndex {
    let (rung, after_days) = top_rung(config);
    DecisionsIndex {
        rung,
        after_days,
        total: site.decisions.iter().map(|g| g.constraints.len()).sum(),
        groups: (0..site.decisions.len()).map(|k| decision_group(site, k, DECISIONS_PER_GROUP)).collect(),
    }
}

/// Page `page` (from 1) of the decisions of group `k` of `site.decisions`.
pub(super) fn sponsor_decisions(site: &Site, config: &Config, k: usize, page: usize) -> SponsorDecisionsPage {
    let (rung, after_days) = top_rung(config);
    let all = &site.decisions[k].constraints;
    let pages = all.len().div_ceil(DECISIONS_PER_PAGE).max(1);
    let mut group = decision_group(site, k, 0);
    let slug = site.decisions[k].sponsor.map(|s| site.people[s].slug.as_str());
    let shown = all.get((page - 1) * DECISIONS_PER_PAGE..).unwrap_or_default();
    let shown = &shown[..shown.len().min(DECISIONS_PER_PAGE)];
    crate::library_order::read_ahead(site, shown);
    group.decisions =
        shown.iter().map(|&(i, j)| decision(site, &site.pilots[i], &site.pilots[i].constraints[j])).collect();
    let link = |n: usize| Link { title: format!("page {n} of {pages}"), url: crate::urls::sponsor_decisions(slug, n) };
    SponsorDecisionsPage {
        rung,
        after_days,
        group,
        page,
        pages,
        doc: PagerLinks {
            prev: (page > 1).then(|| link(page - 1)).into(),
            next: (page < pages).then(|| link(page + 1)).into(),
        },
        index_url: crate::urls::DECISIONS.into(),
    }
}

/// The ladder's top rung: its `to` and `after_days` (empty and 0 without one).
fn top_rung(config: &Config) -> (String, i64) {
    config.escalation.last().map_or((String::new(), 0), |r| (r.to.to_string(), r.after_days))
}

/// Group `k` of `site.decisions`, with its `first` most overdue decisions.
fn decision_group(site: &Site, k: usize, first: usize) -> DecisionGroup {
    let g = &site.decisions[k];
    let sponsor = g.sponsor.map(|s| &site.people[s]);
    let most_overdue =
        g.constraints.first().and_then(|&(i, j)| site.pilots[i].constraints[j].overdue_days).unwrap_or(0);
    DecisionGroup {
        sponsor: sponsor.map(|s| s.name.clone()).unwrap_or_default(),
        title: sponsor.and_then(|s| s.title.clone()).unwrap_or_default(),
        url: sponsor.map(|s| crate::urls::owner(&s.slug)).unwrap_or_default(),
        count: g.constraints.len(),
        list_url: crate::urls::sponsor_decisions(sponsor.map(|s| s.slug.as_str()), 1),
        most_overdue,
        decisions: (g.constraints.iter().take(first))
            .map(|&(i, j)| decision(site, &site.pilots[i], &site.pilots[i].constraints[j]))
            .collect(),
    }
}

fn decision(site: &Site, p: &Pilot, c: &Constraint) -> Decision {
    Decision {
        title: c.title.clone(),
        url: crate::urls::constraint_parts(&p.id, &c.id).concat(),
        pilot: link(p),
        category: c.category.clone(),
        owner: c.owner.clone().unwrap_or_default(),
        due: c.due.map(crate::date::Date::text).unwrap_or_default(),
        overdue_days: c.overdue_days.unwrap_or(0),
        status_text: super::pilot::status_text(c, site.as_of),
        impact: c.impact.as_deref().unwrap_or_default().to_string(),
        ask: c.ask.as_deref().unwrap_or_default().to_string(),
    }
}

fn fmt_days(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{d:.0}")
    } else {
        format!("{d:.1}")
    }
}

/// Renders the rows of the pilots table: the pilots' indexes into the
/// site's.
pub(super) type RenderPilotRows<'a> = dyn Fn(&[usize]) -> Result<RowsHtml, super::TemplateError> + 'a;

/// The pilots in the order of the pilot index (by stage, then title), and
/// the choices of its filters: made once for its pages.
pub(super) fn pilot_order(site: &Site, config: &Config) -> (Vec<usize>, Filters) {
    let mut order: Vec<usize> = (0..site.pilots.len()).collect();
    order.sort_by_cached_key(|&i| (config.stage_index(&site.pilots[i].stage), site.pilots[i].title.to_lowercase()));
    let mut functions: Vec<&str> = site.pilots.iter().filter_map(|p| p.function.as_deref()).collect();
    functions.sort_unstable();
    functions.dedup();
    let mut owners: Vec<&str> = site.pilots.iter().filter_map(|p| p.owner.as_deref()).collect();
    owners.sort_unstable();
    owners.dedup();
    let filters = Filters {
        stages: config.stages.clone(),
        functions: functions.into_iter().map(String::from).collect(),
        owners: owners.into_iter().map(String::from).collect(),
        ..Filters::default()
    };
    (order, filters)
}

/// Page `page` (from 0) of the pilot index, whose pilots in order are
/// `order` (indexes into the site's pilots, see [`pilot_order`]).
pub(super) fn pilots_view(
    site: &Site,
    config: &Config,
    (order, filters): &(Vec<usize>, Filters),
    page: usize,
    rows: &RenderPilotRows,
) -> Result<PilotsView, super::TemplateError> {
    let shown = paging::slice(order, page, paging::ROWS);
    let intro_html = site.section_at(crate::urls::PILOTS).map(|s| s.body.html.text().into_owned()).unwrap_or_default();
    let mut rows = rows(shown)?;
    rows.total = order.len();
    Ok(PilotsView {
        intro_html,
        dimensions: config
            .rubric
            .iter()
            .map(|d| Link { title: crate::names::capitalized(&d.key), url: d.key.clone() })
            .collect(),
        rows,
        pager: paging::pager(crate::urls::PILOTS, page, paging::ROWS, order.len()),
        filters: filters.clone(),
    })
}

/// One row of the pilots table.
pub(super) fn pilot_row(p: &Pilot) -> PilotRow {
    PilotRow {
        link: link(p),
        function: p.function.clone().unwrap_or_default(),
        owner: p.owner.clone().unwrap_or_default(),
        champion: p.champion.clone().unwrap_or_default(),
        sponsor: p.sponsor.clone().unwrap_or_default(),
        readiness: p
            .readiness
            .iter()
            .map(|d| ScoreCell { key: d.key.clone(), percent: d.percent, ready: d.ready })
            .collect(),
        production_ready: p.facts.production_ready,
        open_constraints: p.facts.open_constraints,
        overdue_constraints: p.facts.overdue_constraints,
        last_update: p.facts.last_update.map(crate::date::Date::text).unwrap_or_default(),
        stale: p.facts.stale,
    }
}
