//! Storing help requests: once per client UUID, each under a reference code no other request
//! has. Requests that arrive together are stored together, in one transaction and so with one
//! sync to disk (see [`super::intake`]); the database runs with `synchronous = FULL`, so once
//! that transaction committed, every request in it survives a crash or power cut.

use super::NewRequest;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// What the person is told: their reference, and whether this call stored the request or
/// found it stored already (a replay from an offline outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub reference: String,
    pub created: bool,
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
    let stored: Option<String> = conn
        .prepare_cached("SELECT reference FROM help_request WHERE client_id = ?1")?
        .query_row([&request.client_id], |r| r.get(0))
        .optional()?;
    if let Some(reference) = stored {
        return Ok(Some(Receipt {
            reference,
            created: false,
        }));
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO help_request (client_id, reference, kind, country, place, channel,
             contact, safe_time, name, message, language, ticked, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
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
            request.ticked.join("\n"),
        ])?;
        if inserted == 1 {
            return Ok(Some(Receipt {
                reference: reference.clone(),
                created: true,
            }));
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
        Some(Receipt {
            reference: reference.into(),
            created: true,
        })
    }

    fn replayed(reference: &str) -> Option<Receipt> {
        Some(Receipt {
            reference: reference.into(),
            created: false,
        })
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
                references.insert(receipt.expect("a free code").reference);
            }
        }
        assert_eq!(references.len(), 10_000);
        assert_eq!(count(&conn), 10_000);
    }
}
