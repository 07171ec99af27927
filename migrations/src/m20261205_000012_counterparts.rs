//! カウンターパート: who at the 県 is each town's contact, at every date. An
//! assignment names a town (or, as the default of its towns, a region), a 県 account,
//! whether it is the primary, and the days it runs; history is closed, never
//! overwritten.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Counterpart::Table)
                    .if_not_exists()
                    .col(pk_auto(Counterpart::Id))
                    .col(char_len(Counterpart::PrefectureCode, 6))
                    .col(char_len_null(Counterpart::MunicipalityCode, 6))
                    .col(integer_null(Counterpart::RegionId))
                    .col(integer(Counterpart::AccountId))
                    .col(boolean(Counterpart::IsPrimary))
                    .col(date(Counterpart::StartsOn))
                    .col(date_null(Counterpart::EndsOn))
                    .col(timestamp_with_time_zone(Counterpart::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Counterpart::Table, Counterpart::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Counterpart::Table, Counterpart::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_counterpart_town")
                    .table(Counterpart::Table)
                    .col(Counterpart::MunicipalityCode)
                    .col(Counterpart::StartsOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_counterpart_account")
                    .table(Counterpart::Table)
                    .col(Counterpart::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Counterpart::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Counterpart {
    Table,
    Id,
    PrefectureCode,
    MunicipalityCode,
    RegionId,
    AccountId,
    IsPrimary,
    StartsOn,
    EndsOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
