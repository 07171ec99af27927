//! Editing an advisor profile: which fields the prefecture and the advisor may
//! set, and the rules that turn what was typed (form, JSON, CSV) into a checked
//! [`AdvisorDraft`]. Taxonomy codes are checked against the vocabularies by the
//! service; everything else is checked here.

mod check;
mod patch;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use check::changed_fields;
pub use patch::{AdvisorPatch, QualificationInput, qualification_year_field};

/// Who is editing: the bank's 県管理者, or the advisor on their own profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// The prefecture (every field).
    Prefecture,
    /// The advisor (not the fields the prefecture sets).
    Advisor,
}

/// A field of a profile, as forms, JSON and CSV name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileField {
    /// 氏名.
    Name,
    /// ふりがな.
    Kana,
    /// 所属.
    Affiliation,
    /// 任用・契約の形態.
    Engagement,
    /// 人材像.
    Jinzaizo,
    /// 役割.
    Roles,
    /// ITSS レベル.
    ItssLevel,
    /// 登録している制度.
    Programmes,
    /// 専門分野.
    Specialties,
    /// 資格.
    Qualifications,
    /// 自治体業務の知識.
    MunicipalKnowledge,
    /// 紹介.
    Bio,
    /// 実績.
    TrackRecord,
    /// 対応方法.
    Modes,
    /// 県全域.
    WholePrefecture,
    /// 担当地域.
    Regions,
    /// 担当市町村.
    Municipalities,
    /// 対応可能な月.
    Months,
    /// メールアドレス.
    ContactEmail,
    /// 電話.
    ContactPhone,
}

impl ProfileField {
    /// Every field, in form order.
    pub const ALL: [ProfileField; 20] = [
        ProfileField::Name,
        ProfileField::Kana,
        ProfileField::Affiliation,
        ProfileField::Engagement,
        ProfileField::Jinzaizo,
        ProfileField::Roles,
        ProfileField::ItssLevel,
        ProfileField::Programmes,
        ProfileField::Specialties,
        ProfileField::Qualifications,
        ProfileField::MunicipalKnowledge,
        ProfileField::Bio,
        ProfileField::TrackRecord,
        ProfileField::Modes,
        ProfileField::WholePrefecture,
        ProfileField::Regions,
        ProfileField::Municipalities,
        ProfileField::Months,
        ProfileField::ContactEmail,
        ProfileField::ContactPhone,
    ];

    /// The name in forms and JSON.
    pub fn name(self) -> &'static str {
        match self {
            ProfileField::Name => "name",
            ProfileField::Kana => "kana",
            ProfileField::Affiliation => "affiliation",
            ProfileField::Engagement => "engagement",
            ProfileField::Jinzaizo => "jinzaizo",
            ProfileField::Roles => "roles",
            ProfileField::ItssLevel => "itss_level",
            ProfileField::Programmes => "programmes",
            ProfileField::Specialties => "specialties",
            ProfileField::Qualifications => "qualifications",
            ProfileField::MunicipalKnowledge => "municipal_knowledge",
            ProfileField::Bio => "bio",
            ProfileField::TrackRecord => "track_record",
            ProfileField::Modes => "modes",
            ProfileField::WholePrefecture => "whole_prefecture",
            ProfileField::Regions => "regions",
            ProfileField::Municipalities => "municipalities",
            ProfileField::Months => "months",
            ProfileField::ContactEmail => "contact_email",
            ProfileField::ContactPhone => "contact_phone",
        }
    }

    /// The Japanese label (also the CSV header).
    pub fn label(self) -> &'static str {
        match self {
            ProfileField::Name => "氏名",
            ProfileField::Kana => "ふりがな",
            ProfileField::Affiliation => "所属",
            ProfileField::Engagement => "任用・契約の形態",
            ProfileField::Jinzaizo => "人材像",
            ProfileField::Roles => "役割",
            ProfileField::ItssLevel => "ITSSレベル",
            ProfileField::Programmes => "登録している制度",
            ProfileField::Specialties => "専門分野",
            ProfileField::Qualifications => "資格",
            ProfileField::MunicipalKnowledge => "自治体業務の知識",
            ProfileField::Bio => "紹介",
            ProfileField::TrackRecord => "実績",
            ProfileField::Modes => "対応方法",
            ProfileField::WholePrefecture => "県全域",
            ProfileField::Regions => "担当地域",
            ProfileField::Municipalities => "担当市町村",
            ProfileField::Months => "対応可能な月",
            ProfileField::ContactEmail => "メールアドレス",
            ProfileField::ContactPhone => "電話",
        }
    }

    /// Whether the field holds several values (checkboxes in a form).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            ProfileField::Roles
                | ProfileField::Programmes
                | ProfileField::Specialties
                | ProfileField::Qualifications
                | ProfileField::Modes
                | ProfileField::Regions
                | ProfileField::Municipalities
                | ProfileField::Months
        )
    }

    /// Fields only the prefecture sets: who the advisor is, how they are engaged
    /// and assessed, and which programmes they are registered with.
    pub fn prefecture_only(self) -> bool {
        matches!(
            self,
            ProfileField::Name
                | ProfileField::Kana
                | ProfileField::Affiliation
                | ProfileField::Engagement
                | ProfileField::Jinzaizo
                | ProfileField::Roles
                | ProfileField::ItssLevel
                | ProfileField::Programmes
        )
    }

    /// Whether `editor` may change the field.
    pub fn editable_by(self, editor: Editor) -> bool {
        editor == Editor::Prefecture || !self.prefecture_only()
    }

    /// The field of a form or JSON name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The longest texts accepted, in characters.
pub const MAX_NAME: usize = 100;
/// Longest affiliation.
pub const MAX_AFFILIATION: usize = 200;
/// Longest 紹介 or 実績.
pub const MAX_LONG_TEXT: usize = 4000;
/// Longest 自治体業務の知識.
pub const MAX_KNOWLEDGE: usize = 2000;

/// Why an edit was refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// The field (form and JSON name).
    pub field: &'static str,
    /// Japanese message.
    pub message: String,
    /// The editor may not change this field at all (403 rather than 400).
    pub forbidden: bool,
}

impl FieldError {
    pub(super) fn invalid(field: ProfileField, message: impl Into<String>) -> Self {
        Self {
            field: field.name(),
            message: message.into(),
            forbidden: false,
        }
    }
}

/// Where a profile stands in the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvisorStatus {
    /// Being prepared; only the prefecture and the advisor see it.
    Draft,
    /// In the public bank.
    Published,
    /// No longer dispatched; kept for the record, out of the bank.
    Retired,
}

impl AdvisorStatus {
    /// Every status.
    pub const ALL: [AdvisorStatus; 3] = [
        AdvisorStatus::Draft,
        AdvisorStatus::Published,
        AdvisorStatus::Retired,
    ];

    /// The status of stored flags.
    pub fn of(published: bool, retired: bool) -> Self {
        match (published, retired) {
            (_, true) => AdvisorStatus::Retired,
            (true, false) => AdvisorStatus::Published,
            (false, false) => AdvisorStatus::Draft,
        }
    }

    /// Stored flags `(published, retired)`.
    pub fn flags(self) -> (bool, bool) {
        match self {
            AdvisorStatus::Draft => (false, false),
            AdvisorStatus::Published => (true, false),
            AdvisorStatus::Retired => (false, true),
        }
    }

    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            AdvisorStatus::Draft => "draft",
            AdvisorStatus::Published => "published",
            AdvisorStatus::Retired => "retired",
        }
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            AdvisorStatus::Draft => "非公開(下書き)",
            AdvisorStatus::Published => "公開中",
            AdvisorStatus::Retired => "登録終了",
        }
    }

    /// Parses the wire form or the label.
    pub fn parse(input: &str) -> Option<Self> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == input || s.label() == input)
    }
}
