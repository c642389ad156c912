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
use std::sync::Arc;

/// The middleware.
pub async fn localise(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let locale = page_locale(request.uri().path(), request.headers());
    let response = next.run(request).await;
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
