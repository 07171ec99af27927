//! Creating, listing and deactivating accounts; changing passwords.

use crate::domain::local_gov::LocalGovCode;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::api::accounts::{AccountQuery, AccountView, NewAccountInput};
use crate::auth::RequestAuth;
use crate::domain::account::{AccountInputError, DisplayName, Email, NewPassword, Role};
use crate::domain::audit::AuditAction;
use crate::domain::gather::Gather;
use crate::domain::ids::AccountId;
use crate::domain::policy::{Action, Resource};
use crate::domain::throttle::ACCOUNT_FREE_FAILURES;
use crate::entities::{account, login_throttle, municipality, prefecture};
use crate::error::AppError;
use crate::services::audit::{self, AuditContext, AuditEvent, jst};
use crate::services::{passwords, sessions};

/// Failures of the account services.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A field failed to parse.
    #[error(transparent)]
    Input(#[from] AccountInputError),
    /// Another account has this email.
    #[error("このメールアドレスは既に登録されています。")]
    EmailTaken,
    /// The municipality does not exist or is in another prefecture.
    #[error("団体コード「{0}」の市町村はこの都道府県にありません。")]
    UnknownMunicipality(String),
    /// Municipal staff need a municipality.
    #[error("市町村職員には所属する市町村を指定してください。")]
    MunicipalityRequired,
    /// Other roles belong to the prefecture.
    #[error("市町村を指定できるのは市町村職員だけです。")]
    MunicipalityNotAllowed,
    /// No such prefecture.
    #[error("都道府県「{0}」は見つかりません。")]
    UnknownPrefecture(String),
    /// No such account.
    #[error("アカウントが見つかりません。")]
    NotFound,
    /// An administrator tried to deactivate themselves.
    #[error("自分自身のアカウントは停止できません。")]
    SelfDeactivation,
    /// An administrator tried to give themselves a temporary password.
    #[error("自分のパスワードは「パスワード変更」から変更してください。")]
    SelfReset,
    /// The current password given at a password change is wrong.
    #[error("現在のパスワードが正しくありません。")]
    WrongCurrentPassword,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// Hashing failed.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match &error {
            AccountError::Input(input) => AppError::invalid(input.field(), error.to_string()),
            AccountError::EmailTaken => AppError::conflict("email", error.to_string()),
            AccountError::UnknownMunicipality(_)
            | AccountError::MunicipalityRequired
            | AccountError::MunicipalityNotAllowed => {
                AppError::invalid("municipality", error.to_string())
            }
            AccountError::UnknownPrefecture(_) => {
                AppError::invalid("prefecture", error.to_string())
            }
            AccountError::NotFound => AppError::not_found(error.to_string()),
            AccountError::SelfDeactivation => AppError::invalid("active", error.to_string()),
            AccountError::SelfReset => AppError::invalid("temporary_password", error.to_string()),
            AccountError::WrongCurrentPassword => {
                AppError::invalid("current_password", error.to_string())
            }
            AccountError::Db(_) | AccountError::Internal(_) => AppError::internal(error),
        }
    }
}

/// A parsed account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Sign-in email.
    pub email: Email,
    /// Display name.
    pub display_name: DisplayName,
    /// Role.
    pub role: Role,
    /// 団体コード of the prefecture.
    pub prefecture: LocalGovCode,
    /// 団体コード of the municipality, for municipal staff.
    pub municipality: Option<LocalGovCode>,
    /// Initial password.
    pub password: NewPassword,
}

impl NewAccount {
    /// Parses form or JSON input for an account of `prefecture`, reporting every
    /// wrong field at once (in the order of the form).
    pub fn parse(input: &NewAccountInput, prefecture: &LocalGovCode) -> Result<Self, AppError> {
        let mut errors: Gather<AccountError> = Gather::new();
        let email = errors.take(Email::parse(&input.email).map_err(AccountError::from));
        let display_name =
            errors.take(DisplayName::parse(&input.display_name).map_err(AccountError::from));
        let role = errors.take(Role::parse(&input.role).ok_or(AccountInputError::Role.into()));
        let municipality = match input.municipality.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(m) => LocalGovCode::parse(m)
                .map(Some)
                .map_err(|_| AccountError::UnknownMunicipality(m.to_owned())),
        };
        let municipality = match (role, municipality) {
            (_, Err(error)) => Err(error),
            (Some(Role::MuniStaff), Ok(None)) => Err(AccountError::MunicipalityRequired),
            (Some(Role::PrefAdmin | Role::PrefStaff | Role::Advisor), Ok(Some(_))) => {
                Err(AccountError::MunicipalityNotAllowed)
            }
            (_, Ok(municipality)) => Ok(municipality),
        };
        let municipality = errors.take(municipality).flatten();
        let password = errors.take(NewPassword::parse(&input.password).map_err(AccountError::from));
        errors
            .finish()
            .map_err(|all| AppError::merged(all.map(AppError::from)))?;
        match (email, display_name, role, password) {
            (Some(email), Some(display_name), Some(role), Some(password)) => Ok(Self {
                email,
                display_name,
                role,
                prefecture: prefecture.clone(),
                municipality,
                password,
            }),
            // `finish` found no error, so every part parsed.
            _ => Err(AppError::Internal),
        }
    }

    /// The policy resource this account will be.
    pub fn resource(&self) -> Resource {
        Resource::Account {
            id: None,
            prefecture: self.prefecture.clone(),
            municipality: self.municipality.clone(),
        }
    }
}

/// Creates an account (no policy check: callers authorise; the CLI creates the first
/// administrator).
pub async fn create(
    db: &DatabaseConnection,
    context: &AuditContext,
    new: NewAccount,
) -> Result<AccountView, AccountError> {
    if prefecture::Entity::find_by_id(new.prefecture.clone())
        .one(db)
        .await?
        .is_none()
    {
        return Err(AccountError::UnknownPrefecture(new.prefecture.into()));
    }
    if let Some(code) = &new.municipality {
        let found = municipality::Entity::find_by_id(code.clone())
            .one(db)
            .await?;
        if found.is_none_or(|m| m.prefecture_code != new.prefecture) {
            return Err(AccountError::UnknownMunicipality(
                code.chars().take(10).collect(),
            ));
        }
    }
    let hash = passwords::hash(&new.password).await?;
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    if account::Entity::find()
        .filter(account::Column::Email.eq(new.email.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AccountError::EmailTaken);
    }
    let row = account::ActiveModel {
        id: NotSet,
        email: Set(new.email.as_str().to_owned()),
        display_name: Set(new.display_name.as_str().to_owned()),
        password_hash: Set(hash),
        role: Set(new.role.as_str().to_owned()),
        prefecture_code: Set(new.prefecture.to_string()),
        municipality_code: Set(new.municipality.as_deref().map(str::to_owned)),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        must_change_password: Set(false),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        context,
        AuditEvent {
            action: AuditAction::AccountCreated,
            target: Some(("account", row.id.to_string())),
            prefecture: Some(row.prefecture_code.clone()),
            detail: json!({
                "email": row.email,
                "role": row.role,
                "municipality": row.municipality_code,
            }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    view(db, row).await.map_err(AccountError::from)
}

/// Creates an account for the caller's prefecture, if they may.
pub async fn create_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &NewAccountInput,
) -> Result<AccountView, AppError> {
    let actor = auth.signed_in()?;
    let prefecture = match input.prefecture.as_deref().map(str::trim) {
        Some(typed) if !typed.is_empty() => LocalGovCode::parse(typed)
            .map_err(|_| AccountError::UnknownPrefecture(typed.chars().take(10).collect()))?,
        _ => actor.prefecture.clone(),
    };
    let new = NewAccount::parse(input, &prefecture)?;
    auth.authorize(Action::CreateAccount, &new.resource())?;
    let _turn = passwords::permit().await?;
    create(db, &auth.audit(), new).await.map_err(AppError::from)
}

/// The policy resource of an existing account.
async fn resource_of(
    db: &impl ConnectionTrait,
    id: AccountId,
) -> Result<(account::Model, Resource), AppError> {
    let row = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::from(AccountError::NotFound))?;
    Ok(with_resource(row))
}

/// The current row and its policy resource, the row held for the rest of the
/// transaction (`FOR UPDATE` on PostgreSQL; SQLite has one writer).
async fn locked(
    txn: &impl ConnectionTrait,
    id: AccountId,
) -> Result<(account::Model, Resource), AppError> {
    let row = account::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::from(AccountError::NotFound))?;
    Ok(with_resource(row))
}

fn with_resource(row: account::Model) -> (account::Model, Resource) {
    let resource = Resource::Account {
        id: Some(AccountId(row.id)),
        prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
        municipality: row.municipality_code.clone().map(LocalGovCode::from_stored),
    };
    (row, resource)
}

/// One account, if the caller may manage it.
pub async fn get_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: AccountId,
) -> Result<AccountView, AppError> {
    auth.signed_in()?;
    let (row, resource) = resource_of(db, id).await?;
    auth.authorize(Action::ManageAccount, &resource)?;
    Ok(view(db, row).await?)
}

/// Deactivates (ending every session) or reactivates an account; `expected` (the
/// version the caller's copy was of, when sent) refuses a change made from an
/// older copy with 409.
pub async fn set_active_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: AccountId,
    active: bool,
    expected: Option<i32>,
) -> Result<AccountView, AppError> {
    auth.signed_in()?;
    let txn = db.begin().await?;
    let (row, resource) = locked(&txn, id).await?;
    let actor = auth.authorize(Action::ManageAccount, &resource)?;
    if !active && actor.account_id.get() == row.id {
        return Err(AccountError::SelfDeactivation.into());
    }
    AppError::check_version(expected, row.version)?;
    if !active {
        let towns =
            crate::services::counterparts::primary_towns_of(&txn, row.id, crate::services::today())
                .await?;
        if !towns.is_empty() {
            return Err(AppError::conflict(
                "active",
                format!(
                    "このアカウントは{}の主担当(カウンターパート)です。先に担当を替えてから停止してください。",
                    towns.join("・")
                ),
            ));
        }
    }
    let result: Result<account::Model, AccountError> = async {
        let version = row.version;
        let mut model = row.into_active_model();
        model.active = Set(active);
        model.version = Set(version + 1);
        model.updated_at = Set(Utc::now().fixed_offset());
        let row = model.update(&txn).await?;
        let ended = if active {
            0
        } else {
            sessions::revoke_all(&txn, row.id, None).await?
        };
        record_ended_sessions(
            &txn,
            auth,
            if active {
                AuditAction::AccountReactivated
            } else {
                AuditAction::AccountDeactivated
            },
            &row,
            ended,
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }
    .await;
    Ok(view(db, result?).await?)
}

/// Audits a change to an account that ended `ended` of its sessions.
async fn record_ended_sessions(
    txn: &impl ConnectionTrait,
    auth: &RequestAuth,
    action: AuditAction,
    row: &account::Model,
    ended: u64,
) -> Result<(), DbErr> {
    audit::record(
        txn,
        &auth.audit(),
        AuditEvent {
            action,
            target: Some(("account", row.id.to_string())),
            prefecture: Some(row.prefecture_code.clone()),
            detail: json!({ "email": row.email, "sessions_ended": ended }),
        },
        None,
    )
    .await
}

/// Ends every session of an account (a lost laptop, a suspicious sign-in).
pub async fn revoke_sessions_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: AccountId,
) -> Result<u64, AppError> {
    auth.signed_in()?;
    let (row, resource) = resource_of(db, id).await?;
    auth.authorize(Action::ManageAccount, &resource)?;
    let txn = db.begin().await?;
    let ended = sessions::revoke_all(&txn, row.id, None).await?;
    record_ended_sessions(&txn, auth, AuditAction::SessionsRevoked, &row, ended).await?;
    txn.commit().await?;
    Ok(ended)
}

/// Gives an account a temporary password that its owner must replace at the next
/// sign-in (they forgot theirs): every session of the account ends, and the audit
/// log records who did it (never the password).
pub async fn reset_password_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: AccountId,
    temporary: &str,
) -> Result<(), AppError> {
    auth.signed_in()?;
    let (row, resource) = resource_of(db, id).await?;
    let actor = auth.authorize(Action::ManageAccount, &resource)?;
    if actor.account_id.get() == row.id {
        return Err(AccountError::SelfReset.into());
    }
    let temporary = NewPassword::parse(temporary).map_err(|error| {
        AppError::invalid("temporary_password", AccountError::from(error).to_string())
    })?;
    let permit = passwords::permit().await?;
    let hash = passwords::hash(&temporary).await?;
    drop(permit);
    let txn = db.begin().await?;
    let (row, _) = locked(&txn, id).await?;
    let version = row.version;
    let mut model = row.into_active_model();
    model.password_hash = Set(hash);
    model.must_change_password = Set(true);
    model.version = Set(version + 1);
    model.updated_at = Set(Utc::now().fixed_offset());
    let row = model.update(&txn).await?;
    let ended = sessions::revoke_all(&txn, row.id, None).await?;
    record_ended_sessions(&txn, auth, AuditAction::PasswordReset, &row, ended).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the caller's own password and ends their other sessions.
pub async fn change_own_password(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let actor = auth.signed_in()?;
    let (row, resource) = resource_of(db, actor.account_id).await?;
    auth.authorize(Action::ChangeOwnPassword, &resource)?;
    let new = NewPassword::parse(new).map_err(AccountError::from)?;
    // The current-password check is throttled like a sign-in, counted before the
    // hash runs, and its failures are audited.
    let key = format!("password:{}", row.id);
    let keys = [(key.as_str(), ACCOUNT_FREE_FAILURES)];
    let now = Utc::now().fixed_offset();
    let refused = |reason: &'static str| AuditEvent {
        action: AuditAction::PasswordChangeFailed,
        target: Some(("account", row.id.to_string())),
        prefecture: Some(row.prefecture_code.clone()),
        detail: json!({ "reason": reason }),
    };
    if let Some(refusal) = sessions::reserve(db, &keys, now).await? {
        if refusal.audit {
            audit::record(db, &auth.audit(), refused("throttled"), None).await?;
        }
        return Err(sessions::LoginError::Throttled {
            retry_after_secs: refusal.retry_after_secs,
        }
        .into());
    }
    let permit = match passwords::permit().await {
        Ok(permit) => permit,
        Err(busy) => {
            sessions::refund(db, &key, ACCOUNT_FREE_FAILURES).await?;
            return Err(busy.into());
        }
    };
    if !passwords::verify(current, Some(&row.password_hash)).await {
        audit::record(db, &auth.audit(), refused("wrong_password"), None).await?;
        return Err(AccountError::WrongCurrentPassword.into());
    }
    let hash = passwords::hash(&new).await?;
    drop(permit);
    login_throttle::Entity::delete_by_id(key).exec(db).await?;
    let keep = match &auth.session {
        crate::auth::SessionStatus::Active { token_hash } => Some(token_hash.clone()),
        _ => None,
    };
    let txn = db.begin().await?;
    let prefecture = row.prefecture_code.clone();
    let version = row.version;
    let mut model = row.into_active_model();
    model.password_hash = Set(hash);
    model.must_change_password = Set(false);
    model.version = Set(version + 1);
    model.updated_at = Set(Utc::now().fixed_offset());
    let row = model.update(&txn).await?;
    let ended = sessions::revoke_all(&txn, row.id, keep.as_deref()).await?;
    audit::record(
        &txn,
        &auth.audit(),
        AuditEvent {
            action: AuditAction::PasswordChanged,
            target: Some(("account", row.id.to_string())),
            prefecture: Some(prefecture),
            detail: json!({ "other_sessions_ended": ended }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Accounts the caller may list, filtered.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    query: &AccountQuery,
) -> Result<Vec<AccountView>, AppError> {
    let actor = auth.signed_in()?;
    let municipality = query
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            (actor.role == Role::MuniStaff)
                .then(|| actor.municipality.clone())
                .flatten()
                .map(String::from)
        });
    let mut select = account::Entity::find().order_by_asc(account::Column::Id);
    match &municipality {
        Some(code) => {
            let prefecture = municipality::Entity::find_by_id(code.clone())
                .one(db)
                .await?
                .map(|m| m.prefecture_code)
                .ok_or_else(|| {
                    AppError::invalid(
                        "municipality",
                        format!(
                            "団体コード「{}」の市町村はありません。",
                            code.chars().take(10).collect::<String>()
                        ),
                    )
                })?;
            auth.authorize(
                Action::ListAccounts,
                &Resource::Municipality {
                    prefecture: LocalGovCode::from_stored(prefecture),
                    code: LocalGovCode::from_stored(code.clone()),
                },
            )?;
            select = select.filter(account::Column::MunicipalityCode.eq(code.as_str()));
        }
        None => {
            auth.authorize(
                Action::ListAccounts,
                &Resource::Prefecture {
                    code: actor.prefecture.clone(),
                },
            )?;
            select = select.filter(account::Column::PrefectureCode.eq(actor.prefecture.as_str()));
        }
    }
    if let Some(role) = query.role.as_deref().filter(|r| !r.is_empty()) {
        let role = Role::parse(role)
            .ok_or_else(|| AppError::invalid("role", "役割の値が正しくありません。"))?;
        select = select.filter(account::Column::Role.eq(role.as_str()));
    }
    match query.status.as_deref() {
        Some("active") => select = select.filter(account::Column::Active.eq(true)),
        Some("inactive") => select = select.filter(account::Column::Active.eq(false)),
        Some("") | None => {}
        Some(_) => {
            return Err(AppError::invalid(
                "status",
                "状態は active か inactive で指定してください。",
            ));
        }
    }
    let rows = select.all(db).await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(view(db, row).await?);
    }
    Ok(views)
}

/// The view of an account row.
pub async fn view(db: &impl ConnectionTrait, row: account::Model) -> Result<AccountView, DbErr> {
    let format = |t: chrono::DateTime<chrono::FixedOffset>| {
        t.with_timezone(&jst()).format("%Y-%m-%d %H:%M").to_string()
    };
    let created_at = format(row.created_at);
    let last_login_at = row.last_login_at.map(format);
    let active = row.active;
    let version = row.version;
    let actor = sessions::actor_of(db, row).await?;
    Ok(AccountView {
        id: actor.account_id,
        email: actor.email,
        display_name: actor.display_name,
        role: actor.role,
        role_label: actor.role.label().to_owned(),
        prefecture: LocalGovCode::from_stored(String::from(actor.prefecture)),
        prefecture_name: actor.prefecture_name,
        municipality: actor
            .municipality
            .map(String::from)
            .map(LocalGovCode::from_stored),
        municipality_name: actor.municipality_name,
        active,
        created_at,
        last_login_at,
        version,
    })
}
