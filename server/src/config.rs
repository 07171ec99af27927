//! Typed configuration: defaults, then an optional TOML file, then `RENKEI_*`
//! environment variables. The defaults need nothing: SQLite in `./data`.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Deployment environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Local development and tests.
    Development,
    /// A real deployment: demo data is refused, logs default to JSON.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything the server and the CLI are configured with.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`; defaults to `<data_dir>/renkei.db`.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Directory for the SQLite file and, later, the search index.
    pub data_dir: PathBuf,
    /// Directory holding `pkg/` (the built CSS, JS and wasm).
    pub site_root: PathBuf,
    /// Synonym file used by search; defaults to `<data_dir>/synonyms.txt`, created
    /// from the shipped list when missing.
    pub synonyms_file: Option<PathBuf>,
    /// Deployment environment.
    pub env: Environment,
    /// Log format; defaults to JSON in production.
    pub log_format: Option<LogFormat>,
    /// Seconds before a request is answered with 408.
    pub request_timeout_secs: u64,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Requests handled at once; more get 503 with `Retry-After`.
    pub max_concurrent_requests: usize,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: u32,
    /// Hours after sign-in after which a session ends regardless.
    pub session_absolute_hours: u32,
    /// Send cookies with `Secure`: set when the portal is served over HTTPS.
    pub cookie_secure: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_proxy_headers: bool,
    /// The origin browsers use (`https://renkei.pref.nara.jp`); form posts from any
    /// other origin are refused. Defaults to the request's `Host`.
    pub public_origin: Option<String>,
    /// Let webhooks call loopback, private and link-local addresses (tests, or a
    /// chat tool inside the office network). Off: such URLs are refused.
    pub webhook_allow_private: bool,
    /// Attempts per webhook delivery before it is dead (kept for a resend).
    pub webhook_max_attempts: u32,
    /// Wait after the first failed attempt; doubled after each further one.
    pub webhook_backoff_ms: u64,
    /// How long one attempt may take.
    pub webhook_timeout_ms: u64,
    /// How often the worker looks for due deliveries.
    pub webhook_poll_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("data"),
            site_root: PathBuf::from("target/site"),
            synonyms_file: None,
            env: Environment::Development,
            log_format: None,
            request_timeout_secs: 30,
            max_body_bytes: 2 * 1024 * 1024,
            max_concurrent_requests: 512,
            session_idle_minutes: 60,
            session_absolute_hours: 12,
            cookie_secure: false,
            trust_proxy_headers: false,
            public_origin: None,
            webhook_allow_private: false,
            webhook_max_attempts: 6,
            webhook_backoff_ms: 30_000,
            webhook_timeout_ms: 10_000,
            webhook_poll_ms: 1_000,
        }
    }
}

impl Config {
    /// Loads the configuration: defaults, then the TOML file named by
    /// `RENKEI_CONFIG` (or `renkei.toml` when it exists), then `RENKEI_*` variables.
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var_os("RENKEI_CONFIG")
            .map(PathBuf::from)
            .or_else(|| Some(PathBuf::from("renkei.toml")).filter(|p| p.exists()));
        if let Some(path) = &file
            && !path.exists()
        {
            anyhow::bail!(
                "RENKEI_CONFIG names {}, which does not exist",
                path.display()
            );
        }
        Self::from_figment(Self::figment(file.as_deref()))
    }

    fn figment(file: Option<&Path>) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment.merge(Env::prefixed("RENKEI_").ignore(&["config"]))
    }

    fn from_figment(figment: Figment) -> anyhow::Result<Self> {
        figment
            .extract()
            .context("invalid configuration (check RENKEI_* variables and the config file)")
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("renkei.db").display()
            )
        })
    }

    /// Directory of the search index.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// The synonym file.
    pub fn synonyms_file(&self) -> PathBuf {
        self.synonyms_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("synonyms.txt"))
    }

    /// Session lifetimes and cookie attributes for the application state.
    pub fn auth_settings(&self) -> app::state::AuthSettings {
        app::state::AuthSettings {
            idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes.max(1))),
            absolute: chrono::Duration::hours(i64::from(self.session_absolute_hours.max(1))),
            cookie_secure: self.cookies_secure(),
        }
    }

    /// Whether cookies get `Secure` (and pages HSTS): always in production, which
    /// is served over HTTPS, otherwise as `RENKEI_COOKIE_SECURE` says.
    pub fn cookies_secure(&self) -> bool {
        self.cookie_secure || self.env == Environment::Production
    }

    /// The log format to use.
    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(match self.env {
            Environment::Development => LogFormat::Pretty,
            Environment::Production => LogFormat::Json,
        })
    }
}

/// Hides the password of a database URL (`postgres://user:***@host/db`).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url()))
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("site_root", &self.site_root)
            .field("synonyms_file", &self.synonyms_file())
            .field("env", &self.env)
            .field("log_format", &self.log_format())
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("cookie_secure", &self.cookie_secure)
            .field("trust_proxy_headers", &self.trust_proxy_headers)
            .field("public_origin", &self.public_origin)
            .field("webhook_allow_private", &self.webhook_allow_private)
            .field("webhook_max_attempts", &self.webhook_max_attempts)
            .field("webhook_backoff_ms", &self.webhook_backoff_ms)
            .field("webhook_timeout_ms", &self.webhook_timeout_ms)
            .field("webhook_poll_ms", &self.webhook_poll_ms)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn defaults_use_a_sqlite_file_in_the_data_directory() {
        let config = Config::default();
        assert_eq!(config.database_url(), "sqlite://data/renkei.db?mode=rwc");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
    }

    #[test]
    #[expect(
        clippy::result_large_err,
        reason = "figment::Jail closures return figment::Error"
    )]
    fn environment_variables_override_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "renkei.toml",
                "addr = \"127.0.0.1:4000\"\ndata_dir = \"/srv/renkei\"",
            )?;
            jail.set_env("RENKEI_ADDR", "0.0.0.0:8080");
            let config = Config::from_figment(Config::figment(Some(Path::new("renkei.toml"))))
                .map_err(|e| e.to_string())?;
            assert_eq!(config.addr.to_string(), "0.0.0.0:8080");
            assert_eq!(config.data_dir, PathBuf::from("/srv/renkei"));
            assert_eq!(
                config.database_url(),
                "sqlite:///srv/renkei/renkei.db?mode=rwc"
            );
            Ok(())
        });
    }

    #[test]
    #[expect(
        clippy::result_large_err,
        reason = "figment::Jail closures return figment::Error"
    )]
    fn a_malformed_address_is_reported_not_ignored() {
        Jail::expect_with(|jail| {
            jail.set_env("RENKEI_ADDR", "not-an-address");
            let err = Config::from_figment(Config::figment(None)).unwrap_err();
            assert!(format!("{err:#}").contains("addr"), "{err:#}");
            Ok(())
        });
    }

    #[test]
    fn database_passwords_never_appear_in_debug_output() {
        let config = Config {
            database_url: Some("postgres://renkei:s3cret@db.example/renkei".into()),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("postgres://renkei:***@db.example/renkei"),
            "{shown}"
        );
    }
}
