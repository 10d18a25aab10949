//! China's clock. The country keeps one time zone (UTC+8) all year: instants are shown in it,
//! and the national working calendar's dates are read by it. A district's days are counted by
//! its own `time_zone` in the data layer (the default is this one).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// The IANA name a district starts with, and what the national calendar's dates follow.
pub const ZONE: &str = "Asia/Shanghai";

/// UTC+8 (checked when compiling).
const OFFSET: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// An instant on China's clock.
pub fn china(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&OFFSET)
}

/// China's date of an instant.
pub fn china_day(t: DateTime<Utc>) -> NaiveDate {
    china(t).date_naive()
}

/// A moment of China's clock, as UTC.
pub fn from_china(local: NaiveDateTime) -> DateTime<Utc> {
    OFFSET.from_local_datetime(&local).single().map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_is_eight_hours_ahead_all_year() {
        let t: DateTime<Utc> = "2026-12-31T16:30:00Z".parse().unwrap();
        assert_eq!(china_day(t).to_string(), "2027-01-01");
        assert_eq!(china(t).format("%H:%M").to_string(), "00:30");
        assert_eq!(from_china(china(t).naive_local()), t);
    }
}
