//! A programme's quota rules as the programme form shows and posts them: one box
//! per kind of limit, blank for none.

use std::collections::BTreeMap;

use super::input::FieldError;
use super::quota::{Hours, QuotaRule};
use crate::domain::gather::{Errors, Gather};
use crate::domain::text::nfkc;

/// The form's boxes, in order: `(name, label, unit)`.
pub const RULE_FIELDS: [(&str, &str, &str); 6] = [
    ("max_dispatches", "年度内の派遣回数の上限", "回"),
    ("min_hours", "1回の最短時間", "時間"),
    ("max_hours", "1回の最長時間", "時間"),
    ("max_total_hours", "年度内の合計時間の上限", "時間"),
    ("onsite_count", "現地派遣を含む支援の回数の上限", "回"),
    (
        "online_hours",
        "オンラインのみの支援の合計時間の上限",
        "時間",
    ),
];

fn number(field: &str, text: &str) -> Result<Option<f64>, FieldError> {
    let text = nfkc(text);
    let text = text.trim().trim_end_matches(['回', '時', '間']).trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0 && *v <= 2000.0)
        .map(Some)
        .ok_or_else(|| FieldError {
            field: field.to_owned(),
            message: "0から2000までの数で入力してください(上限がなければ空欄)。".into(),
        })
}

fn count(value: f64) -> u32 {
    // Checked to lie in 0..=2000 by `number`.
    value.round() as u32
}

fn hours(value: f64) -> Hours {
    Hours::from_hours(value).unwrap_or_default()
}

/// The rules the boxes describe; both boxes of the on-site-or-online rule are
/// needed together.
pub fn rules_from_form(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<QuotaRule>, Errors<FieldError>> {
    let mut errors = Gather::new();
    let mut value = |name: &str| {
        errors
            .take(number(name, &get(name).unwrap_or_default()))
            .flatten()
    };
    let max_dispatches = value("max_dispatches");
    let min = value("min_hours");
    let max = value("max_hours");
    let total = value("max_total_hours");
    let onsite = value("onsite_count");
    let online = value("online_hours");
    let mut rules = Vec::new();
    if let Some(n) = max_dispatches {
        rules.push(QuotaRule::MaxDispatches { count: count(n) });
    }
    if min.is_some() || max.is_some() {
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            errors.push(FieldError {
                field: "max_hours".into(),
                message: "最長時間は最短時間以上にしてください。".into(),
            });
        }
        rules.push(QuotaRule::HoursPerDispatch {
            min: min.map(hours),
            max: max.map(hours),
        });
    }
    if let Some(h) = total {
        rules.push(QuotaRule::MaxTotalHours { hours: hours(h) });
    }
    match (onsite, online) {
        (Some(n), Some(h)) => rules.push(QuotaRule::OnsiteOrOnline {
            onsite: count(n),
            online: hours(h),
        }),
        (None, None) => {}
        (None, Some(_)) => errors.push(FieldError {
            field: "onsite_count".into(),
            message: "オンラインのみの上限と組みで、現地派遣を含む回数も入力してください。".into(),
        }),
        (Some(_), None) => errors.push(FieldError {
            field: "online_hours".into(),
            message: "現地派遣を含む回数と組みで、オンラインのみの合計時間も入力してください。"
                .into(),
        }),
    }
    errors.finish()?;
    Ok(rules)
}

fn hours_text(h: Hours) -> String {
    let value = h.as_hours();
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The boxes filled from stored rules.
pub fn form_values(rules: &[QuotaRule]) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for rule in rules {
        match *rule {
            QuotaRule::MaxDispatches { count } => {
                values.insert("max_dispatches".into(), count.to_string());
            }
            QuotaRule::HoursPerDispatch { min, max } => {
                if let Some(min) = min {
                    values.insert("min_hours".into(), hours_text(min));
                }
                if let Some(max) = max {
                    values.insert("max_hours".into(), hours_text(max));
                }
            }
            QuotaRule::MaxTotalHours { hours } => {
                values.insert("max_total_hours".into(), hours_text(hours));
            }
            QuotaRule::OnsiteOrOnline { onsite, online } => {
                values.insert("onsite_count".into(), onsite.to_string());
                values.insert("online_hours".into(), hours_text(online));
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dispatch::quota::national_programmes;

    #[test]
    fn the_national_rules_read_back_from_their_own_form() {
        for (_, _, rules) in national_programmes() {
            let values = form_values(&rules);
            let get = |name: &str| values.get(name).cloned();
            assert_eq!(rules_from_form(&get).expect("reads"), rules);
        }
    }

    #[test]
    fn half_of_the_on_site_or_online_rule_and_letters_are_refused() {
        let values = BTreeMap::from([
            ("online_hours".to_owned(), "10".to_owned()),
            ("max_dispatches".to_owned(), "五".to_owned()),
        ]);
        let get = |name: &str| values.get(name).cloned();
        let fields: Vec<String> = rules_from_form(&get)
            .expect_err("refused")
            .into_vec()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["max_dispatches", "onsite_count"]);
    }
}
