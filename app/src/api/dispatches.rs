//! 派遣 as the pages and the JSON API see it: programmes, requests with their
//! timeline, and a town's quota for a 年度.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::dispatch::quota::{Hours, QuotaRule, Remaining, Usage};
use crate::domain::dispatch::{AdviceType, DispatchMode, DispatchStatus, Step};
use crate::domain::ids::{AdvisorId, DispatchId, ProgrammeId};
use crate::domain::local_gov::LocalGovCode;

/// A programme and its rules now in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeView {
    /// Id.
    pub id: ProgrammeId,
    /// Stable code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Advice types offered.
    pub advice_types: Vec<AdviceType>,
    /// Quota rules per municipality per 年度.
    pub rules: Vec<QuotaRule>,
    /// The rules in words.
    pub rules_text: Vec<String>,
    /// Open to requests.
    pub active: bool,
    /// Send back with a PATCH; a stale one is refused (409).
    pub version: i32,
}

/// A new programme (`POST /api/programmes`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeInput {
    /// Stable code (letters, digits, `_`); made from the id when absent.
    #[serde(default)]
    pub code: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Advice types offered (all three when absent).
    #[serde(default)]
    pub advice_types: Option<Vec<AdviceType>>,
    /// Quota rules.
    #[serde(default)]
    pub rules: Vec<QuotaRule>,
}

/// Changes to a programme (`PATCH /api/programmes/{id}`): only the fields named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammePatch {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Advice types offered.
    #[serde(default)]
    pub advice_types: Option<Vec<AdviceType>>,
    /// Quota rules (they apply to approvals from now on).
    #[serde(default)]
    pub rules: Option<Vec<QuotaRule>>,
    /// Open to requests.
    #[serde(default)]
    pub active: Option<bool>,
    /// The version the edit was made from.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Someone named on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorRef {
    /// Id in the bank.
    pub id: AdvisorId,
    /// Name.
    pub name: String,
}

/// A request in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchSummary {
    /// Id.
    pub id: DispatchId,
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// The programme.
    pub programme: ProgrammeId,
    /// Its name.
    pub programme_name: String,
    /// Kind of advice.
    pub advice_type: AdviceType,
    /// On site or online.
    pub mode: DispatchMode,
    /// State.
    pub status: DispatchStatus,
    /// State in words, with 「実施済(報告待ち)」 and 「報告期限超過」 where they apply.
    pub status_label: String,
    /// No report 7 days after the dispatch.
    pub overdue: bool,
    /// The advisor proposed or booked.
    pub advisor: Option<AdvisorRef>,
    /// Scheduled start.
    pub starts_at: Option<DateTime<FixedOffset>>,
    /// Scheduled end.
    pub ends_at: Option<DateTime<FixedOffset>>,
    /// The 年度 it counts to (approved ones).
    pub fiscal_year: Option<i32>,
    /// Hours: reported, else scheduled, else wanted.
    pub hours: Hours,
    /// Filed.
    pub created_at: DateTime<FixedOffset>,
}

/// One step of a request's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who.
    pub actor: String,
    /// `submit` or a step.
    pub step: String,
    /// The step in words.
    pub label: String,
    /// The state after it.
    pub status: DispatchStatus,
    /// What it said.
    pub note: String,
}

/// The advisor's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// Hours actually spent.
    pub hours: Hours,
    /// What was done.
    pub summary: String,
    /// The outcome.
    pub outcome: String,
    /// Next steps.
    pub next_steps: String,
}

/// A request with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchDetail {
    /// The list fields.
    pub summary: DispatchSummary,
    /// The need.
    pub need: String,
    /// Hours wanted.
    pub hours_wanted: Hours,
    /// Preferred period.
    pub preferred_from: Option<NaiveDate>,
    /// End of the preferred period.
    pub preferred_to: Option<NaiveDate>,
    /// Advisors the town named.
    pub wished: Vec<AdvisorRef>,
    /// Place or meeting URL.
    pub place: Option<String>,
    /// The quota in force at approval, in words.
    pub quota_at_approval: Vec<String>,
    /// The report.
    pub report: Option<ReportView>,
    /// Why the 県 rejected it.
    pub reject_reason: Option<String>,
    /// Every step so far.
    pub timeline: Vec<TimelineEntry>,
    /// The steps the caller may take now.
    pub actions: Vec<Step>,
}

/// Filters of the request list (`GET /api/dispatches`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchQuery {
    /// State.
    #[serde(default)]
    pub status: Option<String>,
    /// Programme id.
    #[serde(default)]
    pub programme: Option<i32>,
    /// Town.
    #[serde(default)]
    pub municipality: Option<String>,
    /// Advisor id.
    #[serde(default)]
    pub advisor: Option<i32>,
    /// 年度 (2026 = 令和8年度).
    #[serde(default)]
    pub fiscal_year: Option<i32>,
}

/// One programme's use by a town in a 年度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeQuota {
    /// Programme id.
    pub id: ProgrammeId,
    /// Name.
    pub name: String,
    /// Used so far (approved, held, reported and closed dispatches).
    pub used: Usage,
    /// The rules.
    pub limits: Vec<QuotaRule>,
    /// The rules in words.
    pub limits_text: Vec<String>,
    /// What is left.
    pub remaining: Remaining,
}

/// A town's quota for a 年度 (`GET /api/municipalities/{code}/quota`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaView {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// 2026 for 令和8年度.
    pub fiscal_year: i32,
    /// 「令和8年度」.
    pub label: String,
    /// One entry per active programme.
    pub programmes: Vec<ProgrammeQuota>,
}

/// A proposal (`POST /api/dispatches/{id}/propose`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeInput {
    /// The advisor's id in the bank.
    #[serde(default)]
    pub advisor: Option<i32>,
}

/// A rejection (`POST /api/dispatches/{id}/reject`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectInput {
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// What a step carries.
#[derive(Debug, Clone, PartialEq)]
pub enum StepInput {
    /// Accept, decline, withdraw, confirm.
    Plain,
    /// Propose an advisor.
    Propose(ProposeInput),
    /// Approve with a schedule.
    Approve(crate::domain::dispatch::input::ScheduleInput),
    /// Reject with a reason.
    Reject(RejectInput),
    /// Report.
    Report(crate::domain::dispatch::input::ReportInput),
}

/// One town's use of each programme in a 年度, for the 県's table and chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRow {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub municipality_name: String,
    /// Dispatches per programme, in the order of `UsageTable::programmes`.
    pub counts: Vec<u32>,
    /// Hours per programme.
    pub hours: Vec<Hours>,
}

/// Per-programme usage per town for a 年度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageTable {
    /// 2026 for 令和8年度.
    pub fiscal_year: i32,
    /// 「令和8年度」.
    pub label: String,
    /// `(id, name)` of the programmes, the columns.
    pub programmes: Vec<(ProgrammeId, String)>,
    /// Towns with any use, by 団体コード.
    pub rows: Vec<UsageRow>,
}

/// What the request form needs: the town, its programmes and their quota left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchFormContext {
    /// The caller's town and its quota this 年度.
    pub quota: QuotaView,
    /// The programmes open to requests.
    pub programmes: Vec<ProgrammeView>,
    /// The advisors picked on the match page or the bank (`?advisor=`).
    pub wished: Vec<AdvisorRef>,
}

/// The board: the requests the caller may see and what its filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchBoard {
    /// The requests, newest first.
    pub items: Vec<DispatchSummary>,
    /// The caller works for the 県 (sees every town's).
    pub is_prefecture: bool,
    /// The caller may file a request (a town's staff).
    pub can_request: bool,
    /// The programmes of the prefecture (a filter).
    pub programmes: Vec<ProgrammeView>,
    /// The towns of the prefecture, `(団体コード, name)` (a filter, for the 県).
    pub towns: Vec<(String, String)>,
    /// The caller's town's quota this 年度 (a town's staff).
    pub quota: Option<QuotaView>,
    /// This 年度 (2026 = 令和8年度).
    pub fiscal_year: i32,
}

/// A request's page: the request, and for the 県 while it can propose, the bank
/// ranked for its need with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchPageData {
    /// The request.
    pub detail: DispatchDetail,
    /// Candidates, the town's wishes first and then the bank ranked for the
    /// need (empty unless the caller may propose now).
    pub candidates: Vec<Candidate>,
}

/// An advisor the 県 may propose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The advisor, with the reasons they fit (none for a wish that did not rank).
    pub item: crate::api::advisors::MatchItem,
    /// The town asked for them.
    pub wished: bool,
    /// They have an account, so they can answer in the portal.
    pub can_answer: bool,
}

/// The programmes page: every programme of the caller's prefecture, and whether
/// the caller may define them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammesPage {
    /// The programmes, oldest first.
    pub programmes: Vec<ProgrammeView>,
    /// The caller is a 県管理者.
    pub can_manage: bool,
}
