//! What a page is made from, as a digest: the pages a build may keep from
//! the previous output without making them (see `crate::page_memo`) are
//! known by it. The digests are made from the model alone, in the plan
//! of the build (`Plan`), beside the views they stand for.

use super::{pilot, views, Job, Plan, Target, TemplateError};
use crate::output::Content;
use serde::Serialize;

impl Plan {
    /// A digest of what the file of `job` is made from, for the pages a
    /// build may keep from the previous output without making them: the
    /// same digest, the same page, from the same templates (which the
    /// caller keeps beside it, with the pilotdeck that made the page; see
    /// `crate::page_memo`). Pilot pages ([`Plan::pilot_inputs`]), and the
    /// pages of the library, of each person, of the decisions awaiting each
    /// sponsor and of the tags ([`Plan::view_inputs`]); `None` for the
    /// other files, which are made each time.
    pub fn inputs(&self, job: &Job) -> Option<u128> {
        let rows = |_: &str, rows: &[(usize, usize)]| Ok(self.rows_inputs(rows));
        match job {
            Job::Pilot(i) => Some(self.pilot_inputs(*i)),
            Job::Library(n) => self.library_page(*n, &rows, |t, v| Ok(self.view_inputs(&t, v))).ok(),
            Job::Owner(i, n) => self.owner_page(*i, *n, &rows, |t, v| Ok(self.view_inputs(&t, v))).ok(),
            Job::SponsorDecisions(k, n) => self.sponsor_decisions_page(*k, *n, |t, v| Ok(self.view_inputs(&t, v))).ok(),
            Job::Pilots(n) => {
                let rows = |_: &str, shown: &[usize]| Ok(self.pilot_rows_inputs(shown));
                self.pilots_page(*n, &rows, |t, v| Ok(self.view_inputs(&t, v))).ok()
            }
            Job::Tags => self.tags_page(|t, v| Ok(self.view_inputs(&t, v))).ok(),
            Job::Tag(i) => self.tag_page(*i, |t, v| Ok(self.view_inputs(&t, v))).ok(),
            _ => None,
        }
    }

    /// A page whose inputs are the digest of its template's whole context
    /// (the decisions and tag pages: see [`Plan::inputs`]) made, with that
    /// digest, from one making of the context: for a build with no digest
    /// of the page to compare, which would otherwise make the context
    /// twice. `None` for the other files.
    pub fn made_with_inputs(&self, job: &Job) -> Option<Result<(u128, Content), TemplateError>> {
        let made = match job {
            Job::SponsorDecisions(k, n) => {
                self.sponsor_decisions_page(*k, *n, |t, v| self.html_and_inputs(t, v, Self::decisions_html))
            }
            Job::Tags => self.tags_page(|t, v| self.html_and_inputs(t, v, Self::html)),
            Job::Tag(i) => self.tag_page(*i, |t, v| self.html_and_inputs(t, v, Self::tag_html)),
            _ => return None,
        };
        Some(made.map(|(inputs, html)| (inputs, Content::Bytes(html.into_bytes()))))
    }

    /// The digest of what a page is made from ([`Plan::view_inputs`]) and
    /// the page, as `html` makes it (Tera, or its compiled template).
    fn html_and_inputs<T: Serialize>(
        &self,
        t: Target,
        view: &T,
        html: fn(&Self, Target, &T) -> Result<String, TemplateError>,
    ) -> Result<(u128, String), TemplateError> {
        Ok((self.view_inputs(&t, view), html(self, t, view)?))
    }

    /// What every page is made from: the config, and the site's title,
    /// menu and as-of date every page shows.
    pub(super) fn shared_inputs(&self) -> u128 {
        *self.shared_inputs.get_or_init(|| {
            let mut d = crate::text::Digester::new();
            let _ = serde_json::to_writer(&mut d, &*self.config);
            let _ = serde_json::to_writer(&mut d, &self.sv);
            d.finish()
        })
    }

    /// A digest of what the page of the pilot `i` is made from: what every
    /// page shares, the record, and what the page reads of other files
    /// (see [`pilot::inputs`]).
    pub fn pilot_inputs(&self, i: usize) -> u128 {
        let mut d = crate::text::Digester::new();
        d.add(&self.shared_inputs().to_le_bytes());
        let record = (&*self.site.pilots[i], self.records()[i]);
        pilot::inputs(record, self.row_digests().of(i), &self.site, &self.config, &mut d);
        d.finish()
    }

    /// A digest of what a page made by the template of `t` from `view` is
    /// made from: what every page shares, and the whole context its
    /// template gets, in which each table's rows are the digest of what
    /// they show ([`Plan::rows_inputs`]) rather than their HTML.
    fn view_inputs<T: Serialize>(&self, t: &Target, view: &T) -> u128 {
        let mut d = crate::text::Digester::new();
        d.add(&self.shared_inputs().to_le_bytes());
        d.add_str(t.name);
        let _ = serde_json::to_writer(&mut d, &self.ctx(t, view));
        d.finish()
    }

    /// The rows of a constraint table (pilot and constraint indexes) as a
    /// digest of what they show ([`Plan::row_digests`]), in the place of their
    /// HTML, for [`Plan::view_inputs`]; the page's address, which the
    /// rows' links start from, is in its context.
    fn rows_inputs(&self, rows: &[(usize, usize)]) -> views::RowsHtml {
        let digests = self.row_digests();
        digested_rows(rows.iter().map(|&(i, j)| digests.of(i)[j]))
    }

    /// The rows of the pilot index showing the pilots `shown` (indexes into
    /// the site's) as a digest of what they show, as [`Plan::rows_inputs`]
    /// gives a constraint table's: a row shows its record and nothing
    /// else (see `home::pilot_row`).
    fn pilot_rows_inputs(&self, shown: &[usize]) -> views::RowsHtml {
        let records = self.records();
        digested_rows(shown.iter().map(|&i| records[i]))
    }

    /// The digest of what each constraint's row shows, by pilot and
    /// constraint: its record ([`Plan::records`]), which of its
    /// constraints, and what the row reads of other files (see
    /// [`pilot::row_inputs`]). Made once, side by side, for the pages of
    /// the pilots, the library and the people.
    pub(super) fn row_digests(&self) -> &RowDigests {
        self.row_digests.get_or_init(|| {
            use rayon::prelude::*;
            let (site, records, links) = (&*self.site, self.records(), self.library());
            let starts = (site.pilots.iter())
                .scan(0, |at, p| {
                    *at += p.constraints.len();
                    Some(*at - p.constraints.len())
                })
                .collect();
            // Filled in place, each pilot's rows in its own part: collected
            // from parallel parts, the list was in memory twice at once.
            let mut digests = vec![0u128; site.pilots.iter().map(|p| p.constraints.len()).sum()];
            let mut parts = Vec::with_capacity(site.pilots.len());
            let mut rest = &mut digests[..];
            for p in site.pilots.iter() {
                let (part, after) = rest.split_at_mut(p.constraints.len());
                parts.push(part);
                rest = after;
            }
            (parts.into_par_iter().zip(site.pilots.par_iter().zip(records))).for_each(|(part, (p, record))| {
                for ((j, c), out) in p.constraints.iter().enumerate().zip(part) {
                    let mut d = crate::text::Digester::new();
                    d.add(&record.to_le_bytes());
                    d.add(&(j as u64).to_le_bytes());
                    pilot::row_inputs(p, c, site, links.into(), &mut d);
                    *out = d.finish();
                }
            });
            RowDigests { starts, digests }
        })
    }

    /// The digest of each pilot record, in the pilots' order (see
    /// [`crate::model::Site::digests`]), for the pages' inputs and the
    /// search index's.
    pub fn records(&self) -> &[u128] {
        &self.site.digests
    }
}

/// Rows as one digest of what each shows, in the place of their HTML:
/// the table of a page's inputs ([`Plan::view_inputs`]).
fn digested_rows(rows: impl ExactSizeIterator<Item = u128>) -> views::RowsHtml {
    let count = rows.len();
    let mut d = crate::text::Digester::new();
    for row in rows {
        d.add(&row.to_le_bytes());
    }
    let digest = tera::Value::from(format!("{:032x}", d.finish()));
    views::RowsHtml { count, total: count, parts: vec![digest] }
}

/// The digest of each constraint's row, in the pilots' order, and where
/// each pilot's start (one list, not one per pilot).
pub(super) struct RowDigests {
    starts: Vec<usize>,
    digests: Vec<u128>,
}

impl RowDigests {
    /// The digests of the rows of the pilot `i`.
    pub(super) fn of(&self, i: usize) -> &[u128] {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.digests.len());
        &self.digests[self.starts[i]..end]
    }
}
