//! The デジタル人材バンク: search with facets, profiles, editing and matching.

mod edit;
mod list;
mod match_page;
mod profile;

pub use edit::{EditAdvisorPage, NewAdvisorPage};
pub use list::AdvisorListPage;
pub use match_page::MatchPage;
pub use profile::AdvisorProfilePage;
