//! A button that leaves the app at once for a neutral site, for people who may be watched.

use leptos::{prelude::*, wasm_bindgen::JsCast, web_sys::Element};

/// Two presses of Esc within this many milliseconds leave the app.
const DOUBLE_ESC_MS: f64 = 1000.0;

/// Wraps the server-rendered quick-exit link. Without JavaScript the link simply goes to the
/// neutral site. Once hydrated, leaving uses `location.replace`, so the Back button does not
/// return to the app, and Esc pressed twice leaves from anywhere on the page.
///
/// The link (its words and address) comes as server-rendered children rather than props:
/// an island with no other props needs no deserialiser in the WASM.
#[island]
pub fn QuickExit(children: Children) -> impl IntoView {
    let wrapper = NodeRef::<leptos::html::Span>::new();
    let last_esc = StoredValue::new(f64::NEG_INFINITY);
    // On the server this registers nothing.
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "Escape" {
            return;
        }
        let now = ev.time_stamp();
        if now - last_esc.get_value() < DOUBLE_ESC_MS
            && let Some(wrapper) = wrapper.get_untracked()
        {
            leave(&wrapper);
        }
        last_esc.set_value(now);
    });
    on_cleanup(move || listener.remove());

    view! {
        <span
            node_ref=wrapper
            on:click=move |ev| {
                if let Some(wrapper) = ev.current_target().and_then(|t| t.dyn_into().ok()) {
                    ev.prevent_default();
                    leave(&wrapper);
                }
            }
        >
            {children()}
        </span>
    }
}

/// Goes to the address of the link inside `wrapper`, replacing this page in the history;
/// with no network, to the neutral page the app keeps on the phone (`data-offline`). The
/// page's content is hidden at once, before the next page arrives.
fn leave(wrapper: &Element) {
    let Ok(Some(link)) = wrapper.query_selector("a[href]") else {
        return;
    };
    let offline = !window().navigator().on_line();
    let target = offline
        .then(|| link.get_attribute("data-offline"))
        .flatten()
        .or_else(|| link.get_attribute("href"));
    if let Some(body) = document().body() {
        let _ = body.toggle_attribute_with_force("hidden", true);
    }
    if let Some(target) = target {
        let _ = window().location().replace(&target);
    }
}
