//! The portfolio as it stood on the as-of date. Takes the pilot records as
//! read (with every date written in them) and returns them as they were on
//! that day: what is dated after it has not happened yet. Every page, chart
//! and export is made from what this returns, so none of them sees the
//! future and none filters on its own.

use super::{Page, Pilot};
use crate::config::Config;
use crate::date::Date;
use crate::diag::{Diagnostic, Rule};
use std::sync::Arc;

/// The records as they stood on `as_of`:
///
/// - a pilot that had not started (`started` after `as_of`, or every stage
///   it entered entered after it) is not in the portfolio;
/// - a stage entered after `as_of` is not entered yet, and the stage shown
///   is the last one entered on or before it;
/// - a weekly update for a week after `as_of` is not written yet;
/// - a constraint raised after `as_of` is not raised yet, and one resolved
///   after it is still open.
///
/// A record with nothing dated after `as_of` is returned as it is (the
/// same shared record), its facts as derived when it was read. One that
/// changes has its facts derived again for what is left of it.
///
/// With `warn`, each stage dated after `as_of` is a PD017 warning (when
/// the as-of date is today, a stage entered after it is a slip of the
/// pen; when it is a date looked back at, it is only the future).
///
/// `earlier` is what the analysis before made of each record, for the
/// same config and as-of date (`serve` keeps it; a build starts empty):
/// a record that is the very record it was then is as it stood then, the
/// same shared record, so that `serve` sees which pilots changed. It is
/// left holding what this call made.
pub(super) fn as_it_stood(
    pilots: Vec<Arc<Pilot>>,
    config: &Config,
    as_of: Date,
    warn: bool,
    diags: &mut Vec<Diagnostic>,
    earlier: &mut Stood,
) -> Vec<Arc<Pilot>> {
    let mut out = Vec::with_capacity(pilots.len());
    let mut before = std::mem::take(earlier);
    // Each record's entry before: at its place (a pointer compared), else
    // by its address, in a map made only when records moved.
    let mut by_address: Option<crate::hash::FastMap<usize, usize>> = None;
    let mut now: Stood = Vec::with_capacity(pilots.len());
    for (k, p) in pilots.into_iter().enumerate() {
        let same = |i: usize| before[i].as_ref().is_some_and(|(read, _, _)| Arc::ptr_eq(read, &p));
        let at = if k < before.len() && same(k) {
            Some(k)
        } else if before.get(k).is_some_and(|e| e.as_ref().is_some_and(|(read, _, _)| read.id == p.id)) {
            // The record at its place, changed.
            None
        } else {
            let by_address = by_address.get_or_insert_with(|| {
                (before.iter().enumerate())
                    .filter_map(|(i, e)| Some((Arc::as_ptr(&e.as_ref()?.0) as usize, i)))
                    .collect()
            });
            by_address.get(&(Arc::as_ptr(&p) as usize)).copied().filter(|&i| same(i))
        };
        let (stood, later) = match at.and_then(|i| before[i].take()) {
            Some((_, stood, later)) => (stood, later),
            None => (on(Arc::clone(&p), config, as_of), None),
        };
        let later = warn.then(|| {
            later.unwrap_or_else(|| {
                let mut found = Vec::new();
                later_stages(&p, as_of, &mut found);
                found
            })
        });
        diags.extend(later.iter().flatten().cloned());
        out.extend(stood.clone());
        now.push(Some((p, stood, later)));
    }
    *earlier = now;
    out
}

/// Each record as read and as it stood (`None`: not started yet), with
/// the warnings of its stages dated after the as-of date when they were
/// asked for; in the order of the records.
#[allow(clippy::type_complexity)]
pub(super) type Stood = Vec<Option<(Arc<Pilot>, Option<Arc<Pilot>>, Option<Vec<Diagnostic>>)>>;

/// One record as it stood on `as_of`; `None` when it had not started.
fn on(p: Arc<Pilot>, config: &Config, as_of: Date) -> Option<Arc<Pilot>> {
    let later = |d: Option<Date>| d.is_some_and(|d| d > as_of);
    if later(p.started) || (!p.stages.is_empty() && p.stages.iter().all(|s| s.date > as_of)) {
        return None;
    }
    let changes = p.stages.iter().any(|s| s.date > as_of)
        || p.updates.last().is_some_and(|u| u.week > as_of)
        || p.constraints.iter().any(|c| later(c.raised) || later(c.resolved));
    if !changes {
        return Some(p);
    }
    let mut p = Arc::unwrap_or_clone(p);
    if p.stages.iter().any(|s| s.date > as_of) {
        p.stages.retain(|s| s.date <= as_of);
        // The last stage entered: by date, then (two on one day) by the
        // configured order, as `stages` is.
        if let Some(last) = p.stages.iter().max_by_key(|s| s.date) {
            p.stage = last.stage.clone();
        }
    }
    p.updates.retain(|u| u.week <= as_of);
    p.constraints.retain(|c| !later(c.raised));
    for c in &mut p.constraints {
        if later(c.resolved) {
            c.resolved = None;
        }
    }
    super::facts::derive(&mut p, config, as_of);
    Some(Arc::new(p))
}

/// A lessons page dated after `as_of` was not written yet: it is not
/// published (undated pages, and pages outside `lessons/`, are).
pub(super) fn written_after(page: &Page, as_of: Date) -> bool {
    page.date.is_some_and(|d| d > as_of) && page.path.starts_with(crate::urls::LESSONS)
}

/// A PD017 warning for each stage of `p` dated after `as_of`.
pub(super) fn later_stages(p: &Pilot, as_of: Date, diags: &mut Vec<Diagnostic>) {
    for s in p.stages.iter().filter(|s| s.date > as_of) {
        diags.push(
            Diagnostic::new(
                Rule::StageDates,
                s.loc,
                format!("`{}` is dated {}, after the as-of date {}", s.stage, s.date, as_of),
            )
            .hint("a stage is entered on a day that has passed; plan future dates with `target`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{opts, record_file, records};
    use super::super::{build_reusing, BuildOptions, ModelCache};
    use crate::config::Config;

    const RECORD: &str = "+++\ntitle = \"A\"\nstage = \"pilot\"\n[stages]\nidea = 2026-03-02\npilot = 2026-03-25\n\
        [[updates]]\nweek = 2026-03-16\n[[updates]]\nweek = 2026-03-23\n+++\n";

    /// `serve` keeps the records it read; when its as-of date moves (today
    /// after midnight), they are seen as they stood on the new date.
    #[test]
    fn a_kept_record_follows_the_as_of_date() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/pilots")).unwrap();
        std::fs::write(dir.path().join("content/pilots/a.md"), RECORD).unwrap();
        let loaded = crate::source::load_content(dir.path());
        let config = Config::default();
        let first = build_reusing(loaded.clone(), &config, &opts("2026-03-20"), ModelCache::default());
        let a = &first.site.pilots[0];
        assert_eq!((a.stage.as_str(), a.updates.len(), a.facts.days_since_update), ("idea", 1, Some(4)));
        let second = build_reusing(loaded, &config, &opts("2026-03-30"), first.reuse);
        let a = &second.site.pilots[0];
        assert_eq!((a.stage.as_str(), a.updates.len(), a.facts.days_since_update), ("pilot", 2, Some(7)));
        let third = build_reusing(crate::source::load_content(dir.path()), &config, &opts("2026-03-01"), second.reuse);
        assert!(third.site.pilots.is_empty());
    }

    /// As `serve` reads them (only the files that changed, the others
    /// shared): records edited, added and removed, so that records move
    /// from their places. Each analysis, with what the one before left,
    /// is the analysis from nothing: the same records as they stood, the
    /// same problems in the same order.
    #[test]
    fn records_kept_across_edits_that_move_them_are_read_as_new() {
        let dated = |i: usize, owner: &str| {
            format!(
                "+++\ntitle = \"P{i:04}\"\nstage = \"pilot\"\nowner = \"{owner}\"\ntags = [\"t{}\"]\n\
                 [stages]\nidea = 2026-01-05\npilot = 2026-07-01\n+++\nBody.\n",
                i % 7
            )
        };
        let n = super::super::runs::RUN + 20;
        let (dir, folder) = records(n, |i| dated(i, "Ann Ek"));
        let opts = BuildOptions { looking_back: false, release_texts: true, ..opts("2026-06-01") };
        let config = Config::default();
        let mut loaded = crate::source::load_content(dir.path());
        let files = loaded.sources.len();
        let first = build_reusing(loaded.clone(), &config, &opts, ModelCache::default());
        loaded.sources = first.sources.clone();
        loaded.sources.truncate(files);
        let mut reuse = first.reuse;
        let path = |i: usize| folder.join(record_file(i));
        let edits: [(&str, usize); 5] = [("edit", 3), ("remove", 10), ("add", 9000), ("edit", n - 18), ("remove", 0)];
        for (what, i) in edits {
            match what {
                "remove" => std::fs::remove_file(path(i)).unwrap(),
                _ => std::fs::write(path(i), dated(i, "Bo Lind")).unwrap(),
            }
            loaded = loaded.update(dir.path(), &[path(i)]).expect("a partial read");
            let files = loaded.sources.len();
            let kept = build_reusing(loaded.clone(), &config, &opts, reuse);
            // What `serve` keeps: the files as the analysis left them.
            loaded.sources = kept.sources.clone();
            loaded.sources.truncate(files);
            let (again, diags) = super::super::build(crate::source::load_content(dir.path()), &config, &opts);
            let shown = |pilots: &[std::sync::Arc<crate::model::Pilot>]| {
                pilots
                    .iter()
                    .map(|p| (p.id.clone(), p.stage.clone(), p.owner.clone(), p.tags.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(shown(&kept.site.pilots), shown(&again.pilots), "{what} {i}");
            let problems =
                |d: &[crate::diag::Diagnostic]| d.iter().map(|d| (d.rule, d.message.clone())).collect::<Vec<_>>();
            assert_eq!(problems(&kept.diagnostics), problems(&diags), "{what} {i}");
            assert!(problems(&diags).iter().any(|(r, _)| *r == crate::diag::Rule::StageDates));
            reuse = kept.reuse;
        }
    }
}
