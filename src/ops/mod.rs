//! Operating the app without losing anything (issue 21): backups while it runs, restore,
//! the scheduled backups of `serve --backups`, and the server's hold on its database file.

pub mod backup;
pub mod doctor;
pub mod health;

use crate::db::Db;
use std::fs::File;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The lock file beside a database: a running server holds it, so that a restore, or a
/// second server, cannot take the database from under it.
fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The database's lock, held until dropped. A database in memory has no file to lock.
pub struct Held {
    _file: Option<File>,
}

/// Takes the database's lock for as long as the returned value lives; `Ok(None)` when
/// another process holds it.
pub fn lock(db: &Path) -> io::Result<Option<Held>> {
    if db == Path::new(":memory:") {
        return Ok(Some(Held { _file: None }));
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(lock_path(db))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Held { _file: Some(file) })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(error)) => Err(error),
    }
}

/// Scheduled backups: where, how often, how many to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// Backs the database up into `schedule.dir` every `schedule.every`, the first one at once,
/// keeping the newest `schedule.keep`. A failure is logged and tried again next time.
pub fn spawn_backups(db: Db, schedule: Schedule) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(schedule.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let dest = backup::scheduled_name(&schedule.dir, SystemTime::now());
            let (dir, keep) = (schedule.dir.clone(), schedule.keep);
            let done = db
                .read(move |c| {
                    Ok(backup::backup(c, &dest).and_then(|written| {
                        backup::prune(&dir, keep)
                            .map(|pruned| (written, pruned))
                            .map_err(|e| backup::BackupError::File(dir.display().to_string(), e))
                    }))
                })
                .await;
            match done {
                Ok(Ok((written, pruned))) => tracing::info!(
                    file = %written.path.display(),
                    bytes = written.bytes,
                    requests = written.requests,
                    pruned = pruned.len(),
                    "backed up the database"
                ),
                Ok(Err(error)) => tracing::error!(%error, "the scheduled backup failed"),
                Err(error) => tracing::error!(%error, "the scheduled backup failed"),
            }
        }
    });
}
