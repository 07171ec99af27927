//! `renkei seed [--demo]`: the reference data shipped in the binary.

use anyhow::bail;
use sea_orm::DatabaseConnection;

use app::services::reference_data::{
    import_cases, import_municipalities, parse_cases_json, parse_municipality_csv,
};
use app::services::regions::import_regions;
use app::services::taxonomy;

use super::import::{refused, reindex_after_import, summary};
use super::say;
use crate::config::{Config, Environment};

pub(super) const MUNICIPALITIES: &[u8] =
    include_bytes!("../../../reference/municipalities_jisx0402.csv");
pub(super) const CASES: &[u8] = include_bytes!("../../../reference/cases.json");
const DEMO_REGIONS: &[u8] = include_bytes!("../../../reference/regions_demo.csv");
pub(super) const TAXONOMY: &[u8] = include_bytes!("../../../reference/advisor_taxonomy.json");

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

    let terms = taxonomy::parse("advisor_taxonomy.json", TAXONOMY)?;
    let report = taxonomy::import(db, &terms).await?;
    say(&summary("人材バンクの分類", &report))?;

    if demo {
        let report = import_regions(db, "regions_demo.csv", DEMO_REGIONS)
            .await
            .map_err(refused)?;
        say(&summary("デモ: 地域の割り当て", &report))?;
        changed |= report.inserted + report.updated > 0;
        let created = crate::demo::create_demo_accounts(db).await?;
        say(&format!(
            "デモ: アカウント {created} 件を作成しました(パスワードはすべて {})。",
            crate::demo::DEMO_PASSWORD
        ))?;
        let advisors = crate::demo::create_demo_advisors(db).await?;
        say(&format!(
            "デモ: アドバイザー {advisors} 人を作成しました(架空の人物)。"
        ))?;
        changed |= advisors > 0;
        let trainings = crate::demo::create_demo_trainings(db).await?;
        say(&format!(
            "デモ: 共同研修 {trainings} 件を作成しました(うち1件は負担金確定済み)。"
        ))?;
        let counterparts = crate::demo::create_demo_counterparts(db).await?;
        say(&format!(
            "デモ: {counterparts} 市町村にカウンターパートを割り当てました。"
        ))?;
        let channels = crate::demo::create_demo_channels(db).await?;
        say(&format!(
            "デモ: チャンネル {channels} 件を作成しました(投稿と返信つき)。"
        ))?;
        let notices = crate::demo::create_demo_notices(db).await?;
        say(&format!(
            "デモ: お知らせ {notices} 件を送りました(半数の市町村が確認済み)。"
        ))?;
        let surveys = crate::demo::create_demo_surveys(db).await?;
        say(&format!(
            "デモ: 照会 {surveys} 件を送りました(約半数の市町村が回答済み)。"
        ))?;
        let dispatches = crate::demo::create_demo_dispatches(db).await?;
        say(&format!(
            "デモ: 派遣依頼 {dispatches} 件を作成しました(受付から完了まで各段階)。"
        ))?;
    }
    reindex_after_import(db, config, changed).await
}

/// `seed --advisors N --seed S`: N deterministic fictitious advisors.
pub async fn advisors(
    db: &DatabaseConnection,
    config: &Config,
    prefecture: &str,
    count: u64,
    seed: u64,
) -> anyhow::Result<()> {
    if config.env == Environment::Production {
        bail!("RENKEI_ENV=production では架空のアドバイザーを作成できません。");
    }
    let started = std::time::Instant::now();
    let ids = crate::demo::generate_advisors(db, prefecture, count, seed).await?;
    say(&format!(
        "アドバイザー {} 人を作成しました(seed {seed}、{:.1} 秒)。",
        ids.len(),
        started.elapsed().as_secs_f64()
    ))?;
    reindex_after_import(db, config, !ids.is_empty()).await
}
