//! What the records' git history shows: a pilot's changes, newest first,
//! each with its commit (`model::history` works them out).

use super::views::{ChangeGroup, ChangeRow, ChangesView, HistoryRow, PilotHistoryView, WeekLink};
use crate::config::Config;
use crate::date::Date;
use crate::history::Status;
use crate::model::history::{ChangeKind, EventKind, SiteHistory};
use crate::model::Site;
use crate::names::days;
use std::fmt::Write as _;

fn or_none(d: Option<crate::date::Date>) -> String {
    d.map_or_else(|| "none".into(), |d| d.text())
}

/// Why the site's history is not shown in full, in a sentence; empty when
/// it is.
pub(super) fn status_note(status: &Status) -> String {
    match status {
        Status::Whole => String::new(),
        Status::Off => "History is turned off in pilotdeck.toml (`history = false`).".into(),
        Status::NoRepository => "This site is not in a git repository, so how it moved is not known.".into(),
        Status::Shallow => "Only the commits of a shallow clone were read, so earlier changes are missing: \
                            clone with the whole history (`fetch-depth: 0` in GitHub Actions)."
            .into(),
        Status::Unreadable(why) => format!("The git history could not be read: {why}."),
    }
}

/// What a change says, in words.
fn said(kind: &ChangeKind) -> String {
    match kind {
        ChangeKind::Added => "Record added".into(),
        ChangeKind::Removed => "Record removed".into(),
        ChangeKind::Renamed { from } => format!("Renamed from {from}"),
        ChangeKind::Stage { from, to } => format!("Entered {to} (from {from})"),
        ChangeKind::Target { from: Some(a), to: Some(b), days: n } if *n > 0 => {
            format!("Target date moved {} later, from {a} to {b}", days(*n))
        }
        ChangeKind::Target { from: Some(a), to: Some(b), days: n } => {
            format!("Target date moved {} earlier, from {a} to {b}", days(-n))
        }
        ChangeKind::Target { from: None, to: Some(b), .. } => format!("Target date set to {b}"),
        ChangeKind::Target { from, .. } => format!("Target date removed (was {})", or_none(*from)),
        ChangeKind::Owner { from: Some(a), to: Some(b) } => format!("Owner changed from {a} to {b}"),
        ChangeKind::Owner { from: None, to: Some(b) } => format!("Owner named: {b}"),
        ChangeKind::Owner { from, .. } => format!("Owner removed (was {})", from.as_deref().unwrap_or("nobody")),
        ChangeKind::Raised { title } => format!("“{title}” raised"),
        ChangeKind::Resolved { title } => format!("“{title}” resolved"),
        ChangeKind::Replanned { title, from, to, days: n } if *n > 0 => {
            format!("“{title}” re-planned {} later, due {} -> {}", days(*n), or_none(*from), or_none(*to))
        }
        ChangeKind::Replanned { title, from, to, days: n } if *n < 0 => {
            format!("“{title}” brought forward {}, due {} -> {}", days(-n), or_none(*from), or_none(*to))
        }
        ChangeKind::Replanned { title, from, to, .. } => {
            format!("“{title}” due date changed, {} -> {}", or_none(*from), or_none(*to))
        }
        ChangeKind::Readiness { dimension, from, to } => format!("{dimension}: {from}% -> {to}%"),
    }
}

/// The commit `i`'s link in the repository's web view, or empty.
fn commit_url(config: &Config, id: &str) -> String {
    if config.repo_url.is_empty() {
        String::new()
    } else {
        format!("{}/commit/{id}", config.repo_url)
    }
}

/// The heading a change goes under on `/changes/`, in the order shown.
const GROUPS: [&str; 9] = [
    "Stage moves",
    "Newly escalated",
    "Constraints raised",
    "Constraints resolved",
    "Constraints re-planned",
    "Target dates moved",
    "Went stale",
    "Readiness",
    "Owners and records",
];

fn group_of(what: &EventKind) -> usize {
    match what {
        EventKind::Changed(_, kind) => match kind {
            ChangeKind::Stage { .. } => 0,
            ChangeKind::Raised { .. } => 2,
            ChangeKind::Resolved { .. } => 3,
            ChangeKind::Replanned { .. } => 4,
            ChangeKind::Target { .. } => 5,
            ChangeKind::Readiness { .. } => 7,
            ChangeKind::Added | ChangeKind::Removed | ChangeKind::Renamed { .. } | ChangeKind::Owner { .. } => 8,
        },
        EventKind::Escalated { .. } => 1,
        EventKind::WentStale { .. } => 6,
    }
}

/// The page of each week of `SiteHistory::changes` (0: the week of the
/// as-of date; one page that says history is not known when it is not).
pub(super) fn changes_views(site: &Site, config: &Config) -> Vec<ChangesView> {
    let h = &site.history;
    // The links to every week, the same on each week's page but for
    // which one is `here`.
    let weeks: Vec<WeekLink> = h
        .changes
        .iter()
        .enumerate()
        .map(|(k, w)| WeekLink {
            start: w.start.text(),
            url: crate::urls::changes_page(k, w.start),
            count: w.events.len(),
            here: false,
        })
        .collect();
    (0..h.changes.len().max(1)).map(|i| changes_view(site, config, i, &weeks)).collect()
}

/// The page of the week `i`, with `weeks` (see [`changes_views`]).
fn changes_view(site: &Site, config: &Config, i: usize, weeks: &[WeekLink]) -> ChangesView {
    let h = &site.history;
    let note = status_note(&h.status);
    let Some(week) = h.changes.get(i).filter(|_| h.is_known()) else {
        let note = if note.is_empty() { "No commit has changed a pilot record yet.".into() } else { note };
        return ChangesView { known: false, note, current: true, ..ChangesView::default() };
    };
    let mut groups: Vec<Vec<ChangeRow>> = GROUPS.iter().map(|_| Vec::new()).collect();
    for e in &week.events {
        let found = site.pilot_index(&e.pilot);
        let title = found.map_or(e.pilot.as_str(), |k| site.pilots[k].title.as_str());
        let (text, author, commit, url) = match &e.what {
            EventKind::Changed(c, kind) => {
                let c = &h.commits[*c];
                (said(kind), c.author.clone(), c.id.chars().take(8).collect(), commit_url(config, &c.id))
            }
            EventKind::Escalated { title, rung } => {
                let to = config.escalation.get(*rung).map_or("", |r| &*r.to);
                let text = if *rung == 0 {
                    format!("“{title}” became overdue ({to})")
                } else {
                    format!("“{title}” escalated to {to}")
                };
                (text, String::new(), String::new(), String::new())
            }
            EventKind::WentStale { last } => {
                (format!("Went stale: no update since the week of {last}"), String::new(), String::new(), String::new())
            }
        };
        groups[group_of(&e.what)].push(ChangeRow {
            date: e.date.text(),
            pilot: title.to_string(),
            url: crate::urls::pilot(&e.pilot),
            text,
            author,
            commit,
            commit_url: url,
        });
    }
    let weeks = weeks.iter().enumerate().map(|(k, w)| WeekLink { here: k == i, ..w.clone() }).collect();
    ChangesView {
        known: true,
        note,
        start: week.start.text(),
        end: week.end.text(),
        current: i == 0,
        count: week.events.len(),
        groups: GROUPS
            .iter()
            .zip(groups)
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(t, rows)| ChangeGroup { title: t.to_string(), rows })
            .collect(),
        weeks,
    }
}

/// The history section of the pilot `id`'s page.
pub(super) fn pilot_view(history: &SiteHistory, config: &Config, id: &str) -> PilotHistoryView {
    let note = status_note(&history.status);
    let Some(h) = history.pilots.get(id).filter(|_| history.is_known()) else {
        let note = if note.is_empty() { "No commit has changed this record yet.".into() } else { note };
        return PilotHistoryView { known: false, note, ..PilotHistoryView::default() };
    };
    let rows = h
        .changes
        .iter()
        .rev()
        .map(|c| {
            let commit = &history.commits[c.commit];
            HistoryRow {
                date: commit.date.text(),
                text: said(&c.kind),
                author: commit.author.clone(),
                commit: commit.id.chars().take(8).collect(),
                url: commit_url(config, &commit.id),
            }
        })
        .collect();
    PilotHistoryView {
        known: true,
        note,
        rows,
        target_slip: if h.target_slip_days > 0 { days(h.target_slip_days) } else { String::new() },
        due_slip: if h.due_slip_days > 0 { days(h.due_slip_days) } else { String::new() },
    }
}

/// How a headline figure moved: its change against `since` (its value on
/// an earlier day: "+5 since 2026-10-01"), else against four weeks earlier
/// ("+5 in 4 weeks"), and the points of a line of the weekly values
/// (`x,y` in a 100 x 24 box, the latest at the right), the last week's
/// value being `now` (the figure on the page, for the same date). Without
/// `since`, empty without at least five weeks of history; the line too.
pub(super) fn trend(weekly: &[usize], now: usize, since: Option<(usize, Date)>) -> (String, String) {
    let (before, when) = match since {
        Some((then, day)) => (then, format!("since {day}")),
        None if weekly.len() >= 5 => (weekly[weekly.len() - 5], "in 4 weeks".to_string()),
        None => return (String::new(), String::new()),
    };
    let trend = match now as i64 - before as i64 {
        0 => format!("no change {when}"),
        c => format!("{c:+} {when}"),
    };
    if weekly.len() < 5 {
        return (trend, String::new());
    }
    let mut values = weekly.to_vec();
    *values.last_mut().expect("five weeks") = now;
    let (low, high) = (*values.iter().min().unwrap_or(&0), *values.iter().max().unwrap_or(&0));
    let span = (high - low).max(1) as f64;
    let step = 100.0 / (values.len() - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, 22.0 - 20.0 * (*v - low) as f64 / span))
        .collect();
    (trend, points.join(" "))
}

/// `changes/feed.xml`: one entry per week of `/changes/`, newest first,
/// its summary the week's changes counted by kind and listed.
pub(super) fn changes_feed(site: &Site, config: &Config, views: &[ChangesView]) -> String {
    let base = crate::urls::feed_base(&config.base_url);
    let entries = site
        .history
        .changes
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.events.is_empty())
        .filter_map(|(i, w)| Some((i, w, views.get(i)?)))
        .map(|(i, w, view)| {
            let mut summary = String::new();
            for g in &view.groups {
                let _ = writeln!(summary, "{} ({}):", g.title, g.rows.len());
                for r in &g.rows {
                    let _ = writeln!(summary, "- {}: {} ({})", r.pilot, r.text, r.date);
                }
            }
            let address = crate::urls::changes_page(i, w.start);
            crate::exports::Entry {
                id: format!("urn:pilotdeck:changes:{}", w.start),
                date: w.end,
                title: format!("Week of {}: {} changes", w.start, w.events.len()),
                link: [base.as_str(), &address].concat(),
                summary: summary.trim_end().to_string(),
            }
        })
        .collect();
    let title = format!("{} — what changed, week by week", config.title);
    crate::exports::atom(
        &base,
        (crate::urls::CHANGES, "changes"),
        &title,
        crate::urls::CHANGES_FEED,
        entries,
        &config.title,
        site.as_of,
    )
}
