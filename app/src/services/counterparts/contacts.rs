//! 伴走支援: the 県's contacts with a town and their follow-ups, the town's view
//! of them (internal notes stay with the 県), and the 県's overview of all its
//! towns for a 年度 (高知県's one visit per town a year reads as coverage).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::api::counterparts::{ContactView, FollowUpView, Overview, OverviewRow};
use crate::auth::RequestAuth;
use crate::domain::counterpart::contact::{ContactInput, ContactKind, parse_contact};
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource, can};
use crate::domain::wareki::FiscalYear;
use crate::entities::{account, contact_log, dispatch, follow_up, municipality, region};
use crate::error::AppError;

/// Records a contact with a town (its 県's staff), with its follow-ups.
pub async fn log_contact_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    code: &LocalGovCode,
    input: &ContactInput,
) -> Result<i32, AppError> {
    auth.signed_in()?;
    let (town, resource) = crate::services::municipalities::find_town(db, code).await?;
    let actor = auth.authorize(Action::LogContact, &resource)?.clone();
    let contact = parse_contact(input)?;
    let owners: HashMap<String, i32> = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(town.prefecture_code.as_str()))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| crate::domain::account::Role::parse(&a.role).is_some_and(|r| r.is_prefecture()))
        .map(|a| (a.email.to_lowercase(), a.id))
        .collect();
    let mut owner_ids = Vec::new();
    for (i, f) in contact.follow_ups.iter().enumerate() {
        let id = match &f.owner {
            None => actor.account_id.get(),
            Some(email) => *owners.get(&email.trim().to_lowercase()).ok_or_else(|| {
                AppError::invalid(
                    format!("follow_ups[{i}].owner"),
                    "担当者はこの県の県職員のメールアドレスで指定してください。",
                )
            })?,
        };
        owner_ids.push(id);
    }
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    let row = contact_log::ActiveModel {
        prefecture_code: Set(town.prefecture_code.clone()),
        municipality_code: Set(town.code.clone()),
        kind: Set(contact.kind.as_str().to_owned()),
        held_on: Set(contact.date),
        pref_participants: Set(contact.participants.clone()),
        town_participants: Set(String::new()),
        topics: Set(contact.topics.join(",")),
        notes: Set(contact.notes.clone()),
        internal: Set(contact.internal),
        author_id: Set(actor.account_id.get()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (f, owner) in contact.follow_ups.iter().zip(owner_ids) {
        follow_up::ActiveModel {
            contact_id: Set(row.id),
            municipality_code: Set(town.code.clone()),
            text: Set(f.text.clone()),
            due_on: Set(f.due),
            owner_id: Set(owner),
            done_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(row.id)
}

/// A town's contacts, newest first: the 県 sees all, the town's staff those not
/// marked internal.
pub async fn contacts_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    code: &LocalGovCode,
) -> Result<Vec<ContactView>, AppError> {
    let actor = auth.signed_in()?;
    let (town, resource) = crate::services::municipalities::find_town(db, code).await?;
    auth.authorize(Action::ViewMunicipality, &resource)?;
    let sees_internal = can(actor, Action::LogContact, &resource);
    let mut select = contact_log::Entity::find()
        .filter(contact_log::Column::MunicipalityCode.eq(town.code.as_str()));
    if !sees_internal {
        select = select.filter(contact_log::Column::Internal.eq(false));
    }
    let rows = select
        .order_by_desc(contact_log::Column::HeldOn)
        .order_by_desc(contact_log::Column::Id)
        .all(db)
        .await?;
    let follow_ups = follow_up::Entity::find()
        .filter(follow_up::Column::ContactId.is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()))
        .order_by_asc(follow_up::Column::DueOn)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows.iter().map(|r| r.author_id).collect();
    ids.extend(follow_ups.iter().map(|f| f.owner_id));
    let names: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let today = Utc::now().date_naive();
    Ok(rows
        .into_iter()
        .map(|r| {
            let kind = ContactKind::parse(&r.kind).unwrap_or(ContactKind::Visit);
            ContactView {
                id: r.id,
                kind,
                kind_label: kind.label().to_owned(),
                date: r.held_on,
                participants: r.pref_participants,
                topics: r
                    .topics
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                notes: r.notes,
                internal: r.internal,
                author: names.get(&r.author_id).cloned().unwrap_or_default(),
                follow_ups: follow_ups
                    .iter()
                    .filter(|f| f.contact_id == r.id)
                    .map(|f| follow_up_view(f, &names, today))
                    .collect(),
            }
        })
        .collect())
}

fn follow_up_view(
    f: &follow_up::Model,
    names: &HashMap<i32, String>,
    today: NaiveDate,
) -> FollowUpView {
    FollowUpView {
        id: f.id,
        text: f.text.clone(),
        due: f.due_on,
        owner: names.get(&f.owner_id).cloned().unwrap_or_default(),
        done: f.done_at.is_some(),
        overdue: f.done_at.is_none() && f.due_on < today,
    }
}

/// Marks a follow-up done (or open again), by the 県 of its town.
pub async fn set_follow_up_done_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
    done: bool,
) -> Result<(), AppError> {
    auth.signed_in()?;
    let row = follow_up::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("フォローアップが見つかりません。"))?;
    let (_, resource) = crate::services::municipalities::find_town(
        db,
        &LocalGovCode::from_stored(row.municipality_code.clone()),
    )
    .await?;
    auth.authorize(Action::LogContact, &resource)?;
    let mut active: follow_up::ActiveModel = row.into();
    active.done_at = Set(done.then(|| Utc::now().fixed_offset()));
    active.update(db).await?;
    Ok(())
}

/// The 県's overview of its towns for a 年度; `unvisited` keeps the towns with no
/// visit in it.
pub async fn overview_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    year: FiscalYear,
    unvisited: bool,
) -> Result<Overview, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(
        Action::ViewPrefecture,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    let prefecture = actor.prefecture.as_str();
    let towns = municipality::Entity::find()
        .filter(municipality::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?;
    let regions: HashMap<i32, String> = region::Entity::find()
        .filter(region::Column::PrefectureCode.eq(prefecture))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let visits = contact_log::Entity::find()
        .filter(contact_log::Column::PrefectureCode.eq(prefecture))
        .filter(contact_log::Column::Kind.eq(ContactKind::Visit.as_str()))
        .all(db)
        .await?;
    let open = follow_up::Entity::find()
        .filter(follow_up::Column::DoneAt.is_null())
        .filter(
            follow_up::Column::MunicipalityCode
                .is_in(towns.iter().map(|t| t.code.clone()).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let dispatches = dispatch::Entity::find()
        .filter(dispatch::Column::PrefectureCode.eq(prefecture))
        .filter(dispatch::Column::FiscalYear.eq(year.0))
        .filter(dispatch::Column::Status.is_in(crate::domain::dispatch::DispatchStatus::counting()))
        .all(db)
        .await?;
    let (first, last) = (year.first_day(), year.last_day());
    let in_year = |d: NaiveDate| first.is_some_and(|f| d >= f) && last.is_some_and(|l| d <= l);
    let today = Utc::now().date_naive();
    let mut rows = Vec::with_capacity(towns.len());
    for town in &towns {
        let code = LocalGovCode::from_stored(town.code.clone());
        let primary = super::counterparts_for(db, auth, &code, today)
            .await?
            .primary
            .map(|p| p.name);
        let mine = visits.iter().filter(|v| v.municipality_code == town.code);
        let last_visit = mine.clone().map(|v| v.held_on).max();
        let count = mine.filter(|v| in_year(v.held_on)).count();
        let follow_ups: Vec<&follow_up::Model> = open
            .iter()
            .filter(|f| f.municipality_code == town.code)
            .collect();
        rows.push(OverviewRow {
            municipality: code,
            municipality_name: town.name.clone(),
            region: town.region_id.and_then(|r| regions.get(&r).cloned()),
            primary,
            last_visit,
            visits: u32::try_from(count).unwrap_or(u32::MAX),
            open_follow_ups: u32::try_from(follow_ups.len()).unwrap_or(u32::MAX),
            overdue_follow_ups: u32::try_from(
                follow_ups.iter().filter(|f| f.due_on < today).count(),
            )
            .unwrap_or(u32::MAX),
            dispatches: u32::try_from(
                dispatches
                    .iter()
                    .filter(|d| d.municipality_code == town.code)
                    .count(),
            )
            .unwrap_or(u32::MAX),
        });
    }
    let visited = rows.iter().filter(|r| r.visits > 0).count();
    let total = rows.len();
    if unvisited {
        rows.retain(|r| r.visits == 0);
    }
    Ok(Overview {
        fiscal_year: year.0,
        label: year.label(),
        visited: u32::try_from(visited).unwrap_or(u32::MAX),
        total: u32::try_from(total).unwrap_or(u32::MAX),
        rows,
        workload: workload_for(db, auth).await?,
    })
}

/// The overview as CSV (the one CSV writer).
pub async fn overview_csv_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    year: FiscalYear,
    unvisited: bool,
) -> Result<Vec<u8>, AppError> {
    let overview = overview_for(db, auth, year, unvisited).await?;
    let header = [
        "団体コード",
        "市町村",
        "地域",
        "主担当",
        "最終訪問日",
        "今年度の訪問",
        "未完了のフォローアップ",
        "期限切れ",
        "今年度の派遣",
    ];
    let rows = overview.rows.iter().map(|r| {
        vec![
            r.municipality.to_string(),
            r.municipality_name.clone(),
            r.region.clone().unwrap_or_default(),
            r.primary.clone().unwrap_or_default(),
            r.last_visit.map(|d| d.to_string()).unwrap_or_default(),
            r.visits.to_string(),
            r.open_follow_ups.to_string(),
            r.overdue_follow_ups.to_string(),
            r.dispatches.to_string(),
        ]
    });
    crate::services::csv_file::write_csv(&header, rows).map_err(AppError::internal)
}

/// Each 県 staff member's towns (primary, secondary) today, the open dispatch
/// requests of their primary towns and the visits they recorded this 年度.
pub async fn workload_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<Vec<crate::api::counterparts::WorkloadRow>, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(
        Action::ViewPrefecture,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    let prefecture = actor.prefecture.as_str();
    let today = Utc::now().date_naive();
    let year = FiscalYear::of(today);
    let staff = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(prefecture))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| {
            crate::domain::account::Role::parse(&a.role).is_some_and(|r| r.is_prefecture())
        });
    let spans: Vec<crate::entities::counterpart::Model> =
        crate::entities::counterpart::Entity::find()
            .filter(crate::entities::counterpart::Column::PrefectureCode.eq(prefecture))
            .filter(crate::entities::counterpart::Column::MunicipalityCode.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .filter(|s| s.starts_on <= today && s.ends_on.is_none_or(|end| end >= today))
            .collect();
    let open: Vec<dispatch::Model> = dispatch::Entity::find()
        .filter(dispatch::Column::PrefectureCode.eq(prefecture))
        .all(db)
        .await?
        .into_iter()
        .filter(|d| {
            crate::domain::dispatch::DispatchStatus::parse(&d.status).is_some_and(|s| s.is_open())
        })
        .collect();
    let visits = contact_log::Entity::find()
        .filter(contact_log::Column::PrefectureCode.eq(prefecture))
        .filter(contact_log::Column::Kind.eq(ContactKind::Visit.as_str()))
        .all(db)
        .await?;
    let (first, last) = (year.first_day(), year.last_day());
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(staff
        .map(|a| {
            let primary_towns: Vec<&str> = spans
                .iter()
                .filter(|s| s.account_id == a.id && s.is_primary)
                .filter_map(|s| s.municipality_code.as_deref())
                .collect();
            crate::api::counterparts::WorkloadRow {
                account: a.id,
                name: a.display_name.clone(),
                primary: count(primary_towns.len()),
                secondary: count(
                    spans
                        .iter()
                        .filter(|s| s.account_id == a.id && !s.is_primary)
                        .count(),
                ),
                open_dispatches: count(
                    open.iter()
                        .filter(|d| primary_towns.contains(&d.municipality_code.as_str()))
                        .count(),
                ),
                visits: count(
                    visits
                        .iter()
                        .filter(|v| v.author_id == a.id)
                        .filter(|v| {
                            first.is_some_and(|f| v.held_on >= f)
                                && last.is_some_and(|l| v.held_on <= l)
                        })
                        .count(),
                ),
            }
        })
        .collect())
}
