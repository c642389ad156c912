//! The `passport` command line: serve the app, or migrate its database.

use crate::{help::limit::HelpRate, server};
use clap::{Args, Parser, Subcommand};
use std::{net::SocketAddr, path::PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "passport",
    version,
    about = "Safe Migration Passport: safe-migration help in English, Vietnamese, Thai and S'gaw Karen",
    long_about = "Safe Migration Passport: an offline-first web app that helps people who want to \
                  work abroad migrate safely and recognise trafficking, forced labour and \
                  recruitment fraud.\n\nEverything runs from this one program and one SQLite \
                  file: no other service is needed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app over HTTP. Creates and migrates the database on first start.
    ///
    /// Stops cleanly on Ctrl-C or SIGTERM, finishing the requests under way.
    Serve(ServeArgs),
    /// Create the database, or bring its schema up to date, and exit.
    Migrate(DbArgs),
}

#[derive(Debug, Args)]
pub struct DbArgs {
    /// The SQLite database file; created if missing.
    #[arg(long, env = "PASSPORT_DB", default_value = "passport.db")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on. Use 0.0.0.0:3000 to serve phones on the local network.
    #[arg(long, env = "PASSPORT_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// The built site folder (pkg/, CSS, fonts). By default the `site` folder beside this
    /// program, or `../site` as `cargo leptos build` leaves it.
    #[arg(long, env = "PASSPORT_SITE")]
    pub site: Option<PathBuf>,
    /// Where quick exit sends the person: a neutral page such as a weather site.
    #[arg(
        long,
        env = "PASSPORT_EXIT_URL",
        default_value = "https://www.bbc.com/weather"
    )]
    pub exit_url: String,
    /// How many help requests one address (an IPv4 address, an IPv6 /64) may send:
    /// BURST/SECONDS lets a burst of BURST through, then one more every SECONDS; `off`
    /// switches the limit off, for load tests only.
    #[arg(
        long,
        env = "PASSPORT_HELP_RATE",
        default_value_t = HelpRate::default(),
        value_name = "BURST/SECONDS|off"
    )]
    pub help_rate: HelpRate,
}

/// Runs one command to the end.
pub async fn run(cli: Cli) -> Result<(), server::StartError> {
    match cli.command {
        Command::Serve(args) => server::serve(args).await,
        Command::Migrate(args) => {
            let db = server::open_database(&args.db).await?;
            tracing::info!(path = %db.path().display(), version = crate::db::LATEST_VERSION, "the database is up to date");
            Ok(())
        }
    }
}
