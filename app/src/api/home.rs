//! The role home pages: a municipality's page and the prefecture's overview.

use crate::domain::local_gov::LocalGovCode;
use serde::{Deserialize, Serialize};

use crate::api::accounts::AccountView;
use crate::api::municipalities::MunicipalityItem;

/// A municipality's private page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityPage {
    /// The municipality.
    pub municipality: MunicipalityItem,
    /// Its staff accounts.
    pub accounts: Vec<AccountView>,
    /// The joint trainings it has staff in.
    pub trainings: Vec<crate::api::trainings::TownTraining>,
    /// Its contacts at the 県 today.
    pub counterparts: Box<crate::api::counterparts::CounterpartsView>,
    /// The 県's contacts with it, newest first (the town sees those not internal).
    pub contacts: Vec<crate::api::counterparts::ContactView>,
    /// The caller may record a contact (the 県's staff).
    pub can_log: bool,
    /// Dispatches and trainings, to show among the contacts in date order.
    pub events: Vec<TownEvent>,
    /// The 県's notices the town has not confirmed yet.
    pub notices: Vec<crate::api::notices::NoticeSummary>,
    /// The 県's 照会 the town has not submitted and may still answer.
    pub surveys: Vec<crate::api::surveys::SurveySummary>,
    /// Posts that mention the town or the caller (the town's own staff only).
    pub mentions: Vec<crate::api::channels::MentionView>,
}

/// A dispatch or a joint training on a town's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownEvent {
    /// The day (the dispatch's date once set, else the day it was requested; a
    /// course's first session).
    pub date: chrono::NaiveDate,
    /// 「アドバイザー派遣」, 「共同研修」.
    pub kind_label: String,
    /// What it is.
    pub text: String,
    /// Its page.
    pub href: String,
}

/// A municipality in the prefecture overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalitySummary {
    /// The municipality.
    pub municipality: MunicipalityItem,
    /// Active staff accounts.
    pub active_accounts: u64,
}

/// The prefecture's overview of its municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefectureOverview {
    /// 団体コード of the prefecture.
    pub code: LocalGovCode,
    /// Name of the prefecture.
    pub name: String,
    /// Its municipalities in code order.
    pub municipalities: Vec<MunicipalitySummary>,
    /// The towns the caller is a counterpart of, and what is due.
    pub mine: crate::api::counterparts::MyTowns,
    /// Posts that mention the caller.
    pub mentions: Vec<crate::api::channels::MentionView>,
}

/// What the front page shows to whoever asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Home {
    /// Nobody signed in: the introduction.
    Visitor,
    /// Municipal staff: their municipality.
    Municipality(MunicipalityPage),
    /// Prefecture staff: their prefecture.
    Prefecture(PrefectureOverview),
    /// An advisor: a greeting by name and their profile in the bank, if linked.
    Advisor {
        /// Display name.
        name: String,
        /// Id and status of their own profile.
        profile: Option<(i32, crate::domain::advisor::edit::AdvisorStatus)>,
    },
}
