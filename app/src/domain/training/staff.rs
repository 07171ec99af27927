//! The staff a municipality sends to a course, as typed and as checked.

use serde::{Deserialize, Serialize};

use super::input::{FieldError, error, text_field};

/// A member of staff as a municipality sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInput {
    /// 氏名.
    #[serde(default)]
    pub name: String,
    /// 職名.
    #[serde(default)]
    pub position: String,
    /// Optional e-mail.
    #[serde(default)]
    pub email: Option<String>,
}

/// A member of staff, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainee {
    /// 氏名.
    pub name: String,
    /// 職名.
    pub position: String,
    /// E-mail, if given.
    pub email: Option<String>,
}

/// Most staff one request may send.
pub const MAX_STAFF_PER_REQUEST: usize = 100;

/// Parses the staff of an enrolment request.
pub fn parse_staff(input: &[StaffInput]) -> Result<Vec<Trainee>, FieldError> {
    if input.is_empty() {
        return Err(error("staff", "受講者を1人以上入力してください。"));
    }
    if input.len() > MAX_STAFF_PER_REQUEST {
        return Err(error(
            "staff",
            format!("一度に申し込めるのは{MAX_STAFF_PER_REQUEST}人までです。"),
        ));
    }
    input
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let name = text_field(&format!("staff[{i}].name"), &s.name, 100, Some("氏名"))?;
            let position = text_field(&format!("staff[{i}].position"), &s.position, 100, None)?;
            let email = match s.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                None => None,
                Some(e)
                    if e.len() <= 254
                        && e.split_once('@')
                            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.')) =>
                {
                    Some(e.to_owned())
                }
                Some(_) => {
                    return Err(error(
                        format!("staff[{i}].email"),
                        "メールアドレスの形式が正しくありません。",
                    ));
                }
            };
            Ok(Trainee {
                name,
                position,
                email,
            })
        })
        .collect()
}
