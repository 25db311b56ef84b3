//! Readiness: while the portfolio is small, one row per pilot (worst
//! first, the percentage in each of the rubric's dimensions); above that,
//! per stage and dimension the share of pilots ready, held back, partly
//! ready and not started.

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Heatmap {
    /// Dimension labels, left to right.
    pub dimensions: Vec<String>,
    /// One row per pilot, worst first (empty when `by_stage`).
    pub rows: Vec<HeatRow>,
    /// Per stage, the pilots in each bin per dimension (empty unless
    /// `by_stage`).
    pub stages: Vec<StageBins>,
    /// Too many pilots to list: shown as shares per stage.
    pub by_stage: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeatRow {
    pub label: String,
    /// The pilot's page, relative to the site root.
    pub url: String,
    /// Readiness per dimension, whole percent.
    pub cells: Vec<u32>,
    /// Per dimension: an overdue constraint holds it back.
    pub held: Vec<bool>,
}

/// The bins, in the order of [`StageBins::dims`]' counts.
pub const BINS: [&str; 4] = ["Ready", "Held back", "Partly", "Not started"];

/// Which of [`BINS`] a dimension falls in: ready (every item met, nothing
/// holding it back), held back (every item met, an overdue constraint holds
/// it back), partly (some items met), not started (none).
pub fn bin(percent: u32, held: bool) -> usize {
    match (percent, held) {
        (100, false) => 0,
        (100, true) => 1,
        (0, _) => 3,
        _ => 2,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StageBins {
    pub stage: String,
    pub pilots: usize,
    /// Per dimension, pilots per bin of [`BINS`].
    pub dims: Vec<[usize; 4]>,
}

pub(crate) const TITLE: &str = "Readiness by dimension";

pub(crate) fn describe(h: &Heatmap) -> String {
    if h.by_stage {
        let pilots: usize = h.stages.iter().map(|s| s.pilots).sum();
        let ready: usize = h.stages.iter().flat_map(|s| &s.dims).map(|d| d[0]).sum();
        let cells = pilots * h.dimensions.len();
        format!(
            "Stacked bars per stage and dimension of {pilots} pilots: the share ready, held back, partly ready and not started; {} of {cells} pilot dimensions are ready.",
            ready
        )
    } else {
        format!(
            "Grid of readiness percentages for {} pilots, worst first, in {} dimensions; {} pilot dimensions are held back by an overdue constraint.",
            h.rows.len(),
            h.dimensions.len(),
            h.rows.iter().flat_map(|r| &r.held).filter(|&&x| x).count()
        )
    }
}

/// How to read the chart, shown under it.
pub fn how(h: &Heatmap) -> &'static str {
    if h.by_stage {
        "Each bar is one dimension of the pilots in a stage, split into ready (dark blue, every item met), held back (orange, every item met but an overdue constraint holds it), partly (mid blue) and not started (light)."
    } else {
        "Dark blue cells are ready (every item met); an orange border and \"held\" mark a dimension an overdue constraint holds back. Rows are sorted worst first."
    }
}

/// The fill for a bin, and the text colour that reads on it.
fn bin_colour(b: usize) -> (RGBColor, RGBColor) {
    match b {
        0 => (SEQUENCE[3], WHITE),
        1 => (OVERDUE, WHITE),
        2 => (SEQUENCE[1], INK),
        _ => (RGBColor(0xEE, 0xF1, 0xF5), INK),
    }
}

/// The fill of a pilot's cell: 100% (ready) alone in the darkest shade;
/// 50-99% and 1-49% in two lighter ones; none met almost white.
fn shade(percent: u32) -> (RGBColor, RGBColor) {
    match percent {
        100 => (SEQUENCE[3], WHITE),
        50..=99 => (SEQUENCE[1], INK),
        1..=49 => (SEQUENCE[0], INK),
        _ => (RGBColor(0xEE, 0xF1, 0xF5), INK),
    }
}

const TOP: i32 = 92;
const NAME: i32 = 20;
const CELL: i32 = 28;
const LEFT: i32 = 12;

fn name_lines(h: &Heatmap) -> Vec<Vec<String>> {
    h.rows.iter().map(|r| wrap(&r.label, 44)).collect()
}

pub(crate) fn height(h: &Heatmap) -> u32 {
    let body = if h.by_stage {
        h.stages.iter().map(|s| NAME + 4 + s.dims.len() as i32 * 24 + 10).sum::<i32>()
    } else {
        name_lines(h).iter().map(|l| NAME * l.len() as i32 + CELL + 10).sum::<i32>()
    };
    (TOP + body.max(60) + 12) as u32
}

pub(crate) fn draw(h: &Heatmap) -> Result<String, ChartError> {
    svg(TITLE, &describe(h), height(h), |root| {
        if h.rows.is_empty() && h.stages.is_empty() {
            return empty(root, TITLE, "No pilot records yet");
        }
        let right = WIDTH as i32 - 12;
        let (c, t) = (HPos::Center, VPos::Top);
        let (l, m) = (HPos::Left, VPos::Center);
        label(root, TITLE, (WIDTH as i32 / 2, 10), 17.0, &INK, (c, t))?;
        // Key.
        let keys: Vec<(RGBColor, &str)> = if h.by_stage {
            (0..4).map(|b| (bin_colour(b).0, BINS[b])).collect()
        } else {
            vec![(shade(100).0, "100%"), (shade(75).0, "50-99%"), (shade(25).0, "1-49%"), (shade(0).0, "0%")]
        };
        let mut kx = LEFT;
        for (fill, text) in keys {
            root.draw(&Rectangle::new([(kx, 38), (kx + 14, 52)], fill.filled()))?;
            root.draw(&Rectangle::new([(kx, 38), (kx + 14, 52)], ShapeStyle::from(&GREY)))?;
            label(root, text, (kx + 18, 45), SMALL, &INK, (l, m))?;
            kx += 26 + (text.chars().count() as i32 * 8);
        }
        let mut y = TOP;
        if h.by_stage {
            let dim_w = 96;
            let (a, b) = (LEFT + dim_w, right);
            for s in &h.stages {
                label(root, &format!("{} ({} pilots)", s.stage, s.pilots), (LEFT, y), SMALL, &INK, (l, t))?;
                y += NAME + 4;
                for (d, counts) in s.dims.iter().enumerate() {
                    let name = h.dimensions.get(d).map_or("", String::as_str);
                    label(root, &clip(name, 11), (LEFT, y + 10), SMALL, &GREY, (l, m))?;
                    let total = counts.iter().sum::<usize>().max(1);
                    let mut done = 0usize;
                    for (bin, &n) in counts.iter().enumerate() {
                        let x0 = a + ((b - a) as usize * done / total) as i32;
                        done += n;
                        let x1 = a + ((b - a) as usize * done / total) as i32;
                        if n == 0 {
                            continue;
                        }
                        let (fill, ink) = bin_colour(bin);
                        root.draw(&Rectangle::new([(x0, y), (x1, y + 20)], fill.filled()))?;
                        let share = crate::model::percent(n, total);
                        let text = format!("{share}%");
                        if x1 - x0 >= 10 + 8 * text.len() as i32 {
                            label(root, &text, ((x0 + x1) / 2, y + 10), SMALL, &ink, (c, m))?;
                        }
                    }
                    y += 24;
                }
                y += 10;
            }
        } else {
            let cols = h.dimensions.len().max(1) as i32;
            let cell_w = (right - LEFT) / cols;
            for (c_i, d) in h.dimensions.iter().enumerate() {
                let cx = LEFT + cell_w * c_i as i32 + cell_w / 2;
                label(root, &clip(d, 12), (cx, TOP - 8), SMALL, &GREY, (c, VPos::Bottom))?;
            }
            for (row, lines) in h.rows.iter().zip(name_lines(h)) {
                for line in &lines {
                    label(root, line, (LEFT, y), SMALL, &INK, (l, t))?;
                    y += NAME;
                }
                for (c_i, &p) in row.cells.iter().enumerate() {
                    let x = LEFT + cell_w * c_i as i32;
                    let held = row.held.get(c_i).copied().unwrap_or(false);
                    let (fill, ink) = shade(p);
                    root.draw(&Rectangle::new([(x + 1, y), (x + cell_w - 1, y + CELL - 2)], fill.filled()))?;
                    if held {
                        let border = ShapeStyle { color: OVERDUE.to_rgba(), filled: false, stroke_width: 3 };
                        root.draw(&Rectangle::new([(x + 2, y + 1), (x + cell_w - 2, y + CELL - 3)], border))?;
                    }
                    let text = if held { format!("{p}% held") } else { format!("{p}%") };
                    label(root, &text, (x + cell_w / 2, y + CELL / 2 - 1), SMALL, &ink, (c, m))?;
                }
                y += CELL + 10;
            }
        }
        Ok(())
    })
}
