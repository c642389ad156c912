//! The errors the app can meet: [`StartError`] stops the program before it serves;
//! [`AppError`] is what a public page's handler returns when something it needs is
//! unavailable. Its answer names no language: the app's error layer
//! (`site::errors`) writes it in the page's language.

use crate::{
    content::seed::SeedError, db::DbError, i18n::catalog::CatalogError, site::assets::AssetError,
    staff::accounts::AccountError,
};
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Marks a response as the app's own error answer, for the error layer to write in the
/// visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, "request failed");
        let mut response = match self {
            AppError::Db(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        };
        response.extensions_mut().insert(Unavailable);
        response
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the UI messages: {0}")]
    Catalog(#[from] CatalogError),
    #[error("the database: {0}")]
    Db(#[from] DbError),
    #[error("the seed content: {0}")]
    Seed(#[from] SeedError),
    #[error("the site files: {0}")]
    Assets(#[from] AssetError),
    #[error(
        "no built site folder found (looked in {0}); build it with `cargo leptos build --release` or pass --site"
    )]
    NoSite(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    Account(#[from] AccountError),
    #[error("the organisation's key: {0}")]
    Keys(#[from] crate::seal::keys::KeyError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("the TLS certificate {cert} or key {key}: {source}")]
    Tls {
        cert: String,
        key: String,
        source: std::io::Error,
    },
}
