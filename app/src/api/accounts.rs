//! Accounts as pages and the JSON API see them, and the server functions of the
//! account pages.

use crate::domain::ids::AccountId;
use crate::domain::local_gov::LocalGovCode;
use serde::{Deserialize, Serialize};

use crate::domain::account::{Actor, Role};

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Account id.
    pub id: AccountId,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Japanese label of the role.
    pub role_label: String,
    /// 団体コード of the prefecture.
    pub prefecture: LocalGovCode,
    /// Name of the prefecture.
    pub prefecture_name: String,
    /// 団体コード of the municipality (municipal staff).
    pub municipality: Option<LocalGovCode>,
    /// Name of the municipality.
    pub municipality_name: Option<String>,
    /// Deactivated accounts cannot sign in.
    pub active: bool,
    /// Creation time (JST, `YYYY-MM-DD HH:MM`).
    pub created_at: String,
    /// Last sign-in (JST), if any.
    pub last_login_at: Option<String>,
    /// Row version: send it back (`If-Match` or `version`) so that a change made
    /// from an older copy is refused instead of overwriting a newer one.
    pub version: i32,
}

/// Filters of the account list (all optional; strings as typed in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountQuery {
    /// 団体コード of a municipality.
    pub municipality: Option<String>,
    /// Role wire form.
    pub role: Option<String>,
    /// `active` or `inactive`.
    pub status: Option<String>,
}

/// The fields of the account creation form and of `POST /api/accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountInput {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role wire form.
    pub role: String,
    /// 団体コード of the municipality (required for `muni_staff`).
    #[serde(default)]
    pub municipality: Option<String>,
    /// 団体コード of the prefecture; defaults to the administrator's own.
    #[serde(default)]
    pub prefecture: Option<String>,
    /// Initial password (the person changes it after signing in).
    pub password: String,
}

/// The signed-in person (if any) and the CSRF token forms must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The signed-in person.
    pub actor: Option<Actor>,
    /// Token for the hidden `csrf_token` field of every form.
    pub csrf_token: String,
}
