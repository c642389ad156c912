//! Storing help requests: once per client UUID, each under a reference code no other request
//! has. Requests that arrive together are stored together, in one transaction and so with one
//! sync to disk (see [`super::intake`]); the database runs with `synchronous = FULL`, so once
//! that transaction committed, every request in it survives a crash or power cut.
//!
//! What the person wrote is [sealed](crate::seal) before it reaches this module: a row holds
//! in plain only what triage needs. The phone's UUID is not stored either, only its digest;
//! the UUID itself keys the hash of the answers, so that a replay is told from a conflict
//! while a copy of the database cannot confirm a guessed phone number.

use super::NewRequest;
use crate::seal::{Purpose, SealError, SealKey};
use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What came of storing one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// Stored by this call, under this reference.
    Created(String),
    /// Stored already with the same answers: a replay from an offline outbox, told the
    /// reference it got the first time.
    Replayed(String),
    /// Stored already with other answers. The id is not this sender's to use, so they learn
    /// nothing of the stored request, which stays as it was.
    Conflict,
}

#[cfg(test)]
impl Receipt {
    /// The reference the sender may be told, if any.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Receipt::Created(reference) | Receipt::Replayed(reference) => Some(reference),
            Receipt::Conflict => None,
        }
    }
}

/// A checked request and the reference codes it may take, in order of preference.
#[derive(Debug, Clone)]
pub struct Pending {
    pub request: NewRequest,
    pub candidates: Vec<String>,
}

/// What a sealed blob holds: everything that could identify or reach the person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personal {
    pub name: String,
    pub contact: String,
    pub place: String,
    pub message: String,
    pub safe_time: String,
    /// The checklist signs the person chose to attach, by id.
    pub ticked: Vec<String>,
}

/// A request ready to store: the plain fields triage works from, the digest of its UUID, the
/// keyed hash of its answers, and the rest sealed. A hub makes these and never opens them.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub id_hash: String,
    pub body_hash: String,
    pub kind: String,
    /// "I am in danger now": plain, like the kind, so that central can alert without
    /// opening anything.
    pub urgent: bool,
    pub country: String,
    pub channel: String,
    pub language: String,
    pub sealed: Vec<u8>,
    /// The public key the blob was sealed to: a row sealed to any key but the database's
    /// own is never stored (a hub paired meanwhile, or a hub paired with another central).
    pub sealed_to: Vec<u8>,
    pub candidates: Vec<String>,
    /// Set when the request came through a hub.
    pub via: Option<Via>,
}

/// How a forwarded request came: through which hub, told which reference there, and how
/// long ago it arrived there, by the hub's own clock (a difference, so a hub whose clock
/// is wrong still gives the right time here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    pub hub: i64,
    pub reference: String,
    pub age_secs: u32,
}

impl Pending {
    /// Seals the request to `key`.
    pub fn seal(self, key: &SealKey) -> Result<Sealed, SealError> {
        let request = self.request;
        let personal = Personal {
            name: request.name,
            contact: request.contact,
            place: request.place,
            message: request.message,
            safe_time: request.safe_time,
            ticked: request.ticked,
        };
        let language = request.language.code();
        let body_hash = body_hash(
            &request.client_id,
            [request.kind, request.country, request.channel, language],
            request.urgent,
            &personal,
        );
        let id_hash = id_hash(&request.client_id);
        let sealed = seal_personal(key, &id_hash, &personal)?;
        Ok(Sealed {
            id_hash,
            body_hash,
            kind: request.kind.to_owned(),
            urgent: request.urgent,
            country: request.country.to_owned(),
            channel: request.channel.to_owned(),
            language: language.to_owned(),
            sealed,
            sealed_to: key.to_bytes(),
            candidates: self.candidates,
            via: None,
        })
    }
}

/// The sealed blob of `personal`, bound to the row of `id_hash`.
pub fn seal_personal(
    key: &SealKey,
    id_hash: &str,
    personal: &Personal,
) -> Result<Vec<u8>, SealError> {
    let plain =
        zeroize::Zeroizing::new(serde_json::to_vec(personal).map_err(|_| SealError::Sealing)?);
    key.seal(Purpose::Request, id_hash.as_bytes(), &plain)
}

/// What the blob of the row `id_hash` holds.
pub fn open_personal(
    key: &crate::seal::OpenKey,
    id_hash: &str,
    blob: &[u8],
) -> Result<Personal, SealError> {
    let plain = key.open(Purpose::Request, id_hash.as_bytes(), blob)?;
    serde_json::from_slice(&plain).map_err(|_| SealError::Unopened)
}

/// The digest a phone's UUID is stored as.
pub fn id_hash(client_id: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"safe-migration-passport/request-id/1\0");
    hasher.update(client_id.as_bytes());
    crate::web::hex(&hasher.finalize())
}

/// HMAC-SHA-256, keyed by the phone's UUID (which is not stored), of every checked answer,
/// each length-prefixed so that no two different requests share an encoding. `plain` is the
/// kind, country, channel and language.
pub fn body_hash(client_id: &str, plain: [&str; 4], urgent: bool, personal: &Personal) -> String {
    let ticked = personal.ticked.join("\n");
    // "In danger now" counts only when ticked, so that a request from before it existed
    // hashes as it did.
    let parts = plain
        .into_iter()
        .chain([
            personal.place.as_str(),
            &personal.contact,
            &personal.safe_time,
            &personal.name,
            &personal.message,
            &ticked,
        ])
        .chain(urgent.then_some("urgent"));
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(client_id.as_bytes()) else {
        unreachable!("HMAC takes a key of any length")
    };
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    crate::web::hex(&mac.finalize().into_bytes())
}

/// Stores every request of `batch` in one IMMEDIATE transaction, each under the first of its
/// candidates that no other request has, and answers them in order. A request answered
/// `None` was not stored: every candidate was taken, or its statements failed; the rest of
/// the batch is stored all the same. An `Err` means the transaction did not commit, so
/// nothing of the batch was stored.
pub fn submit(conn: &mut Connection, batch: &[Sealed]) -> rusqlite::Result<Vec<Option<Receipt>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let receipts = submit_in(&mut tx, batch)?;
    tx.commit()?;
    Ok(receipts)
}

/// [`submit`] inside the caller's transaction, which commits it: `Err` means the
/// transaction was rolled back whole.
pub fn submit_in(
    tx: &mut rusqlite::Transaction,
    batch: &[Sealed],
) -> rusqlite::Result<Vec<Option<Receipt>>> {
    let own_key = crate::seal::keys::public_bytes(tx)?;
    let mut receipts = Vec::with_capacity(batch.len());
    for sealed in batch {
        if own_key.as_deref() != Some(sealed.sealed_to.as_slice()) {
            tracing::error!("a help request sealed to another key than this database's");
            receipts.push(None);
            continue;
        }
        // One savepoint per request: a failing request is undone alone.
        let savepoint = tx.savepoint()?;
        match store_one(&savepoint, sealed) {
            Ok(receipt) => {
                if receipt.is_none() {
                    tracing::error!("every candidate reference code was taken");
                }
                savepoint.commit()?;
                receipts.push(receipt);
            }
            Err(error) => {
                drop(savepoint);
                // Some errors (a full disk, an I/O error) make SQLite roll back the whole
                // transaction; then nothing of the batch is left to commit.
                if tx.is_autocommit() {
                    return Err(error);
                }
                tracing::error!(%error, "a help request in a batch could not be stored");
                receipts.push(None);
            }
        }
    }
    Ok(receipts)
}

/// Whether a request with this UUID digest is stored.
pub fn holds(conn: &Connection, id_hash: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM help_request WHERE id_hash = ?1)")?
        .query_row([id_hash], |r| r.get(0))
}

/// The stored request's receipt if its UUID is known (from an earlier batch or earlier in
/// this one), else the receipt of a new row; `None` if every candidate code is taken.
fn store_one(conn: &Connection, sealed: &Sealed) -> rusqlite::Result<Option<Receipt>> {
    let stored: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT reference, body_hash FROM help_request WHERE id_hash = ?1")?
        .query_row([&sealed.id_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // A hub remembers what it forwarded and let go of (`crate::hub::forward::settle`).
    let stored = match stored {
        Some(stored) => Some(stored),
        None => conn
            .prepare_cached("SELECT reference, body_hash FROM hub_forwarded WHERE id_hash = ?1")?
            .query_row([&sealed.id_hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    };
    if let Some((reference, hash)) = stored {
        return Ok(Some(
            if hash.as_deref() == Some(sealed.body_hash.as_str()) {
                Receipt::Replayed(reference)
            } else {
                Receipt::Conflict
            },
        ));
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO help_request (id_hash, reference, kind, country, channel, language,
             body_hash, sealed, received_at, hub_id, hub_reference, urgent, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
             strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?9 || ' seconds'), ?10,
             nullif(?11, ?2), ?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (reference) DO NOTHING",
    )?;
    let via = sealed.via.as_ref();
    for reference in &sealed.candidates {
        let inserted = insert.execute(params![
            sealed.id_hash,
            reference,
            sealed.kind,
            sealed.country,
            sealed.channel,
            sealed.language,
            sealed.body_hash,
            sealed.sealed,
            via.map_or(0, |v| v.age_secs),
            via.map(|v| v.hub),
            via.map(|v| v.reference.as_str()),
            sealed.urgent,
        ])?;
        if inserted == 1 {
            return Ok(Some(Receipt::Created(reference.clone())));
        }
    }
    Ok(None)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::help::{HelpInput, new_reference};
    use std::collections::BTreeSet;

    pub(crate) fn request(id: u128) -> NewRequest {
        HelpInput {
            id: uuid::Uuid::from_u128(id).to_string(),
            kind: "not-paid".into(),
            country: "kr".into(),
            channel: "zalo".into(),
            contact: "0912 345 678".into(),
            language: "vi".into(),
            consent: true,
            ticked: vec!["forced-labour/wages-withheld".into()],
            ..HelpInput::default()
        }
        .validate()
        .expect("valid")
    }

    pub(crate) fn pending(id: u128, candidates: &[&str]) -> Pending {
        Pending {
            request: request(id),
            candidates: candidates.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    /// The key pair tests seal with.
    pub(crate) fn test_key() -> (crate::seal::OpenKey, SealKey) {
        crate::seal::OpenKey::derive(&[42u8; crate::seal::SEED])
    }

    /// Makes the test key the database's own, as the key requests are sealed to.
    pub(crate) fn use_test_key(conn: &Connection) {
        conn.execute(
            "UPDATE org_key SET public_key = ?1, bootstrap = NULL",
            [test_key().1.to_bytes()],
        )
        .expect("test key");
    }

    pub(crate) fn sealed(id: u128, candidates: &[&str]) -> Sealed {
        pending(id, candidates).seal(&test_key().1).expect("sealed")
    }

    /// Makes every later COMMIT on `conn` fail, as a full disk would: each stored help request
    /// also stores a row that breaks a deferred foreign key, which only COMMIT checks.
    pub(crate) fn fail_every_commit(conn: &Connection) {
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TEMP TABLE commit_guard (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE commit_breaker (
                 guard INTEGER REFERENCES commit_guard (id) DEFERRABLE INITIALLY DEFERRED);
             CREATE TEMP TRIGGER break_commit AFTER INSERT ON main.help_request
             BEGIN INSERT INTO commit_breaker (guard) VALUES (0); END;",
        )
        .expect("commit breaker");
    }

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        use_test_key(&conn);
        conn
    }

    #[test]
    fn a_request_sealed_to_another_key_is_not_stored() {
        let mut conn = database();
        let (_, other) = crate::seal::OpenKey::derive(&[7u8; crate::seal::SEED]);
        let stray = pending(1, &["K7-4XN"]).seal(&other).expect("sealed");
        let receipts = submit(&mut conn, &[stray, sealed(2, &["AC-EFH"])]).expect("committed");
        assert_eq!(receipts, [None, created("AC-EFH")]);
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn a_forwarded_request_keeps_its_hub_its_age_and_the_hub_reference_when_taken() {
        let mut conn = database();
        conn.execute(
            "INSERT INTO hub (id, name, created_at) VALUES (3, 'hall', 'now')",
            [],
        )
        .expect("hub");
        submit_one(&mut conn, pending(1, &["K7-4XN"]));
        let mut forwarded = sealed(2, &["K7-4XN", "AC-EFH"]);
        forwarded.via = Some(Via {
            hub: 3,
            reference: "K7-4XN".into(),
            age_secs: 86_400,
        });
        let receipts = submit(&mut conn, &[forwarded]).expect("committed");
        assert_eq!(receipts, [created("AC-EFH")]);
        let (hub, told, old): (i64, String, bool) = conn
            .query_row(
                "SELECT hub_id, hub_reference,
                     received_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-23 hours')
                 FROM help_request WHERE reference = 'AC-EFH'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("row");
        assert_eq!((hub, told.as_str(), old), (3, "K7-4XN", true));
    }

    fn submit_one(conn: &mut Connection, pending: Pending) -> Option<Receipt> {
        let sealed = pending.seal(&test_key().1).expect("sealed");
        let mut receipts = submit(conn, &[sealed]).expect("committed");
        assert_eq!(receipts.len(), 1);
        receipts.remove(0)
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0))
            .expect("count")
    }

    fn created(reference: &str) -> Option<Receipt> {
        Some(Receipt::Created(reference.into()))
    }

    fn replayed(reference: &str) -> Option<Receipt> {
        Some(Receipt::Replayed(reference.into()))
    }

    #[test]
    fn a_replayed_request_gets_its_first_reference_and_is_stored_once() {
        let mut conn = database();
        let first = submit_one(&mut conn, pending(7, &["K7-4XN"]));
        assert_eq!(first, created("K7-4XN"));
        let again = submit_one(&mut conn, pending(7, &["AC-EFH"]));
        assert_eq!(again, replayed("K7-4XN"));
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn the_same_id_with_other_answers_is_refused_and_the_stored_request_kept() {
        let mut conn = database();
        submit_one(&mut conn, pending(7, &["K7-4XN"]));
        let mut other = pending(7, &["AC-EFH"]);
        other.request.contact = "0999 999 999".into();
        assert_eq!(submit_one(&mut conn, other), Some(Receipt::Conflict));
        let (id_hash, blob): (String, Vec<u8>) = conn
            .query_row("SELECT id_hash, sealed FROM help_request", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row");
        let personal = open_personal(&test_key().0, &id_hash, &blob).expect("opens");
        assert_eq!(personal.contact, "0912 345 678");
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn neither_the_uuid_nor_an_answer_is_stored_in_plain() {
        let mut conn = database();
        let mut first = pending(7, &["K7-4XN"]);
        first.request.name = "Nguyễn Thị Mai".into();
        let id = first.request.client_id.clone();
        submit_one(&mut conn, first);
        let dump: String = conn
            .query_row(
                "SELECT id_hash || reference || kind || country || channel || language
                     || body_hash || hex(sealed) FROM help_request",
                [],
                |r| r.get(0),
            )
            .expect("row");
        for secret in [id.as_str(), "0912 345 678", "Nguyễn", "wages-withheld"] {
            assert!(!dump.contains(secret), "{secret} is stored in plain");
        }
        let personal = Personal {
            contact: "0912 345 678".into(),
            ticked: vec!["forced-labour/wages-withheld".into()],
            name: "Nguyễn Thị Mai".into(),
            ..Personal::default()
        };
        let plain = ["not-paid", "kr", "zalo", "vi"];
        let guess = body_hash("another-uuid", plain, false, &personal);
        assert!(
            !dump.contains(&guess),
            "a guess keyed otherwise matches nothing"
        );
        assert!(dump.contains(&body_hash(&id, plain, false, &personal)));
    }

    #[test]
    fn a_taken_code_moves_on_to_the_next_candidate() {
        let mut conn = database();
        submit_one(&mut conn, pending(1, &["K7-4XN"]));
        let second = submit_one(&mut conn, pending(2, &["K7-4XN", "AC-EFH"]));
        assert_eq!(second, created("AC-EFH"));
        let none_left = submit_one(&mut conn, pending(3, &["K7-4XN", "AC-EFH"]));
        assert_eq!(none_left, None);
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn several_requests_in_one_batch_are_stored_together_and_answered_in_order() {
        let mut conn = database();
        let batch = [
            sealed(1, &["K7-4XN"]),
            sealed(2, &["K7-4XN", "AC-EFH"]),
            sealed(3, &["MN-PRT"]),
        ];
        let receipts = submit(&mut conn, &batch).expect("committed");
        assert_eq!(
            receipts,
            [created("K7-4XN"), created("AC-EFH"), created("MN-PRT")],
            "a code taken earlier in the same batch is taken"
        );
        assert_eq!(count(&conn), 3);
    }

    #[test]
    fn the_same_uuid_twice_in_one_batch_is_one_row_under_one_reference() {
        let mut conn = database();
        let batch = [
            sealed(9, &["K7-4XN"]),
            sealed(10, &["AC-EFH"]),
            sealed(9, &["MN-PRT"]),
        ];
        let receipts = submit(&mut conn, &batch).expect("committed");
        assert_eq!(
            receipts,
            [created("K7-4XN"), created("AC-EFH"), replayed("K7-4XN")]
        );
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn a_request_that_fails_is_undone_alone_and_the_batch_commits() {
        let mut conn = database();
        let mut broken = sealed(2, &["AC-EFH"]);
        // Past every check in `validate`; only the table's own CHECK refuses it.
        broken.kind = "loan".into();
        let batch = [sealed(1, &["K7-4XN"]), broken, sealed(3, &["MN-PRT"])];
        let receipts = submit(&mut conn, &batch).expect("committed");
        assert_eq!(receipts, [created("K7-4XN"), None, created("MN-PRT")]);
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn a_batch_whose_commit_fails_stores_nothing() {
        let mut conn = database();
        fail_every_commit(&conn);
        let batch = [sealed(1, &["K7-4XN"]), sealed(2, &["AC-EFH"])];
        assert!(submit(&mut conn, &batch).is_err());
        assert!(
            conn.is_autocommit(),
            "the failed transaction is rolled back"
        );
        assert_eq!(count(&conn), 0);
    }

    #[test]
    fn ten_thousand_requests_get_ten_thousand_different_references() {
        let mut conn = database();
        let template = sealed(0, &[]);
        let mut references = BTreeSet::new();
        for first in (0..10_000).step_by(100) {
            // One blob for all: this is about reference codes, and sealing 10,000 times in
            // an unoptimised build takes minutes.
            let batch: Vec<Sealed> = (first..first + 100)
                .map(|id| Sealed {
                    id_hash: id_hash(&uuid::Uuid::from_u128(id).to_string()),
                    candidates: (0..4).map(|_| new_reference().expect("random")).collect(),
                    ..template.clone()
                })
                .collect();
            for receipt in submit(&mut conn, &batch).expect("committed") {
                let receipt = receipt.expect("a free code");
                references.insert(receipt.reference().expect("created").to_owned());
            }
        }
        assert_eq!(references.len(), 10_000);
        assert_eq!(count(&conn), 10_000);
    }
}
