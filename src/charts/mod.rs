//! Charts drawn at build time: plain data in, an SVG document out, drawn
//! with plotters' SVG backend (text stays SVG text that the browser draws;
//! no font files are read). Every chart carries a `<title>` and a `<desc>`
//! for screen readers, and uses colours that survive greyscale printing and
//! colour-blind readers (Okabe-Ito hues, sequential blues for amounts).

pub(crate) mod age;
pub(crate) mod confidence;
pub(crate) mod funnel;
pub(crate) mod heatmap;
pub(crate) mod learning;
pub(crate) mod weekly;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width of every chart, in SVG user units. Charts are drawn narrow and
/// scaled up by CSS: at 400 units, a phone's 340 px column still shows the
/// smallest text ([`SMALL`] units) at 11.9 px, and a desktop column of
/// 400-560 px shows it at 14-20 px.
pub(crate) const WIDTH: u32 = 400;
/// The smallest text in any chart, in SVG user units.
pub(crate) const SMALL: f64 = 14.0;

/// Okabe-Ito colours.
pub(crate) const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub(crate) const VERMILION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub(crate) const GREY: RGBColor = RGBColor(0x6B, 0x72, 0x80);
pub(crate) const INK: RGBColor = RGBColor(0x1F, 0x29, 0x37);
/// A dark vermilion for overdue and held-back marks: 5.5:1 on white, so
/// it passes WCAG AA as text as well as fill.
pub(crate) const OVERDUE: RGBColor = RGBColor(0xB3, 0x47, 0x00);

/// Light to dark blues: amounts that still read in greyscale.
pub(crate) const SEQUENCE: [RGBColor; 4] =
    [RGBColor(0xC6, 0xDB, 0xEF), RGBColor(0x6B, 0xAE, 0xD6), RGBColor(0x21, 0x71, 0xB5), RGBColor(0x08, 0x30, 0x6B)];

/// Font sizes as the browser will show them (plotters scales sizes down).
pub(crate) fn font(size: f64) -> (&'static str, f64) {
    ("sans-serif", size * 1.24)
}

/// Draws `text` at pixel `(x, y)` in `size` units and `color`, anchored at
/// `(h, v)`.
pub(crate) fn label(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    text: &str,
    (x, y): (i32, i32),
    size: f64,
    color: &RGBColor,
    (h, v): (HPos, VPos),
) -> Result<(), ChartError> {
    let style = TextStyle::from(font(size)).color(color).pos(Pos::new(h, v));
    root.draw(&Text::new(text.to_string(), (x, y), style))?;
    Ok(())
}

/// Splits `text` into lines of at most `max` characters at spaces (a word
/// longer than `max` gets a line of its own), so that names are never cut.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A failure inside plotters: a bug, never a content problem.
#[derive(Debug)]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

/// Draws with `draw` on a fresh SVG canvas and returns the finished
/// document, with its title and description.
pub(crate) fn svg(
    title: &str,
    desc: &str,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    // plotters escapes `& < > " '` in its text, not control characters.
    Ok(accessible(&crate::escape::clean(&buf), title, desc))
}

/// Adds `role="img"`, `<title>` and `<desc>` right after the opening tag.
fn accessible(svg: &str, title: &str, desc: &str) -> String {
    let Some(end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(end);
    format!(
        "{open} role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">{}</title>\n<desc id=\"chart-desc\">{}</desc>{}",
        crate::escape::escaped(title),
        crate::escape::escaped(desc),
        &rest[1..]
    )
}

/// Shortens a label to `max` characters, with an ellipsis.
pub(crate) fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Whole-number axis ticks for values up to `max` with `headroom` (1.1 =
/// ten percent) above it: (the axis top, the step), the step 1, 2 or 5
/// (or, from 25 up, 2.5) times a power of ten and at most five steps to the
/// top.
pub(crate) fn ticks(max: f64, headroom: f64) -> (f64, f64) {
    let top = (max * headroom).max(1.0);
    let mut step = 1.0;
    'find: loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            if m == 2.5 && step < 10.0 {
                continue;
            }
            if top / (step * m) <= 5.0 {
                step *= m;
                break 'find;
            }
        }
        step *= 10.0;
    }
    ((top / step).ceil() * step, step)
}

/// Grid lines: the major ones faint, the minor ones left out.
pub(crate) fn mesh_style() -> (ShapeStyle, ShapeStyle) {
    (
        ShapeStyle { color: GREY.mix(0.25), filled: false, stroke_width: 1 },
        ShapeStyle { color: WHITE.mix(0.0), filled: false, stroke_width: 0 },
    )
}

/// Draws a centred note on an empty chart.
pub(crate) fn empty(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    note: &str,
) -> Result<(), ChartError> {
    let (w, h) = root.dim_in_pixel();
    let style = TextStyle::from(font(16.0)).color(&INK).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(title.to_string(), (w as i32 / 2, h as i32 / 2 - 14), style.clone()))?;
    let small = TextStyle::from(font(13.0)).color(&GREY).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(note.to_string(), (w as i32 / 2, h as i32 / 2 + 14), small))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(ticks(9.0, 1.1), (10.0, 2.0));
        assert_eq!(ticks(5.0, 1.0), (5.0, 1.0));
        assert_eq!(ticks(480.0, 1.1), (600.0, 200.0));
        assert_eq!(ticks(1076.0, 1.0), (1250.0, 250.0));
        assert_eq!(ticks(12.0, 1.0), (15.0, 5.0));
        assert_eq!(ticks(0.0, 1.1), (1.0, 1.0));
        assert_eq!(clip("abcdef", 4), "abc…");
        let s = accessible("<svg a=\"1\">\n<rect/></svg>", "T & t", "D");
        assert!(s.starts_with("<svg a=\"1\" role=\"img\""));
        assert!(s.contains("<title id=\"chart-title\">T &amp; t</title>"));
    }
}
