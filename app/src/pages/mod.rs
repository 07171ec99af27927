//! One module per area; one component per page.

pub mod account;
pub mod admin;
pub mod advisors;
pub mod cases;
pub mod home;
pub mod municipalities;
pub mod not_found;
pub mod session;
pub mod trainings;
