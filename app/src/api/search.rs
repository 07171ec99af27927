//! Search result shapes shared by the pages and the JSON API.

pub use crate::domain::highlight::{Highlighted, Segment};
