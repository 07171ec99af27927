//! What the profile pages show: the form with its stored values and choices,
//! and the 県管理者's list of the bank's profiles.

use crate::api::advisors::{AdvisorAdminList, AdvisorAdminRow, AdvisorFormData, Choice};
use crate::domain::ids::AdvisorId;
use crate::domain::local_gov::LocalGovCode;
use std::collections::BTreeMap;

use chrono::{Datelike, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::auth::RequestAuth;
use crate::domain::account::Actor;
use crate::domain::advisor::YearMonth;
use crate::domain::advisor::edit::{AdvisorPatch, AdvisorStatus, Editor};
use crate::domain::paging::Paging;
use crate::entities::{account, advisor, advisor_photo, region};
use crate::error::AppError;
use crate::services::advisors::AdvisorError;
use crate::services::advisors::profiles::{
    drafts_of, editor_for, find, managed_bank, municipality_choices,
};
use crate::services::audit::jst;
use crate::services::taxonomy;

/// Profiles per page of the 県管理者's list.
pub const ADMIN_PER_PAGE: u32 = 50;
/// Months offered as availability checkboxes, from the current month.
pub const MONTHS_AHEAD: usize = 18;

/// Months from this one (JST), `count` of them.
pub fn months_from_now(count: usize) -> Vec<YearMonth> {
    let today = Utc::now().with_timezone(&jst());
    let first = u16::try_from(today.year()).ok().and_then(|y| {
        u8::try_from(today.month())
            .ok()
            .and_then(|m| YearMonth::new(y, m))
    });
    let Some(first) = first else {
        return Vec::new();
    };
    std::iter::successors(Some(first), |m| Some(m.next()))
        .take(count)
        .collect()
}

/// The profile form's data: the stored values (or blank ones for a new profile),
/// the vocabularies and the places of the bank's prefecture.
pub async fn form_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: Option<AdvisorId>,
) -> Result<AdvisorFormData, AppError> {
    let actor: &Actor = auth.signed_in()?;
    let (row, editor) = match id {
        Some(id) => {
            let row = find(db, id).await?;
            let editor = editor_for(auth, &row)?;
            (Some(row), editor)
        }
        None => {
            managed_bank(auth)?;
            (None, Editor::Prefecture)
        }
    };
    let prefecture = row.as_ref().map_or_else(
        || actor.prefecture.clone(),
        |r| LocalGovCode::from_stored(r.prefecture_code.clone()),
    );
    let (values, stored_months) = match &row {
        Some(row) => {
            let draft = drafts_of(db, std::slice::from_ref(row))
                .await?
                .pop()
                .ok_or(AdvisorError::NotFound)?;
            let months = draft.months.clone();
            (AdvisorPatch::from_draft(&draft), months)
        }
        None => (
            AdvisorPatch {
                modes: Some(vec!["online".into()]),
                ..AdvisorPatch::default()
            },
            Vec::new(),
        ),
    };
    let (vocabularies, regions, municipalities) = choices_for(db, &prefecture).await?;
    let months = month_choices(stored_months);
    let has_photo = match &row {
        Some(row) => advisor_photo::Entity::find_by_id(row.id)
            .select_only()
            .column(advisor_photo::Column::AdvisorId)
            .into_tuple::<i32>()
            .one(db)
            .await?
            .is_some(),
        None => false,
    };
    let account_email = match row.as_ref().and_then(|r| r.account_id) {
        Some(account_id) => account::Entity::find_by_id(account_id)
            .one(db)
            .await?
            .map(|a| a.email),
        None => None,
    };
    let prefecture_name = crate::entities::prefecture::Entity::find_by_id(prefecture.clone())
        .one(db)
        .await?
        .map_or_else(|| prefecture.to_string(), |p| p.name);
    Ok(AdvisorFormData {
        id: row.as_ref().map(|r| AdvisorId(r.id)),
        name: row.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        prefecture: prefecture_name,
        by_prefecture: editor == Editor::Prefecture,
        values,
        status: row.as_ref().map_or(AdvisorStatus::Draft, |r| {
            AdvisorStatus::of(r.published, r.retired)
        }),
        vocabularies,
        regions,
        municipalities,
        months,
        has_photo,
        account_email,
        version: row.as_ref().map_or(0, |r| r.version),
    })
}

/// The choices of the form: the vocabularies, regions and towns of the bank.
async fn choices_for(
    db: &impl ConnectionTrait,
    prefecture: &LocalGovCode,
) -> Result<(BTreeMap<String, Vec<Choice>>, Vec<Choice>, Vec<Choice>), AppError> {
    let mut vocabularies: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    for term in taxonomy::active_terms(db, Some(prefecture)).await? {
        vocabularies.entry(term.kind).or_default().push(Choice {
            value: term.code,
            label: term.label,
        });
    }
    let regions = region::Entity::find()
        .filter(region::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(region::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Choice {
            value: r.id.to_string(),
            label: r.name,
        })
        .collect();
    let municipalities = municipality_choices(db, prefecture, None).await?;
    Ok((vocabularies, regions, municipalities))
}

/// The months offered from now on, and any stored month outside them (so saving
/// the form does not drop it), in order.
fn month_choices(stored: Vec<YearMonth>) -> Vec<Choice> {
    let mut months = months_from_now(MONTHS_AHEAD);
    for month in stored {
        if !months.contains(&month) {
            months.push(month);
        }
    }
    months.sort();
    months
        .into_iter()
        .map(|m| Choice {
            value: m.to_string(),
            label: m.label(),
        })
        .collect()
}

/// The bank's profiles for its 県管理者: by status, then kana; 50 a page.
pub async fn admin_list(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    status: Option<&str>,
    page: Option<&str>,
) -> Result<AdvisorAdminList, AppError> {
    let prefecture = managed_bank(auth)?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(AdvisorStatus::parse(s).ok_or_else(|| {
            AppError::invalid(
                "status",
                "status は draft・published・retired のいずれかです。",
            )
        })?),
    };
    let page = page
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map_or(Ok(1), |p| {
            p.parse::<u32>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| AppError::invalid("page", "page は 1 以上の整数です。"))
        })?;
    let in_bank =
        || advisor::Entity::find().filter(advisor::Column::PrefectureCode.eq(prefecture.clone()));
    let mut counts = [0u64; 3];
    for (slot, s) in counts.iter_mut().zip(AdvisorStatus::ALL) {
        let (published, retired) = s.flags();
        let mut query = in_bank().filter(advisor::Column::Retired.eq(retired));
        if !retired {
            query = query.filter(advisor::Column::Published.eq(published));
        }
        *slot = query.count(db).await?;
    }
    let mut query = in_bank();
    if let Some(s) = status {
        let (published, retired) = s.flags();
        query = query.filter(advisor::Column::Retired.eq(retired));
        if !retired {
            query = query.filter(advisor::Column::Published.eq(published));
        }
    }
    let total = query.clone().count(db).await?;
    let (paging, _) = Paging::clamp(page, ADMIN_PER_PAGE, total);
    let rows = query
        .order_by_asc(advisor::Column::Retired)
        .order_by_asc(advisor::Column::Published)
        .order_by_asc(advisor::Column::Kana)
        .order_by_asc(advisor::Column::Id)
        .offset(u64::from(paging.page - 1) * u64::from(ADMIN_PER_PAGE))
        .limit(u64::from(ADMIN_PER_PAGE))
        .all(db)
        .await?;
    Ok(AdvisorAdminList {
        items: rows
            .into_iter()
            .map(|r| AdvisorAdminRow {
                id: AdvisorId(r.id),
                status: AdvisorStatus::of(r.published, r.retired),
                updated_at: r
                    .updated_at
                    .with_timezone(&jst())
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                name: r.name,
                kana: r.kana,
                affiliation: r.affiliation,
            })
            .collect(),
        counts,
        page: paging.page,
        total_pages: paging.total_pages(),
        status,
    })
}
