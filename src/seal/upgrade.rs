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
            ticked: row
                .get::<_, String>(11)?
                .lines()
                .map(str::to_owned)
                .collect(),
        };
        let plain = [0, 1, 2, 3].map(|n| plain[n].as_str());
        let hash = body_hash(&client_id, plain, false, &personal);
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

#[cfg(test)]
mod tests {
    use crate::help::store::{Pending, Receipt, open_personal, submit};
    use crate::seal::{OpenKey, keys};
    use rusqlite::Connection;

    const NAME: &str = "Upgrade-Name Trần Văn Bình";
    const CONTACT: &str = "+84 912 000 321";
    const PLACE: &str = "Upgrade-Place บ้านแม่ระมาด";
    const MESSAGE: &str = "Upgrade-Message ကညီ တၢ်ကစီၣ်";
    const NOTE: &str = "Upgrade-Note called back at noon";
    const ID: &str = "0b0b0b0b-1111-4222-8333-444444444444";

    /// A database as release 9 left it, with a request and a note as that code stored them,
    /// some of it still in the WAL.
    fn plain_database(path: &std::path::Path) {
        let mut conn = Connection::open(path).expect("opens");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        crate::db::migrations::migrate_to(&mut conn, 9).expect("version 9");
        conn.execute_batch(&format!(
            "INSERT INTO staff (username, role, password_hash, created_at)
                 VALUES ('case', 'caseworker', 'x', '2026-01-01T00:00:00Z');
             INSERT INTO help_request (client_id, reference, kind, country, place, channel,
                 contact, safe_time, name, message, language, ticked, received_at)
                 VALUES ('{ID}', 'K7-4XN', 'not-paid', 'th', '{PLACE}', 'zalo', '{CONTACT}',
                     'evenings', '{NAME}', '{MESSAGE}', 'vi', 'forced-labour/wages-withheld',
                     '2026-11-01T00:00:00Z');
             INSERT INTO help_note (request_id, staff_id, body, written_at)
                 VALUES (1, 1, '{NOTE}', '2026-11-02T00:00:00Z');"
        ))
        .expect("plain rows");
    }

    #[test]
    fn a_plain_database_is_sealed_leaving_no_plain_copy_and_replays_still_match() {
        let dir = std::env::temp_dir().join(format!("passport-upgrade-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("old.db");
        plain_database(&path);
        let db = crate::db::Db::open(&path).expect("migrates");
        let files: Vec<Vec<u8>> = ["old.db", "old.db-wal", "old.db-shm"]
            .iter()
            .map(|name| std::fs::read(dir.join(name)).unwrap_or_default())
            .collect();
        for marker in [NAME, CONTACT, PLACE, MESSAGE, NOTE, ID] {
            let found = files
                .iter()
                .any(|f| f.windows(marker.len()).any(|w| w == marker.as_bytes()));
            assert!(!found, "{marker} is left in plain");
        }
        assert!(
            files[0].windows(6).any(|w| w == b"K7-4XN"),
            "the scan finds what stays plain"
        );

        let mut conn = Connection::open(&path).expect("opens");
        let seed = keys::bootstrap(&conn)
            .expect("read")
            .expect("the key is kept until an account takes it");
        let (key, _) = OpenKey::derive(&*seed);
        let (id_hash, blob): (String, Vec<u8>) = conn
            .query_row("SELECT id_hash, sealed FROM help_request", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row");
        let personal = open_personal(&key, &id_hash, &blob).expect("opens");
        assert_eq!(
            (
                personal.name.as_str(),
                personal.contact.as_str(),
                personal.place.as_str()
            ),
            (NAME, CONTACT, PLACE)
        );
        assert_eq!(
            (personal.message.as_str(), personal.ticked.len()),
            (MESSAGE, 1)
        );
        let note: Vec<u8> = conn
            .query_row("SELECT sealed FROM help_note", [], |r| r.get(0))
            .expect("note");
        let opened = key
            .open(crate::seal::Purpose::Note, id_hash.as_bytes(), &note)
            .expect("opens");
        assert_eq!(opened.as_slice(), NOTE.as_bytes());

        // The phone's outbox sends it again: the same reference, nothing new stored.
        let mut again = crate::help::store::tests::request(0);
        again.client_id = ID.into();
        again.kind = "not-paid";
        again.country = "th";
        again.channel = "zalo";
        (again.place, again.contact, again.safe_time) =
            (PLACE.into(), CONTACT.into(), "evenings".into());
        (again.name, again.message) = (NAME.into(), MESSAGE.into());
        let pending = Pending {
            request: again,
            candidates: vec!["AC-EFH".into()],
        };
        let sealed = pending.seal(&key.public()).expect("sealed");
        let receipts = submit(&mut conn, &[sealed]).expect("stored");
        assert_eq!(receipts, [Some(Receipt::Replayed("K7-4XN".into()))]);
        drop((db, conn));
        let _ = std::fs::remove_dir_all(dir);
    }
}
