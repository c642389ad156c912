//! Storing help requests: once per client UUID, each under a reference code no other request
//! has. Requests that arrive together are stored together, in one transaction and so with one
//! sync to disk (see [`super::intake`]); the database runs with `synchronous = FULL`, so once
//! that transaction committed, every request in it survives a crash or power cut.

use super::NewRequest;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

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

/// Stores every request of `batch` in one IMMEDIATE transaction, each under the first of its
/// candidates that no other request has, and answers them in order. A request answered
/// `None` was not stored: every candidate was taken, or its statements failed; the rest of
/// the batch is stored all the same. An `Err` means the transaction did not commit, so
/// nothing of the batch was stored.
pub fn submit(conn: &mut Connection, batch: &[Pending]) -> rusqlite::Result<Vec<Option<Receipt>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut receipts = Vec::with_capacity(batch.len());
    for pending in batch {
        // One savepoint per request: a failing request is undone alone.
        let savepoint = tx.savepoint()?;
        match store_one(&savepoint, pending) {
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
    tx.commit()?;
    Ok(receipts)
}

/// The stored request's receipt if its UUID is known (from an earlier batch or earlier in
/// this one), else the receipt of a new row; `None` if every candidate code is taken.
fn store_one(conn: &Connection, pending: &Pending) -> rusqlite::Result<Option<Receipt>> {
    let request = &pending.request;
    let ticked = request.ticked.join("\n");
    let hash = body_hash(&request.client_id, &answers(request, &ticked));
    if let Some((reference, stored)) = stored_hash(conn, &request.client_id)? {
        return Ok(Some(if stored == hash {
            Receipt::Replayed(reference)
        } else {
            Receipt::Conflict
        }));
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO help_request (client_id, reference, kind, country, place, channel,
             contact, safe_time, name, message, language, ticked, body_hash, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
             strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (reference) DO NOTHING",
    )?;
    for reference in &pending.candidates {
        let inserted = insert.execute(params![
            request.client_id,
            reference,
            request.kind,
            request.country,
            request.place,
            request.channel,
            request.contact,
            request.safe_time,
            request.name,
            request.message,
            request.language.code(),
            ticked,
            hash,
        ])?;
        if inserted == 1 {
            return Ok(Some(Receipt::Created(reference.clone())));
        }
    }
    Ok(None)
}

/// The answers a request's hash covers, in the order of the table's columns; `ticked` is
/// the signs as the table stores them, one per line.
fn answers<'a>(request: &'a NewRequest, ticked: &'a str) -> [&'a str; 10] {
    [
        request.kind,
        request.country,
        &request.place,
        request.channel,
        &request.contact,
        &request.safe_time,
        &request.name,
        &request.message,
        request.language.code(),
        ticked,
    ]
}

/// SHA-256 of the client id and every checked answer, each length-prefixed so that no two
/// different requests share an encoding. The id makes each row's hash its own.
fn body_hash(client_id: &str, answers: &[&str; 10]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in std::iter::once(client_id).chain(answers.iter().copied()) {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    crate::web::hex(&hasher.finalize())
}

/// The reference and body hash of the request stored under `client_id`. A row stored before
/// hashes were kept (migration 0008) gets its hash from its columns, written back once.
fn stored_hash(conn: &Connection, client_id: &str) -> rusqlite::Result<Option<(String, String)>> {
    let row = conn
        .prepare_cached(
            "SELECT reference, body_hash, kind, country, place, channel, contact, safe_time,
                 name, message, language, ticked
             FROM help_request WHERE client_id = ?1",
        )?
        .query_row([client_id], |r| {
            let columns: Vec<String> = (2..12).map(|i| r.get(i)).collect::<Result<_, _>>()?;
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                columns,
            ))
        })
        .optional()?;
    let Some((reference, hash, columns)) = row else {
        return Ok(None);
    };
    if let Some(hash) = hash {
        return Ok(Some((reference, hash)));
    }
    let columns: [&str; 10] = std::array::from_fn(|i| columns[i].as_str());
    let hash = body_hash(client_id, &columns);
    conn.prepare_cached("UPDATE help_request SET body_hash = ?1 WHERE client_id = ?2")?
        .execute([&hash, client_id])?;
    Ok(Some((reference, hash)))
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
        conn
    }

    fn submit_one(conn: &mut Connection, pending: Pending) -> Option<Receipt> {
        let mut receipts = submit(conn, &[pending]).expect("committed");
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
        let contact: String = conn
            .query_row("SELECT contact FROM help_request", [], |r| r.get(0))
            .expect("row");
        assert_eq!(contact, "0912 345 678");
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn a_row_from_before_hashes_is_hashed_from_its_columns() {
        let mut conn = database();
        submit_one(&mut conn, pending(7, &["K7-4XN"]));
        conn.execute("UPDATE help_request SET body_hash = NULL", [])
            .expect("as before migration 0008");
        assert_eq!(
            submit_one(&mut conn, pending(7, &["AC-EFH"])),
            replayed("K7-4XN")
        );
        let mut other = pending(7, &["MN-PRT"]);
        other.request.message = "different".into();
        assert_eq!(submit_one(&mut conn, other), Some(Receipt::Conflict));
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
            pending(1, &["K7-4XN"]),
            pending(2, &["K7-4XN", "AC-EFH"]),
            pending(3, &["MN-PRT"]),
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
            pending(9, &["K7-4XN"]),
            pending(10, &["AC-EFH"]),
            pending(9, &["MN-PRT"]),
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
        let mut broken = pending(2, &["AC-EFH"]);
        // Past every check in `validate`; only the table's own CHECK refuses it.
        broken.request.kind = "loan";
        let batch = [pending(1, &["K7-4XN"]), broken, pending(3, &["MN-PRT"])];
        let receipts = submit(&mut conn, &batch).expect("committed");
        assert_eq!(receipts, [created("K7-4XN"), None, created("MN-PRT")]);
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn a_batch_whose_commit_fails_stores_nothing() {
        let mut conn = database();
        fail_every_commit(&conn);
        let batch = [pending(1, &["K7-4XN"]), pending(2, &["AC-EFH"])];
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
        let mut references = BTreeSet::new();
        for first in (0..10_000).step_by(100) {
            let batch: Vec<Pending> = (first..first + 100)
                .map(|id| Pending {
                    request: request(id),
                    candidates: (0..4).map(|_| new_reference().expect("random")).collect(),
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
