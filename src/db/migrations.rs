//! Versioned schema migrations, embedded in the binary and recorded in `PRAGMA user_version`.

use super::DbError;
use rusqlite::{Connection, Transaction};

/// One migration: SQL, or code for what SQL alone cannot do.
enum Migration {
    Sql(&'static str),
    Code(fn(&Transaction) -> rusqlite::Result<()>),
}

use Migration::{Code, Sql};

/// Each migration runs once, in order, in its own transaction. Never edit a shipped one:
/// add the next.
const MIGRATIONS: &[Migration] = &[
    Sql(include_str!("../../migrations/0001_app_info.sql")),
    Sql(include_str!("../../migrations/0002_content.sql")),
    Sql(include_str!("../../migrations/0003_help_requests.sql")),
    Sql(include_str!("../../migrations/0004_staff.sql")),
    Sql(include_str!("../../migrations/0005_translations.sql")),
    Sql(include_str!("../../migrations/0006_guide_audience.sql")),
    Sql(include_str!("../../migrations/0007_no_account_lock.sql")),
    Sql(include_str!("../../migrations/0008_request_body_hash.sql")),
    Sql(include_str!("../../migrations/0009_approvals.sql")),
    // 0010_sealed.sql, the plain rows sealed, then 0010_plain_dropped.sql.
    Code(crate::seal::upgrade::migrate),
    Sql(include_str!("../../migrations/0011_hubs.sql")),
    Sql(include_str!("../../migrations/0012_hub_names.sql")),
    Sql(include_str!("../../migrations/0013_safety_guides.sql")),
    Sql(include_str!("../../migrations/0014_glossary.sql")),
];

/// The version from which help requests are sealed: a database migrated past it is scrubbed
/// of the plain copies the migration overwrote.
const SEALED: i64 = 10;

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies the migrations the database lacks; returns how many ran.
pub fn migrate(conn: &mut Connection) -> Result<usize, DbError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > LATEST_VERSION {
        return Err(DbError::TooNew {
            found: current,
            known: LATEST_VERSION,
        });
    }
    let pending = &MIGRATIONS[usize::try_from(current).unwrap_or(0)..];
    for (offset, migration) in pending.iter().enumerate() {
        apply(conn, migration, current + 1 + offset as i64)?;
    }
    if current < SEALED && LATEST_VERSION >= SEALED && current > 0 {
        crate::seal::keys::scrub(conn)?;
    }
    Ok(pending.len())
}

/// Brings a new database to `version` exactly, as an older release left it: for the tests
/// that upgrade real old data.
#[cfg(test)]
pub fn migrate_to(conn: &mut Connection, version: usize) -> rusqlite::Result<()> {
    for (offset, migration) in MIGRATIONS[..version].iter().enumerate() {
        apply(conn, migration, offset as i64 + 1)?;
    }
    Ok(())
}

/// Runs one migration in its own transaction, which also records `version`.
fn apply(conn: &mut Connection, migration: &Migration, version: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    match migration {
        Sql(sql) => tx.execute_batch(sql)?,
        Code(run) => run(&tx)?,
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing_the_second_time() {
        let mut conn = Connection::open_in_memory().expect("opens");
        assert_eq!(migrate(&mut conn).expect("first run"), MIGRATIONS.len());
        assert_eq!(migrate(&mut conn).expect("second run"), 0);
    }

    #[test]
    fn a_database_from_a_newer_release_is_refused() {
        let mut conn = Connection::open_in_memory().expect("opens");
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .expect("sets version");
        assert!(matches!(migrate(&mut conn), Err(DbError::TooNew { .. })));
    }
}
