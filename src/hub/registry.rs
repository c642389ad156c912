//! Central's register of its hubs: adding one gives a one-time pairing code; pairing trades
//! the code for a credential; revoking refuses the hub from then on. Central keeps digests
//! only (of the code and of the credential) and the public key of the hub's export files.

use super::pairing_code;
use crate::staff::audit;
use crate::staff::session::{digest, random_token};
use rusqlite::{Connection, OptionalExtension, params};

/// How long a pairing code stays good.
pub const CODE_HOURS: u32 = 24;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HubError {
    #[error("the database: {0}")]
    Sqlite(String),
    #[error("a hub's name is 1 to 40 lower-case letters, digits and dashes, such as mae-sot-1")]
    BadName,
    #[error("the hubs' domain is a DNS name such as hubs.example.org")]
    BadDomain,
    #[error("the hub `{0}` was revoked; add the laptop under a new name")]
    Revoked(String),
    #[error("no hub is called `{0}`")]
    Unknown(String),
    #[error("the system gave no random numbers")]
    NoRandom,
}

impl From<rusqlite::Error> for HubError {
    fn from(error: rusqlite::Error) -> Self {
        HubError::Sqlite(error.to_string())
    }
}

/// One hub as central lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    pub name: String,
    pub paired_at: Option<String>,
    pub last_contact: Option<String>,
    pub forwarded: i64,
    pub revoked_at: Option<String>,
    /// A pairing code is waiting to be used.
    pub code_waiting: bool,
    /// Its name under the organisation's domain.
    pub host: Option<String>,
    /// Until when its certificate is good, and what went wrong when central last ordered one.
    pub cert_not_after: Option<String>,
    pub cert_error: Option<String>,
}

pub fn check_name(name: &str) -> Result<(), HubError> {
    let fits = (1..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if fits { Ok(()) } else { Err(HubError::BadName) }
}

/// `domain` in one spelling, if it is a DNS name of two labels or more.
pub fn check_domain(domain: &str) -> Result<String, HubError> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let fits = labels.len() >= 2
        && domain.len() <= 200
        && labels.iter().all(|label| check_name(label).is_ok());
    if fits {
        Ok(domain)
    } else {
        Err(HubError::BadDomain)
    }
}

/// Adds a hub, or gives a hub not yet revoked a new pairing code (a new laptop, or a copied
/// database paired again), and returns the code, grouped for reading. With `domain`, the hub
/// is named `NAME.DOMAIN`, and central orders it a certificate for that name.
pub fn add(
    conn: &Connection,
    name: &str,
    domain: Option<&str>,
    by: Option<i64>,
) -> Result<String, HubError> {
    check_name(name)?;
    let host = domain
        .map(check_domain)
        .transpose()?
        .map(|domain| format!("{name}.{domain}"));
    let revoked: Option<bool> = conn
        .query_row(
            "SELECT revoked_at IS NOT NULL FROM hub WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if revoked == Some(true) {
        return Err(HubError::Revoked(name.to_owned()));
    }
    let code = pairing_code().ok_or(HubError::NoRandom)?;
    conn.execute(
        &format!(
            "INSERT INTO hub (name, code_hash, code_expires, created_at, host)
             VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+{CODE_HOURS} hours'),
                 strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3)
             ON CONFLICT (name) DO UPDATE SET code_hash = excluded.code_hash,
                 code_expires = excluded.code_expires,
                 host = coalesce(excluded.host, hub.host)"
        ),
        params![name, digest(&code), host],
    )?;
    audit::record(conn, by, "hub-added", name, "a pairing code was made")?;
    Ok(grouped(&code))
}

/// `abcdefghjkmnpqrs` as `abcd-efgh-jkmn-pqrs`.
fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed: dashes, spaces and case ignored.
fn typed(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether `code` is a pairing code waiting to be used.
pub fn code_waits(conn: &Connection, code: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM hub WHERE code_hash = ?1 AND revoked_at IS NULL
             AND code_expires > strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        [digest(&typed(code))],
        |r| r.get(0),
    )
}

/// Trades a pairing code, once and before it expires, for the hub's name and a new
/// credential. The hub's counter starts again: a new database numbers from one.
pub fn redeem(
    conn: &Connection,
    code: &str,
    export_key: &[u8],
) -> Result<Option<(String, String)>, HubError> {
    let found: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, name FROM hub WHERE code_hash = ?1 AND revoked_at IS NULL
                 AND code_expires > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            [digest(&typed(code))],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, name)) = found.filter(|_| export_key.len() == 32) else {
        return Ok(None);
    };
    let token = random_token().ok_or(HubError::NoRandom)?;
    conn.execute(
        "UPDATE hub SET code_hash = NULL, code_expires = NULL, token_hash = ?1, export_key = ?2,
             last_seq = 0, paired_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
             last_contact = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?3",
        params![digest(&token), export_key, id],
    )?;
    audit::record(conn, None, "hub-paired", &name, "")?;
    Ok(Some((name, token)))
}

/// Who a credential belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Hub { id: i64, name: String },
    Revoked,
    Unknown,
}

pub fn caller(conn: &Connection, token: &str) -> rusqlite::Result<Caller> {
    let found: Option<(i64, String, bool)> = conn
        .query_row(
            "SELECT id, name, revoked_at IS NOT NULL FROM hub WHERE token_hash = ?1",
            [digest(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match found {
        Some((_, _, true)) => Caller::Revoked,
        Some((id, name, false)) => Caller::Hub { id, name },
        None => Caller::Unknown,
    })
}

/// A hub's id and the public key of its export files, by name, if it is paired and not
/// revoked.
pub fn export_key(conn: &Connection, name: &str) -> rusqlite::Result<Option<(i64, Vec<u8>)>> {
    conn.query_row(
        "SELECT id, export_key FROM hub
         WHERE name = ?1 AND revoked_at IS NULL AND export_key IS NOT NULL",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Refuses the hub from now on: its credential and any pairing code stop working.
pub fn revoke(conn: &Connection, name: &str, by: Option<i64>) -> Result<(), HubError> {
    let changed = conn.execute(
        "UPDATE hub SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), code_hash = NULL
         WHERE name = ?1 AND revoked_at IS NULL",
        [name],
    )?;
    if changed == 0 {
        return Err(HubError::Unknown(name.to_owned()));
    }
    audit::record(conn, by, "hub-revoked", name, "")?;
    Ok(())
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Hub>> {
    conn.prepare(
        "SELECT name, paired_at, last_contact, forwarded, revoked_at,
             code_hash IS NOT NULL AND code_expires > strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
             host, cert_not_after, cert_error
         FROM hub ORDER BY revoked_at IS NOT NULL, name",
    )?
    .query_map([], |r| {
        Ok(Hub {
            name: r.get(0)?,
            paired_at: r.get(1)?,
            last_contact: r.get(2)?,
            forwarded: r.get(3)?,
            revoked_at: r.get(4)?,
            code_waiting: r.get(5)?,
            host: r.get(6)?,
            cert_not_after: r.get(7)?,
            cert_error: r.get(8)?,
        })
    })?
    .collect()
}

/// Notes that a hub was heard from.
pub fn heard(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE hub SET last_contact = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    #[test]
    fn a_code_pairs_once_and_the_credential_names_the_hub_until_it_is_revoked() {
        let conn = database();
        let code = add(&conn, "mae-sot", None, None).expect("added");
        let (name, token) = redeem(&conn, &code.to_uppercase(), &[1; 32])
            .expect("reads")
            .expect("paired");
        assert_eq!(name, "mae-sot");
        assert_eq!(
            redeem(&conn, &code, &[1; 32]).expect("reads"),
            None,
            "once only"
        );
        assert!(matches!(
            caller(&conn, &token).expect("reads"),
            Caller::Hub { .. }
        ));
        assert_eq!(caller(&conn, "guess").expect("reads"), Caller::Unknown);
        revoke(&conn, "mae-sot", None).expect("revoked");
        assert_eq!(caller(&conn, &token).expect("reads"), Caller::Revoked);
        assert_eq!(
            add(&conn, "mae-sot", None, None),
            Err(HubError::Revoked("mae-sot".into()))
        );
    }

    #[test]
    fn central_keeps_no_code_or_credential_in_plain() {
        let conn = database();
        let code = add(&conn, "hall", None, None).expect("added");
        let (_, token) = redeem(&conn, &code, &[1; 32])
            .expect("reads")
            .expect("paired");
        let row: String = conn
            .query_row(
                "SELECT coalesce(code_hash, '') || token_hash FROM hub",
                [],
                |r| r.get(0),
            )
            .expect("row");
        assert!(!row.contains(&token) && !row.contains(&typed(&code)));
    }

    #[test]
    fn an_expired_code_pairs_nothing_and_bad_names_are_refused() {
        let conn = database();
        let code = add(&conn, "hall", None, None).expect("added");
        conn.execute("UPDATE hub SET code_expires = '2000-01-01T00:00:00Z'", [])
            .expect("expired");
        assert_eq!(redeem(&conn, &code, &[1; 32]).expect("reads"), None);
        for bad in ["", "Hall", "a b", "-x", &"x".repeat(41)] {
            assert_eq!(add(&conn, bad, None, None), Err(HubError::BadName), "{bad}");
        }
    }
}
