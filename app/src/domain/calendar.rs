//! The time zone every date of the portal is read and shown in.

use chrono::{FixedOffset, Offset, Utc};

/// Japan Standard Time (UTC+9, no daylight saving).
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jst_is_nine_hours_ahead_of_utc() {
        assert_eq!(jst().local_minus_utc(), 9 * 3600);
    }
}
