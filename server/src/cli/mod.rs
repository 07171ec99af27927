//! The `renkei` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::{db, startup, telemetry};

mod eval;
mod import;
mod reindex;
pub mod seed;
mod user;

/// Renkei 県・市町村連携ポータル server and administration commands.
#[derive(Debug, Parser)]
#[command(name = "renkei", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve the portal.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Load the reference data shipped with Renkei (idempotent).
    Seed {
        /// Also load demo data (regions, accounts and advisors of 奈良県 and 高知県).
        /// Refused in production.
        #[arg(long)]
        demo: bool,
        /// Generate this many fictitious advisors (benchmarks). Refused in production.
        #[arg(long)]
        advisors: Option<u64>,
        /// Seed of the generated advisors: the same seed gives the same profiles.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Bank of the generated advisors: prefecture name or code.
        #[arg(long, default_value = "奈良県")]
        prefecture: String,
    },
    /// Import a reference data file; a bad line or record changes nothing.
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Export data to a file.
    Export {
        #[command(subcommand)]
        what: ExportKind,
    },
    /// Rebuild the search index from the database and reload the synonym file.
    Reindex,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Change a shared term of the advisor bank's vocabularies (every prefecture
    /// uses them, so only the deployment's administrator may, from here).
    Taxonomy {
        #[command(subcommand)]
        what: TaxonomyCommand,
    },
    /// Measure search quality (recall@5, MRR, nDCG@10) on the shipped cases and a
    /// hand-written advisor bank, and the precision@5 of matching needs to it.
    EvalSearch {
        /// Judged queries (JSON array of {query, relevant, kind, target}); the
        /// advisor bank and the judged needs are read beside it (`advisors.json`,
        /// `advisor_matching.json`).
        #[arg(default_value = "eval/search.json")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum TaxonomyCommand {
    /// Relabel, reorder, withdraw or offer again a shared term.
    Set {
        /// Vocabulary: jinzaizo, role, specialty, qualification, programme, engagement.
        #[arg(long)]
        kind: String,
        /// The term's code.
        #[arg(long)]
        code: String,
        /// New label.
        #[arg(long)]
        label: Option<String>,
        /// New display position.
        #[arg(long)]
        sort_order: Option<String>,
        /// Offer the term in forms and facets (false: withdraw it; profiles keep it).
        #[arg(long)]
        active: Option<bool>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account (e.g. the first 県管理者). Prints a generated initial
    /// password unless --password-stdin is given.
    Create {
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// pref_admin, pref_staff, muni_staff or advisor.
        #[arg(long)]
        role: String,
        /// Prefecture: name (奈良県) or 団体コード (290009).
        #[arg(long)]
        prefecture: String,
        /// 団体コード of the municipality (muni_staff only).
        #[arg(long)]
        municipality: Option<String>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ImportKind {
    /// Municipality codes (CSV: code,prefecture,city,prefecture_kana,city_kana).
    Municipalities {
        /// Path of the CSV file.
        file: PathBuf,
    },
    /// Case library (JSON array of cases, keyed by slug).
    Cases {
        /// Path of the JSON file.
        file: PathBuf,
    },
    /// Regions of a prefecture (CSV: prefecture,region,municipality_code,municipality).
    Regions {
        /// Path of the CSV file.
        file: PathBuf,
    },
    /// Advisors of a prefecture's bank (CSV as written by `renkei export advisors`;
    /// rows without an ID are new profiles).
    Advisors {
        /// Path of the CSV file.
        file: PathBuf,
        /// The bank: prefecture name or code.
        #[arg(long)]
        prefecture: String,
    },
}

#[derive(Debug, Subcommand)]
enum ExportKind {
    /// Every advisor of a prefecture's bank as CSV (UTF-8 with BOM, for Excel).
    Advisors {
        /// The bank: prefecture name or code.
        #[arg(long)]
        prefecture: String,
        /// Where to write (standard output when left out).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Parses the arguments, runs the command and returns the process exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("設定を読み込めません: {error:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format());
    match execute(cli.command, &config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::debug!(error = format!("{error:#}"), "command failed");
            eprintln!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

// Long: one arm per command of the CLI.
async fn execute(command: Command, config: &Config) -> anyhow::Result<()> {
    // The evaluation needs no database or index of the deployment.
    if let Command::EvalSearch { file } = &command {
        return eval::run(file).await;
    }
    let db = db::connect(&config.database_url()).await?;
    db::migrate(&db).await?;
    match command {
        Command::Serve => {
            tracing::info!(config = ?config, "starting");
            startup::Application::build(config, db)
                .await?
                .run_until_stopped()
                .await
        }
        Command::Migrate => say("マイグレーションを適用しました。"),
        Command::Seed {
            demo,
            advisors,
            seed,
            prefecture,
        } => {
            seed::run(&db, config, demo).await?;
            match advisors {
                Some(count) => seed::advisors(&db, config, &prefecture, count, seed).await,
                None => Ok(()),
            }
        }
        Command::Import { what } => match what {
            ImportKind::Municipalities { file } => import::municipalities(&db, config, &file).await,
            ImportKind::Cases { file } => import::cases(&db, config, &file).await,
            ImportKind::Regions { file } => import::regions(&db, config, &file).await,
            ImportKind::Advisors { file, prefecture } => {
                import::advisors(&db, config, &file, &prefecture).await
            }
        },
        Command::Export {
            what: ExportKind::Advisors { prefecture, output },
        } => import::export_advisors(&db, &prefecture, output.as_deref()).await,
        Command::Reindex => reindex::run(&db, config).await,
        Command::User {
            what:
                UserCommand::Create {
                    email,
                    role,
                    prefecture,
                    municipality,
                    name,
                    password_stdin,
                },
        } => {
            user::create(
                &db,
                user::CreateArgs {
                    email,
                    role,
                    prefecture,
                    municipality,
                    name,
                    password_stdin,
                },
            )
            .await
        }
        Command::Taxonomy {
            what:
                TaxonomyCommand::Set {
                    kind,
                    code,
                    label,
                    sort_order,
                    active,
                },
        } => {
            let change = app::services::taxonomy::TermChange {
                label,
                sort_order,
                active,
            };
            let synonyms = app::search::SynonymStore::from_file(&config.synonyms_file())?;
            let (index, _) = app::search::SearchIndex::open(&config.index_dir(), synonyms)?;
            let context = app::services::audit::AuditContext {
                actor: None,
                client_addr: "renkei taxonomy (command line)".to_owned(),
                request_id: None,
            };
            app::services::taxonomy::change_shared(&db, &index, &context, &kind, &code, &change)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            say(&format!("共通の分類 {kind}/{code} を変更しました。"))
        }
        Command::EvalSearch { .. } => Ok(()),
    }
}

/// Writes one line of command output to standard output.
fn say(line: &str) -> anyhow::Result<()> {
    writeln!(std::io::stdout(), "{line}")?;
    Ok(())
}
