//! Time to production by start cohort: the learning curve a standard
//! playbook should bend down, drawn so that a young cohort never looks fast
//! only because its slow pilots have not finished yet.

use super::*;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Learning {
    /// Oldest cohort first.
    pub cohorts: Vec<Cohort>,
}

/// The pilots that entered `pilot` in one calendar quarter.
#[derive(Debug, Clone, Serialize)]
pub struct Cohort {
    /// "2025 Q3".
    pub name: String,
    /// Pilots that entered `pilot` in the quarter.
    pub pilots: usize,
    /// Days to production of those that reached it, fastest first.
    pub reached: Vec<i64>,
    /// Days since entering `pilot` of those still in flight, youngest first.
    pub in_flight: Vec<i64>,
    /// Pilots that stalled or retired before production.
    pub stopped: usize,
    /// The cohort's median days to production with pilots still in flight
    /// counted as "not yet, after this many days" (the Kaplan-Meier
    /// median); `None` while fewer than half of the cohort's pilots still
    /// on the path can be known to have reached production.
    pub median: Option<i64>,
}

impl Cohort {
    /// The median days of the pilots that reached production.
    pub fn median_reached(&self) -> Option<f64> {
        crate::model::median(self.reached.clone())
    }
}

/// The Kaplan-Meier median of `reached` (event times) with `in_flight`
/// (times so far, censored): the first time at which the estimated share
/// not yet in production falls to one half or below.
pub(crate) fn km_median(reached: &[i64], in_flight: &[i64]) -> Option<i64> {
    let mut at_risk = reached.len() + in_flight.len();
    let mut survival = 1.0f64;
    let (mut r, mut f) = (0, 0);
    // Both lists are sorted; a pilot censored at t is still at risk at t.
    while r < reached.len() {
        let t = reached[r];
        while f < in_flight.len() && in_flight[f] < t {
            at_risk -= 1;
            f += 1;
        }
        let mut events = 0;
        while r < reached.len() && reached[r] == t {
            events += 1;
            r += 1;
        }
        survival *= 1.0 - events as f64 / at_risk as f64;
        at_risk -= events;
        if survival <= 0.5 + 1e-9 {
            return Some(t);
        }
    }
    None
}

pub(crate) const TITLE: &str = "Time to production by start cohort";

/// The alt text: short; the table beside the chart is the long description.
pub(crate) fn describe(l: &Learning) -> String {
    let known: Vec<&Cohort> = l.cohorts.iter().filter(|c| c.median.is_some()).collect();
    match (l.cohorts.first(), l.cohorts.last()) {
        (Some(first), Some(last)) => format!(
            "Dot chart of median days from entering pilot to production for {} quarterly cohorts, {} to {}; {} cohorts have a known median, {} pilots are still in flight.",
            l.cohorts.len(),
            first.name,
            last.name,
            known.len(),
            l.cohorts.iter().map(|c| c.in_flight.len()).sum::<usize>()
        ),
        _ => "No pilot has entered the pilot stage yet.".into(),
    }
}

/// How to read the chart, shown under it.
pub const HOW: &str = "Blue dot: the cohort's median days to production, counting pilots still in flight (no dot until half of the cohort can be known to have got there). Orange line: the pilots still in flight, from the youngest to the oldest age so far.";

const ROW: i32 = 46;
const TOP: i32 = 58;
const LEFT: i32 = 78;

pub(crate) fn height(l: &Learning) -> u32 {
    if l.cohorts.is_empty() {
        return 200;
    }
    (TOP + ROW * l.cohorts.len() as i32 + 56) as u32
}

pub(crate) fn draw(l: &Learning) -> Result<String, ChartError> {
    svg(TITLE, &describe(l), height(l), |root| {
        if l.cohorts.is_empty() {
            return empty(root, TITLE, "No pilot has entered the pilot stage yet");
        }
        let right = WIDTH as i32 - 24;
        let max =
            l.cohorts.iter().flat_map(|c| c.median.into_iter().chain(c.in_flight.last().copied())).max().unwrap_or(0);
        let (x_max, step) = ticks(max as f64, 1.05);
        let x = |days: f64| LEFT + ((right - LEFT) as f64 * days / x_max).round() as i32;
        let (c, t) = (HPos::Center, VPos::Top);
        label(root, TITLE, (WIDTH as i32 / 2, 10), 17.0, &INK, (c, t))?;
        label(root, "Days from entering pilot", (x(x_max / 2.0), 34), SMALL, &GREY, (c, t))?;
        let bottom = TOP + ROW * l.cohorts.len() as i32;
        // Grid and tick labels.
        for i in 0..=(x_max / step) as i32 {
            let d = step * i as f64;
            root.draw(&PathElement::new([(x(d), TOP), (x(d), bottom)], mesh_style().0))?;
            label(root, &format!("{d:.0}"), (x(d), bottom + 6), SMALL, &INK, (c, t))?;
        }
        label(root, "days", (x(x_max / 2.0), bottom + 28), SMALL, &GREY, (c, t))?;
        let flight = ShapeStyle { color: OVERDUE.to_rgba(), filled: false, stroke_width: 3 };
        for (i, co) in l.cohorts.iter().enumerate() {
            let y = TOP + ROW * i as i32;
            let mid = y + 16;
            label(root, &co.name, (LEFT - 8, mid), SMALL, &INK, (HPos::Right, VPos::Center))?;
            if let (Some(&young), Some(&old)) = (co.in_flight.first(), co.in_flight.last()) {
                let (a, b) = (x(young as f64), x(old as f64));
                root.draw(&PathElement::new([(a, mid), (b.max(a + 1), mid)], flight))?;
                root.draw(&Polygon::new([(b, mid - 7), (b + 8, mid), (b, mid + 7)], OVERDUE.filled()))?;
            }
            if let Some(m) = co.median {
                root.draw(&Circle::new((x(m as f64), mid), 7, BLUE.filled()))?;
            }
            let note = match co.median {
                Some(m) => format!("{m} days · {} of {} in production", co.reached.len(), co.pilots),
                None => format!("not known · {} of {} in production", co.reached.len(), co.pilots),
            };
            label(root, &note, (LEFT, mid + 11), SMALL, &GREY, (HPos::Left, VPos::Top))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::km_median;

    #[test]
    fn kaplan_meier_median() {
        // No censoring: the lower middle of an even count, the middle of an odd one.
        assert_eq!(km_median(&[10, 20, 30], &[]), Some(20));
        assert_eq!(km_median(&[10, 20, 30, 40], &[]), Some(20));
        // Two fast, ten still in flight and older: not known.
        assert_eq!(km_median(&[5, 8], &[50; 10]), None);
        // In flight older than every finisher: the order statistic of all.
        assert_eq!(km_median(&[10, 20, 30], &[100, 200]), Some(30));
        // Censored early, then events: 1 - 1/3 = 0.67, then 0.67 * (1 - 1/2) = 0.33.
        assert_eq!(km_median(&[20, 30], &[5, 40]), Some(30));
        assert_eq!(km_median(&[], &[3]), None);
    }
}
