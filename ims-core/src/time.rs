//! Time as the engine sees it: `i64` milliseconds UTC for instants, whole
//! days since 1970-01-01 for dates. Time is always an input; nothing here
//! reads a clock.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// A calendar date: days since 1970-01-01. JSON form `"YYYY-MM-DD"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub i32);

impl Date {
    /// The local date at `t` for a site `utc_offset_min` minutes from UTC.
    pub fn at(t: Millis, utc_offset_min: i32) -> Date {
        let local = t.saturating_add(utc_offset_min as i64 * 60_000);
        // Instants beyond ±5.8 million years saturate to the last date
        // rather than wrap around to an arbitrary one.
        Date(local.div_euclid(DAY_MS).clamp(i32::MIN as i64, i32::MAX as i64) as i32)
    }

    /// The UTC instant at which this date begins at a site.
    pub fn start_ms(self, utc_offset_min: i32) -> Millis {
        self.0 as i64 * DAY_MS - utc_offset_min as i64 * 60_000
    }

    /// The date `n` days later (saturating).
    pub fn plus(self, n: i32) -> Date {
        Date(self.0.saturating_add(n))
    }

    /// From a civil date; `None` when the fields are not a real date.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y } as i64;
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        i32::try_from(era * 146_097 + doe - 719_468).ok().map(Date)
    }

    /// The civil (year, month, day) of this date.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        (y, m, d)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("bad date {s:?}: want YYYY-MM-DD");
        let mut it = s.splitn(3, '-');
        let y: i32 = it.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let m: u32 = it.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let d: u32 = it.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        Date::from_ymd(y, m, d).ok_or_else(bad)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for (s, n) in [("1970-01-01", 0), ("2000-03-01", 11017), ("2026-11-28", 20785)] {
            let d: Date = s.parse().unwrap();
            assert_eq!(d.0, n, "{s}");
            assert_eq!(d.to_string(), s);
        }
        assert!("2026-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        for n in (-719_000..-718_000).chain(2_900_000..2_901_000) {
            let d = Date(n);
            assert_eq!(d.to_string().parse::<Date>().ok(), Some(d));
        }
    }

    #[test]
    fn local_dates_follow_the_offset() {
        let t = 20785 * DAY_MS + 23 * 3_600_000; // 23:00 UTC
        assert_eq!(Date::at(t, 0), Date(20785));
        assert_eq!(Date::at(t, 120), Date(20786));
        assert_eq!(Date::at(t, -600), Date(20785));
        assert_eq!(Date(20786).start_ms(120), t - 3_600_000);
    }

    #[test]
    fn far_instants_saturate() {
        assert_eq!(Date::at(i64::MAX, 0), Date(i32::MAX));
        assert_eq!(Date::at(i64::MIN, 0), Date(i32::MIN));
        assert_eq!(Date::at(1_441_151_885_051_133_952, 0), Date(i32::MAX));
    }
}
