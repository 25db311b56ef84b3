//! Calendar dates as a day count, parsed from and printed as `YYYY-MM-DD`.
//! No time zones: every date in the content is a civil date.

use serde::{Serialize, Serializer};
use std::fmt;

/// A civil date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// Parses `YYYY-MM-DD` exactly (four-digit year, real month and day).
    ///
    /// ```
    /// use pilotdeck::date::Date;
    /// let due = Date::parse("2026-03-15").unwrap();
    /// let as_of = Date::parse("2026-03-22").unwrap();
    /// assert_eq!(as_of.days_since(due), 7);
    /// assert_eq!(Date::parse("2026-02-30"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i32> {
            let s = &text[r];
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// The date `days` after this one (or before, when negative).
    pub fn plus_days(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    /// Whole days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i64 {
        i64::from(self.0) - i64::from(earlier.0)
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Date((secs / 86_400) as i32)
    }

    /// Year, month (1-12) and day (1-31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Monday of this date's ISO week.
    pub fn week_start(self) -> Date {
        // 1970-01-01 was a Thursday: day 0 has weekday index 3 (Mon = 0).
        let weekday = (self.0 + 3).rem_euclid(7);
        Date(self.0 - weekday)
    }
}

impl Date {
    /// `YYYY-MM-DD` for years 0 to 9999, without the formatting machinery
    /// (hundreds of thousands of dates go into a large site's pages and
    /// exports); `None` for other years.
    fn iso(self) -> Option<[u8; 10]> {
        let (y, m, d) = self.ymd();
        let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }
}

impl Date {
    /// `YYYY-MM-DD` appended to `out`: what `Display` writes, without the
    /// formatting machinery.
    pub fn push_to(self, out: &mut String) {
        match self.iso() {
            Some(b) => out.extend(b.iter().map(|&c| char::from(c))),
            None => {
                use fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    }

    /// `YYYY-MM-DD`, as `to_string` makes it, faster.
    pub fn text(self) -> String {
        let mut out = String::with_capacity(10);
        self.push_to(&mut out);
        out
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.iso() {
            Some(b) => f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?),
            None => {
                let (y, m, d) = self.ymd();
                write!(f, "{y:04}-{m:02}-{d:02}")
            }
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.iso() {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).map_err(serde::ser::Error::custom)?),
            None => s.collect_str(self),
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects() {
        for s in ["1970-01-01", "2024-02-29", "2026-12-31", "2000-03-01"] {
            assert_eq!(Date::parse(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
        for s in ["2026-13-01", "2026-02-29", "2026-1-01", "26-01-01", "2026-01-0x", ""] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
    }

    /// The fast form is the formatted one, from year -2 to 10001 (a day in
    /// every few), and dates serialise as that string.
    #[test]
    fn fast_form_is_the_formatted_one() {
        let (from, to) = (days_from_civil(-2, 1, 1), days_from_civil(10001, 12, 31));
        for z in (from..=to).step_by(13).chain([from, to, 0, -1]) {
            let date = Date(z);
            let (y, m, d) = date.ymd();
            let slow = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(date.to_string(), slow);
            assert_eq!(date.text(), slow);
            assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{slow}\""));
        }
    }

    #[test]
    fn arithmetic() {
        let a = Date::parse("2026-03-01").unwrap();
        let b = Date::parse("2026-02-27").unwrap();
        assert_eq!(a.days_since(b), 2);
        assert_eq!(b.plus_days(2), a);
        // 2026-11-19 is a Thursday; its week starts on Monday 2026-11-16.
        assert_eq!(Date::parse("2026-11-19").unwrap().week_start().to_string(), "2026-11-16");
        assert_eq!(Date::parse("2026-11-16").unwrap().week_start().to_string(), "2026-11-16");
    }
}
