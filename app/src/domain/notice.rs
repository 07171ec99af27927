//! お知らせ: what a notice from the 県 must be. Pure.

use serde::{Deserialize, Serialize};

use crate::domain::gather::{Errors, Gather};
use crate::domain::training::input::FieldError;

/// Longest title.
pub const TITLE_MAX: usize = 120;
/// Longest text.
pub const BODY_MAX: usize = 10_000;

/// A notice as sent (`POST /api/notices`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeInput {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Plain text.
    #[serde(default)]
    pub body: String,
    /// `["all"]` or 団体コード.
    #[serde(default)]
    pub municipalities: Vec<String>,
}

/// Who a notice goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// Every town of the prefecture.
    All,
    /// These 団体コード, each once.
    Towns(Vec<String>),
}

/// A checked notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    /// Title, one line.
    pub title: String,
    /// Text.
    pub body: String,
    /// Who it goes to.
    pub recipients: Recipients,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Checks a notice; every wrong field is named.
pub fn parse_notice(input: &NoticeInput) -> Result<NewNotice, Errors<FieldError>> {
    let mut gather = Gather::new();
    let title = crate::domain::text::clean_single_line(&input.title);
    if title.is_empty() {
        gather.push(error("title", "件名を入力してください。"));
    } else if title.chars().count() > TITLE_MAX {
        gather.push(error("title", format!("件名は{TITLE_MAX}文字までです。")));
    }
    let body = input.body.replace("\r\n", "\n").trim().to_owned();
    if body.is_empty() {
        gather.push(error("body", "本文を入力してください。"));
    } else if body.chars().count() > BODY_MAX {
        gather.push(error("body", format!("本文は{BODY_MAX}文字までです。")));
    }
    let recipients = parse_recipients(&input.municipalities);
    if recipients.is_none() {
        gather.push(error(
            "municipalities",
            "送り先の市町村を選んでください(全市町村は all)。",
        ));
    }
    gather.finish()?;
    Ok(NewNotice {
        title,
        body,
        recipients: recipients.unwrap_or(Recipients::All),
    })
}

/// `["all"]` (anywhere in the list) or the 団体コード given, each once; `None`
/// when nothing was chosen.
pub fn parse_recipients(given: &[String]) -> Option<Recipients> {
    let mut codes: Vec<String> = Vec::new();
    for code in given.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if code == "all" {
            return Some(Recipients::All);
        }
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    (!codes.is_empty()).then_some(Recipients::Towns(codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_needs_a_title_a_text_and_someone_to_go_to() {
        let errors = parse_notice(&NoticeInput::default()).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "body", "municipalities"]);
    }

    #[test]
    fn all_wins_over_a_list_and_codes_are_kept_once() {
        let notice = |towns: &[&str]| {
            parse_notice(&NoticeInput {
                title: "照会のお願い".into(),
                body: "本文".into(),
                municipalities: towns.iter().map(|t| (*t).to_owned()).collect(),
            })
            .expect("accepted")
            .recipients
        };
        assert_eq!(notice(&["293628", "all"]), Recipients::All);
        assert_eq!(
            notice(&["293628", " 293628", "292010"]),
            Recipients::Towns(vec!["293628".into(), "292010".into()])
        );
    }
}
