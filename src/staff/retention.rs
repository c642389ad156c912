//! Data protection: closed help requests, with their notes, are deleted once the retention
//! period has passed since they were closed. A background task runs the purge at start and
//! every hour; each purge that removed anything leaves only its counts behind.

use super::session;
use crate::db::Db;
use rusqlite::{Connection, params};
use std::time::Duration;

pub const DEFAULT_DAYS: u32 = 180;
const EVERY: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub requests: usize,
    pub notes: usize,
}

/// A purge as the audit page lists it.
pub struct Record {
    pub at: String,
    pub retention_days: u32,
    pub requests: i64,
    pub notes: i64,
}

/// Deletes the requests closed more than `days` days ago, and expired staff sessions.
pub fn purge(conn: &mut Connection, days: u32) -> rusqlite::Result<Purged> {
    let tx = conn.transaction()?;
    let due = format!(
        "status = 'closed' AND closed_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{days} days')"
    );
    let notes = tx.execute(
        &format!(
            "DELETE FROM help_note WHERE request_id IN (SELECT id FROM help_request WHERE {due})"
        ),
        [],
    )?;
    let requests = tx.execute(&format!("DELETE FROM help_request WHERE {due}"), [])?;
    if requests > 0 {
        tx.execute(
            "INSERT INTO purge_log (at, retention_days, requests, notes)
             VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3)",
            params![days, requests as i64, notes as i64],
        )?;
    }
    session::purge_expired(&tx)?;
    tx.commit()?;
    Ok(Purged { requests, notes })
}

pub fn history(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<Record>> {
    let mut statement = conn.prepare(
        "SELECT at, retention_days, requests, notes FROM purge_log ORDER BY id DESC LIMIT ?1",
    )?;
    statement
        .query_map([limit], |r| {
            Ok(Record {
                at: r.get(0)?,
                retention_days: r.get(1)?,
                requests: r.get(2)?,
                notes: r.get(3)?,
            })
        })?
        .collect()
}

/// Runs the purge now and then every hour, for as long as the server runs.
pub fn spawn(db: Db, days: u32) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            match db.write(move |c| purge(c, days)).await {
                Ok(purged) => tracing::info!(
                    requests = purged.requests,
                    notes = purged.notes,
                    retention_days = days,
                    "retention purge"
                ),
                Err(error) => tracing::error!(%error, "retention purge failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn.execute(
            "INSERT INTO staff (username, role, password_hash, created_at) VALUES ('an', 'caseworker', 'x', 'now')",
            [],
        )
        .expect("staff");
        conn
    }

    fn request(conn: &Connection, reference: &str, status: &str, closed_days_ago: Option<u32>) {
        conn.execute(
            "INSERT INTO help_request (client_id, reference, kind, country, channel, contact,
                 language, status, received_at, closed_at)
             VALUES (?1, ?1, 'other', 'th', 'phone', '0812345678', 'th', ?2, '2020-01-01T00:00:00Z',
                 CASE WHEN ?3 IS NOT NULL
                     THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?3 || ' days') END)",
            params![reference, status, closed_days_ago],
        )
        .expect("request");
        conn.execute(
            "INSERT INTO help_note (request_id, staff_id, body, written_at)
             SELECT id, 1, 'called back', 'now' FROM help_request WHERE reference = ?1",
            [reference],
        )
        .expect("note");
    }

    fn references(conn: &Connection) -> Vec<String> {
        let mut statement = conn
            .prepare("SELECT reference FROM help_request ORDER BY reference")
            .expect("query");
        statement
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("references")
    }

    #[test]
    fn only_requests_closed_longer_ago_than_the_period_go_with_their_notes() {
        let mut conn = database();
        request(&conn, "OLD-CLOSED", "closed", Some(181));
        request(&conn, "NEW-CLOSED", "closed", Some(179));
        request(&conn, "OLD-OPEN", "in-progress", None);
        request(&conn, "REOPENED", "contacted", Some(400));
        let purged = purge(&mut conn, 180).expect("purged");
        assert_eq!(
            purged,
            Purged {
                requests: 1,
                notes: 1
            }
        );
        assert_eq!(references(&conn), ["NEW-CLOSED", "OLD-OPEN", "REOPENED"]);
        let notes: i64 = conn
            .query_row("SELECT count(*) FROM help_note", [], |r| r.get(0))
            .expect("count");
        assert_eq!(notes, 3);

        let log = history(&conn, 5).expect("history");
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].retention_days, log[0].requests, log[0].notes),
            (180, 1, 1)
        );

        assert_eq!(
            purge(&mut conn, 180).expect("again"),
            Purged {
                requests: 0,
                notes: 0
            }
        );
        assert_eq!(
            history(&conn, 5).expect("history").len(),
            1,
            "an empty purge adds no line"
        );
        assert_eq!(purge(&mut conn, 30).expect("shorter").requests, 1);
    }
}
