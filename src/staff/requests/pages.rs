//! The dashboard's handlers: the list, one request and its changes, and the audit log. The
//! staff router has checked the role before any of them runs.

use super::views::{AuditTable, FilterForm, RequestTable, RequestView, WeeklyChart};
use super::{Change, Filters, store};
use crate::db::{Db, DbError};
use crate::i18n::Tr;
use crate::seal::SealKey;
use crate::seal::keyring::{Keyring, Locked, Reader};
use crate::site::Site;
use crate::staff::layout::{self, Frame, StaffError, StaffForm, StaffTable};
use crate::staff::session::{self, Signed};
use crate::staff::{audit, drafts::Drafts, retention};
use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

/// `/staff/requests`: the requests the filters match, and the weekly chart.
pub async fn list(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(keyring): State<Arc<Keyring>>,
    signed: Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let filters = Filters::parse(&session::parse_form(query.unwrap_or_default().as_bytes()));
    let admin = signed.user.role == crate::staff::Role::Admin;
    let locked = reader(&keyring, &db, &signed).await?.key().err();
    let ((rows, total), weeks, trouble, readable) = {
        let filters = filters.clone();
        db.read(move |c| {
            let (trouble, readable) = if admin {
                let readable = crate::seal::keys::bootstrap(c).ok().flatten().is_some();
                (audit::sign_in_trouble(c)?, readable)
            } else {
                Default::default()
            };
            Ok((
                store::list(c, &filters)?,
                store::weekly(c)?,
                trouble,
                readable,
            ))
        })
        .await?
    };
    let locked = locked.map(|why| {
        view! { <p class="notice" role="status" id="sealed">{site.tr(signed.user.locale).t(super::views::locked_message(why))}</p> }
    });
    let readable = readable.then(|| {
        view! { <p class="notice" role="alert" id="key-readable">{site.tr(signed.user.locale).t("staff-access-readable")}</p> }
    });
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(&signed, tr.t("staff-requests-title"), "/staff/requests");
    let shown = rows.len();
    let export = format!("/staff/export?{}", filters.query());
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-requests-title")}</h1>
            {readable}
            {locked}
            <SignInWarning tr=tr.clone() trouble=trouble/>
            <FilterForm tr=tr.clone() filters=filters action="/staff/requests"/>
            <p role="status">{tr.t_with("staff-requests-count", [("shown", shown.into()), ("total", total.into())])}</p>
            <RequestTable tr=tr.clone() rows=rows/>
            <p><a class="button" href=export>{tr.t("staff-export-link")}</a></p>
            <h2 id="chart-title">{tr.t("staff-chart-title")}</h2>
            <WeeklyChart tr=tr weeks=weeks/>
        }
    }))
}

/// For admins: failed sign-ins of the last day, and the accounts someone was slowed on.
#[component]
fn SignInWarning(tr: Tr, trouble: audit::SignInTrouble) -> impl IntoView {
    (trouble.failures > 0).then(|| {
        let slowed = (!trouble.slowed.is_empty()).then(|| {
            let names = trouble.slowed.join(", ");
            view! { <br/>{tr.t_with("staff-sign-in-slowed", [("names", names.into())])} }
        });
        view! {
            <p class="notice" role="status" id="sign-in-warning">
                {tr.t_with("staff-sign-in-failures", [("count", trouble.failures.into())])}
                {slowed}
                " "<a href="/staff/audit">{tr.t("staff-audit-link")}</a>
            </p>
        }
    })
}

/// `/staff/requests/{reference}`: one request, whole. The view is logged before anything is
/// shown: a page never opens unrecorded.
pub async fn request(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    State(drafts): State<Arc<Drafts>>,
    State(keyring): State<Arc<Keyring>>,
    signed: Signed,
    Path(reference): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, StaffError> {
    let locale = signed.user.locale;
    let reader = reader(&keyring, &db, &signed).await?;
    let (staff, subject) = (signed.user.id, reference.clone());
    let found = db
        .write(move |c| {
            let Some(request) = store::find(c, &subject, locale, &reader)? else {
                return Ok(None);
            };
            let detail = if request.personal.is_ok() {
                ""
            } else {
                "sealed"
            };
            audit::record(c, Some(staff), "viewed", &subject, detail)?;
            Ok(Some((
                store::notes(c, request.id, &reader)?,
                store::assignees(c)?,
                audit::recent(c, Some(&subject), 50)?,
                request,
            )))
        })
        .await?;
    let (notes, assignees, history, request) = found.ok_or(StaffError::RequestMissing)?;
    let problem = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "problem")
        .map(|(_, v)| v.into_owned())
        .filter(|p| p.starts_with("staff-problem-"));
    let tr = site.tr(locale);
    let here = format!("/staff/requests/{reference}");
    // A note that met an ended session comes back once, in the form.
    let draft = drafts.take(signed.key(), &here);
    let frame = Frame::signed(
        &signed,
        tr.t_with(
            "staff-request-title",
            [("reference", reference.clone().into())],
        ),
        &here,
    );
    let csrf = signed.csrf.clone();
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <RequestView tr=tr csrf=csrf request=request notes=notes assignees=assignees history=history
                problem=problem draft=draft/>
        }
    }))
}

/// What `signed`'s session can open: the organisation's key if it holds it, else why not.
pub async fn reader(keyring: &Keyring, db: &Db, signed: &Signed) -> Result<Reader, DbError> {
    if let Some(key) = keyring.get(signed.key()) {
        return Ok(Reader::Opens(key));
    }
    let staff = signed.user.id;
    let granted = db
        .read(move |c| Ok(crate::seal::keys::stored(c, staff)?.is_some_and(|k| k.grant.is_some())))
        .await?;
    Ok(Reader::Locked(if granted {
        Locked::SignInAgain
    } else {
        Locked::NoGrant
    }))
}

/// A caseworker's change to a request: its status, who has it, or a note (sealed).
pub async fn change(
    State(db): State<Db>,
    State(key): State<Arc<SealKey>>,
    signed: Signed,
    Path(reference): Path<String>,
    StaffForm(form): StaffForm,
) -> Result<Response, StaffError> {
    let page = format!(
        "/staff/requests/{}",
        form_urlencoded::byte_serialize(reference.as_bytes()).collect::<String>()
    );
    let change = match Change::from_form(&form) {
        Ok(change) => change,
        Err(problem) => {
            return Ok(crate::web::see_other(&format!(
                "{page}?problem={problem}#changes"
            )));
        }
    };
    let staff = signed.user.id;
    let applied = {
        let change = change.clone();
        db.write(move |c| store::apply(c, staff, &reference, &change, &key))
            .await?
    };
    match applied {
        true => Ok(crate::web::see_other(&format!("{page}#changes"))),
        false if matches!(change, Change::Assign(_)) => Ok(crate::web::see_other(&format!(
            "{page}?problem=staff-problem-assignee#changes"
        ))),
        false => Err(StaffError::RequestMissing),
    }
}

/// `/staff/audit`, for admins: the newest lines of the audit log and the purges.
pub async fn audit(
    State(db): State<Db>,
    State(site): State<Arc<Site>>,
    signed: Signed,
) -> Result<Response, StaffError> {
    let (entries, purges) = db
        .read(|c| Ok((audit::recent(c, None, 300)?, retention::history(c, 20)?)))
        .await?;
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(&signed, tr.t("staff-audit-title"), "/staff/audit");
    let purges = purges
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.at}</td><td>{p.retention_days}</td>
                    <td>{p.open_days.map(|d| d.to_string()).unwrap_or_default()}</td>
                    <td>{p.requests}</td><td>{p.open_requests}</td><td>{p.notes}</td>
                </tr>
            }
        })
        .collect_view();
    let purge_headings = [
        "staff-audit-at",
        "staff-purge-days",
        "staff-purge-open-days",
        "staff-purge-requests",
        "staff-purge-open",
        "staff-purge-notes",
    ]
    .map(|id| tr.t(id))
    .to_vec();
    Ok(layout::page(&site, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-audit-title")}</h1>
            <AuditTable tr=tr.clone() entries=entries/>
            <h2>{tr.t("staff-purge-title")}</h2>
            <StaffTable headings=purge_headings>{purges}</StaffTable>
        }
    }))
}
