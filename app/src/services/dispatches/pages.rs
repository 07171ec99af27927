//! What the 派遣 pages load in one call: the board with its filters, the request
//! form with the town's quota, a request with the bank ranked for its need.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{detail_for, list_for, programmes_for, quota_for};
use crate::api::advisors::{MatchItem, MatchRequest};
use crate::api::dispatches::{
    AdvisorRef, Candidate, DispatchBoard, DispatchDetail, DispatchFormContext, DispatchPageData,
    DispatchQuery,
};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::dispatch::Step;
use crate::domain::ids::{AdvisorId, DispatchId};
use crate::domain::policy::{Action, Resource};
use crate::domain::wareki::FiscalYear;
use crate::entities::{advisor, municipality};
use crate::error::AppError;
use crate::search::SearchIndex;

/// This 年度, in Japan.
pub fn this_fiscal_year() -> FiscalYear {
    FiscalYear::of(super::now().date_naive())
}

/// The board of the caller's requests.
pub async fn board_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    query: &DispatchQuery,
) -> Result<DispatchBoard, AppError> {
    let actor = auth.signed_in()?.clone();
    let items = list_for(db, auth, query).await?;
    let is_prefecture = actor.role.is_prefecture();
    let towns = if is_prefecture {
        municipality::Entity::find()
            .filter(municipality::Column::PrefectureCode.eq(actor.prefecture.as_str()))
            .order_by_asc(municipality::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.code, m.name))
            .collect()
    } else {
        Vec::new()
    };
    let year = this_fiscal_year();
    let quota = match (&actor.municipality, actor.role) {
        (Some(town), Role::MuniStaff) => Some(quota_for(db, auth, town, year).await?),
        _ => None,
    };
    Ok(DispatchBoard {
        items,
        is_prefecture,
        can_request: actor.role == Role::MuniStaff,
        programmes: programmes_for(db, auth).await?,
        towns,
        quota,
        fiscal_year: year.0,
    })
}

/// The request form of the caller's town; `wished` are advisor ids picked on the
/// match page (unknown or unpublished ones are left out).
pub async fn request_form_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    wished: &[i32],
) -> Result<DispatchFormContext, AppError> {
    let actor = auth.signed_in()?.clone();
    let town = actor.municipality.clone().ok_or(AppError::Forbidden)?;
    auth.authorize(
        Action::RequestDispatch,
        &Resource::Dispatch {
            prefecture: actor.prefecture.clone(),
            municipality: town.clone(),
            advisor: None,
        },
    )?;
    let quota = quota_for(db, auth, &town, this_fiscal_year()).await?;
    let programmes = programmes_for(db, auth)
        .await?
        .into_iter()
        .filter(|p| p.active)
        .collect();
    let wished = advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(wished.iter().copied().take(5)))
        .filter(advisor::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .filter(advisor::Column::Published.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| AdvisorRef {
            id: AdvisorId(a.id),
            name: a.name,
        })
        .collect();
    Ok(DispatchFormContext {
        quota,
        programmes,
        wished,
    })
}

/// A request's page; the 県 sees the bank ranked for the need while it may
/// propose.
pub async fn page_for(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    auth: &RequestAuth,
    id: DispatchId,
) -> Result<DispatchPageData, AppError> {
    let detail = detail_for(db, auth, id).await?;
    let candidates = if detail.actions.contains(&Step::Propose) {
        candidates(db, index, auth, &detail).await?
    } else {
        Vec::new()
    };
    Ok(DispatchPageData { detail, candidates })
}

/// Most candidates the proposal form lists.
const CANDIDATES: usize = 10;

/// The town's wishes, then the bank ranked for the need, each once.
async fn candidates(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    auth: &RequestAuth,
    detail: &DispatchDetail,
) -> Result<Vec<Candidate>, AppError> {
    let request = MatchRequest {
        need: detail.need.chars().take(200).collect(),
        municipality: detail.summary.municipality.to_string(),
        mode: Some(detail.summary.mode.as_str().to_owned()),
        from: detail.preferred_from.map(|d| d.to_string()),
        to: detail.preferred_to.map(|d| d.to_string()),
        programme: None,
    };
    let ranked = crate::services::advisors::matching::match_for(db, index, auth, &request)
        .await?
        .items;
    let mut items: Vec<(MatchItem, bool)> = Vec::new();
    for wish in &detail.wished {
        let item = ranked
            .iter()
            .find(|r| r.id == wish.id)
            .cloned()
            .unwrap_or_else(|| MatchItem {
                id: wish.id,
                name: wish.name.clone(),
                affiliation: String::new(),
                score: 0.0,
                reasons: Vec::new(),
            });
        items.push((item, true));
    }
    for item in ranked {
        if items.len() >= CANDIDATES {
            break;
        }
        if !items.iter().any(|(i, _)| i.id == item.id) {
            items.push((item, false));
        }
    }
    let ids: Vec<i32> = items.iter().map(|(i, _)| i.id.get()).collect();
    let with_account: Vec<i32> = advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(ids))
        .filter(advisor::Column::AccountId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    Ok(items
        .into_iter()
        .map(|(item, wished)| Candidate {
            can_answer: with_account.contains(&item.id.get()),
            item,
            wished,
        })
        .collect())
}
