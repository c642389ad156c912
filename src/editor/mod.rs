//! The editors' workspace, under `/staff` beside the staff side: every UI string and content
//! text in four languages with its status, the facts behind the texts, a preview of the
//! public site with the saved changes, "Publish", and `.ftl` files to and from translators.
//! It uses the staff side's sign-in, frame and route table; the staff side uses nothing here.

pub mod aids;
pub mod approval;
pub mod consistency;
pub mod exchange;
pub mod facts;
pub mod files;
pub mod glossary;
pub mod preview;
pub mod publish;
pub mod recordings;
pub mod review;
pub mod terms;
pub mod texts;
pub mod translations;
pub mod views;

use crate::staff::access::{self, Access, Route, endpoint};
use crate::state::AppState;
use axum::Router;

/// Every route of the workspace: editors and admins only. The router is built from this
/// table, and the tests walk it.
#[rustfmt::skip]
pub static ROUTES: [Route; 21] = [
    Route::get(   "/staff/translations",                 Access::Content, endpoint!(translations::summary)),
    Route::post(  "/staff/translations/publish",         Access::Content, endpoint!(publish::submit)),
    Route::post(  "/staff/translations/approve",         Access::Content, endpoint!(publish::approve)),
    Route::post(  "/staff/translations/revert",          Access::Content, endpoint!(translations::revert)),
    Route::get(   "/staff/translations/{locale}",        Access::Content, endpoint!(translations::list)),
    Route::get(   "/staff/translations/{locale}/edit",   Access::Content, endpoint!(translations::edit)),
    Route::post(  "/staff/translations/{locale}/edit",   Access::Content, endpoint!(translations::save)),
    Route::get(   "/staff/translations/{locale}/export", Access::Content, endpoint!(files::download)),
    Route::get(   "/staff/translations/{locale}/consistency", Access::Content, endpoint!(review::consistency_page)),
    Route::get(   "/staff/translations/{locale}/sheet",  Access::Content, endpoint!(review::sheet_page)),
    Route::get(   "/staff/glossary/{locale}",            Access::Content, endpoint!(terms::list)),
    Route::post(  "/staff/glossary/{locale}",            Access::Content, endpoint!(terms::save)),
    Route::upload("/staff/translations/{locale}/import", Access::Content, files::UPLOAD_MAX_BYTES, endpoint!(files::upload)),
    Route::get(   "/staff/preview/{*path}",              Access::Content, endpoint!(preview::page)),
    Route::get(   "/staff/recordings/{locale}",          Access::Content, endpoint!(recordings::list)),
    Route::get(   "/staff/recordings/{locale}/text",     Access::Content, endpoint!(recordings::text)),
    Route::upload("/staff/recordings/{locale}/text",     Access::Content, recordings::UPLOAD_MAX_BYTES, endpoint!(recordings::submit)),
    Route::get(   "/staff/audio/{sha256}",               Access::Content, endpoint!(crate::audio::serve::staff)),
    Route::get(   "/staff/facts",                        Access::Content, endpoint!(facts::list)),
    Route::get(   "/staff/facts/{entity}/{*id}",         Access::Content, endpoint!(facts::form)),
    Route::post(  "/staff/facts/{entity}/{*id}",         Access::Content, endpoint!(facts::submit)),
];

pub fn routes() -> Router<AppState> {
    access::router(&ROUTES)
}

/// The upload of a translation file: bigger than the app's usual request limit allows, so
/// the server adds it outside that limit with its own.
pub fn upload_routes() -> Router<AppState> {
    access::uploads(&ROUTES)
}
