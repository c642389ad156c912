//! The help form's check on the phone: the same rules as the server's, run before the
//! request goes into the outbox, so that a request the server would refuse is never queued
//! and reported "saved".

use super::dom::{all, show};
use crate::help::rules::{Answers, FieldError};
use leptos::{
    prelude::*,
    wasm_bindgen::JsCast,
    web_sys::{Element, FormData, HtmlElement, HtmlFormElement},
};

/// Wraps the server-rendered help form and its problem notes. Every note the rules can give
/// is on the page already, localised and hidden, marked `data-problem` with its message id;
/// the summary above the form is `[data-problems]`. On submit the island shows the notes
/// for the answers given; when there is any, the submit is cancelled (`defaultPrevented`),
/// so neither the outbox script nor the browser sends the form.
#[island]
pub fn HelpCheck(children: Children) -> impl IntoView {
    view! {
        <div
            class="help-check"
            on:submit=move |ev| {
                let form = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok());
                let root = ev.current_target().and_then(|t| t.dyn_into::<Element>().ok());
                if let (Some(form), Some(root)) = (form, root) {
                    let errors = check(&form);
                    show_problems(&root, &errors);
                    if !errors.is_empty() {
                        ev.prevent_default();
                    }
                }
            }
        >
            {children()}
        </div>
    }
}

/// The rules' verdict on the form's current answers.
fn check(form: &HtmlFormElement) -> Vec<FieldError> {
    let Ok(data) = FormData::new_with_form(form) else {
        return Vec::new();
    };
    let text = |name: &str| data.get(name).as_string().unwrap_or_default();
    let (kind, country, place, channel, contact, safe_time, name, message) = (
        text("kind"),
        text("country"),
        text("place"),
        text("channel"),
        text("contact"),
        text("safe_time"),
        text("name"),
        text("message"),
    );
    let ticked: Vec<String> = data
        .get_all("ticked")
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Answers {
        kind: &kind,
        country: &country,
        place: &place,
        channel: &channel,
        contact: &contact,
        safe_time: &safe_time,
        name: &name,
        message: &message,
        consent: data.has("consent"),
        ticked: &ticked,
    }
    .check()
}

/// Shows the notes for `errors` and hides every other one; marks the fields concerned, and
/// takes the person to the first.
fn show_problems(root: &Element, errors: &[FieldError]) {
    let found = |attribute: &str, part: &Element| {
        let value = part.get_attribute(attribute).unwrap_or_default();
        errors
            .iter()
            .any(|e| e.message == value || e.field == value)
    };
    for note in all(root, "[data-problem]") {
        show(&note, found("data-problem", &note));
    }
    for summary in all(root, "[data-problems]") {
        show(&summary, !errors.is_empty());
    }
    for control in all(root, "[data-field]") {
        if found("data-field", &control) {
            let _ = control.set_attribute("aria-invalid", "true");
        } else {
            let _ = control.remove_attribute("aria-invalid");
        }
    }
    let first = errors.first().and_then(|e| {
        root.query_selector(&format!("[data-field=\"{}\"]", e.field))
            .ok()
            .flatten()
    });
    if let Some(first) = first.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
        let _ = first.focus();
    }
}
