//! お知らせ: the 県 sends a notice to all its towns or a selection; each town's
//! staff see it until someone of the town confirms reading it; the 県 sees who
//! has (31 / 39) and reminds the others.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::api::notices::{NoticeInput, NoticeList, NoticeSummary, NoticeTown, NoticeView};
use crate::auth::RequestAuth;
use crate::domain::account::{Actor, Role};
use crate::domain::calendar::japanese_datetime;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::notice::parse_notice;
use crate::domain::policy::{Action, Resource, can};
use crate::entities::{account, notice, notice_target};
use crate::error::AppError;

fn prefecture_of(actor: &Actor) -> Resource {
    Resource::Prefecture {
        code: actor.prefecture.clone(),
    }
}

/// Sends a notice to the caller's prefecture's towns (its 県 staff). Returns its id.
pub async fn send_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &NoticeInput,
) -> Result<i32, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(Action::SendNotice, &prefecture_of(&actor))?;
    let new = parse_notice(input)?;
    let targets = crate::services::municipalities::recipients_in(
        db,
        actor.prefecture.as_str(),
        new.recipients,
    )
    .await?;
    let towns_sent = targets.len();
    let txn = db.begin().await?;
    let row = notice::ActiveModel {
        prefecture_code: Set(actor.prefecture.to_string()),
        title: Set(new.title),
        body: Set(new.body),
        author_id: Set(actor.account_id.get()),
        created_at: Set(Utc::now().fixed_offset()),
        reminded_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    notice_target::Entity::insert_many(targets.into_iter().map(|code| {
        notice_target::ActiveModel {
            notice_id: Set(row.id),
            municipality_code: Set(code),
            read_by: Set(None),
            read_at: Set(None),
        }
    }))
    .exec(&txn)
    .await?;
    let event = crate::domain::webhook::Event {
        kind: crate::domain::webhook::EventKind::NoticeCreated,
        prefecture: row.prefecture_code.clone(),
        text: format!("お知らせ: {}", row.title),
        path: format!("/notices/{}", row.id),
        data: serde_json::json!({"id": row.id, "title": row.title, "towns": towns_sent}),
    };
    crate::services::webhooks::outbox::enqueue(&txn, &event).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Summaries of `notices`, with read counts from `targets`.
async fn summaries(
    db: &impl ConnectionTrait,
    notices: Vec<notice::Model>,
    targets: &[notice_target::Model],
) -> Result<Vec<NoticeSummary>, AppError> {
    let senders: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(notices.iter().map(|n| n.author_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let mut counts: HashMap<i32, (u32, u32)> = HashMap::new();
    for t in targets {
        let entry = counts.entry(t.notice_id).or_default();
        entry.1 += 1;
        entry.0 += u32::from(t.read_at.is_some());
    }
    Ok(notices
        .into_iter()
        .map(|n| {
            let (read, total) = counts.get(&n.id).copied().unwrap_or_default();
            NoticeSummary {
                id: n.id,
                title: n.title,
                sender: senders.get(&n.author_id).cloned().unwrap_or_default(),
                sent: japanese_datetime(n.created_at),
                read,
                total,
            }
        })
        .collect())
}

/// The notices the 県 sent (its staff) or the caller's town received, newest first.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<NoticeList, AppError> {
    let actor = auth.signed_in()?.clone();
    let sender = can(&actor, Action::SendNotice, &prefecture_of(&actor));
    let (notices, targets) = if sender {
        let notices = notice::Entity::find()
            .filter(notice::Column::PrefectureCode.eq(actor.prefecture.as_str()))
            .order_by_desc(notice::Column::Id)
            .all(db)
            .await?;
        let targets = notice_target::Entity::find()
            .filter(
                notice_target::Column::NoticeId
                    .is_in(notices.iter().map(|n| n.id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?;
        (notices, targets)
    } else if let (Role::MuniStaff, Some(town)) = (actor.role, &actor.municipality) {
        let targets = notice_target::Entity::find()
            .filter(notice_target::Column::MunicipalityCode.eq(town.as_str()))
            .all(db)
            .await?;
        let notices = notice::Entity::find()
            .filter(
                notice::Column::Id.is_in(targets.iter().map(|t| t.notice_id).collect::<Vec<_>>()),
            )
            .order_by_desc(notice::Column::Id)
            .all(db)
            .await?;
        (notices, targets)
    } else {
        return Err(AppError::Forbidden);
    };
    let towns = if sender {
        crate::services::municipalities::towns_of(db, actor.prefecture.as_str()).await?
    } else {
        Vec::new()
    };
    Ok(NoticeList {
        items: summaries(db, notices, &targets).await?,
        can_send: sender,
        towns,
    })
}

/// The notices the town has not confirmed yet (its home page).
pub async fn unread_for_town(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Vec<NoticeSummary>, AppError> {
    let targets = notice_target::Entity::find()
        .filter(notice_target::Column::MunicipalityCode.eq(code))
        .filter(notice_target::Column::ReadAt.is_null())
        .all(db)
        .await?;
    let notices = notice::Entity::find()
        .filter(notice::Column::Id.is_in(targets.iter().map(|t| t.notice_id).collect::<Vec<_>>()))
        .order_by_desc(notice::Column::Id)
        .all(db)
        .await?;
    summaries(db, notices, &targets).await
}

/// A notice and who read it, for its 県 (every town) or a town it went to (itself).
pub async fn view_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<NoticeView, AppError> {
    let actor = auth.signed_in()?.clone();
    let row = notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("お知らせが見つかりません。"))?;
    let prefecture = Resource::Prefecture {
        code: LocalGovCode::from_stored(row.prefecture_code.clone()),
    };
    let sender = can(&actor, Action::SendNotice, &prefecture);
    let mut targets = notice_target::Entity::find()
        .filter(notice_target::Column::NoticeId.eq(id))
        .order_by_asc(notice_target::Column::MunicipalityCode)
        .all(db)
        .await?;
    if !sender {
        let own = actor.municipality.as_ref().map(|m| m.to_string());
        targets.retain(|t| Some(&t.municipality_code) == own.as_ref());
        let Some(target) = targets.first() else {
            return Err(AppError::Forbidden);
        };
        auth.authorize(
            Action::ViewMunicipality,
            &Resource::Municipality {
                prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
                code: LocalGovCode::from_stored(target.municipality_code.clone()),
            },
        )?;
    }
    let names = crate::services::municipalities::names_of(
        db,
        targets.iter().map(|t| t.municipality_code.clone()),
    )
    .await?;
    let readers: HashMap<i32, String> = account::Entity::find()
        .filter(
            account::Column::Id.is_in(targets.iter().filter_map(|t| t.read_by).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let can_confirm = !sender && targets.first().is_some_and(|t| t.read_at.is_none());
    let towns = targets
        .iter()
        .map(|t| NoticeTown {
            municipality: LocalGovCode::from_stored(t.municipality_code.clone()),
            name: names.get(&t.municipality_code).cloned().unwrap_or_default(),
            read_by: t.read_by.and_then(|id| readers.get(&id).cloned()),
            read_at: t.read_at.map(japanese_datetime),
        })
        .collect();
    let body = row.body.clone();
    let reminded = row.reminded_at.map(japanese_datetime);
    let summary = summaries(db, vec![row], &targets)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a notice vanished while shown")))?;
    Ok(NoticeView {
        summary,
        body,
        towns,
        reminded,
        can_remind: sender,
        can_confirm,
    })
}

/// Confirms, for the caller's town, that the notice was read (once; later
/// confirmations keep the first).
pub async fn confirm_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<(), AppError> {
    let actor = auth.signed_in()?.clone();
    let row = notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("お知らせが見つかりません。"))?;
    let town = actor.municipality.clone().ok_or(AppError::Forbidden)?;
    auth.authorize(
        Action::ConfirmNotice,
        &Resource::Municipality {
            prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
            code: town.clone(),
        },
    )?;
    let target = notice_target::Entity::find_by_id((id, town.to_string()))
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    if target.read_at.is_none() {
        // Only the first confirmation counts, even when two staff press at once.
        notice_target::Entity::update_many()
            .col_expr(
                notice_target::Column::ReadBy,
                sea_orm::sea_query::Expr::value(actor.account_id.get()),
            )
            .col_expr(
                notice_target::Column::ReadAt,
                sea_orm::sea_query::Expr::value(Utc::now().fixed_offset()),
            )
            .filter(notice_target::Column::NoticeId.eq(id))
            .filter(notice_target::Column::MunicipalityCode.eq(town.as_str()))
            .filter(notice_target::Column::ReadAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Reminds the towns that have not read the notice (they see it again at the top
/// of their home page). Returns how many towns were reminded.
pub async fn remind_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<u32, AppError> {
    auth.signed_in()?;
    let row = notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("お知らせが見つかりません。"))?;
    auth.authorize(
        Action::SendNotice,
        &Resource::Prefecture {
            code: LocalGovCode::from_stored(row.prefecture_code.clone()),
        },
    )?;
    let unread = notice_target::Entity::find()
        .filter(notice_target::Column::NoticeId.eq(id))
        .filter(notice_target::Column::ReadAt.is_null())
        .all(db)
        .await?
        .len();
    let mut active: notice::ActiveModel = row.into();
    active.reminded_at = Set(Some(Utc::now().fixed_offset()));
    active.update(db).await?;
    Ok(u32::try_from(unread).unwrap_or(u32::MAX))
}
