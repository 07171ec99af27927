//! 伴走支援: the 県's contacts with a town and their follow-ups, and the town's
//! view of them (internal notes stay with the 県).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::api::counterparts::{ContactView, FollowUpView};
use crate::auth::RequestAuth;
use crate::domain::counterpart::contact::{ContactInput, ContactKind, parse_contact};
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, can};
use crate::entities::{account, contact_log, follow_up};
use crate::error::AppError;

/// Records a contact with a town (its 県's staff), with its follow-ups.
pub async fn log_contact_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    code: &LocalGovCode,
    input: &ContactInput,
) -> Result<i32, AppError> {
    auth.signed_in()?;
    let (town, resource) = crate::services::municipalities::find_town(db, code).await?;
    let actor = auth.authorize(Action::LogContact, &resource)?.clone();
    let contact = parse_contact(input)?;
    let owners: HashMap<String, i32> = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(town.prefecture_code.as_str()))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| crate::domain::account::Role::parse(&a.role).is_some_and(|r| r.is_prefecture()))
        .map(|a| (a.email.to_lowercase(), a.id))
        .collect();
    let mut owner_ids = Vec::new();
    for (i, f) in contact.follow_ups.iter().enumerate() {
        let id = match &f.owner {
            None => actor.account_id.get(),
            Some(email) => *owners.get(&email.trim().to_lowercase()).ok_or_else(|| {
                AppError::invalid(
                    format!("follow_ups[{i}].owner"),
                    "担当者はこの県の県職員のメールアドレスで指定してください。",
                )
            })?,
        };
        owner_ids.push(id);
    }
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    let row = contact_log::ActiveModel {
        prefecture_code: Set(town.prefecture_code.clone()),
        municipality_code: Set(town.code.clone()),
        kind: Set(contact.kind.as_str().to_owned()),
        held_on: Set(contact.date),
        pref_participants: Set(contact.participants.clone()),
        town_participants: Set(String::new()),
        topics: Set(contact.topics.join(",")),
        notes: Set(contact.notes.clone()),
        internal: Set(contact.internal),
        author_id: Set(actor.account_id.get()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (f, owner) in contact.follow_ups.iter().zip(owner_ids) {
        follow_up::ActiveModel {
            contact_id: Set(row.id),
            municipality_code: Set(town.code.clone()),
            text: Set(f.text.clone()),
            due_on: Set(f.due),
            owner_id: Set(owner),
            done_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(row.id)
}

/// A town's contacts, newest first: the 県 sees all, the town's staff those not
/// marked internal.
pub async fn contacts_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    code: &LocalGovCode,
) -> Result<Vec<ContactView>, AppError> {
    let actor = auth.signed_in()?;
    let (town, resource) = crate::services::municipalities::find_town(db, code).await?;
    auth.authorize(Action::ViewMunicipality, &resource)?;
    let sees_internal = can(actor, Action::LogContact, &resource);
    let mut select = contact_log::Entity::find()
        .filter(contact_log::Column::MunicipalityCode.eq(town.code.as_str()));
    if !sees_internal {
        select = select.filter(contact_log::Column::Internal.eq(false));
    }
    let rows = select
        .order_by_desc(contact_log::Column::HeldOn)
        .order_by_desc(contact_log::Column::Id)
        .all(db)
        .await?;
    let follow_ups = follow_up::Entity::find()
        .filter(follow_up::Column::ContactId.is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()))
        .order_by_asc(follow_up::Column::DueOn)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows.iter().map(|r| r.author_id).collect();
    ids.extend(follow_ups.iter().map(|f| f.owner_id));
    let names: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let today = crate::services::today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let kind = ContactKind::parse(&r.kind).unwrap_or(ContactKind::Visit);
            ContactView {
                id: r.id,
                kind,
                kind_label: kind.label().to_owned(),
                date: r.held_on,
                participants: r.pref_participants,
                topics: r
                    .topics
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                notes: r.notes,
                internal: r.internal,
                author: names.get(&r.author_id).cloned().unwrap_or_default(),
                follow_ups: follow_ups
                    .iter()
                    .filter(|f| f.contact_id == r.id)
                    .map(|f| follow_up_view(f, &names, today))
                    .collect(),
            }
        })
        .collect())
}

fn follow_up_view(
    f: &follow_up::Model,
    names: &HashMap<i32, String>,
    today: NaiveDate,
) -> FollowUpView {
    FollowUpView {
        id: f.id,
        text: f.text.clone(),
        due: f.due_on,
        owner: names.get(&f.owner_id).cloned().unwrap_or_default(),
        done: f.done_at.is_some(),
        overdue: f.done_at.is_none() && f.due_on < today,
    }
}

/// Marks a follow-up done (or open again), by the 県 of its town; returns the town.
pub async fn set_follow_up_done_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
    done: bool,
) -> Result<LocalGovCode, AppError> {
    auth.signed_in()?;
    let row = follow_up::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("フォローアップが見つかりません。"))?;
    let (_, resource) = crate::services::municipalities::find_town(
        db,
        &LocalGovCode::from_stored(row.municipality_code.clone()),
    )
    .await?;
    auth.authorize(Action::LogContact, &resource)?;
    let town = LocalGovCode::from_stored(row.municipality_code.clone());
    let mut active: follow_up::ActiveModel = row.into();
    active.done_at = Set(done.then(|| Utc::now().fixed_offset()));
    active.update(db).await?;
    Ok(town)
}
