//! One sync of a hub with central, and the background loop that runs it whenever central
//! is reachable: requests up first (they matter most), then content down.

use super::bundle::{self, Applied};
use super::client::{SyncError, Upstream};
use super::{BATCH_MAX, Batch, Outcome, forward, identity};
use crate::db::Db;
use std::time::Duration;

/// What one sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Requests uploaded in this sync, and what central did with them.
    pub stored: usize,
    pub had: usize,
    pub refused: usize,
    pub retry: usize,
    /// Requests central had settled before (a batch whose answer was lost), deleted here
    /// without uploading them again.
    pub settled_before: usize,
    /// Requests still held after the sync.
    pub waiting: i64,
    pub content: Option<Applied>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "requests: {} stored at central, {} it had already, {} refused, {} to send again, \
             {} settled earlier; {} waiting",
            self.stored, self.had, self.refused, self.retry, self.settled_before, self.waiting
        )?;
        match &self.content {
            Some(applied) if applied.changes > 0 => write!(
                f,
                "; content: central version {} ({} changes applied)",
                applied.central, applied.changes
            ),
            Some(applied) => write!(
                f,
                "; content: central version {}, up to date",
                applied.central
            ),
            None => Ok(()),
        }
    }
}

/// The hub's upstream: `url` if given, else the address it was paired with.
async fn upstream(db: &Db, url: Option<&str>) -> Result<(Upstream, i64), SyncError> {
    let path = db.path().to_owned();
    let hub = db
        .write(move |c| {
            identity::check_placement(c, &path)?;
            identity::load(c)
        })
        .await?
        .ok_or(SyncError::NotPaired(
            "this database is not a hub: pair it first (passport hub pair URL CODE)",
        ))?;
    let token = hub.token.ok_or(SyncError::NotPaired(identity::MOVED))?;
    let upstream = Upstream::new(url.unwrap_or(&hub.upstream), Some(token))?;
    Ok((upstream, hub.central_version))
}

/// Forwards every held request, then takes central's content; `progress(done, total)` after
/// each batch.
pub async fn once(
    db: &Db,
    url: Option<&str>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Summary, SyncError> {
    let mut summary = Summary::default();
    attempt(db, url, progress, &mut summary).await?;
    Ok(summary)
}

/// One sync, telling in `summary` what it did even when it failed part of the way, and
/// recording the failure (or the contact) for the hub's page.
async fn attempt(
    db: &Db,
    url: Option<&str>,
    progress: &(dyn Fn(usize, usize) + Sync),
    summary: &mut Summary,
) -> Result<(), SyncError> {
    let result = run(db, url, progress, summary).await;
    let error = result.as_ref().err().map(ToString::to_string);
    db.write(move |c| {
        c.execute(
            "UPDATE hub_self SET last_error = ?1,
                 last_contact = CASE WHEN ?1 IS NULL
                     THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') ELSE last_contact END",
            [error],
        )
    })
    .await?;
    result
}

async fn run(
    db: &Db,
    url: Option<&str>,
    progress: &(dyn Fn(usize, usize) + Sync),
    summary: &mut Summary,
) -> Result<(), SyncError> {
    let (upstream, central_version) = upstream(db, url).await?;
    let status = upstream.status().await?;
    ask_certificate(db, &upstream).await?;
    let settled = status.last_seq;
    if db
        .write(move |c| identity::counter_behind(c, settled))
        .await?
    {
        return Err(SyncError::NotPaired(identity::RESTORED));
    }
    let (settled, total) = db
        .write(move |c| {
            let settled = forward::settle(c, status.last_seq)?;
            forward::number(c)?;
            Ok((settled, forward::waiting(c)?))
        })
        .await?;
    summary.settled_before = settled;
    let total = usize::try_from(total).unwrap_or(0);
    let mut done = 0;
    progress(done, total);
    loop {
        let requests = db.read(|c| forward::next_batch(c, BATCH_MAX)).await?;
        if requests.is_empty() {
            break;
        }
        let answer = upstream.send(&Batch { requests }).await?;
        for answered in &answer.answers {
            match answered.outcome {
                Outcome::Stored => summary.stored += 1,
                Outcome::Had => summary.had += 1,
                Outcome::Refused => {
                    tracing::warn!(
                        seq = answered.seq,
                        reason = answered.reason.as_deref().unwrap_or_default(),
                        "central refused a request for good"
                    );
                    summary.refused += 1;
                }
                Outcome::Retry => summary.retry += 1,
            }
        }
        let last_seq = answer.last_seq;
        let deleted = db.write(move |c| forward::settle(c, last_seq)).await?;
        done += deleted;
        progress(done.min(total), total);
        if deleted == 0 {
            // Central could store nothing now: the next sync tries again.
            break;
        }
    }
    // The bundle only when central has published since, or holds a certificate this hub
    // has not: most syncs need none.
    let held = db.read(super::names::serial).await?;
    let new_certificate = status.certificate.is_some() && status.certificate != held;
    summary.content = Some(
        if status.content_version > central_version || new_certificate {
            let bytes = upstream.bundle(central_version).await?;
            db.write(move |c| Ok(bundle::apply(c, &bytes))).await??
        } else {
            Applied {
                central: central_version,
                local: None,
                changes: 0,
            }
        },
    );
    summary.waiting = db.read(forward::waiting).await?;
    Ok(())
}

/// Sends the hub's certificate request, if it has a name. Central refusing it (it gave the
/// hub no name, say) does not stop the sync: requests matter more.
async fn ask_certificate(db: &Db, upstream: &Upstream) -> Result<(), SyncError> {
    let csr = match db.read(|c| Ok(super::names::request(c))).await? {
        Ok(Some(csr)) => csr,
        Ok(None) => return Ok(()),
        Err(error) => {
            tracing::warn!(%error, "making the hub's certificate request");
            return Ok(());
        }
    };
    match upstream.ask_certificate(&csr).await {
        Err(SyncError::Refused(why)) => {
            tracing::warn!(why, "central refused the hub's certificate request");
            Ok(())
        }
        other => other,
    }
}

/// The longest wait between tries while central is unreachable.
const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// Syncs in the background: every `every` while central answers, and after a failure again
/// after 1 s, 2 s, 4 s … up to a minute. Serving never waits for any of it: a bundle
/// applied is a new content version, which the server's watch renders into the page cache
/// (`offline::warm::spawn_watch`).
pub fn spawn(db: Db, url: Option<String>, every: Duration) {
    tokio::spawn(async move {
        let mut backoff = Duration::from_secs(1);
        loop {
            let mut summary = Summary::default();
            let wait = match attempt(&db, url.as_deref(), &|_, _| {}, &mut summary).await {
                Ok(()) => {
                    backoff = Duration::from_secs(1);
                    if summary.stored + summary.had + summary.refused > 0
                        || summary.content.is_some_and(|c| c.changes > 0)
                    {
                        tracing::info!(%summary, "synced with central");
                    }
                    every
                }
                Err(SyncError::NotPaired(why)) => {
                    tracing::warn!(why, "not syncing");
                    BACKOFF_MAX
                }
                Err(error) => {
                    // A link that fails often but moves requests on is tried again at once.
                    if summary.settled_before + summary.stored + summary.had + summary.refused > 0 {
                        backoff = Duration::from_secs(1);
                    }
                    tracing::warn!(%error, retry_in = ?backoff, "syncing with central");
                    let wait = backoff;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                    wait
                }
            };
            tokio::time::sleep(wait).await;
        }
    });
}
