//! お知らせ: a 県's notice to all its towns or a selection, and which town has
//! confirmed reading it (who, when); the 県 can remind the others.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notice::Table)
                    .if_not_exists()
                    .col(pk_auto(Notice::Id))
                    .col(char_len(Notice::PrefectureCode, 6))
                    .col(string_len(Notice::Title, 120))
                    .col(text(Notice::Body))
                    .col(integer(Notice::AuthorId))
                    .col(timestamp_with_time_zone(Notice::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notice::RemindedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notice::Table, Notice::AuthorId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeTarget::Table)
                    .if_not_exists()
                    .col(integer(NoticeTarget::NoticeId))
                    .col(char_len(NoticeTarget::MunicipalityCode, 6))
                    .col(integer_null(NoticeTarget::ReadBy))
                    .col(timestamp_with_time_zone_null(NoticeTarget::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(NoticeTarget::NoticeId)
                            .col(NoticeTarget::MunicipalityCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoticeTarget::Table, NoticeTarget::NoticeId)
                            .to(Notice::Table, Notice::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoticeTarget::Table, NoticeTarget::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notice_target_town")
                    .table(NoticeTarget::Table)
                    .col(NoticeTarget::MunicipalityCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [NoticeTarget::Table.into_iden(), Notice::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    PrefectureCode,
    Title,
    Body,
    AuthorId,
    CreatedAt,
    RemindedAt,
}

#[derive(DeriveIden)]
enum NoticeTarget {
    Table,
    NoticeId,
    MunicipalityCode,
    ReadBy,
    ReadAt,
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
