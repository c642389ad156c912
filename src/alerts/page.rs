//! `/staff/alerts`, for admins: how alerts are sent, the addresses they go to, a test, and
//! the alerts that could not be sent yet, with why.

use super::{Alerts, queue};
use crate::db::Db;
use crate::i18n::Tr;
use crate::site::Site;
use crate::staff::audit;
use crate::staff::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable, when};
use crate::staff::session::{self, Signed};
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
    State(alerts): State<Arc<Alerts>>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let note = session::note_in(query.as_deref(), "staff-alerts-");
    show(
        &db,
        &site,
        &alerts,
        &signed,
        StatusCode::OK,
        note.as_deref(),
    )
    .await
}

/// What the server was started with, in words.
fn channels_said(alerts: &Alerts, tr: &Tr) -> Vec<String> {
    let Some(settings) = &alerts.settings else {
        return vec![tr.t("staff-alerts-off")];
    };
    let mut said = Vec::new();
    if let Some(smtp) = &settings.email {
        said.push(tr.t_with(
            "staff-alerts-by-email",
            [
                (
                    "server",
                    smtp.url.host_str().unwrap_or_default().to_owned().into(),
                ),
                ("from", smtp.from.email.to_string().into()),
            ],
        ));
    }
    if let Some(url) = &settings.webhook {
        said.push(tr.t_with(
            "staff-alerts-by-webhook",
            [(
                "server",
                url.host_str().unwrap_or_default().to_owned().into(),
            )],
        ));
    }
    said.push(tr.t_with(
        "staff-alerts-digest-at",
        [("hour", format!("{:02}:00", settings.digest_hour).into())],
    ));
    said
}

async fn show(
    db: &Db,
    site: &Site,
    alerts: &Alerts,
    signed: &Signed,
    status: StatusCode,
    note: Option<&str>,
) -> Result<Response, StaffError> {
    let (recipients, (failing, sent)) = db
        .read(|c| Ok((queue::recipients(c)?, queue::listed(c)?)))
        .await?;
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t("staff-alerts-title"), "/staff/alerts");
    let said = channels_said(alerts, &tr)
        .into_iter()
        .map(|line| view! { <li>{line}</li> })
        .collect_view();
    let recipients = recipients_section(&tr, &signed.csrf, recipients);
    let (failing, sent) = (
        alerts_table(&tr, failing, true),
        alerts_table(&tr, sent, false),
    );
    let note =
        note.map(|n| view! { <p class="notice" role="status" id="alerts-note">{tr.t(n)}</p> });
    let test = alerts.settings.is_some().then(|| {
        view! {
            <form method="post" action="/staff/alerts">
                <Csrf token=signed.csrf.clone()/>
                <input type="hidden" name="action" value="test"/>
                <button type="submit" class="button">{tr.t("staff-alerts-test")}</button>
            </form>
        }
    });
    Ok(layout::page(site, status, frame, || {
        view! {
            <h1>{tr.t("staff-alerts-title")}</h1>
            <p>{tr.t("staff-alerts-text")}</p>
            {note}
            <ul id="alert-channels">{said}</ul>
            {test}
            {recipients}
            {failing}
            {sent}
        }
    }))
}

/// The addresses, each with its button to remove it, and the form that adds one.
fn recipients_section(tr: &Tr, csrf: &str, recipients: Vec<String>) -> impl IntoView + use<> {
    let rows = recipients
        .into_iter()
        .map(|address| {
            let (shown, marked) = (address.clone(), address.clone());
            view! {
                <tr data-recipient=marked>
                    <td>{shown}</td>
                    <td>
                        <form method="post" action="/staff/alerts" class="inline-form">
                            <Csrf token=csrf.to_owned()/>
                            <input type="hidden" name="action" value="remove"/>
                            <input type="hidden" name="address" value=address/>
                            <button type="submit" class="button">{tr.t("staff-alerts-remove")}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let (title, address, add) = (
        tr.t("staff-alerts-recipients"),
        tr.t("staff-alerts-address"),
        tr.t("staff-alerts-add"),
    );
    view! {
        <h2>{title}</h2>
        <StaffTable headings=vec![address.clone(), String::new()]>{rows}</StaffTable>
        <form method="post" action="/staff/alerts" class="staff-form">
            <Csrf token=csrf.to_owned()/>
            <input type="hidden" name="action" value="add"/>
            <p class="field">
                <label for="address">{address}</label>
                <input type="email" id="address" name="address" required=true maxlength="254"/>
            </p>
            <button type="submit" class="button">{add}</button>
        </form>
    }
}

/// The alerts not sent yet (`failed`), or the last ones sent, under their heading; nothing
/// when there are none.
fn alerts_table(tr: &Tr, list: Vec<queue::Listed>, failed: bool) -> impl IntoView + use<> {
    if list.is_empty() {
        return None;
    }
    let headings = [
        "staff-alerts-queued",
        "staff-alerts-channel",
        "staff-alerts-what",
        "staff-alerts-state",
        "staff-alerts-error",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    let (id, title) = if failed {
        ("alerts-not-sent", tr.t("staff-alerts-not-sent"))
    } else {
        ("alerts-sent", tr.t("staff-alerts-sent"))
    };
    let rows = listed(tr, list, failed);
    Some(view! {
        <h2 id=id>{title}</h2>
        <StaffTable headings=headings>{rows}</StaffTable>
    })
}

/// The rows of a table of alerts: not sent yet (`failed`), or sent.
fn listed(tr: &Tr, list: Vec<queue::Listed>, failed: bool) -> impl IntoView + use<> {
    list.into_iter()
        .map(|a| {
            let what = format!(
                "{} · {}",
                tr.t(&format!("staff-alerts-kind-{}", a.kind)),
                a.references.join(", ")
            );
            let state = if failed {
                tr.t_with(
                    "staff-alerts-failed",
                    [
                        ("attempts", a.attempts.into()),
                        ("next", when(&a.next_at).into()),
                    ],
                )
            } else {
                when(a.sent_at.as_deref().unwrap_or_default())
            };
            let error = a.error_kind.as_ref().map(|kind| {
                let detail = a.last_error.clone().unwrap_or_default();
                view! { {tr.t(&format!("staff-alerts-error-{kind}"))} " " <small>{detail}</small> }
            });
            view! {
                <tr data-alert=a.kind.clone()>
                    <td>{when(&a.created_at)}</td>
                    <td>{a.channel.clone()}</td>
                    <td>{what}</td>
                    <td>{state}</td>
                    <td>{error}</td>
                </tr>
            }
        })
        .collect_view()
}

/// Adds or removes an address, or queues a test alert.
pub async fn change(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(alerts): State<Arc<Alerts>>,
    signed: Signed,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let address = session::field(&form, "address")
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let by = signed.user.username.clone();
    let staff = signed.user.id;
    let note = match session::field(&form, "action") {
        Some("add") => {
            if address.parse::<lettre::Address>().is_err() {
                return show(
                    &db,
                    &site,
                    &alerts,
                    &signed,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("staff-alerts-bad-address"),
                )
                .await;
            }
            let now = super::unix(std::time::SystemTime::now());
            db.write(move |c| {
                if queue::add_recipient(c, &address, &by)? {
                    audit::record(c, Some(staff), "alert-address-added", &address, "")?;
                    // Alerts that failed for want of an address go now.
                    queue::hasten(c, super::Channel::Email, now)?;
                }
                Ok(())
            })
            .await?;
            alerts.wake.notify_one();
            "staff-alerts-added"
        }
        Some("remove") => {
            db.write(move |c| {
                if queue::remove_recipient(c, &address)? {
                    audit::record(c, Some(staff), "alert-address-removed", &address, "")?;
                }
                Ok(())
            })
            .await?;
            "staff-alerts-removed"
        }
        Some("test") if alerts.settings.is_some() => {
            let channels = alerts
                .settings
                .as_ref()
                .map(super::Settings::channels)
                .unwrap_or_default();
            let now = super::unix(std::time::SystemTime::now());
            db.write(move |c| queue::enqueue_test(c, now, &channels))
                .await?;
            alerts.wake.notify_one();
            "staff-alerts-test-queued"
        }
        _ => {
            return show(
                &db,
                &site,
                &alerts,
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("staff-problem-action"),
            )
            .await;
        }
    };
    Ok(crate::web::see_other(&format!("/staff/alerts?note={note}")))
}
