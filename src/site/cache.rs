//! The page cache. A public page depends only on its route, its language and the published
//! content version (and, for the pages that show the app's own address, the host asked for),
//! so between two publishes it never changes. Rendered pages are kept in memory with their
//! brotli and gzip bodies and a strong ETag, and answered as a static file server would.
//!
//! A publish replaces the whole generation at once: a request is answered from the old
//! generation or the new one, never from a mix, and a page rendered while the version
//! changed is not kept. Staff pages, the help form asked with a query string, and any
//! response that is not a plain 200 are never cached.

use super::Site;
use crate::i18n::Locale;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use std::{
    borrow::Cow,
    collections::HashMap,
    io::Write,
    sync::{Arc, RwLock},
};

/// Pages kept per generation at most: every page in four languages is about 150; the rest
/// of the room is for hosts, so a flood of made-up `Host` headers cannot grow it without end.
const MAX_PAGES: usize = 2_000;

/// A rendered page in its three encodings, each with its headers ready to send.
pub struct Cached {
    /// The content hash: the ETag of the plain body; `-br` and `-gz` name the others.
    hash: String,
    identity: (HeaderMap, Bytes),
    brotli: (HeaderMap, Bytes),
    gzip: (HeaderMap, Bytes),
    /// What a 304 sends: the page's headers without its body's.
    not_modified: HeaderMap,
}

struct Generation {
    version: i64,
    /// Keyed by path, or by "host path" for the pages that show the host.
    pages: HashMap<String, Arc<Cached>>,
}

pub struct PageCache {
    enabled: bool,
    generation: RwLock<Arc<RwLock<Generation>>>,
}

impl PageCache {
    pub fn new(version: i64) -> PageCache {
        PageCache {
            enabled: true,
            generation: RwLock::new(Arc::new(RwLock::new(Generation {
                version,
                pages: HashMap::new(),
            }))),
        }
    }

    /// A cache that keeps nothing: for the editors' preview, whose pages are not public, and
    /// for `serve --no-page-cache`.
    pub fn disabled() -> PageCache {
        PageCache {
            enabled: false,
            ..PageCache::new(0)
        }
    }

    fn current(&self) -> Arc<RwLock<Generation>> {
        Arc::clone(&self.generation.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn version(&self) -> i64 {
        self.current()
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .version
    }

    /// Starts an empty generation for `version`; pages of the old one are not served again.
    pub fn replace(&self, version: i64) {
        let fresh = Arc::new(RwLock::new(Generation {
            version,
            pages: HashMap::new(),
        }));
        *self.generation.write().unwrap_or_else(|p| p.into_inner()) = fresh;
    }

    pub fn len(&self) -> usize {
        self.current()
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .pages
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The middleware: answers cacheable requests from the cache, rendering and keeping a page
/// the first time it is asked for.
/// What [`layer`] needs, and no more: the whole `AppState` would be cloned with the route on
/// every request.
#[derive(Clone, axum::extract::FromRef)]
pub struct LayerState {
    pub cache: Arc<PageCache>,
    pub site: Arc<Site>,
}

pub async fn layer(
    State(cache): State<Arc<PageCache>>,
    State(site): State<Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    // At a hub with a name, the share page's address follows its certificate: not kept.
    let Some(key) = key(&cache, site.public_url.is_some(), &request)
        .filter(|key| key.starts_with('/') || site.certs.hub_name().is_none())
    else {
        return next.run(request).await;
    };
    let generation = cache.current();
    let found = generation
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .pages
        .get(key.as_ref())
        .cloned();
    if let Some(page) = found {
        return answer(&page, request.headers());
    }
    // A full generation keeps nothing more: the page is rendered and compressed on the fly,
    // as if the cache were not there, rather than compressed at its best for nothing.
    if generation
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .pages
        .len()
        >= MAX_PAGES
    {
        return next.run(request).await;
    }
    let key = key.into_owned();
    let asked = request.headers().clone();
    // Rendered plain and unconditional: the cache compresses and compares itself.
    let (mut parts, body) = request.into_parts();
    parts.headers.remove(header::ACCEPT_ENCODING);
    parts.headers.remove(header::IF_NONE_MATCH);
    let response = next.run(Request::from_parts(parts, body)).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 8 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // Brotli at its best takes tens of milliseconds: never on the async threads.
    let headers = parts.headers;
    let Ok(page) = tokio::task::spawn_blocking(move || Cached::new(headers, body)).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = Arc::new(page);
    {
        let mut kept = generation.write().unwrap_or_else(|p| p.into_inner());
        // Kept only if no publish came between: otherwise it belongs to neither generation.
        let same = Arc::ptr_eq(&generation, &cache.current());
        if same && kept.pages.len() < MAX_PAGES {
            kept.pages.insert(key, Arc::clone(&page));
        }
    }
    answer(&page, &asked)
}

/// The cache key of a request, or `None` when it must not be cached. No public page reads
/// its query string, so the query is left out of its key: `offline.json?x` is not a way
/// around the cache. The pages that show the host are kept
/// per scheme and host, both of which the edge (`serve::edge`) has already checked.
fn key<'r>(cache: &PageCache, public_url: bool, request: &'r Request) -> Option<Cow<'r, str>> {
    if !cache.enabled || request.method() != Method::GET {
        return None;
    }
    let path = request.uri().path();
    let (lang, _) = path.strip_prefix('/')?.split_once('/')?;
    Locale::from_code(lang)?;
    let page = &path[lang.len() + 1..];
    if public_url || !super::pages::shows_host(page) {
        return Some(Cow::Borrowed(path));
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let scheme = if crate::web::over_tls(request.headers()) {
        "https"
    } else {
        "http"
    };
    Some(Cow::Owned(format!("{scheme}://{host} {path}")))
}

/// Only plain, complete, public answers are kept.
fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"))
}

impl Cached {
    fn new(mut headers: HeaderMap, identity: Bytes) -> Cached {
        for name in [
            header::ETAG,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
            header::VARY,
            // Added per request, by whether it came over TLS.
            header::STRICT_TRANSPORT_SECURITY,
        ] {
            headers.remove(name);
        }
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        let hash = crate::web::hex(&Sha256::digest(&identity)[..10]);
        let (brotli, gzip) = match compress(&identity) {
            Ok((brotli, gzip)) => (Bytes::from(brotli), Bytes::from(gzip)),
            Err(_) => (identity.clone(), identity.clone()),
        };
        let variant = |encoding: Option<&'static str>, suffix: &str, body: Bytes| {
            let mut headers = headers.clone();
            if let Ok(tag) = HeaderValue::from_str(&format!("\"{hash}{suffix}\"")) {
                headers.insert(header::ETAG, tag);
            }
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            (headers, body)
        };
        let mut not_modified = headers.clone();
        not_modified.remove(header::CONTENT_TYPE);
        not_modified.remove(header::SET_COOKIE);
        super::security::strip_document_headers(&mut not_modified);
        Cached {
            brotli: variant(Some("br"), "-br", brotli),
            gzip: variant(Some("gzip"), "-gz", gzip),
            identity: variant(None, "", identity),
            not_modified,
            hash,
        }
    }
}

/// `body` compressed as static files are: brotli at quality 11 and gzip at its best.
pub fn compress(body: &[u8]) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    Ok((brotli(body)?, gzip(body)?))
}

/// Brotli at quality 11, its window fitted to the body (a page is tens of KB; the default
/// window is 4 MB): the same bytes with a fraction of the memory, since quality 11 sizes
/// its tables by the window. A hub warming its cache on several threads at once would
/// otherwise keep tens of MB it no longer needs.
pub fn brotli(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let bits = usize::BITS - body.len().max(1).leading_zeros();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: bits.clamp(10, 24) as i32,
        size_hint: body.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &body[..], &mut out, &params)?;
    Ok(out)
}

/// Gzip at its best.
pub fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body)?;
    encoder.finish()
}

/// A kept page for this request: 304 when the phone has it, else the best encoding it takes.
fn answer(page: &Cached, asked: &HeaderMap) -> Response {
    let (headers, body) = match crate::web::best_encoding(asked) {
        Some("br") => &page.brotli,
        Some(_) => &page.gzip,
        None => &page.identity,
    };
    let mut response = if crate::web::if_none_match(asked).any(|tag| {
        tag == "*"
            || tag
                .strip_prefix(page.hash.as_str())
                .is_some_and(|rest| ["", "-br", "-gz"].contains(&rest))
    }) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        *response.headers_mut() = page.not_modified.clone();
        if let Some(tag) = headers.get(header::ETAG) {
            response.headers_mut().insert(header::ETAG, tag.clone());
        }
        response
    } else {
        let mut response = Response::new(Body::from(body.clone()));
        *response.headers_mut() = headers.clone();
        response
    };
    if crate::web::over_tls(asked) {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("ascii"));
        headers
    }

    fn get(path: &str, headers: &[(&str, &str)]) -> Request {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).expect("request")
    }

    #[test]
    fn a_query_string_is_left_out_of_the_key() {
        let cache = PageCache::new(1);
        let key = |path: &str| key(&cache, false, &get(path, &[])).map(Cow::into_owned);
        assert_eq!(key("/en/offline.json?x=1"), key("/en/offline.json"));
        assert_eq!(key("/en/booklet?x=2"), key("/en/booklet"));
        assert_eq!(key("/vi/guides?utm=1").as_deref(), Some("/vi/guides"));
        assert_eq!(
            key("/en/help?kind=not-paid").as_deref(),
            Some("/en/help"),
            "the help form reads no query either"
        );
        assert_eq!(key("/staff/requests"), None);
    }

    #[test]
    fn pages_that_show_the_host_are_kept_per_scheme_and_host() {
        let cache = PageCache::new(1);
        let key = |headers: &[(&str, &str)]| {
            key(&cache, false, &get("/en/share", headers)).map(Cow::into_owned)
        };
        let plain = key(&[("host", "192.168.1.20:3000")]);
        let tls = key(&[
            ("host", "192.168.1.20:3000"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_ne!(
            plain, tls,
            "an https share page is not given to plain-HTTP phones"
        );
        assert_eq!(
            key(&[("host", "hub.lan")]).as_deref(),
            Some("http://hub.lan /en/share")
        );
    }

    #[test]
    fn a_page_kept_once_answers_in_each_encoding_and_with_304_for_any_of_its_tags() {
        let page = Cached::new(HeaderMap::new(), Bytes::from("<p>hello</p>".repeat(100)));
        let br = answer(&page, &asking(header::ACCEPT_ENCODING, "br"));
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        let tag = br.headers()[header::ETAG].to_str().expect("tag").to_owned();
        assert!(tag.ends_with("-br\""), "{tag}");
        let plain = answer(&page, &HeaderMap::new());
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        for tag in [tag, format!("W/\"{}\"", page.hash)] {
            let again = answer(&page, &asking(header::IF_NONE_MATCH, &tag));
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{tag}");
        }
        let other = answer(&page, &asking(header::IF_NONE_MATCH, "\"0123\""));
        assert_eq!(other.status(), StatusCode::OK);
        assert!(page.brotli.1.len() < page.gzip.1.len());
        assert!(page.gzip.1.len() < page.identity.1.len());
    }

    #[test]
    fn a_window_fitted_to_the_body_still_decompresses_to_it() {
        for size in [0, 1, 1000, 70_000, 300_000] {
            let body: Vec<u8> = (0..size)
                .map(|i| b"abcdefghij"[(i * 7 + i / 13) % 10])
                .collect();
            let (brotli, _) = compress(&body).expect("compressed");
            let mut plain = Vec::new();
            brotli::BrotliDecompress(&mut &brotli[..], &mut plain).expect("decompressed");
            assert_eq!(plain, body);
        }
    }
}
