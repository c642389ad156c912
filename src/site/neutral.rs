//! `/{lang}/weather`: the neutral page quick exit goes to when the phone has no network. It
//! looks like a plain weather page that could not load, names nothing of the app, and runs no
//! script; the service worker keeps it with the other pages.

use super::{Lang, html};
use crate::site::Site;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use std::sync::Arc;

pub async fn page(
    State(site): State<Arc<Site>>,
    Lang(locale): Lang,
    headers: HeaderMap,
) -> Response {
    let tr = site.tr(locale);
    let css = site.assets.built.css.clone();
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new_islands())));
    let body = owner.with(|| {
        view! {
            <!DOCTYPE html>
            <html lang=locale.code() dir="ltr">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <meta name="referrer" content="no-referrer"/>
                    <title>{tr.t("neutral-title")}</title>
                    // No icon, and no request for one either.
                    <link rel="icon" href="data:,"/>
                    <link rel="stylesheet" href=css/>
                </head>
                <body class="neutral">
                    <main>
                        <h1>{tr.t("neutral-title")}</h1>
                        <p>{tr.t("neutral-text")}</p>
                    </main>
                </body>
            </html>
        }
        .to_html()
    });
    html(&headers, StatusCode::OK, locale, body)
}
