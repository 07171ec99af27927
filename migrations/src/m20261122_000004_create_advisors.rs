//! The デジタル人材バンク: taxonomies kept as data (editable by a 県管理者) and advisor
//! profiles with their many-valued attributes in child tables.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_reference_tables::{Municipality, Prefecture, Region};
use crate::m20261122_000003_create_accounts::Account;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaxonomyTerm::Table)
                    .if_not_exists()
                    .col(string_len(TaxonomyTerm::Kind, 32))
                    .col(string_len(TaxonomyTerm::Code, 64))
                    .col(string_len(TaxonomyTerm::Label, 100))
                    .col(integer(TaxonomyTerm::SortOrder).default(0))
                    .col(boolean(TaxonomyTerm::Active).default(true))
                    .primary_key(
                        Index::create()
                            .col(TaxonomyTerm::Kind)
                            .col(TaxonomyTerm::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Advisor::Table)
                    .if_not_exists()
                    .col(pk_auto(Advisor::Id))
                    .col(char_len(Advisor::PrefectureCode, 6))
                    .col(integer_null(Advisor::AccountId).unique_key())
                    .col(string_len(Advisor::Name, 100))
                    .col(string_len(Advisor::Kana, 100))
                    .col(string_len(Advisor::Affiliation, 200))
                    .col(string_len(Advisor::Engagement, 64))
                    .col(string_len(Advisor::Jinzaizo, 64))
                    .col(small_integer_null(Advisor::ItssLevel))
                    .col(text(Advisor::MunicipalKnowledge))
                    .col(text(Advisor::Bio))
                    .col(text(Advisor::TrackRecord))
                    .col(boolean(Advisor::Onsite))
                    .col(boolean(Advisor::Online))
                    .col(boolean(Advisor::WholePrefecture).default(false))
                    .col(string_len_null(Advisor::ContactEmail, 254))
                    .col(string_len_null(Advisor::ContactPhone, 32))
                    .col(boolean(Advisor::Published).default(false))
                    .col(boolean(Advisor::Retired).default(false))
                    .col(timestamp_with_time_zone(Advisor::CreatedAt))
                    .col(timestamp_with_time_zone(Advisor::UpdatedAt))
                    .col(timestamp_with_time_zone(Advisor::LastActiveAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Advisor::Table, Advisor::PrefectureCode)
                            .to(Prefecture::Table, Prefecture::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Advisor::Table, Advisor::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;

        // roles, specialties and programmes: (advisor, kind, code)
        manager
            .create_table(
                Table::create()
                    .table(AdvisorTerm::Table)
                    .if_not_exists()
                    .col(integer(AdvisorTerm::AdvisorId))
                    .col(string_len(AdvisorTerm::Kind, 32))
                    .col(string_len(AdvisorTerm::Code, 64))
                    .col(small_integer_null(AdvisorTerm::Year))
                    .primary_key(
                        Index::create()
                            .col(AdvisorTerm::AdvisorId)
                            .col(AdvisorTerm::Kind)
                            .col(AdvisorTerm::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorTerm::Table, AdvisorTerm::AdvisorId)
                            .to(Advisor::Table, Advisor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdvisorArea::Table)
                    .if_not_exists()
                    .col(integer(AdvisorArea::AdvisorId))
                    .col(char_len(AdvisorArea::MunicipalityCode, 6))
                    .primary_key(
                        Index::create()
                            .col(AdvisorArea::AdvisorId)
                            .col(AdvisorArea::MunicipalityCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorArea::Table, AdvisorArea::AdvisorId)
                            .to(Advisor::Table, Advisor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorArea::Table, AdvisorArea::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdvisorRegion::Table)
                    .if_not_exists()
                    .col(integer(AdvisorRegion::AdvisorId))
                    .col(integer(AdvisorRegion::RegionId))
                    .primary_key(
                        Index::create()
                            .col(AdvisorRegion::AdvisorId)
                            .col(AdvisorRegion::RegionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorRegion::Table, AdvisorRegion::AdvisorId)
                            .to(Advisor::Table, Advisor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorRegion::Table, AdvisorRegion::RegionId)
                            .to(Region::Table, Region::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdvisorAvailability::Table)
                    .if_not_exists()
                    .col(integer(AdvisorAvailability::AdvisorId))
                    .col(char_len(AdvisorAvailability::Month, 7))
                    .primary_key(
                        Index::create()
                            .col(AdvisorAvailability::AdvisorId)
                            .col(AdvisorAvailability::Month),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdvisorAvailability::Table, AdvisorAvailability::AdvisorId)
                            .to(Advisor::Table, Advisor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AdvisorAvailability::Table.into_iden(),
            AdvisorRegion::Table.into_iden(),
            AdvisorArea::Table.into_iden(),
            AdvisorTerm::Table.into_iden(),
            Advisor::Table.into_iden(),
            TaxonomyTerm::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TaxonomyTerm {
    Table,
    Kind,
    Code,
    Label,
    SortOrder,
    Active,
}

#[derive(DeriveIden)]
pub(crate) enum Advisor {
    Table,
    Id,
    PrefectureCode,
    AccountId,
    Name,
    Kana,
    Affiliation,
    Engagement,
    Jinzaizo,
    ItssLevel,
    MunicipalKnowledge,
    Bio,
    TrackRecord,
    Onsite,
    Online,
    WholePrefecture,
    ContactEmail,
    ContactPhone,
    Published,
    Retired,
    CreatedAt,
    UpdatedAt,
    LastActiveAt,
}

#[derive(DeriveIden)]
enum AdvisorTerm {
    Table,
    AdvisorId,
    Kind,
    Code,
    Year,
}

#[derive(DeriveIden)]
enum AdvisorArea {
    Table,
    AdvisorId,
    MunicipalityCode,
}

#[derive(DeriveIden)]
enum AdvisorRegion {
    Table,
    AdvisorId,
    RegionId,
}

#[derive(DeriveIden)]
enum AdvisorAvailability {
    Table,
    AdvisorId,
    Month,
}
