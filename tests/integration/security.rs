//! Every route and every kind of answer carries the security headers: a strict
//! Content-Security-Policy, `nosniff`, and no framing. Public pages, errors (404, 413, 429,
//! 500, 503), the booklet, the preview and every staff page an admin can open.

use crate::common::{Fixture, text};
use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
    middleware,
    routing::get,
};
use passport::staff::Role;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;

fn assert_guarded(what: &str, headers: &HeaderMap) {
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{what}: CSP {csp:?}"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{what}");
}

/// An admin's session cookie, signed in through the form as a browser would.
async fn admin(f: &Fixture) -> String {
    crate::staff::add(f, "root", Role::Admin).await;
    crate::staff::sign_in(f, "root").await.cookie
}

#[tokio::test]
async fn every_public_page_and_error_carries_the_security_headers() {
    let f = Fixture::new("security-public").await;
    let mut paths: Vec<String> = vec!["/".into(), "/en/booklet".into(), "/en/nowhere".into()];
    for route in passport::app::page_routes() {
        paths.push(route.replace("{lang}", "vi").replace("{slug}", "job-offer"));
    }
    for path in &paths {
        let response = f.get(path, &[]).await;
        assert_guarded(
            &format!("GET {path} ({})", response.status()),
            response.headers(),
        );
    }
    let too_large = f
        .post(
            "/api/v1/help-requests",
            "application/json",
            vec![b'x'; 200_000],
            &[],
        )
        .await;
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_guarded("413", too_large.headers());
    let mut last = StatusCode::OK;
    for _ in 0..passport::help::limit::BURST + 1 {
        let response = f
            .post("/api/v1/help-requests", "application/json", "{}", &[])
            .await;
        last = response.status();
        assert_guarded(&format!("API {last}"), response.headers());
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn every_staff_page_and_the_preview_carry_the_security_headers() {
    let f = Fixture::new("security-staff").await;
    let cookie = admin(&f).await;
    let gets = passport::staff::ROUTES
        .iter()
        .chain(passport::editor::ROUTES.iter())
        .chain(passport::hub::ROUTES.iter())
        .filter(|route| route.method == axum::http::Method::GET)
        .map(|route| {
            route
                .path
                .replace("{reference}", "AB-CDEFG")
                .replace("{locale}", "vi")
                .replace("{*path}", "en/checklists/job-offer")
                .replace("{entity}", "contact")
                .replace("{*id}", "nowhere")
        })
        .chain(["/staff/preview/en/manifest.webmanifest".to_owned()]);
    for path in gets {
        let response = f.get(&path, &[(header::COOKIE, &cookie)]).await;
        assert_guarded(
            &format!("GET {path} ({})", response.status()),
            response.headers(),
        );
    }
    let signed_out = f.get("/staff/requests", &[]).await;
    assert_guarded("signed out", signed_out.headers());
}

async fn boom() -> &'static str {
    panic!("a bug in a handler")
}

#[tokio::test]
async fn a_handler_that_panics_gets_a_localised_500_page_with_the_headers() {
    let f = Fixture::new("security-panic").await;
    let state = f.app.clone();
    let router: Router = Router::new()
        .route("/vi/boom", get(boom))
        .layer(CatchPanicLayer::custom(passport::site::errors::panicked))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            passport::site::errors::localise,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            passport::site::security::headers,
        ))
        .with_state(state);
    let request = Request::get("/vi/boom")
        .body(Body::empty())
        .expect("request");
    let response = router.oneshot(request).await.expect("answered");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_guarded("500", response.headers());
    let page = text(response).await;
    assert!(
        page.contains(&f.says(passport::i18n::Locale::Vi, "failed-text")),
        "{page}"
    );
}
