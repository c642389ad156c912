//! The home page: what the app is for, and the way into each section.

use super::{Card, Cards, Lang, PageMeta, Section, html, render};
use crate::i18n::Tr;
use crate::site::Site;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

pub async fn page(
    State(site): State<Arc<Site>>,
    Lang(locale): Lang,
    headers: HeaderMap,
) -> Response {
    let tr = site.tr(locale);
    let meta = PageMeta {
        title: tr.t("app-name"),
        description: tr.t("home-intro"),
        section: Section::Home,
        here: "/".to_owned(),
    };
    let body = || view! { <Home tr=tr/> };
    html(
        &headers,
        StatusCode::OK,
        locale,
        render(&site, locale, meta, body),
    )
}

#[component]
fn Home(tr: Tr) -> impl IntoView {
    let cards = [
        (
            Section::Checklists,
            "home-checklists-title",
            "home-checklists-text",
        ),
        (Section::Guides, "home-guides-title", "home-guides-text"),
        (
            Section::Contacts,
            "home-contacts-title",
            "home-contacts-text",
        ),
        (Section::Help, "home-help-title", "home-help-text"),
    ]
    .into_iter()
    .map(|(section, title, text)| Card {
        href: format!("/{}{}", tr.locale, section.path()),
        title: tr.t(title),
        text: tr.t(text),
    })
    .collect();
    view! {
        <h1>{tr.t("home-title")}</h1>
        <p class="lead">{tr.t("home-intro")}</p>
        <Cards cards=cards/>
        <section class="notice" aria-labelledby="safety-title">
            <h2 id="safety-title">{tr.t("home-safety-title")}</h2>
            <p>{tr.t("home-safety-text")}</p>
        </section>
    }
}
