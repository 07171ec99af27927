//! Posts: writing, replying, editing (the earlier wording kept), deleting (a
//! tombstone stays), and reading what came after an id (the live feed and
//! `GET /api/channels/{id}/posts?after=`).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use super::{LiveEvent, LiveHub, readable};
use crate::api::channels::{PostEdit, PostInput, PostList, PostView};
use crate::auth::RequestAuth;
use crate::domain::account::Actor;
use crate::domain::audit::AuditAction;
use crate::domain::channel::{Visibility, parse_body, segments};
use crate::domain::ids::AccountId;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource, can};
use crate::domain::webhook::{Event, EventKind};
use crate::entities::{account, municipality, post, post_revision, prefecture};
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::services::audit::{self, AuditEvent};
use crate::services::search_index;

/// Most posts one read returns.
pub const PAGE_MAX: u64 = 500;

fn resource(row: &post::Model, prefecture: &str) -> Resource {
    Resource::Post {
        prefecture: LocalGovCode::from_stored(prefecture.to_owned()),
        author: AccountId(row.author_id),
    }
}

/// Posts as `actor` sees them: author names and bodies, what they may do.
pub(crate) async fn views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    rows: Vec<post::Model>,
) -> Result<Vec<PostView>, AppError> {
    let authors: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|r| r.author_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let towns: HashMap<String, String> = municipality::Entity::find()
        .filter(
            municipality::Column::Code.is_in(
                authors
                    .values()
                    .filter_map(|a| a.municipality_code.clone())
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    let prefecture_name = prefecture::Entity::find_by_id(actor.prefecture.to_string())
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let own = actor.prefecture.as_str();
    let cards = super::cards::Cards::load(db, actor, rows.iter().map(|r| r.body.as_str())).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let author = authors.get(&row.author_id);
            let body_name = author
                .and_then(|a| a.municipality_code.as_ref())
                .and_then(|code| towns.get(code).cloned())
                .unwrap_or_else(|| prefecture_name.clone());
            let deleted = row.deleted_at.is_some();
            let may = |action| !deleted && can(actor, action, &resource(&row, own));
            PostView {
                id: row.id,
                channel: row.channel_id,
                parent: row.parent_id,
                author: row.author_id,
                author_name: author.map(|a| a.display_name.clone()).unwrap_or_default(),
                author_body: body_name,
                segments: segments(&row.body),
                body: row.body.clone(),
                created_at: row.created_at.to_rfc3339(),
                posted: crate::domain::calendar::japanese_datetime(row.created_at),
                edited: row.edited_at.is_some(),
                deleted,
                can_edit: may(Action::EditPost),
                can_delete: may(Action::DeletePost),
                cards: if deleted {
                    Vec::new()
                } else {
                    cards.of(&row.body)
                },
            }
        })
        .collect())
}

/// Writes a post (or a reply to a post of the same channel) as the caller.
pub async fn post_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    live: &LiveHub,
    auth: &RequestAuth,
    channel: i32,
    input: &PostInput,
) -> Result<PostView, AppError> {
    let (room, actor) = readable(db, auth, channel).await?;
    let body = parse_body(&input.body)?;
    if let Some(parent) = input.parent {
        let parent = post::Entity::find_by_id(parent)
            .one(db)
            .await?
            .filter(|p| p.channel_id == channel)
            .ok_or_else(|| {
                AppError::invalid("parent", "返信先の投稿がこのチャンネルにありません。")
            })?;
        if parent.parent_id.is_some() {
            return Err(AppError::invalid(
                "parent",
                "返信には返信できません。元の投稿に返信してください。",
            ));
        }
    }
    let txn = db.begin().await?;
    let row = post::ActiveModel {
        channel_id: Set(channel),
        author_id: Set(actor.account_id.get()),
        parent_id: Set(input.parent),
        body: Set(body),
        created_at: Set(Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    search_index::record(&txn, super::search::KIND, [row.id.to_string()]).await?;
    super::mentions::record(&txn, &room.row.prefecture_code, row.id, &row.body).await?;
    // Only open channels are told outside: a member-only channel's posts stay
    // with its members.
    if room.visibility() == Visibility::Open {
        let event = Event {
            kind: EventKind::PostCreated,
            prefecture: room.row.prefecture_code.clone(),
            text: format!(
                "#{} {}さん: {}",
                room.row.name,
                actor.display_name,
                crate::domain::text::excerpt(&row.body, 120)
            ),
            path: format!("/channels/{channel}#post-{}", row.id),
            data: json!({"channel": channel, "post": row.id, "parent": row.parent_id}),
        };
        crate::services::webhooks::outbox::enqueue(&txn, &event).await?;
    }
    txn.commit().await?;
    search_index::catch_up_or_log(db, index).await;
    live.publish(LiveEvent {
        channel,
        post: row.id,
        created: true,
    });
    super::mark_read(db, channel, actor.account_id.get(), row.id).await?;
    first(views(db, &actor, vec![row]).await?)
}

fn first(mut views: Vec<PostView>) -> Result<PostView, AppError> {
    views
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a post vanished while shown")))
}

/// Posts of a channel after `after`, oldest first (at most [`PAGE_MAX`]).
pub async fn posts_after_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    channel: i32,
    after: i32,
) -> Result<PostList, AppError> {
    let (_, actor) = readable(db, auth, channel).await?;
    let rows = post::Entity::find()
        .filter(post::Column::ChannelId.eq(channel))
        .filter(post::Column::Id.gt(after))
        .order_by_asc(post::Column::Id)
        .limit(PAGE_MAX)
        .all(db)
        .await?;
    Ok(PostList {
        items: views(db, &actor, rows).await?,
    })
}

/// The newest post of a channel (0 when it has none), if the caller may read it.
pub async fn latest_post_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    channel: i32,
) -> Result<i32, AppError> {
    readable(db, auth, channel).await?;
    Ok(post::Entity::find()
        .filter(post::Column::ChannelId.eq(channel))
        .order_by_desc(post::Column::Id)
        .one(db)
        .await?
        .map_or(0, |p| p.id))
}

/// One post, if the caller may read its channel.
pub async fn post_view_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<PostView, AppError> {
    let row = post::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("投稿が見つかりません。"))?;
    let (_, actor) = readable(db, auth, row.channel_id).await?;
    first(views(db, &actor, vec![row]).await?)
}

/// The post and its channel, if the caller may read it and do `action` to it.
async fn changeable(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
    action: Action,
) -> Result<(post::Model, Actor), AppError> {
    let row = post::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("投稿が見つかりません。"))?;
    let (loaded, _) = readable(db, auth, row.channel_id).await?;
    let actor = auth
        .authorize(action, &resource(&row, &loaded.row.prefecture_code))?
        .clone();
    if row.deleted_at.is_some() {
        return Err(AppError::conflict("post", "この投稿は削除されています。"));
    }
    Ok((row, actor))
}

/// Keeps the wording a post had before an edit or a deletion.
async fn keep_wording(
    txn: &impl ConnectionTrait,
    row: &post::Model,
    at: chrono::DateTime<chrono::FixedOffset>,
) -> Result<(), AppError> {
    post_revision::ActiveModel {
        post_id: Set(row.id),
        body: Set(row.body.clone()),
        replaced_at: Set(at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Edits a post (its author): the earlier wording is kept and the post shows
/// 「編集済み」.
pub async fn edit_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    live: &LiveHub,
    auth: &RequestAuth,
    id: i32,
    input: &PostEdit,
) -> Result<PostView, AppError> {
    let (row, actor) = changeable(db, auth, id, Action::EditPost).await?;
    let body = parse_body(&input.body)?;
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    keep_wording(&txn, &row, now).await?;
    let channel = row.channel_id;
    let mut active: post::ActiveModel = row.into();
    active.body = Set(body);
    active.edited_at = Set(Some(now));
    let row = active.update(&txn).await?;
    search_index::record(&txn, super::search::KIND, [id.to_string()]).await?;
    txn.commit().await?;
    search_index::catch_up_or_log(db, index).await;
    live.publish(LiveEvent {
        channel,
        post: id,
        created: false,
    });
    first(views(db, &actor, vec![row]).await?)
}

/// Deletes a post (its author, or a 県管理者 of the prefecture): the text goes, a
/// tombstone stays; a moderator's deletion is in the audit log.
pub async fn delete_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    live: &LiveHub,
    auth: &RequestAuth,
    id: i32,
) -> Result<i32, AppError> {
    let (row, actor) = changeable(db, auth, id, Action::DeletePost).await?;
    let channel = row.channel_id;
    let by_moderator = row.author_id != actor.account_id.get();
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    keep_wording(&txn, &row, now).await?;
    let mut active: post::ActiveModel = row.into();
    active.body = Set(String::new());
    active.deleted_at = Set(Some(now));
    active.deleted_by = Set(Some(actor.account_id.get()));
    active.update(&txn).await?;
    search_index::record(&txn, super::search::KIND, [id.to_string()]).await?;
    if by_moderator {
        audit::record(
            &txn,
            &auth.audit(),
            AuditEvent {
                action: AuditAction::PostDeleted,
                target: None,
                prefecture: Some(actor.prefecture.to_string()),
                detail: json!({ "channel": channel, "post": id }),
            },
            None,
        )
        .await?;
    }
    txn.commit().await?;
    search_index::catch_up_or_log(db, index).await;
    live.publish(LiveEvent {
        channel,
        post: id,
        created: false,
    });
    Ok(channel)
}
