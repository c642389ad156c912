//! `passport backup`, `passport restore` and `serve --backups`: the commands of issue 21.

use super::DbArgs;
use crate::error::StartError;
use crate::ops::{self, Schedule, backup};
use clap::Args;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// Scheduled backups while serving.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Back the database up into this folder while serving: at start, then every --every
    /// hours, keeping the newest --keep.
    #[arg(long, env = "PASSPORT_BACKUPS", value_name = "DIR")]
    pub backups: Option<PathBuf>,
    /// Hours between scheduled backups.
    #[arg(
        long,
        env = "PASSPORT_BACKUP_EVERY",
        default_value_t = 24,
        value_name = "HOURS",
        value_parser = clap::value_parser!(u32).range(1..=8760)
    )]
    pub every: u32,
    /// Scheduled backups to keep; older ones are deleted.
    #[arg(
        long,
        env = "PASSPORT_BACKUP_KEEP",
        default_value_t = 7,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=10_000)
    )]
    pub keep: u32,
}

impl BackupArgs {
    pub fn schedule(&self) -> Option<Schedule> {
        self.backups.as_ref().map(|dir| Schedule {
            dir: dir.clone(),
            every: Duration::from_secs(u64::from(self.every) * 3600),
            keep: self.keep as usize,
        })
    }
}

/// Alerts for new help requests, at central.
#[derive(Debug, Args)]
pub struct AlertArgs {
    /// Send alerts by email through this mail server: `smtp://user:password@host:587`
    /// (STARTTLS) or `smtps://…:465` (TLS); never in clear. Set it in the environment, not on
    /// the command line, where other users of the machine can read the password.
    /// It is checked when the server starts, so that no error message repeats it.
    #[arg(
        long,
        env = "PASSPORT_ALERT_SMTP",
        value_name = "URL",
        hide_env_values = true,
        requires = "alert_from"
    )]
    pub alert_smtp: Option<String>,
    /// The sender of alert emails (`Passport alerts <alerts@example.org>`).
    #[arg(
        long,
        env = "PASSPORT_ALERT_FROM",
        value_name = "ADDRESS",
        requires = "alert_smtp"
    )]
    pub alert_from: Option<lettre::message::Mailbox>,
    /// A CA certificate (PEM) to trust for the mail server, besides the system's.
    #[arg(
        long,
        env = "PASSPORT_ALERT_SMTP_CA",
        value_name = "FILE",
        requires = "alert_smtp"
    )]
    pub alert_smtp_ca: Option<PathBuf>,
    /// Also, or instead, post each alert as JSON to this URL (https://, or http:// to this
    /// machine only).
    #[arg(long, env = "PASSPORT_ALERT_WEBHOOK", value_name = "URL", hide_env_values = true, value_parser = crate::alerts::send::webhook_url)]
    pub alert_webhook: Option<reqwest::Url>,
    /// A secret shared with the webhook's receiver: each post is signed with it
    /// (`X-Passport-Signature`), so the receiver can tell central's alerts from anyone's.
    #[arg(
        long,
        env = "PASSPORT_ALERT_WEBHOOK_SECRET",
        value_name = "SECRET",
        hide_env_values = true,
        requires = "alert_webhook"
    )]
    pub alert_webhook_secret: Option<String>,
    /// The hour, UTC, of the daily digest of requests that are not urgent.
    #[arg(
        long,
        env = "PASSPORT_ALERT_DIGEST_HOUR",
        default_value_t = 1,
        value_name = "HOUR",
        value_parser = clap::value_parser!(u8).range(0..=23)
    )]
    pub alert_digest_hour: u8,
    /// The language of the alerts: en, vi or th.
    #[arg(long, env = "PASSPORT_ALERT_LANGUAGE", default_value = "en", value_parser = staff_locale)]
    pub alert_language: crate::i18n::Locale,
}

fn staff_locale(code: &str) -> Result<crate::i18n::Locale, String> {
    crate::i18n::Locale::from_code(code)
        .filter(|l| crate::i18n::STAFF_LOCALES.contains(l))
        .ok_or_else(|| "use en, vi or th".to_owned())
}

impl AlertArgs {
    /// The settings, if any channel is set; an error for a mail server URL that cannot be
    /// used, which never repeats the URL.
    pub fn settings(&self) -> Result<Option<crate::alerts::Settings>, StartError> {
        let email = match (&self.alert_smtp, &self.alert_from) {
            (Some(url), Some(from)) => Some(crate::alerts::send::Smtp {
                url: crate::alerts::send::smtp_url(url).map_err(StartError::Usage)?,
                from: from.clone(),
                ca: self.alert_smtp_ca.clone(),
            }),
            _ => None,
        };
        Ok(
            (email.is_some() || self.alert_webhook.is_some()).then(|| crate::alerts::Settings {
                email,
                webhook: self.alert_webhook.clone(),
                webhook_secret: self
                    .alert_webhook_secret
                    .clone()
                    .map(crate::alerts::send::Secret),
                digest_hour: self.alert_digest_hour,
                locale: self.alert_language,
            }),
        )
    }
}

fn failed(error: backup::BackupError) -> StartError {
    StartError::Usage(error.to_string())
}

/// `passport backup FILE`: a consistent copy, made while the server may be running.
pub async fn backup(file: PathBuf, db: DbArgs) -> Result<(), StartError> {
    let db = crate::state::open_database(&db.db).await?;
    let written = db
        .read(move |c| Ok(backup::backup(c, &file)))
        .await?
        .map_err(failed)?;
    println!(
        "backed up {} help requests into {} ({} KB); help requests stay sealed in it",
        written.requests,
        written.path.display(),
        written.bytes.div_ceil(1024)
    );
    Ok(())
}

/// `passport restore FILE`: checks the backup, then puts it in place of the database, which
/// is kept beside it. The server must be stopped.
pub async fn restore(file: PathBuf, db: DbArgs) -> Result<(), StartError> {
    let Some(_held) = ops::lock(&db.db).map_err(|source| StartError::File {
        path: db.db.display().to_string(),
        source,
    })?
    else {
        return Err(StartError::Usage(format!(
            "a server is running on {}: stop it first, then restore",
            db.db.display()
        )));
    };
    let target = db.db.clone();
    let restored =
        tokio::task::spawn_blocking(move || backup::restore(&file, &target, SystemTime::now()))
            .await
            .map_err(|e| StartError::Usage(e.to_string()))?
            .map_err(failed)?;
    println!(
        "restored {} help requests at schema version {} into {}",
        restored.checked.requests,
        restored.checked.version,
        db.db.display()
    );
    if let Some(kept) = &restored.kept {
        println!("the database it replaced is kept as {}", kept.display());
    }
    if restored.hub {
        println!("{}", crate::hub::identity::RESTORED);
    }
    Ok(())
}

/// `passport doctor`: the deployment's checks, with the options `serve` runs with (the same
/// `PASSPORT_*` variables apply). Exits non-zero when anything is wrong.
pub async fn doctor(args: &super::ServeArgs) -> Result<(), StartError> {
    use crate::ops::doctor::{Deployment, run};
    let deployment = Deployment {
        db: args.db.db.clone(),
        backups: args.backups.backups.clone(),
        backup_every_hours: args.backups.every,
        tls_cert: args.tls_cert.clone(),
        allow_staff_over_http: args.allow_staff_over_http,
    };
    if !deployment.db.is_file() {
        return Err(StartError::Usage(format!(
            "no database at {}: pass --db, as serve is run",
            deployment.db.display()
        )));
    }
    let findings = tokio::task::spawn_blocking(move || {
        let conn = rusqlite::Connection::open_with_flags(
            &deployment.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        Ok::<_, rusqlite::Error>(run(&deployment, &conn, SystemTime::now()))
    })
    .await
    .map_err(|e| StartError::Usage(e.to_string()))?
    .map_err(|e| StartError::Db(e.into()))?;
    let mut problems = 0;
    for finding in &findings {
        match &finding.fix {
            None => println!("ok       {}: {}", finding.check, finding.said),
            Some(fix) => {
                problems += 1;
                println!(
                    "PROBLEM  {}: {}\n         fix: {fix}",
                    finding.check, finding.said
                );
            }
        }
    }
    if problems > 0 {
        return Err(StartError::Usage(format!(
            "doctor found {problems} problems"
        )));
    }
    Ok(())
}
