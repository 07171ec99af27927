//! The case library (事例). `slug` is the stable public identifier; full-text search
//! lives in the tantivy index, rebuilt from this table.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_reference_tables::{Municipality, Prefecture};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CaseStudy::Table)
                    .if_not_exists()
                    .col(pk_auto(CaseStudy::Id))
                    .col(string_len_uniq(CaseStudy::Slug, 100))
                    .col(text(CaseStudy::Title))
                    .col(string_len(CaseStudy::Organisation, 100))
                    .col(char_len_null(CaseStudy::PrefectureCode, 6))
                    .col(char_len_null(CaseStudy::MunicipalityCode, 6))
                    .col(string_len(CaseStudy::OrgKind, 32))
                    .col(integer_null(CaseStudy::StaffCount))
                    .col(string_len(CaseStudy::Section, 200))
                    .col(string_len_null(CaseStudy::Subsection, 200))
                    .col(text(CaseStudy::Summary))
                    .col(json(CaseStudy::Points))
                    .col(json(CaseStudy::Effects))
                    .col(string_len_null(CaseStudy::ContactDepartment, 200))
                    .col(string_len_null(CaseStudy::ContactTel, 64))
                    .col(string_len_null(CaseStudy::ContactEmail, 200))
                    .col(string_len(CaseStudy::SourceFile, 200))
                    .col(text(CaseStudy::SourceTitle))
                    .col(integer_null(CaseStudy::Page))
                    .col(text_null(CaseStudy::PageNote))
                    .col(string_len(CaseStudy::Origin, 32))
                    .col(string_len(CaseStudy::Status, 32))
                    .col(timestamp_with_time_zone(CaseStudy::CreatedAt))
                    .col(timestamp_with_time_zone(CaseStudy::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseStudy::Table, CaseStudy::PrefectureCode)
                            .to(Prefecture::Table, Prefecture::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseStudy::Table, CaseStudy::MunicipalityCode)
                            .to(Municipality::Table, Municipality::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_study_prefecture")
                    .table(CaseStudy::Table)
                    .col(CaseStudy::PrefectureCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseStudy::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CaseStudy {
    Table,
    Id,
    Slug,
    Title,
    Organisation,
    PrefectureCode,
    MunicipalityCode,
    OrgKind,
    StaffCount,
    Section,
    Subsection,
    Summary,
    Points,
    Effects,
    ContactDepartment,
    ContactTel,
    ContactEmail,
    SourceFile,
    SourceTitle,
    Page,
    PageNote,
    Origin,
    Status,
    CreatedAt,
    UpdatedAt,
}
