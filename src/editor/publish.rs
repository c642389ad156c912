//! "Publish": every saved change, texts and facts alike, made live at once as a new content
//! version, and the public site's messages and page cache rebuilt to show it.

use super::facts;
use super::texts::{self, NOW};
use crate::content::texts::version;
use crate::db::DbError;
use crate::staff::layout::{StaffError, StaffForm};
use crate::staff::session::Signed;
use crate::state::AppState;
use axum::{extract::State, response::Response};
use rusqlite::{Connection, params};

/// Makes every saved change live in one transaction, as a new content version. `None` when
/// nothing was waiting.
pub fn publish(conn: &mut Connection, by: &str) -> rusqlite::Result<Option<i64>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let changes = texts::pending_count(&tx)?;
    if changes == 0 {
        return Ok(None);
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
    tx.execute("DELETE FROM pending_text", [])?;
    let version = version(&tx)? + 1;
    tx.execute(
        &format!(
            "INSERT INTO content_version (version, published_at, published_by, changes)
             VALUES (?1, {NOW}, ?2, ?3)"
        ),
        params![version, by, changes],
    )?;
    tx.commit()?;
    Ok(Some(version))
}

/// Publishes, then rebuilds the messages and the page cache, so the next page rendered
/// shows the changes. Returns the new content version, or `None` when nothing was waiting.
pub async fn publish_all(app: &AppState, by: String) -> Result<Option<i64>, DbError> {
    let version = app.db.write(move |c| publish(c, &by)).await?;
    if let Some(version) = version {
        crate::offline::warm::refresh(app, version).await?;
    }
    Ok(version)
}

/// Makes every saved change live: a new content version, and the messages rebuilt.
pub async fn submit(
    State(app): State<AppState>,
    signed: Signed,
    StaffForm(_): StaffForm,
) -> Result<Response, StaffError> {
    publish_all(&app, signed.user.username.clone()).await?;
    Ok(crate::web::see_other("/staff/translations"))
}
