//! Central's side of the hub protocol, under `/hub/v1/`: JSON for programs, not pages.
//!
//! - `POST /hub/v1/pair`: a pairing code and the hub's export key, for a credential, the key
//!   to seal requests to and the key bundles are signed with.
//! - `GET /hub/v1/status`: the counter central has settled for this hub, and its content
//!   version.
//! - `POST /hub/v1/requests`: a batch of sealed requests; an outcome for each.
//! - `GET /hub/v1/bundle?since=N`: the signed content bundle since version N, with the
//!   certificate central holds for the hub's name.
//! - `POST /hub/v1/certificate`: the hub's certificate request for its name (sent at pairing
//!   and every sync), kept for central's certificate keeper.
//!
//! Every call but pairing carries `Authorization: Bearer <credential>`. A revoked hub gets
//! 403, an unknown credential 401. Like the staff side, these answer only over HTTPS or on
//! this machine, and a hub answers none of them: it is no central.

use super::registry::{self, Caller};
use super::{Batch, CertAsk, PairAnswer, PairAsk, Status, b64, bundle, forward, unb64};
use crate::db::Db;
use crate::serve::edge::Transport;
use crate::state::AppState;
use axum::{
    Json, Router,
    body::Bytes,
    extract::{Query, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};

/// Central's routes for hubs, with their own body limit (a batch is larger than a form).
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/hub/v1/pair", post(pair))
        .route("/hub/v1/status", get(status))
        .route("/hub/v1/requests", post(requests))
        .route("/hub/v1/bundle", get(bundle_since))
        .route("/hub/v1/certificate", post(certificate))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            super::BATCH_BYTES,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(super::BATCH_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), gate))
}

/// A refusal as JSON: `{"error": "..."}`.
fn refused(status: StatusCode, why: &str) -> Response {
    let mut response = (status, Json(serde_json::json!({ "error": why }))).into_response();
    crate::web::no_store(&mut response);
    response
}

/// Only central answers, and only where the credential cannot be read off the air.
async fn gate(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if Transport::in_clear(&request) && !app.site.staff_over_http {
        return refused(
            StatusCode::FORBIDDEN,
            "central takes hubs only over HTTPS (or from this machine)",
        );
    }
    match app.db.read(super::identity::is_hub).await {
        Ok(false) => next.run(request).await,
        Ok(true) => refused(StatusCode::NOT_FOUND, "this server is a hub, not central"),
        Err(error) => unavailable(&error),
    }
}

fn unavailable(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "answering a hub");
    refused(
        StatusCode::SERVICE_UNAVAILABLE,
        "central cannot read its database now; try again later",
    )
}

/// The hub that the request's credential names, or the answer that refuses it.
async fn hub(db: &Db, headers: &HeaderMap) -> Result<(i64, String), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if token.is_empty() {
        return Err(refused(StatusCode::UNAUTHORIZED, "no hub credential"));
    }
    match db.read(move |c| registry::caller(c, &token)).await {
        Ok(Caller::Hub { id, name }) => Ok((id, name)),
        Ok(Caller::Revoked) => Err(refused(
            StatusCode::FORBIDDEN,
            "this hub was revoked at central",
        )),
        Ok(Caller::Unknown) => Err(refused(
            StatusCode::UNAUTHORIZED,
            "central does not know this hub's credential: pair it again",
        )),
        Err(error) => Err(unavailable(&error)),
    }
}

async fn pair(State(db): State<Db>, body: Bytes) -> Response {
    let Ok(ask) = serde_json::from_slice::<PairAsk>(&body) else {
        return refused(StatusCode::BAD_REQUEST, "this is not a pairing request");
    };
    let export_key = unb64(&ask.export_key).unwrap_or_default();
    // A wrong code costs a read, never the writer that help requests need.
    let code = ask.code.clone();
    match db.read(move |c| registry::code_waits(c, &code)).await {
        Ok(true) => {}
        Ok(false) => return wrong_code(),
        Err(error) => return unavailable(&error),
    }
    match db
        .write(move |c| Ok(paired(c, &ask.code, &export_key)))
        .await
    {
        Ok(Ok(Some(answer))) => {
            tracing::info!(hub = %answer.hub, "a hub paired");
            let mut response = Json(answer).into_response();
            crate::web::no_store(&mut response);
            response
        }
        Ok(Ok(None)) => wrong_code(),
        Ok(Err(error)) => unavailable(&error),
        Err(error) => unavailable(&error),
    }
}

/// Redeems the code and gathers what the hub needs, in one IMMEDIATE transaction; `None`
/// when the code is not good (any more).
fn paired(
    conn: &mut rusqlite::Connection,
    code: &str,
    export_key: &[u8],
) -> Result<Option<PairAnswer>, String> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| e.to_string())?;
    let Some((hub, token)) = registry::redeem(&tx, code, export_key).map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let bundle_key = bundle::signing_key(&tx).map_err(|e| e.to_string())?;
    let seal_key = crate::seal::keys::seal_key(&tx).map_err(|e| e.to_string())?;
    let (_, transfer_key) = bundle::transfer_key(&tx).map_err(|e| e.to_string())?;
    let host: Option<String> = tx
        .query_row("SELECT host FROM hub WHERE name = ?1", [&hub], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    tx.commit().map_err(|e| e.to_string())?;
    Ok(Some(PairAnswer {
        hub,
        token,
        seal_key: b64(&seal_key.to_bytes()),
        bundle_key: b64(&bundle::public_key(&bundle_key)),
        transfer_key: b64(&transfer_key.to_bytes()),
        host,
    }))
}

fn wrong_code() -> Response {
    refused(
        StatusCode::FORBIDDEN,
        "this pairing code is wrong, used already or expired: ask an admin for a new one",
    )
}

async fn status(State(db): State<Db>, headers: HeaderMap) -> Response {
    let (id, _) = match hub(&db, &headers).await {
        Ok(hub) => hub,
        Err(refusal) => return refusal,
    };
    let read = db
        .write(move |c| {
            registry::heard(c, id)?;
            Ok(Status {
                last_seq: c
                    .query_row("SELECT last_seq FROM hub WHERE id = ?1", [id], |r| r.get(0))?,
                content_version: crate::content::texts::version(c)?,
                certificate: super::names::serial_for(c, id)?,
            })
        })
        .await;
    match read {
        Ok(status) => Json(status).into_response(),
        Err(error) => unavailable(&error),
    }
}

async fn requests(State(db): State<Db>, headers: HeaderMap, body: Bytes) -> Response {
    let (id, name) = match hub(&db, &headers).await {
        Ok(hub) => hub,
        Err(refusal) => return refusal,
    };
    let batch: Batch = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(_) => return refused(StatusCode::BAD_REQUEST, "this is not a batch of requests"),
    };
    if batch.requests.len() > super::BATCH_MAX {
        return refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too many requests in one batch",
        );
    }
    match db.write(move |c| forward::receive(c, id, &batch)).await {
        Ok(answer) => {
            tracing::info!(hub = %name, requests = answer.answers.len(), last_seq = answer.last_seq, "a batch from a hub");
            Json(answer).into_response()
        }
        Err(error) => unavailable(&error),
    }
}

#[derive(serde::Deserialize)]
struct Since {
    since: i64,
}

async fn bundle_since(
    State(db): State<Db>,
    headers: HeaderMap,
    Query(Since { since }): Query<Since>,
) -> Response {
    let id = match hub(&db, &headers).await {
        Ok((id, _)) => id,
        Err(refusal) => return refusal,
    };
    // The signing key is made on first use, so this takes the writer.
    match db.write(move |c| Ok(bundle::make(c, since, id))).await {
        Ok(Ok(bytes)) => {
            let mut response =
                ([(header::CONTENT_TYPE, "application/json")], bytes).into_response();
            crate::web::no_store(&mut response);
            response
        }
        Ok(Err(error)) => unavailable(&error),
        Err(error) => unavailable(&error),
    }
}

/// Keeps the hub's certificate request, and wakes the keeper when it is new.
async fn certificate(
    State(db): State<Db>,
    State(wake): State<std::sync::Arc<tokio::sync::Notify>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (id, name) = match hub(&db, &headers).await {
        Ok(hub) => hub,
        Err(refusal) => return refusal,
    };
    let Some(der) = serde_json::from_slice::<CertAsk>(&body)
        .ok()
        .and_then(|ask| unb64(&ask.csr))
    else {
        return refused(StatusCode::BAD_REQUEST, "this is not a certificate request");
    };
    match db
        .write(move |c| Ok(super::names::keep_request(c, id, &der)))
        .await
    {
        Ok(Ok(new)) => {
            if new {
                tracing::info!(hub = %name, "a hub sent a new certificate request");
                wake.notify_one();
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(super::names::KeepError::Sqlite(error))) => unavailable(&error),
        Ok(Err(error)) => refused(StatusCode::UNPROCESSABLE_ENTITY, &error.to_string()),
        Err(error) => unavailable(&error),
    }
}
