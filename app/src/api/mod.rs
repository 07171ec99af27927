//! The contract between browser and server: data shapes (also served by the JSON
//! API) and the server functions the pages call.

pub mod cases;
pub mod municipalities;
pub mod search;
