//! Signing in and out, server-side sessions, and throttling of failed sign-ins.

use crate::domain::local_gov::LocalGovCode;
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::domain::account::{Actor, Role};
use crate::domain::audit::AuditAction;
use crate::domain::ids::AccountId;
use crate::domain::throttle::{
    ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES, FORGET_AFTER_SECS, lock_secs,
};
use crate::entities::{account, login_throttle, municipality, prefecture, user_session};
use crate::error::AppError;
use crate::services::audit::{self, AuditContext, AuditEvent};
use crate::services::passwords::{self, random_token, token_hash, verify};
use crate::state::AuthSettings;

/// Why a sign-in failed. The messages never say whether the email exists.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong email or password.
    #[error("メールアドレスまたはパスワードが正しくありません。")]
    Invalid,
    /// Too many failures from this account name or address.
    #[error("ログインの失敗が続いたため、一時的にログインを制限しています。{}後にもう一度お試しください。", wait_label(*.retry_after_secs))]
    Throttled {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The password was right but the account is deactivated.
    #[error("このアカウントは利用停止中です。県の管理者にお問い合わせください。")]
    Deactivated,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// Randomness or hashing failed.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// Too many password checks at once.
    #[error(transparent)]
    Busy(#[from] passwords::Busy),
}

fn wait_label(secs: u64) -> String {
    if secs < 60 {
        format!("{secs}秒")
    } else {
        format!("{}分", secs.div_ceil(60))
    }
}

impl From<LoginError> for AppError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::Invalid => AppError::InvalidCredentials,
            LoginError::Throttled { retry_after_secs } => AppError::Throttled {
                message: error.to_string(),
                retry_after_secs,
            },
            LoginError::Deactivated => AppError::AccountDisabled,
            LoginError::Db(e) => AppError::internal(e),
            LoginError::Internal(e) => AppError::internal(e),
            LoginError::Busy(e) => e.into(),
        }
    }
}

/// A new session: the cookie value (shown to the browser once) and who it is for.
#[derive(Debug)]
pub struct NewSession {
    /// Cookie value; only its hash is stored.
    pub token: String,
    /// The signed-in person.
    pub actor: Actor,
}

/// Checks the credentials and opens a session. A session the browser already had
/// (`previous`) is ended, so the session id always changes at sign-in.
pub async fn login(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    context: &AuditContext,
    email: &str,
    password: &str,
    user_agent: &str,
    previous: Option<&str>,
) -> Result<NewSession, LoginError> {
    let email = email.trim().to_lowercase();
    let account_key = format!("account:{}", email.chars().take(254).collect::<String>());
    let address_key = format!(
        "addr:{}",
        context.client_addr.chars().take(64).collect::<String>()
    );
    let now = Utc::now().fixed_offset();
    let keys = [
        (account_key.as_str(), ACCOUNT_FREE_FAILURES),
        (address_key.as_str(), ADDRESS_FREE_FAILURES),
    ];
    let account = checked_account(db, context, &keys, &email, password, now).await?;
    let opening = Opening {
        settings,
        context,
        user_agent,
        previous,
        account_key: &account_key,
        address_key: &address_key,
        now,
    };
    open_session(db, &opening, account).await
}

/// The account whose password was given, active; every attempt counted against
/// the address and the e-mail before the check, failures audited.
async fn checked_account(
    db: &DatabaseConnection,
    context: &AuditContext,
    keys: &[(&str, u32); 2],
    email: &str,
    password: &str,
    now: DateTime<FixedOffset>,
) -> Result<account::Model, LoginError> {
    if let Some(refusal) = reserve(db, keys, now).await? {
        if refusal.audit {
            audit::record(
                db,
                context,
                AuditEvent {
                    action: AuditAction::LoginThrottled,
                    target: None,
                    prefecture: None,
                    detail: json!({ "retry_after_secs": refusal.retry_after_secs }),
                },
                Some(email),
            )
            .await?;
        }
        return Err(LoginError::Throttled {
            retry_after_secs: refusal.retry_after_secs,
        });
    }
    // Only attempts that were counted wait for a turn to hash; one refused as busy
    // was not checked, so its count is given back.
    let permit = match passwords::permit().await {
        Ok(permit) => permit,
        Err(busy) => {
            for &(key, free) in keys {
                refund(db, key, free).await?;
            }
            return Err(busy.into());
        }
    };

    let found = account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(db)
        .await?;
    let matches = verify(password, found.as_ref().map(|a| a.password_hash.as_str())).await;
    drop(permit);
    match found {
        Some(account) if matches && account.active => Ok(account),
        other => {
            // The failure was counted before the check.
            let deactivated = matches && other.as_ref().is_some_and(|a| !a.active);
            audit::record(
                db,
                context,
                AuditEvent {
                    action: AuditAction::LoginFailed,
                    target: other.as_ref().map(|a| ("account", a.id.to_string())),
                    prefecture: other.as_ref().map(|a| a.prefecture_code.clone()),
                    detail: json!({
                        "reason": match (&other, deactivated) {
                            (None, _) => "unknown_email",
                            (Some(_), true) => "deactivated",
                            (Some(_), false) => "wrong_password",
                        }
                    }),
                },
                Some(email),
            )
            .await?;
            // A deactivated account answers like a wrong password: the message
            // must not tell whether the password was right.
            Err(LoginError::Invalid)
        }
    }
}

/// What a new session is opened with.
struct Opening<'a> {
    settings: &'a AuthSettings,
    context: &'a AuditContext,
    user_agent: &'a str,
    previous: Option<&'a str>,
    account_key: &'a str,
    address_key: &'a str,
    now: DateTime<FixedOffset>,
}

/// Opens a session for a checked account in one transaction: the browser's old
/// session ended, the failure counts cleared, the sign-in audited.
async fn open_session(
    db: &DatabaseConnection,
    opening: &Opening<'_>,
    account: account::Model,
) -> Result<NewSession, LoginError> {
    let Opening {
        settings,
        context,
        user_agent,
        previous,
        account_key,
        address_key,
        now,
    } = *opening;
    let token = random_token()?;
    let txn = db.begin().await?;
    if let Some(previous) = previous {
        revoke_token(&txn, previous, now).await?;
    }
    login_throttle::Entity::delete_by_id(account_key.to_owned())
        .exec(&txn)
        .await?;
    refund(&txn, address_key, ADDRESS_FREE_FAILURES).await?;
    user_session::Entity::insert(user_session::ActiveModel {
        id: NotSet,
        token_hash: Set(token_hash(&token)),
        account_id: Set(account.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + settings.absolute),
        revoked_at: Set(None),
        client_addr: Set(context.client_addr.chars().take(64).collect()),
        user_agent: Set(user_agent.chars().take(200).collect()),
    })
    .exec_without_returning(&txn)
    .await?;
    let mut active = account.clone().into_active_model();
    active.last_login_at = Set(Some(now));
    active.update(&txn).await?;
    prune(&txn, now).await?;
    let actor = actor_of(&txn, account).await?;
    let context = AuditContext {
        actor: Some((actor.account_id.get(), actor.email.clone())),
        ..context.clone()
    };
    audit::record(
        &txn,
        &context,
        AuditEvent {
            action: AuditAction::Login,
            target: Some(("account", actor.account_id.to_string())),
            prefecture: Some(actor.prefecture.to_string()),
            detail: json!({}),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(NewSession { token, actor })
}

/// Forgets what no check reads any more: sessions ended over a day ago and failure
/// counters past their window. Runs at each sign-in, so the tables stay small.
async fn prune(db: &impl ConnectionTrait, now: DateTime<FixedOffset>) -> Result<(), DbErr> {
    let day_ago = now - chrono::Duration::days(1);
    user_session::Entity::delete_many()
        .filter(user_session::Column::ExpiresAt.lt(day_ago))
        .exec(db)
        .await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::RevokedAt.lt(day_ago))
        .exec(db)
        .await?;
    login_throttle::Entity::delete_many()
        .filter(
            login_throttle::Column::LastFailureAt
                .lt(now - chrono::Duration::seconds(FORGET_AFTER_SECS)),
        )
        .filter(
            sea_orm::Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// An attempt refused because a key is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// Seconds until the lock ends.
    pub retry_after_secs: u64,
    /// Whether to audit this refusal (the first of the minute for its key).
    pub audit: bool,
}

/// Counts an attempt as a failure under every key before the password is
/// checked, in one transaction with the rows held, so simultaneous attempts are
/// counted one after another and those past the free ones are refused without
/// reaching the check. Returns the longest remaining lock when a key is locked
/// (nothing is counted then). A success gives the count back ([`refund`]).
pub(crate) async fn reserve(
    db: &DatabaseConnection,
    keys: &[(&str, u32)],
    now: DateTime<FixedOffset>,
) -> Result<Option<Refusal>, DbErr> {
    let txn = db.begin().await?;
    let mut rows = Vec::with_capacity(keys.len());
    for (key, _) in keys {
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set((*key).to_owned()),
            failures: Set(0),
            last_failure_at: Set(now),
            locked_until: Set(None),
            refused_at: Set(None),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let row = login_throttle::Entity::find_by_id((*key).to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?;
        rows.push(row);
    }
    let locked = rows
        .iter()
        .flatten()
        .filter_map(|row| row.locked_until)
        .filter(|until| *until > now)
        .map(|until| u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1))
        .max();
    if let Some(retry_after_secs) = locked {
        // One audit entry a minute per key at most: a flood of refused attempts
        // must not become a flood of rows.
        let mut audit = false;
        for row in rows.iter().flatten() {
            if row
                .refused_at
                .is_none_or(|at| (now - at).num_seconds() >= 60)
            {
                audit = true;
                login_throttle::Entity::update_many()
                    .col_expr(
                        login_throttle::Column::RefusedAt,
                        sea_orm::sea_query::Expr::value(now),
                    )
                    .filter(login_throttle::Column::Key.eq(row.key.clone()))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        return Ok(Some(Refusal {
            retry_after_secs,
            audit,
        }));
    }
    for ((key, free), row) in keys.iter().zip(rows) {
        let previous = row
            .as_ref()
            .filter(|r| (now - r.last_failure_at).num_seconds() < FORGET_AFTER_SECS)
            .map_or(0, |r| u32::try_from(r.failures).unwrap_or(0));
        let failures = previous.saturating_add(1);
        let locked_until = lock_secs(failures, *free)
            .and_then(|secs| i64::try_from(secs).ok())
            .map(|secs| now + chrono::Duration::seconds(secs));
        login_throttle::Entity::update(login_throttle::ActiveModel {
            key: Set((*key).to_owned()),
            failures: Set(i32::try_from(failures).unwrap_or(i32::MAX)),
            last_failure_at: Set(now),
            locked_until: Set(locked_until),
            refused_at: sea_orm::ActiveValue::NotSet,
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(None)
}

/// Gives back the failure [`reserve`] counted under `key` for an attempt that
/// succeeded, lifting the lock it set when the count falls below the free ones.
pub(crate) async fn refund(db: &impl ConnectionTrait, key: &str, free: u32) -> Result<(), DbErr> {
    let Some(row) = login_throttle::Entity::find_by_id(key.to_owned())
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let failures = u32::try_from(row.failures).unwrap_or(0).saturating_sub(1);
    let locked_until = if lock_secs(failures, free).is_some() {
        row.locked_until
    } else {
        None
    };
    login_throttle::Entity::update(login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(i32::try_from(failures).unwrap_or(0)),
        last_failure_at: Set(row.last_failure_at),
        locked_until: Set(locked_until),
        refused_at: sea_orm::ActiveValue::NotSet,
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The session behind a cookie value.
#[derive(Debug)]
pub enum Lookup {
    /// Live; the actor and the token hash.
    Active(Box<Actor>, String),
    /// Expired, revoked, unknown, or the account was deactivated.
    Ended,
}

/// Resolves a cookie value, ending it when idle or past its absolute expiry.
pub async fn resolve(
    db: &impl ConnectionTrait,
    settings: &AuthSettings,
    token: &str,
) -> Result<Lookup, DbErr> {
    let hash = token_hash(token);
    let Some(session) = user_session::Entity::find()
        .filter(user_session::Column::TokenHash.eq(hash.as_str()))
        .one(db)
        .await?
    else {
        return Ok(Lookup::Ended);
    };
    let now = Utc::now().fixed_offset();
    if session.revoked_at.is_some()
        || session.expires_at <= now
        || session.last_seen_at + settings.idle <= now
    {
        return Ok(Lookup::Ended);
    }
    let Some(account) = account::Entity::find_by_id(session.account_id)
        .one(db)
        .await?
        .filter(|a| a.active)
    else {
        return Ok(Lookup::Ended);
    };
    // One write a minute at most: idle expiry needs no finer grain.
    if (now - session.last_seen_at).num_seconds() >= 60 {
        let mut active = session.into_active_model();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    let actor = actor_of(db, account).await?;
    Ok(Lookup::Active(Box::new(actor), hash))
}

/// Ends the session of a cookie value (sign-out).
pub async fn logout(
    db: &DatabaseConnection,
    context: &AuditContext,
    actor: &Actor,
    token_hash_value: &str,
) -> Result<(), DbErr> {
    let now = Utc::now().fixed_offset();
    let txn = db.begin().await?;
    user_session::Entity::update_many()
        .col_expr(
            user_session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(user_session::Column::TokenHash.eq(token_hash_value))
        .filter(user_session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        context,
        AuditEvent {
            action: AuditAction::Logout,
            target: Some(("account", actor.account_id.to_string())),
            prefecture: Some(actor.prefecture.to_string()),
            detail: json!({}),
        },
        None,
    )
    .await?;
    txn.commit().await
}

async fn revoke_token(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<FixedOffset>,
) -> Result<(), DbErr> {
    user_session::Entity::update_many()
        .col_expr(
            user_session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(user_session::Column::TokenHash.eq(token_hash(token)))
        .filter(user_session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every live session of an account, except the one with `keep` (hash).
/// Returns how many ended.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    account_id: i32,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut update = user_session::Entity::update_many()
        .col_expr(
            user_session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now().fixed_offset()),
        )
        .filter(user_session::Column::AccountId.eq(account_id))
        .filter(user_session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(user_session::Column::TokenHash.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// The actor of an account row, with the names of its prefecture and municipality.
pub async fn actor_of(db: &impl ConnectionTrait, account: account::Model) -> Result<Actor, DbErr> {
    let prefecture_name = prefecture::Entity::find_by_id(account.prefecture_code.clone())
        .one(db)
        .await?
        .map_or_else(|| account.prefecture_code.clone(), |p| p.name);
    let municipality_name = match &account.municipality_code {
        Some(code) => municipality::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .map(|m| m.name),
        None => None,
    };
    Ok(Actor {
        account_id: AccountId(account.id),
        email: account.email,
        display_name: account.display_name,
        role: Role::parse(&account.role).unwrap_or(Role::Advisor),
        prefecture: LocalGovCode::from_stored(account.prefecture_code),
        prefecture_name,
        municipality: account.municipality_code.map(LocalGovCode::from_stored),
        municipality_name,
        must_change_password: account.must_change_password,
    })
}
