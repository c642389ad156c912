//! Signing in and out, and the staff language. Sign-in is limited per address and locks an
//! account after repeated failures; its form carries its own CSRF token in a cookie, as there
//! is no session yet to hold one.

use super::layout::{self, Csrf, Frame, StaffTable};
use super::session::{self, LOCK_MINUTES, LOGIN_COOKIE, Signed};
use super::{accounts, audit};
use crate::help::limit::{Rate, RateLimiter};
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use axum::{
    body::Bytes,
    extract::{ConnectInfo, RawQuery, Request, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use leptos::prelude::*;
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::LazyLock,
    time::{Duration, Instant},
};

/// Sign-in attempts one address may make at once, and how fast it earns another: an office
/// behind one address is not locked out, a password-guessing script gets 60 tries an hour.
pub const SIGN_IN_BURST: u32 = 10;
pub const SIGN_IN_REFILL: Duration = Duration::from_secs(60);

/// A sign-in form is a name and a password: anything longer is not one.
const FORM_MAX: usize = 8 * 1024;

pub fn sign_in_limiter() -> RateLimiter {
    RateLimiter::new(Rate::PerAddress {
        burst: SIGN_IN_BURST,
        refill: SIGN_IN_REFILL,
    })
}

/// A hash checked when the username is unknown, so that an unknown name takes as long to
/// refuse as a wrong password.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| accounts::hash_password("decoy password, never valid").unwrap_or_default());

/// `/staff`: the first page a role has.
pub async fn home(signed: Signed) -> Response {
    let target = if signed.user.role.handles_requests() {
        "/staff/requests"
    } else if signed.user.role.edits_content() {
        "/staff/translations"
    } else {
        "/staff/account"
    };
    crate::web::see_other(target)
}

pub async fn form(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let next = query_next(query.as_deref());
    show_form(&app, &headers, StatusCode::OK, None, &next, "")
}

pub async fn submit(State(app): State<AppState>, request: Request) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let headers = request.headers().clone();
    let Ok(body) = axum::body::to_bytes(request.into_body(), FORM_MAX).await else {
        return show_form(
            &app,
            &headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("staff-sign-in-wrong"),
            "",
            "",
        );
    };
    let form = session::parse_form(&body);
    let next = session::field(&form, "next").unwrap_or_default().to_owned();
    let username = session::field(&form, "username")
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let password = session::field(&form, "password")
        .unwrap_or_default()
        .to_owned();
    let genuine = session::same_origin(&headers)
        && match (
            crate::web::cookie(&headers, LOGIN_COOKIE),
            session::field(&form, "csrf"),
        ) {
            (Some(cookie), Some(field)) => session::equal(&cookie, field),
            _ => false,
        };
    if !genuine {
        return show_form(
            &app,
            &headers,
            StatusCode::FORBIDDEN,
            Some("staff-csrf-text"),
            &next,
            &username,
        );
    }
    if let Err(wait) = app.sign_in_limiter.check(ip, Instant::now()) {
        let mut response = show_form(
            &app,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Some("staff-sign-in-too-many"),
            &next,
            &username,
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, crate::help::api::retry_after(wait));
        return response;
    }

    let lookup = {
        let username = username.clone();
        app.db.read(move |c| session::candidate(c, &username)).await
    };
    let candidate = match lookup {
        Ok(candidate) => candidate,
        Err(error) => {
            tracing::error!(%error, "looking up an account");
            return show_form(
                &app,
                &headers,
                StatusCode::SERVICE_UNAVAILABLE,
                Some("staff-unavailable"),
                &next,
                &username,
            );
        }
    };
    if candidate.as_ref().is_some_and(|c| c.locked && c.usable) {
        return show_form(
            &app,
            &headers,
            StatusCode::FORBIDDEN,
            Some("staff-sign-in-locked"),
            &next,
            &username,
        );
    }
    let hash = candidate
        .as_ref()
        .map_or_else(|| DECOY_HASH.clone(), |c| c.hash.clone());
    // Hashing takes tens of milliseconds of CPU: never on the async executor.
    let matches = tokio::task::spawn_blocking(move || accounts::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(candidate) = candidate.filter(|c| c.usable) else {
        return show_form(
            &app,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some("staff-sign-in-wrong"),
            &next,
            &username,
        );
    };
    if !matches {
        let (id, name) = (candidate.id, username.clone());
        let locked = app
            .db
            .write(move |c| session::record_failure(c, id, &name))
            .await
            .unwrap_or(false);
        let message = if locked {
            "staff-sign-in-locked"
        } else {
            "staff-sign-in-wrong"
        };
        return show_form(
            &app,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(message),
            &next,
            &username,
        );
    }
    let (Some(token), Some(csrf)) = (session::random_token(), session::random_token()) else {
        return show_form(
            &app,
            &headers,
            StatusCode::SERVICE_UNAVAILABLE,
            Some("staff-unavailable"),
            &next,
            &username,
        );
    };
    let started = {
        let (token, id, name) = (token.clone(), candidate.id, username.clone());
        app.db
            .write(move |c| {
                let tx = c.transaction()?;
                session::record_success(&tx, id, &name)?;
                session::start(&tx, id, &token, &csrf)?;
                tx.commit()
            })
            .await
    };
    if let Err(error) = started {
        tracing::error!(%error, "starting a staff session");
        return show_form(
            &app,
            &headers,
            StatusCode::SERVICE_UNAVAILABLE,
            Some("staff-unavailable"),
            &next,
            &username,
        );
    }
    let mut response = crate::web::see_other(session::safe_next(Some(&next)));
    session::add_cookie(&mut response, &headers, session::COOKIE, &token, "/staff");
    session::add_cookie(&mut response, &headers, LOGIN_COOKIE, "", "/staff/login");
    response
}

pub async fn sign_out(
    State(app): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !signed.form_is_genuine(&headers, &session::parse_form(&body)) {
        return layout::not_genuine(&app, signed.user.locale);
    }
    if let Err(error) = app.db.write(move |c| signed.end(c)).await {
        tracing::error!(%error, "ending a staff session");
    }
    let mut response = crate::web::see_other("/staff/login");
    session::add_cookie(&mut response, &headers, session::COOKIE, "", "/staff");
    response
}

/// Sets the language of this person's staff pages.
pub async fn language(
    State(app): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = session::parse_form(&body);
    if !signed.form_is_genuine(&headers, &form) {
        return layout::not_genuine(&app, signed.user.locale);
    }
    let locale = session::field(&form, "locale")
        .and_then(Locale::from_code)
        .filter(|l| crate::i18n::STAFF_LOCALES.contains(l));
    if let Some(locale) = locale {
        let id = signed.user.id;
        if let Err(error) = app
            .db
            .write(move |c| {
                c.execute(
                    "UPDATE staff SET locale = ?2 WHERE id = ?1",
                    rusqlite::params![id, locale.code()],
                )
            })
            .await
        {
            tracing::error!(%error, "setting a staff language");
        }
    }
    crate::web::see_other(session::safe_next(session::field(&form, "back")))
}

/// `/staff/account`: who is signed in, and with what role; the page for roles without a
/// dashboard of their own here.
pub async fn account(State(app): State<AppState>, signed: Signed) -> Response {
    let tr = app.site.tr(signed.user.locale);
    let recent = {
        let name = signed.user.username.clone();
        app.db
            .read(move |c| audit::recent(c, Some(&name), 10))
            .await
            .unwrap_or_default()
    };
    let rows = recent
        .into_iter()
        .map(|entry| {
            view! {
                <tr>
                    <td>{super::requests::when(&entry.at)}</td>
                    <td>{tr.t(&format!("staff-action-{}", entry.action))}</td>
                </tr>
            }
        })
        .collect_view();
    let frame = Frame {
        title: tr.t("staff-account-title"),
        here: "/staff/account".to_owned(),
        signed: Some(&signed),
    };
    let role = tr.t(&format!("staff-role-{}", signed.user.role.code()));
    let role_text = tr.t(&format!("staff-role-{}-text", signed.user.role.code()));
    layout::page(&app, signed.user.locale, StatusCode::OK, frame, || {
        view! {
            <h1>{tr.t("staff-account-title")}</h1>
            <p>{tr.t_with("staff-account-role", [("role", role.into())])}</p>
            <p>{role_text}</p>
            <h2>{tr.t("staff-account-recent")}</h2>
            <StaffTable headings=vec![tr.t("staff-audit-at"), tr.t("staff-audit-action")]>{rows}</StaffTable>
        }
    })
}

fn query_next(query: Option<&str>) -> String {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "next")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// The sign-in form, with a fresh CSRF token in its cookie and its field.
fn show_form(
    app: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    problem: Option<&str>,
    next: &str,
    username: &str,
) -> Response {
    let locale = layout::locale_for(headers);
    let tr: Tr = app.site.tr(locale);
    let token = session::random_token().unwrap_or_default();
    let problem = problem.map(|message| {
        let text = if message == "staff-sign-in-locked" {
            tr.t_with("staff-sign-in-locked", [("minutes", LOCK_MINUTES.into())])
        } else {
            tr.t(message)
        };
        view! { <p class="field-error" id="sign-in-problem" role="alert">{text}</p> }
    });
    let described = problem.is_some().then_some("sign-in-problem");
    let frame = Frame {
        title: tr.t("staff-sign-in-title"),
        here: "/staff/login".to_owned(),
        signed: None,
    };
    let (next, username) = (next.to_owned(), username.to_owned());
    let mut response = layout::page(app, locale, status, frame, || {
        view! {
            <h1>{tr.t("staff-sign-in-title")}</h1>
            {problem}
            <form method="post" action="/staff/login" class="staff-form">
                <Csrf token=token.clone()/>
                <input type="hidden" name="next" value=next/>
                <p class="field">
                    <label for="username">{tr.t("staff-username")}</label>
                    <input type="text" id="username" name="username" value=username autocomplete="username"
                        autocapitalize="none" spellcheck="false" required=true aria-describedby=described/>
                </p>
                <p class="field">
                    <label for="password">{tr.t("staff-password")}</label>
                    <input type="password" id="password" name="password" autocomplete="current-password"
                        required=true aria-describedby=described/>
                </p>
                <button type="submit" class="button">{tr.t("staff-sign-in")}</button>
            </form>
            <p class="hint">{tr.t("staff-sign-in-hint")}</p>
        }
    });
    session::add_cookie(&mut response, headers, LOGIN_COOKIE, &token, "/staff/login");
    response
}
