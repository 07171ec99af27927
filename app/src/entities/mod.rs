//! sea-orm entities, one module per table.

pub mod account;
pub mod advisor;
pub mod advisor_area;
pub mod advisor_availability;
pub mod advisor_photo;
pub mod advisor_region;
pub mod advisor_term;
pub mod attendance;
pub mod audit_log;
pub mod case_study;
pub mod enrolment;
pub mod form_flash;
pub mod health_probe;
pub mod login_throttle;
pub mod municipality;
pub mod prefecture;
pub mod region;
pub mod search_change;
pub mod taxonomy_term;
pub mod training;
pub mod training_billing;
pub mod training_cost;
pub mod training_session;
pub mod user_session;
