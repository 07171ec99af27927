//! カウンターパート: a town's contacts at the 県 on any day, one town's change, a
//! whole 人事異動 previewed and then applied in one transaction (all or nothing),
//! and each town's history. Closed spans keep their history; only a span that had
//! not begun is replaced.

mod contacts;
mod csv;
mod defaults;
mod overview;

pub use contacts::*;
pub use csv::{HEADER, Numbered, changes_from_csv, reassign_csv_for};
pub use defaults::{reassign_page_for, set_region_default_for};
pub use overview::*;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::api::counterparts::{
    AssignInput, CounterpartPerson, CounterpartsView, HistoryEntry, ReassignChange, ReassignError,
    ReassignInput, ReassignPreview, ReassignRow,
};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::audit::AuditAction;
use crate::domain::counterpart::{Fate, Span, fate, on_day};
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource};
use crate::entities::{account, counterpart, municipality};
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

fn span(row: &counterpart::Model) -> Span {
    Span {
        account: row.account_id,
        primary: row.is_primary,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    }
}

fn parse_day(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "日付は 2027-04-01 の形で入力してください。"))
}

/// The 県 accounts of a prefecture that may be counterparts, by e-mail.
async fn staff_by_email(
    db: &impl ConnectionTrait,
    prefecture: &str,
) -> Result<HashMap<String, account::Model>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(prefecture))
        .filter(account::Column::Role.is_in([Role::PrefAdmin.as_str(), Role::PrefStaff.as_str()]))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.email.to_lowercase(), a))
        .collect())
}

/// A town's counterparts on `date` (the town's staff and its 県).
pub async fn counterparts_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    code: &LocalGovCode,
    date: NaiveDate,
) -> Result<CounterpartsView, AppError> {
    auth.signed_in()?;
    let (town, resource) = crate::services::municipalities::find_town(db, code).await?;
    auth.authorize(Action::ViewMunicipality, &resource)?;
    let own = counterpart::Entity::find()
        .filter(counterpart::Column::MunicipalityCode.eq(town.code.as_str()))
        .all(db)
        .await?;
    let region = match town.region_id {
        Some(region) => {
            counterpart::Entity::find()
                .filter(counterpart::Column::RegionId.eq(region))
                .filter(counterpart::Column::MunicipalityCode.is_null())
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let own_spans: Vec<Span> = own.iter().map(span).collect();
    let region_spans: Vec<Span> = region.iter().map(span).collect();
    let found = on_day(&own_spans, &region_spans, date);
    let ids: Vec<i32> = found
        .primary
        .iter()
        .chain(found.secondary.iter())
        .map(|s| s.account)
        .collect();
    let people: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let person = |s: &Span| {
        people.get(&s.account).map(|a| CounterpartPerson {
            account: a.id,
            name: a.display_name.clone(),
            email: a.email.clone(),
            from: s.starts_on,
            to: s.ends_on,
        })
    };
    Ok(CounterpartsView {
        municipality: code.clone(),
        municipality_name: town.name,
        date,
        primary: found.primary.and_then(person),
        secondary: found.secondary.iter().filter_map(|s| person(s)).collect(),
        source: found.source,
    })
}

/// Ends `rows` where a new assignment starts on `from`: a span that had begun is
/// closed the day before (history kept), one that had not is dropped.
pub(super) async fn end_spans(
    txn: &impl ConnectionTrait,
    rows: Vec<counterpart::Model>,
    from: NaiveDate,
) -> Result<(), AppError> {
    for row in rows {
        match fate(&span(&row), from) {
            Fate::Kept => {}
            Fate::Closed(end) => {
                let mut active: counterpart::ActiveModel = row.into();
                active.ends_on = Set(Some(end));
                active.update(txn).await?;
            }
            Fate::Dropped => {
                counterpart::Entity::delete_by_id(row.id).exec(txn).await?;
            }
        }
    }
    Ok(())
}

/// Whether the caller may run a 人事異動 of their prefecture (asked before a file
/// is read).
pub fn may_reassign(auth: &RequestAuth) -> Result<(), AppError> {
    let actor = auth.signed_in()?;
    auth.authorize(
        Action::AssignCounterparts,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    Ok(())
}

/// A checked line of a reassignment.
struct Planned {
    line: u64,
    town: municipality::Model,
    primary: Option<account::Model>,
    secondary: Vec<account::Model>,
}

/// Checks every line against the prefecture's towns and 県 accounts.
async fn plan(
    db: &impl ConnectionTrait,
    prefecture: &str,
    lines: &[Numbered],
) -> Result<(Vec<Planned>, Vec<ReassignError>), AppError> {
    let towns: HashMap<String, municipality::Model> = municipality::Entity::find()
        .filter(municipality::Column::PrefectureCode.eq(prefecture))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    let staff = staff_by_email(db, prefecture).await?;
    let mut planned: Vec<Planned> = Vec::new();
    let mut errors = Vec::new();
    let person = |email: &str| {
        staff
            .get(&email.trim().to_lowercase())
            .cloned()
            .ok_or_else(|| {
                format!(
                    "「{}」はこの県の県職員のアカウントではありません(停止中を含む)。",
                    email.trim()
                )
            })
    };
    for numbered in lines {
        let (line, change) = (&numbered.line, &numbered.change);
        let mut refuse = |line: u64, message: String| errors.push(ReassignError { line, message });
        let Some(town) = towns.get(change.municipality.trim()).cloned() else {
            refuse(
                *line,
                format!(
                    "団体コード「{}」はこの県の市町村ではありません。",
                    change.municipality.trim()
                ),
            );
            continue;
        };
        if planned.iter().any(|p| p.town.code == town.code) {
            refuse(
                *line,
                format!(
                    "{}が2回出てきます。1つの市町村は1行にしてください。",
                    town.name
                ),
            );
            continue;
        }
        let primary = match change.primary.as_deref().filter(|e| !e.trim().is_empty()) {
            None => None,
            Some(email) => match person(email) {
                Ok(p) => Some(p),
                Err(message) => {
                    refuse(numbered.line_of(email), message);
                    continue;
                }
            },
        };
        let mut secondary = Vec::new();
        let mut bad = false;
        for email in change.secondary.iter().filter(|e| !e.trim().is_empty()) {
            match person(email) {
                Ok(p) => secondary.push(p),
                Err(message) => {
                    refuse(numbered.line_of(email), message);
                    bad = true;
                }
            }
        }
        if !bad {
            planned.push(Planned {
                line: *line,
                town,
                primary,
                secondary,
            });
        }
    }
    Ok((planned, errors))
}

/// Previews (`dry_run`) or applies a 人事異動 of the caller's prefecture: every
/// line is checked first; with any error nothing is applied.
pub async fn reassign_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &ReassignInput,
) -> Result<ReassignPreview, AppError> {
    let lines: Vec<Numbered> = input
        .changes
        .iter()
        .cloned()
        .zip(1..)
        .map(|(c, line)| Numbered::at(line, c))
        .collect();
    reassign_lines(db, auth, &input.effective, &lines, input.dry_run).await
}

/// [`reassign_for`] over numbered lines (a CSV's line numbers).
// Long: authorise, check every line, then in one transaction close or drop the
// towns' spans and open the new ones, and audit.
pub async fn reassign_lines(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    effective: &str,
    lines: &[Numbered],
    dry_run: bool,
) -> Result<ReassignPreview, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(
        Action::AssignCounterparts,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    let effective = parse_day("effective", effective)?;
    let txn = db.begin().await?;
    let (planned, errors) = plan(&txn, actor.prefecture.as_str(), lines).await?;
    let mut rows = Vec::with_capacity(planned.len());
    for p in &planned {
        let code = LocalGovCode::from_stored(p.town.code.clone());
        let before = counterparts_for(&txn, auth, &code, effective).await?;
        rows.push(ReassignRow {
            line: p.line,
            municipality: code,
            municipality_name: p.town.name.clone(),
            before: before.primary.map(|b| b.name),
            after: p.primary.as_ref().map(|a| a.display_name.clone()),
            secondary: p.secondary.iter().map(|a| a.display_name.clone()).collect(),
        });
    }
    let apply = !dry_run && errors.is_empty();
    if !dry_run && !errors.is_empty() {
        let first = &errors[0];
        return Err(AppError::invalid(
            "changes",
            format!(
                "{}行目: {}(ほか{}件)。何も変更していません。",
                first.line,
                first.message,
                errors.len() - 1
            ),
        ));
    }
    if apply {
        let now = chrono::Utc::now().fixed_offset();
        for p in &planned {
            let existing = counterpart::Entity::find()
                .filter(counterpart::Column::MunicipalityCode.eq(p.town.code.as_str()))
                .all(&txn)
                .await?;
            end_spans(&txn, existing, effective).await?;
            let people = p
                .primary
                .iter()
                .map(|a| (a, true))
                .chain(p.secondary.iter().map(|a| (a, false)));
            for (person, primary) in people {
                counterpart::ActiveModel {
                    prefecture_code: Set(p.town.prefecture_code.clone()),
                    municipality_code: Set(Some(p.town.code.clone())),
                    region_id: Set(None),
                    account_id: Set(person.id),
                    is_primary: Set(primary),
                    starts_on: Set(effective),
                    ends_on: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        audit::record(
            &txn,
            &auth.audit(),
            AuditEvent {
                action: AuditAction::CounterpartsChanged,
                target: None,
                prefecture: Some(actor.prefecture.to_string()),
                detail: json!({ "effective": effective.to_string(), "municipalities": planned.len() }),
            },
            None,
        )
        .await?;
        txn.commit().await?;
    }
    Ok(ReassignPreview {
        effective,
        applied: apply,
        rows,
        errors,
    })
}

/// Sets one town's counterparts from a day on.
pub async fn assign_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    code: &LocalGovCode,
    input: &AssignInput,
) -> Result<CounterpartsView, AppError> {
    auth.signed_in()?;
    let (town, _) = crate::services::municipalities::find_town(db, code).await?;
    auth.authorize(
        Action::AssignCounterparts,
        &Resource::Prefecture {
            code: LocalGovCode::from_stored(town.prefecture_code),
        },
    )?;
    let change = ReassignChange {
        municipality: code.to_string(),
        primary: input.primary.clone(),
        secondary: input.secondary.clone(),
    };
    let preview = reassign_lines(db, auth, &input.from, &[Numbered::at(1, change)], false).await?;
    counterparts_for(db, auth, code, preview.effective).await
}

/// A town's assignments, oldest first (the town's staff and its 県).
pub async fn history_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    code: &LocalGovCode,
) -> Result<Vec<HistoryEntry>, AppError> {
    let today = crate::services::today();
    // Authorises, and 404s an unknown town.
    counterparts_for(db, auth, code, today).await?;
    let rows = counterpart::Entity::find()
        .filter(counterpart::Column::MunicipalityCode.eq(code.as_str()))
        .order_by_asc(counterpart::Column::StartsOn)
        .order_by_asc(counterpart::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|r| r.account_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let a = people.get(&r.account_id)?;
            Some(HistoryEntry {
                person: CounterpartPerson {
                    account: a.id,
                    name: a.display_name.clone(),
                    email: a.email.clone(),
                    from: r.starts_on,
                    to: r.ends_on,
                },
                primary: r.is_primary,
            })
        })
        .collect())
}

/// The towns an account is the primary counterpart of today or later (a 県管理者
/// reassigns them before the account may be stopped).
pub async fn primary_towns_of(
    db: &impl ConnectionTrait,
    account: i32,
    today: NaiveDate,
) -> Result<Vec<String>, AppError> {
    let codes: Vec<String> = counterpart::Entity::find()
        .filter(counterpart::Column::AccountId.eq(account))
        .filter(counterpart::Column::IsPrimary.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.ends_on.is_none_or(|end| end >= today))
        .filter_map(|r| r.municipality_code)
        .collect();
    Ok(municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(codes))
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.name)
        .collect())
}
