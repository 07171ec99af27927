//! Signing in and out, sessions, CSRF, throttling, deactivation, the audit log and
//! the security headers, over real HTTP on SQLite and PostgreSQL.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::helpers::{PASSWORD, TestApp, backends, set_cookie};

#[tokio::test]
async fn signing_in_sets_an_http_only_session_cookie_and_me_describes_the_user() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        let response = app
            .sign_in_with(&client, "Miyake@Renkei.Example", PASSWORD)
            .await;
        assert_eq!(response.status(), 200, "{backend:?}");
        let cookie = set_cookie(&response, "renkei_session").expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");

        let me: serde_json::Value = client
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        insta::allow_duplicates! {
            insta::assert_json_snapshot!(me, @r#"
            {
              "display_name": "三宅 町子",
              "email": "miyake@renkei.example",
              "municipality": "293628",
              "prefecture": "290009",
              "role": "muni_staff"
            }
            "#)
        }
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401_message() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        let wrong = app
            .sign_in_with(&client, "miyake@renkei.example", "not-the-password")
            .await;
        assert_eq!(wrong.status(), 401);
        assert!(set_cookie(&wrong, "renkei_session").is_none());
        let wrong: serde_json::Value = wrong.json().await.unwrap();
        let unknown = app
            .sign_in_with(&client, "nobody@renkei.example", "not-the-password")
            .await;
        assert_eq!(unknown.status(), 401);
        let unknown: serde_json::Value = unknown.json().await.unwrap();
        assert_eq!(wrong, unknown, "{backend:?}");
        insta::allow_duplicates! {
            insta::assert_json_snapshot!(wrong, @r#"
            {
              "error": {
                "code": "invalid_credentials",
                "message": "メールアドレスまたはパスワードが正しくありません。"
              }
            }
            "#)
        }
        let me = client.get(app.url("/api/me")).send().await.unwrap();
        assert_eq!(me.status(), 401);
    }
}

#[tokio::test]
async fn a_cross_site_form_post_is_rejected_and_a_same_site_one_with_its_token_signs_in() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        let token = app.form_token(&client, "/login").await;
        let fields = [
            ("csrf_token", token.as_str()),
            ("email", "miyake@renkei.example"),
            ("password", PASSWORD),
            ("next", "/"),
        ];

        let cross_site = client
            .post(app.url("/login"))
            .header("origin", "https://evil.example")
            .header("accept", "text/html")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), 403, "{backend:?}");
        assert!(set_cookie(&cross_site, "renkei_session").is_none());
        assert!(
            cross_site
                .text()
                .await
                .unwrap()
                .contains("別のサイトからの送信")
        );

        // A forged form from a page that cannot read our cookie has no valid token.
        let forged = app.browser();
        let without_token = forged
            .post(app.url("/login"))
            .form(&fields[1..])
            .send()
            .await
            .unwrap();
        assert_eq!(without_token.status(), 403);
        let wrong_token = client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", "0".repeat(64).as_str()),
                ("email", "miyake@renkei.example"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong_token.status(), 403);

        let same_site = client
            .post(app.url("/login"))
            .header("origin", app.address.as_str())
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(same_site.status(), 303);
        assert!(set_cookie(&same_site, "renkei_session").is_some());
        let me = client.get(app.url("/api/me")).send().await.unwrap();
        assert_eq!(me.status(), 200);
    }
}

#[tokio::test]
async fn a_brute_force_run_on_one_account_is_throttled_even_with_the_right_password() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        for attempt in 1..=5 {
            let response = app
                .sign_in_with(
                    &client,
                    "naracity@renkei.example",
                    &format!("guess-{attempt}"),
                )
                .await;
            assert_eq!(response.status(), 401, "attempt {attempt}");
        }
        let throttled = app
            .sign_in_with(&client, "naracity@renkei.example", PASSWORD)
            .await;
        assert_eq!(throttled.status(), 429, "{backend:?}");
        let retry_after: u64 = throttled.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=30).contains(&retry_after), "{retry_after}");
        let body: serde_json::Value = throttled.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("一時的にログインを制限"),
            "{body}"
        );
        // The same happens for an email that does not exist: no hint either way.
        for attempt in 1..=5 {
            app.sign_in_with(&client, "ghost@renkei.example", &format!("guess-{attempt}"))
                .await;
        }
        let ghost = app
            .sign_in_with(&client, "ghost@renkei.example", "guess-6")
            .await;
        assert_eq!(ghost.status(), 429);

        // Another account from the same address is not locked out.
        let other = app
            .sign_in_with(&client, "miyake@renkei.example", PASSWORD)
            .await;
        assert_eq!(other.status(), 200);
    }
}

#[tokio::test]
async fn failures_from_one_address_across_many_accounts_are_throttled() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let client = app.browser();
    for n in 0..20 {
        let response = app
            .sign_in_with(
                &client,
                &format!("user{n}@renkei.example"),
                "wrong-password",
            )
            .await;
        assert_eq!(response.status(), 401, "attempt {n}");
    }
    let response = app
        .sign_in_with(&client, "miyake@renkei.example", PASSWORD)
        .await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn a_signed_out_session_is_refused_when_replayed() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        let response = app
            .sign_in_with(&client, "miyake@renkei.example", PASSWORD)
            .await;
        let cookie = set_cookie(&response, "renkei_session").unwrap();
        let pair = cookie.split(';').next().unwrap().to_owned();

        let out = client.delete(app.url("/api/session")).send().await.unwrap();
        assert_eq!(out.status(), 204, "{backend:?}");
        let replay = app
            .client
            .get(app.url("/api/me"))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 401, "{backend:?}");
        assert!(
            set_cookie(&replay, "renkei_session")
                .unwrap()
                .contains("Max-Age=0"),
            "the dead cookie is cleared"
        );
    }
}

#[tokio::test]
async fn an_administrator_revoking_sessions_signs_the_user_out_everywhere() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let laptop = app.signed_in("naracity@renkei.example").await;
        let phone = app.signed_in("naracity@renkei.example").await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let id = app.account_id("naracity@renkei.example").await;
        let response = admin
            .post(app.url(&format!("/api/accounts/{id}/revoke-sessions")))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["sessions_ended"], 2);
        for client in [laptop, phone] {
            let me = client.get(app.url("/api/me")).send().await.unwrap();
            assert_eq!(me.status(), 401);
        }
    }
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_and_cannot_sign_in_again() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let user = app.signed_in("naracity@renkei.example").await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let id = app.account_id("naracity@renkei.example").await;
        let response = admin
            .patch(app.url(&format!("/api/accounts/{id}")))
            .json(&serde_json::json!({ "active": false }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["active"], false);

        let me = user.get(app.url("/api/me")).send().await.unwrap();
        assert_eq!(me.status(), 401, "the live session ended");
        let again = app
            .sign_in_with(&app.browser(), "naracity@renkei.example", PASSWORD)
            .await;
        // The right password on a deactivated account gets the same answer as a
        // wrong one: the answer never tells whether the password was right.
        assert_eq!(again.status(), 401);
        assert!(set_cookie(&again, "renkei_session").is_none());
        let right: serde_json::Value = again.json().await.unwrap();
        let guess = app
            .sign_in_with(&app.browser(), "naracity@renkei.example", "wrong-password")
            .await;
        assert_eq!(guess.status(), 401);
        let wrong: serde_json::Value = guess.json().await.unwrap();
        assert_eq!(right, wrong);

        let back = admin
            .patch(app.url(&format!("/api/accounts/{id}")))
            .json(&serde_json::json!({ "active": true }))
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), 200);
        let again = app
            .sign_in_with(&app.browser(), "naracity@renkei.example", PASSWORD)
            .await;
        assert_eq!(again.status(), 200);
    }
}

#[tokio::test]
async fn an_administrator_cannot_deactivate_their_own_account() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let id = app.account_id("nara-admin@renkei.example").await;
    let response = admin
        .patch(app.url(&format!("/api/accounts/{id}")))
        .json(&serde_json::json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    insta::assert_json_snapshot!(body, @r#"
    {
      "error": {
        "code": "invalid_input",
        "field": "active",
        "message": "自分自身のアカウントは停止できません。"
      }
    }
    "#);
}

#[tokio::test]
async fn signing_in_again_replaces_the_session_id() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        let first = app
            .sign_in_with(&client, "miyake@renkei.example", PASSWORD)
            .await;
        let first = set_cookie(&first, "renkei_session").unwrap();
        let second = app
            .sign_in_with(&client, "miyake@renkei.example", PASSWORD)
            .await;
        let second = set_cookie(&second, "renkei_session").unwrap();
        assert_ne!(first, second, "{backend:?}");
        let old = app
            .client
            .get(app.url("/api/me"))
            .header("cookie", first.split(';').next().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(old.status(), 401, "the session before sign-in ended");
    }
}

#[tokio::test]
async fn an_idle_session_sends_the_browser_to_sign_in_and_then_back_to_the_page() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.signed_in("miyake@renkei.example").await;
        let two_hours_ago = chrono::Utc::now().fixed_offset() - chrono::Duration::hours(2);
        app::entities::user_session::Entity::update_many()
            .col_expr(
                app::entities::user_session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(two_hours_ago),
            )
            .exec(&app.db)
            .await
            .unwrap();

        let page = client
            .get(app.url("/municipalities/293628"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 303, "{backend:?}");
        assert_eq!(
            page.headers()["location"],
            "/login?next=/municipalities/293628&expired=1"
        );

        let token = app
            .form_token(&client, "/login?next=/municipalities/293628&expired=1")
            .await;
        let login = client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", "miyake@renkei.example"),
                ("password", PASSWORD),
                ("next", "/municipalities/293628"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 303);
        assert_eq!(login.headers()["location"], "/municipalities/293628");
        let page = client
            .get(app.url("/municipalities/293628"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("三宅町のホーム"));
    }
}

#[tokio::test]
async fn a_failed_form_sign_in_shows_the_message_and_keeps_the_email_typed() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let client = app.browser();
    let token = app.form_token(&client, "/login").await;
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "miyake@renkei.example"),
            ("password", "wrong-password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login");
    let html = client
        .get(app.url("/login"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let alert = crate::helpers::texts(&doc, "[role=alert]");
    assert_eq!(
        alert,
        ["メールアドレスまたはパスワードが正しくありません。"]
    );
    let email = scraper::Selector::parse("input[name=email]").unwrap();
    let input = doc.select(&email).next().unwrap();
    assert_eq!(input.value().attr("value"), Some("miyake@renkei.example"));
    assert_eq!(input.value().attr("aria-invalid"), Some("true"));
    // Shown once: the next load has no message.
    let (_, again) = app.get_html("/login").await;
    assert!(crate::helpers::texts(&again, "[role=alert]").is_empty());
}

#[tokio::test]
async fn the_audit_log_records_sign_ins_and_cannot_be_changed() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let client = app.browser();
        app.sign_in_with(&client, "miyake@renkei.example", "wrong-password")
            .await;
        app.signed_in("miyake@renkei.example").await;
        let admin = app.signed_in("nara-admin@renkei.example").await;

        let page: serde_json::Value = admin
            .get(app.url("/api/audit?actor=miyake"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let actions: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["login", "login_failed"],
            "{backend:?}: newest first"
        );
        assert_eq!(page["items"][1]["detail"], r#"{"reason":"wrong_password"}"#);
        assert!(
            !page.to_string().contains("wrong-password"),
            "no password is logged"
        );

        let failed = admin
            .get(app.url("/api/audit?action=login_failed"))
            .send()
            .await
            .unwrap();
        let failed: serde_json::Value = failed.json().await.unwrap();
        assert_eq!(failed["total"], 1);

        // 高知県's administrator sees none of 奈良県's entries.
        let kochi = app.signed_in("kochi-admin@renkei.example").await;
        let theirs: serde_json::Value = kochi
            .get(app.url("/api/audit?actor=miyake"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(theirs["total"], 0);

        for sql in [
            "UPDATE audit_log SET action = 'nothing'",
            "DELETE FROM audit_log",
        ] {
            let result = app.db.execute_unprepared(sql).await;
            assert!(result.is_err(), "{backend:?}: {sql} must fail");
        }
    }
}

#[tokio::test]
async fn a_state_changing_request_to_an_endpoint_without_a_policy_entry_is_refused() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let response = admin
        .post(app.url("/api/cases"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_whose_nonce_is_on_the_hydration_script() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let response = app.get("/cases").await;
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    let scripts = scraper::Selector::parse("script").unwrap();
    let mut count = 0;
    for script in doc.select(&scripts) {
        assert_eq!(script.value().attr("nonce"), Some(nonce.as_str()));
        count += 1;
    }
    assert!(count > 0);
    let second = app.get("/cases").await;
    assert_ne!(
        second.headers()["content-security-policy"]
            .to_str()
            .unwrap(),
        policy,
        "a new nonce per response"
    );
    let api = app.get("/api/cases").await;
    assert!(
        api.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_and_the_new_one_works() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let here = app.signed_in("miyake@renkei.example").await;
        let elsewhere = app.signed_in("miyake@renkei.example").await;
        let short = here
            .put(app.url("/api/me/password"))
            .json(&serde_json::json!({ "current_password": PASSWORD, "new_password": "short" }))
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), 400);
        let body: serde_json::Value = short.json().await.unwrap();
        assert_eq!(body["error"]["field"], "password");
        let wrong = here
            .put(app.url("/api/me/password"))
            .json(&serde_json::json!({ "current_password": "nope-nope-nope", "new_password": "a-much-longer-pass" }))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 400);

        let changed = here
            .put(app.url("/api/me/password"))
            .json(&serde_json::json!({ "current_password": PASSWORD, "new_password": "a-much-longer-pass" }))
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 204, "{backend:?}");
        assert_eq!(
            here.get(app.url("/api/me")).send().await.unwrap().status(),
            200
        );
        assert_eq!(
            elsewhere
                .get(app.url("/api/me"))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        let old = app
            .sign_in_with(&app.browser(), "miyake@renkei.example", PASSWORD)
            .await;
        assert_eq!(old.status(), 401);
        let new = app
            .sign_in_with(
                &app.browser(),
                "miyake@renkei.example",
                "a-much-longer-pass",
            )
            .await;
        assert_eq!(new.status(), 200);
    }
}

#[tokio::test]
async fn an_administrator_creates_accounts_only_with_valid_fields() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let create =
            |body: serde_json::Value| admin.post(app.url("/api/accounts")).json(&body).send();
        let created = create(serde_json::json!({
            "email": "kashiba@renkei.example", "display_name": "香芝 太郎",
            "role": "muni_staff", "municipality": "292109", "password": "kashiba-pass-2026"
        }))
        .await
        .unwrap();
        assert_eq!(created.status(), 201, "{backend:?}");
        let body: serde_json::Value = created.json().await.unwrap();
        assert_eq!(body["municipality_name"], "香芝市");
        assert!(body.get("password_hash").is_none());

        let cases = [
            (
                serde_json::json!({"email": "kashiba@renkei.example", "display_name": "x", "role": "muni_staff", "municipality": "292109", "password": "kashiba-pass-2026"}),
                409,
                "email",
            ),
            (
                serde_json::json!({"email": "kochi2@renkei.example", "display_name": "x", "role": "muni_staff", "municipality": "392014", "password": "kashiba-pass-2026"}),
                400,
                "municipality",
            ),
            (
                serde_json::json!({"email": "nomuni@renkei.example", "display_name": "x", "role": "muni_staff", "password": "kashiba-pass-2026"}),
                400,
                "municipality",
            ),
            (
                serde_json::json!({"email": "not-an-email", "display_name": "x", "role": "pref_staff", "password": "kashiba-pass-2026"}),
                400,
                "email",
            ),
            (
                serde_json::json!({"email": "root@renkei.example", "display_name": "x", "role": "root", "password": "kashiba-pass-2026"}),
                400,
                "role",
            ),
            (
                serde_json::json!({"email": "short@renkei.example", "display_name": "x", "role": "pref_staff", "password": "short"}),
                400,
                "password",
            ),
        ];
        for (body, status, field) in cases {
            let response = create(body.clone()).await.unwrap();
            assert_eq!(response.status(), status, "{body}");
            let error: serde_json::Value = response.json().await.unwrap();
            assert_eq!(error["error"]["field"], field, "{body}");
        }
        let new_user = app
            .sign_in_with(
                &app.browser(),
                "kashiba@renkei.example",
                "kashiba-pass-2026",
            )
            .await;
        assert_eq!(new_user.status(), 200);
    }
}

#[tokio::test]
async fn the_new_account_form_chooses_no_role_until_the_administrator_does() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
    let html = admin
        .get(app.url("/admin/accounts/new"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let selected = scraper::Selector::parse("select[name=role] option[selected]").unwrap();
    let chosen: Vec<(&str, String)> = doc
        .select(&selected)
        .map(|o| {
            (
                o.value().attr("value").unwrap_or_default(),
                o.text().collect(),
            )
        })
        .collect();
    assert_eq!(chosen, [("", "選んでください".to_owned())], "{html}");

    // Sent without a choice, the form says what is missing.
    let token = app.form_token(&admin, "/admin/accounts/new").await;
    let response = admin
        .post(app.url("/admin/accounts"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "no-role@renkei.example"),
            ("display_name", "役割 未定"),
            ("role", ""),
            ("municipality", ""),
            ("password", "no-role-pass-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let flash = app.flash(&response).await.expect("flash");
    assert!(!flash.success);
    assert_eq!(flash.field.as_deref(), Some("role"));
}

#[tokio::test]
async fn the_account_form_keeps_what_was_typed_after_an_error() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
    let token = app.form_token(&admin, "/admin/accounts/new").await;
    let response = admin
        .post(app.url("/admin/accounts"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "miyake@renkei.example"),
            ("display_name", "重複 花子"),
            ("role", "muni_staff"),
            ("municipality", "293628"),
            ("password", "another-pass-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin/accounts/new");
    let flash = app.flash(&response).await.expect("flash");
    assert!(!flash.success);
    assert_eq!(flash.field.as_deref(), Some("email"));
    assert!(
        !flash.values.contains_key("password"),
        "passwords are never kept"
    );

    let page = admin
        .get(app.url("/admin/accounts/new"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "{:?}", page.headers());
    let html = page.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(
        crate::helpers::texts(&doc, "[role=alert]"),
        ["このメールアドレスは既に登録されています。"],
        "{html}"
    );
    let name = scraper::Selector::parse("input[name=display_name]").unwrap();
    assert_eq!(
        doc.select(&name).next().unwrap().value().attr("value"),
        Some("重複 花子")
    );
    let chosen = scraper::Selector::parse("select[name=municipality] option[selected]").unwrap();
    assert_eq!(
        doc.select(&chosen).next().unwrap().value().attr("value"),
        Some("293628")
    );
}

/// The page at `path` as `client` sees it: status and parsed document.
async fn page_of(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, scraper::Html) {
    let response = client
        .get(app.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    let status = response.status().as_u16();
    let html = response.text().await.expect("html");
    (status, scraper::Html::parse_document(&html))
}

#[tokio::test]
async fn the_account_filter_offers_the_prefectures_municipalities_by_name() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
    let (status, doc) = page_of(&app, &admin, "/admin/accounts?municipality=293628").await;
    assert_eq!(status, 200);
    let options = scraper::Selector::parse("select[name=municipality] option").unwrap();
    let names: Vec<(String, String, bool)> = doc
        .select(&options)
        .map(|o| {
            (
                o.value().attr("value").unwrap_or_default().to_owned(),
                o.text().collect(),
                o.value().attr("selected").is_some(),
            )
        })
        .collect();
    assert_eq!(names[0].1, "すべて");
    assert!(
        names.contains(&("293628".to_owned(), "三宅町".to_owned(), true)),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|(_, name, _)| name == "高知市"),
        "{names:?}"
    );
    let table = crate::helpers::texts(&doc, "table").join("");
    assert!(table.contains("miyake@renkei.example"), "{table}");
    assert!(!table.contains("naracity@renkei.example"), "{table}");
}

#[tokio::test]
async fn a_refused_account_list_shows_no_create_button_or_filters() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    // A town's staff list their own accounts, but create none.
    let town = app.signed_in_by_form("miyake@renkei.example").await;
    let (status, doc) = page_of(&app, &town, "/admin/accounts").await;
    assert_eq!(status, 200);
    let main = crate::helpers::texts(&doc, "main").join("");
    assert!(main.contains("miyake@renkei.example"), "{main}");
    assert!(!main.contains("アカウントを作成"), "{main}");
    let towns = scraper::Selector::parse("select[name=municipality]").unwrap();
    assert_eq!(doc.select(&towns).count(), 0, "their own town only");

    // The 県's staff may not list accounts at all.
    let staff = app.signed_in_by_form("nara-staff@renkei.example").await;
    let (status, doc) = page_of(&app, &staff, "/admin/accounts").await;
    assert_eq!(status, 403);
    let main = crate::helpers::texts(&doc, "main").join("");
    assert!(main.contains("権限"), "{main}");
    assert!(!main.contains("アカウントを作成"), "{main}");
    let form = scraper::Selector::parse("main form").unwrap();
    assert_eq!(doc.select(&form).count(), 0, "{main}");
}

#[tokio::test]
async fn stopping_an_account_from_its_page_needs_the_confirmation_tick() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
    let id = app.account_id("naracity@renkei.example").await;
    let page = format!("/admin/accounts/{id}");
    let (status, doc) = page_of(&app, &admin, &page).await;
    assert_eq!(status, 200);
    let required = scraper::Selector::parse(".danger-zone input[name=confirm][required]").unwrap();
    assert_eq!(
        doc.select(&required).count(),
        1,
        "the browser asks for the tick"
    );
    let danger = scraper::Selector::parse(".danger-zone button.button-danger").unwrap();
    assert_eq!(
        doc.select(&danger).count(),
        1,
        "the stop button is not the main style"
    );

    let action = format!("{page}/active");
    let token = app.form_token(&admin, &page).await;
    let (_, response) = app
        .submit(&admin, &token, &action, &[("active", "false")])
        .await;
    let flash = app.flash(&response).await.expect("flash");
    assert!(
        !flash.success && flash.message.contains("チェック"),
        "{flash:?}"
    );
    let (_, doc) = page_of(&app, &admin, &page).await;
    assert!(
        crate::helpers::texts(&doc, ".facts")
            .join("")
            .contains("利用中")
    );

    let token = app.form_token(&admin, &page).await;
    let (_, response) = app
        .submit(
            &admin,
            &token,
            &action,
            &[("active", "false"), ("confirm", "yes")],
        )
        .await;
    let flash = app.flash(&response).await.expect("flash");
    assert!(flash.success, "{flash:?}");
    let (_, doc) = page_of(&app, &admin, &page).await;
    assert!(
        crate::helpers::texts(&doc, ".facts")
            .join("")
            .contains("停止中")
    );
}

#[tokio::test]
async fn audit_entries_read_in_words_link_to_their_object_and_download_as_csv() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let client = app.browser();
    app.sign_in_with(&client, "miyake@renkei.example", "wrong-password")
        .await;
    let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
    let miyake = app.account_id("miyake@renkei.example").await;

    let (status, doc) = page_of(&app, &admin, "/admin/audit?action=login_failed").await;
    assert_eq!(status, 200);
    let row = crate::helpers::texts(&doc, "tbody tr").join("");
    assert!(row.contains("理由: パスワードの誤り"), "{row}");
    assert!(!row.contains('{'), "no raw JSON: {row}");
    let link = scraper::Selector::parse("tbody tr a").unwrap();
    let hrefs: Vec<_> = doc
        .select(&link)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, [format!("/admin/accounts/{miyake}")]);

    let csv = admin
        .get(app.url("/api/audit.csv?action=login_failed"))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for spreadsheets");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "日時,操作,操作した人,対象,内容,接続元");
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains("パスワードの誤り") && lines[1].contains("miyake@renkei.example"));

    // A town's staff may not download it.
    let town = app.signed_in("miyake@renkei.example").await;
    let refused = town
        .get(app.url("/api/audit.csv"))
        .send()
        .await
        .expect("csv");
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_by_a_temporary_one_that_must_be_changed_first() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let before = app.signed_in("miyake@renkei.example").await;
        let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
        let id = app.account_id("miyake@renkei.example").await;
        let page = format!("/admin/accounts/{id}");
        let action = format!("{page}/password");

        let token = app.form_token(&admin, &page).await;
        let (_, response) = app
            .submit(&admin, &token, &action, &[("temporary_password", "short")])
            .await;
        let flash = app.flash(&response).await.expect("flash");
        assert!(!flash.success, "{backend:?}: {flash:?}");
        assert_eq!(flash.field.as_deref(), Some("temporary_password"));

        let temporary = "kari-pass-2026-12";
        let token = app.form_token(&admin, &page).await;
        let (_, response) = app
            .submit(
                &admin,
                &token,
                &action,
                &[("temporary_password", temporary)],
            )
            .await;
        let flash = app.flash(&response).await.expect("flash");
        assert!(flash.success, "{backend:?}: {flash:?}");
        assert_eq!(
            before
                .get(app.url("/api/me"))
                .send()
                .await
                .unwrap()
                .status(),
            401,
            "{backend:?}: the sessions signed in before end"
        );

        // Signed in with it, the person can only replace it.
        let client = app.browser();
        let signed = app
            .sign_in_with(&client, "miyake@renkei.example", temporary)
            .await;
        assert!(signed.status().is_success(), "{backend:?}");
        let home = client
            .get(app.url("/"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(home.status(), 303, "{backend:?}");
        assert_eq!(home.headers()["location"], "/account/password");
        let (status, doc) = page_of(&app, &client, "/account/password").await;
        assert_eq!(status, 200);
        assert!(
            crate::helpers::texts(&doc, "[role=alert]")
                .join("")
                .contains("仮パスワード")
        );
        let cases = client.get(app.url("/api/cases")).send().await.unwrap();
        assert_eq!(cases.status(), 403, "{backend:?}");

        let changed = client
            .put(app.url("/api/me/password"))
            .json(&serde_json::json!({ "current_password": temporary, "new_password": "my-own-pass-2026" }))
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 204, "{backend:?}");
        let cases = client.get(app.url("/api/cases")).send().await.unwrap();
        assert_eq!(cases.status(), 200, "{backend:?}: the portal is open again");

        let audit: serde_json::Value = admin
            .get(app.url("/api/audit?action=password_reset"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(audit["total"], 1, "{backend:?}");
        assert_eq!(
            audit["items"][0]["actor_email"],
            "nara-admin@renkei.example"
        );
        assert!(
            !audit.to_string().contains(temporary),
            "no password in the log"
        );
    }
}

#[tokio::test]
async fn every_wrong_field_of_the_account_form_is_reported_at_once() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in_by_form("nara-admin@renkei.example").await;
    let token = app.form_token(&admin, "/admin/accounts/new").await;
    let (_, response) = app
        .submit(
            &admin,
            &token,
            "/admin/accounts",
            &[
                ("email", "not-an-address"),
                ("display_name", ""),
                ("role", ""),
                ("municipality", ""),
                ("password", "short"),
            ],
        )
        .await;
    let flash = app.flash(&response).await.expect("flash");
    let fields: Vec<&str> = flash.errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["email", "display_name", "role", "password"],
        "{flash:?}"
    );

    let (_, doc) = page_of(&app, &admin, "/admin/accounts/new").await;
    let messages = crate::helpers::texts(&doc, "#flash-message li");
    assert_eq!(messages.len(), 4, "{messages:?}");
    let invalid = scraper::Selector::parse("main [aria-invalid=true]").unwrap();
    let names: Vec<&str> = doc
        .select(&invalid)
        .filter_map(|e| e.value().attr("name"))
        .collect();
    assert_eq!(names, ["email", "display_name", "role", "password"]);

    // The JSON API names them all too, the first as `field`.
    let response = admin
        .post(app.url("/api/accounts"))
        .json(&serde_json::json!({"email": "x", "display_name": "", "role": "muni_staff", "password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "email");
    let named: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(named, ["email", "display_name", "municipality", "password"]);
}
