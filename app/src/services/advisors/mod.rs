//! Storing advisor profiles and reading them back with the caller's visibility.

pub mod csv;
mod documents;
pub mod matching;
pub mod profiles;
pub mod search;
pub mod views;

use crate::domain::local_gov::LocalGovCode;
use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::api::advisors::{
    AdvisorPrivate, AdvisorProfile, PlaceView, QualificationView, TermView,
};
use crate::auth::RequestAuth;
use crate::domain::advisor::demo::BankVocabulary;
use crate::domain::advisor::edit::AdvisorStatus;
use crate::domain::advisor::{AdvisorDraft, Mode};
use crate::domain::ids::{AccountId, AdvisorId};
use crate::domain::policy::{Action, Resource};
use crate::entities::{
    advisor, advisor_area, advisor_availability, advisor_photo, advisor_region, advisor_term,
    municipality, prefecture, region,
};
use crate::error::AppError;
use crate::services::taxonomy;

/// Rows per multi-row INSERT (SQLite allows 32,766 parameters; an advisor has 22).
const CHUNK: usize = 500;

/// Failures of the advisor services.
#[derive(Debug, thiserror::Error)]
pub enum AdvisorError {
    /// A taxonomy code that is not in the vocabulary.
    #[error("{field} の値「{code}」は分類にありません。")]
    UnknownCode {
        /// The field.
        field: &'static str,
        /// The code.
        code: String,
    },
    /// A municipality outside the bank's prefecture.
    #[error("団体コード「{0}」の市町村はこの都道府県にありません。")]
    UnknownMunicipality(String),
    /// A region outside the bank's prefecture.
    #[error("地域 {0} はこの都道府県にありません。")]
    UnknownRegion(i32),
    /// No such advisor (or not visible to the caller).
    #[error("アドバイザーが見つかりません。")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<AdvisorError> for AppError {
    fn from(error: AdvisorError) -> Self {
        match &error {
            AdvisorError::UnknownCode { field, .. } => AppError::invalid(*field, error.to_string()),
            AdvisorError::UnknownMunicipality(_) => {
                AppError::invalid("municipalities", error.to_string())
            }
            AdvisorError::UnknownRegion(_) => AppError::invalid("regions", error.to_string()),
            AdvisorError::NotFound => AppError::not_found(error.to_string()),
            AdvisorError::Db(_) => AppError::internal(error),
        }
    }
}

/// The vocabularies and places of a prefecture, for the generator and for checks.
pub async fn vocabulary(
    db: &impl ConnectionTrait,
    prefecture: &str,
) -> Result<BankVocabulary, DbErr> {
    let mut vocabulary = BankVocabulary::default();
    for term in taxonomy::active_terms(db, Some(prefecture)).await? {
        let entry = (term.code, term.label);
        match term.kind.as_str() {
            "jinzaizo" => vocabulary.jinzaizo.push(entry),
            "role" => vocabulary.roles.push(entry),
            "specialty" => vocabulary.specialties.push(entry),
            "qualification" => vocabulary.qualifications.push(entry),
            "programme" => vocabulary.programmes.push(entry),
            "engagement" => vocabulary.engagements.push(entry),
            _ => {}
        }
    }
    vocabulary.municipalities = municipality::Entity::find()
        .filter(municipality::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    vocabulary.region_names = region::Entity::find()
        .filter(region::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(region::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    vocabulary.regions = vocabulary.region_names.iter().map(|(id, _)| *id).collect();
    Ok(vocabulary)
}

pub(crate) fn check(draft: &AdvisorDraft, vocabulary: &BankVocabulary) -> Result<(), AdvisorError> {
    let known = |list: &[(String, String)], code: &str| list.iter().any(|(c, _)| c == code);
    let unknown = |field: &'static str, code: &str| AdvisorError::UnknownCode {
        field,
        code: code.chars().take(64).collect(),
    };
    if !known(&vocabulary.engagements, &draft.engagement) {
        return Err(unknown("engagement", &draft.engagement));
    }
    if !known(&vocabulary.jinzaizo, &draft.jinzaizo) {
        return Err(unknown("jinzaizo", &draft.jinzaizo));
    }
    for (field, list, codes) in [
        ("roles", &vocabulary.roles, &draft.roles),
        ("specialties", &vocabulary.specialties, &draft.specialties),
        ("programmes", &vocabulary.programmes, &draft.programmes),
    ] {
        if let Some(code) = codes.iter().find(|c| !known(list, c)) {
            return Err(unknown(field, code));
        }
    }
    if let Some((code, _)) = draft
        .qualifications
        .iter()
        .find(|(c, _)| !known(&vocabulary.qualifications, c))
    {
        return Err(unknown("qualifications", code));
    }
    if let Some(code) = draft
        .municipalities
        .iter()
        .find(|c| !vocabulary.municipalities.iter().any(|(m, _)| m == *c))
    {
        return Err(AdvisorError::UnknownMunicipality(
            code.chars().take(10).collect(),
        ));
    }
    if let Some(id) = draft
        .regions
        .iter()
        .find(|r| !vocabulary.regions.contains(r))
    {
        return Err(AdvisorError::UnknownRegion(*id));
    }
    Ok(())
}

/// Stores profiles of one prefecture's bank in one transaction (all or nothing),
/// with multi-row inserts; returns their ids in input order.
pub async fn insert_many(
    db: &DatabaseConnection,
    prefecture: &str,
    drafts: &[AdvisorDraft],
) -> Result<Vec<i32>, AdvisorError> {
    let vocabulary = vocabulary(db, prefecture).await?;
    for draft in drafts {
        check(draft, &vocabulary)?;
    }
    let txn = db.begin().await?;
    let ids = insert_checked(&txn, prefecture, drafts).await?;
    crate::services::search_index::record_whole(&txn, &[crate::services::advisors::search::KIND])
        .await?;
    txn.commit().await?;
    Ok(ids)
}

/// Inserts profiles already checked against the vocabularies, inside the caller's
/// transaction, with ids following the largest one; returns the ids in order.
pub(crate) async fn insert_checked(
    txn: &impl ConnectionTrait,
    prefecture: &str,
    drafts: &[AdvisorDraft],
) -> Result<Vec<i32>, DbErr> {
    let max_id: Option<i32> = advisor::Entity::find()
        .select_only()
        .column_as(advisor::Column::Id.max(), "max")
        .into_tuple::<Option<i32>>()
        .one(txn)
        .await?
        .flatten();
    let first = max_id.unwrap_or(0) + 1;
    let now = Utc::now().fixed_offset();
    let ids: Vec<i32> = (0..drafts.len())
        .map(|i| first + i32::try_from(i).unwrap_or(i32::MAX - first))
        .collect();

    for (chunk_ids, chunk) in ids.chunks(CHUNK).zip(drafts.chunks(CHUNK)) {
        let rows = chunk_ids.iter().zip(chunk).map(|(id, d)| {
            let mut row = new_row(prefecture, d, now);
            row.id = Set(*id);
            row
        });
        advisor::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }

    let pairs: Vec<(i32, &AdvisorDraft)> = ids.iter().copied().zip(drafts).collect();
    insert_children(txn, &pairs).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres && !ids.is_empty() {
        // Ids were given explicitly: move the sequence past them.
        txn.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('advisor', 'id'), (SELECT MAX(id) FROM advisor))",
        )
        .await?;
    }
    Ok(ids)
}

/// A new advisor row (no id: the database assigns it).
pub(crate) fn new_row(
    prefecture: &str,
    draft: &AdvisorDraft,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> advisor::ActiveModel {
    let mut row = advisor::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        prefecture_code: Set(prefecture.to_owned()),
        account_id: Set(None),
        published: Set(draft.published),
        retired: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        last_active_at: Set(now),
        ..Default::default()
    };
    write_fields(&mut row, draft);
    row
}

/// Sets the profile's own columns of a row from a draft.
pub(crate) fn write_fields(row: &mut advisor::ActiveModel, d: &AdvisorDraft) {
    row.name = Set(d.name.clone());
    row.kana = Set(d.kana.as_str().to_owned());
    row.affiliation = Set(d.affiliation.clone());
    row.engagement = Set(d.engagement.clone());
    row.jinzaizo = Set(d.jinzaizo.clone());
    row.itss_level = Set(d.itss_level.map(|l| i16::from(l.get())));
    row.municipal_knowledge = Set(d.municipal_knowledge.clone());
    row.bio = Set(d.bio.clone());
    row.track_record = Set(d.track_record.clone());
    row.onsite = Set(d.modes.contains(&Mode::Onsite));
    row.online = Set(d.modes.contains(&Mode::Online));
    row.whole_prefecture = Set(d.whole_prefecture);
    row.contact_email = Set(d.contact_email.clone());
    row.contact_phone = Set(d.contact_phone.clone());
}

/// Inserts the child rows (terms, areas, regions, months) of these profiles.
pub(crate) async fn insert_children(
    db: &impl ConnectionTrait,
    profiles: &[(i32, &AdvisorDraft)],
) -> Result<(), DbErr> {
    let mut terms = Vec::new();
    let mut areas = Vec::new();
    let mut regions = Vec::new();
    let mut months = Vec::new();
    for (id, d) in profiles {
        let id = *id;
        for (kind, codes) in [
            ("role", &d.roles),
            ("specialty", &d.specialties),
            ("programme", &d.programmes),
        ] {
            let unique: HashSet<&String> = codes.iter().collect();
            terms.extend(unique.into_iter().map(|code| advisor_term::ActiveModel {
                advisor_id: Set(id),
                kind: Set(kind.to_owned()),
                code: Set(code.clone()),
                year: Set(None),
            }));
        }
        let mut seen = HashSet::new();
        for (code, year) in &d.qualifications {
            if seen.insert(code) {
                terms.push(advisor_term::ActiveModel {
                    advisor_id: Set(id),
                    kind: Set("qualification".to_owned()),
                    code: Set(code.clone()),
                    year: Set(year.and_then(|y| i16::try_from(y).ok())),
                });
            }
        }
        let unique: HashSet<&String> = d.municipalities.iter().collect();
        areas.extend(unique.into_iter().map(|code| advisor_area::ActiveModel {
            advisor_id: Set(id),
            municipality_code: Set(code.clone()),
        }));
        let unique: HashSet<&i32> = d.regions.iter().collect();
        regions.extend(
            unique
                .into_iter()
                .map(|region| advisor_region::ActiveModel {
                    advisor_id: Set(id),
                    region_id: Set(*region),
                }),
        );
        let unique: HashSet<String> = d.months.iter().map(ToString::to_string).collect();
        months.extend(
            unique
                .into_iter()
                .map(|month| advisor_availability::ActiveModel {
                    advisor_id: Set(id),
                    month: Set(month),
                }),
        );
    }
    for chunk in terms.chunks(CHUNK * 4) {
        advisor_term::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in areas.chunks(CHUNK * 4) {
        advisor_area::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in regions.chunks(CHUNK * 4) {
        advisor_region::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in months.chunks(CHUNK * 4) {
        advisor_availability::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Deletes the child rows of these profiles (before they are written again).
pub(crate) async fn delete_children(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    for chunk in ids.chunks(CHUNK) {
        let ids = chunk.to_vec();
        advisor_term::Entity::delete_many()
            .filter(advisor_term::Column::AdvisorId.is_in(ids.clone()))
            .exec(db)
            .await?;
        advisor_area::Entity::delete_many()
            .filter(advisor_area::Column::AdvisorId.is_in(ids.clone()))
            .exec(db)
            .await?;
        advisor_region::Entity::delete_many()
            .filter(advisor_region::Column::AdvisorId.is_in(ids.clone()))
            .exec(db)
            .await?;
        advisor_availability::Entity::delete_many()
            .filter(advisor_availability::Column::AdvisorId.is_in(ids))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// One profile as the caller may see it: unpublished or retired profiles only for
/// the bank's prefecture staff and the advisor; contact details and availability
/// only for the bank's local-government users and the advisor.
pub async fn profile_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: AdvisorId,
) -> Result<AdvisorProfile, AppError> {
    let row = advisor::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AdvisorError::NotFound)?;
    let resource = Resource::Advisor {
        prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
        account: row.account_id.map(AccountId),
    };
    let may = |action| {
        auth.actor
            .as_ref()
            .is_some_and(|a| crate::domain::policy::can(a, action, &resource))
    };
    if (!row.published || row.retired) && !may(Action::ViewAdvisorDraft) {
        return Err(AdvisorError::NotFound.into());
    }
    let show_private = may(Action::ViewAdvisorPrivate);
    let can_manage = may(Action::ManageAdvisor);
    let can_edit = can_manage || may(Action::EditOwnAdvisorProfile);
    let mut view = profile(db, row, show_private).await?;
    view.can_edit = can_edit;
    view.can_manage = can_manage;
    Ok(view)
}

// Long: the profile shape, field by field.
async fn profile(
    db: &impl ConnectionTrait,
    row: advisor::Model,
    show_private: bool,
) -> Result<AdvisorProfile, DbErr> {
    let has_photo = show_private
        && advisor_photo::Entity::find_by_id(row.id)
            .select_only()
            .column(advisor_photo::Column::AdvisorId)
            .into_tuple::<i32>()
            .one(db)
            .await?
            .is_some();
    let labels = crate::services::taxonomy::labels(db).await?;
    let term = |kind: &str, code: &str| TermView {
        code: code.to_owned(),
        label: labels
            .get(&(kind.to_owned(), code.to_owned()))
            .cloned()
            .unwrap_or_else(|| code.to_owned()),
    };
    let terms = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.eq(row.id))
        .all(db)
        .await?;
    let mut sorted_terms = terms;
    sorted_terms.sort_by(|a, b| (&a.kind, &a.code).cmp(&(&b.kind, &b.code)));
    let of_kind = |kind: &str| -> Vec<TermView> {
        sorted_terms
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| term(kind, &t.code))
            .collect()
    };
    let qualifications = sorted_terms
        .iter()
        .filter(|t| t.kind == "qualification")
        .map(|t| QualificationView {
            code: t.code.clone(),
            label: term("qualification", &t.code).label,
            year: t.year.and_then(|y| u16::try_from(y).ok()),
        })
        .collect();
    let (municipalities, regions) = places_of(db, row.id).await?;
    let prefecture = prefecture::Entity::find_by_id(row.prefecture_code.clone())
        .one(db)
        .await?
        .map_or_else(|| row.prefecture_code.clone(), |p| p.name);
    let private = if show_private {
        Some(private_of(db, &row).await?)
    } else {
        None
    };
    let modes = row.modes();
    Ok(AdvisorProfile {
        id: AdvisorId(row.id),
        name: row.name,
        kana: row.kana,
        affiliation: row.affiliation,
        engagement: term("engagement", &row.engagement),
        jinzaizo: term("jinzaizo", &row.jinzaizo),
        roles: of_kind("role"),
        specialties: of_kind("specialty"),
        qualifications,
        programmes: of_kind("programme"),
        itss_level: row.itss_level.and_then(|l| u8::try_from(l).ok()),
        municipal_knowledge: row.municipal_knowledge,
        bio: row.bio,
        track_record: row.track_record,
        modes,
        prefecture,
        whole_prefecture: row.whole_prefecture,
        regions,
        municipalities,
        published: row.published,
        retired: row.retired,
        status: AdvisorStatus::of(row.published, row.retired),
        private,
        has_photo,
        can_edit: false,
        can_manage: false,
        version: row.version,
    })
}

/// The towns (by code) and the regions (in their order) a profile lists.
async fn places_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(Vec<PlaceView>, Vec<String>), DbErr> {
    let area_codes: Vec<String> = advisor_area::Entity::find()
        .filter(advisor_area::Column::AdvisorId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.municipality_code)
        .collect();
    let municipalities = municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(area_codes))
        .order_by_asc(municipality::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| PlaceView {
            code: LocalGovCode::from_stored(m.code),
            name: m.name,
        })
        .collect();
    let region_ids: Vec<i32> = advisor_region::Entity::find()
        .filter(advisor_region::Column::AdvisorId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.region_id)
        .collect();
    let regions = region::Entity::find()
        .filter(region::Column::Id.is_in(region_ids))
        .order_by_asc(region::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    Ok((municipalities, regions))
}

/// What only the bank's staff and the advisor see: contact details and months.
async fn private_of(
    db: &impl ConnectionTrait,
    row: &advisor::Model,
) -> Result<AdvisorPrivate, DbErr> {
    let mut months: Vec<String> = advisor_availability::Entity::find()
        .filter(advisor_availability::Column::AdvisorId.eq(row.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.month)
        .collect();
    months.sort();
    Ok(AdvisorPrivate {
        contact_email: row.contact_email.clone(),
        contact_phone: row.contact_phone.clone(),
        available_months: months,
    })
}
