//! `/staff/account`: who is signed in, their recent activity, and the form that changes their
//! own password. A change re-wraps the organisation's key: the current password opens the
//! account's grant, and the key is sealed again to the key pair the new password derives, so
//! access to the requests is kept. The account's other sessions are signed out.

use super::accounts;
use super::audit;
use super::guard::Hasher;
use super::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable, when};
use super::session::{self, Signed};
use crate::db::Db;
use crate::seal::OpenKey;
use crate::seal::keys::{self, KeyError, Personal, Stored};
use crate::site::Site;
use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

pub async fn page(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let note = session::note_in(query.as_deref(), "staff-password-changed");
    show(&db, &site, &signed, StatusCode::OK, note.as_deref()).await
}

async fn show(
    db: &Db,
    site: &Site,
    signed: &Signed,
    status: StatusCode,
    note: Option<&str>,
) -> Result<Response, StaffError> {
    let tr = site.tr(signed.user.locale);
    let recent = {
        let name = signed.user.username.clone();
        db.read(move |c| audit::recent(c, Some(&name), 10)).await?
    };
    let rows = recent
        .into_iter()
        .map(|entry| {
            view! {
                <tr>
                    <td>{when(&entry.at)}</td>
                    <td>{tr.t(&format!("staff-action-{}", entry.action))}</td>
                </tr>
            }
        })
        .collect_view();
    let frame = Frame::signed(signed, tr.t("staff-account-title"), "/staff/account");
    let role = tr.t(&format!("staff-role-{}", signed.user.role.code()));
    let role_text = tr.t(&format!("staff-role-{}-text", signed.user.role.code()));
    let note = note.map(|n| {
        let class = if n == "staff-password-changed" {
            "notice"
        } else {
            "field-error"
        };
        view! { <p class=class role="alert" id="password-note">{tr.t(n)}</p> }
    });
    let min = accounts::PASSWORD_MIN_CHARS.to_string();
    Ok(layout::page(site, status, frame, || {
        view! {
            <h1>{tr.t("staff-account-title")}</h1>
            <p>{tr.t_with("staff-account-role", [("role", role.into())])}</p>
            <p>{role_text}</p>
            <h2 id="password">{tr.t("staff-password-title")}</h2>
            {note}
            <form method="post" action="/staff/account/password" class="staff-form">
                <Csrf token=signed.csrf.clone()/>
                <p class="field">
                    <label for="current">{tr.t("staff-password-current")}</label>
                    <input type="password" id="current" name="current" autocomplete="current-password" required/>
                </p>
                <p class="field">
                    <label for="new">{tr.t_with("staff-password-new", [("min", min.clone().into())])}</label>
                    <input type="password" id="new" name="new" autocomplete="new-password" minlength=min.clone() required/>
                </p>
                <p class="field">
                    <label for="again">{tr.t("staff-password-again")}</label>
                    <input type="password" id="again" name="again" autocomplete="new-password" minlength=min required/>
                </p>
                <button type="submit" class="button">{tr.t("staff-password-save")}</button>
            </form>
            <h2>{tr.t("staff-account-recent")}</h2>
            <StaffTable headings=vec![tr.t("staff-audit-at"), tr.t("staff-audit-action")]>{rows}</StaffTable>
        }
    }))
}

/// What the slow part of a change gives: the new hash and key, or why not.
enum Changed {
    Done {
        hash: String,
        personal: Personal,
        grant: Option<Vec<u8>>,
    },
    WrongCurrent,
}

pub async fn change(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(hasher): State<Arc<Hasher>>,
    signed: Signed,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let field = |name| session::field(&form, name).unwrap_or_default().to_owned();
    let (current, new, again) = (field("current"), field("new"), field("again"));
    let problem = if new != again {
        Some("staff-password-mismatch")
    } else if accounts::check_password(&new).is_err() {
        Some("staff-password-weak")
    } else {
        None
    };
    if let Some(problem) = problem {
        return show(
            &db,
            &site,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(problem),
        )
        .await;
    }
    let id = signed.user.id;
    let (hash, stored): (String, Option<Stored>) = db
        .read(move |c| {
            let hash = c.query_row("SELECT password_hash FROM staff WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
            Ok((hash, keys::stored(c, id)?))
        })
        .await?;
    let work = hasher.run(move || rewrap(id, &current, &new, &hash, stored));
    let Some(work) = work else {
        return show(
            &db,
            &site,
            &signed,
            StatusCode::SERVICE_UNAVAILABLE,
            Some("staff-sign-in-busy"),
        )
        .await;
    };
    let changed = match work.await {
        Ok(Ok(changed)) => changed,
        failed => {
            if let Ok(Err(error)) = failed {
                tracing::error!(%error, "re-wrapping a staff key");
            }
            let status = StatusCode::SERVICE_UNAVAILABLE;
            return show(&db, &site, &signed, status, Some("staff-unavailable")).await;
        }
    };
    let Changed::Done {
        hash,
        personal,
        grant,
    } = changed
    else {
        return show(
            &db,
            &site,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("staff-password-wrong"),
        )
        .await;
    };
    let (session, name) = (signed.key().to_owned(), signed.user.username.clone());
    db.write(move |c| {
        let tx = c.transaction()?;
        tx.execute(
            "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
            rusqlite::params![id, hash],
        )?;
        keys::store(&tx, id, &personal, grant.map(|g| (g, None)))?;
        tx.execute(
            "DELETE FROM staff_session WHERE staff_id = ?1 AND token_hash <> ?2",
            rusqlite::params![id, session],
        )?;
        audit::record(&tx, Some(id), "password-changed", &name, "")?;
        tx.commit()
    })
    .await?;
    Ok(crate::web::see_other(
        "/staff/account?note=staff-password-changed#password",
    ))
}

/// Checks the current password, and wraps the organisation's key (if the account holds it)
/// for the new one.
fn rewrap(
    staff: i64,
    current: &str,
    new: &str,
    hash: &str,
    stored: Option<Stored>,
) -> Result<Changed, KeyError> {
    if !accounts::verify_password(current, hash) {
        return Ok(Changed::WrongCurrent);
    }
    let org: Option<OpenKey> = match &stored {
        Some(Stored {
            salt,
            grant: Some(blob),
            ..
        }) => {
            let (own, _) = keys::personal(current, salt)?;
            keys::open_grant(&own, staff, blob).ok()
        }
        _ => None,
    };
    let personal = Personal::new(new)?;
    let grant = org
        .map(|org| keys::grant_blob(&org, &personal.seal, staff))
        .transpose()?;
    let hash = accounts::hash_password(new).map_err(|_| KeyError::Kdf)?;
    Ok(Changed::Done {
        hash,
        personal,
        grant,
    })
}
