//! The time zone every date of the portal is read and shown in.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Timelike, Utc};

/// Japan Standard Time (UTC+9, no daylight saving).
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

/// The day it is in Japan at `at` (between 00:00 and 09:00 JST the UTC date is
/// still the day before).
pub fn day_in_japan(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&jst()).date_naive()
}

/// 「令和9年4月1日」: 和暦, as the offices that use the portal write dates.
pub fn japanese_date(date: NaiveDate) -> String {
    crate::domain::wareki::wareki_date(date)
}

/// 「令和9年1月20日 10:00」, in JST whatever the offset it came with.
pub fn japanese_datetime(at: DateTime<FixedOffset>) -> String {
    let at = at.with_timezone(&jst());
    format!("{} {}", japanese_date(at.date_naive()), clock(at))
}

/// 「10:00」, in JST.
pub fn clock(at: DateTime<FixedOffset>) -> String {
    let at = at.with_timezone(&jst());
    format!("{:02}:{:02}", at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_morning_in_japan_is_already_the_next_day() {
        let at = Utc
            .with_ymd_and_hms(2027, 3, 31, 23, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(
            day_in_japan(at),
            NaiveDate::from_ymd_opt(2027, 4, 1).expect("valid")
        );
    }

    #[test]
    fn jst_is_nine_hours_ahead_of_utc() {
        assert_eq!(jst().local_minus_utc(), 9 * 3600);
    }

    #[test]
    fn dates_and_times_read_in_japanese_and_in_jst() {
        let date = NaiveDate::from_ymd_opt(2027, 4, 1).expect("date");
        assert_eq!(japanese_date(date), "令和9年4月1日");
        let at = DateTime::parse_from_rfc3339("2027-01-20T01:05:00Z").expect("time");
        assert_eq!(japanese_datetime(at), "令和9年1月20日 10:05");
    }
}
