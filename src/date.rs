//! Calendar dates as a day count, parsed from and printed as `YYYY-MM-DD`.
//! Every date in the content is a civil date; the calendar itself (which
//! days a month has, weekdays, today in a time zone) is jiff's.

use serde::{Serialize, Serializer};
use std::fmt;

/// A civil date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Date(i32);

impl Date {
    /// Parses `YYYY-MM-DD` exactly (four-digit year, real month and day,
    /// a year from 1900 to 2200).
    ///
    /// ```
    /// use pilotdeck::date::Date;
    /// let due = Date::parse("2026-03-15").unwrap();
    /// let as_of = Date::parse("2026-03-22").unwrap();
    /// assert_eq!(as_of.days_since(due), 7);
    /// assert_eq!(Date::parse("2026-02-30"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse_checked(text).ok()
    }

    /// Parses `YYYY-MM-DD` exactly, and says why a text is not a date:
    /// not of that form or not in the calendar, or a real date outside
    /// [`Date::FIRST_YEAR`]..=[`Date::LAST_YEAR`] (a typo such as `1026`
    /// or `20260` would otherwise shift every figure by centuries).
    pub fn parse_checked(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError::Malformed);
        }
        let num = |r: std::ops::Range<usize>| -> Result<i16, DateError> {
            b[r].iter().try_fold(0i16, |n, &c| {
                if c.is_ascii_digit() {
                    Ok(n * 10 + i16::from(c - b'0'))
                } else {
                    Err(DateError::Malformed)
                }
            })
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let m = i8::try_from(m).map_err(|_| DateError::Malformed)?;
        let d = i8::try_from(d).map_err(|_| DateError::Malformed)?;
        let date = jiff::civil::Date::new(y, m, d).map_err(|_| DateError::Malformed)?;
        if !(Date::FIRST_YEAR..=Date::LAST_YEAR).contains(&y) {
            return Err(DateError::OutOfRange);
        }
        Ok(Date::from_civil(date))
    }

    /// The first year a date may have.
    pub const FIRST_YEAR: i16 = 1900;
    /// The last year a date may have.
    pub const LAST_YEAR: i16 = 2200;

    /// The date of a jiff civil date.
    pub fn from_civil(date: jiff::civil::Date) -> Date {
        let days = date.duration_since(EPOCH).as_secs().div_euclid(86_400);
        Date(days as i32)
    }

    /// This date as a jiff civil date.
    pub fn civil(self) -> jiff::civil::Date {
        EPOCH.saturating_add(jiff::SignedDuration::from_hours(24 * i64::from(self.0)))
    }

    /// The date `days` after this one (or before, when negative).
    pub fn plus_days(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    /// Whole days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i64 {
        i64::from(self.0) - i64::from(earlier.0)
    }

    /// Today's date on this machine's clock, in its time zone.
    pub fn today() -> Date {
        Date::today_in(&jiff::tz::TimeZone::system())
    }

    /// Today's date in `zone` (where the site's readers are).
    pub fn today_in(zone: &jiff::tz::TimeZone) -> Date {
        Date::from_civil(jiff::Timestamp::now().to_zoned_datetime(zone.clone()).date())
    }

    /// Year, month (1-12) and day (1-31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let c = self.civil();
        (i32::from(c.year()), c.month() as u32, c.day() as u32)
    }

    /// Monday of this date's ISO week.
    pub fn week_start(self) -> Date {
        self.plus_days(-i32::from(self.civil().weekday().to_monday_zero_offset()))
    }
}

/// The message and hint of the diagnostic (PD005) for `text`, written as
/// the date of `key`, which is not a date: one wording wherever a date is
/// read (the front matter's TOML dates and the record's quoted ones).
pub fn not_a_date(text: &str, key: &str) -> (String, String) {
    let trimmed = text.trim();
    let hint = match Date::parse_checked(trimmed) {
        Err(e @ DateError::OutOfRange) => e.hint(),
        _ => match trimmed.get(..10) {
            Some(day) if trimmed.len() > 10 && Date::parse(day).is_some() => {
                format!("`{key}` is a date without a time: write `{day}`")
            }
            _ => no_such_day(trimmed).unwrap_or_else(|| DateError::Malformed.hint()),
        },
    };
    (format!("`{text}` is not a valid date for `{key}`"), hint)
}

/// For `YYYY-MM-DD` with a month or day the calendar does not have, what
/// it has (`2026-13-01`, `2026-02-30`).
fn no_such_day(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9];
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits.iter().all(|&i| b[i].is_ascii_digit()) {
        return None;
    }
    let (y, m, d): (i16, i8, i8) = (text[..4].parse().ok()?, text[5..7].parse().ok()?, text[8..].parse().ok()?);
    if !(1..=12).contains(&m) {
        return Some(format!("there is no month {m}: write YYYY-MM-DD, the month from 01 to 12"));
    }
    let days = jiff::civil::Date::new(y, m, 1).ok()?.days_in_month();
    (d < 1 || d > days).then(|| format!("{y}-{m:02} has days 01 to {days}: write YYYY-MM-DD"))
}

/// Why a text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD`, or not a day of the calendar.
    Malformed,
    /// A real date before [`Date::FIRST_YEAR`] or after [`Date::LAST_YEAR`].
    OutOfRange,
}

impl DateError {
    /// What to do about it, for a diagnostic's hint.
    pub fn hint(self) -> String {
        match self {
            DateError::Malformed => "write dates as YYYY-MM-DD, such as 2026-03-15".into(),
            DateError::OutOfRange => format!(
                "dates run from {}-01-01 to {}-12-31: check the year for a typo",
                Date::FIRST_YEAR,
                Date::LAST_YEAR
            ),
        }
    }
}

const EPOCH: jiff::civil::Date = jiff::civil::Date::constant(1970, 1, 1);

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

/// Read back from what [`Serialize`] writes: `YYYY-MM-DD` in a format
/// people read, the number of days in a compact one (the history cache's
/// postcard, where parsing the text of every date it holds was a tenth of
/// reading it).
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        if !d.is_human_readable() {
            return <i32 as serde::Deserialize>::deserialize(d).map(Date);
        }
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

/// `YYYY-MM-DD` (JSON, the exports), or the days since 1970-01-01 in a
/// format not made for people (the history cache).
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return s.serialize_i32(self.0);
        }
        match self.iso() {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).map_err(serde::ser::Error::custom)?),
            None => s.collect_str(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_text_in_json_and_days_in_postcard() {
        let dates: Vec<Date> = ["1900-01-01", "1969-12-31", "1970-01-01", "2026-11-20", "2200-12-31"]
            .iter()
            .map(|t| Date::parse(t).unwrap())
            .collect();
        let json = serde_json::to_string(&dates).unwrap();
        assert_eq!(json, r#"["1900-01-01","1969-12-31","1970-01-01","2026-11-20","2200-12-31"]"#);
        assert_eq!(serde_json::from_str::<Vec<Date>>(&json).unwrap(), dates);
        let bytes = postcard::to_stdvec(&dates).unwrap();
        // A count, then each date as a zigzag varint of at most three bytes.
        assert!(bytes.len() <= 1 + 3 * dates.len(), "{bytes:?}");
        assert_eq!(postcard::from_bytes::<Vec<Date>>(&bytes).unwrap(), dates);
    }

    #[test]
    fn not_a_date_says_what_the_calendar_has() {
        let hint = |t: &str| not_a_date(t, "due").1;
        assert_eq!(not_a_date("2026-13-01", "due").0, "`2026-13-01` is not a valid date for `due`");
        assert_eq!(hint("2026-13-01"), "there is no month 13: write YYYY-MM-DD, the month from 01 to 12");
        assert_eq!(hint("2024-02-30"), "2024-02 has days 01 to 29: write YYYY-MM-DD");
        assert_eq!(hint("2026-04-00"), "2026-04 has days 01 to 30: write YYYY-MM-DD");
        assert_eq!(hint("0926-04-01"), DateError::OutOfRange.hint());
        assert_eq!(hint("2026-04-01T10:00"), "`due` is a date without a time: write `2026-04-01`");
        assert_eq!(hint("soon"), DateError::Malformed.hint());
        // A character across the tenth byte is no date, and no panic.
        assert_eq!(hint("2026-03-1\u{e9}tude"), DateError::Malformed.hint());
    }

    #[test]
    fn round_trips_and_rejects() {
        for s in ["1970-01-01", "2024-02-29", "2026-12-31", "2000-03-01"] {
            assert_eq!(Date::parse(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
        for s in ["2026-13-01", "2026-02-29", "2026-1-01", "26-01-01", "2026-01-0x", "", "2026-00-10", "2026-+1-01"] {
            assert_eq!(Date::parse_checked(s), Err(DateError::Malformed), "{s}");
        }
        for s in ["1899-12-31", "2201-01-01", "0001-01-01", "9999-12-31"] {
            assert_eq!(Date::parse_checked(s), Err(DateError::OutOfRange), "{s}");
        }
        for s in ["1900-01-01", "2200-12-31"] {
            assert_eq!(Date::parse(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
    }

    /// The fast form is the formatted one, from year -2 to 9999 (a day in
    /// every few), and dates serialise as that string.
    #[test]
    fn fast_form_is_the_formatted_one() {
        let at = |y, m, d| Date::from_civil(jiff::civil::Date::constant(y, m, d)).0;
        let (from, to) = (at(-2, 1, 1), at(9999, 12, 31));
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
        // Sunday 2026-11-22 is in the same week; dates before 1970 too.
        assert_eq!(Date::parse("2026-11-22").unwrap().week_start().to_string(), "2026-11-16");
        assert_eq!(Date::parse("1969-12-31").unwrap().week_start().to_string(), "1969-12-29");
    }
}
