//! Backups and restore (issue 21). A backup is SQLite's `VACUUM INTO`: one consistent
//! snapshot of the database as of one read transaction, written while the server goes on
//! serving and taking requests (WAL lets the writer continue). Help requests stay sealed in
//! it, as they are in the database. The file is the owner's alone from the moment it exists.
//!
//! A restore checks a file before it replaces anything: SQLite's integrity check, a schema
//! this release knows (never a newer one), and the organisation's key when the file holds
//! sealed requests. The database it replaces is kept beside it, renamed, never deleted.

use crate::db::{LATEST_VERSION, migrate};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::fs;
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}: {1}")]
    File(String, io::Error),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0} exists already: choose a new name, a backup never overwrites a file")]
    Exists(String),
    #[error("{0} is not a readable SQLite database")]
    NotDatabase(String),
    #[error("{0} fails SQLite's integrity check: {1}")]
    Damaged(String, String),
    #[error("{0} is not a passport database (no schema version)")]
    NotPassport(String),
    #[error(
        "{file} is from a newer release (schema version {found}; this passport knows {known}): restore it with that release or a newer one"
    )]
    TooNew {
        file: String,
        found: i64,
        known: i64,
    },
    #[error(
        "{0} holds sealed help requests but not the organisation's key: restoring it would leave them unreadable"
    )]
    NoKey(String),
    #[error("the database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub requests: i64,
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Writes a consistent copy of the database `conn` reads into `dest`, which must not exist,
/// with mode 0600, checks it and syncs it to disk.
pub fn backup(conn: &Connection, dest: &Path) -> Result<Written, BackupError> {
    let created = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dest);
    match created {
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(BackupError::Exists(shown(dest)));
        }
        Err(error) => return Err(BackupError::File(shown(dest), error)),
    }
    let copied = conn.execute("VACUUM INTO ?1", [dest.to_string_lossy()]);
    if let Err(error) = copied {
        let _ = fs::remove_file(dest);
        return Err(error.into());
    }
    // SQLite may have made the file anew: the owner's alone, whatever it did.
    fs::set_permissions(dest, fs::Permissions::from_mode(0o600))
        .map_err(|e| BackupError::File(shown(dest), e))?;
    let checked = check(dest)?;
    fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::File(shown(dest), e))?;
    let bytes = fs::metadata(dest)
        .map_err(|e| BackupError::File(shown(dest), e))?
        .len();
    Ok(Written {
        path: dest.to_owned(),
        bytes,
        requests: checked.requests,
    })
}

/// What the checks found in a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub version: i64,
    pub requests: i64,
}

/// Checks a backup file, read-only: SQLite's integrity check, a passport schema no newer
/// than this release, and the organisation's key if it holds sealed requests.
pub fn check(file: &Path) -> Result<Checked, BackupError> {
    if !file.is_file() {
        return Err(BackupError::NotDatabase(shown(file)));
    }
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| BackupError::NotDatabase(shown(file)))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| BackupError::NotDatabase(shown(file)))?;
    if integrity != "ok" {
        return Err(BackupError::Damaged(shown(file), integrity));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > LATEST_VERSION {
        return Err(BackupError::TooNew {
            file: shown(file),
            found: version,
            known: LATEST_VERSION,
        });
    }
    let has = |table: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )
    };
    if version == 0 || !has("app_info")? {
        return Err(BackupError::NotPassport(shown(file)));
    }
    let requests: i64 = if has("help_request")? {
        conn.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0))?
    } else {
        0
    };
    // Sealed requests need the key they were sealed to; a release before sealing kept them
    // readable and needs none.
    if requests > 0 && has("org_key")? {
        let key: Option<i64> = conn
            .query_row("SELECT id FROM org_key WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        if key.is_none() {
            return Err(BackupError::NoKey(shown(file)));
        }
    }
    Ok(Checked { version, requests })
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub checked: Checked,
    /// Where the database it replaced now is, if there was one.
    pub kept: Option<PathBuf>,
    /// The database was a hub's: it must be paired again.
    pub hub: bool,
}

/// Replaces the database at `db` with the backup `file`, after checking it, and brings it
/// up to this release's schema. The server must be stopped: a running one holds `db`
/// ([`crate::ops::lock`]). The replaced database is renamed `<db>.before-restore-<time>`.
pub fn restore(file: &Path, db: &Path, now: SystemTime) -> Result<Restored, BackupError> {
    let checked = check(file)?;
    let staging = sibling(db, ".restoring");
    let _ = fs::remove_file(&staging);
    {
        let source = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        backup(&source, &staging)?;
    }
    let hub = {
        let mut conn = Connection::open(&staging)?;
        migrate(&mut conn)?;
        let hub = crate::hub::identity::is_hub(&conn)?;
        if hub {
            crate::hub::identity::restored(&conn)?;
        }
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        hub
    };
    let stamp = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let kept = if db.exists() {
        let kept = sibling(db, &format!(".before-restore-{stamp}"));
        fs::rename(db, &kept).map_err(|e| BackupError::File(shown(db), e))?;
        for suffix in ["-wal", "-shm"] {
            let from = sibling(db, suffix);
            if from.exists() {
                let to = sibling(&kept, suffix);
                fs::rename(&from, &to).map_err(|e| BackupError::File(shown(&from), e))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    fs::rename(&staging, db).map_err(|e| BackupError::File(shown(db), e))?;
    Ok(Restored { checked, kept, hub })
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The file a scheduled backup at `now` writes in `dir`: `passport-<UTC time>.db`, which
/// sorts by time.
pub fn scheduled_name(dir: &Path, now: SystemTime) -> PathBuf {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    dir.join(format!("passport-{}.db", utc_stamp(secs)))
}

/// `2026-12-07T153012Z` for a time in seconds since 1970: sorts as it reads, and is a valid
/// file name everywhere.
fn utc_stamp(secs: u64) -> String {
    let (day, time) = (secs / 86_400, secs % 86_400);
    format!(
        "{}T{:02}{:02}{:02}Z",
        crate::staff::export::civil_date(day),
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// The scheduled backups in `dir`, oldest first.
pub fn scheduled(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("passport-") && n.ends_with(".db"))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Deletes the oldest scheduled backups in `dir` beyond the newest `keep`; returns them.
pub fn prune(dir: &Path, keep: usize) -> io::Result<Vec<PathBuf>> {
    let found = scheduled(dir)?;
    let extra = found.len().saturating_sub(keep);
    let old: Vec<PathBuf> = found.into_iter().take(extra).collect();
    for path in &old {
        fs::remove_file(path)?;
    }
    Ok(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("passport-ops-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("dir");
        dir
    }

    fn database(path: &Path) -> Connection {
        let mut conn = Connection::open(path).expect("opens");
        migrate(&mut conn).expect("migrated");
        conn
    }

    #[test]
    fn a_backup_is_private_checked_and_never_overwrites() {
        let dir = dir("backup");
        let conn = database(&dir.join("live.db"));
        let dest = dir.join("copy.db");
        let written = backup(&conn, &dest).expect("backed up");
        assert_eq!(written.requests, 0);
        let mode = fs::metadata(&dest).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(check(&dest).expect("checks").version, LATEST_VERSION);
        assert!(matches!(backup(&conn, &dest), Err(BackupError::Exists(_))));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_from_a_newer_release_or_not_a_database_is_refused() {
        let dir = dir("check");
        let newer = dir.join("newer.db");
        let conn = database(&newer);
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .expect("as a newer release leaves it");
        drop(conn);
        assert!(matches!(check(&newer), Err(BackupError::TooNew { .. })));
        fs::write(
            dir.join("text.db"),
            b"not a database at all, just some text",
        )
        .expect("file");
        assert!(matches!(
            check(&dir.join("text.db")),
            Err(BackupError::NotDatabase(_))
        ));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_with_sealed_requests_but_no_key_is_refused_and_nothing_replaced() {
        let dir = dir("keyless");
        let live = dir.join("live.db");
        drop(database(&live));
        let keyless = dir.join("keyless.db");
        let old = crate::db::migrations::upgrade::fixture(LATEST_VERSION - 1);
        let conn = Connection::open(&keyless).expect("opens");
        conn.execute_batch(&fs::read_to_string(old).expect("fixture"))
            .expect("loaded");
        migrate(&mut Connection::open(&keyless).expect("opens")).expect("migrated");
        conn.execute("DELETE FROM org_key", [])
            .expect("the key gone");
        drop(conn);
        let refused = restore(&keyless, &live, SystemTime::now());
        assert!(matches!(refused, Err(BackupError::NoKey(_))), "{refused:?}");
        assert_eq!(
            fs::read_dir(&dir).expect("dir").count(),
            2,
            "nothing kept or replaced"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn scheduled_backups_are_named_by_time_and_only_the_newest_are_kept() {
        assert_eq!(utc_stamp(0), "1970-01-01T000000Z");
        assert_eq!(utc_stamp(1_796_657_412), "2026-12-07T153012Z");
        let dir = dir("prune");
        for day in 1..=5u64 {
            let name = scheduled_name(
                &dir,
                SystemTime::UNIX_EPOCH + Duration::from_secs(day * 86_400),
            );
            fs::write(name, b"").expect("file");
        }
        fs::write(dir.join("notes.txt"), b"kept").expect("other file");
        let pruned = prune(&dir, 2).expect("pruned");
        assert_eq!(pruned.len(), 3);
        let left: Vec<String> = scheduled(&dir)
            .expect("listed")
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
            .collect();
        assert_eq!(
            left,
            [
                "passport-1970-01-05T000000Z.db",
                "passport-1970-01-06T000000Z.db"
            ]
        );
        assert!(
            dir.join("notes.txt").exists(),
            "only scheduled backups are pruned"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
