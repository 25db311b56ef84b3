//! Stage funnel: pilots per stage now, the stages on the path to
//! production first with the share that went on from each to the next,
//! then the stages off that path (stalled, retired) apart, in grey.

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    /// In the configured stage order.
    pub stages: Vec<FunnelStage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FunnelStage {
    pub stage: String,
    /// Pilots in the stage now.
    pub now: usize,
    /// Stalled or retired: off the path to production.
    pub off_path: bool,
    /// Pilots that ever reached the stage (on the path only): in it now,
    /// past it, or stalled or retired after reaching it.
    pub reached: usize,
    /// Of those, the share (whole percent) that reached the next stage on
    /// the path; `None` for the last one and off the path.
    pub went_on: Option<u32>,
}

pub(crate) const TITLE: &str = "Pilots per stage";

pub(crate) fn describe(f: &Funnel) -> String {
    let total: usize = f.stages.iter().map(|s| s.now).sum();
    let path: Vec<String> = f.stages.iter().filter(|s| !s.off_path).map(|s| format!("{} {}", s.stage, s.now)).collect();
    let off: Vec<String> = f.stages.iter().filter(|s| s.off_path).map(|s| format!("{} {}", s.stage, s.now)).collect();
    format!("Bar chart of {total} pilots by stage: {}; off the path, {}.", path.join(", "), off.join(", "))
}

/// How to read the chart, shown under it.
pub const HOW: &str = "Blue bars: pilots in each stage on the path to production now; between them, the share of pilots that reached a stage and went on to the next. Grey bars: pilots that stalled or retired.";

const TOP: i32 = 44;
const ROW: i32 = 34;
const GAP: i32 = 22;
const LEFT: i32 = 96;

pub(crate) fn height(f: &Funnel) -> u32 {
    let path = f.stages.iter().filter(|s| !s.off_path).count() as i32;
    let off = f.stages.len() as i32 - path;
    (TOP + path * (ROW + GAP) + if off > 0 { 30 + off * ROW } else { 0 } + 20) as u32
}

pub(crate) fn draw(f: &Funnel) -> Result<String, ChartError> {
    svg(TITLE, &describe(f), height(f), |root| {
        if f.stages.iter().all(|s| s.now == 0) {
            return empty(root, TITLE, "No pilot records yet");
        }
        let right = WIDTH as i32 - 14;
        let (c, t) = (HPos::Center, VPos::Top);
        let (l, m) = (HPos::Left, VPos::Center);
        label(root, TITLE, (WIDTH as i32 / 2, 10), 17.0, &INK, (c, t))?;
        let max = f.stages.iter().map(|s| s.now).max().unwrap_or(0).max(1);
        let room = 10 + 8 * max.to_string().len() as i32;
        let x = |v: usize| LEFT + ((right - room - LEFT) as f64 * v as f64 / max as f64).round() as i32;
        let mut y = TOP;
        let path: Vec<&FunnelStage> = f.stages.iter().filter(|s| !s.off_path).collect();
        for (i, s) in path.iter().enumerate() {
            label(root, &clip(&s.stage, 11), (LEFT - 8, y + 12), SMALL, &INK, (HPos::Right, m))?;
            root.draw(&Rectangle::new([(LEFT, y), (x(s.now).max(LEFT + 1), y + 24)], BLUE.filled()))?;
            label(root, &s.now.to_string(), (x(s.now) + 4, y + 12), SMALL, &INK, (l, m))?;
            if let (Some(share), true) = (s.went_on, i + 1 < path.len()) {
                let text = format!("↓ {share}% of {} went on", s.reached);
                label(root, &text, (LEFT + 4, y + ROW - 4 + GAP / 2), SMALL, &GREY, (l, m))?;
            }
            y += ROW + GAP;
        }
        let off: Vec<&FunnelStage> = f.stages.iter().filter(|s| s.off_path).collect();
        if !off.is_empty() {
            root.draw(&PathElement::new([(12, y), (right, y)], ShapeStyle::from(&GREY.mix(0.5))))?;
            label(root, "Off the path", (12, y + 6), SMALL, &GREY, (l, t))?;
            y += 30;
            for s in off {
                label(root, &clip(&s.stage, 11), (LEFT - 8, y + 12), SMALL, &INK, (HPos::Right, m))?;
                root.draw(&Rectangle::new([(LEFT, y), (x(s.now).max(LEFT + 1), y + 24)], GREY.filled()))?;
                label(root, &s.now.to_string(), (x(s.now) + 4, y + 12), SMALL, &INK, (l, m))?;
                y += ROW;
            }
        }
        Ok(())
    })
}
