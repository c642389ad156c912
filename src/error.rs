//! The errors a request handler can meet, and the HTTP status each one becomes.

use crate::db::DbError;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Db(#[from] DbError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, "request failed");
        let status = match self {
            AppError::Db(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        (
            status,
            "The service is unavailable for a moment. Please try again.",
        )
            .into_response()
    }
}
