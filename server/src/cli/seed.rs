//! `renkei seed [--demo]`: the reference data shipped in the binary.

use anyhow::bail;
use sea_orm::DatabaseConnection;

use app::api::accounts::NewAccountInput;
use app::services::accounts::{self, AccountError, NewAccount};
use app::services::audit::AuditContext;
use app::services::municipalities::find_prefecture;
use app::services::reference_data::{
    import_cases, import_municipalities, parse_cases_json, parse_municipality_csv,
};
use app::services::regions::import_regions;

use super::import::{refused, reindex_after_import, summary};
use super::say;
use crate::config::{Config, Environment};

pub(super) const MUNICIPALITIES: &[u8] =
    include_bytes!("../../../reference/municipalities_jisx0402.csv");
pub(super) const CASES: &[u8] = include_bytes!("../../../reference/cases.json");
const DEMO_REGIONS: &[u8] = include_bytes!("../../../reference/regions_demo.csv");

/// Loads municipalities and cases; with `demo`, also the demo regions.
pub async fn run(db: &DatabaseConnection, config: &Config, demo: bool) -> anyhow::Result<()> {
    if demo && config.env == Environment::Production {
        bail!("RENKEI_ENV=production ではデモデータを作成できません。");
    }
    let dataset =
        parse_municipality_csv("municipalities_jisx0402.csv", MUNICIPALITIES).map_err(refused)?;
    let report = import_municipalities(db, &dataset).await.map_err(refused)?;
    say(&summary("団体コード", &report))?;
    let mut changed = report.inserted + report.updated > 0;

    let records = parse_cases_json("cases.json", CASES).map_err(refused)?;
    let report = import_cases(db, "cases.json", &records)
        .await
        .map_err(refused)?;
    say(&summary("事例", &report))?;
    changed |= report.inserted + report.updated > 0;
    reindex_after_import(db, config, changed).await?;

    if demo {
        let report = import_regions(db, "regions_demo.csv", DEMO_REGIONS)
            .await
            .map_err(refused)?;
        say(&summary("デモ: 地域の割り当て", &report))?;
        let created = demo_accounts(db).await?;
        say(&format!(
            "デモ: アカウント {created} 件を作成しました(パスワードはすべて {DEMO_PASSWORD})。"
        ))?;
    }
    Ok(())
}

/// The password of every demo account (README). Never used in production: `seed
/// --demo` is refused there.
pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// Demo accounts: (email, display name, role, prefecture, municipality).
const DEMO_ACCOUNTS: &[(&str, &str, &str, &str, Option<&str>)] = &[
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
async fn demo_accounts(db: &DatabaseConnection) -> anyhow::Result<usize> {
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
