//! Advisors of the デジタル人材バンク: the parsed parts of a profile that need rules
//! (months of availability, ITSS level, mode of work, names in kana).

use std::fmt;

use serde::{Deserialize, Serialize};

pub mod csv;
pub mod demo;
pub mod edit;
pub mod matching;

use crate::domain::text::nfkc;

/// How an advisor works with a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 訪問 (on site).
    Onsite,
    /// オンライン.
    Online,
}

impl Mode {
    /// Both modes, in display order.
    pub const ALL: [Mode; 2] = [Mode::Onsite, Mode::Online];

    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Onsite => "onsite",
            Mode::Online => "online",
        }
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Onsite => "訪問",
            Mode::Online => "オンライン",
        }
    }

    /// Parses the wire form or the Japanese label.
    pub fn parse(input: &str) -> Option<Self> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == input || m.label() == input)
    }
}

/// Why a profile value was refused; each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdvisorInputError {
    /// Not `YYYY-MM`.
    #[error("「{0}」は年月(例: 2026-12)として読めません。")]
    Month(String),
    /// A range whose end is before its start, or longer than 5 years.
    #[error("期間の終わりが始まりより前か、5年を超えています。")]
    Range,
    /// ITSS level outside 1–7.
    #[error("ITSS レベルは 1 から 7 の整数で入力してください。")]
    ItssLevel,
    /// Kana with other characters.
    #[error("ふりがなはひらがなかカタカナで入力してください。")]
    Kana,
    /// Unknown mode.
    #[error("対応方法は「訪問」か「オンライン」です。")]
    Mode,
}

/// A calendar month (availability is kept per month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: u16,
    month: u8,
}

impl YearMonth {
    /// A month, if `month` is 1–12 and the year plausible (2000–2100).
    pub fn new(year: u16, month: u8) -> Option<Self> {
        ((2000..=2100).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// Parses `YYYY-MM` (full-width digits too) or a date `YYYY-MM-DD` (its month).
    pub fn parse(input: &str) -> Result<Self, AdvisorInputError> {
        let text = nfkc(input.trim());
        let bad = || AdvisorInputError::Month(input.chars().take(20).collect());
        let mut parts = text.split(['-', '/']);
        let year = parts.next().and_then(|y| y.parse::<u16>().ok());
        let month = parts.next().and_then(|m| m.parse::<u8>().ok());
        let day_ok = parts
            .next()
            .is_none_or(|d| d.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d)));
        match (year, month, day_ok, parts.next()) {
            (Some(y), Some(m), true, None) => Self::new(y, m).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `from` to `to`, both included; refused when `to` is before
    /// `from` or the range is longer than 60 months.
    pub fn range(from: Self, to: Self) -> Result<Vec<Self>, AdvisorInputError> {
        if to < from {
            return Err(AdvisorInputError::Range);
        }
        let mut months = vec![from];
        let mut current = from;
        while current < to {
            current = current.next();
            months.push(current);
            if months.len() > 60 {
                return Err(AdvisorInputError::Range);
            }
        }
        Ok(months)
    }

    /// 令和 labels are for display elsewhere; this is `2026年12月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = AdvisorInputError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<YearMonth> for String {
    fn from(value: YearMonth) -> Self {
        value.to_string()
    }
}

/// ITSS level 1–7 (IT スキル標準).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct ItssLevel(u8);

impl ItssLevel {
    /// Parses `1`–`7` (full-width digits too, `レベル3` too).
    pub fn parse(input: &str) -> Result<Self, AdvisorInputError> {
        let text = nfkc(input.trim());
        let digits = text
            .trim_start_matches("レベル")
            .trim_start_matches("Lv")
            .trim_start_matches("LV")
            .trim();
        digits
            .parse::<u8>()
            .map_err(|_| AdvisorInputError::ItssLevel)
            .and_then(Self::try_from)
    }

    /// The level.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for ItssLevel {
    type Error = AdvisorInputError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if (1..=7).contains(&value) {
            Ok(Self(value))
        } else {
            Err(AdvisorInputError::ItssLevel)
        }
    }
}

impl From<ItssLevel> for u8 {
    fn from(value: ItssLevel) -> Self {
        value.0
    }
}

/// A name in kana, stored in full-width katakana (sorts as 五十音).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Kana(String);

impl Kana {
    /// Parses hiragana or katakana (half-width too), spaces allowed between names.
    pub fn parse(input: &str) -> Result<Self, AdvisorInputError> {
        let text = nfkc(input.trim());
        let katakana: String = text
            .chars()
            .map(|c| match c {
                'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
                ' ' | '\u{3000}' => ' ',
                other => other,
            })
            .collect();
        let valid = !katakana.trim().is_empty()
            && katakana
                .chars()
                .all(|c| matches!(c, 'ァ'..='ヺ' | 'ー' | '・' | ' '));
        if valid {
            Ok(Self(
                katakana.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        } else {
            Err(AdvisorInputError::Kana)
        }
    }

    /// Kana known to be katakana already (the demo's name lists).
    pub(crate) fn from_katakana(katakana: String) -> Self {
        Self(katakana)
    }

    /// The kana.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn months_parse_from_month_or_date_and_full_width_digits() {
        let december = YearMonth::new(2026, 12).expect("valid");
        assert_eq!(YearMonth::parse("2026-12"), Ok(december));
        assert_eq!(YearMonth::parse("2026-12-01"), Ok(december));
        assert_eq!(YearMonth::parse("２０２６－１２"), Ok(december));
        assert_eq!(YearMonth::parse("2026/12"), Ok(december));
        for bad in ["2026-13", "2026", "12-2026", "2026-12-40", "", "1999-01"] {
            assert!(YearMonth::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_range_crosses_the_new_year_and_refuses_to_run_backwards() {
        let from = YearMonth::parse("2026-12").expect("valid");
        let to = YearMonth::parse("2027-01").expect("valid");
        let months: Vec<String> = YearMonth::range(from, to)
            .expect("valid")
            .into_iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(months, ["2026-12", "2027-01"]);
        assert_eq!(YearMonth::range(to, from), Err(AdvisorInputError::Range));
        let far = YearMonth::parse("2032-01").expect("valid");
        assert_eq!(YearMonth::range(from, far), Err(AdvisorInputError::Range));
    }

    #[test]
    fn itss_levels_are_one_to_seven() {
        assert_eq!(ItssLevel::parse("レベル３").map(ItssLevel::get), Ok(3));
        assert_eq!(ItssLevel::parse("7").map(ItssLevel::get), Ok(7));
        assert!(ItssLevel::parse("0").is_err());
        assert!(ItssLevel::parse("8").is_err());
        assert!(ItssLevel::parse("三").is_err());
    }

    #[test]
    fn kana_is_stored_as_katakana_whatever_was_typed() {
        assert_eq!(
            Kana::parse("やまだ　たろう").expect("valid").as_str(),
            "ヤマダ タロウ"
        );
        assert_eq!(
            Kana::parse("ﾔﾏﾀﾞ ﾀﾛｳ").expect("valid").as_str(),
            "ヤマダ タロウ"
        );
        assert!(Kana::parse("山田").is_err());
        assert!(Kana::parse("  ").is_err());
    }

    #[test]
    fn modes_parse_from_wire_form_or_label() {
        assert_eq!(Mode::parse("online"), Some(Mode::Online));
        assert_eq!(Mode::parse("訪問"), Some(Mode::Onsite));
        assert_eq!(Mode::parse("fax"), None);
    }

    proptest! {
        #[test]
        fn a_month_survives_its_text_form(year in 2000u16..=2100, month in 1u8..=12) {
            let ym = YearMonth::new(year, month).expect("valid");
            prop_assert_eq!(YearMonth::parse(&ym.to_string()), Ok(ym));
        }

        #[test]
        fn a_range_has_one_month_more_than_the_steps_between_its_ends(
            year in 2000u16..=2090, month in 1u8..=12, steps in 0usize..60,
        ) {
            let from = YearMonth::new(year, month).expect("valid");
            let mut to = from;
            for _ in 0..steps { to = to.next(); }
            let range = YearMonth::range(from, to).expect("valid");
            prop_assert_eq!(range.len(), steps + 1);
            prop_assert!(range.windows(2).all(|w| w[0] < w[1]));
        }
    }
}

/// A profile as entered (form, CSV, generator), every field already parsed.
/// Taxonomy values are codes; the service checks them against the vocabularies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorDraft {
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub kana: Kana,
    /// 所属.
    pub affiliation: String,
    /// Engagement form code.
    pub engagement: String,
    /// 人材像 code.
    pub jinzaizo: String,
    /// Role codes.
    pub roles: Vec<String>,
    /// Specialty codes.
    pub specialties: Vec<String>,
    /// Qualification codes with the year obtained.
    pub qualifications: Vec<(String, Option<u16>)>,
    /// Programme codes.
    pub programmes: Vec<String>,
    /// ITSS level.
    pub itss_level: Option<ItssLevel>,
    /// Knowledge of municipal operations.
    pub municipal_knowledge: String,
    /// 紹介.
    pub bio: String,
    /// 実績.
    pub track_record: String,
    /// Modes offered.
    pub modes: Vec<Mode>,
    /// Covers the whole prefecture.
    pub whole_prefecture: bool,
    /// Region ids covered.
    pub regions: Vec<i32>,
    /// Municipality codes covered.
    pub municipalities: Vec<String>,
    /// Months available.
    pub months: Vec<YearMonth>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Shown in the public bank.
    pub published: bool,
}
