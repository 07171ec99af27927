//! Demo accounts (README): created by `renkei seed --demo`, refused in production.

use anyhow::bail;
use sea_orm::DatabaseConnection;

use app::api::accounts::NewAccountInput;
use app::services::accounts::{self, AccountError, NewAccount};
use app::services::audit::AuditContext;
use app::services::municipalities::find_prefecture;

/// The password of every demo account (README). Never used in production: `seed
/// --demo` is refused there.
pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// Demo accounts: (email, display name, role, prefecture, municipality).
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    (
        "nara-admin@renkei.example",
        "奈良 県子",
        "pref_admin",
        "奈良県",
        None,
    ),
    (
        "nara-staff@renkei.example",
        "奈良 連太",
        "pref_staff",
        "奈良県",
        None,
    ),
    (
        "naracity@renkei.example",
        "奈良市 担当",
        "muni_staff",
        "奈良県",
        Some("292010"),
    ),
    (
        "miyake@renkei.example",
        "三宅 町子",
        "muni_staff",
        "奈良県",
        Some("293628"),
    ),
    (
        "kochi-admin@renkei.example",
        "高知 県太",
        "pref_admin",
        "高知県",
        None,
    ),
    (
        "kochicity@renkei.example",
        "高知市 担当",
        "muni_staff",
        "高知県",
        Some("392014"),
    ),
    (
        "advisor1@renkei.example",
        "助言 一郎",
        "advisor",
        "奈良県",
        None,
    ),
];

/// Creates the demo accounts that do not exist yet; returns how many were created.
pub async fn create_demo_accounts(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let context = AuditContext {
        actor: None,
        client_addr: "cli".into(),
        request_id: None,
    };
    let mut created = 0;
    for (email, name, role, prefecture, municipality) in DEMO_ACCOUNTS {
        let prefecture = find_prefecture(db, prefecture)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let input = NewAccountInput {
            email: (*email).to_owned(),
            display_name: (*name).to_owned(),
            role: (*role).to_owned(),
            municipality: municipality.map(str::to_owned),
            prefecture: None,
            password: DEMO_PASSWORD.to_owned(),
        };
        let new = NewAccount::parse(&input, &prefecture.code)
            .map_err(|e| anyhow::anyhow!("demo account {email}: {e}"))?;
        match accounts::create(db, &context, new).await {
            Ok(_) => created += 1,
            Err(AccountError::EmailTaken) => {}
            Err(error) => bail!("demo account {email}: {error}"),
        }
    }
    Ok(created)
}
