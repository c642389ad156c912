//! `/{lang}/weather`: the neutral page quick exit goes to when the phone has no network. It
//! looks like a plain weather page that could not load, names nothing of the app, and runs no
//! script; the service worker keeps it with the other pages.

use super::shell::{Head, Shell};
use super::{Page, PageRequest, public_page};
use crate::i18n::Locale;
use crate::site::Site;
use leptos::prelude::*;

/// `/{lang}/weather`: the page quick exit shows when there is no network, which names no app.
#[component]
pub fn NeutralPage() -> impl IntoView {
    public_page(|request: PageRequest| async move { Ok(neutral(&request.site, request.locale)) })
}

fn neutral(site: &Site, locale: Locale) -> Page {
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
    let view = view! {
        <Shell head=head extra_head=().into_any()>
            <main>
                <h1>{tr.t("neutral-title")}</h1>
                <p>{tr.t("neutral-text")}</p>
            </main>
        </Shell>
    };
    Page::Found(view.into_any())
}
