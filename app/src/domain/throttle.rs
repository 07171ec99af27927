//! Backoff after failed sign-ins: a few free attempts, then a lock that doubles
//! with every further failure, up to a ceiling.

/// Free failures per account name before the first lock.
pub const ACCOUNT_FREE_FAILURES: u32 = 5;
/// Free failures per client address (it may serve a whole town hall).
pub const ADDRESS_FREE_FAILURES: u32 = 20;
/// The first lock, in seconds.
pub const BASE_LOCK_SECS: u64 = 30;
/// The longest lock, in seconds.
pub const MAX_LOCK_SECS: u64 = 15 * 60;
/// Failures older than this (seconds since the latest one) are forgotten.
pub const FORGET_AFTER_SECS: i64 = 60 * 60;

/// Seconds to lock after `failures` consecutive failures, given how many are free.
pub fn lock_secs(failures: u32, free: u32) -> Option<u64> {
    let over = failures.checked_sub(free)?;
    let doubling = over.min(16);
    Some(
        BASE_LOCK_SECS
            .saturating_mul(1 << doubling)
            .min(MAX_LOCK_SECS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_first_failures_are_free_then_the_lock_doubles() {
        assert_eq!(lock_secs(4, ACCOUNT_FREE_FAILURES), None);
        assert_eq!(lock_secs(5, ACCOUNT_FREE_FAILURES), Some(30));
        assert_eq!(lock_secs(6, ACCOUNT_FREE_FAILURES), Some(60));
        assert_eq!(lock_secs(7, ACCOUNT_FREE_FAILURES), Some(120));
        assert_eq!(lock_secs(100, ACCOUNT_FREE_FAILURES), Some(MAX_LOCK_SECS));
    }

    proptest! {
        #[test]
        fn more_failures_never_mean_a_shorter_lock(failures in 0u32..10_000, free in 0u32..50) {
            let now = lock_secs(failures, free).unwrap_or(0);
            let next = lock_secs(failures + 1, free).unwrap_or(0);
            prop_assert!(next >= now);
            prop_assert!(next <= MAX_LOCK_SECS);
        }
    }
}
