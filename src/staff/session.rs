//! Staff sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure behind
//! TLS), of which the database keeps only the SHA-256; a CSRF token per session that every
//! state-changing form carries; the lockout after repeated failed sign-ins, and the limit on
//! sign-ins from one address.

use super::accounts::Role;
use crate::db::Db;
use crate::help::limit::{Rate, RateLimiter};
use crate::i18n::Locale;
use crate::web::{cookie, hex, same_origin};
use axum::{
    extract::{FromRef, FromRequestParts},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::{
    net::IpAddr,
    time::{Duration, Instant},
};

/// The session cookie, sent only to `/staff`.
pub const COOKIE: &str = "passport_staff";
/// The sign-in form's own CSRF cookie, before there is a session.
pub const LOGIN_COOKIE: &str = "passport_login";
/// A session ends after this long without a request...
pub const IDLE_MINUTES: u32 = 120;
/// ...and in any case this long after signing in.
pub const MAX_HOURS: u32 = 12;
/// Sign-in attempts one address may make at once, and how fast it earns another: an office
/// behind one address is not locked out, a password-guessing script gets 60 tries an hour.
pub const SIGN_IN_BURST: u32 = 10;
pub const SIGN_IN_REFILL: Duration = Duration::from_secs(60);

/// How often one address may try to sign in.
pub struct SignInLimiter(RateLimiter);

impl Default for SignInLimiter {
    fn default() -> SignInLimiter {
        SignInLimiter(RateLimiter::new(Rate::PerAddress {
            burst: SIGN_IN_BURST,
            refill: SIGN_IN_REFILL,
        }))
    }
}

impl SignInLimiter {
    /// Counts an attempt from `ip`; `Err` holds how long until it may try again.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.0.check(ip, Instant::now())
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub locale: Locale,
}

/// The staff member a request came from, and the CSRF token of their session. Extracting it
/// sends anyone without a live session to the sign-in page. The staff router looks the
/// session up once, before the handler, and leaves it in the request for the handler's own
/// extractors.
#[derive(Debug, Clone)]
pub struct Signed {
    pub user: StaffUser,
    pub csrf: String,
    token_hash: String,
}

impl<S> FromRequestParts<S> for Signed
where
    S: Send + Sync,
    Db: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Signed, Response> {
        if let Some(signed) = parts.extensions.get::<Signed>() {
            return Ok(signed.clone());
        }
        let Some(token) = read_cookie(&parts.headers, COOKIE) else {
            return Err(to_sign_in(parts));
        };
        let token_hash = digest(&token);
        let db = Db::from_ref(state);
        let looked_up = {
            let token_hash = token_hash.clone();
            db.read(move |c| lookup(c, &token_hash)).await
        };
        match looked_up {
            Ok(Some((signed, stale))) => {
                if stale {
                    // Keeping the session alive is worth a write once a minute, not per request.
                    let _ = db.write(move |c| touch(c, &token_hash)).await;
                }
                Ok(signed)
            }
            Ok(None) => Err(to_sign_in(parts)),
            Err(error) => {
                tracing::error!(%error, "looking up a staff session");
                Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
            }
        }
    }
}

impl Signed {
    /// What names this session in memory: its token's digest, never the token.
    pub fn key(&self) -> &str {
        &self.token_hash
    }

    /// Whether a posted form carries this session's CSRF token and came from this site.
    pub fn form_is_genuine(&self, headers: &HeaderMap, form: &[(String, String)]) -> bool {
        same_origin(headers) && field(form, "csrf").is_some_and(|t| equal(t, &self.csrf))
    }

    pub fn end(self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute(
            "DELETE FROM staff_session WHERE token_hash = ?1",
            [&self.token_hash],
        )?;
        super::audit::record(
            conn,
            Some(self.user.id),
            "signed-out",
            &self.user.username,
            "",
        )
    }
}

/// Where someone without a session goes: the sign-in page, and back here afterwards.
fn to_sign_in(parts: &Parts) -> Response {
    let back = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| parts.method == axum::http::Method::GET && p.starts_with("/staff/"));
    let target = match back {
        Some(back) => format!(
            "/staff/login?next={}",
            form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
        ),
        None => "/staff/login".to_owned(),
    };
    let mut response = Redirect::to(&target).into_response();
    crate::web::no_store(&mut response);
    response
}

/// A path on the staff side to go to after signing in; anything else is refused, so the
/// sign-in page cannot be made to send anyone elsewhere.
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| {
        n.starts_with("/staff/")
            && !n.starts_with("/staff/login")
            && !n.contains("//")
            && !n.contains('\\')
    })
    .unwrap_or("/staff")
}

/// A new random token, as hex; `None` if the system has no randomness to give.
pub fn random_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex(&bytes))
}

pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Starts a session for `staff`; returns the token for the cookie.
pub fn start(conn: &Connection, staff: i64, token: &str, csrf: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO staff_session (token_hash, staff_id, csrf, created_at, seen_at)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                 strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![digest(token), staff, csrf],
    )?;
    Ok(())
}

/// The live session with this token hash, and whether its last-seen time is worth updating.
fn lookup(conn: &Connection, token_hash: &str) -> rusqlite::Result<Option<(Signed, bool)>> {
    conn.query_row(
        &format!(
            "SELECT s.id, s.username, s.role, s.locale, ss.csrf,
                    ss.seen_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minutes')
             FROM staff_session ss JOIN staff s ON s.id = ss.staff_id
             WHERE ss.token_hash = ?1 AND s.disabled = 0
               AND ss.created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{MAX_HOURS} hours')
               AND ss.seen_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{IDLE_MINUTES} minutes')"
        ),
        [token_hash],
        |r| {
            let role: String = r.get(2)?;
            let locale: String = r.get(3)?;
            Ok((
                Signed {
                    user: StaffUser {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        role: Role::from_code(&role).unwrap_or(Role::Editor),
                        locale: Locale::from_code(&locale).unwrap_or(Locale::En),
                    },
                    csrf: r.get(4)?,
                    token_hash: token_hash.to_owned(),
                },
                r.get(5)?,
            ))
        },
    )
    .optional()
}

fn touch(conn: &Connection, token_hash: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE staff_session SET seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE token_hash = ?1",
        [token_hash],
    )
}

/// The token digests of the sessions that can still be used.
pub fn live(conn: &Connection) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut statement = conn.prepare(&format!(
        "SELECT ss.token_hash FROM staff_session ss JOIN staff s ON s.id = ss.staff_id
         WHERE s.disabled = 0
           AND ss.created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{MAX_HOURS} hours')
           AND ss.seen_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{IDLE_MINUTES} minutes')"
    ))?;
    let live = statement
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(live)
}

/// Removes sessions that can no longer be used; returns how many.
pub fn purge_expired(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        &format!(
            "DELETE FROM staff_session
             WHERE created_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{MAX_HOURS} hours')
                OR seen_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{IDLE_MINUTES} minutes')"
        ),
        [],
    )
}

/// What the database knows of an account that is signing in.
pub struct Candidate {
    pub id: i64,
    pub hash: String,
    pub usable: bool,
    /// Its role reads help requests.
    pub reader: bool,
    /// Its own key and grant, if it has them.
    pub keys: Option<crate::seal::keys::Stored>,
    /// The organisation's readable seed, while there is one and this account, which reads
    /// requests, holds no grant yet.
    pub bootstrap: Option<zeroize::Zeroizing<[u8; crate::seal::SEED]>>,
}

pub fn candidate(conn: &Connection, username: &str) -> rusqlite::Result<Option<Candidate>> {
    use crate::seal::keys;
    let found = conn
        .query_row(
            "SELECT id, password_hash, disabled = 0, role IN ('caseworker', 'admin')
             FROM staff WHERE username = ?1",
            [username],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, hash, usable, reader)) = found else {
        return Ok(None);
    };
    let stored = keys::stored(conn, id)?;
    let granted = stored.as_ref().is_some_and(|k| k.grant.is_some());
    let bootstrap = if reader && !granted {
        keys::bootstrap(conn).ok().flatten()
    } else {
        None
    };
    Ok(Some(Candidate {
        id,
        hash,
        usable,
        reader,
        keys: stored,
        bootstrap,
    }))
}

/// Logs a failed sign-in as `username`, known (`staff`) or not: the same one write either
/// way, so that the time it takes tells nothing. The first failure that starts a delay for
/// its network (`throttled`) is logged as such, for the admins.
pub fn record_failure(
    conn: &Connection,
    staff: Option<i64>,
    username: &str,
    throttled: Option<IpAddr>,
) -> rusqlite::Result<()> {
    let name: String = username.chars().take(64).collect();
    match throttled {
        Some(network) => super::audit::record(
            conn,
            staff,
            "sign-in-throttled",
            &name,
            &crate::help::limit::network_of(network).to_string(),
        ),
        None => super::audit::record(conn, staff, "sign-in-failed", &name, ""),
    }
}

pub fn record_success(conn: &Connection, staff: i64, username: &str) -> rusqlite::Result<()> {
    super::audit::record(conn, Some(staff), "signed-in", username, "")
}

/// The name a staff cookie goes by: over HTTPS with the `__Host-` prefix, which a browser
/// accepts only from a secure origin, for the whole host and with no `Domain`, so that no
/// other site or plain-HTTP answer can set or shadow it.
pub fn cookie_name(headers: &HeaderMap, name: &str) -> String {
    if crate::web::over_tls(headers) {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// A staff cookie's value, read under the name [`cookie_name`] gives.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie(headers, &cookie_name(headers, name))
}

/// The `Set-Cookie` value for a cookie sent only to `path` (over HTTPS, `Secure` and sent to
/// the whole host, as `__Host-` requires); empty `value` removes it.
pub fn set_cookie(headers: &HeaderMap, name: &str, value: &str, path: &str) -> String {
    let (name, path, secure) = if crate::web::over_tls(headers) {
        (cookie_name(headers, name), "/", "; Secure")
    } else {
        (name.to_owned(), path, "")
    };
    let expiry = if value.is_empty() { "; Max-Age=0" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict{secure}{expiry}")
}

/// Adds a cookie for `path` to `response` (see [`set_cookie`]).
pub fn add_cookie(
    response: &mut Response,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    path: &str,
) {
    if let Ok(cookie) = header::HeaderValue::from_str(&set_cookie(headers, name, value, path)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

/// A form field's first value.
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The message id a page's `note` query parameter names, if it starts with `prefix`: how a
/// form's handler says, across its redirect, what it did.
pub fn note_in(query: Option<&str>, prefix: &str) -> Option<String> {
    parse_form(query.unwrap_or_default().as_bytes())
        .into_iter()
        .find(|(k, _)| k == "note")
        .map(|(_, v)| v)
        .filter(|v| v.starts_with(prefix))
}

pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// Compares two tokens in time that does not depend on where they first differ.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::accounts::{self, Role};
    use axum::http::HeaderValue;

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::db::migrate(&mut conn).expect("migrate");
        conn
    }

    #[test]
    fn a_session_is_found_by_its_token_only_while_the_account_is_enabled() {
        let mut conn = database();
        let id = accounts::add(&mut conn, "mai", Role::Caseworker, "a long enough secret")
            .expect("added");
        start(&conn, id, "token-1", "csrf-1").expect("started");
        let stored: String = conn
            .query_row("SELECT token_hash FROM staff_session", [], |r| r.get(0))
            .expect("row");
        assert_ne!(stored, "token-1", "only the hash is stored");
        let (signed, _) = lookup(&conn, &digest("token-1"))
            .expect("query")
            .expect("found");
        assert_eq!(
            (signed.user.username.as_str(), signed.csrf.as_str()),
            ("mai", "csrf-1")
        );
        assert!(lookup(&conn, &digest("token-2")).expect("query").is_none());
        accounts::set_disabled(&mut conn, "mai", true).expect("disabled");
        assert!(lookup(&conn, &digest("token-1")).expect("query").is_none());
    }

    #[test]
    fn idle_and_old_sessions_are_expired_and_purged() {
        let mut conn = database();
        let id = accounts::add(&mut conn, "mai", Role::Caseworker, "a long enough secret")
            .expect("added");
        start(&conn, id, "idle", "c").expect("started");
        start(&conn, id, "old", "c").expect("started");
        start(&conn, id, "live", "c").expect("started");
        conn.execute(
            "UPDATE staff_session SET seen_at = '2000-01-01T00:00:00Z' WHERE token_hash = ?1",
            [digest("idle")],
        )
        .expect("idle");
        conn.execute(
            "UPDATE staff_session SET created_at = '2000-01-01T00:00:00Z' WHERE token_hash = ?1",
            [digest("old")],
        )
        .expect("old");
        assert!(lookup(&conn, &digest("idle")).expect("query").is_none());
        assert!(lookup(&conn, &digest("old")).expect("query").is_none());
        assert_eq!(purge_expired(&conn).expect("purged"), 2);
        assert!(lookup(&conn, &digest("live")).expect("query").is_some());
    }

    #[test]
    fn only_staff_paths_are_followed_after_signing_in() {
        assert_eq!(
            safe_next(Some("/staff/requests/AB-CDE")),
            "/staff/requests/AB-CDE"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/staff/",
            "/staff//evil",
            "/en/",
            "/staff/login",
            "/staff/\\evil",
        ] {
            assert_eq!(safe_next(Some(bad)), "/staff", "{bad}");
        }
        assert_eq!(safe_next(None), "/staff");
    }

    #[test]
    fn cross_site_forms_are_not_genuine() {
        let headers = |pairs: &[(&'static str, &str)]| -> HeaderMap {
            pairs
                .iter()
                .map(|(k, v)| {
                    (
                        header::HeaderName::from_static(k),
                        HeaderValue::from_str(v).expect("value"),
                    )
                })
                .collect()
        };
        assert!(same_origin(&headers(&[("host", "hub.local:3000")])));
        assert!(same_origin(&headers(&[
            ("host", "hub.local:3000"),
            ("origin", "http://hub.local:3000"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "hub.local:3000"),
            ("origin", "http://evil.example"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "hub.local:3000"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(same_origin(&headers(&[
            ("host", "hub.local:3000"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "hub.local:3000"),
            ("origin", "null"),
            ("sec-fetch-site", "same-site"),
        ])));
        assert!(equal("abc", "abc"));
        assert!(!equal("abc", "abd"));
        assert!(!equal("abc", "abcd"));
    }

    #[test]
    fn cookies_are_strict_http_only_and_secure_behind_tls() {
        let plain = set_cookie(&HeaderMap::new(), COOKIE, "t", "/staff");
        assert_eq!(
            plain,
            "passport_staff=t; Path=/staff; HttpOnly; SameSite=Strict"
        );
        let mut tls = HeaderMap::new();
        tls.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let secure = set_cookie(&tls, COOKIE, "t", "/staff");
        assert_eq!(
            secure,
            "__Host-passport_staff=t; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(set_cookie(&tls, COOKIE, "", "/staff").ends_with("Max-Age=0"));
    }
}
