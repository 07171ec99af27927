//! A dispatch request, a schedule and a report as submitted, parsed into values
//! known good, every wrong field named at once.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::quota::{Hours, MAX_HOURS};
use super::{AdviceType, DispatchMode};
use crate::domain::gather::{Errors, Gather};
use crate::domain::text::clean_single_line;
use crate::domain::training::input::parse_time;

/// An input error naming the field (the one shape every parser of the portal uses).
pub use crate::domain::training::input::FieldError;

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Longest need, in characters.
pub const MAX_NEED: usize = 4000;
/// Longest report text, per field.
pub const MAX_REPORT_TEXT: usize = 4000;
/// Most advisors a town may name in one request.
pub const MAX_WISHED_ADVISORS: usize = 5;

/// A request as a town sends it (`POST /api/dispatches`, or the request form).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DispatchInput {
    /// 団体コード of the town; the caller's own when absent.
    #[serde(default)]
    pub municipality: Option<String>,
    /// The programme.
    #[serde(default)]
    pub programme: Option<i32>,
    /// `issue`, `achievement` or `training`.
    #[serde(default)]
    pub advice_type: String,
    /// `onsite` or `online`.
    #[serde(default)]
    pub mode: String,
    /// What the town needs, in its words.
    #[serde(default)]
    pub need: String,
    /// Hours wanted.
    #[serde(default)]
    pub hours: Option<f64>,
    /// Preferred period, `YYYY-MM-DD`.
    #[serde(default)]
    pub preferred_from: Option<String>,
    /// End of the preferred period.
    #[serde(default)]
    pub preferred_to: Option<String>,
    /// Advisors the town would like, by id.
    #[serde(default)]
    pub advisors: Vec<i32>,
}

/// A request whose every part has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchDraft {
    /// The programme.
    pub programme: i32,
    /// Kind of advice.
    pub advice_type: AdviceType,
    /// On site or online.
    pub mode: DispatchMode,
    /// The need.
    pub need: String,
    /// Hours wanted.
    pub hours: Hours,
    /// Preferred period.
    pub preferred_from: Option<NaiveDate>,
    /// End of the preferred period.
    pub preferred_to: Option<NaiveDate>,
    /// Wished advisors, each once.
    pub advisors: Vec<i32>,
}

fn date(field: &str, input: Option<&str>) -> Result<Option<NaiveDate>, FieldError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| error(field, "日付は 2027-01-05 の形で入力してください。")),
    }
}

fn hours(field: &str, value: Option<f64>, what: &str) -> Result<Hours, FieldError> {
    match value {
        None => Err(error(field, format!("{what}を入力してください。"))),
        Some(h) if h <= 0.0 => Err(error(field, format!("{what}は0より大きくしてください。"))),
        Some(h) => Hours::from_hours(h).ok_or_else(|| {
            error(
                field,
                format!("{what}は{MAX_HOURS}時間以内で入力してください。"),
            )
        }),
    }
}

/// Multi-line text, control characters dropped, at most `max` characters.
fn long_text(field: &str, text: &str, max: usize, name: &str) -> Result<String, FieldError> {
    let text: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(error(field, format!("{name}を入力してください。")));
    }
    let length = text.chars().count();
    if length > max {
        return Err(error(
            field,
            format!("{name}は{max}文字以内で入力してください(いまは{length}文字です)。"),
        ));
    }
    Ok(text)
}

/// Parses a request.
pub fn parse_request(input: &DispatchInput) -> Result<DispatchDraft, Errors<FieldError>> {
    let mut errors = Gather::new();
    let programme = errors.take(
        input
            .programme
            .ok_or_else(|| error("programme", "派遣制度を選んでください。")),
    );
    let advice_type = errors.take(
        AdviceType::parse(&input.advice_type)
            .ok_or_else(|| error("advice_type", "相談の種類を選んでください。")),
    );
    let mode = errors.take(
        DispatchMode::parse(&input.mode)
            .ok_or_else(|| error("mode", "現地派遣かオンラインかを選んでください。")),
    );
    let need = errors.take(long_text("need", &input.need, MAX_NEED, "相談内容"));
    let wanted = errors.take(hours("hours", input.hours, "希望時間"));
    let from = errors.take(date("preferred_from", input.preferred_from.as_deref()));
    let to = errors.take(date("preferred_to", input.preferred_to.as_deref()));
    if let (Some(Some(from)), Some(Some(to))) = (from, to)
        && to < from
    {
        errors.push(error(
            "preferred_to",
            "希望時期の終わりは始まりより後にしてください。",
        ));
    }
    let mut advisors = Vec::new();
    for id in &input.advisors {
        if !advisors.contains(id) {
            advisors.push(*id);
        }
    }
    if advisors.len() > MAX_WISHED_ADVISORS {
        errors.push(error(
            "advisors",
            format!("希望するアドバイザーは{MAX_WISHED_ADVISORS}人までにしてください。"),
        ));
    }
    errors.finish()?;
    match (programme, advice_type, mode, need, wanted) {
        (Some(programme), Some(advice_type), Some(mode), Some(need), Some(hours)) => {
            Ok(DispatchDraft {
                programme,
                advice_type,
                mode,
                need,
                hours,
                preferred_from: from.flatten(),
                preferred_to: to.flatten(),
                advisors,
            })
        }
        // `finish` found no error, so every part parsed.
        _ => Err(Errors::from(error("need", "入力内容を確認してください。"))),
    }
}

/// The 県's approval: when and where (`POST /api/dispatches/{id}/approve`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleInput {
    /// Start: RFC 3339, or `YYYY-MM-DDTHH:MM` in Japan time.
    #[serde(default)]
    pub starts_at: String,
    /// End.
    #[serde(default)]
    pub ends_at: String,
    /// Place, or the meeting URL of an online dispatch.
    #[serde(default)]
    pub place: String,
}

/// A checked schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Start.
    pub starts_at: DateTime<FixedOffset>,
    /// End, after the start.
    pub ends_at: DateTime<FixedOffset>,
    /// Place or meeting URL.
    pub place: String,
}

impl Schedule {
    /// Its length, in whole minutes.
    pub fn hours(&self) -> Hours {
        let minutes = (self.ends_at - self.starts_at).num_minutes();
        Hours(u32::try_from(minutes).unwrap_or(0))
    }
}

/// Parses a schedule.
pub fn parse_schedule(input: &ScheduleInput) -> Result<Schedule, Errors<FieldError>> {
    let mut errors = Gather::new();
    let starts_at = errors.take(parse_time(&input.starts_at).ok_or_else(|| {
        error(
            "starts_at",
            "開始日時を 2027-01-20T10:00 の形で入力してください。",
        )
    }));
    let ends_at = errors.take(parse_time(&input.ends_at).ok_or_else(|| {
        error(
            "ends_at",
            "終了日時を 2027-01-20T12:00 の形で入力してください。",
        )
    }));
    let place = clean_single_line(&input.place);
    if place.is_empty() {
        errors.push(error(
            "place",
            "場所(オンラインの場合は会議のURL)を入力してください。",
        ));
    } else if place.chars().count() > 300 {
        errors.push(error("place", "場所は300文字以内で入力してください。"));
    }
    if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at) {
        if ends_at <= starts_at {
            errors.push(error("ends_at", "終了日時は開始日時より後にしてください。"));
        } else if (ends_at - starts_at).num_hours() > 24 {
            errors.push(error("ends_at", "1回の派遣は24時間以内にしてください。"));
        }
    }
    errors.finish()?;
    match (starts_at, ends_at) {
        (Some(starts_at), Some(ends_at)) => Ok(Schedule {
            starts_at,
            ends_at,
            place,
        }),
        _ => Err(Errors::from(error("starts_at", "日時を確認してください。"))),
    }
}

/// The advisor's report (`POST /api/dispatches/{id}/report`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportInput {
    /// Hours actually spent.
    #[serde(default)]
    pub hours: Option<f64>,
    /// What was done.
    #[serde(default)]
    pub summary: String,
    /// The outcome.
    #[serde(default)]
    pub outcome: String,
    /// Next steps.
    #[serde(default)]
    pub next_steps: String,
}

/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Hours actually spent.
    pub hours: Hours,
    /// What was done.
    pub summary: String,
    /// The outcome (may be empty).
    pub outcome: String,
    /// Next steps (may be empty).
    pub next_steps: String,
}

/// Parses a report.
pub fn parse_report(input: &ReportInput) -> Result<Report, Errors<FieldError>> {
    let mut errors = Gather::new();
    let hours = errors.take(hours("hours", input.hours, "実施時間"));
    let summary = errors.take(long_text(
        "summary",
        &input.summary,
        MAX_REPORT_TEXT,
        "実施内容",
    ));
    let optional = |field: &str, text: &str, name: &str| {
        if text.trim().is_empty() {
            Ok(String::new())
        } else {
            long_text(field, text, MAX_REPORT_TEXT, name)
        }
    };
    let outcome = errors.take(optional("outcome", &input.outcome, "成果"));
    let next_steps = errors.take(optional("next_steps", &input.next_steps, "今後の進め方"));
    errors.finish()?;
    Ok(Report {
        hours: hours.unwrap_or_default(),
        summary: summary.unwrap_or_default(),
        outcome: outcome.unwrap_or_default(),
        next_steps: next_steps.unwrap_or_default(),
    })
}

/// A reason for a rejection: required, one paragraph.
pub fn parse_reason(reason: &str) -> Result<String, Errors<FieldError>> {
    Ok(long_text("reason", reason, 1000, "不採択の理由")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> DispatchInput {
        DispatchInput {
            programme: Some(1),
            advice_type: "issue".into(),
            mode: "online".into(),
            need: "窓口のオンライン申請を始めたい".into(),
            hours: Some(2.0),
            preferred_from: Some("2027-01-05".into()),
            preferred_to: Some("2027-02-28".into()),
            advisors: vec![3, 3, 5],
            ..DispatchInput::default()
        }
    }

    #[test]
    fn a_complete_request_parses_with_its_advisors_once_each() {
        let draft = parse_request(&request()).expect("parses");
        assert_eq!(draft.hours, Hours(120));
        assert_eq!(draft.advisors, [3, 5]);
        assert_eq!(draft.mode, DispatchMode::Online);
    }

    #[test]
    fn every_wrong_field_of_a_request_is_named() {
        let mut wrong = request();
        wrong.programme = None;
        wrong.mode = "fax".into();
        wrong.need = "  ".into();
        wrong.hours = Some(-1.0);
        wrong.preferred_to = Some("2026-12-01".into());
        let fields: Vec<String> = parse_request(&wrong)
            .expect_err("wrong")
            .into_vec()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["programme", "mode", "need", "hours", "preferred_to"]
        );
    }

    #[test]
    fn a_schedule_ends_after_it_starts_and_has_a_place() {
        let schedule = parse_schedule(&ScheduleInput {
            starts_at: "2027-01-20T10:00".into(),
            ends_at: "2027-01-20T12:30".into(),
            place: "三宅町役場".into(),
        })
        .expect("parses");
        assert_eq!(schedule.hours(), Hours(150));
        let wrong = parse_schedule(&ScheduleInput {
            starts_at: "2027-01-20T10:00".into(),
            ends_at: "2027-01-20T09:00".into(),
            place: String::new(),
        })
        .expect_err("wrong");
        let fields: Vec<&str> = wrong.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["place", "ends_at"]);
    }
}
