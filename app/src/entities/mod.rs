//! sea-orm entities, one module per table.

pub mod case_study;
pub mod municipality;
pub mod prefecture;
pub mod region;
