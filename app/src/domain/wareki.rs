//! Dates as Japanese offices write them: 和暦 (令和8年12月3日) and the fiscal year
//! (年度, April 1 to March 31). The one place these rules live; pure, for the
//! server and the browser.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// An era and the day it began (the first day is already the new era).
struct Era {
    name: &'static str,
    start: (i32, u32, u32),
}

/// Newest first.
const ERAS: [Era; 4] = [
    Era {
        name: "令和",
        start: (2019, 5, 1),
    },
    Era {
        name: "平成",
        start: (1989, 1, 8),
    },
    Era {
        name: "昭和",
        start: (1926, 12, 25),
    },
    Era {
        name: "大正",
        start: (1912, 7, 30),
    },
];

/// The era of `date` and its year in that era (1 is 元年), or `None` before 大正.
fn era_year(date: NaiveDate) -> Option<(&'static str, i32)> {
    ERAS.iter().find_map(|era| {
        let (y, m, d) = era.start;
        let start = NaiveDate::from_ymd_opt(y, m, d)?;
        (date >= start).then(|| (era.name, date.year() - y + 1))
    })
}

/// 「令和8年」, 「令和元年」.
fn year_label(era: &str, year: i32) -> String {
    if year == 1 {
        format!("{era}元年")
    } else {
        format!("{era}{year}年")
    }
}

/// 「令和8年12月3日」; the Western year for a date before 大正 (none in practice).
pub fn wareki_date(date: NaiveDate) -> String {
    match era_year(date) {
        Some((era, year)) => format!(
            "{}{}月{}日",
            year_label(era, year),
            date.month(),
            date.day()
        ),
        None => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
    }
}

/// A fiscal year (年度), named by the calendar year it starts in: 2026 is
/// April 1, 2026 to March 31, 2027.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The fiscal year `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        if date.month() >= 4 {
            Self(date.year())
        } else {
            Self(date.year() - 1)
        }
    }

    /// April 1.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0, 4, 1)
    }

    /// March 31 of the next calendar year.
    pub fn last_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31)
    }

    /// 「令和8年度」. A fiscal year is named by the era of its April 1, so the
    /// year that began in April 2019 (平成31年度) keeps its 平成 name.
    pub fn label(self) -> String {
        let Some(first) = self.first_day() else {
            return format!("{}年度", self.0);
        };
        match era_year(first) {
            Some((era, 1)) => format!("{era}元年度"),
            Some((era, year)) => format!("{era}{year}年度"),
            None => format!("{}年度", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn dates_read_in_the_era_of_the_day() {
        assert_eq!(wareki_date(day(2026, 12, 3)), "令和8年12月3日");
        assert_eq!(wareki_date(day(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(wareki_date(day(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(wareki_date(day(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(wareki_date(day(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(wareki_date(day(2027, 4, 1)), "令和9年4月1日");
    }

    #[test]
    fn a_fiscal_year_runs_from_april_to_march() {
        assert_eq!(FiscalYear::of(day(2027, 3, 31)), FiscalYear(2026));
        assert_eq!(FiscalYear::of(day(2027, 4, 1)), FiscalYear(2027));
        assert_eq!(FiscalYear(2026).label(), "令和8年度");
        assert_eq!(FiscalYear(2027).label(), "令和9年度");
        assert_eq!(FiscalYear(2019).label(), "平成31年度");
        assert_eq!(FiscalYear(2020).label(), "令和2年度");
        assert_eq!(FiscalYear(2026).first_day(), Some(day(2026, 4, 1)));
        assert_eq!(FiscalYear(2026).last_day(), Some(day(2027, 3, 31)));
    }

    proptest! {
        #[test]
        fn every_day_lies_within_the_fiscal_year_it_belongs_to(offset in 0i64..60_000) {
            let date = day(1950, 1, 1) + chrono::Duration::days(offset);
            let fy = FiscalYear::of(date);
            prop_assert!(fy.first_day().expect("first") <= date);
            prop_assert!(date <= fy.last_day().expect("last"));
            // The next day is in the same year or the next one, never further.
            let next = FiscalYear::of(date + chrono::Duration::days(1));
            prop_assert!(next == fy || next == FiscalYear(fy.0 + 1));
        }

        #[test]
        fn the_era_year_counts_up_by_one_each_january_within_an_era(offset in 0i64..20_000) {
            let date = day(1990, 1, 1) + chrono::Duration::days(offset);
            let (era, year) = era_year(date).expect("era");
            // February 29 has no day a year later.
            let a_year_later = date.with_year(date.year() + 1);
            prop_assume!(a_year_later.is_some());
            let a_year_later = a_year_later.expect("checked");
            let (later_era, later_year) = era_year(a_year_later).expect("era");
            if era == later_era {
                prop_assert_eq!(later_year, year + 1);
            } else {
                // A new era in between: its first or second year.
                prop_assert!(later_year == 1 || later_year == 2);
            }
        }

        #[test]
        fn reiwa_begins_on_2019_05_01_and_heisei_ends_the_day_before(offset in -4000i64..4000) {
            let date = day(2019, 5, 1) + chrono::Duration::days(offset);
            let text = wareki_date(date);
            if offset >= 0 {
                prop_assert!(text.starts_with("令和"), "{}", text);
                let year = if date.year() == 2019 { "元".to_owned() } else { (date.year() - 2018).to_string() };
                prop_assert!(text.starts_with(&format!("令和{year}年")), "{}", text);
            } else {
                prop_assert!(text.starts_with("平成"), "{}", text);
                prop_assert!(text.starts_with(&format!("平成{}年", date.year() - 1988)) || text.starts_with("平成元年"), "{}", text);
            }
        }
    }
}
