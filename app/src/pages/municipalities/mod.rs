//! A municipality's private page.

mod page;

pub use page::{MunicipalityPage, MunicipalityPanel};
