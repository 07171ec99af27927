//! Starting, killing and restarting the real binary.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The demo password (`renkei seed --demo`).
pub const PASSWORD: &str = renkei::demo::DEMO_PASSWORD;

/// How to run the binary: directly, or inside another process's mount namespace.
#[derive(Clone, Debug, Default)]
pub struct Launcher {
    /// Words put before the binary (e.g. `nsenter -t PID -m --`).
    pub prefix: Vec<String>,
    /// The data directory (database, index, synonyms).
    pub data_dir: PathBuf,
    /// Extra environment.
    pub env: Vec<(String, String)>,
}

impl Launcher {
    /// A launcher for a data directory on the ordinary disk.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            prefix: Vec::new(),
            data_dir: data_dir.to_path_buf(),
            env: Vec::new(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let binary = env!("CARGO_BIN_EXE_renkei");
        let mut command = match self.prefix.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
            .args(args)
            .current_dir(std::env::temp_dir())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RENKEI_DATA_DIR", &self.data_dir)
            .env("RENKEI_SITE_ROOT", self.data_dir.join("no-site"))
            .env("RUST_LOG", "warn");
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    /// Runs a command of the binary to completion; panics when it fails.
    pub fn run(&self, args: &[&str]) {
        let output = self.command(args).output().expect("run renkei");
        assert!(
            output.status.success(),
            "renkei {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts `renkei serve` on a free port and waits until it answers.
    pub async fn serve(&self) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let log = self.data_dir.with_extension(format!("{port}.log"));
        let child = self
            .command(&["serve"])
            .env("RENKEI_ADDR", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("spawn renkei serve");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready().await;
        server
    }
}

/// A running server process.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: PathBuf,
}

impl Server {
    async fn wait_ready(&self) {
        let client = renkei::http_client::client_builder()
            .build()
            .expect("client");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if client
                .get(format!("{}/healthz", self.base))
                .send()
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not start: {}", self.log_text());
    }

    /// What the server logged.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `kill -9`: no shutdown, no flush.
    pub fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("wait");
    }

    /// Waits for the process to end by itself (a crash point aborts it).
    pub async fn wait_exit(mut self) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not stop"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A client signed in as `email` (demo password).
    pub async fn sign_in(&self, email: &str) -> reqwest::Client {
        let client = renkei::http_client::client_builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let response = client
            .post(format!("{}/api/session", self.base))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), 200, "sign in as {email}");
        client
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The databases a crash test runs on: SQLite in the data directory, and a fresh
/// PostgreSQL database when `TEST_POSTGRES_URL` is set (required in CI).
pub async fn databases() -> Vec<Option<String>> {
    let mut urls = vec![None];
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            use sea_orm::ConnectionTrait;
            let name = format!("renkei_test_{}", uuid::Uuid::new_v4().simple());
            let admin = renkei::db::connect(&admin_url).await.expect("PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            admin.close().await.expect("close");
            let (base, query) = admin_url
                .split_once('?')
                .map_or((admin_url.as_str(), None), |(b, q)| (b, Some(q)));
            let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
            urls.push(Some(match query {
                Some(q) => format!("{server}/{name}?{q}"),
                None => format!("{server}/{name}"),
            }));
        }
        Err(_) if std::env::var("RENKEI_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("RENKEI_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
        }
        Err(_) => {}
    }
    urls
}

impl Launcher {
    /// A launcher for a data directory, on PostgreSQL when `database` is given.
    pub fn on(data_dir: &Path, database: Option<&String>) -> Self {
        let mut launcher = Self::new(data_dir);
        if let Some(url) = database {
            launcher
                .env
                .push(("RENKEI_DATABASE_URL".to_owned(), url.clone()));
        }
        launcher
    }
}

/// The first advisor of 奈良県's bank that is published (demo data).
pub async fn a_published_nara_advisor(server: &Server) -> i64 {
    let list: serde_json::Value = reqwest::get(server.url("/api/advisors?prefecture=奈良県"))
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    list["items"][0]["id"].as_i64().expect("an advisor id")
}
