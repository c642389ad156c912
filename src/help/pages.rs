//! `/{lang}/help`: the help-request form as a plain HTML form, and the acknowledgement.
//!
//! Without JavaScript the form posts here; problems come back next to their fields with the
//! person's answers kept, and with the UUID the server gave the request, so sending the
//! corrected form again can never store it twice.

use super::{CHANNELS, COUNTRIES, FieldError, HelpInput, KINDS, TICKED_MAX, api, is_sign};
use crate::content::pages::tel_href;
use crate::content::store::{self, home_country};
use crate::db::Db;
use crate::error::AppError;
use crate::help::{intake::Intake, limit::RateLimiter};
use crate::i18n::{Locale, Tr};
use crate::site::Site;
use crate::site::{Lang, PageMeta, Section, html, render};
use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use leptos::prelude::*;
use std::sync::Arc;

pub async fn form(
    State(site): State<Arc<Site>>,
    State(db): State<Db>,
    Lang(locale): Lang,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let mut input = HelpInput {
        language: locale.code().to_owned(),
        country: home_country(locale).unwrap_or("other").to_owned(),
        ..HelpInput::default()
    };
    // A checklist's "ask for help" sends its kind of help, and its ticked signs; the signs
    // come along only if the person chose "attach".
    let mut attach = false;
    let mut signs = Vec::new();
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "kind" if KINDS.contains(&value.as_ref()) => input.kind = value.into_owned(),
            "attach" => attach = value == "yes",
            "ticked" if is_sign(&value) && signs.len() < TICKED_MAX => {
                signs.push(value.into_owned());
            }
            _ => {}
        }
    }
    if attach {
        input.ticked = signs;
    }
    page(
        &site,
        &db,
        &headers,
        locale,
        StatusCode::OK,
        input,
        Vec::new(),
    )
    .await
}

pub async fn submit(
    State(site): State<Arc<Site>>,
    State(db): State<Db>,
    State(intake): State<Intake>,
    Lang(locale): Lang,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut input = HelpInput::from_form(&body);
    // The form as first served carries no id, so that the one page can be kept offline and
    // sent many times; the id is made here, and a re-shown form keeps it.
    if input.id.trim().is_empty() {
        input.id = fresh_id();
    }
    let request = match input.validate() {
        Ok(request) => request,
        Err(errors) => {
            return page(
                &site,
                &db,
                &headers,
                locale,
                StatusCode::UNPROCESSABLE_ENTITY,
                input,
                errors,
            )
            .await;
        }
    };
    let country = request.country;
    let Some(receipt) = api::accept(&intake, request).await else {
        let unavailable = vec![FieldError {
            field: "form",
            message: "help-error-unavailable",
        }];
        return page(
            &site,
            &db,
            &headers,
            locale,
            StatusCode::SERVICE_UNAVAILABLE,
            input,
            unavailable,
        )
        .await;
    };
    let hotlines = hotlines(&db, locale).await?;
    let urgent = hotlines
        .iter()
        .find(|(code, _)| code == country)
        .or_else(|| {
            hotlines
                .iter()
                .find(|(code, _)| Some(code.as_str()) == home_country(locale))
        })
        .map(|(_, numbers)| numbers.clone())
        .unwrap_or_default();
    let tr = site.tr(locale);
    let meta = meta(&tr, "help-sent-title", "help-sent-next");
    let reference = receipt.reference;
    let body = || view! { <Sent tr=tr reference=reference urgent=urgent/> };
    let mut response = html(
        &headers,
        StatusCode::OK,
        locale,
        render(&site, locale, meta, body),
    );
    crate::web::no_store(&mut response);
    Ok(response)
}

/// Each country's numbers to call when in danger now: (country code, [(name, phone)]).
type Hotlines = Vec<(String, Vec<(String, String)>)>;

async fn hotlines(db: &Db, locale: Locale) -> Result<Hotlines, AppError> {
    let countries = db.read(move |c| store::countries(c, locale)).await?;
    Ok(countries
        .into_iter()
        .map(|c| {
            let numbers = c
                .contacts
                .into_iter()
                .filter(|k| k.advice)
                .map(|k| (k.name, k.phone))
                .collect();
            (c.code, numbers)
        })
        .collect())
}

async fn page(
    site: &Site,
    db: &Db,
    headers: &HeaderMap,
    locale: Locale,
    status: StatusCode,
    input: HelpInput,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let hotlines = hotlines(db, locale).await?;
    let wanted = input.ticked.clone();
    let signs = db
        .read(move |c| {
            wanted
                .into_iter()
                .map(|sign| {
                    let text = store::sign_text(c, &sign, locale)?.unwrap_or_else(|| sign.clone());
                    Ok((sign, text))
                })
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?;
    let script = site.assets.built.help.clone();
    let shared = site.event_idle.is_some();
    let tr = site.tr(locale);
    let meta = meta(&tr, "help-title", "help-intro");
    let body = || {
        view! {
            <HelpForm tr=tr.clone() input=input signs=signs errors=errors shared=shared/>
            <Outbox tr=tr hotlines=hotlines/>
            <script type="module" src=script></script>
        }
    };
    let mut response = html(headers, status, locale, render(site, locale, meta, body));
    if status != StatusCode::OK {
        crate::web::no_store(&mut response);
    }
    Ok(response)
}

/// The frame's description of a help page.
fn meta(tr: &Tr, title: &str, description: &str) -> PageMeta {
    PageMeta {
        title: tr.t(title),
        description: tr.t(description),
        section: Section::Help,
        here: Section::Help.path().to_owned(),
    }
}

/// A new version-4 UUID for a request sent without JavaScript.
fn fresh_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Validation then asks for a reload rather than risk two requests sharing an id.
        return String::new();
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The message of the first problem with `field`, if any.
fn problem(tr: &Tr, errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| tr.t(e.message))
}

/// The form's side of the per-address limit: a page in the person's language saying when
/// to try again.
pub async fn limited(
    State(site): State<Arc<Site>>,
    State(limiter): State<Arc<RateLimiter>>,
    Lang(locale): Lang,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Err(wait) = api::check_rate(&limiter, &request) else {
        return next.run(request).await;
    };
    let tr = site.tr(locale);
    let meta = meta(&tr, "help-title", "help-error-too-many");
    let body = || {
        view! {
            <h1>{tr.t("help-title")}</h1>
            <p class="notice" role="alert">{tr.t("help-error-too-many")}</p>
            <p><a href=format!("/{locale}/contacts")>{tr.t("nav-contacts")}</a></p>
        }
    };
    let mut response = html(
        &HeaderMap::new(),
        StatusCode::TOO_MANY_REQUESTS,
        locale,
        render(&site, locale, meta, body),
    );
    response
        .headers_mut()
        .insert(axum::http::header::RETRY_AFTER, api::retry_after(wait));
    crate::web::no_store(&mut response);
    response
}

#[component]
/// `signs` are the checklist signs the person chose to send, with their texts: shown as
/// boxes they can untick.
fn HelpForm(
    tr: Tr,
    input: HelpInput,
    signs: Vec<(String, String)>,
    errors: Vec<FieldError>,
    shared: bool,
) -> impl IntoView {
    let locale = tr.locale;
    let error_id = |field: &str| format!("{field}-error");
    let note = |field: &'static str| {
        problem(&tr, &errors, field)
            .map(|message| view! { <p class="field-error" id=error_id(field)>{message}</p> })
    };
    let described = |field: &str| {
        errors
            .iter()
            .any(|e| e.field == field)
            .then(|| error_id(field))
    };
    let summary = (!errors.is_empty()).then(|| {
        let items = errors
            .iter()
            .map(|e| {
                let href = format!("#{}", e.field);
                view! { <li><a href=href>{tr.t(e.message)}</a></li> }
            })
            .collect_view();
        view! {
            <section class="notice error-summary" role="alert" aria-labelledby="errors-title">
                <h2 id="errors-title">{tr.t("help-errors-title")}</h2>
                <ul>{items}</ul>
            </section>
        }
    });
    let radios = |name: &'static str, values: &[&'static str], chosen: &str| {
        values
            .iter()
            .map(|value| {
                let id = format!("{name}-{value}");
                view! {
                    <li class="check">
                        <input type="radio" id=id.clone() name=name value=*value checked={*value == chosen}/>
                        <label for=id>{tr.t(&format!("help-{name}-{value}"))}</label>
                    </li>
                }
            })
            .collect_view()
    };
    let kinds = radios("kind", &KINDS, &input.kind);
    let channels = radios("channel", &CHANNELS, &input.channel);
    let countries = COUNTRIES
        .iter()
        .map(|code| {
            view! {
                <option value=*code selected={*code == input.country}>{tr.t(&format!("country-{code}"))}</option>
            }
        })
        .collect_view();
    let languages = Locale::ALL
        .into_iter()
        .map(|other| {
            view! {
                <option value=other.code() lang=other.code() selected={other.code() == input.language}>
                    {tr.in_locale(other).t("language-name")}
                </option>
            }
        })
        .collect_view();
    // On a shared device (event mode) no reference is kept for the next person to see.
    let keep = (!shared).then(|| {
        view! {
            <p class="check" data-help-keep="" hidden=true>
                <input type="checkbox" id="keep" name="keep" value="yes"/>
                <label for="keep">{tr.t("help-keep-label")}</label>
            </p>
        }
    });
    let ticked = (!signs.is_empty()).then(|| {
        let boxes = signs
            .into_iter()
            .enumerate()
            .map(|(i, (sign, text))| {
                let id = format!("sign-{i}");
                view! {
                    <li class="check">
                        <input type="checkbox" id=id.clone() name="ticked" value=sign checked=true/>
                        <label for=id>{text}</label>
                    </li>
                }
            })
            .collect_view();
        view! {
            <fieldset id="ticked">
                <legend>{tr.t("help-ticked-label")}</legend>
                <ul class="checks">{boxes}</ul>
            </fieldset>
        }
    });
    let text_field = |field: &'static str, label: &'static str, value: &str, max: usize| {
        view! {
            <p class="field">
                <label for=field>{tr.t(label)}</label>
                {note(field)}
                <input type="text" id=field name=field value=value.to_owned() maxlength=max.to_string()
                    aria-invalid=described(field).map(|_| "true") aria-describedby=described(field)/>
            </p>
        }
    };
    view! {
        <h1>{tr.t("help-title")}</h1>
        <p class="lead">{tr.t("help-intro")}</p>
        {summary}
        {note("form")}
        <form method="post" action=format!("/{locale}/help") class="help-form" novalidate=true>
            <input type="hidden" name="id" value=input.id.clone()/>
            <fieldset id="kind" aria-describedby=described("kind")>
                <legend>{tr.t("help-kind-label")}</legend>
                {note("kind")}
                <ul class="checks">{kinds}</ul>
            </fieldset>
            <p class="field">
                <label for="country">{tr.t("help-country-label")}</label>
                {note("country")}
                <select id="country" name="country">{countries}</select>
            </p>
            {text_field("place", "help-place-label", &input.place, super::PLACE_MAX)}
            <fieldset id="channel" aria-describedby=described("channel")>
                <legend>{tr.t("help-channel-label")}</legend>
                {note("channel")}
                <ul class="checks">{channels}</ul>
            </fieldset>
            {text_field("contact", "help-contact-label", &input.contact, super::CONTACT_MAX)}
            {text_field("safe_time", "help-safe-time-label", &input.safe_time, super::SAFE_TIME_MAX)}
            {text_field("name", "help-name-label", &input.name, super::NAME_MAX)}
            <p class="field">
                <label for="message">{tr.t("help-message-label")}</label>
                {note("message")}
                <textarea id="message" name="message" rows="4" maxlength=super::MESSAGE_MAX.to_string()
                    aria-invalid=described("message").map(|_| "true") aria-describedby=described("message")>
                    {input.message.clone()}
                </textarea>
            </p>
            <p class="field">
                <label for="language">{tr.t("help-language-label")}</label>
                {note("language")}
                <select id="language" name="language">{languages}</select>
            </p>
            {ticked}
            {note("ticked")}
            <p class="honeypot" aria-hidden="true">
                <label for="website">{tr.t("help-honeypot-label")}</label>
                <input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value=""/>
            </p>
            {keep}
            <p class="check" id="consent">
                <input type="checkbox" id="consent-box" name="consent" value="yes" checked=input.consent
                    aria-describedby=described("consent")/>
                <label for="consent-box">{tr.t("help-consent-label")}</label>
            </p>
            {note("consent")}
            <button type="submit" class="button button-help">{tr.t("help-send")}</button>
        </form>
    }
}

#[component]
fn Sent(tr: Tr, reference: String, urgent: Vec<(String, String)>) -> impl IntoView {
    view! {
        <h1>{tr.t("help-sent-title")}</h1>
        <p class="reference">{tr.t_with("help-sent-reference", [("reference", reference.into())])}</p>
        <p>{tr.t("help-sent-reference-hint")}</p>
        <p>{tr.t("help-sent-next")}</p>
        <h2>{tr.t("help-sent-urgent")}</h2>
        <Numbers numbers=urgent/>
    }
}

/// What the help script shows: the outbox's waiting requests, the acknowledgement with every
/// country's urgent numbers (it shows the chosen country's), and the references kept.
#[component]
fn Outbox(tr: Tr, hotlines: Hotlines) -> impl IntoView {
    let home = home_country(tr.locale);
    let lists = hotlines
        .into_iter()
        .map(|(code, numbers)| {
            let is_home = (Some(code.as_str()) == home).then_some("");
            view! {
                <div data-country=code data-home=is_home hidden=true>
                    <Numbers numbers=numbers/>
                </div>
            }
        })
        .collect_view();
    let template = tr.t_with("help-sent-reference", [("reference", "%reference%".into())]);
    view! {
        <section class="notice" data-help-saved="" role="status" hidden=true>
            <p>{tr.t("help-saved")}</p>
            <ul data-help-pending="" data-delete-label=tr.t("help-saved-delete")></ul>
        </section>
        <section data-help-sent="" role="status" tabindex="-1" hidden=true>
            <h2>{tr.t("help-sent-title")}</h2>
            <p class="reference" data-template=template></p>
            <p>{tr.t("help-sent-reference-hint")}</p>
            <p>{tr.t("help-sent-next")}</p>
            <h3>{tr.t("help-sent-urgent")}</h3>
            {lists}
        </section>
        <section data-help-kept="" hidden=true>
            <h2>{tr.t("help-kept-title")}</h2>
            <ul></ul>
        </section>
    }
}

#[component]
fn Numbers(numbers: Vec<(String, String)>) -> impl IntoView {
    let items = numbers
        .into_iter()
        .map(|(name, phone)| {
            view! {
                <li>
                    <a class="tel button" href=tel_href(&phone)>{phone.clone()}</a>
                    " " {name}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="hotlines">{items}</ul> }
}
