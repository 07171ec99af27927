//! The outbox: an event becomes one delivery per subscribed webhook, written in
//! the transaction that makes the event (so an event is told if and only if it
//! happened); the server's worker claims due deliveries, sends them, and
//! records each attempt (delivered, retried later, or dead).

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::webhook::{Event, Format, backoff_ms};
use crate::entities::{webhook, webhook_delivery};
use crate::error::AppError;

/// Waiting for its (next) attempt.
pub const PENDING: &str = "pending";
/// The receiver took it (2xx).
pub const DELIVERED: &str = "delivered";
/// Every attempt failed; kept for a resend.
pub const DEAD: &str = "dead";

/// How long a claimed delivery is left to the worker that claimed it before
/// another may take it (a worker that died mid-send).
const LEASE_SECS: i64 = 120;

/// Writes `event` for every webhook of its prefecture that asked for it. Call it
/// with the transaction that makes the event.
pub async fn enqueue(db: &impl ConnectionTrait, event: &Event) -> Result<usize, AppError> {
    let hooks: Vec<webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::PrefectureCode.eq(event.prefecture.as_str()))
        .all(db)
        .await?
        .into_iter()
        .filter(|h| h.events.split(',').any(|e| e == event.kind.key()))
        .collect();
    if hooks.is_empty() {
        return Ok(0);
    }
    let body = serde_json::to_string(event)?;
    let now = Utc::now().fixed_offset();
    let count = hooks.len();
    webhook_delivery::Entity::insert_many(hooks.into_iter().map(|h| {
        webhook_delivery::ActiveModel {
            webhook_id: Set(h.id),
            event: Set(event.kind.key().to_owned()),
            body: Set(body.clone()),
            state: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_status: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            delivered_at: Set(None),
            ..Default::default()
        }
    }))
    .exec(db)
    .await?;
    Ok(count)
}

/// A delivery the worker claimed, with where and how to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The delivery.
    pub id: i32,
    /// Attempts made before this one.
    pub attempts: i32,
    /// Where.
    pub url: String,
    /// How.
    pub format: Format,
    /// The signing secret.
    pub secret: Option<String>,
    /// What happened.
    pub event: Event,
    /// When (the body's `occurred_at`).
    pub created_at: DateTime<FixedOffset>,
}

/// Claims up to `limit` due deliveries: each is leased to this worker by moving
/// its next attempt on, only if nobody moved it first.
pub async fn claim_due(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<Claimed>, AppError> {
    let now = Utc::now().fixed_offset();
    let due = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::State.eq(PENDING))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?;
    let lease = now + chrono::Duration::seconds(LEASE_SECS);
    let hooks: std::collections::HashMap<i32, webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(due.iter().map(|d| d.webhook_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let mut claimed = Vec::new();
    for d in due {
        let taken = webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(lease))
            .filter(webhook_delivery::Column::Id.eq(d.id))
            .filter(webhook_delivery::Column::State.eq(PENDING))
            .filter(webhook_delivery::Column::NextAttemptAt.eq(d.next_attempt_at))
            .exec(db)
            .await?;
        if taken.rows_affected == 0 {
            continue;
        }
        let Some(hook) = hooks.get(&d.webhook_id).cloned() else {
            continue;
        };
        let Ok(event) = serde_json::from_str::<Event>(&d.body) else {
            record_failure(
                db,
                d.id,
                d.attempts + 1,
                None,
                "保存された内容を読めません。",
                0,
                0,
            )
            .await?;
            continue;
        };
        claimed.push(Claimed {
            id: d.id,
            attempts: d.attempts,
            url: hook.url,
            format: Format::from_key(&hook.format),
            secret: hook.secret,
            event,
            created_at: d.created_at,
        });
    }
    Ok(claimed)
}

/// The receiver took it.
pub async fn record_success(
    db: &impl ConnectionTrait,
    id: i32,
    attempts: i32,
    status: u16,
) -> Result<(), AppError> {
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::State, Expr::value(DELIVERED))
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(
            webhook_delivery::Column::LastStatus,
            Expr::value(i32::from(status)),
        )
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_delivery::Column::DeliveredAt,
            Expr::value(Utc::now().fixed_offset()),
        )
        .filter(webhook_delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Attempt number `attempts` failed: tried again after the backoff, or dead
/// once `max_attempts` were made.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    id: i32,
    attempts: i32,
    status: Option<u16>,
    error: &str,
    max_attempts: u32,
    base_ms: u64,
) -> Result<(), AppError> {
    let made = u32::try_from(attempts).unwrap_or(0);
    let dead = made >= max_attempts;
    let wait = i64::try_from(backoff_ms(base_ms, made)).unwrap_or(i64::MAX);
    let next = Utc::now().fixed_offset() + chrono::Duration::milliseconds(wait);
    let error: String = error.chars().take(300).collect();
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::State,
            Expr::value(if dead { DEAD } else { PENDING }),
        )
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(
            webhook_delivery::Column::LastStatus,
            Expr::value(status.map(i32::from)),
        )
        .col_expr(webhook_delivery::Column::LastError, Expr::value(error))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(next))
        .filter(webhook_delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Makes a delivery due now, from its first attempt.
pub async fn requeue(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::State, Expr::value(PENDING))
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(0))
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Utc::now().fixed_offset()),
        )
        .col_expr(
            webhook_delivery::Column::DeliveredAt,
            Expr::value(Option::<DateTime<FixedOffset>>::None),
        )
        .filter(webhook_delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
