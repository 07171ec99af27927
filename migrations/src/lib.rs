//! Schema migrations. One tree runs on SQLite and PostgreSQL: only portable column
//! types, foreign keys declared in `CREATE TABLE`, one change per `ALTER TABLE`.

#![expect(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait elides the lifetime of SchemaManager; naming it breaks the impl"
)]

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_reference_tables;
mod m20261122_000002_create_case_study;
mod m20261122_000003_create_accounts;
mod m20261122_000004_create_advisors;
mod m20261202_000005_create_form_flash_and_photos;
mod m20261202_000006_create_trainings;
mod m20261203_000007_reliability;
mod m20261204_000008_temporary_password;
mod m20261204_000009_training_billing;
mod m20261205_000010_create_dispatches;
mod m20261205_000011_calendar_token;
mod m20261205_000012_counterparts;
mod m20261205_000013_contact_log;
mod m20261206_000014_channels;
mod m20261206_000015_notices;
mod m20261207_000016_surveys;
mod m20261207_000017_webhooks;
mod m20261207_000018_post_mentions;

/// Every migration of the product, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_reference_tables::Migration),
            Box::new(m20261122_000002_create_case_study::Migration),
            Box::new(m20261122_000003_create_accounts::Migration),
            Box::new(m20261122_000004_create_advisors::Migration),
            Box::new(m20261202_000005_create_form_flash_and_photos::Migration),
            Box::new(m20261202_000006_create_trainings::Migration),
            Box::new(m20261203_000007_reliability::Migration),
            Box::new(m20261204_000008_temporary_password::Migration),
            Box::new(m20261204_000009_training_billing::Migration),
            Box::new(m20261205_000010_create_dispatches::Migration),
            Box::new(m20261205_000011_calendar_token::Migration),
            Box::new(m20261205_000012_counterparts::Migration),
            Box::new(m20261205_000013_contact_log::Migration),
            Box::new(m20261206_000014_channels::Migration),
            Box::new(m20261206_000015_notices::Migration),
            Box::new(m20261207_000016_surveys::Migration),
            Box::new(m20261207_000017_webhooks::Migration),
            Box::new(m20261207_000018_post_mentions::Migration),
        ]
    }
}
