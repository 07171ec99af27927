//! Reading the case library: filtered, faceted, paged lists and single cases.
//!
//! Filtering happens in Rust over a narrow projection of the published cases (one
//! query), so the list, its total and every facet count come from the same rule,
//! [`Criteria::matches`]. The library holds hundreds of cases, not millions; the
//! full-text index will take over text matching.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::api::cases::{
    CaseContact, CaseDetail, CaseFacets, CaseList, CaseSource, CaseSummary, FacetValue,
};
use crate::domain::case::{OrgKind, SizeBand};
use crate::domain::case_query::{CaseFilter, CaseListParams, FilterNotice, shorten};
use crate::domain::paging::Paging;
use crate::entities::{case_study, prefecture};
use crate::error::AppError;

/// Cases per page of the list.
pub const PER_PAGE: u32 = 20;

/// The status of a case visible to everyone.
pub const STATUS_PUBLISHED: &str = "published";

/// Failures of the case services.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No published case has this slug.
    #[error("事例「{0}」は見つかりませんでした。")]
    NotFound(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<CaseError> for AppError {
    fn from(error: CaseError) -> Self {
        match error {
            CaseError::NotFound(_) => AppError::not_found(error.to_string()),
            CaseError::Db(e) => AppError::internal(e),
        }
    }
}

/// The facet columns of a case, enough to filter and count.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct FacetRow {
    /// Row id (also the list order).
    pub id: i32,
    /// 区分.
    pub section: String,
    /// 小区分.
    pub subsection: Option<String>,
    /// Wire form of the kind of body.
    pub org_kind: String,
    /// Prefecture code.
    pub prefecture_code: Option<String>,
    /// 職員数.
    pub staff_count: Option<i32>,
    /// Folded text for word matching.
    pub search_text: String,
}

/// A filter dimension, for counting one facet under all the other filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// 区分.
    Section,
    /// 小区分.
    Subsection,
    /// 団体区分.
    OrgKind,
    /// 都道府県.
    Prefecture,
    /// 職員規模.
    Size,
}

/// A [`CaseFilter`] whose values have been checked against the data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    /// Folded words, all of which must occur.
    pub words: Vec<String>,
    /// Exact section.
    pub section: Option<String>,
    /// Exact subsection.
    pub subsection: Option<String>,
    /// Kind of body.
    pub org_kind: Option<OrgKind>,
    /// Prefecture code.
    pub prefecture_code: Option<String>,
    /// Size band; cases without a staff count never match a band.
    pub size: Option<SizeBand>,
}

impl Criteria {
    /// Whether `row` passes every filter except `except`.
    pub fn matches(&self, row: &FacetRow, except: Option<Facet>) -> bool {
        let skip = |facet| except == Some(facet);
        self.words
            .iter()
            .all(|w| row.search_text.contains(w.as_str()))
            && (skip(Facet::Section) || self.section.as_ref().is_none_or(|s| *s == row.section))
            && (skip(Facet::Subsection)
                || self
                    .subsection
                    .as_ref()
                    .is_none_or(|s| row.subsection.as_ref() == Some(s)))
            && (skip(Facet::OrgKind) || self.org_kind.is_none_or(|k| k.as_str() == row.org_kind))
            && (skip(Facet::Prefecture)
                || self
                    .prefecture_code
                    .as_ref()
                    .is_none_or(|p| row.prefecture_code.as_ref() == Some(p)))
            && (skip(Facet::Size)
                || self.size.is_none_or(|band| {
                    row.staff_count
                        .and_then(|n| u32::try_from(n).ok())
                        .is_some_and(|n| SizeBand::of(n) == band)
                }))
    }
}

/// Lists published cases for `params`. Values that cannot be used are ignored and
/// reported in [`CaseList::notices`]; the JSON API turns those into a 400.
pub async fn list(
    db: &impl ConnectionTrait,
    params: &CaseListParams,
) -> Result<CaseList, CaseError> {
    let (filter, mut notices) = CaseFilter::parse(params);
    let prefectures = prefecture::Entity::find()
        .order_by_asc(prefecture::Column::Code)
        .all(db)
        .await?;
    let rows: Vec<FacetRow> = case_study::Entity::find()
        .select_only()
        .columns([
            case_study::Column::Id,
            case_study::Column::Section,
            case_study::Column::Subsection,
            case_study::Column::OrgKind,
            case_study::Column::PrefectureCode,
            case_study::Column::StaffCount,
            case_study::Column::SearchText,
        ])
        .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
        .order_by_asc(case_study::Column::Id)
        .into_model::<FacetRow>()
        .all(db)
        .await?;

    let criteria = resolve(&filter, &rows, &prefectures, &mut notices);
    let matching: Vec<i32> = rows
        .iter()
        .filter(|row| criteria.matches(row, None))
        .map(|row| row.id)
        .collect();

    let (paging, clamped) = Paging::clamp(filter.page, PER_PAGE, matching.len() as u64);
    if clamped {
        notices.push(FilterNotice::new(
            "page",
            &filter.page.to_string(),
            format!(
                "{}ページ目はないため、{}ページ目を表示しました。",
                filter.page, paging.page
            ),
        ));
    }
    let page_ids: Vec<i32> = matching
        .iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(PER_PAGE as usize)
        .copied()
        .collect();
    let pref_names: HashMap<&str, &str> = prefectures
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let items = case_study::Entity::find()
        .filter(case_study::Column::Id.is_in(page_ids))
        .order_by_asc(case_study::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|model| summary_of(model, &pref_names))
        .collect();

    let facets = facets(&rows, &criteria, &pref_names);
    Ok(CaseList {
        total: paging.total,
        page: paging.page,
        per_page: paging.per_page,
        total_pages: paging.total_pages(),
        items,
        notices,
        facets,
    })
}

/// Fetches one published case by slug.
pub async fn get(db: &impl ConnectionTrait, slug: &str) -> Result<CaseDetail, CaseError> {
    let model = case_study::Entity::find()
        .filter(case_study::Column::Slug.eq(slug))
        .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
        .one(db)
        .await?
        .ok_or_else(|| CaseError::NotFound(shorten(slug)))?;
    let prefecture = match &model.prefecture_code {
        Some(code) => prefecture::Entity::find_by_id(code.clone()).one(db).await?,
        None => None,
    };
    let names: HashMap<&str, &str> = prefecture
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    Ok(detail_of(&model, &names))
}

/// Checks section, subsection and prefecture against the data, dropping unknown
/// values with a notice.
fn resolve(
    filter: &CaseFilter,
    rows: &[FacetRow],
    prefectures: &[prefecture::Model],
    notices: &mut Vec<FilterNotice>,
) -> Criteria {
    let mut criteria = Criteria {
        words: filter.words.clone(),
        org_kind: filter.org_kind,
        size: filter.size,
        ..Criteria::default()
    };
    if let Some(section) = &filter.section {
        if rows.iter().any(|r| &r.section == section) {
            criteria.section = Some(section.clone());
        } else {
            notices.push(FilterNotice::new(
                "section",
                section,
                format!(
                    "区分「{}」の事例はないため、この条件は無視しました。",
                    shorten(section)
                ),
            ));
        }
    }
    if let Some(subsection) = &filter.subsection {
        if rows
            .iter()
            .any(|r| r.subsection.as_ref() == Some(subsection))
        {
            criteria.subsection = Some(subsection.clone());
        } else {
            notices.push(FilterNotice::new(
                "subsection",
                subsection,
                format!(
                    "小区分「{}」の事例はないため、この条件は無視しました。",
                    shorten(subsection)
                ),
            ));
        }
    }
    if let Some(wanted) = &filter.prefecture {
        match prefectures
            .iter()
            .find(|p| &p.name == wanted || &p.code == wanted)
        {
            Some(p) => criteria.prefecture_code = Some(p.code.clone()),
            None => notices.push(FilterNotice::new(
                "prefecture",
                wanted,
                format!(
                    "都道府県「{}」は見つからないため、この条件は無視しました。",
                    shorten(wanted)
                ),
            )),
        }
    }
    criteria
}

/// Counts every facet value under the other active filters (disjunctive faceting).
pub fn facets(
    rows: &[FacetRow],
    criteria: &Criteria,
    pref_names: &HashMap<&str, &str>,
) -> CaseFacets {
    let count_by = |facet: Facet, key: &dyn Fn(&FacetRow) -> Option<String>| {
        // Keyed by first appearance so values keep the order of the source documents.
        let mut order: Vec<String> = Vec::new();
        let mut counts: HashMap<String, u64> = HashMap::new();
        for row in rows {
            let Some(value) = key(row) else { continue };
            let entry = counts.entry(value.clone()).or_insert_with(|| {
                order.push(value);
                0
            });
            if criteria.matches(row, Some(facet)) {
                *entry += 1;
            }
        }
        order
            .into_iter()
            .map(|value| {
                let count = counts.get(&value).copied().unwrap_or_default();
                (value, count)
            })
            .collect::<Vec<_>>()
    };

    let plain = |pairs: Vec<(String, u64)>| {
        pairs
            .into_iter()
            .map(|(value, count)| FacetValue {
                label: value.clone(),
                value,
                count,
            })
            .collect::<Vec<_>>()
    };

    let section = plain(count_by(Facet::Section, &|r| Some(r.section.clone())));
    let subsection = plain(count_by(Facet::Subsection, &|r| r.subsection.clone()));

    let kinds: BTreeMap<String, u64> = count_by(Facet::OrgKind, &|r| Some(r.org_kind.clone()))
        .into_iter()
        .collect();
    let org_kind = OrgKind::ALL
        .into_iter()
        .filter_map(|kind| {
            kinds.get(kind.as_str()).map(|count| FacetValue {
                value: kind.as_str().to_owned(),
                label: kind.label().to_owned(),
                count: *count,
            })
        })
        .collect();

    let mut prefs = count_by(Facet::Prefecture, &|r| r.prefecture_code.clone());
    prefs.sort();
    let prefecture = prefs
        .into_iter()
        .filter_map(|(code, count)| {
            pref_names.get(code.as_str()).map(|name| FacetValue {
                value: (*name).to_owned(),
                label: (*name).to_owned(),
                count,
            })
        })
        .collect();

    let bands: BTreeMap<String, u64> = count_by(Facet::Size, &|r| {
        r.staff_count
            .and_then(|n| u32::try_from(n).ok())
            .map(|n| SizeBand::of(n).as_str().to_owned())
    })
    .into_iter()
    .collect();
    let size = SizeBand::ALL
        .into_iter()
        .filter_map(|band| {
            bands.get(band.as_str()).map(|count| FacetValue {
                value: band.as_str().to_owned(),
                label: band.label().to_owned(),
                count: *count,
            })
        })
        .collect();

    CaseFacets {
        section,
        subsection,
        org_kind,
        prefecture,
        size,
    }
}

fn summary_of(model: &case_study::Model, pref_names: &HashMap<&str, &str>) -> CaseSummary {
    let staff_count = model.staff_count.and_then(|n| u32::try_from(n).ok());
    CaseSummary {
        slug: model.slug.clone(),
        title: model.title.clone(),
        organisation: model.organisation.clone(),
        prefecture: model
            .prefecture_code
            .as_deref()
            .and_then(|code| pref_names.get(code))
            .map(|name| (*name).to_owned()),
        org_kind: OrgKind::parse(&model.org_kind).unwrap_or(OrgKind::National),
        staff_count,
        size_band: staff_count.map(SizeBand::of),
        section: model.section.clone(),
        subsection: model.subsection.clone(),
        summary: model.summary.clone(),
    }
}

fn detail_of(model: &case_study::Model, pref_names: &HashMap<&str, &str>) -> CaseDetail {
    let contact = (model.contact_department.is_some()
        || model.contact_tel.is_some()
        || model.contact_email.is_some())
    .then(|| CaseContact {
        department: model.contact_department.clone(),
        tel: model.contact_tel.clone(),
        email: model.contact_email.clone(),
    });
    CaseDetail {
        summary: summary_of(model, pref_names),
        points: model.points.0.clone(),
        effects: model.effects.0.clone(),
        contact,
        source: CaseSource {
            file: model.source_file.clone(),
            title: model.source_title.clone(),
            page: model.page.and_then(|p| u32::try_from(p).ok()),
            page_note: model.page_note.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        id: i32,
        section: &str,
        kind: OrgKind,
        pref: &str,
        staff: Option<i32>,
        text: &str,
    ) -> FacetRow {
        FacetRow {
            id,
            section: section.into(),
            subsection: None,
            org_kind: kind.as_str().into(),
            prefecture_code: Some(pref.into()),
            staff_count: staff,
            search_text: text.into(),
        }
    }

    fn sample() -> Vec<FacetRow> {
        vec![
            row(
                1,
                "人材育成",
                OrgKind::Prefecture,
                "150002",
                Some(28_228),
                "県を中心とした広域的な研修",
            ),
            row(
                2,
                "人材育成",
                OrgKind::Town,
                "400009",
                Some(315),
                "民間研修への派遣",
            ),
            row(
                3,
                "デジタル人材",
                OrgKind::City,
                "080004",
                Some(932),
                "itパスポート取得支援",
            ),
            row(
                4,
                "デジタル人材",
                OrgKind::City,
                "320005",
                None,
                "itパスポート 全職員",
            ),
        ]
    }

    fn matching_ids(criteria: &Criteria) -> Vec<i32> {
        sample()
            .iter()
            .filter(|r| criteria.matches(r, None))
            .map(|r| r.id)
            .collect()
    }

    #[test]
    fn every_word_must_occur_for_a_case_to_match() {
        let criteria = Criteria {
            words: vec!["itパスポート".into(), "全職員".into()],
            ..Criteria::default()
        };
        assert_eq!(matching_ids(&criteria), vec![4]);
    }

    #[test]
    fn a_case_without_staff_count_matches_no_size_band() {
        let criteria = Criteria {
            size: Some(SizeBand::UpTo3000),
            ..Criteria::default()
        };
        assert_eq!(matching_ids(&criteria), vec![3]);
    }

    #[test]
    fn facet_counts_ignore_their_own_filter_but_apply_the_others() {
        let criteria = Criteria {
            section: Some("デジタル人材".into()),
            org_kind: Some(OrgKind::City),
            ..Criteria::default()
        };
        let names = HashMap::new();
        let facets = facets(&sample(), &criteria, &names);
        // Sections are counted among cities only: 人材育成 has no city case.
        let sections: Vec<_> = facets
            .section
            .iter()
            .map(|f| (f.value.as_str(), f.count))
            .collect();
        assert_eq!(sections, vec![("人材育成", 0), ("デジタル人材", 2)]);
        // Kinds are counted inside the chosen section only.
        let kinds: Vec<_> = facets
            .org_kind
            .iter()
            .map(|f| (f.value.as_str(), f.count))
            .collect();
        assert_eq!(kinds, vec![("prefecture", 0), ("city", 2), ("town", 0)]);
    }
}
