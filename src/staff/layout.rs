//! The frame of every staff page: plain server-rendered HTML with no script but for the
//! recording page's own (`record.js`), never stored by any cache, with navigation for what the person's role may do. The editor's pages
//! use it too; it knows nothing of them.

use super::accounts::Role;
use super::session::{self, Signed};
use crate::content::linked;
use crate::db::{Db, DbError};
use crate::i18n::{Locale, STAFF_LOCALES, Tr};
use crate::site::Site;
use crate::site::shell::{Head, Shell};
use axum::{
    body::Bytes,
    extract::{FromRef, FromRequest, FromRequestParts, Request},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use leptos::prelude::*;
use std::sync::Arc;

/// The staff language for an `Accept-Language` header: Vietnamese if preferred, else English.
pub fn locale_for(headers: &axum::http::HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
        .filter(|l| STAFF_LOCALES.contains(l))
        .unwrap_or(Locale::En)
}

/// What a staff page tells the frame about itself.
pub struct Frame<'a> {
    title: String,
    /// The path of this page, for the language switch to come back to.
    here: String,
    locale: Locale,
    signed: Option<&'a Signed>,
    /// A script of the site's own that this page needs (the recorder), by its URL.
    script: Option<String>,
}

impl<'a> Frame<'a> {
    /// A page for `signed`, in their language, with the navigation their role has.
    pub fn signed(signed: &'a Signed, title: String, here: &str) -> Frame<'a> {
        Frame {
            title,
            here: here.to_owned(),
            locale: signed.user.locale,
            signed: Some(signed),
            script: None,
        }
    }

    /// The same page, loading `script` (a URL of the site's own).
    pub fn with_script(self, script: String) -> Frame<'a> {
        Frame {
            script: Some(script),
            ..self
        }
    }

    /// A page for someone not signed in, in `locale`.
    pub fn anonymous(locale: Locale, title: String, here: &str) -> Frame<'a> {
        Frame {
            title,
            here: here.to_owned(),
            locale,
            signed: None,
            script: None,
        }
    }
}

pub fn page<V: IntoView + 'static>(
    site: &Site,
    status: StatusCode,
    frame: Frame<'_>,
    body: impl FnOnce() -> V,
) -> Response {
    let locale = frame.locale;
    let tr = site.tr(locale);
    let css = site.assets.built.css.clone();
    let icon = site.assets.built.icon.clone();
    let title = format!("{} · {}", frame.title, tr.t("staff-app-name"));
    let nav = frame.signed.map(
        |signed| view! { <StaffNav tr=tr.clone() signed=signed.clone() here=frame.here.clone()/> },
    );
    let head = Head {
        lang: locale.code(),
        title,
        description: None,
        icon: Some(icon),
        css,
        islands: None,
        body_class: Some("staff"),
        event_idle: None,
    };
    // Every staff page, the first one after signing in included, says so while help
    // requests cannot be stored.
    let disk_full = site.health.disk_full().then(
        || view! { <p class="notice" role="alert" id="disk-full">{tr.t("staff-disk-full")}</p> },
    );
    // Every signed-in page says when alerts could not be sent; admins, who can fix it, get
    // a link to the page that says why.
    let failing = site.health.alerts_failing();
    let alerts = (failing > 0 && frame.signed.is_some()).then(|| {
        let said = tr.t_with("staff-alerts-failing", [("count", (failing as i64).into())]);
        let admin = frame.signed.is_some_and(|s| s.user.role == Role::Admin);
        let said = if admin {
            view! { <a href="/staff/alerts">{said}</a> }.into_any()
        } else {
            said.into_any()
        };
        view! { <p class="notice" role="alert" id="alerts-failing">{said}</p> }
    });
    let script = frame
        .script
        .map(|src| view! { <script type="module" src=src></script> });
    let extra_head =
        view! { <meta name="robots" content="noindex, nofollow"/> {script} }.into_any();
    // Staff pages have no islands: a plain owner renders them.
    let html = Owner::new().with(|| {
        let main = body().into_any();
        view! {
            <Shell head=head extra_head=extra_head>
                <header class="masthead staff-masthead">
                    <span class="brand">{tr.t("staff-app-name")}</span>
                </header>
                {nav}
                {disk_full}
                {alerts}
                <main id="main">{main}</main>
            </Shell>
        }
        .to_html()
    });
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_LANGUAGE, locale.code()),
            (header::VARY, "Cookie, Accept-Language"),
            (header::HeaderName::from_static("x-robots-tag"), "noindex"),
        ],
        html,
    )
        .into_response();
    crate::web::no_store(&mut response);
    response
}

/// The answer when a role may not see or do something.
pub fn forbidden(site: &Site, signed: &Signed) -> Response {
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t("staff-forbidden-title"), "/staff/");
    page(site, StatusCode::FORBIDDEN, frame, || {
        view! {
            <h1>{tr.t("staff-forbidden-title")}</h1>
            <p>{tr.t("staff-forbidden-text")}</p>
        }
    })
}

/// The answer to a form without this session's CSRF token, or from another site.
pub fn not_genuine(site: &Site, locale: Locale) -> Response {
    let tr = site.tr(locale);
    let frame = Frame::anonymous(locale, tr.t("staff-csrf-title"), "/staff/");
    page(site, StatusCode::FORBIDDEN, frame, || {
        view! {
            <h1>{tr.t("staff-csrf-title")}</h1>
            <p>{tr.t("staff-csrf-text")}</p>
        }
    })
}

/// Why a staff page could not be shown. Handlers return it with `?`; the staff router (see
/// [`super::access`]) answers it with a page in the signed-in person's language, which only
/// it can: it knows who is signed in.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("a staff page could not read the database: {0}")]
    Unavailable(#[from] DbError),
    #[error("no help request has this reference")]
    RequestMissing,
    #[error("no page has this address")]
    PageMissing,
    #[error("a change's author cannot approve it")]
    OwnChange,
    #[error("the change to approve was edited or published meanwhile")]
    ChangeMoved,
}

/// The message a [`StaffError`] is answered with, carried from the handler to the router.
#[derive(Debug, Clone, Copy)]
pub struct Problem(&'static str);

impl IntoResponse for StaffError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            StaffError::Unavailable(error) => {
                tracing::error!(%error, "a staff page could not read the database");
                (StatusCode::SERVICE_UNAVAILABLE, "staff-unavailable")
            }
            StaffError::RequestMissing => (StatusCode::NOT_FOUND, "staff-request-missing"),
            StaffError::PageMissing => (StatusCode::NOT_FOUND, "staff-page-missing"),
            StaffError::OwnChange => (StatusCode::FORBIDDEN, "staff-approve-own"),
            StaffError::ChangeMoved => (StatusCode::CONFLICT, "staff-approve-changed"),
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(Problem(message));
        crate::web::no_store(&mut response);
        response
    }
}

/// `response` itself, or the page that says what its [`Problem`] is to `signed`.
pub fn explain(response: Response, site: &Site, signed: &Signed) -> Response {
    let Some(&Problem(message)) = response.extensions().get::<Problem>() else {
        return response;
    };
    let tr = site.tr(signed.user.locale);
    let frame = Frame::signed(signed, tr.t(message), "/staff/requests");
    let text = tr.t(message);
    page(site, response.status(), frame, || view! { <h1>{text}</h1> })
}

/// A posted staff form that carries this session's CSRF token and came from this site.
/// Extracting it answers any other form with the "this form has expired" page.
pub struct StaffForm(pub Vec<(String, String)>);

impl<S> FromRequest<S> for StaffForm
where
    S: Send + Sync,
    Db: FromRef<S>,
    Arc<Site>: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<StaffForm, Response> {
        let (mut parts, body) = request.into_parts();
        let signed = Signed::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let form = session::parse_form(&body);
        if !signed.form_is_genuine(&headers, &form) {
            return Err(not_genuine(
                &Arc::<Site>::from_ref(state),
                signed.user.locale,
            ));
        }
        Ok(StaffForm(form))
    }
}

/// A stored UTC time (`2026-11-23T14:21:34Z`) as the staff pages show it: `2026-11-23 14:21`.
pub fn when(at: &str) -> String {
    at.get(..16).unwrap_or(at).replacen('T', " ", 1)
}

/// A table of the staff pages: its column headings, and its rows as children.
#[component]
pub fn StaffTable(headings: Vec<String>, children: Children) -> impl IntoView {
    let headings = headings
        .into_iter()
        .map(|h| view! { <th>{h}</th> })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="staff-table">
                <thead><tr>{headings}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// The hidden field every state-changing staff form carries.
#[component]
pub fn Csrf(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token/> }
}

#[component]
fn StaffNav(tr: Tr, signed: Signed, here: String) -> impl IntoView {
    let role = signed.user.role;
    let link = |href: &'static str, message: &'static str| {
        let current = here.starts_with(href).then_some("page");
        view! { <li><a href=href aria-current=current>{tr.t(message)}</a></li> }
    };
    let requests = role.handles_requests().then(|| {
        view! {
            {link("/staff/requests", "staff-nav-requests")}
            {link("/staff/export", "staff-nav-export")}
        }
    });
    let content = role.edits_content().then(|| {
        view! {
            {link("/staff/translations", "staff-nav-translations")}
            {link("/staff/facts", "staff-nav-facts")}
        }
    });
    let audit = (role == Role::Admin).then(|| {
        view! {
            {link("/staff/audit", "staff-nav-audit")}
            {link("/staff/access", "staff-nav-access")}
            {link("/staff/hubs", "staff-nav-hubs")}
            {link("/staff/alerts", "staff-nav-alerts")}
        }
    });
    // How to respond when someone says they are in danger, and how to run an event: for
    // everyone on the staff, in the public app.
    let frontline = view! {
        <li>
            <a href=format!("/{}/guides/{}", signed.user.locale, linked::FRONTLINE)>
                {tr.t("staff-nav-frontline")}
            </a>
        </li>
    };
    let languages = STAFF_LOCALES
        .into_iter()
        .map(|other| {
            view! {
                <option value=other.code() lang=other.code() selected=other == signed.user.locale>
                    {tr.in_locale(other).t("language-name")}
                </option>
            }
        })
        .collect_view();
    let who = tr.t_with(
        "staff-signed-in-as",
        [
            ("name", signed.user.username.clone().into()),
            ("role", tr.t(&format!("staff-role-{}", role.code())).into()),
        ],
    );
    view! {
        <nav class="sections staff-nav" aria-label=tr.t("staff-nav-label")>
            <ul>{requests}{content}{audit}{frontline}</ul>
        </nav>
        <div class="staff-account">
            <span>{who}</span>
            <form method="post" action="/staff/language" class="inline-form">
                <Csrf token=signed.csrf.clone()/>
                <input type="hidden" name="back" value=here.clone()/>
                <label for="staff-language">{tr.t("staff-language-label")}</label>
                <select id="staff-language" name="locale">{languages}</select>
                <button type="submit" class="button button-small">{tr.t("staff-language-apply")}</button>
            </form>
            <form method="post" action="/staff/logout" class="inline-form">
                <Csrf token=signed.csrf.clone()/>
                <button type="submit" class="button button-small">{tr.t("staff-sign-out")}</button>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staff_error_keeps_its_status_and_message_for_the_router_and_no_cache() {
        let response = StaffError::RequestMissing.into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let problem = response.extensions().get::<Problem>().map(|p| p.0);
        assert_eq!(problem, Some("staff-request-missing"));
    }

    #[test]
    fn times_show_to_the_minute() {
        assert_eq!(when("2026-11-23T14:21:34Z"), "2026-11-23 14:21");
        assert_eq!(when("soon"), "soon");
    }
}
