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

/// The CSRF token as a page carries it: a fresh random pad followed by the token
/// XORed with it (128 hex digits), so no two responses carry the same bytes and a
/// compressed page's length tells nothing about the token (BREACH). Without
/// system randomness the token is sent as it is.
pub fn masked_token(token: &str) -> String {
    let (Some(bytes), Ok(pad)) = (from_hex(token), random_bytes::<32>()) else {
        return token.to_owned();
    };
    let mixed: Vec<u8> = bytes.iter().zip(pad.iter()).map(|(t, p)| t ^ p).collect();
    format!("{}{}", to_hex(&pad), to_hex(&mixed))
}

/// The token a form or header sent: unmasked when it is a [`masked_token`], as it
/// is when it has the plain length (API clients send the cookie's value).
pub fn unmasked_token(sent: &str) -> Option<String> {
    match sent.len() {
        64 => Some(sent.to_owned()),
        128 => {
            let pad = from_hex(&sent[..64])?;
            let mixed = from_hex(&sent[64..])?;
            let token: Vec<u8> = mixed.iter().zip(pad.iter()).map(|(m, p)| m ^ p).collect();
            Some(to_hex(&token))
        }
        _ => None,
    }
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Hex SHA-256 of a token, as stored in the database.
pub fn token_hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hex digits of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
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

    #[test]
    fn a_masked_token_differs_every_time_and_unmasks_to_the_token() {
        let token = random_token().expect("token");
        let one = masked_token(&token);
        let two = masked_token(&token);
        assert_ne!(one, two);
        assert_eq!(one.len(), 128);
        assert_eq!(unmasked_token(&one).as_deref(), Some(token.as_str()));
        assert_eq!(unmasked_token(&two).as_deref(), Some(token.as_str()));
        assert_eq!(unmasked_token(&token).as_deref(), Some(token.as_str()));
        assert_eq!(unmasked_token("zz"), None);
        assert_eq!(unmasked_token(&"g".repeat(128)), None);
    }

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
