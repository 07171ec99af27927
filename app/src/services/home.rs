//! Data of the role home pages.

use crate::domain::local_gov::LocalGovCode;
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::api::accounts::AccountQuery;
use crate::api::home::{
    Home, MunicipalityPage, MunicipalitySummary, PrefectureOverview, TownEvent,
};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::policy::{Action, Resource};
use crate::entities::{account, municipality, prefecture};
use crate::error::AppError;
use crate::services::{accounts, municipalities};

/// Posts mentioning the caller shown on their home.
const MENTIONS_SHOWN: usize = 5;

/// A municipality's page, if the caller may see it. Unknown codes are 404 for
/// callers who are signed in (no private data is involved in saying so).
pub async fn municipality_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    code: &str,
) -> Result<MunicipalityPage, AppError> {
    auth.signed_in()?;
    let row = municipality::Entity::find_by_id(code.trim().to_owned())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("この団体コードの市町村はありません。"))?;
    auth.authorize(
        Action::ViewMunicipality,
        &Resource::Municipality {
            prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
            code: LocalGovCode::from_stored(row.code.clone()),
        },
    )?;
    let item = municipalities::list(db, Some(&row.prefecture_code))
        .await
        .map_err(AppError::from)?
        .into_iter()
        .find(|m| m.code == row.code)
        .ok_or_else(|| AppError::not_found("この団体コードの市町村はありません。"))?;
    let accounts = accounts::list_for(
        db,
        auth,
        &AccountQuery {
            municipality: Some(row.code.clone()),
            ..AccountQuery::default()
        },
    )
    .await?;
    let trainings = crate::services::trainings::town_trainings(db, &row.code).await?;
    let counterparts = crate::services::counterparts::counterparts_for(
        db,
        auth,
        &LocalGovCode::from_stored(row.code.clone()),
        crate::services::today(),
    )
    .await?;
    let code = LocalGovCode::from_stored(row.code.clone());
    let contacts = crate::services::counterparts::contacts_for(db, auth, &code).await?;
    let can_log = auth.actor.as_ref().is_some_and(|actor| {
        crate::domain::policy::can(
            actor,
            Action::LogContact,
            &Resource::Municipality {
                prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
                code: code.clone(),
            },
        )
    });
    let events = town_events(db, &row.code, &trainings).await?;
    let notices = crate::services::notices::unread_for_town(db, &row.code).await?;
    let surveys = crate::services::surveys::open_for_town(db, &row.code).await?;
    let mentions = match &auth.actor {
        Some(actor) if actor.municipality.as_ref() == Some(&code) => {
            crate::services::channels::mentions_for(db, actor, MENTIONS_SHOWN).await?
        }
        _ => Vec::new(),
    };
    Ok(MunicipalityPage {
        municipality: item,
        accounts,
        trainings,
        counterparts: Box::new(counterparts),
        contacts,
        can_log,
        events,
        notices,
        surveys,
        mentions,
    })
}

/// The town's dispatches (not withdrawn) and joint trainings as timeline entries.
async fn town_events(
    db: &impl ConnectionTrait,
    code: &str,
    trainings: &[crate::api::trainings::TownTraining],
) -> Result<Vec<TownEvent>, AppError> {
    use crate::domain::dispatch::DispatchStatus;
    use crate::entities::dispatch;
    let jst = crate::domain::calendar::jst();
    let mut events: Vec<TownEvent> = dispatch::Entity::find()
        .filter(dispatch::Column::MunicipalityCode.eq(code))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|d| {
            let status = DispatchStatus::parse(&d.status)?;
            (status != DispatchStatus::Withdrawn).then(|| TownEvent {
                date: d
                    .starts_at
                    .unwrap_or(d.created_at)
                    .with_timezone(&jst)
                    .date_naive(),
                kind_label: "アドバイザー派遣".to_owned(),
                text: format!(
                    "第{}号 {}({})",
                    d.id,
                    crate::domain::text::excerpt(&d.need, 40),
                    status.label()
                ),
                href: format!("/dispatches/{}", d.id),
            })
        })
        .collect();
    events.extend(trainings.iter().filter_map(|t| {
        Some(TownEvent {
            date: t.starts_on?,
            kind_label: "共同研修".to_owned(),
            text: format!("{}(受講{}人)", t.title, t.enrolled),
            href: format!("/trainings/{}", t.id),
        })
    }));
    Ok(events)
}

/// The overview of the caller's prefecture, if they belong to its office.
pub async fn prefecture_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<PrefectureOverview, AppError> {
    let actor = auth.signed_in()?;
    let code = actor.prefecture.clone();
    auth.authorize(
        Action::ViewPrefecture,
        &Resource::Prefecture { code: code.clone() },
    )?;
    let name = prefecture::Entity::find_by_id(code.clone())
        .one(db)
        .await?
        .map_or_else(|| code.to_string(), |p| p.name);
    let counts: HashMap<String, i64> = account::Entity::find()
        .select_only()
        .column(account::Column::MunicipalityCode)
        .column_as(account::Column::Id.count(), "count")
        .filter(account::Column::PrefectureCode.eq(code.as_str()))
        .filter(account::Column::Active.eq(true))
        .filter(account::Column::MunicipalityCode.is_not_null())
        .group_by(account::Column::MunicipalityCode)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let municipalities = municipalities::list(db, Some(&code))
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|m| MunicipalitySummary {
            active_accounts: counts
                .get(m.code.as_str())
                .and_then(|n| u64::try_from(*n).ok())
                .unwrap_or_default(),
            municipality: m,
        })
        .collect();
    Ok(PrefectureOverview {
        code: LocalGovCode::from_stored(String::from(code)),
        name,
        municipalities,
        mine: crate::services::counterparts::my_towns_for(db, auth).await?,
        mentions: match &auth.actor {
            Some(actor) => {
                crate::services::channels::mentions_for(db, actor, MENTIONS_SHOWN).await?
            }
            None => Vec::new(),
        },
    })
}

/// The front page: the role's home, or the introduction for visitors.
pub async fn front_for(db: &impl ConnectionTrait, auth: &RequestAuth) -> Result<Home, AppError> {
    let Some(actor) = &auth.actor else {
        return Ok(Home::Visitor);
    };
    match (actor.role, &actor.municipality) {
        (Role::MuniStaff, Some(code)) => municipality_for(db, auth, code)
            .await
            .map(Home::Municipality),
        (Role::PrefAdmin | Role::PrefStaff, _) => {
            prefecture_for(db, auth).await.map(Home::Prefecture)
        }
        _ => {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let own = crate::entities::advisor::Entity::find()
                .filter(crate::entities::advisor::Column::AccountId.eq(actor.account_id))
                .one(db)
                .await?;
            Ok(Home::Advisor {
                name: actor.display_name.clone(),
                profile: own.map(|a| {
                    (
                        a.id,
                        crate::domain::advisor::edit::AdvisorStatus::of(a.published, a.retired),
                    )
                }),
            })
        }
    }
}
