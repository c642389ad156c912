//! The `passport` program: parses the command line, sets up logging, and runs the command.

use clap::Parser;
use passport::cli::{Cli, run};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to standard error for every command: standard output is for what a command
    // makes (an exported .ftl file, a recovery key, a report), so it can be redirected to a
    // file as it is.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "passport stopped");
            eprintln!("passport: {error}");
            ExitCode::FAILURE
        }
    }
}
