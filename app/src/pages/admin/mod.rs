//! Administration by the 県管理者: accounts, the audit log and the advisor bank.

mod account_detail;
mod account_new;
mod accounts;
mod advisors;
mod audit;
mod taxonomy;
mod webhooks;

pub use account_detail::AccountDetailPage;
pub use account_new::NewAccountPage;
pub use accounts::AccountsPage;
pub use advisors::AdminAdvisorsPage;
pub use audit::AuditPage;
pub use taxonomy::TaxonomyPage;
pub use webhooks::WebhooksPage;
