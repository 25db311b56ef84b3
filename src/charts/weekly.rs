//! Updates per week across the portfolio: is the weekly sync happening?

use super::*;
use plotters::coord::ranged1d::SegmentValue;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Weekly {
    /// (Monday of the week, updates that week), oldest first.
    pub weeks: Vec<(String, usize)>,
    /// Pilots expected to send a weekly update now (not in production,
    /// stalled or retired).
    pub in_flight: usize,
}

pub(crate) const TITLE: &str = "Weekly updates across the portfolio";

pub(crate) fn describe(w: &Weekly) -> String {
    let total: usize = w.weeks.iter().map(|x| x.1).sum();
    match (w.weeks.first(), w.weeks.last()) {
        (Some(first), Some(last)) => format!(
            "Bar chart of weekly updates per week from {} to {}: {total} updates in all; the latest week has {}, against {} pilots in flight.",
            first.0, last.0, last.1, w.in_flight
        ),
        _ => "No weeks to show.".into(),
    }
}

pub(crate) fn draw(w: &Weekly) -> Result<String, ChartError> {
    svg(TITLE, &describe(w), |root| {
        let n = w.weeks.len() as u32;
        if n == 0 || (w.weeks.iter().all(|x| x.1 == 0) && w.in_flight == 0) {
            return empty(root, TITLE, "No weekly updates recorded");
        }
        let y_max = count_max(w.weeks.iter().map(|x| x.1).max().unwrap_or(0).max(w.in_flight), 1.15);
        let every = (n as usize).div_ceil(8).max(1);
        let label = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(x) if *x < n && ((n - 1 - *x) as usize).is_multiple_of(every) => {
                w.weeks.get(*x as usize).map(|d| d.0.get(5..).unwrap_or(&d.0).to_string()).unwrap_or_default()
            }
            _ => String::new(),
        };
        let mut chart = bar_axes(root, TITLE, (n, y_max), &label, ("Week starting (month-day)", "Updates"))?;
        let bars = w.weeks.iter().enumerate().map(|(i, (_, count))| {
            let mut r = Rectangle::new(
                [(SegmentValue::Exact(i as u32), 0), (edge(i as u32 + 1, n), *count as u32)],
                BLUE.filled(),
            );
            r.set_margin(0, 0, 2, 2);
            r
        });
        chart.draw_series(bars)?;
        if w.in_flight > 0 {
            let y = w.in_flight as u32;
            let line = LineSeries::new(
                [(SegmentValue::Exact(0), y), (SegmentValue::Last, y)],
                ShapeStyle { color: VERMILION.to_rgba(), filled: false, stroke_width: 2 },
            );
            chart.draw_series(line)?.label(format!("Pilots in flight now: {}", w.in_flight)).legend(|(x, y)| {
                PathElement::new(
                    [(x, y), (x + 18, y)],
                    ShapeStyle { color: VERMILION.to_rgba(), filled: false, stroke_width: 2 },
                )
            });
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font(font(12.0))
                .background_style(WHITE.mix(0.9))
                .border_style(GREY)
                .draw()?;
        }
        Ok(())
    })
}
