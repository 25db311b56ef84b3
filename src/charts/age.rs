//! Open constraints by category and age, with the overdue ones as their
//! own bar under each category's.

use super::*;
use serde::Serialize;

/// Age bands, by days since a constraint was raised.
pub(crate) const BUCKETS: [&str; 5] = ["under 2 weeks", "2-4 weeks", "1-3 months", "3-6 months", "over 6 months"];

/// The band index for an age in days.
pub(crate) fn bucket(days: i64) -> usize {
    match days {
        ..=13 => 0,
        14..=29 => 1,
        30..=89 => 2,
        90..=179 => 3,
        _ => 4,
    }
}

/// Light to dark, yellow-green to blue (ColorBrewer YlGnBu): five ordered
/// bands that stay apart in colour and in greyscale.
const BANDS: [RGBColor; 5] = [
    RGBColor(0xC7, 0xE9, 0xB4),
    RGBColor(0x7F, 0xCD, 0xBB),
    RGBColor(0x41, 0xB6, 0xC4),
    RGBColor(0x2C, 0x7F, 0xB8),
    RGBColor(0x25, 0x34, 0x94),
];

#[derive(Debug, Clone, Serialize)]
pub struct AgeChart {
    pub rows: Vec<AgeRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgeRow {
    pub category: String,
    /// Open constraints per age band ([`BUCKETS`]); a constraint without a
    /// `raised` date counts as raised on its due date, else as new.
    pub counts: [usize; 5],
    pub total: usize,
    pub overdue: usize,
}

pub(crate) const TITLE: &str = "Open constraints by category and age";

pub(crate) fn describe(a: &AgeChart) -> String {
    let total: usize = a.rows.iter().map(|r| r.total).sum();
    let overdue: usize = a.rows.iter().map(|r| r.overdue).sum();
    let worst = a.rows.iter().filter(|r| r.overdue > 0).max_by_key(|r| r.overdue);
    let most = worst.map_or(String::new(), |r| format!(", the most in {} ({})", r.category, r.overdue));
    format!(
        "Bar chart of {total} open constraints in {} categories, each split by age since raised, with {overdue} overdue shown as a separate bar{most}.",
        a.rows.len()
    )
}

/// How to read the chart, shown under it.
pub const HOW: &str = "Each category has two bars: open constraints split by age since raised (light: new, dark: old), and below it, in dark orange, those past their due date.";

const TOP: i32 = 104;
const ROW: i32 = 56;
const LEFT: i32 = 104;

pub(crate) fn height(a: &AgeChart) -> u32 {
    (TOP + ROW * a.rows.len().max(1) as i32 + 40) as u32
}

pub(crate) fn draw(a: &AgeChart) -> Result<String, ChartError> {
    svg(TITLE, &describe(a), height(a), |root| {
        if a.rows.iter().all(|r| r.total == 0) {
            return empty(root, TITLE, "No open constraints");
        }
        let right = WIDTH as i32 - 14;
        let (c, t) = (HPos::Center, VPos::Top);
        let (l, m) = (HPos::Left, VPos::Center);
        label(root, TITLE, (WIDTH as i32 / 2, 10), 17.0, &INK, (c, t))?;
        // Key: the bands in two rows, then the overdue bar.
        for (i, name) in BUCKETS.iter().enumerate() {
            let (kx, ky) = (12 + (i as i32 % 3) * 130, 40 + (i as i32 / 3) * 22);
            root.draw(&Rectangle::new([(kx, ky - 7), (kx + 14, ky + 7)], BANDS[i].filled()))?;
            label(root, name, (kx + 18, ky), SMALL, &INK, (l, m))?;
        }
        let (kx, ky) = (12 + 2 * 130, 62);
        root.draw(&Rectangle::new([(kx, ky - 5), (kx + 14, ky + 5)], OVERDUE.filled()))?;
        label(root, "overdue", (kx + 18, ky), SMALL, &OVERDUE, (l, m))?;
        // The longest bar's label sits right of it: leave room for it.
        let max = a.rows.iter().map(|r| r.total).max().unwrap_or(0);
        let room = 10 + 8 * max.to_string().len() as i32;
        let (x_max, step) = ticks(max as f64, 1.0);
        let x = |v: f64| LEFT + ((right - room - LEFT) as f64 * v / x_max).round() as i32;
        let bottom = TOP + ROW * a.rows.len() as i32;
        for i in 0..=(x_max / step) as i32 {
            let v = step * i as f64;
            root.draw(&PathElement::new([(x(v), TOP - 6), (x(v), bottom)], mesh_style().0))?;
            label(root, &format!("{v:.0}"), (x(v), bottom + 4), SMALL, &INK, (c, t))?;
        }
        for (i, r) in a.rows.iter().enumerate() {
            let y = TOP + ROW * i as i32;
            label(root, &clip(&r.category, 12), (LEFT - 8, y + 11), SMALL, &INK, (HPos::Right, m))?;
            let mut below = 0usize;
            for (b, &n) in r.counts.iter().enumerate() {
                if n > 0 {
                    let (x0, x1) = (x(below as f64), x((below + n) as f64));
                    root.draw(&Rectangle::new([(x0, y), (x1, y + 22)], BANDS[b].filled()))?;
                    // A white seam keeps neighbouring bands apart.
                    root.draw(&PathElement::new([(x1, y), (x1, y + 22)], ShapeStyle::from(&WHITE)))?;
                }
                below += n;
            }
            label(root, &r.total.to_string(), (x(r.total as f64) + 4, y + 11), SMALL, &INK, (l, m))?;
            let (oy, end) = (y + 25, x(r.overdue as f64).max(x(0.0) + 2));
            if r.overdue > 0 {
                root.draw(&Rectangle::new([(x(0.0), oy), (end, oy + 18)], OVERDUE.filled()))?;
            }
            let text = format!("{} overdue", r.overdue);
            if end + 4 + 8 * text.len() as i32 > right {
                label(root, &text, (end - 4, oy + 9), SMALL, &WHITE, (HPos::Right, m))?;
            } else {
                label(root, &text, (end + 4, oy + 9), SMALL, &OVERDUE, (l, m))?;
            }
        }
        root.draw(&PathElement::new([(LEFT, TOP - 6), (LEFT, bottom)], ShapeStyle::from(&GREY)))?;
        label(root, "Open constraints", ((LEFT + right) / 2, bottom + 22), SMALL, &GREY, (c, t))?;
        Ok(())
    })
}
