//! The hub commands' options: `passport hubs …` at central, `passport hub …` at a hub,
//! `passport bundle export` (what they do is `crate::hub::command`).

use super::DbArgs;
use crate::{db::Db, error::StartError, hub::command, state::open_database};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum HubsCommand {
    /// Add a hub, or give one a new pairing code: prints the one-time code and its QR code.
    Add {
        name: String,
        /// Central's address as hubs reach it, for the command printed with the code.
        #[arg(long, env = "PASSPORT_PUBLIC_URL")]
        public_url: Option<String>,
        /// The domain the hub's own name goes under (NAME.DOMAIN), for its certificate.
        #[arg(long, env = "PASSPORT_HUB_DOMAIN")]
        domain: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the hubs, their last contact and how many requests each forwarded.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Refuse a hub from now on.
    Revoke {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Take in the requests a hub wrote with `passport hub export`; each is stored once.
    Import {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Make this database a hub of central's, with the code `passport hubs add` printed.
    Pair {
        url: String,
        code: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Forward the waiting requests and take central's latest content, now.
    Sync {
        /// Central's address, if not the one the hub was paired with.
        #[arg(long)]
        upstream: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write the waiting requests, sealed and signed, to FILE for a USB stick.
    Export {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print how phones on this laptop's hotspot find the hub's name: the lines for
    /// Ubuntu's and Windows' hotspot DNS.
    Hotspot {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Apply a content bundle that `passport bundle export` wrote.
    ImportBundle {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write the signed content bundle to FILE.
    Export {
        file: PathBuf,
        /// The hub's content version, as its staff page shows it; 0 for everything.
        #[arg(long, default_value_t = 0)]
        since: i64,
        /// The hub the bundle is for: it also tells that hub which of its requests central
        /// holds, so that it can let go of them.
        #[arg(long)]
        hub: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn hubs(command: HubsCommand) -> Result<(), StartError> {
    match command {
        HubsCommand::Add {
            name,
            public_url,
            domain,
            db,
        } => {
            let db = Db::open(&db.db)?;
            command::add(&db, &name, domain.as_deref(), public_url.as_deref()).await
        }
        HubsCommand::List { db } => command::list(&Db::open(&db.db)?).await,
        HubsCommand::Revoke { name, db } => command::revoke(&Db::open(&db.db)?, &name).await,
        HubsCommand::Import { file, db } => command::import(&Db::open(&db.db)?, &file).await,
    }
}

pub async fn hub(command: HubCommand) -> Result<(), StartError> {
    match command {
        HubCommand::Pair { url, code, db } => command::pair(&Db::open(&db.db)?, &url, &code).await,
        HubCommand::Sync { upstream, db } => {
            command::sync(&open_database(&db.db).await?, upstream.as_deref()).await
        }
        HubCommand::Export { file, db } => command::export(&Db::open(&db.db)?, &file).await,
        HubCommand::Hotspot { db } => command::hotspot(&Db::open(&db.db)?).await,
        HubCommand::ImportBundle { file, db } => {
            command::import_bundle(&open_database(&db.db).await?, &file).await
        }
    }
}

pub async fn bundle(command: BundleCommand) -> Result<(), StartError> {
    let BundleCommand::Export {
        file,
        since,
        hub,
        db,
    } = command;
    let db = open_database(&db.db).await?;
    command::bundle_export(&db, &file, since, hub.as_deref()).await
}
