//! Cards for links in posts to the portal's own pages: a case of the library,
//! a joint training, an advisor of the bank, a dispatch request. Each is looked
//! up once per page of posts and shown only to a reader who may see it.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::api::channels::LinkCard;
use crate::domain::account::{Actor, Role};
use crate::domain::channel::{LinkTarget, Segment, link_target, segments};
use crate::entities::{advisor, case_study, dispatch, training};
use crate::error::AppError;

fn targets(body: &str) -> Vec<LinkTarget> {
    let mut found: Vec<LinkTarget> = Vec::new();
    for segment in segments(body) {
        if let Segment::Link(url) = segment
            && let Some(target) = link_target(&url)
            && !found.contains(&target)
        {
            found.push(target);
        }
    }
    found
}

/// The cards of a page of posts.
pub(crate) struct Cards(HashMap<LinkTarget, LinkCard>);

impl Cards {
    /// Looks up every portal link of `bodies` the reader may see.
    pub(crate) async fn load<'a>(
        db: &impl ConnectionTrait,
        actor: &Actor,
        bodies: impl Iterator<Item = &'a str>,
    ) -> Result<Self, AppError> {
        let all: Vec<LinkTarget> = bodies.flat_map(targets).collect();
        let mut cards = HashMap::new();
        if all.is_empty() {
            return Ok(Self(cards));
        }
        let pick = |f: fn(&LinkTarget) -> Option<i32>| all.iter().filter_map(f).collect::<Vec<_>>();
        let slugs: Vec<String> = all
            .iter()
            .filter_map(|t| match t {
                LinkTarget::Case(slug) => Some(slug.clone()),
                _ => None,
            })
            .collect();
        for case in case_study::Entity::find()
            .filter(case_study::Column::Slug.is_in(slugs))
            .filter(case_study::Column::Status.eq(crate::services::cases::STATUS_PUBLISHED))
            .all(db)
            .await?
        {
            let target = LinkTarget::Case(case.slug.clone());
            cards.insert(
                target.clone(),
                card(&target, "事例", case.title, case.organisation),
            );
        }
        let own = actor.prefecture.as_str();
        let ids = pick(|t| matches!(t, LinkTarget::Training(_)).then(|| id_of(t)));
        for course in training::Entity::find()
            .filter(training::Column::Id.is_in(ids))
            .filter(training::Column::PrefectureCode.eq(own))
            .all(db)
            .await?
        {
            let target = LinkTarget::Training(course.id);
            let status = crate::domain::training::TrainingStatus::parse(&course.status)
                .map(|s| s.label().to_owned())
                .unwrap_or_default();
            cards.insert(
                target.clone(),
                card(&target, "共同研修", course.title, status),
            );
        }
        let ids = pick(|t| matches!(t, LinkTarget::Advisor(_)).then(|| id_of(t)));
        for person in advisor::Entity::find()
            .filter(advisor::Column::Id.is_in(ids))
            .filter(advisor::Column::Published.eq(true))
            .filter(advisor::Column::Retired.eq(false))
            .all(db)
            .await?
        {
            let target = LinkTarget::Advisor(person.id);
            cards.insert(
                target.clone(),
                card(&target, "アドバイザー", person.name, person.affiliation),
            );
        }
        // A request is shown to the 県's office and to its own town.
        let ids = pick(|t| matches!(t, LinkTarget::Dispatch(_)).then(|| id_of(t)));
        let requests: Vec<dispatch::Model> = dispatch::Entity::find()
            .filter(dispatch::Column::Id.is_in(ids))
            .filter(dispatch::Column::PrefectureCode.eq(own))
            .all(db)
            .await?
            .into_iter()
            .filter(|d| match actor.role {
                Role::PrefAdmin | Role::PrefStaff => true,
                Role::MuniStaff => actor
                    .municipality
                    .as_ref()
                    .is_some_and(|m| m.as_str() == d.municipality_code),
                Role::Advisor => false,
            })
            .collect();
        let towns = crate::services::municipalities::names_of(
            db,
            requests.iter().map(|d| d.municipality_code.clone()),
        )
        .await?;
        for request in requests {
            let target = LinkTarget::Dispatch(request.id);
            let town = towns
                .get(&request.municipality_code)
                .cloned()
                .unwrap_or_default();
            let status = crate::domain::dispatch::DispatchStatus::parse(&request.status)
                .map(|s| s.label().to_owned())
                .unwrap_or_default();
            cards.insert(
                target.clone(),
                card(
                    &target,
                    "派遣依頼",
                    format!("派遣依頼 #{}({town})", request.id),
                    status,
                ),
            );
        }
        Ok(Self(cards))
    }

    /// The cards of one post, in the order its links appear.
    pub(crate) fn of(&self, body: &str) -> Vec<LinkCard> {
        targets(body)
            .iter()
            .filter_map(|t| self.0.get(t).cloned())
            .collect()
    }
}

fn id_of(target: &LinkTarget) -> i32 {
    match target {
        LinkTarget::Training(id) | LinkTarget::Advisor(id) | LinkTarget::Dispatch(id) => *id,
        LinkTarget::Case(_) => 0,
    }
}

fn card(target: &LinkTarget, kind: &str, title: String, detail: String) -> LinkCard {
    LinkCard {
        href: target.path(),
        kind: kind.to_owned(),
        title,
        detail,
    }
}
