//! Renkei (連携): the portal through which a prefecture's DX office supports its
//! municipalities. This crate holds the UI, the server functions, the types shared
//! by server and browser, and (behind `ssr`) the services and database entities.

pub mod api;
mod app;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod calls;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod failpoint;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::{App, shell};
