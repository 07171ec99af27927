//! Demo accounts (README): created by `renkei seed --demo`, refused in production.

use anyhow::bail;
use sea_orm::DatabaseConnection;

use app::api::accounts::NewAccountInput;
use app::domain::local_gov::LocalGovCode;
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
        "nara-staff2@renkei.example",
        "奈良 和美",
        "pref_staff",
        "奈良県",
        None,
    ),
    (
        "nara-staff3@renkei.example",
        "奈良 大和",
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
        "kochi-staff@renkei.example",
        "高知 桂",
        "pref_staff",
        "高知県",
        None,
    ),
    (
        "kochi-staff2@renkei.example",
        "高知 四万十",
        "pref_staff",
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
        let new = NewAccount::parse(&input, &LocalGovCode::from_stored(prefecture.code.clone()))
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
    use app::domain::advisor::demo::demo_advisor;

    let prefecture = find_prefecture(db, prefecture)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let vocabulary = app::services::advisors::vocabulary(db, &prefecture.code).await?;
    if vocabulary.specialties.is_empty() {
        bail!("人材バンクの分類がありません。先に `renkei seed` を実行してください。");
    }
    let today = app::services::today();
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

/// Signs a demo account in for a service call, as a request from the CLI.
pub(crate) async fn demo_caller(
    db: &DatabaseConnection,
    email: &str,
) -> anyhow::Result<app::auth::RequestAuth> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let account = app::entities::account::Entity::find()
        .filter(app::entities::account::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo account {email} is missing"))?;
    let actor = app::services::sessions::actor_of(db, account).await?;
    Ok(app::auth::RequestAuth {
        actor: Some(actor),
        client_addr: "cli".into(),
        ..app::auth::RequestAuth::anonymous()
    })
}

/// Two demo courses of 奈良県, created once: one taking enrolments, one whose split is
/// confirmed so that 三宅町 has a 負担金 notice to open. Returns how many were created.
// Long: demo data, one course after another, each step through the real services.
pub async fn create_demo_trainings(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use app::api::trainings::EnrolRequest;
    use app::domain::training::TrainingStatus;
    use app::domain::training::input::{CostInput, SessionInput, StaffInput, TrainingInput};
    use app::services::trainings;
    use sea_orm::{EntityTrait, PaginatorTrait};

    if app::entities::training::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let fail = |e: app::error::AppError| anyhow::anyhow!("demo training: {e}");
    let admin = demo_caller(db, "nara-admin@renkei.example").await?;
    let towns = [
        (
            demo_caller(db, "miyake@renkei.example").await?,
            ["三宅 一郎", "三宅 花子"].as_slice(),
        ),
        (
            demo_caller(db, "naracity@renkei.example").await?,
            ["奈良 太郎", "奈良 次郎", "奈良 三郎"].as_slice(),
        ),
    ];
    let session = |day: &str, place: &str, online: bool, content: &str| SessionInput {
        starts_at: format!("{day}T13:30"),
        ends_at: format!("{day}T16:30"),
        place: place.into(),
        online,
        content: content.into(),
    };
    let cost = |label: &str, kind: &str, amount: i64| CostInput {
        label: label.into(),
        kind: kind.into(),
        amount: (kind == "shared").then_some(amount),
        unit_price: (kind == "per_head").then_some(amount),
    };
    let courses = [
        TrainingInput {
            title: "DX推進リーダー育成研修".into(),
            description: "業務改革(BPR)とデータ活用の進め方を、演習を交えて学びます。".into(),
            target: "DX推進リーダー(係長級)".into(),
            capacity: 30,
            sessions: vec![
                session(
                    "2027-02-10",
                    "奈良県庁 第1会議室",
                    false,
                    "DXの基礎と業務の棚卸し",
                ),
                session("2027-02-17", "", true, "データ活用の演習"),
            ],
            costs: vec![
                cost("講師謝金", "shared", 300_000),
                cost("旅費", "shared", 60_000),
                cost("教材費", "per_head", 2_000),
            ],
            ..TrainingInput::default()
        },
        TrainingInput {
            title: "情報セキュリティ研修(令和8年度)".into(),
            description: "標的型攻撃メールへの対応とインシデント時の連絡体制を確認します。".into(),
            target: "全職員".into(),
            capacity: 40,
            sessions: vec![session(
                "2026-10-20",
                "奈良県市町村会館",
                false,
                "講義と訓練",
            )],
            costs: vec![
                cost("講師謝金", "shared", 150_000),
                cost("会場費", "shared", 40_000),
            ],
            ..TrainingInput::default()
        },
    ];
    let mut created = 0;
    for (index, input) in courses.iter().enumerate() {
        let id = trainings::create_for(db, &admin, input)
            .await
            .map_err(fail)?;
        trainings::transition_for(db, &admin, id, TrainingStatus::Open)
            .await
            .map_err(fail)?;
        for (town, names) in &towns {
            let request = EnrolRequest {
                municipality: None,
                staff: names
                    .iter()
                    .map(|name| StaffInput {
                        name: (*name).into(),
                        position: "主事".into(),
                        email: None,
                    })
                    .collect(),
            };
            trainings::enrol_for(db, town, id, &request)
                .await
                .map_err(fail)?;
        }
        if index == 1 {
            trainings::transition_for(db, &admin, id, TrainingStatus::Closed)
                .await
                .map_err(fail)?;
            trainings::confirm_for(db, &admin, id).await.map_err(fail)?;
        }
        created += 1;
    }
    Ok(created)
}

/// 奈良県's demo dispatch requests, created once, one in every state so that the
/// board is not empty: requested, proposed, accepted, scheduled, held and waiting
/// for its report, reported, closed, withdrawn and rejected. Returns how many.
// Long: demo data, one request after another, each step through the real services.
pub async fn create_demo_dispatches(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use app::api::dispatches::{ProposeInput, RejectInput, StepInput};
    use app::domain::dispatch::Step;
    use app::domain::dispatch::input::{DispatchInput, ReportInput, ScheduleInput};
    use app::services::dispatches;
    use sea_orm::{EntityTrait, PaginatorTrait};

    if app::entities::dispatch::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let fail = |e: app::error::AppError| anyhow::anyhow!("demo dispatch: {e}");
    let staff = demo_caller(db, "nara-staff@renkei.example").await?;
    let advisor = demo_caller(db, "advisor1@renkei.example").await?;
    let miyake = demo_caller(db, "miyake@renkei.example").await?;
    let nara_city = demo_caller(db, "naracity@renkei.example").await?;
    let programmes = dispatches::programmes_for(db, &staff).await.map_err(fail)?;
    let programme = |code: &str| {
        programmes
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.id.get())
    };
    let dx = programme("jfm_dx_advisor");
    let chiiki = programme("soumu_chiiki_johoka");
    let requests = [
        (
            &miyake,
            dx,
            "issue",
            "onsite",
            "窓口のオンライン申請を始めたいが、どの手続から手をつけるべきか相談したい。",
            0,
        ),
        (
            &miyake,
            chiiki,
            "achievement",
            "online",
            "庁内の紙の決裁を電子決裁に切り替える計画づくりを支援してほしい。",
            1,
        ),
        (
            &nara_city,
            dx,
            "training",
            "onsite",
            "管理職向けに生成AIの使い方と注意点の研修をお願いしたい。",
            2,
        ),
        (
            &miyake,
            dx,
            "issue",
            "online",
            "住民向けのLINE公式アカウントの運用ルールを相談したい。",
            3,
        ),
        (
            &nara_city,
            chiiki,
            "issue",
            "online",
            "ガバメントクラウドへの移行に向けた課題の洗い出しを手伝ってほしい。",
            4,
        ),
        (
            &miyake,
            dx,
            "achievement",
            "onsite",
            "公共施設予約のオンライン化の進め方を一緒に考えてほしい。",
            5,
        ),
        (
            &nara_city,
            dx,
            "issue",
            "onsite",
            "オープンデータの公開方法を見直したい。",
            6,
        ),
        (
            &miyake,
            chiiki,
            "issue",
            "online",
            "テレワーク環境のセキュリティ対策を確認したい。",
            7,
        ),
        (
            &nara_city,
            dx,
            "training",
            "online",
            "若手職員向けのデータ分析研修を検討している。",
            8,
        ),
    ];
    let step = |id, step, input: StepInput, who: &app::auth::RequestAuth| {
        let who = who.clone();
        async move { dispatches::step_for(db, &who, id, step, &input).await }
    };
    let schedule = |day: &str| {
        StepInput::Approve(ScheduleInput {
            starts_at: format!("{day}T13:30"),
            ends_at: format!("{day}T16:00"),
            place: "役場 会議室".into(),
        })
    };
    let mut created = 0;
    for (town, programme, advice, mode, need, stage) in requests {
        let id = dispatches::request_for(
            db,
            town,
            &DispatchInput {
                programme,
                advice_type: advice.into(),
                mode: mode.into(),
                need: need.into(),
                hours: Some(2.5),
                preferred_from: Some("2027-01-05".into()),
                preferred_to: Some("2027-03-19".into()),
                ..DispatchInput::default()
            },
        )
        .await
        .map_err(fail)?;
        created += 1;
        let propose = StepInput::Propose(ProposeInput { advisor: Some(1) });
        match stage {
            // 0: just filed. 7: withdrawn. 8: rejected.
            7 => {
                step(id, Step::Withdraw, StepInput::Plain, town)
                    .await
                    .map_err(fail)?;
            }
            8 => {
                let reason = "今年度の予算枠に達したため、来年度にあらためてご相談ください。";
                step(
                    id,
                    Step::Reject,
                    StepInput::Reject(RejectInput {
                        reason: reason.into(),
                    }),
                    &staff,
                )
                .await
                .map_err(fail)?;
            }
            1.. => {
                step(id, Step::Propose, propose, &staff)
                    .await
                    .map_err(fail)?;
                if stage >= 2 {
                    step(id, Step::Accept, StepInput::Plain, &advisor)
                        .await
                        .map_err(fail)?;
                }
                if stage >= 3 {
                    // Dated from today: one ahead, one just held, two done.
                    let offset = [30, -3, -20, -50][stage.min(6) - 3];
                    let day = app::services::today() + chrono::Duration::days(offset);
                    step(id, Step::Approve, schedule(&day.to_string()), &staff)
                        .await
                        .map_err(fail)?;
                }
                if stage >= 5 {
                    let report = StepInput::Report(ReportInput {
                        hours: Some(2.5),
                        summary: "現状の手続と利用状況を確認し、優先する3手続を選びました。".into(),
                        outcome: "年度内に2手続のオンライン化を始める方針がまとまりました。".into(),
                        next_steps: "様式の見直しを進め、2月に再度オンラインで確認します。".into(),
                    });
                    step(id, Step::Report, report, &advisor)
                        .await
                        .map_err(fail)?;
                }
                if stage >= 6 {
                    step(id, Step::Confirm, StepInput::Plain, town)
                        .await
                        .map_err(fail)?;
                }
            }
            _ => {}
        }
    }
    Ok(created)
}

/// カウンターパート for every town of 奈良県 and 高知県 from the start of this 年度,
/// once, allocated by region as 奈良県 does: each region's towns go to one of the
/// prefecture's 県 staff, who is also the region's default; a few visits and
/// hearings follow. 三宅町 has an online meeting but no visit yet, so the
/// walkthrough of logging one moves the coverage. Returns how many towns were
/// assigned.
pub async fn create_demo_counterparts(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use sea_orm::{EntityTrait, PaginatorTrait};

    if app::entities::counterpart::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let mut assigned = 0;
    for (admin, people) in [
        (
            "nara-admin@renkei.example",
            [
                "nara-staff@renkei.example",
                "nara-staff2@renkei.example",
                "nara-staff3@renkei.example",
                "nara-admin@renkei.example",
            ]
            .as_slice(),
        ),
        (
            "kochi-admin@renkei.example",
            [
                "kochi-staff@renkei.example",
                "kochi-staff2@renkei.example",
                "kochi-admin@renkei.example",
            ]
            .as_slice(),
        ),
    ] {
        let caller = demo_caller(db, admin).await?;
        let primaries = assign_by_region(db, &caller, people).await?;
        assigned += primaries.len();
        log_demo_contacts(db, &primaries).await?;
    }
    Ok(assigned)
}

fn demo_failure(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("demo counterparts: {e}")
}

/// Gives each region's towns (and the region's default) to one of `people`, in
/// turn: each town's code and primary, in code order.
async fn assign_by_region(
    db: &DatabaseConnection,
    caller: &app::auth::RequestAuth,
    people: &[&str],
) -> anyhow::Result<Vec<(String, String)>> {
    use app::api::counterparts::ReassignChange;
    use app::services::counterparts::{Numbered, reassign_lines, set_region_default_for};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let Some(actor) = &caller.actor else {
        return Ok(Vec::new());
    };
    let start = app::domain::wareki::FiscalYear::of(app::services::today())
        .first_day()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let regions = app::entities::region::Entity::find()
        .filter(app::entities::region::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .order_by_asc(app::entities::region::Column::SortOrder)
        .all(db)
        .await?;
    let person_of = |region: Option<i32>, index: usize| {
        let slot = region
            .and_then(|id| regions.iter().position(|r| r.id == id))
            .unwrap_or(index);
        people[slot % people.len()].to_owned()
    };
    for (i, region) in regions.iter().enumerate() {
        let input = app::api::counterparts::RegionDefaultInput {
            primary: Some(person_of(Some(region.id), i)),
            from: start.clone(),
        };
        set_region_default_for(db, caller, region.id, &input)
            .await
            .map_err(demo_failure)?;
    }
    let towns = app::entities::municipality::Entity::find()
        .filter(app::entities::municipality::Column::PrefectureCode.eq(actor.prefecture.as_str()))
        .order_by_asc(app::entities::municipality::Column::Code)
        .all(db)
        .await?;
    let lines: Vec<Numbered> = towns
        .iter()
        .enumerate()
        .zip(1..)
        .map(|((i, town), line)| {
            let primary = person_of(town.region_id, i);
            // A second person for every fourth town: the next one in the list.
            let secondary = (i % 4 == 0)
                .then(|| {
                    people
                        .iter()
                        .find(|p| **p != primary)
                        .map(|p| (*p).to_owned())
                })
                .flatten();
            Numbered::at(
                line,
                ReassignChange {
                    municipality: town.code.clone(),
                    primary: Some(primary),
                    secondary: secondary.into_iter().collect(),
                },
            )
        })
        .collect();
    reassign_lines(db, caller, &start, &lines, false)
        .await
        .map_err(demo_failure)?;
    Ok(lines
        .into_iter()
        .filter_map(|n| Some((n.change.municipality, n.change.primary?)))
        .collect())
}

/// Visits by their primary to a third of the towns (not 三宅町), a follow-up for
/// each, and an online meeting with 三宅町.
async fn log_demo_contacts(
    db: &DatabaseConnection,
    primaries: &[(String, String)],
) -> anyhow::Result<()> {
    use app::domain::counterpart::contact::{ContactInput, FollowUpInput};
    use app::domain::local_gov::LocalGovCode;
    use app::services::counterparts::log_contact_for;

    let today = app::services::today();
    for (i, (code, primary)) in primaries.iter().enumerate().skip(1).step_by(3) {
        let day = today - chrono::Duration::days(14 + i64::try_from(i % 20).unwrap_or(0));
        let input = ContactInput {
            kind: "visit".into(),
            date: day.to_string(),
            participants: "県: 担当者 / 町: 総務課・情報政策担当".into(),
            topics: vec!["情報セキュリティ".into(), "DX推進計画".into()],
            notes: "年度の取組とDX推進計画の進み具合を聞き取りました。".into(),
            follow_ups: vec![FollowUpInput {
                text: "研修の案内を送る".into(),
                due: (day + chrono::Duration::days(if i % 2 == 0 { 7 } else { 30 })).to_string(),
                owner: None,
            }],
            ..Default::default()
        };
        let caller = demo_caller(db, primary).await?;
        log_contact_for(
            db,
            &caller,
            &LocalGovCode::from_stored(code.clone()),
            &input,
        )
        .await
        .map_err(demo_failure)?;
    }
    if let Some((code, primary)) = primaries.iter().find(|(code, _)| code == "293628") {
        let input = ContactInput {
            kind: "online".into(),
            date: (today - chrono::Duration::days(30)).to_string(),
            participants: "県: 担当者 / 町: 総務課 三宅 町子".into(),
            topics: vec!["生成AI".into()],
            notes: "生成AIの利用ガイドラインについて相談を受けました。次回は訪問して聞き取ります。"
                .into(),
            ..Default::default()
        };
        let caller = demo_caller(db, primary).await?;
        log_contact_for(
            db,
            &caller,
            &LocalGovCode::from_stored(code.clone()),
            &input,
        )
        .await
        .map_err(demo_failure)?;
    }
    Ok(())
}

/// A demo thread: the channel's index, the author, the text, and the replies
/// (author, text).
type DemoThread = (
    usize,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Channels of 奈良県 (デジならチャット) and 高知県 with a few threads, once: an open
/// channel for everyone and 奈良県's 生成AI分科会 for its members. Returns how
/// many channels were made.
pub async fn create_demo_channels(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use app::api::channels::{ChannelInput, PostInput};
    use app::services::channels::{LiveHub, create_for, post_for};
    use sea_orm::{EntityTrait, PaginatorTrait};

    if app::entities::channel::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let fail = |e: app::error::AppError| anyhow::anyhow!("demo channels: {e}");
    let live = LiveHub::new();
    // The seed's index is brought level with the database after the seed.
    let index =
        app::search::SearchIndex::in_memory(app::search::synonym_store::SynonymStore::builtin())
            .map_err(|e| anyhow::anyhow!("demo channels: {e}"))?;
    let channels = [
        (
            "nara-admin@renkei.example",
            "デジならチャット(全体)",
            "県と県内の全市町村が日々の情報を共有します。",
            "open",
            Vec::new(),
        ),
        (
            "nara-admin@renkei.example",
            "生成AI分科会",
            "生成AIの利用ガイドラインと活用事例を持ち寄る分科会です。",
            "members",
            vec!["nara-staff@renkei.example", "naracity@renkei.example"],
        ),
        (
            "kochi-admin@renkei.example",
            "高知県 市町村DX連絡",
            "市町村支援チームからの連絡と、市町村どうしの相談の場です。",
            "open",
            Vec::new(),
        ),
    ];
    let mut ids = Vec::new();
    for (owner, name, description, visibility, members) in channels {
        let caller = demo_caller(db, owner).await?;
        let input = ChannelInput {
            name: name.into(),
            description: description.into(),
            visibility: visibility.into(),
            members: members.into_iter().map(str::to_owned).collect(),
        };
        ids.push(create_for(db, &caller, &input).await.map_err(fail)?);
    }
    let threads: [DemoThread; 3] = [
        (
            0,
            "nara-staff@renkei.example",
            "来週の情報セキュリティ研修の資料を共有します。受講予定の方は事前にご確認ください。",
            &[
                (
                    "naracity@renkei.example",
                    "ありがとうございます。庁内に回覧します。",
                ),
                (
                    "miyake@renkei.example",
                    "当町からは2名参加します。よろしくお願いします。",
                ),
            ],
        ),
        (
            0,
            "naracity@renkei.example",
            "@三宅町 窓口のオンライン申請、どの手続から始めましたか?",
            &[(
                "miyake@renkei.example",
                "転入の事前予約からです。手順書を共有できます。",
            )],
        ),
        (
            1,
            "nara-staff@renkei.example",
            "生成AI利用ガイドラインの改定案です。ご意見を今月中にお寄せください。",
            &[],
        ),
    ];
    for (channel, author, body, replies) in threads {
        let caller = demo_caller(db, author).await?;
        let input = PostInput {
            body: body.into(),
            parent: None,
        };
        let first = post_for(db, &index, &live, &caller, ids[channel], &input)
            .await
            .map_err(fail)?;
        for (who, text) in replies {
            let caller = demo_caller(db, who).await?;
            let input = PostInput {
                body: (*text).into(),
                parent: Some(first.id),
            };
            post_for(db, &index, &live, &caller, ids[channel], &input)
                .await
                .map_err(fail)?;
        }
    }
    Ok(ids.len())
}

/// One notice from 奈良県 to all its towns, confirmed by about half of them, once
/// (the demo has accounts in two towns only: the others' confirmations are
/// recorded with the time and no person). Returns how many notices were sent.
pub async fn create_demo_notices(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

    if app::entities::notice::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let fail = |e: app::error::AppError| anyhow::anyhow!("demo notices: {e}");
    let staff = demo_caller(db, "nara-staff@renkei.example").await?;
    let input = app::api::notices::NoticeInput {
        title: "年末年始の県庁DX推進課の窓口について".into(),
        body: "12月29日から1月3日まで窓口を休みます。急ぎの連絡はデジならチャットにお願いします。"
            .into(),
        municipalities: vec!["all".into()],
    };
    let id = app::services::notices::send_for(db, &staff, &input)
        .await
        .map_err(fail)?;
    let naracity = demo_caller(db, "naracity@renkei.example").await?;
    app::services::notices::confirm_for(db, &naracity, id)
        .await
        .map_err(fail)?;
    // Every other town of the first half has confirmed through its own staff.
    let targets = app::entities::notice_target::Entity::find()
        .filter(app::entities::notice_target::Column::NoticeId.eq(id))
        .filter(app::entities::notice_target::Column::ReadAt.is_null())
        .order_by_asc(app::entities::notice_target::Column::MunicipalityCode)
        .all(db)
        .await?;
    let half = targets.len() / 2;
    for target in targets.into_iter().take(half) {
        if target.municipality_code == "293628" {
            continue;
        }
        app::entities::notice_target::Entity::update_many()
            .col_expr(
                app::entities::notice_target::Column::ReadAt,
                sea_orm::sea_query::Expr::value(chrono::Utc::now().fixed_offset()),
            )
            .filter(app::entities::notice_target::Column::NoticeId.eq(id))
            .filter(
                app::entities::notice_target::Column::MunicipalityCode.eq(target.municipality_code),
            )
            .exec(db)
            .await?;
    }
    Ok(1)
}

mod surveys;
pub use surveys::create_demo_surveys;
