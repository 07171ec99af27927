//! 情報共有 benchmark over real HTTP on loopback, on the demo data in a SQLite
//! file: how long a post takes to reach another member's open live feed (the
//! issue asks for under one second), how long posting itself takes, and that a
//! notice is sent in the same time whether or not a slow chat tool is
//! registered as a webhook (the delivery runs in the background). Prints p50 /
//! p95 / max.
//!
//! Run: `cargo bench -p renkei --bench live -- [posts]` (default 200).

#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use renkei::config::Config;
use renkei::startup::Application;
use renkei::{db, demo};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn row(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label:<58} {:>5} {:>9.1} {:>9.1} {:>9.1}",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.95).as_secs_f64() * 1000.0,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
}

async fn signed_in(base: &str, email: &str) -> anyhow::Result<reqwest::Client> {
    let client = renkei::http_client::client_builder()
        .cookie_store(true)
        .build()?;
    let response = client
        .post(format!("{base}/api/session"))
        .json(&json!({"email": email, "password": demo::DEMO_PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(response.status() == 200, "sign in as {email}");
    Ok(client)
}

/// Reads the live feed until the `post` event of `id` arrives.
async fn wait_for(
    feed: &mut reqwest::Response,
    buffer: &mut String,
    id: i64,
) -> anyhow::Result<()> {
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            let is_post = event.lines().any(|l| l == "event: post");
            let event_id = event
                .lines()
                .find_map(|l| l.strip_prefix("id: "))
                .and_then(|v| v.trim().parse::<i64>().ok());
            if is_post && event_id == Some(id) {
                return Ok(());
            }
        }
        let chunk = feed
            .chunk()
            .await?
            .ok_or_else(|| anyhow::anyhow!("the live feed ended"))?;
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let posts: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        addr: ([127, 0, 0, 1], 0).into(),
        webhook_allow_private: true,
        webhook_poll_ms: 100,
        ..Config::default()
    };
    let db = db::connect(&config.database_url()).await?;
    db::migrate(&db).await?;
    renkei::cli::seed::run(&db, &config, true).await?;
    let app = Application::build(&config, db).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));

    let miyake = signed_in(&base, "miyake@renkei.example").await?;
    let naracity = signed_in(&base, "naracity@renkei.example").await?;
    let channels: Value = miyake
        .get(format!("{base}/api/channels"))
        .send()
        .await?
        .json()
        .await?;
    let channel = channels["items"]
        .as_array()
        .and_then(|items| items.iter().find(|c| c["visibility"] == "open"))
        .and_then(|c| c["id"].as_i64())
        .ok_or_else(|| anyhow::anyhow!("the demo has an open channel"))?;
    let mut feed = miyake
        // Without `after` the feed sends only what comes next.
        .get(format!("{base}/api/channels/{channel}/events"))
        .send()
        .await?;
    anyhow::ensure!(feed.status() == 200, "live feed: {}", feed.status());
    let mut buffer = String::new();

    let (mut arrive, mut write) = (Vec::new(), Vec::new());
    for n in 0..posts {
        let started = Instant::now();
        let response = naracity
            .post(format!("{base}/api/channels/{channel}/posts"))
            .json(&json!({"body": format!("計測用の投稿 {n}")}))
            .send()
            .await?;
        write.push(started.elapsed());
        anyhow::ensure!(response.status() == 201, "post: {}", response.status());
        let id = response.json::<Value>().await?["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("post id"))?;
        wait_for(&mut feed, &mut buffer, id).await?;
        arrive.push(started.elapsed());
    }

    // A notice with and without a chat tool that takes 3 s to answer.
    let staff = signed_in(&base, "nara-staff@renkei.example").await?;
    let admin = signed_in(&base, "nara-admin@renkei.example").await?;
    let notice =
        |n: usize| json!({"title": format!("計測 {n}"), "body": "本文", "municipalities": ["all"]});
    let mut plain = Vec::new();
    for n in 0..20 {
        let started = Instant::now();
        let response = staff
            .post(format!("{base}/api/notices"))
            .json(&notice(n))
            .send()
            .await?;
        anyhow::ensure!(response.status() == 201, "notice: {}", response.status());
        plain.push(started.elapsed());
    }
    let slow = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let slow_url = format!("http://{}/hook", slow.local_addr()?);
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(|| async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            axum::http::StatusCode::OK
        }),
    );
    tokio::spawn(async move { axum::serve(slow, router).await });
    let response = admin
        .post(format!("{base}/api/webhooks"))
        .json(&json!({"url": slow_url, "events": ["notice.created"], "format": "slack"}))
        .send()
        .await?;
    anyhow::ensure!(response.status() == 201, "webhook: {}", response.status());
    let mut hooked = Vec::new();
    for n in 0..20 {
        let started = Instant::now();
        let response = staff
            .post(format!("{base}/api/notices"))
            .json(&notice(n))
            .send()
            .await?;
        anyhow::ensure!(response.status() == 201, "notice: {}", response.status());
        hooked.push(started.elapsed());
    }

    println!(
        "{:<58} {:>5} {:>9} {:>9} {:>9}",
        "情報共有 over HTTP (SQLite, loopback)", "n", "p50 ms", "p95 ms", "max ms"
    );
    row("post → on another member's live feed", arrive);
    row("post → 201 (written, indexed, published)", write);
    row("notice → 201, no webhook", plain);
    row("notice → 201, webhook to a receiver taking 3 s", hooked);
    Ok(())
}
