//! The app's own error answers, in the visitor's language, for what the handlers and layers
//! inside leave without words: something that is unavailable for a moment
//! ([`AppError`](crate::error::AppError)), and a request body over the limit.

use super::{Site, page_locale};
use crate::error::Unavailable;
use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::prelude::*;
use std::sync::Arc;

/// The middleware.
pub async fn localise(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let locale = page_locale(request.uri().path(), request.headers());
    let response = next.run(request).await;
    if response.extensions().get::<Failed>().is_some() {
        return failed_page(&site, locale);
    }
    if response.extensions().get::<Unavailable>().is_some() {
        let tr = site.tr(locale);
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (
                    header::CONTENT_LANGUAGE,
                    HeaderValue::from_static(locale.code()),
                ),
                (header::RETRY_AFTER, HeaderValue::from_static("30")),
            ],
            tr.t("unavailable-text"),
        )
            .into_response();
        crate::web::no_store(&mut response);
        return response;
    }
    // The body limit answers in plain English.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !response.headers().contains_key(header::CONTENT_LANGUAGE)
    {
        return crate::help::api::too_large(&site.tr(locale));
    }
    response
}

/// Marks the answer of a handler that panicked ([`panicked`]), for [`localise`] to write.
#[derive(Debug, Clone, Copy)]
pub struct Failed;

/// What `CatchPanicLayer` answers when a handler panics: the panic is logged and the
/// visitor gets a 500 page (written by [`localise`]) rather than a dropped connection.
pub fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, "a handler panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Failed);
    response
}

/// A small page in the visitor's language saying that something failed on our side.
fn failed_page(site: &Site, locale: crate::i18n::Locale) -> Response {
    let tr = site.tr(locale);
    let (title, text) = (tr.t("failed-title"), tr.t("failed-text"));
    let html = view! {
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title.clone()}</title>
            </head>
            <body>
                <h1>{title}</h1>
                <p>{text}</p>
            </body>
        </html>
    }
    .to_html();
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_LANGUAGE,
                HeaderValue::from_static(locale.code()),
            ),
        ],
        format!("<!DOCTYPE html>{html}"),
    )
        .into_response();
    crate::web::no_store(&mut response);
    response
}
