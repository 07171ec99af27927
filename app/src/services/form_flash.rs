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

/// The longest typed value kept, in characters (the longest form field takes
/// 5,000; anything longer was not typed into one of ours).
const MAX_VALUE_CHARS: usize = 20_000;
/// The most a stored flash may weigh: a post from anyone, signed in or not, must
/// not be able to park megabytes in the database.
const MAX_PAYLOAD_BYTES: usize = 256 * 1024;
/// Typed values and list entries kept.
const MAX_ENTRIES: usize = 2_000;

/// `flash` cut to what a real form can hold: values shortened, entries counted,
/// and the typed values dropped (the message kept) when it is still too big.
fn bounded(flash: &Flash) -> Flash {
    let cut = |v: &String| v.chars().take(MAX_VALUE_CHARS).collect::<String>();
    let mut bounded = Flash {
        success: flash.success,
        message: cut(&flash.message),
        field: flash.field.as_ref().map(|f| f.chars().take(200).collect()),
        errors: flash
            .errors
            .iter()
            .take(100)
            .map(|(f, m)| (f.chars().take(200).collect(), cut(m)))
            .collect(),
        values: flash
            .values
            .iter()
            .take(MAX_ENTRIES)
            .map(|(k, v)| (k.chars().take(200).collect(), cut(v)))
            .collect(),
        lists: flash
            .lists
            .iter()
            .take(MAX_ENTRIES)
            .map(|(k, v)| {
                (
                    k.chars().take(200).collect(),
                    v.iter().take(MAX_ENTRIES).map(cut).collect(),
                )
            })
            .collect(),
    };
    if serde_json::to_string(&bounded).map_or(true, |s| s.len() > MAX_PAYLOAD_BYTES) {
        bounded.values.clear();
        bounded.lists.clear();
    }
    bounded
}

/// Stores `flash` (within the size bounds) and returns the token for the cookie.
pub async fn store(db: &impl ConnectionTrait, flash: &Flash) -> anyhow::Result<String> {
    let flash = &bounded(flash);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_from_a_huge_post_is_cut_to_a_bounded_size() {
        let mut flash = Flash::default();
        for n in 0..5_000 {
            flash.values.insert(format!("field{n}"), "あ".repeat(100));
        }
        flash
            .values
            .insert("bio".to_owned(), "長".repeat(1_000_000));
        let stored = serde_json::to_string(&bounded(&flash)).expect("json");
        assert!(stored.len() <= MAX_PAYLOAD_BYTES, "{}", stored.len());

        let mut typed = Flash::default();
        typed.values.insert("bio".to_owned(), "紹介".repeat(2_000));
        assert_eq!(
            bounded(&typed).values,
            typed.values,
            "a real form's text is kept"
        );
    }
}
