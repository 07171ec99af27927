//! The matrix's cases for 照会 and outgoing webhooks.

use app::domain::account::Role;

use super::{ADMIN, Case, PREFECTURE, Scope, Send};
use crate::helpers::TestApp;

const TOWN: &[Role] = &[Role::MuniStaff];

/// A 照会 from `who`'s 県 to these towns, due in ten days: its id.
pub(super) async fn survey(app: &TestApp, who: &str, towns: &[&str]) -> i64 {
    let client = app.signed_in(who).await;
    let deadline = chrono::Utc::now().date_naive() + chrono::Days::new(10);
    let response = client
        .post(app.url("/api/surveys"))
        .json(&serde_json::json!({
            "title": "行列試験",
            "deadline": deadline.format("%Y-%m-%d").to_string(),
            "questions": [{"kind": "short", "label": "担当課"}],
            "municipalities": towns,
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201, "{who} makes a 照会");
    response.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

/// The 照会 of the matrix: 奈良県's to 三宅町 and 奈良市, 奈良県's to 奈良市
/// only, 高知県's to 高知市.
pub(super) async fn surveys(app: &TestApp) -> (i64, i64, i64) {
    (
        survey(app, "nara-staff@renkei.example", &["293628", "292010"]).await,
        survey(app, "nara-staff@renkei.example", &["292010"]).await,
        survey(app, "kochi-admin@renkei.example", &["392014"]).await,
    )
}

fn answer_path(scope: &Scope) -> String {
    format!(
        "/api/surveys/{}/answers/{}",
        scope.survey, scope.municipality
    )
}

pub(super) fn survey_cases() -> Vec<Case> {
    vec![
        Case {
            endpoint: ("POST", "/api/surveys"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/surveys".into(),
                    Some(serde_json::json!({
                        "title": "行列試験",
                        "deadline": "2099-03-31",
                        "questions": [{"kind": "yes_no", "label": "試験"}],
                        "municipalities": ["all"],
                    })),
                )
            },
        },
        Case {
            endpoint: ("PUT", "/api/surveys/{id}/answers/{code}"),
            allowed: TOWN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    answer_path(scope),
                    Some(serde_json::json!({"answers": ["情報政策課"], "submit": false})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/surveys/{id}/answers/{code}/reopen"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| Send::Json("POST", format!("{}/reopen", answer_path(scope)), None),
        },
        Case {
            endpoint: ("POST", "/surveys"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/surveys".into(),
                    vec![
                        ("title", "行列試験".into()),
                        ("deadline", "2099-03-31".into()),
                        ("questions.0", "試験".into()),
                        ("questions.0.kind", "yes_no".into()),
                        ("to", "all".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/surveys/{id}/answer"),
            allowed: TOWN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/surveys/{}/answer", scope.survey),
                    vec![
                        ("answers.0", "情報政策課".into()),
                        ("action", "draft".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/surveys/{id}/towns/{code}/reopen"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!(
                        "/surveys/{}/towns/{}/reopen",
                        scope.survey, scope.municipality
                    ),
                    vec![],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/webhooks"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/webhooks".into(),
                    Some(serde_json::json!({
                        "url": "https://8.8.8.8/matrix",
                        "events": ["notice.created"],
                        "format": "slack",
                    })),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/webhook-deliveries/{id}/resend"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    format!("/api/webhook-deliveries/{}/resend", scope.webhook.1),
                    None,
                )
            },
        },
        Case {
            endpoint: ("POST", "/admin/webhooks"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/admin/webhooks".into(),
                    vec![
                        ("url", "https://8.8.8.8/matrix-form".into()),
                        ("events", "survey.created".into()),
                        ("format", "slack".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/webhook-deliveries/{id}/resend"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/webhook-deliveries/{}/resend", scope.webhook.1),
                    vec![],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/webhooks/page"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| Send::ServerFn("/api/webhooks/page".into(), serde_json::json!({})),
        },
        // Deleting comes last: it takes the webhook of the cases above with it.
        Case {
            endpoint: ("DELETE", "/api/webhooks/{id}"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json("DELETE", format!("/api/webhooks/{}", scope.webhook.0), None)
            },
        },
        Case {
            endpoint: ("POST", "/admin/webhooks/{id}/delete"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/admin/webhooks/{}/delete", scope.webhook.0),
                    vec![],
                )
            },
        },
    ]
}

/// A webhook of `prefecture` on a public address and one dead delivery of it,
/// written straight to the database: `(webhook, delivery)`.
pub(super) async fn webhook(app: &TestApp, prefecture: &str) -> (i64, i64) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let now = chrono::Utc::now().fixed_offset();
    let hook = app::entities::webhook::ActiveModel {
        prefecture_code: Set(prefecture.to_owned()),
        url: Set("https://8.8.8.8/matrix".into()),
        events: Set("notice.created".into()),
        format: Set("slack".into()),
        secret: Set(None),
        created_by: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("webhook");
    let delivery = app::entities::webhook_delivery::ActiveModel {
        webhook_id: Set(hook.id),
        event: Set("notice.created".into()),
        body: Set("{}".into()),
        state: Set("dead".into()),
        attempts: Set(3),
        // Far ahead: a resend in the matrix must not make the worker call out.
        next_attempt_at: Set(now + chrono::Duration::days(3650)),
        last_status: Set(Some(500)),
        last_error: Set(None),
        created_at: Set(now),
        delivered_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("delivery");
    (i64::from(hook.id), i64::from(delivery.id))
}
