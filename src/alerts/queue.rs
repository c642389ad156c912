//! The alerts' queue in the database: what is due to be said, on which channel, and how
//! sending it went. Alerts are queued in the same transaction that marks their requests
//! told, so none is queued twice and none is missed; each stays until it is sent.

use super::Channel;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Urgent requests stored longer ago than this when first seen (alerts were off) go in the
/// next digest instead of an alert of their own.
pub const URGENT_FRESH_SECS: i64 = 24 * 3600;
/// The longest wait between two tries of one alert.
const BACKOFF_MAX_SECS: i64 = 3600;
/// Sent alerts are kept this long, for the staff page.
const KEEP_SENT_DAYS: i64 = 30;
/// Alerts tried at once per channel, at most: one channel's backlog never hides another's.
const DUE_MAX: i64 = 50;

/// What an alert says of one request: never more than triage sees before opening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub reference: String,
    pub kind: String,
    pub country: String,
    pub received_at: String,
    pub urgent: bool,
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One request that says "I am in danger now".
    Urgent,
    /// The other requests since the last digest.
    Digest,
    /// An admin's test of the channel.
    Test,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Urgent => "urgent",
            Kind::Digest => "digest",
            Kind::Test => "test",
        }
    }

    fn from_code(code: &str) -> Kind {
        match code {
            "urgent" => Kind::Urgent,
            "digest" => Kind::Digest,
            _ => Kind::Test,
        }
    }
}

/// An alert waiting to be sent.
#[derive(Debug, Clone)]
pub struct Alert {
    pub id: i64,
    pub channel: Channel,
    pub kind: Kind,
    pub items: Vec<Item>,
    pub attempts: i64,
}

/// An alert as the staff page lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub channel: String,
    pub kind: String,
    pub references: Vec<String>,
    pub created_at: String,
    pub attempts: i64,
    pub error_kind: Option<String>,
    pub last_error: Option<String>,
    pub next_at: String,
    pub sent_at: Option<String>,
}

/// `secs` since the epoch as the database writes times: `2026-12-07T12:00:00Z`.
pub fn stamp(secs: i64) -> String {
    let secs = u64::try_from(secs).unwrap_or(0);
    let time = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::staff::export::civil_date(secs / 86_400),
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// The next time the daily digest is due after `now`: `hour` o'clock UTC.
pub fn next_digest(now: i64, hour: u8) -> i64 {
    let today = now - now.rem_euclid(86_400) + i64::from(hour) * 3600;
    if today > now { today } else { today + 86_400 }
}

/// The requests not yet told of: `urgent` ones received since `since`, or all the others.
fn untold(conn: &Connection, urgent: bool, since: i64) -> rusqlite::Result<Vec<(i64, Item)>> {
    let sql = if urgent {
        "SELECT id, reference, kind, country, received_at, urgent FROM help_request
         WHERE alerted = 0 AND urgent = 1
             AND unixepoch(coalesce(stored_at, received_at)) >= ?1 ORDER BY id"
    } else {
        "SELECT id, reference, kind, country, received_at, urgent FROM help_request
         WHERE alerted = 0 AND NOT (urgent = 1
             AND unixepoch(coalesce(stored_at, received_at)) >= ?1) ORDER BY id"
    };
    conn.prepare_cached(sql)?
        .query_map([since], |r| {
            Ok((
                r.get(0)?,
                Item {
                    reference: r.get(1)?,
                    kind: r.get(2)?,
                    country: r.get(3)?,
                    received_at: r.get(4)?,
                    urgent: r.get(5)?,
                },
            ))
        })?
        .collect()
}

/// Whether [`enqueue`] has anything to do at `now`: a cheap read before any write.
pub fn anything_to_queue(conn: &Connection, now: i64) -> rusqlite::Result<bool> {
    if digest_at(conn)?.is_none_or(|at| at <= now) {
        return Ok(true);
    }
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM help_request WHERE alerted = 0 AND urgent = 1
             AND unixepoch(coalesce(stored_at, received_at)) >= ?1)",
        [now - URGENT_FRESH_SECS],
        |r| r.get(0),
    )
}

fn digest_at(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT value FROM app_info WHERE key = 'alert-digest-next'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok()))
}

fn insert(
    conn: &Connection,
    channel: Channel,
    kind: Kind,
    items: &[Item],
    now: i64,
) -> rusqlite::Result<()> {
    let items = serde_json::to_string(items)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO alert (channel, kind, items, created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![channel.code(), kind.code(), items, stamp(now)])?;
    Ok(())
}

/// Queues an alert on each of `channels` for every urgent request not yet told of, and, when
/// the digest is due, one digest of the others; marks them told. Returns the alerts queued.
pub fn enqueue(
    conn: &mut Connection,
    now: i64,
    channels: &[Channel],
    digest_hour: u8,
) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let mut queued = 0;
    let mut told = Vec::new();
    for (id, item) in untold(&tx, true, now - URGENT_FRESH_SECS)? {
        for channel in channels {
            insert(
                &tx,
                *channel,
                Kind::Urgent,
                std::slice::from_ref(&item),
                now,
            )?;
            queued += 1;
        }
        told.push(id);
    }
    let due = digest_at(&tx)?;
    if due.is_none_or(|at| at <= now) {
        if due.is_some() {
            let (ids, items): (Vec<i64>, Vec<Item>) = untold(&tx, false, now - URGENT_FRESH_SECS)?
                .into_iter()
                .unzip();
            if !items.is_empty() {
                for channel in channels {
                    insert(&tx, *channel, Kind::Digest, &items, now)?;
                    queued += 1;
                }
            }
            told.extend(ids);
        }
        tx.execute(
            "INSERT INTO app_info (key, value) VALUES ('alert-digest-next', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [next_digest(now, digest_hour).to_string()],
        )?;
    }
    let mut mark = tx.prepare_cached("UPDATE help_request SET alerted = 1 WHERE id = ?1")?;
    for id in told {
        mark.execute([id])?;
    }
    drop(mark);
    tx.execute(
        "DELETE FROM alert WHERE sent_at IS NOT NULL AND unixepoch(sent_at) < ?1",
        [now - KEEP_SENT_DAYS * 86_400],
    )?;
    tx.commit()?;
    Ok(queued)
}

/// Queues a test alert on each of `channels`.
pub fn enqueue_test(conn: &Connection, now: i64, channels: &[Channel]) -> rusqlite::Result<()> {
    for channel in channels {
        insert(conn, *channel, Kind::Test, &[], now)?;
    }
    Ok(())
}

/// The alerts due to be tried at `now`, oldest first, at most [`DUE_MAX`] per channel.
pub fn due(conn: &Connection, now: i64) -> rusqlite::Result<Vec<Alert>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, channel, kind, items, attempts FROM (
             SELECT *, row_number() OVER (PARTITION BY channel ORDER BY id) AS n FROM alert
             WHERE sent_at IS NULL AND next_at <= ?1)
         WHERE n <= ?2 ORDER BY id",
    )?;
    let rows = statement.query_map(params![stamp(now), DUE_MAX], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut alerts = Vec::new();
    for row in rows {
        let (id, channel, kind, items, attempts) = row?;
        let Some(channel) = Channel::from_code(&channel) else {
            continue;
        };
        alerts.push(Alert {
            id,
            channel,
            kind: Kind::from_code(&kind),
            items: serde_json::from_str(&items).unwrap_or_default(),
            attempts,
        });
    }
    Ok(alerts)
}

/// How long to wait after a failure, when `attempts` tries failed before it: 5 s, doubling,
/// at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    let doubled = 5_i64.saturating_mul(1 << attempts.clamp(0, 20));
    doubled.min(BACKOFF_MAX_SECS)
}

/// Puts the alert off until `until` before it is tried, so that a send whose outcome cannot
/// be written (a full disk) is not repeated every round. False if it was sent meanwhile.
pub fn claim(conn: &Connection, id: i64, until: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE alert SET next_at = ?2 WHERE id = ?1 AND sent_at IS NULL",
        params![id, stamp(until)],
    )? == 1)
}

/// Marks the alerts of `ids` sent.
pub fn sent(conn: &Connection, ids: &[i64], now: i64) -> rusqlite::Result<()> {
    let mut mark = conn.prepare_cached(
        "UPDATE alert SET sent_at = ?2, attempts = attempts + 1, error_kind = NULL,
             last_error = NULL WHERE id = ?1",
    )?;
    for id in ids {
        mark.execute(params![id, stamp(now)])?;
    }
    Ok(())
}

/// Records a failed try and when to try again; `kind` names the failure for the staff page.
pub fn failed(
    conn: &Connection,
    alert: &Alert,
    (kind, error): (&str, &str),
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE alert SET attempts = attempts + 1, error_kind = ?2, last_error = ?3, next_at = ?4
         WHERE id = ?1",
        params![alert.id, kind, error, stamp(now + backoff(alert.attempts))],
    )?;
    Ok(())
}

/// Makes every alert waiting on `channel` due at `now`: the channel works again (a send went
/// through, or an address was added), so nothing should sit out a long backoff.
pub fn hasten(conn: &Connection, channel: Channel, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE alert SET next_at = ?2 WHERE sent_at IS NULL AND channel = ?1 AND next_at > ?2",
        params![channel.code(), stamp(now)],
    )
}

/// Deletes the unsent alerts of channels no longer set (the operator switched them off);
/// returns how many.
pub fn drop_unconfigured(conn: &Connection, channels: &[Channel]) -> rusqlite::Result<usize> {
    let kept: Vec<&str> = channels.iter().map(|c| c.code()).collect();
    conn.execute(
        "DELETE FROM alert WHERE sent_at IS NULL
             AND channel NOT IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())],
    )
}

/// Alerts tried and not sent, and the last sent ones, newest first, for the staff page.
pub fn listed(conn: &Connection) -> rusqlite::Result<(Vec<Listed>, Vec<Listed>)> {
    let list = |condition: &str| -> rusqlite::Result<Vec<Listed>> {
        conn.prepare(&format!(
            "SELECT channel, kind, items, created_at, attempts, error_kind, last_error, next_at,
                 sent_at
             FROM alert WHERE {condition} ORDER BY id DESC LIMIT 20"
        ))?
        .query_map([], |r| {
            let items: Vec<Item> =
                serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default();
            Ok(Listed {
                channel: r.get(0)?,
                kind: r.get(1)?,
                references: items.into_iter().map(|i| i.reference).collect(),
                created_at: r.get(3)?,
                attempts: r.get(4)?,
                error_kind: r.get(5)?,
                last_error: r.get(6)?,
                next_at: r.get(7)?,
                sent_at: r.get(8)?,
            })
        })?
        .collect()
    };
    Ok((
        list("sent_at IS NULL AND attempts > 0")?,
        list("sent_at IS NOT NULL")?,
    ))
}

/// How many alerts were tried and not sent yet: the staff pages say so.
pub fn failing(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM alert WHERE sent_at IS NULL AND attempts > 0",
        [],
        |r| r.get(0),
    )
}

pub fn recipients(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT address FROM alert_recipient ORDER BY address")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// Adds `address`; false if it was there already.
pub fn add_recipient(conn: &Connection, address: &str, by: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "INSERT INTO alert_recipient (address, added_by, added_at)
         VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT DO NOTHING",
        params![address, by],
    )? == 1)
}

pub fn remove_recipient(conn: &Connection, address: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM alert_recipient WHERE address = ?1", [address])? == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("opens");
        crate::db::migrate(&mut conn).expect("migrated");
        conn
    }

    /// 2026-12-07T12:00:00Z.
    const NOON: i64 = 1_796_644_800;

    fn request(conn: &Connection, reference: &str, urgent: bool, at: i64) {
        conn.execute(
            "INSERT INTO help_request (id_hash, reference, kind, country, channel, language,
                 body_hash, sealed, received_at, urgent)
             VALUES (?1, ?1, 'passport-held', 'my', 'zalo', 'vi', 'h', x'00', ?2, ?3)",
            params![reference, stamp(at), urgent],
        )
        .expect("a request");
    }

    #[test]
    fn times_are_written_as_the_database_writes_them() {
        assert_eq!(stamp(NOON), "2026-12-07T12:00:00Z");
        assert_eq!(stamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(next_digest(NOON, 1), NOON + 13 * 3600);
        assert_eq!(next_digest(NOON, 13), NOON + 3600);
        assert_eq!(next_digest(NOON, 12), NOON + 86_400);
    }

    #[test]
    fn each_urgent_request_is_queued_once_per_channel_and_the_rest_wait_for_the_digest() {
        let mut conn = database();
        let both = [Channel::Email, Channel::Webhook];
        // The first run only sets when the first digest is due.
        assert_eq!(enqueue(&mut conn, NOON, &both, 1).expect("queued"), 0);
        request(&conn, "URG-001", true, NOON - 60);
        request(&conn, "NOT-002", false, NOON - 30);
        request(&conn, "OLD-003", true, NOON - 2 * 86_400);
        assert!(anything_to_queue(&conn, NOON).expect("read"));
        assert_eq!(enqueue(&mut conn, NOON, &both, 1).expect("queued"), 2);
        assert!(!anything_to_queue(&conn, NOON).expect("read"));
        assert_eq!(enqueue(&mut conn, NOON + 5, &both, 1).expect("again"), 0);
        let urgent = due(&conn, NOON).expect("due");
        assert_eq!(urgent.len(), 2);
        assert!(urgent.iter().all(|a| a.kind == Kind::Urgent));
        assert_eq!(urgent[0].items[0].reference, "URG-001");

        // At 01:00 UTC the digest holds the other request and the urgent one too old to
        // alert alone.
        let digest_time = next_digest(NOON, 1);
        assert!(anything_to_queue(&conn, digest_time).expect("read"));
        assert_eq!(
            enqueue(&mut conn, digest_time, &both, 1).expect("digest"),
            2
        );
        let digests: Vec<Alert> = due(&conn, digest_time)
            .expect("due")
            .into_iter()
            .filter(|a| a.kind == Kind::Digest)
            .collect();
        assert_eq!(digests.len(), 2);
        let references: Vec<&str> = digests[0]
            .items
            .iter()
            .map(|i| i.reference.as_str())
            .collect();
        assert_eq!(references, ["NOT-002", "OLD-003"]);
        // Nothing new: no empty digest the next day.
        assert_eq!(
            enqueue(&mut conn, digest_time + 86_400, &both, 1).expect("none"),
            0
        );
    }

    #[test]
    fn a_failed_alert_waits_longer_each_time_and_is_listed_until_sent() {
        let mut conn = database();
        enqueue(&mut conn, NOON, &[Channel::Email], 1).expect("set");
        request(&conn, "URG-001", true, NOON);
        enqueue(&mut conn, NOON, &[Channel::Email], 1).expect("queued");
        let alert = due(&conn, NOON).expect("due").remove(0);
        failed(&conn, &alert, ("mail-server", "connection refused"), NOON).expect("failed");
        assert!(due(&conn, NOON + 4).expect("due").is_empty());
        let again = due(&conn, NOON + 5).expect("due").remove(0);
        assert_eq!(again.attempts, 1);
        failed(
            &conn,
            &again,
            ("mail-server", "connection refused"),
            NOON + 5,
        )
        .expect("failed");
        assert!(due(&conn, NOON + 14).expect("due").is_empty());
        assert_eq!(due(&conn, NOON + 15).expect("due").len(), 1);
        assert_eq!(failing(&conn).expect("count"), 1);
        let (failing_now, _) = listed(&conn).expect("listed");
        assert_eq!(
            failing_now[0].last_error.as_deref(),
            Some("connection refused")
        );
        sent(&conn, &[again.id], NOON + 15).expect("sent");
        assert_eq!(failing(&conn).expect("count"), 0);
        assert!(due(&conn, NOON + 3600).expect("due").is_empty());
        assert_eq!(backoff(30), 3600);
    }

    #[test]
    fn a_quiet_day_moves_the_digest_on_so_the_next_request_waits_for_it() {
        let mut conn = database();
        let email = [Channel::Email];
        enqueue(&mut conn, NOON, &email, 1).expect("set");
        let digest_time = next_digest(NOON, 1);
        assert!(!anything_to_queue(&conn, digest_time - 1).expect("read"));
        // Due with nothing to say: the next digest is a day on, and none is queued.
        assert!(anything_to_queue(&conn, digest_time).expect("read"));
        assert_eq!(enqueue(&mut conn, digest_time, &email, 1).expect("none"), 0);
        request(&conn, "NOT-001", false, digest_time + 14 * 3600);
        assert!(!anything_to_queue(&conn, digest_time + 14 * 3600).expect("read"));
        assert!(anything_to_queue(&conn, digest_time + 86_400).expect("read"));
        assert_eq!(
            enqueue(&mut conn, digest_time + 86_400, &email, 1).expect("one"),
            1
        );
    }

    #[test]
    fn one_channels_backlog_does_not_hide_anothers_and_a_working_channel_goes_at_once() {
        let mut conn = database();
        let both = [Channel::Email, Channel::Webhook];
        enqueue(&mut conn, NOON, &both, 1).expect("set");
        for n in 0..60 {
            request(&conn, &format!("URG-{n:03}"), true, NOON);
        }
        enqueue(&mut conn, NOON, &both, 1).expect("queued");
        let due_now = due(&conn, NOON).expect("due");
        let count = |channel| due_now.iter().filter(|a| a.channel == channel).count();
        assert_eq!((count(Channel::Email), count(Channel::Webhook)), (50, 50));
        // Email fails for a while, then works: the rest need not sit out their backoff.
        for alert in due_now.iter().filter(|a| a.channel == Channel::Email) {
            assert!(claim(&conn, alert.id, NOON + 120).expect("claimed"));
            failed(&conn, alert, ("mail-server", "down"), NOON).expect("failed");
        }
        let later = due(&conn, NOON + 1).expect("due");
        let emails = later.iter().filter(|a| a.channel == Channel::Email).count();
        assert_eq!(emails, 10, "only those not tried yet");
        assert_eq!(
            hasten(&conn, Channel::Email, NOON + 1).expect("hastened"),
            50
        );
        assert_eq!(due(&conn, NOON + 1).expect("due").len(), 100);
        // Switched off: the webhook's unsent alerts go.
        assert_eq!(
            drop_unconfigured(&conn, &[Channel::Email]).expect("dropped"),
            60
        );
        assert!(
            due(&conn, NOON + 1)
                .expect("due")
                .iter()
                .all(|a| a.channel == Channel::Email)
        );
    }

    #[test]
    fn an_alert_put_off_while_it_is_sent_is_not_due_and_a_sent_one_is_never_claimed() {
        let mut conn = database();
        enqueue(&mut conn, NOON, &[Channel::Email], 1).expect("set");
        request(&conn, "URG-001", true, NOON);
        enqueue(&mut conn, NOON, &[Channel::Email], 1).expect("queued");
        let alert = due(&conn, NOON).expect("due").remove(0);
        assert!(claim(&conn, alert.id, NOON + 120).expect("claimed"));
        assert!(due(&conn, NOON + 60).expect("due").is_empty());
        sent(&conn, &[alert.id], NOON + 1).expect("sent");
        assert!(!claim(&conn, alert.id, NOON + 240).expect("not again"));
    }
}
