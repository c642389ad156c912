//! The public writes (a help request, by form or by the API, and "clear this phone") are
//! refused when another site's page made the visitor's browser send them: any website could
//! otherwise make its visitors file "urgent" requests, each from a different address, or wipe
//! a phone's unsent ones. The API also takes only JSON sent as JSON, which a plain cross-site
//! form cannot send.

use super::{Site, page_locale};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use serde_json::json;
use std::sync::Arc;

/// In front of the public forms: a cross-site post is sent back to the page it claims to
/// come from (the help form, the privacy page), where the person can act for themselves.
pub async fn forms(request: Request, next: Next) -> Response {
    if crate::web::same_origin(request.headers()) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let back = match path.strip_suffix("/clear") {
        Some(lang) => format!("{lang}/privacy"),
        None => path.to_owned(),
    };
    let mut response = Redirect::to(&back).into_response();
    crate::web::no_store(&mut response);
    response
}

/// In front of the JSON API: only JSON, and only from this site's pages.
pub async fn api(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let problem = if !is_json(request.headers()) {
        Some((StatusCode::UNSUPPORTED_MEDIA_TYPE, "help-error-not-json"))
    } else if !crate::web::same_origin(request.headers()) {
        Some((StatusCode::FORBIDDEN, "help-error-cross-site"))
    } else {
        None
    };
    let Some((status, code)) = problem else {
        return next.run(request).await;
    };
    let tr = site.tr(page_locale(request.uri().path(), request.headers()));
    let body = json!({ "errors": [{ "field": "form", "code": code, "message": tr.t(code) }] });
    (
        status,
        [crate::web::NO_STORE],
        [(header::CONTENT_LANGUAGE, tr.locale.code())],
        axum::Json(body),
    )
        .into_response()
}

/// `Content-Type: application/json`, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/json"))
}
