//! Signing in and out, and the staff language. Sign-in is limited per address, and slowed
//! per account and network after repeated failures (`guard`); every refusal of a name and
//! password looks and takes the same, whether the name exists or not. The form carries its
//! own CSRF token in a cookie, as there is no session yet to hold one.

use super::drafts::{Draft, Drafts};
use super::guard::{FREE_FAILURES, Hasher, Throttle};
use super::layout::{self, Csrf, Frame, StaffForm};
use super::session::{self, LOGIN_COOKIE, SignInLimiter, Signed};
use super::{accounts, audit};
use crate::db::{Db, DbError};
use crate::i18n::{Locale, STAFF_LOCALES, Tr};
use crate::seal::keyring::Keyring;
use crate::site::Site;
use crate::state::AppState;
use axum::{
    extract::{ConnectInfo, FromRef, RawQuery, Request, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use leptos::prelude::*;
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::{Arc, LazyLock},
    time::{Duration, Instant},
};

/// A sign-in form is a name, a password and perhaps a note carried over (see
/// [`expired`]): anything longer is not one.
const FORM_MAX: usize = crate::web::BODY_MAX;

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
    State(site): State<Arc<Site>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let next = query_next(query.as_deref());
    let attempt = Attempt {
        next,
        ..Attempt::default()
    };
    show_form(&site, &headers, StatusCode::OK, None, &attempt)
}

/// A caseworker's note posted after their session ended: the sign-in form, saying so, with
/// the note carried in it, so that signing in takes them back to `page` with the note still
/// in its form.
pub fn expired(site: &Site, headers: &HeaderMap, page: &str, note: &str) -> Response {
    let attempt = Attempt {
        next: page.to_owned(),
        draft: note.to_owned(),
        ..Attempt::default()
    };
    let mut response = show_form(
        site,
        headers,
        StatusCode::UNAUTHORIZED,
        Some("staff-session-expired"),
        &attempt,
    );
    crate::web::no_store(&mut response);
    response
}

/// What a sign-in is checked against.
#[derive(Clone)]
pub struct Gate {
    db: Db,
    limiter: Arc<SignInLimiter>,
    throttle: Arc<Throttle>,
    hasher: Arc<Hasher>,
    keyring: Arc<Keyring>,
}

impl FromRef<AppState> for Gate {
    fn from_ref(state: &AppState) -> Gate {
        Gate {
            db: state.db.clone(),
            limiter: state.sign_in_limiter.clone(),
            throttle: state.throttle.clone(),
            hasher: state.hasher.clone(),
            keyring: state.keyring.clone(),
        }
    }
}

pub async fn submit(
    State(gate): State<Gate>,
    State(site): State<Arc<Site>>,
    State(drafts): State<Arc<Drafts>>,
    request: Request,
) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let headers = request.headers().clone();
    let Ok(body) = axum::body::to_bytes(request.into_body(), FORM_MAX).await else {
        return Refusal::TooLarge.answer(&site, &headers, &Attempt::default());
    };
    let attempt = Attempt::read(&headers, &body);
    match sign_in(&gate, ip, &attempt).await {
        Ok(token) => {
            let next = session::safe_next(Some(&attempt.next));
            if !attempt.draft.is_empty() {
                let draft = Draft {
                    page: next.to_owned(),
                    text: attempt.draft.clone(),
                };
                drafts.hold(&session::digest(&token), draft);
            }
            let mut response = crate::web::see_other(next);
            session::add_cookie(&mut response, &headers, session::COOKIE, &token, "/staff");
            session::add_cookie(&mut response, &headers, LOGIN_COOKIE, "", "/staff/login");
            response
        }
        Err(refusal) => refusal.answer(&site, &headers, &attempt),
    }
}

/// What a sign-in form sent.
#[derive(Default)]
struct Attempt {
    next: String,
    /// A note carried over from a page whose session had ended.
    draft: String,
    username: String,
    password: String,
    /// It carries the CSRF token of its own cookie and came from this site.
    genuine: bool,
}

impl Attempt {
    fn read(headers: &HeaderMap, body: &[u8]) -> Attempt {
        let form = session::parse_form(body);
        let field = |name| session::field(&form, name).unwrap_or_default();
        let genuine = crate::web::same_origin(headers)
            && session::read_cookie(headers, LOGIN_COOKIE).is_some_and(|cookie| {
                session::field(&form, "csrf").is_some_and(|f| session::equal(&cookie, f))
            });
        Attempt {
            next: field("next").to_owned(),
            draft: field("draft").to_owned(),
            username: field("username").trim().to_lowercase(),
            password: field("password").to_owned(),
            genuine,
        }
    }
}

/// Why a sign-in was refused.
enum Refusal {
    TooLarge,
    NotGenuine,
    /// Too many attempts from one address: it may try again after this long.
    TooMany(Duration),
    Unavailable,
    /// Every hashing thread and its queue are taken: try again in a moment.
    Busy,
    /// An unknown or disabled name, the wrong password, or a name still slowed for this
    /// network: the same answer, after the same work, for each.
    Wrong,
}

impl Refusal {
    /// The sign-in form again, saying why, in the language the browser asks for.
    fn answer(self, site: &Site, headers: &HeaderMap, attempt: &Attempt) -> Response {
        let (status, message) = match self {
            Refusal::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "staff-sign-in-wrong"),
            Refusal::NotGenuine => (StatusCode::FORBIDDEN, "staff-csrf-text"),
            Refusal::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, "staff-sign-in-too-many"),
            Refusal::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "staff-unavailable"),
            Refusal::Busy => (StatusCode::SERVICE_UNAVAILABLE, "staff-sign-in-busy"),
            Refusal::Wrong => (StatusCode::UNAUTHORIZED, "staff-sign-in-wrong"),
        };
        let mut response = show_form(site, headers, status, Some(message), attempt);
        let wait = match self {
            Refusal::TooMany(wait) => Some(wait),
            Refusal::Busy => Some(Duration::from_secs(2)),
            _ => None,
        };
        if let Some(wait) = wait {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, crate::help::api::retry_after(wait));
        }
        response
    }

    /// The refusal for a database that failed while `doing` something, which is logged.
    fn unavailable(doing: &'static str) -> impl FnOnce(DbError) -> Refusal {
        move |error| {
            tracing::error!(%error, "{doing}");
            Refusal::Unavailable
        }
    }
}

/// Checks a sign-in and starts its session: the new session's token, or why not. Every
/// attempt that gets this far hashes once and writes once, whatever the outcome, so that an
/// unknown name, a slowed one and a wrong password take the same time.
async fn sign_in(gate: &Gate, ip: IpAddr, attempt: &Attempt) -> Result<String, Refusal> {
    if !attempt.genuine {
        return Err(Refusal::NotGenuine);
    }
    gate.limiter.check(ip).map_err(Refusal::TooMany)?;
    let username = attempt.username.clone();
    let candidate = gate
        .db
        .read(move |c| session::candidate(c, &username))
        .await
        .map_err(Refusal::unavailable("looking up an account"))?
        .filter(|c| c.usable);
    let now = Instant::now();
    let allowed = gate.throttle.allows(&attempt.username, ip, now);
    let hash = candidate.as_ref().map(|c| c.hash.clone());
    let password = attempt.password.clone();
    let (id, reader, keys, bootstrap) = match candidate {
        Some(c) => (Some(c.id), c.reader, c.keys, c.bootstrap),
        None => (None, false, None, None),
    };
    let hashed = gate
        .hasher
        .run(move || {
            let hash = hash.unwrap_or_else(|| DECOY_HASH.clone());
            if !accounts::verify_password(&password, &hash) {
                return None;
            }
            // The right password: the organisation's key is unwrapped with it, here, where
            // the slow work runs.
            let unlocked =
                id.map(|id| crate::seal::keys::unlock(id, reader, &password, keys, bootstrap));
            Some(unlocked.and_then(|u| {
                u.inspect_err(|error| tracing::error!(%error, "unwrapping a staff key"))
                    .ok()
            }))
        })
        .ok_or(Refusal::Busy)?;
    let unlocked = hashed.await.ok().flatten();
    let name = attempt.username.clone();
    let Some(id) = id.filter(|_| unlocked.is_some() && allowed) else {
        let failures = gate.throttle.failed(&attempt.username, ip, now);
        let throttled = (failures == FREE_FAILURES + 1).then_some(ip);
        gate.db
            .write(move |c| session::record_failure(c, id, &name, throttled))
            .await
            .map_err(Refusal::unavailable("logging a failed sign-in"))?;
        return Err(Refusal::Wrong);
    };
    gate.throttle.succeeded(&attempt.username, ip);
    let (Some(token), Some(csrf)) = (session::random_token(), session::random_token()) else {
        return Err(Refusal::Unavailable);
    };
    let (key, store) = unlocked
        .flatten()
        .map_or((None, None), |u| (u.key, u.store));
    let started = token.clone();
    gate.db
        .write(move |c| {
            let tx = c.transaction()?;
            session::record_success(&tx, id, &name)?;
            session::start(&tx, id, &started, &csrf)?;
            if let Some((personal, grant)) = store {
                if grant.is_some() {
                    audit::record(&tx, None, "access-granted", &name, "bootstrap")?;
                }
                crate::seal::keys::store(&tx, id, &personal, grant.map(|g| (g, None)))?;
            }
            tx.commit()
        })
        .await
        .map_err(Refusal::unavailable("starting a staff session"))?;
    if let Some(key) = key {
        gate.keyring.hold(&session::digest(&token), key);
    }
    Ok(token)
}

pub async fn sign_out(
    State(db): State<Db>,
    State(keyring): State<Arc<Keyring>>,
    signed: Signed,
    headers: HeaderMap,
    StaffForm(_): StaffForm,
) -> Response {
    keyring.drop_session(signed.key());
    if let Err(error) = db.write(move |c| signed.end(c)).await {
        tracing::error!(%error, "ending a staff session");
    }
    let mut response = crate::web::see_other("/staff/login");
    session::add_cookie(&mut response, &headers, session::COOKIE, "", "/staff");
    response
}

/// Sets the language of this person's staff pages.
pub async fn language(
    State(db): State<Db>,
    signed: Signed,
    StaffForm(form): StaffForm,
) -> Response {
    let locale = session::field(&form, "locale")
        .and_then(Locale::from_code)
        .filter(|l| STAFF_LOCALES.contains(l));
    if let Some(locale) = locale {
        let id = signed.user.id;
        if let Err(error) = db
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

fn query_next(query: Option<&str>) -> String {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "next")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// The sign-in form, with a fresh CSRF token in its cookie and its field.
fn show_form(
    site: &Site,
    headers: &HeaderMap,
    status: StatusCode,
    problem: Option<&str>,
    attempt: &Attempt,
) -> Response {
    let locale = layout::locale_for(headers);
    let tr: Tr = site.tr(locale);
    let token = session::random_token().unwrap_or_default();
    let problem = problem.map(|message| {
        let text = tr.t(message);
        view! { <p class="field-error" id="sign-in-problem" role="alert">{text}</p> }
    });
    let described = problem.is_some().then_some("sign-in-problem");
    let frame = Frame::anonymous(locale, tr.t("staff-sign-in-title"), "/staff/login");
    let (next, username) = (attempt.next.clone(), attempt.username.clone());
    let draft = (!attempt.draft.is_empty())
        .then(|| view! { <input type="hidden" name="draft" value=attempt.draft.clone()/> });
    let mut response = layout::page(site, status, frame, || {
        view! {
            <h1>{tr.t("staff-sign-in-title")}</h1>
            {problem}
            <form method="post" action="/staff/login" class="staff-form">
                <Csrf token=token.clone()/>
                <input type="hidden" name="next" value=next/>
                {draft}
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
