//! Data protection: closed help requests, with their notes, are deleted once the retention
//! period has passed since they were closed, and requests never closed once a longer period
//! has passed since they arrived. A background task runs the purge at start and every hour;
//! each purge that removed anything leaves only its counts behind, and empties the WAL so the
//! deleted rows do not linger in it (`secure_delete` already zeroes them in the database).

use super::session;
use crate::db::Db;
use rusqlite::{Connection, params};
use std::time::Duration;

/// How long requests are kept, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// After closing.
    pub closed: u32,
    /// After arriving, for a request never closed.
    pub open: u32,
}

impl Default for Periods {
    fn default() -> Periods {
        Periods {
            closed: DEFAULT_DAYS,
            open: DEFAULT_OPEN_DAYS,
        }
    }
}

pub const DEFAULT_DAYS: u32 = 180;
pub const DEFAULT_OPEN_DAYS: u32 = 365;
const EVERY: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Requests deleted, closed or not.
    pub requests: usize,
    /// Of those, the ones never closed.
    pub open: usize,
    pub notes: usize,
}

/// A purge as the audit page lists it.
pub struct Record {
    pub at: String,
    pub retention_days: u32,
    /// `None` for a purge from before open requests were purged.
    pub open_days: Option<u32>,
    pub requests: i64,
    pub open_requests: i64,
    pub notes: i64,
}

/// Deletes the requests closed more than `periods.closed` days ago, those never closed that
/// arrived more than `periods.open` days ago, and expired staff sessions.
pub fn purge(conn: &mut Connection, periods: Periods) -> rusqlite::Result<Purged> {
    let tx = conn.transaction()?;
    let Periods { closed, open } = periods;
    // A hub only holds requests until central has them: it never purges one (`crate::hub`).
    let central = "NOT EXISTS (SELECT 1 FROM hub_self)";
    let closed_due = format!(
        "status = 'closed' AND closed_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{closed} days')
         AND {central}"
    );
    let open_due = format!(
        "status <> 'closed' AND received_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{open} days')
         AND {central}"
    );
    let due = format!("({closed_due}) OR ({open_due})");
    let notes = tx.execute(
        &format!(
            "DELETE FROM help_note WHERE request_id IN (SELECT id FROM help_request WHERE {due})"
        ),
        [],
    )?;
    let open_requests = tx.execute(&format!("DELETE FROM help_request WHERE {open_due}"), [])?;
    let requests =
        open_requests + tx.execute(&format!("DELETE FROM help_request WHERE {closed_due}"), [])?;
    if requests > 0 {
        tx.execute(
            "INSERT INTO purge_log (at, retention_days, open_days, requests, open_requests, notes)
             VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5)",
            params![
                closed,
                open,
                requests as i64,
                open_requests as i64,
                notes as i64
            ],
        )?;
    }
    session::purge_expired(&tx)?;
    tx.commit()?;
    if requests > 0 {
        // The deleted rows' pages are still in the WAL until it is checkpointed and cut.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(Purged {
        requests,
        open: open_requests,
        notes,
    })
}

pub fn history(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<Record>> {
    let mut statement = conn.prepare(
        "SELECT at, retention_days, open_days, requests, open_requests, notes
         FROM purge_log ORDER BY id DESC LIMIT ?1",
    )?;
    statement
        .query_map([limit], |r| {
            Ok(Record {
                at: r.get(0)?,
                retention_days: r.get(1)?,
                open_days: r.get(2)?,
                requests: r.get(3)?,
                open_requests: r.get(4)?,
                notes: r.get(5)?,
            })
        })?
        .collect()
}

/// Runs the purge now and then every hour, for as long as the server runs.
pub fn spawn(db: Db, periods: Periods) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            match db.write(move |c| purge(c, periods)).await {
                Ok(purged) => tracing::info!(
                    requests = purged.requests,
                    open = purged.open,
                    notes = purged.notes,
                    retention_days = periods.closed,
                    open_days = periods.open,
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

    /// A request that arrived `days_ago` days ago, with one note, closed `closed_days_ago`.
    fn request(
        conn: &Connection,
        reference: &str,
        status: &str,
        days_ago: u32,
        closed_days_ago: Option<u32>,
    ) {
        conn.execute(
            "INSERT INTO help_request (id_hash, reference, kind, country, channel, sealed,
                 language, status, received_at, closed_at)
             VALUES (?1, ?1, 'other', 'th', 'phone', x'01', 'th', ?2,
                 strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?3 || ' days'),
                 CASE WHEN ?4 IS NOT NULL
                     THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?4 || ' days') END)",
            params![reference, status, days_ago, closed_days_ago],
        )
        .expect("request");
        conn.execute(
            "INSERT INTO help_note (request_id, staff_id, sealed, written_at)
             SELECT id, 1, x'01', 'now' FROM help_request WHERE reference = ?1",
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

    fn periods(closed: u32, open: u32) -> Periods {
        Periods { closed, open }
    }

    #[test]
    fn only_requests_closed_longer_ago_than_the_period_go_with_their_notes() {
        let mut conn = database();
        request(&conn, "OLD-CLOSED", "closed", 400, Some(181));
        request(&conn, "NEW-CLOSED", "closed", 400, Some(179));
        request(&conn, "OLD-OPEN", "in-progress", 300, None);
        request(&conn, "REOPENED", "contacted", 300, Some(250));
        let purged = purge(&mut conn, periods(180, 365)).expect("purged");
        assert_eq!(
            purged,
            Purged {
                requests: 1,
                open: 0,
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
            (
                log[0].retention_days,
                log[0].open_days,
                log[0].requests,
                log[0].notes
            ),
            (180, Some(365), 1, 1)
        );

        assert_eq!(
            purge(&mut conn, periods(180, 365)).expect("again"),
            Purged {
                requests: 0,
                open: 0,
                notes: 0
            }
        );
        assert_eq!(
            history(&conn, 5).expect("history").len(),
            1,
            "an empty purge adds no line"
        );
        assert_eq!(
            purge(&mut conn, periods(30, 365))
                .expect("shorter")
                .requests,
            1
        );
    }

    #[test]
    fn requests_never_closed_go_after_the_longer_period_counted_from_arrival() {
        let mut conn = database();
        request(&conn, "OPEN-366", "new", 366, None);
        request(&conn, "OPEN-364", "in-progress", 364, None);
        request(&conn, "REOPENED-400", "contacted", 400, Some(10));
        request(&conn, "CLOSED-10", "closed", 400, Some(10));
        let purged = purge(&mut conn, periods(180, 365)).expect("purged");
        assert_eq!(
            purged,
            Purged {
                requests: 2,
                open: 2,
                notes: 2
            }
        );
        assert_eq!(references(&conn), ["CLOSED-10", "OPEN-364"]);
        let log = history(&conn, 5).expect("history");
        assert_eq!((log[0].requests, log[0].open_requests), (2, 2));
    }

    #[test]
    fn a_hub_never_purges_a_request_it_holds_for_central() {
        let mut conn = database();
        request(&conn, "OPEN-400", "new", 400, None);
        conn.execute(
            "INSERT INTO hub_self (id, name, upstream, placement, export_seed, bundle_key,
                 transfer_key, paired_at)
             VALUES (1, 'hall', 'https://c', 'p', zeroblob(32), zeroblob(32), zeroblob(32), 'now')",
            [],
        )
        .expect("a hub");
        let purged = purge(&mut conn, periods(180, 365)).expect("purged");
        assert_eq!(purged.requests, 0);
        assert_eq!(references(&conn), ["OPEN-400"]);
    }

    #[test]
    fn a_purge_zeroes_the_deleted_rows_and_empties_the_wal() {
        let dir = std::env::temp_dir().join(format!("passport-purge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("purge.db");
        let db = crate::db::Db::open(&path).expect("opens");
        let secret = "a-name-no-one-may-read-again";
        let wal = dir.join("purge.db-wal");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            db.write(move |c| {
                c.execute(
                    "INSERT INTO help_request (id_hash, reference, kind, country, channel,
                         sealed, language, status, received_at, closed_at)
                     VALUES ('x', 'GONE', 'other', 'th', 'phone', CAST(?1 AS BLOB), 'th',
                         'closed', '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z')",
                    [secret],
                )?;
                c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
                purge(c, periods(180, 365))
            })
            .await
            .expect("purged");
        });
        assert_eq!(
            std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0),
            0,
            "the WAL is cut"
        );
        let bytes = std::fs::read(&path).expect("database file");
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the deleted blob is zeroed in the file"
        );
        drop(db);
        let _ = std::fs::remove_dir_all(dir);
    }
}
