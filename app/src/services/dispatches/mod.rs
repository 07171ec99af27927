//! 派遣: programmes with their quotas, the towns' requests through their life
//! cycle, and the views of them.
//!
//! An approval counts against a quota (town × programme × 年度) and books an
//! advisor. Both are serialised by lock rows (`dispatch_lock`) that the approval
//! writes before it counts: on PostgreSQL the upsert locks the row until commit,
//! on SQLite the first write takes the database's write lock. The usage is read
//! after the lock, so two approvals never both see the last free dispatch.
//!
//! `programmes` defines the schemes, `requests` files requests and takes the
//! steps, `views` builds lists, pages, quotas and the export.

mod calendar;
mod pages;
mod programmes;
mod requests;
mod views;

pub use calendar::*;
pub use pages::*;
pub use programmes::*;
pub use requests::*;
pub use views::*;

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, ExprTrait};

use crate::auth::RequestAuth;
use crate::domain::dispatch::quota::{Counted, Hours, QuotaRule};
use crate::domain::dispatch::{DispatchMode, DispatchStatus};
use crate::domain::ids::{AccountId, DispatchId};
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::Resource;
use crate::domain::training::input::jst;
use crate::entities::{advisor, dispatch, dispatch_lock};
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&jst())
}

fn status_of(row: &dispatch::Model) -> DispatchStatus {
    DispatchStatus::parse(&row.status).unwrap_or(DispatchStatus::Submitted)
}

fn mode_of(row: &dispatch::Model) -> DispatchMode {
    DispatchMode::parse(&row.mode).unwrap_or(DispatchMode::Onsite)
}

/// Minutes as stored (never negative).
fn stored_hours(minutes: i32) -> Hours {
    Hours(u32::try_from(minutes).unwrap_or(0))
}

fn to_column(hours: Hours) -> i32 {
    i32::try_from(hours.0).unwrap_or(i32::MAX)
}

/// The hours a dispatch counts for: reported, else scheduled, else wanted.
fn counted_hours(row: &dispatch::Model) -> Hours {
    if let Some(reported) = row.report_hours {
        return stored_hours(reported);
    }
    match (row.starts_at, row.ends_at) {
        (Some(start), Some(end)) => Hours(u32::try_from((end - start).num_minutes()).unwrap_or(0)),
        _ => stored_hours(row.hours_wanted),
    }
}

/// A dispatch as its quota counts it.
fn counted(row: &dispatch::Model) -> Counted {
    Counted {
        mode: mode_of(row),
        hours: counted_hours(row),
    }
}

/// Stored rules (an unreadable list reads as none; it is only ever written by
/// this module from checked values).
fn rules_of(json: &str) -> Vec<QuotaRule> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The policy resource of a request, with the account of its advisor.
fn resource(row: &dispatch::Model, advisor: Option<&advisor::Model>) -> Resource {
    Resource::Dispatch {
        prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
        municipality: LocalGovCode::from_stored(row.municipality_code.clone()),
        advisor: advisor.and_then(|a| a.account_id).map(AccountId),
    }
}

/// The request and its advisor, or 404.
async fn load(
    db: &impl ConnectionTrait,
    id: DispatchId,
) -> Result<(dispatch::Model, Option<advisor::Model>), AppError> {
    let row = dispatch::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let advisor = match row.advisor_id {
        Some(advisor_id) => advisor::Entity::find_by_id(advisor_id).one(db).await?,
        None => None,
    };
    Ok((row, advisor))
}

fn not_found() -> AppError {
    AppError::not_found("派遣依頼が見つかりません。")
}

/// Takes the lock row `key` for the rest of the transaction.
async fn take_lock(txn: &impl ConnectionTrait, key: String) -> Result<(), AppError> {
    dispatch_lock::Entity::insert(dispatch_lock::ActiveModel {
        key: Set(key),
        version: Set(1),
    })
    .on_conflict(
        OnConflict::column(dispatch_lock::Column::Key)
            .value(
                dispatch_lock::Column::Version,
                Expr::col((dispatch_lock::Entity, dispatch_lock::Column::Version)).add(1),
            )
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Appends an event about a request to its prefecture's audit log.
async fn audit_event(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    row: &dispatch::Model,
    action: crate::domain::audit::AuditAction,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        db,
        &auth.audit(),
        AuditEvent {
            action,
            target: Some(("dispatch", row.id.to_string())),
            prefecture: Some(row.prefecture_code.clone()),
            detail,
        },
        None,
    )
    .await?;
    Ok(())
}
