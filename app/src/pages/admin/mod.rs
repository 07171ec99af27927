//! Administration by the 県管理者: accounts and the audit log.

mod account_detail;
mod account_new;
mod accounts;
mod audit;

pub use account_detail::AccountDetailPage;
pub use account_new::NewAccountPage;
pub use accounts::AccountsPage;
pub use audit::AuditPage;
