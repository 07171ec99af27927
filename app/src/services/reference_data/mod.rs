//! Importing reference data: the JIS X 0402 municipality list (CSV) and the case
//! library (JSON).
//!
//! Each import is two steps. Parsing checks the whole file and fails on the first
//! bad line or record, naming it; nothing has touched the database yet. Writing
//! then upserts every row inside one transaction, so a failure leaves the database
//! exactly as it was, and running the same file twice changes nothing.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    TransactionTrait,
};

use crate::domain::local_gov::{LocalGovCode, MunicipalityKind};
use crate::domain::text::nfkc;
use crate::entities::{municipality, prefecture};
use crate::services::csv_file::{line_error, read_csv};

mod cases;
pub use cases::{CaseRecord, import_cases, parse_cases_json};

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
// Long: one column of the official table after another, each with its own message.
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
        let code = wanted.code.clone();
        report.add(
            upsert::<prefecture::ActiveModel>(&txn, existing.get(&wanted.code), wanted).await?,
        );
        // Every prefecture dispatches under the two national programmes.
        crate::services::dispatches::ensure_national_programmes(&txn, &code).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "code,prefecture,city,prefecture_kana,city_kana\n";

    fn csv(body: &str) -> Result<MunicipalityDataset, ImportError> {
        parse_municipality_csv("test.csv", format!("{HEADER}{body}").as_bytes())
    }

    #[test]
    fn the_shipped_municipality_file_has_47_prefectures_and_1741_municipalities() {
        let data = include_bytes!("../../../../reference/municipalities_jisx0402.csv");
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
        let data = include_bytes!("../../../../reference/cases.json");
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
