//! All answers of a 照会, one row per town: CSV through the portal's one writer,
//! and .xlsx (numbers as numbers) for the staff who open it in Excel.

use sea_orm::ConnectionTrait;

use super::{access, results_of};
use crate::api::surveys::{SurveyResults, TownAnswer};
use crate::auth::RequestAuth;
use crate::domain::survey::{Question, QuestionKind};
use crate::error::AppError;

const FIXED: [&str; 5] = ["団体コード", "市町村", "状態", "回答者", "提出日時"];

/// The header: the fixed columns, then each question numbered.
fn header(questions: &[Question]) -> Vec<String> {
    FIXED
        .iter()
        .map(|h| (*h).to_owned())
        .chain(
            questions
                .iter()
                .enumerate()
                .map(|(i, q)| format!("{}. {}", i + 1, q.label)),
        )
        .collect()
}

fn fixed_cells(town: &TownAnswer) -> [String; 5] {
    [
        town.municipality.to_string(),
        town.name.clone(),
        town.state.label().to_owned(),
        town.answered_by.clone().unwrap_or_default(),
        town.submitted_at.clone().unwrap_or_default(),
    ]
}

async fn results(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<(Vec<Question>, SurveyResults), AppError> {
    let access = access(db, auth, id).await?;
    if !access.runner {
        return Err(AppError::Forbidden);
    }
    let results = results_of(db, &access).await?;
    Ok((access.questions, results))
}

/// The answers as CSV (UTF-8 with BOM, CRLF, formulas neutralised).
pub async fn answers_csv_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<Vec<u8>, AppError> {
    let (questions, results) = results(db, auth, id).await?;
    let header = header(&questions);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = results.towns.iter().map(|town| {
        fixed_cells(town)
            .into_iter()
            .chain(town.cells.iter().cloned())
            .collect::<Vec<String>>()
    });
    Ok(crate::services::csv_file::write_csv(&header, rows)?)
}

/// The answers as an .xlsx workbook: one sheet, a bold frozen header, numbers as
/// numbers, text as text (a cell starting with `=` stays text: nothing is
/// written as a formula).
pub async fn answers_xlsx_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let (questions, results) = results(db, auth, id).await?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("回答")?;
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(header(&questions)) {
        sheet.write_string_with_format(0, col, title, &bold)?;
        sheet.set_column_width(col, if col < 2 { 12 } else { 20 })?;
    }
    sheet.set_freeze_panes(1, 2)?;
    for (row, town) in (1u32..).zip(&results.towns) {
        let fixed = fixed_cells(town);
        let width = u16::try_from(fixed.len()).unwrap_or(u16::MAX);
        for (col, cell) in (0u16..).zip(fixed) {
            sheet.write_string(row, col, cell)?;
        }
        for ((col, question), (value, cell)) in (width..)
            .zip(&questions)
            .zip(town.values.iter().zip(&town.cells))
        {
            match (question.kind, value.as_f64()) {
                (QuestionKind::Number, Some(n)) => sheet.write_number(row, col, n)?,
                _ => sheet.write_string(row, col, cell)?,
            };
        }
    }
    Ok(workbook.save_to_buffer()?)
}
