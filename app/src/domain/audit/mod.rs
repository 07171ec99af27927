//! What the audit log records.

use serde::{Deserialize, Serialize};

pub mod describe;

/// Who acted, and from where.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    /// Account id and email of the signed-in actor.
    pub actor: Option<(i32, String)>,
    /// Client address.
    pub client_addr: String,
    /// Request id.
    pub request_id: Option<String>,
}

/// A kind of audited event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Successful sign-in.
    Login,
    /// Wrong email or password, or a deactivated account.
    LoginFailed,
    /// Refused because of too many failures.
    LoginThrottled,
    /// Sign-out.
    Logout,
    /// Account created.
    AccountCreated,
    /// Account deactivated (its sessions end).
    AccountDeactivated,
    /// Account reactivated.
    AccountReactivated,
    /// Every session of an account ended by an administrator.
    SessionsRevoked,
    /// A user changed their own password.
    PasswordChanged,
    /// A password change was refused: the current password was wrong, or too
    /// many wrong ones came before.
    PasswordChangeFailed,
    /// An administrator set a temporary password, to be changed at the next sign-in.
    PasswordReset,
    /// An advisor profile (or its availability) changed.
    AdvisorUpdated,
    /// An advisor profile was created.
    AdvisorCreated,
    /// An advisor profile was published, unpublished or retired.
    AdvisorStatusChanged,
    /// Advisors were imported from a CSV file.
    AdvisorsImported,
    /// The bank was exported as CSV (it holds contact details).
    AdvisorsExported,
    /// A term of the advisor bank's vocabularies was added or changed.
    TaxonomyChanged,
    /// A joint training was created.
    TrainingCreated,
    /// A joint training's details, sessions, costs or split settings were changed.
    TrainingUpdated,
    /// A joint training moved on in its life cycle.
    TrainingStatusChanged,
    /// Staff were enrolled in (or waitlisted for) a joint training.
    TrainingEnrolled,
    /// An enrolment was cancelled.
    EnrolmentCancelled,
    /// A waitlisted trainee got a freed seat.
    EnrolmentPromoted,
    /// Attendance of a session was recorded.
    AttendanceRecorded,
    /// The cost split of a joint training was confirmed.
    TrainingSplitConfirmed,
    /// A dispatch programme or its quota rules were defined or changed.
    ProgrammeChanged,
    /// A town filed a dispatch request.
    DispatchRequested,
    /// A dispatch request moved on (proposed, accepted, approved, reported …).
    DispatchStepTaken,
    /// カウンターパート were assigned or reassigned.
    CounterpartsChanged,
    /// A channel was made.
    ChannelCreated,
    /// A 県管理者 deleted someone else's post.
    PostDeleted,
}

impl AuditAction {
    /// Every action, in the order the filter lists them.
    pub const ALL: [AuditAction; 31] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
        AuditAction::Logout,
        AuditAction::AccountCreated,
        AuditAction::AccountDeactivated,
        AuditAction::AccountReactivated,
        AuditAction::SessionsRevoked,
        AuditAction::PasswordChanged,
        AuditAction::PasswordChangeFailed,
        AuditAction::PasswordReset,
        AuditAction::AdvisorUpdated,
        AuditAction::AdvisorCreated,
        AuditAction::AdvisorStatusChanged,
        AuditAction::AdvisorsImported,
        AuditAction::AdvisorsExported,
        AuditAction::TaxonomyChanged,
        AuditAction::TrainingCreated,
        AuditAction::TrainingUpdated,
        AuditAction::TrainingStatusChanged,
        AuditAction::TrainingEnrolled,
        AuditAction::EnrolmentCancelled,
        AuditAction::EnrolmentPromoted,
        AuditAction::AttendanceRecorded,
        AuditAction::TrainingSplitConfirmed,
        AuditAction::ProgrammeChanged,
        AuditAction::DispatchRequested,
        AuditAction::DispatchStepTaken,
        AuditAction::CounterpartsChanged,
        AuditAction::ChannelCreated,
        AuditAction::PostDeleted,
    ];

    /// Wire form, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginThrottled => "login_throttled",
            AuditAction::Logout => "logout",
            AuditAction::AccountCreated => "account_created",
            AuditAction::AccountDeactivated => "account_deactivated",
            AuditAction::AccountReactivated => "account_reactivated",
            AuditAction::SessionsRevoked => "sessions_revoked",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordChangeFailed => "password_change_failed",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::AdvisorUpdated => "advisor_updated",
            AuditAction::AdvisorCreated => "advisor_created",
            AuditAction::AdvisorStatusChanged => "advisor_status_changed",
            AuditAction::AdvisorsImported => "advisors_imported",
            AuditAction::AdvisorsExported => "advisors_exported",
            AuditAction::TaxonomyChanged => "taxonomy_changed",
            AuditAction::TrainingCreated => "training_created",
            AuditAction::TrainingUpdated => "training_updated",
            AuditAction::TrainingStatusChanged => "training_status_changed",
            AuditAction::TrainingEnrolled => "training_enrolled",
            AuditAction::EnrolmentCancelled => "enrolment_cancelled",
            AuditAction::EnrolmentPromoted => "enrolment_promoted",
            AuditAction::AttendanceRecorded => "attendance_recorded",
            AuditAction::TrainingSplitConfirmed => "training_split_confirmed",
            AuditAction::ProgrammeChanged => "programme_changed",
            AuditAction::DispatchRequested => "dispatch_requested",
            AuditAction::DispatchStepTaken => "dispatch_step_taken",
            AuditAction::CounterpartsChanged => "counterparts_changed",
            AuditAction::ChannelCreated => "channel_created",
            AuditAction::PostDeleted => "post_deleted",
        }
    }

    /// Parses the wire form.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == input)
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Login => "ログイン",
            AuditAction::LoginFailed => "ログイン失敗",
            AuditAction::LoginThrottled => "ログイン制限",
            AuditAction::Logout => "ログアウト",
            AuditAction::AccountCreated => "アカウント作成",
            AuditAction::AccountDeactivated => "アカウント停止",
            AuditAction::AccountReactivated => "アカウント再開",
            AuditAction::SessionsRevoked => "セッション失効",
            AuditAction::PasswordChanged => "パスワード変更",
            AuditAction::PasswordChangeFailed => "パスワード変更の失敗",
            AuditAction::PasswordReset => "仮パスワードの設定",
            AuditAction::AdvisorUpdated => "アドバイザー情報の変更",
            AuditAction::AdvisorCreated => "アドバイザー登録",
            AuditAction::AdvisorStatusChanged => "アドバイザーの公開状態の変更",
            AuditAction::AdvisorsImported => "アドバイザーの一括取り込み",
            AuditAction::AdvisorsExported => "人材バンクのCSV出力",
            AuditAction::TaxonomyChanged => "人材バンクの分類の変更",
            AuditAction::TrainingCreated => "共同研修の登録",
            AuditAction::TrainingUpdated => "共同研修の変更",
            AuditAction::TrainingStatusChanged => "共同研修の状態の変更",
            AuditAction::TrainingEnrolled => "共同研修の受講申込",
            AuditAction::EnrolmentCancelled => "受講申込の取消",
            AuditAction::EnrolmentPromoted => "キャンセル待ちからの繰り上げ",
            AuditAction::AttendanceRecorded => "出席の記録",
            AuditAction::TrainingSplitConfirmed => "負担金の確定",
            AuditAction::ProgrammeChanged => "派遣制度の変更",
            AuditAction::DispatchRequested => "派遣依頼の受付",
            AuditAction::DispatchStepTaken => "派遣依頼の進行",
            AuditAction::CounterpartsChanged => "カウンターパートの変更",
            AuditAction::ChannelCreated => "チャンネルの作成",
            AuditAction::PostDeleted => "投稿の削除(管理者)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_actions_round_trip_and_have_distinct_labels() {
        let mut labels = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert!(labels.insert(action.label()));
        }
    }
}
