//! Rules over the whole model: `(&Site, &Config) -> Vec<Diagnostic>`.
//! What reading one file cannot see (it needs the stage order, the as-of
//! date, or the other records and pages) is checked here. Severities are
//! each rule's default; `apply_config` applies `[rules]` from the config.

mod links;

use crate::config::Config;
use crate::diag::{Diagnostic, Rule};
use crate::model::{Site, OFF_PATH, SETTLED};

/// Runs every rule.
pub fn check(site: &Site, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    owners(site, config, &mut out);
    constraints(site, &mut out);
    stale(site, config, &mut out);
    production_ready(site, &mut out);
    stuck(site, config, &mut out);
    stage_dates(site, config, &mut out);
    links::check(site, &mut out);
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
fn owners(site: &Site, config: &Config, out: &mut Vec<Diagnostic>) {
    let Some(bridge) = config.stage_index("bridge") else { return };
    for p in &site.pilots {
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
}

/// Every constraint needs an owner and a due date; it cannot be resolved
/// before it was raised.
fn constraints(site: &Site, out: &mut Vec<Diagnostic>) {
    for p in &site.pilots {
        for c in &p.constraints {
            if c.owner.is_none() {
                out.push(
                    Diagnostic::new(Rule::ConstraintNoOwner, c.loc, format!("constraint `{}` has no owner", c.id))
                        .hint("add `owner = \"...\"`: who resolves it"),
                );
            }
            if c.due.is_none() {
                out.push(
                    Diagnostic::new(Rule::ConstraintNoDue, c.loc, format!("constraint `{}` has no due date", c.id))
                        .hint("add `due = 2026-03-15`: escalation counts from this date"),
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
}

fn stale(site: &Site, config: &Config, out: &mut Vec<Diagnostic>) {
    for p in site.pilots.iter().filter(|p| p.facts.stale) {
        let msg = match p.facts.days_since_update {
            Some(d) => {
                format!("pilot `{}` has had no update for {d} days (stale after {})", p.id, config.stale_after_days)
            }
            None => format!("pilot `{}` has no weekly update", p.id),
        };
        out.push(Diagnostic::new(Rule::Stale, p.loc, msg).hint("add an `[[updates]]` entry for this week"));
    }
}

fn production_ready(site: &Site, out: &mut Vec<Diagnostic>) {
    for p in site.pilots.iter().filter(|p| p.stage == "production" && !p.facts.production_ready) {
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
fn stuck(site: &Site, config: &Config, out: &mut Vec<Diagnostic>) {
    for p in site.pilots.iter().filter(|p| !SETTLED.contains(&p.stage.as_str())) {
        let Some(entry) = p.stages.iter().find(|s| s.stage == p.stage) else { continue };
        let days = site.as_of.days_since(entry.date);
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

/// Stage dates follow the stage order and are not after the as-of date.
fn stage_dates(site: &Site, config: &Config, out: &mut Vec<Diagnostic>) {
    for p in &site.pilots {
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
        for s in p.stages.iter().filter(|s| s.date > site.as_of) {
            out.push(
                Diagnostic::new(
                    Rule::StageDates,
                    s.loc,
                    format!("`{}` is dated {}, after the as-of date {}", s.stage, s.date, site.as_of),
                )
                .hint("a stage is entered on a day that has passed; plan future dates with `target`"),
            );
        }
    }
}
