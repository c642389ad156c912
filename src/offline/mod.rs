//! Offline use: the web app manifest of each language, the precache manifest the service
//! worker syncs from, and the "keep for offline" page.
//!
//! The precache manifest lists every page of a language with the hash of its HTML (the same
//! value as the page's ETag) and every file those pages need. The worker compares it with what
//! it holds and downloads only what is missing or changed, so one edited text costs a phone
//! the manifest and the pages that show it.

use crate::app::InProcess;
use crate::content::store;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
pub mod export;
pub mod warm;

use crate::db::Db;
use crate::site::{Lang, Page, PageMeta, PageRequest, Section, document, public_page};
use crate::site::{Site, pages::offline_urls};
use crate::state::AppState;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use leptos::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The colour of the app's bar and splash screen, as in the stylesheet.
const THEME_COLOR: &str = "#0b5c4a";
const BACKGROUND_COLOR: &str = "#ffffff";

/// The app icons in the site folder: (path, size, purpose).
const ICONS: [(&str, &str, &str); 4] = [
    ("/icons/icon-192.png", "192x192", "any"),
    ("/icons/icon-512.png", "512x512", "any"),
    ("/icons/maskable-192.png", "192x192", "maskable"),
    ("/icons/maskable-512.png", "512x512", "maskable"),
];

/// What the service worker keeps for one language.
#[derive(Debug, Serialize)]
pub struct Precache {
    pub lang: &'static str,
    /// Every language the app has: the service worker keeps only these.
    pub languages: Vec<&'static str>,
    /// Changes whenever any entry does.
    pub version: String,
    /// Pages, keyed by their path; `hash` is the page's ETag value.
    pub pages: Vec<Entry>,
    /// Static files, keyed by their full URL, which names their content.
    pub files: Vec<Entry>,
    /// The recordings of the language's texts, named by their hashes: kept only when the
    /// person chose "keep audio too", since they cost far more than the text.
    pub audio: Vec<Entry>,
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub url: String,
    pub hash: String,
    /// The size over the wire, brotli-compressed, so a phone can say what a download costs.
    pub bytes: usize,
}

/// `/{lang}/offline.json`: the precache manifest of one language.
pub async fn precache(
    State(app): State<AppState>,
    Lang(locale): Lang,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let mut asking = headers.clone();
    // Over HTTP/2 the host is in the URI, not in a header: pages are rendered as for HTTP/1.1.
    if let Some(authority) = uri
        .authority()
        .filter(|_| !asking.contains_key(header::HOST))
        && let Ok(host) = header::HeaderValue::from_str(authority.as_str())
    {
        asking.insert(header::HOST, host);
    }
    let manifest = precache_manifest(&app, locale, &asking).await?;
    let body = serde_json::to_string(&manifest).unwrap_or_default();
    Ok(revalidated(
        &headers,
        "application/json",
        &manifest.version,
        body,
    ))
}

/// Builds the precache manifest by rendering each page as the server would answer the
/// phone asking for it: with its `Host`, which the share page's address comes from.
pub async fn precache_manifest(
    app: &AppState,
    locale: Locale,
    asking: &HeaderMap,
) -> Result<Precache, AppError> {
    let app_in_process = InProcess::new(app.clone());
    let mut pages = Vec::new();
    for url in page_urls(&app.db, locale).await? {
        let page = app_in_process.render_path(&url, asking).await;
        if page.status != StatusCode::OK {
            tracing::warn!(%url, status = %page.status, "page left out of the precache");
            continue;
        }
        pages.push(Entry {
            hash: etag_value(&page.headers).unwrap_or_default(),
            bytes: brotli_size(&page.body),
            url,
        });
    }
    let assets = &app.site.assets;
    let files = file_urls(app, locale)
        .into_iter()
        .filter_map(|url| {
            let wire = assets.wire(&url)?;
            Some(Entry {
                url,
                hash: wire.hash,
                bytes: wire.bytes,
            })
        })
        .collect::<Vec<_>>();
    let audio = app
        .db
        .read(move |c| crate::audio::store::kept(c, locale))
        .await?
        .into_iter()
        .map(|(sha, bytes)| Entry {
            url: crate::audio::url(&sha),
            hash: sha,
            bytes,
        })
        .collect::<Vec<_>>();
    let mut digest = Sha256::new();
    for entry in pages.iter().chain(&files).chain(&audio) {
        digest.update(entry.url.as_bytes());
        digest.update(b" ");
        digest.update(entry.hash.as_bytes());
        digest.update(b"\n");
    }
    Ok(Precache {
        lang: locale.code(),
        languages: Locale::ALL.map(Locale::code).to_vec(),
        version: crate::web::hex(&digest.finalize()[..10]),
        pages,
        files,
        audio,
    })
}

/// Every page a person can reach in `locale`, as the list of public pages names them.
pub async fn page_urls(db: &Db, locale: Locale) -> Result<Vec<String>, AppError> {
    let (checklists, guides) = db
        .read(move |conn| {
            Ok((
                store::checklists(conn, locale)?,
                store::guides(conn, locale)?,
            ))
        })
        .await?;
    let checklists: Vec<String> = checklists.into_iter().map(|c| c.slug).collect();
    let guides: Vec<String> = guides.into_iter().map(|g| g.slug).collect();
    Ok(offline_urls(
        crate::app::page_routes(),
        locale,
        &checklists,
        &guides,
    ))
}

/// The files the pages of `locale` load: the bundle, the scripts, the icons, and the font
/// that language's pages use.
fn file_urls(app: &AppState, locale: Locale) -> Vec<String> {
    let assets = &app.site.assets;
    let built = &assets.built;
    let mut urls = vec![
        built.css.clone(),
        built.js.clone(),
        built.wasm.clone(),
        built.offline.clone(),
        built.help.clone(),
        built.privacy.clone(),
        built.share.clone(),
        built.event.clone(),
        built.listen.clone(),
        built.icon.clone(),
    ];
    // Karen pages use the whole Karen font; the others only the subset that writes the
    // language switcher's Karen name.
    let font = if locale == Locale::Ksw {
        "/fonts/karen."
    } else {
        "/fonts/karen-name."
    };
    urls.extend(
        assets
            .urls_under(font)
            .into_iter()
            .filter(|url| url.ends_with(".woff2"))
            .map(str::to_owned),
    );
    urls.extend(ICONS.iter().filter_map(|(path, ..)| assets.versioned(path)));
    urls
}

/// `/{lang}/manifest.webmanifest`: the installable app, named in the person's language.
pub async fn web_manifest(
    State(app): State<AppState>,
    Lang(locale): Lang,
    headers: HeaderMap,
) -> Response {
    let tr = app.site.tr(locale);
    let icons: Vec<_> = ICONS
        .iter()
        .filter_map(|(path, sizes, purpose)| {
            Some(serde_json::json!({
                "src": app.site.assets.versioned(path)?,
                "sizes": sizes,
                "type": "image/png",
                "purpose": purpose,
            }))
        })
        .collect();
    let manifest = serde_json::json!({
        "id": format!("/{locale}/"),
        "name": tr.t("app-name"),
        "short_name": tr.t("app-short-name"),
        "description": tr.t("home-intro"),
        "lang": locale.code(),
        "dir": "ltr",
        "start_url": format!("/{locale}/"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    });
    let body = manifest.to_string();
    let version = crate::web::hex(&Sha256::digest(body.as_bytes())[..10]);
    revalidated(&headers, "application/manifest+json", &version, body)
}

/// `/{lang}/offline`: choose which languages to keep on the phone. The service worker also
/// shows this page, with a note, for a page it has not saved.
/// `/{lang}/offline`: which languages to keep on the phone.
#[component]
pub fn KeepOfflinePage() -> impl IntoView {
    public_page(
        |request: PageRequest| async move { Ok(keep_offline(&request.site, request.locale)) },
    )
}

fn keep_offline(site: &Site, locale: Locale) -> Page {
    let tr = site.tr(locale);
    let meta = PageMeta::from_messages(
        &tr,
        "offline-title",
        "offline-intro",
        Section::Other,
        "/offline",
    );
    Page::Found(document(site, locale, meta, view! { <KeepOffline tr=tr/> }).into_any())
}

#[component]
fn KeepOffline(tr: Tr) -> impl IntoView {
    let audio_template = tr.t_with("offline-audio-size", [("size", "%size%".into())]);
    let languages = Locale::ALL
        .into_iter()
        .map(|other| {
            let id = format!("keep-{other}");
            let checked = other == tr.locale;
            let audio = format!("audio-{other}");
            view! {
                <li class="check">
                    <input type="checkbox" id=id.clone() name="lang" value=other.code() checked=checked/>
                    <label for=id lang=other.code()>{tr.in_locale(other).t("language-name")}</label>
                    // Shown by `offline.js` once the language's manifest lists recordings.
                    <span class="keep-audio" data-audio-for=other.code() hidden>
                        <input type="checkbox" id=audio.clone() name="audio" value=other.code()/>
                        <label for=audio data-template=audio_template.clone()>{tr.t("offline-audio")}</label>
                    </span>
                </li>
            }
        })
        .collect_view();
    let ready = tr.t_with("offline-ready", [("date", "%date%".into())]);
    view! {
        <h1>{tr.t("offline-title")}</h1>
        <p class="notice" data-offline-fallback="" hidden=true>{tr.t("offline-fallback")}</p>
        <p class="lead">{tr.t("offline-intro")}</p>
        <p data-offline-unsupported="">{tr.t("offline-unsupported")}</p>
        <form class="keep-offline" data-keep-offline="" hidden=true>
            <fieldset>
                <legend>{tr.t("offline-languages")}</legend>
                <ul class="checks">{languages}</ul>
            </fieldset>
            <p data-offline-size="" data-template=tr.t_with("offline-size", [("size", "%size%".into())])></p>
            <button type="submit" class="button">{tr.t("offline-keep")}</button>
            <p>
                <label for="offline-progress">{tr.t("offline-progress")}</label>
                <progress id="offline-progress" max="100" value="0"></progress>
            </p>
            <p role="status" data-offline-state="" data-ready=ready data-none=tr.t("offline-status-none")
                data-error=tr.t("offline-error")></p>
            <p data-persist="" data-granted=tr.t("offline-persist-granted") data-denied=tr.t("offline-persist-denied")></p>
        </form>
        <p>
            <a href=format!("/{}/", tr.locale)>{tr.t("back-home")}</a>
        </p>
    }
}

/// A response that a matching `If-None-Match` turns into a 304.
fn revalidated(
    request: &HeaderMap,
    content_type: &'static str,
    version: &str,
    body: String,
) -> Response {
    let etag = format!("\"{version}\"");
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::ETAG, etag.clone()),
        (header::VARY, "Accept-Encoding".to_owned()),
    ];
    if crate::web::etag_matches(request, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (StatusCode::OK, headers, body).into_response()
}

/// The value of a response's ETag without `W/` and quotes: the page's content hash.
fn etag_value(headers: &HeaderMap) -> Option<String> {
    let tag = headers.get(header::ETAG)?.to_str().ok()?;
    Some(tag.trim_start_matches("W/").trim_matches('"').to_owned())
}

/// The size of `body` compressed as the server compresses pages on the fly.
fn brotli_size(body: &[u8]) -> usize {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 4,
        ..Default::default()
    };
    let mut out = Vec::new();
    match brotli::BrotliCompress(&mut &body[..], &mut out, &params) {
        Ok(_) => out.len(),
        Err(_) => body.len(),
    }
}
