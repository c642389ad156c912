//! `/{lang}/guides` and `/{lang}/guides/{slug}`: the legal ways to go, step by step.

use super::{Citations, index_page};
use crate::content::store::{self, Guide};
use crate::i18n::Tr;
use crate::site::{Card, Page, PageMeta, PageRequest, Section, document, public_page};
use leptos::prelude::*;

/// `/{lang}/guides`.
#[component]
pub fn GuidesPage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale) = (request.site, request.locale);
        let mut guides = request.db.read(move |c| store::guides(c, locale)).await?;
        let tr = site.tr(locale);
        // A guide for the workers of one country only comes after the ones that fit the
        // reader, and says whom it is for; for readers from that country it is like any other.
        let home = store::home_country(locale);
        let fits =
            |g: &store::GuideSummary| g.for_country.is_none() || g.for_country.as_deref() == home;
        guides.sort_by_key(|g| !fits(g));
        let cards = guides
            .into_iter()
            .map(|g| Card {
                href: format!("/{locale}/guides/{}", g.slug),
                note: (!fits(&g)).then(|| for_whom(&tr, g.for_country.as_deref())),
                title: g.title,
                text: g.summary,
            })
            .collect();
        Ok(index_page(
            &site,
            locale,
            Section::Guides,
            "guides-intro",
            cards,
        ))
    })
}

/// "For workers from Vietnam", for a guide whose `for_country` is Vietnam.
fn for_whom(tr: &Tr, for_country: Option<&str>) -> String {
    let country = tr.t(&format!("country-{}", for_country.unwrap_or("other")));
    tr.t_with("guide-for-workers-from", [("country", country.into())])
}

/// `/{lang}/guides/{slug}`.
#[component]
pub fn GuidePage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale, slug) = (request.site.clone(), request.locale, request.param("slug"));
        let Some(guide) = request
            .db
            .read(move |c| store::guide(c, locale, &slug))
            .await?
        else {
            return Ok(Page::NotFound);
        };
        let tr = site.tr(locale);
        let meta = PageMeta {
            title: guide.title.clone(),
            description: guide.summary.clone(),
            section: Section::Guides,
            here: format!("/guides/{}", guide.slug),
        };
        let body = view! { <Guide tr=tr guide=guide/> };
        Ok(Page::Found(document(&site, locale, meta, body).into_any()))
    })
}

#[component]
fn Guide(tr: Tr, guide: Guide) -> impl IntoView {
    let citations = Citations::new(
        guide
            .sections
            .iter()
            .flat_map(|s| s.points.iter().map(|p| &p.source)),
    );
    let sections = guide
        .sections
        .iter()
        .map(|section| {
            let points = section
                .points
                .iter()
                .map(|point| {
                    let text = match &point.url {
                        Some(url) => view! {
                            <a href=url.clone() rel="noreferrer noopener" target="_blank">{point.text.clone()}</a>
                        }
                        .into_any(),
                        None => point.text.clone().into_any(),
                    };
                    view! { <li>{text} {citations.mark(&tr, &point.source)}</li> }
                })
                .collect_view();
            let id = format!("section-{}", section.kind);
            view! {
                <section class=format!("guide-section guide-{}", section.kind) aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{tr.t(&format!("guide-section-{}", section.kind))}</h2>
                    <ul>{points}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{guide.title.clone()}</h1>
        <p class="lead">{guide.summary.clone()}</p>
        {sections}
        {citations.footer(&tr)}
    }
}
