//! Whether the database takes writes, for `/healthz`.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, TransactionTrait};

use crate::entities::health_probe;

/// Rewrites the probe row in a committed transaction: a full disk, a read-only
/// file or a lost connection fails here, where a ping would still answer.
pub async fn probe_write(db: &DatabaseConnection) -> Result<(), DbErr> {
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
    txn.commit().await
}
