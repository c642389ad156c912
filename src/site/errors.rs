//! The app's own error answers, in the visitor's language: a page that cannot be shown for
//! a moment ([`AppError`](crate::error::AppError)), and a request body over the limit.

use super::{PageMeta, Section, Site, page_locale, render};
use crate::error::Unavailable;
use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

/// The middleware: writes the answers the layers and handlers inside left without words.
pub async fn localise(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let locale = page_locale(request.uri().path(), request.headers());
    let response = next.run(request).await;
    if response.extensions().get::<Unavailable>().is_some() {
        return unavailable(&site, locale);
    }
    // The body limit answers in plain English.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !response.headers().contains_key(header::CONTENT_LANGUAGE)
    {
        return crate::help::api::too_large(&site.tr(locale));
    }
    response
}

fn unavailable(site: &Site, locale: crate::i18n::Locale) -> Response {
    let tr = site.tr(locale);
    let meta = PageMeta {
        title: tr.t("app-name"),
        description: tr.t("unavailable-text"),
        section: Section::Other,
        here: "/".to_owned(),
    };
    let body = || view! { <p class="notice" role="alert">{tr.t("unavailable-text")}</p> };
    let mut response = super::html(
        &HeaderMap::new(),
        StatusCode::SERVICE_UNAVAILABLE,
        locale,
        render(site, locale, meta, body),
    );
    crate::web::no_store(&mut response);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
    response
}
