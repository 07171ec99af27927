//! The case library from `cases.json`: every record checked (slug, organisation,
//! prefecture, texts) before one transaction upserts them all.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, IntoActiveModel,
    TransactionTrait,
};
use serde::Deserialize;

use super::{ImportError, ImportReport, prefecture_codes_by_name};
use crate::domain::case::{CaseSlug, OrgKind};
use crate::entities::case_study::{self, TextList};
use crate::entities::municipality;
use crate::services::cases::STATUS_PUBLISHED;

/// One case as it appears in `cases.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseJson {
    slug: String,
    organisation: String,
    prefecture: Option<String>,
    org_kind: String,
    staff_count: Option<i64>,
    section: String,
    subsection: Option<String>,
    title: String,
    summary: String,
    #[serde(default)]
    points: Vec<String>,
    #[serde(default)]
    effects: Vec<String>,
    contact: Option<ContactJson>,
    source_file: String,
    source_title: String,
    page: Option<i64>,
    page_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactJson {
    department: Option<String>,
    tel: Option<String>,
    email: Option<String>,
}

/// A checked case record, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// 1-based position in the file, for error messages.
    pub index: usize,
    /// Stable identifier.
    pub slug: CaseSlug,
    /// 団体名.
    pub organisation: String,
    /// Prefecture name; `None` only for national bodies.
    pub prefecture: Option<String>,
    /// Kind of body.
    pub org_kind: OrgKind,
    /// 職員数.
    pub staff_count: Option<i32>,
    /// 区分.
    pub section: String,
    /// 小区分.
    pub subsection: Option<String>,
    /// 取組名.
    pub title: String,
    /// 取組概要.
    pub summary: String,
    /// 取組のポイント.
    pub points: Vec<String>,
    /// 取組の効果.
    pub effects: Vec<String>,
    /// 部署.
    pub contact_department: Option<String>,
    /// 電話.
    pub contact_tel: Option<String>,
    /// メール.
    pub contact_email: Option<String>,
    /// Source file name.
    pub source_file: String,
    /// Source title.
    pub source_title: String,
    /// Page in the source.
    pub page: Option<i32>,
    /// How the page was determined.
    pub page_note: Option<String>,
}

/// Parses and checks `cases.json` (an array of cases).
pub fn parse_cases_json(file: &str, data: &[u8]) -> Result<Vec<CaseRecord>, ImportError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let values: Vec<serde_json::Value> =
        serde_json::from_slice(data).map_err(|e| ImportError::File {
            file: file.to_owned(),
            message: format!(
                "{} 行目 {} 文字目: 事例の配列として読めません({e})",
                e.line(),
                e.column()
            ),
        })?;
    let mut seen = HashSet::new();
    let mut records = Vec::with_capacity(values.len());
    for (i, value) in values.into_iter().enumerate() {
        let index = i + 1;
        let slug_hint = value
            .get("slug")
            .and_then(|s| s.as_str())
            .map(|s| s.chars().take(100).collect::<String>());
        let record_error = |message: String| ImportError::Record {
            file: file.to_owned(),
            index,
            slug: slug_hint.clone(),
            message,
        };
        let raw: CaseJson = serde_json::from_value(value)
            .map_err(|e| record_error(format!("項目の形式が正しくありません({e})")))?;
        let record = check_case(index, raw).map_err(record_error)?;
        if !seen.insert(record.slug.clone()) {
            return Err(record_error(format!(
                "slug「{}」が重複しています",
                record.slug
            )));
        }
        records.push(record);
    }
    if records.is_empty() {
        return Err(ImportError::File {
            file: file.to_owned(),
            message: "事例が1件もありません".into(),
        });
    }
    Ok(records)
}

fn check_case(index: usize, raw: CaseJson) -> Result<CaseRecord, String> {
    let slug = CaseSlug::parse(&raw.slug).map_err(|e| e.to_string())?;
    let required = |name: &str, value: &str| {
        if value.trim().is_empty() {
            Err(format!("{name}が空です"))
        } else {
            Ok(value.trim().to_owned())
        }
    };
    let optional =
        |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let org_kind = OrgKind::parse(&raw.org_kind).ok_or_else(|| {
        format!(
            "団体区分「{}」は {} のいずれかで指定してください",
            raw.org_kind,
            OrgKind::ALL.map(OrgKind::as_str).join(" / ")
        )
    })?;
    let prefecture = optional(raw.prefecture);
    if prefecture.is_none() && org_kind != OrgKind::National {
        return Err("都道府県がありません(国の機関以外は必須です)".into());
    }
    let staff_count = raw
        .staff_count
        .map(|n| {
            i32::try_from(n)
                .ok()
                .filter(|n| (0..=1_000_000).contains(n))
                .ok_or_else(|| format!("職員数「{n}」が範囲外です"))
        })
        .transpose()?;
    let page = raw
        .page
        .map(|n| {
            i32::try_from(n)
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| format!("ページ「{n}」が範囲外です"))
        })
        .transpose()?;
    let contact = raw.contact.unwrap_or(ContactJson {
        department: None,
        tel: None,
        email: None,
    });
    let contact_email = optional(contact.email);
    if let Some(email) = &contact_email
        && !email.contains('@')
    {
        return Err(format!("メールアドレス「{email}」の形式が正しくありません"));
    }
    let list = |items: Vec<String>| {
        items
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    };
    Ok(CaseRecord {
        index,
        slug,
        organisation: required("団体名(organisation)", &raw.organisation)?,
        prefecture,
        org_kind,
        staff_count,
        section: required("区分(section)", &raw.section)?,
        subsection: optional(raw.subsection),
        title: required("取組名(title)", &raw.title)?,
        summary: required("概要(summary)", &raw.summary)?,
        points: list(raw.points),
        effects: list(raw.effects),
        contact_department: optional(contact.department),
        contact_tel: optional(contact.tel),
        contact_email,
        source_file: required("出典ファイル(source_file)", &raw.source_file)?,
        source_title: required("出典名(source_title)", &raw.source_title)?,
        page,
        page_note: optional(raw.page_note),
    })
}

/// Writes checked cases in one transaction, keyed by slug. Prefectures must
/// already be imported.
// Long: the case files read, checked and stored in one transaction.
pub async fn import_cases(
    db: &DatabaseConnection,
    file: &str,
    records: &[CaseRecord],
) -> Result<ImportReport, ImportError> {
    let txn = db.begin().await?;
    let prefectures = prefecture_codes_by_name(&txn).await?;
    let municipalities: HashMap<(String, String), String> = municipality::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| ((m.prefecture_code, m.name), m.code))
        .collect();
    let existing: HashMap<String, case_study::Model> = case_study::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.slug.clone(), c))
        .collect();

    let mut report = ImportReport::default();
    let now = Utc::now();
    for record in records {
        let prefecture_code = match &record.prefecture {
            None => None,
            Some(name) => Some(prefectures.get(name).cloned().ok_or_else(|| ImportError::Record {
                file: file.to_owned(),
                index: record.index,
                slug: Some(record.slug.to_string()),
                message: format!(
                    "都道府県「{name}」が登録されていません(先に団体コードのCSVを取り込んでください)"
                ),
            })?),
        };
        let municipality_code = prefecture_code
            .as_ref()
            .and_then(|p| municipalities.get(&(p.clone(), record.organisation.clone())))
            .cloned();
        let current = existing.get(record.slug.as_str());
        let wanted = case_study::Model {
            id: current.map_or(0, |c| c.id),
            slug: record.slug.to_string(),
            title: record.title.clone(),
            organisation: record.organisation.clone(),
            prefecture_code,
            municipality_code,
            org_kind: record.org_kind.as_str().to_owned(),
            staff_count: record.staff_count,
            section: record.section.clone(),
            subsection: record.subsection.clone(),
            summary: record.summary.clone(),
            points: TextList(record.points.clone()),
            effects: TextList(record.effects.clone()),
            contact_department: record.contact_department.clone(),
            contact_tel: record.contact_tel.clone(),
            contact_email: record.contact_email.clone(),
            source_file: record.source_file.clone(),
            source_title: record.source_title.clone(),
            page: record.page,
            page_note: record.page_note.clone(),
            origin: current.map_or_else(|| "reference".to_owned(), |c| c.origin.clone()),
            status: current.map_or_else(|| STATUS_PUBLISHED.to_owned(), |c| c.status.clone()),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: current.map_or(now, |c| c.updated_at),
        };
        match current {
            None => {
                let mut active = wanted.into_active_model();
                active.id = sea_orm::ActiveValue::NotSet;
                active.insert(&txn).await?;
                report.inserted += 1;
            }
            Some(current) if *current == wanted => report.unchanged += 1,
            Some(_) => {
                let mut active = wanted.into_active_model().reset_all();
                active.updated_at = Set(now);
                active.update(&txn).await?;
                report.updated += 1;
            }
        }
    }
    if report.inserted + report.updated > 0 {
        crate::services::search_index::record_whole(&txn, &[crate::services::cases::KIND]).await?;
    }
    txn.commit().await?;
    Ok(report)
}
