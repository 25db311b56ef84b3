//! Updates per week across the portfolio against the pilots in flight in
//! that week: is the weekly sync happening?

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Weekly {
    /// Oldest first; the last is the week of the as-of date.
    pub weeks: Vec<Week>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    /// The Monday the week starts on.
    pub start: String,
    pub updates: usize,
    /// Pilots in flight (entered a stage, and not production, stalled or
    /// retired) at the end of the week, or on the as-of date for the
    /// current week, from the dates in their records' `[stages]`.
    pub in_flight: usize,
    /// Days of the week up to the as-of date (7 for a whole week).
    pub days: u32,
}

pub(crate) const TITLE: &str = "Weekly updates against pilots in flight";

pub(crate) fn describe(w: &Weekly) -> String {
    let total: usize = w.weeks.iter().map(|x| x.updates).sum();
    match (w.weeks.first(), w.weeks.last()) {
        (Some(first), Some(last)) => format!(
            "Bar chart of weekly updates in the {} weeks from {} to {} ({total} in all), with a line for the pilots in flight each week ({} in the latest).",
            w.weeks.len(),
            first.start,
            last.start,
            last.in_flight
        ),
        _ => "No weeks to show.".into(),
    }
}

/// How to read the chart, shown under it.
pub const HOW: &str = "Bars: weekly updates received. Orange steps: pilots in flight that week, each expected to send one. The last bar, outlined, is the week still under way.";

const TOP: i32 = 100;
const PLOT: i32 = 240;

pub(crate) fn height(_: &Weekly) -> u32 {
    (TOP + PLOT + 70) as u32
}

pub(crate) fn draw(w: &Weekly) -> Result<String, ChartError> {
    svg(TITLE, &describe(w), height(w), |root| {
        let n = w.weeks.len() as i32;
        if n == 0 || w.weeks.iter().all(|x| x.updates == 0 && x.in_flight == 0) {
            return empty(root, TITLE, "No weekly updates recorded");
        }
        let right = WIDTH as i32 - 12;
        let bottom = TOP + PLOT;
        let max = w.weeks.iter().map(|x| x.updates.max(x.in_flight)).max().unwrap_or(0);
        let (y_max, tick) = ticks(max as f64, 1.1);
        // Room for the longest count label left of the axis.
        let left = 14 + 8 * format!("{y_max:.0}").len() as i32;
        let y = |v: f64| bottom - (PLOT as f64 * v / y_max).round() as i32;
        let bar = (right - left) as f64 / n as f64;
        let x = |i: i32| left + (bar * i as f64).round() as i32;
        let (c, t) = (HPos::Center, VPos::Top);
        label(root, TITLE, (WIDTH as i32 / 2, 10), 17.0, &INK, (c, t))?;
        // Key.
        root.draw(&Rectangle::new([(left, 40), (left + 14, 54)], BLUE.filled()))?;
        label(root, "Updates", (left + 20, 47), SMALL, &INK, (HPos::Left, VPos::Center))?;
        let line = ShapeStyle { color: OVERDUE.to_rgba(), filled: false, stroke_width: 3 };
        root.draw(&PathElement::new([(left + 100, 47), (left + 122, 47)], line))?;
        label(root, "Pilots in flight", (left + 128, 47), SMALL, &INK, (HPos::Left, VPos::Center))?;
        for i in 0..=(y_max / tick) as i32 {
            let v = tick * i as f64;
            root.draw(&PathElement::new([(left, y(v)), (right, y(v))], mesh_style().0))?;
            label(root, &format!("{v:.0}"), (left - 6, y(v)), SMALL, &INK, (HPos::Right, VPos::Center))?;
        }
        for (i, wk) in w.weeks.iter().enumerate() {
            let i = i as i32;
            let (a, b) = (x(i) + 1, x(i + 1) - 1);
            if wk.days < 7 {
                // The week under way: outlined, so a low count reads as "so far".
                let outline = ShapeStyle { color: BLUE.to_rgba(), filled: false, stroke_width: 2 };
                root.draw(&Rectangle::new([(a, y(wk.updates as f64)), (b, bottom)], SEQUENCE[0].filled()))?;
                root.draw(&Rectangle::new([(a, y(wk.updates as f64).min(bottom - 2)), (b, bottom)], outline))?;
            } else if wk.updates > 0 {
                root.draw(&Rectangle::new([(a, y(wk.updates as f64)), (b, bottom)], BLUE.filled()))?;
            }
        }
        let mut steps = Vec::with_capacity(w.weeks.len() * 2);
        for (i, wk) in w.weeks.iter().enumerate() {
            let v = y(wk.in_flight as f64);
            steps.push((x(i as i32), v));
            steps.push((x(i as i32 + 1), v));
        }
        root.draw(&PathElement::new(steps, line))?;
        if let Some(last) = w.weeks.last().filter(|wk| wk.days < 7) {
            root.draw(&Rectangle::new([(left, 62), (left + 14, 76)], SEQUENCE[0].filled()))?;
            let outline = ShapeStyle { color: BLUE.to_rgba(), filled: false, stroke_width: 2 };
            root.draw(&Rectangle::new([(left, 62), (left + 14, 76)], outline))?;
            let text = format!("This week so far ({} of 7 days)", last.days);
            label(root, &text, (left + 20, 69), SMALL, &INK, (HPos::Left, VPos::Center))?;
        }
        root.draw(&PathElement::new([(left, bottom), (right, bottom)], ShapeStyle::from(&GREY)))?;
        // Week labels with their year, every few weeks counted back from the latest.
        let every = (n as usize).div_ceil(3).max(1);
        for (i, wk) in w.weeks.iter().enumerate() {
            if (w.weeks.len() - 1 - i).is_multiple_of(every) {
                let cx = (x(i as i32) + x(i as i32 + 1)) / 2;
                root.draw(&PathElement::new([(cx, bottom), (cx, bottom + 4)], ShapeStyle::from(&GREY)))?;
                let text = wk.start.clone();
                let h = if i + 1 == w.weeks.len() { HPos::Right } else { HPos::Center };
                let at = if i + 1 == w.weeks.len() { x(i as i32 + 1) } else { cx };
                label(root, &text, (at, bottom + 8), SMALL, &INK, (h, t))?;
            }
        }
        label(root, "Week starting (Monday)", ((left + right) / 2, bottom + 34), SMALL, &GREY, (c, t))?;
        Ok(())
    })
}
