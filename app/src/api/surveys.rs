//! 照会 as the pages and the JSON API see them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::local_gov::LocalGovCode;
pub use crate::domain::survey::{
    Question, QuestionInput, QuestionKind, QuestionResult, SurveyInput, Tally,
};

/// A town's answer as sent (`PUT /api/surveys/{id}/answers/{code}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerInput {
    /// One value per question, in order: a string, a number, a boolean (yes/no),
    /// a list of options (multiple choice), or null.
    #[serde(default)]
    pub answers: Vec<Value>,
    /// Submit it (every required question answered); otherwise a draft.
    #[serde(default)]
    pub submit: bool,
    /// The version the form was opened at; an older one gets 409.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Where a town's answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerState {
    /// Nothing saved.
    None,
    /// Saved, not submitted.
    Draft,
    /// Submitted.
    Submitted,
}

impl AnswerState {
    /// As stored.
    pub fn key(self) -> &'static str {
        match self {
            AnswerState::None => "none",
            AnswerState::Draft => "draft",
            AnswerState::Submitted => "submitted",
        }
    }

    /// As stored, anything unknown read as nothing saved.
    pub fn from_key(key: &str) -> Self {
        match key {
            "draft" => AnswerState::Draft,
            "submitted" => AnswerState::Submitted,
            _ => AnswerState::None,
        }
    }

    /// In words (「回答済み」).
    pub fn label(self) -> &'static str {
        match self {
            AnswerState::None => "未回答",
            AnswerState::Draft => "下書き",
            AnswerState::Submitted => "回答済み",
        }
    }
}

/// A 照会 in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    /// Id.
    pub id: i32,
    /// Title.
    pub title: String,
    /// Who made it.
    pub sender: String,
    /// When (「令和8年12月4日 10:00」).
    pub sent: String,
    /// The last day to answer, 和暦.
    pub deadline: String,
    /// The same, `YYYY-MM-DD`.
    pub deadline_date: String,
    /// The deadline day has ended (in Japan).
    pub closed: bool,
    /// Towns that submitted.
    pub answered: u32,
    /// Towns asked (for a town, 1).
    pub total: u32,
    /// The caller's town's answer (towns only).
    pub state: Option<AnswerState>,
}

/// The 照会 the caller made (the 県) or must answer (a town).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyList {
    /// Newest first.
    pub items: Vec<SurveySummary>,
    /// The caller may make 照会 (the 県).
    pub can_run: bool,
    /// The towns a 照会 may go to: `(code, name)`.
    pub towns: Vec<(String, String)>,
}

/// One town's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownAnswer {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub state: AnswerState,
    /// One value per question (as in [`AnswerInput::answers`]).
    pub values: Vec<Value>,
    /// The same as text, one cell per question.
    pub cells: Vec<String>,
    /// Who saved it last.
    pub answered_by: Option<String>,
    /// When it was submitted, 和暦.
    pub submitted_at: Option<String>,
    /// The 県 reopened it after the deadline.
    pub reopened: bool,
    /// Send this back with the next save.
    pub version: i32,
    /// The town may still change it.
    pub may_edit: bool,
}

/// The answers of every town and the figures per question
/// (`GET /api/surveys/{id}/results`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    /// Towns that submitted.
    pub answered: u32,
    /// Towns with a draft only.
    pub drafts: u32,
    /// Towns asked.
    pub total: u32,
    /// Per question (submitted answers only).
    pub questions: Vec<QuestionResult>,
    /// Every town asked, in 団体コード order.
    pub towns: Vec<TownAnswer>,
}

/// One 照会 (`GET /api/surveys/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyView {
    /// In short.
    pub summary: SurveySummary,
    /// Instructions.
    pub instructions: String,
    /// The questions.
    pub questions: Vec<Question>,
    /// The caller's town's answer (towns).
    pub own: Option<TownAnswer>,
    /// Every answer and the figures (the 県).
    pub results: Option<SurveyResults>,
}
