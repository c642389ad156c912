//! The intake writer: group commit for help requests.
//!
//! A request is acknowledged only once it is on disk, and a sync to disk takes a millisecond
//! or more, as long as serving several requests. So one task writes them all: it takes every
//! request that arrived while the previous batch was being written, stores them in one
//! transaction, with one sync, and answers each only after that transaction committed. Under
//! load the batches grow by themselves; a lone request is written at once, without waiting
//! for company.

use super::store::{self, Pending, Receipt, Sealed};
use crate::db::Db;
use crate::ops::health::Health;
use crate::seal::SealKey;
use rusqlite::Connection;
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};

/// The most requests one transaction holds: far more than arrive during one sync, and few
/// enough that one batch never holds the writer connection for long.
const BATCH_MAX: usize = 256;

/// Requests that may wait for the writer; past this, senders wait for room.
const QUEUE_MAX: usize = 4096;

/// A request waiting to be stored, and where its answer goes.
struct Job {
    sealed: Sealed,
    answer: oneshot::Sender<Option<Receipt>>,
}

/// The way into the intake writer; cheap to clone.
#[derive(Clone)]
pub struct Intake {
    jobs: mpsc::Sender<Job>,
    /// What every request is sealed to before it is queued: the database's key, taken again
    /// by the writer when it changed (a hub paired while serving). A request sealed to the
    /// old key meanwhile is not stored, and the phone's outbox sends it again.
    key: Arc<RwLock<Arc<SealKey>>>,
}

impl Intake {
    /// Starts the writer on the current tokio runtime. It writes through `db`'s one writer
    /// connection, so it takes turns with every other write, and stops when the last
    /// `Intake` is dropped.
    pub fn start(db: Db, key: Arc<SealKey>, health: Arc<Health>) -> Intake {
        let (jobs, queue) = mpsc::channel(QUEUE_MAX);
        let key = Arc::new(RwLock::new(key));
        tokio::spawn(write_batches(db, queue, Arc::clone(&key), health));
        Intake { jobs, key }
    }

    /// Seals `pending` and stores it, answering once the transaction that holds it has
    /// committed; `None` when it was not stored, so it must be sent again. The sealing runs
    /// here, on the sender's task, so that the one writer only writes.
    pub async fn submit(&self, pending: Pending) -> Option<Receipt> {
        let key = Arc::clone(&self.key.read().unwrap_or_else(|p| p.into_inner()));
        let sealed = pending
            .seal(&key)
            .inspect_err(|error| tracing::error!(%error, "sealing a help request"))
            .ok()?;
        self.submit_sealed(sealed).await
    }

    /// Stores a request sealed already.
    pub async fn submit_sealed(&self, sealed: Sealed) -> Option<Receipt> {
        let (answer, receipt) = oneshot::channel();
        self.jobs.send(Job { sealed, answer }).await.ok()?;
        // A job dropped unanswered (its batch panicked) reads as "not stored".
        receipt.await.ok().flatten()
    }
}

async fn write_batches(
    db: Db,
    mut queue: mpsc::Receiver<Job>,
    key: Arc<RwLock<Arc<SealKey>>>,
    health: Arc<Health>,
) {
    let mut jobs = Vec::with_capacity(BATCH_MAX);
    // Waits for one request, then takes whatever else is waiting, up to BATCH_MAX.
    while queue.recv_many(&mut jobs, BATCH_MAX).await > 0 {
        let batch = std::mem::replace(&mut jobs, Vec::with_capacity(BATCH_MAX));
        let (key, health) = (Arc::clone(&key), Arc::clone(&health));
        let written = db
            .write(move |conn| {
                write_batch(conn, batch, &key, &health);
                Ok(())
            })
            .await;
        if let Err(error) = written {
            tracing::error!(%error, "the help request writer failed; its batch is answered not stored");
        }
    }
}

/// Takes the database's key again when it is not the one requests are sealed to.
fn renew_key(conn: &Connection, slot: &RwLock<Arc<SealKey>>) {
    match crate::seal::keys::seal_key(conn) {
        Ok(key) => {
            let mut held = slot.write().unwrap_or_else(|p| p.into_inner());
            if **held != key {
                tracing::warn!(key = %key.fingerprint(), "help requests are sealed to a new key from now on");
                *held = Arc::new(key);
            }
        }
        Err(error) => tracing::error!(%error, "reading the organisation's key"),
    }
}

/// Stores `jobs` in one transaction, then answers each: its receipt, or `None` for every job
/// when the transaction did not commit. When some job was not stored, the key is taken again
/// before anyone is answered, so that a resend is sealed to the key that stores it.
fn write_batch(conn: &mut Connection, jobs: Vec<Job>, key: &RwLock<Arc<SealKey>>, health: &Health) {
    let (batch, answers): (Vec<Sealed>, Vec<_>) =
        jobs.into_iter().map(|job| (job.sealed, job.answer)).unzip();
    let receipts = match store::submit(conn, &batch) {
        Ok(receipts) => {
            tracing::debug!(requests = batch.len(), "help requests committed");
            health.write_succeeded();
            receipts
        }
        Err(error) => {
            // A full disk is logged by `health`, once a minute; anything else here.
            if !health.write_failed(&error, batch.len()) {
                tracing::error!(%error, requests = batch.len(), "a batch of help requests could not be stored");
            }
            vec![None; batch.len()]
        }
    };
    if receipts.iter().any(Option::is_none) {
        renew_key(conn, key);
    }
    for (answer, receipt) in answers.into_iter().zip(receipts) {
        // The sender may have gone (the person closed the connection); the request is
        // stored all the same, and a replay finds it.
        let _ = answer.send(receipt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::new_reference;
    use crate::help::store::tests::{
        fail_every_commit, pending, request, sealed, test_key, use_test_key,
    };
    use std::path::Path;

    /// A job, and the receiver its answer arrives on.
    fn job(id: u128, candidates: &[&str]) -> (Job, oneshot::Receiver<Option<Receipt>>) {
        let (answer, receipt) = oneshot::channel();
        let job = Job {
            sealed: sealed(id, candidates),
            answer,
        };
        (job, receipt)
    }

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        use_test_key(&conn);
        conn
    }

    fn answer(mut receipt: oneshot::Receiver<Option<Receipt>>) -> Option<Receipt> {
        receipt.try_recv().expect("answered")
    }

    fn held() -> RwLock<Arc<SealKey>> {
        RwLock::new(Arc::new(test_key().1))
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM help_request", [], |r| r.get(0))
            .expect("count")
    }

    #[test]
    fn one_batch_answers_each_request_and_the_same_uuid_with_the_same_reference() {
        let mut conn = database();
        let (first, first_answer) = job(1, &["K7-4XN"]);
        let (other, other_answer) = job(2, &["AC-EFH"]);
        let (again, again_answer) = job(1, &["MN-PRT"]);
        write_batch(
            &mut conn,
            vec![first, other, again],
            &held(),
            &Health::default(),
        );
        assert_eq!(
            answer(first_answer),
            Some(Receipt::Created("K7-4XN".into()))
        );
        assert_eq!(
            answer(other_answer),
            Some(Receipt::Created("AC-EFH".into()))
        );
        assert_eq!(
            answer(again_answer),
            Some(Receipt::Replayed("K7-4XN".into()))
        );
        assert_eq!(count(&conn), 2);
    }

    #[test]
    fn a_batch_whose_commit_fails_is_answered_not_stored() {
        let mut conn = database();
        fail_every_commit(&conn);
        let (first, first_answer) = job(1, &["K7-4XN"]);
        let (second, second_answer) = job(2, &["AC-EFH"]);
        write_batch(&mut conn, vec![first, second], &held(), &Health::default());
        assert_eq!(answer(first_answer), None);
        assert_eq!(answer(second_answer), None);
        assert_eq!(count(&conn), 0);
    }

    /// The writer on an in-memory database: `:memory:` gives the one writer connection a
    /// database of its own.
    async fn intake() -> (Intake, Db) {
        let db = Db::open(Path::new(":memory:")).expect("memory db");
        db.write(|conn| {
            use_test_key(conn);
            Ok(())
        })
        .await
        .expect("test key");
        (
            Intake::start(db.clone(), Arc::new(test_key().1), Arc::default()),
            db,
        )
    }

    async fn stored(db: &Db) -> i64 {
        db.write(|conn| Ok(count(conn))).await.expect("count")
    }

    #[tokio::test]
    async fn requests_sent_at_once_are_each_answered_once_stored() {
        let (intake, db) = intake().await;
        let mut sent = tokio::task::JoinSet::new();
        // 100 requests, each UUID sent twice, all at once.
        for n in 0..200_u128 {
            let intake = intake.clone();
            let request = Pending {
                request: request(n % 100),
                candidates: (0..4).map(|_| new_reference().expect("random")).collect(),
            };
            sent.spawn(async move { (n % 100, intake.submit(request).await) });
        }
        let mut references = std::collections::BTreeMap::new();
        let mut created = 0;
        while let Some(answered) = sent.join_next().await {
            let (id, receipt) = answered.expect("joined");
            let receipt = receipt.expect("stored");
            created += usize::from(matches!(receipt, Receipt::Created(_)));
            let reference = receipt.reference().expect("no conflict").to_owned();
            let first = references.entry(id).or_insert(reference.clone());
            assert_eq!(*first, reference, "one reference per UUID");
        }
        assert_eq!(created, 100);
        assert_eq!(stored(&db).await, 100);
    }

    #[tokio::test]
    async fn after_the_key_changes_a_request_sealed_to_the_old_one_is_refused_and_the_next_sealed_to_the_new()
     {
        let (intake, db) = intake().await;
        let (_, central) = crate::seal::OpenKey::derive(&[9u8; crate::seal::SEED]);
        let new_key = central.to_bytes();
        db.write(move |conn| conn.execute("UPDATE org_key SET public_key = ?1", [new_key]))
            .await
            .expect("paired");
        assert_eq!(intake.submit(pending(1, &["K7-4XN"])).await, None);
        let again = intake.submit(pending(1, &["K7-4XN"])).await;
        assert!(matches!(again, Some(Receipt::Created(_))));
        assert_eq!(stored(&db).await, 1);
    }

    #[tokio::test]
    async fn a_failed_commit_is_answered_not_stored_and_a_later_one_stores() {
        let (intake, db) = intake().await;
        db.write(|conn| {
            fail_every_commit(conn);
            Ok(())
        })
        .await
        .expect("breaker");
        let (first, second) = tokio::join!(
            intake.submit(pending(1, &["K7-4XN"])),
            intake.submit(pending(2, &["AC-EFH"])),
        );
        assert_eq!((first, second), (None, None));
        assert_eq!(stored(&db).await, 0);

        db.write(|conn| conn.execute_batch("DROP TRIGGER temp.break_commit"))
            .await
            .expect("mended");
        let again = intake.submit(pending(1, &["K7-4XN"])).await;
        assert!(matches!(again, Some(Receipt::Created(_))));
        assert_eq!(stored(&db).await, 1);
    }
}
