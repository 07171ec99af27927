//! Advisors of the デジタル人材バンク as pages and the JSON API see them.

use serde::{Deserialize, Serialize};

use crate::domain::advisor::Mode;

/// A taxonomy value: stable code and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermView {
    /// Code.
    pub code: String,
    /// Japanese label.
    pub label: String,
}

/// A qualification with the year obtained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationView {
    /// Code.
    pub code: String,
    /// Japanese label.
    pub label: String,
    /// Year obtained.
    pub year: Option<u16>,
}

/// A municipality an advisor covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceView {
    /// 団体コード.
    pub code: String,
    /// Name.
    pub name: String,
}

/// What only signed-in local-government users (and the advisor) see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorPrivate {
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Months available, `YYYY-MM`.
    pub available_months: Vec<String>,
}

/// An advisor profile. `private` is `None` for callers who may not see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorProfile {
    /// Id.
    pub id: i32,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub kana: String,
    /// 所属.
    pub affiliation: String,
    /// Engagement form.
    pub engagement: TermView,
    /// 人材像.
    pub jinzaizo: TermView,
    /// Roles (外部人材スキル標準).
    pub roles: Vec<TermView>,
    /// Specialties.
    pub specialties: Vec<TermView>,
    /// Qualifications.
    pub qualifications: Vec<QualificationView>,
    /// Programmes registered with.
    pub programmes: Vec<TermView>,
    /// ITSS level.
    pub itss_level: Option<u8>,
    /// Knowledge of municipal operations.
    pub municipal_knowledge: String,
    /// 紹介.
    pub bio: String,
    /// 実績.
    pub track_record: String,
    /// Modes offered.
    pub modes: Vec<Mode>,
    /// The bank's prefecture.
    pub prefecture: String,
    /// Covers the whole prefecture.
    pub whole_prefecture: bool,
    /// Regions covered.
    pub regions: Vec<String>,
    /// Municipalities covered by name.
    pub municipalities: Vec<PlaceView>,
    /// Shown in the public bank.
    pub published: bool,
    /// No longer dispatched.
    pub retired: bool,
    /// Contact and availability, for those who may see them.
    pub private: Option<AdvisorPrivate>,
}
