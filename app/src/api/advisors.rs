//! Advisors of the デジタル人材バンク as pages and the JSON API see them.

use crate::domain::ids::AdvisorId;
use crate::domain::local_gov::LocalGovCode;
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
    pub code: LocalGovCode,
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
    pub id: AdvisorId,
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
    /// Draft, published or retired.
    pub status: crate::domain::advisor::edit::AdvisorStatus,
    /// Contact and availability, for those who may see them.
    pub private: Option<AdvisorPrivate>,
    /// Whether a photo can be shown to the caller (`/advisors/{id}/photo`).
    pub has_photo: bool,
    /// Whether the caller may edit the profile (the bank's 県管理者 or the advisor).
    pub can_edit: bool,
    /// Whether the caller may publish, unpublish or retire it (the bank's 県管理者).
    pub can_manage: bool,
    /// Row version: send it back (`If-Match` or `version`) so that an edit of an
    /// older copy is refused instead of overwriting a newer one.
    pub version: i32,
}

/// Filters of the advisor search, as typed in the URL (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorListParams {
    /// Free text.
    pub q: Option<String>,
    /// The bank: prefecture code or name.
    pub prefecture: Option<String>,
    /// 人材像 code.
    pub jinzaizo: Option<String>,
    /// Role code.
    pub role: Option<String>,
    /// Specialty code.
    pub specialty: Option<String>,
    /// Qualification code.
    pub qualification: Option<String>,
    /// Region id covered.
    pub region: Option<String>,
    /// `onsite` or `online`.
    pub mode: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// Available in this month (`YYYY-MM`).
    pub available: Option<String>,
    /// `relevance` (default), `kana` or `recent` (most recently active first).
    pub sort: Option<String>,
    /// Page, 1-based.
    pub page: Option<String>,
}

/// An advisor in a result list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisorSummary {
    /// Id.
    pub id: AdvisorId,
    /// Name of the prefecture whose bank lists the advisor (奈良県).
    #[serde(default)]
    pub prefecture: String,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub kana: String,
    /// 所属.
    pub affiliation: String,
    /// 人材像.
    pub jinzaizo: TermView,
    /// Roles.
    pub roles: Vec<TermView>,
    /// Specialties.
    pub specialties: Vec<TermView>,
    /// Modes offered.
    pub modes: Vec<Mode>,
    /// Relevance (0 without words).
    pub score: f32,
    /// The best fragment of the profile with the words highlighted.
    pub snippet: crate::api::search::Highlighted,
    /// A near match: some of the words are missing (listed after full matches).
    #[serde(default)]
    pub partial: bool,
}

/// A page of advisors with facet counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisorList {
    /// Matching advisors over all pages (near matches included).
    pub total: u64,
    /// Of those, the advisors with every word.
    #[serde(default)]
    pub exact_total: u64,
    /// The page shown.
    pub page: u32,
    /// Number of pages.
    pub total_pages: u32,
    /// Set when no advisor had every word and any word was enough.
    pub fallback: Option<crate::api::cases::SearchFallback>,
    /// When nothing was found: queries spelt like this one that find something.
    #[serde(default)]
    pub suggestions: Vec<String>,
    /// The advisors of this page.
    pub items: Vec<AdvisorSummary>,
    /// Counts per value of each filter (`prefecture`, `jinzaizo`, `role`, `specialty`,
    /// `qualification`, `region`, `mode`, `programme`, `available`).
    pub facets: std::collections::BTreeMap<String, Vec<crate::api::cases::FacetValue>>,
}

/// A municipality's need, as `POST /api/advisors/match` takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRequest {
    /// What the municipality needs help with, in its own words.
    #[serde(default)]
    pub need: String,
    /// 団体コード of the requesting municipality.
    pub municipality: String,
    /// `online`, `onsite`, or none.
    #[serde(default)]
    pub mode: Option<String>,
    /// First day wanted (`YYYY-MM-DD` or `YYYY-MM`).
    #[serde(default)]
    pub from: Option<String>,
    /// Last day wanted.
    #[serde(default)]
    pub to: Option<String>,
    /// Programme code the dispatch would use.
    #[serde(default)]
    pub programme: Option<String>,
}

/// One reason a candidate fits, with its Japanese wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchReasonView {
    /// The reason, structured.
    #[serde(flatten)]
    pub reason: crate::domain::advisor::matching::Reason,
    /// How the page says it.
    pub label: String,
}

/// A ranked candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchItem {
    /// Advisor id.
    pub id: AdvisorId,
    /// 氏名.
    pub name: String,
    /// 所属.
    pub affiliation: String,
    /// 0–1, higher is better (see `domain::advisor::matching`).
    pub score: f64,
    /// Why.
    pub reasons: Vec<MatchReasonView>,
}

/// The ranked candidates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    /// Best first.
    pub items: Vec<MatchItem>,
}

/// A choice in a form: value and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Value posted.
    pub value: String,
    /// Label shown.
    pub label: String,
}

/// What the profile form needs: the stored values, who edits, and the choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorFormData {
    /// The profile, or `None` for a new one.
    pub id: Option<AdvisorId>,
    /// The advisor's name (empty for a new profile).
    pub name: String,
    /// The bank's prefecture.
    pub prefecture: String,
    /// `true` for the bank's 県管理者, `false` for the advisor.
    pub by_prefecture: bool,
    /// The stored values (every field present).
    pub values: crate::domain::advisor::edit::AdvisorPatch,
    /// Draft, published or retired.
    pub status: crate::domain::advisor::edit::AdvisorStatus,
    /// Vocabulary terms by kind (`jinzaizo`, `role`, …).
    pub vocabularies: std::collections::BTreeMap<String, Vec<Choice>>,
    /// Regions of the prefecture (value: id).
    pub regions: Vec<Choice>,
    /// Municipalities of the prefecture (value: 団体コード).
    pub municipalities: Vec<Choice>,
    /// Months offered for availability (`YYYY-MM`): the next 18, and any stored.
    pub months: Vec<Choice>,
    /// Whether a photo is stored.
    pub has_photo: bool,
    /// The linked sign-in account's email.
    pub account_email: Option<String>,
    /// The stored row version the form is filled from (0 for a new profile).
    pub version: i32,
}

/// An advisor in the 県管理者's list (drafts and retired ones too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorAdminRow {
    /// Id.
    pub id: AdvisorId,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub kana: String,
    /// 所属.
    pub affiliation: String,
    /// Status.
    pub status: crate::domain::advisor::edit::AdvisorStatus,
    /// Last change, JST (`2026-12-02 14:05`).
    pub updated_at: String,
}

/// The 県管理者's list of the bank's profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorAdminList {
    /// Profiles by status, then kana.
    pub items: Vec<AdvisorAdminRow>,
    /// Count per status: draft, published, retired.
    pub counts: [u64; 3],
    /// The page shown.
    pub page: u32,
    /// Number of pages.
    pub total_pages: u32,
    /// The status filter in force.
    pub status: Option<crate::domain::advisor::edit::AdvisorStatus>,
}

/// The choices of the match form: the municipalities the caller may ask for (their
/// own, or their prefecture's) and the programmes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchFormChoices {
    /// Municipalities (value: 団体コード).
    pub municipalities: Vec<Choice>,
    /// Programmes (value: code).
    pub programmes: Vec<Choice>,
}
