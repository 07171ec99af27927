//! The デジタル人材バンク: search with facets, and profiles.

mod list;
mod profile;

pub use list::AdvisorListPage;
pub use profile::AdvisorProfilePage;
