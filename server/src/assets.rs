//! The browser bundle (`/pkg/…`): its files are served under names that carry a
//! hash of their content, so a browser keeps them for a year and never asks again,
//! and a new release changes the names the pages link to.
//!
//! cargo-leptos writes `renkei.js`, `renkei.wasm` and `renkei.css`. At start the
//! server hashes the three together into one version; the pages link to
//! `/pkg/renkei.<version>.js` (and `.wasm`, `.css`), which this module answers with
//! the current file and `Cache-Control: immutable`. A name with another version (a
//! page rendered before a release) is not found, and the page stays usable without
//! JavaScript instead of running a bundle it was not rendered for. Other files
//! under `/pkg/` keep their names and are revalidated on each use.

use std::io::Read;
use std::path::{Path as FsPath, PathBuf};

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use app::state::AppState;

/// The name cargo-leptos gives the bundle's files.
pub const OUTPUT_NAME: &str = "renkei";

/// The files whose content makes the version.
const VERSIONED: [&str; 3] = ["js", "wasm", "css"];

/// Hex digits of the content hash in a file name.
const VERSION_LEN: usize = 16;

/// `renkei.<version>` when the bundle is in `site_root/pkg`, else `renkei` (pages
/// then link the plain names, which are revalidated).
pub fn output_name(site_root: &FsPath) -> String {
    match bundle_version(&site_root.join("pkg")) {
        Some(version) => format!("{OUTPUT_NAME}.{version}"),
        None => OUTPUT_NAME.to_owned(),
    }
}

/// The hash of the three files, or `None` when one is missing.
fn bundle_version(pkg: &FsPath) -> Option<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    for extension in VERSIONED {
        let mut file = std::fs::File::open(pkg.join(format!("{OUTPUT_NAME}.{extension}"))).ok()?;
        hasher.update(extension.as_bytes());
        loop {
            let read = file.read(&mut buffer).ok()?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
    }
    let hex = app::services::passwords::to_hex(&hasher.finalize());
    Some(hex[..VERSION_LEN].to_owned())
}

/// What a requested name under `/pkg/` refers to.
#[derive(Debug, PartialEq, Eq)]
enum Asset<'a> {
    /// A bundle file of the running version: `renkei.<ext>` on disk.
    Current(&'static str),
    /// A bundle file of another version.
    Stale,
    /// Any other file, served under its own name.
    Plain(&'a str),
}

fn classify<'a>(file: &'a str, output_name: &str) -> Asset<'a> {
    let Some(rest) = file
        .strip_prefix(OUTPUT_NAME)
        .and_then(|r| r.strip_prefix('.'))
    else {
        return Asset::Plain(file);
    };
    let Some((version, extension)) = rest.split_once('.') else {
        return Asset::Plain(file);
    };
    // Leptos names the wasm `<name>_bg.wasm` when it was not built by cargo-leptos.
    let version = version.strip_suffix("_bg").unwrap_or(version);
    let looks_versioned =
        version.len() == VERSION_LEN && version.bytes().all(|b| b.is_ascii_hexdigit());
    let Some(extension) = VERSIONED.into_iter().find(|known| *known == extension) else {
        return Asset::Plain(file);
    };
    if !looks_versioned {
        return Asset::Plain(file);
    }
    if output_name
        .strip_prefix(OUTPUT_NAME)
        .and_then(|r| r.strip_prefix('.'))
        == Some(version)
    {
        Asset::Current(extension)
    } else {
        Asset::Stale
    }
}

/// `GET /pkg/{*file}`.
pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: Request,
) -> Response {
    let pkg = PathBuf::from(state.leptos_options.site_root.as_ref()).join("pkg");
    let (path, immutable) = match classify(&file, &state.leptos_options.output_name) {
        Asset::Current(extension) => (format!("/{OUTPUT_NAME}.{extension}"), true),
        Asset::Plain(name) => (format!("/{name}"), false),
        Asset::Stale => return StatusCode::NOT_FOUND.into_response(),
    };
    let (mut parts, body) = request.into_parts();
    parts.uri = match Uri::builder().path_and_query(path).build() {
        Ok(uri) => uri,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = match ServeDir::new(pkg)
        .oneshot(Request::from_parts(parts, body))
        .await
    {
        Ok(response) => response.into_response(),
        Err(infallible) => match infallible {},
    };
    if immutable && response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURRENT: &str = "renkei.0123456789abcdef";

    #[test]
    fn a_name_with_the_running_version_is_the_current_file() {
        assert_eq!(
            classify("renkei.0123456789abcdef.wasm", CURRENT),
            Asset::Current("wasm")
        );
        assert_eq!(
            classify("renkei.0123456789abcdef_bg.wasm", CURRENT),
            Asset::Current("wasm")
        );
        assert_eq!(
            classify("renkei.0123456789abcdef.css", CURRENT),
            Asset::Current("css")
        );
    }

    #[test]
    fn a_name_from_an_earlier_release_is_stale_and_other_files_keep_their_names() {
        assert_eq!(
            classify("renkei.fedcba9876543210.js", CURRENT),
            Asset::Stale
        );
        assert_eq!(classify("renkei.js", CURRENT), Asset::Plain("renkei.js"));
        assert_eq!(
            classify("snippets/x/inline0.js", CURRENT),
            Asset::Plain("snippets/x/inline0.js")
        );
        assert_eq!(
            classify("renkei.0123456789abcdef.txt", CURRENT),
            Asset::Plain("renkei.0123456789abcdef.txt")
        );
    }

    #[test]
    fn the_version_changes_with_any_file_of_the_bundle() {
        let dir = tempfile::tempdir().expect("dir");
        for extension in VERSIONED {
            std::fs::write(dir.path().join(format!("renkei.{extension}")), extension)
                .expect("write");
        }
        let first = bundle_version(dir.path()).expect("version");
        assert_eq!(first.len(), VERSION_LEN);
        std::fs::write(dir.path().join("renkei.css"), "body{}").expect("write");
        let second = bundle_version(dir.path()).expect("version");
        assert_ne!(first, second);
        std::fs::remove_file(dir.path().join("renkei.js")).expect("remove");
        assert_eq!(bundle_version(dir.path()), None);
    }
}
