//! The help form as the server renders it: every field, with every problem the rules can
//! report on it already written next to it in the person's language, shown only for the
//! problems found. The [`HelpCheck`] island shows and hides the same notes on the phone.

use super::HelpInput;
use super::rules::{
    CHANNELS, CONTACT_MAX, COUNTRIES, FieldError, KINDS, MESSAGE_MAX, NAME_MAX, PLACE_MAX,
    PROBLEMS, SAFE_TIME_MAX,
};
use crate::i18n::{Locale, Tr};
use crate::islands::HelpCheck;
use leptos::prelude::*;

/// The form and its problem summary. `signs` are the checklist signs the person chose to
/// send, with their texts: shown as boxes they can untick. On a `shared` device (event mode)
/// no reference is offered to keep, and no field offers what an earlier person typed.
#[component]
pub fn HelpForm(
    tr: Tr,
    input: HelpInput,
    signs: Vec<(String, String)>,
    errors: Vec<FieldError>,
    shared: bool,
) -> impl IntoView {
    let locale = tr.locale;
    let problems = Problems {
        tr: tr.clone(),
        errors: errors.clone(),
    };
    let p = |field: &'static str| problems.notes(field);
    let radios = |name: &'static str, values: &[&'static str], chosen: &str| {
        let items = values
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
            .collect_view();
        view! { <ul class="checks">{items}</ul> }
    };
    let countries = COUNTRIES
        .iter()
        .map(|code| {
            view! {
                <option value=*code selected={*code == input.country}>{tr.t(&format!("country-{code}"))}</option>
            }
        })
        .collect_view();
    // On a shared device the browser must not offer the previous person's answers.
    let autocomplete = shared.then_some("off");
    let text = |field: &'static str, label: &'static str, value: &str, max: usize| {
        view! {
            <p class="field">
                <label for=field>{tr.t(label)}</label>
                {p(field)}
                <input type="text" id=field name=field value=value.to_owned() maxlength=max.to_string()
                    autocomplete=autocomplete data-field=field aria-invalid=problems.invalid(field) aria-describedby=format!("{field}-error")/>
            </p>
        }
    };
    let keep = (!shared).then(|| {
        view! {
            <p class="check" data-help-keep="" hidden=true>
                <input type="checkbox" id="keep" name="keep" value="yes"/>
                <label for="keep">{tr.t("help-keep-label")}</label>
            </p>
        }
    });
    // The island's children must own what they show: everything is made here first.
    let form = view! {
        <form method="post" action=format!("/{locale}/help") class="help-form" novalidate=true
            autocomplete=autocomplete data-unavailable=tr.t("help-error-unavailable")>
            <input type="hidden" name="id" value=input.id.clone()/>
            <fieldset id="kind" data-field="kind" aria-describedby="kind-error">
                <legend>{tr.t("help-kind-label")}</legend>
                {p("kind")}
                {radios("kind", &KINDS, &input.kind)}
            </fieldset>
            <p class="check urgent">
                <input type="checkbox" id="urgent" name="urgent" value="yes" checked=input.urgent/>
                <label for="urgent">{tr.t("help-urgent-label")}</label>
            </p>
            <p class="field">
                <label for="country">{tr.t("help-country-label")}</label>
                {p("country")}
                <select id="country" name="country" data-field="country">{countries}</select>
            </p>
            {text("place", "help-place-label", &input.place, PLACE_MAX)}
            <fieldset id="channel" data-field="channel" aria-describedby="channel-error">
                <legend>{tr.t("help-channel-label")}</legend>
                {p("channel")}
                {radios("channel", &CHANNELS, &input.channel)}
            </fieldset>
            {text("contact", "help-contact-label", &input.contact, CONTACT_MAX)}
            {text("safe_time", "help-safe-time-label", &input.safe_time, SAFE_TIME_MAX)}
            {text("name", "help-name-label", &input.name, NAME_MAX)}
            <p class="field">
                <label for="message">{tr.t("help-message-label")}</label>
                {p("message")}
                <textarea id="message" name="message" rows="4" maxlength=MESSAGE_MAX.to_string() data-field="message"
                    autocomplete=autocomplete
                    aria-invalid=problems.invalid("message") aria-describedby="message-error">
                    {input.message.clone()}
                </textarea>
            </p>
            <Language tr=tr.clone() chosen=input.language.clone() problems=problems.clone()/>
            <Signs tr=tr.clone() signs=signs/>
            {p("ticked")}
            <p class="honeypot" aria-hidden="true">
                <label for="website">{tr.t("help-honeypot-label")}</label>
                <input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value=""/>
            </p>
            {keep}
            <p class="check" id="consent">
                <input type="checkbox" id="consent-box" name="consent" value="yes" checked=input.consent
                    data-field="consent" aria-describedby="consent-error"/>
                <label for="consent-box">{tr.t("help-consent-label")}</label>
            </p>
            {p("consent")}
            <button type="submit" class="button button-help">{tr.t("help-send")}</button>
        </form>
    }
    .into_any();
    let (refused, summary) = (tr.t("help-refused"), problems.summary());
    view! {
        <h1>{tr.t("help-title")}</h1>
        <p class="lead">{tr.t("help-intro")}</p>
        {problems.note("form")}
        <HelpCheck>
            <section class="notice" data-help-refused="" role="alert" hidden=true>
                <p>{refused}</p>
                <ul></ul>
            </section>
            {summary}
            {form}
        </HelpCheck>
    }
}

/// The language the person wants to be answered in.
#[component]
fn Language(tr: Tr, chosen: String, problems: Problems) -> impl IntoView {
    let languages = Locale::ALL
        .into_iter()
        .map(|other| {
            view! {
                <option value=other.code() lang=other.code() selected={other.code() == chosen}>
                    {tr.in_locale(other).t("language-name")}
                </option>
            }
        })
        .collect_view();
    view! {
        <p class="field">
            <label for="language">{tr.t("help-language-label")}</label>
            {problems.note("language")}
            <select id="language" name="language">{languages}</select>
        </p>
    }
}

/// The checklist signs sent along, each a box the person can untick.
#[component]
fn Signs(tr: Tr, signs: Vec<(String, String)>) -> impl IntoView {
    // Always there, hidden when empty: with JavaScript, a checklist hands its signs over on
    // the phone (`offline.js`, `help.js`) and they are filled in here.
    let empty = signs.is_empty();
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
        <fieldset id="ticked" data-field="ticked" aria-describedby="ticked-error" hidden=empty>
            <legend>{tr.t("help-ticked-label")}</legend>
            <ul class="checks">{boxes}</ul>
        </fieldset>
    }
}

/// The problems the server found, and how the page writes them.
#[derive(Clone)]
struct Problems {
    tr: Tr,
    errors: Vec<FieldError>,
}

impl Problems {
    fn found(&self, message: &str) -> bool {
        self.errors.iter().any(|e| e.message == message)
    }

    fn invalid(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .any(|e| e.field == field)
            .then_some("true")
    }

    /// Every note the rules can give on `field`, each shown only if found.
    fn notes(&self, field: &'static str) -> impl IntoView + use<> {
        let messages = PROBLEMS
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, messages)| *messages)
            .unwrap_or_default();
        let notes = messages
            .iter()
            .map(|message| {
                view! {
                    <p class="field-error" data-problem=*message hidden=!self.found(message)>
                        {self.tr.t(message)}
                    </p>
                }
            })
            .collect_view();
        view! { <div id=format!("{field}-error")>{notes}</div> }
    }

    /// A problem only the server finds (the request's id, the honeypot, the language, a
    /// full intake), if it found it.
    fn note(&self, field: &'static str) -> impl IntoView + use<> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| view! { <p class="field-error" id=format!("{field}-error")>{self.tr.t(e.message)}</p> })
    }

    /// The list of problems above the form, each a link to its field.
    fn summary(&self) -> impl IntoView + use<> {
        let items = PROBLEMS
            .iter()
            .flat_map(|(field, messages)| messages.iter().map(move |m| (*field, *m)))
            .map(|(field, message)| {
                view! {
                    <li data-problem=message hidden=!self.found(message)>
                        <a href=format!("#{field}")>{self.tr.t(message)}</a>
                    </li>
                }
            })
            .collect_view();
        // What only the server checks has no note waiting on the page.
        let others = self
            .errors
            .iter()
            .filter(|e| !PROBLEMS.iter().any(|(field, _)| *field == e.field))
            .map(|e| view! { <li><a href=format!("#{}", e.field)>{self.tr.t(e.message)}</a></li> })
            .collect_view();
        view! {
            <section class="notice error-summary" data-problems="" role="alert" aria-labelledby="errors-title"
                hidden=self.errors.is_empty()>
                <h2 id="errors-title">{self.tr.t("help-errors-title")}</h2>
                <ul>{items}{others}</ul>
            </section>
        }
    }
}
