//! Reading prefectures and municipalities.

use crate::domain::local_gov::LocalGovCode;
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::api::municipalities::{MunicipalityItem, PrefectureItem};
use crate::domain::case_query::shorten;
use crate::domain::local_gov::MunicipalityKind;
use crate::entities::{municipality, prefecture, region};
use crate::error::AppError;

/// Failures of the municipality services.
#[derive(Debug, thiserror::Error)]
pub enum MunicipalityError {
    /// The prefecture named in the request does not exist.
    #[error(
        "都道府県「{0}」は見つかりません。「奈良県」のような名称か6桁の団体コードで指定してください。"
    )]
    UnknownPrefecture(String),
    /// A stored kind is not one of 市/町/村/特別区 (the data was edited by hand).
    #[error("団体「{0}」の区分「{1}」が不正です")]
    BadKind(String, String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<MunicipalityError> for AppError {
    fn from(error: MunicipalityError) -> Self {
        match error {
            MunicipalityError::UnknownPrefecture(_) => {
                AppError::invalid("prefecture", error.to_string())
            }
            MunicipalityError::BadKind(..) => AppError::internal(error),
            MunicipalityError::Db(e) => AppError::internal(e),
        }
    }
}

/// Finds a prefecture by its name (奈良県) or six-digit code.
pub async fn find_prefecture(
    db: &impl ConnectionTrait,
    name_or_code: &str,
) -> Result<prefecture::Model, MunicipalityError> {
    let wanted = name_or_code.trim();
    prefecture::Entity::find()
        .filter(
            prefecture::Column::Name
                .eq(wanted)
                .or(prefecture::Column::Code.eq(wanted)),
        )
        .one(db)
        .await?
        .ok_or_else(|| MunicipalityError::UnknownPrefecture(shorten(wanted)))
}

/// Lists municipalities in code order, of one prefecture or of all.
pub async fn list(
    db: &impl ConnectionTrait,
    prefecture: Option<&str>,
) -> Result<Vec<MunicipalityItem>, MunicipalityError> {
    let mut query = municipality::Entity::find().order_by_asc(municipality::Column::Code);
    let prefectures: Vec<prefecture::Model> = match prefecture.filter(|p| !p.trim().is_empty()) {
        Some(wanted) => {
            let found = find_prefecture(db, wanted).await?;
            query = query.filter(municipality::Column::PrefectureCode.eq(found.code.clone()));
            vec![found]
        }
        None => prefecture::Entity::find().all(db).await?,
    };
    let pref_names: HashMap<String, String> =
        prefectures.into_iter().map(|p| (p.code, p.name)).collect();
    let regions: HashMap<i32, String> = region::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();

    query
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let kind = MunicipalityKind::from_label(&m.kind)
                .ok_or_else(|| MunicipalityError::BadKind(m.name.clone(), m.kind.clone()))?;
            Ok(MunicipalityItem {
                prefecture: pref_names
                    .get(&m.prefecture_code)
                    .cloned()
                    .unwrap_or_default(),
                region: m.region_id.and_then(|id| regions.get(&id).cloned()),
                code: LocalGovCode::from_stored(m.code),
                name: m.name,
                kana: m.kana,
                kind,
            })
        })
        .collect()
}

/// Lists all prefectures in code order with their number of municipalities.
pub async fn prefectures(
    db: &impl ConnectionTrait,
) -> Result<Vec<PrefectureItem>, MunicipalityError> {
    let counts: HashMap<String, i64> = municipality::Entity::find()
        .select_only()
        .column(municipality::Column::PrefectureCode)
        .column_as(municipality::Column::Code.count(), "count")
        .group_by(municipality::Column::PrefectureCode)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(prefecture::Entity::find()
        .order_by_asc(prefecture::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PrefectureItem {
            municipalities: counts
                .get(&p.code)
                .and_then(|n| u64::try_from(*n).ok())
                .unwrap_or_default(),
            code: LocalGovCode::from_stored(p.code),
            name: p.name,
            kana: p.kana,
        })
        .collect())
}

/// A town with the policy resource its private data is checked against, or 404.
pub async fn find_town(
    db: &impl sea_orm::ConnectionTrait,
    code: &crate::domain::local_gov::LocalGovCode,
) -> Result<(municipality::Model, crate::domain::policy::Resource), crate::error::AppError> {
    use sea_orm::EntityTrait;
    let town = municipality::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .ok_or_else(|| crate::error::AppError::not_found("市町村が見つかりません。"))?;
    let resource = crate::domain::policy::Resource::Municipality {
        prefecture: crate::domain::local_gov::LocalGovCode::from_stored(
            town.prefecture_code.clone(),
        ),
        code: code.clone(),
    };
    Ok((town, resource))
}

/// The towns of a prefecture in 団体コード order: `(code, name)`.
pub async fn towns_of(
    db: &impl ConnectionTrait,
    prefecture: &str,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(municipality::Entity::find()
        .filter(municipality::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect())
}

/// The names of these towns by 団体コード.
pub async fn names_of(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, String>, AppError> {
    Ok(municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(codes.into_iter().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect())
}

/// The 団体コード a notice or a 照会 of `prefecture` goes to: all its towns, or
/// the ones chosen, each of which must be one of them (400 naming the first
/// that is not).
pub async fn recipients_in(
    db: &impl ConnectionTrait,
    prefecture: &str,
    recipients: crate::domain::notice::Recipients,
) -> Result<Vec<String>, AppError> {
    let towns: Vec<String> = towns_of(db, prefecture)
        .await?
        .into_iter()
        .map(|t| t.0)
        .collect();
    match recipients {
        crate::domain::notice::Recipients::All => Ok(towns),
        crate::domain::notice::Recipients::Towns(codes) => {
            if let Some(stranger) = codes.iter().find(|c| !towns.contains(c)) {
                return Err(AppError::invalid(
                    "municipalities",
                    format!("団体コード「{stranger}」はこの県の市町村ではありません。"),
                ));
            }
            Ok(codes)
        }
    }
}
