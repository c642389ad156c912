//! Safe Migration Passport: an offline-first web app that helps people migrate for work safely.
//!
//! The server renders every page; only the islands in [`islands`] are compiled to WASM.

pub mod content;
pub mod help;
pub mod islands;

#[cfg(feature = "ssr")]
pub mod alerts;
#[cfg(feature = "ssr")]
pub mod app;
#[cfg(feature = "ssr")]
pub mod audio;
#[cfg(feature = "ssr")]
pub mod bounded;
#[cfg(feature = "ssr")]
pub mod certs;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod dns;
#[cfg(feature = "ssr")]
pub mod editor;
#[cfg(feature = "ssr")]
pub mod error;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod offline;
#[cfg(feature = "ssr")]
pub mod ops;
#[cfg(feature = "ssr")]
pub mod seal;
#[cfg(feature = "ssr")]
pub mod serve;
#[cfg(feature = "ssr")]
pub mod site;
#[cfg(feature = "ssr")]
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod web;

/// Entry point Leptos's island loader calls once the WASM is loaded. The loader wakes each
/// island on the page right after this returns, before the page handles any other event;
/// `data-islands="ready"` on `<html>` tells the stylesheet (and the tests) so.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("data-islands", "ready");
    }
}
