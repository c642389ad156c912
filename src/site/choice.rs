//! `/` as a page of big language buttons, each in its own language and script: for a
//! visitor whose language the app does not know yet, and always in event mode
//! (`passport serve --event`, for a shared tablet or kiosk at a community event), where every
//! page goes back to it after some minutes idle (`event.js`). In event mode the help form
//! keeps no reference and clears itself once a request is on its way.

use super::Site;
use super::shell::{Head, Shell};
use crate::content::linked;
use crate::i18n::Locale;
use axum::http::HeaderValue;
use axum::http::header;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::sync::Arc;

/// The default idle time before a page goes back to the start page.
pub const IDLE_DEFAULT_SECS: u32 = 180;

/// `/` when the app asks for a language: the app's name and one big button per language,
/// each in its own words. The page the person opens sets the `lang` cookie, so they are not
/// asked again.
#[component]
pub fn LanguageChoicePage() -> impl IntoView {
    let site = expect_context::<Arc<Site>>();
    expect_context::<ResponseOptions>()
        .insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let css = site.assets.built.css.clone();
    // For its one rule: going on to a language replaces this page in the history.
    let script = view! { <script type="module" src=site.assets.built.offline.clone()></script> };
    let icon = site.assets.built.icon.clone();
    let english = site.tr(Locale::En);
    let buttons = Locale::ALL
        .into_iter()
        .map(|locale| {
            let tr = site.tr(locale);
            view! {
                <li>
                    <a class="button event-language" href=format!("/{locale}/") lang=locale.code() hreflang=locale.code()>
                        <span class="event-language-name">{tr.t("language-name")}</span>
                        <span class="event-app-name">{tr.t("app-name")}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    // In event mode, the outreach workers' page, in each language.
    let frontline = site.event_idle.is_some().then(|| {
        let links = Locale::ALL
            .into_iter()
            .map(|locale| {
                view! {
                    <li>
                        <a href=format!("/{locale}/guides/{}", linked::FRONTLINE) lang=locale.code() hreflang=locale.code()>
                            {site.tr(locale).t("guide-frontline-link")}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="event-frontline">{links}</ul> }
    });
    let head = Head {
        lang: "en",
        title: english.t("app-name"),
        description: None,
        icon: Some(icon),
        css,
        islands: None,
        body_class: Some("event-start"),
        event_idle: None,
    };
    view! {
        <Shell head=head extra_head=script.into_any()>
            <main id="main">
                <ul class="event-languages">{buttons}</ul>
                {frontline}
            </main>
        </Shell>
    }
}
