//! Whether the database takes writes, for `/healthz`.

use std::sync::atomic::{AtomicI64, Ordering};

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, TransactionTrait};

use crate::entities::health_probe;

/// When the last probe write succeeded (milliseconds since the epoch).
static LAST_SUCCESS_MS: AtomicI64 = AtomicI64::new(0);

/// A success this recent stands: anyone may call `/healthz`, and a flood of
/// calls must not become a flood of writes.
const FRESH_MS: i64 = 1_000;

/// Rewrites the probe row in a committed transaction: a full disk, a read-only
/// file or a lost connection fails here, where a ping would still answer. At
/// most one write a second; a failure is always tried again.
pub async fn probe_write(db: &DatabaseConnection) -> Result<(), DbErr> {
    let now = chrono::Utc::now().timestamp_millis();
    if now - LAST_SUCCESS_MS.load(Ordering::Relaxed) < FRESH_MS {
        return Ok(());
    }
    let txn = db.begin().await?;
    health_probe::Entity::insert(health_probe::ActiveModel {
        id: Set(1),
        checked_at: Set(chrono::Utc::now().fixed_offset()),
    })
    .on_conflict(
        OnConflict::column(health_probe::Column::Id)
            .update_column(health_probe::Column::CheckedAt)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    LAST_SUCCESS_MS.store(now, Ordering::Relaxed);
    Ok(())
}
