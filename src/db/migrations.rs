//! Versioned schema migrations, embedded in the binary and recorded in `PRAGMA user_version`.

use super::DbError;
use rusqlite::Connection;

/// Each migration runs once, in order, in its own transaction. Never edit a shipped one:
/// add the next.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_app_info.sql"),
    include_str!("../../migrations/0002_content.sql"),
    include_str!("../../migrations/0003_help_requests.sql"),
    include_str!("../../migrations/0004_staff.sql"),
    include_str!("../../migrations/0005_translations.sql"),
    include_str!("../../migrations/0006_guide_audience.sql"),
    include_str!("../../migrations/0007_no_account_lock.sql"),
    include_str!("../../migrations/0008_request_body_hash.sql"),
    include_str!("../../migrations/0009_approvals.sql"),
];

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
    for (offset, sql) in pending.iter().enumerate() {
        let version = current + 1 + offset as i64;
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(pending.len())
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
