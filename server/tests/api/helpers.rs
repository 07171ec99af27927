//! Spawning the app against a fresh database, and small request helpers.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use sea_orm::{ConnectionTrait, DatabaseConnection};
use tempfile::TempDir;
use tokio::sync::oneshot;

use app::services::reference_data::{
    import_cases, import_municipalities, parse_cases_json, parse_municipality_csv,
};
use renkei::config::Config;
use renkei::startup::Application;
use renkei::{db, telemetry};

/// The database engines a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        telemetry::init(renkei::config::LogFormat::Pretty);
    }
});

/// SQLite, plus PostgreSQL when `TEST_POSTGRES_URL` is set. With
/// `RENKEI_REQUIRE_POSTGRES=1` (as in CI) a missing PostgreSQL is a failure.
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if std::env::var_os("TEST_POSTGRES_URL").is_some() {
        backends.push(Backend::Postgres);
    } else if std::env::var("RENKEI_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        panic!("RENKEI_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set");
    }
    backends
}

/// A fresh, migrated, empty database.
pub struct TestDb {
    pub url: String,
    pub dir: TempDir,
}

impl TestDb {
    pub async fn create(backend: Backend) -> Self {
        LazyLock::force(&TRACING);
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            Backend::Sqlite => {
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL");
                let name = format!("renkei_test_{}", uuid::Uuid::new_v4().simple());
                let admin = db::connect(&admin_url)
                    .await
                    .expect("connect to PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.expect("close admin connection");
                replace_database(&admin_url, &name)
            }
        };
        let conn = db::connect(&url).await.expect("connect");
        db::migrate(&conn).await.expect("migrate");
        conn.close().await.expect("close");
        Self { url, dir }
    }

    pub async fn connect(&self) -> DatabaseConnection {
        db::connect(&self.url).await.expect("connect")
    }
}

/// Replaces the database name of a PostgreSQL URL.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base
        .rsplit_once('/')
        .expect("PostgreSQL URL with a database");
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// Loads the municipality and case files shipped with the product.
pub async fn seed_reference_data(db: &DatabaseConnection) {
    let data = std::fs::read(reference_file("municipalities_jisx0402.csv")).expect("read csv");
    let dataset = parse_municipality_csv("municipalities_jisx0402.csv", &data).expect("parse csv");
    import_municipalities(db, &dataset)
        .await
        .expect("import municipalities");
    let data = std::fs::read(reference_file("cases.json")).expect("read json");
    let records = parse_cases_json("cases.json", &data).expect("parse json");
    import_cases(db, "cases.json", &records)
        .await
        .expect("import cases");
    let data = std::fs::read(reference_file("advisor_taxonomy.json")).expect("read taxonomy");
    let terms = app::services::taxonomy::parse("advisor_taxonomy.json", &data).expect("parse");
    app::services::taxonomy::import(db, &terms)
        .await
        .expect("import taxonomy");
}

/// Path of a file in the repository's `reference/` directory.
pub fn reference_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reference")
        .join(name)
}

/// A running server with its database.
pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    pub test_db: Arc<TestDb>,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestApp {
    /// A server over a database holding the shipped reference data.
    pub async fn spawn(backend: Backend) -> Self {
        let test_db = TestDb::create(backend).await;
        seed_reference_data(&test_db.connect().await).await;
        Self::start(Arc::new(test_db)).await
    }

    /// A server over a migrated but empty database.
    pub async fn spawn_empty(backend: Backend) -> Self {
        Self::start(Arc::new(TestDb::create(backend).await)).await
    }

    /// The configuration a server over `test_db` runs with.
    pub fn config(test_db: &TestDb) -> Config {
        Config {
            database_url: Some(test_db.url.clone()),
            addr: "127.0.0.1:0".parse().expect("addr"),
            data_dir: test_db.dir.path().to_path_buf(),
            ..Config::default()
        }
    }

    /// Starts a server over an existing database (and its data directory).
    pub async fn start(test_db: Arc<TestDb>) -> Self {
        Self::start_with(test_db, |_| {}).await
    }

    /// Starts a server with a configuration changed by `adjust`.
    pub async fn start_with(test_db: Arc<TestDb>, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = Self::config(&test_db);
        adjust(&mut config);
        let server_db = test_db.connect().await;
        let application = Application::build(&config, server_db.clone())
            .await
            .expect("build app");
        let address = format!("http://127.0.0.1:{}", application.port());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(application.run_until(async {
            let _ = rx.await;
        }));
        let client = renkei::http_client::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            address,
            db: server_db,
            test_db,
            client,
            shutdown: Some(tx),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request")
    }

    /// GETs a JSON document, returning status and body.
    pub async fn get_json(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.json().await.expect("JSON body");
        (status, body)
    }

    /// GETs a page the way a browser without JavaScript would, returning status
    /// and the parsed document.
    pub async fn get_html(&self, path: &str) -> (reqwest::StatusCode, scraper::Html) {
        let response = self
            .client
            .get(format!("{}{}", self.address, path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request");
        let status = response.status();
        let text = response.text().await.expect("HTML body");
        (status, scraper::Html::parse_document(&text))
    }
}

impl TestApp {
    /// Stops this server and starts a new one on the same database and data
    /// directory, as a restart would.
    pub async fn restart(mut self) -> TestApp {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Let the old server task let go of the index before it is reopened.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        TestApp::start(Arc::clone(&self.test_db)).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// All texts matching a CSS selector, trimmed.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("selector");
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// The demo accounts' password.
pub const PASSWORD: &str = renkei::demo::DEMO_PASSWORD;

impl TestApp {
    /// A server over the demo accounts and the demo advisor bank, indexed.
    pub async fn spawn_bank(backend: Backend) -> Self {
        let app = Self::spawn_with_accounts(backend).await;
        renkei::demo::create_demo_advisors(&app.db)
            .await
            .expect("demo advisors");
        // Restarting rebuilds the index: the advisor count differs from the database.
        app.restart().await
    }

    /// A server over the reference data and the demo accounts.
    pub async fn spawn_with_accounts(backend: Backend) -> Self {
        let test_db = TestDb::create(backend).await;
        let db = test_db.connect().await;
        seed_reference_data(&db).await;
        renkei::demo::create_demo_accounts(&db)
            .await
            .expect("demo accounts");
        Self::start(Arc::new(test_db)).await
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn browser(&self) -> reqwest::Client {
        renkei::http_client::client_builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A client signed in through `POST /api/session`.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = self.browser();
        let response = self.sign_in_with(&client, email, PASSWORD).await;
        assert_eq!(response.status(), 200, "sign in as {email}");
        client
    }

    /// A browser signed in through the login form, as a person without
    /// JavaScript would: the page's CSRF token, then the form post.
    pub async fn signed_in_by_form(&self, email: &str) -> reqwest::Client {
        let client = self.browser();
        let token = self.form_token(&client, "/login").await;
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 303, "sign in by form as {email}");
        client
    }

    /// `POST /api/session` with these credentials.
    pub async fn sign_in_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/session"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request")
    }

    /// Absolute URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The id of an account by email.
    pub async fn account_id(&self, email: &str) -> i32 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        app::entities::account::Entity::find()
            .filter(app::entities::account::Column::Email.eq(email))
            .one(&self.db)
            .await
            .expect("query")
            .expect("account exists")
            .id
    }

    /// Loads a page as a browser would and returns the CSRF token of its forms.
    pub async fn form_token(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request");
        let status = response.status();
        let html = response.text().await.expect("body");
        let doc = scraper::Html::parse_document(&html);
        let selector = scraper::Selector::parse("input[name=csrf_token]").expect("selector");
        match doc
            .select(&selector)
            .next()
            .and_then(|e| e.value().attr("value"))
        {
            Some(token) => token.to_owned(),
            None => panic!(
                "{path} answered {status} without a form with a CSRF token: {}",
                html.chars().take(600).collect::<String>()
            ),
        }
    }
}

/// The `Set-Cookie` value for `name` in a response, if any.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// Sends `body` as JSON (none when `Null`) with `method` to `path` as `client`:
/// the status and the JSON answer (`Null` when there is none).
pub async fn send(
    client: &reqwest::Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut request = client.request(method, app.url(path));
    if !body.is_null() {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

impl TestApp {
    /// The JSON a signed-in `client` gets for `path`, with the status.
    pub async fn get_json_as(
        &self,
        client: &reqwest::Client,
        path: &str,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let response = client.get(self.url(path)).send().await.expect("request");
        let status = response.status();
        (status, response.json().await.expect("JSON body"))
    }

    /// Posts a form as a browser without JavaScript does (with the CSRF `token`),
    /// expects a 303 and returns where it redirects, with the response for its flash.
    pub async fn submit(
        &self,
        client: &reqwest::Client,
        token: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (String, reqwest::Response) {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", token)];
        form.extend_from_slice(fields);
        let response = client
            .post(self.url(action))
            .header("accept", "text/html")
            .form(&form)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 303, "{action}");
        let location = response.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        (location, response)
    }

    /// The flash message a form post left for its redirect (still there for the page).
    pub async fn flash(&self, response: &reqwest::Response) -> Option<app::api::flash::Flash> {
        let cookie = set_cookie(response, app::api::flash::FLASH_COOKIE)?;
        let token = cookie.split(';').next()?.split_once('=')?.1.to_owned();
        app::services::form_flash::peek(&self.db, &token)
            .await
            .expect("read flash")
    }
}

/// The front page's data (`POST /api/home/front`) as `client` sees it.
pub async fn home_front(client: &reqwest::Client, app: &TestApp) -> serde_json::Value {
    client
        .post(app.url("/api/home/front"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("home")
        .json()
        .await
        .expect("json")
}
