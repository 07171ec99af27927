//! One module per area; one component per page.

pub mod cases;
pub mod home;
pub mod not_found;
