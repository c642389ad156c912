//! The SQLite database: one file in WAL mode, versioned migrations, and the one way the app
//! reaches it. Every query runs on tokio's blocking pool, never on the async executor: writes
//! through the single writer connection, reads through a small pool of reader connections,
//! which WAL lets run beside the writer.

pub(crate) mod migrations;
mod private;

pub use migrations::{LATEST_VERSION, migrate};

use rusqlite::{Connection, OpenFlags};
use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

/// Reader connections kept open between requests; more are opened under load and dropped after.
const IDLE_READERS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database is at schema version {found}, newer than this program knows ({known}); use a newer passport"
    )]
    TooNew { found: i64, known: i64 },
    #[error("the database file's permissions: {0}")]
    Io(#[from] std::io::Error),
    #[error("the database task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// SQL run on each reader as it opens: the preview's views of unpublished changes.
    setup: Option<&'static str>,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        private::prepare(path)?;
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        let applied = migrate(&mut writer)?;
        if applied > 0 {
            tracing::info!(applied, version = LATEST_VERSION, path = %path.display(), "migrated the database");
        }
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                setup: None,
            }),
        })
    }

    /// The same database read through connections that first run `setup`, which may only
    /// create TEMP objects: they shadow the tables of the same name for this handle alone.
    /// Its writer is read-only too: nothing done through it changes the database.
    pub fn read_only_with(&self, setup: &'static str) -> Result<Db, DbError> {
        let path = &self.inner.path;
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.clone(),
                writer: Mutex::new(open_reader(path, Some(setup))?),
                readers: Mutex::new(Vec::new()),
                setup: Some(setup),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `query` on a reader connection.
    pub async fn read<T, F>(&self, query: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let conn = match lock(&inner.readers).pop() {
                Some(conn) => conn,
                None => open_reader(&inner.path, inner.setup)?,
            };
            let result = query(&conn);
            let mut idle = lock(&inner.readers);
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
            Ok(result?)
        })
        .await?
    }

    /// Runs `change` on the one writer connection; wrap several statements in a transaction.
    pub async fn write<T, F>(&self, change: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || Ok(change(&mut lock(&inner.writer))?)).await?
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows are overwritten with zeros, not left in free pages for whoever takes the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // FULL: a help request that was acknowledged must survive a crash or power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn open_reader(path: &Path, setup: Option<&str>) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if let Some(sql) = setup {
        conn.execute_batch(sql)?;
    }
    Ok(conn)
}

/// A poisoned lock only means another query panicked; the connection itself is still sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db() -> (Db, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "passport-db-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("test.db");
        let _ = std::fs::remove_file(&path);
        (Db::open(&path).expect("opens"), dir)
    }

    #[tokio::test]
    async fn a_new_database_is_migrated_in_wal_mode_with_foreign_keys() {
        let (db, dir) = temp_db();
        let (mode, version, fk) = db
            .read(|c| {
                Ok((
                    c.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0))?,
                    c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?,
                    c.pragma_query_value(None, "foreign_keys", |r| r.get::<_, i64>(0))?,
                ))
            })
            .await
            .expect("reads");
        assert_eq!(mode, "wal");
        assert_eq!(version, LATEST_VERSION);
        assert_eq!(fk, 1);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn writes_are_visible_to_readers() {
        let (db, dir) = temp_db();
        db.write(|c| {
            c.execute(
                "INSERT INTO app_info (key, value) VALUES ('probe', 'seen')",
                [],
            )
        })
        .await
        .expect("writes");
        let seen: String = db
            .read(|c| {
                c.query_row("SELECT value FROM app_info WHERE key = 'probe'", [], |r| {
                    r.get(0)
                })
            })
            .await
            .expect("reads");
        assert_eq!(seen, "seen");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn readers_cannot_write() {
        let (db, dir) = temp_db();
        let refused = db.read(|c| c.execute("DELETE FROM app_info", [])).await;
        assert!(refused.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
