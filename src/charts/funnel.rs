//! Stage funnel: pilots per stage, one horizontal bar per stage.

use super::*;
use plotters::coord::ranged1d::SegmentValue;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    /// (stage, pilots), in the configured stage order.
    pub stages: Vec<(String, usize)>,
}

pub(crate) const TITLE: &str = "Pilots per stage";

pub(crate) fn describe(f: &Funnel) -> String {
    let total: usize = f.stages.iter().map(|s| s.1).sum();
    let parts: Vec<String> = f.stages.iter().map(|(s, n)| format!("{s} {n}")).collect();
    format!("Horizontal bar chart of {total} pilots by stage: {}.", parts.join(", "))
}

pub(crate) fn draw(f: &Funnel) -> Result<String, ChartError> {
    svg(TITLE, &describe(f), |root| {
        let n = f.stages.len() as u32;
        if f.stages.iter().all(|s| s.1 == 0) {
            return empty(root, TITLE, "No pilot records yet");
        }
        let x_max = count_max(f.stages.iter().map(|s| s.1).max().unwrap_or(0), 1.1);
        let (bold, light) = mesh_style();
        let mut chart = ChartBuilder::on(root)
            .caption(TITLE, font(17.0))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(110)
            .build_cartesian_2d(0..x_max, (0..n - 1).into_segmented())?;
        // Stage i is drawn at row n-1-i, so the first stage is on top.
        let name = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(y) if *y < n => f.stages[(n - 1 - y) as usize].0.clone(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n as usize)
            .y_label_formatter(&name)
            .x_desc("Pilots")
            .y_desc("Stage")
            .x_labels(x_max.min(10) as usize)
            .bold_line_style(bold)
            .light_line_style(light)
            .axis_desc_style(font(13.0))
            .label_style(font(12.0))
            .draw()?;
        let bars = f.stages.iter().enumerate().map(|(i, (_, count))| {
            let y = n - 1 - i as u32;
            let mut r = Rectangle::new([(0, SegmentValue::Exact(y)), (*count as u32, edge(y + 1, n))], BLUE.filled());
            r.set_margin(5, 5, 0, 0);
            r
        });
        chart.draw_series(bars)?;
        let labels = f.stages.iter().enumerate().map(|(i, (_, count))| {
            let y = n - 1 - i as u32;
            let style = TextStyle::from(font(12.0)).color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
            Text::new(format!(" {count}"), (*count as u32, SegmentValue::CenterOf(y)), style)
        });
        chart.draw_series(labels)?;
        Ok(())
    })
}
