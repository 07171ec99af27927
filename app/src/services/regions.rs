//! Regions (地域) of a prefecture and which municipalities they hold.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};

use crate::entities::{municipality, region};
use crate::services::csv_file::{line_error, read_csv};
use crate::services::reference_data::{ImportError, ImportReport, prefecture_codes_by_name};

/// Header the region CSV must start with.
pub const REGION_CSV_HEADER: [&str; 4] =
    ["prefecture", "region", "municipality_code", "municipality"];

/// One line of a region file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RegionLine {
    line: u64,
    prefecture: String,
    region: String,
    code: String,
    name: String,
}

/// Assigns municipalities to regions from a CSV
/// (`prefecture,region,municipality_code,municipality`), creating regions in order
/// of first appearance. Checked completely before anything is written; written in
/// one transaction. Regions and assignments not in the file are left alone.
// Long: the regions file read, checked and stored in one transaction.
pub async fn import_regions(
    db: &DatabaseConnection,
    file: &str,
    data: &[u8],
) -> Result<ImportReport, ImportError> {
    let lines = parse(file, data)?;
    let error_at = |line: u64, message: String| line_error(file, line, message);

    let txn = db.begin().await?;
    let prefectures = prefecture_codes_by_name(&txn).await?;
    let municipalities: HashMap<String, municipality::Model> = municipality::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();

    let mut report = ImportReport::default();
    let mut region_ids: HashMap<(String, String), i32> = HashMap::new();
    let mut order: HashMap<String, i32> = HashMap::new();
    for line in &lines {
        let pref_code = prefectures.get(&line.prefecture).ok_or_else(|| {
            error_at(
                line.line,
                format!("都道府県「{}」が登録されていません", line.prefecture),
            )
        })?;
        let town = municipalities
            .get(&line.code)
            .filter(|m| &m.prefecture_code == pref_code && m.name == line.name)
            .ok_or_else(|| {
                error_at(
                    line.line,
                    format!(
                        "{}に団体コード「{}」の「{}」はありません",
                        line.prefecture, line.code, line.name
                    ),
                )
            })?;
        let key = (pref_code.clone(), line.region.clone());
        let region_id = match region_ids.get(&key) {
            Some(id) => *id,
            None => {
                let sort_order = order.entry(pref_code.clone()).or_insert(0);
                *sort_order += 1;
                let existing = region::Entity::find()
                    .filter(region::Column::PrefectureCode.eq(pref_code.clone()))
                    .filter(region::Column::Name.eq(line.region.clone()))
                    .one(&txn)
                    .await?;
                let id = match existing {
                    Some(r) => r.id,
                    None => {
                        region::ActiveModel {
                            prefecture_code: Set(pref_code.clone()),
                            name: Set(line.region.clone()),
                            sort_order: Set(*sort_order),
                            ..Default::default()
                        }
                        .insert(&txn)
                        .await?
                        .id
                    }
                };
                region_ids.insert(key, id);
                id
            }
        };
        if town.region_id == Some(region_id) {
            report.unchanged += 1;
        } else {
            let mut active: municipality::ActiveModel = town.clone().into();
            active.region_id = Set(Some(region_id));
            active.update(&txn).await?;
            report.updated += 1;
        }
    }
    crate::services::search_index::record_whole(&txn, &[crate::services::advisors::search::KIND])
        .await?;
    txn.commit().await?;
    Ok(report)
}

fn parse(file: &str, data: &[u8]) -> Result<Vec<RegionLine>, ImportError> {
    read_csv(file, data, &REGION_CSV_HEADER)?
        .into_iter()
        .map(|row| {
            let parsed = RegionLine {
                line: row.line,
                prefecture: row.field(0).to_owned(),
                region: row.field(1).to_owned(),
                code: row.field(2).to_owned(),
                name: row.field(3).to_owned(),
            };
            if parsed.region.is_empty() || parsed.region.chars().count() > 64 {
                return Err(line_error(
                    file,
                    row.line,
                    "地域名は1〜64文字で指定してください",
                ));
            }
            Ok(parsed)
        })
        .collect()
}
