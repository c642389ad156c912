//! `POST /api/v1/help-requests`: the stable JSON endpoint the page and its offline outbox
//! send help requests to.
//!
//! Answers: 201 with the reference for a new request; 200 with the same reference for a
//! replay of a stored one with the same answers; 409, with no reference, for a stored id
//! sent with other answers; 422 with every field's problem; 400 for a body that is not JSON;
//! 413 for a body over [`BODY_MAX`]; 503 when the request could not be stored (the outbox then
//! tries again). Every message is in the request's language.

use super::store::{self, Receipt};
use super::{FieldError, HelpInput, NewRequest, new_reference};
use crate::help::{intake::Intake, limit::RateLimiter};
use crate::i18n::{Locale, Tr};
use crate::site;
use crate::site::Site;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{Extensions, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::json;
use std::sync::Arc;
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    time::{Duration, Instant},
};

/// The largest body a help request may have: far more than the longest valid one.
pub const BODY_MAX: usize = 16 * 1024;

/// How many reference codes one request may try before it is answered with "try again".
const CANDIDATES: usize = 4;

pub async fn create(
    State(site): State<Arc<Site>>,
    State(intake): State<Intake>,
    request: Request,
) -> Response {
    let fallback = site::preferred_locale(request.headers());
    let body = match axum::body::to_bytes(request.into_body(), BODY_MAX).await {
        Ok(body) => body,
        Err(_) => return too_large(&site.tr(fallback)),
    };
    let Ok(input) = serde_json::from_slice::<HelpInput>(&body) else {
        return problems(
            StatusCode::BAD_REQUEST,
            &site.tr(fallback),
            &[FieldError {
                field: "form",
                message: "help-error-unreadable",
            }],
        );
    };
    let tr = site.tr(Locale::from_code(input.language.trim()).unwrap_or(fallback));
    match input.validate() {
        Err(errors) => problems(StatusCode::UNPROCESSABLE_ENTITY, &tr, &errors),
        Ok(request) => match accept(&intake, request).await {
            Some(Receipt::Created(reference)) => stored(StatusCode::CREATED, &reference),
            Some(Receipt::Replayed(reference)) => stored(StatusCode::OK, &reference),
            Some(Receipt::Conflict) => problems(
                StatusCode::CONFLICT,
                &tr,
                &[FieldError {
                    field: "form",
                    message: "help-error-id-reused",
                }],
            ),
            None => {
                // Not stored (a full disk, a key changing): the phone's outbox keeps it and
                // sends it again.
                let mut response = problems(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &tr,
                    &[FieldError {
                        field: "form",
                        message: "help-error-unavailable",
                    }],
                );
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static(RETRY_AFTER_SECS),
                );
                response
            }
        },
    }
}

/// When a phone should send a request the server could not store again.
const RETRY_AFTER_SECS: &str = "30";

fn stored(status: StatusCode, reference: &str) -> Response {
    let body = json!({ "reference": reference, "created": status == StatusCode::CREATED });
    (status, [crate::web::NO_STORE], axum::Json(body)).into_response()
}

/// Stores a checked request through the intake writer, answering once it is on disk;
/// `None` when it could not be stored, so it must be sent again.
pub async fn accept(intake: &Intake, request: NewRequest) -> Option<Receipt> {
    let candidates = (0..CANDIDATES)
        .map(|_| new_reference())
        .collect::<Result<Vec<_>, _>>()
        .inspect_err(|error| tracing::error!(%error, "no random numbers for a reference"))
        .ok()?;
    let receipt = intake
        .submit(store::Pending {
            request,
            candidates,
        })
        .await;
    if matches!(receipt, Some(Receipt::Created(_))) {
        tracing::info!("help request received");
    }
    receipt
}

/// Lets a request through if its address has not sent too many; else a localised 429 that
/// says when to try again (the outbox simply tries again later).
pub async fn limited(
    State(site): State<Arc<Site>>,
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    match check_rate(&limiter, request.extensions()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let tr = site.tr(site::preferred_locale(request.headers()));
            let mut response = problems(
                StatusCode::TOO_MANY_REQUESTS,
                &tr,
                &[FieldError {
                    field: "form",
                    message: "help-error-too-many",
                }],
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after(wait));
            response
        }
    }
}

/// Takes a token from the limit of the address the request came from (its `ConnectInfo`).
pub fn check_rate(limiter: &RateLimiter, request: &Extensions) -> Result<(), Duration> {
    let ip = request
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    limiter.check(ip, Instant::now())
}

/// `Retry-After` in whole seconds, rounded up.
pub fn retry_after(wait: Duration) -> header::HeaderValue {
    header::HeaderValue::from(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
}

/// A localised 413, for this endpoint and for the body limit in front of every route.
pub fn too_large(tr: &Tr) -> Response {
    problems(
        StatusCode::PAYLOAD_TOO_LARGE,
        tr,
        &[FieldError {
            field: "form",
            message: "help-error-too-large",
        }],
    )
}

fn problems(status: StatusCode, tr: &Tr, errors: &[FieldError]) -> Response {
    let errors: Vec<_> = errors
        .iter()
        .map(|e| json!({ "field": e.field, "code": e.message, "message": tr.t(e.message) }))
        .collect();
    (
        status,
        [crate::web::NO_STORE],
        [(header::CONTENT_LANGUAGE, tr.locale.code())],
        axum::Json(json!({ "errors": errors })),
    )
        .into_response()
}
