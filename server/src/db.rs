//! Opening the database and migrating it.

use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::Connection;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::redact_url;

/// Connects to SQLite or PostgreSQL, chosen by the URL scheme.
///
/// SQLite gets WAL (readers never wait for the writer), a 5 s busy timeout,
/// `synchronous=NORMAL` and foreign keys, and one pooled connection: sea-orm's
/// default, which serialises writes instead of failing them with `SQLITE_BUSY`.
///
/// A connection still inside a transaction when it comes back to the pool is
/// closed, never reused (see [`clean_on_release`]).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        if let Some(dir) = sqlite_parent_dir(url) {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        }
        options
            .max_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true)
            })
            .map_sqlx_sqlite_pool_opts(|o| o.after_release(|conn, _| clean_on_release(conn)));
    } else {
        options
            .max_connections(10)
            .min_connections(1)
            .map_sqlx_postgres_pool_opts(|o| o.after_release(|conn, _| clean_on_release(conn)));
    }
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database {}", redact_url(url)))
}

/// Whether a connection coming back to the pool may be reused: only when it is
/// outside any transaction.
///
/// A failed `COMMIT` (`SQLITE_FULL` on a full disk) leaves the driver counting an
/// open transaction; when SQLite had already rolled it back, the rollback queued
/// on drop fails too and the count stays at one. Reused, such a connection turns
/// every later `BEGIN` into a `SAVEPOINT` inside a transaction that never
/// commits: writes are acknowledged and then lost. The ping first runs whatever
/// rollback the dropped transaction queued; a connection still counting a
/// transaction after it is closed (closing rolls back) and the pool opens a new one.
fn clean_on_release<C: Connection>(
    conn: &mut C,
) -> futures_util::future::BoxFuture<'_, Result<bool, sea_orm::sqlx::Error>> {
    Box::pin(async move {
        conn.ping().await?;
        let clean = !conn.is_in_transaction();
        if !clean {
            tracing::warn!("a database connection was left inside a transaction; closing it");
        }
        Ok(clean)
    })
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("database migration failed")
}

/// The directory of a file-backed SQLite URL, if any.
fn sqlite_parent_dir(url: &str) -> Option<std::path::PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(std::path::Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_directory_is_found_in_sqlite_urls() {
        assert_eq!(
            sqlite_parent_dir("sqlite://data/renkei.db?mode=rwc"),
            Some("data".into())
        );
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_parent_dir("sqlite://renkei.db"), None);
    }
}
