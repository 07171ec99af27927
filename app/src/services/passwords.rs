//! Password hashing (argon2id, OWASP parameters: 19 MiB, 2 passes) and random
//! tokens. Hashing runs on the blocking pool so it never stalls other requests.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

use crate::domain::account::NewPassword;

/// Password hashes computed at once: one per core, so 100 simultaneous sign-ins
/// cost the memory of a few (19 MiB each), not of a hundred.
static GATE: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get().max(2)))
});
static WAITING: AtomicUsize = AtomicUsize::new(0);
/// Callers that may wait for a turn; beyond them the answer is "busy" at once.
pub const MAX_WAITING: usize = 32;

/// A turn to hash or check a password; held while the hash runs.
#[derive(Debug)]
pub struct HashPermit {
    _permit: SemaphorePermit<'static>,
}

/// Too many password checks are running and waiting.
#[derive(Debug, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

/// Waits for a turn to hash a password, or refuses at once when
/// [`MAX_WAITING`] callers already wait.
pub async fn permit() -> Result<HashPermit, Busy> {
    if let Ok(permit) = GATE.try_acquire() {
        return Ok(HashPermit { _permit: permit });
    }
    if WAITING.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        WAITING.fetch_sub(1, Ordering::SeqCst);
        return Err(Busy);
    }
    let permit = GATE.acquire().await;
    WAITING.fetch_sub(1, Ordering::SeqCst);
    permit
        .map(|permit| HashPermit { _permit: permit })
        .map_err(|_| Busy)
}

impl From<Busy> for crate::error::AppError {
    fn from(_: Busy) -> Self {
        Self::Throttled {
            message: "ただいまログインが集中しています。数秒後にもう一度お試しください。"
                .to_owned(),
            retry_after_secs: 2,
        }
    }
}

/// Hashes a new password into a PHC string.
pub async fn hash(password: &NewPassword) -> anyhow::Result<String> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .context("password hashing task failed")?
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| anyhow::anyhow!("cannot encode salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

/// A hash of a random password, checked when the email is unknown so that a wrong
/// email takes as long as a wrong password.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    random_token()
        .ok()
        .and_then(|password| hash_blocking(&password).ok())
});

/// Computes the dummy hash now, so the first unknown email does not take longer
/// than later ones. Call once at startup.
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(|| LazyLock::force(&DUMMY_HASH).is_some()).await;
}

/// Whether `password` matches `stored`. With no stored hash (unknown email) a dummy
/// hash is checked anyway and the answer is `false`.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
    let password = password.to_owned();
    let stored = stored.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let Some(phc) = stored.or_else(|| DUMMY_HASH.clone()) else {
            return false;
        };
        let matches = PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && matches
    })
    .await
    .unwrap_or(false)
}

fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(bytes)
}

/// 256 random bits as 64 hex digits: session and CSRF tokens.
pub fn random_token() -> anyhow::Result<String> {
    Ok(to_hex(&random_bytes::<32>()?))
}

/// Hex SHA-256 of a token, as stored in the database.
pub fn token_hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let password = NewPassword::parse("correct horse battery").expect("valid");
        let stored = hash(&password).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("correct"));
        assert!(verify("correct horse battery", Some(&stored)).await);
        assert!(!verify("correct horse battery!", Some(&stored)).await);
        assert!(!verify("correct horse battery", None).await);
    }

    #[test]
    fn tokens_are_random_and_their_hash_is_not_the_token() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
    }
}
