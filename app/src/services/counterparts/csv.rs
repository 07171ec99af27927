//! A 人事異動 as the CSV a 県管理者 keeps in Excel: `団体コード,担当者メール,主担当/副担当`,
//! one line per person (UTF-8 or Shift_JIS). Lines of one town are gathered into its
//! change, numbered by the town's first line.

use crate::api::counterparts::{ReassignChange, ReassignError};
use crate::services::csv_file::read_csv;
use crate::services::reference_data::ImportError;

/// The header.
pub const HEADER: [&str; 3] = ["団体コード", "担当者メール", "主担当/副担当"];

/// One town's change with the line it starts on and the line of each person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    /// The town's first line.
    pub line: u64,
    /// The change.
    pub change: ReassignChange,
    /// `(e-mail, line)` of each person named.
    pub people: Vec<(String, u64)>,
}

impl Numbered {
    /// A change with no lines of its own (JSON: the n-th change).
    pub fn at(line: u64, change: ReassignChange) -> Self {
        Self {
            line,
            change,
            people: Vec::new(),
        }
    }

    /// The line that named `email` (the town's line when none did).
    pub fn line_of(&self, email: &str) -> u64 {
        self.people
            .iter()
            .find(|(e, _)| e == email)
            .map_or(self.line, |(_, line)| *line)
    }
}

/// The changes of a CSV, or the lines it cannot read.
pub fn changes_from_csv(data: &[u8]) -> Result<Vec<Numbered>, Vec<ReassignError>> {
    let rows = read_csv("upload", data, &HEADER).map_err(|e| match e {
        ImportError::Line { line, message, .. } => vec![ReassignError { line, message }],
        other => vec![ReassignError {
            line: 1,
            message: other.to_string(),
        }],
    })?;
    let mut changes: Vec<Numbered> = Vec::new();
    let mut index_of: std::collections::HashMap<String, usize> = Default::default();
    let mut errors = Vec::new();
    for row in rows {
        let code = row.field(0).to_owned();
        let email = row.field(1).to_owned();
        let primary = match row.field(2) {
            "主担当" | "主" | "primary" => true,
            "副担当" | "副" | "secondary" => false,
            other => {
                errors.push(ReassignError {
                    line: row.line,
                    message: format!("3列目は「主担当」か「副担当」です(「{other}」)。"),
                });
                continue;
            }
        };
        let index = match index_of.get(&code) {
            Some(index) => *index,
            None => {
                index_of.insert(code.clone(), changes.len());
                changes.push(Numbered::at(
                    row.line,
                    ReassignChange {
                        municipality: code.clone(),
                        ..ReassignChange::default()
                    },
                ));
                changes.len() - 1
            }
        };
        changes[index].people.push((email.clone(), row.line));
        let change = &mut changes[index].change;
        if primary {
            if change.primary.is_some() {
                errors.push(ReassignError {
                    line: row.line,
                    message: format!("団体コード{code}の主担当が2人います。"),
                });
                continue;
            }
            change.primary = Some(email);
        } else {
            change.secondary.push(email);
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// A 人事異動 from a CSV file: previewed (`dry_run`; lines the CSV itself gets
/// wrong are listed with the others) or applied (refused, naming the first wrong
/// line, while any line is wrong).
pub async fn reassign_csv_for(
    db: &sea_orm::DatabaseConnection,
    auth: &crate::auth::RequestAuth,
    effective: &str,
    data: &[u8],
    dry_run: bool,
) -> Result<crate::api::counterparts::ReassignPreview, crate::error::AppError> {
    match changes_from_csv(data) {
        Ok(lines) => super::reassign_lines(db, auth, effective, &lines, dry_run).await,
        Err(errors) => {
            // Authorises and reads the date before saying anything about the file.
            let mut preview = super::reassign_lines(db, auth, effective, &[], true).await?;
            if dry_run {
                preview.errors = errors;
                return Ok(preview);
            }
            let first = &errors[0];
            Err(crate::error::AppError::invalid(
                "file",
                format!(
                    "{}行目: {}(ほか{}件)。何も変更していません。",
                    first.line,
                    first.message,
                    errors.len() - 1
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_town_make_one_change_and_excel_shift_jis_reads() {
        let text = "団体コード,担当者メール,主担当/副担当\r\n293628,a@x.jp,主担当\r\n293628,b@x.jp,副担当\r\n292010,c@x.jp,主担当\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let changes = changes_from_csv(&sjis).expect("reads");
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].line, 2);
        assert_eq!(changes[0].change.primary.as_deref(), Some("a@x.jp"));
        assert_eq!(changes[0].change.secondary, ["b@x.jp"]);
        assert_eq!(changes[0].line_of("b@x.jp"), 3);
    }

    #[test]
    fn a_second_primary_and_an_unknown_role_name_their_lines() {
        let text = "団体コード,担当者メール,主担当/副担当\n293628,a@x.jp,主担当\n293628,b@x.jp,主担当\n292010,c@x.jp,担当\n";
        let errors = changes_from_csv(text.as_bytes()).expect_err("refused");
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4]);
    }
}
