//! Matching advisors to a municipality's need: one documented scoring function.
//!
//! The score is a weighted sum of independent signals, each in `0.0..=1.0`, so every
//! reason shown to the user corresponds to a term of the sum:
//!
//! | signal | weight | value |
//! |---|---|---|
//! | words of the need found in the profile | [`WEIGHT_TEXT`] | search relevance, normalised to the best candidate; when the need names specialties or qualifications of the bank's vocabulary (directly or through a synonym), half of it is whether the advisor has one of them |
//! | covers the requesting municipality | [`WEIGHT_COVERAGE`] | 1.0 the municipality itself, 0.7 its region, 0.4 the whole prefecture |
//! | available in the requested months | [`WEIGHT_AVAILABILITY`] | share of the months in the range the advisor is available |
//! | registered with the chosen programme | [`WEIGHT_PROGRAMME`] | 1.0 when registered (0 when none was chosen) |
//! | works in the requested mode | [`WEIGHT_MODE`] | 1.0 when the mode is offered (or none was asked) |
//!
//! When the need names terms of the vocabulary and a candidate has none of them,
//! its whole score counts half ([`WITHOUT_NAMED_TERMS`]): a town asking for security
//! wants a security specialist before a neighbour who knows something else.
//!
//! Later issues extend it with more signals (quota left this 年度, past dispatches to
//! the same town) by adding a field to [`Signals`] and a weight here.

use serde::{Deserialize, Serialize};

/// Weight of the text relevance.
pub const WEIGHT_TEXT: f64 = 0.40;
/// Weight of covering the municipality.
pub const WEIGHT_COVERAGE: f64 = 0.25;
/// Weight of availability in the range.
pub const WEIGHT_AVAILABILITY: f64 = 0.15;
/// Weight of the programme registration.
pub const WEIGHT_PROGRAMME: f64 = 0.10;
/// Weight of the mode (on site / online).
pub const WEIGHT_MODE: f64 = 0.10;
/// Factor of the score of a candidate with none of the terms the need names.
pub const WITHOUT_NAMED_TERMS: f64 = 0.5;

/// How an advisor covers the requesting municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Lists the municipality itself.
    Municipality,
    /// Covers the municipality's region.
    Region,
    /// Covers the whole prefecture.
    Prefecture,
    /// Does not cover it.
    None,
}

impl Coverage {
    /// The signal value of this coverage.
    pub fn value(self) -> f64 {
        match self {
            Coverage::Municipality => 1.0,
            Coverage::Region => 0.7,
            Coverage::Prefecture => 0.4,
            Coverage::None => 0.0,
        }
    }
}

/// Everything the score is computed from, for one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Text relevance in `0.0..=1.0` (relevance / best relevance among candidates).
    pub text: f64,
    /// Words of the need that matched the profile.
    pub matched_words: Vec<String>,
    /// Coverage of the requesting municipality.
    pub coverage: Coverage,
    /// Months of the range the advisor is available, and months in the range.
    pub available_months: (u32, u32),
    /// Whether a programme was chosen and the advisor is registered with it.
    pub programme: Option<bool>,
    /// Whether a mode was asked and the advisor offers it.
    pub mode: Option<bool>,
    /// When the need names specialties or qualifications of the vocabulary, those
    /// the advisor has; `None` when it names none.
    #[serde(default)]
    pub terms: Option<TermMatch>,
}

/// The named terms an advisor has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermMatch {
    /// Their labels (empty when none).
    pub labels: Vec<String>,
    /// Has one as a specialty (1.0 counts); a qualification alone counts
    /// [`QUALIFICATION_ONLY`].
    pub specialty: bool,
}

/// What a named qualification counts for when none of the named specialties is
/// held: it spares the candidate [`WITHOUT_NAMED_TERMS`] but adds nothing, so a
/// specialist of the need ranks before a qualified neighbour.
pub const QUALIFICATION_ONLY: f64 = 0.0;

impl TermMatch {
    /// The signal value: 1 for a specialty, less for a qualification, 0 for none.
    pub fn value(&self) -> f64 {
        match (self.specialty, self.labels.is_empty()) {
            (true, _) => 1.0,
            (false, false) => QUALIFICATION_ONLY,
            (false, true) => 0.0,
        }
    }
}

/// A reason shown next to a result; each is one term of the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The advisor has these specialties or qualifications the need names.
    Terms {
        /// Their labels.
        labels: Vec<String>,
    },
    /// These words of the need are in the profile.
    Words {
        /// The matched words.
        words: Vec<String>,
    },
    /// Covers the municipality, its region or the whole prefecture.
    Covers {
        /// Which level.
        coverage: Coverage,
    },
    /// Available in these many of the requested months.
    Available {
        /// Months available.
        months: u32,
        /// Months requested.
        of: u32,
    },
    /// Registered with the chosen programme.
    Programme,
    /// Offers the requested mode.
    Mode,
}

/// Score and reasons of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// `0.0..=1.0`, higher is better.
    pub score: f64,
    /// The positive signals, strongest weight first.
    pub reasons: Vec<Reason>,
}

/// The score of a candidate and the reasons behind it.
pub fn score(signals: &Signals) -> Scored {
    // A matching specialty outweighs an incidental word in a bio.
    let text = match &signals.terms {
        Some(terms) => 0.5 * signals.text.clamp(0.0, 1.0) + 0.5 * terms.value(),
        None => signals.text.clamp(0.0, 1.0),
    };
    let (available, asked) = signals.available_months;
    let availability = if asked == 0 {
        1.0
    } else {
        f64::from(available.min(asked)) / f64::from(asked)
    };
    let programme = match signals.programme {
        Some(true) => 1.0,
        _ => 0.0,
    };
    let mode = match signals.mode {
        Some(false) => 0.0,
        _ => 1.0,
    };
    let factor = match &signals.terms {
        Some(terms) if terms.labels.is_empty() => WITHOUT_NAMED_TERMS,
        _ => 1.0,
    };
    let total = factor
        * (WEIGHT_TEXT * text
            + WEIGHT_COVERAGE * signals.coverage.value()
            + WEIGHT_AVAILABILITY * availability
            + WEIGHT_PROGRAMME * programme
            + WEIGHT_MODE * mode);

    let mut reasons = Vec::new();
    if let Some(terms) = signals.terms.as_ref().filter(|t| !t.labels.is_empty()) {
        reasons.push(Reason::Terms {
            labels: terms.labels.clone(),
        });
    }
    if !signals.matched_words.is_empty() {
        reasons.push(Reason::Words {
            words: signals.matched_words.clone(),
        });
    }
    if signals.coverage != Coverage::None {
        reasons.push(Reason::Covers {
            coverage: signals.coverage,
        });
    }
    if asked > 0 && available > 0 {
        reasons.push(Reason::Available {
            months: available.min(asked),
            of: asked,
        });
    }
    if signals.programme == Some(true) {
        reasons.push(Reason::Programme);
    }
    if signals.mode == Some(true) {
        reasons.push(Reason::Mode);
    }
    Scored {
        score: (total * 10_000.0).round() / 10_000.0,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn signals() -> Signals {
        Signals {
            text: 0.5,
            matched_words: vec!["セキュリティ".into()],
            coverage: Coverage::Region,
            available_months: (1, 2),
            programme: Some(false),
            mode: Some(true),
            terms: None,
        }
    }

    #[test]
    fn the_weights_add_up_to_one_so_a_perfect_candidate_scores_one() {
        let perfect = Signals {
            text: 1.0,
            matched_words: vec!["DX".into()],
            coverage: Coverage::Municipality,
            available_months: (2, 2),
            programme: Some(true),
            mode: Some(true),
            terms: None,
        };
        assert!((score(&perfect).score - 1.0).abs() < 1e-9);
        assert_eq!(score(&perfect).reasons.len(), 5);
    }

    #[test]
    fn every_positive_signal_is_explained() {
        let scored = score(&signals());
        assert_eq!(
            scored.reasons,
            vec![
                Reason::Words {
                    words: vec!["セキュリティ".into()]
                },
                Reason::Covers {
                    coverage: Coverage::Region
                },
                Reason::Available { months: 1, of: 2 },
                Reason::Mode,
            ]
        );
        // 0.4*0.5 + 0.25*0.7 + 0.15*0.5 + 0 + 0.1*1
        assert!((scored.score - 0.55).abs() < 1e-9, "{}", scored.score);
    }

    #[test]
    fn a_specialty_the_need_names_outweighs_a_word_found_in_a_bio() {
        let mut in_bio = signals();
        in_bio.text = 1.0;
        in_bio.terms = Some(TermMatch::default());
        let mut qualified = signals();
        qualified.text = 0.3;
        qualified.terms = Some(TermMatch {
            labels: vec!["情報セキュリティマネジメント".into()],
            specialty: false,
        });
        let mut specialist = signals();
        specialist.text = 0.3;
        specialist.terms = Some(TermMatch {
            labels: vec!["セキュリティ".into()],
            specialty: true,
        });
        assert!(score(&specialist).score > score(&qualified).score);
        assert!(score(&qualified).score > score(&in_bio).score);
        assert_eq!(
            score(&specialist).reasons[0],
            Reason::Terms {
                labels: vec!["セキュリティ".into()]
            }
        );
    }

    #[test]
    fn covering_the_town_itself_beats_its_region_which_beats_the_prefecture() {
        let mut s = signals();
        let mut last = f64::MAX;
        for coverage in [
            Coverage::Municipality,
            Coverage::Region,
            Coverage::Prefecture,
            Coverage::None,
        ] {
            s.coverage = coverage;
            let now = score(&s).score;
            assert!(now < last, "{coverage:?}");
            last = now;
        }
    }

    proptest! {
        #[test]
        fn the_score_stays_between_zero_and_one_and_grows_with_each_signal(
            text in 0.0f64..=1.0, more in 0.0f64..=0.5,
            available in 0u32..12, asked in 0u32..12,
            programme in proptest::option::of(any::<bool>()),
            mode in proptest::option::of(any::<bool>()),
        ) {
            let base = Signals {
                text,
                matched_words: vec![],
                coverage: Coverage::Prefecture,
                available_months: (available, asked),
                programme,
                mode,
                terms: None,
            };
            let scored = score(&base);
            prop_assert!((0.0..=1.0).contains(&scored.score));
            let better_text = Signals { text: (text + more).min(1.0), ..base.clone() };
            prop_assert!(score(&better_text).score >= scored.score);
            let better_cover = Signals { coverage: Coverage::Municipality, ..base.clone() };
            prop_assert!(score(&better_cover).score >= scored.score);
            let more_months = Signals { available_months: (available + 1, asked), ..base.clone() };
            prop_assert!(score(&more_months).score >= scored.score);
            let registered = Signals { programme: Some(true), ..base };
            prop_assert!(score(&registered).score >= scored.score);
        }
    }
}
