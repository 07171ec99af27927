//! The browser bundle: compressed for the browsers that accept it, kept for a year
//! under names that carry its version (revalidated under its plain names), and
//! HTML pages left uncompressed.

use std::sync::Arc;

use crate::helpers::{Backend, TestApp, TestDb};

/// A server whose site root holds a small bundle (and the demo accounts).
async fn app_with_bundle() -> (TestApp, tempfile::TempDir) {
    let site = tempfile::tempdir().expect("site dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(
        pkg.join("renkei.css"),
        "body { color: #1a1a1a; }\n".repeat(400),
    )
    .expect("css");
    std::fs::write(pkg.join("renkei.js"), "export default function init() {}\n").expect("js");
    std::fs::write(
        pkg.join("renkei.wasm"),
        [b"\0asm\x01\0\0\0".as_slice(), &[0; 65_536]].concat(),
    )
    .expect("wasm");
    let test_db = TestDb::create(Backend::Sqlite).await;
    let db = test_db.connect().await;
    crate::helpers::seed_reference_data(&db).await;
    renkei::demo::create_demo_accounts(&db)
        .await
        .expect("demo accounts");
    let root = site.path().to_path_buf();
    let app = TestApp::start_with(Arc::new(test_db), move |config| config.site_root = root).await;
    (app, site)
}

async fn fetch(client: &reqwest::Client, url: String, encodings: &str) -> reqwest::Response {
    let mut request = client.get(url);
    if !encodings.is_empty() {
        request = request.header("accept-encoding", encodings);
    }
    request.send().await.expect("response")
}

fn encoding(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_bundle_is_sent_compressed_to_browsers_that_accept_it() {
    let (app, _site) = app_with_bundle().await;
    let url = app.url("/pkg/renkei.wasm");
    let plain = fetch(&app.client, url.clone(), "").await;
    assert_eq!(plain.status(), 200);
    assert_eq!(encoding(&plain), None);
    let full = plain.bytes().await.expect("body").len();
    assert_eq!(full, 65_544);

    let br = fetch(&app.client, url.clone(), "gzip, deflate, br").await;
    assert_eq!(encoding(&br), Some("br"));
    let sent = br.bytes().await.expect("body").len();
    assert!(sent * 10 < full, "{sent} of {full} bytes");

    let gzip = fetch(&app.client, url, "gzip").await;
    assert_eq!(encoding(&gzip), Some("gzip"));

    let css = fetch(&app.client, app.url("/pkg/renkei.css"), "br").await;
    assert_eq!(encoding(&css), Some("br"));
    let json = fetch(&app.client, app.url("/api/cases"), "br").await;
    assert_eq!(json.status(), 200);
    assert_eq!(encoding(&json), Some("br"));
}

#[tokio::test]
async fn pages_are_compressed_and_carry_their_form_token_masked_afresh_each_time() {
    let (app, _site) = app_with_bundle().await;
    let page = fetch(
        &app.client,
        app.url("/cases?q=%E7%A0%94%E4%BF%AE"),
        "gzip, br",
    )
    .await;
    assert_eq!(page.status(), 200);
    assert_eq!(encoding(&page), Some("br"));

    // One browser, one token in its cookie, never the same bytes in two pages:
    // the length of a compressed page tells nothing about it (BREACH).
    let browser = app.browser();
    let first = app.form_token(&browser, "/login").await;
    let second = app.form_token(&browser, "/login").await;
    assert_ne!(first, second);
    assert_eq!(first.len(), 128);
    // A wrong password answers 303 back to the form; a refused token, 403.
    for token in [first, second] {
        let tried = browser
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", "miyake@renkei.example"),
                ("password", "not-the-password"),
            ])
            .send()
            .await
            .expect("sign-in");
        assert_eq!(
            tried.status(),
            303,
            "either masking of the token is accepted"
        );
    }
    let forged = browser
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", "0".repeat(128).as_str()),
            ("email", "miyake@renkei.example"),
            ("password", "not-the-password"),
        ])
        .send()
        .await
        .expect("sign-in");
    assert_eq!(forged.status(), 403);
}

#[tokio::test]
async fn a_signed_in_person_revalidates_the_bundle_instead_of_downloading_it_again() {
    let (app, _site) = app_with_bundle().await;
    let staff = app.signed_in("miyake@renkei.example").await;
    let first = fetch(&staff, app.url("/pkg/renkei.css"), "").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let modified = first.headers()["last-modified"].clone();
    let again = staff
        .get(app.url("/pkg/renkei.css"))
        .header("if-modified-since", modified)
        .send()
        .await
        .expect("response");
    assert_eq!(again.status(), 304);
    // Their pages are still kept by no cache.
    let page = fetch(&staff, app.url("/"), "").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
}

/// The stylesheet a page links to.
async fn linked_stylesheet(app: &TestApp) -> String {
    let page = app.client.get(app.url("/")).send().await.expect("page");
    let html = page.text().await.expect("html");
    let start = html.find("/pkg/renkei.").expect("a bundle link");
    let end = start + html[start..].find('"').expect("end of link");
    let css = html[start..end].to_owned();
    assert!(html.contains(&css.replace(".css", ".wasm")), "{html}");
    css
}

#[tokio::test]
async fn pages_link_the_bundle_under_its_version_which_browsers_keep_for_a_year() {
    let (app, site) = app_with_bundle().await;
    let css = linked_stylesheet(&app).await;
    assert!(css.ends_with(".css"), "{css}");
    assert_ne!(css, "/pkg/renkei.css");
    let kept = fetch(&app.client, app.url(&css), "").await;
    assert_eq!(kept.status(), 200);
    assert_eq!(
        kept.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(kept.text().await.expect("css").starts_with("body"));

    // A release changes the files: the pages link other names, and a page
    // rendered before it gets no bundle it was not made for.
    std::fs::write(
        site.path().join("pkg/renkei.css"),
        "body { color: #000; }\n",
    )
    .expect("css");
    let root = site.path().to_path_buf();
    let test_db = Arc::new(TestDb::create(Backend::Sqlite).await);
    let next = TestApp::start_with(test_db, move |config| config.site_root = root).await;
    let next_css = linked_stylesheet(&next).await;
    assert_ne!(next_css, css);
    let stale = fetch(&next.client, next.url(&css), "").await;
    assert_eq!(stale.status(), 404);
}
