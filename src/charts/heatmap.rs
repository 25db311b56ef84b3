//! Readiness heatmap: pilots (or, for a large portfolio, stages) against the
//! four readiness dimensions, the percentage written in each cell.

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Heatmap {
    /// Dimension labels, left to right.
    pub dimensions: Vec<String>,
    pub rows: Vec<HeatRow>,
    /// Rows are stages (averages) rather than single pilots.
    pub by_stage: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeatRow {
    pub label: String,
    /// The pilot's page, relative to the site root; empty for a stage row.
    pub url: String,
    /// Pilots in the row (1 for a pilot row).
    pub pilots: usize,
    /// Readiness per dimension, whole percent (the mean for a stage row).
    pub cells: Vec<u32>,
}

pub(crate) const TITLE: &str = "Readiness by dimension";

pub(crate) fn describe(h: &Heatmap) -> String {
    let what = if h.by_stage { "stages (the mean of their pilots)" } else { "pilots" };
    let cells: Vec<String> = h
        .rows
        .iter()
        .take(12)
        .map(|r| {
            let v: Vec<String> = h.dimensions.iter().zip(&r.cells).map(|(d, c)| format!("{d} {c}%")).collect();
            format!("{}: {}", r.label, v.join(", "))
        })
        .collect();
    let more = if h.rows.len() > 12 { format!("; and {} more rows", h.rows.len() - 12) } else { String::new() };
    format!(
        "Heatmap of readiness percentage for {} {} across {} dimensions. {}{more}.",
        h.rows.len(),
        what,
        h.dimensions.len(),
        cells.join("; ")
    )
}

/// A light-to-dark blue for 0-100%, and the text colour that reads on it.
fn shade(percent: u32) -> (RGBColor, RGBColor) {
    let i = match percent {
        0..=24 => 0,
        25..=49 => 1,
        50..=74 => 2,
        _ => 3,
    };
    let text = if i >= 2 { WHITE } else { INK };
    (SEQUENCE[i], text)
}

/// Drawn cell by cell in pixels: a grid needs no axes, and this way one
/// row lays out as well as thirty.
pub(crate) fn draw(h: &Heatmap) -> Result<String, ChartError> {
    svg(TITLE, &describe(h), |root| {
        if h.rows.is_empty() {
            return empty(root, TITLE, "No pilot records yet");
        }
        let (w, height) = SIZE;
        let (left, top, right, bottom) = (230i32, 76i32, w as i32 - 16, height as i32 - 40);
        let cols = h.dimensions.len().max(1) as i32;
        let rows = h.rows.len() as i32;
        let cell_w = (right - left) / cols;
        let cell_h = ((bottom - top) / rows).min(44);
        let small = rows > 20;
        let title = TextStyle::from(font(17.0)).color(&INK).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(TITLE, (w as i32 / 2, 12), title))?;
        let head = TextStyle::from(font(13.0)).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        for (c, d) in h.dimensions.iter().enumerate() {
            root.draw(&Text::new(d.clone(), (left + cell_w * c as i32 + cell_w / 2, top - 8), head.clone()))?;
        }
        let side = TextStyle::from(font(12.0)).color(&GREY).pos(Pos::new(HPos::Right, VPos::Bottom));
        let what = if h.by_stage { "Stage (pilots)" } else { "Pilot" };
        root.draw(&Text::new(what, (left - 10, top - 8), side))?;
        let label =
            TextStyle::from(font(if small { 10.0 } else { 12.0 })).color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
        for (r, row) in h.rows.iter().enumerate() {
            let y = top + cell_h * r as i32;
            root.draw(&Text::new(clip(&row.label, 32), (left - 10, y + cell_h / 2), label.clone()))?;
            for (c, &p) in row.cells.iter().enumerate() {
                let x = left + cell_w * c as i32;
                let (fill, ink) = shade(p);
                root.draw(&Rectangle::new([(x + 1, y + 1), (x + cell_w - 1, y + cell_h - 1)], fill.filled()))?;
                let style = TextStyle::from(font(if small { 10.0 } else { 13.0 }))
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(format!("{p}%"), (x + cell_w / 2, y + cell_h / 2), style))?;
            }
        }
        // Key: what each shade means.
        let key_y = height as i32 - 22;
        let key = TextStyle::from(font(11.0)).color(&GREY).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new("Items met:", (left, key_y), key.clone()))?;
        for (i, text) in ["0-24%", "25-49%", "50-74%", "75-100%"].iter().enumerate() {
            let x = left + 80 + i as i32 * 96;
            root.draw(&Rectangle::new([(x, key_y - 7), (x + 14, key_y + 7)], SEQUENCE[i].filled()))?;
            root.draw(&Text::new(*text, (x + 20, key_y), key.clone()))?;
        }
        Ok(())
    })
}
