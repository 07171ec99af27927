//! Prefectures, their regions (地域) and municipalities: the tenants and scopes every
//! later feature hangs off (counterparts by region, users by municipality, …).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Prefecture::Table)
                    .if_not_exists()
                    .col(char_len(Prefecture::Code, 6).primary_key())
                    .col(string_len_uniq(Prefecture::Name, 8))
                    .col(string_len(Prefecture::Kana, 32))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Region::Table)
                    .if_not_exists()
                    .col(pk_auto(Region::Id))
                    .col(char_len(Region::PrefectureCode, 6))
                    .col(string_len(Region::Name, 64))
                    .col(integer(Region::SortOrder).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Region::Table, Region::PrefectureCode)
                            .to(Prefecture::Table, Prefecture::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_region_prefecture_name")
                    .table(Region::Table)
                    .col(Region::PrefectureCode)
                    .col(Region::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Municipality::Table)
                    .if_not_exists()
                    .col(char_len(Municipality::Code, 6).primary_key())
                    .col(char_len(Municipality::PrefectureCode, 6))
                    .col(string_len(Municipality::Name, 32))
                    .col(string_len(Municipality::Kana, 64))
                    .col(string_len(Municipality::Kind, 16))
                    .col(integer_null(Municipality::RegionId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Municipality::Table, Municipality::PrefectureCode)
                            .to(Prefecture::Table, Prefecture::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Municipality::Table, Municipality::RegionId)
                            .to(Region::Table, Region::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_municipality_prefecture")
                    .table(Municipality::Table)
                    .col(Municipality::PrefectureCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Municipality::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Region::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Prefecture::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Prefecture {
    Table,
    Code,
    Name,
    Kana,
}

#[derive(DeriveIden)]
pub(crate) enum Region {
    Table,
    Id,
    PrefectureCode,
    Name,
    SortOrder,
}

#[derive(DeriveIden)]
pub(crate) enum Municipality {
    Table,
    Code,
    PrefectureCode,
    Name,
    Kana,
    Kind,
    RegionId,
}
