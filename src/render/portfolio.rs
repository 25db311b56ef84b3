//! The portfolio's charts: their data from the model, their SVG files, and
//! the same numbers as tables for the page beside each chart.

use super::views::{ChartView, TableCell, TableView};
use crate::charts::{age, confidence, funnel, heatmap, learning, weekly, ChartError};
use crate::config::Config;
use crate::model::{Pilot, Site};

/// Above this many pilots the heatmap shows stages instead of pilots.
pub const HEATMAP_PILOTS: usize = 30;
/// Above this many pilots in production the learning curve shows groups.
pub const LEARNING_POINTS: usize = 40;
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
    ChartsData {
        funnel: funnel::Funnel { stages: site.portfolio.by_stage.iter().map(|s| (s.stage.clone(), s.count)).collect() },
        heatmap: heatmap_data(site, config),
        learning: learning_data(site),
        age: age_data(site, config),
        confidence: confidence_data(site),
        weekly: weekly_data(site),
    }
}

fn stage_order<'a>(site: &'a Site, config: &Config) -> Vec<&'a Pilot> {
    let mut pilots: Vec<&Pilot> = site.pilots.iter().map(|p| &**p).collect();
    pilots.sort_by(|a, b| {
        config
            .stage_index(&a.stage)
            .cmp(&config.stage_index(&b.stage))
            .then(a.title.to_lowercase().cmp(&b.title.to_lowercase()))
    });
    pilots
}

fn heatmap_data(site: &Site, config: &Config) -> heatmap::Heatmap {
    let dimensions = config.rubric.iter().map(|d| d.key.clone()).collect();
    let by_stage = site.pilots.len() > HEATMAP_PILOTS;
    let rows = if by_stage {
        config
            .stages
            .iter()
            .filter_map(|stage| {
                let ps: Vec<&Pilot> = site.pilots.iter().map(|p| &**p).filter(|p| &p.stage == stage).collect();
                if ps.is_empty() {
                    return None;
                }
                let n = ps.len();
                let cells = (0..config.rubric.len())
                    .map(|d| {
                        let sum: usize = ps.iter().map(|p| p.readiness[d].percent as usize).sum();
                        ((sum * 2 + n) / (2 * n)) as u32
                    })
                    .collect();
                Some(heatmap::HeatRow { label: format!("{stage} ({n})"), url: String::new(), pilots: n, cells })
            })
            .collect()
    } else {
        stage_order(site, config)
            .into_iter()
            .map(|p| heatmap::HeatRow {
                label: p.title.clone(),
                url: crate::urls::pilot(&p.id),
                pilots: 1,
                cells: p.readiness.iter().map(|d| d.percent).collect(),
            })
            .collect()
    };
    heatmap::Heatmap { dimensions, rows, by_stage }
}

fn pilot_start(p: &Pilot) -> Option<crate::date::Date> {
    p.stages.iter().find(|s| s.stage == "pilot").map(|s| s.date).or(p.started)
}

fn learning_data(site: &Site) -> learning::Learning {
    let mut done: Vec<(&Pilot, crate::date::Date, i64)> =
        site.pilots.iter().filter_map(|p| Some((&**p, pilot_start(p)?, p.facts.time_to_production?))).collect();
    done.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
    if done.len() <= LEARNING_POINTS {
        let points = done
            .iter()
            .enumerate()
            .map(|(i, (p, start, days))| learning::LearnPoint {
                order: (i + 1) as f64,
                label: p.title.clone(),
                started: start.to_string(),
                days: *days as f64,
                pilots: 1,
            })
            .collect();
        return learning::Learning { points, grouped: false };
    }
    let size = done.len().div_ceil(20);
    let points = done
        .chunks(size)
        .enumerate()
        .map(|(g, chunk)| {
            let first = g * size + 1;
            let last = first + chunk.len() - 1;
            let n = chunk.len();
            let median = crate::model::median(chunk.iter().map(|c| c.2).collect()).unwrap_or(0.0);
            learning::LearnPoint {
                order: (first + last) as f64 / 2.0,
                label: format!("pilots {first}-{last}"),
                started: chunk[0].1.to_string(),
                days: median,
                pilots: n,
            }
        })
        .collect();
    learning::Learning { points, grouped: true }
}

fn age_data(site: &Site, config: &Config) -> age::AgeChart {
    let rows = config
        .categories
        .iter()
        .map(|cat| {
            let mut row = age::AgeRow { category: cat.clone(), counts: [0; 4], total: 0, overdue: 0 };
            for c in site.pilots.iter().flat_map(|p| &p.constraints).filter(|c| c.open && &c.category == cat) {
                let since = c.raised.or(c.due).map_or(0, |r| site.as_of.days_since(r).max(0));
                row.counts[age::bucket(since)] += 1;
                row.total += 1;
                row.overdue += usize::from(c.overdue_days.is_some());
            }
            row
        })
        .collect();
    age::AgeChart { rows }
}

fn confidence_data(site: &Site) -> confidence::ConfidenceMap {
    let mut cells: Vec<confidence::ConfCell> = Vec::new();
    for p in &site.pilots {
        let Some(c) = p.updates.last().and_then(|u| u.confidence) else { continue };
        match cells.iter_mut().find(|x| x.leader == c.leader && x.team == c.team) {
            Some(cell) => {
                cell.pilots += 1;
                cell.names.push(p.title.clone());
            }
            None => cells.push(confidence::ConfCell {
                leader: c.leader,
                team: c.team,
                gap: c.leader - c.team,
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
    let weeks = counts.into_iter().enumerate().map(|(i, n)| (first.plus_days(7 * i as i32).to_string(), n)).collect();
    let in_flight = site.pilots.iter().filter(|p| !crate::model::SETTLED.contains(&p.stage.as_str())).count();
    weekly::Weekly { weeks, in_flight }
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

/// Draws every chart and returns, in the order of [`CHARTS`], the view
/// (file, title, description, table) for the page and the SVG file.
pub fn charts(data: &ChartsData) -> Result<Vec<(ChartView, String)>, ChartError> {
    let mut views = Vec::new();
    let mut add = |id: &str, title: &str, desc: String, svg: String, table: TableView| {
        debug_assert_eq!(CHARTS.get(views.len()), Some(&id));
        let file = crate::urls::chart(id);
        views.push((ChartView { id: id.into(), file, title: title.into(), desc, table }, svg));
    };
    let d = data;
    let total: usize = d.funnel.stages.iter().map(|s| s.1).sum::<usize>().max(1);
    add(
        "stage-funnel",
        funnel::TITLE,
        funnel::describe(&d.funnel),
        funnel::draw(&d.funnel)?,
        table(
            "Pilots per stage",
            &["Stage", "Pilots", "Share"],
            d.funnel
                .stages
                .iter()
                .map(|(s, n)| vec![cell(s), cell(n), cell(format!("{}%", crate::model::percent(*n, total)))])
                .collect(),
        ),
    );
    let mut heat_headers = vec![if d.heatmap.by_stage { "Stage (pilots)" } else { "Pilot" }];
    heat_headers.extend(d.heatmap.dimensions.iter().map(String::as_str));
    add(
        "readiness-heatmap",
        heatmap::TITLE,
        heatmap::describe(&d.heatmap),
        heatmap::draw(&d.heatmap)?,
        table(
            "Readiness per dimension, percent of rubric items met",
            &heat_headers,
            d.heatmap
                .rows
                .iter()
                .map(|r| {
                    let first = if r.url.is_empty() { cell(&r.label) } else { link(&r.label, r.url.clone()) };
                    std::iter::once(first).chain(r.cells.iter().map(|c| cell(format!("{c}%")))).collect()
                })
                .collect(),
        ),
    );
    add(
        "time-to-production",
        learning::TITLE,
        learning::describe(&d.learning),
        learning::draw(&d.learning)?,
        table(
            "Days from pilot start to production, in start order",
            &["Order", if d.learning.grouped { "Pilots" } else { "Pilot" }, "Started", "Days"],
            d.learning
                .points
                .iter()
                .map(|p| {
                    vec![cell(format!("{}", p.order)), cell(&p.label), cell(&p.started), cell(format!("{}", p.days))]
                })
                .collect(),
        ),
    );
    let mut age_headers = vec!["Category"];
    age_headers.extend(age::BUCKETS);
    age_headers.extend(["Open", "Overdue"]);
    add(
        "constraints-by-age",
        age::TITLE,
        age::describe(&d.age),
        age::draw(&d.age)?,
        table(
            "Open constraints per category and age since raised",
            &age_headers,
            d.age
                .rows
                .iter()
                .map(|r| {
                    let mut row = vec![cell(&r.category)];
                    row.extend(r.counts.iter().map(cell));
                    row.extend([cell(r.total), cell(r.overdue)]);
                    row
                })
                .collect(),
        ),
    );
    add(
        "confidence-gap",
        confidence::TITLE,
        confidence::describe(&d.confidence),
        confidence::draw(&d.confidence)?,
        table(
            "Pilots by leader and team confidence in their latest update",
            &["Leader", "Team", "Gap", "Pilots", "Which"],
            d.confidence
                .cells
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
        ),
    );
    let mut weekly_table = table(
        "Weekly updates per week",
        &["Week of", "Updates"],
        d.weekly.weeks.iter().map(|(w, n)| vec![cell(w), cell(n)]).collect(),
    );
    weekly_table.note = format!("{} pilots are in flight and expected to send a weekly update.", d.weekly.in_flight);
    add("updates-per-week", weekly::TITLE, weekly::describe(&d.weekly), weekly::draw(&d.weekly)?, weekly_table);
    Ok(views)
}
