//! What the pages and the JSON API show: the board, a request with its timeline
//! and the steps the caller may take, a town's quota for a 年度, the 県's usage
//! table and the 派遣実績 export.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::requests::visible_to;
use super::{
    counted, counted_hours, load, mode_of, now, programme_view, rules_of, status_of, stored_hours,
};
use crate::api::dispatches::{
    AdvisorRef, DispatchDetail, DispatchQuery, DispatchSummary, ProgrammeQuota, QuotaView,
    ReportView, TimelineEntry, UsageRow, UsageTable,
};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::dispatch::quota::{Usage, remaining};
use crate::domain::dispatch::{AdviceType, DispatchStatus, Party, Step, held, report_overdue};
use crate::domain::ids::{AdvisorId, DispatchId, ProgrammeId};
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource, can};
use crate::domain::wareki::FiscalYear;
use crate::entities::{advisor, dispatch, dispatch_event, dispatch_programme, municipality};
use crate::error::AppError;

/// Most requests a list returns.
pub const MAX_LIST: u64 = 1000;

/// Names the summaries need, fetched once per list.
struct Names {
    towns: HashMap<String, String>,
    programmes: HashMap<i32, String>,
    advisors: HashMap<i32, String>,
}

async fn names(db: &impl ConnectionTrait, rows: &[dispatch::Model]) -> Result<Names, AppError> {
    let towns: Vec<String> = rows.iter().map(|r| r.municipality_code.clone()).collect();
    let programmes: Vec<i32> = rows.iter().map(|r| r.programme_id).collect();
    let mut advisors: Vec<i32> = rows.iter().filter_map(|r| r.advisor_id).collect();
    for row in rows {
        advisors.extend(wished_ids(row));
    }
    Ok(Names {
        towns: municipality::Entity::find()
            .filter(municipality::Column::Code.is_in(towns))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.code, m.name))
            .collect(),
        programmes: dispatch_programme::Entity::find()
            .filter(dispatch_programme::Column::Id.is_in(programmes))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
        advisors: advisor::Entity::find()
            .filter(advisor::Column::Id.is_in(advisors))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect(),
    })
}

fn wished_ids(row: &dispatch::Model) -> Vec<i32> {
    row.wished_advisors
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

fn advisor_ref(names: &Names, id: i32) -> AdvisorRef {
    AdvisorRef {
        id: AdvisorId(id),
        name: names.advisors.get(&id).cloned().unwrap_or_default(),
    }
}

fn summary(row: &dispatch::Model, names: &Names) -> DispatchSummary {
    let status = status_of(row);
    let at = now();
    let overdue = report_overdue(status, row.ends_at, at);
    let status_label = if overdue {
        "報告期限超過".to_owned()
    } else if held(status, row.ends_at, at) {
        "実施済(報告待ち)".to_owned()
    } else {
        status.label().to_owned()
    };
    DispatchSummary {
        id: DispatchId(row.id),
        municipality: LocalGovCode::from_stored(row.municipality_code.clone()),
        municipality_name: names
            .towns
            .get(&row.municipality_code)
            .cloned()
            .unwrap_or_default(),
        programme: ProgrammeId(row.programme_id),
        programme_name: names
            .programmes
            .get(&row.programme_id)
            .cloned()
            .unwrap_or_default(),
        advice_type: AdviceType::parse(&row.advice_type).unwrap_or(AdviceType::Issue),
        mode: mode_of(row),
        status,
        status_label,
        overdue,
        advisor: row.advisor_id.map(|id| advisor_ref(names, id)),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        fiscal_year: row.fiscal_year,
        hours: counted_hours(row),
        created_at: row.created_at,
    }
}

/// The advisor profile of the caller, if they are an advisor.
async fn own_profile(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<Option<i32>, AppError> {
    let Some(actor) = &auth.actor else {
        return Ok(None);
    };
    if actor.role != Role::Advisor {
        return Ok(None);
    }
    Ok(advisor::Entity::find()
        .filter(advisor::Column::AccountId.eq(actor.account_id.get()))
        .one(db)
        .await?
        .map(|a| a.id))
}

/// The requests the caller may see, filtered: the 県 all of its towns', a town
/// its own, an advisor those proposed to them. Newest first.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    query: &DispatchQuery,
) -> Result<Vec<DispatchSummary>, AppError> {
    let actor = auth.signed_in()?;
    let mut select = dispatch::Entity::find()
        .filter(dispatch::Column::PrefectureCode.eq(actor.prefecture.as_str()));
    match actor.role {
        Role::PrefAdmin | Role::PrefStaff => {}
        Role::MuniStaff => {
            let town = actor
                .municipality
                .as_ref()
                .map(|m| m.to_string())
                .unwrap_or_default();
            select = select.filter(dispatch::Column::MunicipalityCode.eq(town));
        }
        Role::Advisor => {
            let own = own_profile(db, auth).await?.unwrap_or(0);
            select = select.filter(dispatch::Column::AdvisorId.eq(own));
        }
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        let status = DispatchStatus::parse(status).ok_or_else(|| {
            AppError::invalid("status", format!("状態「{status}」はありません。"))
        })?;
        select = select.filter(dispatch::Column::Status.eq(status.as_str()));
    }
    if let Some(programme) = query.programme {
        select = select.filter(dispatch::Column::ProgrammeId.eq(programme));
    }
    if let Some(town) = query.municipality.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(dispatch::Column::MunicipalityCode.eq(town.trim()));
    }
    if let Some(advisor_id) = query.advisor {
        select = select.filter(dispatch::Column::AdvisorId.eq(advisor_id));
    }
    if let Some(year) = query.fiscal_year {
        let year = FiscalYear(year);
        // Approved ones by their date; the others by the day they were filed.
        let (Some(first), Some(last)) = (year.first_day(), year.last_day()) else {
            return Err(AppError::invalid("fiscal_year", "年度が正しくありません。"));
        };
        let filed_from = first.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let filed_to = last
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc());
        select = select.filter(
            sea_orm::Condition::any()
                .add(dispatch::Column::FiscalYear.eq(year.0))
                .add(
                    sea_orm::Condition::all()
                        .add(dispatch::Column::FiscalYear.is_null())
                        .add(dispatch::Column::CreatedAt.gte(filed_from))
                        .add(dispatch::Column::CreatedAt.lt(filed_to)),
                ),
        );
    }
    let rows = select
        .order_by_desc(dispatch::Column::Id)
        .limit(MAX_LIST)
        .all(db)
        .await?;
    let names = names(db, &rows).await?;
    Ok(rows.iter().map(|r| summary(r, &names)).collect())
}

/// The steps `auth` may take on the request now.
fn actions(
    auth: &RequestAuth,
    row: &dispatch::Model,
    advisor: Option<&advisor::Model>,
) -> Vec<Step> {
    let Some(actor) = &auth.actor else {
        return Vec::new();
    };
    let resource = super::resource(row, advisor);
    let status = status_of(row);
    Step::ALL
        .into_iter()
        .filter(|step| step.next(status).is_some())
        .filter(|step| {
            let action = match step.party() {
                Party::Town => Action::RequestDispatch,
                Party::Prefecture => Action::ManageDispatch,
                Party::Advisor => Action::AnswerDispatch,
            };
            can(actor, action, &resource)
        })
        .filter(|step| *step != Step::Report || row.starts_at.is_some_and(|s| s <= now()))
        .collect()
}

/// One request with its timeline (404 for one the caller may not see).
pub async fn detail_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: DispatchId,
) -> Result<DispatchDetail, AppError> {
    let (row, advisor) = load(db, id).await?;
    visible_to(auth, &row, advisor.as_ref())?;
    let names = names(db, std::slice::from_ref(&row)).await?;
    let timeline = dispatch_event::Entity::find()
        .filter(dispatch_event::Column::DispatchId.eq(row.id))
        .order_by_asc(dispatch_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| TimelineEntry {
            label: Step::parse(&e.step).map_or("依頼", Step::label).to_owned(),
            status: DispatchStatus::parse(&e.to_status).unwrap_or(DispatchStatus::Submitted),
            at: e.at,
            actor: e.actor_name,
            step: e.step,
            note: e.note,
        })
        .collect();
    let report = row.report_hours.map(|hours| ReportView {
        hours: stored_hours(hours),
        summary: row.report_summary.clone().unwrap_or_default(),
        outcome: row.report_outcome.clone().unwrap_or_default(),
        next_steps: row.report_next_steps.clone().unwrap_or_default(),
    });
    Ok(DispatchDetail {
        summary: summary(&row, &names),
        need: row.need.clone(),
        hours_wanted: stored_hours(row.hours_wanted),
        preferred_from: row.preferred_from,
        preferred_to: row.preferred_to,
        wished: wished_ids(&row)
            .into_iter()
            .map(|id| advisor_ref(&names, id))
            .collect(),
        place: row.place.clone(),
        quota_at_approval: row
            .quota_rules
            .as_deref()
            .map(rules_of)
            .unwrap_or_default()
            .iter()
            .map(|r| r.describe())
            .collect(),
        report,
        reject_reason: row.reject_reason.clone(),
        actions: actions(auth, &row, advisor.as_ref()),
        timeline,
    })
}

/// A town's use of each active programme in a 年度 (the town's staff and its 県).
pub async fn quota_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    code: &LocalGovCode,
    year: FiscalYear,
) -> Result<QuotaView, AppError> {
    let (town, resource) = crate::services::municipalities::find_town(db, code).await?;
    auth.authorize(Action::ViewMunicipality, &resource)?;
    let programmes = dispatch_programme::Entity::find()
        .filter(dispatch_programme::Column::PrefectureCode.eq(town.prefecture_code.as_str()))
        .filter(dispatch_programme::Column::Active.eq(true))
        .order_by_asc(dispatch_programme::Column::Id)
        .all(db)
        .await?;
    let used = dispatch::Entity::find()
        .filter(dispatch::Column::MunicipalityCode.eq(town.code.as_str()))
        .filter(dispatch::Column::FiscalYear.eq(year.0))
        .filter(dispatch::Column::Status.is_in(DispatchStatus::counting()))
        .all(db)
        .await?;
    let programmes = programmes
        .iter()
        .map(|p| {
            let view = programme_view(p);
            let mine: Vec<_> = used
                .iter()
                .filter(|d| d.programme_id == p.id)
                .map(counted)
                .collect();
            let usage = Usage::of(&mine);
            ProgrammeQuota {
                id: view.id,
                name: view.name,
                used: usage,
                remaining: remaining(&view.rules, usage),
                limits: view.rules,
                limits_text: view.rules_text,
            }
        })
        .collect();
    Ok(QuotaView {
        municipality: code.clone(),
        municipality_name: town.name,
        fiscal_year: year.0,
        label: year.label(),
        programmes,
    })
}

/// Dispatches and hours per programme per town of the caller's prefecture for a
/// 年度 (the 県).
pub async fn usage_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    year: FiscalYear,
) -> Result<UsageTable, AppError> {
    let actor = auth.signed_in()?;
    auth.authorize(
        Action::ViewPrefecture,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    let programmes = dispatch_programme::Entity::find()
        .filter(dispatch_programme::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .order_by_asc(dispatch_programme::Column::Id)
        .all(db)
        .await?;
    let rows = dispatch::Entity::find()
        .filter(dispatch::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .filter(dispatch::Column::FiscalYear.eq(year.0))
        .filter(dispatch::Column::Status.is_in(DispatchStatus::counting()))
        .order_by_asc(dispatch::Column::MunicipalityCode)
        .all(db)
        .await?;
    let names = names(db, &rows).await?;
    let mut table: Vec<UsageRow> = Vec::new();
    for row in &rows {
        let column = programmes.iter().position(|p| p.id == row.programme_id);
        let Some(column) = column else { continue };
        if table
            .last()
            .is_none_or(|r| r.municipality.as_str() != row.municipality_code)
        {
            table.push(UsageRow {
                municipality: LocalGovCode::from_stored(row.municipality_code.clone()),
                municipality_name: names
                    .towns
                    .get(&row.municipality_code)
                    .cloned()
                    .unwrap_or_default(),
                counts: vec![0; programmes.len()],
                hours: vec![Default::default(); programmes.len()],
            });
        }
        if let Some(last) = table.last_mut() {
            last.counts[column] += 1;
            last.hours[column].0 += counted_hours(row).0;
        }
    }
    Ok(UsageTable {
        fiscal_year: year.0,
        label: year.label(),
        programmes: programmes
            .into_iter()
            .map(|p| (ProgrammeId(p.id), p.name))
            .collect(),
        rows: table,
    })
}

/// 派遣実績: the caller's visible requests as CSV rows (the one CSV writer).
pub async fn export_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    query: &DispatchQuery,
) -> Result<Vec<u8>, AppError> {
    let list = list_for(db, auth, query).await?;
    let header = [
        "依頼番号",
        "団体コード",
        "市町村",
        "制度",
        "相談の種類",
        "方法",
        "状態",
        "アドバイザー",
        "開始",
        "終了",
        "年度",
        "時間",
    ];
    let rows = list.iter().map(|d| {
        vec![
            d.id.to_string(),
            d.municipality.to_string(),
            d.municipality_name.clone(),
            d.programme_name.clone(),
            d.advice_type.label().to_owned(),
            d.mode.label().to_owned(),
            d.status_label.clone(),
            d.advisor
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            d.starts_at
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            d.ends_at
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            d.fiscal_year
                .map(|y| FiscalYear(y).label())
                .unwrap_or_default(),
            format!("{}", d.hours.as_hours()),
        ]
    });
    crate::services::csv_file::write_csv(&header, rows).map_err(AppError::internal)
}
