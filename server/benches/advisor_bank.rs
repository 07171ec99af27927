//! Advisor bank benchmark: N generated advisors (default 100,000) in a SQLite
//! file and the tantivy index, then faceted search and matching measured twice:
//! in process (the service functions the routes call) and over HTTP on loopback
//! with a closed-loop load generator. Prints a table of p50 / p99, index build
//! time and resident memory.
//!
//! Run: `make bench` or `cargo bench -p renkei --bench advisor_bank -- [N] [clients]`.
//! With `BENCH_PROFILE='q=…&mode=…'` it instead loops that one search for 30 s (for
//! a profiler) and prints its p50 / p99 with and without the service around it.

#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]

use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use app::api::advisors::{AdvisorListParams, MatchRequest};
use app::auth::RequestAuth;
use app::search::SearchIndex;
use app::services::advisors::{matching as advisor_matching, search as advisor_search};
use app::services::{search_index, sessions};
use renkei::config::Config;
use renkei::startup::Application;
use renkei::{db, demo};

const SEED: u64 = 42;
const IN_PROCESS_RUNS: usize = 300;
const HTTP_REQUESTS: usize = 600;

/// One search scenario: a label and its query string.
const SEARCHES: &[(&str, &str)] = &[
    (
        "words + facet (セキュリティ, オンライン)",
        "q=セキュリティ&mode=online",
    ),
    ("facet only (専門: データ活用)", "specialty=data"),
    ("browse, kana order, no filter", "sort=kana"),
    (
        "two words + 3 facets",
        "q=クラウド 移行&mode=onsite&role=engineer&available=2027-01",
    ),
    ("words, page 5", "q=窓口&page=5"),
];

/// Match scenarios: the need and the months.
const MATCHES: &[(&str, &str, Option<&str>)] = &[
    (
        "match: 窓口のセキュリティ対策, online, 4 months",
        "窓口のセキュリティ対策",
        Some("online"),
    ),
    (
        "match: データ活用の研修, any mode",
        "データ活用の研修",
        None,
    ),
];

fn params_of(query: &str) -> AdvisorListParams {
    serde_urlencoded::from_str(query).expect("scenario query string")
}

fn match_request(need: &str, mode: Option<&str>) -> MatchRequest {
    MatchRequest {
        need: need.to_owned(),
        municipality: "293628".to_owned(),
        mode: mode.map(str::to_owned),
        from: Some("2026-12-01".to_owned()),
        to: Some("2027-03-31".to_owned()),
        programme: None,
    }
}

/// p50 and p99 of the durations, in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| {
        let rank = ((samples.len() as f64) * q).ceil() as usize;
        samples[rank.clamp(1, samples.len()) - 1].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}

/// `VmHWM` (peak) and `VmRSS` (now) of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn row(label: &str, how: &str, (p50, p99): (f64, f64), extra: &str) {
    println!("| {label:<44} | {how:<10} | {p50:>8.2} | {p99:>8.2} | {extra} |");
}

async fn signed_in(db: &DatabaseConnection) -> RequestAuth {
    let account = app::entities::account::Entity::find()
        .filter(app::entities::account::Column::Email.eq("miyake@renkei.example"))
        .one(db)
        .await
        .expect("read account")
        .expect("demo account");
    let actor = sessions::actor_of(db, account).await.expect("actor");
    RequestAuth {
        actor: Some(actor),
        ..RequestAuth::anonymous()
    }
}

async fn in_process(db: &DatabaseConnection, index: &SearchIndex) {
    for (label, query) in SEARCHES {
        let params = params_of(query);
        let mut samples = Vec::with_capacity(IN_PROCESS_RUNS);
        let mut total = 0;
        for run in 0..IN_PROCESS_RUNS + 20 {
            let started = Instant::now();
            let list = advisor_search::list(db, index, &params, advisor_search::PER_PAGE)
                .await
                .expect("search");
            if run >= 20 {
                samples.push(started.elapsed());
            }
            total = list.total;
        }
        row(
            label,
            "in process",
            percentiles(samples),
            &format!("{total} hits"),
        );
    }
    let auth = signed_in(db).await;
    for (label, need, mode) in MATCHES {
        let request = match_request(need, *mode);
        let mut samples = Vec::with_capacity(IN_PROCESS_RUNS);
        let mut returned = 0;
        for run in 0..IN_PROCESS_RUNS + 20 {
            let started = Instant::now();
            let response = advisor_matching::match_for(db, index, &auth, &request)
                .await
                .expect("match");
            if run >= 20 {
                samples.push(started.elapsed());
            }
            returned = response.items.len();
        }
        row(
            label,
            "in process",
            percentiles(samples),
            &format!("{returned} ranked"),
        );
    }
}

/// `clients` tasks send `HTTP_REQUESTS` requests in all, each waiting for its
/// answer before the next (closed loop). Returns latencies and throughput.
async fn load(
    clients: usize,
    make: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + Clone + 'static,
    client: reqwest::Client,
) -> (Vec<Duration>, f64) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let make = make.clone();
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            for _ in 0..HTTP_REQUESTS / clients {
                let sent = Instant::now();
                let response = make(&client).send().await.expect("request");
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.expect("body");
                samples.push(sent.elapsed());
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.expect("client task"));
    }
    let rate = samples.len() as f64 / started.elapsed().as_secs_f64();
    (samples, rate)
}

async fn over_http(config: &Config, db: DatabaseConnection, client_counts: &[usize]) {
    let app = Application::build(config, db).await.expect("build app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = renkei::http_client::client_builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let signed_in = client
        .post(format!("{base}/api/session"))
        .json(
            &serde_json::json!({"email": "miyake@renkei.example", "password": demo::DEMO_PASSWORD}),
        )
        .send()
        .await
        .expect("sign in");
    assert!(signed_in.status().is_success(), "sign-in failed");
    for &clients in client_counts {
        http_scenarios(&base, &client, clients).await;
    }
}

async fn http_scenarios(base: &str, client: &reqwest::Client, clients: usize) {
    let how = format!("HTTP ×{clients}");
    for (label, query) in SEARCHES {
        let url = format!("{base}/api/advisors?{query}");
        let (samples, rate) = load(clients, move |c| c.get(&url), client.clone()).await;
        row(
            label,
            &how,
            percentiles(samples),
            &format!("{rate:.0} req/s"),
        );
    }
    for (label, need, mode) in MATCHES {
        let url = format!("{base}/api/advisors/match");
        let body = serde_json::to_value(match_request(need, *mode)).expect("json");
        let (samples, rate) =
            load(clients, move |c| c.post(&url).json(&body), client.clone()).await;
        row(
            label,
            &how,
            percentiles(samples),
            &format!("{rate:.0} req/s"),
        );
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let count: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let clients: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(4);
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        addr: ([127, 0, 0, 1], 0).into(),
        ..Config::default()
    };
    let db = db::connect(&config.database_url()).await?;
    db::migrate(&db).await?;
    renkei::cli::seed::run(&db, &config, true).await?;

    let started = Instant::now();
    let ids = demo::generate_advisors(&db, "奈良県", count, SEED).await?;
    let stored = started.elapsed();

    let (index, _) = SearchIndex::open(&config.index_dir(), app::search::SynonymStore::builtin())?;
    let started = Instant::now();
    let documents = search_index::rebuild(&db, &index, |_, _| {}).await?;
    let indexed = started.elapsed();
    if let Ok(query) = std::env::var("BENCH_PROFILE") {
        // For a profiler attached now: the one search, over and over, for 30 s.
        println!("profiling {query} (pid {})", std::process::id());
        let params = params_of(&query);
        let request = app::search::SearchRequest {
            readable: None,
            kind: advisor_search::KIND,
            query: app::domain::search_query::SearchQuery::parse(
                params.q.as_deref().unwrap_or_default(),
            ),
            filters: params
                .mode
                .iter()
                .map(|m| app::search::FacetFilter {
                    dimension: "mode".into(),
                    value: m.clone(),
                })
                .collect(),
            facet_dimensions: advisor_search::DIMENSIONS.to_vec(),
            offset: 0,
            limit: 20,
            sort: app::search::SortOrder::Relevance,
            fallback: true,
            highlight: true,
            probes: Vec::new(),
        };
        let mut whole = Vec::new();
        let mut alone = Vec::new();
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until {
            let started = Instant::now();
            advisor_search::list(&db, &index, &params, advisor_search::PER_PAGE)
                .await
                .expect("search");
            whole.push(started.elapsed());
            let started = Instant::now();
            index.search(&request).expect("search");
            alone.push(started.elapsed());
        }
        println!(
            "list {:?} | index.search alone {:?}",
            percentiles(whole),
            percentiles(alone)
        );
        return Ok(());
    }
    let (peak, _) = memory();
    let size: u64 = std::fs::read_dir(config.index_dir())?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();

    println!();
    println!(
        "{} generated advisors (+ demo data), seed {SEED}; {documents} documents indexed",
        ids.len()
    );
    println!(
        "store {:.1} s | index build {:.1} s | index {:.0} MiB | peak RSS after build {peak:.0} MiB",
        stored.as_secs_f64(),
        indexed.as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    println!();
    println!(
        "| {:<44} | {:<10} | {:>8} | {:>8} | |",
        "scenario", "how", "p50 ms", "p99 ms"
    );
    println!(
        "|{}|{}|{}|{}|---|",
        "-".repeat(46),
        "-".repeat(12),
        "-".repeat(10),
        "-".repeat(10)
    );
    in_process(&db, &index).await;
    drop(index);
    over_http(&config, db, &[1, clients]).await;
    let (_, now) = memory();
    println!();
    println!("RSS at the end (index open twice: bench + server): {now:.0} MiB");
    Ok(())
}
