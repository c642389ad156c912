//! `/{lang}/booklet`: the safety booklet. One language's checklists, the key facts of each
//! legal pathway and every hotline, laid out for A6 paper (or A4 four to a sheet), with a QR
//! code back to the app. Outreach workers print it for people without a smartphone.
//!
//! On paper the checklists become boxes to tick with a pen, each guide keeps its costs and
//! warnings, and every fact keeps its source and the date it was checked, as on screen.

use super::{Citations, guides::section_title, tel_href};
use crate::content::{
    advice::{ChecklistKind, Verdict},
    store::{self, Checklist, Country, Guide, GuideKind, GuideSection},
};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::i18n::Tr;
use crate::site::{
    Page, PageMeta, PageRequest, Section, Site, document, public_page,
    share::{phone_base, qr_svg},
};
use leptos::prelude::*;

/// The pathway guide sections a booklet keeps: what going costs and what to watch out for.
/// A safety guide keeps all of its sections.
const GUIDE_SECTIONS: [&str; 2] = ["costs", "warnings"];

fn kept(guide: &Guide, section: &GuideSection) -> bool {
    guide.kind == GuideKind::Safety || GUIDE_SECTIONS.contains(&section.kind.as_str())
}

/// `/{lang}/booklet`.
#[component]
pub fn BookletPage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale) = (request.site.clone(), request.locale);
        booklet(&request, &site, locale).await
    })
}

async fn booklet(request: &PageRequest, site: &Site, locale: Locale) -> Result<Page, AppError> {
    let (checklists, guides, countries) = request
        .db
        .read(move |c| {
            let mut checklists = Vec::new();
            for summary in store::checklists(c, locale)? {
                checklists.extend(store::checklist(c, locale, &summary.slug)?);
            }
            let mut guides = Vec::new();
            for summary in store::guides(c, locale)? {
                guides.extend(store::guide(c, locale, &summary.slug)?);
            }
            Ok((checklists, guides, store::countries(c, locale)?))
        })
        .await?;
    let tr = site.tr(locale);
    let address = format!(
        "{}/{locale}/",
        phone_base(site, &request.parts.uri, &request.parts.headers)
    );
    let script = site.assets.built.share.clone();
    let meta = PageMeta::from_messages(
        &tr,
        "booklet-title",
        "booklet-intro",
        Section::Other,
        "/booklet",
    );
    let body = view! {
        <Booklet tr=tr address=address checklists=checklists guides=guides countries=countries/>
        <script type="module" src=script></script>
    };
    Ok(Page::Found(document(site, locale, meta, body).into_any()))
}

#[component]
fn Booklet(
    tr: Tr,
    address: String,
    checklists: Vec<Checklist>,
    guides: Vec<Guide>,
    countries: Vec<Country>,
) -> impl IntoView {
    let citations = Citations::new(
        checklists
            .iter()
            .flat_map(|c| c.items.iter().map(|i| &i.source))
            .chain(guides.iter().flat_map(|g| {
                std::iter::once(&g.source).chain(
                    g.sections
                        .iter()
                        .filter(|s| kept(g, s))
                        .flat_map(|s| s.points.iter().map(|p| &p.source)),
                )
            }))
            .chain(
                countries
                    .iter()
                    .flat_map(|c| c.contacts.iter().map(|k| &k.source)),
            ),
    );
    let code = qr_svg(&address);
    let (pathways, safety): (Vec<&Guide>, Vec<&Guide>) =
        guides.iter().partition(|g| g.kind == GuideKind::Pathway);
    view! {
        <div class="booklet-screen">
            <p>{tr.t("booklet-print-hint")}</p>
            <p>
                <button type="button" class="button" data-print="" hidden=true>{tr.t("booklet-print")}</button>
            </p>
        </div>
        <article class="booklet">
            <section class="booklet-cover" aria-labelledby="booklet-title">
                <h1 id="booklet-title">{tr.t("app-name")}</h1>
                <p class="lead">{tr.t("booklet-intro")}</p>
                <figure class="qr">
                    <div class="qr-code" inner_html=code></div>
                    <figcaption>{address.clone()}</figcaption>
                </figure>
                <p>{tr.t("booklet-scan")}</p>
                <p class="booklet-safety">{tr.t("booklet-safety")}</p>
            </section>
            <section class="booklet-part" aria-labelledby="booklet-checklists">
                <h2 id="booklet-checklists">{tr.t("nav-checklists")}</h2>
                {checklists.iter().map(|c| checklist(&tr, &citations, c)).collect_view()}
            </section>
            <section class="booklet-part" aria-labelledby="booklet-guides">
                <h2 id="booklet-guides">{tr.t("nav-guides")}</h2>
                {pathways.iter().map(|g| guide(&tr, &citations, g)).collect_view()}
            </section>
            <section class="booklet-part" aria-labelledby="booklet-safety">
                <h2 id="booklet-safety">{tr.t("guides-safety-title")}</h2>
                {safety.iter().map(|g| guide(&tr, &citations, g)).collect_view()}
            </section>
            <section class="booklet-part" aria-labelledby="booklet-contacts">
                <h2 id="booklet-contacts">{tr.t("nav-contacts")}</h2>
                {countries.iter().map(|c| country(&tr, &citations, c)).collect_view()}
            </section>
            <div class="booklet-part">{citations.footer(&tr)}</div>
        </article>
    }
}

/// A checklist as boxes to tick with a pen, then what to do about the result that calls for
/// action: any warning sign ticked, or anything left unticked before leaving.
fn checklist(tr: &Tr, citations: &Citations, checklist: &Checklist) -> impl IntoView + use<> {
    let (when, verdict) = match checklist.kind {
        ChecklistKind::WarningSigns => ("booklet-if-ticked", Verdict::Danger),
        ChecklistKind::Preparation => ("booklet-if-unticked", Verdict::NotReady),
    };
    let advice = checklist
        .advice
        .iter()
        .find(|a| a.verdict == verdict)
        .map(|a| {
            view! {
                <p class="booklet-item booklet-advice">
                    <strong>{tr.t(when)}</strong> " " {a.action.clone()}
                </p>
            }
        });
    let items = checklist
        .items
        .iter()
        .map(|item| {
            view! {
                <li class="booklet-item">
                    <span class="box" aria-hidden="true"></span>
                    {item.text.clone()} {citations.mark(tr, &item.source)}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="booklet-block">
            <h3>{checklist.title.clone()}</h3>
            <p class="booklet-item">{checklist.intro.clone()}</p>
            <ul class="booklet-checks">{items}</ul>
            {advice}
        </section>
    }
}

/// A guide's summary with what the booklet keeps of it.
fn guide(tr: &Tr, citations: &Citations, guide: &Guide) -> impl IntoView + use<> {
    let sections = guide
        .sections
        .iter()
        .filter(|s| kept(guide, s))
        .map(|section| {
            let points = section
                .points
                .iter()
                .map(|point| {
                    view! {
                        <li class="booklet-item">{point.text.clone()} {citations.mark(tr, &point.source)}</li>
                    }
                })
                .collect_view();
            view! {
                <h4>{section_title(tr, section)}</h4>
                <ul>{points}</ul>
            }
        })
        .collect_view();
    view! {
        <section class="booklet-block">
            <h3>{guide.title.clone()}</h3>
            <p class="booklet-item">{guide.summary.clone()} {citations.mark(tr, &guide.source)}</p>
            {sections}
        </section>
    }
}

/// A country's hotlines: whom to call, the number, from abroad too, and when they answer.
fn country(tr: &Tr, citations: &Citations, country: &Country) -> impl IntoView + use<> {
    let contacts = country
        .contacts
        .iter()
        .map(|k| {
            let abroad = k.phone_abroad.as_ref().map(|number| {
                view! {
                    <br/>
                    {tr.t("contact-from-abroad")} " " <a href=tel_href(number)>{number.clone()}</a>
                }
            });
            view! {
                <li class="booklet-item booklet-contact">
                    <strong>{k.name.clone()}</strong> {citations.mark(tr, &k.source)}
                    <br/>
                    <a class="tel" href=tel_href(&k.phone)>{k.phone.clone()}</a>
                    {abroad}
                    <br/>
                    {tr.t_with("booklet-hours", [("hours", k.hours.clone().into())])}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="booklet-block">
            <h3>{country.name.clone()}</h3>
            <ul>{contacts}</ul>
        </section>
    }
}
