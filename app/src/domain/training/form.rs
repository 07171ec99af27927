//! The course and enrolment forms as a browser posts them: fixed rows of sessions,
//! cost items and staff, read into the same inputs the JSON API takes. Blank rows
//! are skipped, and an error about the n-th parsed row is turned back into the name
//! of the form row it came from, so the message shows beside the right input.
//!
//! The forms are read through a lookup (`name → value`), the server's from the
//! posted body, the browser's from the live form, so the course form's split
//! preview parses exactly what the server will.

use std::collections::BTreeMap;

use super::input::{
    Basis, CostInput, FieldError, SessionInput, SplitInput, StaffInput, TrainingInput,
    WeightsInput, parse_costs, parse_split, parse_training,
};
use super::split::{course_split, needs_staff};
use crate::domain::cost_split::Cost;
use crate::domain::gather::{Errors, Gather};
use crate::domain::text::nfkc;

/// Session rows on the course form.
pub const SESSION_ROWS: usize = 4;
/// Cost rows on the course form.
pub const COST_ROWS: usize = 6;
/// Staff rows on the enrolment form.
pub const STAFF_ROWS: usize = 5;
/// Example bodies in the course form's split preview.
pub const TRIAL_ROWS: usize = 3;

/// A form lookup: the value posted under `name`, if any.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The name of a row's input: `sessions[0].starts_at`, `costs[2].amount` …
pub fn row_field(list: &str, row: usize, name: &str) -> String {
    format!("{list}[{row}].{name}")
}

fn text(get: Lookup<'_>, name: &str) -> String {
    get(name).unwrap_or_default()
}

fn checked(get: Lookup<'_>, name: &str) -> bool {
    get(name).is_some_and(|v| !v.is_empty())
}

/// A whole number as typed: full-width digits, commas and a trailing 円 or 人 are
/// accepted; blank is `None`.
pub fn number(field: &str, input: &str, name: &str) -> Result<Option<i64>, FieldError> {
    let folded: String = nfkc(input)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '円' | '人' | '%'))
        .collect();
    if folded.is_empty() {
        return Ok(None);
    }
    folded.parse::<i64>().map(Some).map_err(|_| FieldError {
        field: field.to_owned(),
        message: format!("{name}は数字で入力してください(「{}」)。", input.trim()),
    })
}

/// Staff counts typed one body per line, `293628 120` (団体コード and count,
/// separated by a space, comma, colon or equals sign).
pub fn staff_counts(input: &str) -> Result<BTreeMap<String, i64>, FieldError> {
    let mut counts = BTreeMap::new();
    for (i, line) in nfkc(input).lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '='))
            .filter(|p| !p.is_empty())
            .collect();
        let refused = || FieldError {
            field: "split.staff".into(),
            message: format!(
                "職員数の{}行目は「団体コード 職員数」(例: 293628 120)の形で入力してください。",
                i + 1
            ),
        };
        match parts.as_slice() {
            [code, count] if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) => {
                let count = count.parse::<i64>().map_err(|_| refused())?;
                counts.insert((*code).to_owned(), count);
            }
            _ => return Err(refused()),
        }
    }
    Ok(counts)
}

/// Maps `list[k].rest` (the k-th parsed row) to the form row it was read from.
fn remap(field: &str, list: &str, rows: &[usize]) -> Option<String> {
    let rest = field.strip_prefix(list)?.strip_prefix('[')?;
    let (index, tail) = rest.split_once(']')?;
    let row = rows.get(index.parse::<usize>().ok()?)?;
    Some(format!("{list}[{row}]{tail}"))
}

/// A course read from its form, with the form rows each session and cost came from.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseForm {
    /// The course as the API would take it.
    pub input: TrainingInput,
    session_rows: Vec<usize>,
    cost_rows: Vec<usize>,
}

impl CourseForm {
    /// Reads the course form; a number that is not one is reported (every one of
    /// them), and the course parser then checks the values.
    pub fn read(get: Lookup<'_>) -> Result<Self, Errors<FieldError>> {
        let mut errors = Gather::new();
        let form = Self::read_into(get, &mut errors);
        errors.finish()?;
        Ok(form)
    }

    /// Reads the course form and checks it as the course parser will, reporting
    /// every wrong input at once under its form name: the numbers that are not
    /// numbers, and whatever the parser finds in the other inputs.
    pub fn read_checked(get: Lookup<'_>) -> Result<Self, Errors<FieldError>> {
        let mut errors = Gather::new();
        let form = Self::read_into(get, &mut errors);
        let Err(unread) = errors.finish() else {
            return Ok(form);
        };
        let Err(wrong) = parse_training(&form.input) else {
            return Err(unread);
        };
        let named: Vec<String> = unread.iter().map(|e| e.field.clone()).collect();
        let related = |a: &str, b: &str| a.starts_with(b) || b.starts_with(a);
        let more: Vec<FieldError> = wrong
            .into_vec()
            .into_iter()
            .map(|e| FieldError {
                field: form.input_name(&e.field),
                message: e.message,
            })
            // A number that could not be read was read as blank; the parser's
            // complaint about the blank says nothing new.
            .filter(|e| !named.iter().any(|n| related(n, &e.field)))
            .collect();
        Err(unread.with(more))
    }

    // Long: one field of the course form after another.
    fn read_into(get: Lookup<'_>, errors: &mut Gather<FieldError>) -> Self {
        let capacity = errors
            .take(number("capacity", &text(get, "capacity"), "定員"))
            .flatten()
            .unwrap_or(0);
        let mut sessions = Vec::new();
        let mut session_rows = Vec::new();
        for row in 0..SESSION_ROWS {
            let field = |name: &str| row_field("sessions", row, name);
            let session = SessionInput {
                starts_at: text(get, &field("starts_at")),
                ends_at: text(get, &field("ends_at")),
                place: text(get, &field("place")),
                online: checked(get, &field("online")),
                content: text(get, &field("content")),
            };
            if session != SessionInput::default() {
                sessions.push(session);
                session_rows.push(row);
            }
        }
        let mut costs = Vec::new();
        let mut cost_rows = Vec::new();
        for row in 0..COST_ROWS {
            let field = |name: &str| row_field("costs", row, name);
            let label = text(get, &field("label"));
            let amount_text = text(get, &field("amount"));
            if label.trim().is_empty() && amount_text.trim().is_empty() {
                continue;
            }
            let kind = text(get, &field("kind"));
            let amount = errors
                .take(number(&field("amount"), &amount_text, "金額"))
                .flatten();
            let per_head = kind == "per_head";
            costs.push(CostInput {
                label,
                kind,
                amount: if per_head { None } else { amount },
                unit_price: if per_head { amount } else { None },
            });
            cost_rows.push(row);
        }
        let mut weight = |name: &str| -> i64 {
            let field = format!("split.weights.{name}");
            errors
                .take(number(&field, &text(get, &field), "割合"))
                .flatten()
                .unwrap_or(0)
        };
        let method = text(get, "split.method");
        let weights = if method == "formula" {
            Some(WeightsInput {
                flat: weight("flat"),
                participants: weight("participants"),
                staff: weight("staff"),
            })
        } else {
            None
        };
        let or = |name: &str, default: &str| {
            get(name)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let split = SplitInput {
            method: or("split.method", "headcount"),
            basis: or("split.basis", "enrolled"),
            include_organiser: checked(get, "split.include_organiser"),
            remainder: or("split.remainder", "largest_remainder"),
            weights,
            staff: errors
                .take(staff_counts(&text(get, "split.staff")))
                .unwrap_or_default(),
        };
        let optional = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        Self {
            input: TrainingInput {
                title: text(get, "title"),
                description: text(get, "description"),
                target: text(get, "target"),
                organiser: None,
                capacity,
                enrol_until: optional("enrol_until"),
                cancel_until: optional("cancel_until"),
                sessions,
                costs,
                split,
            },
            session_rows,
            cost_rows,
        }
    }

    /// The form input an error about `field` (as the parser or a service names
    /// it) belongs to.
    pub fn input_name(&self, field: &str) -> String {
        if field.starts_with("split.staff") {
            return "split.staff".into();
        }
        if let Some(name) = remap(field, "sessions", &self.session_rows) {
            return name;
        }
        if let Some(name) = remap(field, "costs", &self.cost_rows) {
            // One input takes the amount or the unit price.
            return name.replace(".unit_price", ".amount");
        }
        if field == "sessions" {
            return row_field("sessions", 0, "starts_at");
        }
        field.to_owned()
    }
}

/// Staff read from the enrolment form, with the form rows they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffForm {
    /// The staff as the API would take them.
    pub staff: Vec<StaffInput>,
    rows: Vec<usize>,
}

impl StaffForm {
    /// Reads the enrolment form; rows with no field filled are skipped.
    pub fn read(get: Lookup<'_>) -> Self {
        let mut staff = Vec::new();
        let mut rows = Vec::new();
        for row in 0..STAFF_ROWS {
            let field = |name: &str| text(get, &row_field("staff", row, name));
            let email = field("email");
            let member = StaffInput {
                name: field("name"),
                position: field("position"),
                email: (!email.trim().is_empty()).then_some(email),
            };
            if !member.name.trim().is_empty()
                || !member.position.trim().is_empty()
                || member.email.is_some()
            {
                staff.push(member);
                rows.push(row);
            }
        }
        Self { staff, rows }
    }

    /// The form input an error about `field` belongs to.
    pub fn input_name(&self, field: &str) -> String {
        match remap(field, "staff", &self.rows) {
            Some(name) => name,
            None if field == "staff" => row_field("staff", 0, "name"),
            None => field.to_owned(),
        }
    }
}

/// One line of the preview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrialLine {
    /// Who pays: 主催団体 or 参加団体A …
    pub label: String,
    /// Participants counted.
    pub headcount: u32,
    /// Part of the shared costs.
    pub shared: u64,
    /// Per-participant costs.
    pub per_head: u64,
    /// What the body pays.
    pub amount: u64,
}

/// The preview of a course form's split over example bodies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Trial {
    /// Every cost added up.
    pub total: u64,
    /// One line per body, the organiser first.
    pub lines: Vec<TrialLine>,
}

/// Default example headcounts and staff counts: 3, 3 and 1 participants.
pub const TRIAL_DEFAULTS: [(u32, u32); TRIAL_ROWS] = [(3, 300), (3, 150), (1, 50)];

/// Splits the form's costs by its settings among example bodies: the organiser
/// (`trial.organiser` trainees of its own) and 参加団体A–C (`trial[i].headcount`,
/// `trial[i].staff`). Blank example figures take [`TRIAL_DEFAULTS`].
// Long: the preview computed from the form as typed, with a message for each gap.
pub fn trial_split(get: Lookup<'_>) -> Result<Trial, FieldError> {
    let form = CourseForm::read(get).map_err(Errors::into_first)?;
    let located = |e: FieldError| FieldError {
        field: form.input_name(&e.field),
        message: e.message,
    };
    let item_costs = parse_costs(&form.input.costs).map_err(|e| located(e.into_first()))?;
    let mut settings = parse_split(&form.input.split).map_err(|e| located(e.into_first()))?;
    let count = |field: String, default: u32| -> Result<u32, FieldError> {
        let value = number(&field, &text(get, &field), "人数")?;
        match value {
            None => Ok(default),
            Some(v) => u32::try_from(v).map_err(|_| FieldError {
                field,
                message: "人数は0以上で入力してください。".into(),
            }),
        }
    };
    let costs: Vec<Cost> = item_costs.iter().map(|c| c.cost).collect();
    let (organiser, counts, labels, examples) =
        match get(ACTUAL_ORGANISER).filter(|c| !c.is_empty()) {
            Some(organiser) => {
                let basis = match settings.basis {
                    Basis::Enrolled => "enrolled",
                    Basis::Attended => "attended",
                };
                let mut counts = BTreeMap::new();
                let mut labels =
                    BTreeMap::from([(organiser.clone(), text(get, ACTUAL_ORGANISER_NAME))]);
                for row in 0..MAX_ACTUAL_BODIES {
                    let Some(code) = get(&row_field("actual", row, "code")) else {
                        break;
                    };
                    let people = text(get, &row_field("actual", row, basis))
                        .parse::<u32>()
                        .unwrap_or(0);
                    if people > 0 {
                        counts.insert(code.clone(), people);
                    }
                    labels.insert(code, text(get, &row_field("actual", row, "name")));
                }
                (organiser, counts, labels, false)
            }
            None => {
                // Codes that sort as the labels do: the organiser first, then A, B, C.
                let organiser = "0".to_owned();
                let mut counts = BTreeMap::new();
                let own = count("trial.organiser".into(), 0)?;
                if own > 0 {
                    counts.insert(organiser.clone(), own);
                }
                let mut labels = BTreeMap::from([(organiser.clone(), "主催団体".to_owned())]);
                for (row, (people, staff)) in TRIAL_DEFAULTS.into_iter().enumerate() {
                    let letter = char::from(b'A' + u8::try_from(row).unwrap_or(0));
                    let code = letter.to_string();
                    let people = count(row_field("trial", row, "headcount"), people)?;
                    let staff = count(row_field("trial", row, "staff"), staff)?;
                    if people > 0 {
                        counts.insert(code.clone(), people);
                    }
                    settings.staff.insert(code.clone(), staff);
                    labels.insert(code, format!("参加団体{letter}"));
                }
                (organiser, counts, labels, true)
            }
        };
    let (split, _) =
        course_split(&settings, &organiser, &costs, counts).map_err(|e| FieldError {
            field: if examples && needs_staff(&settings) && e.field() == "split.staff" {
                "trial".into()
            } else {
                e.field()
            },
            message: e.to_string(),
        })?;
    Ok(Trial {
        total: split.total,
        lines: split
            .lines
            .into_iter()
            .map(|l| TrialLine {
                label: labels.get(&l.code).cloned().unwrap_or(l.code),
                headcount: l.headcount,
                shared: l.shared,
                per_head: l.per_head,
                amount: l.amount,
            })
            .collect(),
    })
}

/// The hidden field naming the organiser when the preview uses a course's real
/// participants instead of the examples.
pub const ACTUAL_ORGANISER: &str = "actual.organiser";
/// The hidden field with the organiser's name.
pub const ACTUAL_ORGANISER_NAME: &str = "actual.organiser_name";
/// Most bodies the preview reads.
const MAX_ACTUAL_BODIES: usize = 2000;

/// A body with staff in a stored course, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActualBody {
    /// 団体コード.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its seated trainees.
    pub enrolled: u32,
    /// Those of them who attended at least one session.
    pub attended: u32,
}

/// The hidden fields that make the preview split among a course's real bodies
/// (by whichever basis the form has chosen) rather than the examples.
pub fn actual_fields(
    organiser: &str,
    organiser_name: &str,
    bodies: &[ActualBody],
) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::from([
        (ACTUAL_ORGANISER.to_owned(), organiser.to_owned()),
        (ACTUAL_ORGANISER_NAME.to_owned(), organiser_name.to_owned()),
    ]);
    for (row, b) in bodies.iter().enumerate() {
        fields.insert(row_field("actual", row, "code"), b.code.clone());
        fields.insert(row_field("actual", row, "name"), b.name.clone());
        fields.insert(row_field("actual", row, "enrolled"), b.enrolled.to_string());
        fields.insert(row_field("actual", row, "attended"), b.attended.to_string());
    }
    fields
}

/// A lookup over posted `(name, value)` pairs (the last value of a name wins).
pub fn pairs_lookup(fields: &[(String, String)]) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn course_pairs() -> Vec<(String, String)> {
        form(&[
            ("title", "DX推進研修"),
            ("capacity", "30"),
            ("sessions[0].starts_at", "2027-01-20T10:00"),
            ("sessions[0].ends_at", "2027-01-20T12:00"),
            ("sessions[0].place", "奈良県庁"),
            ("sessions[2].starts_at", "2027-01-27T10:00"),
            ("sessions[2].ends_at", "2027-01-27T09:00"),
            ("sessions[2].online", "on"),
            ("costs[0].label", "講師謝金"),
            ("costs[0].kind", "shared"),
            ("costs[0].amount", "1,000,000円"),
            ("costs[3].label", "教材費"),
            ("costs[3].kind", "per_head"),
            ("costs[3].amount", "２０００"),
            ("split.method", "headcount"),
        ])
    }

    #[test]
    fn blank_rows_are_skipped_and_typed_amounts_read_as_yen() {
        let pairs = course_pairs();
        let course = CourseForm::read(&pairs_lookup(&pairs)).expect("reads");
        assert_eq!(course.input.capacity, 30);
        assert_eq!(course.input.sessions.len(), 2);
        assert!(course.input.sessions[1].online);
        assert_eq!(course.input.costs[0].amount, Some(1_000_000));
        assert_eq!(course.input.costs[1].unit_price, Some(2000));
    }

    #[test]
    fn an_error_in_the_second_filled_row_points_at_the_row_it_was_typed_in() {
        let pairs = course_pairs();
        let course = CourseForm::read(&pairs_lookup(&pairs)).expect("reads");
        let error = parse_training(&course.input)
            .expect_err("second session ends early")
            .into_first();
        assert_eq!(error.field, "sessions[1].ends_at");
        assert_eq!(course.input_name(&error.field), "sessions[2].ends_at");
        assert_eq!(
            course.input_name("costs[1].unit_price"),
            "costs[3].amount",
            "the per-head price is typed in the amount box"
        );
    }

    #[test]
    fn letters_in_a_number_box_name_that_box() {
        let mut pairs = course_pairs();
        pairs.push(("capacity".into(), "三十".into()));
        let error = CourseForm::read(&pairs_lookup(&pairs))
            .expect_err("not a number")
            .into_first();
        assert_eq!(error.field, "capacity");
        assert!(error.message.contains("三十"), "{}", error.message);
    }

    #[test]
    fn every_wrong_input_of_the_course_form_is_named_at_once() {
        let mut pairs = course_pairs();
        pairs.retain(|(k, _)| k != "title");
        pairs.push(("capacity".into(), "三十".into()));
        pairs.push(("costs[0].amount".into(), "百万".into()));
        let errors = CourseForm::read_checked(&pairs_lookup(&pairs)).expect_err("wrong");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "capacity",
                "costs[0].amount",
                "title",
                "sessions[2].ends_at"
            ],
            "the unreadable numbers once each, then the parser's findings under their form names"
        );
    }

    #[test]
    fn staff_counts_are_read_one_town_per_line() {
        let counts = staff_counts("293628 120\n２９２０１０,2500\n\n").expect("reads");
        assert_eq!(counts.get("293628"), Some(&120));
        assert_eq!(counts.get("292010"), Some(&2500));
        let error = staff_counts("三宅町 120").expect_err("no code");
        assert_eq!(error.field, "split.staff");
        assert!(error.message.contains("1行目"), "{}", error.message);
    }

    #[test]
    fn the_preview_splits_a_million_yen_three_three_one_like_the_server() {
        let mut pairs = course_pairs();
        pairs.retain(|(k, _)| !k.starts_with("sessions[2]") && !k.starts_with("costs[3]"));
        let trial = trial_split(&pairs_lookup(&pairs)).expect("splits");
        let amounts: Vec<(&str, u64)> = trial
            .lines
            .iter()
            .map(|l| (l.label.as_str(), l.amount))
            .collect();
        assert_eq!(
            amounts,
            [
                ("主催団体", 0),
                ("参加団体A", 428_572),
                ("参加団体B", 428_571),
                ("参加団体C", 142_857),
            ]
        );
        assert_eq!(trial.total, 1_000_000);
    }

    #[test]
    fn the_preview_follows_the_example_headcounts_typed() {
        let mut pairs = course_pairs();
        pairs.retain(|(k, _)| !k.starts_with("sessions[2]"));
        pairs.extend(form(&[
            ("trial[0].headcount", "1"),
            ("trial[1].headcount", "1"),
            ("trial[2].headcount", "0"),
            ("trial.organiser", "2"),
        ]));
        let trial = trial_split(&pairs_lookup(&pairs)).expect("splits");
        let amount = |label: &str| {
            trial
                .lines
                .iter()
                .find(|l| l.label == label)
                .map(|l| l.amount)
        };
        assert_eq!(amount("参加団体A"), Some(500_000 + 2_000));
        assert_eq!(
            amount("参加団体C"),
            None,
            "a body with no one is not billed"
        );
        assert_eq!(
            amount("主催団体"),
            Some(4_000),
            "the organiser's own two trainees are left out of the split but their materials are its own"
        );
    }

    #[test]
    fn a_stored_course_previews_among_its_real_towns_by_the_basis_chosen() {
        let mut pairs = course_pairs();
        pairs.retain(|(k, _)| !k.starts_with("sessions[2]"));
        let bodies = [
            ActualBody {
                code: "293628".into(),
                name: "三宅町".into(),
                enrolled: 3,
                attended: 1,
            },
            ActualBody {
                code: "292010".into(),
                name: "奈良市".into(),
                enrolled: 1,
                attended: 1,
            },
        ];
        pairs.extend(actual_fields("290009", "奈良県", &bodies));
        let amount = |trial: &Trial, label: &str| {
            trial
                .lines
                .iter()
                .find(|l| l.label == label)
                .map(|l| l.amount)
        };
        let enrolled = trial_split(&pairs_lookup(&pairs)).expect("splits");
        assert_eq!(amount(&enrolled, "三宅町"), Some(750_000 + 6_000));
        assert_eq!(amount(&enrolled, "奈良市"), Some(250_000 + 2_000));
        assert_eq!(amount(&enrolled, "奈良県"), Some(0));
        pairs.push(("split.basis".into(), "attended".into()));
        let attended = trial_split(&pairs_lookup(&pairs)).expect("splits");
        assert_eq!(amount(&attended, "三宅町"), Some(500_000 + 2_000));
        pairs.push(("split.method".into(), "formula".into()));
        pairs.push(("split.weights.flat".into(), "100".into()));
        pairs.push(("split.weights.staff".into(), "0".into()));
        assert!(
            trial_split(&pairs_lookup(&pairs)).is_ok(),
            "no staff share, no staff count needed"
        );
        pairs.push(("split.weights.flat".into(), "50".into()));
        pairs.push(("split.weights.staff".into(), "50".into()));
        let missing = trial_split(&pairs_lookup(&pairs)).expect_err("staff counts are missing");
        assert_eq!(
            missing.field, "split.staff",
            "the real towns' counts are typed in the form"
        );
    }

    #[test]
    fn enrolment_rows_skip_blanks_and_point_errors_at_the_typed_row() {
        let pairs = form(&[
            ("staff[1].name", "山田 花子"),
            ("staff[1].position", "主事"),
            ("staff[3].position", "主査"),
        ]);
        let staff = StaffForm::read(&pairs_lookup(&pairs));
        assert_eq!(staff.staff.len(), 2);
        assert_eq!(staff.input_name("staff[1].name"), "staff[3].name");
        assert_eq!(staff.input_name("staff"), "staff[0].name");
    }
}
