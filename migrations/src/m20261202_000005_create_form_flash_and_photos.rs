//! One-time form messages kept on the server (what a user typed can be longer than
//! a cookie holds), and optional advisor photos in a table of their own so that
//! reading profiles never loads image bytes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000004_create_advisors::Advisor;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormFlash::Table)
                    .if_not_exists()
                    .col(char_len(FormFlash::TokenHash, 64).primary_key())
                    .col(text(FormFlash::Payload))
                    .col(timestamp_with_time_zone(FormFlash::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_form_flash_created_at")
                    .table(FormFlash::Table)
                    .col(FormFlash::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AdvisorPhoto::Table)
                    .if_not_exists()
                    .col(integer(AdvisorPhoto::AdvisorId).primary_key())
                    .col(string_len(AdvisorPhoto::ContentType, 32))
                    .col(blob(AdvisorPhoto::Bytes))
                    .col(timestamp_with_time_zone(AdvisorPhoto::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorPhoto::Table, AdvisorPhoto::AdvisorId)
                            .to(Advisor::Table, Advisor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AdvisorPhoto::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FormFlash::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FormFlash {
    Table,
    TokenHash,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AdvisorPhoto {
    Table,
    AdvisorId,
    ContentType,
    Bytes,
    UpdatedAt,
}
