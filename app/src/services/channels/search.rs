//! Posts in the search index. Each post carries the facet of who reads its
//! channel (`reader`: `open:<prefecture>` or `member:<channel>`), and a search
//! is limited, inside the index, to the caller's readers — so hits, totals and
//! facet counts never include a post the caller may not read. Membership
//! changes need no reindexing: the member list is read at search time.

use std::collections::HashMap;

use crate::api::channels::{ChannelCount, PostSearch};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::channel::Visibility;
use crate::domain::search_query::SearchQuery;
use crate::entities::{account, channel, channel_member, post};
use crate::error::AppError;
use crate::search::{FacetFilter, SearchDoc, SearchIndex, SearchRequest, SortOrder};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

/// Kind of the post documents.
pub const KIND: &str = "post";
/// Posts per page of results.
pub const PER_PAGE: usize = 20;

/// The facet value of who reads a channel.
fn reader_of(row: &channel::Model) -> String {
    match Visibility::parse(&row.visibility) {
        Some(Visibility::Open) => format!("open:{}", row.prefecture_code),
        _ => format!("member:{}", row.id),
    }
}

/// The index documents of the posts `ids` (every post when `None`); deleted
/// posts have none.
pub async fn search_documents(
    db: &impl ConnectionTrait,
    ids: Option<&[i32]>,
) -> Result<Vec<SearchDoc>, DbErr> {
    let mut select = post::Entity::find().filter(post::Column::DeletedAt.is_null());
    if let Some(ids) = ids {
        select = select.filter(post::Column::Id.is_in(ids.to_vec()));
    }
    let rows = select.all(db).await?;
    let channels: HashMap<i32, channel::Model> = channel::Entity::find()
        .filter(channel::Column::Id.is_in(rows.iter().map(|r| r.channel_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let authors: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|r| r.author_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let channel = channels.get(&row.channel_id)?;
            Some(SearchDoc {
                kind: KIND,
                id: row.id.to_string(),
                order: u64::try_from(row.id).unwrap_or(0),
                recency: u64::try_from(row.created_at.timestamp_millis()).unwrap_or(0),
                title: crate::domain::text::excerpt(&row.body, 60),
                org: authors.get(&row.author_id).cloned().unwrap_or_default(),
                summary: row.body.clone(),
                points: String::new(),
                body: channel.name.clone(),
                facets: vec![
                    ("reader".into(), reader_of(channel)),
                    ("channel".into(), channel.id.to_string()),
                ],
                card: String::new(),
            })
        })
        .collect())
}

/// Posts that should be in the index (not deleted).
pub async fn indexable_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    post::Entity::find()
        .filter(post::Column::DeletedAt.is_null())
        .count(db)
        .await
}

/// Replaces every post document.
pub async fn reindex(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    progress: impl FnMut(u64) + Send + 'static,
) -> Result<u64, crate::services::search_index::IndexSyncError> {
    let docs = search_documents(db, None).await?;
    let index = index.clone();
    Ok(tokio::task::spawn_blocking(move || index.replace_kind(KIND, docs, progress)).await??)
}

/// The readers the caller is: their prefecture's open channels (local
/// governments and the 県) and each channel they are a member of.
async fn readers_of(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<Vec<FacetFilter>, AppError> {
    let actor = auth.signed_in()?;
    let mut readers = Vec::new();
    if actor.role != Role::Advisor {
        readers.push(FacetFilter {
            dimension: "reader".into(),
            value: format!("open:{}", actor.prefecture),
        });
    }
    for membership in channel_member::Entity::find()
        .filter(channel_member::Column::AccountId.eq(actor.account_id.get()))
        .all(db)
        .await?
    {
        readers.push(FacetFilter {
            dimension: "reader".into(),
            value: format!("member:{}", membership.channel_id),
        });
    }
    Ok(readers)
}

/// Searches the posts the caller may read.
pub async fn search_for(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    auth: &RequestAuth,
    q: &str,
    channel: Option<i32>,
    page: u32,
) -> Result<PostSearch, AppError> {
    let actor = auth.signed_in()?.clone();
    let readable = readers_of(db, auth).await?;
    let page = page.max(1);
    let request = SearchRequest {
        readable: Some(readable),
        kind: KIND,
        query: SearchQuery::parse(q),
        filters: channel
            .map(|id| FacetFilter {
                dimension: "channel".into(),
                value: id.to_string(),
            })
            .into_iter()
            .collect(),
        facet_dimensions: vec!["channel"],
        offset: (page as usize - 1) * PER_PAGE,
        limit: PER_PAGE,
        sort: SortOrder::Relevance,
        fallback: true,
        highlight: false,
        probes: Vec::new(),
    };
    let handle = index.clone();
    let result = tokio::task::spawn_blocking(move || handle.search(&request))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let ids: Vec<i32> = result
        .hits
        .iter()
        .filter_map(|h| h.id.parse().ok())
        .collect();
    let mut rows: HashMap<i32, post::Model> = post::Entity::find()
        .filter(post::Column::Id.is_in(ids.clone()))
        .filter(post::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let ordered: Vec<post::Model> = ids.iter().filter_map(|id| rows.remove(id)).collect();
    let items = super::posts::views(db, &actor, ordered).await?;
    let counts = result.facets.get("channel").cloned().unwrap_or_default();
    let names: HashMap<i32, String> = channel::Entity::find()
        .filter(
            channel::Column::Id.is_in(
                counts
                    .iter()
                    .filter_map(|(id, _)| id.parse::<i32>().ok())
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(PostSearch {
        total: result.total as u64,
        page,
        items,
        channels: counts
            .into_iter()
            .filter_map(|(id, count)| {
                let id: i32 = id.parse().ok()?;
                Some(ChannelCount {
                    id,
                    name: names.get(&id).cloned()?,
                    count,
                })
            })
            .collect(),
    })
}
