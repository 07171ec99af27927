//! Mentions: `@三宅町` tells that town's staff, `@奈良連太` (a display name,
//! spaces left out) tells that person; their home pages list the posts, unread
//! ones marked.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::load;
use crate::api::channels::MentionView;
use crate::domain::account::Actor;
use crate::domain::calendar::japanese_datetime;
use crate::domain::channel::mentions;
use crate::domain::policy::{Action, can};
use crate::entities::{account, channel_read, municipality, post, post_mention};
use crate::error::AppError;

/// Records who `body` (post `post` in a channel of `prefecture`) mentions:
/// the prefecture's towns by name, its people by display name.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    prefecture: &str,
    post: i32,
    body: &str,
) -> Result<(), AppError> {
    let names = mentions(body);
    if names.is_empty() {
        return Ok(());
    }
    let towns = municipality::Entity::find()
        .filter(municipality::Column::PrefectureCode.eq(prefecture))
        .filter(municipality::Column::Name.is_in(names.clone()))
        .all(db)
        .await?;
    let people = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(prefecture))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| names.contains(&a.display_name.replace([' ', '　'], "")));
    let rows: Vec<post_mention::ActiveModel> = towns
        .into_iter()
        .map(|t| post_mention::ActiveModel {
            post_id: Set(post),
            municipality_code: Set(Some(t.code)),
            account_id: Set(None),
            ..Default::default()
        })
        .chain(people.map(|a| post_mention::ActiveModel {
            post_id: Set(post),
            municipality_code: Set(None),
            account_id: Set(Some(a.id)),
            ..Default::default()
        }))
        .collect();
    if !rows.is_empty() {
        post_mention::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The latest posts that mention `actor` or their town, in channels they may
/// read, not deleted; newest first, at most `limit`.
pub async fn mentions_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    limit: usize,
) -> Result<Vec<MentionView>, AppError> {
    let mut whom = Condition::any().add(post_mention::Column::AccountId.eq(actor.account_id.get()));
    if let Some(town) = &actor.municipality {
        whom = whom.add(post_mention::Column::MunicipalityCode.eq(town.as_str()));
    }
    let ids: Vec<i32> = post_mention::Entity::find()
        .filter(whom)
        .order_by_desc(post_mention::Column::PostId)
        .limit(50)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.post_id)
        .collect();
    let posts = post::Entity::find()
        .filter(post::Column::Id.is_in(ids))
        .filter(post::Column::DeletedAt.is_null())
        .order_by_desc(post::Column::Id)
        .all(db)
        .await?;
    let marks: HashMap<i32, i32> = channel_read::Entity::find()
        .filter(channel_read::Column::AccountId.eq(actor.account_id.get()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.channel_id, r.last_post_id))
        .collect();
    let authors: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(posts.iter().map(|p| p.author_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let mut channels = HashMap::new();
    let mut found = Vec::new();
    for p in posts {
        if found.len() >= limit {
            break;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = channels.entry(p.channel_id) {
            let room = load(db, p.channel_id).await?;
            let readable = can(actor, Action::ReadChannel, &room.resource());
            slot.insert(readable.then(|| room.row.name.clone()));
        }
        let Some(Some(name)) = channels.get(&p.channel_id) else {
            continue;
        };
        found.push(MentionView {
            post: p.id,
            channel: p.channel_id,
            channel_name: name.clone(),
            author: authors.get(&p.author_id).cloned().unwrap_or_default(),
            excerpt: crate::domain::text::excerpt(&p.body, 80),
            at: japanese_datetime(p.created_at),
            unread: p.id > marks.get(&p.channel_id).copied().unwrap_or(0),
        });
    }
    Ok(found)
}
