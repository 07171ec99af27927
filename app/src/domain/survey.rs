//! 照会: a question every town of the prefecture must answer by a deadline.
//! What a 照会 and an answer must be, and the sums the 県 reads. Pure.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::gather::{Errors, Gather};
use crate::domain::notice::Recipients;
use crate::domain::training::input::FieldError;

/// Longest title.
pub const TITLE_MAX: usize = 120;
/// Longest instructions.
pub const INSTRUCTIONS_MAX: usize = 10_000;
/// Most questions in one 照会.
pub const QUESTIONS_MAX: usize = 50;
/// Longest question.
pub const LABEL_MAX: usize = 300;
/// Most options of a choice.
pub const OPTIONS_MAX: usize = 30;
/// Longest option.
pub const OPTION_MAX: usize = 100;
/// Longest short answer.
pub const SHORT_MAX: usize = 200;
/// Longest long answer.
pub const LONG_MAX: usize = 5_000;
/// Rows of questions the page's form offers (the API takes up to [`QUESTIONS_MAX`]).
pub const FORM_QUESTIONS: usize = 10;
/// Largest number an answer may hold (a budget in yen fits).
pub const NUMBER_MAX: f64 = 1e13;

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One line of text.
    Short,
    /// Paragraphs.
    Long,
    /// A number (counts, yen).
    Number,
    /// はい / いいえ.
    YesNo,
    /// One of the options.
    Choice,
    /// Any of the options.
    Multi,
    /// A date.
    Date,
}

impl QuestionKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::Short,
        QuestionKind::Long,
        QuestionKind::Number,
        QuestionKind::YesNo,
        QuestionKind::Choice,
        QuestionKind::Multi,
        QuestionKind::Date,
    ];

    /// The API's name (`"choice"`).
    pub fn key(self) -> &'static str {
        match self {
            QuestionKind::Short => "short",
            QuestionKind::Long => "long",
            QuestionKind::Number => "number",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Choice => "choice",
            QuestionKind::Multi => "multi",
            QuestionKind::Date => "date",
        }
    }

    /// The form's name (「単一選択」).
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Short => "短い文章",
            QuestionKind::Long => "長い文章",
            QuestionKind::Number => "数値",
            QuestionKind::YesNo => "はい / いいえ",
            QuestionKind::Choice => "単一選択",
            QuestionKind::Multi => "複数選択",
            QuestionKind::Date => "日付",
        }
    }

    /// The kind named `key` (also 「yesno」, 「text」, 「single」…).
    pub fn parse(key: &str) -> Option<Self> {
        Some(match key.trim() {
            "short" | "text" => QuestionKind::Short,
            "long" | "textarea" => QuestionKind::Long,
            "number" => QuestionKind::Number,
            "yes_no" | "yesno" | "boolean" => QuestionKind::YesNo,
            "choice" | "single" => QuestionKind::Choice,
            "multi" | "multiple" | "checkbox" => QuestionKind::Multi,
            "date" => QuestionKind::Date,
            _ => return None,
        })
    }

    fn has_options(self) -> bool {
        matches!(self, QuestionKind::Choice | QuestionKind::Multi)
    }
}

/// A question as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInput {
    /// `short`, `long`, `number`, `yes_no`, `choice`, `multi`, `date`.
    #[serde(default)]
    pub kind: String,
    /// The question.
    #[serde(default)]
    pub label: String,
    /// The options of a choice.
    #[serde(default)]
    pub options: Vec<String>,
    /// A submitted answer must fill it.
    #[serde(default)]
    pub required: bool,
}

/// A checked question (stored as JSON with its 照会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// What kind of answer.
    pub kind: QuestionKind,
    /// The question.
    pub label: String,
    /// The options of a choice, each once.
    #[serde(default)]
    pub options: Vec<String>,
    /// A submitted answer must fill it.
    #[serde(default)]
    pub required: bool,
}

/// A 照会 as sent (`POST /api/surveys`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyInput {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// What the towns should know (plain text).
    #[serde(default)]
    pub instructions: String,
    /// The last day to answer, `YYYY-MM-DD`.
    #[serde(default)]
    pub deadline: String,
    /// The questions, in order.
    #[serde(default)]
    pub questions: Vec<QuestionInput>,
    /// `["all"]` or 団体コード.
    #[serde(default)]
    pub municipalities: Vec<String>,
}

/// A checked 照会.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurvey {
    /// Title.
    pub title: String,
    /// Instructions.
    pub instructions: String,
    /// The last day to answer (in Japan).
    pub deadline: NaiveDate,
    /// The questions.
    pub questions: Vec<Question>,
    /// Who must answer.
    pub recipients: Recipients,
}

fn error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// A date as people type it: `2026-12-03`, `2026/12/3`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = crate::domain::text::nfkc(text);
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y/%m/%d"))
        .ok()
}

fn parse_question(index: usize, input: &QuestionInput) -> Result<Question, FieldError> {
    let field = format!("questions.{index}");
    let n = index + 1;
    let kind = QuestionKind::parse(&input.kind)
        .ok_or_else(|| error(&field, format!("質問{n}: 種類を選んでください。")))?;
    let label = crate::domain::text::clean_single_line(&input.label);
    if label.is_empty() {
        return Err(error(
            &field,
            format!("質問{n}: 質問文を入力してください。"),
        ));
    }
    if label.chars().count() > LABEL_MAX {
        return Err(error(
            &field,
            format!("質問{n}: 質問文は{LABEL_MAX}文字までです。"),
        ));
    }
    let mut options: Vec<String> = Vec::new();
    if kind.has_options() {
        for option in input
            .options
            .iter()
            .map(|o| crate::domain::text::clean_single_line(o))
            .filter(|o| !o.is_empty())
        {
            if option.chars().count() > OPTION_MAX {
                return Err(error(
                    &field,
                    format!("質問{n}: 選択肢は{OPTION_MAX}文字までです。"),
                ));
            }
            if !options.contains(&option) {
                options.push(option);
            }
        }
        if options.len() < 2 {
            return Err(error(
                &field,
                format!("質問{n}: 選択肢を2つ以上入力してください。"),
            ));
        }
        if options.len() > OPTIONS_MAX {
            return Err(error(
                &field,
                format!("質問{n}: 選択肢は{OPTIONS_MAX}個までです。"),
            ));
        }
    }
    Ok(Question {
        kind,
        label,
        options,
        required: input.required,
    })
}

/// Checks a 照会 made on `today` (in Japan); every wrong field is named.
pub fn parse_survey(
    input: &SurveyInput,
    today: NaiveDate,
) -> Result<NewSurvey, Errors<FieldError>> {
    let mut gather = Gather::new();
    let title = crate::domain::text::clean_single_line(&input.title);
    if title.is_empty() {
        gather.push(error("title", "件名を入力してください。"));
    } else if title.chars().count() > TITLE_MAX {
        gather.push(error("title", format!("件名は{TITLE_MAX}文字までです。")));
    }
    let instructions = input.instructions.replace("\r\n", "\n").trim().to_owned();
    if instructions.chars().count() > INSTRUCTIONS_MAX {
        gather.push(error(
            "instructions",
            format!("説明は{INSTRUCTIONS_MAX}文字までです。"),
        ));
    }
    let deadline = parse_date(&input.deadline);
    match deadline {
        None => gather.push(error(
            "deadline",
            "回答期限を日付で入力してください(例: 2026-12-25)。",
        )),
        Some(day) if day < today => {
            gather.push(error("deadline", "回答期限が過ぎた日になっています。"));
        }
        Some(_) => {}
    }
    let mut questions = Vec::new();
    if input.questions.is_empty() {
        gather.push(error("questions", "質問を1つ以上入力してください。"));
    } else if input.questions.len() > QUESTIONS_MAX {
        gather.push(error(
            "questions",
            format!("質問は{QUESTIONS_MAX}個までです。"),
        ));
    } else {
        for (index, question) in input.questions.iter().enumerate() {
            match parse_question(index, question) {
                Ok(question) => questions.push(question),
                Err(e) => gather.push(e),
            }
        }
    }
    let recipients = crate::domain::notice::parse_recipients(&input.municipalities);
    if recipients.is_none() {
        gather.push(error(
            "municipalities",
            "照会先の市町村を選んでください(全市町村は all)。",
        ));
    }
    gather.finish()?;
    match (deadline, recipients) {
        (Some(deadline), Some(recipients)) => Ok(NewSurvey {
            title,
            instructions,
            deadline,
            questions,
            recipients,
        }),
        // Both were checked above; a missing one was pushed as an error.
        _ => Err(error("deadline", "回答期限を入力してください。").into()),
    }
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Not answered.
    Empty,
    /// Short or long text.
    Text(String),
    /// A number.
    Number(f64),
    /// はい (true) or いいえ.
    YesNo(bool),
    /// One option.
    Choice(String),
    /// Some options, in the options' order.
    Multi(Vec<String>),
    /// A date.
    Date(NaiveDate),
}

impl Answer {
    /// The answer as JSON (stored, and sent back by the API): null, a string, a
    /// number, a boolean or a list of strings.
    pub fn to_json(&self) -> Value {
        match self {
            Answer::Empty => Value::Null,
            Answer::Text(t) | Answer::Choice(t) => Value::String(t.clone()),
            Answer::Number(n) => {
                serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
            }
            Answer::YesNo(b) => Value::Bool(*b),
            Answer::Multi(list) => Value::Array(list.iter().cloned().map(Value::String).collect()),
            Answer::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        }
    }

    /// The answer in one spreadsheet cell or table cell.
    pub fn cell(&self) -> String {
        match self {
            Answer::Empty => String::new(),
            Answer::Text(t) | Answer::Choice(t) => t.clone(),
            Answer::Number(n) => number_text(*n),
            Answer::YesNo(true) => "はい".to_owned(),
            Answer::YesNo(false) => "いいえ".to_owned(),
            Answer::Multi(list) => list.join("、"),
            Answer::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// Nothing was given.
    pub fn is_empty(&self) -> bool {
        matches!(self, Answer::Empty)
    }
}

/// A number without a needless `.0` (`12`, `1.5`).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let text = format!("{n:.4}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn text_of(raw: &Value) -> Option<String> {
    match raw {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads one answer to `question` from JSON (or from a form's text, as a
/// string); `Err` is the message for the person.
pub fn parse_answer(question: &Question, raw: &Value) -> Result<Answer, String> {
    if raw.is_null() || raw.as_str().is_some_and(|s| s.trim().is_empty()) {
        return Ok(Answer::Empty);
    }
    if let (QuestionKind::Multi, Value::Array(items)) = (question.kind, raw) {
        let mut chosen: Vec<&str> = Vec::new();
        for item in items {
            let text = item.as_str().map(str::trim).unwrap_or_default();
            let option = question
                .options
                .iter()
                .find(|o| o.as_str() == text)
                .ok_or_else(|| format!("「{text}」は選択肢にありません。"))?;
            chosen.push(option);
        }
        let ordered: Vec<String> = question
            .options
            .iter()
            .filter(|o| chosen.contains(&o.as_str()))
            .cloned()
            .collect();
        return Ok(if ordered.is_empty() {
            Answer::Empty
        } else {
            Answer::Multi(ordered)
        });
    }
    if let (QuestionKind::YesNo, Value::Bool(b)) = (question.kind, raw) {
        return Ok(Answer::YesNo(*b));
    }
    let text = text_of(raw).ok_or("答えの形が違います。")?;
    let text = text.replace("\r\n", "\n");
    let trimmed = text.trim();
    match question.kind {
        QuestionKind::Short => {
            let line = crate::domain::text::clean_single_line(trimmed);
            if line.chars().count() > SHORT_MAX {
                return Err(format!("{SHORT_MAX}文字までです。"));
            }
            Ok(Answer::Text(line))
        }
        QuestionKind::Long => {
            if trimmed.chars().count() > LONG_MAX {
                return Err(format!("{LONG_MAX}文字までです。"));
            }
            Ok(Answer::Text(trimmed.to_owned()))
        }
        QuestionKind::Number => {
            let plain: String = crate::domain::text::nfkc(trimmed)
                .chars()
                .filter(|c| *c != ',' && !c.is_whitespace())
                .collect();
            match plain.parse::<f64>() {
                Ok(n) if n.is_finite() && n.abs() <= NUMBER_MAX => Ok(Answer::Number(n)),
                Ok(_) => Err("数値が大きすぎます。".to_owned()),
                Err(_) => Err("数値で入力してください(例: 12)。".to_owned()),
            }
        }
        QuestionKind::YesNo => match trimmed {
            "yes" | "true" | "はい" => Ok(Answer::YesNo(true)),
            "no" | "false" | "いいえ" => Ok(Answer::YesNo(false)),
            _ => Err("「はい」か「いいえ」を選んでください。".to_owned()),
        },
        QuestionKind::Choice | QuestionKind::Multi => {
            let option = question
                .options
                .iter()
                .find(|o| o.as_str() == trimmed)
                .ok_or_else(|| format!("「{trimmed}」は選択肢にありません。"))?;
            Ok(if question.kind == QuestionKind::Choice {
                Answer::Choice(option.clone())
            } else {
                Answer::Multi(vec![option.clone()])
            })
        }
        QuestionKind::Date => parse_date(trimmed)
            .map(Answer::Date)
            .ok_or_else(|| "日付で入力してください(例: 2026-12-25)。".to_owned()),
    }
}

/// Reads a town's answers (`raw[i]` answers question `i`; missing ones are
/// empty). A submitted answer must fill every required question; a draft need
/// not. Errors name `answers.{i}`.
pub fn parse_answers(
    questions: &[Question],
    raw: &[Value],
    submit: bool,
) -> Result<Vec<Answer>, Errors<FieldError>> {
    let mut gather = Gather::new();
    if raw.len() > questions.len() {
        gather.push(error(
            "answers",
            format!("答えが質問の数({})より多くあります。", questions.len()),
        ));
    }
    let mut answers = Vec::with_capacity(questions.len());
    for (index, question) in questions.iter().enumerate() {
        let field = format!("answers.{index}");
        match parse_answer(question, raw.get(index).unwrap_or(&Value::Null)) {
            Ok(answer) if submit && question.required && answer.is_empty() => {
                gather.push(error(field, format!("質問{}は回答が必要です。", index + 1)));
            }
            Ok(answer) => answers.push(answer),
            Err(message) => gather.push(error(field, format!("質問{}: {message}", index + 1))),
        }
    }
    gather.finish()?;
    Ok(answers)
}

/// Reads stored answers back (they were checked when saved; anything no longer
/// readable, e.g. an option renamed since, shows as empty).
pub fn stored_answers(questions: &[Question], stored: &[Value]) -> Vec<Answer> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            parse_answer(q, stored.get(i).unwrap_or(&Value::Null)).unwrap_or(Answer::Empty)
        })
        .collect()
}

/// Whether a town may still change its answer: until the end of the deadline
/// day in Japan, or after it when the 県 reopened it.
pub fn may_edit(deadline: NaiveDate, today: NaiveDate, reopened: bool) -> bool {
    today <= deadline || reopened
}

/// How one question was answered across the towns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Tally {
    /// Each option (or はい / いいえ) and how many towns chose it.
    Counts(Vec<(String, u32)>),
    /// Sum and average of the numbers given.
    Numbers {
        /// The sum.
        sum: f64,
        /// The average, if any number was given.
        mean: Option<f64>,
        /// The smallest.
        min: Option<f64>,
        /// The largest.
        max: Option<f64>,
    },
    /// Free text or dates: only how many answered.
    Answered,
}

/// One question's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    /// The question.
    pub label: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// Towns that answered it.
    pub answered: u32,
    /// The figures.
    pub tally: Tally,
}

/// The results of every question over the towns' answers (one pass).
pub fn aggregate(questions: &[Question], towns: &[Vec<Answer>]) -> Vec<QuestionResult> {
    questions
        .iter()
        .enumerate()
        .map(|(i, question)| {
            let given: Vec<&Answer> = towns
                .iter()
                .filter_map(|answers| answers.get(i))
                .filter(|a| !a.is_empty())
                .collect();
            let answered = u32::try_from(given.len()).unwrap_or(u32::MAX);
            let tally = match question.kind {
                QuestionKind::Choice | QuestionKind::Multi => {
                    let mut counts: Vec<(String, u32)> =
                        question.options.iter().map(|o| (o.clone(), 0)).collect();
                    for answer in &given {
                        let chosen: &[String] = match answer {
                            Answer::Choice(c) => std::slice::from_ref(c),
                            Answer::Multi(list) => list,
                            _ => &[],
                        };
                        for (option, count) in &mut counts {
                            *count += u32::from(chosen.contains(option));
                        }
                    }
                    Tally::Counts(counts)
                }
                QuestionKind::YesNo => {
                    let yes = given.iter().filter(|a| **a == &Answer::YesNo(true)).count();
                    let yes = u32::try_from(yes).unwrap_or(u32::MAX);
                    Tally::Counts(vec![
                        ("はい".into(), yes),
                        ("いいえ".into(), answered - yes),
                    ])
                }
                QuestionKind::Number => {
                    let numbers: Vec<f64> = given
                        .iter()
                        .filter_map(|a| match a {
                            Answer::Number(n) => Some(*n),
                            _ => None,
                        })
                        .collect();
                    let sum: f64 = numbers.iter().sum();
                    Tally::Numbers {
                        sum,
                        mean: (!numbers.is_empty()).then(|| sum / numbers.len() as f64),
                        min: numbers.iter().copied().reduce(f64::min),
                        max: numbers.iter().copied().reduce(f64::max),
                    }
                }
                QuestionKind::Short | QuestionKind::Long | QuestionKind::Date => Tally::Answered,
            };
            QuestionResult {
                label: question.label.clone(),
                kind: question.kind,
                answered,
                tally,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
