//! Server functions: what the pages call on the server. Each parses its input,
//! lets the service authorise and do the work, and returns a shape of
//! [`crate::api`]. Imports run one way: pages → calls → services → domain,
//! entities, search; `api` is a leaf beside `domain`.

pub mod accounts;
pub mod advisors;
pub mod audit;
pub mod cases;
pub mod channels;
pub mod counterparts;
pub mod dispatches;
pub mod flash;
pub mod home;
pub mod notices;
pub mod surveys;
pub mod taxonomy;
pub mod trainings;
pub mod webhooks;
