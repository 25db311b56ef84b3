//! Rules over the whole model: `(&Site, &Config) -> Vec<Diagnostic>`.
//! What a single file's reading cannot see (it needs the stage order, the
//! as-of date or other records) is checked here.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::Site;

/// Runs every rule.
pub fn check(site: &Site, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    owners(site, config, &mut out);
    constraints(site, &mut out);
    stale(site, config, &mut out);
    production_ready(site, &mut out);
    out
}

/// Stages a pilot can reach from any other: not "later" than `bridge`.
const OFF_PATH: [&str; 2] = ["stalled", "retired"];

/// A pilot at `bridge` or a later stage on the way to production needs a
/// named production owner.
fn owners(site: &Site, config: &Config, out: &mut Vec<Diagnostic>) {
    let Some(bridge) = config.stage_index("bridge") else {
        return;
    };
    for p in &site.pilots {
        let later = config.stage_index(&p.stage).is_some_and(|i| i >= bridge) && !OFF_PATH.contains(&p.stage.as_str());
        if p.owner.is_none() && later {
            out.push(
                Diagnostic::error(
                    p.owner_loc,
                    format!("pilot `{}` is at `{}` without a production owner", p.id, p.stage),
                )
                .hint("add `owner = \"...\"`: the person accountable for the production outcome"),
            );
        }
    }
}

/// Every constraint needs a due date (escalation counts from it): an error.
/// One without an owner still builds, so that the library shows it as
/// unowned, but is a warning.
fn constraints(site: &Site, out: &mut Vec<Diagnostic>) {
    for p in &site.pilots {
        for c in &p.constraints {
            let d = match (c.owner.is_none(), c.due.is_none()) {
                (true, true) => Diagnostic::error(c.loc, format!("constraint `{}` has no owner and no due date", c.id))
                    .hint("add `owner = \"...\"` and `due = 2026-03-15`"),
                (false, true) => Diagnostic::error(c.loc, format!("constraint `{}` has no due date", c.id))
                    .hint("add `due = 2026-03-15`: escalation counts from this date"),
                (true, false) => Diagnostic::warning(c.loc, format!("constraint `{}` has no owner", c.id))
                    .hint("add `owner = \"...\"`: who resolves it"),
                (false, false) => continue,
            };
            out.push(d);
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
        out.push(Diagnostic::warning(p.loc, msg).hint("add an `[[updates]]` entry for this week"));
    }
}

fn production_ready(site: &Site, out: &mut Vec<Diagnostic>) {
    for p in site.pilots.iter().filter(|p| p.stage == "production" && !p.facts.production_ready) {
        let not: Vec<&str> = p.readiness.iter().filter(|d| !d.ready).map(|d| d.key.as_str()).collect();
        out.push(
            Diagnostic::warning(
                p.loc,
                format!("pilot `{}` is in production but not production-ready ({})", p.id, not.join(", ")),
            )
            .hint("record the missing evidence, or resolve the overdue constraints"),
        );
    }
}
