//! The one HTML document every public page is written in, with Leptos's own island loader
//! (`HydrationScripts`) in its head when the page has islands.
//!
//! `HydrationScripts` learns the bundle's hashed file names from a cargo-leptos hash file.
//! `passport` serves whatever site folder it is given (`--site`), so at start it writes the
//! hash file that folder's bundle implies, and points the Leptos options at it. The loader
//! is one inline module script whose bytes are the same on every page of a build, so the
//! Content-Security-Policy allows it by its SHA-256 ([`script_hash`]) and no `'unsafe-inline'`.

use super::assets::{BuiltFiles, HASH_FILE};
use leptos::{config::LeptosOptions, hydration::HydrationScripts, prelude::*};
use sha2::{Digest, Sha256};
use std::{io, path::Path};

/// The Leptos options for the site folder at `root` whose bundle is `built`: writes the hash
/// file they name.
pub fn leptos_options(root: &Path, built: &BuiltFiles) -> io::Result<LeptosOptions> {
    let hash_of = |url: &str, kind: &str| {
        url.strip_prefix("/pkg/passport.")
            .and_then(|rest| rest.strip_suffix(&format!(".{kind}")))
            .unwrap_or_default()
            .to_owned()
    };
    let hashes = format!(
        "js: {}\nwasm: {}\ncss: {}\n",
        hash_of(&built.js, "js"),
        hash_of(&built.wasm, "wasm"),
        hash_of(&built.css, "css"),
    );
    let file = std::path::absolute(root.join("pkg").join(HASH_FILE))?;
    if std::fs::read_to_string(&file).ok().as_deref() != Some(hashes.as_str()) {
        std::fs::write(&file, &hashes)?;
    }
    Ok(LeptosOptions::builder()
        .output_name("passport")
        .site_root(root.display().to_string())
        .site_pkg_dir("pkg")
        .hash_files(true)
        .hash_file(std::sync::Arc::from(file.display().to_string()))
        .build())
}

/// `'sha256-…'` of the loader script that [`HydrationScripts`] writes with `options`.
pub fn script_hash(options: &LeptosOptions) -> String {
    let owner = Owner::new();
    let html =
        owner.with(|| view! { <HydrationScripts options=options.clone() islands=true/> }.to_html());
    let script = html
        .split_once("<script type=\"module\">")
        .and_then(|(_, rest)| rest.rsplit_once("</script>"))
        .map_or("", |(script, _)| script);
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What a document says about itself in its head.
pub struct Head {
    /// The `lang` of the whole document.
    pub lang: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// The icon's URL; `None` asks for none at all (the neutral page names no app).
    pub icon: Option<String>,
    pub css: String,
    /// The island loader and the page scripts: `None` for a page with no script.
    pub islands: Option<LeptosOptions>,
    pub body_class: Option<&'static str>,
    /// `data-event-idle` on `<html>`, for event mode's script.
    pub event_idle: Option<u32>,
}

/// The document: `head` names it, `extra_head` adds to its head, `children` is its body.
#[component]
pub fn Shell(head: Head, extra_head: AnyView, children: Children) -> impl IntoView {
    let icon = match head.icon {
        Some(href) => view! { <link rel="icon" href=href r#type="image/svg+xml"/> }.into_any(),
        None => view! { <link rel="icon" href="data:,"/> }.into_any(),
    };
    let description = head
        .description
        .map(|content| view! { <meta name="description" content=content/> });
    let loader = head
        .islands
        .map(|options| view! { <HydrationScripts options=options islands=true/> });
    view! {
        <!DOCTYPE html>
        <html lang=head.lang dir="ltr" data-event-idle=head.event_idle.map(|s| s.to_string())>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{head.title}</title>
                {description}
                <meta name="referrer" content="no-referrer"/>
                {icon}
                <link rel="stylesheet" href=head.css/>
                {loader}
                {extra_head}
            </head>
            <body class=head.body_class>{children()}</body>
        </html>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
