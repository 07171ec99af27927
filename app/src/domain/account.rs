//! Accounts: roles, the signed-in actor, and the inputs of account forms, each
//! parsed into a type that cannot hold a bad value.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::local_gov::LocalGovCode;

/// What a person does in the portal; decides what they may do (see
/// [`crate::domain::policy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 県管理者: administers accounts of the prefecture and its municipalities.
    PrefAdmin,
    /// 県職員: works with every municipality of the prefecture.
    PrefStaff,
    /// 市町村職員: acts for one municipality only.
    MuniStaff,
    /// アドバイザー: edits their own advisor profile.
    Advisor,
}

impl Role {
    /// Every role, in the order forms list them.
    pub const ALL: [Role; 4] = [
        Role::PrefAdmin,
        Role::PrefStaff,
        Role::MuniStaff,
        Role::Advisor,
    ];

    /// Wire form (`pref_admin`, …), as stored and as the API speaks it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PrefAdmin => "pref_admin",
            Role::PrefStaff => "pref_staff",
            Role::MuniStaff => "muni_staff",
            Role::Advisor => "advisor",
        }
    }

    /// Parses the wire form.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == input.trim())
    }

    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Role::PrefAdmin => "県管理者",
            Role::PrefStaff => "県職員",
            Role::MuniStaff => "市町村職員",
            Role::Advisor => "アドバイザー",
        }
    }

    /// Whether the role belongs to the prefecture's office.
    pub fn is_prefecture(self) -> bool {
        matches!(self, Role::PrefAdmin | Role::PrefStaff)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed-in person as every check sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Account id.
    pub account_id: crate::domain::ids::AccountId,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// 団体コード of the prefecture (e.g. `290009`).
    pub prefecture: LocalGovCode,
    /// Name of the prefecture.
    pub prefecture_name: String,
    /// 団体コード of the municipality, for `muni_staff`.
    pub municipality: Option<LocalGovCode>,
    /// Name of the municipality, for `muni_staff`.
    pub municipality_name: Option<String>,
    /// Signed in with a temporary password: nothing but choosing a new one.
    #[serde(default)]
    pub must_change_password: bool,
}

impl Actor {
    /// 「三宅町 市町村職員」: where and as what the person is signed in.
    pub fn scope_label(&self) -> String {
        let place = self
            .municipality_name
            .as_deref()
            .unwrap_or(&self.prefecture_name);
        format!("{place} {}", self.role.label())
    }
}

/// Why an account input was refused; each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountInputError {
    /// Not an email address.
    #[error("メールアドレスの形式が正しくありません。")]
    Email,
    /// Password too short or too long.
    #[error("パスワードは{min}文字以上{max}文字以下で入力してください。", min = PASSWORD_MIN_CHARS, max = PASSWORD_MAX_CHARS)]
    PasswordLength,
    /// Password made of one repeated character.
    #[error("同じ文字だけのパスワードは使えません。")]
    PasswordTrivial,
    /// Empty or overlong display name.
    #[error("氏名は1文字以上50文字以下で入力してください。")]
    DisplayName,
    /// Unknown role.
    #[error("役割を選んでください。")]
    Role,
}

impl AccountInputError {
    /// The form field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::PasswordLength | Self::PasswordTrivial => "password",
            Self::DisplayName => "display_name",
            Self::Role => "role",
        }
    }
}

/// A normalised email address (trimmed, lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain, no
    /// spaces, at most 254 characters. NFKC first, so an address typed in
    /// full-width through an IME (`ｍｉｙａｋｅ＠ｅｘａｍｐｌｅ．ｊｐ`) is the same address.
    pub fn parse(input: &str) -> Result<Self, AccountInputError> {
        let email = super::text::nfkc(input.trim()).to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Self(email))
        } else {
            Err(AccountInputError::Email)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fewest characters of a new password (NISC guidance favours length over rules).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Most characters of a password (argon2 input stays small).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A password acceptable as a new password. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks length and that it is not one repeated character.
    pub fn parse(input: &str) -> Result<Self, AccountInputError> {
        let count = input.chars().count();
        if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&count) {
            return Err(AccountInputError::PasswordLength);
        }
        let mut chars = input.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err(AccountInputError::PasswordTrivial);
        }
        Ok(Self(input.to_owned()))
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A display name: trimmed, 1 to 50 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a display name.
    pub fn parse(input: &str) -> Result<Self, AccountInputError> {
        let name = input.trim();
        let count = name.chars().count();
        if (1..=50).contains(&count) && !name.chars().any(char::is_control) {
            Ok(Self(name.to_owned()))
        } else {
            Err(AccountInputError::DisplayName)
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Miyake@Renkei.Example ").expect("valid");
        assert_eq!(email.as_str(), "miyake@renkei.example");
    }

    #[test]
    fn an_address_typed_in_full_width_through_an_ime_is_the_same_address() {
        let email = Email::parse("ｍｉｙａｋｅ＠ｒｅｎｋｅｉ．ｅｘａｍｐｌｅ").expect("valid");
        assert_eq!(email.as_str(), "miyake@renkei.example");
    }

    #[test]
    fn email_without_a_dotted_domain_or_with_spaces_is_refused() {
        for bad in [
            "miyake",
            "miyake@",
            "@renkei.example",
            "a@b",
            "a b@c.jp",
            "a@b@c.jp",
            "a@.jp",
        ] {
            assert_eq!(Email::parse(bad), Err(AccountInputError::Email), "{bad}");
        }
    }

    #[test]
    fn short_or_repeated_passwords_are_refused_and_never_printed() {
        assert_eq!(
            NewPassword::parse("short-pass"),
            Err(AccountInputError::PasswordLength)
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaaaaa"),
            Err(AccountInputError::PasswordTrivial)
        );
        let password = NewPassword::parse("demo-pass-2026").expect("valid");
        assert!(!format!("{password:?}").contains("demo"));
    }

    #[test]
    fn roles_round_trip_through_their_wire_form() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    proptest! {
        #[test]
        fn a_parsed_email_parses_again_to_itself(local in "[a-z0-9._-]{1,20}", domain in "[a-z0-9-]{1,10}\\.[a-z]{2,5}") {
            let email = Email::parse(&format!("{local}@{domain}")).expect("valid");
            prop_assert_eq!(Email::parse(email.as_str()).expect("valid again"), email);
        }
    }
}
