//! Flash messages kept on the server: a form post stores the outcome and what was
//! typed (however long) under a random token, the browser holds only the token in
//! a short-lived cookie, and the next page takes the message once.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::api::flash::Flash;
use crate::entities::form_flash;
use crate::services::passwords::{random_token, token_hash};

/// A flash not taken within this many minutes is deleted.
const LIFETIME_MINUTES: i64 = 10;

/// Stores `flash` and returns the token for the cookie.
pub async fn store(db: &impl ConnectionTrait, flash: &Flash) -> anyhow::Result<String> {
    let token = random_token()?;
    let now = Utc::now().fixed_offset();
    form_flash::Entity::delete_many()
        .filter(form_flash::Column::CreatedAt.lt(now - chrono::Duration::minutes(LIFETIME_MINUTES)))
        .exec(db)
        .await?;
    form_flash::Entity::insert(form_flash::ActiveModel {
        token_hash: Set(token_hash(&token)),
        payload: Set(serde_json::to_string(flash)?),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// The flash stored under `token`, removed so it shows once.
pub async fn take(db: &impl ConnectionTrait, token: &str) -> Result<Option<Flash>, DbErr> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = token_hash(token);
    // Read, then delete: two pages opened at the same instant may both show it,
    // which is better than a write transaction on every page view.
    let row = form_flash::Entity::find_by_id(hash.clone()).one(db).await?;
    if row.is_some() {
        form_flash::Entity::delete_by_id(hash).exec(db).await?;
    }
    let fresh = Utc::now().fixed_offset() - chrono::Duration::minutes(LIFETIME_MINUTES);
    Ok(row
        .filter(|r| r.created_at >= fresh)
        .and_then(|r| serde_json::from_str(&r.payload).ok()))
}

/// The flash stored under `token`, left in place (tests look at what a post stored).
pub async fn peek(db: &impl ConnectionTrait, token: &str) -> Result<Option<Flash>, DbErr> {
    Ok(form_flash::Entity::find_by_id(token_hash(token))
        .one(db)
        .await?
        .and_then(|r| serde_json::from_str(&r.payload).ok()))
}
