//! 照会: a 県's questions every chosen town must answer by a deadline, and each
//! town's one answer (a draft until submitted; editable until the deadline, after
//! it only when the 県 reopens it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Survey::Table)
                    .if_not_exists()
                    .col(pk_auto(Survey::Id))
                    .col(char_len(Survey::PrefectureCode, 6))
                    .col(string_len(Survey::Title, 120))
                    .col(text(Survey::Instructions))
                    .col(date(Survey::Deadline))
                    // The checked questions as JSON (kind, label, options, required).
                    .col(text(Survey::Questions))
                    .col(integer(Survey::AuthorId))
                    .col(timestamp_with_time_zone(Survey::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Survey::Table, Survey::AuthorId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyAnswer::Table)
                    .if_not_exists()
                    .col(integer(SurveyAnswer::SurveyId))
                    .col(char_len(SurveyAnswer::MunicipalityCode, 6))
                    // "none", "draft" or "submitted".
                    .col(string_len(SurveyAnswer::State, 10).default("none"))
                    // The answers as a JSON array, one value per question.
                    .col(text_null(SurveyAnswer::Answers))
                    .col(integer_null(SurveyAnswer::AnsweredBy))
                    .col(timestamp_with_time_zone_null(SurveyAnswer::UpdatedAt))
                    .col(timestamp_with_time_zone_null(SurveyAnswer::SubmittedAt))
                    .col(boolean(SurveyAnswer::Reopened).default(false))
                    // Bumped by every save; a save from an older form gets 409.
                    .col(integer(SurveyAnswer::Version).default(0))
                    .primary_key(
                        Index::create()
                            .col(SurveyAnswer::SurveyId)
                            .col(SurveyAnswer::MunicipalityCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyAnswer::Table, SurveyAnswer::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyAnswer::Table, SurveyAnswer::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_survey_answer_town")
                    .table(SurveyAnswer::Table)
                    .col(SurveyAnswer::MunicipalityCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [SurveyAnswer::Table.into_iden(), Survey::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
    PrefectureCode,
    Title,
    Instructions,
    Deadline,
    Questions,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SurveyAnswer {
    Table,
    SurveyId,
    MunicipalityCode,
    State,
    Answers,
    AnsweredBy,
    UpdatedAt,
    SubmittedAt,
    Reopened,
    Version,
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
