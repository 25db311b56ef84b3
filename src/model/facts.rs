//! Derived facts for one as-of date: constraint status and escalation,
//! readiness per dimension, staleness, time to production, confidence gap,
//! and the portfolio's headline figures.

use super::Pilot;
use crate::config::Config;
use crate::date::Date;
use serde::Serialize;

/// The readiness dimension a constraint category holds back, if any.
pub fn dimension_of(category: &str) -> Option<&'static str> {
    match category {
        "integration" | "data" => Some("technical"),
        "governance" | "ownership" => Some("governance"),
        "workforce" => Some("workforce"),
        "economic" => Some("economic"),
        _ => None,
    }
}

use super::SETTLED;

/// The dates of a constraint that the rules of time look at: a record's
/// constraint, or one as it stood at a past commit
/// (`model::history::PastConstraint`).
pub(crate) trait Dated {
    fn due(&self) -> Option<Date>;
    fn resolved(&self) -> Option<Date>;
}

impl Dated for super::Constraint {
    fn due(&self) -> Option<Date> {
        self.due
    }
    fn resolved(&self) -> Option<Date> {
        self.resolved
    }
}

/// Whether a constraint is open on `day`: not resolved by then. (One
/// raised after `day` does not exist on it: see `model::past`.)
pub(crate) fn open_on(c: &impl Dated, day: Date) -> bool {
    c.resolved().is_none_or(|r| r > day)
}

/// Days a constraint open on `day` is past its due date then, if it is.
pub(crate) fn overdue_on(c: &impl Dated, day: Date) -> Option<i64> {
    match c.due() {
        Some(due) if open_on(c, day) && due < day => Some(day.days_since(due)),
        _ => None,
    }
}

/// The rung of the escalation ladder a constraint `late` days overdue has
/// reached, if any.
pub(crate) fn rung_of(late: i64, config: &Config) -> Option<usize> {
    config.escalation.iter().rposition(|r| late >= r.after_days)
}

/// Whether a pilot at `stage` whose last update was `last` is stale on
/// `day`: on its way (not settled) with no update in `stale_after_days`.
pub(crate) fn stale_on(stage: &str, last: Option<Date>, day: Date, config: &Config) -> bool {
    !SETTLED.contains(&stage) && last.is_none_or(|w| day.days_since(w) > config.stale_after_days)
}

/// Fills in every derived fact of one pilot.
pub(super) fn derive(p: &mut Pilot, config: &Config, as_of: Date) {
    for c in &mut p.constraints {
        c.open = open_on(c, as_of);
        c.overdue_days = overdue_on(c, as_of);
        c.rung = c.overdue_days.and_then(|d| rung_of(d, config));
        c.escalated_to = c.rung.map(|i| std::sync::Arc::clone(&config.escalation[i].to));
        c.days_to_resolve = match (c.raised, c.resolved) {
            (Some(a), Some(b)) if !c.open => Some(b.days_since(a)),
            _ => None,
        };
    }
    for dim in &mut p.readiness {
        dim.blocked_by = p
            .constraints
            .iter()
            .filter(|c| c.overdue_days.is_some() && dimension_of(&c.category) == Some(dim.key.as_str()))
            .map(|c| c.id.clone())
            .collect();
        dim.ready = dim.met == dim.total && dim.blocked_by.is_empty();
    }
    let f = &mut p.facts;
    f.last_update = p.updates.last().map(|u| u.week);
    f.days_since_update = f.last_update.map(|w| as_of.days_since(w));
    f.stale = stale_on(&p.stage, f.last_update, as_of, config);
    let entered = |stage: &str| p.stages.iter().find(|s| s.stage == stage).map(|s| s.date);
    f.time_to_production = match (entered("pilot").or(p.started), entered("production")) {
        (Some(a), Some(b)) => Some(b.days_since(a)),
        _ => None,
    };
    f.confidence_gap = p.updates.last().and_then(|u| u.confidence).map(|c| i64::from(c.leader) - i64::from(c.team));
    f.production_ready = p.readiness.iter().all(|d| d.ready);
    f.open_constraints = p.constraints.iter().filter(|c| c.open).count();
    f.overdue_constraints = p.constraints.iter().filter(|c| c.overdue_days.is_some()).count();
    f.top_rung = p.constraints.iter().filter_map(|c| c.rung).max();
}

#[derive(Debug, Clone, Serialize)]
pub struct StageCount {
    pub stage: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RungCount {
    pub to: String,
    pub after_days: i64,
    pub count: usize,
}

/// Headline figures of the whole portfolio.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Portfolio {
    pub pilots: usize,
    pub by_stage: Vec<StageCount>,
    pub in_production: usize,
    /// Percentage of pilots in production, rounded half up.
    pub production_share: u32,
    /// Median days to production over pilots that reached it.
    pub median_time_to_production: Option<f64>,
    pub open_constraints: usize,
    pub overdue_constraints: usize,
    /// Overdue constraints that reached each rung of the ladder.
    pub escalated: Vec<RungCount>,
    pub stale: usize,
    pub production_ready: usize,
    /// (pilot index, gap), largest leader-over-team gaps first, at most 5.
    pub largest_gaps: Vec<(usize, i64)>,
    /// (pilot index, update index), newest first, at most 10.
    pub recent_updates: Vec<(usize, usize)>,
}

pub(super) fn portfolio(pilots: &[std::sync::Arc<Pilot>], config: &Config, _as_of: Date) -> Portfolio {
    let mut per_stage = vec![0; config.stages.len()];
    for p in pilots {
        if let Some(n) = config.stage_index(&p.stage).and_then(|i| per_stage.get_mut(i)) {
            *n += 1;
        }
    }
    let by_stage =
        config.stages.iter().zip(per_stage).map(|(s, count)| StageCount { stage: s.clone(), count }).collect();
    let in_production = pilots.iter().filter(|p| p.stage == "production").count();
    let ttp: Vec<i64> = pilots.iter().filter_map(|p| p.facts.time_to_production).collect();
    let median = super::median(ttp);
    // The counts of each record's facts; only records with an overdue
    // constraint have one on a rung.
    let (mut open, mut overdue, mut per_rung) = (0, 0, vec![0; config.escalation.len()]);
    for p in pilots {
        open += p.facts.open_constraints;
        overdue += p.facts.overdue_constraints;
        if p.facts.overdue_constraints > 0 {
            for r in p.constraints.iter().filter_map(|c| c.rung) {
                if let Some(n) = per_rung.get_mut(r) {
                    *n += 1;
                }
            }
        }
    }
    let escalated = config
        .escalation
        .iter()
        .zip(per_rung)
        .map(|(r, count)| RungCount { to: r.to.to_string(), after_days: r.after_days, count })
        .collect();
    let mut gaps: Vec<(usize, i64)> = pilots
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.facts.confidence_gap.filter(|g| *g > 0).map(|g| (i, g)))
        .collect();
    gaps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    gaps.truncate(5);
    // The ten newest updates (newest week first, then pilot and update
    // order), picked without listing them all: the heap holds the ten
    // first so far, the last of them on top.
    let mut recent: std::collections::BinaryHeap<(std::cmp::Reverse<Date>, usize, usize)> =
        std::collections::BinaryHeap::with_capacity(11);
    for (i, p) in pilots.iter().enumerate() {
        // A record's updates are oldest first: from its newest, stop at the
        // first week older than the tenth kept so far.
        for (u, up) in p.updates.iter().enumerate().rev() {
            if recent.len() == 10 && recent.peek().is_some_and(|last| up.week < last.0 .0) {
                break;
            }
            let key = (std::cmp::Reverse(up.week), i, u);
            if recent.len() < 10 || recent.peek().is_some_and(|last| key < *last) {
                recent.push(key);
                if recent.len() > 10 {
                    recent.pop();
                }
            }
        }
    }
    let recent: Vec<(usize, usize)> = recent.into_sorted_vec().into_iter().map(|(_, i, u)| (i, u)).collect();
    Portfolio {
        pilots: pilots.len(),
        by_stage,
        in_production,
        production_share: percent(in_production, pilots.len()),
        median_time_to_production: median,
        open_constraints: open,
        overdue_constraints: overdue,
        escalated,
        stale: pilots.iter().filter(|p| p.facts.stale).count(),
        production_ready: pilots.iter().filter(|p| p.facts.production_ready).count(),
        largest_gaps: gaps,
        recent_updates: recent,
    }
}

/// `met / total` as a whole percentage, rounded half up; 0 for no items.
pub fn percent(met: usize, total: usize) -> u32 {
    if total == 0 {
        0
    } else {
        ((met * 200 + total) / (total * 2)) as u32
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::model::testing::{opts, records};
    use crate::model::{build, build_reusing, ModelCache};

    /// An analysis kept for another as-of date (`serve` past midnight, the
    /// record cache of another day) derives the records' facts again: its
    /// records, people, decisions and problems are those of an analysis
    /// from nothing for that date, and no record is read again.
    #[test]
    fn records_kept_for_another_date_have_that_dates_facts() {
        let (dir, _) = records(40, |i| {
            format!(
                "+++\ntitle = \"P{i}\"\nstage = \"pilot\"\nowner = \"Ann Ek\"\nsponsor = \"Bo Li\"\n\
                 [stages]\npilot = 2026-01-05\n\
                 [[updates]]\nweek = 2026-05-{:02}\ncompleted = \"work\"\n\
                 [[constraints]]\ntitle = \"Data access\"\ncategory = \"data\"\nowner = \"Cy Do\"\n\
                 raised = 2026-04-01\ndue = 2026-05-{:02}\n+++\nBody.\n",
                1 + i % 28,
                1 + (i * 7) % 28
            )
        });
        let config = Config::default();
        let load = || crate::source::load_content(dir.path());
        let first = build_reusing(load(), &config, &opts("2026-05-10"), ModelCache::default());
        for date in ["2026-06-20", "2026-09-01", "2026-05-02"] {
            let later = opts(date);
            let kept = build_reusing(load(), &config, &later, first.reuse.records_only());
            let (fresh, diags) = build(load(), &config, &later);
            assert_eq!(kept.reuse.read(), 0, "{date}: no record read again");
            assert_eq!(format!("{:?}", kept.site.pilots), format!("{:?}", fresh.pilots), "{date}");
            assert_eq!(format!("{:?}", kept.site.people), format!("{:?}", fresh.people), "{date}");
            assert_eq!(format!("{:?}", kept.site.decisions), format!("{:?}", fresh.decisions), "{date}");
            assert_eq!(kept.diagnostics, diags, "{date}");
        }
        let overdue = |date: &str| {
            let (site, _) = build(load(), &config, &opts(date));
            site.pilots.iter().map(|p| p.facts.overdue_constraints).sum::<usize>()
        };
        assert!(overdue("2026-05-10") < overdue("2026-06-20"), "the dates make different facts");
    }
}
