//! `/{lang}/help`: the help-request form as a plain HTML form, and the acknowledgement.
//!
//! Without JavaScript the form posts here; problems come back next to their fields with the
//! person's answers kept, and with the UUID the server gave the request, so sending the
//! corrected form again can never store it twice.

use super::form::HelpForm;
use super::store::Receipt;
use super::{FieldError, HelpInput, KINDS, TICKED_MAX, api, is_sign};
use crate::content::pages::{from_abroad, tel_href};
use crate::content::store::{self, home_country};
use crate::db::Db;
use crate::error::AppError;
use crate::help::{intake::Intake, limit::RateLimiter};
use crate::i18n::{Locale, Tr};
use crate::site::{Page, PageMeta, PageRequest, Section, document, public_page};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::IntoResponse,
};
use axum::{extract::State, http::StatusCode, response::Response};
use leptos::prelude::*;
use std::sync::Arc;

/// What the help form's post came to, left by the middleware in front of the help page for
/// the page to show.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Not stored: the form again, with the problems next to their fields.
    Refused {
        input: Box<HelpInput>,
        errors: Vec<FieldError>,
        status: StatusCode,
    },
    /// Stored once: its reference, and the country whose numbers to call now.
    Sent { reference: String, country: String },
    /// Too many requests from this address: when to try again.
    TooMany { retry_after: HeaderValue },
    /// A checklist's "ask for help": the form, with that checklist's kind of help and the
    /// signs the person chose to attach. Posted, never in the address, so that what a
    /// person ticked stays out of their history, the logs and any cache.
    Opened { kind: String, ticked: Vec<String> },
}

/// In front of the help page's post: opens the form for a checklist, or checks and stores
/// the request (if its address has not sent too many), and leaves what came of it for the
/// page.
pub async fn submit(
    State(intake): State<Intake>,
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, crate::web::BODY_MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let outcome = if let Some(opened) = opened(&body) {
        opened
    } else if let Err(wait) = api::check_rate(&limiter, &parts.extensions) {
        Outcome::TooMany {
            retry_after: api::retry_after(wait),
        }
    } else {
        send(&intake, HelpInput::from_form(&body)).await
    };
    parts.extensions.insert(outcome);
    next.run(Request::from_parts(parts, Body::empty())).await
}

/// The checklist's post (`from=checklist`): its kind of help, and its ticked signs only if
/// the person chose "attach".
fn opened(body: &[u8]) -> Option<Outcome> {
    let mut from_checklist = false;
    let (mut kind, mut attach, mut ticked) = (String::new(), false, Vec::new());
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "from" => from_checklist = value == "checklist",
            "kind" if KINDS.contains(&value.as_ref()) => kind = value.into_owned(),
            "attach" => attach = value == "yes",
            "ticked" if is_sign(&value) && ticked.len() < TICKED_MAX => {
                ticked.push(value.into_owned());
            }
            _ => {}
        }
    }
    if !attach {
        ticked.clear();
    }
    from_checklist.then_some(Outcome::Opened { kind, ticked })
}

/// Checks and stores a request posted from the form.
async fn send(intake: &Intake, mut input: HelpInput) -> Outcome {
    // The form as first served carries no id, so that the one page can be kept offline and
    // sent many times; the id is made here, and a re-shown form keeps it.
    if input.id.trim().is_empty() {
        input.id = fresh_id();
    }
    let request = match input.validate() {
        Err(errors) => {
            return Outcome::Refused {
                input: Box::new(input),
                errors,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
        }
        Ok(request) => request,
    };
    let country = request.country.to_owned();
    match api::accept(intake, request).await {
        Some(Receipt::Created(reference) | Receipt::Replayed(reference)) => {
            Outcome::Sent { reference, country }
        }
        Some(Receipt::Conflict) => {
            // Sent again with other answers: those answers are a new request.
            input.id = fresh_id();
            refused(input, "help-error-id-reused", StatusCode::CONFLICT)
        }
        None => refused(
            input,
            "help-error-unavailable",
            StatusCode::SERVICE_UNAVAILABLE,
        ),
    }
}

/// The form again, with one problem about the whole form.
fn refused(input: HelpInput, message: &'static str, status: StatusCode) -> Outcome {
    Outcome::Refused {
        input: Box::new(input),
        errors: vec![FieldError {
            field: "form",
            message,
        }],
        status,
    }
}

/// `/{lang}/help`: the form, or what its post came to.
#[component]
pub fn HelpPage() -> impl IntoView {
    public_page(|request: PageRequest| async move {
        let view = match request.outcome::<Outcome>() {
            None => form(&request, String::new(), Vec::new()).await?,
            Some(Outcome::Opened { kind, ticked }) => {
                request.no_store();
                form(&request, kind, ticked).await?
            }
            Some(Outcome::Refused {
                input,
                errors,
                status,
            }) => {
                request.set_status(status);
                request.no_store();
                page(&request, *input, errors).await?
            }
            Some(Outcome::Sent { reference, country }) => {
                request.no_store();
                sent(&request, reference, &country).await?
            }
            Some(Outcome::TooMany { retry_after }) => {
                request.set_status(StatusCode::TOO_MANY_REQUESTS);
                request.set_header(header::RETRY_AFTER, retry_after);
                request.no_store();
                too_many(&request)
            }
        };
        Ok(Page::Found(view))
    })
}

/// The form, empty or as a checklist's "ask for help" opens it: with its kind of help, and
/// the signs the person chose to attach.
async fn form(
    request: &PageRequest,
    kind: String,
    ticked: Vec<String>,
) -> Result<AnyView, AppError> {
    let locale = request.locale;
    let input = HelpInput {
        language: locale.code().to_owned(),
        country: home_country(locale).unwrap_or("other").to_owned(),
        kind,
        ticked,
        ..HelpInput::default()
    };
    page(request, input, Vec::new()).await
}

/// The acknowledgement: the request's reference, and whom to call if in danger now.
async fn sent(
    request: &PageRequest,
    reference: String,
    country: &str,
) -> Result<AnyView, AppError> {
    let (site, locale) = (&request.site, request.locale);
    let hotlines = hotlines(&request.db, locale).await?;
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
    let body = view! { <Sent tr=tr reference=reference urgent=urgent/> };
    Ok(document(site, locale, meta, body).into_any())
}

fn too_many(request: &PageRequest) -> AnyView {
    let (site, locale) = (&request.site, request.locale);
    let tr = site.tr(locale);
    let meta = meta(&tr, "help-title", "help-error-too-many");
    let body = view! {
        <h1>{tr.t("help-title")}</h1>
        <p class="notice" role="alert">{tr.t("help-error-too-many")}</p>
        <p><a href=format!("/{locale}/contacts")>{tr.t("nav-contacts")}</a></p>
    };
    document(site, locale, meta, body).into_any()
}

/// A number to call when in danger now, and how to call it from another country.
#[derive(Clone)]
struct Hotline {
    name: String,
    phone: String,
    abroad: Option<String>,
}

/// Each country's numbers to call when in danger now, by country code.
type Hotlines = Vec<(String, Vec<Hotline>)>;

async fn hotlines(db: &Db, locale: Locale) -> Result<Hotlines, AppError> {
    let countries = db.read(move |c| store::countries(c, locale)).await?;
    Ok(countries
        .into_iter()
        .map(|c| {
            let numbers = c
                .to_call()
                .into_iter()
                .map(|k| Hotline {
                    name: k.name.clone(),
                    phone: k.phone.clone(),
                    abroad: k.phone_abroad.clone(),
                })
                .collect();
            (c.code, numbers)
        })
        .collect())
}

async fn page(
    request: &PageRequest,
    input: HelpInput,
    errors: Vec<FieldError>,
) -> Result<AnyView, AppError> {
    let (site, db, locale) = (&request.site, &request.db, request.locale);
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
    let body = view! {
        <HelpForm tr=tr.clone() input=input signs=signs errors=errors shared=shared/>
        <Outbox tr=tr hotlines=hotlines/>
        <script type="module" src=script></script>
    };
    Ok(document(site, locale, meta, body).into_any())
}

/// The frame's description of a help page.
fn meta(tr: &Tr, title: &str, description: &str) -> PageMeta {
    PageMeta::from_messages(tr, title, description, Section::Help, Section::Help.path())
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

#[component]
fn Sent(tr: Tr, reference: String, urgent: Vec<Hotline>) -> impl IntoView {
    view! {
        <h1>{tr.t("help-sent-title")}</h1>
        <p class="reference">{tr.t_with("help-sent-reference", [("reference", reference.into())])}</p>
        <p>{tr.t("help-sent-reference-hint")}</p>
        <p>{tr.t("help-sent-next")}</p>
        <h2>{tr.t("help-sent-urgent")}</h2>
        <Numbers tr=tr.clone() numbers=urgent/>
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
                    <Numbers tr=tr.clone() numbers=numbers/>
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
fn Numbers(tr: Tr, numbers: Vec<Hotline>) -> impl IntoView {
    let items = numbers
        .into_iter()
        .map(|k| {
            view! {
                <li>
                    <a class="tel button" href=tel_href(&k.phone)>{k.phone.clone()}</a>
                    " " {k.name} " "
                    {from_abroad(&tr, k.abroad.as_deref())}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="hotlines">{items}</ul> }
}
