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

/// Width and height of every chart, in SVG user units.
pub(crate) const SIZE: (u32, u32) = (760, 420);

/// Okabe-Ito colours.
pub(crate) const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub(crate) const VERMILION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub(crate) const GREY: RGBColor = RGBColor(0x6B, 0x72, 0x80);
pub(crate) const INK: RGBColor = RGBColor(0x1F, 0x29, 0x37);

/// Light to dark blues: amounts that still read in greyscale.
pub(crate) const SEQUENCE: [RGBColor; 4] =
    [RGBColor(0xC6, 0xDB, 0xEF), RGBColor(0x6B, 0xAE, 0xD6), RGBColor(0x21, 0x71, 0xB5), RGBColor(0x08, 0x30, 0x6B)];

/// Font sizes as the browser will show them (plotters scales sizes down).
pub(crate) fn font(size: f64) -> (&'static str, f64) {
    ("sans-serif", size * 1.24)
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
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    // plotters escapes `& < > " '` in its text, not control characters.
    Ok(accessible(&crate::escape::clean(&buf), title, desc))
}

/// A bar chart's drawing context: one segment per bar, counts upwards.
pub(crate) type BarChart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<
        plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordu32>,
        plotters::coord::types::RangedCoordu32,
    >,
>;

/// The axes of a bar chart with `n` bars (one per segment) and counts up to
/// `y_max`: caption, mesh, the bar labels from `label`, and both axis
/// descriptions.
pub(crate) fn bar_axes<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    (n, y_max): (u32, u32),
    label: &dyn Fn(&plotters::coord::ranged1d::SegmentValue<u32>) -> String,
    (x_desc, y_desc): (&str, &str),
) -> Result<BarChart<'a, 'b>, ChartError> {
    let (bold, light) = mesh_style();
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(17.0))
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(56)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0..y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n as usize)
        .x_label_formatter(label)
        .y_labels(y_max.min(10) as usize)
        .bold_line_style(bold)
        .light_line_style(light)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(font(13.0))
        .label_style(font(12.0))
        .draw()?;
    Ok(chart)
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

/// A round upper bound for an axis that must show `max`.
pub(crate) fn axis_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    for step in [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if max <= step * mag {
            return step * mag;
        }
    }
    10.0 * mag
}

/// The edge before segment `i` of `n` on a segmented axis (the far edge
/// of the last segment is `Last`, which also works for a single segment).
pub(crate) fn edge(i: u32, n: u32) -> plotters::coord::ranged1d::SegmentValue<u32> {
    use plotters::coord::ranged1d::SegmentValue;
    if i >= n {
        SegmentValue::Last
    } else {
        SegmentValue::Exact(i)
    }
}

/// Grid lines: the major ones faint, the minor ones left out.
pub(crate) fn mesh_style() -> (ShapeStyle, ShapeStyle) {
    (
        ShapeStyle { color: GREY.mix(0.25), filled: false, stroke_width: 1 },
        ShapeStyle { color: WHITE.mix(0.0), filled: false, stroke_width: 0 },
    )
}

/// A whole-number axis bound that shows `max` with some headroom.
pub(crate) fn count_max(max: usize, headroom: f64) -> u32 {
    axis_max(max as f64 * headroom).ceil() as u32
}

/// Draws a centred note on an empty chart.
pub(crate) fn empty(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    note: &str,
) -> Result<(), ChartError> {
    let (w, h) = SIZE;
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
        assert_eq!(axis_max(7.0), 8.0);
        assert_eq!(axis_max(12.0), 15.0);
        assert_eq!(axis_max(262.0), 300.0);
        assert_eq!(axis_max(0.0), 1.0);
        assert_eq!(clip("abcdef", 4), "abc…");
        let s = accessible("<svg a=\"1\">\n<rect/></svg>", "T & t", "D");
        assert!(s.starts_with("<svg a=\"1\" role=\"img\""));
        assert!(s.contains("<title id=\"chart-title\">T &amp; t</title>"));
    }
}
