//! 情報共有 (デジならチャット): a prefecture's channels, who reads them, their
//! posts and threads, unread counts, and the live feed each open page listens to.
//!
//! Every read goes through [`readable`], which asks the one policy with the
//! channel's visibility and members; a member-only channel's posts never leave
//! the service for anyone else (lists, pages, the live feed).

mod cards;
mod mentions;
mod posts;
pub mod search;

pub use crate::live::{LiveEvent, LiveHub};
pub use mentions::mentions_for;
pub use posts::*;

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::api::channels::{ChannelInput, ChannelList, ChannelPage, ChannelSummary, Thread};
use crate::auth::RequestAuth;
use crate::domain::account::Actor;
use crate::domain::audit::AuditAction;
use crate::domain::channel::{Visibility, parse_channel};
use crate::domain::ids::AccountId;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource, can};
use crate::entities::{account, channel, channel_member, channel_read, post};
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

/// A channel and its members' accounts.
pub(crate) struct Loaded {
    pub(crate) row: channel::Model,
    pub(crate) members: Vec<i32>,
}

impl Loaded {
    pub(crate) fn visibility(&self) -> Visibility {
        Visibility::parse(&self.row.visibility).unwrap_or(Visibility::Members)
    }

    /// The channel as the policy sees it.
    pub(crate) fn resource(&self) -> Resource {
        Resource::Channel {
            prefecture: LocalGovCode::from_stored(self.row.prefecture_code.clone()),
            open: self.visibility() == Visibility::Open,
            owner: Some(AccountId(self.row.owner_id)),
            members: self.members.iter().map(|id| AccountId(*id)).collect(),
        }
    }
}

/// A channel about to be made in the caller's prefecture, as the policy sees it.
fn new_channel(actor: &Actor) -> Resource {
    Resource::Channel {
        prefecture: actor.prefecture.clone(),
        open: true,
        owner: None,
        members: Vec::new(),
    }
}

/// Loads a channel with its members (404 when there is none).
pub(crate) async fn load(db: &impl ConnectionTrait, id: i32) -> Result<Loaded, AppError> {
    let row = channel::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("チャンネルが見つかりません。"))?;
    let members = channel_member::Entity::find()
        .filter(channel_member::Column::ChannelId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    Ok(Loaded { row, members })
}

/// The channel if the caller may read (and post in) it; 403 otherwise.
pub(crate) async fn readable(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<(Loaded, Actor), AppError> {
    let actor = auth.signed_in()?.clone();
    let loaded = load(db, id).await?;
    auth.authorize(Action::ReadChannel, &loaded.resource())?;
    Ok((loaded, actor))
}

/// Unread posts of each channel for `account`: posts by others after the last
/// one they saw, not deleted.
async fn unread(
    db: &impl ConnectionTrait,
    account: i32,
    channels: &[i32],
) -> Result<HashMap<i32, u32>, AppError> {
    let marks: HashMap<i32, i32> = channel_read::Entity::find()
        .filter(channel_read::Column::AccountId.eq(account))
        .filter(channel_read::Column::ChannelId.is_in(channels.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.channel_id, r.last_post_id))
        .collect();
    let mut counts = HashMap::new();
    for id in channels {
        let n = post::Entity::find()
            .filter(post::Column::ChannelId.eq(*id))
            .filter(post::Column::Id.gt(marks.get(id).copied().unwrap_or(0)))
            .filter(post::Column::AuthorId.ne(account))
            .filter(post::Column::DeletedAt.is_null())
            .count(db)
            .await?;
        counts.insert(*id, u32::try_from(n).unwrap_or(u32::MAX));
    }
    Ok(counts)
}

fn summary(loaded: &Loaded, unread: u32) -> ChannelSummary {
    let visibility = loaded.visibility();
    ChannelSummary {
        id: loaded.row.id,
        name: loaded.row.name.clone(),
        description: loaded.row.description.clone(),
        visibility,
        visibility_label: visibility.label().to_owned(),
        members: u32::try_from(loaded.members.len()).unwrap_or(u32::MAX),
        unread,
    }
}

/// The channels of the caller's prefecture they may read, open ones first.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<ChannelList, AppError> {
    let actor = auth.signed_in()?.clone();
    let rows = channel::Entity::find()
        .filter(channel::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .order_by_asc(channel::Column::Name)
        .all(db)
        .await?;
    let members = channel_member::Entity::find()
        .filter(
            channel_member::Column::ChannelId.is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let mut by_channel: HashMap<i32, Vec<i32>> = HashMap::new();
    for m in members {
        by_channel
            .entry(m.channel_id)
            .or_default()
            .push(m.account_id);
    }
    let readable: Vec<Loaded> = rows
        .into_iter()
        .map(|row| Loaded {
            members: by_channel.remove(&row.id).unwrap_or_default(),
            row,
        })
        .filter(|l| can(&actor, Action::ReadChannel, &l.resource()))
        .collect();
    let ids: Vec<i32> = readable.iter().map(|l| l.row.id).collect();
    let counts = unread(db, actor.account_id.get(), &ids).await?;
    let mut items: Vec<ChannelSummary> = readable
        .iter()
        .map(|l| summary(l, counts.get(&l.row.id).copied().unwrap_or(0)))
        .collect();
    items.sort_by_key(|c| c.visibility != Visibility::Open);
    let can_create = can(&actor, Action::ManageChannel, &new_channel(&actor));
    Ok(ChannelList { items, can_create })
}

/// Makes a channel of the caller's prefecture (its 県 staff); the maker is a
/// member of a member-only channel. Returns its id.
pub async fn create_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &ChannelInput,
) -> Result<i32, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(Action::ManageChannel, &new_channel(&actor))?;
    let new = parse_channel(input)?;
    let people: HashMap<String, i32> = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.email.to_lowercase(), a.id))
        .collect();
    let mut members = vec![actor.account_id.get()];
    for email in &new.members {
        let id = *people.get(email).ok_or_else(|| {
            AppError::invalid(
                "members",
                format!("「{email}」はこの県のアカウントではありません。"),
            )
        })?;
        if !members.contains(&id) {
            members.push(id);
        }
    }
    let taken = channel::Entity::find()
        .filter(channel::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .filter(channel::Column::Name.eq(new.name.as_str()))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(AppError::conflict(
            "name",
            "同じ名前のチャンネルがあります。",
        ));
    }
    let txn = db.begin().await?;
    let row = channel::ActiveModel {
        prefecture_code: Set(actor.prefecture.to_string()),
        name: Set(new.name.clone()),
        description: Set(new.description.clone()),
        visibility: Set(new.visibility.as_str().to_owned()),
        owner_id: Set(actor.account_id.get()),
        created_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if new.visibility == Visibility::Members {
        channel_member::Entity::insert_many(members.iter().map(|id| channel_member::ActiveModel {
            channel_id: Set(row.id),
            account_id: Set(*id),
        }))
        .exec(&txn)
        .await?;
    }
    audit::record(
        &txn,
        &auth.audit(),
        AuditEvent {
            action: AuditAction::ChannelCreated,
            target: None,
            prefecture: Some(actor.prefecture.to_string()),
            detail: json!({ "channel": row.id, "name": row.name, "visibility": row.visibility }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Replaces a member-only channel's member list (its prefecture's 県 staff or its
/// maker); the maker stays a member. Returns how many members it has.
pub async fn set_members_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    emails: &[String],
) -> Result<usize, AppError> {
    auth.signed_in()?;
    let loaded = load(db, id).await?;
    auth.authorize(Action::ManageChannel, &loaded.resource())?;
    if loaded.visibility() != Visibility::Members {
        return Err(AppError::invalid(
            "members",
            "県内の全団体に公開しているチャンネルにはメンバーがありません。",
        ));
    }
    if emails.len() > crate::domain::channel::MEMBERS_MAX {
        return Err(AppError::invalid(
            "members",
            format!(
                "メンバーは{}人までです。",
                crate::domain::channel::MEMBERS_MAX
            ),
        ));
    }
    let people: HashMap<String, i32> = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(loaded.row.prefecture_code.as_str()))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.email.to_lowercase(), a.id))
        .collect();
    let mut members = vec![loaded.row.owner_id];
    for email in emails
        .iter()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
    {
        let id = *people.get(&email).ok_or_else(|| {
            AppError::invalid(
                "members",
                format!("「{email}」はこの県のアカウントではありません。"),
            )
        })?;
        if !members.contains(&id) {
            members.push(id);
        }
    }
    let txn = db.begin().await?;
    channel_member::Entity::delete_many()
        .filter(channel_member::Column::ChannelId.eq(id))
        .exec(&txn)
        .await?;
    channel_member::Entity::insert_many(members.iter().map(|account| {
        channel_member::ActiveModel {
            channel_id: Set(id),
            account_id: Set(*account),
        }
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(members.len())
}

/// A channel's page: its threads, oldest first, and its members; reading it
/// marks every post seen.
pub async fn page_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<ChannelPage, AppError> {
    let (loaded, actor) = readable(db, auth, id).await?;
    let rows = post::Entity::find()
        .filter(post::Column::ChannelId.eq(id))
        .order_by_asc(post::Column::Id)
        .all(db)
        .await?;
    let last_id = rows.last().map_or(0, |p| p.id);
    let views = posts::views(db, &actor, rows).await?;
    let mut threads: Vec<Thread> = Vec::new();
    let mut index: HashMap<i32, usize> = HashMap::new();
    for view in views {
        match view.parent.and_then(|p| index.get(&p).copied()) {
            Some(at) => threads[at].replies.push(view),
            None => {
                index.insert(view.id, threads.len());
                threads.push(Thread {
                    post: view,
                    replies: Vec::new(),
                });
            }
        }
    }
    mark_read(db, id, actor.account_id.get(), last_id).await?;
    let people = if loaded.visibility() == Visibility::Members {
        account::Entity::find()
            .filter(account::Column::Id.is_in(loaded.members.clone()))
            .order_by_asc(account::Column::DisplayName)
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    let manages = loaded.visibility() == Visibility::Members
        && can(&actor, Action::ManageChannel, &loaded.resource());
    Ok(ChannelPage {
        channel: summary(&loaded, 0),
        threads,
        member_emails: manages.then(|| {
            people
                .iter()
                .map(|a| a.email.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        }),
        members: people.into_iter().map(|a| a.display_name).collect(),
        last_id,
    })
}

/// Records that `account` has seen channel `id` up to post `last`.
pub(crate) async fn mark_read(
    db: &impl ConnectionTrait,
    id: i32,
    account: i32,
    last: i32,
) -> Result<(), AppError> {
    use sea_orm::sea_query::OnConflict;
    if last == 0 {
        return Ok(());
    }
    channel_read::Entity::insert(channel_read::ActiveModel {
        channel_id: Set(id),
        account_id: Set(account),
        last_post_id: Set(last),
    })
    .on_conflict(
        OnConflict::columns([
            channel_read::Column::ChannelId,
            channel_read::Column::AccountId,
        ])
        .update_column(channel_read::Column::LastPostId)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
