//! The security headers every response carries (OWASP Secure Headers Project): a strict
//! Content-Security-Policy that allows nothing from another origin and no inline script,
//! no referrer, no framing, no sniffing, and no powerful browser features.

use super::Site;
use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use std::sync::Arc;

/// Only this origin, for everything. `'wasm-unsafe-eval'` lets the islands' WASM compile; it
/// allows no JavaScript `eval`. The one inline script, Leptos's island loader, is allowed by
/// its hash (`loader`, `'sha256-…'`); no other inline script or style runs.
pub fn content_security_policy(loader: &str) -> HeaderValue {
    let policy = format!(
        "default-src 'self'; \
         script-src 'self' 'wasm-unsafe-eval' {loader}; \
         style-src 'self'; \
         img-src 'self' data:; \
         media-src 'self' blob:; \
         font-src 'self'; \
         connect-src 'self'; \
         manifest-src 'self'; \
         worker-src 'self'; \
         object-src 'none'; \
         base-uri 'none'; \
         form-action 'self'; \
         frame-ancestors 'none'"
    );
    // A hash is base64 in quotes, so the policy is always a valid header; were it not, the
    // stricter policy without the loader is the safe one.
    HeaderValue::try_from(policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}

/// The permissions policy, with the microphone as given. Browser features the app never uses
/// are switched off. Sharing the app's address, the one it uses, needs no entry: Web Share is
/// allowed to the page itself by default, and browsers that do not know the name warn about
/// it on every page.
macro_rules! permissions {
    ($microphone:literal) => {
        concat!(
            "accelerometer=(), autoplay=(self), camera=(), display-capture=(), \
             encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), ",
            $microphone,
            ", midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), \
             screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=()"
        )
    };
}

/// Autoplay is allowed to the page itself: "Listen to all" plays one sign after another,
/// after the person pressed it once. Nothing plays on its own when a page opens.
const PERMISSIONS_POLICY: &str = permissions!("microphone=()");

/// The editor's recording page also uses the microphone; no other page does.
pub const RECORDING_PERMISSIONS: &str = permissions!("microphone=(self)");

/// Headers for every response.
pub const HEADERS: [(HeaderName, &str); 4] = [
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("x-permitted-cross-domain-policies"),
        "none",
    ),
];

/// Headers that only a document or a worker script acts on. They are left off images,
/// fonts, styles, page scripts and the WASM: about 0.8 KB a file that a phone on plain
/// HTTP/1.1 would otherwise download with every one of them.
/// The Content-Security-Policy goes with them ([`content_security_policy`]).
pub const DOCUMENT_HEADERS: [(HeaderName, &str); 4] = [
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    ),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-embedder-policy"),
        "require-corp",
    ),
];

/// Takes the document headers off a 304: the browser keeps those of the response it stored.
pub fn strip_document_headers(headers: &mut axum::http::HeaderMap) {
    for (name, _) in &DOCUMENT_HEADERS {
        headers.remove(name);
    }
    headers.remove(header::CONTENT_SECURITY_POLICY);
}

/// What a page loads (styles, scripts, the WASM, fonts, images), which its page's policy
/// governs; anything else a browser may show as a document of its own.
fn is_subresource(kind: &str) -> bool {
    ["text/css", "text/javascript", "application/javascript", "application/wasm", "font/", "image/"]
        .iter()
        .any(|prefix| kind.starts_with(prefix))
        // An SVG opened on its own is a document that may hold script.
        && !kind.starts_with("image/svg")
}

/// Adds the security headers to every response, and the document ones to everything that is
/// not a page's subresource (pages, errors, JSON, the service worker), keeping any a handler
/// set itself; over HTTPS, also `Strict-Transport-Security` (a browser ignores it over plain
/// HTTP). A 304 gets no document headers: the browser shows the response it stored, with the
/// headers that came with it, and a phone that keeps four languages would otherwise fetch
/// about 0.8 KB of them with every manifest that did not change.
pub async fn headers(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    // A worker script is governed by the policy it arrives with; other scripts by their page's.
    let worker = request.uri().path() == "/sw.js";
    let https = crate::web::over_tls(request.headers());
    let mut response = next.run(request).await;
    let not_modified = response.status() == axum::http::StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let document = !not_modified
        && (worker
            || headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_none_or(|kind| !is_subresource(kind)));
    if not_modified {
        strip_document_headers(headers);
    }
    let extra: &[(HeaderName, &str)] = if document { &DOCUMENT_HEADERS } else { &[] };
    for (name, value) in HEADERS.iter().chain(extra) {
        if !headers.contains_key(name) {
            headers.insert(name.clone(), HeaderValue::from_static(value));
        }
    }
    if document && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            site.content_security_policy.clone(),
        );
    }
    response
}
