//! A course as an organiser submits it, parsed into a [`TrainingDraft`] whose parts
//! are known good: a title, at least one session that ends after it starts, cost
//! items in whole yen, split settings whose weights add up to 100. Every error names
//! the field it is about, in the form the API and the page both use.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::cost_split::{Cost, Method, Remainder};
pub use crate::domain::gather::{Errors, Gather};
use crate::domain::text::clean_single_line;

pub use super::staff::{MAX_STAFF_PER_REQUEST, StaffInput, Trainee, parse_staff};

/// A course as submitted (`POST /api/trainings`, or the course form).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingInput {
    /// 研修名.
    #[serde(default)]
    pub title: String,
    /// 内容.
    #[serde(default)]
    pub description: String,
    /// 対象 (人材像 / level).
    #[serde(default)]
    pub target: String,
    /// 団体コード of the organiser; the caller's own body when absent.
    #[serde(default)]
    pub organiser: Option<String>,
    /// Seats.
    #[serde(default)]
    pub capacity: i64,
    /// Last day of enrolment, `YYYY-MM-DD`.
    #[serde(default)]
    pub enrol_until: Option<String>,
    /// Last day a municipality may cancel on its own, `YYYY-MM-DD`.
    #[serde(default)]
    pub cancel_until: Option<String>,
    /// The sessions, in order.
    #[serde(default)]
    pub sessions: Vec<SessionInput>,
    /// The cost items.
    #[serde(default)]
    pub costs: Vec<CostInput>,
    /// How the costs are split.
    #[serde(default)]
    pub split: SplitInput,
}

/// A session as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInput {
    /// Start: RFC 3339, or `YYYY-MM-DDTHH:MM` in Japan time.
    #[serde(default)]
    pub starts_at: String,
    /// End, in the same forms.
    #[serde(default)]
    pub ends_at: String,
    /// 会場.
    #[serde(default)]
    pub place: String,
    /// Held online.
    #[serde(default)]
    pub online: bool,
    /// 内容.
    #[serde(default)]
    pub content: String,
}

/// A cost item as submitted: `amount` for a shared item, `unit_price` per head.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostInput {
    /// 費目.
    #[serde(default)]
    pub label: String,
    /// `shared` or `per_head`.
    #[serde(default)]
    pub kind: String,
    /// Yen, for a shared item.
    #[serde(default)]
    pub amount: Option<i64>,
    /// Yen per participant.
    #[serde(default)]
    pub unit_price: Option<i64>,
}

/// Formula weights in percent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightsInput {
    /// 均等割.
    #[serde(default)]
    pub flat: i64,
    /// 人数割.
    #[serde(default)]
    pub participants: i64,
    /// 職員数割.
    #[serde(default)]
    pub staff: i64,
}

/// Split settings as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitInput {
    /// `headcount`, `lead_pays_base` or `formula`.
    #[serde(default = "default_method")]
    pub method: String,
    /// `enrolled` or `attended`.
    #[serde(default = "default_basis")]
    pub basis: String,
    /// Whether the organiser's own participants count like any body's.
    #[serde(default)]
    pub include_organiser: bool,
    /// `largest_remainder` or `organiser_bears`.
    #[serde(default = "default_remainder")]
    pub remainder: String,
    /// Weights, for `formula`.
    #[serde(default)]
    pub weights: Option<WeightsInput>,
    /// Staff count per 団体コード, for `formula`.
    #[serde(default)]
    pub staff: BTreeMap<String, i64>,
}

fn default_method() -> String {
    "headcount".into()
}
fn default_basis() -> String {
    "enrolled".into()
}
fn default_remainder() -> String {
    "largest_remainder".into()
}

impl Default for SplitInput {
    fn default() -> Self {
        Self {
            method: default_method(),
            basis: default_basis(),
            include_organiser: false,
            remainder: default_remainder(),
            weights: None,
            staff: BTreeMap::new(),
        }
    }
}

/// Whose participants the split counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Everyone enrolled (provisional split at closing).
    Enrolled,
    /// Everyone who attended at least one session (final split).
    Attended,
}

impl Basis {
    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Enrolled => "受講申込者数",
            Self::Attended => "出席者数",
        }
    }
}

/// The split settings of a course, as stored (by default: shared costs by
/// headcount of those enrolled, the organiser apart, remainders to the largest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitSettings {
    /// How shared costs are apportioned.
    pub method: Method,
    /// Whose participants count.
    pub basis: Basis,
    /// Whether the organiser's own participants count like any body's; if not,
    /// the organiser bears their costs itself.
    pub include_organiser: bool,
    /// What happens to the yen whole shares leave over.
    pub remainder: Remainder,
    /// Staff count per 団体コード (formula only).
    pub staff: BTreeMap<String, u32>,
}

impl Default for SplitSettings {
    fn default() -> Self {
        Self {
            method: Method::Headcount,
            basis: Basis::Enrolled,
            include_organiser: false,
            remainder: Remainder::LargestRemainder,
            staff: BTreeMap::new(),
        }
    }
}

impl SplitSettings {
    /// The settings as the course form's fields (`split.method`, `split.weights.flat` …).
    pub fn form_values(&self) -> BTreeMap<String, String> {
        let method = match self.method {
            Method::Headcount => "headcount",
            Method::LeadPaysBase => "lead_pays_base",
            Method::Formula { .. } => "formula",
        };
        let mut values = BTreeMap::from([
            ("split.method".to_owned(), method.to_owned()),
            (
                "split.basis".to_owned(),
                match self.basis {
                    Basis::Enrolled => "enrolled",
                    Basis::Attended => "attended",
                }
                .to_owned(),
            ),
            (
                "split.remainder".to_owned(),
                match self.remainder {
                    Remainder::LargestRemainder => "largest_remainder",
                    Remainder::OrganiserBears => "organiser_bears",
                }
                .to_owned(),
            ),
        ]);
        if self.include_organiser {
            values.insert("split.include_organiser".into(), "on".into());
        }
        if let Method::Formula {
            flat,
            participants,
            staff,
        } = self.method
        {
            values.insert("split.weights.flat".into(), flat.to_string());
            values.insert(
                "split.weights.participants".into(),
                participants.to_string(),
            );
            values.insert("split.weights.staff".into(), staff.to_string());
        }
        let staff: Vec<String> = self
            .staff
            .iter()
            .map(|(code, count)| format!("{code} {count}"))
            .collect();
        values.insert("split.staff".into(), staff.join("\n"));
        values
    }

    /// The method in words, for the notice.
    pub fn describe(&self) -> String {
        let method = match self.method {
            Method::Headcount => "共通経費を参加人数で按分".to_owned(),
            Method::LeadPaysBase => "共通経費は主催団体が負担".to_owned(),
            Method::Formula {
                flat,
                participants,
                staff,
            } => format!("共通経費を均等割{flat}%・人数割{participants}%・職員数割{staff}%で按分"),
        };
        let rounding = match self.remainder {
            Remainder::LargestRemainder => "端数は最大剰余法(同順位は団体コードの小さい団体)",
            Remainder::OrganiserBears => "1円未満切り捨て、残額は主催団体が負担",
        };
        format!(
            "{method}。受講者ごとの経費は各団体が負担。按分の基礎は{}。{rounding}。",
            self.basis.label()
        )
    }
}

/// A cost item, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostItem {
    /// 費目.
    pub label: String,
    /// Shared amount or unit price.
    pub cost: Cost,
}

/// A session, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    /// Start.
    pub starts_at: DateTime<FixedOffset>,
    /// End, after the start.
    pub ends_at: DateTime<FixedOffset>,
    /// 会場 (may be empty when online).
    pub place: String,
    /// Held online.
    pub online: bool,
    /// 内容.
    pub content: String,
}

/// A course whose every part has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingDraft {
    /// 研修名.
    pub title: String,
    /// 内容.
    pub description: String,
    /// 対象.
    pub target: String,
    /// 団体コード of the organiser, if given.
    pub organiser: Option<String>,
    /// Seats, at least 1.
    pub capacity: u32,
    /// Last day of enrolment.
    pub enrol_until: Option<NaiveDate>,
    /// Last day of cancellation without the organiser.
    pub cancel_until: Option<NaiveDate>,
    /// At least one session.
    pub sessions: Vec<SessionDraft>,
    /// Cost items.
    pub costs: Vec<CostItem>,
    /// Split settings.
    pub split: SplitSettings,
}

/// An input error naming the field (`sessions[1].ends_at`, `split.weights` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field.
    pub field: String,
    /// Japanese message.
    pub message: String,
}

pub(super) fn error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Most seats a course may have.
pub const MAX_CAPACITY: i64 = 10_000;
/// Largest amount of one cost item, in yen (one billion).
pub const MAX_AMOUNT: i64 = 1_000_000_000;

pub use crate::domain::calendar::jst;

/// Parses a time as RFC 3339 or as `YYYY-MM-DDTHH:MM` (a form's datetime-local) in JST.
pub fn parse_time(input: &str) -> Option<DateTime<FixedOffset>> {
    let input = input.trim();
    DateTime::parse_from_rfc3339(input).ok().or_else(|| {
        ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
            .and_then(|local| local.and_local_timezone(jst()).single())
    })
}

pub(super) fn parse_date(
    field: &str,
    input: Option<&str>,
) -> Result<Option<NaiveDate>, FieldError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                error(
                    field,
                    format!("日付は 2026-04-01 の形で入力してください(「{text}」)。"),
                )
            }),
    }
}

pub(super) fn text_field(
    field: &str,
    input: &str,
    max: usize,
    required: Option<&str>,
) -> Result<String, FieldError> {
    let value = clean_single_line(input);
    if let Some(name) = required
        && value.is_empty()
    {
        return Err(error(field, format!("{name}を入力してください。")));
    }
    if value.chars().count() > max {
        return Err(error(field, format!("{max}文字以内で入力してください。")));
    }
    Ok(value)
}

fn yen(field: &str, value: Option<i64>, name: &str) -> Result<u64, FieldError> {
    match value {
        None => Err(error(field, format!("{name}を入力してください。"))),
        Some(v) if v < 0 => Err(error(field, format!("{name}は0円以上で入力してください。"))),
        Some(v) if v > MAX_AMOUNT => Err(error(field, format!("{name}が大きすぎます。"))),
        Some(v) => Ok(v.unsigned_abs()),
    }
}

fn percent(field: &str, value: i64) -> Result<u32, FieldError> {
    u32::try_from(value)
        .ok()
        .filter(|v| *v <= 100)
        .ok_or_else(|| error(field, "割合は0から100までの整数で入力してください。"))
}

/// Parses split settings; every wrong setting is reported.
// Long: the method with its weights, the basis, the remainder and the staff counts.
pub fn parse_split(input: &SplitInput) -> Result<SplitSettings, Errors<FieldError>> {
    let mut errors = Gather::new();
    let method = match input.method.as_str() {
        "headcount" => Some(Method::Headcount),
        "lead_pays_base" => Some(Method::LeadPaysBase),
        "formula" => {
            let w = input.weights.unwrap_or_default();
            let flat = errors.take(percent("split.weights.flat", w.flat));
            let participants = errors.take(percent("split.weights.participants", w.participants));
            let staff = errors.take(percent("split.weights.staff", w.staff));
            match (flat, participants, staff) {
                (Some(flat), Some(participants), Some(staff)) => {
                    let sum = flat + participants + staff;
                    if sum != 100 {
                        errors.push(error(
                            "split.weights",
                            format!(
                                "按分の割合(均等割・人数割・職員数割)の合計を100%にしてください(いまは{sum}%)。"
                            ),
                        ));
                    }
                    Some(Method::Formula {
                        flat,
                        participants,
                        staff,
                    })
                }
                _ => None,
            }
        }
        other => {
            errors.push(error(
                "split.method",
                format!("按分方法「{other}」はありません(headcount・lead_pays_base・formula)。"),
            ));
            None
        }
    };
    let basis = match input.basis.as_str() {
        "enrolled" => Basis::Enrolled,
        "attended" => Basis::Attended,
        other => {
            errors.push(error(
                "split.basis",
                format!("按分の基礎「{other}」はありません(enrolled・attended)。"),
            ));
            Basis::Enrolled
        }
    };
    let remainder = match input.remainder.as_str() {
        "largest_remainder" => Remainder::LargestRemainder,
        "organiser_bears" => Remainder::OrganiserBears,
        other => {
            errors.push(error(
                "split.remainder",
                format!("端数処理「{other}」はありません(largest_remainder・organiser_bears)。"),
            ));
            Remainder::LargestRemainder
        }
    };
    let mut staff = BTreeMap::new();
    for (code, count) in &input.staff {
        let count = u32::try_from(*count).map_err(|_| {
            error(
                format!("split.staff.{code}"),
                "職員数は0以上の整数で入力してください。",
            )
        });
        if let Some(count) = errors.take(count) {
            staff.insert(code.clone(), count);
        }
    }
    errors.finish()?;
    Ok(SplitSettings {
        method: method.unwrap_or(Method::Headcount),
        basis,
        include_organiser: input.include_organiser,
        remainder,
        staff,
    })
}

/// Parses cost items; errors name `costs[i].amount`, `costs[i].unit_price` …, all
/// of them.
pub fn parse_costs(input: &[CostInput]) -> Result<Vec<CostItem>, Errors<FieldError>> {
    let mut errors = Gather::new();
    let mut costs = Vec::with_capacity(input.len());
    for (i, c) in input.iter().enumerate() {
        let label = errors.take(text_field(
            &format!("costs[{i}].label"),
            &c.label,
            100,
            Some("費目"),
        ));
        let cost = match c.kind.as_str() {
            "shared" => yen(&format!("costs[{i}].amount"), c.amount, "金額")
                .map(|amount| Cost::Shared { amount }),
            "per_head" => yen(
                &format!("costs[{i}].unit_price"),
                c.unit_price.or(c.amount),
                "単価",
            )
            .map(|unit_price| Cost::PerHead { unit_price }),
            other => Err(error(
                format!("costs[{i}].kind"),
                format!("費目の種類「{other}」はありません(shared・per_head)。"),
            )),
        };
        if let (Some(label), Some(cost)) = (label, errors.take(cost)) {
            costs.push(CostItem { label, cost });
        }
    }
    errors.finish()?;
    Ok(costs)
}

fn capacity(value: i64) -> Result<u32, FieldError> {
    if value < 1 {
        return Err(error("capacity", "定員は1人以上で入力してください。"));
    }
    if value > MAX_CAPACITY {
        return Err(error(
            "capacity",
            format!("定員は{MAX_CAPACITY}人以内で入力してください。"),
        ));
    }
    u32::try_from(value).map_err(|_| error("capacity", "定員が正しくありません。"))
}

/// The `i`-th session; its wrong parts go to `errors`.
fn parse_session(
    i: usize,
    s: &SessionInput,
    errors: &mut Gather<FieldError>,
) -> Option<SessionDraft> {
    let field = |name: &str| format!("sessions[{i}].{name}");
    let n = i + 1;
    let starts_at = errors.take(parse_time(&s.starts_at).ok_or_else(|| {
        error(
            field("starts_at"),
            format!("第{n}回の開始日時を 2026-06-01T10:00 の形で入力してください。"),
        )
    }));
    let ends_at = errors.take(parse_time(&s.ends_at).ok_or_else(|| {
        error(
            field("ends_at"),
            format!("第{n}回の終了日時を 2026-06-01T12:00 の形で入力してください。"),
        )
    }));
    if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at)
        && ends_at <= starts_at
    {
        errors.push(error(
            field("ends_at"),
            format!("第{n}回の終了日時は開始日時より後にしてください。"),
        ));
    }
    let place = errors.take(text_field(&field("place"), &s.place, 200, None));
    if place.as_deref().is_some_and(str::is_empty) && !s.online {
        errors.push(error(
            field("place"),
            format!("第{n}回の会場を入力するか、オンライン開催にしてください。"),
        ));
    }
    Some(SessionDraft {
        starts_at: starts_at?,
        ends_at: ends_at?,
        place: place?,
        online: s.online,
        content: s.content.trim().to_owned(),
    })
}

/// Parses a course, reporting every wrong field at once.
pub fn parse_training(input: &TrainingInput) -> Result<TrainingDraft, Errors<FieldError>> {
    let mut errors = Gather::new();
    let title = errors.take(text_field("title", &input.title, 200, Some("研修名")));
    let target = errors.take(text_field("target", &input.target, 200, None));
    let description = input.description.trim().to_owned();
    if description.chars().count() > 5000 {
        errors.push(error(
            "description",
            "内容は5000文字以内で入力してください。",
        ));
    }
    let capacity = errors.take(capacity(input.capacity));
    let enrol_until = errors.take(parse_date("enrol_until", input.enrol_until.as_deref()));
    let cancel_until = errors.take(parse_date("cancel_until", input.cancel_until.as_deref()));
    if input.sessions.is_empty() {
        errors.push(error("sessions", "日程を1回以上入力してください。"));
    }
    let sessions: Vec<SessionDraft> = input
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| parse_session(i, s, &mut errors))
        .collect();
    let costs = errors.take_all(parse_costs(&input.costs));
    let split = errors.take_all(parse_split(&input.split));
    errors.finish()?;
    // Every part parsed (`finish` found no error), so the defaults below are never used.
    Ok(TrainingDraft {
        title: title.unwrap_or_default(),
        description,
        target: target.unwrap_or_default(),
        organiser: input
            .organiser
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        capacity: capacity.unwrap_or_default(),
        enrol_until: enrol_until.flatten(),
        cancel_until: cancel_until.flatten(),
        sessions,
        costs: costs.unwrap_or_default(),
        split: split.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> TrainingInput {
        TrainingInput {
            title: "DX推進リーダー研修".into(),
            capacity: 30,
            sessions: vec![SessionInput {
                starts_at: "2027-01-20T10:00".into(),
                ends_at: "2027-01-20T12:00".into(),
                place: "奈良県庁".into(),
                ..SessionInput::default()
            }],
            costs: vec![
                CostInput {
                    label: "講師謝金".into(),
                    kind: "shared".into(),
                    amount: Some(300_000),
                    unit_price: None,
                },
                CostInput {
                    label: "教材費".into(),
                    kind: "per_head".into(),
                    amount: None,
                    unit_price: Some(2000),
                },
            ],
            ..TrainingInput::default()
        }
    }

    fn field_of(input: &TrainingInput) -> String {
        parse_training(input)
            .expect_err("rejected")
            .into_first()
            .field
    }

    #[test]
    fn a_complete_course_parses_with_its_times_in_japan_time() {
        let draft = parse_training(&course()).expect("parses");
        assert_eq!(draft.capacity, 30);
        assert_eq!(
            draft.sessions[0].starts_at.to_rfc3339(),
            "2027-01-20T10:00:00+09:00"
        );
        assert_eq!(draft.costs[1].cost, Cost::PerHead { unit_price: 2000 });
        assert_eq!(draft.split.method, Method::Headcount);
    }

    #[test]
    fn capacity_zero_negative_amounts_and_bad_weights_name_their_field() {
        let mut zero = course();
        zero.capacity = 0;
        assert_eq!(field_of(&zero), "capacity");

        let mut negative = course();
        negative.costs[0].amount = Some(-1);
        assert_eq!(field_of(&negative), "costs[0].amount");

        let mut weights = course();
        weights.split.method = "formula".into();
        weights.split.weights = Some(WeightsInput {
            flat: 35,
            participants: 35,
            staff: 20,
        });
        let e = parse_training(&weights).expect_err("rejected").into_first();
        assert_eq!(e.field, "split.weights");
        assert!(e.message.contains("90%"), "{}", e.message);
    }

    #[test]
    fn every_wrong_field_of_a_course_is_reported_at_once() {
        let mut wrong = course();
        wrong.title = " ".into();
        wrong.capacity = 0;
        wrong.sessions[0].ends_at = "2027-01-20T09:00".into();
        wrong.costs[1].unit_price = Some(-5);
        wrong.split.method = "formula".into();
        wrong.split.weights = Some(WeightsInput {
            flat: 50,
            participants: 30,
            staff: 0,
        });
        let fields: Vec<String> = parse_training(&wrong)
            .expect_err("rejected")
            .into_vec()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "title",
                "capacity",
                "sessions[0].ends_at",
                "costs[1].unit_price",
                "split.weights"
            ]
        );
    }

    #[test]
    fn a_session_ending_before_it_starts_is_refused() {
        let mut late = course();
        late.sessions[0].ends_at = "2027-01-20T09:00".into();
        assert_eq!(field_of(&late), "sessions[0].ends_at");
        let mut nowhere = course();
        nowhere.sessions[0].place = " ".into();
        assert_eq!(field_of(&nowhere), "sessions[0].place");
        nowhere.sessions[0].online = true;
        assert!(parse_training(&nowhere).is_ok(), "online needs no place");
    }

    #[test]
    fn staff_need_a_name_and_a_plausible_email() {
        assert_eq!(parse_staff(&[]).expect_err("empty").field, "staff");
        let nameless = [StaffInput::default()];
        assert_eq!(
            parse_staff(&nameless).expect_err("nameless").field,
            "staff[0].name"
        );
        let bad_mail = [StaffInput {
            name: "山田 花子".into(),
            position: "主事".into(),
            email: Some("hanako".into()),
        }];
        assert_eq!(
            parse_staff(&bad_mail).expect_err("mail").field,
            "staff[0].email"
        );
    }

    #[test]
    fn the_notice_states_the_weights_and_the_rounding() {
        let input = SplitInput {
            method: "formula".into(),
            weights: Some(WeightsInput {
                flat: 35,
                participants: 35,
                staff: 30,
            }),
            ..SplitInput::default()
        };
        let text = parse_split(&input).expect("parses").describe();
        assert!(text.contains("均等割35%・人数割35%・職員数割30%"), "{text}");
        assert!(text.contains("最大剰余法"), "{text}");
    }
}
