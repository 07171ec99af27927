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
