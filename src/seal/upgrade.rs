//! Migration 0010: the plain requests and notes of an older database sealed, and no plain
//! copy left behind. It runs inside the migration's transaction; [`super::keys::scrub`]
//! runs after it commits.

use super::{Purpose, SealKey, keys};
use crate::help::store::{Personal, body_hash, id_hash, seal_personal};
use rusqlite::{Transaction, params};

const ADD: &str = include_str!("../../migrations/0010_sealed.sql");
const DROP: &str = include_str!("../../migrations/0010_plain_dropped.sql");

/// The migration: keys and blob columns added, every plain row sealed, plain columns dropped.
pub fn migrate(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(ADD)?;
    let key = keys::make_bootstrap(tx).map_err(to_sqlite)?;
    seal_requests(tx, &key)?;
    seal_notes(tx, &key)?;
    tx.execute_batch(DROP)
}

/// A failure to seal, as the error the migration reports.
fn to_sqlite(error: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(error))
}

fn seal_requests(tx: &Transaction, key: &SealKey) -> rusqlite::Result<()> {
    let mut select = tx.prepare(
        "SELECT id, client_id, kind, country, channel, language, place, contact, safe_time,
             name, message, ticked
         FROM help_request",
    )?;
    let mut update = tx.prepare(
        "UPDATE help_request SET client_id = ?2, body_hash = ?3, sealed = ?4, place = '',
             contact = '', safe_time = '', name = '', message = '', ticked = ''
         WHERE id = ?1",
    )?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let client_id: String = row.get(1)?;
        let plain: [String; 4] = [row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?];
        let personal = Personal {
            place: row.get(6)?,
            contact: row.get(7)?,
            safe_time: row.get(8)?,
            name: row.get(9)?,
            message: row.get(10)?,
            ticked: row.get::<_, String>(11)?.lines().map(str::to_owned).collect(),
        };
        let plain = [0, 1, 2, 3].map(|n| plain[n].as_str());
        let hash = body_hash(&client_id, plain, &personal);
        let id_hash = id_hash(&client_id);
        let sealed = seal_personal(key, &id_hash, &personal).map_err(to_sqlite)?;
        update.execute(params![row.get::<_, i64>(0)?, id_hash, hash, sealed])?;
    }
    Ok(())
}

fn seal_notes(tx: &Transaction, key: &SealKey) -> rusqlite::Result<()> {
    let mut select = tx.prepare(
        "SELECT n.id, n.body, r.client_id FROM help_note n JOIN help_request r ON r.id = n.request_id",
    )?;
    let mut update = tx.prepare("UPDATE help_note SET sealed = ?2, body = '' WHERE id = ?1")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let body: String = row.get(1)?;
        // The request's row was sealed first: its `client_id` holds the digest now.
        let request: String = row.get(2)?;
        let sealed = key
            .seal(Purpose::Note, request.as_bytes(), body.as_bytes())
            .map_err(to_sqlite)?;
        update.execute(params![row.get::<_, i64>(0)?, sealed])?;
    }
    Ok(())
}
