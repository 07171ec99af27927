//! One demo 照会 of 奈良県 to all its towns, answered by about half of them.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use app::api::surveys::{AnswerInput, QuestionInput, SurveyInput};
use app::domain::local_gov::LocalGovCode;
use app::entities::survey_answer;

use super::demo_caller;

fn question(kind: &str, label: &str, options: &[&str], required: bool) -> QuestionInput {
    QuestionInput {
        kind: kind.into(),
        label: label.into(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        required,
    }
}

const USE: [&str; 4] = ["全庁で導入済み", "一部の課で試行中", "検討中", "予定なし"];
const WORK: [&str; 5] = [
    "文書作成",
    "議事録作成",
    "翻訳",
    "プログラミング",
    "アイデア出し",
];

/// The answer of the `n`th answering town: varied, deterministic.
fn answers_of(n: usize) -> Vec<serde_json::Value> {
    let uses = USE[n % USE.len()];
    let works: Vec<&str> = WORK
        .iter()
        .enumerate()
        .filter(|(i, _)| !(n + i).is_multiple_of(3))
        .map(|(_, w)| *w)
        .collect();
    vec![
        json!(uses),
        json!(works),
        json!((n * 7) % 40 + 3),
        json!(if n.is_multiple_of(2) {
            "職員の理解と、入力してよい情報の線引きが課題です。"
        } else {
            ""
        }),
        json!(!n.is_multiple_of(3)),
        json!(null),
    ]
}

/// Sends the 照会 and answers it for every other town of the first half (三宅町
/// is left to answer in the walkthrough). Returns how many 照会 were sent.
pub async fn create_demo_surveys(db: &DatabaseConnection) -> anyhow::Result<usize> {
    if app::entities::survey::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let fail = |e: app::error::AppError| anyhow::anyhow!("demo surveys: {e}");
    let staff = demo_caller(db, "nara-staff@renkei.example").await?;
    let deadline = app::services::today() + chrono::Days::new(14);
    let input = SurveyInput {
        title: "生成AIの利用状況調査(令和8年度)".into(),
        instructions: "各市町村での生成AIの利用状況を伺います。分かる範囲で回答し、期限までに「提出する」を押してください。問い合わせ: 県DX推進課 奈良".into(),
        deadline: deadline.format("%Y-%m-%d").to_string(),
        questions: vec![
            question("choice", "生成AIを業務で使っていますか", &USE, true),
            question("multi", "使っている業務(複数選択可)", &WORK, false),
            question("number", "利用している職員数(人)", &[], false),
            question("long", "導入にあたっての課題", &[], false),
            question("yes_no", "県の共同研修に参加したいですか", &[], true),
            question("date", "全庁導入の予定日(決まっていれば)", &[], false),
        ],
        municipalities: vec!["all".into()],
    };
    let id = app::services::surveys::create_for(db, &staff, &input)
        .await
        .map_err(fail)?;
    let naracity = demo_caller(db, "naracity@renkei.example").await?;
    let answer = |n, submit| AnswerInput {
        answers: answers_of(n),
        submit,
        version: None,
    };
    let nara: LocalGovCode = "292010".parse().map_err(|_| anyhow::anyhow!("code"))?;
    app::services::surveys::answer_for(db, &naracity, id, &nara, &answer(0, true))
        .await
        .map_err(fail)?;
    // The demo has staff accounts in two towns only: the other answers are
    // written as the towns' own would be, without a person.
    let rows = survey_answer::Entity::find()
        .filter(survey_answer::Column::SurveyId.eq(id))
        .filter(survey_answer::Column::State.eq("none"))
        .order_by_asc(survey_answer::Column::MunicipalityCode)
        .all(db)
        .await?;
    let half = rows.len() / 2;
    for (n, row) in rows.into_iter().take(half).enumerate() {
        if row.municipality_code == "293628" {
            continue;
        }
        let state = if n % 6 == 5 { "draft" } else { "submitted" };
        let now = chrono::Utc::now().fixed_offset();
        survey_answer::Entity::update_many()
            .col_expr(
                survey_answer::Column::State,
                sea_orm::sea_query::Expr::value(state),
            )
            .col_expr(
                survey_answer::Column::Answers,
                sea_orm::sea_query::Expr::value(serde_json::to_string(&answers_of(n + 1))?),
            )
            .col_expr(
                survey_answer::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .col_expr(
                survey_answer::Column::SubmittedAt,
                sea_orm::sea_query::Expr::value((state == "submitted").then_some(now)),
            )
            .col_expr(
                survey_answer::Column::Version,
                sea_orm::sea_query::Expr::value(1),
            )
            .filter(survey_answer::Column::SurveyId.eq(id))
            .filter(survey_answer::Column::MunicipalityCode.eq(row.municipality_code))
            .exec(db)
            .await?;
    }
    Ok(1)
}
