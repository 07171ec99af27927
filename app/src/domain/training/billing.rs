//! What a 負担金 notice says besides the amounts: who issues it and how to reach
//! them, and, when the organiser has set them, by when and where to pay.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::input::{FieldError, error, parse_date, text_field};

/// What the organiser types for the notices: every field optional but the issuer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingInput {
    /// 発行部署.
    #[serde(default)]
    pub issuer: String,
    /// 連絡先.
    #[serde(default)]
    pub contact: String,
    /// 納付期限, `YYYY-MM-DD` or empty.
    #[serde(default)]
    pub payment_due: String,
    /// 振込先, several lines.
    #[serde(default)]
    pub payment_account: String,
}

/// What a course's notices say besides the amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingView {
    /// 発行部署.
    pub issuer: String,
    /// 連絡先.
    pub contact: String,
    /// 納付期限.
    pub payment_due: Option<NaiveDate>,
    /// 振込先 (several lines), empty when not set.
    pub payment_account: String,
}

/// Longest 振込先, in characters (bank, branch, type, number, holder).
pub const ACCOUNT_MAX_CHARS: usize = 300;

/// Parses the organiser's input: an issuer is required; the rest may be blank.
pub fn parse_billing(input: &BillingInput) -> Result<BillingView, FieldError> {
    let issuer = text_field("issuer", &input.issuer, 100, Some("発行部署"))?;
    let contact = text_field("contact", &input.contact, 200, None)?;
    let payment_due = parse_date("payment_due", Some(&input.payment_due))?;
    let payment_account = account_lines(&input.payment_account);
    if payment_account.chars().count() > ACCOUNT_MAX_CHARS {
        return Err(error(
            "payment_account",
            format!("振込先は{ACCOUNT_MAX_CHARS}文字以内で入力してください。"),
        ));
    }
    Ok(BillingView {
        issuer,
        contact,
        payment_due,
        payment_account,
    })
}

/// The lines of a 振込先 without control characters, blank lines or trailing space.
fn account_lines(input: &str) -> String {
    input
        .lines()
        .map(|line| {
            line.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(issuer: &str, due: &str, account: &str) -> BillingInput {
        BillingInput {
            issuer: issuer.into(),
            contact: "0742-27-0000 dx@pref.nara.example".into(),
            payment_due: due.into(),
            payment_account: account.into(),
        }
    }

    #[test]
    fn a_complete_input_keeps_the_account_lines_and_reads_the_date() {
        let view = parse_billing(&input(
            " 奈良県 総務部 デジタル戦略課 ",
            "2027-03-31",
            "南都銀行 県庁支店\r\n\r\n普通 1234567\t\n",
        ))
        .expect("valid");
        assert_eq!(view.issuer, "奈良県 総務部 デジタル戦略課");
        assert_eq!(view.payment_due, NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(view.payment_account, "南都銀行 県庁支店\n普通 1234567");
    }

    #[test]
    fn each_refusal_names_its_field() {
        let field = |i: BillingInput| parse_billing(&i).expect_err("refused").field;
        assert_eq!(field(input("", "", "")), "issuer");
        assert_eq!(field(input("県", "3月末", "")), "payment_due");
        assert_eq!(field(input("県", "", &"口".repeat(301))), "payment_account");
        assert!(parse_billing(&input("県", "", "")).is_ok());
    }
}
