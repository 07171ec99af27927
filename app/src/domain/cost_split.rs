//! Splitting the cost of a joint training among the bodies that take part, in
//! whole yen that add up exactly to the total. One pure function, compiled for the
//! browser too, so an organiser sees the split change as they edit.
//!
//! Per-participant items (教材費 …) are unit price × headcount, exact. Shared items
//! (講師謝金, 旅費, 会場費 …) are added up and apportioned once by the chosen method:
//! - [`Method::Headcount`]: in proportion to each body's participants (新潟県);
//! - [`Method::LeadPaysBase`]: the organiser bears them (札幌市);
//! - [`Method::Formula`]: a weighted mix of an equal share per body, a share by
//!   participants and a share by staff count (weights in percent).
//!
//! Rounding: largest remainder with ties to the lower 団体コード, or truncation with
//! what is left borne by the organiser.

use serde::{Deserialize, Serialize};

/// A body taking part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// 団体コード.
    pub code: String,
    /// Participants counted (enrolled or attended, as the basis says).
    pub participants: u32,
    /// The body's staff count (for [`Method::Formula`]).
    pub staff: u32,
}

/// A cost item in whole yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cost {
    /// One amount shared among the bodies.
    Shared {
        /// Yen.
        amount: u64,
    },
    /// A price per participant, borne by each participant's body.
    PerHead {
        /// Yen per participant.
        unit_price: u64,
    },
}

impl Cost {
    /// The kind as the API names it (`shared` or `per_head`) and its yen: the
    /// amount, or the unit price.
    pub fn wire(self) -> (&'static str, u64) {
        match self {
            Cost::Shared { amount } => ("shared", amount),
            Cost::PerHead { unit_price } => ("per_head", unit_price),
        }
    }
}

/// How shared costs are apportioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// By participants.
    Headcount,
    /// The organiser bears every shared cost.
    LeadPaysBase,
    /// Weighted mix, percentages summing to 100.
    Formula {
        /// Equal share per body.
        flat: u32,
        /// Share by participants.
        participants: u32,
        /// Share by staff count.
        staff: u32,
    },
}

/// What to do with the yen that whole-yen shares leave over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remainder {
    /// One more yen to the largest remainders, ties to the lower 団体コード.
    LargestRemainder,
    /// Every share rounded down; the organiser bears the rest.
    OrganiserBears,
}

/// Why a split cannot be made, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// No body takes part.
    #[error("参加する団体がありません。")]
    NoBodies,
    /// A body appears twice.
    #[error("団体コード「{0}」が重複しています。")]
    DuplicateBody(String),
    /// Formula weights do not add up to 100.
    #[error("按分の割合(均等割・人数割・職員数割)の合計を100%にしてください(いまは{0}%)。")]
    Weights(u32),
    /// Shared costs by headcount with no participants (or by staff with no staff).
    #[error("按分の基礎となる{0}がどの団体も0です。")]
    NothingToSplitBy(&'static str),
    /// The total does not fit the arithmetic.
    #[error("金額が大きすぎます。")]
    TooLarge,
}

impl SplitError {
    /// The input field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            SplitError::NoBodies | SplitError::DuplicateBody(_) => "bodies",
            SplitError::Weights(_) => "split.weights",
            SplitError::NothingToSplitBy(_) => "split.method",
            SplitError::TooLarge => "costs",
        }
    }
}

/// One body's share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitLine {
    /// 団体コード.
    pub code: String,
    /// Participants counted.
    pub headcount: u32,
    /// Its part of the shared costs.
    pub shared: u64,
    /// Its per-participant costs.
    pub per_head: u64,
    /// What it pays: shared + per head.
    pub amount: u64,
}

/// The split: one line per body (by 団体コード), the organiser's included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Every cost added up.
    pub total: u64,
    /// The lines, by 団体コード.
    pub lines: Vec<SplitLine>,
}

/// Apportions `total` yen by integer `weights` (all ≥ 0, not all 0) into whole yen
/// that add up to `total`: the floor of each exact share, then one more yen to the
/// largest remainders, ties to the earlier position (callers sort by 団体コード).
/// With `truncate`, no yen is handed out and the second value is what is left.
pub fn apportion(total: u64, weights: &[u128], truncate: bool) -> (Vec<u64>, u64) {
    let sum: u128 = weights.iter().sum();
    if sum == 0 {
        return (vec![0; weights.len()], total);
    }
    let t = u128::from(total);
    let mut shares: Vec<u64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = t * w;
        shares.push(u64::try_from(exact / sum).unwrap_or(u64::MAX));
        remainders.push((exact % sum, i));
    }
    let given: u64 = shares.iter().sum();
    let mut left = total - given;
    if truncate {
        return (shares, left);
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    (shares, 0)
}

/// Splits the costs among `bodies`; `organiser` is the 団体コード of the organiser
/// (who bears the shared costs under [`Method::LeadPaysBase`] and the rest under
/// [`Remainder::OrganiserBears`]), and appears as a line even without participants.
// Long: the methods share one pass of rounding bookkeeping; the property tests below cover every branch.
pub fn split(
    bodies: &[Body],
    organiser: &str,
    costs: &[Cost],
    method: Method,
    remainder: Remainder,
) -> Result<Split, SplitError> {
    if bodies.is_empty() {
        return Err(SplitError::NoBodies);
    }
    let mut sorted: Vec<&Body> = bodies.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    if let Some(pair) = sorted.windows(2).find(|w| w[0].code == w[1].code) {
        return Err(SplitError::DuplicateBody(pair[0].code.clone()));
    }
    let mut shared_total: u64 = 0;
    let mut unit_total: u64 = 0;
    for cost in costs {
        match cost {
            Cost::Shared { amount } => {
                shared_total = shared_total
                    .checked_add(*amount)
                    .ok_or(SplitError::TooLarge)?;
            }
            Cost::PerHead { unit_price } => {
                unit_total = unit_total
                    .checked_add(*unit_price)
                    .ok_or(SplitError::TooLarge)?;
            }
        }
    }
    let n = sorted.len() as u128;
    let participants: u128 = sorted.iter().map(|b| u128::from(b.participants)).sum();
    let staff: u128 = sorted.iter().map(|b| u128::from(b.staff)).sum();
    let weights: Vec<u128> = match method {
        Method::Headcount => {
            if participants == 0 && shared_total > 0 {
                return Err(SplitError::NothingToSplitBy("参加者数"));
            }
            sorted.iter().map(|b| u128::from(b.participants)).collect()
        }
        Method::LeadPaysBase => sorted
            .iter()
            .map(|b| u128::from(b.code == organiser))
            .collect(),
        Method::Formula {
            flat,
            participants: by_people,
            staff: by_staff,
        } => {
            let sum = flat + by_people + by_staff;
            if sum != 100 {
                return Err(SplitError::Weights(sum));
            }
            if by_people > 0 && participants == 0 {
                return Err(SplitError::NothingToSplitBy("参加者数"));
            }
            if by_staff > 0 && staff == 0 {
                return Err(SplitError::NothingToSplitBy("職員数"));
            }
            // One weight per body over the common denominator 100·n·P·S, so the
            // whole shared total is apportioned once (each share within 1 yen).
            let p = participants.max(1);
            let s = staff.max(1);
            sorted
                .iter()
                .map(|b| {
                    u128::from(flat) * p * s
                        + u128::from(by_people) * n * s * u128::from(b.participants)
                        + u128::from(by_staff) * n * p * u128::from(b.staff)
                })
                .collect()
        }
    };
    let (shares, left) =
        if method == Method::LeadPaysBase && !sorted.iter().any(|b| b.code == organiser) {
            (vec![0; sorted.len()], shared_total)
        } else {
            apportion(
                shared_total,
                &weights,
                remainder == Remainder::OrganiserBears,
            )
        };
    let mut lines: Vec<SplitLine> = sorted
        .iter()
        .zip(shares)
        .map(|(b, shared)| {
            let per_head = unit_total.saturating_mul(u64::from(b.participants));
            SplitLine {
                code: b.code.clone(),
                headcount: b.participants,
                shared,
                per_head,
                amount: shared.saturating_add(per_head),
            }
        })
        .collect();
    if left > 0 || !lines.iter().any(|l| l.code == organiser) {
        match lines.iter_mut().find(|l| l.code == organiser) {
            Some(line) => {
                line.shared += left;
                line.amount += left;
            }
            None => {
                lines.push(SplitLine {
                    code: organiser.to_owned(),
                    headcount: 0,
                    shared: left,
                    per_head: 0,
                    amount: left,
                });
                lines.sort_by(|a, b| a.code.cmp(&b.code));
            }
        }
    }
    let total = lines.iter().map(|l| l.amount).sum();
    Ok(Split { total, lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PREF: &str = "290009";

    fn body(code: &str, participants: u32, staff: u32) -> Body {
        Body {
            code: code.into(),
            participants,
            staff,
        }
    }

    fn amounts(split: &Split) -> Vec<(&str, u64)> {
        split
            .lines
            .iter()
            .map(|l| (l.code.as_str(), l.amount))
            .collect()
    }

    #[test]
    fn a_million_yen_among_three_three_and_one_gives_the_extra_yen_to_the_lower_code() {
        let bodies = [
            body("293628", 3, 40),
            body("292010", 3, 2000),
            body("294241", 1, 60),
        ];
        let split = split(
            &bodies,
            PREF,
            &[Cost::Shared { amount: 1_000_000 }],
            Method::Headcount,
            Remainder::LargestRemainder,
        )
        .expect("splits");
        assert_eq!(
            amounts(&split),
            [
                ("290009", 0),
                ("292010", 428_572),
                ("293628", 428_571),
                ("294241", 142_857),
            ]
        );
        assert_eq!(split.total, 1_000_000);
    }

    #[test]
    fn per_head_costs_are_exact_and_the_organiser_may_bear_the_base() {
        let bodies = [body("293628", 2, 40), body("292010", 5, 2000)];
        let costs = [
            Cost::Shared { amount: 300_000 },
            Cost::PerHead { unit_price: 2_000 },
        ];
        let split = split(
            &bodies,
            PREF,
            &costs,
            Method::LeadPaysBase,
            Remainder::LargestRemainder,
        )
        .expect("splits");
        assert_eq!(
            amounts(&split),
            [("290009", 300_000), ("292010", 10_000), ("293628", 4_000),]
        );
    }

    #[test]
    fn truncation_leaves_the_rest_to_the_organiser() {
        let bodies = [
            body("293628", 1, 1),
            body("292010", 1, 1),
            body("294241", 1, 1),
        ];
        let split = split(
            &bodies,
            "292010",
            &[Cost::Shared { amount: 100 }],
            Method::Headcount,
            Remainder::OrganiserBears,
        )
        .expect("splits");
        assert_eq!(
            amounts(&split),
            [("292010", 34), ("293628", 33), ("294241", 33),]
        );
    }

    #[test]
    fn formula_weights_must_add_up_to_a_hundred_and_mix_the_three_shares() {
        let bodies = [body("293628", 1, 100), body("292010", 3, 300)];
        let error = split(
            &bodies,
            PREF,
            &[Cost::Shared { amount: 1_000 }],
            Method::Formula {
                flat: 35,
                participants: 35,
                staff: 35,
            },
            Remainder::LargestRemainder,
        )
        .expect_err("105%");
        assert_eq!(error, SplitError::Weights(105));
        assert_eq!(error.field(), "split.weights");
        // 35% equal (175 each), 35% by people (87.5 / 262.5), 30% by staff (75 / 225).
        let split = split(
            &bodies,
            PREF,
            &[Cost::Shared { amount: 1_000 }],
            Method::Formula {
                flat: 35,
                participants: 35,
                staff: 30,
            },
            Remainder::LargestRemainder,
        )
        .expect("splits");
        assert_eq!(
            amounts(&split),
            [("290009", 0), ("292010", 663), ("293628", 337),]
        );
    }

    #[test]
    fn nothing_to_split_by_and_duplicates_are_refused() {
        let none = [body("293628", 0, 10)];
        assert_eq!(
            split(
                &none,
                PREF,
                &[Cost::Shared { amount: 1 }],
                Method::Headcount,
                Remainder::LargestRemainder
            ),
            Err(SplitError::NothingToSplitBy("参加者数"))
        );
        let twice = [body("293628", 1, 1), body("293628", 2, 1)];
        assert!(matches!(
            split(
                &twice,
                PREF,
                &[],
                Method::Headcount,
                Remainder::LargestRemainder
            ),
            Err(SplitError::DuplicateBody(_))
        ));
        assert_eq!(
            split(
                &[],
                PREF,
                &[],
                Method::Headcount,
                Remainder::LargestRemainder
            ),
            Err(SplitError::NoBodies)
        );
    }

    fn bodies_strategy() -> impl Strategy<Value = Vec<Body>> {
        proptest::collection::vec((0u32..40, 1u32..5000), 1..12).prop_map(|list| {
            list.into_iter()
                .enumerate()
                .map(|(i, (participants, staff))| {
                    body(&format!("29{:04}", i * 7 + 10), participants.max(1), staff)
                })
                .collect()
        })
    }

    fn method_strategy() -> impl Strategy<Value = Method> {
        prop_oneof![
            Just(Method::Headcount),
            (0u32..=100, 0u32..=100).prop_filter_map("sum ≤ 100", |(a, b)| {
                (a + b <= 100).then(|| Method::Formula {
                    flat: a,
                    participants: b,
                    staff: 100 - a - b,
                })
            }),
        ]
    }

    proptest! {
        #[test]
        fn shares_add_up_to_the_total_and_stay_within_a_yen_of_exact(
            bodies in bodies_strategy(),
            amount in 0u64..50_000_000,
            method in method_strategy(),
        ) {
            let split = split(&bodies, PREF, &[Cost::Shared { amount }], method, Remainder::LargestRemainder).expect("splits");
            prop_assert_eq!(split.total, amount);
            let n = bodies.len() as f64;
            let people: f64 = bodies.iter().map(|b| f64::from(b.participants)).sum();
            let staff: f64 = bodies.iter().map(|b| f64::from(b.staff)).sum();
            let (flat, by_people, by_staff) = match method {
                Method::Headcount => (0.0, 1.0, 0.0),
                Method::Formula { flat, participants, staff } => (f64::from(flat) / 100.0, f64::from(participants) / 100.0, f64::from(staff) / 100.0),
                Method::LeadPaysBase => unreachable!(),
            };
            for b in &bodies {
                let exact = amount as f64 * (flat / n + by_people * f64::from(b.participants) / people + by_staff * f64::from(b.staff) / staff);
                let line = split.lines.iter().find(|l| l.code == b.code).expect("line");
                prop_assert!((line.shared as f64 - exact).abs() < 1.0 + 1e-6, "{} got {} exact {}", b.code, line.shared, exact);
            }
        }

        #[test]
        fn more_participants_never_pay_less_by_headcount(bodies in bodies_strategy(), amount in 0u64..10_000_000, unit in 0u64..5_000) {
            let costs = [Cost::Shared { amount }, Cost::PerHead { unit_price: unit }];
            let split = split(&bodies, PREF, &costs, Method::Headcount, Remainder::LargestRemainder).expect("splits");
            for a in &split.lines {
                for b in &split.lines {
                    if a.headcount > b.headcount {
                        prop_assert!(a.amount >= b.amount, "{a:?} < {b:?}");
                    }
                }
            }
        }

        #[test]
        fn the_split_does_not_depend_on_the_order_of_the_bodies(
            bodies in bodies_strategy(),
            amount in 0u64..10_000_000,
            method in method_strategy(),
            rotate in 0usize..12,
        ) {
            let mut shuffled = bodies.clone();
            shuffled.reverse();
            let k = rotate % shuffled.len();
            shuffled.rotate_left(k);
            let costs = [Cost::Shared { amount }];
            prop_assert_eq!(
                split(&bodies, PREF, &costs, method, Remainder::LargestRemainder),
                split(&shuffled, PREF, &costs, method, Remainder::LargestRemainder)
            );
        }

        #[test]
        fn truncation_never_loses_a_yen(bodies in bodies_strategy(), amount in 0u64..10_000_000) {
            let split = split(&bodies, PREF, &[Cost::Shared { amount }], Method::Headcount, Remainder::OrganiserBears).expect("splits");
            prop_assert_eq!(split.total, amount);
        }
    }
}
