//! Open constraints by category and age, overdue ones marked.

use super::*;
use plotters::coord::ranged1d::SegmentValue;
use serde::Serialize;

/// Age buckets, by days since a constraint was raised.
pub(crate) const BUCKETS: [&str; 4] = ["under 2 weeks", "2-4 weeks", "1-3 months", "over 3 months"];

/// The bucket index for an age in days.
pub(crate) fn bucket(days: i64) -> usize {
    match days {
        ..=13 => 0,
        14..=29 => 1,
        30..=89 => 2,
        _ => 3,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AgeChart {
    pub rows: Vec<AgeRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgeRow {
    pub category: String,
    /// Open constraints per age bucket ([`BUCKETS`]); a constraint without a
    /// `raised` date counts as raised on its due date, else as new.
    pub counts: [usize; 4],
    pub total: usize,
    pub overdue: usize,
}

pub(crate) const TITLE: &str = "Open constraints by category and age";

pub(crate) fn describe(a: &AgeChart) -> String {
    let total: usize = a.rows.iter().map(|r| r.total).sum();
    let overdue: usize = a.rows.iter().map(|r| r.overdue).sum();
    let parts: Vec<String> = a
        .rows
        .iter()
        .filter(|r| r.total > 0)
        .map(|r| format!("{} {} ({} overdue)", r.category, r.total, r.overdue))
        .collect();
    format!(
        "Stacked bar chart of {total} open constraints by category, each bar split by age since raised; {overdue} are overdue. {}.",
        parts.join(", ")
    )
}

pub(crate) fn draw(a: &AgeChart) -> Result<String, ChartError> {
    svg(TITLE, &describe(a), |root| {
        if a.rows.iter().all(|r| r.total == 0) {
            return empty(root, TITLE, "No open constraints");
        }
        let n = a.rows.len() as u32;
        let y_max = count_max(a.rows.iter().map(|r| r.total).max().unwrap_or(0), 1.25);
        let label = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(x) => a.rows.get(*x as usize).map(|r| clip(&r.category, 14)).unwrap_or_default(),
            _ => String::new(),
        };
        let mut chart = bar_axes(root, TITLE, (n, y_max), &label, ("Category", "Open constraints"))?;
        for (b, name) in BUCKETS.iter().enumerate() {
            let color = SEQUENCE[b];
            let bars = a.rows.iter().enumerate().filter(|(_, r)| r.counts[b] > 0).map(move |(i, r)| {
                let below: usize = r.counts[..b].iter().sum();
                let x = i as u32;
                let mut rect = Rectangle::new(
                    [(SegmentValue::Exact(x), below as u32), (edge(x + 1, n), (below + r.counts[b]) as u32)],
                    ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: 0 },
                );
                rect.set_margin(0, 0, 10, 10);
                rect
            });
            chart
                .draw_series(bars)?
                .label(*name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
        }
        let marks = a.rows.iter().enumerate().filter(|(_, r)| r.overdue > 0).map(|(i, r)| {
            let style = TextStyle::from(font(12.0)).color(&VERMILION).pos(Pos::new(HPos::Center, VPos::Bottom));
            Text::new(format!("⚠ {} overdue", r.overdue), (SegmentValue::CenterOf(i as u32), r.total as u32), style)
        });
        chart.draw_series(marks)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(font(12.0))
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .draw()?;
        Ok(())
    })
}
