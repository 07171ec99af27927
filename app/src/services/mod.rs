//! Services: domain rules with database access. Routes and server functions call
//! these; they take `&impl ConnectionTrait` so they run inside a transaction too.

pub mod accounts;
pub mod advisors;
pub mod audit;
pub mod cases;
pub mod channels;
pub mod counterparts;
pub mod csv_file;
pub mod dispatches;
pub mod form_flash;
pub mod health;
pub mod home;
pub mod municipalities;
pub mod notices;
pub mod passwords;
pub mod photos;
pub mod reference_data;
pub mod regions;
pub mod search_eval;
pub mod search_index;
pub mod sessions;
pub mod surveys;
pub mod taxonomy;
pub mod trainings;
pub mod webhooks;

/// Today in Japan: the day every "today" of the portal means (due dates, 年度,
/// who is the counterpart now).
pub fn today() -> chrono::NaiveDate {
    crate::domain::calendar::day_in_japan(chrono::Utc::now())
}
