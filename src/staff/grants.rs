//! `/staff/access`, for admins: which caseworkers and admins can open the sealed requests,
//! and the forms that give and take that access. Giving it seals the organisation's key,
//! which the admin's own session holds, to the other account's own key: no password of
//! theirs is needed, and none of the admin's leaves their session.

use super::audit;
use super::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable, when};
use super::requests::pages::reader;
use super::session::{self, Signed};
use crate::db::Db;
use crate::seal::keyring::Keyring;
use crate::seal::keys::{self, KeyError};
use crate::site::Site;
use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use rusqlite::Connection;
use std::sync::Arc;

/// A caseworker or admin, and whether they hold the organisation's key.
#[derive(Debug, Clone)]
pub struct Holder {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub granted_at: Option<String>,
}

pub fn holders(conn: &Connection) -> rusqlite::Result<Vec<Holder>> {
    let mut statement = conn.prepare(
        "SELECT s.id, s.username, s.role, k.granted_at
         FROM staff s LEFT JOIN staff_key k ON k.staff_id = s.id AND k.grant_blob IS NOT NULL
         WHERE s.disabled = 0 AND s.role IN ('caseworker', 'admin') ORDER BY s.username",
    )?;
    statement
        .query_map([], |r| {
            Ok(Holder {
                id: r.get(0)?,
                username: r.get(1)?,
                role: r.get(2)?,
                granted_at: r.get(3)?,
            })
        })?
        .collect()
}

pub async fn page(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(keyring): State<Arc<Keyring>>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let note = session::note_in(query.as_deref(), "staff-access-");
    let holds = reader(&keyring, &db, &signed).await?.key().is_ok();
    show(&db, &site, &signed, StatusCode::OK, holds, note.as_deref()).await
}

async fn show(
    db: &Db,
    site: &Site,
    signed: &Signed,
    status: StatusCode,
    holds: bool,
    note: Option<&str>,
) -> Result<Response, StaffError> {
    let (holders, readable) = db
        .read(|c| {
            let readable = keys::bootstrap(c).ok().flatten().is_some();
            Ok((holders(c)?, readable))
        })
        .await?;
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t("staff-access-title"), "/staff/access");
    let me = signed.user.id;
    let rows = holders
        .into_iter()
        .map(|h| {
            let state = match &h.granted_at {
                Some(at) => tr.t_with("staff-access-since", [("when", when(at).into())]),
                None => tr.t("staff-access-none"),
            };
            let (action, label) = if h.granted_at.is_some() {
                ("revoke", "staff-access-revoke")
            } else {
                ("grant", "staff-access-grant")
            };
            let button = (h.id != me && (holds || action == "revoke")).then(|| {
                view! {
                    <form method="post" action="/staff/access" class="inline-form">
                        <Csrf token=signed.csrf.clone()/>
                        <input type="hidden" name="action" value=action/>
                        <input type="hidden" name="account" value=h.id.to_string()/>
                        <button type="submit" class="button">{tr.t(label)}</button>
                    </form>
                }
            });
            let name = h.username.clone();
            view! {
                <tr data-account=name>
                    <td>{h.username}</td>
                    <td>{tr.t(&format!("staff-role-{}", h.role))}</td>
                    <td>{state}</td>
                    <td>{button}</td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-access-account",
        "staff-access-role",
        "staff-access-state",
        "staff-access-change",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    let readable = readable.then(|| view! { <p class="notice" role="alert" id="key-readable">{tr.t("staff-access-readable")}</p> });
    let locked = (!holds)
        .then(|| view! { <p class="notice" role="status">{tr.t("staff-access-you-cannot")}</p> });
    let note =
        note.map(|n| view! { <p class="notice" role="status" id="access-note">{tr.t(n)}</p> });
    Ok(layout::page(site, status, frame, || {
        view! {
            <h1>{tr.t("staff-access-title")}</h1>
            <p>{tr.t("staff-access-text")}</p>
            {readable}
            {locked}
            {note}
            <StaffTable headings=headings>{rows}</StaffTable>
        }
    }))
}

/// Ends every session of `staff`, returning their token digests: access taken away is
/// taken at once, keys held in memory included.
fn ended_sessions(conn: &Connection, staff: i64) -> rusqlite::Result<Vec<String>> {
    let sessions = conn
        .prepare("SELECT token_hash FROM staff_session WHERE staff_id = ?1")?
        .query_map([staff], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    conn.execute("DELETE FROM staff_session WHERE staff_id = ?1", [staff])?;
    Ok(sessions)
}

/// Gives or takes an account's access; taking it also signs the account out everywhere.
pub async fn change(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(keyring): State<Arc<Keyring>>,
    signed: Signed,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let account = session::field(&form, "account").and_then(|a| a.parse::<i64>().ok());
    let action: Option<&'static str> = match session::field(&form, "action") {
        Some("grant") => Some("grant"),
        Some("revoke") => Some("revoke"),
        _ => None,
    };
    let reader = reader(&keyring, &db, &signed).await?;
    let (Some(account), Some(action)) = (account, action) else {
        let holds = reader.key().is_ok();
        return show(
            &db,
            &site,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            holds,
            Some("staff-problem-action"),
        )
        .await;
    };
    let key = reader.key().ok().cloned();
    let admin = signed.user.id;
    let admin_name = signed.user.username.clone();
    let outcome = db
        .write(move |c| {
            let tx = c.transaction()?;
            let name: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT username FROM staff WHERE id = ?1",
                [account],
                |r| r.get(0),
            ))?;
            let Some(name) = name.filter(|_| account != admin) else {
                return Ok(Err("staff-access-not-yours"));
            };
            let mut ended = Vec::new();
            let note = match (action, key) {
                ("grant", Some(key)) => match keys::grant(&tx, account, &key, Some(admin)) {
                    Ok(()) => {
                        audit::record(&tx, Some(admin), "access-granted", &name, &admin_name)?;
                        "staff-access-granted"
                    }
                    Err(KeyError::Sqlite(error)) => return Err(error),
                    Err(error) => {
                        tracing::warn!(%error, "granting access");
                        "staff-access-cannot-grant"
                    }
                },
                ("grant", None) => "staff-access-you-cannot",
                _ => {
                    keys::revoke(&tx, account)?;
                    ended = ended_sessions(&tx, account)?;
                    audit::record(&tx, Some(admin), "access-revoked", &name, "")?;
                    "staff-access-revoked"
                }
            };
            tx.commit()?;
            Ok(Ok((note, ended)))
        })
        .await?;
    match outcome {
        Ok((note, ended)) => {
            for session in ended {
                keyring.drop_session(&session);
            }
            Ok(crate::web::see_other(&format!("/staff/access?note={note}")))
        }
        Err(problem) => {
            let holds = reader.key().is_ok();
            show(
                &db,
                &site,
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                holds,
                Some(problem),
            )
            .await
        }
    }
}
