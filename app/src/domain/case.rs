//! Vocabulary of the case library (事例ライブラリ).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of body a case comes from (団体区分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 都道府県
    Prefecture,
    /// 指定都市
    DesignatedCity,
    /// 市 (other than 指定都市)
    City,
    /// 特別区
    Ward,
    /// 町
    Town,
    /// 村
    Village,
    /// 国・関係機関 (e.g. 自治大学校)
    National,
}

impl OrgKind {
    /// Every kind, in display order.
    pub const ALL: [OrgKind; 7] = [
        Self::Prefecture,
        Self::DesignatedCity,
        Self::City,
        Self::Ward,
        Self::Town,
        Self::Village,
        Self::National,
    ];

    /// The stored and wire form (`designated_city`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prefecture => "prefecture",
            Self::DesignatedCity => "designated_city",
            Self::City => "city",
            Self::Ward => "ward",
            Self::Town => "town",
            Self::Village => "village",
            Self::National => "national",
        }
    }

    /// The Japanese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Prefecture => "都道府県",
            Self::DesignatedCity => "指定都市",
            Self::City => "市",
            Self::Ward => "特別区",
            Self::Town => "町",
            Self::Village => "村",
            Self::National => "国・関係機関",
        }
    }

    /// Parses the wire form.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == input.trim())
    }
}

/// Size bands by staff count (職員数), for comparing bodies of similar scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SizeBand {
    /// 〜500人: most 町村
    #[serde(rename = "xs")]
    UpTo500,
    /// 501〜3,000人
    #[serde(rename = "s")]
    UpTo3000,
    /// 3,001〜10,000人
    #[serde(rename = "m")]
    UpTo10000,
    /// 10,001〜30,000人
    #[serde(rename = "l")]
    UpTo30000,
    /// 30,001人〜
    #[serde(rename = "xl")]
    Over30000,
}

impl SizeBand {
    /// Every band, smallest first.
    pub const ALL: [SizeBand; 5] = [
        Self::UpTo500,
        Self::UpTo3000,
        Self::UpTo10000,
        Self::UpTo30000,
        Self::Over30000,
    ];

    /// The band a staff count falls in.
    pub fn of(staff_count: u32) -> Self {
        Self::ALL
            .into_iter()
            .find(|band| band.bounds().1.is_none_or(|max| staff_count <= max))
            .unwrap_or(Self::Over30000)
    }

    /// Inclusive lower and upper bound; `None` means unbounded.
    pub fn bounds(self) -> (u32, Option<u32>) {
        match self {
            Self::UpTo500 => (0, Some(500)),
            Self::UpTo3000 => (501, Some(3_000)),
            Self::UpTo10000 => (3_001, Some(10_000)),
            Self::UpTo30000 => (10_001, Some(30_000)),
            Self::Over30000 => (30_001, None),
        }
    }

    /// The wire form (`xs` … `xl`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UpTo500 => "xs",
            Self::UpTo3000 => "s",
            Self::UpTo10000 => "m",
            Self::UpTo30000 => "l",
            Self::Over30000 => "xl",
        }
    }

    /// The Japanese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::UpTo500 => "〜500人",
            Self::UpTo3000 => "501〜3,000人",
            Self::UpTo10000 => "3,001〜10,000人",
            Self::UpTo30000 => "10,001〜30,000人",
            Self::Over30000 => "30,001人〜",
        }
    }

    /// Parses the wire form.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == input.trim())
    }
}

/// The stable identifier of a case: lower-case ASCII letters, digits and single
/// hyphens, 1–100 characters, e.g. `niigata-pref-joint-training`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseSlug(String);

/// Why a string is not a [`CaseSlug`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("識別子(slug)「{0}」は英小文字・数字・ハイフンの100文字以内で指定してください")]
pub struct CaseSlugError(pub String);

impl CaseSlug {
    /// Parses a slug.
    pub fn parse(input: &str) -> Result<Self, CaseSlugError> {
        let ok = !input.is_empty()
            && input.len() <= 100
            && input
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !input.starts_with('-')
            && !input.ends_with('-')
            && !input.contains("--");
        if ok {
            Ok(Self(input.to_owned()))
        } else {
            Err(CaseSlugError(input.chars().take(120).collect()))
        }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CaseSlug {
    type Error = CaseSlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CaseSlug> for String {
    fn from(value: CaseSlug) -> Self {
        value.0
    }
}

impl fmt::Display for CaseSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn size_bands_put_a_small_town_and_a_large_prefecture_apart() {
        assert_eq!(SizeBand::of(290), SizeBand::UpTo500);
        assert_eq!(SizeBand::of(500), SizeBand::UpTo500);
        assert_eq!(SizeBand::of(501), SizeBand::UpTo3000);
        assert_eq!(SizeBand::of(23_427), SizeBand::UpTo30000);
        assert_eq!(SizeBand::of(61_623), SizeBand::Over30000);
    }

    #[test]
    fn org_kinds_and_bands_round_trip_through_their_wire_form() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Some(kind));
        }
        for band in SizeBand::ALL {
            assert_eq!(SizeBand::parse(band.as_str()), Some(band));
        }
        assert_eq!(OrgKind::parse("metropolis"), None);
    }

    #[test]
    fn slugs_reject_upper_case_spaces_and_japanese() {
        assert!(CaseSlug::parse("niigata-pref-joint-training").is_ok());
        for bad in [
            "",
            "Niigata",
            "a b",
            "新潟",
            "-a",
            "a-",
            "a--b",
            &"a".repeat(101),
        ] {
            assert!(CaseSlug::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_staff_count_falls_inside_the_bounds_of_its_band(n in 0u32..200_000) {
            let (lo, hi) = SizeBand::of(n).bounds();
            prop_assert!(n >= lo);
            prop_assert!(hi.is_none_or(|hi| n <= hi));
        }

        #[test]
        fn more_staff_never_means_a_smaller_band(a in 0u32..200_000, b in 0u32..200_000) {
            let (small, large) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(SizeBand::of(small) <= SizeBand::of(large));
        }
    }
}
