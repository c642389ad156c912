//! `/{lang}/weather`: the neutral page quick exit goes to when the phone has no network. It
//! looks like a plain weather page that could not load, names nothing of the app, and runs no
//! script; the service worker keeps it with the other pages.

use super::shell::{Head, Shell};
use super::{Lang, html};
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
    let head = Head {
        lang: locale.code(),
        title: tr.t("neutral-title"),
        description: None,
        // No icon, and no request for one either.
        icon: None,
        css: site.assets.built.css.clone(),
        islands: None,
        body_class: Some("neutral"),
        event_idle: None,
    };
    let body = super::render_view(|| {
        view! {
            <Shell head=head extra_head=().into_any()>
                <main>
                    <h1>{tr.t("neutral-title")}</h1>
                    <p>{tr.t("neutral-text")}</p>
                </main>
            </Shell>
        }
    });
    html(&headers, StatusCode::OK, locale, body)
}
