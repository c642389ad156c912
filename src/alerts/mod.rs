//! Alerts for new help requests (issue 21). A request that says "I am in danger now" can
//! arrive at night; central tells the organisation at once, by email (SMTP with STARTTLS or
//! TLS, never in clear) to the addresses an admin set, or by a webhook, and sends a daily
//! digest of the other requests.
//!
//! An alert holds a request's reference, kind, country and time, and a link to the staff
//! page: never a sealed field. Alerts are queued in the database ([`queue`]), so a restart or
//! a mail server that is down loses none: a failed send is logged, tried again later each
//! time, and shown on the staff pages until it goes through.

pub mod page;
pub mod queue;
pub mod send;

use crate::db::Db;
use crate::i18n::Locale;
use crate::site::Site;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Notify;

/// How often the worker looks for new requests and for alerts due again.
const POLL: Duration = Duration::from_secs(2);
/// How long an alert being sent is put off: longer than a send may take.
const CLAIM_SECS: i64 = 120;

/// A way of telling the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Webhook,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        [Channel::Email, Channel::Webhook]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// How central sends alerts, from `serve`'s options.
#[derive(Debug, Clone)]
pub struct Settings {
    pub email: Option<send::Smtp>,
    pub webhook: Option<reqwest::Url>,
    /// What signs each webhook post, if set.
    pub webhook_secret: Option<send::Secret>,
    /// The hour, UTC, of the daily digest.
    pub digest_hour: u8,
    /// The language of the alerts.
    pub locale: Locale,
}

impl Settings {
    pub fn channels(&self) -> Vec<Channel> {
        let mut channels = Vec::new();
        if self.email.is_some() {
            channels.push(Channel::Email);
        }
        if self.webhook.is_some() {
            channels.push(Channel::Webhook);
        }
        channels
    }
}

/// What the app knows of alerts: the settings, if alerts are on, and a bell that wakes the
/// worker (an admin queued a test).
#[derive(Debug, Default)]
pub struct Alerts {
    pub settings: Option<Settings>,
    pub wake: Notify,
}

fn unix(time: SystemTime) -> i64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Gets alerts ready at start: the sender built (a setting that cannot be used stops the
/// server from starting, rather than leaving alerts off unseen), and the unsent alerts of a
/// channel no longer set dropped, with a warning. `None` when alerts are off.
pub async fn prepare(
    db: &Db,
    alerts: &Alerts,
    public_url: Option<String>,
) -> Result<Option<send::Sender>, crate::error::StartError> {
    let channels = alerts
        .settings
        .as_ref()
        .map(Settings::channels)
        .unwrap_or_default();
    let kept = channels.clone();
    let dropped = db
        .write(move |c| queue::drop_unconfigured(c, &kept))
        .await?;
    if dropped > 0 {
        tracing::warn!(
            dropped,
            "unsent alerts of a channel that is no longer set were dropped"
        );
    }
    let Some(settings) = &alerts.settings else {
        return Ok(None);
    };
    let sender = send::Sender::new(settings, public_url)
        .map_err(|e| crate::error::StartError::Usage(format!("alerts: {e}")))?;
    tracing::info!(?channels, "alerts for new help requests are on");
    Ok(Some(sender))
}

/// Runs the worker with `sender`, from [`prepare`].
pub fn spawn(db: Db, site: Arc<Site>, alerts: Arc<Alerts>, sender: send::Sender) {
    let Some(settings) = alerts.settings.clone() else {
        return;
    };
    tokio::spawn(async move {
        loop {
            if let Err(error) = tick(&db, &site, &sender, &settings, SystemTime::now()).await {
                tracing::error!(%error, "alerts: reading or writing the queue");
            }
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                () = alerts.wake.notified() => {}
            }
        }
    });
}

/// One round: queues what is new, then tries every alert that is due. Returns how many were
/// sent.
pub async fn tick(
    db: &Db,
    site: &Site,
    sender: &send::Sender,
    settings: &Settings,
    now: SystemTime,
) -> Result<usize, crate::db::DbError> {
    let now = unix(now);
    sender.record_sent(db, now).await?;
    if db.read(move |c| queue::anything_to_queue(c, now)).await? {
        let (channels, hour) = (settings.channels(), settings.digest_hour);
        db.write(move |c| queue::enqueue(c, now, &channels, hour))
            .await?;
    }
    let due = db.read(move |c| queue::due(c, now)).await?;
    let sent = if due.is_empty() {
        0
    } else {
        send_due(db, site, sender, settings, due, now).await?
    };
    let failing = db.read(queue::failing).await?;
    site.health
        .set_alerts_failing(u64::try_from(failing).unwrap_or(0));
    Ok(sent)
}

/// Tries each alert of `due`, each put off first ([`queue::claim`]) so that a send whose
/// outcome cannot be written is not repeated every round.
async fn send_due(
    db: &Db,
    site: &Site,
    sender: &send::Sender,
    settings: &Settings,
    due: Vec<queue::Alert>,
    now: i64,
) -> Result<usize, crate::db::DbError> {
    let recipients = db.read(queue::recipients).await?;
    let tr = site.tr(settings.locale);
    let mut sent = 0;
    // A channel that failed is not tried again this round: a mail server that does not
    // answer costs one timeout per round, not one per alert.
    let mut broken = Vec::new();
    let mut working = Vec::new();
    for alert in due {
        if broken.contains(&alert.channel) || sender.unrecorded(alert.id) {
            continue;
        }
        let id = alert.id;
        if !db
            .write(move |c| queue::claim(c, id, now + CLAIM_SECS))
            .await?
        {
            continue;
        }
        match sender.send(&alert, &recipients, &tr).await {
            Ok(()) => {
                sent += 1;
                tracing::info!(
                    alert = id,
                    channel = alert.channel.code(),
                    kind = alert.kind.code(),
                    "alert sent"
                );
                sender.sent(id);
                if !working.contains(&alert.channel) {
                    working.push(alert.channel);
                }
            }
            Err(error) => {
                broken.push(alert.channel);
                let wait = queue::backoff(alert.attempts);
                tracing::warn!(alert = id, channel = alert.channel.code(), %error, retry_in_secs = wait, "an alert could not be sent; it will be tried again");
                let (kind, said) = (error.kind(), error.to_string());
                db.write(move |c| queue::failed(c, &alert, (kind, &said), now))
                    .await?;
            }
        }
    }
    sender.record_sent(db, now).await?;
    for channel in working.into_iter().filter(|c| !broken.contains(c)) {
        db.write(move |c| queue::hasten(c, channel, now)).await?;
    }
    Ok(sent)
}
