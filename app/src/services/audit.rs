//! Writing and reading the audit log. Entries are only ever inserted.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::api::audit::{AuditEntryView, AuditPage, AuditQuery};
use crate::domain::audit::{AuditAction, describe};
use crate::entities::audit_log;

/// Entries per page of the audit log.
pub const PER_PAGE: u64 = 50;

pub use crate::domain::audit::AuditContext;

/// One event to record.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// What happened.
    pub action: AuditAction,
    /// Kind and id of the object acted on.
    pub target: Option<(&'static str, String)>,
    /// The prefecture whose administrators may read the entry.
    pub prefecture: Option<String>,
    /// Details (never passwords or tokens).
    pub detail: serde_json::Value,
}

/// Appends an entry. `actor_email` overrides the context's (failed sign-ins record
/// the email that was tried).
pub async fn record(
    db: &impl ConnectionTrait,
    context: &AuditContext,
    event: AuditEvent,
    actor_email: Option<&str>,
) -> Result<(), DbErr> {
    let (actor_id, email) = match &context.actor {
        Some((id, email)) => (Some(*id), Some(email.clone())),
        None => (None, None),
    };
    let email = actor_email
        .map(|e| e.chars().take(254).collect::<String>())
        .or(email);
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: NotSet,
        occurred_at: Set(Utc::now().fixed_offset()),
        actor_account_id: Set(actor_id),
        actor_email: Set(email),
        action: Set(event.action.as_str().to_owned()),
        target_kind: Set(event.target.as_ref().map(|(kind, _)| (*kind).to_owned())),
        target_id: Set(event.target.map(|(_, id)| id)),
        prefecture_code: Set(event.prefecture),
        detail: Set(event.detail.to_string()),
        client_addr: Set(context.client_addr.chars().take(64).collect()),
        request_id: Set(context
            .request_id
            .as_ref()
            .map(|r| r.chars().take(64).collect())),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The entries of a prefecture the filters select, and the notices about filter
/// values that were ignored because they could not be read.
fn filtered(
    prefecture: &str,
    query: &AuditQuery,
) -> (sea_orm::Select<audit_log::Entity>, Vec<String>) {
    let mut notices = Vec::new();
    let mut select =
        audit_log::Entity::find().filter(audit_log::Column::PrefectureCode.eq(prefecture));
    if let Some(action) = query.action.as_deref().filter(|a| !a.is_empty()) {
        match AuditAction::parse(action) {
            Some(action) => select = select.filter(audit_log::Column::Action.eq(action.as_str())),
            None => notices.push(format!("操作「{action}」は選択肢にないため無視しました。")),
        }
    }
    if let Some(actor) = query
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        // `%` and `_` typed into the filter are the characters, not wildcards.
        let escaped: String = actor
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                other => vec![other],
            })
            .collect();
        select = select.filter(
            audit_log::Column::ActorEmail
                .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    for (value, is_from) in [(&query.from, true), (&query.to, false)] {
        let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) => {
                let day = if is_from {
                    date
                } else {
                    date.succ_opt().unwrap_or(date)
                };
                // The day begins at midnight in Japan, not in UTC.
                let bound = day
                    .and_hms_opt(0, 0, 0)
                    .and_then(|t| t.and_local_timezone(jst()).single());
                if let Some(bound) = bound {
                    select = if is_from {
                        select.filter(audit_log::Column::OccurredAt.gte(bound))
                    } else {
                        select.filter(audit_log::Column::OccurredAt.lt(bound))
                    };
                }
            }
            Err(_) => notices.push(format!(
                "日付「{value}」は 2026-11-22 の形式ではないため無視しました。"
            )),
        }
    }
    (select, notices)
}

/// Reads one page of a prefecture's audit log, newest first. Unreadable filter
/// values are ignored (the page says which).
pub async fn list(
    db: &impl ConnectionTrait,
    prefecture: &str,
    query: &AuditQuery,
) -> Result<AuditPage, DbErr> {
    let (select, notices) = filtered(prefecture, query);
    let total = select.clone().count(db).await?;
    let total_pages = total.div_ceil(PER_PAGE).max(1);
    let page = u64::from(query.page.unwrap_or(1).max(1)).min(total_pages);
    let rows = select
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    Ok(AuditPage {
        total,
        page: u32::try_from(page).unwrap_or(u32::MAX),
        total_pages: u32::try_from(total_pages).unwrap_or(u32::MAX),
        notices,
        items: rows.into_iter().map(view).collect(),
    })
}

fn view(row: audit_log::Model) -> AuditEntryView {
    let action = AuditAction::parse(&row.action);
    let target = row.target_kind.clone().zip(row.target_id.clone());
    let reference = target.as_ref().map(|(k, i)| describe::target(k, i));
    AuditEntryView {
        id: row.id,
        occurred_at: row
            .occurred_at
            .with_timezone(&jst())
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        actor_email: row.actor_email,
        action: row.action.clone(),
        action_label: action.map_or(row.action, |a| a.label().to_owned()),
        target: target.as_ref().map(|(k, i)| format!("{k}:{i}")),
        target_label: reference.as_ref().map(|r| r.label.clone()),
        target_href: reference.and_then(|r| r.href),
        detail_text: describe::detail_text(&row.detail),
        detail: row.detail,
        client_addr: row.client_addr,
    }
}

pub use crate::domain::calendar::jst;

/// The prefecture whose log the caller may read (authorised before anything of
/// the request is parsed).
pub fn readable_prefecture(
    auth: &crate::auth::RequestAuth,
) -> Result<String, crate::error::AppError> {
    let actor = auth.signed_in()?;
    let resource = crate::domain::policy::Resource::Prefecture {
        code: actor.prefecture.clone(),
    };
    let actor = auth.authorize(crate::domain::policy::Action::ViewAuditLog, &resource)?;
    Ok(actor.prefecture.to_string())
}

/// The audit log of the caller's prefecture, if they may read it.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &crate::auth::RequestAuth,
    query: &AuditQuery,
) -> Result<AuditPage, crate::error::AppError> {
    let prefecture = readable_prefecture(auth)?;
    Ok(list(db, &prefecture, query).await?)
}

/// Most entries one CSV export holds (newest first); a longer period is exported
/// in parts by narrowing the dates.
pub const EXPORT_MAX: u64 = 10_000;

/// The entries the filters select as CSV (the portal's one writer), newest first,
/// at most [`EXPORT_MAX`].
pub async fn export_csv(
    db: &impl ConnectionTrait,
    prefecture: &str,
    query: &AuditQuery,
) -> Result<Vec<u8>, crate::error::AppError> {
    let (select, _) = filtered(prefecture, query);
    let rows = select
        .order_by_desc(audit_log::Column::Id)
        .limit(EXPORT_MAX)
        .all(db)
        .await?;
    let rows = rows.into_iter().map(view).map(|e| {
        [
            e.occurred_at,
            e.action_label,
            e.actor_email.unwrap_or_default(),
            e.target_label.unwrap_or_default(),
            e.detail_text,
            e.client_addr,
        ]
    });
    Ok(crate::services::csv_file::write_csv(
        &["日時", "操作", "操作した人", "対象", "内容", "接続元"],
        rows,
    )?)
}
