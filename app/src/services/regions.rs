//! Regions (地域) of a prefecture and which municipalities they hold.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};

use crate::entities::{municipality, prefecture, region};
use crate::services::reference_data::{ImportError, ImportReport};

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
pub async fn import_regions(
    db: &DatabaseConnection,
    file: &str,
    data: &[u8],
) -> Result<ImportReport, ImportError> {
    let lines = parse(file, data)?;
    let line_error = |line: u64, message: String| ImportError::Line {
        file: file.to_owned(),
        line,
        message,
    };

    let txn = db.begin().await?;
    let prefectures: HashMap<String, String> = prefecture::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.name, p.code))
        .collect();
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
            line_error(
                line.line,
                format!("都道府県「{}」が登録されていません", line.prefecture),
            )
        })?;
        let town = municipalities
            .get(&line.code)
            .filter(|m| &m.prefecture_code == pref_code && m.name == line.name)
            .ok_or_else(|| {
                line_error(
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
    txn.commit().await?;
    Ok(report)
}

fn parse(file: &str, data: &[u8]) -> Result<Vec<RegionLine>, ImportError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let line_error = |line: u64, message: String| ImportError::Line {
        file: file.to_owned(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| line_error(1, format!("見出し行を読めません: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if header != REGION_CSV_HEADER {
        return Err(line_error(
            1,
            format!(
                "見出し行は「{}」である必要があります",
                REGION_CSV_HEADER.join(",")
            ),
        ));
    }
    let mut lines = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            line_error(
                e.position().map_or(0, |p| p.line()),
                format!("CSV として読めません: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != 4 {
            return Err(line_error(
                line,
                format!("列の数が4ではなく{}です", record.len()),
            ));
        }
        let field = |i: usize| record.get(i).unwrap_or_default().trim().to_owned();
        let parsed = RegionLine {
            line,
            prefecture: field(0),
            region: field(1),
            code: field(2),
            name: field(3),
        };
        if parsed.region.is_empty() || parsed.region.chars().count() > 64 {
            return Err(line_error(
                line,
                "地域名は1〜64文字で指定してください".into(),
            ));
        }
        lines.push(parsed);
    }
    Ok(lines)
}
