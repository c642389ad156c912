//! Requests, hub → central, exactly once.
//!
//! At the hub, every request it holds gets the next number of its own counter
//! (`hub_outbox`, AUTOINCREMENT: never reused), in the order it arrived. Central keeps, per
//! hub, the highest number it has *settled*: every request up to it is stored, was stored
//! already, or was refused for good. It advances that number in the same transaction that
//! stores the batch. So a hub first asks for it and deletes what it covers, and whatever the
//! point at which a connection was cut, or either side killed, it resumes at the first
//! request central has not settled: nothing is lost, and nothing already stored is uploaded
//! again. The phone's UUID digest and the keyed hash of its answers let central tell a
//! request it already holds (from this hub, another, or the phone itself) from a conflict.
//! No clock orders anything; a request's time at central is its age at the hub subtracted
//! from central's clock.

use super::{Answered, Batch, BatchAnswer, Forwarded, Outcome, b64, unb64};
use crate::help::rules::{CHANNELS, COUNTRIES, KINDS};
use crate::help::store::{self, Receipt, Sealed, Via};
use crate::i18n::Locale;
use rusqlite::{Connection, TransactionBehavior, params};

/// The largest sealed blob central takes: far above the largest request the form allows.
const SEALED_MAX: usize = 16 * 1024;

/// Gives every held request without a number the next ones, in the order they arrived.
pub fn number(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO hub_outbox (request_id)
         SELECT id FROM help_request
         WHERE id NOT IN (SELECT request_id FROM hub_outbox) ORDER BY id",
        [],
    )
}

/// How many requests the hub holds, waiting for central.
pub fn waiting(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0))
}

/// How long a hub remembers what it let go of (`hub_forwarded`).
const REMEMBERED_DAYS: u32 = 30;

/// Deletes every request central has settled, up to `last_seq`, remembering each one's id,
/// answers' hash and reference; returns how many.
pub fn settle(conn: &Connection, last_seq: i64) -> rusqlite::Result<usize> {
    conn.execute(
        &format!(
            "DELETE FROM hub_forwarded
             WHERE forwarded_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{REMEMBERED_DAYS} days')"
        ),
        [],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO hub_forwarded (id_hash, body_hash, reference, forwarded_at)
         SELECT r.id_hash, r.body_hash, r.reference, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         FROM hub_outbox o JOIN help_request r ON r.id = o.request_id WHERE o.seq <= ?1",
        [last_seq],
    )?;
    conn.execute(
        "DELETE FROM help_request WHERE id IN
             (SELECT request_id FROM hub_outbox WHERE seq <= ?1)",
        [last_seq],
    )
}

/// The first `max` requests not yet settled, in counter order, as they are forwarded.
pub fn next_batch(conn: &Connection, max: usize) -> rusqlite::Result<Vec<Forwarded>> {
    let sealed_to = b64(&own_key(conn)?);
    let mut statement = conn.prepare_cached(
        "SELECT o.seq, r.id_hash, r.body_hash, r.kind, r.country, r.channel, r.language,
             r.sealed, r.reference, r.urgent,
             max(0, CAST(strftime('%s', 'now') AS INTEGER)
                 - CAST(strftime('%s', r.received_at) AS INTEGER))
         FROM hub_outbox o JOIN help_request r ON r.id = o.request_id
         ORDER BY o.seq LIMIT ?1",
    )?;
    let rows = statement.query_map([max as i64], |r| {
        Ok(Forwarded {
            seq: r.get(0)?,
            id_hash: r.get(1)?,
            body_hash: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            kind: r.get(3)?,
            country: r.get(4)?,
            channel: r.get(5)?,
            language: r.get(6)?,
            sealed: b64(&r.get::<_, Vec<u8>>(7)?),
            sealed_to: sealed_to.clone(),
            reference: r.get(8)?,
            urgent: r.get(9)?,
            age_secs: u32::try_from(r.get::<_, i64>(10)?).unwrap_or(u32::MAX),
        })
    })?;
    rows.collect()
}

/// The public key this database seals to, as stored; an error (answered "try again
/// later") when it cannot be read.
fn own_key(conn: &Connection) -> rusqlite::Result<Vec<u8>> {
    crate::seal::keys::public_bytes(conn)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// Why central refuses a forwarded request for good, if it does: nothing about it could
/// ever be stored.
fn refusal(request: &Forwarded, own_key: &str) -> Option<&'static str> {
    let hex64 = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex64(&request.id_hash) || !hex64(&request.body_hash) {
        Some("the request's digests are malformed")
    } else if !crate::help::is_reference(&request.reference) {
        Some("its reference is not a reference code")
    } else if request.sealed_to != own_key {
        Some("it is sealed to another organisation's key")
    } else if request.sealed.len() > SEALED_MAX * 4 / 3 + 4 {
        Some("it is larger than any request can be")
    } else {
        None
    }
}

/// Whether a triage field has a value this release does not know: a hub on a newer release
/// than central. Not stored now, and not refused: once central is upgraded it is.
fn unknown_value(request: &Forwarded) -> bool {
    !KINDS.contains(&request.kind.as_str())
        || !CHANNELS.contains(&request.channel.as_str())
        || !COUNTRIES.contains(&request.country.as_str())
        || Locale::from_code(&request.language).is_none()
}

/// What central knows of the hub a batch comes from.
struct Sender {
    hub: i64,
    /// Its highest settled counter.
    settled: i64,
    /// The oldest a request from it can be: the time since it was paired. A hub whose clock
    /// was set right in the meantime (a dead clock battery) cannot date a request years back,
    /// where the retention purge would take it at once.
    max_age: u32,
    own_key: Vec<u8>,
}

/// Stores a batch from `hub`, answering each request, and advances the hub's settled
/// counter past every request settled without a gap, all in one transaction.
pub fn receive(conn: &mut Connection, hub: i64, batch: &Batch) -> rusqlite::Result<BatchAnswer> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (name, settled, max_age): (String, i64, i64) = tx.query_row(
        "SELECT name, last_seq, CAST(strftime('%s', 'now') AS INTEGER)
             - CAST(strftime('%s', coalesce(paired_at, created_at)) AS INTEGER)
         FROM hub WHERE id = ?1",
        [hub],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let sender = Sender {
        hub,
        settled,
        max_age: u32::try_from(max_age.max(0)).unwrap_or(u32::MAX),
        own_key: own_key(&tx)?,
    };
    let mut requests: Vec<&Forwarded> = batch.requests.iter().collect();
    requests.sort_by_key(|r| r.seq);
    requests.dedup_by_key(|r| r.seq);
    let mut answers = Vec::with_capacity(requests.len());
    let (mut at, mut to_store) = (Vec::new(), Vec::new());
    for request in requests {
        match triage(&tx, request, &sender)? {
            Ok(sealed) => {
                at.push(answers.len());
                answers.push(answered(request.seq, Outcome::Stored, None));
                to_store.push(sealed);
            }
            Err(answer) => answers.push(answer),
        }
    }
    let receipts = store::submit_in(&mut tx, &to_store)?;
    let mut stored = 0_i64;
    for (at, receipt) in at.into_iter().zip(receipts) {
        stored += i64::from(matches!(receipt, Some(Receipt::Created(_))));
        answers[at] = answered(answers[at].seq, outcome(&receipt), reason(&receipt));
    }
    let last_seq = answers
        .iter()
        .take_while(|a| a.outcome != Outcome::Retry)
        .map(|a| a.seq)
        .fold(settled, i64::max);
    record_refusals(&tx, &name, &answers)?;
    tx.execute(
        "UPDATE hub SET last_seq = ?1, forwarded = forwarded + ?2,
             last_contact = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?3",
        params![last_seq, stored, hub],
    )?;
    tx.commit()?;
    Ok(BatchAnswer { answers, last_seq })
}

fn answered(seq: i64, outcome: Outcome, reason: Option<&str>) -> Answered {
    Answered {
        seq,
        outcome,
        reason: reason.map(str::to_owned),
    }
}

/// The request ready to store, or its answer without storing: settled already, or refused.
/// A request at or below the settled counter is "had" only if central holds it: a hub
/// restored from a backup numbers again from where the backup was, and what it took since
/// is stored like anything new.
fn triage(
    tx: &Connection,
    request: &Forwarded,
    sender: &Sender,
) -> rusqlite::Result<Result<Sealed, Answered>> {
    if request.seq <= sender.settled && store::holds(tx, &request.id_hash)? {
        return Ok(Err(answered(request.seq, Outcome::Had, None)));
    }
    Ok(checked(request, sender))
}

fn checked(request: &Forwarded, sender: &Sender) -> Result<Sealed, Answered> {
    let refuse = |why| answered(request.seq, Outcome::Refused, Some(why));
    if let Some(why) = refusal(request, &b64(&sender.own_key)) {
        return Err(refuse(why));
    }
    if unknown_value(request) {
        let why = "central's release does not know one of its values: upgrade central";
        return Err(answered(request.seq, Outcome::Retry, Some(why)));
    }
    let blob = unb64(&request.sealed)
        .filter(|b| b.len() <= SEALED_MAX)
        .ok_or_else(|| refuse("the sealed blob is malformed"))?;
    let candidates = candidates(&request.reference).ok_or_else(|| {
        answered(
            request.seq,
            Outcome::Retry,
            Some("central had no random numbers"),
        )
    })?;
    Ok(Sealed {
        id_hash: request.id_hash.clone(),
        body_hash: request.body_hash.clone(),
        kind: request.kind.clone(),
        urgent: request.urgent,
        country: request.country.clone(),
        channel: request.channel.clone(),
        language: request.language.clone(),
        sealed: blob,
        sealed_to: sender.own_key.clone(),
        candidates,
        via: Some(Via {
            hub: sender.hub,
            reference: request.reference.clone(),
            age_secs: request.age_secs.min(sender.max_age),
        }),
    })
}

fn outcome(receipt: &Option<Receipt>) -> Outcome {
    match receipt {
        Some(Receipt::Created(_)) => Outcome::Stored,
        Some(Receipt::Replayed(_)) => Outcome::Had,
        Some(Receipt::Conflict) => Outcome::Refused,
        None => Outcome::Retry,
    }
}

fn reason(receipt: &Option<Receipt>) -> Option<&'static str> {
    match receipt {
        Some(Receipt::Conflict) => Some("central holds another request under the same id"),
        None => Some("central could not store it now"),
        Some(_) => None,
    }
}

/// Refused for good and never stored: the audit log keeps why, and from which hub.
fn record_refusals(tx: &Connection, hub: &str, answers: &[Answered]) -> rusqlite::Result<()> {
    for refused in answers.iter().filter(|a| a.outcome == Outcome::Refused) {
        let why = refused.reason.as_deref().unwrap_or_default();
        let detail = format!("request {}: {why}", refused.seq);
        crate::staff::audit::record(tx, None, "hub-request-refused", hub, &detail)?;
    }
    Ok(())
}

/// The reference the person was told at the hub first, then fresh ones should it be taken.
fn candidates(told: &str) -> Option<Vec<String>> {
    let mut candidates = vec![told.to_owned()];
    for _ in 0..4 {
        candidates.push(crate::help::new_reference().ok()?);
    }
    Some(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::store::tests::{pending, sealed, test_key, use_test_key};

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        use_test_key(&conn);
        conn
    }

    /// A hub holding `n` requests, and a central that knows it as hub 1.
    fn hub_and_central(n: u128) -> (Connection, Connection) {
        let mut hub = database();
        for id in 0..n {
            let symbol = |n: u128| char::from(crate::help::REFERENCE_ALPHABET[(n % 18) as usize]);
            let reference = format!("K7-{}{}{}", symbol(id / 324), symbol(id / 18), symbol(id));
            let sealed = pending(id, &[reference.as_str()])
                .seal(&test_key().1)
                .expect("sealed");
            store::submit(&mut hub, &[sealed]).expect("stored");
        }
        number(&hub).expect("numbered");
        let central = database();
        central
            .execute(
                "INSERT INTO hub (id, name, created_at) VALUES (1, 'hall', 'now')",
                [],
            )
            .expect("hub");
        (hub, central)
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0))
            .expect("count")
    }

    /// One round as a hub runs it, with the answer lost on the way back when `cut`.
    fn round(hub: &mut Connection, central: &mut Connection, cut: bool) -> usize {
        let settled: i64 = central
            .query_row("SELECT last_seq FROM hub WHERE id = 1", [], |r| r.get(0))
            .expect("status");
        settle(hub, settled).expect("settled");
        let requests = next_batch(hub, 7).expect("batch");
        let sent = requests.len();
        let answer = receive(central, 1, &Batch { requests }).expect("received");
        if !cut {
            settle(hub, answer.last_seq).expect("settled");
        }
        sent
    }

    #[test]
    fn batches_cut_at_every_point_store_each_request_once_and_upload_none_twice() {
        let (mut hub, mut central) = hub_and_central(30);
        let mut uploaded = 0;
        let mut turn = 0;
        while waiting(&hub).expect("waiting") > 0 {
            uploaded += round(&mut hub, &mut central, turn % 2 == 0);
            turn += 1;
            assert!(turn < 100, "it ends");
        }
        assert_eq!(count(&central), 30);
        assert_eq!(uploaded, 30, "no request was uploaded twice");
        let forwarded: i64 = central
            .query_row("SELECT forwarded FROM hub", [], |r| r.get(0))
            .expect("count");
        assert_eq!(forwarded, 30);
    }

    #[test]
    fn a_phone_sending_again_after_the_hub_let_go_is_told_its_first_reference() {
        let (mut hub, mut central) = hub_and_central(1);
        let requests = next_batch(&hub, 10).expect("batch");
        let told = requests[0].reference.clone();
        let answer = receive(&mut central, 1, &Batch { requests }).expect("received");
        settle(&hub, answer.last_seq).expect("settled");
        assert_eq!(waiting(&hub).expect("waiting"), 0);
        let again = pending(0, &["AC-EFH"]).seal(&test_key().1).expect("sealed");
        let receipts = store::submit(&mut hub, &[again]).expect("stored");
        assert_eq!(receipts, [Some(Receipt::Replayed(told))]);
        assert_eq!(
            waiting(&hub).expect("waiting"),
            0,
            "nothing to forward twice"
        );
    }

    #[test]
    fn a_replayed_batch_is_answered_had_and_stores_nothing_new() {
        let (hub, mut central) = hub_and_central(3);
        let batch = Batch {
            requests: next_batch(&hub, 10).expect("batch"),
        };
        let first = receive(&mut central, 1, &batch).expect("first");
        assert!(first.answers.iter().all(|a| a.outcome == Outcome::Stored));
        let again = receive(&mut central, 1, &batch).expect("again");
        assert!(again.answers.iter().all(|a| a.outcome == Outcome::Had));
        assert_eq!(again.last_seq, first.last_seq);
        assert_eq!(count(&central), 3);
    }

    #[test]
    fn a_request_the_phone_sent_straight_to_central_is_had_and_stored_once() {
        let (hub, mut central) = hub_and_central(1);
        let direct = pending(0, &["AC-EFH"]).seal(&test_key().1).expect("sealed");
        store::submit(&mut central, &[direct]).expect("stored directly");
        let batch = Batch {
            requests: next_batch(&hub, 10).expect("batch"),
        };
        let answer = receive(&mut central, 1, &batch).expect("received");
        assert_eq!(answer.answers[0].outcome, Outcome::Had);
        assert_eq!(answer.last_seq, 1);
        assert_eq!(count(&central), 1);
    }

    #[test]
    fn a_malformed_request_is_refused_with_a_reason_and_the_rest_stored() {
        let (hub, mut central) = hub_and_central(4);
        let mut requests = next_batch(&hub, 10).expect("batch");
        requests[1].reference = "../hubs".into();
        requests[2].sealed_to = b64(&[1u8; 32]);
        let answer = receive(&mut central, 1, &Batch { requests }).expect("received");
        let outcomes: Vec<Outcome> = answer.answers.iter().map(|a| a.outcome).collect();
        let expected = [
            Outcome::Stored,
            Outcome::Refused,
            Outcome::Refused,
            Outcome::Stored,
        ];
        assert_eq!(outcomes, expected);
        let why = answer.answers[2].reason.clone().unwrap_or_default();
        assert!(why.contains("key"), "{why}");
        assert_eq!(answer.last_seq, 4, "refused for good is settled");
        assert_eq!(count(&central), 2);
    }

    #[test]
    fn a_value_central_does_not_know_waits_at_the_hub_and_holds_the_counter_back() {
        let (hub, mut central) = hub_and_central(3);
        let mut requests = next_batch(&hub, 10).expect("batch");
        requests[1].kind = "a-kind-of-a-newer-release".into();
        let answer = receive(&mut central, 1, &Batch { requests }).expect("received");
        let outcomes: Vec<Outcome> = answer.answers.iter().map(|a| a.outcome).collect();
        assert_eq!(outcomes, [Outcome::Stored, Outcome::Retry, Outcome::Stored]);
        assert_eq!(answer.last_seq, 1, "the hub keeps it, and what follows");
    }

    #[test]
    fn a_restored_hub_numbering_again_has_its_new_requests_stored_not_had() {
        let (hub, mut central) = hub_and_central(3);
        let first = Batch {
            requests: next_batch(&hub, 10).expect("batch"),
        };
        receive(&mut central, 1, &first).expect("received");
        // The same numbers again, for requests central never saw (a backup put back).
        let mut again = first.clone();
        for (n, request) in again.requests.iter_mut().enumerate() {
            let other = sealed(100 + n as u128, &["AC-EFH"]);
            request.id_hash = other.id_hash;
            request.body_hash = other.body_hash;
            request.reference = format!("AC-EF{}", ["H", "K", "M"][n]);
        }
        let answer = receive(&mut central, 1, &again).expect("received");
        assert!(answer.answers.iter().all(|a| a.outcome == Outcome::Stored));
        assert_eq!(count(&central), 6);
    }

    #[test]
    fn a_request_is_never_dated_before_its_hub_was_paired() {
        let (hub, mut central) = hub_and_central(1);
        central
            .execute(
                "UPDATE hub SET paired_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hour')",
                [],
            )
            .expect("paired an hour ago");
        let mut requests = next_batch(&hub, 10).expect("batch");
        requests[0].age_secs = 5 * 365 * 86_400;
        receive(&mut central, 1, &Batch { requests }).expect("received");
        let recent: bool = central
            .query_row(
                "SELECT received_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 hours')
                 FROM help_request",
                [],
                |r| r.get(0),
            )
            .expect("time");
        assert!(recent);
    }

    #[test]
    fn the_time_at_central_comes_from_the_age_not_the_hub_clock() {
        let (hub, mut central) = hub_and_central(1);
        // The hub's clock a day ahead: its request looks a day old... in the future.
        hub.execute(
            "UPDATE help_request SET received_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1 day')",
            [],
        )
        .expect("skewed");
        let requests = next_batch(&hub, 10).expect("batch");
        assert_eq!(requests[0].age_secs, 0);
        receive(&mut central, 1, &Batch { requests }).expect("received");
        let fresh: bool = central
            .query_row(
                "SELECT received_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute')
                     AND received_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 FROM help_request",
                [],
                |r| r.get(0),
            )
            .expect("time");
        assert!(fresh);
    }
}
