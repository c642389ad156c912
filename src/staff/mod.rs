//! The staff side, under `/staff`: accounts and roles, sessions, the caseworker dashboard,
//! its audit log, and the retention purge. Every page here needs a signed-in account with
//! the right role, sends `Cache-Control: no-store`, and carries no script.

pub mod accounts;
pub mod audit;
pub mod export;
pub mod layout;
pub mod login;
pub mod requests;
pub mod retention;
pub mod session;

pub use accounts::Role;

use crate::server::AppState;
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
    /// Admins only.
    Admin,
}

/// Every staff route: method, path (with `{reference}` for a request) and who may use it.
/// The router below is built from the same paths, and the tests walk this list.
pub const ROUTES: [(&str, &str, Access); 13] = [
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
}
