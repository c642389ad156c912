//! The staff side, under `/staff`: accounts and roles, sign-in and sessions, the caseworker
//! dashboard, its audit log, the export, and the retention purge. Every page here needs a
//! signed-in account with the right role, sends `Cache-Control: no-store`, and carries no
//! script. The editors' workspace (`crate::editor`) lives under `/staff` too, in its own
//! module, and uses this side's frame, sessions and route table.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod drafts;
pub mod export;
pub mod grants;
pub mod guard;
pub mod layout;
pub mod login;
pub mod password;
pub mod requests;
pub mod retention;
pub mod session;
pub mod transport;

pub use access::{Access, Route};
pub use accounts::Role;

use crate::state::AppState;
use access::endpoint;
use axum::Router;
use requests::pages;

/// Every route of the staff side. The router is built from this table, and the tests walk it.
#[rustfmt::skip]
pub static ROUTES: [Route; 18] = [
    Route::get( "/staff",                      Access::Signed,   endpoint!(login::home)),
    Route::get( "/staff/",                     Access::Signed,   endpoint!(login::home)),
    Route::get( "/staff/login",                Access::Anyone,   endpoint!(login::form)),
    Route::post("/staff/login",                Access::Anyone,   endpoint!(login::submit)),
    Route::post("/staff/logout",               Access::Signed,   endpoint!(login::sign_out)),
    Route::post("/staff/language",             Access::Signed,   endpoint!(login::language)),
    Route::get( "/staff/account",              Access::Signed,   endpoint!(password::page)),
    Route::post("/staff/account/password",     Access::Signed,   endpoint!(password::change)),
    Route::get( "/staff/requests",             Access::Requests, endpoint!(pages::list)),
    Route::get( "/staff/requests/{reference}", Access::Requests, endpoint!(pages::request)),
    Route::post("/staff/requests/{reference}", Access::Requests, endpoint!(pages::change)),
    Route::get( "/staff/export",               Access::Requests, endpoint!(export::form)),
    Route::post("/staff/export",               Access::Requests, endpoint!(export::download)),
    Route::get( "/staff/audit",                Access::Admin,    endpoint!(pages::audit)),
    Route::get( "/staff/access",               Access::Admin,    endpoint!(grants::page)),
    Route::post("/staff/access",               Access::Admin,    endpoint!(grants::change)),
    Route::get( "/staff/alerts",               Access::Admin,    endpoint!(crate::alerts::page::page)),
    Route::post("/staff/alerts",               Access::Admin,    endpoint!(crate::alerts::page::change)),
];

pub fn routes() -> Router<AppState> {
    access::router(&ROUTES)
}

/// The staff routes that take uploads bigger than the app's usual request limit allows: the
/// server adds them outside that limit.
pub fn upload_routes() -> Router<AppState> {
    access::uploads(&ROUTES)
}
