//! What the passes over every record read of it (the names written, the
//! open constraints on the ladder, the tags), read once for each run of
//! records, the runs side by side. Each such walk is bound by memory
//! latency: at 10,000 pilots of the mix the names alone took 20 ms. A run
//! whose records are the very records of a run read before (`serve`,
//! after an edit to one record) is kept, not read again. The passes then
//! merge the runs in order, as one walk over every record would.

use super::{tag_key, Pilot};
use crate::diag::Loc;
use crate::hash::Numbered;
use std::sync::Arc;

/// Records per run.
pub(super) const RUN: usize = 512;

/// What one run of records writes that the passes over every record read.
#[derive(Debug)]
pub(super) struct Run {
    /// Each name written (owners, champions, sponsors, constraint owners)
    /// once, in the order first written.
    pub names: Vec<Box<str>>,
    /// Each record's owner, champion and sponsor, as places in `names`.
    pub roles: Vec<[Option<u32>; 3]>,
    /// Each record's number of constraints.
    pub counts: Vec<u32>,
    /// Each constraint's owner as a place in `names`, record after record.
    pub owners: Vec<Option<u32>>,
    /// Each open constraint on a rung of the ladder: (record in the run,
    /// constraint, rung), in order.
    pub ranked: Vec<(u32, u32, u32)>,
    /// Each tag once by its key ([`tag_key`]), in the order first written:
    /// the key, the tag as first written, and the record's place.
    pub tags: Vec<(Box<str>, Box<str>, Loc)>,
}

/// The records of an analysis before (of the same config) and their runs.
pub(super) type Before<'a> = (&'a [Arc<Pilot>], &'a [Arc<Run>]);

/// The runs of `pilots`, for a ladder of `rungs` rungs.
pub(super) fn read(pilots: &[Arc<Pilot>], rungs: usize, before: Option<Before<'_>>) -> Vec<Arc<Run>> {
    use rayon::prelude::*;
    pilots
        .par_chunks(RUN)
        .enumerate()
        .map(|(r, run)| {
            let kept = before.and_then(|(pilots, runs)| {
                let same = pilots.get(r * RUN..r * RUN + run.len())?;
                let same = same.iter().zip(run).all(|(a, b)| Arc::ptr_eq(a, b));
                runs.get(r).filter(|_| same)
            });
            kept.map_or_else(|| Arc::new(one(run, rungs)), Arc::clone)
        })
        .collect()
}

/// Every open constraint on a rung of the ladder in `runs`, in order:
/// (pilot, constraint, rung).
pub(super) fn ranked(runs: &[Arc<Run>]) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    (runs.iter().enumerate()).flat_map(|(r, run)| {
        run.ranked.iter().map(move |&(k, j, rung)| (r * RUN + k as usize, j as usize, rung as usize))
    })
}

/// One run.
fn one<'a>(pilots: &'a [Arc<Pilot>], rungs: usize) -> Run {
    let mut numbered: Numbered<&str> = Numbered::default();
    let mut names = Vec::new();
    let mut place = |name: &'a str| -> u32 {
        let (at, new) = numbered.number(name);
        if new {
            names.push(Box::from(name));
        }
        at
    };
    let mut tags = Vec::new();
    let mut seen: crate::hash::FastSet<std::borrow::Cow<'_, str>> = crate::hash::FastSet::default();
    let mut roles = Vec::with_capacity(pilots.len());
    let mut counts = Vec::with_capacity(pilots.len());
    let mut owners = Vec::new();
    let mut ranked = Vec::new();
    for (k, p) in pilots.iter().enumerate() {
        roles.push([&p.owner, &p.champion, &p.sponsor].map(|who| who.as_deref().map(&mut place)));
        counts.push(p.constraints.len() as u32);
        owners.extend(p.constraints.iter().map(|c| c.owner.as_deref().map(&mut place)));
        for (j, c) in p.constraints.iter().enumerate() {
            if let Some(r) = c.rung.filter(|&r| r < rungs && c.open) {
                ranked.push((k as u32, j as u32, r as u32));
            }
        }
        for t in &p.tags {
            let key = tag_key(t);
            if !seen.contains(key.as_ref()) {
                tags.push((Box::from(key.as_ref()), Box::from(t.as_str()), p.loc));
                seen.insert(key);
            }
        }
    }
    Run { names, roles, counts, owners, ranked, tags }
}

#[cfg(test)]
mod tests {
    use super::RUN;
    use crate::config::Config;
    use crate::model::testing::{opts, record_file, records};
    use crate::model::{build, build_reusing, ModelCache};

    fn record(i: usize, tags: &str) -> String {
        format!("+++\ntitle = \"P{i:04}\"\nstage = \"pilot\"\nowner = \"Ann Ek\"\ntags = [{tags}]\n+++\nBody.\n")
    }

    /// Tags read in runs are those of one walk over every record: each
    /// as first written, two tags with one slug told apart in the same
    /// way; after an edit to one record, with the other runs kept, the
    /// same as an analysis from nothing.
    #[test]
    fn tags_read_in_runs_are_as_first_written() {
        let n = 2 * RUN + 10;
        let (dir, pilots) = records(n, |i| {
            let tags = match i {
                i if i == RUN + 1 => "\"Gen AI\", \"gen-ai\"",
                i if i > RUN + 1 => "\"gen ai\", \"Data\"",
                _ => "\"Data\"",
            };
            record(i, tags)
        });
        let opts = opts("2026-06-01");
        let config = Config::default();
        let load = || crate::source::load_content(dir.path());
        let first = build_reusing(load(), &config, &opts, ModelCache::default());
        let site = &first.site;
        assert_eq!(site.tag_slug("GEN AI"), "gen-ai");
        assert_eq!(site.tag_slug("gen-ai"), "gen-ai-2");
        assert_eq!(site.tag_slug("data"), "data");
        let named = |diags: &[crate::diag::Diagnostic]| {
            diags
                .iter()
                .filter(|d| d.rule == crate::diag::Rule::SameSlug)
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(named(&first.diagnostics).len(), 1, "{:?}", named(&first.diagnostics));
        assert!(named(&first.diagnostics)[0].contains("`Gen AI`"));
        let mut reuse = first.reuse;
        for (i, tags) in [(RUN + 1, "\"Data\""), (3, "\"gen-ai\""), (2 * RUN, "\"New tag\"")] {
            std::fs::write(pilots.join(record_file(i)), record(i, tags)).unwrap();
            let kept = build_reusing(load(), &config, &opts, reuse);
            let (again, diags) = build(load(), &config, &opts);
            let sorted = |m: &crate::hash::FastMap<String, String>| {
                m.clone().into_iter().collect::<std::collections::BTreeMap<_, _>>()
            };
            assert_eq!(sorted(&kept.site.tag_slugs), sorted(&again.tag_slugs));
            assert_eq!(named(&kept.diagnostics), named(&diags));
            reuse = kept.reuse;
        }
    }
}
