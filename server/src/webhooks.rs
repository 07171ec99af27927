//! The webhook worker: a background task that sends the outbox's due deliveries
//! (written by the services in the transaction of each event), so a user's
//! request never waits for, or fails because of, a chat tool. Each attempt has
//! a timeout; a failure is retried with exponential backoff until the attempts
//! run out, then the delivery is dead and waits for a resend on the admin page.
//!
//! Never logged: the URL (a Slack webhook's path is its secret), the signing
//! secret, the body.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sea_orm::DatabaseConnection;
use sha2::Sha256;

use app::domain::webhook::{Format, body};
use app::services::webhooks::check_target;
use app::services::webhooks::outbox::{self, Claimed};

use crate::config::Config;

/// Deliveries sent at once per round.
const BATCH: u64 = 16;
/// How often 照会 with a near deadline are looked for.
const DUE_CHECK_EVERY: Duration = Duration::from_secs(60);

/// The worker's settings and its HTTP client.
#[derive(Debug, Clone)]
pub struct Worker {
    client: reqwest::Client,
    origin: String,
    max_attempts: u32,
    backoff_ms: u64,
    poll: Duration,
    allow_private: bool,
}

impl Worker {
    /// From the configuration; `local` is the address served, for links when no
    /// public origin is set.
    pub fn new(config: &Config, local: SocketAddr) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(config.webhook_timeout_ms.max(1));
        let client = crate::http_client::client_builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // A redirect could lead anywhere, inside the office network too.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Renkei-Webhook/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            origin: config
                .public_origin
                .clone()
                .unwrap_or_else(|| format!("http://{local}")),
            max_attempts: config.webhook_max_attempts.max(1),
            backoff_ms: config.webhook_backoff_ms,
            poll: Duration::from_millis(config.webhook_poll_ms.max(10)),
            allow_private: config.webhook_allow_private,
        })
    }
}

/// Starts the worker; it runs until the returned handle is aborted.
pub fn spawn_worker(db: DatabaseConnection, worker: Worker) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move { worker.run(db).await })
}

/// `sha256=` and the HMAC-SHA256 of `body` under `secret`, in hex: what the
/// receiver computes to check that the body came from the portal unchanged.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        // HMAC takes a key of any length; this branch is never taken.
        return String::new();
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

impl Worker {
    async fn run(self, db: DatabaseConnection) {
        let mut ticks = tokio::time::interval(self.poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut due_checked: Option<Instant> = None;
        loop {
            ticks.tick().await;
            if due_checked.is_none_or(|at| at.elapsed() >= DUE_CHECK_EVERY) {
                due_checked = Some(Instant::now());
                if let Err(error) = app::services::surveys::announce_due(&db).await {
                    tracing::warn!(%error, "could not look for 照会 due soon");
                }
            }
            match outbox::claim_due(&db, BATCH).await {
                Ok(batch) => {
                    let sends = batch.into_iter().map(|claimed| self.deliver(&db, claimed));
                    futures_util::future::join_all(sends).await;
                }
                Err(error) => tracing::warn!(%error, "could not read the webhook outbox"),
            }
        }
    }

    async fn deliver(&self, db: &DatabaseConnection, claimed: Claimed) {
        let attempt = claimed.attempts + 1;
        let recorded = match self.attempt(&claimed).await {
            Ok(status) => {
                tracing::info!(delivery = claimed.id, attempt, status, "webhook delivered");
                outbox::record_success(db, claimed.id, attempt, status).await
            }
            Err((status, error)) => {
                tracing::warn!(
                    delivery = claimed.id,
                    attempt,
                    status,
                    error = %error,
                    "webhook delivery failed"
                );
                outbox::record_failure(
                    db,
                    claimed.id,
                    attempt,
                    status,
                    &error,
                    self.max_attempts,
                    self.backoff_ms,
                )
                .await
            }
        };
        if let Err(error) = recorded {
            // The lease runs out and the delivery is tried again.
            tracing::error!(delivery = claimed.id, %error, "could not record a webhook attempt");
        }
    }

    /// One attempt: the HTTP status taken, or the status (if any) and why not.
    async fn attempt(&self, claimed: &Claimed) -> Result<u16, (Option<u16>, String)> {
        check_target(&claimed.url, self.allow_private)
            .await
            .map_err(|message| (None, message))?;
        let text = body(
            &claimed.event,
            claimed.format,
            &self.origin,
            &claimed.created_at.to_rfc3339(),
        );
        let mut request = self
            .client
            .post(&claimed.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Renkei-Event", claimed.event.kind.key())
            .header("X-Renkei-Delivery", claimed.id.to_string());
        if let (Format::Json, Some(secret)) = (claimed.format, &claimed.secret) {
            request = request.header("X-Renkei-Signature", signature(secret, text.as_bytes()));
        }
        match request.body(text).send().await {
            Ok(response) if response.status().is_success() => Ok(response.status().as_u16()),
            Ok(response) => {
                let status = response.status().as_u16();
                Err((
                    Some(status),
                    format!("受け口が HTTP {status} を返しました。"),
                ))
            }
            Err(error) if error.is_timeout() => {
                Err((None, "時間内に応答がありませんでした。".to_owned()))
            }
            Err(error) => Err((None, format!("送れませんでした: {}", error.without_url()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
