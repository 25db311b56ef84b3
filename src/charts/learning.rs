//! Time to production by pilot start order: the learning curve a standard
//! playbook should bend down.

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Learning {
    pub points: Vec<LearnPoint>,
    /// Points are medians of groups of pilots, not single pilots.
    pub grouped: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LearnPoint {
    /// Position in start order (1 = the earliest start); for a group, its middle.
    pub order: f64,
    /// The pilot's title, or "pilots 1-25" for a group.
    pub label: String,
    /// Start date of the pilot (or of the group's first pilot).
    pub started: String,
    /// Days to production (the median for a group).
    pub days: f64,
    pub pilots: usize,
}

pub(crate) const TITLE: &str = "Time to production by pilot start order";

pub(crate) fn describe(l: &Learning) -> String {
    if l.points.is_empty() {
        return "No pilot has reached production yet, so there is no curve to show.".into();
    }
    let first = &l.points[0];
    let last = &l.points[l.points.len() - 1];
    let unit = if l.grouped { "groups of pilots (median of each)" } else { "pilots" };
    format!(
        "Line chart of days from pilot start to production for {} {unit}, in the order they started: the first took {:.0} days, the latest {:.0} days.",
        l.points.len(),
        first.days,
        last.days
    )
}

pub(crate) fn draw(l: &Learning) -> Result<String, ChartError> {
    svg(TITLE, &describe(l), |root| {
        if l.points.is_empty() {
            return empty(root, TITLE, "No pilot has reached production yet");
        }
        let x_max = l.points.iter().map(|p| p.order).fold(1.0, f64::max) + 0.5;
        let y_max = axis_max(l.points.iter().map(|p| p.days).fold(0.0, f64::max) * 1.1);
        let mut chart = ChartBuilder::on(root)
            .caption(TITLE, font(17.0))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0.5..x_max, 0.0..y_max)?;
        chart
            .configure_mesh()
            .x_desc(if l.grouped {
                "Pilot start order (group middle)"
            } else {
                "Pilot start order (1 = earliest start)"
            })
            .y_desc("Days from pilot start to production")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_labels(10.min(l.points.len() + 1))
            .bold_line_style(mesh_style().0)
            .light_line_style(mesh_style().1)
            .axis_desc_style(font(13.0))
            .label_style(font(12.0))
            .draw()?;
        let line: Vec<(f64, f64)> = l.points.iter().map(|p| (p.order, p.days)).collect();
        chart.draw_series(LineSeries::new(
            line.clone(),
            ShapeStyle { color: BLUE.to_rgba(), filled: false, stroke_width: 2 },
        ))?;
        chart.draw_series(line.iter().map(|&(x, y)| Circle::new((x, y), 5, BLUE.filled())))?;
        if l.points.len() <= 12 {
            let style = TextStyle::from(font(11.0)).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
            chart.draw_series(l.points.iter().map(|p| {
                Text::new(
                    format!("{} ({:.0} d)", clip(&p.label, 24), p.days),
                    (p.order, p.days + y_max * 0.03),
                    style.clone(),
                )
            }))?;
        }
        Ok(())
    })
}
