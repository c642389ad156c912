//! A hub's own record: paired with which central, under which name, with which credential;
//! and the check that keeps a copied or restored database from posing as the hub it was
//! copied from.
//!
//! The identity is tied to its *placement*: this machine (`/etc/machine-id`) and this very
//! file (its device and inode). A copy, or a restore from a backup, is a new file; on its
//! first start the credential is dropped and the hub says to pair it again, which gives it
//! an identity of its own. The requests it holds are kept and forwarded after that, and
//! central stores each once whichever laptop sends it.

use super::{PairAnswer, unb64};
use crate::seal::{OpenKey, SealKey, keys};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A hub's record of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubSelf {
    pub name: String,
    pub upstream: String,
    /// The bearer credential; `None` once the identity was dropped (a copied database).
    pub token: Option<String>,
    pub bundle_key: Vec<u8>,
    pub transfer_key: Vec<u8>,
    pub export_seed: Vec<u8>,
    pub central_version: i64,
    pub last_contact: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PairError {
    #[error("the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "this database has caseworkers who hold its own key: a hub needs a database of its own (a new --db file)"
    )]
    HasReaders,
    #[error(
        "this database holds requests sealed to its own key, whose readable copy is gone: forward them from the server they belong to, or pair a new --db file"
    )]
    Unsealable,
    #[error("central answered with a malformed key")]
    BadKey,
    #[error(transparent)]
    Name(#[from] crate::certs::CertError),
}

/// Whether this database is a hub's.
pub fn is_hub(conn: &Connection) -> rusqlite::Result<bool> {
    crate::content::texts::from_central(conn)
}

pub fn load(conn: &Connection) -> rusqlite::Result<Option<HubSelf>> {
    conn.query_row(
        "SELECT name, upstream, token, bundle_key, export_seed, central_version, last_contact,
             last_error, transfer_key
         FROM hub_self WHERE id = 1",
        [],
        |r| {
            Ok(HubSelf {
                name: r.get(0)?,
                upstream: r.get(1)?,
                token: r.get(2)?,
                bundle_key: r.get(3)?,
                export_seed: r.get(4)?,
                central_version: r.get(5)?,
                last_contact: r.get(6)?,
                last_error: r.get(7)?,
                transfer_key: r.get(8)?,
            })
        },
    )
    .optional()
}

/// Where this database lives: this machine and this file. A copy or a restore differs.
pub fn placement(db: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let machine = std::fs::read_to_string("/etc/machine-id").unwrap_or_default();
    let (dev, ino) = std::fs::metadata(db)
        .map(|m| (m.dev(), m.ino()))
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(machine.trim().as_bytes());
    hasher.update(dev.to_be_bytes());
    hasher.update(ino.to_be_bytes());
    crate::web::hex(&hasher.finalize()[..16])
}

/// The message a hub whose database was copied or restored shows until it is paired again.
pub const MOVED: &str =
    "this hub's database was copied or restored: pair it again (passport hub pair URL CODE)";

/// Drops the credential and the export key of a hub whose database is not where it was
/// paired. True when it did (now, or before). In-memory databases have no placement and
/// are left alone.
pub fn check_placement(conn: &Connection, db: &Path) -> rusqlite::Result<bool> {
    if db.as_os_str() == ":memory:" {
        return Ok(false);
    }
    let stored: Option<(String, bool)> = conn
        .query_row(
            "SELECT placement, token IS NULL FROM hub_self WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((stored, dropped)) = stored else {
        return Ok(false);
    };
    if stored == placement(db) {
        return Ok(dropped);
    }
    if !dropped {
        tracing::error!("{MOVED}");
    }
    drop_identity(conn, MOVED)?;
    Ok(true)
}

/// The message a hub restored from a backup shows until it is paired again.
pub const RESTORED: &str = "this hub's database was restored from a backup (central has settled requests it never numbered): pair it again (passport hub pair URL CODE)";

/// Whether central has settled more of this hub's requests than the hub ever numbered: the
/// database was put back from a backup in place, keeping its file. Then, as for a copy, the
/// credential and the export key are dropped.
pub fn counter_behind(conn: &Connection, settled: i64) -> rusqlite::Result<bool> {
    let numbered: i64 = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'hub_outbox'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    if settled <= numbered {
        return Ok(false);
    }
    tracing::error!("{RESTORED}");
    drop_identity(conn, RESTORED)?;
    Ok(true)
}

/// Makes a database restored from a backup stop posing as the hub it was: it keeps its
/// content and its requests, and is paired again for a new identity.
pub fn restored(conn: &Connection) -> rusqlite::Result<()> {
    drop_identity(conn, RESTORED)
}

/// Drops the credential, the export key (files this database writes are no longer the
/// hub's) and the key and certificate of the hub's name, saying `why` on the hub's page
/// until it is paired again.
fn drop_identity(conn: &Connection, why: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE hub_self SET token = NULL, export_seed = randomblob(32), last_error = ?1,
             tls_key = NULL, tls_chain = NULL, tls_serial = NULL, tls_not_after = NULL",
        [why],
    )?;
    Ok(())
}

/// Makes this database the hub central's answer describes: requests are sealed to
/// central's key from now on (those it holds already are sealed again, with the readable
/// seed of its own first key), and it keeps the credential, the key that signs bundles
/// and the seed of the key that signs its export files. Call [`keys::scrub`] after.
pub fn pair(
    conn: &mut Connection,
    db: &Path,
    upstream: &str,
    answer: &PairAnswer,
    export_seed: &[u8; 32],
) -> Result<(), PairError> {
    let seal_key = unb64(&answer.seal_key)
        .and_then(|bytes| SealKey::from_bytes(&bytes).ok())
        .ok_or(PairError::BadKey)?;
    let bundle_key = unb64(&answer.bundle_key)
        .filter(|k| k.len() == 32)
        .ok_or(PairError::BadKey)?;
    let transfer_key = unb64(&answer.transfer_key)
        .filter(|k| SealKey::from_bytes(k).is_ok())
        .ok_or(PairError::BadKey)?;
    let tx = conn.transaction()?;
    let readers: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff_key WHERE grant_blob IS NOT NULL)",
        [],
        |r| r.get(0),
    )?;
    if readers {
        return Err(PairError::HasReaders);
    }
    reseal(&tx, &seal_key)?;
    tx.execute(
        "UPDATE org_key SET public_key = ?1, bootstrap = NULL",
        [seal_key.to_bytes()],
    )?;
    // Another central's bundles start again from its first version.
    let same_central: bool = tx
        .query_row(
            "SELECT bundle_key = ?1 FROM hub_self WHERE id = 1",
            [&bundle_key],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    tx.execute(
        "INSERT INTO hub_self (id, name, upstream, token, placement, export_seed, bundle_key,
             transfer_key, central_version, paired_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?8, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, upstream = excluded.upstream,
             token = excluded.token, placement = excluded.placement,
             export_seed = excluded.export_seed, bundle_key = excluded.bundle_key,
             transfer_key = excluded.transfer_key,
             central_version = CASE WHEN ?7 THEN hub_self.central_version ELSE 0 END,
             last_error = NULL, paired_at = excluded.paired_at",
        params![
            answer.hub,
            upstream,
            answer.token,
            placement(db),
            &export_seed[..],
            bundle_key,
            same_central,
            transfer_key
        ],
    )?;
    super::names::adopt(&tx, answer.host.as_deref())?;
    tx.commit()?;
    Ok(())
}

/// Seals every request this database holds to `to`, opening each with the readable seed of
/// the database's own first key. Nothing to do when the key is `to` already.
fn reseal(tx: &Connection, to: &SealKey) -> Result<(), PairError> {
    if keys::seal_key(tx).ok().as_ref() == Some(to) {
        return Ok(());
    }
    let rows: Vec<(i64, String, Vec<u8>)> = tx
        .prepare("SELECT id, id_hash, sealed FROM help_request")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let notes: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM help_note)", [], |r| r.get(0))?;
    if rows.is_empty() && !notes {
        return Ok(());
    }
    let seed = keys::bootstrap(tx)
        .ok()
        .flatten()
        .filter(|_| !notes)
        .ok_or(PairError::Unsealable)?;
    let (own, _) = OpenKey::derive(&*seed);
    for (id, id_hash, blob) in rows {
        let personal = crate::help::store::open_personal(&own, &id_hash, &blob)
            .map_err(|_| PairError::Unsealable)?;
        let sealed = crate::help::store::seal_personal(to, &id_hash, &personal)
            .map_err(|_| PairError::Unsealable)?;
        tx.execute(
            "UPDATE help_request SET sealed = ?1 WHERE id = ?2",
            params![sealed, id],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::store::{self, open_personal, tests::pending};

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    fn answer(central: &SealKey) -> PairAnswer {
        PairAnswer {
            hub: "hall".into(),
            token: "secret".into(),
            seal_key: super::super::b64(&central.to_bytes()),
            bundle_key: super::super::b64(&[5u8; 32]),
            transfer_key: super::super::b64(&central.to_bytes()),
            host: None,
        }
    }

    #[test]
    fn pairing_seals_held_requests_to_central_and_drops_the_readable_seed() {
        let mut conn = database();
        let own = keys::seal_key(&conn).expect("bootstrap key");
        let request = pending(1, &["K7-4XN"]).seal(&own).expect("sealed");
        store::submit(&mut conn, &[request]).expect("stored");
        let (central_open, central) = OpenKey::derive(&[3u8; 32]);
        pair(
            &mut conn,
            Path::new(":memory:"),
            "https://c.example",
            &answer(&central),
            &[1; 32],
        )
        .expect("paired");
        assert!(is_hub(&conn).expect("reads"));
        assert_eq!(keys::seal_key(&conn).expect("key"), central);
        assert!(keys::bootstrap(&conn).expect("reads").is_none());
        let (id_hash, blob): (String, Vec<u8>) = conn
            .query_row("SELECT id_hash, sealed FROM help_request", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row");
        let opened = open_personal(&central_open, &id_hash, &blob).expect("central opens it");
        assert_eq!(opened.contact, "0912 345 678");
    }

    #[test]
    fn a_hub_behind_central_s_counter_was_restored_and_drops_its_credential() {
        let mut conn = database();
        let (_, central) = OpenKey::derive(&[3u8; 32]);
        pair(
            &mut conn,
            Path::new(":memory:"),
            "u",
            &answer(&central),
            &[1; 32],
        )
        .expect("paired");
        assert!(!counter_behind(&conn, 0).expect("checks"));
        assert!(counter_behind(&conn, 5).expect("checks"));
        let hub = load(&conn).expect("reads").expect("a hub");
        assert_eq!(
            (hub.token, hub.last_error.as_deref()),
            (None, Some(RESTORED))
        );
    }

    #[test]
    fn a_database_whose_caseworkers_hold_its_key_is_not_made_a_hub() {
        let mut conn = database();
        conn.execute_batch(
            "INSERT INTO staff (id, username, role, password_hash, created_at)
                 VALUES (1, 'an', 'caseworker', 'x', 'now');
             INSERT INTO staff_key (staff_id, kdf, salt, public_key, grant_blob)
                 VALUES (1, 'k', x'00', x'00', x'00');",
        )
        .expect("reader");
        let (_, central) = OpenKey::derive(&[3u8; 32]);
        let refused = pair(
            &mut conn,
            Path::new(":memory:"),
            "u",
            &answer(&central),
            &[1; 32],
        );
        assert!(matches!(refused, Err(PairError::HasReaders)));
        assert!(!is_hub(&conn).expect("reads"));
    }

    #[test]
    fn a_copied_database_drops_its_credential_and_the_original_keeps_it() {
        let dir = std::env::temp_dir().join(format!("passport-placement-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let original = dir.join("hub.db");
        let copy = dir.join("copy.db");
        let (_, central) = OpenKey::derive(&[3u8; 32]);
        {
            let mut conn = Connection::open(&original).expect("opens");
            crate::db::migrate(&mut conn).expect("migrate");
            pair(&mut conn, &original, "u", &answer(&central), &[1; 32]).expect("paired");
            assert!(!check_placement(&conn, &original).expect("checks"));
        }
        std::fs::copy(&original, &copy).expect("copied");
        let conn = Connection::open(&copy).expect("opens");
        assert!(check_placement(&conn, &copy).expect("checks"));
        let copied = load(&conn).expect("reads").expect("a hub");
        assert_eq!(copied.token, None);
        assert_ne!(
            copied.export_seed,
            vec![1u8; 32],
            "its files are not the original's"
        );
        assert_eq!(copied.last_error.as_deref(), Some(MOVED));
        let conn = Connection::open(&original).expect("opens");
        assert!(!check_placement(&conn, &original).expect("checks"));
        assert_eq!(
            load(&conn).expect("reads").expect("a hub").token.as_deref(),
            Some("secret")
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
