//! The home page: what the app is for, and the way into each section.

use super::{Card, Cards, Page, PageMeta, PageRequest, Section, document, public_page};
use crate::content::linked;
use crate::content::store::{self, GuideSummary};
use crate::i18n::Tr;
use leptos::prelude::*;

/// `/{lang}/`.
#[component]
pub fn HomePage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale) = (request.site, request.locale);
        // The pages for someone already in trouble, and for their family, by their titles.
        let troubles = request
            .db
            .read(move |c| {
                let guides = store::guides(c, locale)?;
                Ok([linked::HELD, linked::FAMILIES]
                    .into_iter()
                    .filter_map(|slug| guides.iter().find(|g| g.slug == slug).cloned())
                    .collect::<Vec<_>>())
            })
            .await?;
        let tr = site.tr(locale);
        let meta = PageMeta::from_messages(&tr, "app-name", "home-intro", Section::Home, "/");
        let view = document(
            &site,
            locale,
            meta,
            view! { <Home tr=tr troubles=troubles/> },
        );
        Ok(Page::Found(view.into_any()))
    })
}

#[component]
fn Home(tr: Tr, troubles: Vec<GuideSummary>) -> impl IntoView {
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
        note: None,
    })
    .chain(troubles.into_iter().map(|g| Card {
        href: format!("/{}/guides/{}", tr.locale, g.slug),
        title: g.title,
        text: g.summary,
        note: None,
    }))
    .collect();
    view! {
        <h1>{tr.t("home-title")}</h1>
        <p class="lead">{tr.t("home-intro")}</p>
        <Cards cards=cards/>
        <section class="notice" aria-labelledby="safety-title">
            <h2 id="safety-title">{tr.t("home-safety-title")}</h2>
            <p>{tr.t("home-safety-text")}</p>
            <p class="keyboard-only">{tr.t("home-safety-keys")}</p>
        </section>
    }
}
