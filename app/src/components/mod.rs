//! Reusable view pieces.

pub mod accounts;
pub mod bar_chart;
pub mod confirm;
pub mod facet_select;
pub mod form_fields;
pub mod highlight;
pub mod layout;
pub mod load_error;
pub mod mentions;
pub mod notices;
pub mod pagination;
pub mod recipients;
pub mod session;
pub mod status;
pub mod table_box;
