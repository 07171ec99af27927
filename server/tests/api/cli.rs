//! The `renkei` binary, run as an operator would: only `RENKEI_*` in its environment.

use std::path::Path;
use std::process::{Command, Output};

use crate::helpers::{TestApp, TestDb, backends, reference_file, seed_reference_data};

fn renkei(db: &TestDb, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_renkei"));
    command
        .args(args)
        .current_dir(db.dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RENKEI_DATABASE_URL", &db.url)
        .env("RENKEI_DATA_DIR", db.dir.path());
    for (key, value) in extra_env {
        command.env(key, value);
    }
    command.output().expect("run renkei")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The case records shipped with the product, to edit in a test.
fn shipped_cases() -> Vec<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(reference_file("cases.json")).expect("read cases"))
        .expect("cases JSON")
}

/// Writes case records to `name` in `dir`, returning the path.
fn write_cases(dir: &Path, name: &str, cases: &[serde_json::Value]) -> String {
    write(
        dir,
        name,
        &serde_json::to_string(cases).expect("serialise cases"),
    )
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write file");
    path.display().to_string()
}

#[tokio::test]
async fn seeding_twice_changes_nothing_the_second_time() {
    for backend in backends() {
        let db = TestDb::create(backend).await;
        let first = renkei(&db, &["seed"], &[]);
        assert!(first.status.success(), "{backend:?}: {}", stderr(&first));
        assert!(
            stdout(&first).contains("団体コード: 追加 1788 件"),
            "{}",
            stdout(&first)
        );
        assert!(
            stdout(&first).contains("事例: 追加 39 件"),
            "{}",
            stdout(&first)
        );
        let second = renkei(&db, &["seed"], &[]);
        assert!(second.status.success());
        assert!(
            stdout(&second).contains("団体コード: 追加 0 件、更新 0 件、変更なし 1788 件"),
            "{}",
            stdout(&second)
        );
        assert!(stdout(&second).contains("事例: 追加 0 件、更新 0 件、変更なし 39 件"));
    }
}

#[tokio::test]
async fn a_case_file_with_one_broken_record_changes_nothing_and_names_the_record() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (_, before) = app.get_json("/api/cases/niigata-pref-joint-training").await;

        let mut cases = shipped_cases();
        // The first record would be an update; the fifth is broken.
        cases[0]["title"] = "書き換えられたタイトル".into();
        cases[4]["org_kind"] = "castle".into();
        let broken_slug = cases[4]["slug"].as_str().unwrap().to_owned();
        let file = write_cases(app.test_db.dir.path(), "broken.json", &cases);

        let output = renkei(&app.test_db, &["import", "cases", &file], &[]);
        assert!(!output.status.success(), "{backend:?}");
        let message = stderr(&output);
        assert!(message.contains("5 件目"), "{message}");
        assert!(message.contains(&broken_slug), "{message}");
        assert!(
            message.contains("データベースは変更していません"),
            "{message}"
        );

        let (_, first_case) = app
            .get_json(&format!(
                "/api/cases/{}",
                cases[0]["slug"].as_str().unwrap()
            ))
            .await;
        assert_ne!(first_case["title"], "書き換えられたタイトル", "{backend:?}");
        let (_, after) = app.get_json("/api/cases/niigata-pref-joint-training").await;
        assert_eq!(before, after);
    }
}

#[tokio::test]
async fn a_case_whose_prefecture_is_unknown_rolls_back_the_whole_import() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut cases = shipped_cases();
        cases[0]["title"] = "書き換えられたタイトル".into();
        cases.push(serde_json::json!({
            "slug": "new-case", "organisation": "どこか市", "prefecture": "東京府", "org_kind": "city",
            "staff_count": 100, "section": "人材育成", "subsection": null, "title": "新しい事例",
            "summary": "概要", "points": [], "effects": [], "contact": null,
            "source_file": "x.txt", "source_title": "資料", "page": 1, "page_note": null
        }));
        let file = write_cases(app.test_db.dir.path(), "cases.json", &cases);
        let output = renkei(&app.test_db, &["import", "cases", &file], &[]);
        assert!(!output.status.success(), "{backend:?}");
        assert!(stderr(&output).contains("東京府"), "{}", stderr(&output));
        assert!(stderr(&output).contains("40 件目"), "{}", stderr(&output));

        let (_, first_case) = app
            .get_json(&format!(
                "/api/cases/{}",
                cases[0]["slug"].as_str().unwrap()
            ))
            .await;
        assert_ne!(
            first_case["title"], "書き換えられたタイトル",
            "written before the failure: {backend:?}"
        );
        let (status, _) = app.get_json("/api/cases/new-case").await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn an_edited_case_is_updated_in_place_and_keeps_its_slug() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut cases = shipped_cases();
        let slug = cases[10]["slug"].as_str().unwrap().to_owned();
        cases[10]["title"] = "改訂後のタイトル".into();
        let file = write_cases(app.test_db.dir.path(), "cases.json", &cases);
        let output = renkei(&app.test_db, &["import", "cases", &file], &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            stdout(&output).contains("追加 0 件、更新 1 件、変更なし 38 件"),
            "{}",
            stdout(&output)
        );
        let (_, case) = app.get_json(&format!("/api/cases/{slug}")).await;
        assert_eq!(case["title"], "改訂後のタイトル", "{backend:?}");
        let (_, list) = app.get_json("/api/cases").await;
        assert_eq!(list["total"], 39);
    }
}

#[tokio::test]
async fn a_municipality_file_with_one_bad_line_changes_nothing_and_names_the_line() {
    for backend in backends() {
        let db = TestDb::create(backend).await;
        let conn = db.connect().await;
        seed_reference_data(&conn).await;
        let original =
            std::fs::read_to_string(reference_file("municipalities_jisx0402.csv")).unwrap();
        let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
        // Line 3 renames 札幌市 (a valid change); line 100 gets a wrong check digit.
        lines[2] = lines[2].replace("札幌市", "サッポロ市");
        let bad = lines[99].clone();
        let code = &bad[..6];
        let wrong = format!("{}{}", &code[..5], (code.as_bytes()[5] - b'0' + 1) % 10);
        lines[99] = bad.replacen(code, &wrong, 1);
        let file = write(
            db.dir.path(),
            "municipalities.csv",
            &(lines.join("\n") + "\n"),
        );

        let output = renkei(&db, &["import", "municipalities", &file], &[]);
        assert!(!output.status.success(), "{backend:?}");
        let message = stderr(&output);
        assert!(message.contains("100 行目"), "{message}");
        assert!(message.contains(&wrong), "{message}");

        let names = app_names(&conn).await;
        assert!(names.contains(&"札幌市".to_owned()), "{backend:?}");
        assert!(!names.contains(&"サッポロ市".to_owned()));
    }
}

async fn app_names(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    app::services::municipalities::list(db, Some("北海道"))
        .await
        .expect("list municipalities")
        .into_iter()
        .map(|m| m.name)
        .collect()
}

#[tokio::test]
async fn demo_seed_puts_every_nara_and_kochi_municipality_in_a_region() {
    for backend in backends() {
        let db = TestDb::create(backend).await;
        let output = renkei(&db, &["seed", "--demo"], &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let conn = db.connect().await;
        for prefecture in ["奈良県", "高知県"] {
            let items = app::services::municipalities::list(&conn, Some(prefecture))
                .await
                .unwrap();
            assert!(
                items.iter().all(|m| m.region.is_some()),
                "{prefecture} on {backend:?}"
            );
        }
        let miyake = app::services::municipalities::list(&conn, Some("奈良県"))
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.code == *"293628")
            .unwrap();
        assert_eq!(miyake.region.as_deref(), Some("中和"));
        let again = renkei(&db, &["seed", "--demo"], &[]);
        assert!(
            stdout(&again).contains("デモ: 地域の割り当て: 追加 0 件、更新 0 件、変更なし 73 件"),
            "{}",
            stdout(&again)
        );
    }
}

#[tokio::test]
async fn demo_seed_opens_one_course_and_settles_another_once() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    let output = renkei(&db, &["seed", "--demo"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("デモ: 共同研修 2 件"),
        "{}",
        stdout(&output)
    );
    let again = renkei(&db, &["seed", "--demo"], &[]);
    assert!(
        stdout(&again).contains("デモ: 共同研修 0 件"),
        "{}",
        stdout(&again)
    );
    let conn = db.connect().await;
    use sea_orm::EntityTrait;
    let courses = app::entities::training::Entity::find()
        .all(&conn)
        .await
        .expect("courses");
    let statuses: Vec<&str> = courses.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses, ["open", "settled"]);
    let frozen = courses[1]
        .confirmed_split
        .as_deref()
        .expect("confirmed split");
    // 190,000 yen shared 2 : 3 between 三宅町 and 奈良市.
    assert!(frozen.contains("\"amount\":76000"), "{frozen}");
    assert!(frozen.contains("\"amount\":114000"), "{frozen}");
}

#[tokio::test]
async fn demo_data_is_refused_in_production() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    let output = renkei(&db, &["seed", "--demo"], &[("RENKEI_ENV", "production")]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("デモデータを作成できません"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn serve_answers_requests_and_stops_cleanly_on_sigterm() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_renkei"))
        .arg("serve")
        .current_dir(db.dir.path())
        .env_clear()
        .env("RENKEI_DATABASE_URL", &db.url)
        .env("RENKEI_ADDR", format!("127.0.0.1:{port}"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = renkei::http_client::client_builder()
        .build()
        .expect("client");
    let mut healthy = false;
    for _ in 0..100 {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            healthy = response.status() == 200;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(healthy, "server did not answer /healthz");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

#[tokio::test]
async fn a_case_edited_by_import_is_found_by_its_new_words_on_the_next_request() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (_, before) = app.get_json("/api/search?q=量子コンピュータ").await;
        assert_eq!(before["total"], 0);

        let mut cases = shipped_cases();
        cases[3]["summary"] = "量子コンピュータの基礎研修を全職員に実施した。".into();
        let slug = cases[3]["slug"].as_str().unwrap().to_owned();
        let file = write_cases(app.test_db.dir.path(), "cases.json", &cases);
        let output = renkei(&app.test_db, &["import", "cases", &file], &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            stdout(&output).contains("検索索引を更新しました: 39 件"),
            "{}",
            stdout(&output)
        );

        let (_, after) = app.get_json("/api/search?q=量子コンピュータ").await;
        assert_eq!(after["total"], 1, "{backend:?}");
        assert_eq!(after["hits"][0]["slug"], slug);
    }
}

#[tokio::test]
async fn reindex_rebuilds_the_index_and_reports_what_it_did() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    assert!(renkei(&db, &["seed"], &[]).status.success());
    std::fs::remove_dir_all(db.dir.path().join("index")).unwrap();
    let output = renkei(&db, &["reindex"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("検索索引を再構築しました: 39 件"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("同義語"), "{}", stdout(&output));
}

#[tokio::test]
async fn search_and_matching_quality_on_the_judged_sets_stay_at_the_measured_level() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    let file = reference_file("../eval/search.json");
    let output = renkei(&db, &["eval-search", &file.display().to_string()], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let summary = text.lines().last().expect("summary line");
    let metric = |name: &str| -> f64 {
        let after = summary.split(name).nth(1).expect(name).trim_start();
        after
            .split([',', ' '])
            .next()
            .expect("value")
            .parse()
            .expect("number")
    };
    let queries: usize = summary
        .split(' ')
        .next()
        .expect("count")
        .parse()
        .expect("count");
    assert!(queries >= 150, "{summary}");
    // Measured 0.9xx / 0.9xx / 0.9xx on the 151 queries over cases and advisors
    // (the bigram-BM25 baseline in eval/ scores 0.916 / 0.888 / 0.888); a drop
    // is a regression.
    assert!(metric("recall@5") >= 0.96, "{summary}");
    assert!(metric("MRR") >= 0.96, "{summary}");
    assert!(metric("nDCG@10") >= 0.94, "{summary}");
    let matching = text
        .lines()
        .find(|l| l.starts_with("matching: "))
        .expect("matching line");
    let precision: f64 = matching
        .rsplit(' ')
        .next()
        .expect("value")
        .parse()
        .expect("number");
    // Measured 0.928 on the 32 judged needs.
    assert!(precision >= 0.9, "{matching}");
}

#[tokio::test]
async fn user_create_makes_a_first_administrator_who_can_sign_in_with_the_printed_password() {
    for backend in backends() {
        let db = TestDb::create(backend).await;
        assert!(renkei(&db, &["seed"], &[]).status.success());
        let output = renkei(
            &db,
            &[
                "user",
                "create",
                "--email",
                "First@Pref.Nara.Example",
                "--role",
                "pref_admin",
                "--prefecture",
                "奈良県",
                "--name",
                "最初の管理者",
            ],
            &[],
        );
        assert!(output.status.success(), "{backend:?}: {}", stderr(&output));
        let out = stdout(&output);
        assert!(
            out.contains("first@pref.nara.example (県管理者, 奈良県)"),
            "{out}"
        );
        let password = out
            .lines()
            .find_map(|l| l.strip_prefix("初期パスワード: "))
            .expect("the generated password is printed once")
            .to_owned();
        assert!(!stderr(&output).contains(&password), "not in the log");

        let twice = renkei(
            &db,
            &[
                "user",
                "create",
                "--email",
                "first@pref.nara.example",
                "--role",
                "pref_admin",
                "--prefecture",
                "290009",
            ],
            &[],
        );
        assert!(!twice.status.success());
        assert!(
            stderr(&twice).contains("既に登録されています"),
            "{}",
            stderr(&twice)
        );
        let no_town = renkei(
            &db,
            &[
                "user",
                "create",
                "--email",
                "town@pref.nara.example",
                "--role",
                "muni_staff",
                "--prefecture",
                "奈良県",
            ],
            &[],
        );
        assert!(!no_town.status.success());
        assert!(
            stderr(&no_town).contains("市町村を指定してください"),
            "{}",
            stderr(&no_town)
        );

        let app = TestApp::start(std::sync::Arc::new(db)).await;
        let response = app
            .sign_in_with(&app.browser(), "first@pref.nara.example", &password)
            .await;
        assert_eq!(response.status(), 200, "{backend:?}");
    }
}

#[tokio::test]
async fn passwords_and_session_tokens_never_appear_in_the_server_log() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    assert!(renkei(&db, &["seed", "--demo"], &[]).status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log_path = db.dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_renkei"))
        .arg("serve")
        .current_dir(db.dir.path())
        .env_clear()
        .env("RENKEI_DATABASE_URL", &db.url)
        .env("RENKEI_DATA_DIR", db.dir.path())
        .env("RENKEI_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "trace,hyper=info,h2=info,tantivy=info")
        .stderr(log)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = renkei::http_client::client_builder()
        .cookie_store(true)
        .build()
        .unwrap();
    for _ in 0..100 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let wrong = client
        .post(format!("{base}/api/session"))
        .json(&serde_json::json!({"email": "miyake@renkei.example", "password": "my-secret-guess-42"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = client
        .post(format!("{base}/api/session"))
        .json(&serde_json::json!({"email": "miyake@renkei.example", "password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    let token = crate::helpers::set_cookie(&right, "renkei_session")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("renkei_session=")
        .to_owned();
    let changed = client
        .put(format!("{base}/api/me/password"))
        .json(&serde_json::json!({"current_password": crate::helpers::PASSWORD, "new_password": "another-secret-77"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    client.get(format!("{base}/")).send().await.unwrap();
    client
        .delete(format!("{base}/api/session"))
        .send()
        .await
        .unwrap();
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();

    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        text.contains("/api/session"),
        "the log has the requests: {text}"
    );
    for secret in [
        "my-secret-guess-42",
        crate::helpers::PASSWORD,
        "another-secret-77",
        token.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} appears in the server log");
    }
}

#[tokio::test]
async fn seeding_adds_the_advisor_taxonomy_once_and_keeps_labels_an_administrator_edited() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    for backend in backends() {
        let db = TestDb::create(backend).await;
        let first = renkei(&db, &["seed"], &[]);
        assert!(first.status.success(), "{backend:?}: {}", stderr(&first));
        assert!(
            stdout(&first).contains("人材バンクの分類: 追加 40 件"),
            "{}",
            stdout(&first)
        );
        let conn = db.connect().await;
        let term = app::entities::taxonomy_term::Entity::find_by_id((
            "specialty".to_owned(),
            "security".to_owned(),
        ))
        .one(&conn)
        .await
        .unwrap()
        .expect("seeded");
        assert_eq!(term.label, "セキュリティ");
        let mut edited: app::entities::taxonomy_term::ActiveModel = term.into();
        edited.label = Set("情報セキュリティ".to_owned());
        edited.update(&conn).await.unwrap();

        let second = renkei(&db, &["seed"], &[]);
        assert!(
            stdout(&second).contains("人材バンクの分類: 追加 0 件、更新 0 件、変更なし 40 件"),
            "{}",
            stdout(&second)
        );
        let kept = app::entities::taxonomy_term::Entity::find_by_id((
            "specialty".to_owned(),
            "security".to_owned(),
        ))
        .one(&conn)
        .await
        .unwrap()
        .expect("still there");
        assert_eq!(kept.label, "情報セキュリティ");
    }
}

#[tokio::test]
async fn generated_advisors_are_the_same_for_the_same_seed_and_refused_in_production() {
    use sea_orm::{EntityTrait, QueryOrder};
    let mut names = Vec::new();
    for backend in backends() {
        for _ in 0..2 {
            let db = TestDb::create(backend).await;
            let output = renkei(&db, &["seed", "--advisors", "300", "--seed", "9"], &[]);
            assert!(output.status.success(), "{backend:?}: {}", stderr(&output));
            assert!(stdout(&output).contains("アドバイザー 300 人を作成しました"));
            let conn = db.connect().await;
            let rows = app::entities::advisor::Entity::find()
                .order_by_asc(app::entities::advisor::Column::Id)
                .all(&conn)
                .await
                .unwrap();
            names.push(
                rows.into_iter()
                    .map(|r| (r.name, r.bio))
                    .collect::<Vec<_>>(),
            );
        }
    }
    assert!(
        names.windows(2).all(|w| w[0] == w[1]),
        "same seed, same profiles"
    );
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    let other = renkei(&db, &["seed", "--advisors", "300", "--seed", "10"], &[]);
    assert!(other.status.success());
    let refused = renkei(
        &db,
        &["seed", "--advisors", "10"],
        &[("RENKEI_ENV", "production")],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("production"),
        "{}",
        stderr(&refused)
    );
}

#[tokio::test]
async fn advisors_exported_by_the_cli_import_back_and_a_bad_line_changes_nothing() {
    for backend in backends() {
        let db = TestDb::create(backend).await;
        let seeded = renkei(&db, &["seed", "--demo"], &[]);
        assert!(seeded.status.success(), "{backend:?}: {}", stderr(&seeded));
        let file = db.dir.path().join("nara.csv");
        let file = file.display().to_string();
        let exported = renkei(
            &db,
            &["export", "advisors", "--prefecture", "奈良県", "-o", &file],
            &[],
        );
        assert!(exported.status.success(), "{}", stderr(&exported));
        let csv = std::fs::read_to_string(&file).expect("csv");
        assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
        assert_eq!(
            csv.trim_end().lines().count(),
            101,
            "header and 100 advisors"
        );

        let again = renkei(
            &db,
            &["import", "advisors", &file, "--prefecture", "奈良県"],
            &[],
        );
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(
            stdout(&again).contains("アドバイザー: 追加 0 件、更新 0 件、変更なし 100 件"),
            "{}",
            stdout(&again)
        );

        // Line 4 gets a month that does not exist; nothing of the file is stored.
        let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
        let header: Vec<String> = lines[0]
            .trim_start_matches('\u{feff}')
            .split(',')
            .map(str::to_owned)
            .collect();
        let months = header
            .iter()
            .position(|h| *h == "対応可能な月")
            .expect("column");
        let mut record = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(lines[3].as_bytes())
            .records()
            .next()
            .expect("line 4")
            .expect("record");
        let mut cells: Vec<String> = record.iter().map(str::to_owned).collect();
        cells[months] = "2027-13".into();
        record = csv::StringRecord::from(cells);
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&record).expect("write");
        lines[3] = String::from_utf8(writer.into_inner().expect("bytes"))
            .expect("utf-8")
            .trim_end()
            .to_owned();
        let new_person = format!(
            ",公開中,架空 追加,かくう ついか,架空,民間,高度専門人材{}",
            ",".repeat(header.len() - 7)
        );
        lines.push(new_person);
        let bad = write(db.dir.path(), "bad.csv", &lines.join("\n"));
        let refused = renkei(
            &db,
            &["import", "advisors", &bad, "--prefecture", "290009"],
            &[],
        );
        assert!(!refused.status.success());
        let message = stderr(&refused);
        assert!(message.contains("bad.csv の 4 行目"), "{message}");
        assert!(message.contains("対応可能な月"), "{message}");
        assert!(
            message.contains("データベースは変更していません"),
            "{message}"
        );
        let exported_again = renkei(&db, &["export", "advisors", "--prefecture", "奈良県"], &[]);
        assert_eq!(
            String::from_utf8_lossy(&exported_again.stdout),
            csv,
            "the bank is exactly as before"
        );
    }
}

#[tokio::test]
async fn the_system_administrator_relabels_a_shared_term_from_the_command_line() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await;
    assert!(renkei(&db, &["seed"], &[]).status.success());
    let output = renkei(
        &db,
        &[
            "taxonomy",
            "set",
            "--kind",
            "specialty",
            "--code",
            "network",
            "--label",
            "ネットワーク・通信",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("specialty/network"));
    let conn = db.connect().await;
    use sea_orm::EntityTrait;
    let term = app::entities::taxonomy_term::Entity::find_by_id((
        "specialty".to_owned(),
        "network".to_owned(),
    ))
    .one(&conn)
    .await
    .expect("read")
    .expect("term");
    assert_eq!(term.label, "ネットワーク・通信");
    let unknown = renkei(
        &db,
        &[
            "taxonomy",
            "set",
            "--kind",
            "specialty",
            "--code",
            "nothing",
            "--active",
            "false",
        ],
        &[],
    );
    assert!(!unknown.status.success());
}
