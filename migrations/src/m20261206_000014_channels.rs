//! 情報共有: a prefecture's channels (open to all its local governments, or to
//! their members only), their members, posts with threaded replies, each post's
//! earlier wordings, and how far each person has read each channel.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // Long: five tables and their indexes, in the order their keys need.
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Channel::Table)
                    .if_not_exists()
                    .col(pk_auto(Channel::Id))
                    .col(char_len(Channel::PrefectureCode, 6))
                    .col(string_len(Channel::Name, 60))
                    .col(string_len(Channel::Description, 500))
                    .col(string_len(Channel::Visibility, 8))
                    .col(integer(Channel::OwnerId))
                    .col(timestamp_with_time_zone(Channel::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Channel::Table, Channel::OwnerId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_channel_name")
                    .table(Channel::Table)
                    .col(Channel::PrefectureCode)
                    .col(Channel::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChannelMember::Table)
                    .if_not_exists()
                    .col(integer(ChannelMember::ChannelId))
                    .col(integer(ChannelMember::AccountId))
                    .primary_key(
                        Index::create()
                            .col(ChannelMember::ChannelId)
                            .col(ChannelMember::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChannelMember::Table, ChannelMember::ChannelId)
                            .to(Channel::Table, Channel::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChannelMember::Table, ChannelMember::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Post::Table)
                    .if_not_exists()
                    .col(pk_auto(Post::Id))
                    .col(integer(Post::ChannelId))
                    .col(integer(Post::AuthorId))
                    .col(integer_null(Post::ParentId))
                    .col(text(Post::Body))
                    .col(timestamp_with_time_zone(Post::CreatedAt))
                    .col(timestamp_with_time_zone_null(Post::EditedAt))
                    .col(timestamp_with_time_zone_null(Post::DeletedAt))
                    .col(integer_null(Post::DeletedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Post::Table, Post::ChannelId)
                            .to(Channel::Table, Channel::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Post::Table, Post::AuthorId)
                            .to(Account::Table, Account::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Post::Table, Post::ParentId)
                            .to(Post::Table, Post::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_post_channel")
                    .table(Post::Table)
                    .col(Post::ChannelId)
                    .col(Post::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PostRevision::Table)
                    .if_not_exists()
                    .col(pk_auto(PostRevision::Id))
                    .col(integer(PostRevision::PostId))
                    .col(text(PostRevision::Body))
                    .col(timestamp_with_time_zone(PostRevision::ReplacedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostRevision::Table, PostRevision::PostId)
                            .to(Post::Table, Post::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChannelRead::Table)
                    .if_not_exists()
                    .col(integer(ChannelRead::ChannelId))
                    .col(integer(ChannelRead::AccountId))
                    .col(integer(ChannelRead::LastPostId))
                    .primary_key(
                        Index::create()
                            .col(ChannelRead::ChannelId)
                            .col(ChannelRead::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChannelRead::Table, ChannelRead::ChannelId)
                            .to(Channel::Table, Channel::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChannelRead::Table.into_iden(),
            PostRevision::Table.into_iden(),
            Post::Table.into_iden(),
            ChannelMember::Table.into_iden(),
            Channel::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Channel {
    Table,
    Id,
    PrefectureCode,
    Name,
    Description,
    Visibility,
    OwnerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChannelMember {
    Table,
    ChannelId,
    AccountId,
}

#[derive(DeriveIden)]
enum Post {
    Table,
    Id,
    ChannelId,
    AuthorId,
    ParentId,
    Body,
    CreatedAt,
    EditedAt,
    DeletedAt,
    DeletedBy,
}

#[derive(DeriveIden)]
enum PostRevision {
    Table,
    Id,
    PostId,
    Body,
    ReplacedAt,
}

#[derive(DeriveIden)]
enum ChannelRead {
    Table,
    ChannelId,
    AccountId,
    LastPostId,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
