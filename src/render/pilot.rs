//! A pilot's readiness page: header, dimensions, the sponsor's four
//! questions answered from the record, constraints, integration map and
//! timeline.

use super::paging::RowLinks;
use super::views::*;
use crate::config::Config;
use crate::model::{Constraint, Pilot, Site, OFF_PATH};
use crate::names::{days, write_days};

pub(super) fn link(p: &Pilot) -> PilotLink {
    let mut note = String::new();
    Said::UpdateNote(p).write(&mut note, |o, t| o.push_str(t));
    PilotLink { id: p.id.clone(), title: p.title.clone(), url: crate::urls::pilot(&p.id), stage: p.stage.clone(), note }
}

fn text<S: AsRef<str>>(o: &Option<S>) -> &str {
    o.as_ref().map_or("", AsRef::as_ref)
}

fn date(d: Option<crate::date::Date>) -> String {
    d.map(crate::date::Date::text).unwrap_or_default()
}

/// Who a ladder rung's `to` means for this pilot: "sponsor (Maria Gomez)".
fn escalation_target(to: &str, p: &Pilot, c: &Constraint) -> String {
    let mut out = String::new();
    write_target(&mut out, to, p, c, &|o, t| o.push_str(t));
    out
}

/// The person a ladder rung's `to` names for this pilot, if recorded.
pub(super) fn escalation_who<'a>(to: &str, p: &'a Pilot, c: &'a Constraint) -> Option<&'a str> {
    crate::model::role_holder(to, p, c).flatten()
}

/// `overdue`, `open` or `resolved`.
pub(super) fn status(c: &Constraint) -> &'static str {
    if c.overdue_days.is_some() {
        "overdue"
    } else if c.open {
        "open"
    } else {
        "resolved"
    }
}

/// The playbook page a constraint links to (its path without slashes at
/// either end) and that page's title (the path when there is no such page).
pub(super) fn playbook<'a>(c: &'a Constraint, site: &'a Site) -> Option<(&'a str, &'a str)> {
    let path = c.playbook.as_deref()?.trim_matches('/');
    Some((path, site.title(path).unwrap_or(path)))
}

pub(crate) fn status_text(c: &Constraint, as_of: crate::date::Date) -> String {
    let mut out = String::new();
    write_status_text(&mut out, c, as_of);
    out
}

/// [`status_text`] appended to `out`. It is made of words, numbers and
/// dates: nothing in it needs escaping in HTML.
pub(crate) fn write_status_text(out: &mut String, c: &Constraint, as_of: crate::date::Date) {
    if let Some(d) = c.overdue_days {
        out.push_str("overdue by ");
        write_days(out, d);
        return;
    }
    if !c.open {
        out.push_str("resolved ");
        if let Some(r) = c.resolved {
            r.push_to(out);
        }
        if let (Some(r), Some(due)) = (c.resolved, c.due) {
            if r > due {
                out.push_str(", ");
                write_days(out, r.days_since(due));
                out.push_str(" late");
            }
        }
        return;
    }
    match c.due {
        None => out.push_str("no due date"),
        Some(due) if due == as_of => out.push_str("due today"),
        Some(due) => {
            out.push_str("due in ");
            write_days(out, due.days_since(as_of));
        }
    }
}

pub(super) fn constraint_row<'a>(
    p: &'a Pilot,
    c: &'a Constraint,
    site: &'a Site,
    links: RowLinks<'a>,
) -> ConstraintRow<'a> {
    use crate::urls;
    let (playbook_url, playbook_title) = match playbook(c, site) {
        Some((path, title)) => (Joined(urls::named_page_parts(path)), title),
        None => (Joined::EMPTY, ""),
    };
    let owner = c.owner.as_deref().unwrap_or("");
    let owner_url = match site.person(owner).filter(|_| !owner.is_empty()) {
        Some(person) => Joined(urls::owner_parts(&person.slug)),
        None => Joined::EMPTY,
    };
    ConstraintRow {
        id: &c.id,
        url: Joined(urls::constraint_parts(&p.id, &c.id)),
        pilot: PilotRef {
            id: &p.id,
            title: &p.title,
            url: Joined(urls::pilot_parts(&p.id)),
            stage: &p.stage,
            function: text(&p.function),
            note: Said::UpdateNote(p),
        },
        title: &c.title,
        category: &c.category,
        owner,
        raised: Day(c.raised),
        due: Day(c.due),
        resolved: Day(if c.open { None } else { c.resolved }),
        impact: text(&c.impact),
        ask: text(&c.ask),
        playbook_url,
        playbook_title,
        status: status(c),
        overdue_days: c.overdue_days.unwrap_or(0),
        escalated_to: Said::Escalated(p, c),
        status_text: Said::Status(c, site.as_of),
        anchor: Joined(urls::library_anchor_parts(&p.id, &c.id)),
        library_url: Joined(urls::library_entry_parts(links.page_of(site, p, c), &p.id, &c.id)),
        rung: text(&c.escalated_to),
        days_to_resolve: Count(c.days_to_resolve),
        owner_url,
    }
}

impl Said<'_> {
    /// The words, each piece of a record's text through `esc` (pushed as it
    /// is, or escaped for a page); the rest is words, numbers and dates.
    pub(crate) fn write(&self, out: &mut String, esc: impl Fn(&mut String, &str)) {
        match *self {
            Said::Status(c, as_of) => write_status_text(out, c, as_of),
            Said::Escalated(p, c) => {
                if let Some(to) = c.escalated_to.as_deref() {
                    write_target(out, to, p, c, &esc);
                }
            }
            Said::UpdateNote(p) => match p.facts.days_since_update {
                None => out.push_str("no update yet"),
                Some(d) => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "last update {d} days before the as-of date");
                }
            },
        }
    }

    /// Whether [`Said::write`] writes nothing.
    pub(crate) fn is_empty(&self) -> bool {
        match *self {
            Said::Status(..) | Said::UpdateNote(_) => false,
            Said::Escalated(_, c) => c.escalated_to.as_deref().unwrap_or("").is_empty(),
        }
    }
}

/// "sponsor (Maria Gomez)": a rung's `to` and whom it names for this pilot.
fn write_target(out: &mut String, to: &str, p: &Pilot, c: &Constraint, esc: &impl Fn(&mut String, &str)) {
    esc(out, to);
    if let Some(who) = escalation_who(to, p, c) {
        out.push_str(" (");
        esc(out, who);
        out.push(')');
    }
}

/// Open constraints, the most pressing first: overdue (most days first),
/// then by due date, then by title.
pub(super) fn pressing(p: &Pilot) -> Vec<&Constraint> {
    let mut open: Vec<&Constraint> = p.constraints.iter().filter(|c| c.open).collect();
    open.sort_by(|a, b| {
        b.overdue_days
            .unwrap_or(-1)
            .cmp(&a.overdue_days.unwrap_or(-1))
            .then(a.due.is_none().cmp(&b.due.is_none()))
            .then(a.due.cmp(&b.due))
            .then(a.title.cmp(&b.title))
    });
    open
}

pub(super) fn view<'a>(p: &'a Pilot, site: &'a Site, config: &'a Config, links: RowLinks<'a>) -> PilotView<'a> {
    let rows = |list| Rows { pilot: p, list, site, links };
    let open = rows(pressing(p));
    let mut resolved: Vec<&Constraint> = p.constraints.iter().filter(|c| !c.open).collect();
    resolved.sort_by(|a, b| b.resolved.cmp(&a.resolved).then(a.title.cmp(&b.title)));
    let stage_track = stage_track(p, config);
    let update_note = match (p.facts.last_update, p.facts.days_since_update) {
        (Some(w), Some(d)) => {
            format!("last update for the week of {w}, {} before the as-of date", days(d))
        }
        _ => "no weekly update recorded".into(),
    };
    PilotView {
        id: &p.id,
        title: &p.title,
        summary: text(&p.summary),
        stage: &p.stage,
        stage_track,
        function: text(&p.function),
        owner: text(&p.owner),
        champion: text(&p.champion),
        sponsor: text(&p.sponsor),
        started: date(p.started),
        target: date(p.target),
        success: text(&p.success),
        tags: &p.tags,
        stale: p.facts.stale,
        update_note,
        production_ready: p.facts.production_ready,
        time_to_production: p.facts.time_to_production.map(days).unwrap_or_default(),
        confidence_gap: p.facts.confidence_gap.map(|g| format!("{g:+}")).unwrap_or_default(),
        dimensions: dimensions(p),
        questions: questions(p, site),
        open,
        resolved: rows(resolved),
        integration: p
            .integration
            .iter()
            .map(|i| IntegrationRow {
                system: &i.system,
                direction: text(&i.direction),
                status: text(&i.status),
                notes: text(&i.notes),
            })
            .collect(),
        timeline: timeline(p),
        history: super::history::pilot_view(&site.history, config, &p.id),
        body_html: p.body.html.text(),
        toc: &p.body.toc,
        lessons_html: match &p.body.lessons[..] {
            [] => "".into(),
            [(_, one)] => one.as_str().into(),
            all => all.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join("\n").into(),
        },
    }
}

/// Writes into `d` what the page of `p` is made from besides what every
/// page shares (see `Plan::pilot_inputs`): the record as the model holds
/// it (`record`, its digest: see `Plan::records`), the digests of its
/// constraints' `rows` (see `Plan::row_digests`: what each row reads of
/// the rest of the site, [`row_inputs`]), and the pilot's history. Kept
/// in step with [`view`] by tests/page_memo.rs, which changes each of
/// these through another file and compares the pages with a build from
/// nothing.
pub(super) fn inputs(
    (p, record): (&Pilot, u128),
    rows: &[u128],
    site: &Site,
    config: &Config,
    d: &mut crate::text::Digester,
) {
    d.add(&record.to_le_bytes());
    d.add(&(rows.len() as u64).to_le_bytes());
    for row in rows {
        d.add(&row.to_le_bytes());
    }
    let _ = serde_json::to_writer(&mut *d, &super::history::pilot_view(&site.history, config, &p.id));
}

/// Writes into `d` what [`constraint_row`] reads of the site besides the
/// record of `p` and the as-of date: the constraint's playbook page title,
/// its owner's address and its page of the library.
pub(super) fn row_inputs(p: &Pilot, c: &Constraint, site: &Site, links: RowLinks<'_>, d: &mut crate::text::Digester) {
    d.add_opt(playbook(c, site).map(|(_, title)| title));
    let owner = c.owner.as_deref().unwrap_or("");
    d.add_opt(site.person(owner).filter(|_| !owner.is_empty()).map(|person| person.slug.as_str()));
    d.add_str(links.page_of(site, p, c));
}

/// The configured stages as steps: done, current, still to come, or (for a
/// pilot that stalled or retired) skipped.
fn stage_track<'a>(p: &'a Pilot, config: &'a Config) -> Vec<StageStep<'a>> {
    let off_path = OFF_PATH.contains(&p.stage.as_str());
    let current = config.stage_index(&p.stage);
    let entered = |s: &str| p.stages.iter().find(|e| e.stage == s).map(|e| e.date);
    // For a pilot off the main path, the furthest main stage it entered.
    let reached = config.stages.iter().rposition(|s| entered(s).is_some() && !OFF_PATH.contains(&s.as_str()));
    config
        .stages
        .iter()
        .enumerate()
        .filter(|(_, s)| !OFF_PATH.contains(&s.as_str()) || *s == &p.stage)
        .map(|(i, s)| {
            let state = if Some(i) == current {
                "current"
            } else if off_path {
                if reached.is_some_and(|r| i <= r) {
                    "done"
                } else {
                    "skipped"
                }
            } else if current.is_some_and(|c| i < c) {
                "done"
            } else {
                "todo"
            };
            StageStep { stage: s, date: date(entered(s)), state }
        })
        .collect()
}

fn dimensions(p: &Pilot) -> Vec<DimensionView<'_>> {
    // Constraint titles by id, for the overdue ones that hold a dimension
    // back (made only when one does: a look-up each, not a walk).
    let titles: crate::hash::FastMap<&str, &str> = if p.readiness.iter().any(|d| !d.blocked_by.is_empty()) {
        p.constraints.iter().map(|c| (c.id.as_str(), c.title.as_str())).collect()
    } else {
        Default::default()
    };
    p.readiness
        .iter()
        .map(|d| {
            let missing = d.total - d.met;
            let mut reasons = Vec::new();
            if missing > 0 {
                reasons.push(format!("{missing} of {} items not met", d.total));
            }
            if !d.blocked_by.is_empty() {
                let titles: Vec<String> = d
                    .blocked_by
                    .iter()
                    .filter_map(|id| titles.get(id.as_str()))
                    .map(|title| format!("“{title}”"))
                    .collect();
                reasons.push(format!("overdue: {}", titles.join(", ")));
            }
            DimensionView {
                key: &d.key,
                label: &d.label,
                met: d.met,
                total: d.total,
                percent: d.percent,
                ready: d.ready,
                reason: reasons.join("; "),
                items: d
                    .items
                    .iter()
                    .map(|e| {
                        let note = text(&e.note);
                        EvidenceView {
                            key: &e.key,
                            text: &e.text,
                            met: e.met,
                            note_is_link: note.starts_with("https://") || note.starts_with("http://"),
                            note,
                            state: if e.met {
                                "met"
                            } else if e.said_no {
                                "not met"
                            } else {
                                "missing"
                            },
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn answer(question: &str, lines: Vec<String>, warn: bool) -> Answer {
    Answer { question: question.into(), lines, tone: if warn { "warn".into() } else { String::new() } }
}

/// The sponsor's four questions, answered from the record, in the words
/// of the pilot's stage: a pilot on its way is asked what blocks its next
/// stage; one in production what keeps it running; a stalled or retired
/// one what happened and since when.
fn questions(p: &Pilot, site: &Site) -> Vec<Answer> {
    let open = pressing(p);
    let mut out = match p.stage.as_str() {
        "production" => production_questions(p, site, &open),
        "stalled" | "retired" => off_path_questions(p, site, &open),
        _ => pipeline_questions(p, site, &open),
    };
    out.push(escalation_answer("What must be escalated, and to whom?", p, &open));
    out
}

/// The most constraints an answer names: a record with thirty open ones
/// answers in a few lines and leaves the rest to its table of constraints.
const NAMED: usize = 5;

/// "and 12 more, under Constraints below", for an answer that named
/// [`NAMED`] of `all`; nothing when it named them all.
fn more(all: usize) -> Option<String> {
    (all > NAMED).then(|| format!("and {} more, under Constraints below", all - NAMED))
}

/// "“Title” (category), overdue by 3 days." and the others still open.
fn open_lines(open: &[&Constraint], as_of: crate::date::Date) -> Vec<String> {
    let Some(c) = open.first() else { return Vec::new() };
    let mut lines = vec![format!("“{}” ({}), {}.", c.title, c.category, status_text(c, as_of))];
    if open.len() > 1 {
        let mut rest: Vec<String> = open[1..].iter().take(NAMED).map(|c| format!("“{}”", c.title)).collect();
        rest.extend(more(open.len() - 1));
        lines.push(format!("Also open: {}.", rest.join(", ")));
    }
    lines
}

/// Who owns `c`, and by when.
fn owner_answer(q: &str, c: &Constraint, as_of: crate::date::Date) -> Answer {
    let mut lines = Vec::new();
    let mut warn = c.overdue_days.is_some();
    match &c.owner {
        Some(o) => lines.push(format!("{o} owns it.")),
        None => {
            lines.push("Nobody is named: the constraint needs an owner.".into());
            warn = true;
        }
    }
    match c.due {
        Some(due) => lines.push(format!("Due {due}: {}.", status_text(c, as_of))),
        None => {
            lines.push("No due date is set.".into());
            warn = true;
        }
    }
    answer(q, lines, warn)
}

/// The target date once it has passed: "The target date 2026-09-30 passed
/// 21 days ago, and the pilot is still in bridge."
fn target_passed(p: &Pilot, as_of: crate::date::Date) -> Option<String> {
    let t = p.target.filter(|t| *t < as_of)?;
    Some(format!(
        "The target date {t} passed {} ago, and the pilot is still in {}.",
        days(as_of.days_since(t)),
        p.stage
    ))
}

fn pipeline_questions(p: &Pilot, site: &Site, open: &[&Constraint]) -> Vec<Answer> {
    let q1 = "What constraint is preventing the next stage now?";
    let q2 = "Who owns resolving it, and by when?";
    let q3 = "What happens to the target date if it is not resolved?";
    let passed = target_passed(p, site.as_of);
    let Some(c) = open.first().copied() else {
        let gaps: Vec<String> = p
            .readiness
            .iter()
            .filter(|d| d.met < d.total)
            .map(|d| format!("{} {}/{}", d.key, d.met, d.total))
            .collect();
        let (line, warn) = if gaps.is_empty() {
            ("None: no open constraint, and every readiness item is met.".to_string(), false)
        } else {
            (
                format!(
                    "No constraint is logged, but readiness items are missing ({}). Log what stands in their way as constraints.",
                    gaps.join(", ")
                ),
                true,
            )
        };
        let (target, warn_target) = match (p.target, passed) {
            (_, Some(passed)) => (passed, true),
            (Some(t), None) => (format!("No logged constraint threatens the target date {t}."), false),
            (None, None) => ("No target date is set.".into(), true),
        };
        return vec![
            answer(q1, vec![line], warn),
            answer(q2, vec!["Nothing is waiting to be resolved.".into()], false),
            answer(q3, vec![target], warn_target),
        ];
    };
    let target = target_answer(q3, p, c, passed);
    vec![answer(q1, open_lines(open, site.as_of), c.overdue_days.is_some()), owner_answer(q2, c, site.as_of), target]
}

fn production_questions(p: &Pilot, site: &Site, open: &[&Constraint]) -> Vec<Answer> {
    let since = match (p.entered(), p.facts.time_to_production) {
        (Some(d), Some(n)) => format!("In production since {d}, {} after it entered pilot.", days(n)),
        (Some(d), None) => format!("In production since {d}."),
        (None, _) => "In production; the record gives no date for it.".to_string(),
    };
    let q1 = "What keeps it running, and what is open?";
    let mut running = vec![since];
    let warn = open.first().is_some_and(|c| c.overdue_days.is_some());
    if open.is_empty() {
        running.push("Nothing is open.".into());
    } else {
        running.extend(open_lines(open, site.as_of));
    }
    let q2 = "Who owns it in production, and what is open on them?";
    let owner = match open.first() {
        Some(c) => {
            let mut a = owner_answer(q2, c, site.as_of);
            a.lines = a.lines.into_iter().map(|l| format!("“{}”: {l}", c.title)).collect();
            a.lines.insert(0, production_owner(p));
            a
        }
        None => answer(q2, vec![production_owner(p)], p.owner.is_none()),
    };
    let q3 = "Is it doing what it set out to do?";
    let mut lines = vec![match &p.success {
        Some(s) => format!("It set out to achieve: {s}"),
        None => "The record does not say what success looks like: add `success`.".into(),
    }];
    if let Some(u) = p.updates.last() {
        if let Some(done) = u.completed.as_ref().filter(|t| !t.trim().is_empty()) {
            lines.push(format!("Latest update (week of {}): {done}", u.week));
        }
    }
    let outcome = answer(q3, lines, p.success.is_none());
    vec![answer(q1, running, warn), owner, outcome]
}

/// "Dana Okafor owns it in production."
fn production_owner(p: &Pilot) -> String {
    match &p.owner {
        Some(o) => format!("{o} owns it in production."),
        None => "Nobody is named as its owner in production.".into(),
    }
}

fn off_path_questions(p: &Pilot, site: &Site, open: &[&Constraint]) -> Vec<Answer> {
    let as_of = site.as_of;
    let stalled = p.stage == "stalled";
    // The stage it was in before it stopped: the latest other stage entered.
    let before = p.stages.iter().filter(|s| s.stage != p.stage).max_by_key(|s| s.date).map(|s| s.stage.as_str());
    let q1 = "What happened, and since when?";
    let mut lines = vec![match (p.entered(), before) {
        (Some(d), Some(b)) => {
            format!("{} on {d} ({} ago), after {b}.", crate::names::capitalized(&p.stage), days(as_of.days_since(d)))
        }
        (Some(d), None) => {
            format!("{} on {d} ({} ago).", crate::names::capitalized(&p.stage), days(as_of.days_since(d)))
        }
        (None, _) => format!("{}; the record gives no date for it.", crate::names::capitalized(&p.stage)),
    }];
    if let Some(b) =
        p.updates.iter().rev().find_map(|u| u.blocker.as_ref().filter(|t| !t.trim().is_empty()).map(|b| (u.week, b)))
    {
        lines.push(format!("Last blocker reported (week of {}): {}", b.0, b.1));
    }
    lines.extend(open_lines(open, as_of));
    let q2 = if stalled { "Who decides whether it restarts or retires?" } else { "Who owned it?" };
    let mut who = Vec::new();
    match (&p.sponsor, &p.owner) {
        (Some(s), Some(o)) => who.push(format!("{s} sponsors it; {o} owns it.")),
        (Some(s), None) => who.push(format!("{s} sponsors it; no owner is named.")),
        (None, Some(o)) => who.push(format!("{o} owns it; no sponsor is named.")),
        (None, None) => who.push("Neither a sponsor nor an owner is named.".into()),
    }
    if let Some(c) = open.first() {
        who.extend(owner_answer(q2, c, as_of).lines.into_iter().map(|l| format!("“{}”: {l}", c.title)));
    }
    let q3 = "What happens to the target date?";
    let target = match p.target {
        None => "No target date is set.".to_string(),
        Some(t) if !stalled => format!("It was retired; the target date {t} no longer applies."),
        Some(t) if t < as_of => {
            format!("The target date {t} passed {} ago while the pilot is stalled.", days(as_of.days_since(t)))
        }
        Some(t) => format!(
            "The target date {t} is {} away, and cannot be met while the pilot is stalled.",
            days(t.days_since(as_of))
        ),
    };
    vec![
        answer(q1, lines, stalled),
        answer(q2, who, stalled && p.sponsor.is_none()),
        answer(q3, vec![target], stalled && p.target.is_some()),
    ]
}

/// What the top constraint does to the target date; `passed` says that
/// the target date has passed already.
fn target_answer(q: &str, p: &Pilot, c: &Constraint, passed: Option<String>) -> Answer {
    let mut lines = Vec::new();
    let already = passed.is_some();
    let mut warn = already;
    lines.extend(passed);
    match &c.impact {
        Some(i) => lines.push(i.to_string()),
        None => {
            lines.push("The record does not say: add `impact` to the constraint.".into());
            warn = true;
        }
    }
    match (p.target, c.due) {
        _ if already => {}
        (Some(t), Some(due)) if due > t => {
            lines.push(format!(
                "Its due date {due} is after the target date {t}: the target cannot hold unless it is resolved sooner."
            ));
            warn = true;
        }
        (Some(t), _) if c.overdue_days.is_some() => {
            lines.push(format!("The target date is {t}, and this constraint is already past due."));
            warn = true;
        }
        (Some(t), _) => lines.push(format!("The target date is {t}.")),
        (None, _) => lines.push("No target date is set.".into()),
    }
    if let Some(conf) = p.updates.last().and_then(|u| u.confidence) {
        lines.push(format!(
            "In the latest update the leader rates confidence in the target {}/5 and the team {}/5.",
            conf.leader, conf.team
        ));
    }
    answer(q, lines, warn)
}

fn escalation_answer(q: &str, p: &Pilot, open: &[&Constraint]) -> Answer {
    // Each overdue constraint with the rung it reached.
    let due: Vec<(&Constraint, &str)> = open.iter().filter_map(|c| Some((*c, c.escalated_to.as_deref()?))).collect();
    let mut lines: Vec<String> = due
        .iter()
        .take(NAMED)
        .map(|&(c, to)| {
            format!(
                "“{}”, overdue by {}: escalate to the {}.",
                c.title,
                days(c.overdue_days.unwrap_or(0)),
                escalation_target(to, p, c)
            )
        })
        .collect();
    lines.extend(more(due.len()).map(|m| format!("{}.", crate::names::capitalized(&m))));
    let warn = !lines.is_empty();
    if let Some(u) = p.updates.last() {
        if let Some(e) = u.escalation.as_ref().filter(|e| !e.trim().is_empty()) {
            lines.push(format!("The team asks (week of {}): {e}", u.week));
        }
    }
    if lines.is_empty() {
        lines.push("Nothing: no constraint has passed its due date, and the team has asked for no escalation.".into());
    }
    answer(q, lines, warn)
}

fn timeline(p: &Pilot) -> Vec<TimelineRow<'_>> {
    let empty = |date: String, kind: &'static str| TimelineRow {
        date,
        kind,
        stage: "",
        completed: "",
        blocker: "",
        risk: "",
        escalation: "",
        leader: 0,
        team: 0,
    };
    let mut rows: Vec<(crate::date::Date, u8, TimelineRow<'_>)> = Vec::new();
    for s in &p.stages {
        rows.push((s.date, 0, TimelineRow { stage: &s.stage, ..empty(s.date.text(), "stage") }));
    }
    for u in &p.updates {
        let (leader, team) = u.confidence.map_or((0, 0), |c| (c.leader.into(), c.team.into()));
        rows.push((
            u.week,
            1,
            TimelineRow {
                completed: text(&u.completed),
                blocker: text(&u.blocker),
                risk: text(&u.risk),
                escalation: text(&u.escalation),
                leader,
                team,
                ..empty(u.week.text(), "update")
            },
        ));
    }
    rows.sort_by_key(|r| (r.0, r.1));
    rows.into_iter().map(|r| r.2).collect()
}

/// A record's constraint rows, made as they are written (see [`Rows`]).
impl serde::Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.list.iter().map(|&c| constraint_row(self.pilot, c, self.site, self.links)))
    }
}
