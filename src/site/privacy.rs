//! `/{lang}/privacy`: the privacy notice in plain words, and "clear this phone".
//!
//! Clearing works with JavaScript (`privacy.js` removes the worker, caches, the outbox,
//! storage and the cookie, warning first about a help request not sent yet) and without it:
//! the form posts to `/{lang}/clear`, whose answer asks the browser to clear the site's data
//! with `Clear-Site-Data` and leaves for the neutral site.

use super::{Lang, Page, PageMeta, PageRequest, Section, document, public_page};
use crate::i18n::Locale;
use crate::i18n::Tr;
use crate::site::Site;
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::*;
use std::sync::Arc;

/// `/{lang}/privacy`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    public_page(|request: PageRequest| async move { Ok(privacy(&request.site, request.locale)) })
}

fn privacy(site: &Site, locale: Locale) -> Page {
    let tr = site.tr(locale);
    let meta = PageMeta::from_messages(
        &tr,
        "privacy-title",
        "privacy-intro",
        Section::Other,
        "/privacy",
    );
    let script = site.assets.built.privacy.clone();
    let exit = site.exit_url.clone();
    let kept = site.retention;
    let body =
        view! { <Notice tr=tr exit=exit kept=kept/> <script type="module" src=script></script> };
    Page::Found(document(site, locale, meta, body).into_any())
}

/// Clears what the browser keeps for this site, where it honours `Clear-Site-Data` (over
/// HTTPS and on localhost), and leaves for the neutral site. Only a form of this site may
/// ask (`origin::forms` stands in front): another site must not be able to destroy a help
/// request waiting on the phone.
/// The script, which leaves by itself, asks with `leave=no` and gets a 204.
pub async fn clear(State(site): State<Arc<Site>>, _language: Lang, body: Bytes) -> Response {
    let stay = form_urlencoded::parse(&body).any(|(key, value)| key == "leave" && value == "no");
    let mut response = if stay {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Redirect::to(&site.exit_url).into_response()
    };
    let answer = response.headers_mut();
    answer.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    answer.insert(
        header::SET_COOKIE,
        HeaderValue::from_static("lang=; Path=/; Max-Age=0; SameSite=Lax"),
    );
    answer.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[component]
fn Notice(tr: Tr, exit: String, kept: crate::staff::retention::Periods) -> impl IntoView {
    let locale = tr.locale;
    let part = |title: &'static str, text: String| {
        view! {
            <h2>{tr.t(title)}</h2>
            <p>{text}</p>
        }
    };
    view! {
        <h1>{tr.t("privacy-title")}</h1>
        <p class="lead">{tr.t("privacy-intro")}</p>
        {part("privacy-phone-title", tr.t("privacy-phone"))}
        {part("privacy-request-title", tr.t("privacy-request"))}
        {part("privacy-who-title", tr.t("privacy-who"))}
        <h2>{tr.t("privacy-sealed-title")}</h2>
        <p id="privacy-sealed">{tr.t("privacy-sealed")}</p>
        <p>{tr.t("privacy-sealed-lost")}</p>
        {part("privacy-kept-title", tr.t_with(
            "privacy-kept",
            [("days", kept.closed.into()), ("open", kept.open.into())],
        ))}
        {part("privacy-delete-title", tr.t("privacy-delete"))}
        {part("privacy-exit-title", tr.t("privacy-exit"))}
        <p>{tr.t("privacy-no-tracking")}</p>
        <section class="notice clear-phone" aria-labelledby="clear-title">
            <h2 id="clear-title">{tr.t("clear-title")}</h2>
            <p>{tr.t("clear-text")}</p>
            <form method="post" action=format!("/{locale}/clear") data-clear="" data-exit=exit>
                <input type="hidden" name="confirm" value="yes"/>
                <button type="submit" class="button">{tr.t("clear-button")}</button>
            </form>
            <div class="field-error" data-clear-warning="" role="alert" hidden=true>
                <p>{tr.t("clear-unsent")}</p>
                <button type="button" class="button" data-clear-anyway="">{tr.t("clear-anyway")}</button>
                <button type="button" class="button" data-clear-keep="">{tr.t("clear-keep")}</button>
            </div>
        </section>
    }
}
