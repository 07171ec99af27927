//! カウンターパート as the pages and the JSON API see it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::counterpart::Source;
use crate::domain::local_gov::LocalGovCode;

/// A 県 person assigned to a town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartPerson {
    /// Their account id.
    pub account: i32,
    /// Name.
    pub name: String,
    /// Contact address.
    pub email: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day, if it ends.
    pub to: Option<NaiveDate>,
}

/// A town's counterparts on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartsView {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// The day asked about.
    pub date: NaiveDate,
    /// 主担当.
    pub primary: Option<CounterpartPerson>,
    /// 副担当.
    pub secondary: Vec<CounterpartPerson>,
    /// Whether they are the town's own or its region's default.
    pub source: Option<Source>,
}

/// One town's new counterparts (`PUT /api/municipalities/{code}/counterparts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignInput {
    /// The primary's e-mail.
    #[serde(default)]
    pub primary: Option<String>,
    /// The secondaries' e-mails.
    #[serde(default)]
    pub secondary: Vec<String>,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: String,
}

/// One town's line of a reassignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignChange {
    /// 団体コード.
    #[serde(default)]
    pub municipality: String,
    /// The new primary's e-mail.
    #[serde(default)]
    pub primary: Option<String>,
    /// The new secondaries' e-mails.
    #[serde(default)]
    pub secondary: Vec<String>,
}

/// A 人事異動 (`POST /api/counterparts/reassign`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignInput {
    /// The day it takes effect, `YYYY-MM-DD`.
    #[serde(default)]
    pub effective: String,
    /// One line per town.
    #[serde(default)]
    pub changes: Vec<ReassignChange>,
    /// Only show what would change.
    #[serde(default = "yes")]
    pub dry_run: bool,
}

fn yes() -> bool {
    true
}

/// One town before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignRow {
    /// The line it came from (1 is the first change, or the CSV's first data line).
    pub line: u64,
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// The primary's name before.
    pub before: Option<String>,
    /// The primary's name after.
    pub after: Option<String>,
    /// The secondaries' names after.
    pub secondary: Vec<String>,
}

/// A refused line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignError {
    /// The line.
    pub line: u64,
    /// What is wrong with it.
    pub message: String,
}

/// What a reassignment does (or did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignPreview {
    /// The day it takes effect.
    pub effective: NaiveDate,
    /// Whether it was applied (never with errors).
    pub applied: bool,
    /// Each town, before and after.
    pub rows: Vec<ReassignRow>,
    /// The refused lines (nothing is applied while there is one).
    pub errors: Vec<ReassignError>,
}

/// One assignment in a town's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The person.
    pub person: CounterpartPerson,
    /// 主担当.
    pub primary: bool,
}

/// A follow-up as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpView {
    /// Id.
    pub id: i32,
    /// What to do.
    pub text: String,
    /// By when.
    pub due: NaiveDate,
    /// Who.
    pub owner: String,
    /// Done.
    pub done: bool,
    /// Past its due date and not done.
    pub overdue: bool,
}

/// A contact as shown on a town's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    /// Id.
    pub id: i32,
    /// `visit` …
    pub kind: crate::domain::counterpart::contact::ContactKind,
    /// 「訪問」 …
    pub kind_label: String,
    /// The day.
    pub date: NaiveDate,
    /// Participants.
    pub participants: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Notes.
    pub notes: String,
    /// Kept with the 県.
    pub internal: bool,
    /// Who recorded it.
    pub author: String,
    /// Its follow-ups.
    pub follow_ups: Vec<FollowUpView>,
}

/// One town in the 県's overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRow {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// Its region.
    pub region: Option<String>,
    /// Its primary counterpart today.
    pub primary: Option<String>,
    /// The last visit (訪問), ever.
    pub last_visit: Option<NaiveDate>,
    /// Visits this 年度.
    pub visits: u32,
    /// Follow-ups not done.
    pub open_follow_ups: u32,
    /// Of those, past their due date.
    pub overdue_follow_ups: u32,
    /// Dispatches counted against its quotas this 年度.
    pub dispatches: u32,
    /// Its dispatch requests waiting for the 県 (to propose, or to approve).
    pub awaiting: u32,
    /// Its confirmed training 負担金 this 年度, in yen.
    pub charges: u64,
}

/// The 県's overview of its towns for a 年度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// 2026 for 令和8年度.
    pub fiscal_year: i32,
    /// 「令和8年度」.
    pub label: String,
    /// Towns visited at least once this 年度.
    pub visited: u32,
    /// All towns of the prefecture.
    pub total: u32,
    /// The towns (all, or those not visited when asked).
    pub rows: Vec<OverviewRow>,
    /// Each 県 staff member's load.
    pub workload: Vec<WorkloadRow>,
}

/// One 県 staff member's load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadRow {
    /// Their account.
    pub account: i32,
    /// Name.
    pub name: String,
    /// Towns they are the primary of today.
    pub primary: u32,
    /// Towns they are a secondary of today.
    pub secondary: u32,
    /// Dispatch requests of their primary towns still open.
    pub open_dispatches: u32,
    /// Visits they recorded this 年度.
    pub visits: u32,
}

/// A town the signed-in 県 staff member is a counterpart of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTown {
    /// 主担当 (else 副担当).
    pub primary: bool,
    /// The town as the overview shows it.
    pub row: OverviewRow,
}

/// Something a counterpart has to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// What to do.
    pub text: String,
    /// By when, if there is a date.
    pub due: Option<NaiveDate>,
    /// Past its date.
    pub overdue: bool,
    /// Where to do it.
    pub href: String,
}

/// A 県 staff member's home: their towns and what is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTowns {
    /// 「令和8年度」.
    pub label: String,
    /// Their towns today, primary ones first.
    pub towns: Vec<MyTown>,
    /// What is due, overdue first, then by date.
    pub due: Vec<DueItem>,
}

/// A region's default counterpart from a day on (`PUT /api/regions/{id}/counterpart`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionDefaultInput {
    /// The 県 person's e-mail; none ends the default.
    #[serde(default)]
    pub primary: Option<String>,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: String,
}

/// A region and its default counterpart today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionDefault {
    /// The region's id.
    pub id: i32,
    /// 「中和」.
    pub name: String,
    /// Its towns.
    pub towns: u32,
    /// Its default primary today.
    pub primary: Option<CounterpartPerson>,
}

/// The 県管理者's page for a 人事異動: the CSV's preview when one was sent, the
/// region defaults, and the 県 staff who may be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignPage {
    /// The day typed (or proposed: the next April 1).
    pub effective: String,
    /// The CSV being previewed, as text.
    pub csv: String,
    /// What it would do.
    pub preview: Option<ReassignPreview>,
    /// The prefecture's regions.
    pub regions: Vec<RegionDefault>,
    /// 県 staff: e-mail and name.
    pub staff: Vec<crate::api::advisors::Choice>,
}
