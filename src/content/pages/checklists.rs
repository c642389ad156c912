//! `/{lang}/checklists` and `/{lang}/checklists/{slug}`: tick what applies, get advice.
//!
//! With JavaScript the advice updates on the phone as the person ticks (the
//! [`ChecklistAdvisor`] island). Without it the form posts the ticks here and the same advice
//! comes back rendered by the server. Either way nothing ticked is stored or logged.

use super::{Citations, from_abroad, index_page, listen, tel_href, title_heading};
use crate::content::{
    advice::Verdict,
    store::{self, Checklist, Country},
};
use crate::i18n::Tr;
use crate::islands::ChecklistAdvisor;
use crate::site::{Card, Page, PageMeta, PageRequest, Section, document, public_page};
use axum::{body::Body, extract::Request, middleware::Next, response::IntoResponse};
use axum::{http::StatusCode, response::Response};
use leptos::prelude::*;

/// `/{lang}/checklists`.
#[component]
pub fn ChecklistsPage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale) = (request.site, request.locale);
        let checklists = request
            .db
            .read(move |c| store::checklists(c, locale))
            .await?;
        let cards = checklists
            .into_iter()
            .map(|c| Card {
                href: format!("/{locale}/checklists/{}", c.slug),
                title: c.title,
                text: c.intro,
                note: None,
            })
            .collect();
        Ok(index_page(
            &site,
            locale,
            Section::Checklists,
            "checklists-intro",
            cards,
        ))
    })
}

/// The person's answers: the ticked item ids and the chosen country.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Answers {
    pub ticked: Vec<String>,
    pub country: Option<String>,
}

impl Answers {
    /// Reads a posted form (`tick=a&tick=b&country=vn`). Unknown fields are ignored.
    pub fn from_form(body: &[u8]) -> Answers {
        let mut answers = Answers::default();
        for (key, value) in form_urlencoded::parse(body) {
            match key.as_ref() {
                "tick" => answers.ticked.push(value.into_owned()),
                "country" => answers.country = Some(value.into_owned()),
                _ => {}
            }
        }
        answers
    }
}

/// The no-JavaScript form's answers: read here, in front of the checklist's page, which
/// then shows the advice for them.
pub async fn read_answers(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, crate::web::BODY_MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    parts.extensions.insert(Answers::from_form(&body));
    next.run(Request::from_parts(parts, Body::empty())).await
}

/// `/{lang}/checklists/{slug}`, with the advice for the answers if the form was posted.
#[component]
pub fn ChecklistPage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let (site, locale, slug) = (request.site.clone(), request.locale, request.param("slug"));
        let answers = request.outcome::<Answers>();
        let (checklist, countries) = request
            .db
            .read(move |c| {
                Ok((
                    store::checklist(c, locale, &slug)?,
                    store::countries(c, locale)?,
                ))
            })
            .await?;
        let Some(checklist) = checklist else {
            return Ok(Page::NotFound);
        };
        let tr = site.tr(locale);
        let meta = PageMeta {
            title: checklist.title.clone(),
            description: checklist.intro.clone(),
            section: Section::Checklists,
            here: format!("/checklists/{}", checklist.slug),
        };
        let event = site.event_idle.is_some();
        let body = view! {
            <Checklist tr=tr checklist=checklist countries=countries answers=answers event=event/>
        };
        Ok(Page::Found(document(&site, locale, meta, body).into_any()))
    })
}

#[component]
fn Checklist(
    tr: Tr,
    checklist: Checklist,
    countries: Vec<Country>,
    answers: Option<Answers>,
    /// Event mode: others stand close by, so the page suggests headphones.
    event: bool,
) -> impl IntoView {
    let revealed = answers.is_some();
    let answers = answers.unwrap_or_default();
    let is_ticked = |id: &str| answers.ticked.iter().any(|t| t == id);
    let verdict = checklist.kind.assess(
        checklist
            .items
            .iter()
            .map(|item| (item.severity, is_ticked(&item.id))),
    );
    let country = answers
        .country
        .clone()
        .filter(|code| countries.iter().any(|c| &c.code == code))
        .or_else(|| countries.first().map(|c| c.code.clone()))
        .unwrap_or_default();
    let citations = Citations::new(
        checklist.items.iter().map(|i| &i.source).chain(
            countries
                .iter()
                .flat_map(|c| c.to_call().into_iter().map(|k| &k.source)),
        ),
    );
    let locale = tr.locale;

    let boxes = checklist
        .items
        .iter()
        .map(|item| {
            let id = format!("tick-{}", item.id);
            view! {
                <li class="check">
                    <input
                        type="checkbox"
                        id=id.clone()
                        name="tick"
                        value=item.id.clone()
                        data-severity=item.severity.map(|s| s.code())
                        checked=is_ticked(&item.id)
                    />
                    // The source's number sits beside the label, not in it: a tap on the
                    // words always ticks the box.
                    <label for=id>{item.text.clone()}</label>
                    {citations.mark(&tr, &item.source)}
                    {listen(&tr, item.clip.as_deref())}
                </li>
            }
        })
        .collect_view();
    let options = countries
        .iter()
        .map(|c| {
            view! { <option value=c.code.clone() selected=c.code == country>{c.name.clone()}</option> }
        })
        .collect_view();
    let verdicts = checklist
        .advice
        .iter()
        .map(|advice| {
            view! {
                <div class=format!("verdict verdict-{}", advice.verdict.code()) data-verdict=advice.verdict.code() hidden=advice.verdict != verdict>
                    <h3>{tr.t("advice-meaning-title")}</h3>
                    <p>{advice.meaning.clone()} {listen(&tr, advice.meaning_clip.as_deref())}</p>
                    <h3>{tr.t("advice-action-title")}</h3>
                    <p>{advice.action.clone()} {listen(&tr, advice.action_clip.as_deref())}</p>
                </div>
            }
        })
        .collect_view();
    let explanations = checklist
        .items
        .iter()
        .map(|item| {
            view! {
                <li data-explains=item.id.clone() hidden=!checklist.kind.explains(is_ticked(&item.id))>
                    <strong>{item.text.clone()}</strong>
                    " "
                    {item.meaning.clone()}
                </li>
            }
        })
        .collect_view();
    let hotlines = countries
        .iter()
        .map(|c| {
            let numbers = c
                .to_call()
                .into_iter()
                .map(|k| {
                    view! {
                        <li>
                            <a class="tel" href=tel_href(&k.phone)>{k.phone.clone()}</a>
                            " "
                            <span>{k.name.clone()}</span>
                            ", "
                            <span>{k.hours.clone()}</span>
                            {citations.mark(&tr, &k.source)}
                            " "
                            {from_abroad(&tr, k.phone_abroad.as_deref())}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div data-country=c.code.clone() hidden=c.code != country>
                    <ul class="hotlines">{numbers}</ul>
                </div>
            }
        })
        .collect_view();
    // The signs the help form may receive, if the person ticks "attach": only the ticked ones
    // are enabled, and the island keeps that so as boxes change.
    let attachable = checklist
        .items
        .iter()
        .map(|item| {
            let sign = format!("{}/{}", checklist.slug, item.id);
            view! {
                <input type="hidden" name="ticked" value=sign data-ticked=item.id.clone() disabled=!is_ticked(&item.id)/>
            }
        })
        .collect_view();
    let urgent = Verdict::is_urgent(verdict);
    let sources = citations.footer(&tr);
    // "Listen to all": `listen.js` shows it once some item can be heard.
    let headphones =
        event.then(|| view! { <span class="headphones">{tr.t("listen-headphones")}</span> });
    let listen_all = view! {
        <p class="listen-all" hidden>
            <button type="button" class="button" data-stop=tr.t("listen-stop")>{tr.t("listen-all")}</button>
            " " {headphones}
        </p>
    };

    view! {
        {title_heading(&tr, checklist.title.clone(), checklist.title_clip.as_deref())}
        <p class="lead">{checklist.intro.clone()} {listen(&tr, checklist.intro_clip.as_deref())}</p>
        <p class="privacy-note">{tr.t("checklist-private")}</p>
        <ChecklistAdvisor>
            <form method="post" action=format!("/{locale}/checklists/{}#advice", checklist.slug) class="checklist" data-kind=checklist.kind.code()>
                <fieldset>
                    <legend>{tr.t("checklist-tick-legend")}</legend>
                    {listen_all}
                    <ul class="checks">{boxes}</ul>
                </fieldset>
                <p class="field">
                    <label for="country">{tr.t("checklist-country-label")}</label>
                    <select id="country" name="country">{options}</select>
                </p>
                <button type="submit" class="button">{tr.t("checklist-show-advice")}</button>
            </form>
            <section id="advice" class="advice" hidden=!revealed aria-live="polite" aria-labelledby="advice-title" data-urgent=urgent.then_some("true")>
                <h2 id="advice-title">{tr.t("checklist-advice-title")}</h2>
                {verdicts}
                <ul class="explanations">{explanations}</ul>
                <h3>{tr.t("checklist-call-title")}</h3>
                {hotlines}
                <form method="post" action=format!("/{locale}/help") class="ask-help">
                    <input type="hidden" name="from" value="checklist"/>
                    <input type="hidden" name="kind" value=checklist.help_kind.clone()/>
                    {attachable}
                    <p class="check">
                        <input type="checkbox" id="attach" name="attach" value="yes"/>
                        <label for="attach">{tr.t("help-ticked-label")}</label>
                    </p>
                    <button type="submit" class="button button-help">{tr.t("checklist-ask-help")}</button>
                </form>
            </section>
        </ChecklistAdvisor>
        {sources}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_gives_every_tick_and_the_country() {
        let answers = Answers::from_form(b"tick=fee-for-job&country=th&tick=online-job&junk=1");
        assert_eq!(answers.ticked, ["fee-for-job", "online-job"]);
        assert_eq!(answers.country.as_deref(), Some("th"));
    }

    #[test]
    fn a_malformed_form_gives_what_it_can_without_failing() {
        let answers = Answers::from_form(b"tick=%ZZ&&=&country");
        assert_eq!(answers.ticked, ["%ZZ"]);
        assert_eq!(answers.country.as_deref(), Some(""));
    }
}
