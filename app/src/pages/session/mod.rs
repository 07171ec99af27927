//! Signing in.

mod login;

pub use login::LoginPage;
