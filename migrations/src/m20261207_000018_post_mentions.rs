//! Who a post mentions (`@三宅町` a town's staff, `@奈良連太` a person): read by
//! their home pages.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostMention::Table)
                    .if_not_exists()
                    .col(pk_auto(PostMention::Id))
                    .col(integer(PostMention::PostId))
                    .col(char_len_null(PostMention::MunicipalityCode, 6))
                    .col(integer_null(PostMention::AccountId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostMention::Table, PostMention::PostId)
                            .to(Post::Table, Post::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_post_mention_town", PostMention::MunicipalityCode),
            ("idx_post_mention_account", PostMention::AccountId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(PostMention::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PostMention::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PostMention {
    Table,
    Id,
    PostId,
    MunicipalityCode,
    AccountId,
}

#[derive(DeriveIden)]
enum Post {
    Table,
    Id,
}
