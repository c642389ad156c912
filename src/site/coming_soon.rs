//! The help page until the help-request form exists: it says so, and points to the hotlines.

use super::{Lang, PageMeta, Section, html, render};
use crate::server::AppState;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use leptos::prelude::*;

pub async fn help(State(app): State<AppState>, Lang(locale): Lang, headers: HeaderMap) -> Response {
    let tr = app.site.tr(locale);
    let title = tr.t(Section::Help.message());
    let meta = PageMeta {
        title: title.clone(),
        description: tr.t("coming-soon-text"),
        section: Section::Help,
        here: Section::Help.path().to_owned(),
    };
    let page = render(&app.site, locale, meta, || {
        view! {
            <h1>{title}</h1>
            <p>{tr.t("coming-soon-text")}</p>
            <p>
                <a href=format!("/{locale}{}", Section::Contacts.path())>{tr.t("nav-contacts")}</a>
            </p>
        }
    });
    html(&headers, StatusCode::OK, locale, page)
}
