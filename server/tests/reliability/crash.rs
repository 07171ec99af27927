//! Crashes at the worst moments: between a database commit and the index write,
//! and `kill -9` under write load.

use std::time::Duration;

use crate::harness::{Launcher, a_published_nara_advisor, databases};

#[tokio::test]
async fn an_edit_committed_just_before_a_crash_is_searchable_after_the_restart() {
    for database in databases().await {
        edit_then_crash(database.as_ref()).await;
    }
}

async fn edit_then_crash(database: Option<&String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut launcher = Launcher::on(&dir.path().join("data"), database);
    launcher.run(&["seed", "--demo"]);
    let plain = launcher.env.clone();
    launcher.env.push((
        "RENKEI_FAILPOINT".to_owned(),
        "index.before_write".to_owned(),
    ));
    let server = launcher.serve().await;
    let admin = server.sign_in("nara-admin@renkei.example").await;
    let id = a_published_nara_advisor(&server).await;
    let answer = admin
        .patch(server.url(&format!("/api/advisors/{id}")))
        .json(&serde_json::json!({ "bio": "ゾウガメ保護計画の伴走支援をしました。" }))
        .send()
        .await;
    assert!(answer.is_err(), "the process dies before it answers");
    assert!(!server.wait_exit().await.success());

    launcher.env = plain;
    let server = launcher.serve().await;
    let found: serde_json::Value =
        reqwest::get(server.url("/api/advisors?q=ゾウガメ保護計画&prefecture=奈良県"))
            .await
            .expect("search")
            .json()
            .await
            .expect("json");
    assert_eq!(found["exact_total"], 1, "the new words are found: {found}");
    assert_eq!(found["items"][0]["id"].as_i64(), Some(id));
}

#[tokio::test]
async fn every_acknowledged_account_survives_kill_9_under_write_load() {
    for database in databases().await {
        kill_under_load(database.as_ref()).await;
    }
}

async fn kill_under_load(database: Option<&String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let launcher = Launcher::on(&dir.path().join("data"), database);
    launcher.run(&["seed", "--demo"]);
    let server = launcher.serve().await;
    let admin = server.sign_in("nara-admin@renkei.example").await;
    let url = server.url("/api/accounts");
    let ledger = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (admin, url, ledger) = (admin.clone(), url.clone(), ledger.clone());
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let email = format!("ledger-{writer}-{n}@renkei.example");
                let response = admin
                    .post(&url)
                    .json(&serde_json::json!({
                        "email": email,
                        "display_name": format!("台帳 {writer}-{n}"),
                        "role": "muni_staff",
                        "municipality": "293628",
                        "password": "ledger-password-2026",
                    }))
                    .send()
                    .await;
                match response {
                    Ok(r) if r.status() == 201 => {
                        ledger.lock().expect("ledger").push(email);
                    }
                    Ok(r) => panic!("unexpected status {}", r.status()),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.kill9();
    for writer in writers {
        writer.await.expect("writer");
    }
    let acknowledged = ledger.lock().expect("ledger").clone();
    assert!(acknowledged.len() >= 4, "the load wrote something");

    let server = launcher.serve().await;
    let admin = server.sign_in("nara-admin@renkei.example").await;
    let listed: Vec<serde_json::Value> = admin
        .get(server.url("/api/accounts?municipality=293628"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let stored: std::collections::HashSet<&str> =
        listed.iter().filter_map(|a| a["email"].as_str()).collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|e| !stored.contains(e.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
}
