//! A contact of the 県 with a town as its counterpart records it: the kind, the day,
//! who took part, the topics, notes (internal ones stay with the 県) and the
//! follow-ups it leaves.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::dispatch::input::FieldError;
use crate::domain::gather::{Errors, Gather};
use crate::domain::text::clean_single_line;

/// How the 県 met the town.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// 訪問.
    Visit,
    /// ヒアリング.
    Hearing,
    /// オンライン会議.
    Online,
    /// 分科会.
    WorkingGroup,
    /// 電話・メール.
    Phone,
}

impl ContactKind {
    /// Every kind.
    pub const ALL: [ContactKind; 5] = [
        Self::Visit,
        Self::Hearing,
        Self::Online,
        Self::WorkingGroup,
        Self::Phone,
    ];

    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Hearing => "hearing",
            Self::Online => "online",
            Self::WorkingGroup => "working_group",
            Self::Phone => "phone",
        }
    }

    /// The kind named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Visit => "訪問",
            Self::Hearing => "ヒアリング",
            Self::Online => "オンライン会議",
            Self::WorkingGroup => "分科会",
            Self::Phone => "電話・メール",
        }
    }
}

/// A follow-up as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpInput {
    /// What to do.
    #[serde(default)]
    pub text: String,
    /// By when, `YYYY-MM-DD`.
    #[serde(default)]
    pub due: String,
    /// Who: a 県 account's e-mail (the recorder when absent).
    #[serde(default)]
    pub owner: Option<String>,
}

/// A contact as submitted (`POST /api/municipalities/{code}/contacts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInput {
    /// `visit`, `hearing`, `online`, `working_group`, `phone`.
    #[serde(default)]
    pub kind: String,
    /// The day, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: String,
    /// Who took part, for the 県 and for the town, in words.
    #[serde(default)]
    pub participants: String,
    /// Topics (the bank's specialty codes or words).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// Kept with the 県.
    #[serde(default)]
    pub internal: bool,
    /// What is left to do.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpInput>,
}

/// A checked follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// What to do.
    pub text: String,
    /// By when.
    pub due: NaiveDate,
    /// Who (e-mail), if named.
    pub owner: Option<String>,
}

/// A checked contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Kind.
    pub kind: ContactKind,
    /// Day.
    pub date: NaiveDate,
    /// Participants.
    pub participants: String,
    /// Topics, each once.
    pub topics: Vec<String>,
    /// Notes.
    pub notes: String,
    /// Kept with the 県.
    pub internal: bool,
    /// Follow-ups.
    pub follow_ups: Vec<FollowUp>,
}

fn error(field: String, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_owned(),
    }
}

fn day(field: String, text: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| error(field, "日付は 2026-10-01 の形で入力してください。"))
}

/// Most follow-ups one contact may leave.
pub const MAX_FOLLOW_UPS: usize = 10;

/// Parses a contact, every wrong field named.
pub fn parse_contact(input: &ContactInput) -> Result<Contact, Errors<FieldError>> {
    let mut errors = Gather::new();
    let kind = errors.take(ContactKind::parse(&input.kind).ok_or_else(|| {
        error(
            "kind".into(),
            "種類(訪問・ヒアリングなど)を選んでください。",
        )
    }));
    let date = errors.take(day("date".into(), &input.date));
    let participants = clean_single_line(&input.participants);
    if participants.chars().count() > 500 {
        errors.push(error(
            "participants".into(),
            "参加者は500文字以内で入力してください。",
        ));
    }
    let notes = input.notes.trim().to_owned();
    if notes.chars().count() > 5000 {
        errors.push(error(
            "notes".into(),
            "記録は5000文字以内で入力してください。",
        ));
    }
    let mut topics: Vec<String> = Vec::new();
    for topic in input
        .topics
        .iter()
        .map(|t| clean_single_line(t))
        .filter(|t| !t.is_empty())
    {
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    if input.follow_ups.len() > MAX_FOLLOW_UPS {
        errors.push(error(
            "follow_ups".into(),
            "フォローアップは1回の記録につき10件までです。",
        ));
    }
    let mut follow_ups = Vec::new();
    for (i, f) in input.follow_ups.iter().enumerate() {
        let text = clean_single_line(&f.text);
        if text.is_empty() {
            continue;
        }
        if let Some(due) = errors.take(day(format!("follow_ups[{i}].due"), &f.due)) {
            follow_ups.push(FollowUp {
                text: text.chars().take(500).collect(),
                due,
                owner: f.owner.clone().filter(|o| !o.trim().is_empty()),
            });
        }
    }
    errors.finish()?;
    match (kind, date) {
        (Some(kind), Some(date)) => Ok(Contact {
            kind,
            date,
            participants,
            topics,
            notes,
            internal: input.internal,
            follow_ups,
        }),
        _ => Err(Errors::from(error(
            "kind".into(),
            "入力内容を確認してください。",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_with_a_follow_up_parses_and_every_wrong_field_is_named() {
        let input = ContactInput {
            kind: "visit".into(),
            date: "2026-10-01".into(),
            participants: "県: 奈良 連太 / 町: 総務課長".into(),
            topics: vec!["security".into(), "security".into()],
            follow_ups: vec![FollowUpInput {
                text: "規程の案を送る".into(),
                due: "2026-10-15".into(),
                owner: None,
            }],
            ..ContactInput::default()
        };
        let contact = parse_contact(&input).expect("parses");
        assert_eq!(contact.topics, ["security"]);
        assert_eq!(contact.follow_ups.len(), 1);
        let wrong = ContactInput {
            kind: "fax".into(),
            date: "10/1".into(),
            follow_ups: vec![FollowUpInput {
                text: "x".into(),
                due: "そのうち".into(),
                owner: None,
            }],
            ..ContactInput::default()
        };
        let fields: Vec<String> = parse_contact(&wrong)
            .expect_err("wrong")
            .into_vec()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["kind", "date", "follow_ups[0].due"]);
    }
}
