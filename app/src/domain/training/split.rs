//! The split of one course from its figures: which participants count, which staff
//! counts the formula needs, and what the organiser bears for its own trainees when
//! they are left out. Pure, so the course form's preview (in the browser) and the
//! stored split (on the server) come from the same function.

use std::collections::BTreeMap;

use super::input::{FieldError, SplitSettings};
use crate::domain::cost_split::{self, Body, Cost, Method, Split, SplitError};

/// Why a course's figures cannot be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CourseSplitError {
    /// An input is missing (a staff count for the formula).
    #[error("{}", .0.message)]
    Field(FieldError),
    /// The figures themselves cannot be split.
    #[error(transparent)]
    Split(#[from] SplitError),
}

impl CourseSplitError {
    /// The input field the error is about.
    pub fn field(&self) -> String {
        match self {
            Self::Field(e) => e.field.clone(),
            Self::Split(e) => e.field().to_owned(),
        }
    }
}

/// Splits `costs` among the bodies with participants in `counts` (団体コード →
/// participants counted under the settings' basis). Unless the settings count the
/// organiser's own trainees like anyone's, those are left out of the split and
/// the organiser bears their per-participant costs. Returns the split and the
/// bodies it was made from.
pub fn course_split(
    settings: &SplitSettings,
    organiser: &str,
    costs: &[Cost],
    mut counts: BTreeMap<String, u32>,
) -> Result<(Split, Vec<Body>), CourseSplitError> {
    let own = if settings.include_organiser {
        0
    } else {
        counts.remove(organiser).unwrap_or(0)
    };
    let needs_staff = needs_staff(settings);
    let mut bodies = Vec::with_capacity(counts.len());
    for (code, participants) in counts {
        let staff = settings.staff.get(&code).copied();
        if needs_staff && staff.is_none_or(|s| s == 0) {
            return Err(CourseSplitError::Field(FieldError {
                field: "split.staff".into(),
                message: format!(
                    "職員数割で按分するには、団体コード「{code}」の職員数を入力してください。"
                ),
            }));
        }
        bodies.push(Body {
            code,
            participants,
            staff: staff.unwrap_or(0),
        });
    }
    let mut split = cost_split::split(
        &bodies,
        organiser,
        costs,
        settings.method,
        settings.remainder,
    )?;
    if own > 0 {
        let unit: u64 = costs
            .iter()
            .map(|c| match c {
                Cost::PerHead { unit_price } => *unit_price,
                Cost::Shared { .. } => 0,
            })
            .sum();
        let extra = unit.saturating_mul(u64::from(own));
        if let Some(line) = split.lines.iter_mut().find(|l| l.code == organiser) {
            line.headcount += own;
            line.per_head = line.per_head.saturating_add(extra);
            line.amount = line.amount.saturating_add(extra);
        }
        split.total = split.lines.iter().map(|l| l.amount).sum();
    }
    Ok((split, bodies))
}

/// Whether the settings split by staff count (so every body needs one).
pub fn needs_staff(settings: &SplitSettings) -> bool {
    matches!(settings.method, Method::Formula { staff, .. } if staff > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cost_split::Remainder;
    use crate::domain::training::input::Basis;

    const PREF: &str = "290009";

    fn settings(method: Method, include_organiser: bool) -> SplitSettings {
        SplitSettings {
            method,
            basis: Basis::Enrolled,
            include_organiser,
            remainder: Remainder::LargestRemainder,
            staff: BTreeMap::new(),
        }
    }

    fn counts(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
    }

    fn amount(split: &Split, code: &str) -> u64 {
        split
            .lines
            .iter()
            .find(|l| l.code == code)
            .map_or(0, |l| l.amount)
    }

    #[test]
    fn a_lead_town_left_out_of_the_split_pays_for_its_own_trainees_materials() {
        let costs = [
            Cost::Shared { amount: 90_000 },
            Cost::PerHead { unit_price: 1_000 },
        ];
        let (split, bodies) = course_split(
            &settings(Method::Headcount, false),
            "292010",
            &costs,
            counts(&[("292010", 4), ("293628", 2), ("294241", 1)]),
        )
        .expect("splits");
        assert_eq!(bodies.len(), 2, "only the two guest towns are split among");
        assert_eq!(amount(&split, "293628"), 60_000 + 2_000);
        assert_eq!(amount(&split, "294241"), 30_000 + 1_000);
        assert_eq!(amount(&split, "292010"), 4_000);
        assert_eq!(split.total, 90_000 + 7_000);
    }

    #[test]
    fn counting_the_organiser_makes_it_share_like_any_town() {
        let (split, _) = course_split(
            &settings(Method::Headcount, true),
            "292010",
            &[Cost::Shared { amount: 90_000 }],
            counts(&[("292010", 1), ("293628", 2)]),
        )
        .expect("splits");
        assert_eq!(amount(&split, "292010"), 30_000);
        assert_eq!(amount(&split, "293628"), 60_000);
    }

    #[test]
    fn the_formula_asks_for_the_staff_count_of_the_town_that_lacks_one() {
        let mut s = settings(
            Method::Formula {
                flat: 35,
                participants: 35,
                staff: 30,
            },
            false,
        );
        s.staff.insert("293628".into(), 120);
        let error = course_split(
            &s,
            PREF,
            &[Cost::Shared { amount: 100_000 }],
            counts(&[("293628", 2), ("294241", 1)]),
        )
        .expect_err("a staff count is missing");
        assert_eq!(error.field(), "split.staff");
        assert!(error.to_string().contains("294241"), "{error}");
    }
}
