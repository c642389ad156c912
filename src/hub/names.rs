//! A hub's own name (`hall.hubs.example.org`) and its certificate, on both sides.
//!
//! - At the hub: the key it made for its name, which never leaves it; the certificate
//!   request it sends at pairing and at every sync; the certificate central brings back in
//!   the content bundle, taken only if it is for this key and this name.
//! - At central: each hub's latest request, checked against the hub's name, for the
//!   certificate keeper ([`crate::certs::renew`]) to order.

use crate::certs::{self, CertError};
use rusqlite::{Connection, OptionalExtension, params};

/// The hub's name and key, if it has a name.
fn own(conn: &Connection) -> rusqlite::Result<Option<(String, Option<Vec<u8>>)>> {
    Ok(conn
        .query_row("SELECT host, tls_key FROM hub_self WHERE id = 1", [], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get(1)?))
        })
        .optional()?
        .and_then(|(host, key)| Some((host?, key))))
}

/// The hub's own name, if central gave it one.
pub fn host(conn: &Connection) -> rusqlite::Result<Option<String>> {
    Ok(own(conn)?.map(|(host, _)| host))
}

/// Gives the hub the name central gave it, with a new key; a name taken away drops the key
/// and the certificate.
pub fn adopt(conn: &Connection, host: Option<&str>) -> Result<(), CertError> {
    let sql = |e: rusqlite::Error| CertError::Key(e.to_string());
    let Some(host) = host else {
        conn.execute(
            "UPDATE hub_self SET host = NULL, tls_key = NULL, tls_chain = NULL,
                 tls_not_after = NULL, tls_serial = NULL",
            [],
        )
        .map_err(sql)?;
        return Ok(());
    };
    // A new key at every pairing: a copied database paired again holds a key of its own.
    let key = certs::new_key()?;
    conn.execute(
        "UPDATE hub_self SET host = ?1, tls_key = ?2, tls_chain = NULL, tls_not_after = NULL,
             tls_serial = NULL",
        params![host, key],
    )
    .map_err(sql)?;
    Ok(())
}

/// The certificate request for the hub's name, made with its own key; `None` without a name.
pub fn request(conn: &Connection) -> Result<Option<Vec<u8>>, CertError> {
    let found = own(conn).map_err(|e| CertError::Key(e.to_string()))?;
    let Some((host, Some(key))) = found else {
        return Ok(None);
    };
    certs::request(&key, &[host]).map(Some)
}

/// The serial of the certificate the hub holds.
pub fn serial(conn: &Connection) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .query_row("SELECT tls_serial FROM hub_self WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten())
}

/// Takes the certificate central brought, if it is for this hub's key and name and newer
/// than the one it holds. True when it was taken.
pub fn take(conn: &Connection, chain: &str) -> rusqlite::Result<bool> {
    let Some((host, Some(key))) = own(conn)? else {
        return Ok(false);
    };
    let (Ok(info), Ok(public)) = (certs::inspect(chain), certs::public_key(&key)) else {
        return Ok(false);
    };
    if info.spki != public || !certs::covers(&info.names, &host) {
        tracing::warn!("central brought a certificate for another key or name; kept the old one");
        return Ok(false);
    }
    let changed = conn.execute(
        "UPDATE hub_self SET tls_chain = ?1, tls_serial = ?2,
             tls_not_after = strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch')
         WHERE tls_serial IS NOT ?2
             AND (tls_not_after IS NULL
                  OR tls_not_after <= strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch'))",
        params![chain, info.serial, info.not_after],
    )?;
    Ok(changed > 0)
}

/// At central: keeps hub `id`'s certificate request if it is for the hub's own name. True
/// when it is new (the keeper has work).
pub fn keep_request(conn: &Connection, id: i64, der: &[u8]) -> Result<bool, KeepError> {
    let host: Option<String> = conn
        .query_row("SELECT host FROM hub WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .flatten();
    let host = host.ok_or(KeepError::NoName)?;
    let key = certs::check_request(der, &host)?;
    let kept: Option<Vec<u8>> = conn
        .query_row("SELECT csr FROM hub WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .flatten();
    // Every request is signed anew, so the same key is a same request.
    if kept.is_some_and(|kept| certs::check_request(&kept, &host).ok() == Some(key.clone())) {
        return Ok(false);
    }
    conn.execute("UPDATE hub SET csr = ?2 WHERE id = ?1", params![id, der])?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum KeepError {
    #[error("central gave this hub no name under the organisation's domain")]
    NoName,
    #[error(transparent)]
    Request(#[from] CertError),
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// At central: the certificate of hub `id` to hand over, unless the hub was revoked.
pub fn chain_for(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT cert_chain FROM hub WHERE id = ?1 AND revoked_at IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// At central: the serial of hub `id`'s certificate, for its status.
pub fn serial_for(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT cert_serial FROM hub WHERE id = ?1 AND revoked_at IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Ubuntu's hotspot (NetworkManager's shared mode) gives the laptop this address.
const UBUNTU_HOTSPOT: std::net::IpAddr =
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 42, 0, 1));
/// Windows' Mobile Hotspot gives the laptop this address.
const WINDOWS_HOTSPOT: std::net::IpAddr =
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 137, 1));

/// How phones at the event find `host` at this laptop: the hub's own DNS answer, or a line
/// for the hotspot's DNS.
pub fn hotspot_help(host: &str) -> String {
    format!(
        "phones on this laptop's hotspot reach {host} when the laptop answers DNS for it:\n\
         - either serve with --dns 0.0.0.0:53 (the hub answers that one name itself),\n\
         - or give the hotspot's own DNS this line.\n\
         Ubuntu's hotspot:\n{}\nWindows' Mobile Hotspot:\n{}",
        crate::dns::responder::hotspot_lines(host, UBUNTU_HOTSPOT),
        crate::dns::responder::hotspot_lines(host, WINDOWS_HOTSPOT),
    )
}
