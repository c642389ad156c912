//! The staff side over HTTP: no staff data for anonymous visitors on any staff route, role
//! checks on every route, CSRF on every state-changing form, sign-in delays and limits, the
//! dashboard, the export, and the audit log.

use crate::common::{Fixture, location, text};
use axum::http::{StatusCode, header};
use passport::editor;
use passport::staff::{self, Access, Role, accounts};
use serde_json::json;

const FORM: &str = "application/x-www-form-urlencoded";
pub(crate) const PASSWORD: &str = "correct horse battery";
/// What only a help request's own page shows: it must never reach the wrong eyes.
const CONTACT: &str = "+66 81 234 5678";

/// A browser signed in as one account: its session cookie and CSRF token.
pub(crate) struct Session {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

/// Adds an account; one that reads requests is given access with the recovery key, if it did
/// not take the organisation's key as the first.
pub(crate) async fn add(f: &Fixture, username: &'static str, role: Role) {
    let org = f.org_key();
    f.db.write(move |c| {
        let created = accounts::create(c, username, role, PASSWORD).expect("account added");
        if role.handles_requests() && !created.access {
            passport::seal::keys::grant(c, created.id, &org, None).expect("granted");
        }
        Ok(())
    })
    .await
    .expect("db");
}

/// The value of the first `name="csrf"` field in a page.
fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    html[at..at + html[at..].find('"').expect("value ends")].to_owned()
}

/// The `name=value` of a `Set-Cookie` header for `name`.
fn set_cookie(response: &axum::http::Response<axum::body::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Posts the sign-in form as a browser would; returns the response.
pub(crate) async fn try_sign_in(
    f: &Fixture,
    username: &str,
    password: &str,
) -> axum::http::Response<axum::body::Body> {
    post_sign_in(f, username, password, "/staff/requests").await
}

/// Posts the sign-in form, opened to go back to `next` afterwards.
async fn post_sign_in(
    f: &Fixture,
    username: &str,
    password: &str,
    next: &str,
) -> axum::http::Response<axum::body::Body> {
    let form = f.get("/staff/login", &[]).await;
    let cookie = set_cookie(&form, "passport_login").expect("a sign-in cookie");
    let csrf = csrf_in(&text(form).await);
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", &csrf)
        .append_pair("username", username)
        .append_pair("password", password)
        .append_pair("next", next)
        .finish();
    f.post("/staff/login", FORM, body, &[(header::COOKIE, &cookie)])
        .await
}

pub(crate) async fn sign_in(f: &Fixture, username: &str) -> Session {
    let response = try_sign_in(f, username, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{username} signs in"
    );
    let set = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/staff"),
        "{set}"
    );
    let cookie = set_cookie(&response, "passport_staff").expect("a session cookie");
    let account = f.get("/staff/account", &[(header::COOKIE, &cookie)]).await;
    assert_eq!(account.status(), StatusCode::OK);
    let csrf = csrf_in(&text(account).await);
    Session { cookie, csrf }
}

impl Session {
    pub(crate) async fn get(
        &self,
        f: &Fixture,
        uri: &str,
    ) -> axum::http::Response<axum::body::Body> {
        f.get(uri, &[(header::COOKIE, &self.cookie)]).await
    }

    pub(crate) async fn post(
        &self,
        f: &Fixture,
        uri: &str,
        pairs: &[(&str, &str)],
    ) -> axum::http::Response<axum::body::Body> {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("csrf", &self.csrf);
        for (k, v) in pairs {
            body.append_pair(k, v);
        }
        f.post(uri, FORM, body.finish(), &[(header::COOKIE, &self.cookie)])
            .await
    }
}

/// Sends a help request through the public API; returns its reference.
async fn help_request(f: &Fixture, id: &str, kind: &str, country: &str) -> String {
    let body = json!({
        "id": id, "kind": kind, "country": country, "channel": "phone", "contact": CONTACT,
        "name": "Nok", "language": "th", "consent": true,
        "ticked": ["forced-labour/documents-kept"],
    });
    let response = f
        .post(
            "/api/v1/help-requests",
            "application/json",
            body.to_string(),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let answer: serde_json::Value = serde_json::from_str(&text(response).await).expect("json");
    answer["reference"].as_str().expect("reference").to_owned()
}

/// Every route under `/staff`, the staff side's and the editors': method, path, and who may
/// use it.
fn routes() -> impl Iterator<Item = (&'static str, &'static str, Access)> {
    staff::ROUTES
        .iter()
        .chain(&editor::ROUTES)
        .chain(&passport::hub::ROUTES)
        .map(|route| (route.method.as_str(), route.path, route.access))
}

fn concrete(path: &str, reference: &str) -> String {
    path.replace("{reference}", reference)
        .replace("{locale}", "th")
        .replace("{*path}", "th/contacts")
        .replace("{entity}", "contact")
        .replace("{*id}", "th-1300")
        .replace("{sha256}", &"0".repeat(64))
}

/// Whether `path` is one of the route patterns: `{…}` matches a segment, `{*…}` the rest.
fn routed(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (wanted.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(_)) if w.starts_with("{*") => return true,
            (Some(w), Some(g)) if w == g || (w.starts_with('{') && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

async fn call(
    f: &Fixture,
    method: &str,
    path: &str,
    session: Option<&Session>,
) -> axum::http::Response<axum::body::Body> {
    match (method, session) {
        ("GET", Some(s)) => s.get(f, path).await,
        ("GET", None) => f.get(path, &[]).await,
        (_, Some(s)) => {
            s.post(
                f,
                path,
                &[
                    ("action", "note"),
                    ("note", "checked"),
                    ("field", "reference"),
                    ("understood", "yes"),
                ],
            )
            .await
        }
        (_, None) => f.post(path, FORM, "action=status&status=closed", &[]).await,
    }
}

#[tokio::test]
async fn anonymous_visitors_get_no_staff_data_from_any_staff_route() {
    let f = Fixture::new("staff-anonymous").await;
    add(&f, "boss", Role::Admin).await;
    let reference = help_request(
        &f,
        "3c0d7a8e-1f2b-4c5d-8e9f-0a1b2c3d4e5f",
        "passport-held",
        "th",
    )
    .await;
    for (method, path, access) in routes() {
        let path = concrete(path, &reference);
        let response = call(&f, method, &path, None).await;
        let status = response.status();
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "no-store",
            "{method} {path}"
        );
        let body = text(response).await;
        assert!(
            !body.contains(CONTACT) && !body.contains(&reference),
            "{method} {path} leaks a request"
        );
        match access {
            Access::Anyone if method == "GET" => assert_eq!(status, StatusCode::OK, "{path}"),
            // The sign-in form without its own CSRF cookie is refused.
            Access::Anyone => assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}"),
            _ => assert_eq!(status, StatusCode::SEE_OTHER, "{method} {path}"),
        }
    }
    // A made-up session cookie is no session.
    let forged = f
        .get(
            "/staff/requests",
            &[(header::COOKIE, "passport_staff=00ff")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&forged), "/staff/login?next=%2Fstaff%2Frequests");
    // Nothing changed.
    let status: String =
        f.db.read(|c| c.query_row("SELECT status FROM help_request", [], |r| r.get(0)))
            .await
            .expect("status");
    assert_eq!(status, "new");
}

#[tokio::test]
async fn every_staff_route_checks_the_role() {
    let f = Fixture::new("staff-roles").await;
    add(&f, "ed", Role::Editor).await;
    add(&f, "case", Role::Caseworker).await;
    add(&f, "boss", Role::Admin).await;
    let reference =
        help_request(&f, "0f1e2d3c-4b5a-4968-8776-655443322110", "not-paid", "my").await;
    for (username, role) in [
        ("ed", Role::Editor),
        ("case", Role::Caseworker),
        ("boss", Role::Admin),
    ] {
        let session = sign_in(&f, username).await;
        for (method, path, access) in routes() {
            if access == Access::Anyone || path == "/staff/logout" {
                continue;
            }
            let path = concrete(path, &reference);
            let allowed = match access {
                Access::Anyone | Access::Signed => true,
                Access::Requests => role.handles_requests(),
                Access::Content => role.edits_content(),
                Access::Admin => role == Role::Admin,
            };
            let response = call(&f, method, &path, Some(&session)).await;
            let status = response.status();
            assert_eq!(
                response.headers()[header::CACHE_CONTROL],
                "no-store",
                "{method} {path}"
            );
            let body = text(response).await;
            if allowed {
                // Past the role check, a form without the fields it needs is refused as such
                // (an approval without them names no change there is to approve), and no
                // recording has the hash 000….
                assert!(
                    status.is_success()
                        || status.is_redirection()
                        || status == StatusCode::UNPROCESSABLE_ENTITY
                        || (path.ends_with("/approve") && status == StatusCode::CONFLICT)
                        || (path.starts_with("/staff/audio/") && status == StatusCode::NOT_FOUND),
                    "{username}: {method} {path}: {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{username}: {method} {path}");
                assert!(
                    !body.contains(CONTACT) && !body.contains(&reference),
                    "{username}: {method} {path}"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_staff_url_an_admin_can_reach_is_in_the_route_list() {
    let f = Fixture::new("staff-crawl").await;
    add(&f, "boss", Role::Admin).await;
    let reference = help_request(&f, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "other", "vn").await;
    let session = sign_in(&f, "boss").await;
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["/staff/requests".to_owned()];
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let response = session.get(&f, &page).await;
        if response.status() != StatusCode::OK {
            continue;
        }
        let html = text(response).await;
        for attribute in ["href=\"", "action=\""] {
            for part in html.split(attribute).skip(1) {
                let url = &part[..part.find('"').expect("attribute ends")];
                let path = url.split(['?', '#']).next().unwrap_or_default();
                if !path.starts_with("/staff") {
                    continue;
                }
                let known = routes().any(|(_, pattern, _)| {
                    concrete(pattern, &reference) == path || routed(pattern, path)
                });
                assert!(known, "{path} (linked from {page}) is not in staff::ROUTES");
                // One editor and one preview page stand for the hundreds like them.
                let alike = ["/edit", "/staff/preview/"]
                    .iter()
                    .any(|s| path.contains(s) && seen.iter().any(|p: &String| p.contains(s)));
                if attribute == "href=\"" && !alike {
                    queue.push(url.replace("&amp;", "&"));
                }
            }
        }
    }
    assert!(
        seen.contains(&format!("/staff/requests/{reference}")),
        "{seen:?}"
    );
    assert!(seen.contains("/staff/audit"), "{seen:?}");
}

#[tokio::test]
async fn a_state_changing_form_needs_the_sessions_csrf_token_and_this_origin() {
    let f = Fixture::new("staff-csrf").await;
    add(&f, "case", Role::Caseworker).await;
    let reference =
        help_request(&f, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "not-paid", "th").await;
    let session = sign_in(&f, "case").await;
    let path = format!("/staff/requests/{reference}");
    let status = || async {
        f.db.read(|c| {
            c.query_row("SELECT status FROM help_request", [], |r| {
                r.get::<_, String>(0)
            })
        })
        .await
        .expect("status")
    };

    for body in [
        "action=status&status=closed",
        "action=status&status=closed&csrf=nope",
    ] {
        let refused = f
            .post(&path, FORM, body, &[(header::COOKIE, &session.cookie)])
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{body}");
        assert!(text(refused).await.contains("This form has expired"));
    }
    let body = format!("action=status&status=closed&csrf={}", session.csrf);
    let cross_site = f
        .post(
            &path,
            FORM,
            body.clone(),
            &[
                (header::COOKIE, &session.cookie),
                (header::ORIGIN, "https://evil.example"),
                (header::HOST, "hub.local"),
            ],
        )
        .await;
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(status().await, "new");

    let accepted = f
        .post(
            &path,
            FORM,
            body,
            &[
                (header::COOKIE, &session.cookie),
                (header::ORIGIN, "http://hub.local"),
                (header::HOST, "hub.local"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(status().await, "closed");

    // Signing out needs the token too, and ends the session.
    let kept = f
        .post(
            "/staff/logout",
            FORM,
            "",
            &[(header::COOKIE, &session.cookie)],
        )
        .await;
    assert_eq!(kept.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        session.get(&f, "/staff/requests").await.status(),
        StatusCode::OK
    );
    let out = session.post(&f, "/staff/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(&out, "passport_staff").is_some_and(|c| c == "passport_staff="));
    assert_eq!(
        session.get(&f, "/staff/requests").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_slow_that_network_with_the_same_answer_as_any_wrong_one() {
    use passport::staff::guard::FREE_FAILURES;
    let f = Fixture::new("staff-lockout").await;
    add(&f, "case", Role::Caseworker).await;
    let wrong = "The username or password is wrong.";
    for n in 0..=FREE_FAILURES {
        let refused = try_sign_in(&f, "case", "not the password").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "try {n}");
        assert!(text(refused).await.contains(wrong), "try {n}");
    }
    // Slowed: from this network even the right password is refused for a while, with the
    // same answer, and no session cookie is given.
    let slowed = try_sign_in(&f, "case", PASSWORD).await;
    assert_eq!(slowed.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&slowed, "passport_staff").is_none());
    assert!(text(slowed).await.contains(wrong));
    let unknown = try_sign_in(&f, "nobody", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert!(text(unknown).await.contains(wrong));

    let actions: Vec<String> =
        f.db.read(|c| {
            let mut s = c.prepare(
                "SELECT action FROM audit_log WHERE subject IN ('case', 'nobody') ORDER BY id",
            )?;
            s.query_map([], |r| r.get(0))?.collect()
        })
        .await
        .expect("audit");
    // The first caseworker took the organisation's key.
    let mut expected = vec!["account-added", "access-granted"];
    expected.extend(std::iter::repeat_n(
        "sign-in-failed",
        FREE_FAILURES as usize,
    ));
    expected.extend(["sign-in-throttled", "sign-in-failed", "sign-in-failed"]);
    assert_eq!(actions, expected);
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address_with_a_localised_answer() {
    let f = Fixture::new("staff-sign-in-limit").await;
    let mut statuses = Vec::new();
    for _ in 0..passport::staff::session::SIGN_IN_BURST + 1 {
        let response = try_sign_in(&f, "nobody", "whatever it is").await;
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key(header::RETRY_AFTER));
            assert!(text(response).await.contains("Too many sign-in attempts"));
        }
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    assert!(
        statuses[..statuses.len() - 1]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );

    let vi = f
        .get("/staff/login", &[(header::ACCEPT_LANGUAGE, "vi")])
        .await;
    assert!(text(vi).await.contains("Đăng nhập cho nhân viên"));
}

#[tokio::test]
async fn the_dashboard_filters_shows_and_changes_requests_and_audits_it_all() {
    let f = Fixture::new("staff-dashboard").await;
    add(&f, "case", Role::Caseworker).await;
    add(&f, "boss", Role::Admin).await;
    let calm = help_request(
        &f,
        "aaaaaaaa-1111-4111-8111-111111111111",
        "job-offer-check",
        "vn",
    )
    .await;
    let urgent = help_request(
        &f,
        "bbbbbbbb-2222-4222-8222-222222222222",
        "passport-held",
        "th",
    )
    .await;
    let newer = help_request(&f, "cccccccc-3333-4333-8333-333333333333", "other", "th").await;
    let case = sign_in(&f, "case").await;

    let list = text(case.get(&f, "/staff/requests").await).await;
    let at = |reference: &str| {
        list.find(&format!("data-reference=\"{reference}\""))
            .expect("listed")
    };
    assert!(
        at(&urgent) < at(&newer) && at(&newer) < at(&calm),
        "urgent first, then newest"
    );
    assert!(!list.contains(CONTACT), "the list shows no contact details");
    assert!(list.contains("<svg") && list.contains("Requests per week, by country"));

    let thailand = text(
        case.get(&f, "/staff/requests?country=th&kind=passport-held")
            .await,
    )
    .await;
    assert!(thailand.contains(&urgent) && !thailand.contains(&newer) && !thailand.contains(&calm));

    let page = text(case.get(&f, &format!("/staff/requests/{urgent}")).await).await;
    assert!(page.contains(CONTACT) && page.contains("Nok"));
    assert!(
        !page.contains("forced-labour/documents-kept"),
        "the ticked sign shows as its text"
    );

    let path = format!("/staff/requests/{urgent}");
    let case_id = {
        let rows =
            f.db.read(|c| {
                c.query_row("SELECT id FROM staff WHERE username = 'case'", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .await;
        rows.expect("id").to_string()
    };
    for pairs in [
        vec![("action", "status"), ("status", "contacted")],
        vec![("action", "assign"), ("assignee", case_id.as_str())],
        vec![
            ("action", "note"),
            ("note", "Called at the safe time; will call again."),
        ],
    ] {
        let response = case.post(&f, &path, &pairs).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{pairs:?}");
    }
    for (pairs, problem) in [
        (
            vec![("action", "status"), ("status", "lost")],
            "staff-problem-status",
        ),
        (
            vec![("action", "note"), ("note", "  ")],
            "staff-problem-note",
        ),
        (
            vec![("action", "assign"), ("assignee", "999")],
            "staff-problem-assignee",
        ),
    ] {
        let response = case.post(&f, &path, &pairs).await;
        assert!(location(&response).contains(problem), "{pairs:?}");
    }
    let page = text(case.get(&f, &path).await).await;
    assert!(page.contains("Called at the safe time"));
    let contacted = text(case.get(&f, "/staff/requests?status=contacted").await).await;
    assert!(contacted.contains(&urgent) && !contacted.contains(&newer));

    let boss = sign_in(&f, "boss").await;
    let audit = text(boss.get(&f, "/staff/audit").await).await;
    for action in [
        "Viewed",
        "Status changed",
        "Assigned",
        "Note added",
        "Signed in",
    ] {
        assert!(audit.contains(action), "{action}");
    }
    assert!(audit.contains("new → contacted"));
    assert!(
        !audit.contains("Called at the safe time"),
        "notes stay out of the audit log"
    );

    // The staff language: Vietnamese once chosen.
    let switched = case
        .post(
            &f,
            "/staff/language",
            &[("locale", "vi"), ("back", "/staff/requests")],
        )
        .await;
    assert_eq!(location(&switched), "/staff/requests");
    let vi = case.get(&f, "/staff/requests").await;
    assert_eq!(vi.headers()[header::CONTENT_LANGUAGE], "vi");
    assert!(text(vi).await.contains("Yêu cầu hỗ trợ"));
}

#[tokio::test]
async fn the_export_needs_fields_and_a_confirmation_and_is_audited() {
    let f = Fixture::new("staff-export").await;
    add(&f, "case", Role::Caseworker).await;
    let reference =
        help_request(&f, "dddddddd-4444-4444-8444-444444444444", "not-paid", "th").await;
    help_request(&f, "eeeeeeee-5555-4555-8555-555555555555", "other", "vn").await;
    let case = sign_in(&f, "case").await;

    let form = text(case.get(&f, "/staff/export?country=th").await).await;
    assert!(form.contains("This file will hold personal data"));
    let unconfirmed = case
        .post(
            &f,
            "/staff/export",
            &[("country", "th"), ("field", "reference")],
        )
        .await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(unconfirmed).await.contains("Tick the box to confirm"));
    let no_fields = case
        .post(
            &f,
            "/staff/export",
            &[("country", "th"), ("understood", "yes")],
        )
        .await;
    assert!(text(no_fields).await.contains("Choose at least one field."));

    let csv = case
        .post(
            &f,
            "/staff/export",
            &[
                ("country", "th"),
                ("field", "reference"),
                ("field", "contact"),
                ("understood", "yes"),
            ],
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    assert!(
        csv.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    assert_eq!(csv.headers()[header::CACHE_CONTROL], "no-store");
    let body = text(csv).await;
    assert_eq!(
        body,
        format!("\u{feff}reference,contact\r\n{reference},'{CONTACT}\r\n")
    );

    let detail: String =
        f.db.read(|c| {
            c.query_row(
                "SELECT detail FROM audit_log WHERE action = 'exported'",
                [],
                |r| r.get(0),
            )
        })
        .await
        .expect("logged");
    assert!(detail.starts_with("1 · reference,contact"), "{detail}");
}

#[tokio::test]
async fn hidden_characters_in_a_stored_request_are_shown_marked_on_its_page_and_in_the_csv() {
    let f = Fixture::new("staff-hidden").await;
    add(&f, "case", Role::Caseworker).await;
    let reference =
        help_request(&f, "abababab-4444-4444-8444-444444444444", "not-paid", "th").await;
    // As a request stored before hidden characters were dropped: the number reads
    // "+66 81 234 5678" with an override that shows its digits backwards.
    let mut stored = f.opened().await.remove(0);
    stored.contact = "\u{202E}8765 432 18 66+\u{202C}".into();
    stored.name = "Nok\u{200B}\u{200D}".into();
    f.reseal(&reference, stored).await;
    let case = sign_in(&f, "case").await;
    let page = text(case.get(&f, &format!("/staff/requests/{reference}")).await).await;
    assert!(page.contains("[U+202E]8765 432 18 66+[U+202C]"), "{page}");
    assert!(
        page.contains("Nok[U+200B]\u{200D}"),
        "a joiner is no hidden character"
    );
    assert!(!page.contains('\u{202E}') && !page.contains('\u{200B}'));

    let csv = case
        .post(
            &f,
            "/staff/export",
            &[
                ("country", "th"),
                ("field", "contact"),
                ("understood", "yes"),
            ],
        )
        .await;
    let body = text(csv).await;
    assert!(body.contains("[U+202E]8765 432 18 66+[U+202C]"), "{body}");
    assert!(!body.contains('\u{202E}'));
}

#[tokio::test]
async fn a_disabled_account_loses_its_session_at_once() {
    let f = Fixture::new("staff-disabled").await;
    add(&f, "case", Role::Caseworker).await;
    let case = sign_in(&f, "case").await;
    f.db.write(|c| Ok(accounts::set_disabled(c, "case", true)))
        .await
        .expect("db")
        .expect("disabled");
    assert_eq!(
        case.get(&f, "/staff/requests").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        try_sign_in(&f, "case", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

/// The current value of a content text in the database, and how many changes wait.
async fn content_value(f: &Fixture, id: &'static str, locale: &'static str) -> (String, i64) {
    f.db.read(move |c| {
        let value = c.query_row(
            "SELECT value FROM content_text WHERE message_id = ?1 AND locale = ?2",
            [id, locale],
            |r| r.get(0),
        )?;
        let pending = c.query_row("SELECT count(*) FROM pending_text", [], |r| r.get(0))?;
        Ok((value, pending))
    })
    .await
    .expect("db")
}

const TITLE: &str = "checklist.job-offer.title";

#[tokio::test]
async fn an_editor_fixes_a_text_previews_it_and_publishes_it_to_the_public_page() {
    let f = Fixture::new("staff-translate").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let (before, _) = content_value(&f, TITLE, "th").await;
    let fixed = format!("{before} (แก้แล้ว)");
    let edit = format!("/staff/translations/th/edit?kind=content&id={TITLE}");
    let page = editor.get(&f, &edit).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    let english = content_value(&f, TITLE, "en").await.0;
    assert!(
        html.contains(&english) && html.contains(&before),
        "side by side"
    );

    let saved = editor
        .post(
            &f,
            "/staff/translations/th/edit",
            &[
                ("kind", "content"),
                ("id", TITLE),
                ("value", &fixed),
                ("status", "reviewed"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    // Saved, not yet live: the public page still shows the old text; the preview the new.
    assert_eq!(content_value(&f, TITLE, "th").await, (before.clone(), 1));
    let public = text(f.get("/th/checklists/job-offer", &[]).await).await;
    assert!(public.contains(&before) && !public.contains(&fixed));
    let preview = text(
        editor
            .get(&f, "/staff/preview/th/checklists/job-offer")
            .await,
    )
    .await;
    assert!(
        preview.contains(&fixed),
        "the preview shows the saved change"
    );
    assert!(
        preview.contains("href=\"/staff/preview/th/"),
        "links stay in the preview"
    );

    let published = editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    assert_eq!(content_value(&f, TITLE, "th").await, (fixed.clone(), 0));
    let public = text(f.get("/th/checklists/job-offer", &[]).await).await;
    assert!(public.contains(&fixed), "live after publishing");
    let version: i64 =
        f.db.read(|c| c.query_row("SELECT max(version) FROM content_version", [], |r| r.get(0)))
            .await
            .expect("db");
    assert_eq!(version, 2);

    // The history has the change, and putting the old text back is a change too.
    let html = text(editor.get(&f, &edit).await).await;
    let entry = html
        .split("name=\"entry\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a history entry")
        .to_owned();
    let reverted = editor
        .post(&f, "/staff/translations/revert", &[("entry", &entry)])
        .await;
    assert_eq!(reverted.status(), StatusCode::SEE_OTHER);
    editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(content_value(&f, TITLE, "th").await, (before, 0));
    let actions: Vec<String> =
        f.db.read(|c| {
            let mut s = c.prepare("SELECT action FROM text_history ORDER BY id")?;
            s.query_map([], |r| r.get(0))?.collect()
        })
        .await
        .expect("db");
    assert_eq!(actions, ["save", "revert"]);
}

#[tokio::test]
async fn a_refused_save_leaves_the_stored_value_unchanged_and_says_why() {
    let f = Fixture::new("staff-refused").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let edit = "/staff/translations/vi/edit";
    // Staff pages are in English for this account: the reasons are too.
    for (value, says) in [
        ("Tải về: khoảng { $size", "Line 1, column"),
        (
            "Tải về: khoảng { $dung }",
            "English has: size. This text has: dung.",
        ),
    ] {
        let response = editor
            .post(
                &f,
                edit,
                &[
                    ("kind", "ui"),
                    ("id", "offline-size"),
                    ("value", value),
                    ("status", "reviewed"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value}"
        );
        let html = text(response).await;
        assert!(
            html.contains("role=\"alert\"") && html.contains(says),
            "{value}: {html}"
        );
    }
    let pending: i64 =
        f.db.read(|c| c.query_row("SELECT count(*) FROM pending_text", [], |r| r.get(0)))
            .await
            .expect("db");
    assert_eq!(pending, 0);
    // A warning (a phone number that is not the English one) saves only when confirmed.
    let (before, _) = content_value(&f, "contact.th-1300.what", "vi").await;
    let with_number = format!("{before} Gọi 0999 999 999.");
    let pairs = [
        ("kind", "content"),
        ("id", "contact.th-1300.what"),
        ("value", with_number.as_str()),
        ("status", "draft"),
    ];
    let warned = editor.post(&f, edit, &pairs).await;
    assert_eq!(warned.status(), StatusCode::OK);
    assert!(text(warned).await.contains("name=\"confirm\""));
    assert_eq!(content_value(&f, "contact.th-1300.what", "vi").await.1, 0);
    let mut confirmed = pairs.to_vec();
    confirmed.push(("confirm", "yes"));
    let saved = editor.post(&f, edit, &confirmed).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(content_value(&f, "contact.th-1300.what", "vi").await.1, 1);
}

#[tokio::test]
async fn an_english_change_marks_the_other_languages_outdated() {
    let f = Fixture::new("staff-outdated").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let outdated = |html: &str| {
        html.split("state=outdated\">")
            .skip(1)
            .map(|rest| {
                rest.split('<')
                    .next()
                    .unwrap_or_default()
                    .parse::<usize>()
                    .unwrap_or(0)
            })
            .collect::<Vec<_>>()
    };
    let before = outdated(&text(editor.get(&f, "/staff/translations").await).await);
    assert_eq!(before, [0, 0, 0, 0]);
    let (english, _) = content_value(&f, TITLE, "en").await;
    editor
        .post(
            &f,
            "/staff/translations/en/edit",
            &[
                ("kind", "content"),
                ("id", TITLE),
                ("value", &format!("{english}!")),
                ("status", "reviewed"),
            ],
        )
        .await;
    editor.post(&f, "/staff/translations/publish", &[]).await;
    let after = outdated(&text(editor.get(&f, "/staff/translations").await).await);
    assert_eq!(after, [0, 1, 1, 1]);
    let list = text(
        editor
            .get(&f, "/staff/translations/ksw?state=outdated")
            .await,
    )
    .await;
    assert!(list.contains(TITLE), "the outdated filter finds it");
}

#[tokio::test]
async fn export_then_import_gives_an_identical_result() {
    let f = Fixture::new("staff-exchange").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    for locale in ["en", "vi", "th", "ksw"] {
        let exported = editor
            .get(&f, &format!("/staff/translations/{locale}/export"))
            .await;
        assert_eq!(exported.status(), StatusCode::OK);
        let file = text(exported).await;
        assert!(file.lines().count() > 300, "{locale}");
        let boundary = "passportboundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\ndraft\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{locale}.ftl\"\r\n\
             Content-Type: text/plain\r\n\r\n{file}\r\n--{boundary}--\r\n",
            editor.csrf
        );
        let imported = f
            .post(
                &format!("/staff/translations/{locale}/import"),
                &format!("multipart/form-data; boundary={boundary}"),
                body,
                &[(header::COOKIE, &editor.cookie)],
            )
            .await;
        assert_eq!(imported.status(), StatusCode::OK, "{locale}");
        let report = text(imported).await;
        assert!(
            report.contains("Added 0, changed 0,") && report.contains("refused 0."),
            "{locale}: {report}"
        );
        let again = text(
            editor
                .get(&f, &format!("/staff/translations/{locale}/export"))
                .await,
        )
        .await;
        assert_eq!(again, file, "{locale}");
    }
}

#[tokio::test]
async fn an_editor_fixes_a_hotline_number_through_the_fact_form_and_publishes_it() {
    let f = Fixture::new("staff-facts").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let phone = || async {
        f.db.read(|c| {
            c.query_row("SELECT phone FROM contact WHERE id = 'th-1300'", [], |r| {
                r.get::<_, String>(0)
            })
        })
        .await
        .expect("db")
    };
    let before = phone().await;
    let form = "/staff/facts/contact/th-1300";
    assert!(text(editor.get(&f, form).await).await.contains(&before));
    for (field, bad) in [("phone", "call us"), ("checked_on", "2999-01-01")] {
        let mut pairs = vec![("phone", before.as_str()), ("checked_on", "2026-11-01")];
        pairs.retain(|(k, _)| *k != field);
        pairs.push((field, bad));
        let refused = editor.post(&f, form, &pairs).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        assert!(
            text(refused).await.contains("aria-invalid=\"true\""),
            "{field}"
        );
    }
    assert_eq!(phone().await, before, "a refused save changes nothing");

    let saved = editor
        .post(
            &f,
            form,
            &[("phone", "1300 1"), ("checked_on", "2026-11-01")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone().await, before, "saved, not yet published");
    let public = text(f.get("/th/contacts", &[]).await).await;
    assert!(!public.contains("1300 1<"));
    let preview = text(editor.get(&f, "/staff/preview/th/contacts").await).await;
    assert!(
        preview.contains("1300 1<"),
        "the preview shows the saved number"
    );
    // One editor alone cannot publish a phone number: it waits for a second person.
    let published = editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone().await, before, "held for approval");
    let workspace = text(editor.get(&f, "/staff/translations").await).await;
    assert!(
        workspace.contains("fact:contact:phone:th-1300"),
        "{workspace}"
    );
    assert!(workspace.contains("Your change: someone else must approve it."));
    let hidden = |page: &str, name: &str| {
        page.split(&format!(r#"name="{name}" value=""#))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
    };
    assert_eq!(
        hidden(&workspace, "shown"),
        None,
        "no button for one's own change"
    );
    add(&f, "ed2", Role::Editor).await;
    let second = sign_in(&f, "ed2").await;
    let theirs = text(second.get(&f, "/staff/translations").await).await;
    let (target, shown) = (
        hidden(&theirs, "target").expect("an approve form"),
        hidden(&theirs, "shown").expect("what was shown"),
    );
    let own = editor
        .post(
            &f,
            "/staff/translations/approve",
            &[("target", &target), ("shown", &shown)],
        )
        .await;
    assert_eq!(
        own.status(),
        StatusCode::FORBIDDEN,
        "nobody approves their own change"
    );
    let stale = second
        .post(
            &f,
            "/staff/translations/approve",
            &[("target", &target), ("shown", "0000")],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT, "only what was shown");
    let approved = second
        .post(
            &f,
            "/staff/translations/approve",
            &[("target", &target), ("shown", &shown)],
        )
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    assert!(
        text(editor.get(&f, "/staff/translations").await)
            .await
            .contains("Approved by ed2")
    );
    let published = editor.post(&f, "/staff/translations/publish", &[]).await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone().await, "1300 1");
    let audit: Vec<(String, String)> =
        f.db.read(|c| {
            let mut statement = c.prepare(
                "SELECT action, subject || ' ' || detail FROM audit_log
                 WHERE action IN ('change-approved', 'published') ORDER BY id",
            )?;
            statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .await
        .expect("audit");
    // The first publish took the checked date alone; the number went out with the second.
    let actions: Vec<&str> = audit.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        ["published", "change-approved", "published"],
        "{audit:?}"
    );
    assert!(!audit[0].1.contains(":phone"), "{audit:?}");
    assert!(
        audit[1].1.contains(&before) && audit[1].1.contains("1300 1"),
        "{audit:?}"
    );
    assert!(
        audit[2].1.contains("fact:contact:th-1300:phone"),
        "what changed: {audit:?}"
    );
    assert!(
        text(f.get("/th/contacts", &[]).await)
            .await
            .contains("1300 1<")
    );
    let history = text(editor.get(&f, form).await).await;
    assert!(
        history.contains(&before) && history.contains("1300 1"),
        "who, when, old and new"
    );
}

#[tokio::test]
async fn facts_checked_more_than_a_year_ago_are_listed_oldest_first() {
    let f = Fixture::new("staff-stale").await;
    add(&f, "ed", Role::Editor).await;
    let editor = sign_in(&f, "ed").await;
    let fresh = text(editor.get(&f, "/staff/facts").await).await;
    assert!(fresh.contains("Every fact was checked in the last 12 months."));
    f.db.write(|c| {
        c.execute(
            "UPDATE contact SET checked_on = '2024-03-01' WHERE id = 'th-1300'",
            [],
        )?;
        c.execute(
            "UPDATE guide_point SET checked_on = '2023-05-02'
             WHERE rowid = (SELECT min(rowid) FROM guide_point)",
            [],
        )
    })
    .await
    .expect("db");
    let stale = text(editor.get(&f, "/staff/facts").await).await;
    let (older, newer) = (
        stale.find("2023-05-02").expect("the guide point"),
        stale.find("2024-03-01").expect("the contact"),
    );
    assert!(older < newer, "oldest first");
    assert!(stale.contains("href=\"/staff/facts/contact/th-1300\""));
}

#[tokio::test]
async fn each_role_lands_on_a_page_it_may_see_after_signing_in() {
    let f = Fixture::new("landing").await;
    for (name, role) in [
        ("ed", Role::Editor),
        ("cw", Role::Caseworker),
        ("ad", Role::Admin),
    ] {
        add(&f, name, role).await;
        // The sign-in page opened directly: no page to go back to.
        let signed = post_sign_in(&f, name, PASSWORD, "").await;
        let session = set_cookie(&signed, "passport_staff").expect("a session");
        let mut at = location(&signed).to_owned();
        let mut hops = 0;
        loop {
            let page = f.get(&at, &[(header::COOKIE, &session)]).await;
            if !page.status().is_redirection() {
                assert_eq!(page.status(), StatusCode::OK, "{name} lands on {at}");
                break;
            }
            at = location(&page).to_owned();
            hops += 1;
            assert!(hops < 4, "{name}: too many redirects");
        }
    }
}
