//! 共同研修: a course's life cycle and how an enrolment request is seated.
//! Pure rules, no IO; the service applies them inside one transaction.

pub mod billing;
pub mod form;
pub mod input;
pub mod split;
pub mod staff;

use serde::{Deserialize, Serialize};

/// Where one trainee stands in a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    /// Has a seat.
    Enrolled,
    /// Waiting for a seat, in arrival order.
    Waitlisted,
    /// Cancelled by the town or the organiser.
    Cancelled,
}

impl EnrolmentStatus {
    /// Every status.
    pub const ALL: [EnrolmentStatus; 3] = [Self::Enrolled, Self::Waitlisted, Self::Cancelled];

    /// Wire form, as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Enrolled => "enrolled",
            Self::Waitlisted => "waitlisted",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the wire form.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }
}

/// Where a course is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingStatus {
    /// Being prepared; only the organiser sees it.
    Draft,
    /// Taking enrolments.
    Open,
    /// Enrolment ended; a provisional split can be made.
    Closed,
    /// The sessions have taken place; attendance is recorded.
    Held,
    /// The split is confirmed (確定) and the 負担金 notices are issued.
    Settled,
}

impl TrainingStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [TrainingStatus; 5] = [
        Self::Draft,
        Self::Open,
        Self::Closed,
        Self::Held,
        Self::Settled,
    ];

    /// Wire form, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Held => "held",
            Self::Settled => "settled",
        }
    }

    /// Parses the wire form.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "下書き",
            Self::Open => "受付中",
            Self::Closed => "受付終了",
            Self::Held => "実施済み",
            Self::Settled => "負担金確定",
        }
    }

    /// Whether the course may move to `next`: forward one step at a time, except that
    /// the split may be confirmed as soon as enrolment has ended or the course was held.
    pub fn can_become(self, next: TrainingStatus) -> bool {
        use TrainingStatus::*;
        matches!(
            (self, next),
            (Draft, Open) | (Open, Closed) | (Closed, Held) | (Closed | Held, Settled)
        )
    }

    /// Whether staff may be enrolled or cancelled by their municipality.
    pub fn takes_enrolments(self) -> bool {
        self == Self::Open
    }
}

/// How many of a request's staff get a seat and how many go on the waitlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seating {
    /// Seated, in the order sent.
    pub enrolled: u32,
    /// Waitlisted after them, in the order sent.
    pub waitlisted: u32,
}

/// Seats `requested` staff in a course of `capacity` with `taken` seats already taken:
/// the first ones get the seats left, the rest wait. Anyone already waiting keeps
/// their place, so a request never jumps the waitlist: with people waiting, nobody new
/// is seated.
pub fn seat(capacity: u32, taken: u32, waiting: u32, requested: u32) -> Seating {
    let free = if waiting > 0 {
        0
    } else {
        capacity.saturating_sub(taken)
    };
    let enrolled = requested.min(free);
    Seating {
        enrolled,
        waitlisted: requested - enrolled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_course_moves_forward_one_step_and_is_confirmed_after_enrolment_ends() {
        use TrainingStatus::*;
        assert!(Draft.can_become(Open));
        assert!(Open.can_become(Closed));
        assert!(Closed.can_become(Settled), "a provisional split confirmed");
        assert!(Held.can_become(Settled));
        assert!(!Open.can_become(Settled), "enrolment must end first");
        assert!(!Settled.can_become(Open), "a confirmed split stays");
        assert!(!Draft.can_become(Held));
    }

    #[test]
    fn a_course_not_yet_open_is_called_a_draft_as_its_page_and_form_say() {
        // The form registers 「下書きとして登録」 and the page says 「下書きです」.
        assert_eq!(TrainingStatus::Draft.label(), "下書き");
    }

    #[test]
    fn statuses_round_trip_and_only_an_open_course_takes_enrolments() {
        for status in TrainingStatus::ALL {
            assert_eq!(TrainingStatus::parse(status.as_str()), Some(status));
            assert_eq!(status.takes_enrolments(), status == TrainingStatus::Open);
        }
        assert_eq!(TrainingStatus::parse("cancelled"), None);
    }

    #[test]
    fn the_last_seats_go_to_the_first_staff_sent_and_the_rest_wait() {
        assert_eq!(
            seat(30, 28, 0, 5),
            Seating {
                enrolled: 2,
                waitlisted: 3
            }
        );
        assert_eq!(
            seat(30, 30, 0, 1),
            Seating {
                enrolled: 0,
                waitlisted: 1
            }
        );
    }

    #[test]
    fn a_free_seat_does_not_let_a_new_request_jump_the_waitlist() {
        assert_eq!(
            seat(30, 29, 2, 1),
            Seating {
                enrolled: 0,
                waitlisted: 1
            }
        );
    }

    proptest! {
        #[test]
        fn seating_never_overbooks_and_loses_nobody(
            capacity in 1u32..200,
            taken in 0u32..250,
            waiting in 0u32..5,
            requested in 0u32..50,
        ) {
            let s = seat(capacity, taken, waiting, requested);
            prop_assert_eq!(s.enrolled + s.waitlisted, requested);
            prop_assert!(taken + s.enrolled <= capacity.max(taken));
        }
    }
}
