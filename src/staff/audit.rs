//! The audit log: who viewed and changed what, and when. Entries name a request by its
//! reference and an account by its username; they never hold what a person wrote, so the
//! log may outlive the requests it speaks of.

use rusqlite::{Connection, params};

/// One line of the log, as the staff pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: String,
    /// The username, or `None` for the command line and the server itself.
    pub who: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Adds a line; `staff` is `None` for the command line and background tasks.
pub fn record(
    conn: &Connection,
    staff: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, staff_id, action, subject, detail)
         VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4)",
        params![staff, action, subject, detail],
    )?;
    Ok(())
}

/// The newest `limit` lines, optionally only those about `subject`.
pub fn recent(
    conn: &Connection,
    subject: Option<&str>,
    limit: u32,
) -> rusqlite::Result<Vec<Entry>> {
    let mut statement = conn.prepare(
        "SELECT a.at, s.username, a.action, a.subject, a.detail
         FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
         WHERE ?1 IS NULL OR a.subject = ?1
         ORDER BY a.id DESC LIMIT ?2",
    )?;
    statement
        .query_map(params![subject, limit], |r| {
            Ok(Entry {
                at: r.get(0)?,
                who: r.get(1)?,
                action: r.get(2)?,
                subject: r.get(3)?,
                detail: r.get(4)?,
            })
        })?
        .collect()
}

/// Failed sign-ins of the last day, and the names that were slowed for some network in it:
/// what the admins' first page warns of.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SignInTrouble {
    pub failures: u32,
    pub slowed: Vec<String>,
}

pub fn sign_in_trouble(conn: &Connection) -> rusqlite::Result<SignInTrouble> {
    let since = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')";
    let failures = conn.query_row(
        &format!(
            "SELECT count(*) FROM audit_log
             WHERE action IN ('sign-in-failed', 'sign-in-throttled') AND at >= {since}"
        ),
        [],
        |r| r.get(0),
    )?;
    let mut statement = conn.prepare(&format!(
        "SELECT DISTINCT subject FROM audit_log
         WHERE action = 'sign-in-throttled' AND at >= {since} ORDER BY subject LIMIT 20"
    ))?;
    let slowed = statement
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(SignInTrouble { failures, slowed })
}
