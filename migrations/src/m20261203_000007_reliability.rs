//! Reliability: a row version on every record edited through a form or a PATCH
//! (a stale edit is refused); when a throttled sign-in was last refused (refusals
//! are audited once a minute, not once a request); the prefecture owning a
//! vocabulary term; the log of changes the search index must apply (it catches up
//! after a crash); a row `/healthz` writes to prove the database takes writes;
//! and an audit log that refuses `TRUNCATE` on PostgreSQL too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns this migration adds, as `(table, column definition)`.
fn added_columns() -> Vec<(DynIden, ColumnDef)> {
    let mut columns: Vec<(DynIden, ColumnDef)> =
        [Versioned::Advisor, Versioned::Account, Versioned::Training]
            .into_iter()
            .map(|table| {
                (
                    table.into_iden(),
                    integer(Versioned::Version).default(1).to_owned(),
                )
            })
            .collect();
    columns.push((
        LoginThrottle::Table.into_iden(),
        timestamp_with_time_zone_null(LoginThrottle::RefusedAt),
    ));
    // A term a 県管理者 added belongs to that prefecture; shared terms (NULL)
    // are changed only by the deployment's system administrator.
    columns.push((
        TaxonomyTerm::Table.into_iden(),
        char_len_null(TaxonomyTerm::PrefectureCode, 6),
    ));
    columns
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, mut column) in added_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SearchChange::Table)
                    .if_not_exists()
                    .col(big_integer(SearchChange::Id).auto_increment().primary_key())
                    .col(string_len(SearchChange::Kind, 32))
                    .col(string_len(SearchChange::DocId, 64))
                    .col(timestamp_with_time_zone(SearchChange::ChangedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HealthProbe::Table)
                    .if_not_exists()
                    .col(integer(HealthProbe::Id).primary_key())
                    .col(timestamp_with_time_zone(HealthProbe::CheckedAt))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
                .await?;
        }
        for table in [
            HealthProbe::Table.into_iden(),
            SearchChange::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        for (table, column) in added_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(column.get_column_name())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Versioned {
    Advisor,
    Account,
    Training,
    Version,
}

#[derive(DeriveIden)]
enum TaxonomyTerm {
    Table,
    PrefectureCode,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    RefusedAt,
}

#[derive(DeriveIden)]
enum SearchChange {
    Table,
    Id,
    Kind,
    DocId,
    ChangedAt,
}

#[derive(DeriveIden)]
enum HealthProbe {
    Table,
    Id,
    CheckedAt,
}
