//! Creating and editing advisor profiles: the 県管理者 sets every field, publishes,
//! unpublishes and retires; the advisor edits their own profile except the fields
//! the prefecture sets. Every change is audited and in the index before the
//! answer.

use crate::domain::local_gov::LocalGovCode;
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use crate::api::advisors::Choice;
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::advisor::edit::{
    AdvisorPatch, AdvisorStatus, Editor, FieldError, changed_fields,
};
use crate::domain::advisor::{AdvisorDraft, ItssLevel, Kana, YearMonth};
use crate::domain::audit::AuditAction;
use crate::domain::gather::Errors;
use crate::domain::ids::{AccountId, AdvisorId};
use crate::domain::policy::{Action, Resource};
use crate::entities::{
    account, advisor, advisor_area, advisor_availability, advisor_photo, advisor_region,
    advisor_term, municipality,
};
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::services::advisors::search as advisor_search;
use crate::services::advisors::{self, AdvisorError};
use crate::services::audit::{self, AuditEvent};
use crate::services::search_index;

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        if error.forbidden {
            tracing::info!(
                field = error.field,
                "advisor tried to set a prefecture field"
            );
            AppError::Forbidden
        } else {
            AppError::invalid(error.field, error.message)
        }
    }
}

impl From<Errors<FieldError>> for AppError {
    fn from(errors: Errors<FieldError>) -> Self {
        AppError::merged(errors.map(AppError::from))
    }
}

fn resource_of(row: &advisor::Model) -> Resource {
    Resource::Advisor {
        prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
        account: row.account_id.map(AccountId),
    }
}

pub(super) async fn find(
    db: &impl ConnectionTrait,
    id: AdvisorId,
) -> Result<advisor::Model, AppError> {
    Ok(advisor::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AdvisorError::NotFound)?)
}

/// The current row, held for the rest of the transaction (`FOR UPDATE` on
/// PostgreSQL; SQLite has one writer and the transaction holds the connection).
async fn lock(txn: &impl ConnectionTrait, id: AdvisorId) -> Result<advisor::Model, AppError> {
    Ok(advisor::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(AdvisorError::NotFound)?)
}

/// Who may edit this profile, and as what: the bank's 県管理者 edits everything,
/// the advisor their own fields; anyone else is refused (401 / 403).
pub fn editor_for(auth: &RequestAuth, row: &advisor::Model) -> Result<Editor, AppError> {
    auth.signed_in()?;
    let resource = resource_of(row);
    if auth.authorize(Action::ManageAdvisor, &resource).is_ok() {
        return Ok(Editor::Prefecture);
    }
    auth.authorize(Action::EditOwnAdvisorProfile, &resource)?;
    Ok(Editor::Advisor)
}

/// How the caller may edit profile `id` (see [`editor_for`]).
pub async fn editor_of(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: AdvisorId,
) -> Result<Editor, AppError> {
    auth.signed_in()?;
    let row = find(db, id).await?;
    editor_for(auth, &row)
}

/// The stored profiles as drafts, in the order of `rows`.
// Long: the child tables of many profiles read in bulk and folded into drafts.
pub async fn drafts_of(
    db: &impl ConnectionTrait,
    rows: &[advisor::Model],
) -> Result<Vec<AdvisorDraft>, DbErr> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    // A filter with many ids is slower than reading the child tables whole.
    let narrow = ids.len() <= 500;
    let mut terms: HashMap<i32, Vec<advisor_term::Model>> = HashMap::new();
    let mut areas: HashMap<i32, Vec<String>> = HashMap::new();
    let mut regions: HashMap<i32, Vec<i32>> = HashMap::new();
    let mut months: HashMap<i32, Vec<String>> = HashMap::new();
    let mut term_query = advisor_term::Entity::find();
    let mut area_query = advisor_area::Entity::find();
    let mut region_query = advisor_region::Entity::find();
    let mut month_query = advisor_availability::Entity::find();
    if narrow {
        term_query = term_query.filter(advisor_term::Column::AdvisorId.is_in(ids.clone()));
        area_query = area_query.filter(advisor_area::Column::AdvisorId.is_in(ids.clone()));
        region_query = region_query.filter(advisor_region::Column::AdvisorId.is_in(ids.clone()));
        month_query = month_query.filter(advisor_availability::Column::AdvisorId.is_in(ids));
    }
    for t in term_query.all(db).await? {
        terms.entry(t.advisor_id).or_default().push(t);
    }
    for a in area_query.all(db).await? {
        areas
            .entry(a.advisor_id)
            .or_default()
            .push(a.municipality_code);
    }
    for r in region_query.all(db).await? {
        regions.entry(r.advisor_id).or_default().push(r.region_id);
    }
    for m in month_query.all(db).await? {
        months.entry(m.advisor_id).or_default().push(m.month);
    }
    Ok(rows
        .iter()
        .map(|row| {
            let mut own = terms.remove(&row.id).unwrap_or_default();
            own.sort_by(|a, b| (&a.kind, &a.code).cmp(&(&b.kind, &b.code)));
            let of_kind = |kind: &str| -> Vec<String> {
                own.iter()
                    .filter(|t| t.kind == kind)
                    .map(|t| t.code.clone())
                    .collect()
            };
            let mut own_areas = areas.remove(&row.id).unwrap_or_default();
            own_areas.sort();
            let mut own_regions = regions.remove(&row.id).unwrap_or_default();
            own_regions.sort_unstable();
            let mut own_months: Vec<YearMonth> = months
                .remove(&row.id)
                .unwrap_or_default()
                .iter()
                .filter_map(|m| YearMonth::parse(m).ok())
                .collect();
            own_months.sort();
            AdvisorDraft {
                name: row.name.clone(),
                kana: Kana::from_katakana(row.kana.clone()),
                affiliation: row.affiliation.clone(),
                engagement: row.engagement.clone(),
                jinzaizo: row.jinzaizo.clone(),
                roles: of_kind("role"),
                specialties: of_kind("specialty"),
                qualifications: own
                    .iter()
                    .filter(|t| t.kind == "qualification")
                    .map(|t| (t.code.clone(), t.year.and_then(|y| u16::try_from(y).ok())))
                    .collect(),
                programmes: of_kind("programme"),
                itss_level: row
                    .itss_level
                    .and_then(|l| u8::try_from(l).ok())
                    .and_then(|l| ItssLevel::try_from(l).ok()),
                municipal_knowledge: row.municipal_knowledge.clone(),
                bio: row.bio.clone(),
                track_record: row.track_record.clone(),
                modes: row.modes(),
                whole_prefecture: row.whole_prefecture,
                regions: own_regions,
                municipalities: own_areas,
                months: own_months,
                contact_email: row.contact_email.clone(),
                contact_phone: row.contact_phone.clone(),
                published: row.published,
            }
        })
        .collect())
}

/// Writes a changed profile over the stored one (row and child rows).
pub(crate) async fn overwrite(
    db: &impl ConnectionTrait,
    row: advisor::Model,
    draft: &AdvisorDraft,
    now: chrono::DateTime<chrono::FixedOffset>,
    by_advisor: bool,
) -> Result<(), DbErr> {
    let id = row.id;
    let version = row.version;
    let mut active = row.into_active_model();
    advisors::write_fields(&mut active, draft);
    active.version = Set(version + 1);
    active.updated_at = Set(now);
    if by_advisor {
        active.last_active_at = Set(now);
    }
    active.update(db).await?;
    advisors::delete_children(db, &[id]).await?;
    advisors::insert_children(db, &[(id, draft)]).await
}

/// The prefecture whose bank the caller manages (its 県管理者), or 401 / 403.
pub fn managed_bank(auth: &RequestAuth) -> Result<String, AppError> {
    let actor = auth.signed_in()?;
    let prefecture = actor.prefecture.clone();
    auth.authorize(
        Action::ManageAdvisor,
        &Resource::Advisor {
            prefecture: prefecture.clone(),
            account: None,
        },
    )?;
    Ok(String::from(prefecture))
}

/// The municipalities of a prefecture (or just `only`) as form choices.
pub(crate) async fn municipality_choices(
    db: &impl ConnectionTrait,
    prefecture: &str,
    only: Option<&str>,
) -> Result<Vec<Choice>, DbErr> {
    let mut query =
        municipality::Entity::find().filter(municipality::Column::PrefectureCode.eq(prefecture));
    if let Some(code) = only {
        query = query.filter(municipality::Column::Code.eq(code));
    }
    Ok(query
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Choice {
            value: m.code,
            label: m.name,
        })
        .collect())
}

/// Creates a profile in the 県管理者's bank; it starts as a draft.
pub async fn create_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    auth: &RequestAuth,
    patch: &AdvisorPatch,
) -> Result<AdvisorId, AppError> {
    let prefecture = managed_bank(auth)?;
    let draft = patch.create()?;
    let vocabulary = advisors::vocabulary(db, &prefecture).await?;
    advisors::check(&draft, &vocabulary)?;
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    let row = advisors::new_row(&prefecture, &draft, now)
        .insert(&txn)
        .await?;
    advisors::insert_children(&txn, &[(row.id, &draft)]).await?;
    search_index::record(&txn, advisor_search::KIND, [row.id.to_string()]).await?;
    commit_audited(
        txn,
        auth,
        AuditAction::AdvisorCreated,
        AdvisorId(row.id),
        prefecture.clone(),
        serde_json::json!({ "name": draft.name }),
    )
    .await?;
    let id = row.id;
    refresh(db, index).await;
    Ok(AdvisorId(id))
}

/// Applies changes to a profile: every field for the bank's 県管理者, the
/// advisor's own fields for the advisor. The patch is applied to the row as it is
/// inside the transaction that writes it, so concurrent edits of different fields
/// both stay; `expected` (the version the client's copy was of, when it sent one)
/// refuses an edit made from an older copy with 409.
pub async fn update_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    auth: &RequestAuth,
    id: AdvisorId,
    patch: &AdvisorPatch,
    expected: Option<i32>,
) -> Result<Vec<&'static str>, AppError> {
    auth.signed_in()?;
    let txn = db.begin().await?;
    let row = lock(&txn, id).await?;
    let editor = editor_for(auth, &row)?;
    AppError::check_version(expected, row.version)?;
    let current = drafts_of(&txn, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or(AdvisorError::NotFound)?;
    let next = patch.apply(&current, editor)?;
    let vocabulary = advisors::vocabulary(&txn, &row.prefecture_code).await?;
    advisors::check(&next, &vocabulary)?;
    let changed: Vec<&'static str> = changed_fields(&current, &next)
        .into_iter()
        .map(|f| f.name())
        .collect();
    if changed.is_empty() {
        return Ok(changed);
    }
    let prefecture = row.prefecture_code.clone();
    let now = Utc::now().fixed_offset();
    overwrite(&txn, row, &next, now, editor == Editor::Advisor).await?;
    search_index::record(&txn, advisor_search::KIND, [id.to_string()]).await?;
    commit_audited(
        txn,
        auth,
        AuditAction::AdvisorUpdated,
        id,
        prefecture,
        serde_json::json!({ "fields": changed }),
    )
    .await?;
    refresh(db, index).await;
    Ok(changed)
}

/// Replaces an advisor's available months (the advisor, or the bank's 県管理者);
/// the change is in the index before this returns. Returns the months stored.
pub async fn set_availability_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    auth: &RequestAuth,
    id: AdvisorId,
    months: &[String],
) -> Result<Vec<String>, AppError> {
    let patch = AdvisorPatch {
        months: Some(months.to_vec()),
        ..AdvisorPatch::default()
    };
    update_for(db, index, auth, id, &patch, None).await?;
    let row = find(db, id).await?;
    let stored = drafts_of(db, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or(AdvisorError::NotFound)?;
    Ok(stored.months.iter().map(ToString::to_string).collect())
}

/// Publishes, unpublishes or retires a profile (the bank's 県管理者).
pub async fn set_status_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    auth: &RequestAuth,
    id: AdvisorId,
    status: &str,
) -> Result<AdvisorStatus, AppError> {
    auth.signed_in()?;
    let txn = db.begin().await?;
    let row = lock(&txn, id).await?;
    auth.authorize(Action::ManageAdvisor, &resource_of(&row))?;
    let status = AdvisorStatus::parse(status).ok_or_else(|| {
        AppError::invalid(
            "status",
            "status は draft・published・retired のいずれかです。",
        )
    })?;
    let before = AdvisorStatus::of(row.published, row.retired);
    if before == status {
        return Ok(status);
    }
    let (published, retired) = status.flags();
    let prefecture = row.prefecture_code.clone();
    let version = row.version;
    let mut active = row.into_active_model();
    active.published = Set(published);
    active.retired = Set(retired);
    active.version = Set(version + 1);
    active.updated_at = Set(Utc::now().fixed_offset());
    active.update(&txn).await?;
    search_index::record(&txn, advisor_search::KIND, [id.to_string()]).await?;
    commit_audited(
        txn,
        auth,
        AuditAction::AdvisorStatusChanged,
        id,
        prefecture,
        serde_json::json!({ "from": before.as_str(), "to": status.as_str() }),
    )
    .await?;
    refresh(db, index).await;
    Ok(status)
}

/// Links the profile to an advisor account of the same prefecture (by email), or
/// unlinks it when `email` is empty (the bank's 県管理者).
pub async fn link_account_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: AdvisorId,
    email: &str,
) -> Result<Option<String>, AppError> {
    auth.signed_in()?;
    let row = find(db, id).await?;
    auth.authorize(Action::ManageAdvisor, &resource_of(&row))?;
    let email = email.trim().to_lowercase();
    let account = if email.is_empty() {
        None
    } else {
        let account = account::Entity::find()
            .filter(account::Column::Email.eq(email.clone()))
            .one(db)
            .await?
            .filter(|a| a.prefecture_code == row.prefecture_code)
            .ok_or_else(|| {
                AppError::invalid(
                    "account_email",
                    "このメールアドレスのアカウントはこの県にありません。",
                )
            })?;
        if Role::parse(&account.role) != Some(Role::Advisor) {
            return Err(AppError::invalid(
                "account_email",
                "紐付けられるのは役割が「アドバイザー」のアカウントだけです。",
            ));
        }
        let taken = advisor::Entity::find()
            .filter(advisor::Column::AccountId.eq(account.id))
            .filter(advisor::Column::Id.ne(id))
            .count(db)
            .await?;
        if taken > 0 {
            return Err(AppError::conflict(
                "account_email",
                "このアカウントは別のアドバイザーに紐付いています。",
            ));
        }
        Some(account)
    };
    let prefecture = row.prefecture_code.clone();
    let txn = db.begin().await?;
    let version = row.version;
    let mut active = row.into_active_model();
    active.account_id = Set(account.as_ref().map(|a| a.id));
    active.version = Set(version + 1);
    active.updated_at = Set(Utc::now().fixed_offset());
    active.update(&txn).await?;
    commit_audited(
        txn,
        auth,
        AuditAction::AdvisorUpdated,
        id,
        prefecture,
        serde_json::json!({
            "fields": ["account"],
            "account": account.as_ref().map(|a| a.email.clone()),
        }),
    )
    .await?;
    Ok(account.map(|a| a.email))
}

/// Stores (or, with `None`, removes) the advisor's photo.
pub async fn set_photo_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: AdvisorId,
    bytes: Option<&[u8]>,
) -> Result<(), AppError> {
    let row = find(db, id).await?;
    let editor = editor_for(auth, &row)?;
    // Stored as decoded and encoded again: no EXIF (GPS), nothing hidden.
    let cleaned = match bytes {
        Some(bytes) => Some(
            crate::services::photos::clean(bytes.to_vec())
                .await
                .map_err(|e| AppError::invalid("photo", e.to_string()))?,
        ),
        None => None,
    };
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    advisor_photo::Entity::delete_by_id(id).exec(&txn).await?;
    if let Some((content_type, bytes)) = &cleaned {
        advisor_photo::Entity::insert(advisor_photo::ActiveModel {
            advisor_id: Set(id.get()),
            content_type: Set((*content_type).to_owned()),
            bytes: Set(bytes.clone()),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    if editor == Editor::Advisor {
        advisor::Entity::update_many()
            .col_expr(
                advisor::Column::LastActiveAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(advisor::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    commit_audited(
        txn,
        auth,
        AuditAction::AdvisorUpdated,
        id,
        row.prefecture_code.clone(),
        serde_json::json!({ "fields": ["photo"], "removed": bytes.is_none() }),
    )
    .await?;
    Ok(())
}

/// The photo, for those who may see the profile's private part.
pub async fn photo_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: AdvisorId,
) -> Result<(String, Vec<u8>), AppError> {
    let row = find(db, id).await?;
    let resource = resource_of(&row);
    let may = |action| {
        auth.actor
            .as_ref()
            .is_some_and(|a| crate::domain::policy::can(a, action, &resource))
    };
    let visible = (row.published && !row.retired) || may(Action::ViewAdvisorDraft);
    if !visible || !may(Action::ViewAdvisorPrivate) {
        return Err(AppError::not_found("写真はありません。"));
    }
    let photo = advisor_photo::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("写真はありません。"))?;
    Ok((photo.content_type, photo.bytes))
}

/// Records the audit entry of a change to profile `id` and commits it with the change.
async fn commit_audited(
    txn: sea_orm::DatabaseTransaction,
    auth: &RequestAuth,
    action: AuditAction,
    id: AdvisorId,
    prefecture: String,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit::record(
        &txn,
        &auth.audit(),
        AuditEvent {
            action,
            target: Some(("advisor", id.to_string())),
            prefecture: Some(prefecture),
            detail,
        },
        None,
    )
    .await?;
    txn.commit().await
}

/// Brings the index level with the commit just made (a failure is logged: the
/// change is durable and the next catch-up applies it).
async fn refresh(db: &DatabaseConnection, index: &SearchIndex) {
    search_index::catch_up_or_log(db, index).await;
}
