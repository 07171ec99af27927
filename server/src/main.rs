//! `renkei`: see `renkei --help`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    renkei::cli::run().await
}
