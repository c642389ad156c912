//! The `passport` command line: serve the app, migrate its database, manage staff accounts.

mod hubs;
mod names;
mod ops;
mod parse;
mod recordings;
mod review;

use crate::staff::accounts::{self, AccountError, Role};
use crate::{
    config::{Config, Tls},
    error::StartError,
    help::limit::Rate,
    state::{AppState, open_database},
};
use clap::{Args, Parser, Subcommand};
use hubs::{BundleCommand, HubCommand, HubsCommand};
use parse::{host_name, public_url};
use std::{
    io::IsTerminal,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

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
    /// Manage staff accounts. There is no default account: make the first admin here.
    ///
    /// Passwords are read from the terminal without echo, or as one line from standard input
    /// when it is not a terminal (for scripts).
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Write every public page of every language, with brotli and gzip copies, and the
    /// site's files into DIR, for a CDN or any static web server. Takes the options of
    /// `serve`; `--public-url` sets the address the share page and booklet show.
    ExportStatic {
        dir: PathBuf,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Exchange translations with translators as standard Fluent (.ftl) files, and publish.
    #[command(subcommand)]
    Translations(TranslationsCommand),
    /// The organisation's key pair, which help requests are sealed to: make it and print its
    /// recovery key, give an account access again with that key, or show who holds it.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// At central: the hubs, event laptops that serve phones and forward their requests.
    #[command(subcommand)]
    Hubs(HubsCommand),
    /// At a hub: pair with central, sync, and carry requests and content on a USB stick.
    #[command(subcommand)]
    Hub(HubCommand),
    /// At central: content bundles for hubs that sync by USB stick.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// The recordings of the texts: what is missing, and clips recorded elsewhere to import.
    #[command(subcommand)]
    Recordings(recordings::RecordingsCommand),
    /// Write a consistent copy of the database into FILE (mode 0600), also while the server
    /// runs. Help requests stay sealed in it.
    Backup {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put the backup FILE in place of the database, after checking it (integrity, schema
    /// version, the organisation's key). Stop the server first; the replaced database is kept
    /// as `<db>.before-restore-<time>`. A restored hub must be paired again.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check the deployment and say what is wrong and how to fix it: file permissions, free
    /// space, TLS certificates, staff over plain HTTP, the organisation's key, the last
    /// backup, facts not checked for 12 months, a hub's last sync, alerts not sent. Takes the
    /// options `serve` runs with; exits non-zero when anything is wrong.
    Doctor(ServeArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make the organisation's key pair and print its recovery key, once. Until this runs
    /// (or the first caseworker or admin is added), the database holds the key readable.
    Init {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Give a caseworker or admin access to the requests again with the recovery key: after
    /// a forgotten password, or for a new caseworker when no admin can sign in.
    Recover {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Type the recovery key back from the paper: it is checked against the organisation's
    /// key, and `passport doctor` stops asking for it.
    Confirm {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Show the key's fingerprint, whether a readable copy remains, whether the recovery key
    /// was confirmed, and who holds access.
    Status {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TranslationsCommand {
    /// Write one language's published texts (UI strings and content) as one .ftl file.
    Export {
        /// en, vi, th or ksw.
        #[arg(long)]
        locale: String,
        /// The file to write; standard output when left out.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check a translator's .ftl file and import all of it, or nothing if any message is
    /// refused. Imported texts wait, unpublished, for `passport translations publish` or the
    /// Publish button in /staff/translations.
    Import {
        file: PathBuf,
        #[arg(long)]
        locale: String,
        /// draft or reviewed.
        #[arg(long, default_value = "draft")]
        status: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Make every saved change live as a new content version. A running server notices it
    /// within two seconds and serves the new texts and facts from then on.
    Publish {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print one language's consistency report: the same English translated differently,
    /// glossary terms spelled more than one way, English left in, digits in two systems.
    Report {
        #[arg(long)]
        locale: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write one language's review sheet, for a native reviewer on paper, as one HTML file
    /// to print or save as PDF from a browser.
    Sheet {
        #[arg(long)]
        locale: String,
        /// The file to write; standard output when left out.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The built site folder, whose Karen font the sheet carries inline; by default the
        /// one `serve` finds.
        #[arg(long, env = "PASSPORT_SITE")]
        site: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add an account: `passport staff add mai --role caseworker`.
    Add {
        username: String,
        /// caseworker (help requests), editor (content and translations) or admin (all).
        #[arg(long)]
        role: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a new password; also unlocks the account and signs it out everywhere.
    Passwd {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable an account and sign it out everywhere. Its name stays in the audit log.
    Disable {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Enable a disabled account again.
    Enable {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the accounts, their roles, and whether each is disabled.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
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
    #[arg(long, env = "PASSPORT_ADDR", default_value_t = crate::config::DEFAULT_ADDR)]
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
        default_value = crate::config::DEFAULT_EXIT_URL
    )]
    pub exit_url: String,
    /// The app's public address, as phones reach it (`https://hub.example.org`): the share
    /// page's QR code points there. By default, the address each visitor used.
    #[arg(long, env = "PASSPORT_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// Event mode, for a shared tablet or kiosk: `/` shows big language buttons, and every
    /// page goes back there after --event-idle seconds with no one using it.
    #[arg(long, env = "PASSPORT_EVENT")]
    pub event: bool,
    /// Seconds without a tap or key before an event-mode page goes back to the start page.
    #[arg(
        long,
        env = "PASSPORT_EVENT_IDLE",
        default_value_t = crate::site::choice::IDLE_DEFAULT_SECS,
        value_parser = clap::value_parser!(u32).range(1..=3600)
    )]
    pub event_idle: u32,
    /// Serve HTTPS with this certificate chain (PEM), for the name phones use: phones can then
    /// install the app and keep it for use offline. Needs --tls-key.
    #[arg(long, env = "PASSPORT_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "PASSPORT_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Days after closing that a help request is deleted, with its notes.
    #[arg(
        long,
        env = "PASSPORT_RETENTION_DAYS",
        default_value_t = crate::staff::retention::DEFAULT_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    pub retention_days: u32,
    /// Days after arriving that a help request never closed is deleted, with its notes.
    #[arg(
        long,
        env = "PASSPORT_RETENTION_OPEN_DAYS",
        default_value_t = crate::staff::retention::DEFAULT_OPEN_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    pub retention_open_days: u32,

    /// Render every public page on every request instead of keeping them per content
    /// version: for measuring and profiling the render, not for use.
    #[arg(long)]
    pub no_page_cache: bool,
    /// How many help requests one address (an IPv4 address, an IPv6 /64) may send:
    /// BURST/SECONDS lets a burst of BURST through, then one more every SECONDS; `off`
    /// switches the limit off, for load tests only.
    #[arg(
        long,
        env = "PASSPORT_HELP_RATE",
        default_value_t = Rate::default(),
        value_name = "BURST/SECONDS|off"
    )]
    pub help_rate: Rate,
    /// A name phones use to reach this server (`hub.lan`), besides its own addresses and
    /// the --public-url host; repeat for more. A request for any other name is answered as
    /// if it had asked for the address it reached.
    #[arg(long = "host", value_name = "NAME", value_parser = host_name)]
    pub hosts: Vec<String>,
    /// A reverse proxy in front of this server: its X-Forwarded-For and X-Forwarded-Proto
    /// are believed, and nobody else's; repeat for more.
    #[arg(long = "trusted-proxy", value_name = "ADDR")]
    pub trusted_proxies: Vec<IpAddr>,
    /// Serve the staff side over plain HTTP to other machines, for a closed lab network
    /// only: passwords and sessions then cross the network in clear.
    #[arg(long)]
    pub allow_staff_over_http: bool,
    /// Connections served at once, at most; more are answered "busy". Kept below the
    /// open-file limit.
    #[arg(
        long,
        default_value_t = crate::serve::MAX_CONNECTIONS,
        value_parser = clap::value_parser!(u32).range(16..=1_000_000)
    )]
    pub max_connections: u32,
    /// A hub's central (`https://central.example.org`): forward requests there and take its
    /// content, in the background, whenever it is reachable. The database must be paired
    /// (`passport hub pair`).
    #[arg(long, env = "PASSPORT_UPSTREAM")]
    pub upstream: Option<String>,
    /// Seconds between a hub's syncs while central is reachable.
    #[arg(
        long,
        env = "PASSPORT_SYNC_EVERY",
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=86_400)
    )]
    pub sync_every: u32,
    #[command(flatten)]
    pub names: names::NamesArgs,
    #[command(flatten)]
    pub backups: ops::BackupArgs,
    #[command(flatten)]
    pub alerts: ops::AlertArgs,
}

impl ServeArgs {
    /// The settings these options describe.
    pub fn config(&self) -> Config {
        Config {
            addr: self.addr,
            db: self.db.db.clone(),
            site: self.site.clone(),
            exit_url: self.exit_url.clone(),
            public_url: self.public_url.clone(),
            event_idle: self.event.then_some(self.event_idle),
            tls: match (&self.tls_cert, &self.tls_key) {
                (Some(cert), Some(key)) => Some(Tls {
                    cert: cert.clone(),
                    key: key.clone(),
                }),
                _ => None,
            },
            retention: crate::staff::retention::Periods {
                closed: self.retention_days,
                open: self.retention_open_days,
            },
            page_cache: !self.no_page_cache,
            help_rate: self.help_rate,
            hosts: self.hosts.clone(),
            trusted_proxies: self
                .trusted_proxies
                .iter()
                .map(|ip| ip.to_canonical())
                .collect(),
            allow_staff_over_http: self.allow_staff_over_http,
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
            upstream: self.upstream.clone(),
            sync_every: std::time::Duration::from_secs(u64::from(self.sync_every)),
            backups: self.backups.schedule(),
            ..Config::new(self.db.db.clone(), self.site.clone())
        }
    }
}

/// Runs one command to the end.
pub async fn run(cli: Cli) -> Result<(), StartError> {
    match cli.command {
        Command::Serve(args) => {
            let mut config = args.config();
            args.names.apply(&mut config)?;
            config.alerts = args.alerts.settings()?;
            crate::serve::serve(config).await
        }
        Command::Migrate(args) => {
            let db = open_database(&args.db).await?;
            tracing::info!(path = %db.path().display(), version = crate::db::LATEST_VERSION, "the database is up to date");
            Ok(())
        }
        Command::Staff(command) => staff(command).await,
        Command::Translations(command) => translations(command).await,
        Command::Keys(KeysCommand::Init { db }) => crate::seal::command::init(&db.db).await,
        Command::Keys(KeysCommand::Recover { username, db }) => {
            crate::seal::command::recover(&db.db, &username).await
        }
        Command::Keys(KeysCommand::Status { db }) => crate::seal::command::status(&db.db).await,
        Command::Keys(KeysCommand::Confirm { db }) => crate::seal::command::confirm(&db.db).await,
        Command::Hubs(command) => hubs::hubs(command).await,
        Command::Hub(command) => hubs::hub(command).await,
        Command::Bundle(command) => hubs::bundle(command).await,
        Command::Recordings(command) => recordings::run(command).await,
        Command::Backup { file, db } => ops::backup(file, db).await,
        Command::Restore { file, db } => ops::restore(file, db).await,
        Command::Doctor(args) => ops::doctor(&args).await,
        Command::ExportStatic { dir, serve } => {
            let (state, site_root) = AppState::new(&serve.config()).await?;
            let exported = crate::offline::export::export(&state, &site_root, &dir)
                .await
                .map_err(|source| StartError::File {
                    path: dir.display().to_string(),
                    source,
                })?;
            println!(
                "wrote {} pages ({} KB before compression) and copied {} site files into {}",
                exported.pages,
                exported.bytes / 1024,
                exported.files,
                dir.display()
            );
            Ok(())
        }
    }
}

/// Writes a command's output to `out`, or to standard output.
fn write_or_print(out: Option<PathBuf>, text: &str) -> Result<(), StartError> {
    match out {
        Some(path) => std::fs::write(&path, text).map_err(|source| StartError::File {
            path: path.display().to_string(),
            source,
        }),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

async fn translations(command: TranslationsCommand) -> Result<(), StartError> {
    use crate::editor::{
        files::{self, ImportRefusal},
        publish::publish,
        texts::Status,
    };
    let (TranslationsCommand::Export { db, .. }
    | TranslationsCommand::Import { db, .. }
    | TranslationsCommand::Publish { db }
    | TranslationsCommand::Report { db, .. }
    | TranslationsCommand::Sheet { db, .. }) = &command;
    let db = open_database(&db.db).await?;
    let locale_of = |code: &str| {
        crate::i18n::Locale::from_code(code)
            .ok_or_else(|| StartError::Usage(format!("`{code}` is not one of en, vi, th, ksw")))
    };
    match command {
        TranslationsCommand::Export { locale, out, .. } => {
            let locale = locale_of(&locale)?;
            let file = db.read(move |c| files::export(c, locale)).await?;
            write_or_print(out, &file)?;
        }
        TranslationsCommand::Import {
            file,
            locale,
            status,
            ..
        } => {
            let locale = locale_of(&locale)?;
            let status = Status::from_code(&status)
                .ok_or_else(|| StartError::Usage(format!("`{status}` is not draft or reviewed")))?;
            let text = std::fs::read_to_string(&file).map_err(|source| StartError::File {
                path: file.display().to_string(),
                source,
            })?;
            let bar = std::io::stderr().is_terminal();
            let report = db
                .write(move |c| {
                    files::import(
                        c,
                        locale,
                        &text,
                        status,
                        "passport translations import",
                        |done, total| {
                            if bar && (done % 25 == 0 || done == total) {
                                let filled = done * 30 / total.max(1);
                                eprint!(
                                    "\r[{}{}] {done}/{total}",
                                    "#".repeat(filled),
                                    " ".repeat(30 - filled)
                                );
                                if done == total {
                                    eprintln!();
                                }
                            }
                        },
                    )
                })
                .await?;
            for (line, id, why) in &report.refused {
                let why = match why {
                    ImportRefusal::Parse(detail) => detail.clone(),
                    ImportRefusal::Unknown => "no message of the app has this id".to_owned(),
                    ImportRefusal::Invalid(refusals) => format!("{refusals:?}"),
                };
                eprintln!("{}:{line}: {id}: {why}", file.display());
            }
            println!(
                "added {}, changed {}, unchanged {}, refused {}",
                report.added,
                report.changed,
                report.unchanged,
                report.refused.len()
            );
            if !report.refused.is_empty() {
                return Err(StartError::Usage(
                    "nothing was imported: fix the refused messages and import again".to_owned(),
                ));
            }
        }
        TranslationsCommand::Report { locale, .. } => {
            let locale = locale_of(&locale)?;
            print!("{}", review::report(&db, locale).await?);
        }
        TranslationsCommand::Sheet {
            locale, out, site, ..
        } => {
            let locale = locale_of(&locale)?;
            let sheet = review::sheet(&db, locale, site).await?;
            write_or_print(out, &sheet)?;
        }
        TranslationsCommand::Publish { .. } => {
            if db.read(crate::content::texts::from_central).await? {
                return Err(StartError::Usage(
                    "this database is a hub's: content is published at central, and the hub takes it at its next sync".to_owned(),
                ));
            }
            let published = db
                .write(|c| publish(c, "passport translations publish", None))
                .await?;
            match published.version {
                Some(version) => println!("published content version {version}"),
                None => println!("nothing to publish"),
            }
            if published.waiting > 0 {
                println!(
                    "{} guarded changes (phone numbers, web addresses, privacy and quick-exit texts) wait for a second person's approval in /staff/translations",
                    published.waiting
                );
            }
        }
    }
    Ok(())
}

async fn staff(command: StaffCommand) -> Result<(), StartError> {
    let db_path = match &command {
        StaffCommand::Add { db, .. }
        | StaffCommand::Passwd { db, .. }
        | StaffCommand::Disable { db, .. }
        | StaffCommand::Enable { db, .. }
        | StaffCommand::List { db } => db.db.clone(),
    };
    // Accounts need the schema, not the content: no seeding here.
    let db = crate::db::Db::open(&db_path)?;
    let done = match command {
        StaffCommand::Add { username, role, .. } => {
            let role = Role::from_code(&role).ok_or(AccountError::BadRole)?;
            accounts::check_username(&username)?;
            let password = new_password()?;
            let name = username.clone();
            let created = db
                .write(move |c| Ok(accounts::create(c, &name, role, &password)))
                .await??;
            if let Some(seed) = &created.recovery {
                crate::seal::command::print_recovery(seed);
            }
            let access = match (role.handles_requests(), created.access) {
                (false, _) => "",
                (true, true) => "; it opens help requests",
                (true, false) => NO_ACCESS_YET,
            };
            format!("added {username} ({}){access}", role.code())
        }
        StaffCommand::Passwd { username, .. } => {
            let password = new_password()?;
            let name = username.clone();
            let access = db
                .write(move |c| Ok(accounts::set_password(c, &name, &password)))
                .await??;
            let note = if access == Some(false) {
                NO_ACCESS_YET
            } else {
                ""
            };
            format!("set a new password for {username}{note}")
        }
        StaffCommand::Disable { username, .. } => {
            let name = username.clone();
            db.write(move |c| Ok(accounts::set_disabled(c, &name, true)))
                .await??;
            format!("disabled {username}")
        }
        StaffCommand::Enable { username, .. } => {
            let name = username.clone();
            db.write(move |c| Ok(accounts::set_disabled(c, &name, false)))
                .await??;
            format!("enabled {username}")
        }
        StaffCommand::List { .. } => {
            let accounts = db.read(accounts::list).await?;
            accounts
                .iter()
                .map(|a| {
                    let state = if a.disabled { "disabled" } else { "active" };
                    format!("{}\t{}\t{state}", a.username, a.role.code())
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    println!("{done}");
    Ok(())
}

/// What the command line says of a caseworker or admin that does not hold the key.
const NO_ACCESS_YET: &str = "; it cannot open help requests until an admin grants access \
     (staff pages, Access) or `passport keys recover NAME` is run with the recovery key";

/// A new password: typed twice without echo at a terminal, else one line of standard input.
fn new_password() -> Result<String, AccountError> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            return Err(AccountError::Mismatch);
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if password.is_empty() {
        return Err(AccountError::NoPassword);
    }
    accounts::check_password(&password)?;
    Ok(password)
}
