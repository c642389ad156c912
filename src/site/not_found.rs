//! The page for any address the app does not have, in the visitor's language.

use super::{PageMeta, Section, Site, html, render};
use crate::i18n::Locale;
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use leptos::prelude::*;

pub fn response(site: &Site, locale: Locale) -> Response {
    let tr = site.tr(locale);
    let meta = PageMeta {
        title: tr.t("not-found-title"),
        description: tr.t("not-found-text"),
        section: Section::Other,
        here: "/".to_owned(),
    };
    let body = || {
        view! {
            <h1>{tr.t("not-found-title")}</h1>
            <p>{tr.t("not-found-text")}</p>
            <p><a href=format!("/{locale}/")>{tr.t("back-home")}</a></p>
        }
    };
    let mut response = html(
        &HeaderMap::new(),
        StatusCode::NOT_FOUND,
        locale,
        render(site, locale, meta, body),
    );
    // An address without a language is answered in the visitor's: caches must tell them apart.
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie, Accept-Language"),
    );
    response
}
