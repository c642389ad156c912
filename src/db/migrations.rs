//! Versioned schema migrations, embedded in the binary and recorded in `PRAGMA user_version`.

use super::DbError;
use rusqlite::{Connection, Transaction};

/// One migration: SQL, or code for what SQL alone cannot do.
enum Migration {
    Sql(&'static str),
    Code(fn(&Transaction) -> rusqlite::Result<()>),
    /// SQL that rebuilds a table other tables refer to: run with foreign keys off, so that
    /// dropping the old table cascades nowhere, and refused if any reference is left broken.
    Rebuild(&'static str),
}

use Migration::{Code, Rebuild, Sql};

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
    Rebuild(include_str!("../../migrations/0015_staff_thai.sql")),
    Sql(include_str!("../../migrations/0016_guide_facts.sql")),
    Sql(include_str!("../../migrations/0017_recordings.sql")),
    Sql(include_str!("../../migrations/0018_alerts.sql")),
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
    if let Rebuild(sql) = migration {
        // The pragma has no effect inside a transaction: it is set around it.
        let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
        conn.pragma_update(None, "foreign_keys", false)?;
        let rebuilt = rebuild(conn, sql, version);
        conn.pragma_update(None, "foreign_keys", enforced)?;
        return rebuilt;
    }
    let tx = conn.transaction()?;
    match migration {
        Sql(sql) | Rebuild(sql) => tx.execute_batch(sql)?,
        Code(run) => run(&tx)?,
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()
}

fn rebuild(conn: &mut Connection, sql: &str, version: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(sql)?;
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!(
                "migration {version} would leave {broken} broken references"
            )),
        ));
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()
}

#[cfg(test)]
pub mod upgrade;

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
    fn rebuilding_the_staff_table_keeps_every_grant_session_and_audit_entry() {
        let mut conn = Connection::open_in_memory().expect("opens");
        conn.pragma_update(None, "foreign_keys", true).expect("on");
        migrate_to(&mut conn, 14).expect("migrated to 14");
        conn.execute_batch(
            "INSERT INTO staff (id, username, role, password_hash, locale, created_at)
                 VALUES (1, 'lan', 'admin', 'x', 'vi', '2026-01-01');
             INSERT INTO staff_session (token_hash, staff_id, csrf, created_at, seen_at)
                 VALUES ('h', 1, 'c', '2026-01-01', '2026-01-01');",
        )
        .expect("rows");
        let before = |conn: &Connection| -> (i64, i64) {
            (
                conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))
                    .expect("staff"),
                conn.query_row("SELECT count(*) FROM staff_session", [], |r| r.get(0))
                    .expect("sessions"),
            )
        };
        let counted = before(&conn);
        migrate(&mut conn).expect("migrated");
        assert_eq!(before(&conn), counted, "no row cascaded away");
        conn.execute("UPDATE staff SET locale = 'th' WHERE id = 1", [])
            .expect("Thai is a staff language now");
        let enforced: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("pragma");
        assert!(enforced, "foreign keys are on again");
    }

    #[test]
    fn a_database_from_a_newer_release_is_refused() {
        let mut conn = Connection::open_in_memory().expect("opens");
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .expect("sets version");
        assert!(matches!(migrate(&mut conn), Err(DbError::TooNew { .. })));
    }
}
