//! What the index holds of an advisor: one document per published profile, its
//! facets (for the filters and the match probes), its texts and its result card.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::search::{KIND, kana_order};
use crate::api::advisors::TermView;
use crate::domain::advisor::Mode;
use crate::entities::{
    advisor, advisor_area, advisor_availability, advisor_region, advisor_term, municipality, region,
};
use crate::search::SearchDoc;

/// Search documents of every published, active advisor, or of those of `only`
/// (few queries, whatever the number of advisors).
pub async fn search_documents(
    db: &impl ConnectionTrait,
    only: Option<&[i32]>,
) -> Result<Vec<SearchDoc>, DbErr> {
    let mut select = advisor::Entity::find()
        .filter(advisor::Column::Published.eq(true))
        .filter(advisor::Column::Retired.eq(false));
    if let Some(ids) = only {
        select = select.filter(advisor::Column::Id.is_in(ids.to_vec()));
    }
    let advisors = select.all(db).await?;
    // Child rows of the advisors at hand only (a filter with 100k ids would be
    // slower than reading the whole tables).
    let narrow = only.map(|_| advisors.iter().map(|a| a.id).collect());
    let mut tables = Tables::load(db, narrow).await?;
    Ok(advisors.into_iter().map(|a| tables.document(a)).collect())
}

/// The rows a search document is made of, per advisor, and the names they refer to.
struct Tables {
    labels: HashMap<(String, String), String>,
    terms: HashMap<i32, Vec<advisor_term::Model>>,
    areas: HashMap<i32, Vec<String>>,
    regions: HashMap<i32, Vec<i32>>,
    months: HashMap<i32, Vec<String>>,
    towns: HashMap<String, (String, Option<i32>)>,
    all_regions: Vec<region::Model>,
    region_names: HashMap<i32, String>,
}

/// What an advisor covers, in facets and in words.
struct Coverage {
    facets: Vec<(String, String)>,
    region_labels: Vec<String>,
    town_names: Vec<String>,
}

impl Tables {
    async fn load(db: &impl ConnectionTrait, narrow: Option<Vec<i32>>) -> Result<Self, DbErr> {
        let mut term_query = advisor_term::Entity::find();
        let mut area_query = advisor_area::Entity::find();
        let mut region_query = advisor_region::Entity::find();
        let mut month_query = advisor_availability::Entity::find();
        if let Some(wanted) = narrow {
            term_query = term_query.filter(advisor_term::Column::AdvisorId.is_in(wanted.clone()));
            area_query = area_query.filter(advisor_area::Column::AdvisorId.is_in(wanted.clone()));
            region_query =
                region_query.filter(advisor_region::Column::AdvisorId.is_in(wanted.clone()));
            month_query = month_query.filter(advisor_availability::Column::AdvisorId.is_in(wanted));
        }
        let mut tables = Self {
            labels: crate::services::taxonomy::labels(db).await?,
            terms: HashMap::new(),
            areas: HashMap::new(),
            regions: HashMap::new(),
            months: HashMap::new(),
            towns: municipality::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.code, (m.name, m.region_id)))
                .collect(),
            all_regions: region::Entity::find().all(db).await?,
            region_names: HashMap::new(),
        };
        tables.region_names = tables
            .all_regions
            .iter()
            .map(|r| (r.id, r.name.clone()))
            .collect();
        for term in term_query.all(db).await? {
            tables.terms.entry(term.advisor_id).or_default().push(term);
        }
        for area in area_query.all(db).await? {
            let list = tables.areas.entry(area.advisor_id).or_default();
            list.push(area.municipality_code);
        }
        for r in region_query.all(db).await? {
            tables
                .regions
                .entry(r.advisor_id)
                .or_default()
                .push(r.region_id);
        }
        for m in month_query.all(db).await? {
            tables.months.entry(m.advisor_id).or_default().push(m.month);
        }
        Ok(tables)
    }

    fn label(&self, kind: &str, code: &str) -> String {
        self.labels
            .get(&(kind.to_owned(), code.to_owned()))
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    /// The regions and towns an advisor covers: those entered (for matching) and
    /// the regions they amount to (for the region filter).
    fn coverage(&mut self, a: &advisor::Model) -> Coverage {
        let mut facets = Vec::new();
        let listed = self.regions.remove(&a.id).unwrap_or_default();
        for region in &listed {
            facets.push(("region_listed".to_owned(), region.to_string()));
        }
        if a.whole_prefecture {
            facets.push(("whole".to_owned(), "1".to_owned()));
        }
        let mut covered: HashSet<i32> = listed.into_iter().collect();
        let mut town_names = Vec::new();
        for code in self.areas.remove(&a.id).unwrap_or_default() {
            if let Some((name, region)) = self.towns.get(&code) {
                town_names.push(name.clone());
                covered.extend(region);
            }
            facets.push(("municipality".to_owned(), code));
        }
        if a.whole_prefecture {
            covered.extend(
                self.all_regions
                    .iter()
                    .filter(|r| r.prefecture_code == a.prefecture_code)
                    .map(|r| r.id),
            );
        }
        let mut covered: Vec<i32> = covered.into_iter().collect();
        covered.sort_unstable();
        let mut region_labels = Vec::new();
        for id in covered {
            facets.push(("region".to_owned(), id.to_string()));
            region_labels.extend(self.region_names.get(&id).cloned());
        }
        Coverage {
            facets,
            region_labels,
            town_names,
        }
    }

    /// One advisor's search document: facets for the filters, texts for the
    /// words, and the card a result list shows.
    fn document(&mut self, a: advisor::Model) -> SearchDoc {
        let own_terms = self.terms.remove(&a.id).unwrap_or_default();
        let mut facets = vec![
            ("jinzaizo".to_owned(), a.jinzaizo.clone()),
            ("prefecture".to_owned(), a.prefecture_code.clone()),
        ];
        let mut points = vec![self.label("jinzaizo", &a.jinzaizo)];
        let mut programme_labels = Vec::new();
        for term in &own_terms {
            facets.push((term.kind.clone(), term.code.clone()));
            let text = self.label(&term.kind, &term.code);
            if term.kind == "programme" {
                programme_labels.push(text);
            } else {
                points.push(text);
            }
        }
        let coverage = self.coverage(&a);
        facets.extend(coverage.facets);
        let mut mode_labels = Vec::new();
        for (offered, mode) in [(a.onsite, Mode::Onsite), (a.online, Mode::Online)] {
            if offered {
                facets.push(("mode".to_owned(), mode.as_str().to_owned()));
                mode_labels.push(mode.label());
            }
        }
        for month in self.months.remove(&a.id).unwrap_or_default() {
            facets.push(("available".to_owned(), month));
        }
        let card = self.card(&a, &own_terms);
        SearchDoc {
            kind: KIND,
            id: a.id.to_string(),
            order: kana_order(&a.kana),
            recency: u64::try_from(a.last_active_at.timestamp_millis()).unwrap_or_default(),
            title: a.name.clone(),
            org: format!("{} {}", a.affiliation, a.kana),
            summary: a.bio.clone(),
            points: points.join(" "),
            body: [
                a.track_record.clone(),
                a.municipal_knowledge.clone(),
                programme_labels.join(" "),
                coverage.region_labels.join(" "),
                coverage.town_names.join(" "),
                mode_labels.join(" "),
            ]
            .join("\n"),
            facets,
            card: serde_json::to_string(&card).unwrap_or_default(),
        }
    }

    fn card(&self, a: &advisor::Model, own_terms: &[advisor_term::Model]) -> AdvisorCard {
        let view = |kind: &str, code: &str| TermView {
            code: code.to_owned(),
            label: self.label(kind, code),
        };
        let of_kind = |kind: &str| -> Vec<TermView> {
            let mut list: Vec<TermView> = own_terms
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| view(kind, &t.code))
                .collect();
            list.sort_by(|x, y| x.code.cmp(&y.code));
            list
        };
        AdvisorCard {
            prefecture: a.prefecture_code.clone(),
            name: a.name.clone(),
            kana: a.kana.clone(),
            affiliation: a.affiliation.clone(),
            jinzaizo: view("jinzaizo", &a.jinzaizo),
            roles: of_kind("role"),
            specialties: of_kind("specialty"),
            modes: a.modes(),
        }
    }
}

/// What a result list shows of an advisor, stored with the search document so a
/// page of results needs no database query.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct AdvisorCard {
    /// Code of the prefecture whose bank lists the advisor (absent in cards
    /// indexed before it was stored; the next rebuild adds it).
    #[serde(default)]
    pub(super) prefecture: String,
    pub(super) name: String,
    pub(super) kana: String,
    pub(super) affiliation: String,
    pub(super) jinzaizo: TermView,
    pub(super) roles: Vec<TermView>,
    pub(super) specialties: Vec<TermView>,
    pub(super) modes: Vec<Mode>,
}
