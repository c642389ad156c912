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
