//! A region's default counterpart (the towns of the region with no assignment of
//! their own fall back to it), and the 県管理者's 人事異動 page.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::api::advisors::Choice;
use crate::api::counterparts::{
    CounterpartPerson, ReassignPage, RegionDefault, RegionDefaultInput,
};
use crate::auth::RequestAuth;
use crate::domain::audit::AuditAction;
use crate::domain::policy::{Action, Resource};
use crate::entities::{account, counterpart, municipality, region};
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

/// Names `input.primary` the default of a region from `input.from` on (or ends
/// the default), keeping the history as a town's assignments do.
pub async fn set_region_default_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    input: &RegionDefaultInput,
) -> Result<RegionDefault, AppError> {
    auth.signed_in()?;
    let row = region::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("地域が見つかりません。"))?;
    let prefecture =
        crate::domain::local_gov::LocalGovCode::from_stored(row.prefecture_code.clone());
    auth.authorize(
        Action::AssignCounterparts,
        &Resource::Prefecture {
            code: prefecture.clone(),
        },
    )?;
    let from = super::parse_day("from", &input.from)?;
    let staff = super::staff_by_email(db, prefecture.as_str()).await?;
    let person = match input
        .primary
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(email) => Some(staff.get(&email.to_lowercase()).cloned().ok_or_else(|| {
            AppError::invalid(
                "primary",
                "この県の県職員のメールアドレスを指定してください。",
            )
        })?),
    };
    let txn = db.begin().await?;
    let existing = counterpart::Entity::find()
        .filter(counterpart::Column::RegionId.eq(id))
        .filter(counterpart::Column::MunicipalityCode.is_null())
        .all(&txn)
        .await?;
    super::end_spans(&txn, existing, from).await?;
    if let Some(person) = &person {
        counterpart::ActiveModel {
            prefecture_code: Set(row.prefecture_code.clone()),
            municipality_code: Set(None),
            region_id: Set(Some(id)),
            account_id: Set(person.id),
            is_primary: Set(true),
            starts_on: Set(from),
            ends_on: Set(None),
            created_at: Set(chrono::Utc::now().fixed_offset()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        &auth.audit(),
        AuditEvent {
            action: AuditAction::CounterpartsChanged,
            target: None,
            prefecture: Some(row.prefecture_code.clone()),
            detail: json!({ "region": row.name, "effective": from.to_string() }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    let today = crate::services::today();
    Ok(region_defaults(db, prefecture.as_str(), today)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or(RegionDefault {
            id,
            name: row.name,
            towns: 0,
            primary: None,
        }))
}

/// The prefecture's regions with their default primary on `day`.
async fn region_defaults(
    db: &impl ConnectionTrait,
    prefecture: &str,
    day: chrono::NaiveDate,
) -> Result<Vec<RegionDefault>, AppError> {
    let regions = region::Entity::find()
        .filter(region::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(region::Column::SortOrder)
        .all(db)
        .await?;
    let towns = municipality::Entity::find()
        .filter(municipality::Column::PrefectureCode.eq(prefecture))
        .all(db)
        .await?;
    let spans = counterpart::Entity::find()
        .filter(counterpart::Column::PrefectureCode.eq(prefecture))
        .filter(counterpart::Column::MunicipalityCode.is_null())
        .filter(counterpart::Column::IsPrimary.eq(true))
        .all(db)
        .await?;
    let people: std::collections::HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(spans.iter().map(|s| s.account_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(regions
        .into_iter()
        .map(|r| {
            let primary = spans
                .iter()
                .filter(|s| s.region_id == Some(r.id) && super::span(s).covers(day))
                .max_by_key(|s| s.starts_on)
                .and_then(|s| {
                    people.get(&s.account_id).map(|a| CounterpartPerson {
                        account: a.id,
                        name: a.display_name.clone(),
                        email: a.email.clone(),
                        from: s.starts_on,
                        to: s.ends_on,
                    })
                });
            RegionDefault {
                id: r.id,
                towns: u32::try_from(towns.iter().filter(|t| t.region_id == Some(r.id)).count())
                    .unwrap_or(u32::MAX),
                name: r.name,
                primary,
            }
        })
        .collect())
}

/// The 人事異動 page: the preview of `csv` (when given) effective on `effective`
/// (the next April 1 when blank), the region defaults and the 県 staff.
pub async fn reassign_page_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    effective: &str,
    csv: &str,
) -> Result<ReassignPage, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(
        Action::AssignCounterparts,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    let today = crate::services::today();
    let effective = if effective.trim().is_empty() {
        crate::domain::wareki::FiscalYear(crate::domain::wareki::FiscalYear::of(today).0 + 1)
            .first_day()
            .map(|d| d.to_string())
            .unwrap_or_default()
    } else {
        effective.trim().to_owned()
    };
    let preview = if csv.trim().is_empty() {
        None
    } else {
        // A day that cannot be read is reported by the form's flash; the page
        // then shows the CSV again without a preview.
        match super::reassign_csv_for(db, auth, &effective, csv.as_bytes(), true).await {
            Ok(preview) => Some(preview),
            Err(AppError::InvalidInput { .. }) => None,
            Err(error) => return Err(error),
        }
    };
    let mut staff: Vec<Choice> = super::staff_by_email(db, actor.prefecture.as_str())
        .await?
        .into_values()
        .map(|a| Choice {
            value: a.email,
            label: a.display_name,
        })
        .collect();
    staff.sort_by(|a, b| a.value.cmp(&b.value));
    Ok(ReassignPage {
        effective,
        csv: csv.to_owned(),
        preview,
        regions: region_defaults(db, actor.prefecture.as_str(), today).await?,
        staff,
    })
}
