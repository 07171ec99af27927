//! Pure domain rules: no IO, compiled for the server and the browser alike.

pub mod account;
pub mod advisor;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod case_query;
pub mod cost_split;
pub mod counterpart;
pub mod dispatch;
pub mod gather;
pub mod highlight;
pub mod ids;
pub mod local_gov;
pub mod paging;
pub mod photo;
pub mod policy;
pub mod radicals;
pub mod search_query;
pub mod search_text;
pub mod spreadsheet;
pub mod synonyms;
pub mod taxonomy;
pub mod text;
pub mod throttle;
pub mod training;
pub mod wareki;
