//! The role × endpoint × scope matrix over real HTTP: every state-changing endpoint
//! guarded by the policy, and every read of private data, asked by each role for
//! its own scope and for someone else's.

use std::collections::HashSet;

use app::domain::account::Role;
use app::error::AppError;
use renkei::routes::{Rule, endpoints};

use crate::helpers::{TestApp, backends};

mod surveys;

/// What the server answered, reduced to the policy's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Allowed,
    Forbidden,
    Unauthenticated,
}

/// How a case is sent.
#[derive(Debug, Clone)]
enum Send {
    /// A JSON route.
    Json(&'static str, String, Option<serde_json::Value>),
    /// A server function (POST, JSON arguments).
    ServerFn(String, serde_json::Value),
    /// A plain HTML form post with the CSRF token.
    Form(String, Vec<(&'static str, String)>),
}

/// The scope values a case is built from, seen from one role.
struct Scope {
    /// A municipality: the caller's own town for municipal staff, a town of the
    /// caller's prefecture for the others; or, for "other", one outside it.
    municipality: &'static str,
    /// An account inside (own) or outside (other) the caller's prefecture.
    account: i32,
    /// A prefecture code.
    prefecture: &'static str,
    /// An advisor: the caller's own profile (advisor1) or the caller's bank; or,
    /// for "other", another prefecture's.
    advisor: i32,
    /// A joint training the caller would organise: 奈良県's (or, for municipal
    /// staff, their town's); for "other", 高知県's (or 奈良市's).
    training: i64,
    /// A course and one of its enrolments: of the caller's own town for municipal
    /// staff, any on 奈良県's course for the others; for "other", another town's
    /// on the same course (or one on 高知県's course).
    enrolment: (i64, i64),
    /// A dispatch request: 三宅町's, proposed to advisor1; for "other", 奈良市's
    /// for municipal staff and 高知市's for the others.
    dispatch: i64,
    /// A dispatch programme: 奈良県's; for "other", 高知県's.
    programme: i64,
    /// A follow-up of a contact with 奈良市; for "other", with 高知市.
    follow_up: i64,
    /// A region of 奈良県; for "other", of 高知県.
    region: i32,
    /// 奈良県's open channel; for "other", a member-only channel of 奈良県 the
    /// caller is not in (municipal staff) or 高知県's open channel.
    channel: i64,
    /// naracity's post in 奈良県's open channel; for "other", kochicity's in 高知県's.
    post: i64,
    /// 奈良県's notice to 三宅町 (the caller's town for municipal staff); for
    /// "other", one to 奈良市 only (municipal staff) or 高知県's.
    notice: i64,
    /// 奈良県's 照会 to 三宅町 and 奈良市; for "other", 奈良県's to 奈良市 only
    /// (municipal staff) or 高知県's.
    survey: i64,
    /// A webhook of 奈良県 and one of its deliveries; for "other", 高知県's.
    webhook: (i64, i64),
}

/// How a case builds its request for a scope and a role.
type Build = fn(&Scope, Role) -> Send;

struct Case {
    /// Method and route pattern, as in [`endpoints`].
    endpoint: (&'static str, &'static str),
    /// Roles allowed in their own scope.
    allowed: &'static [Role],
    /// Whether the endpoint has an "other scope" (some act on the caller only).
    has_other: bool,
    build: Build,
}

const ALL: &[Role] = &[
    Role::PrefAdmin,
    Role::PrefStaff,
    Role::MuniStaff,
    Role::Advisor,
];
const ADMIN: &[Role] = &[Role::PrefAdmin];
const LOCAL: &[Role] = &[Role::PrefAdmin, Role::PrefStaff, Role::MuniStaff];
const PREFECTURE: &[Role] = &[Role::PrefAdmin, Role::PrefStaff];

fn new_account(scope: &Scope, role: Role) -> serde_json::Value {
    serde_json::json!({
        "email": format!("new-{}-{}@renkei.example", role.as_str(), scope.prefecture),
        "display_name": "新規 職員",
        "role": "muni_staff",
        "municipality": scope.municipality,
        "prefecture": scope.prefecture,
        "password": "new-account-pass",
    })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            endpoint: ("PUT", "/api/me/password"),
            allowed: ALL,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "PUT",
                    "/api/me/password".into(),
                    Some(
                        serde_json::json!({"current_password": "not-my-password", "new_password": "irrelevant-pass"}),
                    ),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/accounts"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, role| {
                Send::Json(
                    "POST",
                    "/api/accounts".into(),
                    Some(new_account(scope, role)),
                )
            },
        },
        Case {
            endpoint: ("PATCH", "/api/accounts/{id}"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PATCH",
                    format!("/api/accounts/{}", scope.account),
                    Some(serde_json::json!({"active": true})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/accounts/{id}/revoke-sessions"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    format!("/api/accounts/{}/revoke-sessions", scope.account),
                    Some(serde_json::json!({})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/account/password"),
            allowed: ALL,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/account/password".into(),
                    vec![
                        ("current_password", "not-my-password".into()),
                        ("new_password", "irrelevant-pass".into()),
                        ("new_password_confirm", "irrelevant-pass".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/admin/accounts"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, role| {
                let body = new_account(scope, role);
                let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
                Send::Form(
                    "/admin/accounts".into(),
                    vec![
                        ("email", format!("form-{}", field("email"))),
                        ("display_name", field("display_name")),
                        ("role", field("role")),
                        ("municipality", field("municipality")),
                        ("prefecture", field("prefecture")),
                        ("password", field("password")),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/admin/accounts/{id}/active"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/admin/accounts/{}/active", scope.account),
                    vec![("active", "true".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/admin/accounts/{id}/revoke"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(format!("/admin/accounts/{}/revoke", scope.account), vec![])
            },
        },
        Case {
            endpoint: ("POST", "/admin/accounts/{id}/password"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/admin/accounts/{}/password", scope.account),
                    vec![("temporary_password", "matrix-temporary-1".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/accounts/list"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::ServerFn(
                    "/api/accounts/list".into(),
                    serde_json::json!({"query": {"municipality": scope.municipality}}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/accounts/get"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::ServerFn(
                    "/api/accounts/get".into(),
                    serde_json::json!({"id": scope.account}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/audit/list"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::ServerFn("/api/audit/list".into(), serde_json::json!({"query": {}}))
            },
        },
        Case {
            endpoint: ("POST", "/api/home/municipality"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::ServerFn(
                    "/api/home/municipality".into(),
                    serde_json::json!({"code": scope.municipality}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/home/prefecture"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| Send::ServerFn("/api/home/prefecture".into(), serde_json::json!({})),
        },
        Case {
            endpoint: ("PUT", "/api/advisors/{id}/availability"),
            allowed: &[Role::PrefAdmin, Role::Advisor],
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/advisors/{}/availability", scope.advisor),
                    Some(serde_json::json!({"months": ["2027-01"]})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors/match"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    "/api/advisors/match".into(),
                    Some(
                        serde_json::json!({"need": "セキュリティ", "municipality": scope.municipality}),
                    ),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/advisors".into(),
                    Some(serde_json::json!({
                        "name": "行列 試験", "kana": "ぎょうれつ しけん", "affiliation": "架空",
                        "engagement": "private", "jinzaizo": "advanced", "modes": ["online"],
                    })),
                )
            },
        },
        Case {
            endpoint: ("PATCH", "/api/advisors/{id}"),
            allowed: &[Role::PrefAdmin, Role::Advisor],
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PATCH",
                    format!("/api/advisors/{}", scope.advisor),
                    Some(serde_json::json!({"bio": "行列試験で更新した紹介文です。"})),
                )
            },
        },
        Case {
            endpoint: ("PUT", "/api/advisors/{id}/status"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/advisors/{}/status", scope.advisor),
                    Some(serde_json::json!({"status": "published"})),
                )
            },
        },
        Case {
            endpoint: ("PUT", "/api/advisors/{id}/account"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/advisors/{}/account", scope.advisor),
                    Some(serde_json::json!({"email": "advisor1@renkei.example"})),
                )
            },
        },
        Case {
            endpoint: ("PUT", "/api/advisors/{id}/photo"),
            allowed: &[Role::PrefAdmin, Role::Advisor],
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/advisors/{}/photo", scope.advisor),
                    Some(serde_json::json!("not an image")),
                )
            },
        },
        Case {
            endpoint: ("DELETE", "/api/advisors/{id}/photo"),
            allowed: &[Role::PrefAdmin, Role::Advisor],
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "DELETE",
                    format!("/api/advisors/{}/photo", scope.advisor),
                    None,
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors/import"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/advisors/import".into(),
                    Some(serde_json::json!("ID,状態")),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/taxonomy"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/taxonomy".into(),
                    Some(
                        serde_json::json!({"kind": "specialty", "code": "matrix_term", "label": "行列試験の分野"}),
                    ),
                )
            },
        },
        Case {
            endpoint: ("PATCH", "/api/taxonomy/{kind}/{code}"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "PATCH",
                    "/api/taxonomy/specialty/nara_own".into(),
                    Some(serde_json::json!({"sort_order": "3"})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/advisors/new"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/advisors/new".into(),
                    vec![
                        ("name", "行列 フォーム".into()),
                        ("kana", "ぎょうれつ ふぉーむ".into()),
                        ("affiliation", "架空".into()),
                        ("engagement", "private".into()),
                        ("jinzaizo", "advanced".into()),
                        ("modes", "online".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/advisors/{id}/edit"),
            allowed: &[Role::PrefAdmin, Role::Advisor],
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/advisors/{}/edit", scope.advisor),
                    vec![("bio", "行列試験".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/advisors/{id}/status"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/advisors/{}/status", scope.advisor),
                    vec![("status", "published".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/advisors/{id}/account"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/advisors/{}/account", scope.advisor),
                    vec![("account_email", "advisor1@renkei.example".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/admin/advisors/import"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| Send::Form("/admin/advisors/import".into(), vec![]),
        },
        Case {
            endpoint: ("POST", "/admin/taxonomy"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/admin/taxonomy".into(),
                    vec![
                        ("kind", "specialty".into()),
                        ("code", "matrix_form_term".into()),
                        ("label", "行列フォームの分野".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/admin/taxonomy/{kind}/{code}"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/admin/taxonomy/specialty/nara_own".into(),
                    vec![
                        ("label", "奈良県独自の分野".into()),
                        ("sort_order", "3".into()),
                        ("active", "on".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors/form"),
            allowed: &[Role::PrefAdmin, Role::Advisor],
            has_other: true,
            build: |scope, _| {
                Send::ServerFn(
                    "/api/advisors/form".into(),
                    serde_json::json!({"id": scope.advisor}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors/admin_list"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::ServerFn(
                    "/api/advisors/admin_list".into(),
                    serde_json::json!({"status": null, "page": null}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors/rank"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::ServerFn(
                    "/api/advisors/rank".into(),
                    serde_json::json!({"request": {"need": "セキュリティ", "municipality": scope.municipality}}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/advisors/match_choices"),
            allowed: LOCAL,
            has_other: false,
            build: |_, _| {
                Send::ServerFn("/api/advisors/match_choices".into(), serde_json::json!({}))
            },
        },
        Case {
            endpoint: ("POST", "/api/taxonomy/list"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| Send::ServerFn("/api/taxonomy/list".into(), serde_json::json!({})),
        },
        Case {
            endpoint: ("GET", "/api/accounts"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "GET",
                    format!("/api/accounts?municipality={}", scope.municipality),
                    None,
                )
            },
        },
        Case {
            endpoint: ("GET", "/api/accounts/{id}"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| Send::Json("GET", format!("/api/accounts/{}", scope.account), None),
        },
        Case {
            endpoint: ("GET", "/api/audit"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| Send::Json("GET", "/api/audit".into(), None),
        },
        Case {
            endpoint: ("GET", "/api/audit.csv"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| Send::Json("GET", "/api/audit.csv".into(), None),
        },
    ]
    .into_iter()
    .chain(training_cases())
    .chain(dispatch_cases())
    .chain(counterpart_cases())
    .chain(channel_cases())
    .chain(notice_cases())
    .chain(surveys::survey_cases())
    .collect()
}

/// Open courses of both prefectures, with an enrolment or two each.
struct Courses {
    nara: i64,
    miyake: i64,
    nara_city: i64,
    kochi: i64,
    miyake_trainee: i64,
    nara_city_trainee: i64,
    kochi_city_trainee: i64,
}

impl Courses {
    async fn create(app: &TestApp) -> Self {
        let nara = open_course(app, "nara-admin@renkei.example").await;
        let miyake = open_course(app, "miyake@renkei.example").await;
        let nara_city = open_course(app, "naracity@renkei.example").await;
        let kochi = open_course(app, "kochi-admin@renkei.example").await;
        Self {
            nara,
            miyake,
            nara_city,
            kochi,
            miyake_trainee: enrol(app, "miyake@renkei.example", nara).await,
            nara_city_trainee: enrol(app, "naracity@renkei.example", nara).await,
            kochi_city_trainee: enrol(app, "kochicity@renkei.example", kochi).await,
        }
    }
}

async fn open_course(app: &TestApp, organiser: &str) -> i64 {
    let client = app.signed_in(organiser).await;
    let body = serde_json::json!({
        "title": "情報セキュリティ研修",
        "capacity": 10,
        "sessions": [{"starts_at": "2027-02-01T13:00", "ends_at": "2027-02-01T16:00", "place": "県庁"}],
        "costs": [{"label": "講師謝金", "amount": 100000, "kind": "shared"}],
    });
    let response = client
        .post(app.url("/api/trainings"))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201, "{organiser} creates a course");
    let id = response.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let response = client
        .post(app.url(&format!("/api/trainings/{id}/open")))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "{organiser} opens the course");
    id
}

async fn enrol(app: &TestApp, town: &str, course: i64) -> i64 {
    let response = app
        .signed_in(town)
        .await
        .post(app.url(&format!("/api/trainings/{course}/enrolments")))
        .json(&serde_json::json!({"staff": [{"name": "研修 受講者", "position": "主事"}]}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201, "{town} enrols");
    response.json::<serde_json::Value>().await.expect("json")["enrolled"][0]["id"]
        .as_i64()
        .expect("id")
}

fn training_case(method: &'static str, path: &'static str, action: &'static str) -> Case {
    Case {
        endpoint: (method, path),
        allowed: LOCAL,
        has_other: true,
        build: match action {
            "open" => |s, _| {
                Send::Json(
                    "POST",
                    format!("/api/trainings/{}/open", s.training),
                    Some(serde_json::json!({})),
                )
            },
            "close" => |s, _| {
                Send::Json(
                    "POST",
                    format!("/api/trainings/{}/close", s.training),
                    Some(serde_json::json!({})),
                )
            },
            "hold" => |s, _| {
                Send::Json(
                    "POST",
                    format!("/api/trainings/{}/hold", s.training),
                    Some(serde_json::json!({})),
                )
            },
            "confirm" => |s, _| {
                Send::Json(
                    "POST",
                    format!("/api/trainings/{}/confirm", s.training),
                    Some(serde_json::json!({})),
                )
            },
            "billing" => |s, _| {
                Send::Json(
                    "PUT",
                    format!("/api/trainings/{}/billing", s.training),
                    Some(serde_json::json!({"issuer": "総務部 デジタル戦略課"})),
                )
            },
            _ => |s, _| {
                Send::Json(
                    "PUT",
                    format!("/api/trainings/{}/sessions/1/attendance", s.training),
                    Some(serde_json::json!({"present": []})),
                )
            },
        },
    }
}

/// An organiser's button on the course page, posted as a form.
fn training_form_case(path: &'static str, action: &'static str) -> Case {
    Case {
        endpoint: ("POST", path),
        allowed: LOCAL,
        has_other: true,
        build: match action {
            "status" => |s, _| {
                Send::Form(
                    format!("/trainings/{}/status", s.training),
                    vec![("status", "open".into())],
                )
            },
            "confirm" => |s, _| {
                Send::Form(
                    format!("/trainings/{}/confirm", s.training),
                    vec![("confirm", "yes".into())],
                )
            },
            "edit" => |s, _| {
                Send::Form(
                    format!("/trainings/{}/edit", s.training),
                    vec![
                        ("title", "情報セキュリティ研修".into()),
                        ("capacity", "10".into()),
                        ("sessions[0].starts_at", "2027-02-01T13:00".into()),
                        ("sessions[0].ends_at", "2027-02-01T16:00".into()),
                        ("sessions[0].place", "県庁".into()),
                    ],
                )
            },
            "billing" => |s, _| {
                Send::Form(
                    format!("/trainings/{}/billing", s.training),
                    vec![("issuer", "総務部 デジタル戦略課".into())],
                )
            },
            _ => |s, _| {
                Send::Form(
                    format!("/trainings/{}/sessions/1/attendance", s.training),
                    vec![],
                )
            },
        },
    }
}

/// Dispatch requests the matrix acts on.
struct Requests {
    miyake: i64,
    nara_city: i64,
    kochi_city: i64,
    nara_programme: i64,
    kochi_programme: i64,
}

impl Requests {
    async fn create(app: &TestApp) -> Self {
        let (nara_programme, miyake) = request(app, "miyake@renkei.example").await;
        let (_, nara_city) = request(app, "naracity@renkei.example").await;
        let (kochi_programme, kochi_city) = request(app, "kochicity@renkei.example").await;
        let staff = app.signed_in("nara-staff@renkei.example").await;
        let response = staff
            .post(app.url(&format!("/api/dispatches/{miyake}/propose")))
            .json(&serde_json::json!({"advisor": 1}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "advisor1 is proposed");
        Self {
            miyake,
            nara_city,
            kochi_city,
            nara_programme,
            kochi_programme,
        }
    }
}

/// Files a request as `town` under its prefecture's first programme: `(programme, request)`.
async fn request(app: &TestApp, town: &str) -> (i64, i64) {
    let client = app.signed_in(town).await;
    let programmes: serde_json::Value = client
        .get(app.url("/api/programmes"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let programme = programmes[0]["id"].as_i64().expect("a national programme");
    let response = client
        .post(app.url("/api/dispatches"))
        .json(&serde_json::json!({"programme": programme, "advice_type": "issue", "mode": "online", "need": "行列試験", "hours": 2}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201, "{town} files a request");
    let id = response.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    (programme, id)
}

/// A contact with `town` logged by `who`, with one follow-up: its id.
async fn follow_up(app: &TestApp, who: &str, town: &str) -> i64 {
    let client = app.signed_in(who).await;
    let response = client
        .post(app.url(&format!("/api/municipalities/{town}/contacts")))
        .json(&serde_json::json!({"kind": "visit", "date": "2026-10-01",
            "follow_ups": [{"text": "行列試験", "due": "2026-10-15"}]}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201, "{who} logs a visit");
    let contacts: serde_json::Value = client
        .get(app.url(&format!("/api/municipalities/{town}/contacts")))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    contacts[0]["follow_ups"][0]["id"]
        .as_i64()
        .expect("follow-up")
}

/// A notice from `who`'s 県 to one town: its id.
async fn notice(app: &TestApp, who: &str, town: &str) -> i64 {
    let client = app.signed_in(who).await;
    let response = client
        .post(app.url("/api/notices"))
        .json(&serde_json::json!({"title": "行列試験", "body": "本文", "municipalities": [town]}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201, "{who} sends a notice");
    response.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

fn notice_cases() -> Vec<Case> {
    const TOWN: &[Role] = &[Role::MuniStaff];
    vec![
        Case {
            endpoint: ("POST", "/api/notices"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/notices".into(),
                    Some(
                        serde_json::json!({"title": "行列試験", "body": "本文", "municipalities": ["all"]}),
                    ),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/notices/{id}/read"),
            allowed: TOWN,
            has_other: true,
            build: |scope, _| {
                Send::Json("POST", format!("/api/notices/{}/read", scope.notice), None)
            },
        },
        Case {
            endpoint: ("POST", "/api/notices/{id}/remind"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    format!("/api/notices/{}/remind", scope.notice),
                    None,
                )
            },
        },
        Case {
            endpoint: ("POST", "/notices"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/notices".into(),
                    vec![
                        ("title", "行列試験".into()),
                        ("body", "本文".into()),
                        ("to", "all".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/notices/{id}/read"),
            allowed: TOWN,
            has_other: true,
            build: |scope, _| Send::Form(format!("/notices/{}/read", scope.notice), vec![]),
        },
        Case {
            endpoint: ("POST", "/notices/{id}/remind"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| Send::Form(format!("/notices/{}/remind", scope.notice), vec![]),
        },
    ]
}

/// The channels and posts of the matrix.
struct Channels {
    nara: i64,
    nara_members: i64,
    kochi: i64,
    nara_post: i64,
    kochi_post: i64,
}

impl Channels {
    async fn create(app: &TestApp) -> Self {
        let make = |who: &'static str, name: &'static str, visibility: &'static str| async move {
            let client = app.signed_in(who).await;
            let response = client
                .post(app.url("/api/channels"))
                .json(&serde_json::json!({"name": name, "visibility": visibility, "members": []}))
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), 201, "{who} makes {name}");
            response.json::<serde_json::Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id")
        };
        let post = |who: &'static str, channel: i64| async move {
            let client = app.signed_in(who).await;
            let response = client
                .post(app.url(&format!("/api/channels/{channel}/posts")))
                .json(&serde_json::json!({"body": "行列試験"}))
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), 201, "{who} posts");
            response.json::<serde_json::Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id")
        };
        let nara = make("nara-admin@renkei.example", "行列試験", "open").await;
        let nara_members = make("nara-admin@renkei.example", "行列試験分科会", "members").await;
        let kochi = make("kochi-admin@renkei.example", "行列試験", "open").await;
        Self {
            nara,
            nara_members,
            kochi,
            nara_post: post("naracity@renkei.example", nara).await,
            kochi_post: post("kochicity@renkei.example", kochi).await,
        }
    }
}

/// A region of `prefecture`, made for the matrix: its id.
async fn region(app: &TestApp, prefecture: &str) -> i32 {
    use sea_orm::ActiveModelTrait;
    app::entities::region::ActiveModel {
        prefecture_code: sea_orm::ActiveValue::Set(prefecture.to_owned()),
        name: sea_orm::ActiveValue::Set("行列試験地域".to_owned()),
        sort_order: sea_orm::ActiveValue::Set(99),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("region")
    .id
}

fn channel_cases() -> Vec<Case> {
    vec![
        Case {
            endpoint: ("POST", "/api/channels"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/channels".into(),
                    Some(serde_json::json!({"name": "行列試験の部屋", "visibility": "open"})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/channels/{id}/posts"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    format!("/api/channels/{}/posts", scope.channel),
                    Some(serde_json::json!({"body": "行列試験"})),
                )
            },
        },
        Case {
            endpoint: ("PUT", "/api/channels/{id}/members"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/channels/{}/members", scope.channel),
                    Some(serde_json::json!({"members": []})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/channels/{id}/members"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/channels/{}/members", scope.channel),
                    vec![("members", String::new())],
                )
            },
        },
        Case {
            endpoint: ("PATCH", "/api/posts/{id}"),
            allowed: &[],
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PATCH",
                    format!("/api/posts/{}", scope.post),
                    Some(serde_json::json!({"body": "書き換え"})),
                )
            },
        },
        Case {
            endpoint: ("DELETE", "/api/posts/{id}"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| Send::Json("DELETE", format!("/api/posts/{}", scope.post), None),
        },
        Case {
            endpoint: ("POST", "/channels"),
            allowed: PREFECTURE,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/channels".into(),
                    vec![
                        ("name", "行列試験の部屋".into()),
                        ("visibility", "open".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/channels/{id}/posts"),
            allowed: LOCAL,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/channels/{}/posts", scope.channel),
                    vec![("body", "行列試験".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/posts/{id}/edit"),
            allowed: &[],
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/posts/{}/edit", scope.post),
                    vec![("body", "書き換え".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/posts/{id}/delete"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| Send::Form(format!("/posts/{}/delete", scope.post), vec![]),
        },
    ]
}

fn counterpart_cases() -> Vec<Case> {
    vec![
        Case {
            endpoint: ("PUT", "/api/regions/{id}/counterpart"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/regions/{}/counterpart", scope.region),
                    Some(serde_json::json!({"primary": null, "from": "2027-04-01"})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/counterparts/regions/{id}"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/counterparts/regions/{}", scope.region),
                    vec![("from", "2027-04-01".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/counterparts/reassign/preview"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/counterparts/reassign/preview".into(),
                    vec![
                        ("effective", "2027-04-01".into()),
                        ("csv", "団体コード,担当者メール,主担当/副担当".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/counterparts/reassign/apply"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/counterparts/reassign/apply".into(),
                    vec![
                        ("effective", "2027-04-01".into()),
                        ("csv", "団体コード,担当者メール,主担当/副担当".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/counterparts/reassign_page"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::ServerFn(
                    "/api/counterparts/reassign_page".into(),
                    serde_json::json!({"effective": "", "csv": ""}),
                )
            },
        },
        Case {
            endpoint: ("POST", "/municipalities/{code}/contacts"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/municipalities/{}/contacts", scope.municipality),
                    vec![("kind", "visit".into()), ("date", "2026-10-03".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/municipalities/{code}/contacts"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    format!("/api/municipalities/{}/contacts", scope.municipality),
                    Some(serde_json::json!({"kind": "phone", "date": "2026-10-02"})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/follow-ups/{id}"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Form(
                    format!("/follow-ups/{}", scope.follow_up),
                    vec![("done", "yes".into())],
                )
            },
        },
        Case {
            endpoint: ("PATCH", "/api/follow-ups/{id}"),
            allowed: PREFECTURE,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PATCH",
                    format!("/api/follow-ups/{}", scope.follow_up),
                    Some(serde_json::json!({"done": true})),
                )
            },
        },
        Case {
            endpoint: ("PUT", "/api/municipalities/{code}/counterparts"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PUT",
                    format!("/api/municipalities/{}/counterparts", scope.municipality),
                    Some(
                        serde_json::json!({"primary": "nara-staff@renkei.example", "from": "2027-04-01"}),
                    ),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/counterparts/reassign"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/counterparts/reassign".into(),
                    Some(
                        serde_json::json!({"effective": "2027-04-01", "changes": [], "dry_run": true}),
                    ),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/counterparts/reassign.csv"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/counterparts/reassign.csv?effective=2027-04-01".into(),
                    Some(serde_json::json!("団体コード,担当者メール,主担当/副担当")),
                )
            },
        },
    ]
}

fn dispatch_cases() -> Vec<Case> {
    const TOWN: &[Role] = &[Role::MuniStaff];
    const ADVISOR: &[Role] = &[Role::Advisor];
    let mut cases = vec![
        Case {
            endpoint: ("POST", "/api/programmes"),
            allowed: ADMIN,
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/programmes".into(),
                    Some(serde_json::json!({"name": "行列試験の制度", "rules": []})),
                )
            },
        },
        Case {
            endpoint: ("PATCH", "/api/programmes/{id}"),
            allowed: ADMIN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "PATCH",
                    format!("/api/programmes/{}", scope.programme),
                    Some(serde_json::json!({"active": true})),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/dispatches"),
            allowed: TOWN,
            has_other: true,
            build: |scope, _| {
                Send::Json(
                    "POST",
                    "/api/dispatches".into(),
                    Some(
                        serde_json::json!({"municipality": scope.municipality, "programme": scope.programme,
                        "advice_type": "issue", "mode": "online", "need": "行列試験", "hours": 2}),
                    ),
                )
            },
        },
    ];
    let steps: [(&'static str, &'static [Role], Build); 8] = [
        ("/api/dispatches/{id}/propose", PREFECTURE, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/propose", s.dispatch),
                Some(serde_json::json!({"advisor": 1})),
            )
        }),
        ("/api/dispatches/{id}/approve", PREFECTURE, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/approve", s.dispatch),
                Some(
                    serde_json::json!({"starts_at": "2027-01-20T10:00", "ends_at": "2027-01-20T12:00", "place": "役場"}),
                ),
            )
        }),
        ("/api/dispatches/{id}/reject", PREFECTURE, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/reject", s.dispatch),
                Some(serde_json::json!({"reason": "行列試験"})),
            )
        }),
        ("/api/dispatches/{id}/accept", ADVISOR, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/accept", s.dispatch),
                None,
            )
        }),
        ("/api/dispatches/{id}/decline", ADVISOR, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/decline", s.dispatch),
                None,
            )
        }),
        ("/api/dispatches/{id}/report", ADVISOR, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/report", s.dispatch),
                Some(serde_json::json!({"hours": 2, "summary": "行列試験"})),
            )
        }),
        ("/api/dispatches/{id}/withdraw", TOWN, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/withdraw", s.dispatch),
                None,
            )
        }),
        ("/api/dispatches/{id}/confirm", TOWN, |s, _| {
            Send::Json(
                "POST",
                format!("/api/dispatches/{}/confirm", s.dispatch),
                None,
            )
        }),
    ];
    // The same steps as the buttons and forms of a request's page.
    let forms: [(&'static str, &'static [Role], Build); 9] = [
        ("/dispatches/{id}/propose", PREFECTURE, |s, _| {
            Send::Form(
                format!("/dispatches/{}/propose", s.dispatch),
                vec![("advisor", "1".into())],
            )
        }),
        ("/dispatches/{id}/approve", PREFECTURE, |s, _| {
            Send::Form(
                format!("/dispatches/{}/approve", s.dispatch),
                vec![
                    ("starts_at", "2027-01-20T10:00".into()),
                    ("ends_at", "2027-01-20T12:00".into()),
                    ("place", "役場".into()),
                ],
            )
        }),
        ("/dispatches/{id}/reject", PREFECTURE, |s, _| {
            Send::Form(
                format!("/dispatches/{}/reject", s.dispatch),
                vec![("reason", "行列試験".into())],
            )
        }),
        ("/dispatches/{id}/accept", ADVISOR, |s, _| {
            Send::Form(format!("/dispatches/{}/accept", s.dispatch), vec![])
        }),
        ("/dispatches/{id}/decline", ADVISOR, |s, _| {
            Send::Form(format!("/dispatches/{}/decline", s.dispatch), vec![])
        }),
        ("/dispatches/{id}/report", ADVISOR, |s, _| {
            Send::Form(
                format!("/dispatches/{}/report", s.dispatch),
                vec![("hours", "2".into()), ("summary", "行列試験".into())],
            )
        }),
        ("/dispatches/{id}/withdraw", TOWN, |s, _| {
            Send::Form(format!("/dispatches/{}/withdraw", s.dispatch), vec![])
        }),
        ("/dispatches/{id}/confirm", TOWN, |s, _| {
            Send::Form(format!("/dispatches/{}/confirm", s.dispatch), vec![])
        }),
        ("/dispatches/new", TOWN, |s, _| {
            Send::Form(
                "/dispatches/new".into(),
                vec![
                    ("programme", s.programme.to_string()),
                    ("advice_type", "issue".into()),
                    ("mode", "online".into()),
                    ("need", "行列試験".into()),
                    ("hours", "2".into()),
                ],
            )
        }),
    ];
    for (path, allowed, build) in steps.into_iter().chain(forms) {
        cases.push(Case {
            endpoint: ("POST", path),
            allowed,
            // A town files for itself only: the form names no town.
            has_other: path != "/dispatches/new",
            build,
        });
    }
    cases.push(Case {
        endpoint: ("POST", "/dispatches/programmes"),
        allowed: ADMIN,
        has_other: false,
        build: |_, _| {
            Send::Form(
                "/dispatches/programmes".into(),
                vec![
                    ("name", "行列試験の制度".into()),
                    ("max_dispatches", "3".into()),
                ],
            )
        },
    });
    cases.push(Case {
        endpoint: ("POST", "/dispatches/programmes/{id}"),
        allowed: ADMIN,
        has_other: true,
        build: |s, _| {
            Send::Form(
                format!("/dispatches/programmes/{}", s.programme),
                vec![("name", "行列試験の制度".into()), ("active", "on".into())],
            )
        },
    });
    cases
}

fn training_cases() -> Vec<Case> {
    vec![
        training_case("POST", "/api/trainings/{id}/open", "open"),
        training_case("POST", "/api/trainings/{id}/close", "close"),
        training_case("POST", "/api/trainings/{id}/hold", "hold"),
        training_case("POST", "/api/trainings/{id}/confirm", "confirm"),
        training_case("PUT", "/api/trainings/{id}/billing", "billing"),
        training_case(
            "PUT",
            "/api/trainings/{id}/sessions/{session}/attendance",
            "attendance",
        ),
        Case {
            endpoint: ("POST", "/api/trainings"),
            allowed: LOCAL,
            // The course is always for the caller's own prefecture; another
            // town as organiser is the "other" scope of municipal staff.
            has_other: false,
            build: |_, _| {
                Send::Json(
                    "POST",
                    "/api/trainings".into(),
                    Some(serde_json::json!({
                        "title": "政策立案研修",
                        "capacity": 5,
                        "sessions": [{"starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T12:00", "online": true}],
                    })),
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/trainings/{id}/enrolments"),
            allowed: &[Role::MuniStaff],
            has_other: true,
            build: |s, _| {
                Send::Json(
                    "POST",
                    format!("/api/trainings/{}/enrolments", s.enrolment.0),
                    Some(serde_json::json!({
                        "municipality": s.municipality,
                        "staff": [{"name": "追加 受講者"}],
                    })),
                )
            },
        },
        training_form_case("/trainings/{id}/status", "status"),
        training_form_case("/trainings/{id}/edit", "edit"),
        Case {
            endpoint: ("POST", "/api/trainings/edit_form"),
            allowed: LOCAL,
            has_other: true,
            build: |s, _| {
                Send::ServerFn(
                    "/api/trainings/edit_form".into(),
                    serde_json::json!({"id": s.training}),
                )
            },
        },
        training_form_case("/trainings/{id}/confirm", "confirm"),
        training_form_case("/trainings/{id}/billing", "billing"),
        training_form_case(
            "/trainings/{id}/sessions/{session}/attendance",
            "attendance",
        ),
        Case {
            endpoint: ("POST", "/trainings/new"),
            allowed: LOCAL,
            has_other: false,
            build: |_, _| {
                Send::Form(
                    "/trainings/new".into(),
                    vec![
                        ("title", "フォームから登録する研修".into()),
                        ("capacity", "5".into()),
                        ("sessions[0].starts_at", "2027-03-01T10:00".into()),
                        ("sessions[0].ends_at", "2027-03-01T12:00".into()),
                        ("sessions[0].online", "on".into()),
                    ],
                )
            },
        },
        Case {
            endpoint: ("POST", "/api/trainings/form"),
            allowed: LOCAL,
            has_other: false,
            build: |_, _| Send::ServerFn("/api/trainings/form".into(), serde_json::json!({})),
        },
        Case {
            endpoint: ("POST", "/trainings/{id}/enrolments"),
            allowed: &[Role::MuniStaff],
            // The form always enrols the caller's own town's staff.
            has_other: false,
            build: |s, _| {
                Send::Form(
                    format!("/trainings/{}/enrolments", s.enrolment.0),
                    vec![("staff[0].name", "フォーム 受講者".into())],
                )
            },
        },
        Case {
            endpoint: ("POST", "/trainings/{id}/enrolments/{enrolment}/cancel"),
            allowed: LOCAL,
            has_other: true,
            build: |s, _| {
                Send::Form(
                    format!(
                        "/trainings/{}/enrolments/{}/cancel",
                        s.enrolment.0, s.enrolment.1
                    ),
                    vec![],
                )
            },
        },
        Case {
            endpoint: ("DELETE", "/api/trainings/{id}/enrolments/{enrolment}"),
            allowed: LOCAL,
            has_other: true,
            build: |s, _| {
                Send::Json(
                    "DELETE",
                    format!(
                        "/api/trainings/{}/enrolments/{}",
                        s.enrolment.0, s.enrolment.1
                    ),
                    None,
                )
            },
        },
    ]
}

#[test]
fn every_policy_guarded_endpoint_has_a_matrix_case() {
    let covered: HashSet<(&str, &str)> = cases().iter().map(|c| c.endpoint).collect();
    for endpoint in endpoints() {
        if let Rule::Policy(_) = endpoint.rule {
            assert!(
                covered.contains(&(endpoint.method, endpoint.path)),
                "{} {} is guarded by the policy but has no case in the matrix",
                endpoint.method,
                endpoint.path
            );
        }
    }
}

#[test]
fn every_server_function_is_registered_with_a_rule() {
    let registered: HashSet<(&str, &str)> =
        endpoints().iter().map(|e| (e.method, e.path)).collect();
    let mut seen = 0;
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        seen += 1;
        if method != axum::http::Method::GET {
            assert!(
                registered.contains(&(method.as_str(), path)),
                "server function {method} {path} has no entry in routes::endpoints()"
            );
        }
    }
    assert!(
        seen >= 10,
        "server functions are linked into the test ({seen})"
    );
}

async fn send(app: &TestApp, client: &reqwest::Client, token: &str, request: &Send) -> Verdict {
    match request {
        Send::Json(method, path, body) => {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("request");
            let mut builder = client.request(method, app.url(path));
            if let Some(body) = body {
                builder = builder.json(body);
            }
            match builder.send().await.expect("request").status().as_u16() {
                401 => Verdict::Unauthenticated,
                403 => Verdict::Forbidden,
                _ => Verdict::Allowed,
            }
        }
        Send::ServerFn(path, body) => {
            let response = client
                .post(app.url(path))
                .json(body)
                .send()
                .await
                .expect("request");
            if response.status().is_success() {
                return Verdict::Allowed;
            }
            let text = response.text().await.expect("request");
            match serde_json::from_str::<AppError>(&text) {
                Ok(AppError::Unauthenticated) => Verdict::Unauthenticated,
                Ok(AppError::Forbidden) => Verdict::Forbidden,
                Ok(_) => Verdict::Allowed,
                Err(error) => panic!("{path}: unreadable error {text}: {error}"),
            }
        }
        Send::Form(path, fields) => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (location, response) = app.submit(client, token, path, &fields).await;
            if location.starts_with("/login") {
                return Verdict::Unauthenticated;
            }
            match app.flash(&response).await {
                Some(flash) if flash.message == AppError::Forbidden.to_string() => {
                    Verdict::Forbidden
                }
                _ => Verdict::Allowed,
            }
        }
    }
}

#[tokio::test]
async fn every_role_reaches_its_own_scope_only_as_the_policy_says() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        renkei::demo::create_demo_advisors(&app.db)
            .await
            .expect("demo advisors");
        // A term of 奈良県's own (shared terms are not the 県管理者's to change).
        {
            use sea_orm::{ActiveValue::Set, EntityTrait};
            app::entities::taxonomy_term::Entity::insert(
                app::entities::taxonomy_term::ActiveModel {
                    kind: Set("specialty".into()),
                    code: Set("nara_own".into()),
                    label: Set("奈良県独自の分野".into()),
                    sort_order: Set(99),
                    active: Set(true),
                    prefecture_code: Set(Some("290009".into())),
                },
            )
            .exec_without_returning(&app.db)
            .await
            .expect("own term");
        }
        let nara_account = app.account_id("naracity@renkei.example").await;
        let kochi_account = app.account_id("kochicity@renkei.example").await;
        let mut callers: Vec<(Option<Role>, reqwest::Client)> = vec![(None, app.browser())];
        for (role, email) in [
            (Role::PrefAdmin, "nara-admin@renkei.example"),
            (Role::PrefStaff, "nara-staff@renkei.example"),
            (Role::MuniStaff, "miyake@renkei.example"),
            (Role::Advisor, "advisor1@renkei.example"),
        ] {
            callers.push((Some(role), app.signed_in(email).await));
        }
        let courses = Courses::create(&app).await;
        let requests = Requests::create(&app).await;
        let follow_ups = (
            follow_up(&app, "nara-staff@renkei.example", "292010").await,
            follow_up(&app, "kochi-admin@renkei.example", "392014").await,
        );
        let regions = (region(&app, "290009").await, region(&app, "390003").await);
        let channels = Channels::create(&app).await;
        let notices = (
            notice(&app, "nara-staff@renkei.example", "293628").await,
            notice(&app, "nara-staff@renkei.example", "292010").await,
            notice(&app, "kochi-admin@renkei.example", "392014").await,
        );
        let surveys = surveys::surveys(&app).await;
        let webhooks = (
            surveys::webhook(&app, "290009").await,
            surveys::webhook(&app, "390003").await,
        );
        let mut checked = 0;
        for (role, client) in &callers {
            let token = app.form_token(client, "/login").await;
            let scope_role = role.unwrap_or(Role::PrefAdmin);
            let own = Scope {
                municipality: if scope_role == Role::MuniStaff {
                    "293628"
                } else {
                    "292010"
                },
                account: nara_account,
                prefecture: "290009",
                // advisor1's own profile, in 奈良県's bank.
                advisor: 1,
                training: if scope_role == Role::MuniStaff {
                    courses.miyake
                } else {
                    courses.nara
                },
                enrolment: if scope_role == Role::MuniStaff {
                    (courses.nara, courses.miyake_trainee)
                } else {
                    (courses.nara, courses.nara_city_trainee)
                },
                dispatch: requests.miyake,
                programme: requests.nara_programme,
                follow_up: follow_ups.0,
                region: regions.0,
                channel: channels.nara,
                post: channels.nara_post,
                notice: notices.0,
                survey: surveys.0,
                webhook: webhooks.0,
            };
            let other = Scope {
                // For municipal staff the subtle case: another town of the same prefecture.
                municipality: if scope_role == Role::MuniStaff {
                    "292010"
                } else {
                    "392014"
                },
                account: kochi_account,
                prefecture: "390003",
                // The first profile of 高知県's bank.
                advisor: 101,
                training: if scope_role == Role::MuniStaff {
                    courses.nara_city
                } else {
                    courses.kochi
                },
                enrolment: if scope_role == Role::MuniStaff {
                    (courses.nara, courses.nara_city_trainee)
                } else {
                    (courses.kochi, courses.kochi_city_trainee)
                },
                dispatch: if scope_role == Role::MuniStaff {
                    requests.nara_city
                } else {
                    requests.kochi_city
                },
                programme: requests.kochi_programme,
                follow_up: follow_ups.1,
                region: regions.1,
                channel: if scope_role == Role::MuniStaff {
                    channels.nara_members
                } else {
                    channels.kochi
                },
                post: channels.kochi_post,
                notice: if scope_role == Role::MuniStaff {
                    notices.1
                } else {
                    notices.2
                },
                survey: if scope_role == Role::MuniStaff {
                    surveys.1
                } else {
                    surveys.2
                },
                webhook: webhooks.1,
            };
            for case in cases() {
                let scopes: &[(&str, &Scope)] = if case.has_other {
                    &[("own", &own), ("other", &other)]
                } else {
                    &[("own", &own)]
                };
                for (label, scope) in scopes {
                    let request = (case.build)(scope, scope_role);
                    let verdict = send(&app, client, &token, &request).await;
                    let expected = match role {
                        None => Verdict::Unauthenticated,
                        Some(role) if *label == "own" && case.allowed.contains(role) => {
                            Verdict::Allowed
                        }
                        Some(_) => Verdict::Forbidden,
                    };
                    assert_eq!(
                        verdict, expected,
                        "{backend:?} {role:?} {} {} ({label} scope)",
                        case.endpoint.0, case.endpoint.1
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 100, "{checked} combinations");
    }
}
