//! The changes to a profile as they arrive (form pairs, JSON, CSV cells): a
//! patch of optional texts, turned into checked values by [`super::check`].

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::{Editor, ProfileField};
use crate::domain::advisor::AdvisorDraft;

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
}
