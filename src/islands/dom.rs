//! Small helpers the islands share for reading and changing the server-rendered page.

use leptos::{wasm_bindgen::JsCast, web_sys::Element};

/// Every element under `root` that matches `selector`.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// Whether a checkbox or radio button is ticked.
pub fn is_checked(input: &Element) -> bool {
    input.matches(":checked").unwrap_or(false)
}

/// Shows or hides `element`.
pub fn show(element: &Element, visible: bool) {
    let _ = element.toggle_attribute_with_force("hidden", !visible);
}
