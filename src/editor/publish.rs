//! "Publish": every saved change, texts and facts alike, made live at once as a new content
//! version, and the public site's messages and page cache rebuilt to show it.

use super::texts::NOW;
use super::{approval, facts};
use crate::content::texts::version;
use crate::db::{Db, DbError};
use crate::staff::audit;
use crate::staff::layout::{StaffError, StaffForm};
use crate::staff::session::Signed;
use crate::state::AppState;
use axum::{extract::State, response::Response};
use rusqlite::{Connection, params};

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The new content version; `None` when nothing was ready.
    pub version: Option<i64>,
    /// Guarded changes left waiting for a second person's approval.
    pub waiting: usize,
}

/// Makes every saved change that is ready live in one transaction, as a new content
/// version, and writes what changed in the audit log. A guarded change that no second
/// person approved stays saved, unpublished ([`approval`]).
pub fn publish(conn: &mut Connection, by: &str, staff: Option<i64>) -> rusqlite::Result<Published> {
    if crate::content::texts::from_central(conn)? {
        // A hub never edits content.
        return Ok(Published {
            version: None,
            waiting: 0,
        });
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let waiting = approval::hold_back(&tx)?;
    let mut changed = changed(&tx)?;
    if changed.is_empty() {
        // Dropping the transaction puts back what was held.
        return Ok(Published {
            version: None,
            waiting,
        });
    }
    // Before the texts change: their recordings say the old words.
    for item in crate::audio::store::outdate_changed(&tx, by)? {
        if !changed.contains(&item) {
            changed.push(item);
        }
    }
    tx.execute(
        "INSERT INTO ui_text (message_id, locale, value, status, source_hash, edited_at, edited_by)
         SELECT message_id, locale, value, status, source_hash, edited_at, edited_by
         FROM pending_text WHERE kind = 'ui' AND true
         ON CONFLICT (message_id, locale) DO UPDATE SET value = excluded.value,
             status = excluded.status, source_hash = excluded.source_hash,
             edited_at = excluded.edited_at, edited_by = excluded.edited_by",
        [],
    )?;
    tx.execute(
        "DELETE FROM content_text WHERE (message_id, locale) IN
             (SELECT message_id, locale FROM pending_text
              WHERE kind = 'content' AND trim(value) = '' AND locale <> 'en')",
        [],
    )?;
    tx.execute(
        "INSERT INTO content_text
             (message_id, locale, value, status, source_hash, edited_at, edited_by)
         SELECT message_id, locale, value, status, source_hash, edited_at, edited_by
         FROM pending_text WHERE kind = 'content' AND (trim(value) <> '' OR locale = 'en')
         ON CONFLICT (message_id, locale) DO UPDATE SET value = excluded.value,
             status = excluded.status, source_hash = excluded.source_hash,
             edited_at = excluded.edited_at, edited_by = excluded.edited_by",
        [],
    )?;
    facts::publish(&tx)?;
    crate::audio::store::publish(&tx, by)?;
    tx.execute("DELETE FROM pending_text", [])?;
    approval::put_back(&tx)?;
    let version = version(&tx)? + 1;
    tx.execute(
        &format!(
            "INSERT INTO content_version (version, published_at, published_by, changes)
             VALUES (?1, {NOW}, ?2, ?3)"
        ),
        params![version, by, changed.len() as i64],
    )?;
    // What a hub's bundle since an earlier version must carry (`crate::hub::bundle`).
    let mut log = tx.prepare("INSERT INTO content_change (version, item) VALUES (?1, ?2)")?;
    for item in &changed {
        log.execute(params![version, item])?;
    }
    drop(log);
    audit::record(
        &tx,
        staff,
        "published",
        &format!("version {version}"),
        &summary(&changed, waiting),
    )?;
    tx.commit()?;
    Ok(Published {
        version: Some(version),
        waiting,
    })
}

/// Every saved change about to be published, named as the history names it.
fn changed(tx: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = tx.prepare(
        "SELECT kind || ':' || locale || ':' || message_id FROM pending_text
         UNION ALL SELECT 'fact:' || entity || ':' || id || ':' || field FROM pending_fact
         UNION ALL SELECT 'audio:' || locale || ':' || message_id FROM pending_recording
         ORDER BY 1",
    )?;
    statement.query_map([], |r| r.get(0))?.collect()
}

/// The audit line's detail: how many changes, which (the first 40), and how many wait.
fn summary(changed: &[String], waiting: usize) -> String {
    const LISTED: usize = 40;
    let mut detail = format!(
        "{} changes: {}",
        changed.len(),
        changed
            .iter()
            .take(LISTED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if changed.len() > LISTED {
        detail.push_str(&format!(" (and {} more)", changed.len() - LISTED));
    }
    if waiting > 0 {
        detail.push_str(&format!("; {waiting} waiting for approval"));
    }
    detail
}

/// Publishes, then rebuilds the messages and the page cache, so the next page rendered
/// shows the changes.
pub async fn publish_all(
    app: &AppState,
    by: String,
    staff: Option<i64>,
) -> Result<Published, DbError> {
    let published = app.db.write(move |c| publish(c, &by, staff)).await?;
    if let Some(version) = published.version {
        crate::offline::warm::refresh(app, version).await?;
    }
    Ok(published)
}

/// Makes every saved change live: a new content version, and the messages rebuilt.
pub async fn submit(
    State(app): State<AppState>,
    signed: Signed,
    StaffForm(_): StaffForm,
) -> Result<Response, StaffError> {
    publish_all(&app, signed.user.username.clone(), Some(signed.user.id)).await?;
    Ok(crate::web::see_other("/staff/translations"))
}

/// Approves a guarded change as it was shown, for someone other than its author.
pub async fn approve(
    State(db): State<Db>,
    signed: Signed,
    StaffForm(pairs): StaffForm,
) -> Result<Response, StaffError> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let (target, shown) = (field("target"), field("shown"));
    let (by, staff) = (signed.user.username.clone(), signed.user.id);
    let approved = db
        .write(move |c| approval::approve(c, &target, &shown, &by, Some(staff)))
        .await?;
    match approved {
        Ok(()) => Ok(crate::web::see_other("/staff/translations#approvals")),
        Err(approval::Refused::OwnChange) => Err(StaffError::OwnChange),
        Err(approval::Refused::Changed) => Err(StaffError::ChangeMoved),
    }
}
