//! Outgoing webhooks: a 県管理者 registers where the prefecture's events go;
//! events are written to the outbox in the transaction that makes them
//! ([`outbox::enqueue`]); the server's worker sends them ([`outbox`]).

pub mod outbox;

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::api::webhooks::{DeliveryList, DeliveryView, WebhookInput, WebhookList, WebhookView};
use crate::auth::RequestAuth;
use crate::domain::calendar::japanese_datetime;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource};
use crate::domain::webhook::{EventKind, is_public, parse_webhook, target_of};
use crate::entities::{webhook, webhook_delivery};
use crate::error::AppError;
use crate::state::WebhookSettings;

/// Whether outgoing requests go through a proxy (`HTTPS_PROXY` and the like):
/// then the proxy, not this machine, resolves the receiver's name.
pub fn proxy_configured() -> bool {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// Refuses a URL whose host is, or resolves to, an address inside the machine
/// or the office network (server-side request forgery), unless allowed. A name
/// this machine cannot resolve is refused, except behind a proxy.
pub async fn check_target(url: &str, allow_private: bool) -> Result<(), String> {
    let (host, port) = target_of(url)?;
    if allow_private {
        return Ok(());
    }
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => match tokio::net::lookup_host((host.as_str(), port)).await {
            Ok(found) => found.map(|a| a.ip()).collect(),
            Err(_) if proxy_configured() => return Ok(()),
            Err(_) => return Err(format!("ホスト名「{host}」を名前解決できません。")),
        },
    };
    match addresses.iter().find(|ip| !is_public(**ip)) {
        Some(ip) => Err(format!(
            "内部のアドレス({ip})には送れません。インターネット上の受け口の URL を指定してください。"
        )),
        None if addresses.is_empty() => Err(format!("ホスト名「{host}」を名前解決できません。")),
        None => Ok(()),
    }
}

fn authorize(auth: &RequestAuth, prefecture: &str) -> Result<(), AppError> {
    auth.authorize(
        Action::ManageWebhooks,
        &Resource::Prefecture {
            code: LocalGovCode::from_stored(prefecture.to_owned()),
        },
    )?;
    Ok(())
}

fn own_prefecture(auth: &RequestAuth) -> Result<String, AppError> {
    let prefecture = auth.signed_in()?.prefecture.to_string();
    authorize(auth, &prefecture)?;
    Ok(prefecture)
}

/// Registers a webhook for the caller's prefecture (a 県管理者). Returns its id.
pub async fn create_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    settings: &WebhookSettings,
    input: &WebhookInput,
) -> Result<i32, AppError> {
    let prefecture = own_prefecture(auth)?;
    let new = parse_webhook(input)?;
    check_target(&new.url, settings.allow_private)
        .await
        .map_err(|message| AppError::invalid("url", message))?;
    let row = webhook::ActiveModel {
        prefecture_code: Set(prefecture),
        url: Set(new.url),
        events: Set(new
            .events
            .iter()
            .map(|e| e.key())
            .collect::<Vec<_>>()
            .join(",")),
        format: Set(new.format.key().to_owned()),
        secret: Set(new.secret),
        created_by: Set(auth.signed_in()?.account_id.get()),
        created_at: Set(Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Removes a webhook and its deliveries.
pub async fn delete_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<(), AppError> {
    let row = find(db, auth, id).await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(row.id))
        .exec(db)
        .await?;
    webhook::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(())
}

async fn find(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<webhook::Model, AppError> {
    // Refused before anything is looked up: only a 県管理者 gets further.
    own_prefecture(auth)?;
    let row = webhook::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Webhook が見つかりません。"))?;
    authorize(auth, &row.prefecture_code)?;
    Ok(row)
}

fn view(row: webhook::Model, counts: &HashMap<(i32, String), u32>) -> WebhookView {
    let count = |state: &str| {
        counts
            .get(&(row.id, state.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    WebhookView {
        id: row.id,
        events: row
            .events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        format: row.format.clone(),
        has_secret: row.secret.is_some(),
        created_at: japanese_datetime(row.created_at),
        pending: count(outbox::PENDING),
        delivered: count(outbox::DELIVERED),
        dead: count(outbox::DEAD),
        url: row.url,
    }
}

async fn counts(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<HashMap<(i32, String), u32>, AppError> {
    let rows: Vec<(i32, String, i64)> = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::WebhookId)
        .column(webhook_delivery::Column::State)
        .column_as(webhook_delivery::Column::Id.count(), "n")
        .filter(webhook_delivery::Column::WebhookId.is_in(ids))
        .group_by(webhook_delivery::Column::WebhookId)
        .group_by(webhook_delivery::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, state, n)| ((id, state), u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// The caller's prefecture's webhooks with how their deliveries stand.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<WebhookList, AppError> {
    let prefecture = own_prefecture(auth)?;
    let rows = webhook::Entity::find()
        .filter(webhook::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?;
    let counts = counts(db, rows.iter().map(|r| r.id).collect()).await?;
    Ok(WebhookList {
        items: rows.into_iter().map(|r| view(r, &counts)).collect(),
        events: EventKind::ALL
            .iter()
            .map(|e| (e.key().to_owned(), e.label().to_owned()))
            .collect(),
    })
}

/// A delivery as the page shows it.
pub fn delivery_view(d: webhook_delivery::Model) -> DeliveryView {
    DeliveryView {
        id: d.id,
        event: d.event,
        state: d.state,
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error,
        created_at: japanese_datetime(d.created_at),
        delivered_at: d.delivered_at.map(japanese_datetime),
    }
}

/// A webhook's latest deliveries.
pub async fn deliveries_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<DeliveryList, AppError> {
    let row = find(db, auth, id).await?;
    let items = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(row.id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(delivery_view)
        .collect();
    let counts = counts(db, vec![row.id]).await?;
    Ok(DeliveryList {
        webhook: view(row, &counts),
        items,
    })
}

/// Sends a delivery again from its first attempt (a dead one, or one to repeat).
pub async fn resend_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<(), AppError> {
    own_prefecture(auth)?;
    let delivery = webhook_delivery::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("配信が見つかりません。"))?;
    find(db, auth, delivery.webhook_id).await?;
    outbox::requeue(db, id).await
}

/// The admin page: every webhook with its latest deliveries (few webhooks per
/// prefecture: one query each).
pub async fn page_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<crate::api::webhooks::WebhookPage, AppError> {
    let list = list_for(db, auth).await?;
    let mut recent = Vec::with_capacity(list.items.len());
    for hook in &list.items {
        let mut deliveries = deliveries_for(db, auth, hook.id).await?;
        deliveries.items.truncate(10);
        recent.push(deliveries);
    }
    Ok(crate::api::webhooks::WebhookPage { list, recent })
}
