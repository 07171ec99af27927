//! 共同研修: courses with their sessions and cost items, enrolments (enrolled,
//! waitlisted or cancelled, in arrival order) and attendance per session.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_reference_tables::{Municipality, Prefecture};
use crate::m20261122_000003_create_accounts::Account;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Training::Table)
                    .if_not_exists()
                    .col(pk_auto(Training::Id))
                    .col(char_len(Training::PrefectureCode, 6))
                    .col(char_len(Training::OrganiserCode, 6))
                    .col(string_len(Training::Title, 200))
                    .col(text(Training::Description))
                    .col(string_len(Training::Target, 200))
                    .col(integer(Training::Capacity))
                    .col(date_null(Training::EnrolUntil))
                    .col(date_null(Training::CancelUntil))
                    .col(string_len(Training::Status, 16))
                    .col(text(Training::SplitSettings))
                    // Arrival counter: bumping it is also what serialises enrolments.
                    .col(big_integer(Training::ArrivalSeq).default(0))
                    .col(text_null(Training::ConfirmedSplit))
                    .col(timestamp_with_time_zone_null(Training::ConfirmedAt))
                    .col(timestamp_with_time_zone(Training::CreatedAt))
                    .col(timestamp_with_time_zone(Training::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Training::Table, Training::PrefectureCode)
                            .to(Prefecture::Table, Prefecture::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingSession::Table)
                    .if_not_exists()
                    .col(pk_auto(TrainingSession::Id))
                    .col(integer(TrainingSession::TrainingId))
                    .col(integer(TrainingSession::Position))
                    .col(timestamp_with_time_zone(TrainingSession::StartsAt))
                    .col(timestamp_with_time_zone(TrainingSession::EndsAt))
                    .col(string_len(TrainingSession::Place, 200))
                    .col(boolean(TrainingSession::Online))
                    .col(text(TrainingSession::Content))
                    .foreign_key(&mut cascade(
                        TrainingSession::Table,
                        TrainingSession::TrainingId,
                        Training::Table,
                        Training::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingCost::Table)
                    .if_not_exists()
                    .col(pk_auto(TrainingCost::Id))
                    .col(integer(TrainingCost::TrainingId))
                    .col(integer(TrainingCost::Position))
                    .col(string_len(TrainingCost::Label, 100))
                    .col(string_len(TrainingCost::Kind, 16))
                    .col(big_integer(TrainingCost::Amount))
                    .foreign_key(&mut cascade(
                        TrainingCost::Table,
                        TrainingCost::TrainingId,
                        Training::Table,
                        Training::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Enrolment::Table)
                    .if_not_exists()
                    .col(pk_auto(Enrolment::Id))
                    .col(integer(Enrolment::TrainingId))
                    .col(char_len(Enrolment::MunicipalityCode, 6))
                    .col(string_len(Enrolment::Name, 100))
                    .col(string_len(Enrolment::JobTitle, 100))
                    .col(string_len_null(Enrolment::Email, 254))
                    .col(string_len(Enrolment::Status, 16))
                    .col(big_integer(Enrolment::Seq))
                    .col(integer_null(Enrolment::EnrolledBy))
                    .col(timestamp_with_time_zone(Enrolment::CreatedAt))
                    .col(timestamp_with_time_zone_null(Enrolment::PromotedAt))
                    .col(timestamp_with_time_zone_null(Enrolment::CancelledAt))
                    .foreign_key(&mut cascade(
                        Enrolment::Table,
                        Enrolment::TrainingId,
                        Training::Table,
                        Training::Id,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolment::Table, Enrolment::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolment::Table, Enrolment::EnrolledBy)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolment_training_seq")
                    .table(Enrolment::Table)
                    .col(Enrolment::TrainingId)
                    .col(Enrolment::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .if_not_exists()
                    .col(integer(Attendance::EnrolmentId))
                    .col(integer(Attendance::SessionId))
                    .primary_key(
                        Index::create()
                            .col(Attendance::EnrolmentId)
                            .col(Attendance::SessionId),
                    )
                    .foreign_key(&mut cascade(
                        Attendance::Table,
                        Attendance::EnrolmentId,
                        Enrolment::Table,
                        Enrolment::Id,
                    ))
                    .foreign_key(&mut cascade(
                        Attendance::Table,
                        Attendance::SessionId,
                        TrainingSession::Table,
                        TrainingSession::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attendance::Table.into_iden(),
            Enrolment::Table.into_iden(),
            TrainingCost::Table.into_iden(),
            TrainingSession::Table.into_iden(),
            Training::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// A foreign key whose rows go with the row they belong to.
fn cascade(
    from: impl IntoIden,
    column: impl IntoIden,
    to: impl IntoIden,
    key: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, column)
        .to(to, key)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[derive(DeriveIden)]
enum Training {
    Table,
    Id,
    PrefectureCode,
    OrganiserCode,
    Title,
    Description,
    Target,
    Capacity,
    EnrolUntil,
    CancelUntil,
    Status,
    SplitSettings,
    ArrivalSeq,
    ConfirmedSplit,
    ConfirmedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
    TrainingId,
    Position,
    StartsAt,
    EndsAt,
    Place,
    Online,
    Content,
}

#[derive(DeriveIden)]
enum TrainingCost {
    Table,
    Id,
    TrainingId,
    Position,
    Label,
    Kind,
    Amount,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
    TrainingId,
    MunicipalityCode,
    Name,
    JobTitle,
    Email,
    Status,
    Seq,
    EnrolledBy,
    CreatedAt,
    PromotedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    EnrolmentId,
    SessionId,
}
