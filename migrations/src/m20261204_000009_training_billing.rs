//! What a course's 負担金 notices say besides the amounts: the issuing department
//! and its contact, and, when the organiser has set them, the payment deadline
//! and the account to pay into. One row per course, kept apart from the course so
//! that it can be completed after the split is confirmed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingBilling::Table)
                    .if_not_exists()
                    .col(integer(TrainingBilling::TrainingId).primary_key())
                    .col(string_len(TrainingBilling::Issuer, 100))
                    .col(string_len(TrainingBilling::Contact, 200))
                    .col(date_null(TrainingBilling::PaymentDue))
                    .col(string_len(TrainingBilling::PaymentAccount, 300))
                    .col(timestamp_with_time_zone(TrainingBilling::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrainingBilling::Table, TrainingBilling::TrainingId)
                            .to(Training::Table, Training::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainingBilling::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TrainingBilling {
    Table,
    TrainingId,
    Issuer,
    Contact,
    PaymentDue,
    PaymentAccount,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Training {
    Table,
    Id,
}
