//! Rules over the whole model: `(&Site, &Config) -> Vec<Diagnostic>`.
//! What reading one file cannot see (it needs the stage order, the as-of
//! date, or the other records and pages) is checked here. Severities are
//! each rule's default; `apply_config` applies `[rules]` from the config.

mod links;

use crate::config::Config;
use crate::date::Date;
use crate::diag::{Diagnostic, Rule};
use crate::hash::FastMap;
use crate::model::{Pilot, Site, OFF_PATH, SETTLED};
use std::sync::Arc;

/// Runs every rule.
pub fn check(site: &Site, config: &Config) -> Vec<Diagnostic> {
    check_reusing(site, config, Findings::default()).0
}

/// What the rules found in each record of a run, with the record. A record
/// whose file did not change is the same shared `Pilot` in the next model
/// (see `model::ModelCache`), and is not checked again.
#[derive(Default)]
pub struct Findings {
    records: Vec<(Arc<Pilot>, Vec<Diagnostic>)>,
}

/// Runs every rule, taking what the rules of one record found from
/// `previous` (a run with the same config and as-of date) when that record
/// is the same; returns the findings and what the next run may reuse.
pub fn check_reusing(site: &Site, config: &Config, previous: Findings) -> (Vec<Diagnostic>, Findings) {
    // The links and the per-record rules each walk every record: side by side.
    let (per_record, links) = rayon::join(
        || {
            let mut previous = previous.records;
            let records = || site.pilots.iter().chain(&site.incomplete);
            // Which earlier findings are this run's: those of the same record,
            // at its place (a pointer compared), else found by its id in a
            // map made only when records moved.
            let reuse: Vec<Option<usize>> = {
                let mut at: Option<FastMap<&str, usize>> = None;
                (records().enumerate())
                    .map(|(k, p)| {
                        match previous.get(k) {
                            Some((q, _)) if Arc::ptr_eq(q, p) => return Some(k),
                            // The record at its place, changed.
                            Some((q, _)) if q.id == p.id => return None,
                            _ => {}
                        }
                        let at = at.get_or_insert_with(|| {
                            previous.iter().enumerate().map(|(i, (p, _))| (p.id.as_str(), i)).collect()
                        });
                        at.get(p.id.as_str()).copied().filter(|&i| Arc::ptr_eq(&previous[i].0, p))
                    })
                    .collect()
            };
            let mut found_now = Vec::with_capacity(reuse.len());
            let mut out = Vec::new();
            for (p, kept) in records().zip(reuse) {
                let found = match kept {
                    Some(i) => std::mem::take(&mut previous[i].1),
                    None => pilot(p, site.as_of, config),
                };
                out.extend(found.iter().cloned());
                found_now.push((Arc::clone(p), found));
            }
            (out, Findings { records: found_now })
        },
        || {
            // Every link rule is PD020: turned off, no link is looked at
            // (nor any "did you mean" hint looked for).
            let mut out = Vec::new();
            if config.rules.get(&Rule::BrokenLink) != Some(&None) {
                links::check(site, &mut out);
            }
            out
        },
    );
    let (mut out, findings) = per_record;
    out.extend(links);
    (out, findings)
}

/// The rules that need one record only (with the config and as-of date).
fn pilot(p: &Pilot, as_of: Date, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    owners(p, config, &mut out);
    constraints(p, as_of, &mut out);
    unfilled_rungs(p, config, &mut out);
    stale(p, config, &mut out);
    production_ready(p, &mut out);
    stuck(p, as_of, config, &mut out);
    stage_dates(p, config, &mut out);
    out
}

/// Applies `[rules]`: a rule turned off loses its diagnostics; one promoted
/// or demoted changes their severity.
pub fn apply_config(diags: &mut Vec<Diagnostic>, config: &Config) {
    diags.retain_mut(|d| match config.rules.get(&d.rule) {
        None => true,
        Some(None) => false,
        Some(Some(severity)) => {
            d.severity = *severity;
            true
        }
    });
}

/// A pilot at `bridge` or a later stage on the way to production needs a
/// named production owner.
fn owners(p: &Pilot, config: &Config, out: &mut Vec<Diagnostic>) {
    let Some(bridge) = config.stage_index("bridge") else { return };
    let later = config.stage_index(&p.stage).is_some_and(|i| i >= bridge) && !OFF_PATH.contains(&p.stage.as_str());
    if p.owner.is_none() && later {
        out.push(
            Diagnostic::new(
                Rule::NoOwner,
                p.owner_loc,
                format!("pilot `{}` is at `{}` without a production owner", p.id, p.stage),
            )
            .hint("add `owner = \"...\"`: the person accountable for the production outcome"),
        );
    }
}

/// Every constraint needs an owner and a due date; it cannot be resolved
/// before it was raised.
fn constraints(p: &Pilot, as_of: Date, out: &mut Vec<Diagnostic>) {
    for c in &p.constraints {
        if c.owner.is_none() {
            out.push(
                Diagnostic::new(Rule::ConstraintNoOwner, c.loc, format!("constraint `{}` has no owner", c.id))
                    .hint("add `owner = \"...\"`: who resolves it"),
            );
        }
        if !c.due_written {
            out.push(
                Diagnostic::new(Rule::ConstraintNoDue, c.loc, format!("constraint `{}` has no due date", c.id)).hint(
                    format!(
                        "add `due = {}` (a date two weeks on, for instance): escalation counts from this date",
                        as_of.plus_days(14)
                    ),
                ),
            );
        }
        if let (Some(raised), Some(resolved)) = (c.raised, c.resolved) {
            if resolved < raised {
                out.push(
                    Diagnostic::new(
                        Rule::ResolvedBeforeRaised,
                        c.loc,
                        format!("constraint `{}` was resolved ({resolved}) before it was raised ({raised})", c.id),
                    )
                    .hint("check both dates"),
                );
            }
        }
    }
}

/// An open constraint whose escalation rung names a role of its pilot that
/// nobody fills (`sponsor` for a pilot without one): escalated to nobody.
/// A constraint without an owner at the `owner` rung is PD011 already.
fn unfilled_rungs(p: &Pilot, config: &Config, out: &mut Vec<Diagnostic>) {
    if p.facts.top_rung.is_none() {
        return;
    }
    for c in p.constraints.iter().filter(|c| c.open) {
        let Some(rung) = c.rung.and_then(|r| config.escalation.get(r)) else { continue };
        if &*rung.to == "owner" || crate::model::holder(rung, p, c) != crate::model::Holder::Role(None) {
            continue;
        }
        let key = match &*rung.to {
            "production owner" | "pilot owner" => "owner",
            other => other,
        };
        out.push(
            Diagnostic::new(
                Rule::UnfilledRung,
                c.loc,
                format!(
                    "constraint `{}` is overdue by {} days and escalated to the {}, but pilot `{}` has no {key}",
                    c.id,
                    c.overdue_days.unwrap_or(0),
                    rung.to,
                    p.id
                ),
            )
            .hint(format!(
                "add `{key} = \"...\"` to the pilot, so that someone has it; or resolve it, or move its `due` date"
            )),
        );
    }
}

fn stale(p: &Pilot, config: &Config, out: &mut Vec<Diagnostic>) {
    if p.facts.stale {
        let msg = match p.facts.days_since_update {
            Some(d) => {
                format!("pilot `{}` has had no update for {d} days (stale after {})", p.id, config.stale_after_days)
            }
            None => format!("pilot `{}` has no weekly update", p.id),
        };
        out.push(Diagnostic::new(Rule::Stale, p.loc, msg).hint("add an `[[updates]]` entry for this week"));
    }
}

fn production_ready(p: &Pilot, out: &mut Vec<Diagnostic>) {
    if p.stage == "production" && !p.facts.production_ready {
        let not: Vec<&str> = p.readiness.iter().filter(|d| !d.ready).map(|d| d.key.as_str()).collect();
        out.push(
            Diagnostic::new(
                Rule::NotProductionReady,
                p.loc,
                format!("pilot `{}` is in production but not production-ready ({})", p.id, not.join(", ")),
            )
            .hint("record the missing evidence, or resolve the overdue constraints"),
        );
    }
}

/// A pilot in flight that entered its stage more than `stuck_after_days` ago.
fn stuck(p: &Pilot, as_of: Date, config: &Config, out: &mut Vec<Diagnostic>) {
    if !SETTLED.contains(&p.stage.as_str()) {
        let Some(entry) = p.stages.iter().find(|s| s.stage == p.stage) else { return };
        let days = as_of.days_since(entry.date);
        if days > config.stuck_after_days {
            out.push(
                Diagnostic::new(
                    Rule::Stuck,
                    entry.loc,
                    format!(
                        "pilot `{}` has been at `{}` for {days} days (more than {})",
                        p.id, p.stage, config.stuck_after_days
                    ),
                )
                .hint("log what holds it as a constraint, or move it on (or to `stalled`)"),
            );
        }
    }
}

/// Stage dates follow the stage order (a stage dated after the as-of date
/// is the model's to report: see `model::past`).
fn stage_dates(p: &Pilot, config: &Config, out: &mut Vec<Diagnostic>) {
    let mut latest: Option<&crate::model::StageEntry> = None;
    for s in p.stages.iter().filter(|s| !OFF_PATH.contains(&s.stage.as_str())) {
        if let Some(prev) = latest.filter(|prev| s.date < prev.date) {
            out.push(
                Diagnostic::new(
                    Rule::StageDates,
                    s.loc,
                    format!("`{}` was entered on {}, before `{}` ({})", s.stage, s.date, prev.stage, prev.date),
                )
                .hint(format!("stages follow the order {}", config.stages.join(", "))),
            );
        }
        if latest.is_none_or(|prev| s.date >= prev.date) {
            latest = Some(s);
        }
    }
}
