//! Editing an advisor profile: which fields the prefecture and the advisor may
//! set, and the rules that turn what was typed (form, JSON, CSV) into a checked
//! [`AdvisorDraft`]. Taxonomy codes are checked against the vocabularies by the
//! service; everything else is checked here.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::advisor::{AdvisorDraft, ItssLevel, Kana, Mode, YearMonth};
use super::text::{clean_single_line, nfkc};

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
    fn invalid(field: ProfileField, message: impl Into<String>) -> Self {
        Self {
            field: field.name(),
            message: message.into(),
            forbidden: false,
        }
    }
}

/// A qualification as typed: code (or label, for CSV) and year obtained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationInput {
    /// Code.
    pub code: String,
    /// Year obtained (`2021`, full-width digits too), empty when unknown.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub year: Option<String>,
}

/// Changes to a profile. A field left out (`None`) keeps its value; for the
/// single-valued optional fields an empty text or JSON `null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorPatch {
    /// 氏名.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// ふりがな.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub kana: Option<String>,
    /// 所属.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub affiliation: Option<String>,
    /// Engagement form code.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub engagement: Option<String>,
    /// 人材像 code.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub jinzaizo: Option<String>,
    /// Role codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// ITSS level 1–7, empty for none.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub itss_level: Option<String>,
    /// Programme codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programmes: Option<Vec<String>>,
    /// Specialty codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialties: Option<Vec<String>>,
    /// Qualifications with the year obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifications: Option<Vec<QualificationInput>>,
    /// Knowledge of municipal operations.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub municipal_knowledge: Option<String>,
    /// 紹介.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub bio: Option<String>,
    /// 実績.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub track_record: Option<String>,
    /// `onsite` / `online` (or 訪問 / オンライン).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modes: Option<Vec<String>>,
    /// Covers the whole prefecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole_prefecture: Option<bool>,
    /// Region ids.
    #[serde(
        default,
        deserialize_with = "loose_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub regions: Option<Vec<String>>,
    /// Municipality codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipalities: Option<Vec<String>>,
    /// Months available, `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<String>>,
    /// Contact e-mail, empty for none.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_email: Option<String>,
    /// Contact phone, empty for none.
    #[serde(
        default,
        deserialize_with = "loose_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_phone: Option<String>,
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

/// A JSON string or number as text; `null` as an empty text (clears the field).
fn loose_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Number(i64),
        Null(()),
    }
    Ok(Some(match Loose::deserialize(deserializer)? {
        Loose::Text(text) => text,
        Loose::Number(n) => n.to_string(),
        Loose::Null(()) => String::new(),
    }))
}

/// A list of JSON strings or numbers as texts.
fn loose_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Number(i64),
    }
    let items = Vec::<Loose>::deserialize(deserializer)?;
    Ok(Some(
        items
            .into_iter()
            .map(|item| match item {
                Loose::Text(text) => text,
                Loose::Number(n) => n.to_string(),
            })
            .collect(),
    ))
}

/// The prefix of a qualification's year input name.
const QUALIFICATION_YEAR_PREFIX: &str = "qualification_year.";

/// The form name of a qualification's year input.
pub fn qualification_year_field(code: &str) -> String {
    format!("{QUALIFICATION_YEAR_PREFIX}{code}")
}

impl AdvisorPatch {
    /// Every field of a stored profile, as a patch that would set it again.
    pub fn from_draft(draft: &AdvisorDraft) -> Self {
        Self {
            name: Some(draft.name.clone()),
            kana: Some(draft.kana.as_str().to_owned()),
            affiliation: Some(draft.affiliation.clone()),
            engagement: Some(draft.engagement.clone()),
            jinzaizo: Some(draft.jinzaizo.clone()),
            roles: Some(draft.roles.clone()),
            itss_level: Some(
                draft
                    .itss_level
                    .map(|l| l.get().to_string())
                    .unwrap_or_default(),
            ),
            programmes: Some(draft.programmes.clone()),
            specialties: Some(draft.specialties.clone()),
            qualifications: Some(
                draft
                    .qualifications
                    .iter()
                    .map(|(code, year)| QualificationInput {
                        code: code.clone(),
                        year: year.map(|y| y.to_string()),
                    })
                    .collect(),
            ),
            municipal_knowledge: Some(draft.municipal_knowledge.clone()),
            bio: Some(draft.bio.clone()),
            track_record: Some(draft.track_record.clone()),
            modes: Some(draft.modes.iter().map(|m| m.as_str().to_owned()).collect()),
            whole_prefecture: Some(draft.whole_prefecture),
            regions: Some(draft.regions.iter().map(ToString::to_string).collect()),
            municipalities: Some(draft.municipalities.clone()),
            months: Some(draft.months.iter().map(ToString::to_string).collect()),
            contact_email: Some(draft.contact_email.clone().unwrap_or_default()),
            contact_phone: Some(draft.contact_phone.clone().unwrap_or_default()),
        }
    }

    /// Reads a posted form. The form shows exactly the fields `editor` may change,
    /// so each of those is present (an unticked group of checkboxes is an empty
    /// list) and every other field is left out.
    pub fn from_form(pairs: &[(String, String)], editor: Editor) -> Self {
        let single = |field: ProfileField| -> Option<String> {
            field.editable_by(editor).then(|| {
                pairs
                    .iter()
                    .rev()
                    .find(|(k, _)| k == field.name())
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
        };
        let list = |field: ProfileField| -> Option<Vec<String>> {
            field.editable_by(editor).then(|| {
                pairs
                    .iter()
                    .filter(|(k, _)| k == field.name())
                    .map(|(_, v)| v.clone())
                    .collect()
            })
        };
        // One pass over the fields for the years (the first of each name), so a
        // form with many qualification fields costs linear time.
        let mut years: BTreeMap<&str, &str> = BTreeMap::new();
        for (k, v) in pairs {
            if k.starts_with(QUALIFICATION_YEAR_PREFIX) {
                years.entry(k.as_str()).or_insert(v.as_str());
            }
        }
        let qualifications = list(ProfileField::Qualifications).map(|codes| {
            codes
                .into_iter()
                .map(|code| {
                    let year_field = qualification_year_field(&code);
                    let year = years.get(year_field.as_str()).map(|v| (*v).to_owned());
                    QualificationInput { code, year }
                })
                .collect()
        });
        Self {
            name: single(ProfileField::Name),
            kana: single(ProfileField::Kana),
            affiliation: single(ProfileField::Affiliation),
            engagement: single(ProfileField::Engagement),
            jinzaizo: single(ProfileField::Jinzaizo),
            roles: list(ProfileField::Roles),
            itss_level: single(ProfileField::ItssLevel),
            programmes: list(ProfileField::Programmes),
            specialties: list(ProfileField::Specialties),
            qualifications,
            municipal_knowledge: single(ProfileField::MunicipalKnowledge),
            bio: single(ProfileField::Bio),
            track_record: single(ProfileField::TrackRecord),
            modes: list(ProfileField::Modes),
            whole_prefecture: ProfileField::WholePrefecture
                .editable_by(editor)
                .then(|| pairs.iter().any(|(k, _)| k == "whole_prefecture")),
            regions: list(ProfileField::Regions),
            municipalities: list(ProfileField::Municipalities),
            months: list(ProfileField::Months),
            contact_email: single(ProfileField::ContactEmail),
            contact_phone: single(ProfileField::ContactPhone),
        }
    }

    /// What was typed, to fill the form again after an error: single values and
    /// lists by form name (qualification years under their own names).
    pub fn typed_values(&self) -> (BTreeMap<String, String>, BTreeMap<String, Vec<String>>) {
        let mut values = BTreeMap::new();
        let mut lists = BTreeMap::new();
        let mut single = |field: ProfileField, value: &Option<String>| {
            if let Some(value) = value {
                values.insert(field.name().to_owned(), value.clone());
            }
        };
        single(ProfileField::Name, &self.name);
        single(ProfileField::Kana, &self.kana);
        single(ProfileField::Affiliation, &self.affiliation);
        single(ProfileField::Engagement, &self.engagement);
        single(ProfileField::Jinzaizo, &self.jinzaizo);
        single(ProfileField::ItssLevel, &self.itss_level);
        single(ProfileField::MunicipalKnowledge, &self.municipal_knowledge);
        single(ProfileField::Bio, &self.bio);
        single(ProfileField::TrackRecord, &self.track_record);
        single(ProfileField::ContactEmail, &self.contact_email);
        single(ProfileField::ContactPhone, &self.contact_phone);
        if let Some(whole) = self.whole_prefecture {
            values.insert(
                ProfileField::WholePrefecture.name().to_owned(),
                if whole { "on" } else { "" }.to_owned(),
            );
        }
        for (field, list) in [
            (ProfileField::Roles, &self.roles),
            (ProfileField::Programmes, &self.programmes),
            (ProfileField::Specialties, &self.specialties),
            (ProfileField::Modes, &self.modes),
            (ProfileField::Regions, &self.regions),
            (ProfileField::Municipalities, &self.municipalities),
            (ProfileField::Months, &self.months),
        ] {
            if let Some(list) = list {
                lists.insert(field.name().to_owned(), list.clone());
            }
        }
        if let Some(qualifications) = &self.qualifications {
            lists.insert(
                ProfileField::Qualifications.name().to_owned(),
                qualifications.iter().map(|q| q.code.clone()).collect(),
            );
            for q in qualifications {
                values.insert(
                    qualification_year_field(&q.code),
                    q.year.clone().unwrap_or_default(),
                );
            }
        }
        (values, lists)
    }

    /// A new profile: name, kana, affiliation, engagement form and 人材像 are required.
    pub fn create(&self) -> Result<AdvisorDraft, FieldError> {
        for (field, value) in [
            (ProfileField::Name, &self.name),
            (ProfileField::Kana, &self.kana),
            (ProfileField::Affiliation, &self.affiliation),
            (ProfileField::Engagement, &self.engagement),
            (ProfileField::Jinzaizo, &self.jinzaizo),
        ] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                return Err(FieldError::invalid(
                    field,
                    format!("{}を入力してください。", field.label()),
                ));
            }
        }
        let blank = AdvisorDraft {
            name: String::new(),
            kana: Kana::from_katakana(String::new()),
            affiliation: String::new(),
            engagement: String::new(),
            jinzaizo: String::new(),
            roles: Vec::new(),
            specialties: Vec::new(),
            qualifications: Vec::new(),
            programmes: Vec::new(),
            itss_level: None,
            municipal_knowledge: String::new(),
            bio: String::new(),
            track_record: String::new(),
            modes: vec![Mode::Online],
            whole_prefecture: false,
            regions: Vec::new(),
            municipalities: Vec::new(),
            months: Vec::new(),
            contact_email: None,
            contact_phone: None,
            published: false,
        };
        self.apply(&blank, Editor::Prefecture)
    }

    /// `current` with these changes, every value checked. An advisor who sends a
    /// field only the prefecture sets, with another value than the stored one, is
    /// refused ([`FieldError::forbidden`]).
    pub fn apply(
        &self,
        current: &AdvisorDraft,
        editor: Editor,
    ) -> Result<AdvisorDraft, FieldError> {
        let mut next = current.clone();
        if let Some(name) = &self.name {
            next.name = bounded_line(ProfileField::Name, name, MAX_NAME, true)?;
        }
        if let Some(kana) = &self.kana {
            next.kana = Kana::parse(kana)
                .map_err(|e| FieldError::invalid(ProfileField::Kana, e.to_string()))?;
        }
        if let Some(affiliation) = &self.affiliation {
            next.affiliation = bounded_line(
                ProfileField::Affiliation,
                affiliation,
                MAX_AFFILIATION,
                true,
            )?;
        }
        if let Some(engagement) = &self.engagement {
            next.engagement = code(ProfileField::Engagement, engagement)?;
        }
        if let Some(jinzaizo) = &self.jinzaizo {
            next.jinzaizo = code(ProfileField::Jinzaizo, jinzaizo)?;
        }
        if let Some(roles) = &self.roles {
            next.roles = codes(roles);
        }
        if let Some(level) = &self.itss_level {
            next.itss_level = if level.trim().is_empty() {
                None
            } else {
                Some(
                    ItssLevel::parse(level)
                        .map_err(|e| FieldError::invalid(ProfileField::ItssLevel, e.to_string()))?,
                )
            };
        }
        if let Some(programmes) = &self.programmes {
            next.programmes = codes(programmes);
        }
        if let Some(specialties) = &self.specialties {
            next.specialties = codes(specialties);
        }
        if let Some(qualifications) = &self.qualifications {
            next.qualifications = parse_qualifications(qualifications)?;
        }
        if let Some(text) = &self.municipal_knowledge {
            next.municipal_knowledge =
                long_text(ProfileField::MunicipalKnowledge, text, MAX_KNOWLEDGE)?;
        }
        if let Some(text) = &self.bio {
            next.bio = long_text(ProfileField::Bio, text, MAX_LONG_TEXT)?;
        }
        if let Some(text) = &self.track_record {
            next.track_record = long_text(ProfileField::TrackRecord, text, MAX_LONG_TEXT)?;
        }
        if let Some(modes) = &self.modes {
            next.modes = parse_modes(modes)?;
        }
        if let Some(whole) = self.whole_prefecture {
            next.whole_prefecture = whole;
        }
        if let Some(regions) = &self.regions {
            let mut ids = Vec::new();
            for region in regions.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
                let id = region.parse::<i32>().map_err(|_| {
                    FieldError::invalid(
                        ProfileField::Regions,
                        format!("地域「{}」は番号で指定してください。", excerpt(region)),
                    )
                })?;
                ids.push(id);
            }
            ids.sort_unstable();
            ids.dedup();
            next.regions = ids;
        }
        if let Some(municipalities) = &self.municipalities {
            next.municipalities = codes(municipalities);
        }
        if let Some(months) = &self.months {
            let mut parsed = Vec::new();
            for month in months.iter().filter(|m| !m.trim().is_empty()) {
                let month = YearMonth::parse(month)
                    .map_err(|e| FieldError::invalid(ProfileField::Months, e.to_string()))?;
                parsed.push(month);
            }
            parsed.sort();
            parsed.dedup();
            next.months = parsed;
        }
        if let Some(email) = &self.contact_email {
            next.contact_email = parse_email(email)?;
        }
        if let Some(phone) = &self.contact_phone {
            next.contact_phone = parse_phone(phone)?;
        }
        if editor == Editor::Advisor {
            refuse_prefecture_fields(current, &next)?;
        }
        Ok(next)
    }
}

/// The fields whose values differ between two versions of a profile (for the
/// audit log: which fields changed, never the values).
pub fn changed_fields(before: &AdvisorDraft, after: &AdvisorDraft) -> Vec<ProfileField> {
    let a = AdvisorPatch::from_draft(before);
    let b = AdvisorPatch::from_draft(after);
    let (a_values, a_lists) = a.typed_values();
    let (b_values, b_lists) = b.typed_values();
    ProfileField::ALL
        .into_iter()
        .filter(|field| {
            let name = field.name();
            if field.is_list() {
                let years_differ = *field == ProfileField::Qualifications
                    && a_values
                        .iter()
                        .filter(|(k, _)| k.starts_with("qualification_year."))
                        .collect::<Vec<_>>()
                        != b_values
                            .iter()
                            .filter(|(k, _)| k.starts_with("qualification_year."))
                            .collect::<Vec<_>>();
                let mut x = a_lists.get(name).cloned().unwrap_or_default();
                let mut y = b_lists.get(name).cloned().unwrap_or_default();
                x.sort();
                y.sort();
                x != y || years_differ
            } else {
                a_values.get(name) != b_values.get(name)
            }
        })
        .collect()
}

/// The first prefecture-only field whose value the advisor changed.
fn refuse_prefecture_fields(current: &AdvisorDraft, next: &AdvisorDraft) -> Result<(), FieldError> {
    let changed = [
        (ProfileField::Name, current.name != next.name),
        (ProfileField::Kana, current.kana != next.kana),
        (
            ProfileField::Affiliation,
            current.affiliation != next.affiliation,
        ),
        (
            ProfileField::Engagement,
            current.engagement != next.engagement,
        ),
        (ProfileField::Jinzaizo, current.jinzaizo != next.jinzaizo),
        (
            ProfileField::Roles,
            sorted(&current.roles) != sorted(&next.roles),
        ),
        (
            ProfileField::ItssLevel,
            current.itss_level != next.itss_level,
        ),
        (
            ProfileField::Programmes,
            sorted(&current.programmes) != sorted(&next.programmes),
        ),
    ];
    match changed.into_iter().find(|(_, changed)| *changed) {
        Some((field, _)) => Err(FieldError {
            field: field.name(),
            message: format!(
                "「{}」は県が設定する項目のため、アドバイザーご本人は変更できません。",
                field.label()
            ),
            forbidden: true,
        }),
        None => Ok(()),
    }
}

fn sorted(list: &[String]) -> Vec<&String> {
    let mut list: Vec<&String> = list.iter().collect();
    list.sort();
    list
}

fn excerpt(text: &str) -> String {
    text.chars().take(30).collect()
}

fn bounded_line(
    field: ProfileField,
    text: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let text = clean_single_line(text);
    if required && text.is_empty() {
        return Err(FieldError::invalid(
            field,
            format!("{}を入力してください。", field.label()),
        ));
    }
    if text.chars().count() > max {
        return Err(FieldError::invalid(
            field,
            format!("{}は{max}文字以内で入力してください。", field.label()),
        ));
    }
    Ok(text)
}

/// Multi-line text: line ends as `\n`, other control characters dropped, trimmed.
fn long_text(field: ProfileField, text: &str, max: usize) -> Result<String, FieldError> {
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let text = text.trim().to_owned();
    let length = text.chars().count();
    if length > max {
        return Err(FieldError::invalid(
            field,
            format!(
                "{}は{max}文字以内で入力してください(いまは{length}文字です)。",
                field.label()
            ),
        ));
    }
    Ok(text)
}

fn code(field: ProfileField, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldError::invalid(
            field,
            format!("{}を選んでください。", field.label()),
        ))
    } else {
        Ok(value.to_owned())
    }
}

/// Trimmed, non-empty, each once, in the order given.
fn codes(values: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && seen.insert(*v))
        .map(str::to_owned)
        .collect()
}

fn parse_qualifications(
    inputs: &[QualificationInput],
) -> Result<Vec<(String, Option<u16>)>, FieldError> {
    let mut out: Vec<(String, Option<u16>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        let code = input.code.trim();
        if code.is_empty() || !seen.insert(code) {
            continue;
        }
        let year = match input.year.as_deref().map(|y| nfkc(y.trim())) {
            None => None,
            Some(y) if y.is_empty() => None,
            Some(y) => {
                let digits = y.trim_end_matches('年');
                Some(
                    digits
                        .parse::<u16>()
                        .ok()
                        .filter(|y| (1950..=2100).contains(y))
                        .ok_or_else(|| {
                            FieldError::invalid(
                                ProfileField::Qualifications,
                                format!(
                                    "資格の取得年「{}」は西暦の4桁(例: 2021)で入力してください。",
                                    excerpt(&y)
                                ),
                            )
                        })?,
                )
            }
        };
        out.push((code.to_owned(), year));
    }
    Ok(out)
}

fn parse_modes(values: &[String]) -> Result<Vec<Mode>, FieldError> {
    let mut modes = Vec::new();
    for value in values.iter().filter(|v| !v.trim().is_empty()) {
        let mode = Mode::parse(value).ok_or_else(|| {
            FieldError::invalid(
                ProfileField::Modes,
                "対応方法は「訪問」か「オンライン」です。",
            )
        })?;
        if !modes.contains(&mode) {
            modes.push(mode);
        }
    }
    modes.sort();
    if modes.is_empty() {
        return Err(FieldError::invalid(
            ProfileField::Modes,
            "対応方法を1つ以上選んでください。",
        ));
    }
    Ok(modes)
}

/// A contact address by the one e-mail rule of the portal ([`super::account::Email`]).
fn parse_email(value: &str) -> Result<Option<String>, FieldError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    super::account::Email::parse(value)
        .map(|email| Some(email.as_str().to_owned()))
        .map_err(|_| {
            FieldError::invalid(
                ProfileField::ContactEmail,
                "メールアドレスの形式(例: name@example.jp)で入力してください。",
            )
        })
}

fn parse_phone(value: &str) -> Result<Option<String>, FieldError> {
    let value = nfkc(value.trim()).replace(['ー', '−', '‐'], "-");
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let valid = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' ' | '+'))
        && (6..=15).contains(&digits)
        && value.len() <= 32;
    if valid {
        Ok(Some(value))
    } else {
        Err(FieldError::invalid(
            ProfileField::ContactPhone,
            "電話番号は数字とハイフンで入力してください(例: 0742-00-0000)。",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn current() -> AdvisorDraft {
        AdvisorPatch {
            name: Some("架空 太郎".into()),
            kana: Some("かくう たろう".into()),
            affiliation: Some("架空コンサルティング".into()),
            engagement: Some("private".into()),
            jinzaizo: Some("advanced".into()),
            roles: Some(vec!["engineer".into()]),
            programmes: Some(vec!["pref_bank".into()]),
            modes: Some(vec!["online".into()]),
            ..AdvisorPatch::default()
        }
        .create()
        .expect("valid profile")
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_new_profile_needs_name_kana_affiliation_engagement_and_jinzaizo() {
        let missing_kana = AdvisorPatch {
            name: Some("架空 太郎".into()),
            ..AdvisorPatch::default()
        };
        let error = missing_kana.create().expect_err("kana missing");
        assert_eq!(error.field, "kana");
        assert!(error.message.contains("ふりがな"));
        let profile = current();
        assert_eq!(profile.kana.as_str(), "カクウ タロウ");
        assert!(!profile.published, "new profiles start as drafts");
    }

    #[test]
    fn the_advisor_form_leaves_out_the_fields_the_prefecture_sets() {
        let form = pairs(&[
            ("name", "書き換え"),
            ("bio", "窓口DXの支援をしています。"),
            ("modes", "onsite"),
            ("modes", "online"),
            ("months", "2026-12"),
        ]);
        let patch = AdvisorPatch::from_form(&form, Editor::Advisor);
        assert_eq!(patch.name, None, "name is not the advisor's to set");
        assert_eq!(patch.programmes, None);
        assert_eq!(patch.bio.as_deref(), Some("窓口DXの支援をしています。"));
        assert_eq!(
            patch.specialties,
            Some(vec![]),
            "unticked boxes empty the list"
        );
        let next = patch.apply(&current(), Editor::Advisor).expect("allowed");
        assert_eq!(next.name, "架空 太郎");
        assert_eq!(next.modes, [Mode::Onsite, Mode::Online]);
        assert_eq!(next.months.len(), 1);
    }

    #[test]
    fn an_advisor_changing_a_prefecture_field_is_refused_by_name() {
        let patch = AdvisorPatch {
            programmes: Some(vec!["pref_bank".into(), "dx_advisor".into()]),
            ..AdvisorPatch::default()
        };
        let error = patch
            .apply(&current(), Editor::Advisor)
            .expect_err("refused");
        assert_eq!(error.field, "programmes");
        assert!(error.forbidden);
        assert!(patch.apply(&current(), Editor::Prefecture).is_ok());
        let same = AdvisorPatch {
            programmes: Some(vec!["pref_bank".into()]),
            ..AdvisorPatch::default()
        };
        assert!(
            same.apply(&current(), Editor::Advisor).is_ok(),
            "sending the stored value back is not a change"
        );
    }

    #[test]
    fn qualification_years_come_from_their_own_inputs_and_must_be_years() {
        let form = pairs(&[
            ("qualifications", "riss"),
            ("qualification_year.riss", "２０２１"),
            ("qualifications", "it_passport"),
            ("qualification_year.it_passport", ""),
            ("modes", "online"),
        ]);
        let next = AdvisorPatch::from_form(&form, Editor::Advisor)
            .apply(&current(), Editor::Advisor)
            .expect("valid");
        assert_eq!(
            next.qualifications,
            [
                ("riss".to_owned(), Some(2021)),
                ("it_passport".to_owned(), None)
            ]
        );
        let bad = pairs(&[
            ("qualifications", "riss"),
            ("qualification_year.riss", "令和3"),
            ("modes", "online"),
        ]);
        let error = AdvisorPatch::from_form(&bad, Editor::Advisor)
            .apply(&current(), Editor::Advisor)
            .expect_err("not a year");
        assert_eq!(error.field, "qualifications");
    }

    #[test]
    fn contact_details_are_checked_and_empty_clears_them() {
        let mut patch = AdvisorPatch {
            contact_email: Some("kakuu@example.jp".into()),
            contact_phone: Some("０７４２－００－００００".into()),
            ..AdvisorPatch::default()
        };
        let next = patch.apply(&current(), Editor::Advisor).expect("valid");
        assert_eq!(next.contact_email.as_deref(), Some("kakuu@example.jp"));
        assert_eq!(next.contact_phone.as_deref(), Some("0742-00-0000"));
        patch.contact_email = Some("kakuu at example".into());
        assert_eq!(
            patch
                .apply(&current(), Editor::Advisor)
                .expect_err("bad")
                .field,
            "contact_email"
        );
        let cleared = AdvisorPatch {
            contact_email: Some(String::new()),
            ..AdvisorPatch::default()
        }
        .apply(&next, Editor::Advisor)
        .expect("valid");
        assert_eq!(cleared.contact_email, None);
        assert_eq!(cleared.contact_phone.as_deref(), Some("0742-00-0000"));
    }

    #[test]
    fn an_advisor_must_offer_at_least_one_mode() {
        let patch = AdvisorPatch {
            modes: Some(vec![]),
            ..AdvisorPatch::default()
        };
        assert_eq!(
            patch
                .apply(&current(), Editor::Advisor)
                .expect_err("no mode")
                .field,
            "modes"
        );
    }

    #[test]
    fn json_takes_numbers_for_levels_and_regions_and_null_clears() {
        let patch: AdvisorPatch = serde_json::from_str(
            r#"{"itss_level": 4, "regions": [2, "1"], "contact_phone": null,
                "qualifications": [{"code": "riss", "year": 2020}]}"#,
        )
        .expect("parses");
        assert_eq!(patch.itss_level.as_deref(), Some("4"));
        assert_eq!(patch.regions, Some(vec!["2".to_owned(), "1".to_owned()]));
        assert_eq!(patch.contact_phone.as_deref(), Some(""));
        assert_eq!(patch.bio, None, "absent fields are kept");
        let next = patch.apply(&current(), Editor::Prefecture).expect("valid");
        assert_eq!(next.regions, [1, 2]);
        assert_eq!(next.itss_level.map(ItssLevel::get), Some(4));
    }

    #[test]
    fn a_patch_survives_the_trip_to_the_browser_and_back() {
        let blank = AdvisorPatch {
            modes: Some(vec!["online".into()]),
            ..AdvisorPatch::default()
        };
        let json = serde_json::to_string(&blank).expect("serialises");
        assert_eq!(
            serde_json::from_str::<AdvisorPatch>(&json).expect("parses"),
            blank
        );
        let full = AdvisorPatch::from_draft(&current());
        let json = serde_json::to_string(&full).expect("serialises");
        assert_eq!(
            serde_json::from_str::<AdvisorPatch>(&json).expect("parses"),
            full
        );
    }

    #[test]
    fn a_long_bio_is_refused_with_its_length() {
        let patch = AdvisorPatch {
            bio: Some("あ".repeat(MAX_LONG_TEXT + 1)),
            ..AdvisorPatch::default()
        };
        let error = patch
            .apply(&current(), Editor::Advisor)
            .expect_err("too long");
        assert_eq!(error.field, "bio");
        assert!(error.message.contains("4001文字"));
    }

    #[test]
    fn the_changed_fields_are_named_and_order_of_ticks_does_not_count() {
        let before = current();
        let mut after = before.clone();
        after.bio = "新しい紹介".into();
        after.roles = vec!["engineer".into()];
        after.qualifications = vec![("riss".into(), Some(2020))];
        assert_eq!(
            changed_fields(&before, &after),
            [ProfileField::Qualifications, ProfileField::Bio]
        );
        let mut year_only = after.clone();
        year_only.qualifications = vec![("riss".into(), Some(2021))];
        assert_eq!(
            changed_fields(&after, &year_only),
            [ProfileField::Qualifications]
        );
        assert!(changed_fields(&before, &before).is_empty());
    }

    #[test]
    fn typed_values_refill_the_form_they_came_from() {
        let form = pairs(&[
            ("bio", "紹介文"),
            ("specialties", "security"),
            ("specialties", "cloud"),
            ("qualifications", "riss"),
            ("qualification_year.riss", "2021"),
            ("whole_prefecture", "on"),
        ]);
        let patch = AdvisorPatch::from_form(&form, Editor::Advisor);
        let (values, lists) = patch.typed_values();
        assert_eq!(values["bio"], "紹介文");
        assert_eq!(values["qualification_year.riss"], "2021");
        assert_eq!(values["whole_prefecture"], "on");
        assert_eq!(lists["specialties"], ["security", "cloud"]);
        assert!(!values.contains_key("name"));
    }

    proptest! {
        #[test]
        fn only_fields_the_prefecture_sets_are_closed_to_the_advisor(index in 0usize..ProfileField::ALL.len()) {
            let field = ProfileField::ALL[index];
            prop_assert!(field.editable_by(Editor::Prefecture));
            prop_assert_eq!(field.editable_by(Editor::Advisor), !field.prefecture_only());
            prop_assert_eq!(ProfileField::from_name(field.name()), Some(field));
        }

        #[test]
        fn a_stored_profile_survives_its_own_patch(level in 1u8..=7, year in 1990u16..2030, whole in any::<bool>()) {
            let mut draft = current();
            draft.itss_level = ItssLevel::try_from(level).ok();
            draft.qualifications = vec![("riss".into(), Some(year)), ("fe".into(), None)];
            draft.whole_prefecture = whole;
            draft.regions = vec![3, 5];
            draft.months = vec![YearMonth::new(2027, 1).expect("valid")];
            draft.contact_email = Some("a@example.jp".into());
            let again = AdvisorPatch::from_draft(&draft).apply(&current(), Editor::Prefecture).expect("valid");
            prop_assert_eq!(again, draft);
        }

        #[test]
        fn bios_keep_their_text_up_to_the_limit(text in "[あ-ん漢字A-Za-z0-9 \n]{0,300}") {
            let patch = AdvisorPatch { bio: Some(text.clone()), ..AdvisorPatch::default() };
            let next = patch.apply(&current(), Editor::Advisor).expect("within the limit");
            prop_assert_eq!(next.bio, text.trim());
        }
    }
}
