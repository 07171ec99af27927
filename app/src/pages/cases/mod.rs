//! Case library pages.

mod detail;
mod list;

pub use detail::CaseDetailPage;
pub use list::CaseListPage;
