//! The charts' tables against numbers worked out here, independently, from
//! the parameters the test portfolios are written from: cohort medians and
//! in-flight counts, pilots in flight per week, readiness per stage and
//! dimension, constraints by age, the funnel's conversion; and the charts'
//! size, text size and accessible names.

use crate::common;

use common::{build_ok, read, site, unescape, AS_OF};
use pilotdeck::date::Date;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One test pilot: what its record says, in plain numbers.
#[derive(Clone)]
struct P {
    title: String,
    /// Entered `pilot`.
    start: Date,
    /// Entered `bridge`.
    bridge: Option<Date>,
    /// ("production" or "stalled", when).
    end: Option<(&'static str, Date)>,
    /// Technical and governance items met (of 4 each).
    tech: usize,
    gov: usize,
    /// An open integration constraint: (raised, due).
    constraint: Option<(Date, Date)>,
    /// Weeks (Mondays) with an update.
    updates: Vec<Date>,
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn as_of() -> Date {
    d(AS_OF)
}

impl P {
    fn stage(&self) -> &'static str {
        match (self.end, self.bridge) {
            (Some((s, _)), _) => s,
            (None, Some(_)) => "bridge",
            _ => "pilot",
        }
    }

    fn record(&self) -> String {
        let mut r = format!(
            "+++\ntitle = \"{}\"\nstage = \"{}\"\nowner = \"O\"\n[stages]\npilot = {}\n",
            self.title,
            self.stage(),
            self.start
        );
        if let Some(b) = self.bridge {
            writeln!(r, "bridge = {b}").unwrap();
        }
        if let Some((s, at)) = self.end {
            writeln!(r, "{s} = {at}").unwrap();
        }
        r.push_str("[readiness.technical]\n");
        for k in ["latency", "monitoring", "fallback", "integration"].iter().take(self.tech) {
            writeln!(r, "{k} = true").unwrap();
        }
        r.push_str("[readiness.governance]\n");
        for k in ["risk-assessment", "audit-trail", "risk-thresholds", "data-protection"].iter().take(self.gov) {
            writeln!(r, "{k} = true").unwrap();
        }
        if let Some((raised, due)) = self.constraint {
            writeln!(r, "[[constraints]]\ntitle = \"Feed\"\ncategory = \"integration\"\nowner = \"O\"\nraised = {raised}\ndue = {due}").unwrap();
        }
        for w in &self.updates {
            writeln!(r, "[[updates]]\nweek = {w}").unwrap();
        }
        r.push_str("+++\nBody.\n");
        r
    }

    /// In flight on day `day`: entered pilot by then, not yet production or stalled.
    fn in_flight_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|(_, at)| at > day)
    }

    fn overdue(&self) -> bool {
        self.constraint.is_some_and(|(_, due)| due < as_of())
    }
}

/// A deterministic portfolio of `n` pilots entering pilot between
/// 2024-10-01 and 2026-03-04, a third reaching production, a sixth stalling.
fn portfolio(n: usize) -> Vec<P> {
    let now = as_of();
    (0..n)
        .map(|i| {
            let start = d("2024-10-01").plus_days((i * 37 % 520) as i32);
            let end = match i % 6 {
                0 | 1 => Some(("production", start.plus_days(30 + (i * 29 % 300) as i32))),
                2 => Some(("stalled", start.plus_days(20 + (i % 40) as i32))),
                _ => None,
            }
            .filter(|(_, at)| *at < now);
            let bridge = (i % 2 == 0 || end.is_some_and(|e| e.0 == "production"))
                .then(|| start.plus_days(10))
                .filter(|b| *b < now && end.is_none_or(|e| e.1 > *b));
            let last = end.map_or(now, |e| e.1);
            let mut updates = Vec::new();
            let mut w = start.week_start().plus_days(7);
            while w <= last {
                if (w.days_since(d("2024-01-01")) / 7 + i as i64) % 3 != 0 {
                    updates.push(w);
                }
                w = w.plus_days(7);
            }
            let flying = end.is_none();
            let constraint = (flying && i % 4 != 2).then(|| {
                let raised = now.plus_days(-((i * 11 % 400) as i32));
                let due = if i % 3 == 0 { now.plus_days(-1) } else { now.plus_days(20) };
                (raised, due.max(raised))
            });
            P {
                title: format!("Pilot {i:02} for the claims and underwriting teams"),
                start,
                bridge,
                end,
                tech: i % 5,
                gov: (i / 5) % 5,
                constraint,
                updates,
            }
        })
        .collect()
}

fn build_site(pilots: &[P]) -> (tempfile::TempDir, String) {
    let files: Vec<(String, String)> =
        pilots.iter().enumerate().map(|(i, p)| (format!("content/pilots/p{i:03}.md"), p.record())).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    build_ok(dir.path(), &[]);
    let page = read(dir.path(), "public/portfolio/index.html");
    (dir, page)
}

/// The rows of the table `id` on `page`, each cell's text without tags.
fn table(page: &str, id: &str) -> Vec<Vec<String>> {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no table {id}"));
    let body = &page[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split(['<'])
                .filter_map(|part| {
                    let (tag, text) = part.split_once('>')?;
                    (tag.starts_with("th") || tag.starts_with("td") || tag.starts_with("a ")).then(|| unescape(text))
                })
                .filter(|t| !t.is_empty())
                .collect()
        })
        .collect()
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

/// The Kaplan-Meier median, straight from its definition: the first
/// production time t at which the product over production times u <= t of
/// (1 - finished at u / pilots whose time is at least u) is at most 1/2.
fn km(done: &[i64], flying: &[i64]) -> Option<i64> {
    let mut times: Vec<i64> = done.to_vec();
    times.sort_unstable();
    times.dedup();
    let mut s = 1.0;
    for u in times {
        let at_u = done.iter().filter(|&&t| t == u).count() as f64;
        let risk = done.iter().chain(flying).filter(|&&t| t >= u).count() as f64;
        s *= 1.0 - at_u / risk;
        if s <= 0.5 + 1e-9 {
            return Some(u);
        }
    }
    None
}

fn quarter(day: Date) -> String {
    let (y, m, _) = day.ymd();
    format!("{y} Q{}", (m - 1) / 3 + 1)
}

#[test]
fn cohort_table_matches_the_records() {
    let pilots = portfolio(60);
    let (_dir, page) = build_site(&pilots);
    let rows = table(&page, "time-to-production-table");
    let mut cohorts: BTreeMap<String, Vec<&P>> = BTreeMap::new();
    for p in &pilots {
        cohorts.entry(quarter(p.start)).or_default().push(p);
    }
    assert_eq!(rows.len(), cohorts.len(), "{rows:?}");
    for (row, (name, ps)) in rows.iter().zip(&cohorts) {
        let done: Vec<i64> =
            ps.iter().filter_map(|p| p.end.filter(|e| e.0 == "production").map(|e| e.1.days_since(p.start))).collect();
        let flying: Vec<i64> = ps.iter().filter(|p| p.end.is_none()).map(|p| as_of().days_since(p.start)).collect();
        let stopped = ps.iter().filter(|p| p.end.is_some_and(|e| e.0 == "stalled")).count();
        let show = |v: Option<f64>| v.map_or("—".to_string(), |x| x.to_string());
        let so_far = match (median(flying.clone()), flying.iter().max()) {
            (Some(m), Some(o)) => format!("{m}, {o}"),
            _ => "—".into(),
        };
        let expected = vec![
            name.clone(),
            ps.len().to_string(),
            done.len().to_string(),
            show(median(done.clone())),
            km(&done, &flying).map_or("not known yet".into(), |m| m.to_string()),
            flying.len().to_string(),
            so_far,
            stopped.to_string(),
        ];
        assert_eq!(row, &expected, "cohort {name}");
    }
    // The portfolio holds cohorts of each kind.
    assert!(
        rows.iter().any(|r| r[4] == "not known yet") && rows.iter().any(|r| r[4].parse::<i64>().is_ok()),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r[5] != "0" && r[2] != "0"), "{rows:?}");
}

#[test]
fn a_young_cohort_never_looks_fast_because_its_slow_pilots_are_unfinished() {
    // 2025 Q1: four pilots, all in production after 300-330 days. 2025 Q4:
    // two finished in 20 days, six still in flight after ~140 days.
    let mut pilots = Vec::new();
    for i in 0..4 {
        let start = d("2025-01-06").plus_days(i * 7);
        pilots.push(P {
            title: format!("Old {i}"),
            start,
            bridge: Some(start.plus_days(100)),
            end: Some(("production", start.plus_days(300 + 10 * i))),
            tech: 0,
            gov: 0,
            constraint: None,
            updates: Vec::new(),
        });
    }
    for i in 0..8 {
        let start = d("2025-10-20").plus_days(i);
        let end = (i < 2).then(|| ("production", start.plus_days(20)));
        pilots.push(P {
            title: format!("Young {i}"),
            start,
            bridge: Some(start.plus_days(10)),
            end,
            tech: 0,
            gov: 0,
            constraint: None,
            updates: Vec::new(),
        });
    }
    let (_dir, page) = build_site(&pilots);
    let rows = table(&page, "time-to-production-table");
    assert_eq!(rows[0][..5], ["2025 Q1", "4", "4", "315", "310"]);
    // Those in production took 20 days, but the cohort's median is not known.
    assert_eq!(rows[1][..6], ["2025 Q4", "8", "2", "20", "not known yet", "6"]);
    assert!(!page.contains("ORDER"), "cohorts are named, not numbered");
}

#[test]
fn weekly_table_counts_pilots_in_flight_that_week_from_stage_dates() {
    let pilots = portfolio(40);
    let (_dir, page) = build_site(&pilots);
    let rows = table(&page, "updates-per-week-table");
    assert_eq!(rows.len(), 26);
    let monday = as_of().week_start();
    for (i, row) in rows.iter().enumerate() {
        let start = monday.plus_days(-7 * (25 - i as i32));
        let end = start.plus_days(6).min(as_of());
        let updates: usize = pilots.iter().map(|p| p.updates.iter().filter(|w| **w == start).count()).sum();
        let flying = pilots.iter().filter(|p| p.in_flight_on(end)).count();
        let week = if end < start.plus_days(6) {
            format!("{start} (under way: {} of 7 days)", end.days_since(start) + 1)
        } else {
            start.to_string()
        };
        assert_eq!(row, &[week, updates.to_string(), flying.to_string()], "week {i}");
    }
    // The in-flight line moves: it is not today's count drawn flat.
    let counts: std::collections::BTreeSet<&String> = rows.iter().map(|r| &r[2]).collect();
    assert!(counts.len() > 1, "{counts:?}");
    assert!(rows[25][0].contains("under way: 5 of 7 days"), "2026-03-20 is a Friday");
}

#[test]
fn readiness_by_stage_matches_the_records() {
    let pilots = portfolio(36);
    let (_dir, page) = build_site(&pilots);
    let rows = table(&page, "readiness-heatmap-table");
    // Expected: per stage, per dimension, pilots per bin.
    let bin = |met: usize, held: bool| match (met, held) {
        (4, false) => 0,
        (4, true) => 1,
        (0, _) => 3,
        _ => 2,
    };
    let mut expected: Vec<Vec<String>> = Vec::new();
    for stage in ["pilot", "bridge", "production", "stalled"] {
        let ps: Vec<&P> = pilots.iter().filter(|p| p.stage() == stage).collect();
        if ps.is_empty() {
            continue;
        }
        for (dim, met) in [("technical", 0), ("governance", 1), ("workforce", 2), ("economic", 3)] {
            let mut bins = [0usize; 4];
            for p in &ps {
                let (m, held) = match met {
                    0 => (p.tech, p.overdue()),
                    1 => (p.gov, false),
                    _ => (0, false),
                };
                bins[bin(m, held)] += 1;
            }
            let n = ps.len();
            let mut row = vec![format!("{stage} ({n})"), dim.to_string()];
            row.extend(bins.iter().map(|&b| format!("{b} ({}%)", (b * 200 + n) / (2 * n))));
            expected.push(row);
        }
    }
    assert_eq!(rows, expected);
    assert!(rows.iter().any(|r| !r[3].starts_with("0 ")), "some dimension is held back: {rows:?}");
}

#[test]
fn readiness_per_pilot_is_worst_first_with_whole_names_and_held_back_marked() {
    let pilots = portfolio(12);
    let (dir, page) = build_site(&pilots);
    let rows = table(&page, "readiness-heatmap-table");
    let pct = |m: usize| (m * 200 + 4) / 8;
    let mut expected: Vec<(usize, String, Vec<String>)> = pilots
        .iter()
        .map(|p| {
            let tech = if p.overdue() { format!("{}% (held back)", pct(p.tech)) } else { format!("{}%", pct(p.tech)) };
            let cells = vec![p.title.clone(), tech, format!("{}%", pct(p.gov)), "0%".into(), "0%".into()];
            (pct(p.tech) + pct(p.gov), p.title.to_lowercase(), cells)
        })
        .collect();
    expected.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let expected: Vec<Vec<String>> = expected.into_iter().map(|e| e.2).collect();
    assert_eq!(rows, expected);
    assert!(rows.iter().any(|r| r[1].contains("held back")));
    // Every name is drawn whole (wrapped, never cut).
    let svg = read(dir.path(), "public/portfolio/readiness-heatmap.svg");
    assert!(!svg.contains('…'));
    let text: String = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, t)| t.split('<').next().unwrap().trim())
        .collect::<Vec<_>>()
        .join(" ");
    for p in &pilots {
        assert!(text.contains(&p.title), "{} is cut in the chart", p.title);
    }
}

#[test]
fn constraints_by_age_and_funnel_match_the_records() {
    let pilots = portfolio(48);
    let (_dir, page) = build_site(&pilots);
    let rows = table(&page, "constraints-by-age-table");
    let integration = rows.iter().find(|r| r[0] == "integration").unwrap();
    let mut bands = [0usize; 5];
    let (mut open, mut overdue) = (0, 0);
    for p in &pilots {
        if let Some((raised, due)) = p.constraint {
            let age = as_of().days_since(raised);
            let band = [14, 30, 90, 180].iter().position(|&limit| age < limit).unwrap_or(4);
            bands[band] += 1;
            open += 1;
            overdue += usize::from(due < as_of());
        }
    }
    let mut expected: Vec<String> = vec!["integration".into()];
    expected.extend(bands.iter().map(|b| b.to_string()));
    expected.extend([open.to_string(), overdue.to_string()]);
    assert_eq!(integration, &expected);
    assert!(overdue > 0 && bands.iter().filter(|&&b| b > 0).count() >= 3, "a test that tests something");

    // Funnel: everyone entered pilot; bridge was reached by those with a
    // bridge date or in production; conversion is reached next / reached.
    let rows = table(&page, "stage-funnel-table");
    let n = pilots.len();
    let bridge = pilots.iter().filter(|p| p.bridge.is_some() || p.stage() == "production").count();
    let production = pilots.iter().filter(|p| p.stage() == "production").count();
    let pct = |a: usize, b: usize| format!("{}%", (a * 200 + b) / (2 * b));
    let row = |stage: &str| rows.iter().find(|r| r[0] == stage).unwrap().clone();
    assert_eq!(row("pilot")[3..], [n.to_string(), pct(bridge, n)]);
    assert_eq!(row("bridge")[3..], [bridge.to_string(), pct(production, bridge)]);
    assert_eq!(row("production")[3..], [production.to_string(), "—".to_string()]);
    let stalled = pilots.iter().filter(|p| p.stage() == "stalled").count();
    assert_eq!(row("stalled")[1..4], [stalled.to_string(), pct(stalled, n), "off the path".to_string()]);
}

/// Every chart is 400 units wide, its smallest text 14 units: at the 340 px
/// a phone gives it, 11.9 px. The img says the same size, its alt text is
/// short, and the table is its long description.
#[test]
fn charts_fit_their_box_and_are_described_once() {
    for n in [3, 12, 36] {
        let (dir, page) = build_site(&portfolio(n));
        for id in [
            "stage-funnel",
            "readiness-heatmap",
            "time-to-production",
            "constraints-by-age",
            "confidence-gap",
            "updates-per-week",
        ] {
            let svg = read(dir.path(), &format!("public/portfolio/{id}.svg"));
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let root = doc.root_element();
            let view: Vec<f64> = root.attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
            assert_eq!(view[2], 400.0, "{id}");
            let smallest = doc
                .descendants()
                .filter_map(|n| n.attribute("font-size"))
                .map(|s| s.parse::<f64>().unwrap())
                .fold(f64::MAX, f64::min);
            assert!(smallest * 340.0 / view[2] >= 11.0, "{id} at {n} pilots: {smallest} units");
            let at = page.find(&format!("src=\"../portfolio/{id}.svg\"")).unwrap();
            let img = &page[at..at + page[at..].find('>').unwrap()];
            assert!(img.contains(&format!("width=\"{}\" height=\"{}\"", view[2], view[3])), "{img}");
            assert!(img.contains(&format!("aria-describedby=\"{id}-table\"")), "{img}");
            let alt = unescape(img.split("alt=\"").nth(1).unwrap().split('"').next().unwrap());
            assert!(alt.len() < 300, "{id}: a short alt text, not {} characters", alt.len());
            assert_eq!(unescape(&page).matches(&alt).count(), 1, "{id}: the alt text is not printed again");
        }
    }
}
