//! `/audio/{sha256}`: a published recording, by the hash of its bytes. The address never
//! changes for the same bytes, so a phone keeps a clip for good and a new recording is a new
//! address. Media elements ask for ranges; a range is answered as one.

use super::store;
use crate::db::Db;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// The address of the clip with hash `sha256`.
pub fn url(sha256: &str) -> String {
    format!("/audio/{sha256}")
}

/// Whether `name` can be a clip's hash: 64 lowercase hex digits.
fn is_hash(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `/audio/{sha256}`: only a published recording; an editor's unpublished one is not public.
pub async fn public(
    State(db): State<Db>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !is_hash(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let found = db.read(move |c| store::published(c, &name)).await;
    answer(found, &headers, "public, max-age=31536000, immutable")
}

/// `/staff/audio/{sha256}`: any stored clip, for an editor to listen to before publishing.
pub async fn staff(State(db): State<Db>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    if !is_hash(&name) {
        let mut response = StatusCode::NOT_FOUND.into_response();
        crate::web::no_store(&mut response);
        return response;
    }
    let found = db.read(move |c| store::stored(c, &name)).await;
    let mut response = answer(found, &headers, "no-store");
    crate::web::no_store(&mut response);
    response
}

fn answer(
    found: Result<Option<(Vec<u8>, &'static str)>, crate::db::DbError>,
    headers: &HeaderMap,
    cache: &'static str,
) -> Response {
    let (bytes, mime) = match found {
        Ok(Some(clip)) => clip,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "reading a recording");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let total = bytes.len();
    let common = [
        (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
    ];
    match headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| range(v, total))
    {
        None => (common, bytes).into_response(),
        Some(Some((start, end))) => {
            let content_range = format!("bytes {start}-{end}/{total}");
            let mut response = (
                StatusCode::PARTIAL_CONTENT,
                common,
                bytes[start..=end].to_vec(),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&content_range) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
        Some(None) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{total}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
    }
}

/// The first and last byte a `Range: bytes=…` header asks for in a body of `total` bytes, or
/// `None` when it cannot be met. Only one range: a media element never asks for more.
fn range(header: &str, total: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (first, last) = spec.split(',').next()?.trim().split_once('-')?;
    let last_byte = total.checked_sub(1)?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let length: usize = suffix.parse().ok()?;
            (total.checked_sub(length.min(total))?, last_byte)
        }
        (start, "") => (start.parse().ok()?, last_byte),
        (start, end) => (
            start.parse().ok()?,
            end.parse::<usize>().ok()?.min(last_byte),
        ),
    };
    (start <= end && start < total).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_media_elements_send_them_and_impossible_ones_refused() {
        assert_eq!(range("bytes=0-", 100), Some((0, 99)));
        assert_eq!(range("bytes=10-19", 100), Some((10, 19)));
        assert_eq!(range("bytes=90-200", 100), Some((90, 99)));
        assert_eq!(range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(range("bytes=100-", 100), None);
        assert_eq!(range("bytes=5-2", 100), None);
        assert_eq!(range("items=0-1", 100), None);
        assert_eq!(range("bytes=0-", 0), None);
    }

    #[test]
    fn only_a_hash_names_a_clip() {
        assert!(is_hash(&"ab".repeat(32)));
        assert!(!is_hash(&"AB".repeat(32)));
        assert!(!is_hash("../etc/passwd"));
        assert!(!is_hash(&"a".repeat(63)));
    }
}
