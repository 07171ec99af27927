//! `calendar_token`: the secret in the address of a person's calendar feed of
//! dispatches. Only its hash is kept; issuing a new one replaces the old.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarToken::Table)
                    .if_not_exists()
                    .col(integer(CalendarToken::AccountId).primary_key())
                    .col(string_len(CalendarToken::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(CalendarToken::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CalendarToken::Table, CalendarToken::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CalendarToken {
    Table,
    AccountId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
