//! Importing reference data: the JIS X 0402 municipality list (CSV) and the case
//! library (JSON).
//!
//! Each import is two steps. Parsing checks the whole file and fails on the first
//! bad line or record, naming it; nothing has touched the database yet. Writing
//! then upserts every row inside one transaction, so a failure leaves the database
//! exactly as it was, and running the same file twice changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, TransactionTrait,
};
use serde::Deserialize;

use crate::domain::case::{CaseSlug, OrgKind};
use crate::domain::local_gov::{LocalGovCode, MunicipalityKind};
use crate::domain::text::nfkc;
use crate::entities::case_study::{self, TextList};
use crate::entities::{municipality, prefecture};
use crate::services::cases::STATUS_PUBLISHED;
use crate::services::csv_file::{line_error, read_csv};

/// Header the municipality CSV must start with.
pub const MUNICIPALITY_CSV_HEADER: [&str; 5] =
    ["code", "prefecture", "city", "prefecture_kana", "city_kana"];

/// Why an import was refused. Nothing was written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A line of a CSV file is wrong.
    #[error("{file} の {line} 行目: {message}")]
    Line {
        /// File name as given.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong, in Japanese.
        message: String,
    },
    /// A record of a JSON file is wrong.
    #[error("{file} の {index} 件目{}: {message}", slug.as_ref().map(|s| format!("(slug: {s})")).unwrap_or_default())]
    Record {
        /// File name as given.
        file: String,
        /// 1-based position in the array.
        index: usize,
        /// The record's slug, when it has a readable one.
        slug: Option<String>,
        /// What is wrong, in Japanese.
        message: String,
    },
    /// The file as a whole is unusable.
    #[error("{file}: {message}")]
    File {
        /// File name as given.
        file: String,
        /// What is wrong, in Japanese.
        message: String,
    },
    /// The database failed; the transaction was rolled back.
    #[error("データベースへの書き込みに失敗しました: {0}")]
    Db(#[from] DbErr),
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows that did not exist before.
    pub inserted: u64,
    /// Rows that existed with different values.
    pub updated: u64,
    /// Rows that were already identical.
    pub unchanged: u64,
}

impl ImportReport {
    fn add(&mut self, other: ImportReport) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A prefecture line of the municipality CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefectureRecord {
    /// Prefecture code.
    pub code: LocalGovCode,
    /// 奈良県.
    pub name: String,
    /// Full-width kana.
    pub kana: String,
}

/// A municipality line of the municipality CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityRecord {
    /// Municipality code.
    pub code: LocalGovCode,
    /// Code of its prefecture.
    pub prefecture_code: LocalGovCode,
    /// 三宅町.
    pub name: String,
    /// Full-width kana.
    pub kana: String,
    /// 市 / 町 / 村 / 特別区.
    pub kind: MunicipalityKind,
}

/// A parsed, consistent municipality file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MunicipalityDataset {
    /// The prefectures, in file order.
    pub prefectures: Vec<PrefectureRecord>,
    /// The municipalities, in file order.
    pub municipalities: Vec<MunicipalityRecord>,
}

/// Parses the municipality CSV (`code,prefecture,city,prefecture_kana,city_kana`;
/// a line with an empty `city` is the prefecture itself). Half-width kana become
/// full-width. A UTF-8 BOM is accepted.
pub fn parse_municipality_csv(file: &str, data: &[u8]) -> Result<MunicipalityDataset, ImportError> {
    let rows = read_csv(file, data, &MUNICIPALITY_CSV_HEADER)?;
    let error_at = |line: u64, message: String| line_error(file, line, message);
    let mut dataset = MunicipalityDataset::default();
    let mut seen_codes = HashSet::new();
    let mut declared_prefectures: HashMap<String, (String, u64)> = HashMap::new();
    let mut first_use: HashMap<String, (String, u64)> = HashMap::new();

    for row in &rows {
        let line = row.line;
        let field = |i: usize| row.field(i).to_owned();
        let code = LocalGovCode::parse(&field(0)).map_err(|e| error_at(line, e.to_string()))?;
        if !seen_codes.insert(code.clone()) {
            return Err(error_at(
                line,
                format!("団体コード「{code}」が重複しています"),
            ));
        }
        let pref_name = field(1);
        if pref_name.is_empty() {
            return Err(error_at(line, "都道府県名が空です".into()));
        }
        let city = field(2);
        let pref_kana = katakana(&field(3)).map_err(|m| error_at(line, m))?;

        if city.is_empty() {
            if !code.is_prefecture() {
                return Err(error_at(
                    line,
                    format!(
                        "市区町村名が空ですが、団体コード「{code}」は都道府県のコードではありません"
                    ),
                ));
            }
            declared_prefectures.insert(code.as_str().to_owned(), (pref_name.clone(), line));
            dataset.prefectures.push(PrefectureRecord {
                code,
                name: pref_name,
                kana: pref_kana,
            });
        } else {
            if code.is_prefecture() {
                return Err(error_at(
                    line,
                    format!(
                        "団体コード「{code}」は都道府県のコードですが、市区町村名「{city}」があります"
                    ),
                ));
            }
            let kana = katakana(&field(4)).map_err(|m| error_at(line, m))?;
            let kind = MunicipalityKind::classify(&code, &city).ok_or_else(|| {
                error_at(
                    line,
                    format!("名称「{city}」から市・町・村・特別区を判別できません"),
                )
            })?;
            let prefecture_code = code.prefecture_code();
            first_use
                .entry(prefecture_code.as_str().to_owned())
                .or_insert((pref_name.clone(), line));
            if let Some((_, expected_line)) = first_use
                .get(prefecture_code.as_str())
                .filter(|(name, _)| *name != pref_name)
            {
                return Err(error_at(
                    line,
                    format!(
                        "都道府県名「{pref_name}」が、同じ都道府県コードの {expected_line} 行目と異なります"
                    ),
                ));
            }
            dataset.municipalities.push(MunicipalityRecord {
                code,
                prefecture_code,
                name: city,
                kana,
                kind,
            });
        }
    }

    for (code, (name, line)) in &first_use {
        match declared_prefectures.get(code) {
            None => {
                return Err(error_at(
                    *line,
                    format!("都道府県「{name}」(団体コード {code})の行がファイルにありません"),
                ));
            }
            Some((declared, _)) if declared != name => {
                return Err(error_at(
                    *line,
                    format!("都道府県名「{name}」が、都道府県の行の「{declared}」と異なります"),
                ));
            }
            Some(_) => {}
        }
    }
    if dataset.prefectures.is_empty() {
        return Err(ImportError::File {
            file: file.to_owned(),
            message: "データ行がありません".into(),
        });
    }
    Ok(dataset)
}

/// Converts a reading to full-width katakana and checks it is katakana only.
fn katakana(raw: &str) -> Result<String, String> {
    let kana = nfkc(raw.trim());
    if kana.is_empty() {
        return Err("読みがなが空です".into());
    }
    let is_katakana = |c: char| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | 'ヽ' | 'ヾ' | '・');
    if let Some(bad) = kana.chars().find(|c| !is_katakana(*c)) {
        return Err(format!(
            "読みがな「{raw}」にカタカナ以外の文字「{bad}」があります"
        ));
    }
    Ok(kana)
}

/// Writes a parsed municipality file in one transaction.
pub async fn import_municipalities(
    db: &DatabaseConnection,
    dataset: &MunicipalityDataset,
) -> Result<ImportReport, ImportError> {
    let txn = db.begin().await?;
    let mut report = ImportReport::default();

    let existing: HashMap<String, prefecture::Model> = prefecture::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    for record in &dataset.prefectures {
        let wanted = prefecture::Model {
            code: record.code.as_str().to_owned(),
            name: record.name.clone(),
            kana: record.kana.clone(),
        };
        report.add(
            upsert::<prefecture::ActiveModel>(&txn, existing.get(&wanted.code), wanted).await?,
        );
    }

    let existing: HashMap<String, municipality::Model> = municipality::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    let mut new_rows = Vec::new();
    for record in &dataset.municipalities {
        let code = record.code.as_str().to_owned();
        let current = existing.get(&code);
        let wanted = municipality::Model {
            code,
            prefecture_code: record.prefecture_code.as_str().to_owned(),
            name: record.name.clone(),
            kana: record.kana.clone(),
            kind: record.kind.label().to_owned(),
            // Regions are the prefecture's own data; an import never moves a town.
            region_id: current.and_then(|m| m.region_id),
        };
        match current {
            None => new_rows.push(wanted.into_active_model()),
            Some(current) => {
                report.add(upsert::<municipality::ActiveModel>(&txn, Some(current), wanted).await?)
            }
        }
    }
    report.inserted += new_rows.len() as u64;
    // Batches keep the first seed fast without exceeding bind-parameter limits.
    for chunk in new_rows.chunks(500) {
        municipality::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    if report.inserted + report.updated > 0 {
        crate::services::search_index::record_whole(
            &txn,
            &[
                crate::services::cases::KIND,
                crate::services::advisors::search::KIND,
            ],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(report)
}

/// Inserts `wanted` when there is no `current` row, updates it when it differs.
async fn upsert<A>(
    db: &impl ConnectionTrait,
    current: Option<&<A::Entity as EntityTrait>::Model>,
    wanted: <A::Entity as EntityTrait>::Model,
) -> Result<ImportReport, DbErr>
where
    A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + PartialEq,
{
    match current {
        None => {
            wanted.into_active_model().insert(db).await?;
            Ok(ImportReport {
                inserted: 1,
                ..ImportReport::default()
            })
        }
        Some(current) if *current == wanted => Ok(ImportReport {
            unchanged: 1,
            ..ImportReport::default()
        }),
        Some(_) => {
            wanted.into_active_model().reset_all().update(db).await?;
            Ok(ImportReport {
                updated: 1,
                ..ImportReport::default()
            })
        }
    }
}

/// Prefecture codes keyed by name (奈良県 → 290009).
pub async fn prefecture_codes_by_name(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, String>, DbErr> {
    Ok(prefecture::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.name, p.code))
        .collect())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "code,prefecture,city,prefecture_kana,city_kana\n";

    fn csv(body: &str) -> Result<MunicipalityDataset, ImportError> {
        parse_municipality_csv("test.csv", format!("{HEADER}{body}").as_bytes())
    }

    #[test]
    fn the_shipped_municipality_file_has_47_prefectures_and_1741_municipalities() {
        let data = include_bytes!("../../../reference/municipalities_jisx0402.csv");
        let dataset = parse_municipality_csv("municipalities_jisx0402.csv", data).unwrap();
        assert_eq!(dataset.prefectures.len(), 47);
        assert_eq!(dataset.municipalities.len(), 1741);
        let kochi = dataset
            .prefectures
            .iter()
            .find(|p| p.name == "高知県")
            .unwrap();
        let in_kochi = dataset
            .municipalities
            .iter()
            .filter(|m| m.prefecture_code == kochi.code)
            .count();
        assert_eq!(in_kochi, 34);
        let wards = dataset
            .municipalities
            .iter()
            .filter(|m| m.kind == MunicipalityKind::SpecialWard)
            .count();
        assert_eq!(wards, 23);
        let miyake = dataset
            .municipalities
            .iter()
            .find(|m| m.code.as_str() == "293628")
            .unwrap();
        assert_eq!(
            (miyake.name.as_str(), miyake.kana.as_str()),
            ("三宅町", "ミヤケチョウ")
        );
    }

    #[test]
    fn half_width_kana_is_stored_full_width() {
        let dataset = csv("290009,奈良県,,ﾅﾗｹﾝ,\n292010,奈良県,奈良市,ﾅﾗｹﾝ,ﾅﾗｼ\n").unwrap();
        assert_eq!(dataset.prefectures[0].kana, "ナラケン");
        assert_eq!(dataset.municipalities[0].kana, "ナラシ");
    }

    #[test]
    fn a_bad_check_digit_is_reported_with_its_line_number() {
        let err = csv("290009,奈良県,,ﾅﾗｹﾝ,\n292011,奈良県,奈良市,ﾅﾗｹﾝ,ﾅﾗｼ\n").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("3 行目"), "{message}");
        assert!(message.contains("292011"), "{message}");
    }

    #[test]
    fn a_municipality_whose_prefecture_line_is_missing_is_rejected() {
        let err = csv("292010,奈良県,奈良市,ﾅﾗｹﾝ,ﾅﾗｼ\n").unwrap_err();
        assert!(
            err.to_string().contains("の行がファイルにありません"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_header_is_rejected_on_line_one() {
        let err = parse_municipality_csv("x.csv", b"code,name\n290009,a\n").unwrap_err();
        assert!(err.to_string().contains("1 行目"), "{err}");
    }

    #[test]
    fn the_shipped_case_file_has_39_cases_with_unique_slugs() {
        let data = include_bytes!("../../../reference/cases.json");
        let records = parse_cases_json("cases.json", data).unwrap();
        assert_eq!(records.len(), 39);
        let niigata = records
            .iter()
            .find(|r| r.slug.as_str() == "niigata-pref-joint-training")
            .unwrap();
        assert_eq!(niigata.prefecture.as_deref(), Some("新潟県"));
        assert_eq!(niigata.contact_tel.as_deref(), Some("025-280-5337"));
    }

    #[test]
    fn a_broken_case_is_named_by_position_and_slug() {
        let data = br#"[{"slug":"ok-case","organisation":"A","prefecture":"Z","org_kind":"city","staff_count":1,"section":"s","subsection":null,"title":"t","summary":"s","points":[],"effects":[],"contact":null,"source_file":"f","source_title":"t","page":1,"page_note":null},
        {"slug":"bad-case","organisation":"B","prefecture":"Z","org_kind":"castle","staff_count":1,"section":"s","subsection":null,"title":"t","summary":"s","points":[],"effects":[],"contact":null,"source_file":"f","source_title":"t","page":1,"page_note":null}]"#;
        let err = parse_cases_json("cases.json", data)
            .unwrap_err()
            .to_string();
        assert!(err.contains("2 件目"), "{err}");
        assert!(err.contains("bad-case"), "{err}");
        assert!(err.contains("castle"), "{err}");
    }

    #[test]
    fn malformed_json_is_reported_with_its_line() {
        let err = parse_cases_json("cases.json", b"[\n{\"slug\": }\n]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("2 行目"), "{err}");
    }
}
