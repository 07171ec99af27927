//! `renkei user create`: accounts from the command line (the first administrator).

use std::io::{BufRead, Write};

use anyhow::{Context, bail};
use sea_orm::DatabaseConnection;

use app::api::accounts::NewAccountInput;
use app::domain::local_gov::LocalGovCode;
use app::services::accounts::{self, NewAccount};
use app::services::audit::AuditContext;
use app::services::municipalities::find_prefecture;
use app::services::passwords::random_token;

use super::say;

/// What `user create` was given.
#[derive(Debug)]
pub struct CreateArgs {
    /// Sign-in email.
    pub email: String,
    /// Role wire form.
    pub role: String,
    /// Prefecture name or code.
    pub prefecture: String,
    /// 団体コード of the municipality.
    pub municipality: Option<String>,
    /// Display name (defaults to the email's local part).
    pub name: Option<String>,
    /// Read the password from standard input instead of generating one.
    pub password_stdin: bool,
}

/// Creates the account; prints a generated password once.
pub async fn create(db: &DatabaseConnection, args: CreateArgs) -> anyhow::Result<()> {
    let prefecture = find_prefecture(db, &args.prefecture)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        // 20 hex digits: 80 bits, easy to type once before changing it.
        (random_token()?.chars().take(20).collect::<String>(), true)
    };
    let display_name = args
        .name
        .clone()
        .unwrap_or_else(|| args.email.split('@').next().unwrap_or_default().to_owned());
    let input = NewAccountInput {
        email: args.email,
        display_name,
        role: args.role,
        municipality: args.municipality,
        prefecture: None,
        password: password.clone(),
    };
    let new = match NewAccount::parse(&input, &LocalGovCode::from_stored(prefecture.code.clone())) {
        Ok(new) => new,
        Err(error) => bail!("アカウントを作成できません: {error}"),
    };
    let context = AuditContext {
        actor: None,
        client_addr: "cli".into(),
        request_id: None,
    };
    let view = accounts::create(db, &context, new)
        .await
        .map_err(|e| anyhow::anyhow!("アカウントを作成できません: {e}"))?;
    say(&format!(
        "アカウントを作成しました: {} ({}, {})",
        view.email, view.role_label, view.prefecture_name
    ))?;
    if generated {
        // The only time this password is shown; it is not logged.
        writeln!(
            std::io::stdout(),
            "初期パスワード: {password}\nログイン後に「パスワード変更」から変更してください。"
        )?;
    }
    Ok(())
}
