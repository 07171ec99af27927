//! 情報共有's HTML form posts (they work without JavaScript): make a channel, post
//! or reply, edit, delete. Each redirects (303) with a flash message; a refused
//! post shows again with what was typed.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use app::api::channels::{ChannelInput, PostEdit, PostInput};
use app::api::flash::Flash;
use app::auth::RequestAuth;
use app::domain::training::form::pairs_lookup;
use app::services::channels;
use app::state::AppState;

use super::forms::{answer_refused, answer_refused_with, error_flash, redirect_with, typed};

/// Makes a channel from the list page's form.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let input = ChannelInput {
        name: get("name").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        visibility: get("visibility").unwrap_or_default(),
        members: get("members")
            .unwrap_or_default()
            .split(|c: char| c == ',' || c == '、' || c.is_whitespace())
            .map(str::to_owned)
            .collect(),
    };
    match channels::create_for(&state.db, &auth, &input).await {
        Ok(id) => {
            redirect_with(
                &state,
                &format!("/channels/{id}"),
                &Flash::success(format!("チャンネル「{}」を作りました。", input.name.trim())),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, "/channels", error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}

/// Posts (or replies) from a channel page.
pub async fn post(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let page = format!("/channels/{id}");
    let get = pairs_lookup(&fields);
    let input = PostInput {
        body: get("body").unwrap_or_default(),
        parent: get("parent").and_then(|p| p.trim().parse().ok()),
    };
    match channels::post_for(&state.db, &state.search, &state.live, &auth, id, &input).await {
        Ok(post) => {
            redirect_with(
                &state,
                &format!("{page}#post-{}", post.id),
                &Flash::success("投稿しました。"),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}

/// Edits a post from its form.
pub async fn edit(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let input = PostEdit {
        body: get("body").unwrap_or_default(),
    };
    match channels::edit_for(&state.db, &state.search, &state.live, &auth, id, &input).await {
        Ok(post) => {
            redirect_with(
                &state,
                &format!("/channels/{}#post-{id}", post.channel),
                &Flash::success("投稿を直しました。"),
            )
            .await
        }
        Err(error) => answer_refused(&state, "/channels", error).await,
    }
}

/// Deletes a post from its form.
pub async fn delete(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Response {
    match channels::delete_for(&state.db, &state.search, &state.live, &auth, id).await {
        Ok(channel) => {
            redirect_with(
                &state,
                &format!("/channels/{channel}"),
                &Flash::success("投稿を削除しました。"),
            )
            .await
        }
        Err(error) => answer_refused(&state, "/channels", error).await,
    }
}

/// Replaces a member-only channel's member list from its page's form.
pub async fn members(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let page = format!("/channels/{id}");
    let get = pairs_lookup(&fields);
    let emails: Vec<String> = get("members")
        .unwrap_or_default()
        .split(|c: char| c == ',' || c == '、' || c.is_whitespace())
        .map(str::to_owned)
        .collect();
    match channels::set_members_for(&state.db, &auth, id, &emails).await {
        Ok(n) => {
            redirect_with(
                &state,
                &page,
                &Flash::success(format!("メンバーを {n} 人にしました。")),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}
