//! `/staff/hubs`, for admins. At central: the hubs, with their last contact and how many
//! requests each forwarded, a form to add one (which shows its one-time pairing code, as
//! text, as the command to run at the hub and as a QR code, once) and a button to revoke
//! one. At a hub: how many requests wait for central, when central was last reached, and
//! which content version the hub has.

use super::{forward, identity, registry};
use crate::db::Db;
use crate::site::Site;
use crate::staff::layout::{self, Csrf, Frame, StaffError, StaffForm, StaffTable, when};
use crate::staff::session::{self, Signed};
use axum::{
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

/// What the page shows: central's register, or a hub's own state.
enum Shown {
    Central(Vec<registry::Hub>),
    Hub {
        hub: identity::HubSelf,
        waiting: i64,
        version: i64,
    },
}

async fn shown(db: &Db) -> Result<Shown, StaffError> {
    let path = db.path().to_owned();
    Ok(db
        .write(move |c| {
            identity::check_placement(c, &path)?;
            Ok(match identity::load(c)? {
                Some(hub) => Shown::Hub {
                    hub,
                    waiting: forward::waiting(c)?,
                    version: crate::content::texts::version(c)?,
                },
                None => Shown::Central(registry::list(c)?),
            })
        })
        .await?)
}

pub async fn page(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let note = session::note_in(query.as_deref(), "staff-hubs-");
    show(&db, &site, &signed, StatusCode::OK, note.as_deref(), None).await
}

/// The pairing code just made, to show once.
struct NewCode {
    name: String,
    code: String,
    command: String,
}

async fn show(
    db: &Db,
    site: &Site,
    signed: &Signed,
    status: StatusCode,
    note: Option<&str>,
    made: Option<NewCode>,
) -> Result<Response, StaffError> {
    let shown = shown(db).await?;
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t("staff-hubs-title"), "/staff/hubs");
    let note = note.map(|n| view! { <p class="notice" role="status" id="hubs-note">{tr.t(n)}</p> });
    let body = match shown {
        Shown::Hub {
            hub,
            waiting,
            version,
        } => {
            let never = tr.t("staff-hubs-never");
            let error = hub
                .last_error
                .map(|e| view! { <p class="notice" role="alert" id="hub-error">{tr.t_with("staff-hub-error", [("error", e.into())])}</p> });
            view! {
                <h1>{tr.t_with("staff-hub-title", [("name", hub.name.clone().into())])}</h1>
                {error}
                <dl class="request-details" id="hub-state">
                    <dt>{tr.t("staff-hub-waiting")}</dt><dd data-waiting=waiting.to_string()>{waiting}</dd>
                    <dt>{tr.t("staff-hub-contact")}</dt><dd>{hub.last_contact.as_deref().map(when).unwrap_or(never)}</dd>
                    <dt>{tr.t("staff-hub-central")}</dt><dd>{hub.upstream.clone()}</dd>
                    <dt>{tr.t("staff-hub-version")}</dt>
                    <dd>{tr.t_with("staff-hub-version-value", [("central", hub.central_version.into()), ("local", version.into())])}</dd>
                    <dt>{tr.t("staff-hub-https")}</dt>
                    <dd id="hub-https">{https_state(&tr, site)}</dd>
                </dl>
                <p>{tr.t("staff-hub-text")}</p>
            }
            .into_any()
        }
        Shown::Central(hubs) => central(&tr, signed, hubs, made).into_any(),
    };
    Ok(layout::page(
        site,
        status,
        frame,
        move || view! { {note}{body} },
    ))
}

/// What the hub's HTTPS name can do for phones now.
fn https_state(tr: &crate::i18n::Tr, site: &Site) -> String {
    match site.certs.hub_name() {
        None => tr.t("staff-hub-https-none"),
        Some((host, None)) => tr.t_with("staff-hub-https-waiting", [("name", host.into())]),
        Some((host, Some(offered))) => {
            let until = crate::certs::format_time(offered.not_after);
            let id = if offered.valid {
                "staff-hub-https-good"
            } else {
                "staff-hub-https-expired"
            };
            tr.t_with(id, [("name", host.into()), ("until", until.into())])
        }
    }
}

/// A hub's name and its certificate, as central's register shows them.
fn certificate(tr: &crate::i18n::Tr, hub: &registry::Hub) -> String {
    match (&hub.host, &hub.cert_not_after, &hub.cert_error) {
        (None, _, _) => String::new(),
        (Some(host), Some(until), error) => {
            let held = tr.t_with(
                "staff-hubs-certificate-until",
                [("name", host.clone().into()), ("until", when(until).into())],
            );
            match error {
                Some(error) => tr.t_with(
                    "staff-hubs-certificate-renewal-failed",
                    [("held", held.into()), ("error", error.clone().into())],
                ),
                None => held,
            }
        }
        (Some(host), None, Some(error)) => tr.t_with(
            "staff-hubs-certificate-failed",
            [
                ("name", host.clone().into()),
                ("error", error.clone().into()),
            ],
        ),
        (Some(host), None, None) => tr.t_with(
            "staff-hubs-certificate-waiting",
            [("name", host.clone().into())],
        ),
    }
}

fn central(
    tr: &crate::i18n::Tr,
    signed: &Signed,
    hubs: Vec<registry::Hub>,
    made: Option<NewCode>,
) -> impl IntoView {
    let never = tr.t("staff-hubs-never");
    let rows = hubs
        .into_iter()
        .map(|hub| {
            let state = match (&hub.revoked_at, &hub.paired_at, hub.code_waiting) {
                (Some(at), _, _) => tr.t_with("staff-hubs-revoked", [("when", when(at).into())]),
                (None, Some(_), _) => tr.t("staff-hubs-paired"),
                (None, None, true) => tr.t("staff-hubs-waiting"),
                (None, None, false) => tr.t("staff-hubs-expired"),
            };
            let revoke = hub.revoked_at.is_none().then(|| {
                view! {
                    <form method="post" action="/staff/hubs" class="inline-form">
                        <Csrf token=signed.csrf.clone()/>
                        <input type="hidden" name="action" value="revoke"/>
                        <input type="hidden" name="name" value=hub.name.clone()/>
                        <button type="submit" class="button">{tr.t("staff-hubs-revoke")}</button>
                    </form>
                }
            });
            view! {
                <tr data-hub=hub.name.clone()>
                    <td>{hub.name.clone()}</td>
                    <td>{state}</td>
                    <td>{certificate(tr, &hub)}</td>
                    <td>{hub.last_contact.as_deref().map(when).unwrap_or_else(|| never.clone())}</td>
                    <td data-forwarded=hub.forwarded.to_string()>{hub.forwarded}</td>
                    <td>{revoke}</td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-hubs-name",
        "staff-hubs-state",
        "staff-hubs-certificate",
        "staff-hubs-contact",
        "staff-hubs-forwarded",
        "staff-access-change",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    let made = made.map(|made| {
        let qr = crate::site::share::make_qr_svg(&made.command);
        view! {
            <section class="notice" id="pairing-code" aria-labelledby="pairing-title">
                <h2 id="pairing-title">{tr.t_with("staff-hubs-code-title", [("name", made.name.into())])}</h2>
                <p class="pairing-code"><code>{made.code}</code></p>
                <p>{tr.t("staff-hubs-code-run")}</p>
                <pre><code>{made.command}</code></pre>
                <div class="qr-code" inner_html=qr></div>
                <p>{tr.t_with("staff-hubs-code-once", [("hours", registry::CODE_HOURS.into())])}</p>
            </section>
        }
    });
    view! {
        <h1>{tr.t("staff-hubs-title")}</h1>
        <p>{tr.t("staff-hubs-text")}</p>
        {made}
        <StaffTable headings=headings>{rows}</StaffTable>
        <h2>{tr.t("staff-hubs-add")}</h2>
        <form method="post" action="/staff/hubs" class="staff-form inline-form">
            <Csrf token=signed.csrf.clone()/>
            <input type="hidden" name="action" value="add"/>
            <label for="hub-name">{tr.t("staff-hubs-name")}</label>
            <input id="hub-name" name="name" required=true maxlength="40" pattern="[a-z0-9][a-z0-9\\-]*" autocomplete="off"/>
            <button type="submit" class="button">{tr.t("staff-hubs-add-button")}</button>
        </form>
    }
}

/// The address hubs reach central at, for the command shown with a code.
fn central_url(site: &Site, headers: &HeaderMap) -> String {
    site.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("CENTRAL");
        format!("https://{host}")
    })
}

/// Adds a hub (showing its code, once) or revokes one.
pub async fn change(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(wake): State<Arc<tokio::sync::Notify>>,
    signed: Signed,
    headers: HeaderMap,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let name = session::field(&form, "name")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let action = session::field(&form, "action")
        .unwrap_or_default()
        .to_owned();
    if db.read(identity::is_hub).await? {
        return show(
            &db,
            &site,
            &signed,
            StatusCode::CONFLICT,
            Some("staff-hubs-not-central"),
            None,
        )
        .await;
    }
    let by = Some(signed.user.id);
    let owned = name.clone();
    let domain = site.hub_domain.clone();
    let done = db
        .write(move |c| {
            Ok(match action.as_str() {
                "add" => registry::add(c, &owned, domain.as_deref(), by).map(Some),
                "revoke" => registry::revoke(c, &owned, by).map(|()| None),
                _ => Err(registry::HubError::Unknown(owned.clone())),
            })
        })
        .await?;
    match done {
        Ok(Some(code)) => {
            let command = format!("passport hub pair {} {code}", central_url(&site, &headers));
            let made = NewCode {
                name,
                code,
                command,
            };
            show(&db, &site, &signed, StatusCode::OK, None, Some(made)).await
        }
        Ok(None) => {
            // The keeper revokes the hub's certificate at the CA now.
            wake.notify_one();
            Ok(crate::web::see_other(
                "/staff/hubs?note=staff-hubs-revoked-note",
            ))
        }
        Err(error) => {
            let message = match error {
                registry::HubError::BadName => "staff-hubs-bad-name",
                registry::HubError::Revoked(_) => "staff-hubs-name-revoked",
                _ => "staff-problem-action",
            };
            show(
                &db,
                &site,
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
                None,
            )
            .await
        }
    }
}
