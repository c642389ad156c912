//! The staff side, under `/staff`: accounts and roles, sessions, the caseworker dashboard,
//! its audit log, and the retention purge. Every page here needs a signed-in account with
//! the right role, sends `Cache-Control: no-store`, and carries no script.

pub mod accounts;
pub mod audit;
pub mod export;
pub mod facts;
pub mod layout;
pub mod login;
pub mod preview;
pub mod requests;
pub mod retention;
pub mod session;
pub mod texts;
pub mod translations;

pub use accounts::Role;

use crate::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};

/// Who may use a staff route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The sign-in page itself.
    Anyone,
    /// Any signed-in account.
    Signed,
    /// Caseworkers and admins: the routes that show help requests.
    Requests,
    /// Editors and admins: the content and its translations.
    Content,
    /// Admins only.
    Admin,
}

/// Every staff route: method, path (with `{reference}` for a request) and who may use it.
/// The router below is built from the same paths, and the tests walk this list.
pub const ROUTES: [(&str, &str, Access); 25] = [
    ("GET", "/staff", Access::Signed),
    ("GET", "/staff/", Access::Signed),
    ("GET", "/staff/login", Access::Anyone),
    ("POST", "/staff/login", Access::Anyone),
    ("POST", "/staff/logout", Access::Signed),
    ("POST", "/staff/language", Access::Signed),
    ("GET", "/staff/account", Access::Signed),
    ("GET", "/staff/requests", Access::Requests),
    ("GET", "/staff/requests/{reference}", Access::Requests),
    ("POST", "/staff/requests/{reference}", Access::Requests),
    ("GET", "/staff/export", Access::Requests),
    ("POST", "/staff/export", Access::Requests),
    ("GET", "/staff/audit", Access::Admin),
    ("GET", "/staff/translations", Access::Content),
    ("POST", "/staff/translations/publish", Access::Content),
    ("POST", "/staff/translations/revert", Access::Content),
    ("GET", "/staff/translations/{locale}", Access::Content),
    ("GET", "/staff/translations/{locale}/edit", Access::Content),
    ("POST", "/staff/translations/{locale}/edit", Access::Content),
    (
        "GET",
        "/staff/translations/{locale}/export",
        Access::Content,
    ),
    (
        "POST",
        "/staff/translations/{locale}/import",
        Access::Content,
    ),
    ("GET", "/staff/preview/{*path}", Access::Content),
    ("GET", "/staff/facts", Access::Content),
    ("GET", "/staff/facts/{entity}/{*id}", Access::Content),
    ("POST", "/staff/facts/{entity}/{*id}", Access::Content),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(login::home))
        .route("/staff/", get(login::home))
        .route("/staff/login", get(login::form).post(login::submit))
        .route("/staff/logout", post(login::sign_out))
        .route("/staff/language", post(login::language))
        .route("/staff/account", get(login::account))
        .route("/staff/requests", get(requests::list_page))
        .route(
            "/staff/requests/{reference}",
            get(requests::request_page).post(requests::change),
        )
        .route("/staff/export", get(export::form).post(export::download))
        .route("/staff/audit", get(requests::audit_page))
        .route("/staff/translations", get(translations::summary))
        .route("/staff/translations/publish", post(translations::publish))
        .route("/staff/translations/revert", post(translations::revert))
        .route("/staff/translations/{locale}", get(translations::list))
        .route(
            "/staff/translations/{locale}/edit",
            get(translations::edit).post(translations::save),
        )
        .route(
            "/staff/translations/{locale}/export",
            get(translations::export),
        )
        .route("/staff/preview/{*path}", get(preview::page))
        .route("/staff/facts", get(facts::list))
        .route(
            "/staff/facts/{entity}/{*id}",
            get(facts::form).post(facts::submit),
        )
}

/// The upload of a translation file: bigger than the app's usual request limit allows, so
/// the server adds it outside that limit with its own.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route(
        "/staff/translations/{locale}/import",
        post(translations::import).layer(axum::extract::DefaultBodyLimit::max(
            translations::IMPORT_MAX_BYTES,
        )),
    )
}
