//! The one access policy: who may do what to which data.
//!
//! Every server function and JSON route calls [`authorize`] before it reads private
//! data or writes anything. The rules are scoped: a prefecture role acts inside its
//! prefecture, a municipal role for its own municipality, an advisor for their own
//! account. Public data (case library) needs no check.

use serde::{Deserialize, Serialize};

use super::account::{Actor, Role};
use super::local_gov::LocalGovCode;

/// Something a signed-in person asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See a municipality's private page (its accounts, and later its dispatches).
    ViewMunicipality,
    /// See the prefecture's overview of its municipalities.
    ViewPrefecture,
    /// List the accounts of a prefecture or a municipality.
    ListAccounts,
    /// Create an account.
    CreateAccount,
    /// Deactivate, reactivate or sign out an account everywhere.
    ManageAccount,
    /// Change one's own password.
    ChangeOwnPassword,
    /// Read the audit log of a prefecture.
    ViewAuditLog,
    /// See an advisor's contact details and availability.
    ViewAdvisorPrivate,
    /// See an advisor profile that is not published (draft or retired).
    ViewAdvisorDraft,
    /// Create, edit, publish, unpublish or retire an advisor profile.
    ManageAdvisor,
    /// An advisor editing their own profile's advisor-editable fields.
    EditOwnAdvisorProfile,
    /// Rank the bank's advisors for a municipality's need (uses availability).
    MatchAdvisors,
    /// Add or change terms of the advisor bank's vocabularies.
    ManageTaxonomy,
    /// Organise a joint training: create it, move it through its life, record
    /// attendance, confirm the split, cancel anyone.
    ManageTraining,
    /// Enrol (or cancel) staff of one's own municipality in a joint training.
    EnrolTraining,
    /// Define the prefecture's dispatch programmes and their quota rules.
    ManageProgrammes,
    /// File, withdraw or confirm a dispatch request for one's own town.
    RequestDispatch,
    /// Propose an advisor for, approve or reject a request of the prefecture's towns.
    ManageDispatch,
    /// Accept, decline or report a dispatch one was proposed for.
    AnswerDispatch,
    /// See a request (its town, its prefecture and the advisor proposed).
    ViewDispatch,
    /// Assign and reassign the prefecture's カウンターパート.
    AssignCounterparts,
    /// Record a contact with a town of the prefecture (伴走支援) and its follow-ups.
    LogContact,
    /// Read and post in a channel (open: the prefecture's local governments;
    /// member-only: its members).
    ReadChannel,
    /// Make a channel of the prefecture, keep its member list.
    ManageChannel,
    /// Edit a post (its author).
    EditPost,
    /// Delete a post (its author, or a 県管理者 of the prefecture).
    DeletePost,
    /// Send お知らせ to the prefecture's towns, see who read them, remind.
    SendNotice,
    /// Confirm, for one's own town, that a notice was read.
    ConfirmNotice,
    /// Make 照会 for the prefecture's towns, read every answer, reopen one.
    RunSurvey,
    /// Answer a 照会 for one's own town.
    AnswerSurvey,
    /// Register the prefecture's outgoing webhooks and resend their deliveries.
    ManageWebhooks,
}

impl Action {
    /// Every action; the policy tests walk all of them.
    pub const ALL: [Action; 31] = [
        Action::ViewMunicipality,
        Action::ViewPrefecture,
        Action::ListAccounts,
        Action::CreateAccount,
        Action::ManageAccount,
        Action::ChangeOwnPassword,
        Action::ViewAuditLog,
        Action::ViewAdvisorPrivate,
        Action::ViewAdvisorDraft,
        Action::ManageAdvisor,
        Action::EditOwnAdvisorProfile,
        Action::MatchAdvisors,
        Action::ManageTaxonomy,
        Action::ManageTraining,
        Action::EnrolTraining,
        Action::ManageProgrammes,
        Action::RequestDispatch,
        Action::ManageDispatch,
        Action::AnswerDispatch,
        Action::ViewDispatch,
        Action::AssignCounterparts,
        Action::LogContact,
        Action::ReadChannel,
        Action::ManageChannel,
        Action::EditPost,
        Action::DeletePost,
        Action::SendNotice,
        Action::ConfirmNotice,
        Action::RunSurvey,
        Action::AnswerSurvey,
        Action::ManageWebhooks,
    ];
}

/// What an action is about, reduced to the scope the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// A prefecture, by 団体コード.
    Prefecture {
        /// 団体コード of the prefecture.
        code: LocalGovCode,
    },
    /// A municipality and its prefecture.
    Municipality {
        /// 団体コード of the prefecture.
        prefecture: LocalGovCode,
        /// 団体コード of the municipality.
        code: LocalGovCode,
    },
    /// An advisor profile of a prefecture's bank.
    Advisor {
        /// The bank's prefecture.
        prefecture: LocalGovCode,
        /// The advisor's own account, if linked.
        account: Option<crate::domain::ids::AccountId>,
    },
    /// An account (existing, or the one about to be created).
    Account {
        /// Id of an existing account; `None` for one being created.
        id: Option<crate::domain::ids::AccountId>,
        /// Its prefecture.
        prefecture: LocalGovCode,
        /// Its municipality, for municipal staff.
        municipality: Option<LocalGovCode>,
    },
    /// A joint training course.
    Training {
        /// The prefecture whose municipalities it is for.
        prefecture: LocalGovCode,
        /// 団体コード of the organiser: the prefecture or a lead municipality.
        organiser: LocalGovCode,
    },
    /// A dispatch request (existing, or the one about to be filed).
    Dispatch {
        /// The town's prefecture.
        prefecture: LocalGovCode,
        /// The requesting town.
        municipality: LocalGovCode,
        /// The account of the advisor proposed, if any.
        advisor: Option<crate::domain::ids::AccountId>,
    },
    /// A channel (existing, or one about to be made).
    Channel {
        /// Its prefecture.
        prefecture: LocalGovCode,
        /// Open to the prefecture's local governments (else members only).
        open: bool,
        /// Who made it.
        owner: Option<crate::domain::ids::AccountId>,
        /// Its members (member-only channels).
        members: Vec<crate::domain::ids::AccountId>,
    },
    /// A post in a channel.
    Post {
        /// The channel's prefecture.
        prefecture: LocalGovCode,
        /// Who wrote it.
        author: crate::domain::ids::AccountId,
    },
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Nobody is signed in (401).
    Unauthenticated,
    /// Signed in, but not allowed (403).
    Forbidden,
}

/// Whether `actor` may do `action` to `resource`.
pub fn can(actor: &Actor, action: Action, resource: &Resource) -> bool {
    let in_prefecture = |code: &str| actor.prefecture == *code;
    let own_municipality = |code: &str| actor.municipality.as_deref() == Some(code);
    match (action, resource) {
        (
            Action::ViewMunicipality | Action::MatchAdvisors,
            Resource::Municipality { prefecture, code },
        ) => match actor.role {
            Role::PrefAdmin | Role::PrefStaff => in_prefecture(prefecture),
            Role::MuniStaff => own_municipality(code),
            Role::Advisor => false,
        },
        (Action::ViewPrefecture, Resource::Prefecture { code }) => {
            actor.role.is_prefecture() && in_prefecture(code)
        }
        (Action::ListAccounts, Resource::Prefecture { code }) => {
            actor.role == Role::PrefAdmin && in_prefecture(code)
        }
        (Action::ListAccounts, Resource::Municipality { prefecture, code }) => match actor.role {
            Role::PrefAdmin | Role::PrefStaff => in_prefecture(prefecture),
            Role::MuniStaff => own_municipality(code),
            Role::Advisor => false,
        },
        (Action::CreateAccount | Action::ManageAccount, Resource::Account { prefecture, .. }) => {
            actor.role == Role::PrefAdmin && in_prefecture(prefecture)
        }
        (Action::ChangeOwnPassword, Resource::Account { id, .. }) => *id == Some(actor.account_id),
        (Action::ViewAuditLog | Action::ManageTaxonomy, Resource::Prefecture { code }) => {
            actor.role == Role::PrefAdmin && in_prefecture(code)
        }
        (
            Action::ViewAdvisorPrivate,
            Resource::Advisor {
                prefecture,
                account,
            },
        ) => {
            match actor.role {
                // Contact details are for the bank's own local governments.
                Role::PrefAdmin | Role::PrefStaff | Role::MuniStaff => in_prefecture(prefecture),
                Role::Advisor => *account == Some(actor.account_id),
            }
        }
        (
            Action::ViewAdvisorDraft,
            Resource::Advisor {
                prefecture,
                account,
            },
        ) => match actor.role {
            Role::PrefAdmin | Role::PrefStaff => in_prefecture(prefecture),
            Role::MuniStaff => false,
            Role::Advisor => *account == Some(actor.account_id),
        },
        (Action::ManageAdvisor, Resource::Advisor { prefecture, .. }) => {
            actor.role == Role::PrefAdmin && in_prefecture(prefecture)
        }
        (Action::EditOwnAdvisorProfile, Resource::Advisor { account, .. }) => {
            actor.role == Role::Advisor && *account == Some(actor.account_id)
        }
        (
            Action::ManageTraining,
            Resource::Training {
                prefecture,
                organiser,
            },
        ) => match actor.role {
            // The DX office runs the prefecture's courses and oversees a lead
            // municipality's; the lead municipality runs its own.
            Role::PrefAdmin | Role::PrefStaff => in_prefecture(prefecture),
            Role::MuniStaff => in_prefecture(prefecture) && own_municipality(organiser),
            Role::Advisor => false,
        },
        (Action::LogContact, Resource::Municipality { prefecture, .. }) => {
            actor.role.is_prefecture() && in_prefecture(prefecture)
        }
        (Action::EnrolTraining, Resource::Municipality { prefecture, code }) => {
            actor.role == Role::MuniStaff && in_prefecture(prefecture) && own_municipality(code)
        }
        (Action::SendNotice | Action::RunSurvey, Resource::Prefecture { code }) => {
            actor.role.is_prefecture() && in_prefecture(code)
        }
        (
            Action::ConfirmNotice | Action::AnswerSurvey,
            Resource::Municipality { prefecture, code },
        ) => actor.role == Role::MuniStaff && in_prefecture(prefecture) && own_municipality(code),
        (
            Action::ManageProgrammes | Action::AssignCounterparts | Action::ManageWebhooks,
            Resource::Prefecture { code },
        ) => actor.role == Role::PrefAdmin && in_prefecture(code),
        (
            Action::RequestDispatch,
            Resource::Dispatch {
                prefecture,
                municipality,
                ..
            },
        ) => {
            actor.role == Role::MuniStaff
                && in_prefecture(prefecture)
                && own_municipality(municipality)
        }
        (Action::ManageDispatch, Resource::Dispatch { prefecture, .. }) => {
            actor.role.is_prefecture() && in_prefecture(prefecture)
        }
        (Action::AnswerDispatch, Resource::Dispatch { advisor, .. }) => {
            actor.role == Role::Advisor && *advisor == Some(actor.account_id)
        }
        (Action::ViewDispatch, resource @ Resource::Dispatch { .. }) => [
            Action::RequestDispatch,
            Action::ManageDispatch,
            Action::AnswerDispatch,
        ]
        .into_iter()
        .any(|action| can(actor, action, resource)),
        (
            Action::ReadChannel,
            Resource::Channel {
                prefecture,
                open,
                members,
                ..
            },
        ) => {
            in_prefecture(prefecture)
                && (members.contains(&actor.account_id) || (*open && actor.role != Role::Advisor))
        }
        (
            Action::ManageChannel,
            Resource::Channel {
                prefecture, owner, ..
            },
        ) => {
            in_prefecture(prefecture)
                && (actor.role.is_prefecture() || *owner == Some(actor.account_id))
        }
        (Action::EditPost, Resource::Post { author, .. }) => *author == actor.account_id,
        (Action::DeletePost, Resource::Post { prefecture, author }) => {
            *author == actor.account_id
                || (actor.role == Role::PrefAdmin && in_prefecture(prefecture))
        }
        // An action asked about a resource it does not apply to is refused.
        _ => false,
    }
}

/// The signed-in actor if they may do `action` to `resource`.
pub fn authorize<'a>(
    actor: Option<&'a Actor>,
    action: Action,
    resource: &Resource,
) -> Result<&'a Actor, Denied> {
    let actor = actor.ok_or(Denied::Unauthenticated)?;
    if can(actor, action, resource) {
        Ok(actor)
    } else {
        Err(Denied::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::AccountId;

    fn code(text: &str) -> LocalGovCode {
        LocalGovCode::parse(text).expect("a valid code")
    }

    const NARA: &str = "290009";
    const KOCHI: &str = "390003";
    const MIYAKE: &str = "293628";
    const NARA_CITY: &str = "292010";
    const KOCHI_CITY: &str = "392014";

    fn actor(role: Role) -> Actor {
        Actor {
            account_id: AccountId(7),
            email: "someone@renkei.example".into(),
            display_name: "担当者".into(),
            role,
            prefecture: code(NARA),
            prefecture_name: "奈良県".into(),
            municipality: (role == Role::MuniStaff).then(|| code(MIYAKE)),
            municipality_name: (role == Role::MuniStaff).then(|| "三宅町".into()),
            must_change_password: false,
        }
    }

    /// The resource an action is about, in the actor's own scope or outside it.
    /// "Other" for a municipal role is another town of the same prefecture (the
    /// subtle case); for prefecture roles it is another prefecture.
    fn resource(action: Action, role: Role, own: bool) -> Resource {
        let (prefecture, municipality) = match (own, role) {
            (true, _) => (NARA, MIYAKE),
            (false, Role::MuniStaff) => (NARA, NARA_CITY),
            (false, _) => (KOCHI, KOCHI_CITY),
        };
        match action {
            Action::ViewMunicipality | Action::ListAccounts | Action::MatchAdvisors
                if role == Role::MuniStaff =>
            {
                Resource::Municipality {
                    prefecture: code(prefecture),
                    code: code(municipality),
                }
            }
            Action::ViewMunicipality
            | Action::MatchAdvisors
            | Action::EnrolTraining
            | Action::ConfirmNotice
            | Action::AnswerSurvey
            | Action::LogContact => Resource::Municipality {
                prefecture: code(prefecture),
                code: code(municipality),
            },
            // A course organised by the actor's own body (the town for municipal staff).
            Action::ManageTraining => Resource::Training {
                prefecture: code(prefecture),
                organiser: if role == Role::MuniStaff {
                    municipality
                } else {
                    prefecture
                }
                .parse::<LocalGovCode>()
                .expect("code"),
            },
            // A request of the caller's town (or one of its prefecture's), with
            // the caller proposed when they are the advisor.
            Action::RequestDispatch
            | Action::ManageDispatch
            | Action::AnswerDispatch
            | Action::ViewDispatch => Resource::Dispatch {
                prefecture: code(prefecture),
                municipality: code(municipality),
                advisor: Some(AccountId(if own { 7 } else { 8 })),
            },
            Action::ViewPrefecture
            | Action::ListAccounts
            | Action::ViewAuditLog
            | Action::ManageTaxonomy
            | Action::ManageProgrammes
            | Action::SendNotice
            | Action::RunSurvey
            | Action::ManageWebhooks
            | Action::AssignCounterparts => Resource::Prefecture {
                code: code(prefecture),
            },
            // "Other" for a town is a member-only channel of its own prefecture it
            // is not in; for the others, another prefecture's open channel.
            Action::ReadChannel | Action::ManageChannel => Resource::Channel {
                prefecture: code(prefecture),
                open: own || role != Role::MuniStaff,
                owner: (!own).then_some(AccountId(8)),
                members: vec![AccountId(8)],
            },
            Action::EditPost | Action::DeletePost => Resource::Post {
                prefecture: code(prefecture),
                author: AccountId(if own { 7 } else { 8 }),
            },
            Action::CreateAccount | Action::ManageAccount => Resource::Account {
                id: Some(AccountId(99)),
                prefecture: code(prefecture),
                municipality: Some(code(municipality)),
            },
            Action::ChangeOwnPassword => Resource::Account {
                id: Some(AccountId(if own { 7 } else { 8 })),
                prefecture: code(NARA),
                municipality: None,
            },
            // "Own" for an advisor is their own profile; for the others, their
            // prefecture's bank. "Other" is another prefecture's advisor.
            Action::ViewAdvisorPrivate
            | Action::ViewAdvisorDraft
            | Action::ManageAdvisor
            | Action::EditOwnAdvisorProfile => Resource::Advisor {
                prefecture: code(if own { NARA } else { KOCHI }),
                account: Some(AccountId(if own { 7 } else { 8 })),
            },
        }
    }

    /// The expected matrix, written out by hand from the issue: role × action →
    /// allowed in own scope. Nothing is ever allowed in the other scope.
    fn expected_own(role: Role, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            ViewMunicipality | MatchAdvisors => matches!(role, PrefAdmin | PrefStaff | MuniStaff),
            ViewPrefecture => matches!(role, PrefAdmin | PrefStaff),
            ListAccounts => matches!(role, PrefAdmin | MuniStaff),
            CreateAccount | ManageAccount | ViewAuditLog | ManageTaxonomy => role == PrefAdmin,
            ChangeOwnPassword => true,
            ViewAdvisorPrivate => true,
            ViewAdvisorDraft => matches!(role, PrefAdmin | PrefStaff | Advisor),
            ManageAdvisor => role == PrefAdmin,
            EditOwnAdvisorProfile => role == Advisor,
            ManageTraining => matches!(role, PrefAdmin | PrefStaff | MuniStaff),
            EnrolTraining => role == MuniStaff,
            ManageProgrammes | AssignCounterparts => role == PrefAdmin,
            LogContact => matches!(role, PrefAdmin | PrefStaff),
            RequestDispatch => role == MuniStaff,
            ManageDispatch => matches!(role, PrefAdmin | PrefStaff),
            AnswerDispatch => role == Advisor,
            ViewDispatch => true,
            ReadChannel => role != Advisor,
            ManageChannel => matches!(role, PrefAdmin | PrefStaff),
            EditPost | DeletePost => true,
            SendNotice => matches!(role, PrefAdmin | PrefStaff),
            ConfirmNotice => role == MuniStaff,
            RunSurvey => matches!(role, PrefAdmin | PrefStaff),
            AnswerSurvey => role == MuniStaff,
            ManageWebhooks => role == PrefAdmin,
        }
    }

    #[test]
    fn every_role_and_action_is_allowed_only_as_the_matrix_says() {
        for role in Role::ALL {
            for action in Action::ALL {
                let who = actor(role);
                let own = resource(action, role, true);
                let other = resource(action, role, false);
                assert_eq!(
                    can(&who, action, &own),
                    expected_own(role, action),
                    "{role:?} {action:?} in own scope"
                );
                assert!(
                    !can(&who, action, &other),
                    "{role:?} {action:?} must be refused outside its scope"
                );
            }
        }
    }

    #[test]
    fn a_member_only_channel_is_read_by_its_members_whatever_their_role_and_by_nobody_else() {
        let channel = |members: Vec<AccountId>| Resource::Channel {
            prefecture: code(NARA),
            open: false,
            owner: Some(AccountId(1)),
            members,
        };
        for role in Role::ALL {
            let who = actor(role);
            assert!(
                can(&who, Action::ReadChannel, &channel(vec![AccountId(7)])),
                "{role:?} member"
            );
            assert!(
                !can(&who, Action::ReadChannel, &channel(vec![AccountId(8)])),
                "{role:?} outsider"
            );
        }
        let admin = actor(Role::PrefAdmin);
        let someone_elses = Resource::Post {
            prefecture: code(NARA),
            author: AccountId(8),
        };
        assert!(
            can(&admin, Action::DeletePost, &someone_elses),
            "the 県管理者 moderates"
        );
        assert!(
            !can(&admin, Action::EditPost, &someone_elses),
            "but never puts words in a mouth"
        );
    }

    #[test]
    fn prefecture_staff_see_municipality_accounts_but_not_the_whole_prefecture_list() {
        let staff = actor(Role::PrefStaff);
        let town = Resource::Municipality {
            prefecture: code(NARA),
            code: code(NARA_CITY),
        };
        assert!(can(&staff, Action::ListAccounts, &town));
        let prefecture = Resource::Prefecture { code: code(NARA) };
        assert!(!can(&staff, Action::ListAccounts, &prefecture));
    }

    #[test]
    fn nobody_signed_in_is_unauthenticated_and_a_wrong_scope_is_forbidden() {
        let town = Resource::Municipality {
            prefecture: code(NARA),
            code: code(NARA_CITY),
        };
        assert_eq!(
            authorize(None, Action::ViewMunicipality, &town),
            Err(Denied::Unauthenticated)
        );
        let miyake = actor(Role::MuniStaff);
        assert_eq!(
            authorize(Some(&miyake), Action::ViewMunicipality, &town),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn an_advisor_sees_only_their_own_private_details_even_in_their_prefecture() {
        let advisor = actor(Role::Advisor);
        let colleague = Resource::Advisor {
            prefecture: code(NARA),
            account: Some(AccountId(8)),
        };
        assert!(!can(&advisor, Action::ViewAdvisorPrivate, &colleague));
        let unlinked = Resource::Advisor {
            prefecture: code(NARA),
            account: None,
        };
        assert!(!can(&advisor, Action::EditOwnAdvisorProfile, &unlinked));
        assert!(can(
            &actor(Role::MuniStaff),
            Action::ViewAdvisorPrivate,
            &unlinked
        ));
    }

    #[test]
    fn a_town_organises_only_its_own_courses_and_the_prefecture_oversees_them_all() {
        let miyake = actor(Role::MuniStaff);
        let lead_by_nara_city = Resource::Training {
            prefecture: code(NARA),
            organiser: code(NARA_CITY),
        };
        assert!(!can(&miyake, Action::ManageTraining, &lead_by_nara_city));
        let prefecture_course = Resource::Training {
            prefecture: code(NARA),
            organiser: code(NARA),
        };
        assert!(!can(&miyake, Action::ManageTraining, &prefecture_course));
        assert!(can(
            &actor(Role::PrefStaff),
            Action::ManageTraining,
            &lead_by_nara_city
        ));
    }

    #[test]
    fn an_action_asked_about_the_wrong_kind_of_resource_is_refused() {
        let admin = actor(Role::PrefAdmin);
        let prefecture = Resource::Prefecture { code: code(NARA) };
        assert!(!can(&admin, Action::CreateAccount, &prefecture));
        assert!(!can(&admin, Action::ChangeOwnPassword, &prefecture));
    }
}
