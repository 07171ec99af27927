//! 派遣: the programmes a prefecture dispatches advisors under (with their quota
//! rules), the towns' requests with their schedule, report and the quota in force
//! at approval, each request's timeline, and the lock rows that serialise the
//! approvals counting against one quota or booking one advisor.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // Long: four tables and their indexes, in the order they refer to each other.
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programme::Table)
                    .if_not_exists()
                    .col(pk_auto(Programme::Id))
                    .col(char_len(Programme::PrefectureCode, 6))
                    .col(string_len(Programme::Code, 40))
                    .col(string_len(Programme::Name, 100))
                    .col(string_len(Programme::AdviceTypes, 100))
                    .col(text(Programme::Rules))
                    .col(boolean(Programme::Active))
                    .col(integer(Programme::Version))
                    .col(timestamp_with_time_zone(Programme::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Programme::Table, Programme::PrefectureCode)
                            .to(Prefecture::Table, Prefecture::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dispatch_programme_code")
                    .table(Programme::Table)
                    .col(Programme::PrefectureCode)
                    .col(Programme::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dispatch::Table)
                    .if_not_exists()
                    .col(pk_auto(Dispatch::Id))
                    .col(char_len(Dispatch::PrefectureCode, 6))
                    .col(char_len(Dispatch::MunicipalityCode, 6))
                    .col(integer(Dispatch::ProgrammeId))
                    .col(string_len(Dispatch::AdviceType, 16))
                    .col(string_len(Dispatch::Mode, 16))
                    .col(text(Dispatch::Need))
                    .col(integer(Dispatch::HoursWanted))
                    .col(date_null(Dispatch::PreferredFrom))
                    .col(date_null(Dispatch::PreferredTo))
                    .col(string_len(Dispatch::WishedAdvisors, 200))
                    .col(string_len(Dispatch::Status, 16))
                    .col(integer_null(Dispatch::AdvisorId))
                    .col(timestamp_with_time_zone_null(Dispatch::StartsAt))
                    .col(timestamp_with_time_zone_null(Dispatch::EndsAt))
                    .col(string_len_null(Dispatch::Place, 300))
                    .col(integer_null(Dispatch::FiscalYear))
                    .col(text_null(Dispatch::QuotaRules))
                    .col(integer_null(Dispatch::ReportHours))
                    .col(text_null(Dispatch::ReportSummary))
                    .col(text_null(Dispatch::ReportOutcome))
                    .col(text_null(Dispatch::ReportNextSteps))
                    .col(text_null(Dispatch::RejectReason))
                    .col(integer_null(Dispatch::RequestedBy))
                    .col(timestamp_with_time_zone(Dispatch::CreatedAt))
                    .col(timestamp_with_time_zone(Dispatch::UpdatedAt))
                    .col(integer(Dispatch::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dispatch::Table, Dispatch::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dispatch::Table, Dispatch::ProgrammeId)
                            .to(Programme::Table, Programme::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dispatch::Table, Dispatch::AdvisorId)
                            .to(Advisor::Table, Advisor::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dispatch::Table, Dispatch::RequestedBy)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_dispatch_quota",
                vec![
                    Dispatch::MunicipalityCode,
                    Dispatch::ProgrammeId,
                    Dispatch::FiscalYear,
                ],
            ),
            (
                "idx_dispatch_advisor",
                vec![Dispatch::AdvisorId, Dispatch::StartsAt],
            ),
            (
                "idx_dispatch_board",
                vec![Dispatch::PrefectureCode, Dispatch::Status],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Dispatch::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(DispatchEvent::Table)
                    .if_not_exists()
                    .col(pk_auto(DispatchEvent::Id))
                    .col(integer(DispatchEvent::DispatchId))
                    .col(timestamp_with_time_zone(DispatchEvent::At))
                    .col(integer_null(DispatchEvent::ActorId))
                    .col(string_len(DispatchEvent::ActorName, 100))
                    .col(string_len(DispatchEvent::Step, 16))
                    .col(string_len(DispatchEvent::ToStatus, 16))
                    .col(text(DispatchEvent::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DispatchEvent::Table, DispatchEvent::DispatchId)
                            .to(Dispatch::Table, Dispatch::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dispatch_event_dispatch")
                    .table(DispatchEvent::Table)
                    .col(DispatchEvent::DispatchId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DispatchLock::Table)
                    .if_not_exists()
                    .col(string_len(DispatchLock::Key, 80).primary_key())
                    .col(big_integer(DispatchLock::Version))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DispatchLock::Table.into_iden(),
            DispatchEvent::Table.into_iden(),
            Dispatch::Table.into_iden(),
            Programme::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Programme {
    #[sea_orm(iden = "dispatch_programme")]
    Table,
    Id,
    PrefectureCode,
    Code,
    Name,
    AdviceTypes,
    Rules,
    Active,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Dispatch {
    Table,
    Id,
    PrefectureCode,
    MunicipalityCode,
    ProgrammeId,
    AdviceType,
    Mode,
    Need,
    HoursWanted,
    PreferredFrom,
    PreferredTo,
    WishedAdvisors,
    Status,
    AdvisorId,
    StartsAt,
    EndsAt,
    Place,
    FiscalYear,
    QuotaRules,
    ReportHours,
    ReportSummary,
    ReportOutcome,
    ReportNextSteps,
    RejectReason,
    RequestedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum DispatchEvent {
    Table,
    Id,
    DispatchId,
    At,
    ActorId,
    ActorName,
    Step,
    ToStatus,
    Note,
}

#[derive(DeriveIden)]
enum DispatchLock {
    Table,
    Key,
    Version,
}

#[derive(DeriveIden)]
enum Prefecture {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Advisor {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
