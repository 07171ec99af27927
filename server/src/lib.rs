//! The Renkei server: configuration, database, HTTP routes, startup and CLI.

pub mod assets;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod http_client;
pub mod limits;
pub mod routes;
pub mod search_setup;
pub mod security;
pub mod serve;
pub mod startup;
pub mod telemetry;
pub mod webhooks;
