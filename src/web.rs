//! Small HTTP helpers that every part of the app shares. Nothing here knows the app: this
//! file imports no other module of the crate.

use axum::{
    http::{HeaderMap, HeaderName, HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};

/// The largest request body the app reads (a translation file's upload has its own).
pub const BODY_MAX: usize = 64 * 1024;

/// The header of an answer that holds personal data or what a person typed: no cache
/// anywhere may keep it.
pub const NO_STORE: (HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// Marks `response` [`NO_STORE`].
pub fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(NO_STORE.0, HeaderValue::from_static(NO_STORE.1));
}

/// A 303 to `target` that no cache keeps.
pub fn see_other(target: &str) -> Response {
    let mut response = Redirect::to(target).into_response();
    no_store(&mut response);
    response
}

/// A file to download, named `name`, that no cache keeps.
pub fn download(content_type: &str, name: &str, body: impl IntoResponse) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response();
    no_store(&mut response);
    response
}

/// Whether the browser reached us over HTTPS: through our own TLS (which marks the request
/// so) or a proxy that terminates TLS and says so. A client could claim this falsely, but
/// only to make its own cookies stricter and its own pages name `https`.
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Whether a request that changes something came from this site's own pages: a browser
/// that sends `Origin` or `Sec-Fetch-Site` must say so. Older browsers send neither, and
/// pages here send no referrer, so `Origin: null` and no header at all are let through.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| matches!(site, "same-origin" | "none"));
    // Pages here send no referrer, so browsers say `Origin: null` for their own forms; then
    // only `Sec-Fetch-Site` and the token can tell.
    let origin_ok = match (text(header::ORIGIN), text(header::HOST)) {
        (None | Some("null"), _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority == host),
        (Some(_), None) => false,
    };
    fetch_site_ok && origin_ok
}

/// The tags an `If-None-Match` header lists, without `W/` and quotes (`*` stays `*`).
pub fn if_none_match(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/").trim_matches('"'))
}

/// Whether `If-None-Match` names `etag` (written `"…"`, compared weakly) or is `*`.
pub fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let etag = etag.trim_start_matches("W/").trim_matches('"');
    if_none_match(headers).any(|tag| tag == "*" || tag == etag)
}

/// The compressed encodings a request takes; `q=0` refuses one, `*` takes any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub brotli: bool,
    pub gzip: bool,
}

pub fn accepted_encodings(headers: &HeaderMap) -> Accepted {
    let accepted: Vec<(String, f32)> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let name = pieces.next()?.trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            Some((name, quality))
        })
        .collect();
    let takes = |name: &str| {
        accepted
            .iter()
            .any(|(n, q)| (n == name || n == "*") && *q > 0.0)
            && !accepted.iter().any(|(n, q)| n == name && *q <= 0.0)
    };
    Accepted {
        brotli: takes("br"),
        gzip: takes("gzip"),
    }
}

/// `br` if the request takes it, else `gzip`, else none.
pub fn best_encoding(headers: &HeaderMap) -> Option<&'static str> {
    let accepted = accepted_encodings(headers);
    if accepted.brotli {
        Some("br")
    } else if accepted.gzip {
        Some("gzip")
    } else {
        None
    }
}

/// The value of the cookie `name`, if the request has it and it is not empty.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Bytes as lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(name, HeaderValue::from_str(value).expect("valid header"));
        map
    }

    #[test]
    fn the_best_encoding_the_request_takes_is_chosen() {
        let encoding = |v: &str| best_encoding(&headers(header::ACCEPT_ENCODING, v));
        assert_eq!(encoding("gzip, deflate, br"), Some("br"));
        assert_eq!(encoding("gzip"), Some("gzip"));
        assert_eq!(encoding("br;q=0, gzip"), Some("gzip"));
        assert_eq!(encoding("identity"), None);
        assert_eq!(best_encoding(&HeaderMap::new()), None);
    }

    #[test]
    fn an_encoding_refused_with_q_zero_is_not_used() {
        let both = accepted_encodings(&headers(header::ACCEPT_ENCODING, "gzip, deflate, br"));
        assert!(both.brotli && both.gzip);
        let refused = accepted_encodings(&headers(header::ACCEPT_ENCODING, "br;q=0, gzip;q=0.5"));
        assert!(!refused.brotli && refused.gzip);
        let none = accepted_encodings(&HeaderMap::new());
        assert!(!none.brotli && !none.gzip);
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let etag = "\"abc\"";
        assert!(etag_matches(
            &headers(header::IF_NONE_MATCH, "\"x\", W/\"abc\""),
            etag
        ));
        assert!(etag_matches(&headers(header::IF_NONE_MATCH, "*"), etag));
        assert!(!etag_matches(
            &headers(header::IF_NONE_MATCH, "\"abcd\""),
            etag
        ));
    }
}
