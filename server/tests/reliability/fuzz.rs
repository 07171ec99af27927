//! A fuzz pass over every route of the real binary: a few thousand requests from
//! a fixed seed (malformed ids, bodies, types, queries; signed out and signed in
//! with a valid CSRF token). No answer may be a 5xx, the server must stay
//! healthy, and nothing a stranger sends may write an ERROR line to the log.

use std::time::Duration;

use crate::harness::Launcher;

/// Requests sent.
const REQUESTS: usize = 3_000;

/// A small deterministic generator (the same seed gives the same requests).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.next()).unwrap_or(0) % items.len();
        &items[i]
    }
}

const GET_PATHS: &[&str] = &[
    "/api/cases",
    "/api/cases/{slug}",
    "/api/municipalities",
    "/api/prefectures",
    "/api/search",
    "/api/me",
    "/api/accounts",
    "/api/accounts/{id}",
    "/api/audit",
    "/api/advisors",
    "/api/advisors/export.csv",
    "/api/advisors/{id}",
    "/api/taxonomy",
    "/api/trainings",
    "/api/trainings/{id}",
    "/api/trainings/{id}/split",
    "/api/trainings/{id}/notices.csv",
    "/healthz",
    "/advisors/{id}/photo",
    "/",
    "/cases",
    "/cases/{slug}",
    "/advisors",
    "/advisors/match",
    "/advisors/new",
    "/advisors/{id}",
    "/advisors/{id}/edit",
    "/trainings",
    "/trainings/new",
    "/trainings/{id}",
    "/trainings/{id}/notices",
    "/trainings/{id}/edit",
    "/login",
    "/account/password",
    "/municipalities/{code}",
    "/admin/accounts",
    "/admin/accounts/new",
    "/admin/accounts/{id}",
    "/admin/audit",
    "/admin/advisors",
    "/admin/taxonomy",
    "/no/such/page",
];

const SEGMENTS: &[&str] = &[
    "1",
    "2",
    "0",
    "-1",
    "99999999999999999999",
    "abc",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%F0%9F%98%80",
    "%27%20OR%201%3D1%20--",
    "specialty",
    "security",
    "293628",
    "290009",
    "kochi-dx",
    "%E2%80%AE",
];

const QUERIES: &[&str] = &[
    "",
    "?q=%E3%82%BB%E3%82%AD%E3%83%A5%E3%83%AA%E3%83%86%E3%82%A3",
    "?q=%22unclosed",
    "?q=-",
    "?page=0",
    "?page=99999999999",
    "?per_page=-5",
    "?available=2027-13",
    "?available=2027-01",
    "?sort=%00",
    "?kind=advisor&q=a&limit=0",
    "?kind=post",
    "?from=2026-02-30&to=x",
    "?actor=%25&action=%5F",
    "?fiscal_year=abc",
    "?q=",
];

const BODIES: &[&str] = &[
    "",
    "{}",
    "null",
    "[]",
    "{",
    "\"text\"",
    "{\"email\":\"a@b\",\"password\":\"x\"}",
    "{\"active\":\"yes\"}",
    "{\"bio\":null,\"months\":[\"2027-13\"]}",
    "{\"version\":\"x\"}",
    "{\"kind\":\"specialty\",\"code\":\"\",\"label\":\"\"}",
    "{\"need\":\"窓口\",\"municipality\":\"999999\"}",
    "{\"staff\":[{\"name\":\"\",\"position\":1e309}]}",
    "{\"title\":\"研修\",\"capacity\":-1,\"sessions\":[{}],\"costs\":[{\"amount\":99999999999999999999}]}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "ID,状態\r\n1,公開中,x\r\n",
    "name=%FF%FE&kana=&qualifications=a&qualifications=a&version=x",
    "status=flying&active=maybe&capacity=-3",
];

const TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded"),
    Some("multipart/form-data; boundary=x"),
    Some("text/csv"),
    Some("text/plain"),
];

fn fill(path: &str, random: &mut Lcg) -> String {
    path.split('/')
        .map(|part| {
            if part.starts_with('{') {
                (*random.pick(SEGMENTS)).to_owned()
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn thousands_of_malformed_requests_to_every_route_get_no_5xx_and_no_error_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut launcher = Launcher::new(&dir.path().join("data"));
    launcher.run(&["seed", "--demo"]);
    launcher.env = vec![("RUST_LOG".to_owned(), "warn".to_owned())];
    let server = launcher.serve().await;
    let anonymous = renkei::http_client::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let admin = server.sign_in("nara-admin@renkei.example").await;
    let town = server.sign_in("miyake@renkei.example").await;
    // A CSRF token the signed-in clients hold (the cookie's value), for form posts.
    let token_of = |client: &reqwest::Client| {
        let client = client.clone();
        let url = server.url("/login");
        async move {
            let page = client.get(url).send().await.expect("login page");
            let text = page.text().await.expect("html");
            text.split("name=\"csrf_token\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
                .to_owned()
        }
    };
    let callers = [
        (anonymous.clone(), String::new()),
        (admin.clone(), token_of(&admin).await),
        (town.clone(), token_of(&town).await),
    ];
    let mut random = Lcg(20_261_203);
    let mut failures = Vec::new();
    let mut sent = 0;
    while sent < REQUESTS {
        let (client, token) = random.pick(&callers);
        let write = !random.next().is_multiple_of(3);
        let (method, path) = if write {
            let endpoint = random.pick(renkei::routes::endpoints());
            (endpoint.method, endpoint.path)
        } else {
            ("GET", *random.pick(GET_PATHS))
        };
        let url = format!(
            "{}{}{}",
            server.base,
            fill(path, &mut random),
            random.pick(QUERIES)
        );
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = client.request(method.clone(), &url);
        if method != reqwest::Method::GET {
            let body = *random.pick(BODIES);
            if let Some(content_type) = random.pick(TYPES) {
                request = request.header("content-type", *content_type);
            }
            if !token.is_empty() && random.next().is_multiple_of(2) {
                request = request.header("x-csrf-token", token.as_str());
            }
            request = request.body(body);
        } else if random.next().is_multiple_of(2) {
            request = request.header("accept", "text/html");
        }
        sent += 1;
        match request.send().await {
            Ok(response) if response.status().is_server_error() => {
                failures.push(format!("{} {method} {url}", response.status()));
            }
            Ok(_) => {}
            Err(error) => failures.push(format!("no answer: {method} {url}: {error}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let health = anonymous
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200, "still healthy after the fuzz pass");
    let log = server.log_text();
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    assert!(
        errors.is_empty(),
        "requests wrote ERROR lines:\n{}",
        errors
            .iter()
            .take(10)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
