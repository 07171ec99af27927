//! The signed-in person's own account.

mod password;

pub use password::PasswordPage;
