//! A person's calendar feed of scheduled dispatches (`.ics`): an advisor's
//! bookings, a town's dispatches, the 県's all. The address carries a secret of
//! its own (only its hash is stored), so a calendar program can subscribe without
//! signing in; issuing a new one ends the old.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{list_for, now};
use crate::api::dispatches::DispatchQuery;
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::dispatch::ics::{Event, calendar};
use crate::entities::{account, calendar_token, dispatch};
use crate::error::AppError;
use crate::services::passwords::{random_token, token_hash};
use crate::services::sessions::actor_of;

/// Issues the caller's feed secret, replacing any earlier one.
pub async fn issue_calendar_token_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<String, AppError> {
    let actor = auth.signed_in()?;
    let token = random_token().map_err(AppError::internal)?;
    calendar_token::Entity::insert(calendar_token::ActiveModel {
        account_id: Set(actor.account_id.get()),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(calendar_token::Column::AccountId)
            .update_columns([
                calendar_token::Column::TokenHash,
                calendar_token::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

fn unknown() -> AppError {
    AppError::not_found("このカレンダーはありません。URLを発行し直してください。")
}

/// The feed behind `token`: its name and its iCalendar text (404 for an unknown
/// secret or a stopped account).
pub async fn calendar_feed(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<(String, String), AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unknown());
    }
    let row = calendar_token::Entity::find()
        .filter(calendar_token::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or_else(unknown)?;
    let owner = account::Entity::find_by_id(row.account_id)
        .one(db)
        .await?
        .filter(|a| a.active)
        .ok_or_else(unknown)?;
    let actor = actor_of(db, owner).await?;
    let name = match (actor.role, &actor.municipality_name) {
        (Role::Advisor, _) => format!("{}さんの派遣予定", actor.display_name),
        (Role::MuniStaff, Some(town)) => format!("{town}の派遣予定"),
        _ => format!("{}の派遣予定", actor.prefecture_name),
    };
    let auth = RequestAuth {
        actor: Some(actor),
        ..RequestAuth::anonymous()
    };
    let scheduled: Vec<_> = list_for(db, &auth, &DispatchQuery::default())
        .await?
        .into_iter()
        .filter(|d| d.status.counts())
        .collect();
    let ids: Vec<i32> = scheduled.iter().map(|d| d.id.get()).collect();
    let rows: Vec<dispatch::Model> = dispatch::Entity::find()
        .filter(dispatch::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let events: Vec<Event> = scheduled
        .iter()
        .filter_map(|d| {
            let row = rows.iter().find(|r| r.id == d.id.get())?;
            let advisor = d
                .advisor
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default();
            Some(Event {
                uid: format!("dispatch-{}@renkei", d.id),
                starts_at: d.starts_at?,
                ends_at: d.ends_at?,
                summary: format!(
                    "派遣: {} {}({})",
                    d.municipality_name,
                    advisor,
                    d.mode.label()
                ),
                location: row.place.clone().unwrap_or_default(),
                description: format!(
                    "{}・{}\n依頼 #{}: {}",
                    d.programme_name,
                    d.advice_type.label(),
                    d.id,
                    row.need.chars().take(200).collect::<String>()
                ),
                stamp: row.updated_at,
            })
        })
        .collect();
    Ok((name.clone(), calendar(&name, &events)))
}
