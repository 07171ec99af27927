//! Typed ids of the records the pages and the API name, so that an enrolment's
//! id cannot be passed where a course's is meant. On the wire (paths, JSON,
//! forms) they are the plain numbers they wrap; the database keeps `i32`
//! columns, and a typed id converts into a query value on the server.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl $name {
            /// The stored number.
            pub fn get(self) -> i32 {
                self.0
            }
        }

        impl From<i32> for $name {
            fn from(id: i32) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i32 {
            fn from(id: $name) -> i32 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }

        #[cfg(feature = "ssr")]
        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> Self {
                sea_orm::Value::Int(Some(id.0))
            }
        }
    };
}

typed_id! {
    /// An account (`account.id`).
    AccountId
}
typed_id! {
    /// An advisor profile of a bank (`advisor.id`).
    AdvisorId
}
typed_id! {
    /// A joint training course (`training.id`).
    CourseId
}
typed_id! {
    /// A municipality's enrolment in a course (`training_enrolment.id`).
    EnrolmentId
}
typed_id! {
    /// One session (date) of a course (`training_session.id`).
    SessionId
}
typed_id! {
    /// A dispatch programme of a prefecture (`dispatch_programme.id`).
    ProgrammeId
}
typed_id! {
    /// A town's dispatch request (`dispatch.id`).
    DispatchId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_travels_as_its_plain_number() {
        let id = CourseId(42);
        assert_eq!(serde_json::to_string(&id).expect("json"), "42");
        assert_eq!(serde_json::from_str::<CourseId>("42").expect("json"), id);
        assert_eq!(id.to_string(), "42");
        assert_eq!(" 42 ".parse::<CourseId>(), Ok(id));
        assert!("4x".parse::<CourseId>().is_err());
    }
}
