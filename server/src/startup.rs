//! Building the application: router, middleware and listener.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderName, Request, StatusCode};
use leptos::config::{LeptosOptions, ReloadWSProtocol};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use app::state::AppState;
use app::{App, shell};

use crate::config::{Config, Environment};
use crate::routes;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    /// The webhook worker, stopped with the server.
    worker: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Binds `config.addr` (port 0 picks a free port) and builds the router.
    pub async fn build(config: &Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let local = listener.local_addr().context("listener has no address")?;
        let bundle = config.site_root.join("pkg").join("renkei.wasm");
        if !bundle.exists() {
            tracing::warn!(
                path = %bundle.display(),
                "browser bundle not found: pages work, but without JavaScript; run `cargo leptos build` or set RENKEI_SITE_ROOT"
            );
        }
        let root = config.site_root.clone();
        let output_name =
            tokio::task::spawn_blocking(move || crate::assets::output_name(&root)).await?;
        let search = crate::search_setup::open_index(config, &db).await?;
        spawn_index_check(db.clone(), search.clone());
        app::services::passwords::warm_up().await;
        let worker =
            crate::webhooks::spawn_worker(db.clone(), crate::webhooks::Worker::new(config, local)?);
        let state = AppState {
            db,
            search,
            leptos_options: leptos_options(config, local, output_name),
            auth: config.auth_settings(),
            data_dir: config.data_dir.clone(),
            live: app::live::LiveHub::new(),
            webhooks: app::state::WebhookSettings {
                allow_private: config.webhook_allow_private,
            },
        };
        Ok(Self {
            port: local.port(),
            router: router(state, config),
            listener,
            worker,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `signal` completes, then shuts down gracefully.
    pub async fn run_until(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(
            port = self.port,
            "listening on http://{}",
            self.listener.local_addr()?
        );
        let served = crate::serve::serve(self.listener, self.router, signal).await;
        // Deliveries it had claimed are tried again after their lease.
        self.worker.abort();
        served.context("server failed")?;
        tracing::info!("server stopped");
        Ok(())
    }
}

/// How often the index applies database changes it missed (a write whose index
/// update failed, or a change made by another process).
const INDEX_CHECK_EVERY: Duration = Duration::from_secs(15);

/// Brings the index level with the database every [`INDEX_CHECK_EVERY`].
fn spawn_index_check(db: DatabaseConnection, index: app::search::SearchIndex) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INDEX_CHECK_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            app::services::search_index::catch_up_or_log(&db, &index).await;
        }
    });
}

fn leptos_options(
    config: &Config,
    addr: std::net::SocketAddr,
    output_name: String,
) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(match config.env {
            Environment::Development => leptos::config::Env::DEV,
            Environment::Production => leptos::config::Env::PROD,
        })
        .reload_ws_protocol(ReloadWSProtocol::WS)
        .build()
}

/// The app's page routes, generated once per process. Generating them runs the app
/// with resource loading suppressed by a process-wide flag, so a page rendering at
/// that moment on another thread (a second server in the same test process) would
/// wait forever for its data (leptos-rs/leptos#4773).
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The full router with middleware; public for in-process tests.
pub fn router(state: AppState, config: &Config) -> Router {
    let routes = page_routes();
    let options = state.leptos_options.clone();
    let pages = Router::new()
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));

    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let request_id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            // The path only: query strings can carry personal search terms; a
            // calendar feed's path is its secret.
            let path = request.uri().path();
            let path = if path.starts_with("/api/calendar/") && path != "/api/calendar/token" {
                "/api/calendar/[secret]"
            } else {
                path
            };
            tracing::info_span!(
                "request",
                method = %request.method(),
                path = %path,
                request_id = %request_id,
            )
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));

    let guard = crate::security::Guard::new(state.clone(), config);
    let in_flight = crate::limits::InFlight::new(config.max_concurrent_requests);
    routes::router()
        .merge(pages)
        // Applied per route, so the guard sees the matched route pattern.
        .layer(axum::middleware::from_fn_with_state(
            guard,
            crate::security::guard,
        ))
        .with_state(state)
        .layer(CatchPanicLayer::custom(crate::limits::panic_response))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_secs),
        ))
        .layer(axum::middleware::from_fn(crate::limits::server_fn_status))
        .layer(axum::middleware::from_fn(crate::limits::error_bodies))
        .layer(axum::middleware::from_fn_with_state(
            in_flight,
            crate::limits::limit_in_flight,
        ))
        .layer(compression())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Brotli or gzip, as the browser accepts, for pages, JSON and the bundle: the wasm
/// shrinks to a quarter and a page to a fifth on the slow links town offices reach
/// us through. A page's form token is masked afresh on every response and the
/// session cookie is `SameSite=Lax`, so a compressed page's length cannot be used
/// to read the token (BREACH).
fn compression() -> CompressionLayer<impl Predicate> {
    // Brotli 5 / gzip 5: most of the gain of the slowest levels at a fraction of the
    // CPU (the wasm is compressed on each first download by a browser).
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(5))
        .compress_when(DefaultPredicate::new())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
