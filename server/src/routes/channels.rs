//! 情報共有's JSON API and live feed: channels, posts and replies, edits and
//! deletions, and `GET /api/channels/{id}/events` (Server-Sent Events; a
//! reconnecting browser's `Last-Event-ID` resumes after the last post it had).

use std::collections::VecDeque;
use std::convert::Infallible;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use app::api::channels::{
    ChannelInput, ChannelList, MembersInput, PostEdit, PostInput, PostList, PostView,
};
use app::auth::RequestAuth;
use app::error::AppError;
use app::services::channels::{self, LiveEvent};
use app::state::AppState;

use super::{bad_json, bad_query};

/// The channels the caller reads.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<ChannelList>, AppError> {
    Ok(Json(channels::list_for(&state.db, &auth).await?))
}

/// Makes a channel.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<ChannelInput>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    let id = channels::create_for(&state.db, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// Replaces a member-only channel's member list.
pub async fn members(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    body: Result<Json<MembersInput>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    let members = channels::set_members_for(&state.db, &auth, id, &input.members).await?;
    Ok(Json(serde_json::json!({ "members": members })))
}

/// `?after=120`.
#[derive(Debug, Deserialize)]
pub struct AfterQuery {
    /// The last post already had (0 for all).
    #[serde(default)]
    pub after: Option<i32>,
}

/// Posts after an id, oldest first.
pub async fn posts(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    query: Result<Query<AfterQuery>, QueryRejection>,
) -> Result<Json<PostList>, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        channels::posts_after_for(&state.db, &auth, id, query.after.unwrap_or(0)).await?,
    ))
}

/// Writes a post or a reply.
pub async fn post(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    body: Result<Json<PostInput>, JsonRejection>,
) -> Result<(StatusCode, Json<PostView>), AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    let view = channels::post_for(&state.db, &state.search, &state.live, &auth, id, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Edits a post (its author).
pub async fn edit(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    body: Result<Json<PostEdit>, JsonRejection>,
) -> Result<Json<PostView>, AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    Ok(Json(
        channels::edit_for(&state.db, &state.search, &state.live, &auth, id, &input).await?,
    ))
}

/// Deletes a post (its author or a 県管理者); a tombstone stays.
pub async fn delete(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<StatusCode, AppError> {
    channels::delete_for(&state.db, &state.search, &state.live, &auth, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a live feed has still to send.
struct Feed {
    state: AppState,
    auth: RequestAuth,
    channel: i32,
    last: i32,
    wake: tokio::sync::broadcast::Receiver<LiveEvent>,
    pending: VecDeque<Event>,
    changed: Vec<i32>,
    /// Its place among the feeds the server serves at once.
    _admitted: tokio::sync::OwnedSemaphorePermit,
}

impl Feed {
    /// Queues the posts after the last one sent (`post` events with their id)
    /// and the changed ones (`update` events); `false` once the caller may no
    /// longer read the channel.
    async fn fill(&mut self) -> bool {
        let Ok(list) =
            channels::posts_after_for(&self.state.db, &self.auth, self.channel, self.last).await
        else {
            return false;
        };
        for post in list.items {
            self.last = post.id;
            if let Ok(event) = Event::default()
                .id(post.id.to_string())
                .event("post")
                .json_data(&post)
            {
                self.pending.push_back(event);
            }
        }
        for id in std::mem::take(&mut self.changed) {
            if id > self.last {
                continue;
            }
            match channels::post_view_for(&self.state.db, &self.auth, id).await {
                Ok(post) => {
                    if let Ok(event) = Event::default().event("update").json_data(&post) {
                        self.pending.push_back(event);
                    }
                }
                Err(_) => return false,
            }
        }
        true
    }

    /// Waits until the channel changes; `false` when the hub is gone.
    async fn wait(&mut self) -> bool {
        loop {
            match self.wake.recv().await {
                Ok(event) if event.channel == self.channel => {
                    if !event.created {
                        self.changed.push(event.post);
                    }
                    return true;
                }
                Ok(_) => {}
                // Missed wake-ups: the database has everything, read it again.
                Err(RecvError::Lagged(_)) => return true,
                Err(RecvError::Closed) => return false,
            }
        }
    }
}

/// The id a feed resumes after: `Last-Event-ID` (a reconnecting browser), else
/// `?after=`, else only what comes next.
fn resume_after(headers: &HeaderMap, after: Option<i32>) -> Option<i32> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i32>().ok())
        .or(after)
}

/// The live feed of a channel.
pub async fn events(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    query: Result<Query<AfterQuery>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    let admitted = state.live.admit().ok_or_else(|| AppError::Throttled {
        message: "ただいま接続が集中しています。ページを再読み込みすると最新の投稿を読めます。"
            .to_owned(),
        retry_after_secs: 5,
    })?;
    // Listen before reading, so nothing written in between is missed.
    let wake = state.live.subscribe();
    // Authorises, and says where "only what comes next" starts.
    let latest = channels::latest_post_for(&state.db, &auth, id).await?;
    let last = resume_after(&headers, query.after).unwrap_or(latest);
    let feed = Feed {
        state,
        auth,
        channel: id,
        last,
        wake,
        pending: VecDeque::new(),
        changed: Vec::new(),
        _admitted: admitted,
    };
    let stream = futures_util::stream::unfold(feed, |mut feed| async move {
        loop {
            if let Some(event) = feed.pending.pop_front() {
                return Some((Ok(event), feed));
            }
            if !feed.fill().await {
                return None;
            }
            if feed.pending.is_empty() && !feed.wait().await {
                return None;
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
