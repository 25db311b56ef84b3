//! What the records' history means: each version read with the same reader
//! as today's records (`pilot::read`; a version that does not read is
//! skipped), then, for each pilot, what changed from one version to the
//! next (stage moves, target and due-date slips, constraints raised and
//! resolved, owner changes), and for the portfolio, the figures of each of
//! the last weeks as the records stood at the end of that week.
//! Commits after the as-of date are not looked at: the past is the past.

use super::{facts, BuildOptions, Pilot};
use crate::config::Config;
use crate::date::Date;
use crate::history::{Commit, History, Status};
use crate::source::Doc;
use crate::text::{FileId, SourceFile};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A pilot's versions: the commit, and the record then (`None` where the
/// commit removed it), oldest first.
type Versions = Vec<(usize, Option<Arc<Pilot>>)>;

/// How many weeks the portfolio's series goes back.
pub const WEEKS: usize = 26;

/// The history of the site, for the pages.
#[derive(Debug, Default)]
pub struct SiteHistory {
    pub status: Status,
    /// Commits that changed a record, on or before the as-of date.
    pub commits: Vec<Commit>,
    /// By pilot id.
    pub pilots: BTreeMap<String, PilotHistory>,
    /// The last [`WEEKS`] weeks, oldest first; the last ends on the as-of
    /// date.
    pub weeks: Vec<Week>,
    /// What changed across the portfolio, week by week (Monday to
    /// Sunday), newest first; the first is the week of the as-of date.
    /// Weeks with nothing are left out, but for the first.
    pub changes: Vec<WeekChanges>,
}

/// What changed in one week across the portfolio.
#[derive(Debug, Clone)]
pub struct WeekChanges {
    /// The Monday the week starts on.
    pub start: Date,
    /// The Sunday it ends on, or the as-of date for the week under way.
    pub end: Date,
    /// By pilot id, then in the order things happened.
    pub events: Vec<Event>,
}

/// One thing that changed in a week: a change in a commit, or what the
/// calendar did (a constraint escalated, a pilot went stale).
#[derive(Debug, Clone)]
pub struct Event {
    pub pilot: String,
    pub date: Date,
    pub what: EventKind,
}

#[derive(Debug, Clone)]
pub enum EventKind {
    /// A change a commit made (index into [`SiteHistory::commits`]).
    Changed(usize, ChangeKind),
    /// A still open constraint reached a rung of the ladder (its index).
    Escalated { title: String, rung: usize },
    /// The pilot's last update became older than `stale_after_days`.
    WentStale { last: Date },
}

impl SiteHistory {
    /// Whether there is a history to show (the site is in git, with
    /// commits that touched a record).
    pub fn is_known(&self) -> bool {
        matches!(self.status, Status::Whole | Status::Shallow) && !self.commits.is_empty()
    }
}

/// What changed in one pilot's record, commit by commit.
#[derive(Debug, Default, Clone)]
pub struct PilotHistory {
    /// Oldest first.
    pub changes: Vec<Change>,
    /// Days the target date moved later, in all.
    pub target_slip_days: i64,
    /// Days constraints' due dates moved later, in all.
    pub due_slip_days: i64,
    /// Readiness per dimension (percent met, in rubric order) at each
    /// version that changed it, oldest first.
    pub readiness: Vec<(Date, Vec<u32>)>,
}

/// One change to a record.
#[derive(Debug, Clone)]
pub struct Change {
    /// Index into [`SiteHistory::commits`].
    pub commit: usize,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The record first appears.
    Added,
    Stage {
        from: String,
        to: String,
    },
    /// The target date moved (`days` > 0: later).
    Target {
        from: Option<Date>,
        to: Option<Date>,
        days: i64,
    },
    Owner {
        from: Option<String>,
        to: Option<String>,
    },
    Raised {
        title: String,
    },
    Resolved {
        title: String,
    },
    /// A constraint's due date moved (`days` > 0: later, a slip).
    Replanned {
        title: String,
        from: Option<Date>,
        to: Option<Date>,
        days: i64,
    },
    Readiness {
        dimension: String,
        from: u32,
        to: u32,
    },
    Removed,
}

/// The portfolio at the end of one week, as its records stood then.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Week {
    /// The last day of the week (the as-of date for the latest).
    pub end: Date,
    pub pilots: usize,
    /// Pilots per stage, in the config's order.
    pub by_stage: Vec<usize>,
    pub open: usize,
    pub overdue: usize,
    /// Overdue constraints on each rung of the ladder (the highest they
    /// reached), as the portfolio's figures count them.
    pub escalated: Vec<usize>,
    pub stale: usize,
    /// Pilots whose target date moved later during the week.
    pub target_slips: usize,
    /// Mean readiness per dimension (percent), in rubric order.
    pub readiness: Vec<u32>,
}

/// Reads every version of `history` on or before the as-of date, and works
/// out what changed.
pub fn derive(history: &History, config: &Config, opts: &BuildOptions) -> SiteHistory {
    let as_of = opts.as_of;
    let mut out = SiteHistory { status: history.status.clone(), ..SiteHistory::default() };
    let kept = history.commits.iter().take_while(|c| c.date <= as_of).count();
    out.commits = history.commits[..kept].to_vec();
    let versions: Vec<&crate::history::Version> = history.versions.iter().filter(|v| v.commit < kept).collect();
    // Each distinct text read once, in parallel.
    let read = read_versions(&versions, config, opts);
    // By pilot id: (commit, record or None where removed), oldest first.
    let mut by_id: BTreeMap<String, Versions> = BTreeMap::new();
    for (v, pilot) in versions.iter().zip(read) {
        let parts: Vec<String> = v.path.split('/').map(str::to_string).collect();
        let Some(id) = super::pilot::id_of(&parts) else { continue };
        match (&v.text, pilot) {
            (Some(_), Some(p)) => by_id.entry(id).or_default().push((v.commit, Some(p))),
            // A version that does not read is skipped.
            (Some(_), None) => {}
            (None, _) => by_id.entry(id).or_default().push((v.commit, None)),
        }
    }
    // A shallow clone's first commit is where its history starts, not
    // where the records were made: what it holds is the starting point.
    let shallow = history.status == Status::Shallow;
    for (id, list) in &by_id {
        out.pilots.insert(id.clone(), pilot_history(list, &out.commits, shallow));
    }
    out.weeks = weeks(&out.commits, &by_id, config, as_of);
    if shallow {
        let first = out.commits.first().map(|c| c.date);
        out.weeks.retain(|w| first.is_some_and(|f| w.end >= f));
    }
    out.changes = changes(&out, &by_id, config, as_of);
    out
}

/// How many weeks back `/changes/` keeps a page for.
pub const CHANGE_WEEKS: usize = 52;

/// What changed in each of the last [`CHANGE_WEEKS`] weeks, newest first.
fn changes(h: &SiteHistory, by_id: &BTreeMap<String, Versions>, config: &Config, as_of: Date) -> Vec<WeekChanges> {
    if h.commits.is_empty() {
        return Vec::new();
    }
    let first = h.commits[0].date.week_start();
    let mut out = Vec::new();
    let mut start = as_of.week_start();
    while out.len() < CHANGE_WEEKS && start >= first {
        let end = start.plus_days(6).min(as_of);
        let mut events = Vec::new();
        for (id, list) in by_id {
            let mut mine = Vec::new();
            if let Some(ph) = h.pilots.get(id) {
                for c in &ph.changes {
                    let date = h.commits[c.commit].date;
                    if date >= start && date <= end {
                        mine.push(Event {
                            pilot: id.clone(),
                            date,
                            what: EventKind::Changed(c.commit, c.kind.clone()),
                        });
                    }
                }
            }
            // The record as it stood at the end of the week: what the
            // calendar did to it during the week.
            let at = list.iter().rev().find(|(c, _)| h.commits[*c].date <= end).and_then(|(_, p)| p.as_deref());
            if let Some(p) = at {
                for c in &p.constraints {
                    let Some(due) = c.due else { continue };
                    for (k, rung) in config.escalation.iter().enumerate() {
                        // The first day it is on this rung.
                        let day = due.plus_days(rung.after_days.max(1) as i32);
                        let raised = c.raised.is_none_or(|r| r <= day);
                        let on_rung =
                            facts::overdue_on(c, day).and_then(|late| facts::rung_of(late, config)) == Some(k);
                        if raised && on_rung && day >= start && day <= end {
                            mine.push(Event {
                                pilot: id.clone(),
                                date: day,
                                what: EventKind::Escalated { title: c.title.clone(), rung: k },
                            });
                        }
                    }
                }
                if let Some(last) = p.updates.iter().map(|u| u.week).filter(|d| *d <= end).max() {
                    let day = last.plus_days(config.stale_after_days as i32 + 1);
                    if day >= start && day <= end && facts::stale_on(&p.stage, Some(last), day, config) {
                        mine.push(Event { pilot: id.clone(), date: day, what: EventKind::WentStale { last } });
                    }
                }
            }
            mine.sort_by_key(|e| e.date);
            events.extend(mine);
        }
        if out.is_empty() || !events.is_empty() {
            out.push(WeekChanges { start, end, events });
        }
        start = start.plus_days(-7);
    }
    out
}

fn read_versions(
    versions: &[&crate::history::Version],
    config: &Config,
    opts: &BuildOptions,
) -> Vec<Option<Arc<Pilot>>> {
    use rayon::prelude::*;
    let mut distinct: BTreeMap<(*const u8, &str), usize> = BTreeMap::new();
    let mut order = Vec::new();
    for v in versions {
        if let Some(t) = &v.text {
            let key = (t.as_ptr(), v.path.as_str());
            if let std::collections::btree_map::Entry::Vacant(e) = distinct.entry(key) {
                e.insert(order.len());
                order.push((v.path.as_str(), Arc::clone(t)));
            }
        }
    }
    let opts = BuildOptions { drafts: true, release_texts: false, ..*opts };
    let parsed: Vec<Option<Arc<Pilot>>> = order
        .par_iter()
        .map(|(path, text)| {
            let parts: Vec<String> = path.split('/').map(str::to_string).collect();
            let doc = Doc { file: FileId(0), parts };
            let source = SourceFile::new(format!("content/{path}"), text.to_string());
            let mut diags = Vec::new();
            let p = super::pilot::read(&doc, &source, config, &opts, &mut diags)?;
            if diags.iter().any(crate::diag::Diagnostic::is_error) {
                return None;
            }
            Some(Arc::new(p))
        })
        .collect();
    versions
        .iter()
        .map(|v| v.text.as_ref().and_then(|t| parsed[distinct[&(t.as_ptr(), v.path.as_str())]].clone()))
        .collect()
}

fn percents(p: &Pilot) -> Vec<u32> {
    p.readiness.iter().map(|d| facts::percent(d.met, d.total)).collect()
}

fn pilot_history(list: &Versions, commits: &[Commit], shallow: bool) -> PilotHistory {
    let mut h = PilotHistory::default();
    let mut before: Option<&Pilot> = None;
    for (commit, now) in list {
        let commit = *commit;
        let mut push = |kind| h.changes.push(Change { commit, kind });
        let Some(now) = now.as_deref() else {
            if before.is_some() {
                push(ChangeKind::Removed);
            }
            before = None;
            continue;
        };
        let Some(old) = before else {
            if !(shallow && commit == 0) {
                push(ChangeKind::Added);
            }
            h.readiness.push((commits[commit].date, percents(now)));
            before = Some(now);
            continue;
        };
        if old.stage != now.stage {
            push(ChangeKind::Stage { from: old.stage.clone(), to: now.stage.clone() });
        }
        if old.target != now.target {
            let days = match (old.target, now.target) {
                (Some(a), Some(b)) => b.days_since(a),
                _ => 0,
            };
            push(ChangeKind::Target { from: old.target, to: now.target, days });
            h.target_slip_days += days.max(0);
        }
        if old.owner != now.owner {
            push(ChangeKind::Owner { from: old.owner.clone(), to: now.owner.clone() });
        }
        for c in &now.constraints {
            match old.constraints.iter().find(|o| o.id == c.id) {
                None => push(ChangeKind::Raised { title: c.title.clone() }),
                Some(o) => {
                    if o.resolved.is_none() && c.resolved.is_some() {
                        push(ChangeKind::Resolved { title: c.title.clone() });
                    }
                    if o.due != c.due {
                        let days = match (o.due, c.due) {
                            (Some(a), Some(b)) => b.days_since(a),
                            _ => 0,
                        };
                        push(ChangeKind::Replanned { title: c.title.clone(), from: o.due, to: c.due, days });
                        h.due_slip_days += days.max(0);
                    }
                }
            }
        }
        let (a, b) = (percents(old), percents(now));
        if a != b {
            for (k, d) in now.readiness.iter().enumerate() {
                let from = a.get(k).copied().unwrap_or(0);
                if from != b[k] {
                    push(ChangeKind::Readiness { dimension: d.label.clone(), from, to: b[k] });
                }
            }
            h.readiness.push((commits[commit].date, b));
        }
        before = Some(now);
    }
    h
}

/// The portfolio at the end of each of the last [`WEEKS`] weeks.
fn weeks(commits: &[Commit], by_id: &BTreeMap<String, Versions>, config: &Config, as_of: Date) -> Vec<Week> {
    if commits.is_empty() {
        return Vec::new();
    }
    let ends: Vec<Date> = (0..WEEKS).rev().map(|k| as_of.plus_days(-7 * k as i32)).collect();
    ends.iter()
        .map(|&end| {
            let start = end.plus_days(-6);
            let mut w = Week {
                end,
                pilots: 0,
                by_stage: vec![0; config.stages.len()],
                open: 0,
                overdue: 0,
                escalated: vec![0; config.escalation.len()],
                stale: 0,
                target_slips: 0,
                readiness: Vec::new(),
            };
            let mut sums = vec![0u64; config.rubric.len()];
            for list in by_id.values() {
                // The record as it stood at the end of the week.
                let at = |day: Date| {
                    list.iter().rev().find(|(c, _)| commits[*c].date <= day).and_then(|(_, p)| p.as_deref())
                };
                let Some(p) = at(end) else { continue };
                w.pilots += 1;
                if let Some(k) = config.stages.iter().position(|s| *s == p.stage) {
                    w.by_stage[k] += 1;
                }
                // The same rules as the facts of a build at `end`.
                for c in p.constraints.iter().filter(|c| c.raised.is_none_or(|r| r <= end)) {
                    if !facts::open_on(c, end) {
                        continue;
                    }
                    w.open += 1;
                    if let Some(late) = facts::overdue_on(c, end) {
                        w.overdue += 1;
                        if let Some(n) = facts::rung_of(late, config).and_then(|r| w.escalated.get_mut(r)) {
                            *n += 1;
                        }
                    }
                }
                let last = p.updates.iter().map(|u| u.week).filter(|d| *d <= end).max();
                if facts::stale_on(&p.stage, last, end, config) {
                    w.stale += 1;
                }
                if let (Some(now), Some(before)) = (p.target, at(start.plus_days(-1)).and_then(|b| b.target)) {
                    if now > before {
                        w.target_slips += 1;
                    }
                }
                for (k, pct) in percents(p).into_iter().enumerate() {
                    if let Some(s) = sums.get_mut(k) {
                        *s += u64::from(pct);
                    }
                }
            }
            w.readiness = sums.iter().map(|s| if w.pilots == 0 { 0 } else { (*s / w.pilots as u64) as u32 }).collect();
            w
        })
        .collect()
}
