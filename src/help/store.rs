//! Storing help requests: once per client UUID, each under a reference code no other request
//! has. A request is acknowledged only after its transaction committed (the database runs
//! with `synchronous = FULL`), so an acknowledged request survives a crash or power cut.

use super::NewRequest;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// What the person is told: their reference, and whether this call stored the request or
/// found it stored already (a replay from an offline outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub reference: String,
    pub created: bool,
}

/// Stores `request` under the first of `candidates` that no other request has. Returns
/// `None` only if every candidate is taken, which the caller answers with "try again".
pub fn submit(
    conn: &mut Connection,
    request: &NewRequest,
    candidates: &[String],
) -> rusqlite::Result<Option<Receipt>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored: Option<String> = tx
        .query_row(
            "SELECT reference FROM help_request WHERE client_id = ?1",
            [&request.client_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(reference) = stored {
        return Ok(Some(Receipt {
            reference,
            created: false,
        }));
    }
    for reference in candidates {
        let inserted = tx.execute(
            "INSERT INTO help_request (client_id, reference, kind, country, place, channel,
                 contact, safe_time, name, message, language, ticked, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                 strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (reference) DO NOTHING",
            params![
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
            ],
        )?;
        if inserted == 1 {
            tx.commit()?;
            return Ok(Some(Receipt {
                reference: reference.clone(),
                created: true,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::{HelpInput, new_reference};
    use std::collections::BTreeSet;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    fn request(id: u128) -> NewRequest {
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

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0))
            .expect("count")
    }

    #[test]
    fn a_replayed_request_gets_its_first_reference_and_is_stored_once() {
        let mut conn = database();
        let first = submit(&mut conn, &request(7), &["K7-4XN".into()])
            .expect("stored")
            .expect("a free code");
        assert_eq!(
            first,
            Receipt {
                reference: "K7-4XN".into(),
                created: true
            }
        );
        let again = submit(&mut conn, &request(7), &["AC-EFH".into()])
            .expect("stored")
            .expect("a free code");
        assert_eq!(
            again,
            Receipt {
                reference: "K7-4XN".into(),
                created: false
            }
        );
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn a_taken_code_moves_on_to_the_next_candidate() {
        let mut conn = database();
        submit(&mut conn, &request(1), &["K7-4XN".into()]).expect("first");
        let second = submit(&mut conn, &request(2), &["K7-4XN".into(), "AC-EFH".into()])
            .expect("second")
            .expect("a free code");
        assert_eq!(second.reference, "AC-EFH");
        let none_left =
            submit(&mut conn, &request(3), &["K7-4XN".into(), "AC-EFH".into()]).expect("third");
        assert_eq!(none_left, None);
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn ten_thousand_requests_get_ten_thousand_different_references() {
        let mut conn = database();
        let mut references = BTreeSet::new();
        for id in 0..10_000 {
            let candidates: Vec<String> =
                (0..4).map(|_| new_reference().expect("random")).collect();
            let receipt = submit(&mut conn, &request(id), &candidates)
                .expect("stored")
                .expect("a free code");
            references.insert(receipt.reference);
        }
        assert_eq!(references.len(), 10_000);
        assert_eq!(count(&conn), 10_000);
    }
}
