//! Confidence gap: leader against team confidence that the target date
//! holds, from each pilot's latest update. Pilots with the same pair share
//! one mark, sized by how many they are, so the chart reads the same at
//! three pilots and at five thousand.

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ConfidenceMap {
    /// Every (leader, team) pair that occurs, with its pilots.
    pub cells: Vec<ConfCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfCell {
    pub leader: i64,
    pub team: i64,
    pub gap: i64,
    pub pilots: usize,
    /// Up to five pilot titles.
    pub names: Vec<String>,
}

pub(crate) const TITLE: &str = "Leader against team confidence";

pub(crate) fn describe(c: &ConfidenceMap) -> String {
    let total: usize = c.cells.iter().map(|x| x.pilots).sum();
    let above: usize = c.cells.iter().filter(|x| x.gap > 0).map(|x| x.pilots).sum();
    let below: usize = c.cells.iter().filter(|x| x.gap < 0).map(|x| x.pilots).sum();
    format!(
        "Scatter chart of leader confidence (vertical, 1 to 5) against team confidence (horizontal, 1 to 5) for {total} pilots: {above} where the leader is more confident than the team, {below} where the team is more confident, {} where they agree.",
        total - above - below
    )
}

/// How to read the chart, shown under it.
pub const HOW: &str = "Each circle is the pilots whose latest update gave that pair of confidences, sized and numbered by how many they are. Orange: the leader is more confident than the team; blue: the team more than the leader.";

pub(crate) fn height(_: &ConfidenceMap) -> u32 {
    500
}

pub(crate) fn draw(c: &ConfidenceMap) -> Result<String, ChartError> {
    svg(TITLE, &describe(c), height(c), |root| {
        if c.cells.is_empty() {
            return empty(root, TITLE, "No update records a confidence yet");
        }
        let (plot, _) = root.split_vertically(420);
        let mut chart = ChartBuilder::on(&plot)
            .caption(TITLE, font(17.0))
            .margin(14)
            .x_label_area_size(48)
            .y_label_area_size(56)
            .build_cartesian_2d(0.5..5.5, 0.5..5.5)?;
        chart
            .configure_mesh()
            .x_labels(5)
            .y_labels(5)
            .bold_line_style(mesh_style().0)
            .light_line_style(mesh_style().1)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_desc("Team confidence (1-5)")
            .y_desc("Leader confidence (1-5)")
            .axis_desc_style(font(SMALL * 1.24))
            .label_style(font(SMALL * 1.24))
            .draw()?;
        let dashed = ShapeStyle { color: GREY.to_rgba(), filled: false, stroke_width: 1 };
        chart.draw_series(DashedLineSeries::new([(0.5, 0.5), (5.5, 5.5)], 6, 4, dashed))?;
        let max = c.cells.iter().map(|x| x.pilots).max().unwrap_or(1) as f64;
        let radius = |n: usize| (10.0 + 16.0 * (n as f64 / max).sqrt()) as i32;
        for (color, keep) in [(VERMILION, 1i64), (BLUE, -1), (GREY, 0)] {
            let marks: Vec<&ConfCell> = c.cells.iter().filter(|x| x.gap.signum() == keep).collect();
            if marks.is_empty() {
                continue;
            }
            chart.draw_series(
                marks
                    .iter()
                    .map(|x| Circle::new((x.team as f64, x.leader as f64), radius(x.pilots), color.mix(0.85).filled())),
            )?;
            chart.draw_series(marks.iter().map(|x| {
                let style = TextStyle::from(font(SMALL)).color(&WHITE).pos(Pos::new(HPos::Center, VPos::Center));
                Text::new(x.pilots.to_string(), (x.team as f64, x.leader as f64), style)
            }))?;
        }
        let dashed_key = ShapeStyle { color: GREY.to_rgba(), filled: false, stroke_width: 1 };
        let (x, y0) = (16, 432);
        root.draw(&PathElement::new([(x, y0), (x + 18, y0)], dashed_key))?;
        label(root, "Leader and team agree", (x + 26, y0), SMALL, &INK, (HPos::Left, VPos::Center))?;
        for (i, (text, color)) in
            [("Leader more confident", VERMILION), ("Team more confident", BLUE), ("Same confidence", GREY)]
                .into_iter()
                .enumerate()
        {
            let (kx, ky) = [(x + 190, y0), (x, y0 + 26), (x + 190, y0 + 26)][i];
            root.draw(&Circle::new((kx + 9, ky), 7, color.filled()))?;
            label(root, text, (kx + 26, ky), SMALL, &INK, (HPos::Left, VPos::Center))?;
        }
        label(root, "Numbers: pilots in each circle", (x, y0 + 54), SMALL, &GREY, (HPos::Left, VPos::Center))?;
        Ok(())
    })
}
