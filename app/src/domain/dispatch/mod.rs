//! 派遣: a town's request for an advisor, from its need to the advisor's report.
//! The life cycle (who moves a request from which state to which), the kinds of
//! advice and of dispatch, and the programmes' quotas ([`quota`]). Pure.

pub mod ics;
pub mod input;
pub mod programme_form;
pub mod quota;

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispatchStatus {
    /// Filed by the town, waiting for the 県.
    Submitted,
    /// The 県 proposed an advisor, who has not answered yet.
    Proposed,
    /// The advisor accepted; the 県 sets the date and approves.
    Accepted,
    /// The advisor declined; the 県 proposes another.
    Declined,
    /// Approved and scheduled; counts against the quota.
    Approved,
    /// The advisor reported; the town confirms.
    Reported,
    /// The town confirmed the report.
    Closed,
    /// Withdrawn by the town before approval.
    Withdrawn,
    /// Rejected by the 県, with a reason.
    Rejected,
}

impl DispatchStatus {
    /// Every state, in the order of the life cycle.
    pub const ALL: [DispatchStatus; 9] = [
        Self::Submitted,
        Self::Proposed,
        Self::Accepted,
        Self::Declined,
        Self::Approved,
        Self::Reported,
        Self::Closed,
        Self::Withdrawn,
        Self::Rejected,
    ];

    /// Wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Proposed => "proposed",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Approved => "approved",
            Self::Reported => "reported",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
            Self::Rejected => "rejected",
        }
    }

    /// The state stored as `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "受付",
            Self::Proposed => "アドバイザー回答待ち",
            Self::Accepted => "日程調整中",
            Self::Declined => "辞退(再提案待ち)",
            Self::Approved => "派遣決定",
            Self::Reported => "報告確認待ち",
            Self::Closed => "完了",
            Self::Withdrawn => "取下げ",
            Self::Rejected => "不採択",
        }
    }

    /// Whether the request still needs someone to act.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Withdrawn | Self::Rejected)
    }

    /// Whether the next step forward (not a withdrawal or a rejection) is `party`'s.
    pub fn awaits(self, party: Party) -> bool {
        Step::ALL
            .into_iter()
            .filter(|s| !matches!(s, Step::Reject | Step::Withdraw))
            .any(|s| s.party() == party && s.next(self).is_some())
    }

    /// Whether the dispatch counts against its town's quota.
    pub fn counts(self) -> bool {
        matches!(self, Self::Approved | Self::Reported | Self::Closed)
    }

    /// The stored forms of the states that count against a quota (a query filter).
    pub fn counting() -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|s| s.counts())
            .map(Self::as_str)
            .collect()
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The requesting town's staff.
    Town,
    /// The town's 県.
    Prefecture,
    /// The proposed advisor.
    Advisor,
}

/// A step of the life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The 県 proposes an advisor.
    Propose,
    /// The advisor accepts.
    Accept,
    /// The advisor declines.
    Decline,
    /// The 県 approves with the schedule.
    Approve,
    /// The 県 rejects, with a reason.
    Reject,
    /// The town withdraws.
    Withdraw,
    /// The advisor reports.
    Report,
    /// The town confirms the report.
    Confirm,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 8] = [
        Self::Propose,
        Self::Accept,
        Self::Decline,
        Self::Approve,
        Self::Reject,
        Self::Withdraw,
        Self::Report,
        Self::Confirm,
    ];

    /// Wire form (the last part of `/api/dispatches/{id}/…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Propose => "propose",
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Withdraw => "withdraw",
            Self::Report => "report",
            Self::Confirm => "confirm",
        }
    }

    /// The step named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The button and timeline label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Propose => "アドバイザーを提案",
            Self::Accept => "引き受ける",
            Self::Decline => "辞退する",
            Self::Approve => "派遣を決定",
            Self::Reject => "不採択にする",
            Self::Withdraw => "依頼を取り下げる",
            Self::Report => "実施報告",
            Self::Confirm => "報告を確認",
        }
    }

    /// Who may take it.
    pub fn party(self) -> Party {
        match self {
            Self::Propose | Self::Approve | Self::Reject => Party::Prefecture,
            Self::Accept | Self::Decline | Self::Report => Party::Advisor,
            Self::Withdraw | Self::Confirm => Party::Town,
        }
    }

    /// The state this step leads to from `from`, if it may be taken there.
    pub fn next(self, from: DispatchStatus) -> Option<DispatchStatus> {
        use DispatchStatus::*;
        match (self, from) {
            (Self::Propose, Submitted | Declined) => Some(Proposed),
            (Self::Accept, Proposed) => Some(Accepted),
            (Self::Decline, Proposed) => Some(Declined),
            (Self::Approve, Accepted) => Some(Approved),
            (Self::Reject, Submitted | Proposed | Accepted | Declined) => Some(Rejected),
            (Self::Withdraw, Submitted | Proposed | Accepted | Declined) => Some(Withdrawn),
            (Self::Report, Approved) => Some(Reported),
            (Self::Confirm, Reported) => Some(Closed),
            _ => None,
        }
    }
}

/// ①課題対応アドバイス ②課題達成支援 ③啓発・研修 (JFM's three kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceType {
    /// ①課題対応アドバイス.
    Issue,
    /// ②課題達成支援.
    Achievement,
    /// ③啓発・研修.
    Training,
}

impl AdviceType {
    /// Every kind.
    pub const ALL: [AdviceType; 3] = [Self::Issue, Self::Achievement, Self::Training];

    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issue => "issue",
            Self::Achievement => "achievement",
            Self::Training => "training",
        }
    }

    /// The kind named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Issue => "①課題対応アドバイス",
            Self::Achievement => "②課題達成支援",
            Self::Training => "③啓発・研修",
        }
    }
}

/// On site or online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DispatchMode {
    /// 現地派遣.
    Onsite,
    /// オンラインのみ.
    Online,
}

impl DispatchMode {
    /// Both.
    pub const ALL: [DispatchMode; 2] = [Self::Onsite, Self::Online];

    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Onsite => "onsite",
            Self::Online => "online",
        }
    }

    /// The mode named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Onsite => "現地派遣",
            Self::Online => "オンライン",
        }
    }
}

/// Days after its date a dispatch with no report shows as overdue.
pub const REPORT_DUE_DAYS: i64 = 7;

/// Whether an approved dispatch that ended at `ends_at` has waited too long for
/// its report at `now`.
pub fn report_overdue(
    status: DispatchStatus,
    ends_at: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
) -> bool {
    status == DispatchStatus::Approved
        && ends_at.is_some_and(|end| now > end + Duration::days(REPORT_DUE_DAYS))
}

/// Whether an approved dispatch has been held (its time is past) and waits for
/// the report: the 「実施済(報告待ち)」 stage.
pub fn held(
    status: DispatchStatus,
    ends_at: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
) -> bool {
    status == DispatchStatus::Approved && ends_at.is_some_and(|end| now >= end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_waits_for_the_prefecture_when_it_is_new_declined_or_accepted() {
        use DispatchStatus::*;
        let waiting: Vec<DispatchStatus> = DispatchStatus::ALL
            .into_iter()
            .filter(|s| s.awaits(Party::Prefecture))
            .collect();
        assert_eq!(waiting, vec![Submitted, Accepted, Declined]);
        assert!(Proposed.awaits(Party::Advisor));
        assert!(Reported.awaits(Party::Town));
    }

    #[test]
    fn the_life_cycle_runs_from_request_to_close_and_nowhere_else() {
        use DispatchStatus::*;
        let mut status = Submitted;
        for step in [
            Step::Propose,
            Step::Decline,
            Step::Propose,
            Step::Accept,
            Step::Approve,
            Step::Report,
            Step::Confirm,
        ] {
            status = step.next(status).expect("allowed");
        }
        assert_eq!(status, Closed);
        assert_eq!(Step::Withdraw.next(Approved), None, "too late to withdraw");
        assert_eq!(
            Step::Approve.next(Proposed),
            None,
            "the advisor answers first"
        );
        assert_eq!(
            Step::Report.next(Accepted),
            None,
            "no report before approval"
        );
        for step in Step::ALL {
            for end in [Closed, Withdrawn, Rejected] {
                assert_eq!(step.next(end), None, "{end:?} is final");
            }
        }
    }

    #[test]
    fn every_state_and_step_reads_back_from_its_wire_form() {
        for status in DispatchStatus::ALL {
            assert_eq!(DispatchStatus::parse(status.as_str()), Some(status));
        }
        for step in Step::ALL {
            assert_eq!(Step::parse(step.as_str()), Some(step));
        }
    }

    #[test]
    fn a_report_is_overdue_seven_days_after_the_dispatch() {
        let end = DateTime::parse_from_rfc3339("2027-01-20T12:00:00+09:00").expect("time");
        let later = |days| end + Duration::days(days);
        let approved = DispatchStatus::Approved;
        assert!(!report_overdue(approved, Some(end), later(7)));
        assert!(report_overdue(approved, Some(end), later(8)));
        assert!(!report_overdue(
            DispatchStatus::Reported,
            Some(end),
            later(30)
        ));
        assert!(held(approved, Some(end), later(0)));
    }
}
