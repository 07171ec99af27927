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

/// Demo advisors per prefecture's bank.
pub const DEMO_ADVISORS_PER_PREFECTURE: u64 = 100;

/// Seed of the demo advisors (the same profiles on every machine).
pub const DEMO_ADVISOR_SEED: u64 = 2026;

/// Adds fictitious advisors to a prefecture's bank: `count` profiles of `seed`, with
/// availability from the current month. Returns their ids.
pub async fn generate_advisors(
    db: &DatabaseConnection,
    prefecture: &str,
    count: u64,
    seed: u64,
) -> anyhow::Result<Vec<i32>> {
    use app::domain::advisor::YearMonth;
    use app::domain::advisor_demo::demo_advisor;

    let prefecture = find_prefecture(db, prefecture)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let vocabulary = app::services::advisors::vocabulary(db, &prefecture.code).await?;
    if vocabulary.specialties.is_empty() {
        bail!("人材バンクの分類がありません。先に `renkei seed` を実行してください。");
    }
    let today = chrono::Utc::now().date_naive();
    let first_month =
        YearMonth::parse(&today.format("%Y-%m").to_string()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut ids = Vec::new();
    // Batches keep memory flat for 100k profiles.
    let batch = 5_000;
    let mut start = 0;
    while start < count {
        let end = (start + batch).min(count);
        let drafts: Vec<_> = (start..end)
            .map(|i| demo_advisor(&vocabulary, seed, i, first_month))
            .collect();
        ids.extend(
            app::services::advisors::insert_many(db, &prefecture.code, &drafts)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
        start = end;
    }
    Ok(ids)
}

/// The demo banks of 奈良県 and 高知県, created once; `advisor1@renkei.example` is
/// linked to the first 奈良県 profile. Returns how many profiles were created.
pub async fn create_demo_advisors(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    };

    let mut created = 0;
    for (index, name) in ["奈良県", "高知県"].into_iter().enumerate() {
        let prefecture = find_prefecture(db, name)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let existing = app::entities::advisor::Entity::find()
            .filter(app::entities::advisor::Column::PrefectureCode.eq(prefecture.code.as_str()))
            .count(db)
            .await?;
        if existing > 0 {
            continue;
        }
        let seed = DEMO_ADVISOR_SEED + u64::try_from(index).unwrap_or(0);
        let ids =
            generate_advisors(db, &prefecture.code, DEMO_ADVISORS_PER_PREFECTURE, seed).await?;
        created += ids.len();
        if index == 0
            && let Some(first) = ids.first()
            && let Some(account) = app::entities::account::Entity::find()
                .filter(app::entities::account::Column::Email.eq("advisor1@renkei.example"))
                .one(db)
                .await?
            && let Some(row) = app::entities::advisor::Entity::find_by_id(*first)
                .one(db)
                .await?
        {
            let mut row: app::entities::advisor::ActiveModel = row.into();
            row.account_id = Set(Some(account.id));
            row.published = Set(true);
            row.update(db).await?;
        }
    }
    Ok(created)
}
