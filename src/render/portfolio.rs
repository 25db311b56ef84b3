//! The portfolio's charts: their data from the model, their SVG files, and
//! the same numbers as tables for the page beside each chart.

use super::views::{ChartView, TableCell, TableView};
use crate::charts::{age, confidence, funnel, heatmap, learning, weekly, ChartError};
use crate::config::Config;
use crate::model::{Pilot, Site};

/// Above this many pilots the readiness chart shows each stage's shares
/// instead of one row per pilot.
pub const HEATMAP_PILOTS: usize = 20;
/// Weeks shown in the updates chart.
pub const WEEKS: i32 = 26;

/// The data of every portfolio chart, for one as-of date.
#[derive(Debug, Clone)]
pub struct ChartsData {
    pub funnel: funnel::Funnel,
    pub heatmap: heatmap::Heatmap,
    pub learning: learning::Learning,
    pub age: age::AgeChart,
    pub confidence: confidence::ConfidenceMap,
    pub weekly: weekly::Weekly,
}

pub fn data(site: &Site, config: &Config) -> ChartsData {
    // Each chart's data is a walk over every record: side by side.
    let ((funnel, heatmap), ((learning, age), (confidence, weekly))) = rayon::join(
        || (funnel_data(site, config), heatmap_data(site, config)),
        || {
            rayon::join(
                || (learning_data(site, config), age_data(site, config)),
                || (confidence_data(site), weekly_data(site)),
            )
        },
    );
    ChartsData { funnel, heatmap, learning, age, confidence, weekly }
}

fn funnel_data(site: &Site, config: &Config) -> funnel::Funnel {
    let off = |s: &str| crate::model::OFF_PATH.contains(&s);
    let path: Vec<&String> = config.stages.iter().filter(|s| !off(s)).collect();
    // How far along the path each pilot got: its current stage if on the
    // path, else the furthest stage on the path it has a date for.
    let mut reached = vec![0usize; path.len()];
    for p in &site.pilots {
        let furthest = std::iter::once(p.stage.as_str())
            .chain(p.stages.iter().map(|e| e.stage.as_str()))
            .filter_map(|s| path.iter().position(|x| x.as_str() == s))
            .max();
        if let Some(f) = furthest {
            reached[..=f].iter_mut().for_each(|n| *n += 1);
        }
    }
    let stages = site
        .portfolio
        .by_stage
        .iter()
        .map(|s| {
            let at = path.iter().position(|x| **x == s.stage);
            funnel::FunnelStage {
                stage: s.stage.clone(),
                now: s.count,
                off_path: at.is_none(),
                reached: at.map_or(0, |i| reached[i]),
                went_on: at
                    .filter(|&i| i + 1 < path.len() && reached[i] > 0)
                    .map(|i| crate::model::percent(reached[i + 1], reached[i])),
            }
        })
        .collect();
    funnel::Funnel { stages }
}

/// Pilots worst first: by the sum of their readiness percentages, then title.
fn worst_first(site: &Site) -> Vec<&Pilot> {
    let mut pilots: Vec<&Pilot> = site.pilots.iter().map(|p| &**p).collect();
    pilots.sort_by_cached_key(|p| (p.readiness.iter().map(|d| d.percent).sum::<u32>(), p.title.to_lowercase()));
    pilots
}

fn heatmap_data(site: &Site, config: &Config) -> heatmap::Heatmap {
    let dimensions = config.rubric.iter().map(|d| d.key.clone()).collect();
    let by_stage = site.pilots.len() > HEATMAP_PILOTS;
    let held = |d: &crate::model::Readiness| !d.blocked_by.is_empty();
    let (rows, stages) = if by_stage {
        let mut stages: Vec<heatmap::StageBins> = config
            .stages
            .iter()
            .map(|s| heatmap::StageBins { stage: s.clone(), pilots: 0, dims: vec![[0; 4]; config.rubric.len()] })
            .collect();
        for p in &site.pilots {
            let Some(s) = config.stage_index(&p.stage) else { continue };
            stages[s].pilots += 1;
            for (bins, d) in stages[s].dims.iter_mut().zip(&p.readiness) {
                bins[heatmap::bin(d.percent, held(d))] += 1;
            }
        }
        stages.retain(|s| s.pilots > 0);
        (Vec::new(), stages)
    } else {
        let rows = worst_first(site)
            .into_iter()
            .map(|p| heatmap::HeatRow {
                label: p.title.clone(),
                url: crate::urls::pilot(&p.id),
                cells: p.readiness.iter().map(|d| d.percent).collect(),
                held: p.readiness.iter().map(held).collect(),
            })
            .collect();
        (rows, Vec::new())
    };
    heatmap::Heatmap { dimensions, rows, stages, by_stage }
}

fn pilot_start(p: &Pilot) -> Option<crate::date::Date> {
    p.stages.iter().find(|s| s.stage == "pilot").map(|s| s.date).or(p.started)
}

/// "2025 Q3".
fn quarter(d: crate::date::Date) -> String {
    let (y, m, _) = d.ymd();
    format!("{y} Q{}", (m - 1) / 3 + 1)
}

fn learning_data(site: &Site, config: &Config) -> learning::Learning {
    // A pilot is in a cohort once it has entered `pilot` or a later stage on
    // the path to production (by its current stage or a stage date).
    let pilot_at = config.stage_index("pilot");
    let past_pilot = |s: &str| {
        !crate::model::OFF_PATH.contains(&s) && config.stage_index(s).zip(pilot_at).is_some_and(|(i, p)| i >= p)
    };
    // (year, quarter) -> cohort; a BTreeMap keeps them in time order.
    let mut by_quarter: std::collections::BTreeMap<(i32, u32), learning::Cohort> = Default::default();
    for p in &site.pilots {
        let Some(start) = pilot_start(p) else { continue };
        if !(past_pilot(&p.stage) || p.stages.iter().any(|s| past_pilot(&s.stage))) {
            continue;
        }
        let (y, m, _) = start.ymd();
        let cohort = by_quarter.entry((y, (m - 1) / 3 + 1)).or_insert_with(|| learning::Cohort {
            name: quarter(start),
            pilots: 0,
            reached: Vec::new(),
            in_flight: Vec::new(),
            stopped: 0,
            median: None,
        });
        cohort.pilots += 1;
        if let Some(days) = p.facts.time_to_production {
            cohort.reached.push(days);
        } else if crate::model::SETTLED.contains(&p.stage.as_str()) {
            cohort.stopped += 1;
        } else {
            cohort.in_flight.push(site.as_of.days_since(start).max(0));
        }
    }
    let cohorts = by_quarter
        .into_values()
        .map(|mut c| {
            c.reached.sort_unstable();
            c.in_flight.sort_unstable();
            c.median = learning::km_median(&c.reached, &c.in_flight);
            c
        })
        .collect();
    learning::Learning { cohorts }
}

fn age_data(site: &Site, config: &Config) -> age::AgeChart {
    let mut rows: Vec<age::AgeRow> = (config.categories.iter())
        .map(|cat| age::AgeRow { category: cat.clone(), counts: [0; 5], total: 0, overdue: 0 })
        .collect();
    // One walk over every constraint, each open one counted in the rows of
    // its category (a category the config lists twice has two rows).
    let at = config.category_places();
    for c in site.pilots.iter().flat_map(|p| &p.constraints).filter(|c| c.open) {
        let Some(rows_of) = at.get(c.category.as_str()) else { continue };
        let since = c.raised.or(c.due).map_or(0, |r| site.as_of.days_since(r).max(0));
        for &i in rows_of {
            let row = &mut rows[i];
            row.counts[age::bucket(since)] += 1;
            row.total += 1;
            row.overdue += usize::from(c.overdue_days.is_some());
        }
    }
    age::AgeChart { rows }
}

fn confidence_data(site: &Site) -> confidence::ConfidenceMap {
    let mut cells: Vec<confidence::ConfCell> = Vec::new();
    for p in &site.pilots {
        let Some(c) = p.updates.last().and_then(|u| u.confidence) else { continue };
        let (leader, team) = (i64::from(c.leader), i64::from(c.team));
        match cells.iter_mut().find(|x| x.leader == leader && x.team == team) {
            Some(cell) => {
                cell.pilots += 1;
                cell.names.push(p.title.clone());
            }
            None => cells.push(confidence::ConfCell {
                leader,
                team,
                gap: leader - team,
                pilots: 1,
                names: vec![p.title.clone()],
            }),
        }
    }
    for cell in &mut cells {
        cell.names.sort();
        cell.names.truncate(5);
    }
    cells.sort_by(|a, b| b.gap.cmp(&a.gap).then(b.leader.cmp(&a.leader)).then(a.team.cmp(&b.team)));
    confidence::ConfidenceMap { cells }
}

/// Adds one to `counts[i]` for every week `i` whose day `ends[i]` fell in
/// a stretch of `p`'s life in flight: from the date it entered a stage that
/// is not production, stalled or retired to the date of its next stage (by
/// its `[stages]` dates). A record without stage dates counts in its current
/// stage from its start date (or throughout, without one). Linear in the
/// record's stages, with two binary searches per stretch.
fn add_in_flight(p: &Pilot, ends: &[crate::date::Date], counts: &mut [usize]) {
    let settled = |s: &str| crate::model::SETTLED.contains(&s);
    let mut mark = |from: Option<crate::date::Date>, to: Option<crate::date::Date>| {
        let lo = from.map_or(0, |f| ends.partition_point(|e| *e < f));
        let hi = to.map_or(ends.len(), |t| ends.partition_point(|e| *e < t));
        counts[lo..hi.max(lo)].iter_mut().for_each(|n| *n += 1);
    };
    if p.stages.is_empty() {
        if !settled(&p.stage) {
            mark(p.started, None);
        }
        return;
    }
    // Stage dates follow the configured order, so they are sorted; a
    // stage is left on the date of the next one.
    for (i, entry) in p.stages.iter().enumerate() {
        if !settled(&entry.stage) {
            mark(Some(entry.date), p.stages.get(i + 1).map(|next| next.date));
        }
    }
}

fn weekly_data(site: &Site) -> weekly::Weekly {
    let last = site.as_of.week_start();
    let first = last.plus_days(-7 * (WEEKS - 1));
    let mut counts = vec![0usize; WEEKS as usize];
    for u in site.pilots.iter().flat_map(|p| &p.updates) {
        let w = u.week.week_start();
        if w >= first && w <= last {
            counts[(w.days_since(first) / 7) as usize] += 1;
        }
    }
    // Each week is judged by its last day, or the as-of date for the week
    // under way.
    let ends: Vec<crate::date::Date> = (0..WEEKS).map(|i| first.plus_days(7 * i + 6).min(site.as_of)).collect();
    let mut flying = vec![0usize; WEEKS as usize];
    for p in &site.pilots {
        add_in_flight(p, &ends, &mut flying);
    }
    let weeks = counts
        .into_iter()
        .zip(flying)
        .enumerate()
        .map(|(i, (updates, in_flight))| {
            let start = first.plus_days(7 * i as i32);
            weekly::Week { start: start.to_string(), updates, in_flight, days: (ends[i].days_since(start) + 1) as u32 }
        })
        .collect();
    weekly::Weekly { weeks }
}

fn cell(text: impl ToString) -> TableCell {
    TableCell { text: text.to_string(), url: String::new() }
}

fn link(text: impl ToString, url: String) -> TableCell {
    TableCell { text: text.to_string(), url }
}

fn table(caption: &str, headers: &[&str], rows: Vec<Vec<TableCell>>) -> TableView {
    TableView {
        caption: caption.into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
        note: String::new(),
    }
}

/// The charts, in the order [`charts`] draws them (files `portfolio/ID.svg`).
pub const CHARTS: [&str; 6] = [
    "stage-funnel",
    "readiness-heatmap",
    "time-to-production",
    "constraints-by-age",
    "confidence-gap",
    "updates-per-week",
];

/// "5 (42%)": a count and its share of `total`.
fn share(n: usize, total: usize) -> TableCell {
    cell(format!("{n} ({}%)", crate::model::percent(n, total)))
}

fn funnel_table(f: &funnel::Funnel) -> TableView {
    let total: usize = f.stages.iter().map(|s| s.now).sum::<usize>().max(1);
    let mut t = table(
        "Pilots per stage now, and how many reached each stage on the path and went on to the next",
        &["Stage", "Pilots now", "Share", "Reached", "Went on to the next"],
        f.stages
            .iter()
            .map(|s| {
                let off = if s.off_path { cell("off the path") } else { cell(s.reached) };
                let on = s.went_on.map_or(cell("—"), |p| cell(format!("{p}%")));
                vec![cell(&s.stage), cell(s.now), cell(format!("{}%", crate::model::percent(s.now, total))), off, on]
            })
            .collect(),
    );
    t.note =
        "\"Reached\" counts pilots in the stage now, past it, or stalled or retired after it, by their stage dates."
            .into();
    t
}

fn heatmap_table(h: &heatmap::Heatmap) -> TableView {
    if h.by_stage {
        let mut headers = vec!["Stage (pilots)", "Dimension"];
        headers.extend(heatmap::BINS);
        let rows = h
            .stages
            .iter()
            .flat_map(|s| {
                s.dims.iter().zip(&h.dimensions).map(move |(bins, d)| {
                    let mut row = vec![cell(format!("{} ({})", s.stage, s.pilots)), cell(d)];
                    row.extend(bins.iter().map(|&n| share(n, s.pilots)));
                    row
                })
            })
            .collect();
        let mut t =
            table("Pilots per stage and dimension: ready, held back, partly ready, not started", &headers, rows);
        t.note = "Ready: every rubric item met. Held back: every item met, but an overdue constraint in a category of the dimension holds it back. Partly: some items met.".into();
        t
    } else {
        let mut headers = vec!["Pilot"];
        headers.extend(h.dimensions.iter().map(String::as_str));
        let rows = h
            .rows
            .iter()
            .map(|r| {
                let first = link(&r.label, r.url.clone());
                let cells = r
                    .cells
                    .iter()
                    .zip(&r.held)
                    .map(|(c, &held)| cell(if held { format!("{c}% (held back)") } else { format!("{c}%") }));
                std::iter::once(first).chain(cells).collect()
            })
            .collect();
        table("Readiness per pilot and dimension, percent of rubric items met, worst first", &headers, rows)
    }
}

fn learning_table(l: &learning::Learning) -> TableView {
    let days = |d: Option<f64>| d.map_or(cell("—"), |d| cell(format!("{d}")));
    let mut t = table(
        "Days from entering pilot to production, by the quarter pilots entered pilot",
        &[
            "Cohort",
            "Pilots",
            "In production",
            "Median days, those in production",
            "Median days, whole cohort",
            "Still in flight",
            "Their days so far (median, oldest)",
            "Stalled or retired",
        ],
        l.cohorts
            .iter()
            .map(|c| {
                let flight = match (crate::model::median(c.in_flight.clone()), c.in_flight.last()) {
                    (Some(m), Some(o)) => cell(format!("{m}, {o}")),
                    _ => cell("—"),
                };
                vec![
                    cell(&c.name),
                    cell(c.pilots),
                    cell(c.reached.len()),
                    days(c.median_reached()),
                    c.median.map_or(cell("not known yet"), cell),
                    cell(c.in_flight.len()),
                    flight,
                    cell(c.stopped),
                ]
            })
            .collect(),
    );
    t.note = "Whole cohort: the days by which half of the cohort's pilots still on the path reached production, counting those in flight as not there yet after their days so far (the Kaplan-Meier median); not known while too many are still in flight.".into();
    t
}

fn age_table(a: &age::AgeChart) -> TableView {
    let mut headers = vec!["Category"];
    headers.extend(age::BUCKETS);
    headers.extend(["Open", "Overdue"]);
    table(
        "Open constraints per category and age since raised",
        &headers,
        a.rows
            .iter()
            .map(|r| {
                let mut row = vec![cell(&r.category)];
                row.extend(r.counts.iter().map(cell));
                row.extend([cell(r.total), cell(r.overdue)]);
                row
            })
            .collect(),
    )
}

fn confidence_table(c: &confidence::ConfidenceMap) -> TableView {
    table(
        "Pilots by leader and team confidence in their latest update",
        &["Leader", "Team", "Gap", "Pilots", "Which"],
        c.cells
            .iter()
            .map(|c| {
                let more = c.pilots.saturating_sub(c.names.len());
                let mut which = c.names.join(", ");
                if more > 0 {
                    which.push_str(&format!(" and {more} more"));
                }
                vec![cell(c.leader), cell(c.team), cell(format!("{:+}", c.gap)), cell(c.pilots), cell(which)]
            })
            .collect(),
    )
}

fn weekly_table(w: &weekly::Weekly) -> TableView {
    table(
        "Weekly updates and pilots in flight per week",
        &["Week of", "Updates", "Pilots in flight"],
        w.weeks
            .iter()
            .map(|wk| {
                let week = if wk.days < 7 {
                    format!("{} (under way: {} of 7 days)", wk.start, wk.days)
                } else {
                    wk.start.clone()
                };
                vec![cell(week), cell(wk.updates), cell(wk.in_flight)]
            })
            .collect(),
    )
}

/// Draws every chart and returns, in the order of [`CHARTS`], the view
/// (file, size, title, alt text, how to read it, table) for the page and
/// the SVG file.
pub fn charts(data: &ChartsData) -> Result<Vec<(ChartView, String)>, ChartError> {
    let d = data;
    let all = [
        (
            "stage-funnel",
            funnel::TITLE,
            funnel::describe(&d.funnel),
            funnel::HOW,
            funnel::height(&d.funnel),
            funnel::draw(&d.funnel)?,
            funnel_table(&d.funnel),
        ),
        (
            "readiness-heatmap",
            heatmap::TITLE,
            heatmap::describe(&d.heatmap),
            heatmap::how(&d.heatmap),
            heatmap::height(&d.heatmap),
            heatmap::draw(&d.heatmap)?,
            heatmap_table(&d.heatmap),
        ),
        (
            "time-to-production",
            learning::TITLE,
            learning::describe(&d.learning),
            learning::HOW,
            learning::height(&d.learning),
            learning::draw(&d.learning)?,
            learning_table(&d.learning),
        ),
        (
            "constraints-by-age",
            age::TITLE,
            age::describe(&d.age),
            age::HOW,
            age::height(&d.age),
            age::draw(&d.age)?,
            age_table(&d.age),
        ),
        (
            "confidence-gap",
            confidence::TITLE,
            confidence::describe(&d.confidence),
            confidence::HOW,
            confidence::height(&d.confidence),
            confidence::draw(&d.confidence)?,
            confidence_table(&d.confidence),
        ),
        (
            "updates-per-week",
            weekly::TITLE,
            weekly::describe(&d.weekly),
            weekly::HOW,
            weekly::height(&d.weekly),
            weekly::draw(&d.weekly)?,
            weekly_table(&d.weekly),
        ),
    ];
    Ok(all
        .into_iter()
        .enumerate()
        .map(|(i, (id, title, desc, how, height, svg, table))| {
            debug_assert_eq!(CHARTS[i], id);
            let view = ChartView {
                id: id.into(),
                file: crate::urls::chart(id),
                title: title.into(),
                desc,
                how: how.into(),
                width: crate::charts::WIDTH,
                height,
                table,
            };
            (view, svg)
        })
        .collect())
}
