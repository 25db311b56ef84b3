//! What the records' history means: each version read with the same reader
//! as today's records (`pilot::read`; a version that does not read is
//! skipped) and kept as the few facts the history needs of it (a
//! [`Snapshot`], kept between builds by blob: see [`Known`]), then, for
//! each pilot, what changed from one version to the
//! next (stage moves, target and due-date slips, constraints raised and
//! resolved, owner changes), and for the portfolio, the figures of each of
//! the last weeks as the records stood at the end of that week.
//! Commits after the as-of date are not looked at: the past is the past.

use super::{facts, BuildOptions, Pilot};
use crate::config::Config;
use crate::date::Date;
use crate::hash::FastMap;
use crate::history::{Commit, History, Status};
use crate::source::Doc;
use crate::text::{FileId, SourceFile};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A pilot's versions: the commit, and the record then (`None` where the
/// commit removed it), oldest first.
type Versions = Vec<(usize, Option<Arc<Snapshot>>)>;

/// What the history needs of a record as it stood at a commit: read from
/// the whole record once, then kept (see [`Known`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub title: String,
    pub stage: String,
    pub target: Option<Date>,
    pub owner: Option<String>,
    pub constraints: Vec<PastConstraint>,
    /// Percent met per dimension, in the rubric's order.
    pub readiness: Vec<u32>,
    /// The weeks of its updates, as written.
    pub updates: Vec<Date>,
}

/// A constraint as it stood at a commit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PastConstraint {
    pub id: String,
    pub title: String,
    pub raised: Option<Date>,
    pub due: Option<Date>,
    pub resolved: Option<Date>,
}

impl facts::Dated for PastConstraint {
    fn due(&self) -> Option<Date> {
        self.due
    }
    fn resolved(&self) -> Option<Date> {
        self.resolved
    }
}

impl Snapshot {
    fn of(p: &Pilot) -> Snapshot {
        Snapshot {
            title: p.title.clone(),
            stage: p.stage.clone(),
            target: p.target,
            owner: p.owner.clone(),
            constraints: p
                .constraints
                .iter()
                .map(|c| PastConstraint {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    raised: c.raised,
                    due: c.due,
                    resolved: c.resolved,
                })
                .collect(),
            readiness: p.readiness.iter().map(|d| facts::percent(d.met, d.total)).collect(),
            updates: p.updates.iter().map(|u| u.week).collect(),
        }
    }
}

/// What each version of a record read as, by blob and path (`None`: it
/// did not read, and is skipped): what [`derive()`] read once need not be
/// read again. The caller keeps it between builds (the pipeline, in
/// `.pilotdeck/history.bin`) for one config: what a record means
/// depends on the config (its stages, rubric, categories).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Known(BTreeMap<String, BTreeMap<String, Option<Arc<Snapshot>>>>);

impl Known {
    /// What the blob `blob` at `path` read as, if it is known.
    fn get(&self, blob: &str, path: &str) -> Option<&Option<Arc<Snapshot>>> {
        self.0.get(blob)?.get(path)
    }

    fn insert(&mut self, blob: &str, path: &str, read: Option<Arc<Snapshot>>) {
        self.0.entry(blob.to_string()).or_default().insert(path.to_string(), read);
    }

    /// How many versions it knows.
    fn len(&self) -> usize {
        self.0.values().map(BTreeMap::len).sum()
    }
}

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
    /// The portfolio on the config's `board_since` date, counted as the
    /// weeks are, when that date is before the as-of date and within the
    /// history read.
    pub board_since: Option<Week>,
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
    /// The record was renamed: its history carries on under its new id.
    Renamed {
        from: String,
    },
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

/// Reads every version of `history` on or before the as-of date (those
/// `known` does not know yet), and works out what changed. Gives back
/// what is known of every version of `history` after it, to hand in next
/// time with the same config, and whether that is more or less than
/// `known` held (whether it is worth keeping again).
pub fn derive(history: &History, config: &Config, opts: &BuildOptions, known: Known) -> (SiteHistory, Known, bool) {
    let as_of = opts.as_of;
    let mut timer = crate::timing::Timer::new();
    let mut out = SiteHistory { status: history.status.clone(), ..SiteHistory::default() };
    let kept = history.commits.iter().take_while(|c| c.date <= as_of).count();
    out.commits = history.commits[..kept].to_vec();
    let versions: Vec<&crate::history::Version> = history.versions.iter().filter(|v| v.commit < kept).collect();
    // Each distinct version not known yet read once, in parallel.
    let (read, known, moved) = read_versions(history, &versions, config, opts, known);
    timer.lap("history: versions read");
    let (by_id, renamed) = by_pilot(&versions, read);
    timer.lap("history: by pilot");
    // A shallow clone's first commit is where its history starts, not
    // where the records were made: what it holds is the starting point.
    let shallow = history.status == Status::Shallow;
    for (id, list) in &by_id {
        let renames = renamed.get(id).map_or(&[][..], Vec::as_slice);
        out.pilots.insert(id.clone(), pilot_history(list, renames, &out.commits, config, shallow));
    }
    timer.lap("history: pilots");
    out.weeks = weeks(&out.commits, &by_id, config, as_of);
    timer.lap("history: weeks");
    // A shallow clone knows nothing before its first commit.
    let first = out.commits.first().map(|c| c.date);
    let known_on = |day: Date| !shallow || first.is_some_and(|f| day >= f);
    out.weeks.retain(|w| known_on(w.end));
    out.board_since = config
        .board_since
        .filter(|d| *d < as_of && known_on(*d) && !out.commits.is_empty())
        .map(|d| week_at(d, &out.commits, &by_id, config));
    out.changes = changes(&out, &by_id, config, as_of);
    timer.lap("history: changes");
    (out, known, moved)
}

/// Where a record's history carries on under another id: (commit, the id
/// before), by the id after.
type Renamed = BTreeMap<String, Vec<(usize, String)>>;

/// The versions by pilot id: (commit, record or `None` where removed),
/// oldest first, `read` being what each of `versions` read as. A record
/// renamed in a commit (one removed, one added in the same commit, with
/// the same text, or else the only two of that commit with the same
/// title) carries on under its new id, with the versions of the old.
fn by_pilot(
    versions: &[&crate::history::Version],
    read: Vec<Option<Arc<Snapshot>>>,
) -> (BTreeMap<String, Versions>, Renamed) {
    let mut by_id: BTreeMap<String, Versions> = BTreeMap::new();
    let mut renamed = Renamed::new();
    // The blob and title of each record's last version that read.
    let mut last: FastMap<String, (&str, Arc<Snapshot>)> = FastMap::default();
    let mut read = read.into_iter();
    let mut k = 0;
    while k < versions.len() {
        let commit = versions[k].commit;
        let end = k + versions[k..].iter().take_while(|v| v.commit == commit).count();
        // Records removed and records made by this commit: (id, blob, title).
        let (mut gone, mut made) = (Vec::new(), Vec::new());
        for (v, pilot) in versions[k..end].iter().zip(read.by_ref()) {
            let parts: Vec<String> = v.path.split('/').map(str::to_string).collect();
            let Some(id) = super::pilot::id_of(&parts) else { continue };
            match (v.blob.as_deref(), pilot) {
                (Some(blob), Some(p)) => {
                    let list = by_id.entry(id.clone()).or_default();
                    if list.last().is_none_or(|(_, p)| p.is_none()) {
                        made.push((id.clone(), blob, p.title.clone()));
                    }
                    list.push((commit, Some(Arc::clone(&p))));
                    last.insert(id, (blob, p));
                }
                // A version that does not read is skipped.
                (Some(_), None) => {}
                (None, _) => {
                    let list = by_id.entry(id.clone()).or_default();
                    if list.last().is_some_and(|(_, p)| p.is_some()) {
                        if let Some((blob, p)) = last.get(&id) {
                            gone.push((id.clone(), *blob, p.title.clone()));
                        }
                    }
                    list.push((commit, None));
                }
            }
        }
        k = end;
        if gone.is_empty() || made.is_empty() {
            continue;
        }
        let only = |list: &[(String, &str, String)], title: &str| list.iter().filter(|x| x.2 == title).count() == 1;
        for (id, blob, title) in &made {
            let same_text = gone.iter().position(|g| g.1 == *blob);
            let same_title = || {
                let at = gone.iter().position(|g| g.2 == *title)?;
                (only(&gone, title) && only(&made, title)).then_some(at)
            };
            let Some(at) = same_text.or_else(same_title) else { continue };
            let (before, ..) = gone.remove(at);
            let mut list = by_id.remove(&before).unwrap_or_default();
            // Its removal is the rename, not an end.
            list.pop();
            list.extend(by_id.remove(id).unwrap_or_default());
            by_id.insert(id.clone(), list);
            let mut chain = renamed.remove(&before).unwrap_or_default();
            chain.push((commit, before));
            renamed.entry(id.clone()).or_default().extend(chain);
        }
    }
    (by_id, renamed)
}

/// How many weeks back `/changes/` keeps a page for.
pub const CHANGE_WEEKS: usize = 52;

/// What changed in each of the last [`CHANGE_WEEKS`] weeks with a change
/// (and the week of the as-of date), newest first.
fn changes(h: &SiteHistory, by_id: &BTreeMap<String, Versions>, config: &Config, as_of: Date) -> Vec<WeekChanges> {
    if h.commits.is_empty() {
        return Vec::new();
    }
    // Week `k` (0: the week of the as-of date) starts on `this - 7k`, back
    // to the week of the first commit.
    let this = as_of.week_start();
    let count = (this.days_since(h.commits[0].date.week_start()) / 7).max(0) as usize + 1;
    let start_of = |k: usize| this.plus_days(-7 * k as i32);
    let week_of = |day: Date| (this.days_since(day.week_start()) / 7) as usize;
    let mut weeks: Vec<Vec<Event>> = vec![Vec::new(); count];
    let mut mine: Vec<Vec<Event>> = vec![Vec::new(); count];
    for (id, list) in by_id {
        if let Some(ph) = h.pilots.get(id) {
            for c in &ph.changes {
                let date = h.commits[c.commit].date;
                if date <= as_of {
                    let what = EventKind::Changed(c.commit, c.kind.clone());
                    mine[week_of(date)].push(Event { pilot: id.clone(), date, what });
                }
            }
        }
        for (k, found) in mine.iter_mut().enumerate() {
            let (start, end) = (start_of(k), start_of(k).plus_days(6).min(as_of));
            // The record as it stood at the end of the week: what the
            // calendar did to it during the week.
            let at = list.iter().rev().find(|(c, _)| h.commits[*c].date <= end).and_then(|(_, p)| p.as_deref());
            if let Some(p) = at {
                for c in &p.constraints {
                    let Some(due) = c.due else { continue };
                    for (r, rung) in config.escalation.iter().enumerate() {
                        // The first day it is on this rung.
                        let day = due.plus_days(rung.after_days.max(1) as i32);
                        if day < start || day > end || c.raised.is_some_and(|raised| raised > day) {
                            continue;
                        }
                        if facts::overdue_on(c, day).and_then(|late| facts::rung_of(late, config)) == Some(r) {
                            let what = EventKind::Escalated { title: c.title.clone(), rung: r };
                            found.push(Event { pilot: id.clone(), date: day, what });
                        }
                    }
                }
                if let Some(last) = p.updates.iter().copied().filter(|d| *d <= end).max() {
                    let day = last.plus_days(config.stale_after_days as i32 + 1);
                    if day >= start && day <= end && facts::stale_on(&p.stage, Some(last), day, config) {
                        found.push(Event { pilot: id.clone(), date: day, what: EventKind::WentStale { last } });
                    }
                }
            }
            found.sort_by_key(|e| e.date);
            weeks[k].append(found);
        }
    }
    let mut out = Vec::new();
    for (k, events) in weeks.into_iter().enumerate() {
        if out.len() == CHANGE_WEEKS {
            break;
        }
        if k == 0 || !events.is_empty() {
            out.push(WeekChanges { start: start_of(k), end: start_of(k).plus_days(6).min(as_of), events });
        }
    }
    out
}

/// What each of `versions` reads as; and what is known after, of every
/// version of `history` (so that what history no longer holds is let
/// go). Each distinct version of `history` not in `known` is read once,
/// in parallel, also those after the as-of date: the history handed in
/// next time holds no text of them.
fn read_versions(
    history: &History,
    versions: &[&crate::history::Version],
    config: &Config,
    opts: &BuildOptions,
    mut known: Known,
) -> (Vec<Option<Arc<Snapshot>>>, Known, bool) {
    use rayon::prelude::*;
    let mut order = Vec::new();
    let mut seen: crate::hash::FastSet<(&str, &str)> = crate::hash::FastSet::default();
    for v in &history.versions {
        let (Some(blob), Some(text)) = (&v.blob, &v.text) else { continue };
        if known.get(blob, &v.path).is_none() && seen.insert((blob, &v.path)) {
            order.push((blob.as_str(), v.path.as_str(), Arc::clone(text)));
        }
    }
    let opts = BuildOptions { drafts: true, release_texts: false, ..*opts };
    let parsed: Vec<(&str, &str, Option<Arc<Snapshot>>)> = order
        .into_par_iter()
        .map(|(blob, path, text)| {
            let parts: Vec<String> = path.split('/').map(str::to_string).collect();
            let doc = Doc { file: FileId(0), parts };
            let source = SourceFile::new(format!("content/{path}"), text.to_string());
            let mut diags = Vec::new();
            let p = super::pilot::read(&doc, &source, config, &opts, &mut diags)
                .filter(|_| !diags.iter().any(crate::diag::Diagnostic::is_error));
            (blob, path, p.map(|p| Arc::new(Snapshot::of(&p))))
        })
        .collect();
    let mut moved = !parsed.is_empty();
    for (blob, path, read) in parsed {
        known.insert(blob, path, read);
    }
    // What no version of `history` is (a history rewritten since) is let
    // go; there can be such versions only when more are known than read.
    let with_blob = history.versions.iter().filter(|v| v.blob.is_some()).count();
    if known.len() > with_blob {
        let mut kept = Known::default();
        for v in &history.versions {
            let Some(blob) = v.blob.as_deref() else { continue };
            if let Some(read) = known.get(blob, &v.path) {
                kept.insert(blob, &v.path, read.clone());
            }
        }
        moved |= kept.len() != known.len();
        known = kept;
    }
    let read =
        versions.iter().map(|v| v.blob.as_deref().and_then(|b| known.get(b, &v.path)).cloned().flatten()).collect();
    (read, known, moved)
}

fn pilot_history(
    list: &Versions,
    renames: &[(usize, String)],
    commits: &[Commit],
    config: &Config,
    shallow: bool,
) -> PilotHistory {
    let mut h = PilotHistory::default();
    let mut before: Option<&Snapshot> = None;
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
        if let Some((_, from)) = renames.iter().find(|(c, _)| *c == commit) {
            push(ChangeKind::Renamed { from: from.clone() });
        }
        let Some(old) = before else {
            if !(shallow && commit == 0) {
                push(ChangeKind::Added);
            }
            h.readiness.push((commits[commit].date, now.readiness.clone()));
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
        let (a, b) = (&old.readiness, &now.readiness);
        if a != b {
            for (k, d) in config.rubric.iter().enumerate().take(b.len()) {
                let from = a.get(k).copied().unwrap_or(0);
                if from != b[k] {
                    push(ChangeKind::Readiness { dimension: d.label.clone(), from, to: b[k] });
                }
            }
            h.readiness.push((commits[commit].date, b.clone()));
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
    use rayon::prelude::*;
    (0..WEEKS).into_par_iter().rev().map(|k| week_at(as_of.plus_days(-7 * k as i32), commits, by_id, config)).collect()
}

/// The portfolio as its records stood at the end of `end`, and the target
/// slips of the seven days to it.
fn week_at(end: Date, commits: &[Commit], by_id: &BTreeMap<String, Versions>, config: &Config) -> Week {
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
        let at = |day: Date| list.iter().rev().find(|(c, _)| commits[*c].date <= day).and_then(|(_, p)| p.as_deref());
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
        let last = p.updates.iter().copied().filter(|d| *d <= end).max();
        if facts::stale_on(&p.stage, last, end, config) {
            w.stale += 1;
        }
        if let (Some(now), Some(before)) = (p.target, at(start.plus_days(-1)).and_then(|b| b.target)) {
            if now > before {
                w.target_slips += 1;
            }
        }
        for (k, &pct) in p.readiness.iter().enumerate() {
            if let Some(s) = sums.get_mut(k) {
                *s += u64::from(pct);
            }
        }
    }
    w.readiness = sums.iter().map(|s| if w.pilots == 0 { 0 } else { (*s / w.pilots as u64) as u32 }).collect();
    w
}
