//! How a public page is answered. Its component, a route of the app's `<Routes>` tree,
//! loads what it shows and renders the whole document through [`public_page`]; [`finish`]
//! then gives the answer its validator, its language cookie and its caching rules.
//!
//! A form that changes something (the help request, a checklist's answers without
//! JavaScript) is an axum middleware in front of the same route: it does its work and leaves
//! what came of it in the request's extensions, where the page's component finds it
//! ([`PageRequest::outcome`]).

use super::{PageMeta, Section, Site, document, path_locale, preferred_locale};
use crate::{db::Db, error::AppError, i18n::Locale};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use leptos_router::hooks::use_params_map;
use sha2::{Digest, Sha256};
use std::{future::Future, sync::Arc};

/// What a page's component knows of the request it answers.
pub struct PageRequest {
    pub site: Arc<Site>,
    pub db: Db,
    pub locale: Locale,
    pub parts: Parts,
    params: Vec<(String, String)>,
    response: ResponseOptions,
}

impl PageRequest {
    /// The value of the path's parameter `name` (`slug` in `/:lang/guides/:slug`).
    pub fn param(&self, name: &str) -> String {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// What a form's middleware left for the page to show, if this request carries it.
    pub fn outcome<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.parts.extensions.get::<T>().cloned()
    }

    pub fn set_status(&self, status: StatusCode) {
        self.response.set_status(status);
    }

    /// Nothing that shows what a person typed or sent may be kept by any cache.
    pub fn no_store(&self) {
        self.set_header(
            crate::web::NO_STORE.0,
            HeaderValue::from_static(crate::web::NO_STORE.1),
        );
    }

    pub fn set_header(&self, name: header::HeaderName, value: HeaderValue) {
        self.response.insert_header(name, value);
    }
}

/// What a page's loader found.
pub enum Page {
    Found(AnyView),
    /// No such checklist or guide: the 404 page.
    NotFound,
}

/// The view of a public page: `load` reads what the page shows and renders its document.
/// A path whose first segment is no language, and a [`Page::NotFound`], show the 404 page;
/// an [`AppError`] shows "try again in a few minutes" with a 503.
pub fn public_page<F, Fut>(load: F) -> impl IntoView
where
    F: FnOnce(PageRequest) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page, AppError>> + Send + 'static,
{
    let site = expect_context::<Arc<Site>>();
    let db = expect_context::<Db>();
    let parts = expect_context::<Parts>();
    let response = expect_context::<ResponseOptions>();
    let params = use_params_map()
        .get_untracked()
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
    Suspend::new(async move {
        let Some(locale) = path_locale(parts.uri.path()) else {
            let locale = preferred_locale(&parts.headers);
            return not_found(&site, locale, &response);
        };
        let request = PageRequest {
            site: Arc::clone(&site),
            db,
            locale,
            parts,
            params,
            response: response.clone(),
        };
        response.insert_header(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(locale.code()),
        );
        match load(request).await {
            Ok(Page::Found(view)) => view,
            Ok(Page::NotFound) => not_found(&site, locale, &response),
            Err(error) => {
                tracing::error!(%error, "page unavailable");
                unavailable(&site, locale, &response)
            }
        }
    })
}

/// The routes' fallback: an address the app does not have.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let site = expect_context::<Arc<Site>>();
    let parts = expect_context::<Parts>();
    let response = expect_context::<ResponseOptions>();
    let locale = path_locale(parts.uri.path()).unwrap_or_else(|| preferred_locale(&parts.headers));
    not_found(&site, locale, &response)
}

fn not_found(site: &Site, locale: Locale, response: &ResponseOptions) -> AnyView {
    response.set_status(StatusCode::NOT_FOUND);
    response.insert_header(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(locale.code()),
    );
    // An address without a language is answered in the visitor's: caches must tell them apart.
    response.insert_header(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie, Accept-Language"),
    );
    let tr = site.tr(locale);
    let meta = PageMeta::from_messages(
        &tr,
        "not-found-title",
        "not-found-text",
        Section::Other,
        "/",
    );
    let body = view! {
        <h1>{tr.t("not-found-title")}</h1>
        <p>{tr.t("not-found-text")}</p>
        <p><a href=format!("/{locale}/")>{tr.t("back-home")}</a></p>
    };
    document(site, locale, meta, body).into_any()
}

fn unavailable(site: &Site, locale: Locale, response: &ResponseOptions) -> AnyView {
    response.set_status(StatusCode::SERVICE_UNAVAILABLE);
    response.insert_header(header::RETRY_AFTER, HeaderValue::from_static("30"));
    response.insert_header(
        crate::web::NO_STORE.0,
        HeaderValue::from_static(crate::web::NO_STORE.1),
    );
    let tr = site.tr(locale);
    let meta = PageMeta::from_messages(&tr, "app-name", "unavailable-text", Section::Other, "/");
    let body = view! { <p class="notice" role="alert">{tr.t("unavailable-text")}</p> };
    document(site, locale, meta, body).into_any()
}

/// The middleware around every public page: see [`finish`].
pub async fn finish_layer(request: Request, next: Next) -> Response {
    let asked = request.headers().clone();
    finish(&asked, next.run(request).await).await
}

/// What `leptos_axum` writes after a document's end: the data scripts with which the
/// client would hydrate resources. Islands get their data as props and no page has a
/// resource, so these are always empty; a page ends at `</html>`.
const RESOURCE_SCRIPTS: &str = "<script>__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];\
     __PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script>__INCOMPLETE_CHUNKS=[];</script>";

/// Ends a rendered page at `</html>` (see [`RESOURCE_SCRIPTS`]); gives it its ETag (weak:
/// the body is compressed on the way out), answering a matching `If-None-Match` with 304;
/// `Cache-Control: no-cache` unless the page chose otherwise; and the `lang` cookie, so
/// that `/` sends the person back to this language.
pub async fn finish(asked: &HeaderMap, response: Response) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(mut body) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    const END: &[u8] = b"</html>";
    if let Some(end) = body.windows(END.len()).rposition(|w| w == END) {
        let after = &body[end + END.len()..];
        if after != RESOURCE_SCRIPTS.as_bytes() && !after.is_empty() {
            tracing::warn!(
                bytes = after.len(),
                "a page wrote something after </html>; it was cut"
            );
        }
        body.truncate(end + END.len());
    }
    let locale = parts
        .headers
        .get(header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_code);
    let Some(locale) = locale else {
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(body));
    };
    let etag = format!("W/\"{}\"", crate::web::hex(&Sha256::digest(&body)[..10]));
    let headers = &mut parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    headers
        .entry(header::VARY)
        .or_insert(HeaderValue::from_static("Accept-Encoding"));
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "lang={locale}; Path=/; Max-Age=31536000; SameSite=Lax"
    )) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, tag);
    }
    if parts.status == StatusCode::OK && crate::web::etag_matches(asked, &etag) {
        parts.status = StatusCode::NOT_MODIFIED;
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(body))
}
