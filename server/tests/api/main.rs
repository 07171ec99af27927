//! Integration tests: the real server on a random port, real HTTP, a fresh
//! database per test. SQLite always; PostgreSQL too when `TEST_POSTGRES_URL` is set.

mod advisor_editing;
mod advisors;
mod assets;
mod auth;
mod cases;
mod channels;
mod cli;
mod counterparts;
mod dispatches;
mod hardening;
mod health;
mod helpers;
mod municipalities;
mod notices;
mod pages;
mod policy;
mod reliability;
mod search;
mod surveys;
mod trainings;
mod webhooks;
