//! The contract between browser and server: data shapes (also served by the JSON
//! API) and the server functions the pages call.

pub mod accounts;
pub mod advisors;
pub mod audit;
pub mod cases;
pub mod channels;
pub mod counterparts;
pub mod dispatches;
pub mod flash;
pub mod home;
pub mod municipalities;
pub mod notices;
pub mod search;
pub mod surveys;
pub mod taxonomy;
pub mod trainings;
pub mod webhooks;
