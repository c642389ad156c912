//! The help requests in SQLite, as the dashboard reads and changes them.

use super::{Change, Filters, URGENT_KINDS};
use crate::content::store::sign_text;
use crate::help::store::{Personal, open_personal};
use crate::i18n::Locale;
use crate::seal::keyring::{Locked, Reader};
use crate::seal::{Purpose, SealKey};
use crate::staff::audit;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

/// The longest list one page shows; the filters narrow it down.
const LIST_MAX: u32 = 200;

impl Filters {
    /// The `WHERE` clause over `help_request r`, and its parameters.
    pub fn sql(&self) -> (String, Vec<String>) {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut values = Vec::new();
        match self.status.as_str() {
            "any" => {}
            "open" => conditions.push("r.status <> 'closed'".to_owned()),
            status => {
                values.push(status.to_owned());
                conditions.push(format!("r.status = ?{}", values.len()));
            }
        }
        for (column, value) in [
            ("country", &self.country),
            ("kind", &self.kind),
            ("language", &self.language),
        ] {
            if !value.is_empty() {
                values.push(value.clone());
                conditions.push(format!("r.{column} = ?{}", values.len()));
            }
        }
        match self.age.as_str() {
            "" => {}
            "older" => conditions.push(
                "r.received_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')".to_owned(),
            ),
            days => conditions.push(format!(
                "r.received_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{days} days')"
            )),
        }
        (conditions.join(" AND "), values)
    }
}

/// A request as the list shows it: nothing that could identify or reach the person.
#[derive(Debug, Clone)]
pub struct Row {
    pub reference: String,
    pub received_at: String,
    pub kind: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub assigned: Option<String>,
    pub urgent: bool,
    /// The hub it came through, and the reference it was given there if central's differs.
    pub via: Option<String>,
}

/// The SQL of [`Row::via`], over `help_request r LEFT JOIN hub h ON h.id = r.hub_id`.
const VIA: &str = "CASE WHEN h.name IS NULL THEN NULL WHEN r.hub_reference IS NULL THEN h.name
     ELSE h.name || ' · ' || r.hub_reference END";

/// When a request is urgent, as SQL on `r`: not yet answered, and the person said they are in
/// danger now, or asked about something urgent of its own kind.
fn urgent() -> String {
    let kinds = URGENT_KINDS.map(|k| format!("'{k}'")).join(", ");
    format!("r.status = 'new' AND (r.urgent = 1 OR r.kind IN ({kinds}))")
}

/// The requests the filters match, urgent unanswered ones first, then newest first; and
/// how many match in all.
pub fn list(conn: &Connection, filters: &Filters) -> rusqlite::Result<(Vec<Row>, i64)> {
    let (clause, values) = filters.sql();
    let urgent = urgent();
    let total = count(conn, filters)?;
    let mut statement = conn.prepare(&format!(
        "SELECT r.reference, r.received_at, r.kind, r.country, r.language, r.status, s.username,
                {urgent} AS urgent, {VIA}
         FROM help_request r LEFT JOIN staff s ON s.id = r.assigned_to
             LEFT JOIN hub h ON h.id = r.hub_id
         WHERE {clause}
         ORDER BY urgent DESC, r.received_at DESC, r.id DESC
         LIMIT {LIST_MAX}"
    ))?;
    let rows = statement
        .query_map(params_from_iter(&values), |r| {
            Ok(Row {
                reference: r.get(0)?,
                received_at: r.get(1)?,
                kind: r.get(2)?,
                country: r.get(3)?,
                language: r.get(4)?,
                status: r.get(5)?,
                assigned: r.get(6)?,
                urgent: r.get(7)?,
                via: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}

/// How many requests the filters match.
pub fn count(conn: &Connection, filters: &Filters) -> rusqlite::Result<i64> {
    let (clause, values) = filters.sql();
    conn.query_row(
        &format!("SELECT count(*) FROM help_request r WHERE {clause}"),
        params_from_iter(&values),
        |r| r.get(0),
    )
}

/// Requests per week (Monday first) and country, for the last eight weeks, oldest first.
pub type Weekly = Vec<(String, Vec<(String, i64)>)>;

pub fn weekly(conn: &Connection) -> rusqlite::Result<Weekly> {
    let mut statement = conn.prepare(
        "WITH RECURSIVE weeks (start, n) AS (
             SELECT date('now', 'weekday 0', '-6 days'), 0
             UNION ALL SELECT date(start, '-7 days'), n + 1 FROM weeks WHERE n < 7
         )
         SELECT w.start, r.country, count(r.id)
         FROM weeks w LEFT JOIN help_request r
             ON date(r.received_at, 'weekday 0', '-6 days') = w.start
         GROUP BY w.start, r.country
         ORDER BY w.start",
    )?;
    let mut weeks: Weekly = Vec::new();
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (start, country, count) = row?;
        if weeks.last().is_none_or(|(s, _)| *s != start) {
            weeks.push((start, Vec::new()));
        }
        if let (Some(country), Some((_, counts))) = (country, weeks.last_mut()) {
            counts.push((country, count));
        }
    }
    Ok(weeks)
}

/// One request, whole.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: i64,
    pub row: Row,
    pub assigned_to: Option<i64>,
    pub channel: String,
    pub updated_at: Option<String>,
    /// What the person wrote, if this session could open it.
    pub personal: Result<Opened, Locked>,
}

/// A request's sealed fields, opened, as a page shows them.
#[derive(Debug, Clone, Default)]
pub struct Opened {
    pub place: String,
    pub contact: String,
    pub safe_time: String,
    pub name: String,
    pub message: String,
    /// The checklist signs the person chose to send, in the reader's language where known.
    pub ticked: Vec<String>,
}

impl From<Personal> for Opened {
    fn from(personal: Personal) -> Opened {
        Opened {
            place: marked(personal.place),
            contact: marked(personal.contact),
            safe_time: marked(personal.safe_time),
            name: marked(personal.name),
            message: marked(personal.message),
            ticked: personal.ticked,
        }
    }
}

pub struct Note {
    pub author: String,
    pub written_at: String,
    /// The note, if this session could open it.
    pub body: Result<String, Locked>,
}

/// Opens a request's blob with `reader`; a blob that does not open with the organisation's
/// key (it was tampered with, or sealed to another key) is logged and reads as locked.
pub fn open(reader: &Reader, id_hash: &str, blob: &[u8]) -> Result<Personal, Locked> {
    open_personal(reader.key()?, id_hash, blob).map_err(|error| {
        tracing::error!(%error, "a sealed help request did not open");
        Locked::Unopened
    })
}

pub fn find(
    conn: &Connection,
    reference: &str,
    locale: Locale,
    reader: &Reader,
) -> rusqlite::Result<Option<Request>> {
    let urgent = urgent();
    let found = conn
        .query_row(
            &format!(
                "SELECT r.id, r.reference, r.received_at, r.kind, r.country, r.language, r.status,
                    s.username, r.assigned_to, r.channel, r.updated_at, r.id_hash, r.sealed, {VIA},
                    {urgent}
                 FROM help_request r LEFT JOIN staff s ON s.id = r.assigned_to
                     LEFT JOIN hub h ON h.id = r.hub_id
                 WHERE r.reference = ?1"
            ),
            [reference],
            |r| {
                let request = Request {
                    id: r.get(0)?,
                    row: Row {
                        reference: r.get(1)?,
                        received_at: r.get(2)?,
                        kind: r.get(3)?,
                        country: r.get(4)?,
                        language: r.get(5)?,
                        status: r.get(6)?,
                        assigned: r.get(7)?,
                        urgent: r.get(14)?,
                        via: r.get(13)?,
                    },
                    assigned_to: r.get(8)?,
                    channel: r.get(9)?,
                    updated_at: r.get(10)?,
                    personal: Err(Locked::NoGrant),
                };
                Ok((request, r.get::<_, String>(11)?, r.get::<_, Vec<u8>>(12)?))
            },
        )
        .optional()?;
    let Some((mut request, id_hash, blob)) = found else {
        return Ok(None);
    };
    request.personal = open(reader, &id_hash, &blob).map(Opened::from);
    if let Ok(opened) = &mut request.personal {
        for sign in &mut opened.ticked {
            if let Some(text) = sign_text(conn, sign, locale)? {
                *sign = text;
            }
        }
    }
    Ok(Some(request))
}

/// `text` with each [hidden](crate::help::rules::is_hidden) character shown as its code
/// point, such as `[U+202E]`: a staff member sees what is there, and no text can reorder
/// the page around it. Requests are stored without them; a request stored before that, or a
/// note, may still hold some.
pub fn marked(text: String) -> String {
    if !text.chars().any(crate::help::rules::is_hidden) {
        return text;
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if crate::help::rules::is_hidden(c) {
            shown.push_str(&format!("[U+{:04X}]", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    shown
}

pub fn notes(conn: &Connection, request: i64, reader: &Reader) -> rusqlite::Result<Vec<Note>> {
    let mut statement = conn.prepare(
        "SELECT s.username, n.written_at, n.sealed, r.id_hash
         FROM help_note n JOIN staff s ON s.id = n.staff_id JOIN help_request r ON r.id = n.request_id
         WHERE n.request_id = ?1 ORDER BY n.id DESC",
    )?;
    statement
        .query_map([request], |r| {
            let blob: Vec<u8> = r.get(2)?;
            let id_hash: String = r.get(3)?;
            Ok(Note {
                author: r.get(0)?,
                written_at: r.get(1)?,
                body: open_note(reader, &id_hash, &blob),
            })
        })?
        .collect()
}

fn open_note(reader: &Reader, id_hash: &str, blob: &[u8]) -> Result<String, Locked> {
    let plain = reader
        .key()?
        .open(Purpose::Note, id_hash.as_bytes(), blob)
        .map_err(|_| Locked::Unopened)?;
    Ok(marked(String::from_utf8_lossy(&plain).into_owned()))
}

/// Who a request can be assigned to: enabled caseworkers and admins, as (id, username).
pub fn assignees(conn: &Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut statement = conn.prepare(
        "SELECT id, username FROM staff
         WHERE disabled = 0 AND role IN ('caseworker', 'admin') ORDER BY username",
    )?;
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Applies `change` to the request `reference` and writes it to the audit log. `Ok(false)`
/// when there is no such request, or no such assignee.
/// A note is sealed to `key`, bound to its request.
pub fn apply(
    conn: &mut Connection,
    staff: i64,
    reference: &str,
    change: &Change,
    key: &SealKey,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let Some((id, status, id_hash)): Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, status, id_hash FROM help_request WHERE reference = ?1",
            [reference],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
    else {
        return Ok(false);
    };
    let now = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
    match change {
        Change::Status(new) => {
            tx.execute(
                &format!(
                    "UPDATE help_request SET status = ?2, updated_at = {now},
                         closed_at = CASE WHEN ?2 = 'closed' THEN {now} END
                     WHERE id = ?1"
                ),
                params![id, new],
            )?;
            audit::record(
                &tx,
                Some(staff),
                "status-changed",
                reference,
                &format!("{status} → {new}"),
            )?;
        }
        Change::Assign(assignee) => {
            let name: Option<String> = match assignee {
                None => None,
                Some(assignee) => {
                    let found = tx
                        .query_row(
                            "SELECT username FROM staff WHERE id = ?1 AND disabled = 0
                             AND role IN ('caseworker', 'admin')",
                            [assignee],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if found.is_none() {
                        return Ok(false);
                    }
                    found
                }
            };
            tx.execute(
                &format!(
                    "UPDATE help_request SET assigned_to = ?2, updated_at = {now} WHERE id = ?1"
                ),
                params![id, assignee],
            )?;
            audit::record(
                &tx,
                Some(staff),
                "assigned",
                reference,
                name.as_deref().unwrap_or("-"),
            )?;
        }
        Change::Note(body) => {
            let sealed = key
                .seal(Purpose::Note, id_hash.as_bytes(), body.as_bytes())
                .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))?;
            tx.execute(
                &format!(
                    "INSERT INTO help_note (request_id, staff_id, sealed, written_at)
                     VALUES (?1, ?2, ?3, {now})"
                ),
                params![id, staff, sealed],
            )?;
            tx.execute(
                &format!("UPDATE help_request SET updated_at = {now} WHERE id = ?1"),
                [id],
            )?;
            audit::record(&tx, Some(staff), "note-added", reference, "")?;
        }
    }
    tx.commit()?;
    Ok(true)
}
