//! `/{lang}/share`: the app's address in this language as a QR code (SVG made on the
//! server, no script needed) and as text, with the Web Share API where the phone has it.
//! Outreach workers show it at events; the booklet prints the same code.

use super::{Page, PageMeta, PageRequest, Section, document, public_page};
use axum::http::{HeaderMap, Uri, header};
use leptos::prelude::*;
use qrcode::{EcLevel, QrCode, render::svg};
use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
};

/// `/{lang}/share`.
#[component]
pub fn SharePage() -> impl IntoView {
    public_page(|request: PageRequest| async move { Ok(share(&request)) })
}

fn share(request: &PageRequest) -> Page {
    let (site, locale) = (&request.site, request.locale);
    let (uri, headers) = (&request.parts.uri, &request.parts.headers);
    let tr = site.tr(locale);
    let base = phone_base(site, uri, headers);
    let address = format!("{base}/{locale}/");
    let notice = no_https_notice(site, &tr);
    let code = qr_svg(&address);
    let script = site.assets.built.share.clone();
    let meta = PageMeta::from_messages(&tr, "share-title", "share-intro", Section::Other, "/share");
    let body = {
        view! {
            <h1>{tr.t("share-title")}</h1>
            <p class="lead">{tr.t("share-intro")}</p>
            {notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            <figure class="qr">
                <div class="qr-code" inner_html=code></div>
                <figcaption><a href=address.clone()>{address.clone()}</a></figcaption>
            </figure>
            <p>{tr.t("share-hint")}</p>
            <p>
                <button type="button" class="button" data-share="" hidden=true
                    data-title=tr.t("app-name") data-text=tr.t("share-text") data-url=address>
                    {tr.t("share-button")}
                </button>
            </p>
            <p>
                <a href=format!("/{locale}/booklet")>{tr.t("booklet-link")}</a>
            </p>
            <script type="module" src=script></script>
        }
    };
    Page::Found(document(site, locale, meta, body).into_any())
}

/// The address phones are given: at a hub, its own name over HTTPS while its certificate is
/// good (phones can then keep the app); else [`public_base`].
pub fn phone_base(site: &super::Site, uri: &Uri, headers: &HeaderMap) -> String {
    site.certs
        .hub_address()
        .unwrap_or_else(|| public_base(site.public_url.as_deref(), uri, headers))
}

/// At a hub with a name but no good certificate for it: what that means for phones.
fn no_https_notice(site: &super::Site, tr: &crate::i18n::Tr) -> Option<String> {
    let (host, offered) = site.certs.hub_name()?;
    let id = match offered {
        Some(offered) if offered.valid => return None,
        Some(_) => "share-hub-expired",
        None => "share-hub-no-certificate",
    };
    Some(tr.t_with(id, [("name", host.into())]))
}

/// The address phones reach the app at: `--public-url`, else the one this visitor used
/// (the `Host` header, or over HTTP/2 the request's authority).
pub fn public_base(configured: Option<&str>, uri: &Uri, headers: &HeaderMap) -> String {
    if let Some(url) = configured {
        return url.to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if crate::web::over_tls(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The QR codes made so far, by text: choosing a code's mask is the costliest part of
/// rendering the booklet (the profile in the performance notes), and a server shows only a
/// few addresses.
static MADE: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Mutex::default);

/// Addresses remembered at most, so that made-up `Host` headers cannot grow the memory.
const MADE_MAX: usize = 64;

/// A QR code for `text` as an SVG element, hidden from screen readers (the address is
/// written out beside it).
pub fn qr_svg(text: &str) -> String {
    let mut made = MADE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(svg) = made.get(text) {
        return svg.clone();
    }
    let svg = make_qr_svg(text);
    if made.len() >= MADE_MAX {
        made.clear();
    }
    made.insert(text.to_owned(), svg.clone());
    svg
}

/// A QR code as SVG, made afresh and kept nowhere: for one-time secrets.
pub fn make_qr_svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text, EcLevel::M) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let start = image.find("<svg").unwrap_or(0);
    image[start..].replacen("<svg ", "<svg aria-hidden=\"true\" ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_address_is_the_configured_one_else_the_visitors() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("192.168.1.20:3000"));
        let path = Uri::from_static("/vi/share");
        assert_eq!(
            public_base(None, &path, &headers),
            "http://192.168.1.20:3000"
        );
        assert_eq!(
            public_base(Some("https://hub.example.org"), &path, &headers),
            "https://hub.example.org"
        );
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(
            public_base(None, &path, &headers),
            "https://192.168.1.20:3000"
        );
        // HTTP/2 has no Host header: the authority is in the request's URI.
        let h2 = Uri::from_static("https://hub.local:8443/vi/share");
        let mut h2_headers = HeaderMap::new();
        h2_headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(
            public_base(None, &h2, &h2_headers),
            "https://hub.local:8443"
        );
        headers.insert(header::HOST, HeaderValue::from_static("evil\"><script>"));
        assert_eq!(public_base(None, &path, &headers), "https://localhost");
    }

    #[test]
    fn the_qr_code_is_a_bare_svg_element() {
        let svg = qr_svg("http://192.168.1.20:3000/vi/");
        assert!(svg.starts_with("<svg aria-hidden=\"true\" "), "{svg}");
        assert!(svg.ends_with("</svg>") && svg.contains("<path"));
        assert!(!svg.contains("style="));
    }
}
