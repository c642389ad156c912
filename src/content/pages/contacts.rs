//! `/{lang}/contacts`: hotlines by country, the country of the reader's language first.

use super::{Citations, from_abroad, listen, tel_href};
use crate::content::linked;
use crate::content::store::{self, Country, GuideSummary};
use crate::i18n::Tr;
use crate::site::{Page, PageMeta, PageRequest, Section, document, public_page};
use leptos::prelude::*;

/// `/{lang}/contacts`.
#[component]
pub fn ContactsPage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale) = (request.site, request.locale);
        let (countries, families) = request
            .db
            .read(move |c| {
                let families = store::guides(c, locale)?
                    .into_iter()
                    .find(|g| g.slug == linked::FAMILIES);
                Ok((store::countries(c, locale)?, families))
            })
            .await?;
        let tr = site.tr(locale);
        let meta = PageMeta::from_messages(
            &tr,
            "nav-contacts",
            "contacts-intro",
            Section::Contacts,
            "/contacts",
        );
        let body = view! { <Contacts tr=tr countries=countries families=families/> };
        Ok(Page::Found(document(&site, locale, meta, body).into_any()))
    })
}

#[component]
fn Contacts(tr: Tr, countries: Vec<Country>, families: Option<GuideSummary>) -> impl IntoView {
    let citations = Citations::new(
        countries
            .iter()
            .flat_map(|c| c.contacts.iter().map(|k| &k.source)),
    );
    let groups = countries
        .iter()
        .map(|country| {
            let id = format!("country-{}", country.code);
            let contacts = country
                .contacts
                .iter()
                .map(|k| {
                    let abroad = from_abroad(&tr, k.phone_abroad.as_deref())
                        .map(|abroad| view! { <p>{abroad}</p> });
                    let recheck = k.recheck.then(|| view! { <p class="recheck">{tr.t("contact-recheck")}</p> });
                    view! {
                        <li class="contact">
                            <h3>{k.name.clone()} {citations.mark(&tr, &k.source)}</h3>
                            <p>{k.what.clone()} {listen(&tr, k.what_clip.as_deref())}</p>
                            <p>
                                <a class="tel button" href=tel_href(&k.phone)>
                                    {tr.t_with("contact-call", [("number", k.phone.clone().into())])}
                                </a>
                            </p>
                            {abroad}
                            <dl>
                                <dt>{tr.t("contact-hours")}</dt>
                                <dd>{k.hours.clone()}</dd>
                                <dt>{tr.t("contact-languages")}</dt>
                                <dd>{k.languages.clone()}</dd>
                            </dl>
                            {recheck}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="country" aria-labelledby=id.clone()>
                    <h2 id=id.clone()>{country.name.clone()}</h2>
                    <ul class="contacts">{contacts}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{tr.t("nav-contacts")}</h1>
        <p class="lead">{tr.t("contacts-intro")}</p>
        {families.map(|g| view! {
            <p class="see-also">
                <a href=format!("/{}/guides/{}", tr.locale, g.slug)>{g.title}</a>
            </p>
        })}
        {groups}
        {citations.footer(&tr)}
    }
}
