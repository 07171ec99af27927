//! sea-orm entities, one module per table.

pub mod account;
pub mod audit_log;
pub mod case_study;
pub mod login_throttle;
pub mod municipality;
pub mod prefecture;
pub mod region;
pub mod user_session;
