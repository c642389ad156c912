//! Live advice for a checklist: as the person ticks, the advice below the list changes.
//!
//! The server renders the whole checklist as a plain form, and every piece of advice it could
//! need, already localised and hidden. This island only decides, with the same rules the
//! server uses, which pieces to show. Nothing ticked leaves the phone unless the person
//! chooses to send their ticks with a help request.

use super::dom::{all, is_checked, show};
use crate::content::advice::{ChecklistKind, Severity};
use leptos::{
    prelude::*,
    wasm_bindgen::JsCast,
    web_sys::{Element, Event},
};

/// Wraps a server-rendered checklist form (`form[data-kind]` with `input[name=tick]` boxes
/// carrying `data-severity`, and a `select[name=country]`) and its advice section
/// (`#advice`, with parts marked `data-verdict`, `data-explains` and `data-country`, and the
/// "ask for help" form's signs marked `data-ticked`, sent only when ticked).
#[island]
pub fn ChecklistAdvisor(children: Children) -> impl IntoView {
    view! {
        <div
            class="checklist-advisor"
            on:change=move |ev| refresh(&ev, false)
            on:submit=move |ev| {
                // The checklist form would send the ticks to the server; here they stay on the
                // phone. The "ask for help" form below it goes on to the help page.
                let checklist = ev
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .is_some_and(|form| form.has_attribute("data-kind"));
                if checklist {
                    ev.prevent_default();
                    refresh(&ev, true);
                }
            }
        >
            {children()}
        </div>
    }
}

fn refresh(ev: &Event, reveal: bool) {
    let Some(root) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<Element>().ok())
    else {
        return;
    };
    let Some(kind) = root
        .query_selector("form[data-kind]")
        .ok()
        .flatten()
        .and_then(|form| form.get_attribute("data-kind"))
        .and_then(|code| ChecklistKind::from_code(&code))
    else {
        return;
    };
    let boxes = all(&root, "input[name=tick]");
    let ticked = |id: &str| {
        boxes
            .iter()
            .any(|b| b.get_attribute("value").as_deref() == Some(id) && is_checked(b))
    };
    let verdict = kind.assess(boxes.iter().map(|b| {
        let severity = b
            .get_attribute("data-severity")
            .and_then(|code| Severity::from_code(&code));
        (severity, is_checked(b))
    }));
    for part in all(&root, "[data-verdict]") {
        show(
            &part,
            part.get_attribute("data-verdict").as_deref() == Some(verdict.code()),
        );
    }
    for part in all(&root, "[data-explains]") {
        let id = part.get_attribute("data-explains").unwrap_or_default();
        show(&part, kind.explains(ticked(&id)));
    }
    for sign in all(&root, "[data-ticked]") {
        let id = sign.get_attribute("data-ticked").unwrap_or_default();
        let _ = sign.toggle_attribute_with_force("disabled", !ticked(&id));
    }
    let country = root
        .query_selector("select[name=country] option:checked")
        .ok()
        .flatten()
        .and_then(|option| option.get_attribute("value"));
    for part in all(&root, "[data-country]") {
        show(&part, part.get_attribute("data-country") == country);
    }
    if let Ok(Some(advice)) = root.query_selector("#advice") {
        show(&advice, true);
        if reveal {
            advice.scroll_into_view();
        }
    }
}
