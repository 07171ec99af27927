//! The 県's overview of all its towns for a 年度 (高知県's one visit per town a
//! year reads as coverage), each staff member's workload, and a counterpart's own
//! towns with what is due. Every figure comes from a handful of queries over the
//! whole prefecture, grouped in memory: no query per town.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::api::counterparts::{DueItem, MyTown, MyTowns, Overview, OverviewRow, WorkloadRow};
use crate::auth::RequestAuth;
use crate::domain::account::{Actor, Role};
use crate::domain::counterpart::contact::ContactKind;
use crate::domain::counterpart::{Span, on_day};
use crate::domain::dispatch::{DispatchStatus, Party};
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource};
use crate::domain::wareki::FiscalYear;
use crate::entities::{
    account, contact_log, counterpart, dispatch, follow_up, municipality, region,
};
use crate::error::AppError;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The caller, if they belong to their prefecture's office.
fn prefecture_staff(auth: &RequestAuth) -> Result<Actor, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(
        Action::ViewPrefecture,
        &Resource::Prefecture {
            code: actor.prefecture.clone(),
        },
    )?;
    Ok(actor)
}

/// Everything the overview counts, for one prefecture, loaded once.
struct Ledger {
    towns: Vec<municipality::Model>,
    regions: HashMap<i32, String>,
    /// Each town's counterparts today: `(account, primary)`.
    people: HashMap<String, Vec<(i32, bool)>>,
    names: HashMap<i32, String>,
    visits: Vec<contact_log::Model>,
    open: Vec<follow_up::Model>,
    dispatches: Vec<dispatch::Model>,
    charges: HashMap<String, u64>,
}

impl Ledger {
    // Long: one query per kind of figure, each over the whole prefecture.
    async fn load(
        db: &impl ConnectionTrait,
        prefecture: &str,
        year: FiscalYear,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let towns = municipality::Entity::find()
            .filter(municipality::Column::PrefectureCode.eq(prefecture))
            .order_by_asc(municipality::Column::Code)
            .all(db)
            .await?;
        let regions = region::Entity::find()
            .filter(region::Column::PrefectureCode.eq(prefecture))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        let spans = counterpart::Entity::find()
            .filter(counterpart::Column::PrefectureCode.eq(prefecture))
            .all(db)
            .await?;
        let people = people_today(&towns, &spans, today);
        let names = account::Entity::find()
            .filter(account::Column::PrefectureCode.eq(prefecture))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.display_name))
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
            .order_by_asc(follow_up::Column::DueOn)
            .all(db)
            .await?;
        let dispatches = dispatch::Entity::find()
            .filter(dispatch::Column::PrefectureCode.eq(prefecture))
            .all(db)
            .await?;
        let charges = crate::services::trainings::charges_by_town(db, prefecture, year).await?;
        Ok(Self {
            towns,
            regions,
            people,
            names,
            visits,
            open,
            dispatches,
            charges,
        })
    }

    /// One row per town, in code order.
    fn rows(&self, year: FiscalYear, today: NaiveDate) -> Vec<OverviewRow> {
        let (first, last) = (year.first_day(), year.last_day());
        let in_year = |d: NaiveDate| first.is_some_and(|f| d >= f) && last.is_some_and(|l| d <= l);
        let mut last_visit: HashMap<&str, NaiveDate> = HashMap::new();
        let mut visits: HashMap<&str, usize> = HashMap::new();
        for v in &self.visits {
            let day = last_visit
                .entry(v.municipality_code.as_str())
                .or_insert(v.held_on);
            *day = (*day).max(v.held_on);
            if in_year(v.held_on) {
                *visits.entry(v.municipality_code.as_str()).or_default() += 1;
            }
        }
        let mut open: HashMap<&str, (usize, usize)> = HashMap::new();
        for f in &self.open {
            let entry = open.entry(f.municipality_code.as_str()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(f.due_on < today);
        }
        let mut used: HashMap<&str, usize> = HashMap::new();
        let mut awaiting: HashMap<&str, usize> = HashMap::new();
        for d in &self.dispatches {
            let status = DispatchStatus::parse(&d.status).unwrap_or(DispatchStatus::Submitted);
            if status.counts() && d.fiscal_year == Some(year.0) {
                *used.entry(d.municipality_code.as_str()).or_default() += 1;
            }
            if status.awaits(Party::Prefecture) {
                *awaiting.entry(d.municipality_code.as_str()).or_default() += 1;
            }
        }
        self.towns
            .iter()
            .map(|town| {
                let code = town.code.as_str();
                let (open, overdue) = open.get(code).copied().unwrap_or_default();
                OverviewRow {
                    municipality: LocalGovCode::from_stored(town.code.clone()),
                    municipality_name: town.name.clone(),
                    region: town.region_id.and_then(|r| self.regions.get(&r).cloned()),
                    primary: self
                        .people
                        .get(code)
                        .and_then(|p| p.iter().find(|(_, primary)| *primary))
                        .and_then(|(id, _)| self.names.get(id).cloned()),
                    last_visit: last_visit.get(code).copied(),
                    visits: count(visits.get(code).copied().unwrap_or_default()),
                    open_follow_ups: count(open),
                    overdue_follow_ups: count(overdue),
                    dispatches: count(used.get(code).copied().unwrap_or_default()),
                    awaiting: count(awaiting.get(code).copied().unwrap_or_default()),
                    charges: self.charges.get(code).copied().unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// Each town's counterparts today, `(account, primary)`, its own or its region's.
fn people_today(
    towns: &[municipality::Model],
    spans: &[counterpart::Model],
    today: NaiveDate,
) -> HashMap<String, Vec<(i32, bool)>> {
    let as_span = |row: &counterpart::Model| Span {
        account: row.account_id,
        primary: row.is_primary,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    };
    let mut own: HashMap<&str, Vec<Span>> = HashMap::new();
    let mut by_region: HashMap<i32, Vec<Span>> = HashMap::new();
    for row in spans {
        match (&row.municipality_code, row.region_id) {
            (Some(code), _) => own.entry(code.as_str()).or_default().push(as_span(row)),
            (None, Some(region)) => by_region.entry(region).or_default().push(as_span(row)),
            (None, None) => {}
        }
    }
    towns
        .iter()
        .map(|town| {
            let mine = own.get(town.code.as_str()).map_or(&[][..], Vec::as_slice);
            let region = town
                .region_id
                .and_then(|r| by_region.get(&r))
                .map_or(&[][..], Vec::as_slice);
            let found = on_day(mine, region, today);
            let people = found
                .primary
                .map(|s| (s.account, true))
                .into_iter()
                .chain(found.secondary.iter().map(|s| (s.account, false)))
                .collect();
            (town.code.clone(), people)
        })
        .collect()
}

/// The 県's overview of its towns for a 年度; `unvisited` keeps the towns with no
/// visit in it.
pub async fn overview_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    year: FiscalYear,
    unvisited: bool,
) -> Result<Overview, AppError> {
    let actor = prefecture_staff(auth)?;
    let today = crate::services::today();
    let ledger = Ledger::load(db, actor.prefecture.as_str(), year, today).await?;
    // The workload is always this 年度's; the ledger of another year is not it.
    let workload = if year == FiscalYear::of(today) {
        workload_of(db, actor.prefecture.as_str(), &ledger, year).await?
    } else {
        workload_for(db, auth).await?
    };
    let mut rows = ledger.rows(year, today);
    let visited = rows.iter().filter(|r| r.visits > 0).count();
    let total = rows.len();
    if unvisited {
        rows.retain(|r| r.visits == 0);
    }
    Ok(Overview {
        fiscal_year: year.0,
        label: year.label(),
        visited: count(visited),
        total: count(total),
        rows,
        workload,
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
        "県の対応待ちの派遣依頼",
        "今年度の研修負担金(確定・円)",
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
            r.awaiting.to_string(),
            r.charges.to_string(),
        ]
    });
    crate::services::csv_file::write_csv(&header, rows).map_err(AppError::internal)
}

/// Each 県 staff member's towns (primary, secondary) today, the open dispatch
/// requests of their primary towns and the visits they recorded this 年度.
pub async fn workload_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<Vec<WorkloadRow>, AppError> {
    let actor = prefecture_staff(auth)?;
    let prefecture = actor.prefecture.as_str();
    let today = crate::services::today();
    let year = FiscalYear::of(today);
    let ledger = Ledger::load(db, prefecture, year, today).await?;
    workload_of(db, prefecture, &ledger, year).await
}

/// The workload read off a ledger of this 年度.
async fn workload_of(
    db: &impl ConnectionTrait,
    prefecture: &str,
    ledger: &Ledger,
    year: FiscalYear,
) -> Result<Vec<WorkloadRow>, AppError> {
    let staff = account::Entity::find()
        .filter(account::Column::PrefectureCode.eq(prefecture))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| Role::parse(&a.role).is_some_and(|r| r.is_prefecture()));
    let mut primary: HashMap<i32, Vec<&str>> = HashMap::new();
    let mut secondary: HashMap<i32, usize> = HashMap::new();
    for (code, people) in &ledger.people {
        for (id, is_primary) in people {
            if *is_primary {
                primary.entry(*id).or_default().push(code.as_str());
            } else {
                *secondary.entry(*id).or_default() += 1;
            }
        }
    }
    let mut open: HashMap<&str, usize> = HashMap::new();
    for d in &ledger.dispatches {
        if DispatchStatus::parse(&d.status).is_some_and(DispatchStatus::is_open) {
            *open.entry(d.municipality_code.as_str()).or_default() += 1;
        }
    }
    let (first, last) = (year.first_day(), year.last_day());
    let mut visits: HashMap<i32, usize> = HashMap::new();
    for v in &ledger.visits {
        if first.is_some_and(|f| v.held_on >= f) && last.is_some_and(|l| v.held_on <= l) {
            *visits.entry(v.author_id).or_default() += 1;
        }
    }
    Ok(staff
        .map(|a| {
            let towns = primary.get(&a.id).map_or(&[][..], Vec::as_slice);
            WorkloadRow {
                account: a.id,
                name: a.display_name.clone(),
                primary: count(towns.len()),
                secondary: count(secondary.get(&a.id).copied().unwrap_or_default()),
                open_dispatches: count(
                    towns
                        .iter()
                        .map(|t| open.get(t).copied().unwrap_or_default())
                        .sum(),
                ),
                visits: count(visits.get(&a.id).copied().unwrap_or_default()),
            }
        })
        .collect())
}

/// The caller's towns today (primary first) and what is due: their open
/// follow-ups and the dispatch requests of their towns waiting for the 県 (the
/// towns not yet visited this 年度 are read off the towns).
pub async fn my_towns_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<MyTowns, AppError> {
    let actor = prefecture_staff(auth)?;
    let me = actor.account_id.get();
    let today = crate::services::today();
    let year = FiscalYear::of(today);
    let ledger = Ledger::load(db, actor.prefecture.as_str(), year, today).await?;
    let mut towns: Vec<MyTown> = ledger
        .rows(year, today)
        .into_iter()
        .filter_map(|row| {
            let people = ledger.people.get(row.municipality.as_str())?;
            let (_, primary) = people.iter().find(|(id, _)| *id == me)?;
            Some(MyTown {
                primary: *primary,
                row,
            })
        })
        .collect();
    towns.sort_by_key(|t| !t.primary);
    let name_of = |code: &str| {
        ledger
            .towns
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let mine = |code: &str| towns.iter().any(|t| t.row.municipality == *code);
    let mut due: Vec<DueItem> = ledger
        .open
        .iter()
        .filter(|f| f.owner_id == me)
        .map(|f| DueItem {
            municipality: LocalGovCode::from_stored(f.municipality_code.clone()),
            municipality_name: name_of(&f.municipality_code),
            text: format!("フォローアップ: {}", f.text),
            due: Some(f.due_on),
            overdue: f.due_on < today,
            href: format!("/municipalities/{}", f.municipality_code),
        })
        .collect();
    due.extend(
        ledger
            .dispatches
            .iter()
            .filter(|d| mine(&d.municipality_code))
            .filter_map(|d| {
                let status = DispatchStatus::parse(&d.status)?;
                status.awaits(Party::Prefecture).then(|| DueItem {
                    municipality: LocalGovCode::from_stored(d.municipality_code.clone()),
                    municipality_name: name_of(&d.municipality_code),
                    text: format!("派遣依頼 第{}号: {}", d.id, status.label()),
                    due: None,
                    overdue: false,
                    href: format!("/dispatches/{}", d.id),
                })
            }),
    );
    due.sort_by_key(|d| (!d.overdue, d.due.is_none(), d.due));
    Ok(MyTowns {
        label: year.label(),
        towns,
        due,
    })
}
