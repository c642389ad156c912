//! `/{lang}/guides` and `/{lang}/guides/{slug}`: the legal ways to go, step by step, and the
//! pages about trouble and help: held in a scam compound, worried families, outreach workers.

use super::{Citations, listen, tel_href, title_heading};
use crate::content::store::{self, Country, Guide, GuideKind, GuideSummary};
use crate::i18n::Tr;
use crate::site::{Card, Cards, Page, PageMeta, PageRequest, Section, document, public_page};
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
        let fits = |g: &GuideSummary| g.for_country.is_none() || g.for_country.as_deref() == home;
        guides.sort_by_key(|g| !fits(g));
        let (pathways, safety): (Vec<_>, Vec<_>) = guides
            .into_iter()
            .partition(|g| g.kind == GuideKind::Pathway);
        let card = |g: GuideSummary| Card {
            href: format!("/{locale}/guides/{}", g.slug),
            note: (!fits(&g)).then(|| for_whom(&tr, g.for_country.as_deref())),
            title: g.title,
            text: g.summary,
        };
        let pathways: Vec<Card> = pathways.into_iter().map(card).collect();
        let safety: Vec<Card> = safety.into_iter().map(card).collect();
        let meta = PageMeta::from_messages(
            &tr,
            Section::Guides.message(),
            "guides-intro",
            Section::Guides,
            Section::Guides.path(),
        );
        let body = view! {
            <h1>{tr.t(Section::Guides.message())}</h1>
            <p class="lead">{tr.t("guides-intro")}</p>
            <Cards cards=pathways/>
            <section aria-labelledby="guides-safety">
                <h2 id="guides-safety">{tr.t("guides-safety-title")}</h2>
                <Cards cards=safety/>
            </section>
        };
        Ok(Page::Found(document(&site, locale, meta, body).into_any()))
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
        let Some((guide, countries)) = request
            .db
            .read(move |c| {
                let Some(guide) = store::guide(c, locale, &slug)? else {
                    return Ok(None);
                };
                // A safety guide's reader may be abroad already: it ends with the numbers
                // that work from another country.
                let countries = match guide.kind {
                    GuideKind::Safety => store::countries(c, locale)?,
                    GuideKind::Pathway => Vec::new(),
                };
                Ok(Some((guide, countries)))
            })
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
        let body = view! { <GuideView tr=tr guide=guide countries=countries/> };
        Ok(Page::Found(document(&site, locale, meta, body).into_any()))
    })
}

/// A section's heading: a safety guide's own, or the UI string for a pathway guide's.
pub fn section_title(tr: &Tr, section: &store::GuideSection) -> String {
    section
        .title
        .clone()
        .unwrap_or_else(|| tr.t(&format!("guide-section-{}", section.kind)))
}

/// Each country's numbers that can be called from another country; countries without one
/// are left out.
fn abroad_numbers(countries: &[Country]) -> Vec<(&Country, Vec<&store::Contact>)> {
    countries
        .iter()
        .map(|c| {
            let callable = c
                .contacts
                .iter()
                .filter(|k| k.from_abroad().is_some())
                .collect::<Vec<_>>();
            (c, callable)
        })
        .filter(|(_, callable)| !callable.is_empty())
        .collect()
}

#[component]
fn GuideView(tr: Tr, guide: Guide, countries: Vec<Country>) -> impl IntoView {
    let abroad = abroad_numbers(&countries);
    let citations = Citations::new(
        std::iter::once(&guide.source)
            .chain(
                guide
                    .sections
                    .iter()
                    .flat_map(|s| s.points.iter().map(|p| &p.source)),
            )
            .chain(
                abroad
                    .iter()
                    .flat_map(|(_, contacts)| contacts.iter().map(|k| &k.source)),
            ),
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
                    view! {
                        <li>{text} {citations.mark(&tr, &point.source)} {listen(&tr, point.clip.as_deref())}</li>
                    }
                })
                .collect_view();
            let id = format!("section-{}", section.kind);
            view! {
                <section class=format!("guide-section guide-{}", section.kind) aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{section_title(&tr, section)}</h2>
                    <ul>{points}</ul>
                </section>
            }
        })
        .collect_view();
    let abroad = (!abroad.is_empty()).then(|| {
        let groups = abroad
            .iter()
            .map(|(country, contacts)| {
                let numbers = contacts
                    .iter()
                    .map(|k| {
                        let number = k.from_abroad().unwrap_or(&k.phone);
                        view! {
                            <li>
                                <a class="tel" href=tel_href(number)>{number.to_owned()}</a>
                                " " {k.name.clone()} ", " {k.hours.clone()}
                                {citations.mark(&tr, &k.source)}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <h3>{country.name.clone()}</h3>
                    <ul class="hotlines">{numbers}</ul>
                }
            })
            .collect_view();
        view! {
            <section class="guide-section guide-abroad" aria-labelledby="section-abroad">
                <h2 id="section-abroad">{tr.t("guide-abroad-numbers")}</h2>
                {groups}
            </section>
        }
    });
    view! {
        {title_heading(&tr, guide.title.clone(), guide.title_clip.as_deref())}
        <p class="lead">
            {guide.summary.clone()} {citations.mark(&tr, &guide.source)}
            {listen(&tr, guide.summary_clip.as_deref())}
        </p>
        {sections}
        {abroad}
        {citations.footer(&tr)}
    }
}
