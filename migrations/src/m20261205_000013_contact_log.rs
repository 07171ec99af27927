//! 伴走支援: a 県 counterpart's contacts with a town (visits, hearings, meetings …)
//! and the follow-ups they leave, each with a due date and an owner.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Contact::Table)
                    .if_not_exists()
                    .col(pk_auto(Contact::Id))
                    .col(char_len(Contact::PrefectureCode, 6))
                    .col(char_len(Contact::MunicipalityCode, 6))
                    .col(string_len(Contact::Kind, 16))
                    .col(date(Contact::HeldOn))
                    .col(string_len(Contact::PrefParticipants, 500))
                    .col(string_len(Contact::TownParticipants, 500))
                    .col(string_len(Contact::Topics, 500))
                    .col(text(Contact::Notes))
                    .col(boolean(Contact::Internal))
                    .col(integer(Contact::AuthorId))
                    .col(timestamp_with_time_zone(Contact::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contact::Table, Contact::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contact::Table, Contact::AuthorId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contact_town")
                    .table(Contact::Table)
                    .col(Contact::MunicipalityCode)
                    .col(Contact::HeldOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FollowUp::Table)
                    .if_not_exists()
                    .col(pk_auto(FollowUp::Id))
                    .col(integer(FollowUp::ContactId))
                    .col(char_len(FollowUp::MunicipalityCode, 6))
                    .col(string_len(FollowUp::Text, 500))
                    .col(date(FollowUp::DueOn))
                    .col(integer(FollowUp::OwnerId))
                    .col(timestamp_with_time_zone_null(FollowUp::DoneAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FollowUp::Table, FollowUp::ContactId)
                            .to(Contact::Table, Contact::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FollowUp::Table, FollowUp::OwnerId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [FollowUp::Table.into_iden(), Contact::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Contact {
    #[sea_orm(iden = "contact_log")]
    Table,
    Id,
    PrefectureCode,
    MunicipalityCode,
    Kind,
    HeldOn,
    PrefParticipants,
    TownParticipants,
    Topics,
    Notes,
    Internal,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FollowUp {
    Table,
    Id,
    ContactId,
    MunicipalityCode,
    Text,
    DueOn,
    OwnerId,
    DoneAt,
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
