//! 全国地方公共団体コード (JIS X 0402) and the kinds of municipality.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A six-digit local government code whose last digit is a valid check digit,
/// e.g. `292010` (奈良市) or `290009` (奈良県).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalGovCode(String);

/// Why a string is not a [`LocalGovCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalGovCodeError {
    /// Not exactly six ASCII digits.
    #[error("団体コード「{0}」は6桁の数字ではありません")]
    Format(String),
    /// The sixth digit does not match the first five.
    #[error("団体コード「{0}」の検査数字が正しくありません(正しくは {1})")]
    CheckDigit(String, u8),
    /// The first two digits are not 01–47.
    #[error("団体コード「{0}」の都道府県番号が 01〜47 ではありません")]
    Prefecture(String),
}

impl LocalGovCode {
    /// Parses a code, checking its format, prefecture number and check digit.
    pub fn parse(input: &str) -> Result<Self, LocalGovCodeError> {
        let s = input.trim();
        let digits: Vec<u8> = s
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        if s.len() != 6 || digits.len() != 6 {
            return Err(LocalGovCodeError::Format(s.to_owned()));
        }
        let prefecture = digits[0] * 10 + digits[1];
        if !(1..=47).contains(&prefecture) {
            return Err(LocalGovCodeError::Prefecture(s.to_owned()));
        }
        let expected = check_digit([digits[0], digits[1], digits[2], digits[3], digits[4]]);
        if digits[5] != expected {
            return Err(LocalGovCodeError::CheckDigit(s.to_owned(), expected));
        }
        Ok(Self(s.to_owned()))
    }

    /// A code read back from the database, where only parsed codes are written.
    /// It is not checked again; no method panics on a text that is not a code.
    pub fn from_stored(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The code of the prefecture this code belongs to (itself for a prefecture).
    pub fn prefecture_code(&self) -> LocalGovCode {
        let digit = |i: usize| {
            self.0
                .as_bytes()
                .get(i)
                .map_or(0, |b| b.saturating_sub(b'0'))
        };
        let (a, b) = (digit(0), digit(1));
        LocalGovCode(format!("{a}{b}000{}", check_digit([a, b, 0, 0, 0])))
    }

    /// Whether this is the code of a prefecture (都道府県) rather than a municipality.
    pub fn is_prefecture(&self) -> bool {
        self.0.get(2..5) == Some("000")
    }

    /// The two-digit prefecture number, 1–47.
    pub fn prefecture_number(&self) -> u8 {
        self.0
            .get(..2)
            .and_then(|d| d.parse().ok())
            .unwrap_or_default()
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LocalGovCode {
    type Error = LocalGovCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl std::str::FromStr for LocalGovCode {
    type Err = LocalGovCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<LocalGovCode> for String {
    fn from(value: LocalGovCode) -> Self {
        value.0
    }
}

impl fmt::Display for LocalGovCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A checked code reads as its text (`&code` where a `&str` is wanted).
impl std::ops::Deref for LocalGovCode {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for LocalGovCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for LocalGovCode {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<LocalGovCode> for String {
    fn eq(&self, other: &LocalGovCode) -> bool {
        self == &other.0
    }
}

#[cfg(feature = "ssr")]
impl From<LocalGovCode> for sea_orm::Value {
    fn from(code: LocalGovCode) -> Self {
        code.0.into()
    }
}

#[cfg(feature = "ssr")]
impl From<&LocalGovCode> for sea_orm::Value {
    fn from(code: &LocalGovCode) -> Self {
        code.0.as_str().into()
    }
}

/// The JIS X 0402 check digit: weights 6,5,4,3,2; 11 minus the remainder mod 11,
/// keeping the last decimal digit.
pub fn check_digit(first5: [u8; 5]) -> u8 {
    let sum: u32 = first5
        .iter()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    u8::try_from((11 - sum % 11) % 10).unwrap_or_default()
}

/// 市 / 町 / 村 / 特別区.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MunicipalityKind {
    /// 市
    #[serde(rename = "市")]
    City,
    /// 町
    #[serde(rename = "町")]
    Town,
    /// 村
    #[serde(rename = "村")]
    Village,
    /// 特別区 (the 23 wards of Tokyo)
    #[serde(rename = "特別区")]
    SpecialWard,
}

impl MunicipalityKind {
    /// Every kind, in display order.
    pub const ALL: [MunicipalityKind; 4] =
        [Self::City, Self::SpecialWard, Self::Town, Self::Village];

    /// Derives the kind from the official name; only Tokyo (13) has 特別区.
    pub fn classify(code: &LocalGovCode, name: &str) -> Option<Self> {
        let last = name.chars().last()?;
        match last {
            '市' => Some(Self::City),
            '町' => Some(Self::Town),
            '村' => Some(Self::Village),
            '区' if code.prefecture_number() == 13 => Some(Self::SpecialWard),
            _ => None,
        }
    }

    /// The Japanese label, which is also the stored and wire form.
    pub fn label(self) -> &'static str {
        match self {
            Self::City => "市",
            Self::Town => "町",
            Self::Village => "村",
            Self::SpecialWard => "特別区",
        }
    }

    /// Parses the Japanese label.
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.label() == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_codes_of_nara_kochi_and_sapporo_are_accepted() {
        for code in [
            "292010", "293628", "392014", "011002", "290009", "010006", "131016",
        ] {
            assert!(LocalGovCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn a_code_with_a_wrong_check_digit_is_rejected_with_the_right_digit() {
        assert_eq!(
            LocalGovCode::parse("292011"),
            Err(LocalGovCodeError::CheckDigit("292011".into(), 0))
        );
    }

    #[test]
    fn codes_that_are_not_six_digits_are_rejected() {
        for bad in ["", "29201", "2920100", "29201X", "２９２０１０"] {
            assert!(
                matches!(LocalGovCode::parse(bad), Err(LocalGovCodeError::Format(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn prefecture_number_outside_1_to_47_is_rejected() {
        let first5 = [4, 8, 2, 0, 1];
        let code = format!("48201{}", check_digit(first5));
        assert!(matches!(
            LocalGovCode::parse(&code),
            Err(LocalGovCodeError::Prefecture(_))
        ));
    }

    #[test]
    fn a_municipality_knows_its_prefecture_code() {
        let miyake = LocalGovCode::parse("293628").unwrap();
        assert_eq!(miyake.prefecture_code().as_str(), "290009");
        assert!(!miyake.is_prefecture());
        assert!(miyake.prefecture_code().is_prefecture());
    }

    #[test]
    fn kinds_follow_the_name_and_only_tokyo_has_special_wards() {
        let chiyoda = LocalGovCode::parse("131016").unwrap();
        let nara = LocalGovCode::parse("292010").unwrap();
        assert_eq!(
            MunicipalityKind::classify(&chiyoda, "千代田区"),
            Some(MunicipalityKind::SpecialWard)
        );
        assert_eq!(
            MunicipalityKind::classify(&nara, "奈良市"),
            Some(MunicipalityKind::City)
        );
        assert_eq!(
            MunicipalityKind::classify(&nara, "三宅町"),
            Some(MunicipalityKind::Town)
        );
        assert_eq!(
            MunicipalityKind::classify(&nara, "山添村"),
            Some(MunicipalityKind::Village)
        );
        assert_eq!(MunicipalityKind::classify(&nara, "中区"), None);
    }

    proptest! {
        #[test]
        fn every_code_built_with_its_check_digit_parses(pref in 1u8..=47, rest in 0u16..1000) {
            let d = [pref / 10, pref % 10, (rest / 100) as u8, ((rest / 10) % 10) as u8, (rest % 10) as u8];
            let code = format!("{}{}{}{}{}{}", d[0], d[1], d[2], d[3], d[4], check_digit(d));
            let parsed = LocalGovCode::parse(&code).unwrap();
            prop_assert_eq!(parsed.prefecture_number(), pref);
        }

        #[test]
        fn any_other_sixth_digit_is_rejected(pref in 1u8..=47, rest in 0u16..1000, delta in 1u8..10) {
            let d = [pref / 10, pref % 10, (rest / 100) as u8, ((rest / 10) % 10) as u8, (rest % 10) as u8];
            let wrong = (check_digit(d) + delta) % 10;
            let code = format!("{}{}{}{}{}{}", d[0], d[1], d[2], d[3], d[4], wrong);
            prop_assert!(LocalGovCode::parse(&code).is_err());
        }
    }
}
