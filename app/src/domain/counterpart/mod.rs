//! カウンターパート: who a town's contacts at the 県 are on a given day. A town's own
//! assignments come first; a town with no primary of its own falls back to its
//! region's default. Spans are whole days, the last one included. Pure.

pub mod contact;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One assignment as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The account.
    pub account: i32,
    /// 主担当.
    pub primary: bool,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day, if it ends.
    pub ends_on: Option<NaiveDate>,
}

impl Span {
    /// Whether it runs on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|end| day <= end)
    }
}

/// Where a town's counterparts on a day come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The town's own assignment.
    Assignment,
    /// Its region's default.
    Region,
}

/// A town's counterparts on a day: the primary (at most one) and the secondaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDay<'a> {
    /// 主担当.
    pub primary: Option<&'a Span>,
    /// 副担当.
    pub secondary: Vec<&'a Span>,
    /// Where they come from, when there is anyone.
    pub source: Option<Source>,
}

/// The counterparts on `day` from a town's own spans, else its region's.
pub fn on_day<'a>(own: &'a [Span], region: &'a [Span], day: NaiveDate) -> OnDay<'a> {
    let pick = |spans: &'a [Span]| {
        let primary = spans
            .iter()
            .filter(|s| s.primary && s.covers(day))
            .max_by_key(|s| s.starts_on);
        let secondary: Vec<&Span> = spans
            .iter()
            .filter(|s| !s.primary && s.covers(day))
            .collect();
        (primary, secondary)
    };
    let (primary, secondary) = pick(own);
    if primary.is_some() || !secondary.is_empty() {
        return OnDay {
            primary,
            secondary,
            source: Some(Source::Assignment),
        };
    }
    let (primary, secondary) = pick(region);
    let source = (primary.is_some() || !secondary.is_empty()).then_some(Source::Region);
    OnDay {
        primary,
        secondary,
        source,
    }
}

/// What a reassignment effective on `effective` does to a span that exists: kept
/// as it is, closed the day before, or dropped (it had not begun yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It ended before the change.
    Kept,
    /// It ends on the day before the change.
    Closed(NaiveDate),
    /// It would only have begun on or after the change: replaced.
    Dropped,
}

/// The fate of `span` when the town's counterparts change on `effective`.
pub fn fate(span: &Span, effective: NaiveDate) -> Fate {
    if span.starts_on >= effective {
        return Fate::Dropped;
    }
    match (span.ends_on, effective.pred_opt()) {
        (Some(end), _) if end < effective => Fate::Kept,
        (_, Some(before)) => Fate::Closed(before),
        (_, None) => Fate::Dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn span(account: i32, primary: bool, from: NaiveDate, to: Option<NaiveDate>) -> Span {
        Span {
            account,
            primary,
            starts_on: from,
            ends_on: to,
        }
    }

    #[test]
    fn the_counterpart_is_the_one_whose_span_covers_the_day() {
        let own = [
            span(1, true, day(2026, 4, 1), Some(day(2027, 3, 31))),
            span(2, true, day(2027, 4, 1), None),
        ];
        let primary = |d| on_day(&own, &[], d).primary.map(|s| s.account);
        assert_eq!(primary(day(2026, 3, 31)), None);
        assert_eq!(primary(day(2026, 10, 1)), Some(1));
        assert_eq!(primary(day(2027, 3, 31)), Some(1));
        assert_eq!(primary(day(2027, 4, 1)), Some(2));
    }

    #[test]
    fn a_town_without_its_own_falls_back_to_its_region() {
        let region = [span(9, true, day(2026, 4, 1), None)];
        let on = on_day(&[], &region, day(2026, 10, 1));
        assert_eq!(on.primary.map(|s| s.account), Some(9));
        assert_eq!(on.source, Some(Source::Region));
        let own = [span(3, true, day(2026, 4, 1), None)];
        assert_eq!(
            on_day(&own, &region, day(2026, 10, 1)).source,
            Some(Source::Assignment)
        );
    }

    proptest! {
        #[test]
        fn after_a_change_every_day_has_exactly_one_primary(
            starts in prop::collection::vec(0i64..2000, 1..6),
            probe in 0i64..2400,
        ) {
            // Apply changes in order, each closing or dropping what was there.
            let base = day(2024, 4, 1);
            let mut spans: Vec<Span> = Vec::new();
            for (account, offset) in starts.iter().enumerate() {
                let effective = base + chrono::Duration::days(*offset);
                spans = spans
                    .into_iter()
                    .filter_map(|s| match fate(&s, effective) {
                        Fate::Kept => Some(s),
                        Fate::Closed(end) => Some(Span { ends_on: Some(end), ..s }),
                        Fate::Dropped => None,
                    })
                    .collect();
                spans.push(span(account as i32, true, effective, None));
            }
            let first = spans.iter().map(|s| s.starts_on).min().expect("one");
            let day = base + chrono::Duration::days(probe);
            let covering = spans.iter().filter(|s| s.covers(day)).count();
            prop_assert_eq!(covering, usize::from(day >= first));
        }
    }
}
